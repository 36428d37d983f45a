// The Wagtail admin under the site's strict Content-Security-Policy (no inline
// script). Wagtail's date, time and date-time widgets and its inline panels
// start themselves with an inline <script>; our overrides of those templates
// (core/templates/wagtailadmin/) leave a hidden marker instead:
//   <span hidden data-admin-init="initDateChooser" data-admin-target="id" data-admin-config="{json}">
// and this file, served by the app, makes the same call, for the page as it
// loads and for every form added later (an inline panel's new child, a dialog).
(function () {
  "use strict";
  var CALLS = {
    initDateChooser: function (el, config) { window.initDateChooser(el.dataset.adminTarget, config); },
    initTimeChooser: function (el, config) { window.initTimeChooser(el.dataset.adminTarget, config); },
    initDateTimeChooser: function (el, config) { window.initDateTimeChooser(el.dataset.adminTarget, config); },
    InlinePanel: function (el, config) { return new window.InlinePanel(config); },
    MultipleChooserPanel: function (el, config) { return new window.MultipleChooserPanel(config); },
  };
  // Wagtail's chooser widgets: `new PageChooser(id, options)` and the like
  // (core/wagtail_hooks.py renders their marker); only these names.
  ["Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser"].forEach(function (name) {
    CALLS[name] = function (el, config) { return new window[name](el.dataset.adminTarget, config); };
  });

  function start(el) {
    if (el.dataset.adminStarted) return;
    var call = CALLS[el.dataset.adminInit];
    if (!call) return;
    el.dataset.adminStarted = "pending";
    try {
      call(el, JSON.parse(el.dataset.adminConfig || "{}"));
      el.dataset.adminStarted = "1";
    } catch (error) {
      el.dataset.adminStarted = "failed";
      // One widget failing must not stop the others; the console says which.
      console.error("admin-csp: could not start", el.dataset.adminInit, error);
    }
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    if (root.matches("[data-admin-init]")) start(root);
    root.querySelectorAll("[data-admin-init]").forEach(start);
  }

  function run() {
    scan(document.documentElement);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (m) { m.addedNodes.forEach(scan); });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
