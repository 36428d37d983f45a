// Progressive enhancement: the "Notifications" badge in the header follows
// new notifications live (/ws/notifications/), on every page of a signed-in
// user. The one socket of the page also feeds the notification list
// (static/js/notifications.js) through "hrc:notification" events, so a page
// never opens two. Without this script the badge is right at each load.
(function () {
  "use strict";
  var links = document.querySelectorAll("[data-unread-link]");
  if (!links.length || !("WebSocket" in window) || !window.hrcLiveSocket) return;

  function show(count) {
    if (typeof count !== "number" || count < 0) return;
    links.forEach(function (link) {
      var badge = link.querySelector(".krds-badge");
      if (!count) {
        if (badge) badge.parentNode.removeChild(badge);
        return;
      }
      if (!badge) {
        link.appendChild(document.createTextNode(" "));
        badge = document.createElement("span");
        badge.className = "krds-badge bg-danger";
        link.appendChild(badge);
      }
      var text = count === 1 ? link.getAttribute("data-unread-one")
        : (link.getAttribute("data-unread-many") || "").replace("NUM", String(count));
      badge.textContent = text;
    });
  }

  var opened = false;

  function tell(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  window.hrcLiveSocket("/ws/notifications/", {
    // Its connection status speaks on the notification list only; elsewhere
    // the page's own live part (comments, a case) owns that line.
    status: document.getElementById("notification-list") ? document.getElementById("live-connection") : null,
    onopen: function () {
      tell("hrc:notifications-open", null);
      // After a reconnect: what was read or arrived while away, as it is now.
      if (!opened) { opened = true; return; }
      var api = links[0].getAttribute("data-unread-api");
      if (!api) return;
      fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) show(data.unread); })
        .catch(function () { /* the next reconnect tries again */ });
    },
    onmessage: function (data) {
      show(data.unread);
      tell("hrc:notification", data);
    },
  });
})();
