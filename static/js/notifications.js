// Progressive enhancement: new notifications appear without reloading.
// The page works fully without this script.
(function () {
  "use strict";
  var list = document.getElementById("notification-list");
  if (!list || !("WebSocket" in window)) return;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var socket = new WebSocket(scheme + location.host + "/ws/notifications/");
  var live = document.createElement("div");
  live.setAttribute("role", "status");
  live.className = "visually-hidden";
  document.body.appendChild(live);
  socket.onmessage = function (event) {
    var data = JSON.parse(event.data);
    if (!data.message) return;
    var item = document.createElement("li");
    item.className = "notification-unread";
    if (data.url) {
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = data.message;
      item.appendChild(link);
    } else {
      item.textContent = data.message;
    }
    list.insertBefore(item, list.firstChild);
    live.textContent = data.message;
  };
})();
