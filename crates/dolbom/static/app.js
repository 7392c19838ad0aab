// dolbom: progressive enhancement only; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // When a form comes back with errors, move focus to the summary so screen-reader users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // A space's week redraws itself when someone books or cancels: fetch this same page and swap in its grid.
  var week = document.getElementById("week");
  if (window.EventSource && week && week.getAttribute("data-live")) {
    var source = new EventSource(week.getAttribute("data-live"));
    window.addEventListener("pagehide", function () { source.close(); });
    source.addEventListener("changed", function () {
      fetch(window.location.href, { headers: { "Accept": "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("week");
        if (!fresh) return;
        week.innerHTML = fresh.innerHTML;
        var note = document.getElementById("week-live");
        if (note) note.textContent = note.getAttribute("data-updated") || "";
      });
    });
  }
  // Print buttons (the browser's own print works too).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
