/* graphkit page: draws the graph embedded as JSON and wires the controls.
 *
 * vis-network (unpacked from the page itself) draws the entities and handles pan, zoom and clicks;
 * this script draws the edges and the labels on vis's canvas, so that filters cost one redraw and
 * labels never overlap. Every string that comes from the documents is shown with textContent,
 * never parsed as HTML. The view (selection and filters) lives in the address after « # ».
 */
(function () {
  "use strict";

  var CO = "co_occurs";
  var TEXT = "#1f2328";
  var MUTED = "#6e7781";
  var CO_COLOR = "#8f8f8f";
  var VEIL = "rgba(255, 255, 255, 0.85)";
  var EVIDENCE_SHOWN = 100;
  var TABLE_ROWS = 100;
  var LABEL_FONT = 13;
  var EDGE_FONT = 11;
  var MAX_FIT_ZOOM = 3;
  var FIT_MARGIN = 0.88;
  var PLAY_STEP_MS = 800;
  var ALWAYS_LABELLED = 20;  // the most mentioned entities get a label at every zoom, if need be further out
  var HIT_PIXELS = 6;
  var EDGE_LABELS = 40;  // relation names are drawn when no more typed relations are shown
  var SHAPES = { PER: "dot", ORG: "square", LOC: "triangle", MISC: "diamond" };
  var CLAIMS = ["asserted", "negated", "hypothetical"];
  var DASHES = { negated: [9, 5], hypothetical: [2, 4] };

  var data = JSON.parse(document.getElementById("graphkit-data").textContent);
  var T = data.strings;
  var details = null;
  function more() {
    if (details === null) details = JSON.parse(document.getElementById("graphkit-details").textContent);
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
    radius: function (i) { return data.nodes[i][6]; },
    docCount: function (i) { return data.nodes[i][7]; },
    review: function (i) { return data.nodes[i][8]; },
    merges: function (i) { return more().merges[i]; },
    aliases: function (i) { return more().aliases[i]; },
    docs: function (i) { return more().node_docs[i]; },
  };
  var edge = {
    from: function (e) { return data.edges[e][0]; },
    to: function (e) { return data.edges[e][1]; },
    relation: function (e) { return data.edges[e][2]; },
    weight: function (e) { return data.edges[e][3]; },
    claim: function (e) { return data.edges[e][4]; },
    curve: function (e) { return data.edges[e][5]; },
    kept: function (e) { return data.edges[e][6]; },
    review: function (e) { return data.edges[e][7]; },
    evidence: function (e) { return more().evidence[e]; },
  };
  var doc = {
    name: function (d) { return more().docs[d][0]; },
    title: function (d) { return more().docs[d][1]; },
    date: function (d) { return more().docs[d][2]; },
    url: function (d) { return more().docs[d][3]; },
    outlet: function (d) { return more().docs[d][4]; },
    copies: function (d) { return more().docs[d][5]; },
    // The outlets that published it: its own, then those of its wire copies.
    outlets: function (d) {
      return [more().docs[d][4]].concat(more().docs[d][5].map(function (c) { return c[4]; })).filter(Boolean);
    },
  };

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }
  function typeName(code) { return T.types[code] || code; }
  function relationName(rel) { return T.relation_names[rel] || rel; }
  function reviewMarks(text) {
    return text.split(", ").map(function (mark) { return T.marks[mark] || mark; }).join(", ");
  }
  function relationText(rel) {
    return T.relation_names[rel] && T.relation_names[rel] !== rel ? T.relation_names[rel] + " (" + rel + ")" : rel;
  }

  var typeInfo = {};
  data.types.forEach(function (t) { typeInfo[t[0]] = { color: t[1], shape: t[2] }; });
  var relationInfo = {};
  data.relations.forEach(function (r) { relationInfo[r[0]] = { color: r[1], symmetric: r[2] }; });

  // Node positions (changed by the neighbourhood view), edges touching each node, typed degrees.
  var px = new Float64Array(N);
  var py = new Float64Array(N);
  var incident = [];
  var typedDegree = new Int32Array(N);
  for (var i = 0; i < N; i++) {
    px[i] = data.nodes[i][4];
    py[i] = data.nodes[i][5];
    incident.push([]);
  }
  for (var e = 0; e < E; e++) {
    incident[edge.from(e)].push(e);
    if (edge.to(e) !== edge.from(e)) incident[edge.to(e)].push(e);
    if (edge.relation(e) !== CO) {
      typedDegree[edge.from(e)]++;
      if (edge.to(e) !== edge.from(e)) typedDegree[edge.to(e)]++;
    }
  }
  // Entities by importance: the order in which their labels claim room.
  var byImportance = [];
  for (i = 0; i < N; i++) byImportance.push(i);
  byImportance.sort(function (a, b) {
    return node.mentions(b) - node.mentions(a) || typedDegree[b] - typedDegree[a] || a - b;
  });
  var importance = new Int32Array(N);
  byImportance.forEach(function (n, rank) { importance[n] = rank; });

  var maxCoWeight = 1, coCount = 0, maxMentions = 1;
  for (e = 0; e < E; e++) {
    if (edge.relation(e) === CO) {
      coCount++;
      maxCoWeight = Math.max(maxCoWeight, edge.weight(e));
    }
  }
  for (i = 0; i < N; i++) maxMentions = Math.max(maxMentions, node.mentions(i));

  // ---- state ---------------------------------------------------------------

  function defaultState() {
    return {
      types: new Set(data.types.map(function (t) { return t[0]; })),
      relations: new Set(data.relations.map(function (r) { return r[0]; }).filter(function (r) { return r !== CO; })),
      showCo: !data.big,
      minCo: 1,
      minMentions: 1,
      claims: new Set(CLAIMS),
      attribution: "",
      text: "",
      doc: "",
      outlet: "",
      since: "",
      until: "",
    };
  }
  var state = defaultState();
  // What is selected: null, or {kind: "node" | "edge" | "doc", index}; focus: a node drawn with its neighbours only.
  var selection = null;
  var focus = -1;

  function evidenceFiltered() {
    return state.claims.size < CLAIMS.length || state.attribution !== "" || state.text !== ""
      || state.doc !== "" || state.outlet !== "" || timeFiltered();
  }

  function timeFiltered() { return state.since !== "" || state.until !== ""; }
  function narrowed() {
    var allRelations = data.relations.length - (relationInfo[CO] ? 1 : 0);
    return evidenceFiltered() || state.relations.size < allRelations;
  }

  // ---- filters ---------------------------------------------------------------

  var docIndex = null;
  function docByName(name) {
    if (docIndex === null) {
      docIndex = new Map();
      more().docs.forEach(function (row, d) { docIndex.set(row[0], d); });
    }
    return docIndex.has(name) ? docIndex.get(name) : -1;
  }

  function itemPasses(item, text) {
    var claim = item[2] || "asserted";
    if (!state.claims.has(claim)) return false;
    if (state.attribution === "some" && !item[3]) return false;
    if (state.attribution === "none" && item[3]) return false;
    if (state.attribution.indexOf("to:") === 0 && item[3] !== state.attribution.slice(3)) return false;
    if (state.doc !== "" && doc.name(item[0]) !== state.doc) return false;
    if (state.outlet !== "" && doc.outlets(item[0]).indexOf(state.outlet) < 0) return false;
    if (text && foldedText(item[1]).indexOf(text) < 0) return false;
    if (timeFiltered() && !publishedIn(item[0])) return false;
    return true;
  }

  var foldedTexts = null;
  function foldedText(t) {
    if (foldedTexts === null) foldedTexts = more().texts.map(fold);
    return foldedTexts[t];
  }

  var nodeOn = new Uint8Array(N);
  var visibleEdges = [];
  var visibleNodes = [];

  // Recompute what is drawn from the state, the focus and the selection.
  function computeVisible() {
    var evidence = evidenceFiltered();
    var text = fold(state.text);
    var docNodes = null;
    if (state.doc !== "" || state.outlet !== "") {
      docNodes = new Uint8Array(N);
      for (var n = 0; n < N; n++) {
        docNodes[n] = node.docs(n).some(function (d) {
          return (state.doc === "" || doc.name(d) === state.doc) && (state.outlet === "" || doc.outlets(d).indexOf(state.outlet) >= 0);
        }) ? 1 : 0;
      }
    }
    var candidate = new Uint8Array(N);
    for (n = 0; n < N; n++) {
      candidate[n] = state.types.has(node.type(n)) && node.mentions(n) >= state.minMentions
        && (docNodes === null || docNodes[n]) ? 1 : 0;
    }
    var edgesOn = [];
    var linked = new Uint8Array(N);
    for (var k = 0; k < E; k++) {
      var a = edge.from(k), b = edge.to(k), rel = edge.relation(k);
      if (!candidate[a] || !candidate[b]) continue;
      if (rel === CO ? !(state.showCo && edge.weight(k) >= state.minCo) : !state.relations.has(rel)) continue;
      if (evidence && !edge.evidence(k).some(function (item) { return itemPasses(item, text); })) continue;
      edgesOn.push(k);
      linked[a] = linked[b] = 1;
    }
    var hide = narrowed();
    for (n = 0; n < N; n++) nodeOn[n] = candidate[n] && (!hide || linked[n]) ? 1 : 0;
    if (focus >= 0) {
      var keep = new Uint8Array(N);
      keep[focus] = 1;
      edgesOn = edgesOn.filter(function (k) {
        var inside = edge.from(k) === focus || edge.to(k) === focus;
        if (inside) keep[edge.from(k)] = keep[edge.to(k)] = 1;
        return inside;
      });
      for (n = 0; n < N; n++) nodeOn[n] = keep[n];
    }
    visibleEdges = edgesOn;
    visibleNodes = [];
    for (n = 0; n < N; n++) if (nodeOn[n]) visibleNodes.push(n);
  }

  // ---- time: articles per day, week or month, and the period kept ----------------------------

  var DAY_MS = 86400000;

  // Day number (days since 1970-01-01) of an ISO date, month or year; NaN when there is none.
  function dayOf(text) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(text || "");
    if (!m) return NaN;
    return Math.floor(Date.UTC(Number(m[1]), (m[2] ? Number(m[2]) : 1) - 1, m[3] ? Number(m[3]) : 1) / DAY_MS);
  }

  function isoDay(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  // The first day of the period (of the unit) holding a day.
  function periodStart(day, unit) {
    if (unit === "day") return day;
    if (unit === "week") return day - ((day + 3) % 7);  // weeks start on Monday
    var date = new Date(day * DAY_MS);
    return Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS);
  }

  function nextPeriod(start, unit) {
    if (unit === "day") return start + 1;
    if (unit === "week") return start + 7;
    var date = new Date(start * DAY_MS);
    return Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS);
  }

  // Built on first use: each document's publication days (its own and its copies'), and the periods.
  var time = null;
  function timeline() {
    if (time !== null) return time;
    var docDays = more().docs.map(function (row) {
      return [row[2]].concat(row[5].map(function (c) { return c[2]; })).map(dayOf).filter(function (d) { return !isNaN(d); });
    });
    var all = [].concat.apply([], docDays);
    time = { docDays: docDays, periods: [] };
    if (!all.length) return time;
    var first = Math.min.apply(null, all), last = Math.max.apply(null, all);
    var unit = last - first <= 62 ? "day" : last - first <= 366 ? "week" : "month";
    for (var start = periodStart(first, unit); start <= last; start = nextPeriod(start, unit)) {
      time.periods.push({ start: start, end: nextPeriod(start, unit) - 1, count: 0 });
    }
    all.forEach(function (day) {
      var at = time.periods.findIndex(function (p) { return day >= p.start && day <= p.end; });
      time.periods[at].count++;
    });
    time.unit = unit;
    return time;
  }

  function periodLabel(p) { return time.unit === "month" ? isoDay(p.start).slice(0, 7) : isoDay(p.start); }

  function publishedIn(d) {
    var since = state.since ? dayOf(state.since) : -Infinity;
    var until = state.until ? dayOf(state.until) : Infinity;
    return timeline().docDays[d].some(function (day) { return day >= since && day <= until; });
  }

  // The periods selected: [first index, last index].
  function selectedPeriods() {
    var periods = timeline().periods;
    var from = 0, to = periods.length - 1;
    periods.forEach(function (p, i) {
      if (state.since && p.end < dayOf(state.since)) from = i + 1;
      if (state.until && p.start <= dayOf(state.until)) to = i;
    });
    return [Math.min(from, periods.length - 1), Math.max(0, to)];
  }

  function setPeriods(from, to) {
    var periods = timeline().periods;
    var whole = from <= 0 && to >= periods.length - 1;
    state.since = whole ? "" : isoDay(periods[from].start);
    state.until = whole ? "" : isoDay(periods[to].end);
  }

  var timeBoxBuilt = false;
  function buildTimeBox() {
    var periods = timeline().periods;
    if (timeBoxBuilt || !periods.length) return;
    timeBoxBuilt = true;
    document.getElementById("time-box").hidden = false;
    document.getElementById("time-help").textContent = format(T.time_help, { unit: T["unit_" + time.unit] });
    var highest = Math.max.apply(null, periods.map(function (p) { return p.count; }));
    var bars = periods.map(function (p) {
      var bar = el("span");
      bar.style.height = Math.max(4, Math.round(100 * p.count / highest)) + "%";
      bar.title = periodLabel(p) + " : " + p.count;
      return bar;
    });
    document.getElementById("histogram").replaceChildren.apply(document.getElementById("histogram"), bars);
    ["time-from", "time-to"].forEach(function (id) { document.getElementById(id).max = String(periods.length - 1); });
    var from = document.getElementById("time-from"), to = document.getElementById("time-to");
    function moved(which) {
      var a = Number(from.value), b = Number(to.value);
      if (a > b) {
        if (which === from) to.value = String(a);
        else from.value = String(b);
      }
      setPeriods(Number(from.value), Number(to.value));
      filtersChanged();
    }
    from.addEventListener("input", function () { moved(from); });
    to.addEventListener("input", function () { moved(to); });
    document.getElementById("time-play").addEventListener("click", togglePlay);
    syncTimeControls();
  }

  function syncTimeControls() {
    if (!timeBoxBuilt) return;
    var range = selectedPeriods();
    document.getElementById("time-from").value = String(range[0]);
    document.getElementById("time-to").value = String(range[1]);
    document.getElementById("time-from-value").textContent = periodLabel(time.periods[range[0]]);
    document.getElementById("time-to-value").textContent = periodLabel(time.periods[range[1]]);
    Array.from(document.getElementById("histogram").children).forEach(function (bar, i) {
      bar.classList.toggle("in", i >= range[0] && i <= range[1]);
    });
  }

  // Play: the selected window moves one period at a time to the end.
  var playing = null;
  function togglePlay() {
    var play = document.getElementById("time-play");
    if (playing !== null) {
      stopPlay();
      return;
    }
    var last = timeline().periods.length - 1;
    var range = selectedPeriods();
    var width = range[1] - range[0];
    if (width >= last || range[1] >= last) {
      width = Math.max(0, Math.min(width, Math.round(last / 10)));
      setPeriods(0, width);
      filtersChanged();
    }
    play.setAttribute("aria-pressed", "true");
    play.textContent = play.dataset.pause;
    playing = setInterval(function () {
      var now = selectedPeriods();
      if (now[1] >= last) {
        stopPlay();
        return;
      }
      setPeriods(now[0] + 1, now[1] + 1);
      filtersChanged();
    }, PLAY_STEP_MS);
  }

  function stopPlay() {
    var play = document.getElementById("time-play");
    clearInterval(playing);
    playing = null;
    play.setAttribute("aria-pressed", "false");
    play.textContent = play.dataset.play;
  }

  // ---- drawing -----------------------------------------------------------------

  var nodes = null;
  var network = null;
  var container = document.getElementById("graph");
  var nodeShownInVis = new Uint8Array(N);

  function nodeItem(n) {
    var color = typeInfo[node.type(n)].color;
    return {
      id: n, x: px[n], y: py[n], size: node.radius(n), shape: typeInfo[node.type(n)].shape,
      color: { background: color, border: "#ffffff", highlight: { background: color, border: TEXT } },
      hidden: !nodeOn[n],
    };
  }

  // Push node visibility and positions to vis: only what changed since the last push.
  var visX = new Float64Array(N);
  var visY = new Float64Array(N);
  function syncNodes() {
    var changes = [];
    for (var n = 0; n < N; n++) {
      var moved = visX[n] !== px[n] || visY[n] !== py[n];
      if (moved || nodeShownInVis[n] !== nodeOn[n]) {
        changes.push(moved ? { id: n, hidden: !nodeOn[n], x: px[n], y: py[n] } : { id: n, hidden: !nodeOn[n] });
        nodeShownInVis[n] = nodeOn[n];
        visX[n] = px[n];
        visY[n] = py[n];
      }
    }
    if (changes.length) nodes.update(changes);
  }

  function edgeWidth(k) {
    if (edge.relation(k) === CO) return 0.8;
    return Math.min(6, 1.5 + Math.log(Math.max(1, edge.weight(k))) / Math.LN2 * 0.75);
  }

  function edgeColor(k) { return edge.relation(k) === CO ? CO_COLOR : relationInfo[edge.relation(k)].color; }

  // The control point of a curved edge (parallel edges bend further and further), or null.
  function control(k) {
    var c = edge.curve(k);
    if (!c) return null;
    var a = Math.min(edge.from(k), edge.to(k)), b = Math.max(edge.from(k), edge.to(k));
    var dx = px[b] - px[a], dy = py[b] - py[a];
    var bend = 0.18 * c * (c % 2 ? 1 : -1);
    return { x: (px[a] + px[b]) / 2 - dy * bend, y: (py[a] + py[b]) / 2 + dx * bend };
  }

  function tracePath(ctx, k) {
    var a = edge.from(k), b = edge.to(k), c = control(k);
    ctx.moveTo(px[a], py[a]);
    if (c) ctx.quadraticCurveTo(c.x, c.y, px[b], py[b]);
    else ctx.lineTo(px[b], py[b]);
  }

  function traceArrow(ctx, k, scale) {
    var a = edge.from(k), b = edge.to(k), c = control(k) || { x: px[a], y: py[a] };
    var angle = Math.atan2(py[b] - c.y, px[b] - c.x);
    var back = node.radius(b) + 1 / scale;
    var tipX = px[b] - Math.cos(angle) * back, tipY = py[b] - Math.sin(angle) * back;
    var size = (6 + edgeWidth(k)) / scale;
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - size * Math.cos(angle - 0.4), tipY - size * Math.sin(angle - 0.4));
    ctx.lineTo(tipX - size * Math.cos(angle + 0.4), tipY - size * Math.sin(angle + 0.4));
    ctx.closePath();
  }

  function inView(k, view) {
    var a = edge.from(k), b = edge.to(k);
    var minX = Math.min(px[a], px[b]), maxX = Math.max(px[a], px[b]);
    var minY = Math.min(py[a], py[b]), maxY = Math.max(py[a], py[b]);
    var pad = edge.curve(k) ? Math.max(maxX - minX, maxY - minY) : 0;
    return maxX + pad >= view.x0 && minX - pad <= view.x1 && maxY + pad >= view.y0 && minY - pad <= view.y1;
  }

  function viewBox() {
    var corner = network.DOMtoCanvas({ x: 0, y: 0 });
    var far = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    return { x0: corner.x, y0: corner.y, x1: far.x, y1: far.y };
  }

  // Draw edges batched by style: one path per colour, width and dash pattern.
  function drawEdges(ctx, list, scale) {
    var view = viewBox();
    var groups = new Map();
    list.forEach(function (k) {
      if (!inView(k, view)) return;
      var key = edgeColor(k) + "|" + edgeWidth(k) + "|" + edge.claim(k);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(k);
    });
    groups.forEach(function (group) {
      var k0 = group[0];
      ctx.beginPath();
      group.forEach(function (k) { tracePath(ctx, k); });
      ctx.strokeStyle = edgeColor(k0);
      ctx.lineWidth = edgeWidth(k0) / scale;
      var dash = DASHES[edge.claim(k0)];
      ctx.setLineDash(dash ? dash.map(function (d) { return d / scale; }) : []);
      ctx.stroke();
      ctx.setLineDash([]);
      var arrows = group.filter(function (k) { return edge.relation(k) !== CO && !relationInfo[edge.relation(k)].symmetric; });
      if (arrows.length) {
        ctx.beginPath();
        arrows.forEach(function (k) { traceArrow(ctx, k, scale); });
        ctx.fillStyle = edgeColor(k0);
        ctx.fill();
      }
    });
  }

  // ---- labels: a grid of claimed rectangles, most important entities first -------

  var labelWidths = new Map();
  function labelWidth(ctx, n) {
    if (!labelWidths.has(n)) labelWidths.set(n, ctx.measureText(node.label(n)).width);
    return labelWidths.get(n);
  }

  function LabelGrid(cell) {
    this.cell = cell;
    this.cells = new Map();
  }
  LabelGrid.prototype.keys = function (r) {
    var keys = [];
    for (var gx = Math.floor(r.x / this.cell); gx <= Math.floor((r.x + r.w) / this.cell); gx++) {
      for (var gy = Math.floor(r.y / this.cell); gy <= Math.floor((r.y + r.h) / this.cell); gy++) keys.push(gx + "," + gy);
    }
    return keys;
  };
  LabelGrid.prototype.free = function (r) {
    var cells = this.cells;
    return this.keys(r).every(function (key) {
      return !(cells.get(key) || []).some(function (o) {
        return r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h;
      });
    });
  };
  LabelGrid.prototype.claim = function (r) {
    var cells = this.cells;
    this.keys(r).forEach(function (key) {
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(r);
    });
  };

  // Candidate rectangles for a label (DOM pixels): below the entity, above, right, left, the four
  // corners, then one line further below or above.
  function placements(n, at, width, scale) {
    var r = node.radius(n) * scale + 2, h = LABEL_FONT + 4, w = width + 6;
    var d = r * Math.SQRT1_2;
    return [
      { x: at.x - w / 2, y: at.y + r, w: w, h: h },
      { x: at.x - w / 2, y: at.y - r - h, w: w, h: h },
      { x: at.x + r, y: at.y - h / 2, w: w, h: h },
      { x: at.x - r - w, y: at.y - h / 2, w: w, h: h },
      { x: at.x + d, y: at.y + d, w: w, h: h },
      { x: at.x + d, y: at.y - d - h, w: w, h: h },
      { x: at.x - d - w, y: at.y + d, w: w, h: h },
      { x: at.x - d - w, y: at.y - d - h, w: w, h: h },
      { x: at.x - w / 2, y: at.y + r + h, w: w, h: h },
      { x: at.x - w / 2, y: at.y - r - 2 * h, w: w, h: h },
    ];
  }

  // Places further out, joined to the entity by a thin line: for the most important entities only,
  // when the places next to them are taken.
  function farPlacements(at, width) {
    var h = LABEL_FONT + 4, w = width + 6, places = [];
    for (var ring = 2; ring <= 7; ring++) {
      for (var k = 0; k < 8; k++) {
        var angle = Math.PI / 2 + k * Math.PI / 4;
        var cx = at.x + Math.cos(angle) * ring * h * 1.6, cy = at.y + Math.sin(angle) * ring * h;
        places.push({ x: cx - w / 2, y: cy - h / 2, w: w, h: h });
      }
    }
    return places;
  }

  var drawnLabels = [];

  // Entity names, most important first, each where it finds room (DOM pixels; the context is
  // set to them by the caller).
  function drawNodeLabels(ctx, grid, litNodes) {
    var scale = network.getScale();
    var width = container.clientWidth, height = container.clientHeight;
    var order = byImportance;
    if (litNodes) {
      order = Array.from(litNodes).sort(function (a, b) {
        return (b === litNodes.first) - (a === litNodes.first) || importance[a] - importance[b];
      });
    }
    ctx.font = LABEL_FONT + "px system-ui, sans-serif";
    order.forEach(function (n) {
      if (!nodeOn[n]) return;
      var at = network.canvasToDOM({ x: px[n], y: py[n] });
      if (at.x < -200 || at.y < -50 || at.x > width + 200 || at.y > height + 50) return;
      function fits(r) {
        return r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height && grid.free(r);
      }
      var w = labelWidth(ctx, n);
      var spot = placements(n, at, w, scale).find(fits);
      var leader = false;
      if (!spot && importance[n] < ALWAYS_LABELLED) {
        spot = farPlacements(at, w).find(fits);
        leader = Boolean(spot);
      }
      if (!spot) return;
      grid.claim(spot);
      if (leader) {
        ctx.beginPath();
        ctx.moveTo(at.x, at.y);
        ctx.lineTo(Math.max(spot.x, Math.min(at.x, spot.x + spot.w)), Math.max(spot.y, Math.min(at.y, spot.y + spot.h)));
        ctx.lineWidth = 1;
        ctx.strokeStyle = MUTED;
        ctx.stroke();
      }
      var selected = selection && selection.kind === "node" && selection.index === n;
      ctx.font = (selected ? "bold " : "") + LABEL_FONT + "px system-ui, sans-serif";
      outlinedText(ctx, node.label(n), spot.x + spot.w / 2, spot.y + spot.h / 2, TEXT);
      drawnLabels.push({ node: n, x: spot.x, y: spot.y, width: spot.w, height: spot.h });
    });
  }

  // Relation names at the middle of their edges, where the entity names left room.
  function drawEdgeLabels(ctx, grid, list) {
    ctx.font = EDGE_FONT + "px system-ui, sans-serif";
    list.forEach(function (k) {
      if (edge.relation(k) === CO) return;
      var a = edge.from(k), b = edge.to(k), c = control(k);
      var mx = c ? (px[a] + 2 * c.x + px[b]) / 4 : (px[a] + px[b]) / 2;
      var my = c ? (py[a] + 2 * c.y + py[b]) / 4 : (py[a] + py[b]) / 2;
      var at = network.canvasToDOM({ x: mx, y: my });
      var text = relationName(edge.relation(k));
      var w = ctx.measureText(text).width + 4, h = EDGE_FONT + 3;
      var spot = { x: at.x - w / 2, y: at.y - h / 2, w: w, h: h };
      if (!grid.free(spot)) return;
      grid.claim(spot);
      outlinedText(ctx, text, at.x, at.y, edgeColor(k));
    });
  }

  function outlinedText(ctx, text, x, y, color) {
    ctx.lineWidth = 4;
    ctx.strokeStyle = "#ffffff";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = color;
    ctx.fillText(text, x, y);
  }

  function drawLabels(ctx, ratio, edgeList) {
    var grid = new LabelGrid(64);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    drawnLabels = [];
    drawNodeLabels(ctx, grid, lit ? lit.nodes : null);
    drawEdgeLabels(ctx, grid, edgeList);
    ctx.restore();
  }

  // ---- highlight -----------------------------------------------------------------

  // The highlighted neighbourhood, or null: after vis has drawn the entities, a white veil
  // dims the view and the neighbourhood is drawn again on top with vis's own node renderer.
  var lit = null;

  function neighbourhood(n) {
    var nodeSet = new Set([n]);
    nodeSet.first = n;
    var edgeList = visibleEdges.filter(function (k) { return edge.from(k) === n || edge.to(k) === n; });
    edgeList.forEach(function (k) { nodeSet.add(edge.from(k)); nodeSet.add(edge.to(k)); });
    return { nodes: nodeSet, edges: edgeList };
  }

  function onBeforeDrawing(ctx) {
    var view = viewBox();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(view.x0, view.y0, view.x1 - view.x0, view.y1 - view.y0);
    drawEdges(ctx, visibleEdges, network.getScale());
  }

  var firstDraw = true;
  function onAfterDrawing(ctx) {
    var ratio = network.canvas.pixelRatio || 1;
    var scale = network.getScale();
    if (lit !== null) {
      var view = viewBox();
      ctx.fillStyle = VEIL;
      ctx.fillRect(view.x0, view.y0, view.x1 - view.x0, view.y1 - view.y0);
      drawEdges(ctx, lit.edges, scale);
      lit.nodes.forEach(function (n) {
        var item = network.body.nodes[n];
        if (item && nodeOn[n]) item.draw(ctx);
      });
    }
    var typed = visibleEdges.filter(function (k) { return edge.relation(k) !== CO; });
    drawLabels(ctx, ratio, lit ? lit.edges : (typed.length <= EDGE_LABELS ? typed : []));
    if (firstDraw) {
      firstDraw = false;
      document.getElementById("loading").hidden = true;
    }
    if (window.graphkit) window.graphkit.frames++;
  }

  // ---- edge hit test ----------------------------------------------------------------

  function distanceToSegment(p, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay;
    var t = dx || dy ? ((p.x - ax) * dx + (p.y - ay) * dy) / (dx * dx + dy * dy) : 0;
    t = Math.max(0, Math.min(1, t));
    return Math.hypot(p.x - ax - t * dx, p.y - ay - t * dy);
  }

  function edgeDistance(p, k) {
    var a = edge.from(k), b = edge.to(k), c = control(k);
    if (!c) return distanceToSegment(p, px[a], py[a], px[b], py[b]);
    var best = Infinity, x0 = px[a], y0 = py[a];
    for (var s = 1; s <= 12; s++) {
      var t = s / 12, u = 1 - t;
      var x1 = u * u * px[a] + 2 * u * t * c.x + t * t * px[b];
      var y1 = u * u * py[a] + 2 * u * t * c.y + t * t * py[b];
      best = Math.min(best, distanceToSegment(p, x0, y0, x1, y1));
      x0 = x1;
      y0 = y1;
    }
    return best;
  }

  function edgeAt(point) {
    var tolerance = HIT_PIXELS / network.getScale();
    var best = -1, bestDistance = tolerance;
    (lit ? lit.edges : visibleEdges).forEach(function (k) {
      var d = edgeDistance(point, k);
      if (d <= bestDistance) {
        best = k;
        bestDistance = d;
      }
    });
    return best;
  }

  // ---- neighbourhood view --------------------------------------------------------------

  // Lay out a node's neighbours on rings around it: typed relations first, heaviest first.
  function radialLayout(n) {
    var score = new Map();
    visibleEdges.forEach(function (k) {
      var other = edge.from(k) === n ? edge.to(k) : edge.from(k);
      if (other === n) return;
      var value = (edge.relation(k) === CO ? 0 : 1e6) + edge.weight(k);
      score.set(other, Math.max(score.get(other) || 0, value));
    });
    var around = Array.from(score.keys()).sort(function (a, b) { return score.get(b) - score.get(a) || a - b; });
    var spacing = 2 * around.concat([n]).reduce(function (r, m) { return Math.max(r, node.radius(m)); }, 0) + 80;
    var ring = 0;
    for (var placed = 0; placed < around.length; ring++) {
      var radius = (ring + 1) * spacing * 1.5;
      var count = Math.min(around.length - placed, Math.floor(2 * Math.PI * radius / spacing));
      for (var j = 0; j < count; j++) {
        var m = around[placed + j], angle = 2 * Math.PI * j / count - Math.PI / 2 + ring * 0.3;
        px[m] = px[n] + radius * Math.cos(angle);
        py[m] = py[n] + radius * Math.sin(angle);
      }
      placed += count;
    }
  }

  function restorePositions() {
    for (var n = 0; n < N; n++) {
      px[n] = data.nodes[n][4];
      py[n] = data.nodes[n][5];
    }
  }

  // ---- panel ------------------------------------------------------------------------

  var panel = document.getElementById("panel");
  var panelTitle = document.getElementById("panel-title");
  var panelBody = document.getElementById("panel-body");
  var panelHint = panelBody.firstElementChild.cloneNode(true);

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
    if (document.getElementById("layout").classList.contains("no-panel")) setFolded("panel", false);
    panelTitle.textContent = title;
    panelBody.replaceChildren.apply(panelBody, children);
    panel.scrollTop = 0;
    if (window.matchMedia("(max-width: 760px)").matches) panel.scrollIntoView({ block: "start" });
  }

  function clearPanel() {
    panelTitle.textContent = T.details;
    panelBody.replaceChildren(panelHint.cloneNode(true));
  }

  function arrow(k) { return relationInfo[edge.relation(k)].symmetric ? "\u2014" : "\u2192"; }

  function edgeTitle(k) {
    return [node.label(edge.from(k)), arrow(k), relationName(edge.relation(k)), arrow(k), node.label(edge.to(k))].join(" ");
  }

  function isWebAddress(url) { return /^https?:\/\//i.test(url); }

  // A line naming a document: title, outlet, date, then the file name.
  function docLabel(d) {
    return [doc.title(d), doc.outlet(d), doc.date(d), doc.name(d)].filter(Boolean).join(" \u00b7 ");
  }

  function docButton(d) {
    return button(docLabel(d), function () { select({ kind: "doc", index: d }, true); });
  }

  function nodePanel(n) {
    var aliases = node.aliases(n).filter(function (a) { return a !== node.label(n); });
    var pairs = [[T.type, typeName(node.type(n)) + " (" + node.type(n) + ")"], [T.mentions, node.mentions(n)]];
    if (node.id(n) !== node.label(n)) pairs.push([T.id, node.id(n)]);
    pairs.push([T.aliases, aliases.length ? aliases.join(", ") : T.none]);
    if (node.review(n)) pairs.push([T.review_status, reviewMarks(node.review(n))]);
    var parts = [definitions(pairs)];
    var merges = node.merges(n).filter(function (m) { return m[1].indexOf("review") === 0; });
    if (merges.length) {
      parts.push(el("ul", "merges", null, merges.map(function (m) { return el("li", null, m[0] + " \u2014 " + m[1]); })));
    }
    parts.push(entityReview(n));
    parts.push(el("p", "actions", null, [focus === n
      ? button(T.whole_graph, function () { setFocus(-1); })
      : button(T.neighbourhood, function () { setFocus(n); })]));
    var typed = incident[n].filter(function (k) { return edge.relation(k) !== CO; });
    typed.sort(function (a, b) { return edge.weight(b) - edge.weight(a) || edge.relation(a).localeCompare(edge.relation(b)) || a - b; });
    parts.push(el("h3", null, T.relations + " (" + typed.length + ")"));
    if (typed.length) {
      parts.push(el("ul", "links", null, typed.map(function (k) {
        var other = edge.from(k) === n ? edge.to(k) : edge.from(k);
        var rel = relationName(edge.relation(k));
        var text;
        if (relationInfo[edge.relation(k)].symmetric) text = rel + " \u2014 " + node.label(other);
        else if (edge.from(k) === n) text = rel + " \u2192 " + node.label(other);
        else text = "\u2190 " + rel + " " + node.label(other);
        var b = button(text, function () { select({ kind: "edge", index: k }, true); });
        var sub = " \u00b7 " + edge.weight(k);
        if (edge.claim(k)) sub += " \u00b7 " + T[edge.claim(k)];
        b.appendChild(el("span", "sub", sub));
        return el("li", null, null, [b]);
      })));
    } else {
      parts.push(el("p", "hint", T.no_relation));
    }
    var co = incident[n].length - typed.length;
    if (co) parts.push(el("p", "hint", co === 1 ? T.shares_one : format(T.shares_many, { n: co })));
    var docs = node.docs(n);
    parts.push(el("h3", null, T.documents + " (" + docs.length + ")"));
    parts.push(el("ul", "docs", null, docs.map(function (d) { return el("li", null, null, [docButton(d)]); })));
    showPanel(node.label(n), parts);
  }

  // ---- sentences with the two entities marked -------------------------------------------

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, " ").toLowerCase().trim();
  }

  // The folded text and, for each of its characters, the index of the character it came from.
  function foldWithMap(text) {
    var out = "", map = [];
    for (var j = 0; j < text.length; j++) {
      var f = text[j].normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u2018\u2019\u02bc]/g, "'").toLowerCase();
      for (var c = 0; c < f.length; c++) {
        out += f[c];
        map.push(j);
      }
    }
    return { text: out, map: map };
  }

  var WORD = /[0-9a-z\u00c0-\u024f]/i;

  // [start, end, role] ranges of the sentence where the names of each end appear, in order, not overlapping.
  function nameRanges(sentence, ends) {
    var folded = foldWithMap(sentence);
    var found = [];
    ends.forEach(function (names, role) {
      names.forEach(function (name) {
        var key = fold(name);
        if (key.length < 2) return;
        var at = folded.text.indexOf(key);
        while (at >= 0) {
          var before = at > 0 ? folded.text[at - 1] : " ";
          var after = folded.text[at + key.length] || " ";
          if (!WORD.test(before) && !WORD.test(after)) {
            found.push([folded.map[at], folded.map[at + key.length - 1] + 1, role]);
          }
          at = folded.text.indexOf(key, at + 1);
        }
      });
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var kept = [], end = -1;
    found.forEach(function (r) {
      if (r[0] >= end) {
        kept.push(r);
        end = r[1];
      }
    });
    return kept;
  }

  function markedSentence(sentence, ends) {
    var quote = el("blockquote");
    var at = 0;
    nameRanges(sentence, ends).forEach(function (r) {
      if (r[0] > at) quote.appendChild(document.createTextNode(sentence.slice(at, r[0])));
      quote.appendChild(el("mark", r[2] ? "target" : "source", sentence.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < sentence.length) quote.appendChild(document.createTextNode(sentence.slice(at)));
    return quote;
  }

  function citation(item) {
    var d = item[0];
    var parts = [doc.title(d) || doc.name(d), doc.outlet(d), doc.date(d), doc.url(d)].filter(Boolean);
    return "\u00ab " + more().texts[item[1]] + " \u00bb \u2014 " + parts.join(", ");
  }

  function copyText(text, status) {
    function fallback() {
      var area = el("textarea", null, text);
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (_error) { ok = false; }
      area.remove();
      status.textContent = ok ? T.copied : T.copy_failed;
    }
    window.graphkit.lastCopied = text;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { status.textContent = T.copied; }, fallback);
    } else {
      fallback();
    }
  }

  function names(n) { return [node.label(n), node.id(n)].concat(node.aliases(n)); }

  function evidenceItem(item, ends, k) {
    var d = item[0];
    var quote = markedSentence(more().texts[item[1]], ends);
    if (item[2]) quote.classList.add(item[2]);
    var meta = el("p", "meta");
    var bits = [doc.title(d), doc.outlet(d), doc.date(d)].filter(Boolean);
    if (bits.length) meta.appendChild(document.createTextNode(bits.join(" \u00b7 ") + " \u00b7 "));
    if (isWebAddress(doc.url(d))) {
      var link = el("a", null, doc.url(d));
      link.href = doc.url(d);
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      meta.appendChild(link);
      meta.appendChild(document.createTextNode(" \u00b7 "));
    } else if (doc.url(d)) {
      meta.appendChild(document.createTextNode(doc.url(d) + " \u00b7 "));
    }
    meta.appendChild(document.createTextNode(T.file + " " + doc.name(d)));
    if (doc.copies(d).length) {
      var copies = doc.copies(d).map(function (c) { return [c[4] || c[0], c[2]].filter(Boolean).join(" "); });
      meta.appendChild(document.createTextNode(" \u00b7 " + T.also_published + " " + copies.join(", ")));
    }
    if (item[3]) meta.appendChild(document.createTextNode(" \u00b7 " + T.attr_to + " " + item[3]));
    if (item[2]) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "tag " + item[2], T[item[2]] || item[2]));
    }
    var status = el("span", "hint");
    status.setAttribute("role", "status");
    var copy = button(T.copy_citation, function () { copyText(citation(item), status); });
    copy.className = "cite";
    var actions = el("p", "item-actions", null, [copy]);
    if (edge.relation(k) !== CO) actions.appendChild(sentenceReview(k, item));
    actions.appendChild(status);
    return el("li", null, null, [quote, meta, actions]);
  }

  function edgePanel(k) {
    var rel = edge.relation(k);
    var pairs = [
      [T.relation, rel === CO ? T.cooccurrence : relationText(rel)],
      [T.direction, relationInfo[rel].symmetric ? T.symmetric : node.label(edge.from(k)) + " \u2192 " + node.label(edge.to(k))],
    ];
    if (edge.claim(k)) pairs.push([T.status, T["status_" + edge.claim(k)]]);
    var kept = edge.kept(k), weight = edge.weight(k);
    var count = kept < weight ? format(T.kept_some, { kept: kept, weight: weight })
      : weight === 1 ? T.kept_one : format(T.kept_all, { n: weight });
    pairs.push([T.sentences, count]);
    if (edge.review(k)) pairs.push([T.review_status, reviewMarks(edge.review(k))]);
    var parts = [definitions(pairs)];
    if (rel !== CO) parts.push(edgeReview(k));
    parts.push(el("ul", "links", null, [edge.from(k), edge.to(k)].map(function (n) {
      return el("li", null, null, [button(T.entity + " : " + node.label(n), function () { select({ kind: "node", index: n }, true); })]);
    })));
    var ends = [names(edge.from(k)), names(edge.to(k))];
    var evidence = edge.evidence(k);
    parts.push(el("h3", null, T.evidence + " (" + evidence.length + ")"));
    var list = el("ol", "evidence", null, evidence.slice(0, EVIDENCE_SHOWN).map(function (item) { return evidenceItem(item, ends, k); }));
    parts.push(list);
    if (evidence.length > EVIDENCE_SHOWN) {
      var all = button(format(T.show_all, { n: evidence.length }), function () {
        evidence.slice(EVIDENCE_SHOWN).forEach(function (item) { list.appendChild(evidenceItem(item, ends, k)); });
        all.remove();
      });
      parts.push(all);
    }
    showPanel(edgeTitle(k), parts);
  }

  function docPanel(d) {
    var pairs = [];
    if (doc.outlet(d)) pairs.push([T.outlet, doc.outlet(d)]);
    if (doc.date(d)) pairs.push([T.date, doc.date(d)]);
    pairs.push([T.file, doc.name(d)]);
    var parts = [definitions(pairs)];
    if (isWebAddress(doc.url(d))) {
      var link = el("a", null, doc.url(d));
      link.href = doc.url(d);
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      parts.push(el("p", "meta", null, [link]));
    }
    parts.push(el("p", "actions", null, [button(T.filter_document, function () {
      state.doc = doc.name(d);
      filtersChanged();
    })]));
    var inDoc = [];
    for (var n = 0; n < N; n++) if (node.docs(n).indexOf(d) >= 0) inDoc.push(n);
    inDoc.sort(function (a, b) { return importance[a] - importance[b]; });
    var relations = [];
    for (var k = 0; k < E; k++) {
      if (edge.relation(k) !== CO && edge.evidence(k).some(function (item) { return item[0] === d; })) relations.push(k);
    }
    parts.push(el("h3", null, T.relations + " (" + relations.length + ")"));
    parts.push(el("ul", "links", null, relations.map(function (k) {
      return el("li", null, null, [button(edgeTitle(k), function () { select({ kind: "edge", index: k }, true); })]);
    })));
    parts.push(el("h3", null, T.entities_box + " (" + inDoc.length + ")"));
    parts.push(el("ul", "links", null, inDoc.map(function (m) {
      return el("li", null, null, [button(node.label(m), function () { select({ kind: "node", index: m }, true); })]);
    })));
    showPanel(T.document_view + " : " + (doc.title(d) || doc.name(d)), parts);
  }

  // ---- review: decisions made in the page, kept in the browser, downloaded as review.json ----

  var REVIEW_KEY = "graphkit-review:" + location.pathname;
  var decisions = loadDecisions();

  // The decisions kept for this page, less those the graph has since been built with.
  function loadDecisions() {
    var stored;
    try {
      stored = JSON.parse(window.localStorage.getItem(REVIEW_KEY) || "[]");
    } catch (_error) {
      return [];
    }
    if (!Array.isArray(stored)) return [];
    var built = new Set((data.review || []).map(decisionKey));
    return stored.filter(function (d) { return !built.has(decisionKey(d)); });
  }

  // A decision without its date: the same decision made on another day is the same.
  function decisionKey(decision) {
    var copy = Object.assign({}, decision);
    delete copy.at;
    return JSON.stringify(Object.keys(copy).sort().map(function (key) { return [key, copy[key]]; }));
  }

  function saveDecisions() {
    try {
      window.localStorage.setItem(REVIEW_KEY, JSON.stringify(decisions));
    } catch (_error) {
      // Storage refused (private window): the decisions last as long as the page.
    }
    renderReviewBox();
  }

  function decide(decision) {
    decision.at = new Date().toISOString().slice(0, 10);
    decisions.push(decision);
    saveDecisions();
    applySelection(false);
  }

  // Whether a decision is about a target (an entity, a relation, or one sentence of a relation);
  // a merge is about the entity kept.
  function sameTarget(decision, target) {
    var about = Object.assign({}, decision, { entity: decision.entity || decision.into });
    return ["entity", "source", "label", "target", "doc", "start"].every(function (key) { return about[key] === target[key]; });
  }

  function undo(decision) {
    decisions = decisions.filter(function (d) { return d !== decision; });
    saveDecisions();
    if (selection) applySelection(false);
  }

  // What the page decided about a target, as a line with an « undo » button, or null.
  function decidedLine(target) {
    var found = decisions.filter(function (d) { return sameTarget(d, target); });
    if (!found.length) return null;
    return el("p", "decided", null, found.map(function (d) {
      var span = el("span", null, T.decided + " " + describe(d) + " ");
      span.appendChild(button(T.undo, function () { undo(d); }));
      return span;
    }));
  }

  function describe(d) {
    var what = T["action_" + d.action] || d.action;
    if (d.action === "merge") return what + " " + d.entities.join(", ") + " \u2192 " + d.into;
    if (d.entity) return what + " " + d.entity + (d.by ? " (" + d.by + ")" : "");
    var text = what + " " + d.source + " " + d.label + " " + d.target;
    return d.doc ? text + " (" + d.doc + ")" : text;
  }

  function entityReview(n) {
    var id = node.id(n);
    var box = el("div", "review");
    var line = decidedLine({ entity: id });
    if (line) box.appendChild(line);
    var merge = el("input");
    merge.type = "search";
    merge.placeholder = T.merge_placeholder;
    merge.setAttribute("aria-label", T.merge_with);
    merge.className = "merge-name";
    var mergeButton = button(T.merge_with, function () {
      var ranks = matchRanks(merge.value);
      var best = Array.from(ranks.keys()).filter(function (m) { return m !== n; })
        .sort(function (a, b) { return ranks.get(a) - ranks.get(b) || importance[a] - importance[b]; })[0];
      if (best === undefined) {
        merge.setCustomValidity(T.no_match);
        merge.reportValidity();
        return;
      }
      decide({ action: "merge", entities: [node.id(best)], into: id });
    });
    merge.addEventListener("input", function () { merge.setCustomValidity(""); });
    box.appendChild(el("p", "actions", null, [
      button(T.confirm, function () { decide({ action: "confirm", entity: id }); }),
      button(T.wrong_entity, function () { decide({ action: "delete", entity: id }); }),
      button(T.split, function () { decide({ action: "split", entity: id, by: "document" }); }),
    ]));
    box.appendChild(el("p", "merge-row", null, [merge, mergeButton]));
    return box;
  }

  function edgeTarget(k) {
    return { source: node.id(edge.from(k)), label: edge.relation(k), target: node.id(edge.to(k)) };
  }

  function edgeReview(k) {
    var box = el("div", "review");
    var line = decidedLine(edgeTarget(k));
    if (line) box.appendChild(line);
    box.appendChild(el("p", "actions", null, [
      button(T.confirm, function () { decide(Object.assign({ action: "confirm" }, edgeTarget(k))); }),
      button(T.wrong_relation, function () { decide(Object.assign({ action: "reject" }, edgeTarget(k))); }),
    ]));
    return box;
  }

  // « Wrong » for one sentence of a relation.
  function sentenceReview(k, item) {
    var target = Object.assign({ action: "reject" }, edgeTarget(k), { doc: doc.name(item[0]), start: item[4] });
    return decidedLine(target) || button(T.wrong_sentence, function () { decide(target); });
  }

  function reviewFile() {
    return { graphkit_review: 1, decisions: (data.review || []).concat(decisions) };
  }

  function renderReviewBox() {
    var list = document.getElementById("review-list");
    list.replaceChildren.apply(list, decisions.map(function (d) {
      return el("li", null, describe(d) + " ", [button(T.undo, function () { undo(d); })]);
    }));
    document.getElementById("review-count").textContent = String(decisions.length);
    document.getElementById("review-download").disabled = decisions.length === 0;
  }

  document.getElementById("review-download").addEventListener("click", function () {
    var text = JSON.stringify(reviewFile(), null, 1) + "\n";
    download(new Blob([text], { type: "application/json" }), "review.json");
  });

  // ---- selection and view ----------------------------------------------------------------

  // Ask vis for a redraw in the next frame: requests made in one frame (ours, and vis's own after
  // a data change) give one drawing.
  function redraw() { if (network) network.body.emitter.emit("_requestRedraw"); }

  // Zoom so that the given entities (by default those drawn) fill the view, small graphs included.
  // A margin is left around them for the labels of the entities on the edges.
  function fitView(list) {
    network.fit({ nodes: list || visibleNodes, animation: false, maxZoomLevel: MAX_FIT_ZOOM });
    network.moveTo({ scale: network.getScale() * FIT_MARGIN, animation: false });
  }

  function applySelection(moveView) {
    lit = null;
    network.unselectAll();
    if (selection === null) {
      clearPanel();
    } else if (selection.kind === "node") {
      var n = selection.index;
      if (!nodeOn[n]) revealNode(n);
      lit = neighbourhood(n);
      network.selectNodes([n], false);
      if (moveView) network.focus(n, { scale: Math.max(network.getScale(), 1), animation: false });
      nodePanel(n);
    } else if (selection.kind === "edge") {
      var k = selection.index;
      if (visibleEdges.indexOf(k) < 0) revealEdge(k);
      var pair = new Set([edge.from(k), edge.to(k)]);
      pair.first = -1;
      lit = { nodes: pair, edges: [k] };
      if (moveView) fitView([edge.from(k), edge.to(k)]);
      edgePanel(k);
    } else {
      docPanel(selection.index);
    }
    updateTableCurrent();
    redraw();
  }

  // Filters changed so that a selected entity or relation shows again.
  function revealNode(n) {
    state.types.add(node.type(n));
    state.minMentions = Math.min(state.minMentions, node.mentions(n));
    if (focus >= 0 && focus !== n && !neighbourhood(focus).nodes.has(n)) focus = -1;
    computeVisible();
    if (!nodeOn[n]) {
      state.relations = defaultState().relations;
      clearEvidenceFilters();
    }
    refresh();
  }

  // Every filter on the sentences back to its default.
  function clearEvidenceFilters() {
    var base = defaultState();
    ["claims", "attribution", "text", "doc", "outlet", "since", "until"].forEach(function (key) {
      state[key] = base[key];
    });
  }

  function revealEdge(k) {
    if (edge.relation(k) === CO) {
      state.showCo = true;
      state.minCo = Math.min(state.minCo, edge.weight(k));
    } else {
      state.relations.add(edge.relation(k));
    }
    [edge.from(k), edge.to(k)].forEach(function (n) {
      state.types.add(node.type(n));
      state.minMentions = Math.min(state.minMentions, node.mentions(n));
    });
    if (focus >= 0 && focus !== edge.from(k) && focus !== edge.to(k)) focus = -1;
    computeVisible();
    if (visibleEdges.indexOf(k) < 0) clearEvidenceFilters();
    refresh();
  }

  // Select something (or null); push it to the history when it comes from the user.
  function select(target, moveView) {
    selection = target;
    applySelection(moveView);
    saveHash(true);
  }

  function setFocus(n) {
    focus = n;
    if (n >= 0) selection = { kind: "node", index: n };
    refresh();
    applySelection(false);
    fitView();
    saveHash(true);
  }

  // Recompute and redraw after a change of filters or focus.
  function refresh() {
    computeVisible();
    restorePositions();
    if (focus >= 0) radialLayout(focus);
    syncNodes();
    syncControls();
    updateSummary();
    renderTable();
    if (selection && selection.kind === "node" && lit) lit = neighbourhood(selection.index);
    redraw();
  }

  function filtersChanged() {
    refresh();
    saveHash(false);
  }

  // ---- address ------------------------------------------------------------------------

  function listParam(set, all) {
    return set.size === all.length ? null : Array.from(set).sort().join(",");
  }

  function hashOf() {
    var params = new URLSearchParams();
    if (selection && selection.kind === "node") params.set("entity", node.id(selection.index));
    if (selection && selection.kind === "edge") {
      var k = selection.index;
      params.set("from", node.id(edge.from(k)));
      params.set("rel", edge.relation(k));
      params.set("to", node.id(edge.to(k)));
    }
    if (selection && selection.kind === "doc") params.set("document", doc.name(selection.index));
    if (focus >= 0) params.set("focus", node.id(focus));
    var base = defaultState();
    var types = listParam(state.types, data.types);
    if (types !== null) params.set("types", types);
    var relations = listParam(state.relations, Array.from(base.relations));
    if (relations !== null) params.set("relations", relations);
    if (state.showCo !== base.showCo) params.set("co", state.showCo ? "1" : "0");
    if (state.minCo > 1) params.set("min_weight", String(state.minCo));
    if (state.minMentions > 1) params.set("min_mentions", String(state.minMentions));
    var claims = listParam(state.claims, CLAIMS);
    if (claims !== null) params.set("claims", claims);
    if (state.attribution) params.set("attribution", state.attribution);
    if (state.text) params.set("text", state.text);
    if (state.doc) params.set("doc", state.doc);
    if (state.outlet) params.set("outlet", state.outlet);
    if (state.since) params.set("since", state.since);
    if (state.until) params.set("until", state.until);
    var text = params.toString();
    return text ? "#" + text : "";
  }

  var lastHash = null;
  function saveHash(push) {
    var hash = hashOf();
    if (hash === lastHash) return;
    lastHash = hash;
    var url = location.href.split("#")[0] + hash;
    try {
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    } catch (_error) {
      // A page shown where its address cannot change (a notebook's frame): the view still works.
    }
  }

  function nodeById(id) {
    for (var n = 0; n < N; n++) if (node.id(n) === id) return n;
    return -1;
  }

  function readSet(params, key, all) {
    if (!params.has(key)) return new Set(all);
    return new Set(params.get(key).split(",").filter(function (x) { return all.indexOf(x) >= 0; }));
  }

  // Restore the view from the address (on load and on Back or Forward).
  function loadHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var base = defaultState();
    state = base;
    state.types = readSet(params, "types", data.types.map(function (t) { return t[0]; }));
    state.relations = readSet(params, "relations", Array.from(base.relations));
    if (params.has("co")) state.showCo = params.get("co") === "1";
    state.minCo = Math.max(1, Number(params.get("min_weight")) || 1);
    state.minMentions = Math.max(1, Number(params.get("min_mentions")) || 1);
    state.claims = readSet(params, "claims", CLAIMS);
    state.attribution = params.get("attribution") || "";
    state.text = params.get("text") || "";
    state.doc = params.get("doc") || "";
    state.outlet = params.get("outlet") || "";
    state.since = /^\d{4}-\d{2}-\d{2}$/.test(params.get("since") || "") ? params.get("since") : "";
    state.until = /^\d{4}-\d{2}-\d{2}$/.test(params.get("until") || "") ? params.get("until") : "";
    if ((state.since || state.until) && data.dated) buildTimeBox();
    focus = params.has("focus") ? nodeById(params.get("focus")) : -1;
    selection = null;
    if (params.has("entity") && nodeById(params.get("entity")) >= 0) {
      selection = { kind: "node", index: nodeById(params.get("entity")) };
    } else if (params.has("from") && params.has("to")) {
      var a = nodeById(params.get("from")), b = nodeById(params.get("to"));
      for (var k = 0; k < E; k++) {
        if (edge.from(k) === a && edge.to(k) === b && edge.relation(k) === params.get("rel")) selection = { kind: "edge", index: k };
      }
    } else if (params.has("document") && docByName(params.get("document")) >= 0) {
      selection = { kind: "doc", index: docByName(params.get("document")) };
    }
    refresh();
    applySelection(selection !== null && focus < 0);
    if (focus >= 0 || selection === null) fitView();
    lastHash = hashOf();
  }

  // ---- summary -------------------------------------------------------------------------

  function counted(count, words, total) {
    var text = count.toLocaleString(data.lang) + (total !== null && total !== count ? " " + T.summary_of + " " + total.toLocaleString(data.lang) : "");
    return text + " " + (count === 1 && (total === null || total === count) ? words[0] : words[1]);
  }

  function updateSummary() {
    var typed = 0, co = 0;
    visibleEdges.forEach(function (k) { if (edge.relation(k) === CO) co++; else typed++; });
    var docs = data.summary.documents;
    if (state.doc !== "") docs = 1;
    else if (state.outlet !== "") docs = more().docs.filter(function (_row, d) { return doc.outlets(d).indexOf(state.outlet) >= 0; }).length;
    var parts = [
      counted(docs, T.summary_documents, state.doc || state.outlet ? data.summary.documents : null),
      counted(visibleNodes.length, T.summary_entities, N),
      counted(typed, T.summary_relations, E - coCount),
      counted(co, T.summary_cooccurrences, coCount),
    ];
    if (data.summary.left_out) parts.push(format(T.summary_left_out, { n: data.summary.left_out.toLocaleString(data.lang) }));
    document.getElementById("summary").textContent = parts.join(" \u00b7 ");
  }

  // ---- entity table and search -------------------------------------------------------------

  var searchInput = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  var tableBody = document.querySelector("#entity-table tbody");
  var tableMore = document.getElementById("table-more");
  var sortKey = "mentions", sortDescending = true, tableLimit = TABLE_ROWS;

  var searchIndex = null;
  function buildSearchIndex() {
    searchIndex = [];
    for (var n = 0; n < N; n++) {
      var seen = new Set();
      [node.label(n), node.id(n)].concat(node.aliases(n)).forEach(function (name) {
        var key = fold(name);
        if (key && !seen.has(key)) {
          seen.add(key);
          searchIndex.push({ key: key, node: n });
        }
      });
    }
  }

  // Rank of each entity matching the query: exact, prefix, word start, anywhere.
  function matchRanks(query) {
    var q = fold(query);
    var ranks = new Map();
    if (!q) return ranks;
    if (searchIndex === null) buildSearchIndex();
    searchIndex.forEach(function (entry) {
      var rank;
      if (entry.key === q) rank = 0;
      else if (entry.key.startsWith(q)) rank = 1;
      else if ([" ", "'", "-"].some(function (c) { return entry.key.indexOf(c + q) >= 0; })) rank = 2;
      else if (entry.key.indexOf(q) >= 0) rank = 3;
      else return;
      if (!ranks.has(entry.node) || rank < ranks.get(entry.node)) ranks.set(entry.node, rank);
    });
    return ranks;
  }

  var SORTS = {
    name: function (a, b) { return node.label(a).localeCompare(node.label(b), data.lang); },
    type: function (a, b) { return node.type(a).localeCompare(node.type(b)); },
    mentions: function (a, b) { return node.mentions(a) - node.mentions(b); },
    docs: function (a, b) { return node.docCount(a) - node.docCount(b); },
    relations: function (a, b) { return typedDegree[a] - typedDegree[b]; },
  };

  // Entities of the table: matches of the search (all entities), else the entities shown.
  function tableRows() {
    var ranks = matchRanks(searchInput.value);
    var rows = fold(searchInput.value) ? Array.from(ranks.keys()) : visibleNodes.slice();
    var sign = sortDescending ? -1 : 1;
    rows.sort(function (a, b) {
      return (ranks.get(a) || 0) - (ranks.get(b) || 0) || sign * SORTS[sortKey](a, b) || a - b;
    });
    return rows;
  }

  var tableOrder = [];
  function renderTable() {
    tableOrder = tableRows();
    var rows = tableOrder.slice(0, tableLimit).map(function (n) {
      var name = button(node.label(n), function () { pick(n); });
      name.dataset.node = String(n);
      var cells = [
        el("td", null, null, [name]),
        el("td", null, node.type(n)),
        el("td", "num", node.mentions(n)),
        el("td", "num", node.docCount(n)),
        el("td", "num", typedDegree[n]),
      ];
      var row = el("tr", null, null, cells);
      row.dataset.node = String(n);
      if (!nodeOn[n]) row.classList.add("hidden-entity");
      return row;
    });
    tableBody.replaceChildren.apply(tableBody, rows);
    tableMore.hidden = tableOrder.length <= tableLimit;
    document.querySelectorAll("#entity-table th button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.sort === sortKey));
    });
    if (fold(searchInput.value)) {
      searchStatus.textContent = tableOrder.length
        ? tableOrder.length + " " + (tableOrder.length === 1 ? T.match : T.matches)
        : T.no_match;
    } else {
      searchStatus.textContent = "";
    }
    updateTableCurrent();
  }

  function updateTableCurrent() {
    var current = selection && selection.kind === "node" ? String(selection.index) : null;
    tableBody.querySelectorAll("tr").forEach(function (row) {
      row.classList.toggle("current", row.dataset.node === current);
    });
  }

  function pick(n) { select({ kind: "node", index: n }, true); }

  document.querySelectorAll("#entity-table th button").forEach(function (b) {
    b.addEventListener("click", function () {
      if (sortKey === b.dataset.sort) sortDescending = !sortDescending;
      else {
        sortKey = b.dataset.sort;
        sortDescending = sortKey !== "name" && sortKey !== "type";
      }
      renderTable();
    });
  });
  tableMore.addEventListener("click", function () {
    tableLimit += TABLE_ROWS;
    renderTable();
  });
  searchInput.addEventListener("input", function () {
    tableLimit = TABLE_ROWS;
    renderTable();
  });
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    renderTable();
    if (fold(searchInput.value) && tableOrder.length) pick(tableOrder[0]);
  });
  searchInput.addEventListener("keydown", function (event) {
    var first = tableBody.querySelector("button");
    if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
  });
  tableBody.addEventListener("keydown", function (event) {
    var buttons = Array.from(tableBody.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < buttons.length) buttons[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? buttons[at - 1] : searchInput).focus();
    else return;
    event.preventDefault();
  });

  // ---- filter controls ----------------------------------------------------------------------

  var controls = { types: {}, relations: {}, claims: {} };

  function checkbox(id, swatch, text, count, onChange) {
    var input = el("input");
    input.type = "checkbox";
    input.id = id;
    input.addEventListener("change", function () { onChange(input.checked); });
    var label = el("label", "check", null, [input, swatch, document.createTextNode(text + " "), el("span", "count", count)]);
    label.htmlFor = id;
    return { label: label, input: input };
  }

  function toggle(set, value, on) {
    if (on) set.add(value);
    else set.delete(value);
    filtersChanged();
  }

  function buildControls() {
    var typeCounts = {};
    data.nodes.forEach(function (row) { typeCounts[row[2]] = (typeCounts[row[2]] || 0) + 1; });
    var typeBox = document.getElementById("type-filters");
    data.types.forEach(function (t, k) {
      var swatch = el("span", "swatch shape-" + t[2]);
      swatch.style.background = t[1];
      var box = checkbox("type-" + k, swatch, typeName(t[0]) + " (" + t[0] + ")", typeCounts[t[0]] || 0,
        function (on) { toggle(state.types, t[0], on); });
      controls.types[t[0]] = box.input;
      typeBox.appendChild(box.label);
    });
    var relationCounts = {};
    data.edges.forEach(function (row) { relationCounts[row[2]] = (relationCounts[row[2]] || 0) + 1; });
    var relationBox = document.getElementById("relation-filters");
    data.relations.forEach(function (r, k) {
      if (r[0] === CO) return;
      var swatch = el("span", r[2] ? "line" : "line arrow");
      swatch.style.color = r[1];
      var box = checkbox("relation-" + k, swatch, relationText(r[0]), relationCounts[r[0]],
        function (on) { toggle(state.relations, r[0], on); });
      controls.relations[r[0]] = box.input;
      relationBox.appendChild(box.label);
    });
    if (!Object.keys(controls.relations).length) relationBox.appendChild(el("p", "hint", T.no_relation));
    var claimCounts = {};
    data.edges.forEach(function (row) { if (row[2] !== CO) claimCounts[row[4] || "asserted"] = (claimCounts[row[4] || "asserted"] || 0) + 1; });
    var claimBox = document.getElementById("claim-filters");
    CLAIMS.forEach(function (claim) {
      var swatch = el("span", "line" + (claim === "negated" ? " dashed" : claim === "hypothetical" ? " dotted" : ""));
      var box = checkbox("claim-" + claim, swatch, T[claim], claimCounts[claim] || 0,
        function (on) { toggle(state.claims, claim, on); });
      controls.claims[claim] = box.input;
      claimBox.appendChild(box.label);
    });

    controls.showCo = document.getElementById("show-cooccurrences");
    controls.minCo = document.getElementById("min-weight");
    controls.minMentions = document.getElementById("min-mentions");
    controls.attribution = document.getElementById("attribution");
    controls.text = document.getElementById("text-search");
    controls.doc = document.getElementById("document");
    controls.outlet = document.getElementById("outlet");
    document.getElementById("cooccurrence-count").textContent = String(coCount);
    controls.minCo.max = String(maxCoWeight);
    controls.minMentions.max = String(maxMentions);
    if (!coCount) document.getElementById("cooccurrence-box").hidden = true;
    controls.showCo.addEventListener("change", function () {
      state.showCo = controls.showCo.checked;
      filtersChanged();
    });
    slider(controls.minCo, "min-weight-value", function (value) { state.minCo = value; });
    slider(controls.minMentions, "min-mentions-value", function (value) { state.minMentions = value; });
    controls.attribution.addEventListener("change", function () {
      state.attribution = controls.attribution.value;
      filtersChanged();
    });
    controls.doc.addEventListener("change", function () {
      state.doc = controls.doc.value;
      filtersChanged();
    });
    controls.outlet.addEventListener("change", function () {
      state.outlet = controls.outlet.value;
      filtersChanged();
    });
    var textPending = null;
    controls.text.addEventListener("input", function () {
      clearTimeout(textPending);
      textPending = setTimeout(function () {
        state.text = controls.text.value.trim();
        filtersChanged();
      }, 150);
    });
  }

  // A range input applied at most once a frame while it moves.
  function slider(input, outputId, apply) {
    var output = document.getElementById(outputId);
    var pending = false;
    input.addEventListener("input", function () {
      output.textContent = input.value;
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        apply(Number(input.value));
        filtersChanged();
      });
    });
  }

  function option(value, text) {
    var o = el("option", null, text);
    o.value = value;
    return o;
  }

  // The choices of the source and attribution menus, from the details (read after the first draw).
  var sourcesBuilt = false;
  function buildSourceMenus() {
    if (sourcesBuilt) return;
    sourcesBuilt = true;
    var docs = more().docs;
    controls.doc.replaceChildren(option("", T.all_documents));
    docs.map(function (row, d) { return d; })
      .sort(function (a, b) { return docLabel(a).localeCompare(docLabel(b), data.lang); })
      .forEach(function (d) { controls.doc.appendChild(option(doc.name(d), docLabel(d))); });
    var outlets = new Map();
    docs.forEach(function (_row, d) {
      doc.outlets(d).forEach(function (o) { outlets.set(o, (outlets.get(o) || 0) + 1); });
    });
    controls.outlet.replaceChildren(option("", T.all_outlets));
    Array.from(outlets.keys()).sort().forEach(function (o) { controls.outlet.appendChild(option(o, o + " (" + outlets.get(o) + ")")); });
    document.getElementById("outlet").disabled = outlets.size === 0;
    var speakers = new Map();
    more().evidence.forEach(function (items) {
      items.forEach(function (item) { if (item[3]) speakers.set(item[3], (speakers.get(item[3]) || 0) + 1); });
    });
    controls.attribution.replaceChildren(option("", T.attr_all), option("some", T.attr_some), option("none", T.attr_none));
    Array.from(speakers.keys()).sort(function (a, b) { return speakers.get(b) - speakers.get(a) || a.localeCompare(b); })
      .forEach(function (s) { controls.attribution.appendChild(option("to:" + s, T.attr_to + " " + s)); });
    syncControls();
  }

  // Make the controls show the state.
  function syncControls() {
    Object.keys(controls.types).forEach(function (t) { controls.types[t].checked = state.types.has(t); });
    Object.keys(controls.relations).forEach(function (r) { controls.relations[r].checked = state.relations.has(r); });
    Object.keys(controls.claims).forEach(function (c) { controls.claims[c].checked = state.claims.has(c); });
    controls.showCo.checked = state.showCo;
    controls.minCo.value = String(state.minCo);
    document.getElementById("min-weight-value").textContent = String(state.minCo);
    controls.minMentions.value = String(state.minMentions);
    document.getElementById("min-mentions-value").textContent = String(state.minMentions);
    if (document.activeElement !== controls.text) controls.text.value = state.text;
    syncTimeControls();
    if (sourcesBuilt || state.doc || state.outlet || state.attribution) {
      buildSourceMenus();
      controls.doc.value = state.doc;
      controls.outlet.value = state.outlet;
      controls.attribution.value = state.attribution;
    }
  }

  function reset() {
    if (playing !== null) stopPlay();
    state = defaultState();
    focus = -1;
    selection = null;
    searchInput.value = "";
    refresh();
    applySelection(false);
    fitView();
    saveHash(true);
  }

  // ---- folding panels, keyboard ----------------------------------------------------------------

  function setFolded(which, folded) {
    var layout = document.getElementById("layout");
    var toggleButton = document.getElementById(which === "controls" ? "fold-controls" : "fold-panel");
    layout.classList.toggle(which === "controls" ? "no-controls" : "no-panel", folded);
    document.getElementById(which === "controls" ? "controls-body" : "panel-inner").hidden = folded;
    toggleButton.setAttribute("aria-expanded", String(!folded));
    toggleButton.textContent = folded ? toggleButton.dataset.unfold : toggleButton.dataset.fold;
  }

  document.getElementById("fold-controls").addEventListener("click", function () {
    setFolded("controls", !document.getElementById("layout").classList.contains("no-controls"));
  });
  document.getElementById("fold-panel").addEventListener("click", function () {
    setFolded("panel", !document.getElementById("layout").classList.contains("no-panel"));
  });

  // Escape in a text box clears that box only; elsewhere it leaves the selection and the neighbourhood view.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) {
      if (target.type === "search" || target.tagName === "SELECT") {
        event.preventDefault();
        target.value = "";
        target.dispatchEvent(new Event(target.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
      }
      return;
    }
    if (selection !== null || focus >= 0) {
      focus = -1;
      selection = null;
      refresh();
      applySelection(false);
      saveHash(true);
    }
  });

  // ---- exports ---------------------------------------------------------------------------------

  function fileStem() {
    return (document.title || "graph").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "graph";
  }

  function download(blob, name) {
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // A CSV cell: quoted when needed; text a spreadsheet would run as a formula gets a leading « ' ».
  function csvCell(value) {
    var text = String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function viewCsv() {
    var lines = [["kind", "id", "label", "type", "mentions", "source", "relation", "target", "weight", "status"]];
    visibleNodes.forEach(function (n) {
      lines.push(["entity", node.id(n), node.label(n), node.type(n), node.mentions(n), "", "", "", "", ""]);
    });
    visibleEdges.forEach(function (k) {
      lines.push(["relation", "", "", "", "", node.id(edge.from(k)), edge.relation(k), node.id(edge.to(k)),
        edge.weight(k), edge.claim(k) || "asserted"]);
    });
    return lines.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  document.getElementById("export-csv").addEventListener("click", function () {
    download(new Blob(["\ufeff" + viewCsv()], { type: "text/csv;charset=utf-8" }), fileStem() + ".csv");
  });
  document.getElementById("export-png").addEventListener("click", function () {
    network.redraw();  // drawn now, synchronously: the canvas holds the current view
    var canvas = container.querySelector("canvas");
    canvas.toBlob(function (blob) { download(blob, fileStem() + ".png"); }, "image/png");
  });

  // ---- start -------------------------------------------------------------------------------------

  function start() {
    nodes = new vis.DataSet();
    computeVisible();
    var items = [];
    for (var n = 0; n < N; n++) {
      items.push(nodeItem(n));
      nodeShownInVis[n] = nodeOn[n];
      visX[n] = px[n];
      visY[n] = py[n];
    }
    nodes.add(items);
    var options = {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false },
      nodes: { borderWidth: 1, borderWidthSelected: 3, font: { size: 0 } },
      interaction: {
        hover: false,
        dragNodes: false,
        keyboard: { enabled: true, bindToWindow: false },
        multiselect: false,
        navigationButtons: false,
        zoomSpeed: 0.6,
      },
    };
    network = new vis.Network(container, { nodes: nodes, edges: new vis.DataSet() }, options);
    var frame = container.firstElementChild;
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-label", T.graph_label);
    network.on("beforeDrawing", onBeforeDrawing);
    network.on("afterDrawing", onAfterDrawing);
    network.on("click", function (params) {
      if (params.nodes.length) {
        select({ kind: "node", index: params.nodes[0] }, false);
        return;
      }
      var k = edgeAt(params.pointer.canvas);
      if (k >= 0) select({ kind: "edge", index: k }, false);
      else if (selection !== null) select(null, false);
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) setFocus(params.nodes[0]);
    });
    buildControls();
    renderReviewBox();
    document.getElementById("reset").addEventListener("click", reset);
    window.addEventListener("popstate", loadHash);
    if (window.matchMedia("(max-width: 760px)").matches) {
      ["entities-box", "types-box", "relations-box", "cooccurrence-box", "claims-box", "sources-box"].forEach(function (id) {
        document.getElementById(id).open = false;
      });
    }
    window.graphkit = {
      network: network,
      data: data,
      drawn: function () { return { nodes: visibleNodes.length, edges: visibleEdges.length }; },
      labels: function () { return drawnLabels.slice(); },
      visibleEdges: function () { return visibleEdges.slice(); },
      lastCopied: null,
      frames: 0,
    };
    loadHash();
    document.getElementById("sources-box").addEventListener("toggle", buildSourceMenus);
    document.getElementById("claims-box").addEventListener("toggle", buildSourceMenus);
    setTimeout(function () {
      buildSourceMenus();
      if (data.dated) buildTimeBox();
    }, 0);
  }

  // vis-network travels in the page compressed (gzip, then base64): unpack it and run it.
  function loadVis() {
    var packed = document.getElementById("graphkit-vis").textContent.trim();
    var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (code) {
      var script = document.createElement("script");
      script.text = code;
      document.head.appendChild(script);
    });
  }

  if (typeof DecompressionStream === "undefined") {
    document.getElementById("loading").textContent = T.old_browser;
    return;
  }
  loadVis().then(start);
})();
