// dolbom: progressive enhancement only; every page works without this file.
// When a form comes back with errors, move focus to the summary so screen-reader users hear it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
