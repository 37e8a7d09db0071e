// The explorer page's own script (inlined by graph/page/rendering.py; runs first of static/*.js).
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var ENT = DATA.entities;
  var EDGE_META = DATA.edges;
  var SOURCES = DATA.sources;
  var CLASS_BY_NAME = {};
  DATA.classes.forEach(function (c) { CLASS_BY_NAME[c.name] = c; });
  var PATH_MODE = DATA.path_nodes.length > 0;
  var PATH_NODES = new Set(DATA.path_nodes);
  var started = performance.now();
  // Feature scripts' hooks (window.explorer.hooks): card(id or null, panel) after a card or the overview is drawn;
  // restyle() after the selection's highlight has restyled nodes and edges.
  var HOOKS = {card: [], restyle: []};
  function runHooks(name, args) { HOOKS[name].forEach(function (hook) { hook.apply(null, args || []); }); }

  // ------------------------------------------------------------------ small DOM helpers (text only)
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function swatch(cls) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "swatch");
    var style = CLASS_BY_NAME[cls] || {color: "#9aa1ab", shape: "dot"};
    var shape;
    var pts = {
      hexagon: "8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5",
      diamond: "8,1 15,8 8,15 1,8",
      triangle: "8,1.5 15,14 1,14",
      triangleDown: "1,2 15,2 8,14.5",
      star: "8,1 10,6 15.5,6.2 11.2,9.6 12.8,15 8,11.8 3.2,15 4.8,9.6 0.5,6.2 6,6"
    }[style.shape];
    if (pts) { shape = document.createElementNS(ns, "polygon"); shape.setAttribute("points", pts); }
    else if (style.shape === "square") {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", "2"); shape.setAttribute("y", "2");
      shape.setAttribute("width", "12"); shape.setAttribute("height", "12");
    } else {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "8"); shape.setAttribute("cy", "8"); shape.setAttribute("r", "6.5");
    }
    shape.setAttribute("fill", style.color);
    svg.appendChild(shape);
    return svg;
  }
  function lineSwatch(rel) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 34 10");
    svg.setAttribute("class", "line-swatch");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "27"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", rel.color);
    line.setAttribute("stroke-width", String(Math.max(1.2, rel.width)));
    if (rel.dashes) line.setAttribute("stroke-dasharray", rel.dashes.join(" "));
    var head = document.createElementNS(ns, "polygon");
    head.setAttribute("points", "26,1 33,5 26,9");
    head.setAttribute("fill", rel.color);
    svg.appendChild(line); svg.appendChild(head);
    return svg;
  }
  function norm(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFKC")
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function sourceRefs(numbers) {
    var span = el("span", "refs");
    numbers.forEach(function (n) {
      var ref = el("span", "ref", String(n + 1));
      ref.title = SOURCES[n];
      span.appendChild(ref);
    });
    return span;
  }

  // ------------------------------------------------------------------ the network
  var REL_STYLE = {};
  DATA.relations.forEach(function (r) { REL_STYLE[r.kind] = r; });
  DATA.network.nodes.forEach(function (n) {
    var c = n.color;
    n.color = {background: c, border: "#ffffff", highlight: {background: c, border: "#111827"},
               hover: {background: c, border: "#111827"}};
  });
  DATA.network.edges.forEach(function (e) {
    var m = EDGE_META[e.id], style = REL_STYLE[m.kind] || REL_STYLE.plain;
    var color = m.path ? REL_STYLE.path.color : style.color;
    e.color = {color: color, highlight: m.kind === "plain" && !m.path ? "#5b6472" : color,
               hover: m.kind === "plain" && !m.path ? "#5b6472" : color, opacity: 1};
    e.width = m.path ? REL_STYLE.path.width : style.width;
    e.dashes = style.dashes;
    e.arrows = {to: {enabled: true, scaleFactor: m.kind === "plain" && !m.path ? 0.45 : 0.9}};
  });
  var nodes = new vis.DataSet(DATA.network.nodes);
  var edges = new vis.DataSet(DATA.network.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.network.options);
  var BASE_NODE = {}, BASE_EDGE = {};
  DATA.network.nodes.forEach(function (n) { BASE_NODE[n.id] = {color: n.color}; });
  var STRONG_EDGE = {};
  DATA.network.edges.forEach(function (e) {
    BASE_EDGE[e.id] = {color: e.color, width: e.width};
    var c = EDGE_META[e.id].kind === "plain" && !EDGE_META[e.id].path ? "#5b6472" : e.color.color;
    STRONG_EDGE[e.id] = {color: c, highlight: c, hover: c, opacity: 1};
  });
  var TOTAL_NODES = DATA.network.nodes.length;

  var DIM_NODE = {background: "#eff1f4", border: "#ffffff",
                  highlight: {background: "#eceef2", border: "#9aa1ab"}, hover: {background: "#dfe2e8", border: "#9aa1ab"}};
  var DIM_EDGE = {color: "#eef0f3", highlight: "#eef0f3", hover: "#d9dce3", opacity: 1};
  var HIDDEN_FONT = {color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)"};
  var SHOWN_EDGE_FONT = {color: "#374151", strokeColor: "#ffffff"};

  // ------------------------------------------------------------------ filters: classes and time
  var enabled = new Set(DATA.classes.map(function (c) { return c.name; }));
  var eventDates = Object.keys(ENT).filter(function (id) { return ENT[id].event && ENT[id].start; })
    .map(function (id) { return ENT[id]; });
  var minDate = eventDates.reduce(function (m, e) { return !m || e.start < m ? e.start : m; }, null);
  var maxDate = eventDates.reduce(function (m, e) { return !m || e.end > m ? e.end : m; }, null);
  var fromInput = document.getElementById("from");
  var toInput = document.getElementById("to");
  if (minDate) {
    [fromInput, toInput].forEach(function (input) { input.min = minDate; input.max = maxDate; });
    fromInput.value = minDate; toInput.value = maxDate;
  } else {
    document.getElementById("time").classList.add("empty");
  }
  function timeNarrowed() {
    return minDate && (fromInput.value !== minDate || toInput.value !== maxDate);
  }
  // Every dated thing but an accord (which stays in force) follows the range; undated events hide
  // while it is narrowed.  "As of" hides what had not happened by that day.
  var timeError = document.getElementById("time-error");
  var asofMode = document.getElementById("asof-mode");
  var asofInput = document.getElementById("asof");
  var LIFECYCLE = DATA.lifecycle || {};
  var STATUS = {};
  (DATA.statuses || []).forEach(function (s) { STATUS[s.name] = s; });
  function inTime(id) {
    var e = ENT[id];
    if (asofMode.checked && asofInput.value && e.start && e.start > asofInput.value) return false;
    if (!timeNarrowed() || ENT[id].type === "Accord" || ENT[id].type === "Declaration") return true;
    if (!e.start) return !e.event;
    var lo = fromInput.value || minDate, hi = toInput.value || maxDate;
    return e.start >= lo && e.end <= hi;
  }
  function rangeIsValid() {
    var lo = fromInput.value, hi = toInput.value;
    if (lo && hi && lo > hi) {
      timeError.textContent = "The range is inverted: “from” " + lo + " is after “to” " + hi + ". Nothing changed.";
      timeError.hidden = false;
      return false;
    }
    timeError.hidden = true;
    timeError.textContent = "";
    return true;
  }
  function statusOn(id, day) {
    var steps = LIFECYCLE[id], found = null;
    if (!steps) return null;
    steps.forEach(function (step) { if (step[0] <= day) found = step; });
    return found;
  }
  var ORIGINAL = {};
  DATA.network.nodes.forEach(function (n) { ORIGINAL[n.id] = {color: n.color, borderWidth: n.borderWidth}; });
  function colourByStatus() {
    var on = asofMode.checked && asofInput.value, updates = [];
    Object.keys(LIFECYCLE).forEach(function (id) {
      if (!nodes.get(id)) return;
      var step = on ? statusOn(id, asofInput.value) : null;
      var status = step ? STATUS[step[1]] : null;
      if (status) {
        updates.push({id: id, status: step[1], inForce: !!status.in_force,
                      color: {background: status.color, border: status.in_force ? "#111827" : status.color},
                      borderWidth: status.in_force ? 5 : 1.5});
      } else {
        updates.push({id: id, status: null, inForce: false, color: ORIGINAL[id].color,
                      borderWidth: ORIGINAL[id].borderWidth || 1.5});
      }
    });
    if (updates.length) nodes.update(updates);
    document.getElementById("status-legend").hidden = !on;
  }
  function buildStatusLegend() {
    var legend = document.getElementById("status-legend");
    (DATA.statuses || []).forEach(function (s) {
      var row = el("div", "status-row");
      var swatch = el("span", "swatch");
      swatch.style.background = s.color;
      row.appendChild(swatch);
      row.appendChild(el("span", "", s.label + (s.in_force ? " (in force)" : "")));
      legend.appendChild(row);
    });
  }
  var extraFilters = {node: [], edge: []};  // feature scripts' own conditions (window.explorer.addFilter)
  function passes(kind, item) { return extraFilters[kind].every(function (keep) { return keep(item); }); }
  function isVisible(id) { return enabled.has(ENT[id].type) && inTime(id) && passes("node", id); }
  var visibleNodes = new Set(Object.keys(ENT));

  function applyFilters() {
    if (!rangeIsValid()) return;  // refused: what is shown stays as it was, the message says why
    colourByStatus();
    var nodeUpdates = [], edgeUpdates = [];
    var now = new Set();
    nodes.forEach(function (n) {
      var show = isVisible(n.id);
      if (show) now.add(n.id);
      if (show === !!n.hidden) nodeUpdates.push({id: n.id, hidden: !show});
    });
    edges.forEach(function (e) {
      var show = now.has(e.from) && now.has(e.to) && passes("edge", e);
      if (show === !!e.hidden) edgeUpdates.push({id: e.id, hidden: !show});
    });
    visibleNodes = now;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    updateCount();
    drawHistogram();
    // A selection hidden by a filter or a layout (an undated entity off the time axis) keeps its card;
    // when it is shown again it is selected and highlighted again.
    if (selected && !visibleNodes.has(selected)) { network.unselectAll(); }
    else if (selected && network.getSelectedNodes().indexOf(selected) < 0) {
      network.selectNodes([selected]);
      highlightNeighbourhood(selected);
    }
  }
  function updateCount() {
    var shownEdges = edges.get({filter: function (e) { return !e.hidden; }}).length;
    var text = visibleNodes.size === TOTAL_NODES
      ? TOTAL_NODES + " entities · " + edges.length + " relations"
      : visibleNodes.size + " of " + TOTAL_NODES + " entities · " + shownEdges + " relations";
    document.getElementById("count").textContent = text;
  }

  function buildLegend() {
    var list = document.getElementById("classes");
    var groups = {};
    DATA.classes.forEach(function (c) { (groups[c.group] = groups[c.group] || []).push(c); });
    Object.keys(groups).forEach(function (group) {
      list.appendChild(el("div", "group-name", group));
      groups[group].forEach(function (c) {
        var label = el("label", "class-row");
        var box = el("input");
        box.type = "checkbox"; box.checked = true; box.dataset.cls = c.name;
        box.addEventListener("change", function () {
          if (box.checked) enabled.add(c.name); else enabled.delete(c.name);
          label.classList.toggle("off", !box.checked);
          applyFilters();
        });
        label.title = "Show or hide " + c.name;
        label.appendChild(box);
        label.appendChild(swatch(c.name));
        label.appendChild(el("span", "class-name", c.name));
        label.appendChild(el("span", "class-count", c.count));
        list.appendChild(label);
      });
    });
    var rels = document.getElementById("relations");
    DATA.relations.forEach(function (r) {
      var row = el("div", "rel-row");
      row.appendChild(lineSwatch(r));
      row.appendChild(el("span", null, r.name));
      rels.appendChild(row);
    });
  }
  function setAllClasses(on) {
    document.querySelectorAll("#classes input").forEach(function (box) {
      box.checked = on;
      box.parentNode.classList.toggle("off", !on);
      if (on) enabled.add(box.dataset.cls); else enabled.delete(box.dataset.cls);
    });
    applyFilters();
  }

  // a small bar chart of events per year; a click on a bar narrows the range to that year
  function drawHistogram() {
    var box = document.getElementById("histogram");
    clear(box);
    if (!minDate) return;
    var first = +minDate.slice(0, 4), last = +maxDate.slice(0, 4);
    var counts = {}, peak = 1;
    eventDates.forEach(function (e) {
      var y = +e.start.slice(0, 4);
      counts[y] = (counts[y] || 0) + 1; peak = Math.max(peak, counts[y]);
    });
    var lo = (fromInput.value || minDate).slice(0, 4), hi = (toInput.value || maxDate).slice(0, 4);
    for (var y = first; y <= last; y++) {
      var bar = el("button", "bar");
      bar.type = "button";
      var fill = el("span", "fill");
      fill.style.height = Math.round(100 * (counts[y] || 0) / peak) + "%";
      bar.appendChild(fill);
      if (String(y) < lo || String(y) > hi) bar.classList.add("out");
      bar.title = y + ": " + (counts[y] || 0) + " event(s)";
      bar.dataset.year = y;
      bar.addEventListener("click", function (ev) {
        var year = ev.currentTarget.dataset.year;
        fromInput.value = year + "-01-01" < minDate ? minDate : year + "-01-01";
        toInput.value = year + "-12-31" > maxDate ? maxDate : year + "-12-31";
        applyFilters();
      });
      box.appendChild(bar);
    }
    var axis = document.getElementById("axis");
    clear(axis);
    axis.appendChild(el("span", null, first));
    axis.appendChild(el("span", null, last));
  }

  // ------------------------------------------------------------------ highlight
  var selected = null;
  function dimAllBut(keepNodes, keepEdges) {
    var nu = [], eu = [];
    nodes.forEach(function (n) {
      var keep = keepNodes.has(n.id);
      nu.push({id: n.id, color: keep ? BASE_NODE[n.id].color : DIM_NODE});
    });
    edges.forEach(function (e) {
      var keep = keepEdges.has(e.id);
      eu.push({id: e.id, color: keep ? STRONG_EDGE[e.id] : DIM_EDGE,
               width: keep ? Math.max(BASE_EDGE[e.id].width, 1.6) : BASE_EDGE[e.id].width,
               font: keep ? SHOWN_EDGE_FONT : HIDDEN_FONT});
    });
    nodes.update(nu); edges.update(eu);
    runHooks("restyle");
  }
  function restoreAll() {
    if (PATH_MODE) { highlightPaths(); return; }
    emphasis = null;
    var nu = [], eu = [];
    nodes.forEach(function (n) { nu.push({id: n.id, color: BASE_NODE[n.id].color}); });
    edges.forEach(function (e) { eu.push({id: e.id, color: BASE_EDGE[e.id].color, width: BASE_EDGE[e.id].width, font: SHOWN_EDGE_FONT}); });
    nodes.update(nu); edges.update(eu);
    runHooks("restyle");
  }
  function highlightNeighbourhood(id) {
    var keepNodes = new Set([id]);
    var keepEdges = new Set();
    network.getConnectedEdges(id).forEach(function (eid) {
      var e = edges.get(eid);
      keepEdges.add(eid); keepNodes.add(e.from); keepNodes.add(e.to);
    });
    emphasis = keepNodes;
    dimAllBut(keepNodes, keepEdges);
  }
  function highlightPaths() {
    var keepEdges = new Set();
    EDGE_META.forEach(function (m, i) { if (m.path) keepEdges.add(i); });
    emphasis = PATH_NODES;
    dimAllBut(PATH_NODES, keepEdges);
  }

  // ------------------------------------------------------------------ tooltip
  var tip = document.getElementById("tooltip");
  function showTip(lines, pointer) {
    clear(tip);
    lines.forEach(function (line) { tip.appendChild(el(line[0], line[1], line[2])); });
    var rect = container.getBoundingClientRect();
    var x = rect.left + pointer.x + 14, y = rect.top + pointer.y + 14;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = rect.left + pointer.x - w - 14;
    if (y + h > window.innerHeight - 8) y = rect.top + pointer.y - h - 14;
    tip.style.left = Math.max(4, x) + "px"; tip.style.top = Math.max(4, y) + "px";
  }
  // The same numbers as the side panel and `bilateral stats`: entities related, and how many are drawn here.
  function countText(e) {
    var text = "related to " + e.related + " " + (e.related === 1 ? "entity" : "entities");
    if (e.shown < e.related) text += " (" + e.shown + " drawn here)";
    if (e.hedged) text += " + " + e.hedged + " by a hedged link";
    return text;
  }
  function shorten(text, n) { return text && text.length > n ? text.slice(0, n - 1) + "…" : text; }
  network.on("hoverNode", function (params) {
    var e = ENT[params.node];
    var lines = [["div", "tip-title", e.label], ["div", "tip-type", e.types.join(", ") + (e.card.date ? " · " + e.card.date : "")]];
    if (e.description) lines.push(["div", "tip-desc", shorten(e.description, 240)]);
    lines.push(["div", "tip-hint", countText(e) + " · click for the card"]);
    showTip(lines, params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    var e = edges.get(params.edge), m = EDGE_META[params.edge];
    var lines = [["div", "tip-title", e.label], ["div", "tip-type", ENT[e.from].label + " → " + ENT[e.to].label]];
    m.s.forEach(function (n) { lines.push(["div", "tip-desc", "[" + (n + 1) + "] " + SOURCES[n]]); });
    showTip(lines, params.pointer.DOM);
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, function () { tip.hidden = true; }); });
  container.addEventListener("mouseleave", function () { tip.hidden = true; });

  // ------------------------------------------------------------------ side panel
  var panel = document.getElementById("panel-body");
  function linkTo(id, label, type) {
    if (ENT[id]) {
      var a = el("a", "link");
      a.href = "#";
      a.setAttribute("role", "button");
      a.appendChild(swatch(ENT[id].type));
      a.appendChild(document.createTextNode(label));
      a.addEventListener("click", function (ev) { ev.preventDefault(); focusNode(id); });
      return a;
    }
    var span = el("span", "outside", label);
    span.title = (type ? type + "; " : "") + "not in this view";
    return span;
  }
  function showCard(id) {
    var e = ENT[id], c = e.card;
    clear(panel);
    var head = el("div", "card-head");
    var chip = el("span", "chip");
    chip.appendChild(swatch(e.type));
    chip.appendChild(el("span", null, e.types.join(", ")));
    head.appendChild(chip);
    head.appendChild(el("h2", null, e.label));
    head.appendChild(el("div", "curie", c.curie));
    panel.appendChild(head);
    if (!visibleNodes.has(id)) panel.appendChild(el("p", "note", "Hidden by the current filters."));
    if (c.date) panel.appendChild(el("div", "date", c.date));
    var names = [];
    Object.keys(c.labels).forEach(function (lang) { if (lang !== "en") names.push(c.labels[lang] + " (" + lang + ")"); });
    c.aliases.forEach(function (a) { if (names.indexOf(a) < 0) names.push(a); });
    if (names.length) panel.appendChild(el("div", "aliases", "also: " + names.join(" · ")));
    if (c.description) panel.appendChild(el("p", "description", c.description));
    Object.keys(c.facts).forEach(function (name) {
      c.facts[name].forEach(function (f) {
        var p = el("p", "fact");
        p.appendChild(el("span", "fact-name", name));
        p.appendChild(el("span", name === "quote" ? "quote" : null, name === "quote" ? "“" + f.value + "”" : f.value));
        p.appendChild(sourceRefs(f.s));
        panel.appendChild(p);
      });
    });
    if (c.lifecycle && c.lifecycle.length) {  // status history of an accord or measure, latest last
      var last = c.lifecycle[c.lifecycle.length - 1];
      panel.appendChild(el("h3", null, "Status: " + last.status + " (since " + last.date + ")"));
      var statusList = el("ol", "lifecycle");
      c.lifecycle.forEach(function (step) {
        var li = el("li");
        li.appendChild(el("span", "fact-name", step.status));
        li.appendChild(el("span", null, step.date + (step.by.length ? " · " + step.by.join("; ") : "")));
        li.appendChild(sourceRefs(step.s));
        statusList.appendChild(li);
      });
      panel.appendChild(statusList);
    }
    // relations grouped by predicate and direction
    var groups = [], byKey = {};
    c.relations.forEach(function (r) {
      var key = r.d + " " + r.p;
      if (!byKey[key]) { byKey[key] = {title: r.d === "out" ? r.p + " →" : "← " + r.p, items: []}; groups.push(byKey[key]); }
      byKey[key].items.push(r);
    });
    if (groups.length) {
      panel.appendChild(el("h3", "relations-head", "Relations · " + countText(e)));
      if (e.shown < e.related) {
        panel.appendChild(el("p", "count-note", (e.related - e.shown) + " of them not drawn on this page: sources, statuses "
                                          + "or entities outside this view."));
      }
    }
    groups.forEach(function (g) {
      var section = el("div", "rel-group");
      section.appendChild(el("div", "rel-title", g.title + " (" + g.items.length + ")"));
      var ul = el("ul");
      g.items.forEach(function (r) {
        var li = el("li");
        if (r.more) {
          li.appendChild(el("span", "muted", "… and " + r.more + " more not on this page"));
        } else {
          li.appendChild(linkTo(r.o, r.l || (ENT[r.o] ? ENT[r.o].label : r.o), r.t));
          li.appendChild(sourceRefs(r.s));
        }
        ul.appendChild(li);
      });
      section.appendChild(ul);
      panel.appendChild(section);
    });
    if (c.sources.length) {
      panel.appendChild(el("h3", null, "Sources"));
      var ol = el("ol", "sources");
      c.sources.forEach(function (n) {
        var li = el("li");
        li.appendChild(el("span", "ref", String(n + 1)));
        li.appendChild(el("span", null, SOURCES[n]));
        ol.appendChild(li);
      });
      panel.appendChild(ol);
    }
    runHooks("card", [id, panel]);
    panel.scrollTop = 0;
  }
  function showOverview() {
    clear(panel);
    runHooks("card", [null, panel]);
    panel.appendChild(el("h2", null, PATH_MODE ? DATA.title : "Overview"));
    panel.appendChild(el("p", "description", DATA.description));
    if (PATH_MODE) {
      DATA.paths.forEach(function (path, i) {
        var section = el("div", "path");
        section.appendChild(el("div", "rel-title", "Path " + (i + 1) + " · " + path.length + " hop(s)"));
        var ol = el("ol", "hops");
        path.hops.forEach(function (hop, h) {
          if (h === 0) { var first = el("li", "hop-node"); first.appendChild(linkTo(hop.from.iri, hop.from.label)); ol.appendChild(first); }
          var rel = el("li", "hop-rel");
          rel.appendChild(el("span", "hop-arrow", hop.direction === "forward" ? "↓" : "↑"));
          rel.appendChild(el("span", null, hop.relation));
          if (hop.date) rel.appendChild(el("span", "hop-date", hop.date));
          var refs = [];
          hop.sources.forEach(function (label) { var n = SOURCES.indexOf(label); if (n >= 0) refs.push(n); });
          rel.appendChild(sourceRefs(refs));
          rel.title = hop.direction === "forward"
            ? hop.from.label + " " + hop.relation + " " + hop.to.label
            : hop.to.label + " " + hop.relation + " " + hop.from.label;
          ol.appendChild(rel);
          var node = el("li", "hop-node");
          node.appendChild(linkTo(hop.to.iri, hop.to.label));
          ol.appendChild(node);
        });
        section.appendChild(ol);
        panel.appendChild(section);
      });
    }
    panel.appendChild(el("h3", null, "Most connected"));
    var ul = el("ul", "top");
    Object.keys(ENT).sort(function (a, b) { return ENT[b].related - ENT[a].related || (a < b ? -1 : 1); })
      .slice(0, 12).forEach(function (id) {
        var li = el("li");
        li.appendChild(linkTo(id, ENT[id].label));
        var n = el("span", "degree", ENT[id].related);
        n.title = "related to " + ENT[id].related + " entities (as bilateral stats counts)";
        li.appendChild(n);
        ul.appendChild(li);
      });
    panel.appendChild(ul);
    panel.appendChild(el("h3", null, "How to read it"));
    var help = el("ul", "help");
    ["Hover a node or a line for a summary; click a node to frame it and see its card.",
     "Colour and shape give the class (legend, left); size gives how connected it is.",
     "Names never overlap: the most important come first; zoom in to see more, and the relation on each line.",
     "“Related to N entities” counts as bilateral stats does; “drawn here” says how many this page shows.",
     "Coloured lines are responses, retaliations, reversals and mediation.",
     "Search finds names and aliases in English, Korean and Japanese."].forEach(function (t) { help.appendChild(el("li", null, t)); });
    panel.appendChild(help);
    if (SOURCES.length) {
      panel.appendChild(el("h3", null, "Sources"));
      var ol = el("ol", "sources");
      SOURCES.forEach(function (s, n) {
        var li = el("li");
        li.appendChild(el("span", "ref", String(n + 1)));
        li.appendChild(el("span", null, s));
        ol.appendChild(li);
      });
      panel.appendChild(ol);
    }
  }

  // ------------------------------------------------------------------ selection and focus
  function select(id) {
    selected = id;
    highlightNeighbourhood(id);
    showCard(id);
  }
  function deselect() {
    selected = null;
    restoreAll();
    showOverview();
  }
  function focusNode(id) {
    if (!ENT[id]) return;
    network.selectNodes([id]);
    select(id);
    // frame the entity with its neighbourhood, not closer than the overview nor absurdly close
    var around = Array.from(emphasis || [id]).filter(function (n) { return visibleNodes.has(n); });
    if (around.indexOf(id) < 0) around.push(id);
    delete document.body.dataset.focused;
    network.once("animationFinished", function () { document.body.dataset.focused = id; });
    network.fit({nodes: around, minZoomLevel: fitScale, maxZoomLevel: 0.5,
                 animation: {duration: 450, easingFunction: "easeInOutQuad"}});
  }
  // A click selects and frames the entity with its neighbourhood; its name and its neighbours' stay drawn.
  network.on("click", function (params) {
    tip.hidden = true;
    if (params.nodes.length) focusNode(params.nodes[0]);
    else if (!params.edges.length) deselect();
  });

  // ------------------------------------------------------------------ search
  var INDEX = Object.keys(ENT).map(function (id) {
    var c = ENT[id].card, names = [ENT[id].label];
    Object.keys(c.labels).forEach(function (lang) { if (names.indexOf(c.labels[lang]) < 0) names.push(c.labels[lang]); });
    c.aliases.forEach(function (a) { if (names.indexOf(a) < 0) names.push(a); });
    return {id: id, names: names, keys: names.map(norm)};
  });
  var searchBox = document.getElementById("search");
  var results = document.getElementById("results");
  var hits = [], active = 0;
  function score(q, name) {
    if (!q || !name) return 0;
    if (name === q) return 1;
    if (name.indexOf(q) === 0) return 0.9;
    var words = q.split(" ");
    if (words.length > 1 && words.every(function (w) { return name.split(" ").indexOf(w) >= 0; })) return 0.8;
    if (name.indexOf(q) >= 0) return 0.75;
    return Math.round(700 * similarity(q, name)) / 1000;  // typos and romanisations, as the CLI's difflib ratio
  }
  // 2 * (longest common subsequence) / (total length): close to difflib's ratio, which `bilateral search` uses.
  function similarity(a, b) {
    var prev = new Array(b.length + 1).fill(0), cur;
    for (var i = 1; i <= a.length; i++) {
      cur = [0];
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      prev = cur;
    }
    return 2 * prev[b.length] / (a.length + b.length);
  }
  function runSearch() {
    var q = norm(searchBox.value);
    hits = [];
    if (q) {
      INDEX.forEach(function (item) {
        var best = 0, matched = "";
        item.keys.forEach(function (k, i) { var s = score(q, k); if (s > best) { best = s; matched = item.names[i]; } });
        if (best >= 0.35) hits.push({id: item.id, score: best, matched: matched});
      });
      hits.sort(function (a, b) { return b.score - a.score || ENT[b.id].degree - ENT[a.id].degree; });
      hits = hits.slice(0, 12);
    }
    active = 0;
    drawResults(q);
  }
  function drawResults(q) {
    clear(results);
    if (!q) { results.hidden = true; return; }
    if (!hits.length) { results.appendChild(el("li", "none", "no match")); results.hidden = false; return; }
    hits.forEach(function (h, i) {
      var li = el("li", i === active ? "active" : null);
      li.setAttribute("role", "option");
      li.appendChild(swatch(ENT[h.id].type));
      var text = el("span", "hit");
      text.appendChild(el("span", "hit-label", ENT[h.id].label));
      if (h.matched !== ENT[h.id].label) text.appendChild(el("span", "hit-alias", h.matched));
      li.appendChild(text);
      li.appendChild(el("span", "hit-type", ENT[h.id].type));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(i) {
    var h = hits[i];
    if (!h) return;
    results.hidden = true;
    searchBox.value = ENT[h.id].label;
    focusNode(h.id);
  }
  searchBox.addEventListener("input", runSearch);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); drawResults(norm(searchBox.value)); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); drawResults(norm(searchBox.value)); ev.preventDefault(); }
    else if (ev.key === "Enter") { choose(active); ev.preventDefault(); }
    else if (ev.key === "Escape") { results.hidden = true; }
  });
  searchBox.addEventListener("blur", function () { results.hidden = true; });
  searchBox.addEventListener("focus", function () { if (searchBox.value) runSearch(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== searchBox) { searchBox.focus(); ev.preventDefault(); }
  });

  // ------------------------------------------------------------------ reset and start
  function reset() {
    searchBox.value = ""; results.hidden = true;
    if (minDate) { fromInput.value = minDate; toInput.value = maxDate; }
    setAllClasses(true);
    network.unselectAll();
    deselect();
    overview(true);
  }
  document.getElementById("reset").addEventListener("click", reset);
  document.getElementById("all-classes").addEventListener("click", function () { setAllClasses(true); });
  document.getElementById("no-classes").addEventListener("click", function () { setAllClasses(false); });
  [fromInput, toInput, asofMode, asofInput].forEach(function (input) { input.addEventListener("change", applyFilters); });
  if (maxDate) asofInput.value = maxDate;
  buildStatusLegend();
  document.getElementById("relayout").addEventListener("click", function () {
    // Lay out again only what is shown: hidden nodes are pinned where they are meanwhile.
    var pinned = nodes.get({filter: function (n) { return n.hidden; }}).map(function (n) { return {id: n.id, fixed: true}; });
    nodes.update(pinned);
    network.setOptions({physics: {enabled: true, solver: "forceAtlas2Based", stabilization: {iterations: 200}}});
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      nodes.update(pinned.map(function (n) { return {id: n.id, fixed: false}; }));
      network.fit();
    });
    network.stabilize(200);
  });
  document.getElementById("all-time").addEventListener("click", function () {
    if (minDate) { fromInput.value = minDate; toInput.value = maxDate; applyFilters(); }
  });

  // ------------------------------------------------------------------ names: drawn here, never overlapping
  // The most important entities are named first (lines drawn × a weight by kind: states, issues,
  // accords and events carry the story; positions, offices and observations are many and alike);
  // a name that would overlap one already drawn is skipped, and more names fit as one zooms in.
  // With a selection (or a path) the selected entity is named first, always, then its neighbours;
  // the dimmed ones not at all.
  var KIND_WEIGHT = {State: 4, Issue: 2, Accord: 2, Declaration: 2, Cluster: 1.5, Person: 1, Organization: 0.8,
                     Office: 0.5, Position: 0.4, Interpretation: 0.4, Proposal: 0.5, Observation: 0.4};
  function importance(id) {
    var e = ENT[id], w = KIND_WEIGHT[e.type];
    if (w === undefined) w = e.event ? 2.2 : 1;
    return w * e.degree;
  }
  var IMPORTANCE = {};
  Object.keys(ENT).forEach(function (id) { IMPORTANCE[id] = importance(id); });
  var ORDER = Object.keys(ENT).sort(function (a, b) { return IMPORTANCE[b] - IMPORTANCE[a] || (a < b ? -1 : 1); });
  var RANK = {};
  ORDER.forEach(function (id, i) { RANK[id] = i; });
  var SIZE = {};
  DATA.network.nodes.forEach(function (n) { SIZE[n.id] = n.size; });
  var LABEL_FONT = getComputedStyle(document.body).fontFamily;
  var emphasis = null;
  var fitScale = 1;
  var widths = {};
  function labelText(id) { var t = ENT[id].label; return t.length > 48 ? t.slice(0, 47) + "…" : t; }
  function labelPx(id) { var r = RANK[id]; return r < 8 ? 15 : r < 30 ? 13 : 12; }
  function textWidth(ctx, text, bold) {
    var key = (bold ? "b" : "n") + text;
    if (!(key in widths)) { ctx.font = (bold ? "600 " : "") + "10px " + LABEL_FONT; widths[key] = ctx.measureText(text).width / 10; }
    return widths[key];
  }
  var LONERS = Object.keys(ENT).filter(function (id) { return ENT[id].degree === 0; });
  function drawLonersCaption(ctx, positions, scale) {
    var shown = LONERS.filter(function (id) { return visibleNodes.has(id) && positions[id]; });
    if (!shown.length) return;
    var x = Math.min.apply(null, shown.map(function (id) { return positions[id].x; }));
    var y = Math.min.apply(null, shown.map(function (id) { return positions[id].y; }));
    ctx.font = "italic " + 12 / scale + "px " + LABEL_FONT;
    ctx.textAlign = "left"; ctx.textBaseline = "bottom";
    ctx.fillStyle = "#9ca3af";
    ctx.fillText(shown.length + " without relations in this view", x - 8 / scale, y - 16 / scale);
  }
  function cellsOf(cell, box) {
    var keys = [];
    for (var gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++) {
      for (var gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) keys.push(gx + "," + gy);
    }
    return keys;
  }
  function clashes(grid, cell, box) {
    return cellsOf(cell, box).some(function (key) {
      return (grid[key] || []).some(function (o) { return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]; });
    });
  }
  function occupy(grid, cell, box) {
    cellsOf(cell, box).forEach(function (key) { (grid[key] = grid[key] || []).push(box); });
  }
  var namesShown = true;  // a feature script that draws names its own way turns these off
  // Names a feature script fades with their nodes (framings.js: claims only others make): drawn pale,
  // and only after every full-strength name has its place, so they never push one out.
  var fadedNames = new Set();
  function fadeNames(ids) { fadedNames = new Set(ids); network.redraw(); }
  network.on("afterDrawing", function (ctx) {
    if (!namesShown) return;
    var scale = network.getScale(), centre = network.getViewPosition();
    var halfW = container.clientWidth / scale / 2, halfH = container.clientHeight / scale / 2;
    var positions = network.getPositions();
    var budget = scale >= fitScale * 3 ? Infinity : Math.round(26 * Math.pow(scale / fitScale, 2));
    var cell = 120 / scale, grid = {}, drawn = 0;
    var list = emphasis ? Array.from(emphasis).sort(function (a, b) {
      return (b === selected) - (a === selected) || RANK[a] - RANK[b];
    }) : ORDER;
    if (fadedNames.size) {
      list = list.filter(function (id) { return !fadedNames.has(id); })
        .concat(list.filter(function (id) { return fadedNames.has(id); }));
    }
    var placed = [];
    ctx.save();
    drawLonersCaption(ctx, positions, scale);
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
    for (var k = 0; k < list.length; k++) {
      var id = list[k], p = positions[id];
      if (!p || !visibleNodes.has(id)) continue;
      if (!emphasis && drawn >= budget) break;
      var always = id === selected;
      if (!always && (Math.abs(p.x - centre.x) > halfW + 200 / scale || Math.abs(p.y - centre.y) > halfH + 100 / scale)) continue;
      var px = labelPx(id), bold = RANK[id] < 8 || (emphasis && id === selected);
      var text = labelText(id), size = px / scale;
      var w = textWidth(ctx, text, bold) * size, top = p.y + SIZE[id] + 3 / scale;
      var box = [p.x - w / 2 - 3 / scale, top, p.x + w / 2 + 3 / scale, top + size * 1.25];
      if (clashes(grid, cell, box)) {
        top = p.y - SIZE[id] - 3 / scale - size * 1.25;  // try above the node
        box = [box[0], top, box[2], top + size * 1.25];
        if (clashes(grid, cell, box) && !always) continue;
      }
      occupy(grid, cell, box);
      var faded = fadedNames.has(id) && !always;
      ctx.globalAlpha = faded ? 0.3 : 1;
      ctx.font = (bold ? "600 " : "") + size + "px " + LABEL_FONT;
      ctx.lineWidth = 4 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.95)";
      ctx.strokeText(text, p.x, top);
      ctx.fillStyle = RANK[id] < 8 ? "#111827" : "#374151";
      ctx.fillText(text, p.x, top);
      ctx.globalAlpha = 1;
      placed.push({id: id, text: text, box: box, faded: faded});
      drawn++;
    }
    ctx.restore();
    LABELS = placed;
  });
  var LABELS = [];
  // The names drawn in the last frame, with their boxes in page (DOM) pixels: for tests and feature scripts.
  function drawnLabels() {
    return LABELS.map(function (l) {
      var a = network.canvasToDOM({x: l.box[0], y: l.box[1]}), b = network.canvasToDOM({x: l.box[2], y: l.box[3]});
      return {id: l.id, text: l.text, box: [a.x, a.y, b.x, b.y], faded: l.faded};
    });
  }

  buildLegend();
  applyFilters();
  function overview(animate) {
    network.fit({animation: false});
    fitScale = network.getScale() * 0.85;  // leave room at the rim for names
    network.moveTo({scale: fitScale, animation: animate ? {duration: 400, easingFunction: "easeInOutQuad"} : false});
  }
  overview(false);
  if (PATH_MODE) highlightPaths();
  if (DATA.focus && ENT[DATA.focus]) {
    network.selectNodes([DATA.focus]);
    select(DATA.focus);
  } else {
    showOverview();
  }
  network.once("afterDrawing", function () {
    document.body.dataset.drawnMs = String(Math.round(performance.now() - started));
    document.body.dataset.ready = "1";
  });
  network.redraw();
  // The page's API for feature scripts (static/*.js after this one) and for tests.
  window.explorer = {network: network, nodes: nodes, edges: edges, focus: focusNode, select: select,
                     data: DATA, controls: document.getElementById("features"), hooks: HOOKS,
                     visibleCount: function () { return visibleNodes.size; }, labels: drawnLabels, fadeNames: fadeNames,
                     selected: function () { return selected; },
                     statusOf: function (id) { var n = nodes.get(id); return n ? n.status || null : null; }};
  // Hooks for a feature script that lays the page out its own way (static/story.js): extra filters
  // (kind "node": fn(id), "edge": fn(edge) → false hides), re-filtering, re-framing, names on or off.
  Object.assign(window.explorer, {
    addFilter: function (kind, keep) { extraFilters[kind].push(keep); },
    refilter: applyFilters, overview: overview, emphasis: function () { return emphasis; },
    isVisible: function (id) { return visibleNodes.has(id); },
    showNames: function (on) { namesShown = on; }  // takes effect at the next draw
  });
})();
