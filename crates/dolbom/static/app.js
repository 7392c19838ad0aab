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
  // A table wider than the screen scrolls inside its frame; while it does, the frame takes keyboard focus (so it can
  // be scrolled without a mouse) and is named after the table's caption or the heading above it.
  var frames = document.querySelectorAll(".table-wrap");
  function focusableWhenScrolling() {
    frames.forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        var caption = frame.querySelector("caption");
        var heading = frame.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
        var name = (caption || heading || document.querySelector("h1")).textContent.trim();
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", name);
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (a) { frame.removeAttribute(a); });
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
  // Print buttons (the browser's own print works too).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
