// Progressive enhancement: new notifications appear without reloading, and
// those stored while the socket was away are fetched when it is back
// (static/js/live-socket.js). The page works fully without this script.
(function () {
  "use strict";
  var list = document.getElementById("notification-list");
  if (!list || !("WebSocket" in window)) return;
  var latest = parseInt(list.getAttribute("data-latest-notification") || "0", 10) || 0;
  var api = list.getAttribute("data-api");
  var MAX_PAGES = 10;
  var live = document.createElement("div");
  live.setAttribute("role", "status");
  live.className = "visually-hidden";
  document.body.appendChild(live);

  function arrived(data) {
    if (!data.message || !data.id) return;
    if (data.id > latest) latest = data.id;
    if (document.getElementById("notification-" + data.id)) return;
    var item = document.createElement("li");
    item.id = "notification-" + data.id;
    item.className = "notification-unread";
    var unread = document.createElement("span");
    unread.className = "visually-hidden";
    unread.textContent = (list.getAttribute("data-unread-label") || "") + " ";
    item.appendChild(unread);
    if (data.url) {
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = data.message;
      item.appendChild(link);
    } else {
      item.appendChild(document.createTextNode(data.message));
    }
    // Newest first, whichever arrived first (a live event can beat a catch-up).
    var before = list.firstElementChild;
    while (before && parseInt((before.id || "").replace("notification-", ""), 10) > data.id) {
      before = before.nextElementSibling;
    }
    list.insertBefore(item, before);
    var empty = document.getElementById("notification-empty");
    if (empty) empty.parentNode.removeChild(empty);
    live.textContent = data.message;
  }

  function catchUp() {
    var pages = 0;
    function fetchPage(after) {
      fetch(api + "?after=" + after, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          (data.items || []).forEach(arrived);
          pages += 1;
          if (data.next && pages < MAX_PAGES) fetchPage(data.next);
        })
        .catch(function () { /* the next reconnect tries again */ });
    }
    fetchPage(latest);
  }

  // The page's one notification socket is static/js/badge.js's (loaded by
  // base.html for every signed-in user); it passes on what it hears.
  document.addEventListener("hrc:notifications-open", catchUp);
  document.addEventListener("hrc:notification", function (event) { arrived(event.detail || {}); });
})();
