// Progressive enhancement: readers hear about new comments without reloading.
// Without this script the page works fully (reload to see new comments).
//
// A comment arrives already rendered: the server sends the same fragment the
// page includes (consultations/includes/comment.html, escaped and sanitised
// there), in this page's language, on the socket and in the catch-up after a
// reconnect (the API's `html=true`). This script builds no HTML from user
// text: it parses the server's fragment and places it.
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
  // On a comment's own page, its replies (the last page of them) are the list.
  var thread = root.getAttribute("data-thread") || "";
  var sectionFilter = root.getAttribute("data-section-filter") || "";
  var oldestFirst = root.getAttribute("data-order") === "oldest";
  var counter = root.querySelector("[data-comment-count]");

  // The server's fragment as a node (a <template> runs nothing it parses).
  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector("article.comment");
  }

  function replace(id, html) {
    var node = document.getElementById("comment-" + id);
    var fresh = html && fragment(html);
    if (node && fresh) node.replaceWith(fresh);
  }

  function count(value) {
    if (counter && typeof value === "number") counter.textContent = String(value);
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
    var first = null;
    pending.forEach(function (item) {
      if (document.getElementById("comment-" + item.id)) return;
      var node = fragment(item.html);
      if (!node) return;
      if (oldestFirst) list.appendChild(node);
      else list.insertBefore(node, list.firstChild);
      if (!first || !oldestFirst) first = node;
    });
    var empty = document.getElementById("no-comments");
    if (empty && first) empty.parentNode.removeChild(empty);
    pending = [];
    update();
    if (first) { first.tabIndex = -1; first.focus(); }
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

  function shownHere(comment) {
    // The section filter of this page: "general" is the whole draft.
    if (!sectionFilter) return true;
    return (sectionFilter === "general" ? "" : sectionFilter) === (comment.section || "");
  }

  // `comment` is the JSON of the comment, `html` its fragment.
  function arrived(comment, html, parentHtml) {
    if (!comment) return;
    var parent = comment.parent ? String(comment.parent) : "";
    if (parent !== thread) {
      // A reply lives on its thread's page; on the consultation page its
      // parent's reply count moves.
      if (!thread && parent) replace(comment.parent, parentHtml);
      return;
    }
    if (comment.id > latest) latest = comment.id;
    if (comment.hidden) { hide(comment.id, html); return; }
    if (comment.deleted || !html || !shownHere(comment)) return;
    if (known(comment.id)) { replace(comment.id, html); return; }
    pending.push({ id: comment.id, html: html });
    update();
  }

  function hide(id, html) {
    replace(id, html);
    pending = pending.filter(function (c) { return c.id !== id; });
    update();
  }

  // The API's cursor for "after comment N" in oldest-first order
  // (consultations.selectors.encode_cursor).
  function cursorAfter(id) {
    return btoa("c:" + id).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }

  // Everything posted since `latest`, oldest first, page by page, rendered.
  function catchUp() {
    var pages = 0;
    function fetchPage(cursor) {
      var query = "?order=oldest&limit=50&html=true" + (thread ? "&parent=" + thread : "") +
        (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      fetch(api + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          (data.items || []).forEach(function (item) { arrived(item, item.html); });
          count(data.comment_count);
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
      count(data.comment_count);
      if (data.type === "comment.created") arrived(data.comment, data.html, data.parent_html);
      else if (data.type === "comment.hidden") hide(data.id, data.html);
    },
  });
})();
