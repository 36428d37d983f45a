// Progressive enhancement: an open case page shows a new message or a status
// change without a reload (complaints.live). The socket says only that the
// case changed; the page then fetches itself, through the same view (which
// checks access and logs the read), and swaps the parts marked
// data-case-live. Nothing is built from case text here. Without this script,
// a reload shows the same.
(function () {
  "use strict";
  var root = document.getElementById("case-live");
  if (!root || !("WebSocket" in window) || !window.hrcLiveSocket || !window.DOMParser) return;
  var news = document.getElementById("case-live-news");
  var opened = false;

  function refresh(what) {
    fetch(location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (!text) return;
        var fresh = new DOMParser().parseFromString(text, "text/html");
        var changed = false;
        document.querySelectorAll("[data-case-live]").forEach(function (node) {
          var name = node.getAttribute("data-case-live");
          var other = fresh.querySelector('[data-case-live="' + name + '"]');
          if (other && other.innerHTML !== node.innerHTML) {
            node.replaceWith(document.importNode(other, true));
            changed = true;
          }
        });
        if (changed && what && news) news.textContent = root.getAttribute("data-" + what) || "";
      })
      .catch(function () { /* the next event or reconnect tries again */ });
  }

  window.hrcLiveSocket(root.getAttribute("data-socket"), {
    status: document.getElementById("live-connection"),
    // After a reconnect, catch up on what changed while away.
    onopen: function () { if (opened) refresh(null); opened = true; },
    onmessage: function (data) {
      if (data.type === "case.updated") refresh(data.what === "status" ? "status" : "message");
    },
  });
})();
