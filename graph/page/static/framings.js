// The framings view (issue 16): an issue's positions side by side in its card, and one side's account.
// The grouping is bilateral's (graph/explore/framings.py, shipped as DATA.framings by
// graph/page/framings.py); this script only shows it.  Data is text: textContent only.
(function () {
  "use strict";
  var X = window.explorer;
  if (!X || !X.data.framings || !X.hooks) return;
  var F = X.data.framings;
  var ENT = X.data.entities;
  var OTHERS = "others", INTERPRETATIONS = "interpretations";
  var ROLE = {};
  F.sides.forEach(function (s) { ROLE[s.name] = s.role; });
  var COLOURS = ["#b23a48", "#1b3a6b", "#1f9e89", "#c79a00", "#7a4fb5"];
  var COLOUR = {};
  F.sides.forEach(function (s, i) { COLOUR[s.name] = COLOURS[i % COLOURS.length]; });
  COLOUR[OTHERS] = "#6b7280";
  COLOUR[INTERPRETATIONS] = "#a08c5b";
  var main = document.querySelector("main");
  var account = "all";  // or the name of a side: whose account is shown
  var wide = window.innerWidth >= 1200;  // the card's columns side by side (a wider panel)
  var shownIssue = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function possessive(name) { return /s$/i.test(name) ? name + "’" : name + "’s"; }
  function groupTitle(group) {
    if (group === OTHERS) return "Others";
    if (group === INTERPRETATIONS) return "Authors’ interpretations";
    return group;
  }
  function groupNote(group) {
    if (group === OTHERS) return "holders of no side";
    if (group === INTERPRETATIONS) return "readings the documents’ authors offer";
    return ROLE[group] === "mediator" ? "mediator: its government, bodies, people" : "its government, bodies, people";
  }
  // A claim only others make: attributed to groups none of which is the side whose account is shown.
  function othersOnly(groups) { return account !== "all" && !!groups && groups.indexOf(account) < 0; }

  // ------------------------------------------------------------------ the network: dim others' claims
  var dimmed = new Set();
  function dimNodes() {
    var updates = [];
    dimmed = new Set();
    X.nodes.forEach(function (n) {
      var dim = othersOnly(F.claims[n.id]);
      if (dim) dimmed.add(n.id);
      if (!!n.othersClaim !== dim) updates.push({id: n.id, othersClaim: dim, opacity: dim ? 0.14 : 1});
    });
    if (updates.length) X.nodes.update(updates);
    if (X.fadeNames) X.fadeNames(Array.from(dimmed));  // their names pale with them
  }
  // A line is others' claim when an author's interpretation draws it or it touches others' claim.
  function dimEdges() {
    var updates = [];
    X.edges.forEach(function (e) {
      var meta = X.data.edges[e.id];
      var dim = account !== "all" && (meta.kind === "interpreted" || dimmed.has(e.from) || dimmed.has(e.to));
      var colour = e.color || {};
      var opacity = dim ? 0.1 : 1;
      if (!!e.othersClaim !== dim || colour.opacity !== opacity) {
        updates.push({id: e.id, othersClaim: dim, color: Object.assign({}, colour, {opacity: opacity})});
      }
    });
    if (updates.length) X.edges.update(updates);
  }
  X.hooks.restyle.push(dimEdges);  // the selection's highlight resets the lines' colours: dim again after it

  // ------------------------------------------------------------------ the side switch (left column)
  var switchBox = el("div", null);
  switchBox.id = "accounts";
  var buttons = [];
  function switchRow() {
    var row = el("div", "account-switch");
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "Show one side's account");
    [["all", "all"]].concat(F.sides.map(function (s) { return [s.name, possessive(s.name) + " account"]; }))
      .forEach(function (choice) {
        var b = el("button", "btn small", choice[1]);
        b.type = "button";
        b.dataset.side = choice[0];
        b.setAttribute("aria-pressed", choice[0] === account ? "true" : "false");
        b.addEventListener("click", function () { setAccount(choice[0]); });
        if (choice[0] !== "all") b.style.setProperty("--side", COLOUR[choice[0]]);
        buttons.push(b);
        row.appendChild(b);
      });
    return row;
  }
  function buildSwitch() {
    if (!F.sides.length) return;
    switchBox.appendChild(el("h3", null, "Whose account"));
    switchBox.appendChild(switchRow());
    switchBox.appendChild(el("p", "hint", "One side’s account dims the claims only others make: positions, " +
      "proposals and statements none of whose holders is of that side, and authors’ interpretations " +
      "with the lines they draw. Events, actors and reported relations stay."));
    X.controls.appendChild(switchBox);
  }
  function setAccount(side) {
    account = side;
    document.body.dataset.account = side;
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.side === side ? "true" : "false"); });
    dimNodes();
    dimEdges();
    markCard();
  }

  // ------------------------------------------------------------------ an issue's card: the framings
  function sourceList(names) {
    var box = el("div", "framing-sources");
    box.appendChild(el("span", "framing-label", names.length > 1 ? "sources " : "source "));
    names.forEach(function (name, i) {
      if (i) box.appendChild(document.createTextNode("; "));
      var url = F.links[name];
      if (url && /^https?:\/\//i.test(url)) {
        var a = el("a", "framing-source", name);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        box.appendChild(a);
      } else {
        box.appendChild(el("span", "framing-source", name));
      }
    });
    return box;
  }
  function positionItem(iri) {
    var p = F.positions[iri];
    var li = el("li", "framing");
    li.dataset.iri = iri;
    var title = el(ENT[iri] ? "a" : "span", "framing-title", p.label);
    if (ENT[iri]) {
      title.href = "#";
      title.addEventListener("click", function (ev) { ev.preventDefault(); X.focus(iri); });
    }
    li.appendChild(title);
    var meta = [p.date || "undated"].concat(p.holders.length ? [p.holders.join(", ")] : []);
    li.appendChild(el("div", "framing-meta", meta.join(" · ")));
    if (p.stance) li.appendChild(el("p", "framing-stance", p.stance));
    p.quotes.forEach(function (q) { li.appendChild(el("p", "framing-quote", "“" + q + "”")); });
    if (p.sources.length) li.appendChild(sourceList(p.sources));
    return li;
  }
  function column(group, members) {
    var col = el("section", "framing-col");
    col.dataset.group = group;
    col.style.setProperty("--side", COLOUR[group] || "#6b7280");
    var head = el("div", "framing-col-head");
    head.appendChild(el("span", "framing-side", groupTitle(group)));
    head.appendChild(el("span", "framing-count", members.length));
    col.appendChild(head);
    col.appendChild(el("div", "framing-note", groupNote(group)));
    if (!members.length) col.appendChild(el("p", "muted", "no position on record"));
    var ol = el("ol", "framing-list");
    members.forEach(function (iri) { ol.appendChild(positionItem(iri)); });
    col.appendChild(ol);
    return col;
  }
  function framingsSection(issue) {
    var groups = F.issues[issue];
    var section = el("div", "framings-view");
    section.id = "framings";
    var head = el("div", "framings-head");
    var count = Object.keys(groups).reduce(function (n, g) { return n + groups[g].length; }, 0);
    head.appendChild(el("h3", null, "Framings · " + count + " position(s) by side"));
    var toggle = el("button", "btn small", wide ? "stacked" : "side by side");
    toggle.type = "button";
    toggle.id = "framings-layout";
    toggle.title = "Columns side by side in a wider panel, or stacked in the narrow one";
    toggle.addEventListener("click", function () { wide = !wide; X.select(issue); });
    head.appendChild(toggle);
    section.appendChild(head);
    if (F.sides.length) section.appendChild(switchRow());
    var cols = el("div", "framings-cols");
    F.groups.forEach(function (group) {
      if (groups[group] || ROLE[group] === "party") cols.appendChild(column(group, groups[group] || []));
    });
    section.appendChild(cols);
    return section;
  }
  function markCard() {
    document.querySelectorAll("#framings .framing-col").forEach(function (col) {
      col.classList.toggle("others-claim", account !== "all" && col.dataset.group !== account);
    });
    document.querySelectorAll("#framings .framing").forEach(function (li) {
      li.classList.toggle("others-claim", othersOnly(F.positions[li.dataset.iri].claim));
    });
  }
  // The network's room changed: fit the canvas to it and bring the issue's neighbourhood back into view.
  function resized(issue) {
    window.requestAnimationFrame(function () {
      X.network.setSize("100%", "100%");
      X.network.redraw();
      if (issue) {
        X.network.fit({nodes: [issue].concat(X.network.getConnectedNodes(issue)), maxZoomLevel: 0.5,
                       animation: {duration: 300, easingFunction: "easeInOutQuad"}});
      }
    });
  }
  X.hooks.card.push(function (id, panel) {
    buttons = buttons.filter(function (b) { return switchBox.contains(b); });  // the last card's switch is gone
    var issue = id && F.issues[id] ? id : null;
    var wasWide = main.classList.contains("framings-wide");
    main.classList.toggle("framings-wide", !!issue && wide);
    if (wasWide !== main.classList.contains("framings-wide")) resized(issue);
    shownIssue = issue;
    if (!issue) return;
    var section = framingsSection(issue);
    var relations = panel.querySelector("h3");
    if (relations) panel.insertBefore(section, relations); else panel.appendChild(section);
    markCard();
  });

  buildSwitch();
  X.framings = {
    setAccount: setAccount,
    account: function () { return account; },
    shownIssue: function () { return shownIssue; },
    dimmed: function () { return Array.from(dimmed); }
  };
  var selected = X.network.getSelectedNodes();
  if (selected.length === 1 && F.issues[selected[0]]) X.select(selected[0]);  // the page opened on an issue
})();
