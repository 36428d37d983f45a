// Progressive enhancement for the receipt page. The receipt is shown only once
// and never kept, so until the person confirms they saved it, leaving the page
// asks first; and a button copies it. Without this script the page works fully.
(function () {
  "use strict";
  var root = document.querySelector("[data-receipt]");
  if (!root) return;

  function warn(event) {
    event.preventDefault();
    // Older browsers ask only when returnValue is set; none shows its text.
    event.returnValue = "";
  }
  window.addEventListener("beforeunload", warn);
  var form = root.querySelector("form[data-receipt-saved]");
  if (form) {
    form.addEventListener("submit", function () {
      var saved = form.querySelector("input[name=saved]");
      // An unticked box is no confirmation, even where the browser lets it through.
      if (!saved || saved.checked) window.removeEventListener("beforeunload", warn);
    });
  }

  var copy = root.querySelector("[data-copy]");
  // The clipboard needs a secure context; without it the button stays hidden.
  if (!copy || !navigator.clipboard || !navigator.clipboard.writeText) return;
  var status = copy.querySelector("[role=status]");
  var code = Array.prototype.map.call(root.querySelectorAll(".receipt-group"), function (group) {
    return group.textContent.trim();
  }).join("-");
  copy.querySelector("button").addEventListener("click", function () {
    // Emptied first, so a second click is announced again.
    status.textContent = "";
    navigator.clipboard.writeText(code).then(function () {
      status.textContent = copy.getAttribute("data-copied");
    }, function () {
      status.textContent = copy.getAttribute("data-copy-failed");
    });
  });
  copy.hidden = false;
})();
