// Progressive enhancement: readers hear about new comments without reloading.
// Without this script the page works fully (reload to see new comments).
(function () {
  "use strict";
  var root = document.querySelector("[data-consultation]");
  var list = document.getElementById("comment-list");
  var notice = document.getElementById("live-comments");
  if (!root || !list || !notice || !("WebSocket" in window)) return;
  var pending = [];
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button-secondary";
  // Added only while there is something to show (.button would override `hidden`).

  function render(comment) {
    var article = document.createElement("article");
    article.className = "comment card";
    article.id = "comment-" + comment.id;
    var meta = document.createElement("header");
    meta.className = "comment-meta";
    var name = document.createElement("strong");
    name.textContent = comment.author || "";
    meta.appendChild(name);
    article.appendChild(meta);
    var body = document.createElement("div");
    body.className = "comment-body";
    // The server sanitised the body with nh3 (paragraphs, lists, links only).
    body.innerHTML = comment.body || "";
    article.appendChild(body);
    var link = document.createElement("a");
    link.href = root.getAttribute("data-thread-url").replace("/0/", "/" + comment.id + "/");
    link.textContent = root.getAttribute("data-reply-label");
    var actions = document.createElement("p");
    actions.appendChild(link);
    article.appendChild(actions);
    return article;
  }

  function update() {
    if (!pending.length) {
      if (button.parentNode) button.parentNode.removeChild(button);
      return;
    }
    var text = pending.length === 1 ? notice.getAttribute("data-template-one")
      : notice.getAttribute("data-template-many").replace("NUM", String(pending.length));
    button.textContent = text;
    if (!button.parentNode) notice.appendChild(button);
  }

  button.addEventListener("click", function () {
    pending.forEach(function (comment) {
      if (!document.getElementById("comment-" + comment.id)) list.insertBefore(render(comment), list.firstChild);
    });
    pending = [];
    update();
    if (list.firstChild && list.firstChild.focus) { list.firstChild.tabIndex = -1; list.firstChild.focus(); }
  });

  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var socket = new WebSocket(scheme + location.host + "/ws/consultations/" + root.getAttribute("data-consultation") + "/");
  socket.onmessage = function (event) {
    var data = JSON.parse(event.data);
    if (data.type === "comment.created" && data.comment && !data.comment.parent) {
      pending.push(data.comment);
      update();
    } else if (data.type === "comment.hidden") {
      var node = document.getElementById("comment-" + data.id);
      if (node) {
        var p = document.createElement("p");
        p.textContent = root.getAttribute("data-hidden-label");
        node.replaceChildren(p);
      }
      pending = pending.filter(function (c) { return c.id !== data.id; });
      update();
    }
  };
})();
