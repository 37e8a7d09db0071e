// The time layout ("story layout") of the explorer page: dated things on a time axis, in lanes by issue or
// by actor, response links as arrows running forward in time.  The positions come from Python
// (graph/page/storylayout.py, in DATA.story); this script moves the nodes there and back, draws the lanes,
// the year ticks, each thing's period and its name, and hides what is undated.  Inlined after explorer.js.
(function () {
  "use strict";
  var X = window.explorer;
  if (!X || !X.data.story) return;
  var DATA = X.data, S = DATA.story, network = X.network, nodes = X.nodes, edges = X.edges;
  var ENT = DATA.entities, META = DATA.edges, BOUNDS = new Set(S.bounds);
  var container = document.getElementById("network");
  var FONT_FAMILY = getComputedStyle(document.body).fontFamily;
  //: the relations that carry the story: drawn in the time layout, every other line is hidden there
  var STORY_KINDS = {response: true, retaliation: true, reversal: true, interpreted: true};
  var HOME = {};  // each node's place, size and arrows in the network layout, to go back to
  DATA.network.nodes.forEach(function (n) { HOME[n.id] = {x: n.x, y: n.y, size: n.size}; });
  var ARROWS = {}, WIDTH = {};  // each line's arrows and width in the network layout
  edges.forEach(function (e) { ARROWS[e.id] = e.arrows; WIDTH[e.id] = e.width; });
  var layout = "network", lanes = S.modes[0], moving = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // ------------------------------------------------------------------ what the time layout shows
  X.addFilter("node", function (id) { return layout !== "time" || id in S.dates; });
  X.addFilter("edge", function (e) { return layout !== "time" || !!STORY_KINDS[META[e.id].kind]; });

  // how much each dated thing matters for naming it first: its story links, then its degree
  var STORY_LINKS = {};
  META.forEach(function (m, i) {
    if (!STORY_KINDS[m.kind]) return;
    var e = DATA.network.edges[i];
    STORY_LINKS[e.from] = (STORY_LINKS[e.from] || 0) + 1;
    STORY_LINKS[e.to] = (STORY_LINKS[e.to] || 0) + 1;
  });
  var DATED = Object.keys(S.dates).filter(function (id) { return ENT[id]; });
  DATED.sort(function (a, b) {
    return (STORY_LINKS[b] || 0) - (STORY_LINKS[a] || 0) || ENT[b].degree - ENT[a].degree || (a < b ? -1 : 1);
  });

  // ------------------------------------------------------------------ moving between layouts
  function targetOf(id, mode) {
    if (mode === "network") return HOME[id];
    var p = S.positions[lanes][id];
    return p ? {x: p[0], y: p[1], size: S.node} : null;
  }
  function edgeStyle(mode) {
    var updates = [];
    edges.forEach(function (e) {
      if (!STORY_KINDS[META[e.id].kind]) return;
      if (mode === "time") {  // forward in time: the arrowhead at the later thing, lines bent to pass rows
        var scaleFactor = ARROWS[e.id] && ARROWS[e.id].to ? ARROWS[e.id].to.scaleFactor : 0.9;
        updates.push({id: e.id, arrows: {to: {enabled: false}, from: {enabled: true, scaleFactor: scaleFactor}},
                      smooth: {enabled: true, type: "curvedCW", roundness: 0.08}});
      } else {
        updates.push({id: e.id, arrows: ARROWS[e.id], smooth: {enabled: false}, width: WIDTH[e.id]});
        widenedFor = null;
      }
    });
    edges.update(updates);
  }
  function place(mode, animate, done) {
    var ids = mode === "time" ? DATED : Object.keys(HOME);
    var from = network.getPositions(ids), to = {}, moved = [];
    ids.forEach(function (id) { var t = targetOf(id, mode); if (t) { to[id] = t; moved.push(id); } });
    if (moving) moving.cancel();
    var run = {over: false, frame: null, timer: null};
    run.cancel = function () { run.over = true; cancelAnimationFrame(run.frame); clearTimeout(run.timer); };
    function finish() {
      if (run.over) return;
      run.cancel();
      moving = null;
      nodes.update(moved.map(function (id) { return {id: id, x: to[id].x, y: to[id].y, size: to[id].size}; }));
      if (done) done();
    }
    sizedFor = null;
    if (!animate || moved.length > 1500) { finish(); return; }
    moving = run;
    var start = performance.now(), duration = 420;
    nodes.update(moved.map(function (id) { return {id: id, size: to[id].size}; }));
    function frame() {
      var t = Math.min(1, Math.max(0, (performance.now() - start) / duration));
      var k = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
      if (t >= 1 || run.over) { finish(); return; }
      nodes.update(moved.map(function (id) {
        var a = from[id] || to[id];
        return {id: id, x: a.x + (to[id].x - a.x) * k, y: a.y + (to[id].y - a.y) * k};
      }));
      run.frame = requestAnimationFrame(frame);
    }
    run.frame = requestAnimationFrame(frame);
    run.timer = setTimeout(finish, duration + 400);  // frames may be throttled (a hidden tab): land anyway
  }
  function setLayout(mode, lanesMode, animate) {
    var wasTime = layout === "time";
    layout = mode;
    if (lanesMode) lanes = lanesMode;
    document.body.dataset.layout = "";  // set again once the nodes are in place
    X.refilter();
    if ((mode === "time") !== wasTime) edgeStyle(mode);
    X.showNames(mode !== "time");
    relayout.disabled = mode === "time";
    syncControls();
    place(mode, animate, function () {
      if (mode === "time") fitTime(animate); else X.overview(animate);
      document.body.dataset.layout = mode === "time" ? "time-" + lanes : "network";
    });
  }

  // The whole axis and every lane in view, with a margin at the left for the lane titles and at the top
  // for the years (both drawn at a fixed size on screen).
  var TITLE_PX = 190, TOP_PX = 26, PAD_PX = 16, MIN_FONT_PX = 10.5;
  var MAX_ROOM = Math.max.apply(null, [0].concat(Object.keys(S.label_width).map(function (id) { return S.label_width[id]; })));
  var LABEL_PX = MAX_ROOM * MIN_FONT_PX / S.font;
  function fitTime(animate) {
    var w = container.clientWidth, h = container.clientHeight, right = 1;
    Object.keys(S.positions[lanes]).forEach(function (id) { right = Math.max(right, S.positions[lanes][id][0]); });
    // the last names end after the last node: at most MAX_LABEL_PX on screen when zoomed out
    var scale = Math.min((w - TITLE_PX - 2 * PAD_PX - LABEL_PX) / right, (h - TOP_PX - 2 * PAD_PX) / Math.max(lastBottom(), 1));
    if (scale >= MIN_FONT_PX / S.font) {  // names at their own size: what the layout keeps for them is enough
      scale = Math.min(1.2, (w - TITLE_PX - 2 * PAD_PX) / (right + S.node + 4 + MAX_ROOM), (h - TOP_PX - 2 * PAD_PX) / Math.max(lastBottom(), 1));
    }
    scale = Math.max(scale, 0.02);
    var left = -(TITLE_PX + PAD_PX) / scale, top = -(TOP_PX + PAD_PX) / scale;
    network.moveTo({position: {x: left + w / scale / 2, y: top + h / scale / 2}, scale: scale,
                    animation: animate ? {duration: 400, easingFunction: "easeInOutQuad"} : false});
    sizeNodes(scale);
    atFit = true;
  }
  // While the view is as fitTime left it, a new window size fits it again; a zoom or a drag keeps the reader's view.
  var atFit = false;
  network.on("resize", function () { if (layout === "time" && atFit && !moving) fitTime(false); });
  network.on("dragEnd", function () { atFit = false; });
  // Nodes keep a visible size when zoomed out (in layout units they are small, to leave room for names).
  var sizedFor = null;
  function sizeFor(scale) {  // in steps, so that a zoom changes it a few times, not on every frame
    var size = Math.min(Math.max(S.node, 3.5 / scale), 2.2 * S.node);
    return Math.round(size * 4) / 4;
  }
  function sizeNodes(scale) {
    if (layout !== "time" || moving) return;
    var size = sizeFor(scale);
    if (size === sizedFor) return;
    sizedFor = size;
    nodes.update(DATED.map(function (id) { return {id: id, size: size}; }));
  }
  network.on("zoom", function (params) { atFit = false; sizeNodes(params.scale); });
  // The story's links keep a visible width when zoomed out (after a selection restyles them too).
  var STORY_EDGES = [];
  edges.forEach(function (e) { if (STORY_KINDS[META[e.id].kind]) STORY_EDGES.push(e.id); });
  var widening = false, widenedFor = null;
  function widenLinks(scale) {  // checked once per zoom step and selection, not on every frame
    var key = sizeFor(scale);
    if (widening || (widenedFor && widenedFor[0] === key && widenedFor[1] === X.emphasis())) return;
    widenedFor = [key, X.emphasis()];
    var updates = [];
    STORY_EDGES.forEach(function (id) {
      var e = edges.get(id), want = Math.round(4 * Math.min(Math.max(WIDTH[id], 1.4 / scale), 3 * WIDTH[id])) / 4;
      if (Math.abs(e.width - want) > 0.01) updates.push({id: id, width: want});
    });
    if (!updates.length) return;
    widening = true;
    requestAnimationFrame(function () { edges.update(updates); widening = false; });
  }

  // ------------------------------------------------------------------ drawing: lanes, axis, periods, names
  function view() {
    var scale = network.getScale(), centre = network.getViewPosition();
    var halfW = container.clientWidth / scale / 2, halfH = container.clientHeight / scale / 2;
    return {scale: scale, left: centre.x - halfW, right: centre.x + halfW, top: centre.y - halfH, bottom: centre.y + halfH};
  }
  function lastBottom() {
    var list = S.lanes[lanes];
    return list.length ? list[list.length - 1].bottom : 0;
  }
  network.on("beforeDrawing", function (ctx) {
    if (layout !== "time" || moving) return;
    var v = view(), s = v.scale, list = S.lanes[lanes];
    var left = Math.min(-60, v.left), right = Math.max(S.axis[lanes].width + 240, v.right), bottom = lastBottom();
    if (sizeFor(s) !== sizedFor) requestAnimationFrame(function () { sizeNodes(network.getScale()); });
    widenLinks(s);
    ctx.save();
    list.forEach(function (lane, i) {  // bands
      ctx.fillStyle = i % 2 ? "rgba(241,243,246,0.9)" : "rgba(255,255,255,0.9)";
      ctx.fillRect(left, lane.top, right - left, lane.bottom - lane.top);
    });
    S.axis[lanes].breaks.forEach(function (b) {  // runs of empty years, shrunk
      ctx.fillStyle = "rgba(226,229,234,0.7)";
      ctx.fillRect(b[0], -24 / s, b[1] - b[0], bottom + 24 / s);
    });
    ctx.lineWidth = 1 / s;
    S.axis[lanes].ticks.forEach(function (t) {  // a line at each 1 January
      ctx.strokeStyle = "rgba(148,156,168,0.45)";
      ctx.beginPath(); ctx.moveTo(t[1], -6 / s); ctx.lineTo(t[1], bottom); ctx.stroke();
    });
    ctx.restore();
    drawPeriods(ctx, s);
  });
  var COLOUR = {};  // each node's class colour (read once: DataSet.get copies the item)
  nodes.forEach(function (n) { COLOUR[n.id] = (n.color && n.color.background) || n.color || "#9aa1ab"; });
  function colourOf(id) { return COLOUR[id] || "#9aa1ab"; }
  function drawPeriods(ctx, s) {
    var positions = network.getPositions(DATED), emphasis = X.emphasis();
    ctx.save();
    DATED.forEach(function (id) {
      var p = positions[id], bar = S.bar[lanes][id];
      if (!p || !X.isVisible(id)) return;
      var open = S.open[id], a = bar[0], b = bar[1];
      if (open === "after") b = a + 60;  // "after …": a fading stub
      if (open === "before") { b = a; a = a - 60; }
      if (b - a < 3) return;  // a day: the node itself
      var y = p.y + S.node + 3, faint = emphasis && !emphasis.has(id);
      var gradient = ctx.createLinearGradient(a, 0, b, 0), colour = colourOf(id);
      gradient.addColorStop(0, open === "before" ? "rgba(0,0,0,0)" : colour);
      gradient.addColorStop(1, open === "after" ? "rgba(0,0,0,0)" : colour);
      ctx.globalAlpha = faint ? 0.12 : 0.45;
      ctx.fillStyle = gradient;
      if (BOUNDS.has(id)) {  // bounds, not a date: a dotted bar
        for (var d = a; d < b; d += 6 / s) ctx.fillRect(d, y, Math.min(3 / s, b - d), Math.max(2.5, 2 / s));
      } else {
        ctx.fillRect(a, y, b - a, Math.max(2.5, 2 / s));
      }
      ctx.fillRect(a, y - 2, Math.max(1.2, 1 / s), 6);
      if (!open) ctx.fillRect(b - Math.max(1.2, 1 / s), y - 2, Math.max(1.2, 1 / s), 6);
    });
    ctx.restore();
  }
  var widths = {};
  function fitted(ctx, id, room) {  // the name, shortened to the room the layout kept for it
    var key = id + "|" + room;
    if (key in widths) return widths[key];
    var text = ENT[id].label;
    ctx.font = S.font + "px " + FONT_FAMILY;
    if (ctx.measureText(text).width > room) {
      while (text.length > 1 && ctx.measureText(text + "…").width > room) text = text.slice(0, -1);
      text = text.replace(/\s+$/, "") + "…";
    }
    widths[key] = text;
    return text;
  }
  function clashes(boxes, box) {
    return boxes.some(function (o) { return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]; });
  }
  network.on("afterDrawing", function (ctx) {
    if (layout !== "time" || moving) return;
    var v = view(), s = v.scale;
    // names: at the layout's size they never overlap; zoomed out, the most important first, none over another
    var size = Math.max(S.font, MIN_FONT_PX / s), grow = size / S.font, emphasis = X.emphasis(), boxes = [];
    var positions = network.getPositions(DATED);
    ctx.save();
    ctx.textBaseline = "middle"; ctx.textAlign = "left"; ctx.lineJoin = "round";
    var order = emphasis ? DATED.filter(function (id) { return emphasis.has(id); }) : DATED;
    order.forEach(function (id) {
      var p = positions[id];
      if (!p || !X.isVisible(id)) return;
      var x = p.x + S.node + 4, room = S.label_width[id];
      if (x > v.right || x + room * grow < v.left || p.y < v.top - size || p.y > v.bottom + size) return;
      var text = fitted(ctx, id, room);
      var box = [x, p.y - size * 0.6, x + room * grow, p.y + size * 0.6];
      if (grow > 1.01 && clashes(boxes, box)) return;
      boxes.push(box);
      ctx.font = size + "px " + FONT_FAMILY;
      ctx.lineWidth = 3.5 / s;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, x, p.y);
      ctx.fillStyle = (STORY_LINKS[id] ? "#111827" : "#374151");
      ctx.fillText(text, x, p.y);
    });
    drawAxis(ctx, v);
    drawLaneTitles(ctx, v);
    ctx.restore();
  });
  function drawAxis(ctx, v) {  // year labels, kept at the top of the view when scrolled down
    var s = v.scale, y = Math.max(-8 / s, v.top + 4 / s), px = 12 / s;
    ctx.font = "600 " + px + "px " + FONT_FAMILY;
    ctx.textBaseline = "top"; ctx.textAlign = "left";
    var counts = S.axis[lanes].counts, taken = [];
    var ticks = S.axis[lanes].ticks.slice().sort(function (a, b) { return counts[b[0]] - counts[a[0]] || a[0] - b[0]; });
    ticks.forEach(function (t) {  // the busiest years are named first; a name that would touch another is left out
      var text = String(t[0]), w = ctx.measureText(text).width, x = t[1] + 3 / s;
      if (taken.some(function (o) { return x < o[1] + 6 / s && o[0] < x + w + 6 / s; })) return;
      taken.push([x, x + w]);
      ctx.lineWidth = 3 / s; ctx.strokeStyle = "rgba(255,255,255,0.95)"; ctx.strokeText(text, x, y);
      ctx.fillStyle = counts[t[0]] ? "#4b5563" : "#9ca3af"; ctx.fillText(text, x, y);
    });
    S.axis[lanes].breaks.forEach(function (b) {
      ctx.fillStyle = "#6b7280";
      ctx.fillText("≈", (b[0] + b[1]) / 2 - 4 / s, y + 14 / s);
    });
  }
  var titleLines = {};
  function wrapTitle(ctx, text, room) {  // at most two lines in `room` px, the second shortened with "…"
    if (titleLines[text]) return titleLines[text];
    var words = text.split(" "), lines = [""];
    words.forEach(function (word) {
      var line = lines[lines.length - 1], next = line ? line + " " + word : word;
      if (ctx.measureText(next).width <= room || !line) lines[lines.length - 1] = next;
      else lines.push(word);
    });
    if (lines.length > 2) lines = [lines[0], lines.slice(1).join(" ")];
    if (lines.length === 2 && ctx.measureText(lines[1]).width > room) {
      var rest = lines[1];
      while (rest.length > 1 && ctx.measureText(rest + "…").width > room) rest = rest.slice(0, -1);
      lines[1] = rest + "…";
    }
    titleLines[text] = lines;
    return lines;
  }
  function shortened(ctx, text, room) {
    if (ctx.measureText(text).width <= room) return text;
    while (text.length > 1 && ctx.measureText(text + "…").width > room) text = text.slice(0, -1);
    return text + "…";
  }
  function drawLaneTitles(ctx, v) {  // each lane's title, kept at the left of the view when scrolled right
    var s = v.scale, px = 11.5, x = v.left + 8 / s;
    ctx.textBaseline = "top"; ctx.textAlign = "left";
    S.lanes[lanes].forEach(function (lane) {
      if (lane.bottom < v.top || lane.top > v.bottom) return;
      ctx.font = "700 " + px + "px " + FONT_FAMILY;  // measured at screen size, drawn scaled
      var room = (lane.bottom - lane.top) * s - 4;  // px of screen the lane has
      if (room < 11) return;
      var lines = wrapTitle(ctx, lane.label, TITLE_PX - 14).slice(0, Math.max(1, Math.floor(room / 14)));
      if (lines.length < wrapTitle(ctx, lane.label, TITLE_PX - 14).length) lines = [shortened(ctx, lines.join(" "), TITLE_PX - 14)];
      var counted = room >= (lines.length + 1) * 14;
      var height = (lines.length * 14 + (counted ? 12 : 0)) / s;
      var y = Math.max(lane.top + 3 / s, Math.min(v.top + (TOP_PX + 2) / s, lane.bottom - height));
      ctx.font = "700 " + px / s + "px " + FONT_FAMILY;
      var wide = Math.max.apply(null, lines.map(function (line) { return ctx.measureText(line).width; }));
      ctx.fillStyle = "rgba(255,255,255,0.82)";  // a backing, so that the title reads over what it covers
      ctx.fillRect(x - 4 / s, y - 2 / s, wide + 8 / s, height + 4 / s);
      ctx.lineWidth = 4 / s; ctx.strokeStyle = "rgba(255,255,255,0.95)"; ctx.fillStyle = "#1b3a6b";
      lines.forEach(function (line, i) {
        ctx.strokeText(line, x, y + i * 14 / s); ctx.fillText(line, x, y + i * 14 / s);
      });
      if (!counted) return;
      ctx.font = px / s * 0.9 + "px " + FONT_FAMILY;
      ctx.fillStyle = "#6b7280";
      var count = lane.count + (lane.count === 1 ? " thing" : " things");
      ctx.strokeText(count, x, y + lines.length * 14 / s); ctx.fillText(count, x, y + lines.length * 14 / s);
    });
  }

  // ------------------------------------------------------------------ the switch
  var box = el("div", "story");
  box.appendChild(el("h3", null, "Layout"));
  var modes = el("div", "seg");
  modes.setAttribute("role", "group");
  modes.setAttribute("aria-label", "Layout");
  var buttons = {};
  [["network", "Network"], ["time", "Time"]].forEach(function (pair) {
    var b = el("button", "btn small", pair[1]);
    b.type = "button"; b.id = "layout-" + pair[0];
    b.addEventListener("click", function () { if (layout !== pair[0]) setLayout(pair[0], null, true); });
    buttons[pair[0]] = b; modes.appendChild(b);
  });
  box.appendChild(modes);
  var laneBox = el("div", "seg lanes");
  laneBox.setAttribute("role", "group");
  laneBox.setAttribute("aria-label", "Lanes");
  laneBox.appendChild(el("span", "seg-name", "lanes by"));
  var laneButtons = {};
  S.modes.forEach(function (mode) {
    var b = el("button", "btn small", mode);
    b.type = "button"; b.id = "lanes-" + mode;
    b.addEventListener("click", function () { if (lanes !== mode || layout !== "time") setLayout("time", mode, true); });
    laneButtons[mode] = b; laneBox.appendChild(b);
  });
  box.appendChild(laneBox);
  var note = el("p", "hint story-note");
  note.id = "story-note";
  box.appendChild(note);
  X.controls.appendChild(box);
  var relayout = document.getElementById("relayout") || {};
  function syncControls() {
    Object.keys(buttons).forEach(function (m) { buttons[m].classList.toggle("on", m === layout); buttons[m].setAttribute("aria-pressed", String(m === layout)); });
    Object.keys(laneButtons).forEach(function (m) { laneButtons[m].classList.toggle("on", m === lanes); laneButtons[m].setAttribute("aria-pressed", String(m === lanes)); });
    laneBox.hidden = layout !== "time";
    note.textContent = layout === "time"
      ? DATED.length + " dated things on the axis, each at the first day its date allows (a bar shows the rest of its "
        + "month, year or bounds). Arrows run forward in time, from a thing to what responded to it. "
        + S.undated + " undated (actors, issues …) are shown in the network layout."
      : "Time: dated things on a time axis, in lanes by issue or by actor.";
  }
  syncControls();
  var reset = document.getElementById("reset");  // Reset frames the whole axis again (after explorer.js's own handler)
  if (reset) reset.addEventListener("click", function () { if (layout === "time") fitTime(true); });
  X.layout = function () { return layout === "time" ? "time-" + lanes : "network"; };
  X.setLayout = function (mode, lanesMode) { setLayout(mode, lanesMode || null, false); };
  if (DATA.layout === "time") setLayout("time", null, false);
  else document.body.dataset.layout = "network";
})();
