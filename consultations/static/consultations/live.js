// Progressive enhancement: readers hear about new comments without reloading.
// Without this script the page works fully (reload to see new comments).
(function () {
  "use strict";
  var root = document.querySelector("[data-consultation]");
  var list = document.getElementById("comment-list");
  var notice = document.getElementById("live-comments");
  if (!root || !list || !notice || !("WebSocket" in window) || !window.hrcLiveSocket) return;
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
    // Oldest first, so the newest ends on top whichever arrived first.
    pending.sort(function (a, b) { return a.id - b.id; });
    pending.forEach(function (comment) {
      if (!document.getElementById("comment-" + comment.id)) list.insertBefore(render(comment), list.firstChild);
    });
    pending = [];
    update();
    if (list.firstChild && list.firstChild.focus) { list.firstChild.tabIndex = -1; list.firstChild.focus(); }
  });

  // The newest top-level comment this page knows of: the server says which it
  // was when it rendered the page; live events and catch-ups move it on.
  var latest = parseInt(root.getAttribute("data-latest-comment") || "0", 10) || 0;
  var api = root.getAttribute("data-comments-api");
  var MAX_PAGES = 10; // 500 comments; past that a reload is the better catch-up

  function known(id) {
    return document.getElementById("comment-" + id) ||
      pending.some(function (c) { return c.id === id; });
  }

  function arrived(comment) {
    if (!comment || comment.parent) return;
    if (comment.id > latest) latest = comment.id;
    if (comment.hidden) { hide(comment.id); return; }
    if (comment.deleted || known(comment.id)) return;
    pending.push(comment);
    update();
  }

  function hide(id) {
    var node = document.getElementById("comment-" + id);
    if (node) {
      var p = document.createElement("p");
      p.textContent = root.getAttribute("data-hidden-label");
      node.replaceChildren(p);
    }
    pending = pending.filter(function (c) { return c.id !== id; });
    update();
  }

  // The API's cursor for "after comment N" in oldest-first order
  // (consultations.selectors.encode_cursor).
  function cursorAfter(id) {
    return btoa("c:" + id).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }

  // Everything posted since `latest`, oldest first, page by page.
  function catchUp() {
    var pages = 0;
    function fetchPage(cursor) {
      var query = "?order=oldest&limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      fetch(api + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          (data.items || []).forEach(arrived);
          pages += 1;
          if (data.next && pages < MAX_PAGES) fetchPage(data.next);
        })
        .catch(function () { /* the next reconnect tries again */ });
    }
    fetchPage(latest ? cursorAfter(latest) : null);
  }

  window.hrcLiveSocket("/ws/consultations/" + root.getAttribute("data-consultation") + "/", {
    status: document.getElementById("live-connection"),
    onopen: catchUp,
    onmessage: function (data) {
      if (data.type === "comment.created") arrived(data.comment);
      else if (data.type === "comment.hidden") hide(data.id);
    },
  });
})();
