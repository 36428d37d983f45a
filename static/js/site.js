/* Enhancements only: every page works without this file.
   Text size (KRDS 화면 크기 조정): three buttons in the header that scale the
   whole page (everything is sized in rem) and are remembered on this device. */
(function () {
  "use strict";
  var sizes = ["", "text-large", "text-xlarge"];
  var root = document.documentElement;
  var saved = null;
  try { saved = window.localStorage.getItem("hrc-text-size"); } catch (e) { /* private mode */ }
  function apply(size) {
    sizes.forEach(function (s) { if (s) { root.classList.remove(s); } });
    if (size) { root.classList.add(size); }
  }
  if (sizes.indexOf(saved) > 0) { apply(saved); }
  document.addEventListener("DOMContentLoaded", function () {
    var utility = document.querySelector(".header-utility");
    var template = document.getElementById("text-resize-labels");
    if (!utility || !template) { return; }
    var group = document.createElement("div");
    group.className = "text-resize";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", template.dataset.label);
    var labels = [template.dataset.normal, template.dataset.large, template.dataset.xlarge];
    var glyphs = ["가", "가+", "가++"];
    sizes.forEach(function (size, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = glyphs[i];
      button.setAttribute("aria-label", labels[i]);
      button.setAttribute("aria-pressed", String((saved || "") === size));
      button.addEventListener("click", function () {
        apply(size);
        try { window.localStorage.setItem("hrc-text-size", size); } catch (e) { /* ignore */ }
        group.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      });
      group.appendChild(button);
    });
    utility.insertBefore(group, utility.firstChild);
  });
})();
