// The console's state-machine drawing: lays out the scope tree of /console/graph (sfn/asl/graph.hpp) as an
// SVG, layered top to bottom. Parallel branches and Map item processors are drawn inside their state; Choice
// edges carry their condition; Catch edges are dashed; edges that go back up (loops) run along the right side.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const NODE_H = 42, GAP_X = 28, GAP_Y = 58, PAD = 14, HEADER = 28, SCOPE_LABEL = 18, SCOPE_GAP = 16;
  const LABEL_MAX = 42;

  const canvas = document.createElement('canvas').getContext('2d');
  const textWidth = (text, font) => {
    canvas.font = font;
    return canvas.measureText(text).width;
  };
  const el = (tag, attrs = {}, parent = null) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  };
  const short = (text) => (text.length > LABEL_MAX ? text.slice(0, LABEL_MAX - 1) + '…' : text);

  function layoutState(state) {
    const node = { state, inner: [] };
    if (state.scopes.length) {
      node.inner = state.scopes.map(layoutScope);
      const width = node.inner.reduce((sum, s) => sum + s.w, 0) + SCOPE_GAP * (node.inner.length - 1);
      const title = textWidth(state.name + '  ' + state.type, 'bold 13px sans-serif') + 2 * PAD;
      node.w = Math.max(width + 2 * PAD, title);
      node.h = HEADER + SCOPE_LABEL + Math.max(...node.inner.map((s) => s.h)) + PAD;
    } else {
      node.w = Math.max(120, textWidth(state.name, '13px sans-serif') + 32);
      node.h = NODE_H;
    }
    return node;
  }

  // Ranks by longest path over the forward edges of a depth-first search from StartAt; back edges
  // (to a state on the search stack) are loops and do not push their target down.
  function rankScope(scope, names) {
    const out = new Map(names.map((n) => [n, []]));
    for (const e of scope.edges) out.get(e.from)?.push(e.to);
    const visited = new Set(), stack = new Set(), post = [], pre = new Map(), back = new Set();
    const visit = (root) => {
      const work = [[root, 0]];
      visited.add(root); stack.add(root); pre.set(root, pre.size);
      while (work.length) {
        const top = work[work.length - 1];
        const targets = out.get(top[0]) || [];
        if (top[1] < targets.length) {
          const next = targets[top[1]++];
          if (stack.has(next)) back.add(top[0] + '\u0000' + next);
          else if (!visited.has(next) && out.has(next)) {
            visited.add(next); stack.add(next); pre.set(next, pre.size);
            work.push([next, 0]);
          }
        } else {
          stack.delete(top[0]); post.push(top[0]); work.pop();
        }
      }
    };
    if (out.has(scope.startAt)) visit(scope.startAt);
    for (const n of names) if (!visited.has(n)) visit(n);
    const rank = new Map(names.map((n) => [n, 0]));
    for (const n of post.reverse()) {
      for (const m of out.get(n)) {
        if (!back.has(n + '\u0000' + m) && rank.has(m)) rank.set(m, Math.max(rank.get(m), rank.get(n) + 1));
      }
    }
    return { rank, pre, back };
  }

  function layoutScope(scope) {
    const nodes = scope.states.map(layoutState);
    const byName = new Map(nodes.map((n) => [n.state.name, n]));
    const { rank, pre, back } = rankScope(scope, [...byName.keys()]);
    for (const n of nodes) {
      n.rank = rank.get(n.state.name);
      n.order = pre.get(n.state.name);
    }
    // An edge that spans several ranks passes through a thin placeholder in each rank between, so it runs
    // beside the states there instead of through them.
    const placed = [...nodes];
    const preds = new Map(nodes.map((n) => [n, []]));
    const routes = new Map();
    for (const e of scope.edges) {
      const a = byName.get(e.from), b = byName.get(e.to);
      if (!a || !b || back.has(e.from + '\u0000' + e.to)) continue;
      let last = a;
      const via = [];
      for (let r = a.rank + 1; r < b.rank; r++) {
        const dummy = { dummy: true, w: 14, h: 0, rank: r, order: a.order + 0.5 };
        preds.set(dummy, [last]);
        placed.push(dummy);
        via.push(dummy);
        last = dummy;
      }
      preds.get(b).push(last);
      routes.set(e, via);
    }
    const rows = [];
    for (const n of placed) (rows[n.rank] ||= []).push(n);
    let y = PAD;
    for (const row of rows.filter(Boolean)) {
      row.sort((a, b) => a.order - b.order);
      for (const n of row) {
        const ps = preds.get(n).filter((p) => p.x !== undefined);
        n.want = ps.length ? ps.reduce((s, p) => s + p.x + p.w / 2, 0) / ps.length : 0;
      }
      if (row.some((n) => preds.get(n).length)) row.sort((a, b) => a.want - b.want || a.order - b.order);
      const total = row.reduce((s, n) => s + n.w, 0) + GAP_X * (row.length - 1);
      const centre = row.reduce((s, n) => s + n.want, 0) / row.length;
      let x = centre - total / 2;
      for (const n of row) {
        n.x = x; n.y = y; x += n.w + GAP_X;
      }
      const height = Math.max(...row.filter((n) => !n.dummy).map((n) => n.h), 0);
      for (const n of row) if (n.dummy) n.h = height;
      y += height + GAP_Y;
    }
    const minX = Math.min(...placed.map((n) => n.x));
    for (const n of placed) n.x += PAD - minX;
    const backCount = scope.edges.filter((e) => back.has(e.from + '\u0000' + e.to)).length;
    const right = Math.max(...placed.map((n) => n.x + n.w));
    return {
      scope, nodes, byName, back, routes,
      w: right + PAD + (backCount ? 14 + 10 * backCount : 0),
      h: y - GAP_Y + PAD,
      right,
    };
  }

  function drawLabel(parent, x, y, text, kind) {
    const g = el('g', { class: 'edge-label ' + kind }, parent);
    const shown = short(text);
    const w = textWidth(shown, '11px sans-serif') + 8;
    el('rect', { x: x - w / 2, y: y - 8, width: w, height: 16, rx: 3 }, g);
    const t = el('text', { x, y: y + 4, 'text-anchor': 'middle' }, g);
    t.textContent = shown;
    if (shown !== text) el('title', {}, g).textContent = text;
  }

  function drawEdges(layout, parent) {
    const outgoing = new Map();
    for (const e of layout.scope.edges) (outgoing.get(e.from) || outgoing.set(e.from, []).get(e.from)).push(e);
    let lane = 0;
    const labels = [];
    for (const e of layout.scope.edges) {
      const a = layout.byName.get(e.from), b = layout.byName.get(e.to);
      if (!a || !b) continue;
      const cls = 'edge ' + e.kind;
      const marker = e.kind === 'catch' ? 'url(#arrow-catch)' : 'url(#arrow)';
      if (layout.back.has(e.from + '\u0000' + e.to)) {
        const x = layout.right + 14 + 10 * lane++;
        const sy = a.y + a.h / 2, ty = b.y + b.h / 2;
        el('path', { class: cls, d: `M${a.x + a.w} ${sy} H${x} V${ty} H${b.x + b.w}`, 'marker-end': marker }, parent);
        if (e.label) labels.push([x, (sy + ty) / 2, e.label, e.kind]);
        continue;
      }
      const via = layout.routes.get(e) || [];
      const firstX = (edge) => {
        const r = layout.routes.get(edge) || [];
        const n = r.length ? r[0] : layout.byName.get(edge.to);
        return n.x + n.w / 2;
      };
      const siblings = outgoing.get(e.from).filter((s) => !layout.back.has(s.from + '\u0000' + s.to))
        .sort((p, q) => firstX(p) - firstX(q));
      const i = siblings.indexOf(e);
      const points = [[a.x + (a.w * (i + 1)) / (siblings.length + 1), a.y + a.h]];
      for (const d of via) points.push([d.x + d.w / 2, d.y], [d.x + d.w / 2, d.y + d.h]);
      points.push([b.x + b.w / 2, b.y]);
      // Curves between ranks, straight lines through the placeholders.
      let d = `M${points[0][0]} ${points[0][1]}`;
      for (let k = 1; k < points.length; k++) {
        const [px, py] = points[k - 1], [qx, qy] = points[k];
        if (k % 2 === 1) {
          const dy = Math.max(12, (qy - py) / 2);
          d += ` C${px} ${py + dy} ${qx} ${qy - dy} ${qx} ${qy}`;
        } else {
          d += ` L${qx} ${qy}`;
        }
      }
      el('path', { class: cls, d, 'marker-end': marker }, parent);
      const [[sx, sy], [tx, ty]] = points;
      // Labels of sibling edges sit at alternating heights, so that neighbours do not cover each other.
      const t = siblings.length > 1 && i % 2 ? 0.62 : 0.3;
      if (e.label) labels.push([sx + (tx - sx) * t, sy + (ty - sy) * t, e.label, e.kind]);
    }
    for (const l of labels) drawLabel(parent, ...l);
  }

  function drawScope(layout, parent, nodesByName) {
    drawEdges(layout, parent);
    for (const n of layout.nodes) {
      const s = n.state;
      const g = el('g', { class: `state type-${s.type}`, 'data-state': s.name, 'data-status': 'notstarted',
        transform: `translate(${n.x},${n.y})` }, parent);
      el('title', {}, g).textContent = `${s.name} (${s.type})`;
      el('rect', { class: 'box', width: n.w, height: n.h, rx: s.type === 'Choice' ? 18 : 6 }, g);
      const name = el('text', { class: 'name', x: n.inner.length ? PAD : n.w / 2,
        y: n.inner.length ? 18 : 18, 'text-anchor': n.inner.length ? 'start' : 'middle' }, g);
      name.textContent = s.name;
      const type = el('text', { class: 'type', x: n.inner.length ? n.w - PAD : n.w / 2,
        y: n.inner.length ? 18 : 33, 'text-anchor': n.inner.length ? 'end' : 'middle' }, g);
      type.textContent = s.type;
      const badge = el('text', { class: 'badge', x: n.w - 6, y: n.h - 5, 'text-anchor': 'end' }, g);
      nodesByName.set(s.name, { g, badge });
      let x = PAD;
      for (const inner of n.inner) {
        const sg = el('g', { class: 'scope', transform: `translate(${x},${HEADER + SCOPE_LABEL})` }, g);
        el('rect', { class: 'scope-box', width: inner.w, height: inner.h, rx: 4 }, sg);
        const label = el('text', { class: 'scope-label', x: 4, y: -5 }, sg);
        label.textContent = inner.scope.label;
        drawScope(inner, sg, nodesByName);
        x += inner.w + SCOPE_GAP;
      }
    }
  }

  /// Draws `graph` into `container`; returns {svg, setStatus(states), layoutMs}. `onSelect(name)` runs on a click.
  function draw(container, graph, { onSelect } = {}) {
    const started = performance.now();
    const layout = layoutScope(graph);
    const top = 46;
    const svg = el('svg', { class: 'graph', width: layout.w + 20, height: layout.h + top + 10,
      viewBox: `-10 0 ${layout.w + 20} ${layout.h + top + 10}` });
    const defs = el('defs', {}, svg);
    for (const id of ['arrow', 'arrow-catch']) {
      const m = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M0 0 L10 5 L0 10 z', class: id }, m);
    }
    const root = el('g', { transform: `translate(0,${top})` }, svg);
    const start = layout.byName.get(graph.startAt);
    if (start) {
      const cx = start.x + start.w / 2;
      el('circle', { class: 'start', cx, cy: -top + 14, r: 8 }, root);
      el('path', { class: 'edge next', d: `M${cx} ${-top + 22} V${start.y}`, 'marker-end': 'url(#arrow)' }, root);
    }
    const nodes = new Map();
    drawScope(layout, root, nodes);
    container.replaceChildren(svg);
    if (onSelect) {
      svg.addEventListener('click', (event) => {
        const g = event.target.closest('g.state');
        if (g) {
          event.stopPropagation();
          onSelect(g.dataset.state);
        }
      });
    }
    const setStatus = (states) => {
      for (const [name, { g, badge }] of nodes) {
        const s = states[name];
        g.dataset.status = s ? s.status : 'notstarted';
        badge.textContent = s && s.badge ? s.badge : '';
      }
    };
    const select = (name) => {
      for (const [n, { g }] of nodes) g.classList.toggle('selected', n === name);
    };
    return { svg, setStatus, select, layoutMs: performance.now() - started, states: nodes.size };
  }

  window.SfnGraph = { draw };
})();
