// Copy-link buttons: progressive enhancement. Without JavaScript the link stays visible as selectable text.
(function () {
  "use strict";
  function copy(text, input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) return;
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(input.value, input).then(
        function () { if (status) status.textContent = button.getAttribute("data-copied") || "Link copied."; },
        function () {
          input.select();
          if (status) status.textContent = button.getAttribute("data-copy-failed") || "Press Ctrl+C (or ⌘C) to copy the selected link.";
        }
      );
    });
  });
  document.querySelectorAll("input[data-copy-source]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
