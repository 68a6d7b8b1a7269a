/* graphkit page: draws the graph embedded as JSON with vis-network and wires the controls.
 * Every string that comes from the documents is shown with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var CO = "co_occurs";
  var TEXT = "#1f2328";
  var VEIL = "rgba(255, 255, 255, 0.82)";
  var EVIDENCE_SHOWN = 100;
  var RESULTS_SHOWN = 8;

  // What to draw, parsed at once; aliases, documents and evidence, parsed on first use.
  var data = JSON.parse(document.getElementById("graphkit-data").textContent);
  var details = null;
  function more() {
    if (details === null) {
      details = JSON.parse(document.getElementById("graphkit-details").textContent);
    }
    return details;
  }
  var N = data.nodes.length;
  var E = data.edges.length;

  // Columns of the rows written by graphkit.export.webpage.page_data.
  var node = {
    id: function (i) { return data.nodes[i][0]; },
    label: function (i) { return data.nodes[i][1]; },
    type: function (i) { return data.nodes[i][2]; },
    mentions: function (i) { return data.nodes[i][3]; },
    aliases: function (i) { return more().aliases[i]; },
    docs: function (i) { return more().node_docs[i]; },
  };
  var edge = {
    from: function (e) { return data.edges[e][0]; },
    to: function (e) { return data.edges[e][1]; },
    relation: function (e) { return data.edges[e][2]; },
    weight: function (e) { return data.edges[e][3]; },
    asserted: function (e) { return data.edges[e][4]; },
    curve: function (e) { return data.edges[e][5]; },
    evidence: function (e) { return more().evidence[e]; },
  };

  var typeInfo = {};
  data.types.forEach(function (t) {
    typeInfo[t[0]] = {
      name: t[1],
      color: { background: t[2], border: t[2], highlight: { background: t[2], border: "#111111" } },
    };
  });
  var relationInfo = {};
  data.relations.forEach(function (r) { relationInfo[r[0]] = { color: r[1], symmetric: r[2] }; });

  // Edges touching each node, for neighbourhoods and the node panel.
  var incident = [];
  for (var i = 0; i < N; i++) incident.push([]);
  for (var e = 0; e < E; e++) {
    incident[edge.from(e)].push(e);
    if (edge.to(e) !== edge.from(e)) incident[edge.to(e)].push(e);
  }

  // ---- vis items ---------------------------------------------------------

  // Typed relations thicken with their weight (1.5 to 6); co-occurrences stay thin.
  function edgeWidth(e) {
    if (edge.relation(e) === CO) return 0.5;
    return Math.min(6, 1.5 + Math.log(Math.max(1, edge.weight(e))) / Math.LN2 * 0.75);
  }

  function nodeItem(i) {
    var row = data.nodes[i];
    return {
      id: i, label: row[1], x: row[4], y: row[5], size: row[6], color: typeInfo[row[2]].color,
    };
  }

  function edgeItem(e) {
    var rel = edge.relation(e);
    var item = {
      id: e, from: edge.from(e), to: edge.to(e), color: relationInfo[rel].color, width: edgeWidth(e),
    };
    if (!edge.asserted(e)) item.dashes = true;
    if (rel !== CO) item.label = rel;
    if (!relationInfo[rel].symmetric) item.arrows = "to";
    if (edge.curve(e) > 0) {
      item.smooth = { enabled: true, type: "curvedCW", roundness: Math.min(0.8, 0.2 * edge.curve(e)) };
    }
    return item;
  }

  // ---- filters -----------------------------------------------------------

  var maxCoWeight = 1;
  var coCount = 0;
  for (e = 0; e < E; e++) {
    if (edge.relation(e) === CO) {
      coCount++;
      maxCoWeight = Math.max(maxCoWeight, edge.weight(e));
    }
  }

  function defaultState() {
    return {
      types: new Set(data.types.map(function (t) { return t[0]; })),
      relations: new Set(data.relations.map(function (r) { return r[0]; })),
      showCo: !data.big,
      minCo: 1,
    };
  }
  var state = defaultState();

  function nodeShown(i) { return state.types.has(node.type(i)); }

  function edgeShown(e) {
    var rel = edge.relation(e);
    if (rel === CO) return state.showCo && edge.weight(e) >= state.minCo;
    return state.relations.has(rel);
  }

  function edgeDrawn(e) { return edgeShown(e) && nodeShown(edge.from(e)) && nodeShown(edge.to(e)); }

  // vis holds only what is drawn: filters add and remove items, so that the edges
  // hidden at first (co-occurrences of a big graph) cost nothing until shown.
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var nodeIn = new Uint8Array(N);
  var edgeIn = new Uint8Array(E);

  function sync() {
    var i, e, want;
    var addNodes = [], dropNodes = [], addEdges = [], dropEdges = [];
    for (i = 0; i < N; i++) {
      want = nodeShown(i) ? 1 : 0;
      if (want && !nodeIn[i]) addNodes.push(nodeItem(i));
      else if (!want && nodeIn[i]) dropNodes.push(i);
      nodeIn[i] = want;
    }
    for (e = 0; e < E; e++) {
      want = edgeDrawn(e) ? 1 : 0;
      if (want && !edgeIn[e]) addEdges.push(edgeItem(e));
      else if (!want && edgeIn[e]) dropEdges.push(e);
      edgeIn[e] = want;
    }
    if (dropEdges.length) edges.remove(dropEdges);
    if (dropNodes.length) nodes.remove(dropNodes);
    if (addNodes.length) nodes.add(addNodes);
    if (addEdges.length) edges.add(addEdges);
  }
  sync();

  var options = {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false },
    nodes: {
      shape: "dot",
      borderWidth: 1,
      borderWidthSelected: 3,
      font: { size: 14, color: TEXT, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 6 } },
    },
    edges: {
      smooth: { enabled: false },
      selectionWidth: 2,
      arrows: { to: { enabled: false, scaleFactor: 0.6 } },
      color: { inherit: false },
      font: { size: 11, color: TEXT, strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal" },
    },
    interaction: {
      hover: false,
      hideEdgesOnDrag: data.big,
      hideEdgesOnZoom: data.big,
      keyboard: { enabled: true, bindToWindow: false },
      multiselect: false,
      navigationButtons: false,
    },
  };

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // vis's own frame takes the focus: there, arrow keys pan and + or - zoom.
  var frame = container.firstElementChild;
  frame.setAttribute("role", "application");
  frame.setAttribute("aria-label", "Entity graph. Click an entity or a relation for its details; "
    + "with the graph focused, arrow keys pan and + or - zoom.");

  // ---- highlight ---------------------------------------------------------

  // The highlighted neighbourhood, or null. After vis has drawn everything, a white veil
  // dims the whole view and the neighbourhood is drawn again on top of it, with the calls
  // vis's own renderer makes: no node or edge is updated, so this costs the same on any graph.
  var lit = null;

  function highlight(nodeSet, edgeSet) {
    lit = nodeSet === null ? null : { nodes: Array.from(nodeSet), edges: Array.from(edgeSet) };
  }

  network.on("afterDrawing", function (ctx) {
    if (lit === null) return;
    var corner = network.DOMtoCanvas({ x: 0, y: 0 });
    var far = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = VEIL;
    ctx.fillRect(corner.x, corner.y, far.x - corner.x, far.y - corner.y);
    ctx.restore();
    var body = network.body;
    var edgesDrawn = lit.edges.map(function (e) { return body.edges[e]; })
      .filter(function (item) { return item && item.connected; });
    edgesDrawn.forEach(function (item) { item.draw(ctx); });
    var labels = [];
    lit.nodes.forEach(function (i) {
      var item = body.nodes[i];
      if (!item) return;
      var drawn = item.draw(ctx);
      if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
    });
    edgesDrawn.forEach(function (item) { item.drawArrows(ctx); });
    labels.forEach(function (draw) { draw(); });
  });

  function neighbourhood(i) {
    var nodeSet = new Set([i]);
    var edgeSet = new Set();
    incident[i].forEach(function (e) {
      if (!edgeDrawn(e)) return;
      edgeSet.add(e);
      nodeSet.add(edge.from(e));
      nodeSet.add(edge.to(e));
    });
    return { nodes: nodeSet, edges: edgeSet };
  }

  // ---- panel -------------------------------------------------------------

  var panelTitle = document.getElementById("panel-title");
  var panelBody = document.getElementById("panel-body");
  var panelHint = panelBody.firstElementChild.cloneNode(true);

  // A new element with text (set as textContent) and children.
  function el(tag, className, text, children) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    (children || []).forEach(function (child) { element.appendChild(child); });
    return element;
  }

  function button(text, onClick) {
    var b = el("button", null, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function definitions(pairs) {
    var dl = el("dl");
    pairs.forEach(function (pair) {
      dl.appendChild(el("dt", null, pair[0]));
      dl.appendChild(el("dd", null, pair[1]));
    });
    return dl;
  }

  function showPanel(title, children) {
    panelTitle.textContent = title;
    panelBody.replaceChildren.apply(panelBody, children);
    panelBody.scrollTop = 0;
    document.getElementById("panel").scrollTop = 0;
  }

  function clearPanel() {
    panelTitle.textContent = "Details";
    panelBody.replaceChildren(panelHint.cloneNode(true));
  }

  function typeName(code) {
    var info = typeInfo[code];
    return info ? info.name + " (" + code + ")" : code;
  }

  function docLine(d) {
    var doc = more().docs[d];
    return doc[1] ? doc[0] + " \u2014 " + doc[1] : doc[0];
  }

  function arrow(e) { return relationInfo[edge.relation(e)].symmetric ? "\u2014" : "\u2192"; }

  function edgeTitle(e) {
    return [node.label(edge.from(e)), arrow(e), edge.relation(e), arrow(e), node.label(edge.to(e))].join(" ");
  }

  function nodePanel(i) {
    var parts = [];
    var aliases = node.aliases(i).filter(function (a) { return a !== node.label(i); });
    var pairs = [["Type", typeName(node.type(i))], ["Mentions", node.mentions(i)]];
    if (node.id(i) !== node.label(i)) pairs.push(["Id", node.id(i)]);
    pairs.push(["Aliases", aliases.length ? aliases.join(", ") : "none"]);
    parts.push(definitions(pairs));

    var typed = incident[i].filter(function (e) { return edge.relation(e) !== CO; });
    typed.sort(function (a, b) {
      return edge.relation(a).localeCompare(edge.relation(b)) || a - b;
    });
    parts.push(el("h3", null, "Relations (" + typed.length + ")"));
    if (typed.length) {
      parts.push(el("ul", "links", null, typed.map(function (e) {
        var other = edge.from(e) === i ? edge.to(e) : edge.from(e);
        var rel = edge.relation(e);
        var text;
        if (relationInfo[rel].symmetric) text = rel + " \u2014 " + node.label(other);
        else if (edge.from(e) === i) text = rel + " \u2192 " + node.label(other);
        else text = "\u2190 " + rel + " " + node.label(other);
        if (!edge.asserted(e)) text += " (not asserted)";
        return el("li", null, null, [button(text, function () { selectEdge(e, true); })]);
      })));
    } else {
      parts.push(el("p", "hint", "No typed relation."));
    }
    var co = incident[i].length - typed.length;
    if (co) {
      var others = co === 1 ? " other entity." : " other entities.";
      parts.push(el("p", "hint", "Shares a sentence with " + co + others));
    }

    var docs = node.docs(i);
    parts.push(el("h3", null, "Documents (" + docs.length + ")"));
    parts.push(el("ul", "docs", null, docs.map(function (d) { return el("li", null, docLine(d)); })));
    showPanel(node.label(i), parts);
  }

  function evidenceItem(item) {
    var doc = more().docs[item[0]];
    var meta = el("p", "meta");
    var bits = ["Document: " + doc[0]];
    if (doc[1]) bits.push("title: " + doc[1]);
    if (doc[2]) bits.push("date: " + doc[2]);
    if (doc[3]) bits.push("url: " + doc[3]);
    if (item[3]) bits.push("attributed to " + item[3]);
    meta.appendChild(document.createTextNode(bits.join(" \u00b7 ")));
    var li = el("li", null, null, [el("blockquote", null, more().texts[item[1]]), meta]);
    if (item[2]) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "tag", item[2]));
    }
    return li;
  }

  function edgePanel(e) {
    var rel = edge.relation(e);
    var pairs = [
      ["Relation", rel === CO ? "co-occurrence (same sentence)" : rel],
      ["Direction", relationInfo[rel].symmetric ? "symmetric"
        : node.label(edge.from(e)) + " \u2192 " + node.label(edge.to(e))],
      ["Weight", edge.weight(e)],
    ];
    if (!edge.asserted(e)) pairs.push(["Status", "not asserted: every sentence is negated or hypothetical"]);
    var parts = [definitions(pairs)];
    parts.push(el("ul", "links", null, [edge.from(e), edge.to(e)].map(function (n) {
      return el("li", null, null, [button("Entity: " + node.label(n), function () { selectNode(n, true); })]);
    })));
    var evidence = edge.evidence(e);
    var count = evidence.length + (evidence.length === 1 ? " sentence" : " sentences");
    parts.push(el("h3", null, "Evidence (" + count + ")"));
    var list = el("ol", "evidence", null, evidence.slice(0, EVIDENCE_SHOWN).map(evidenceItem));
    parts.push(list);
    if (evidence.length > EVIDENCE_SHOWN) {
      var more = button("Show all " + evidence.length + " sentences", function () {
        evidence.slice(EVIDENCE_SHOWN).forEach(function (item) { list.appendChild(evidenceItem(item)); });
        more.remove();
      });
      parts.push(more);
    }
    showPanel(edgeTitle(e), parts);
  }

  // ---- selection ---------------------------------------------------------

  var controls = {};

  function selectNode(i, focus) {
    if (!nodeShown(i)) {
      state.types.add(node.type(i));
      syncControls();
      sync();
    }
    var hood = neighbourhood(i);
    highlight(hood.nodes, hood.edges);
    network.selectNodes([i], false);
    if (focus) network.focus(i, { scale: Math.max(network.getScale(), 1), animation: false });
    nodePanel(i);
  }

  function selectEdge(e, focus) {
    if (!edgeDrawn(e)) {
      if (edge.relation(e) === CO) {
        state.showCo = true;
        state.minCo = Math.min(state.minCo, edge.weight(e));
      } else {
        state.relations.add(edge.relation(e));
      }
      state.types.add(node.type(edge.from(e)));
      state.types.add(node.type(edge.to(e)));
      syncControls();
      sync();
    }
    highlight(new Set([edge.from(e), edge.to(e)]), new Set([e]));
    network.setSelection({ nodes: [], edges: [e] }, { unselectAll: true, highlightEdges: false });
    if (focus) network.fit({ nodes: [edge.from(e), edge.to(e)], animation: false });
    edgePanel(e);
  }

  function clearSelection() {
    highlight(null, null);
    network.unselectAll();
    clearPanel();
  }

  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (params.edges.length) selectEdge(params.edges[0], false);
    else clearSelection();
  });

  // ---- search ------------------------------------------------------------

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, " ").toLowerCase().trim();
  }

  var searchIndex = null;
  function buildSearchIndex() {
    searchIndex = [];
    for (var i = 0; i < N; i++) {
      var seen = new Set();
      [node.label(i), node.id(i)].concat(node.aliases(i)).forEach(function (name) {
        var key = fold(name);
        if (key && !seen.has(key)) {
          seen.add(key);
          searchIndex.push({ key: key, name: name, node: i });
        }
      });
    }
  }

  // Best matches of a query: exact, then prefix, then word start, then anywhere; more mentions first.
  function search(query) {
    var q = fold(query);
    if (!q) return [];
    if (searchIndex === null) buildSearchIndex();
    var best = new Map();
    searchIndex.forEach(function (entry) {
      var rank;
      if (entry.key === q) rank = 0;
      else if (entry.key.startsWith(q)) rank = 1;
      else if ([" ", "'", "-"].some(function (c) { return entry.key.indexOf(c + q) >= 0; })) rank = 2;
      else if (entry.key.indexOf(q) >= 0) rank = 3;
      else return;
      var old = best.get(entry.node);
      if (!old || rank < old.rank) best.set(entry.node, { rank: rank, node: entry.node, name: entry.name });
    });
    return Array.from(best.values()).sort(function (a, b) {
      return a.rank - b.rank || node.mentions(b.node) - node.mentions(a.node) || a.node - b.node;
    });
  }

  var searchInput = document.getElementById("search");
  var searchResults = document.getElementById("search-results");
  var searchStatus = document.getElementById("search-status");

  function pick(i) {
    selectNode(i, true);
    searchStatus.textContent = "Showing " + node.label(i) + ".";
  }

  function showResults() {
    var matches = search(searchInput.value);
    searchResults.replaceChildren();
    if (!fold(searchInput.value)) {
      searchStatus.textContent = "";
      return matches;
    }
    searchStatus.textContent = matches.length
      ? matches.length + (matches.length === 1 ? " match." : " matches.")
      : "No entity matches.";
    matches.slice(0, RESULTS_SHOWN).forEach(function (m) {
      var b = button("", function () { pick(m.node); });
      b.appendChild(document.createTextNode(node.label(m.node)));
      var sub = " " + node.type(m.node);
      if (fold(m.name) !== fold(node.label(m.node))) sub = " (" + m.name + ")" + sub;
      b.appendChild(el("span", "sub", sub));
      searchResults.appendChild(el("li", null, null, [b]));
    });
    return matches;
  }

  searchInput.addEventListener("input", showResults);
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var matches = showResults();
    if (matches.length) pick(matches[0].node);
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && searchResults.firstElementChild) {
      event.preventDefault();
      searchResults.querySelector("button").focus();
    }
  });
  searchResults.addEventListener("keydown", function (event) {
    var buttons = Array.from(searchResults.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < buttons.length) buttons[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? buttons[at - 1] : searchInput).focus();
    else return;
    event.preventDefault();
  });

  // ---- filter controls ---------------------------------------------------

  function countBy(list, key) {
    var counts = {};
    list.forEach(function (x) { counts[key(x)] = (counts[key(x)] || 0) + 1; });
    return counts;
  }

  function checkbox(id, swatch, text, count, onChange) {
    var input = el("input");
    input.type = "checkbox";
    input.id = id;
    input.addEventListener("change", function () { onChange(input.checked); });
    var label = el("label", "check", null,
      [input, swatch, document.createTextNode(text + " "), el("span", "count", count)]);
    label.htmlFor = id;
    return { label: label, input: input };
  }

  var typeCounts = countBy(data.nodes, function (row) { return row[2]; });
  var typeBox = document.getElementById("type-filters");
  controls.types = {};
  data.types.forEach(function (t, k) {
    var swatch = el("span", "swatch");
    swatch.style.background = t[2];
    var box = checkbox("type-" + k, swatch, typeName(t[0]), typeCounts[t[0]] || 0, function (on) {
      if (on) state.types.add(t[0]); else state.types.delete(t[0]);
      sync();
    });
    controls.types[t[0]] = box.input;
    typeBox.appendChild(box.label);
  });

  var relationCounts = countBy(data.edges, function (row) { return row[2]; });
  var relationBox = document.getElementById("relation-filters");
  controls.relations = {};
  data.relations.forEach(function (r, k) {
    if (r[0] === CO) return;
    var swatch = el("span", r[2] ? "line" : "line arrow");
    swatch.style.color = r[1];
    var box = checkbox("relation-" + k, swatch, r[0], relationCounts[r[0]], function (on) {
      if (on) state.relations.add(r[0]); else state.relations.delete(r[0]);
      sync();
    });
    controls.relations[r[0]] = box.input;
    relationBox.appendChild(box.label);
  });
  if (!Object.keys(controls.relations).length) relationBox.appendChild(el("p", "hint", "No typed relation."));

  controls.showCo = document.getElementById("show-cooccurrences");
  controls.minCo = document.getElementById("min-weight");
  var minCoValue = document.getElementById("min-weight-value");
  document.getElementById("cooccurrence-count").textContent = String(coCount);
  controls.minCo.max = String(maxCoWeight);
  if (!coCount) document.getElementById("cooccurrence-box").hidden = true;

  controls.showCo.addEventListener("change", function () {
    state.showCo = controls.showCo.checked;
    sync();
  });
  var minCoPending = false;
  controls.minCo.addEventListener("input", function () {
    minCoValue.textContent = controls.minCo.value;
    if (minCoPending) return;
    minCoPending = true;
    requestAnimationFrame(function () {
      minCoPending = false;
      var value = Number(controls.minCo.value);
      if (value === state.minCo) return;
      state.minCo = value;
      if (state.showCo) sync();
    });
  });

  // Make the controls show the state.
  function syncControls() {
    Object.keys(controls.types).forEach(function (t) { controls.types[t].checked = state.types.has(t); });
    Object.keys(controls.relations).forEach(function (r) {
      controls.relations[r].checked = state.relations.has(r);
    });
    controls.showCo.checked = state.showCo;
    controls.minCo.value = String(state.minCo);
    minCoValue.textContent = String(state.minCo);
  }
  syncControls();

  function reset() {
    state = defaultState();
    syncControls();
    sync();
    searchInput.value = "";
    searchResults.replaceChildren();
    searchStatus.textContent = "";
    clearSelection();
    network.fit({ animation: false });
  }

  document.getElementById("reset").addEventListener("click", reset);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") reset();
  });

  if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
    ["types-box", "relations-box", "cooccurrence-box"].forEach(function (id) {
      document.getElementById(id).open = false;
    });
  }

  window.graphkit = { network: network, data: data };
})();
