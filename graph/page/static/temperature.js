// The temperature strip (issue 15): coded events between two states per period, under the graph.
// Inlined by graph/page/rendering.py after explorer.js; it reaches the page through window.explorer.
// The numbers are `bilateral temperature`'s (graph/page/temperature_strip.py).  Data is untrusted:
// every string goes on screen as textContent (DOM or SVG text), never as HTML.
(function () {
  "use strict";
  var EX = window.explorer;
  if (!EX || !EX.data || !EX.data.temperature) return;
  var T = EX.data.temperature;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var QUAD_NAMES = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];
  var GEOMETRY = {left: 44, right: 12, marks: 16, meanTop: 20, meanHeight: 56, countTop: 86, countHeight: 24, axis: 126};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function signed(x) { return (x > 0 ? "+" : x < 0 ? "−" : "") + Math.abs(x).toFixed(2); }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  // ------------------------------------------------------------------ no coded events: a hint, no strip
  if (!T.sizes) {
    var box = el("div", "temperature-hint");
    box.appendChild(el("h3", null, "Temperature"));
    var p = el("p", "hint", "No coded events between the two states in this store. ");
    p.appendChild(el("code", null, T.hint));
    p.appendChild(document.createTextNode(" adds ICEWS events; the next render draws their temperature under the graph."));
    box.appendChild(p);
    (EX.controls || document.body).appendChild(box);
    return;
  }

  // ------------------------------------------------------------------ the strip's frame
  var main = document.querySelector("main");
  var strip = el("section", null);
  strip.id = "temperature";
  strip.setAttribute("aria-label", "Temperature of the relationship: coded events per period");
  var head = el("div", "t-head");
  head.appendChild(el("span", "t-title", "Temperature"));
  head.appendChild(el("span", "t-between", T.between[0].label + " – " + T.between[1].label));
  var sub = el("span", "t-sub");
  head.appendChild(sub);
  var legend = el("span", "t-legend");
  [["t-key coop", "cooperation"], ["t-key conf", "conflict"], ["t-key count", "events"], ["t-key curated", "curated"]]
    .forEach(function (k) { var s = el("span", "t-key-row"); s.appendChild(el("i", k[0])); s.appendChild(el("span", null, k[1])); legend.appendChild(s); });
  var switcher = el("span", "t-by");
  switcher.setAttribute("role", "group");
  switcher.setAttribute("aria-label", "Period");
  ["month", "quarter", "year"].forEach(function (by) {
    var b = el("button", "t-by-button", by);
    b.type = "button";
    b.dataset.by = by;
    b.addEventListener("click", function () { T.by = by; draw(); });
    switcher.appendChild(b);
  });
  head.appendChild(switcher);
  strip.appendChild(head);
  var chart = svgEl("svg", {"class": "t-chart", role: "img"});
  strip.appendChild(chart);
  var foot = el("div", "t-foot");
  var status = el("div", "t-status");
  status.setAttribute("aria-live", "polite");
  foot.appendChild(status);
  foot.appendChild(legend);
  strip.appendChild(foot);
  var tip = el("div", null);
  tip.id = "temperature-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.appendChild(tip);
  main.classList.add("with-temperature");
  main.appendChild(strip);

  // The graph's box just lost the strip's height: frame the graph in it again.
  EX.network.redraw();
  if (EX.layout && EX.setLayout && EX.layout().indexOf("time") === 0) EX.setLayout("time");  // static/story.js
  else if (EX.overview) EX.overview(false);
  else { EX.network.fit({animation: false}); EX.network.moveTo({scale: EX.network.getScale() * 0.85}); }

  // ------------------------------------------------------------------ the page's time range
  var fromInput = document.getElementById("from");
  var toInput = document.getElementById("to");
  function range() {
    var lo = fromInput.value, hi = toInput.value;
    var narrowed = !!(lo && hi) && (lo !== fromInput.min || hi !== toInput.max);
    return {lo: lo, hi: hi, narrowed: narrowed};
  }
  // A click on a period sets the page's range to it, through the page's own control: its filter
  // hides what lies outside, refuses an inverted range and keeps the histogram in step.
  function setRange(lo, hi) {
    if (EX.setRange) { EX.setRange(lo, hi); return; }
    fromInput.value = lo;
    toInput.value = hi;
    toInput.dispatchEvent(new Event("change"));
  }

  // ------------------------------------------------------------------ drawing
  var periods = [];
  function scaleOf(rows) {
    var top = 2;
    rows.forEach(function (r) { if (r.goldstein_mean !== null) top = Math.max(top, Math.ceil(Math.abs(r.goldstein_mean))); });
    return Math.min(10, top);
  }
  function draw() {
    periods = T.sizes[T.by] || [];
    Array.prototype.forEach.call(switcher.children, function (b) {
      b.classList.toggle("on", b.dataset.by === T.by);
      b.setAttribute("aria-pressed", b.dataset.by === T.by ? "true" : "false");
    });
    sub.textContent = plural(T.events, "coded event") + " · mean Goldstein by " + T.by;
    clear(chart);
    var width = Math.max(200, chart.clientWidth || strip.clientWidth - 24), g = GEOMETRY;
    var height = g.axis + 4;
    chart.setAttribute("viewBox", "0 0 " + width + " " + height);
    chart.setAttribute("height", String(height));
    var n = Math.max(1, periods.length), step = (width - g.left - g.right) / n;
    var scale = scaleOf(periods), zero = g.meanTop + g.meanHeight / 2;
    var peak = periods.reduce(function (m, r) { return Math.max(m, r.events); }, 1);
    drawAxes(width, scale, zero, peak);
    periods.forEach(function (row, i) { chart.appendChild(periodMark(row, i, g.left + i * step, step, scale, zero, peak)); });
    drawYears(step);
    chart.setAttribute("aria-label", "Mean Goldstein and coded events per " + T.by + ", " + periods.length + " periods");
    refresh();
  }
  function drawAxes(width, scale, zero, peak) {
    var g = GEOMETRY, half = g.meanHeight / 2;
    chart.appendChild(svgEl("rect", {"class": "t-band", x: g.left, y: g.meanTop, width: width - g.left - g.right, height: g.meanHeight}));
    [[zero - half, "+" + scale], [zero, "0"], [zero + half, "−" + scale]].forEach(function (t) {
      chart.appendChild(svgEl("line", {"class": t[1] === "0" ? "t-zero" : "t-grid", x1: g.left, x2: width - g.right, y1: t[0], y2: t[0]}));
      chart.appendChild(svgEl("text", {"class": "t-tick", x: g.left - 6, y: t[0] + 3.5, "text-anchor": "end"}, t[1]));
    });
    chart.appendChild(svgEl("text", {"class": "t-tick", x: g.left - 6, y: g.countTop + 8, "text-anchor": "end"}, peak));
    chart.appendChild(svgEl("text", {"class": "t-tick", x: g.left - 6, y: g.countTop + g.countHeight, "text-anchor": "end"}, "0"));
    chart.appendChild(svgEl("line", {"class": "t-grid", x1: g.left, x2: width - g.right, y1: g.countTop + g.countHeight, y2: g.countTop + g.countHeight}));
  }
  function periodMark(row, i, x, step, scale, zero, peak) {
    var g = GEOMETRY, gap = step > 5 ? Math.min(2, step * 0.18) : 0, w = Math.max(1, step - gap);
    var group = svgEl("g", {"class": "t-period", tabindex: "0", role: "button", "data-index": i, "data-period": row.period});
    group.setAttribute("aria-label", row.period + ": " + plural(row.events, "event") +
      (row.goldstein_mean === null ? "" : ", mean Goldstein " + signed(row.goldstein_mean)));
    group.appendChild(svgEl("rect", {"class": "t-hit", x: x, y: 0, width: step, height: g.axis - 12}));
    if (row.goldstein_mean !== null) {
      var h = Math.max(1.5, Math.abs(row.goldstein_mean) / scale * g.meanHeight / 2);
      group.appendChild(svgEl("rect", {"class": "t-mean " + (row.goldstein_mean >= 0 ? "coop" : "conf"),
        x: x + gap / 2, y: row.goldstein_mean >= 0 ? zero - h : zero, width: w, height: h}));
    }
    if (row.events) {
      var c = Math.max(1.5, row.events / peak * g.countHeight);
      group.appendChild(svgEl("rect", {"class": "t-count", x: x + gap / 2, y: g.countTop + g.countHeight - c, width: w, height: c}));
    }
    if (row.curated.length) {
      var cx = x + step / 2, r = Math.min(5.5, 2.6 + Math.sqrt(row.curated.length));
      group.appendChild(svgEl("path", {"class": "t-curated", d: "M" + cx + " " + (g.marks / 2 - r) + "l" + r + " " + r + "l" + (-r) + " " + r + "l" + (-r) + " " + (-r) + "z"}));
    }
    group.addEventListener("mouseenter", function (ev) { showTip(row, ev.clientX, ev.clientY); });
    group.addEventListener("mousemove", function (ev) {
      if (tip.hidden) showTip(row, ev.clientX, ev.clientY); else placeTip(ev.clientX, ev.clientY);
    });
    group.addEventListener("mouseleave", function () { tip.hidden = true; });
    group.addEventListener("focus", function () { var b = group.getBoundingClientRect(); showTip(row, b.left + b.width / 2, b.top); });
    group.addEventListener("blur", function () { tip.hidden = true; });
    group.addEventListener("click", function () { choose(row); });
    group.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { choose(row); ev.preventDefault(); }
      else if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
        var next = chart.querySelector('[data-index="' + (i + (ev.key === "ArrowLeft" ? -1 : 1)) + '"]');
        if (next) next.focus();
        ev.preventDefault();
      }
    });
    return group;
  }
  function drawYears(step) {
    var per = T.by === "year" ? 1 : T.by === "quarter" ? 4 : 12;
    var every = Math.max(1, Math.ceil(34 / (step * per)));
    periods.forEach(function (row, i) {
      var year = +row.start.slice(0, 4);
      if (row.start.slice(5) !== "01-01" || year % every) return;
      var x = GEOMETRY.left + i * step;
      chart.appendChild(svgEl("line", {"class": "t-year", x1: x, x2: x, y1: GEOMETRY.countTop + GEOMETRY.countHeight, y2: GEOMETRY.axis - 8}));
      chart.appendChild(svgEl("text", {"class": "t-tick", x: x + (per === 1 ? step / 2 : 2), y: GEOMETRY.axis,
        "text-anchor": per === 1 ? "middle" : "start"}, year));
    });
  }

  // ------------------------------------------------------------------ hover: the period's top event types
  function showTip(row, x, y) {
    clear(tip);
    tip.appendChild(el("div", "tip-title", row.period + " · " + row.start + " – " + row.end));
    tip.appendChild(el("div", "tip-type", row.events
      ? plural(row.events, "coded event") + " · mean Goldstein " + signed(row.goldstein_mean)
      : "no coded events"));
    if (row.events) {
      var quads = row.quads.map(function (q, k) { return q ? QUAD_NAMES[k] + " " + q : null; }).filter(Boolean);
      tip.appendChild(el("div", "t-tip-quads", quads.join(" · ")));
      tip.appendChild(el("div", "t-tip-head", "Top event types"));
      var list = el("ol", "t-tip-types");
      row.top_types.forEach(function (entry) {
        var type = T.types[entry[0]] || {name: entry[0], goldstein: 0};
        var li = el("li");
        li.appendChild(el("span", "t-type-name", type.name));
        li.appendChild(el("span", "t-type-code", entry[0]));
        li.appendChild(el("span", "t-type-count", entry[1]));
        li.appendChild(el("span", "t-type-score " + (type.goldstein >= 0 ? "coop" : "conf"), signed(type.goldstein)));
        list.appendChild(li);
      });
      tip.appendChild(list);
    }
    if (row.curated.length) {
      tip.appendChild(el("div", "t-tip-head", "Curated events"));
      var ul = el("ul", "t-tip-curated");
      row.curated.slice(0, 6).forEach(function (n) {
        var e = T.curated[n];
        ul.appendChild(el("li", null, e.date + "  " + e.label));
      });
      if (row.curated.length > 6) ul.appendChild(el("li", "t-more", "… and " + (row.curated.length - 6) + " more"));
      tip.appendChild(ul);
    }
    tip.appendChild(el("div", "tip-hint", "Click to set the time range to " + row.period));
    tip.hidden = false;
    placeTip(x, y);
  }
  function placeTip(x, y) {
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(window.innerWidth - w - 6, x + 14), top = y - h - 14;
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = Math.max(4, top) + "px";
  }

  // ------------------------------------------------------------------ click: the period becomes the time range
  function choose(row) {
    tip.hidden = true;
    setRange(row.start, row.end);
  }
  // Shows which periods the page's range covers and, when it is one period, what it holds.
  function refresh() {
    var r = range(), chosen = null;
    Array.prototype.forEach.call(chart.querySelectorAll(".t-period"), function (group) {
      var row = periods[+group.dataset.index];
      var out = r.narrowed && (row.end < r.lo || row.start > r.hi);
      var exact = r.narrowed && row.start === r.lo && row.end === r.hi;
      group.classList.toggle("out", out);
      group.classList.toggle("selected", exact);
      if (exact) chosen = row;
    });
    describe(chosen, r);
  }
  function describe(row, r) {
    clear(status);
    if (!row) {
      status.appendChild(el("span", "hint", r.narrowed
        ? "Time range " + r.lo + " – " + r.hi + ". Click a period to set the range to it; “all time” on the left restores it."
        : "Hover a period for its event types; click it to set the time range to it."));
      return;
    }
    status.appendChild(el("b", null, row.period));
    status.appendChild(el("span", null, "· " + EX.visibleCount() + " of " + EX.nodes.length + " entities shown · " +
      (row.curated.length ? plural(row.curated.length, "curated event") + ":" : "no curated event in this period")));
    row.curated.slice(0, 8).forEach(function (n) {
      var e = T.curated[n];
      if (EX.data.entities[e.iri]) {
        var node = EX.nodes.get(e.iri), hidden = !!(node && node.hidden);
        var link = el("button", "t-link" + (hidden ? " dim" : ""), e.label);
        link.type = "button";
        // an event dated only to its year falls in the year's first period, but the range hides it
        link.title = e.date + (hidden ? " · dated more loosely than the period, so the range hides it" : " · show it in the graph");
        link.addEventListener("click", function () { EX.focus(e.iri); });
        status.appendChild(link);
      } else {
        status.appendChild(el("span", "t-off", e.label));
      }
    });
    if (row.curated.length > 8) status.appendChild(el("span", "hint", "… and " + (row.curated.length - 8) + " more"));
  }
  [fromInput, toInput].forEach(function (input) { input.addEventListener("change", refresh); });
  // the page's own buttons (a histogram bar, "all time", Reset) set the range without a change event
  document.addEventListener("click", function (ev) { if (!strip.contains(ev.target)) refresh(); });
  chart.addEventListener("mouseleave", function () { tip.hidden = true; });

  var lastWidth = 0;
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      var w = chart.clientWidth;
      if (Math.abs(w - lastWidth) > 1) { lastWidth = w; draw(); }
    }).observe(strip);
  }
  draw();
  lastWidth = chart.clientWidth;
  strip.dataset.ready = "1";
})();
