// dolbom map: pan and zoom the server-drawn SVG, link markers to the list, and refresh the results when places
// change (server-sent events). The page works without this file: the list and the form are the map's twin.
(function () {
  var svg = document.getElementById("map");
  if (!svg) return;
  document.querySelectorAll(".js-only").forEach(function (el) { el.classList.add("js-ready"); });
  var home = svg.getAttribute("data-home").split(" ").map(Number);
  var box = home.slice();
  var baseRadius = 70;

  function apply() {
    svg.setAttribute("viewBox", box.join(" "));
    var scale = box[2] / home[2];
    svg.querySelectorAll("circle.marker").forEach(function (c) { c.setAttribute("r", Math.max(12, baseRadius * scale)); });
    svg.style.setProperty("--label-size", Math.max(50, 200 * scale) + "px");
  }
  function zoom(factor, cx, cy) {
    if (cx === undefined) { cx = box[0] + box[2] / 2; cy = box[1] + box[3] / 2; }
    var w = Math.min(home[2] * 1.5, Math.max(home[2] / 40, box[2] * factor));
    var h = w * home[3] / home[2];
    box = [cx - (cx - box[0]) * w / box[2], cy - (cy - box[1]) * h / box[3], w, h];
    apply();
  }
  function pan(dx, dy) { box[0] += dx * box[2]; box[1] += dy * box[3]; apply(); }
  function toMap(evt) {
    var r = svg.getBoundingClientRect();
    var s = Math.max(box[2] / r.width, box[3] / r.height);
    return [box[0] + (evt.clientX - r.left - (r.width - box[2] / s) / 2) * s, box[1] + (evt.clientY - r.top - (r.height - box[3] / s) / 2) * s, s];
  }

  document.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var z = b.getAttribute("data-zoom");
      if (z === "in") zoom(0.6); else if (z === "out") zoom(1 / 0.6); else { box = home.slice(); apply(); }
    });
  });
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = toMap(e);
    zoom(e.deltaY < 0 ? 0.8 : 1.25, p[0], p[1]);
  }, { passive: false });
  // A drag pans; the pointer is captured only once it has moved, so a plain click still reaches its marker.
  var drag = null;
  svg.addEventListener("pointerdown", function (e) { drag = { at: toMap(e), x: e.clientX, y: e.clientY, moved: false, id: e.pointerId }; });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    if (!drag.moved && Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 5) return;
    if (!drag.moved) { drag.moved = true; svg.setPointerCapture(drag.id); }
    var p = toMap(e);
    box[0] -= p[0] - drag.at[0]; box[1] -= p[1] - drag.at[1];
    apply();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("keydown", function (e) {
    var keys = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] };
    if (keys[e.key]) { pan(keys[e.key][0], keys[e.key][1]); e.preventDefault(); }
    else if (e.key === "+" || e.key === "=") { zoom(0.6); e.preventDefault(); }
    else if (e.key === "-") { zoom(1 / 0.6); e.preventDefault(); }
  });

  // A marker opens its twin in the list.
  svg.addEventListener("click", function (e) {
    var target = e.target.getAttribute && e.target.getAttribute("data-target");
    if (!target) return;
    var item = document.getElementById(target);
    if (!item) return;
    document.querySelectorAll(".place-list li.current").forEach(function (li) { li.classList.remove("current"); });
    item.classList.add("current");
    item.scrollIntoView({ block: "nearest" });
    var link = item.querySelector("a");
    if (link) link.focus();
  });

  var locate = document.querySelector("[data-locate]");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("lat").value = pos.coords.latitude.toFixed(5);
        document.getElementById("lon").value = pos.coords.longitude.toFixed(5);
        document.getElementById("map-filters").submit();
      });
    });
  }

  // Live: when any place changes, fetch this same page and swap in its results and markers.
  var results = document.getElementById("results");
  if (window.EventSource && results) {
    var source = new EventSource(results.getAttribute("data-live"));
    window.addEventListener("pagehide", function () { source.close(); });
    var pending = null;
    source.addEventListener("changed", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        fetch(window.location.href, { headers: { "Accept": "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("results");
          var freshMarkers = doc.querySelectorAll("#map .markers");
          if (fresh) { results.innerHTML = fresh.innerHTML; }
          var old = svg.querySelectorAll(".markers");
          old.forEach(function (g, i) { if (freshMarkers[i]) g.innerHTML = freshMarkers[i].innerHTML; });
          apply();
          var note = document.getElementById("live-note");
          if (note) note.textContent = note.getAttribute("data-updated") || "";
        });
      }, 300);
    });
  }
  apply();
  // For bench/map.mjs: the moment the map answers to input.
  if (window.performance && performance.mark) performance.mark("map-ready");
})();
