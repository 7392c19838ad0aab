// dolbom: progressive enhancement only; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // When a form comes back with errors, move focus to the summary so screen-reader users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Print buttons (the browser's own print works too).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
