/* tmigr-lab console: the dashboard. Plain script (no bundler); uses the vendored SockJS and
 * Vert.x event-bus bridge clients. State arrives as one topology message and then deltas
 * (see README, "Event-bus API"); everything is kept in typed arrays and drawn on canvas in
 * requestAnimationFrame, only when something changed, so 8192 CPUs stay smooth. */
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  let token = params.get('token') || sessionStorage.getItem('tmigr.token') || '';
  if (params.get('token')) sessionStorage.setItem('tmigr.token', token);

  const $ = (sel, root) => (root || document).querySelector(sel);
  const statusEl = $('#status');
  const connError = $('#conn-error');

  const COLORS = {
    cpu: ['#3a3a3a', '#f0a030', '#6fa8dc', '#27496b'], // offline, busy, idle tick, idle NOHZ
    waking: '#ff4fd8', gactive: '#2fa866', gidle: '#4a5563', migr: '#ffd23f', border: '#0d1217', text: '#e8edf2'
  };
  const CPU_RGB = [[58, 58, 58], [240, 160, 48], [111, 168, 220], [39, 73, 107]];
  const WAKE_FLASH_MS = 450;

  // ---------------------------------------------------------------------------------------
  // Event bus
  // ---------------------------------------------------------------------------------------

  const eb = new EventBus('/eventbus', { vertxbus_ping_interval: 5000 });
  eb.enableReconnect(true);
  eb.defaultHeaders = { token: token };
  eb.onerror = function (err) {
    connError.textContent = (err && (err.message || err.body)) ? ('error: ' + (err.message || err.body)) : '';
  };

  function request(address, body) {
    return new Promise((resolve, reject) => {
      if (eb.state !== EventBus.OPEN) { reject({ failureCode: 0, message: 'event bus not connected' }); return; }
      eb.send(address, body, {}, (err, reply) => err ? reject(err) : resolve(reply.body));
    });
  }

  function errText(err) {
    if (!err) return 'error';
    return (err.failureCode ? '[' + err.failureCode + '] ' : '') + (err.message || String(err));
  }

  // ---------------------------------------------------------------------------------------
  // One pane: an experiment's tree, CPU grid, charts and log
  // ---------------------------------------------------------------------------------------

  class Pane {
    constructor(root, index) {
      this.root = root;
      this.index = index;
      root.appendChild($('#pane-template').content.cloneNode(true));
      this.el = {
        select: $('.exp-select', root), title: $('.title', root), simtime: $('.simtime', root),
        status: $('.run-status', root), migrator: $('.migrator', root), rate: $('.rate', root),
        msg: $('.msg', root), tree: $('canvas.tree', root), grid: $('canvas.grid', root), tip: $('.tip', root),
        log: $('pre.log', root), charts: Array.from(root.querySelectorAll('canvas.chart'))
      };
      this.id = null;
      this.topo = null;
      this.seq = 0;
      this.updates = 0;
      this.frames = 0;
      this.groupsDrawn = 0;
      this.rateWindow = [];
      this.dirty = false;
      this.logLines = [];
      this.logDirty = false;
      this.series = {};
      this.el.charts.forEach(c => { this.series[c.dataset.metric] = []; });
      this.stateHandler = (err, m) => { if (!err) this.onState(m.body); else this.showError(err); };
      this.metricsHandler = (err, m) => { if (!err) this.onMetrics(m.body); };
      this.bindControls();
      this.el.tree.addEventListener('mousemove', e => this.hover(e));
      this.el.tree.addEventListener('mouseleave', () => { this.el.tip.hidden = true; this.lastMouse = null; });
      this.el.select.addEventListener('change', () => this.attach(this.el.select.value || null));
      root.dataset.exp = '';
      root.dataset.seq = '0';
      root.dataset.updates = '0';
    }

    bindControls() {
      const r = this.root;
      const send = (body, what) => {
        if (!this.id) { this.showError({ message: 'pick an experiment first' }); return; }
        request('tmigr.experiment.' + this.id + '.control', body)
          .then(rep => this.showOk(what + ': ' + (rep.status || 'ok') + (rep.injected ? ' (' + rep.injected + ' injected)' : '')
            + (rep.stepped !== undefined ? ' (' + rep.stepped + ' events)' : '') + (rep.note ? ' - ' + rep.note : '')))
          .catch(err => this.showError(err));
      };
      $('.run', r).onclick = () => send({ op: 'run' }, 'run');
      $('.pause', r).onclick = () => send({ op: 'pause' }, 'pause');
      $('.step', r).onclick = () => send({ op: 'step', events: numOrText($('.step-n', r).value) }, 'step');
      $('.step-by', r).onclick = () => send({ op: 'step', by: numOrText($('.step-t', r).value) }, 'advance');
      $('.speed-set', r).onclick = () => {
        const v = $('.speed', r).value.trim();
        send({ op: 'speed', value: numOrText(v) }, 'speed');
      };
      $('.inject-go', r).onclick = () => {
        const op = $('.inj-op', r).value;
        const step = { cpu: numOrText($('.inj-cpu', r).value), op: op };
        if (op === 'arm' || op === 'cancel' || op === 'rearm') step.timer = $('.inj-timer', r).value.trim();
        if (op === 'arm' || op === 'rearm') step.in = numOrText($('.inj-in', r).value);
        send({ op: 'inject', step: step }, 'inject ' + op + ' on CPU ' + step.cpu);
      };
    }

    showError(err) { this.el.msg.className = 'msg error'; this.el.msg.textContent = errText(err); }
    showOk(text) { this.el.msg.className = 'msg ok'; this.el.msg.textContent = text; }

    attach(id) {
      if (this.id === id) return;
      if (this.id && eb.state === EventBus.OPEN) {
        try { eb.unregisterHandler('tmigr.experiment.' + this.id + '.state', {}, this.stateHandler); } catch (e) { /* closed */ }
        try { eb.unregisterHandler('tmigr.experiment.' + this.id + '.metrics', {}, this.metricsHandler); } catch (e) { /* closed */ }
      }
      this.id = id;
      this.topo = null;
      this.seq = 0;
      this.logLines = [];
      this.logDirty = true;
      Object.keys(this.series).forEach(k => { this.series[k] = []; });
      this.root.dataset.exp = id || '';
      this.el.select.value = id || '';
      this.el.msg.textContent = '';
      this.subscribe();
      this.dirty = true;
    }

    subscribe() {
      if (!this.id || eb.state !== EventBus.OPEN) return;
      eb.registerHandler('tmigr.experiment.' + this.id + '.state', {}, this.stateHandler);
      eb.registerHandler('tmigr.experiment.' + this.id + '.metrics', {}, this.metricsHandler);
      this.snapshot();
    }

    snapshot() {
      const id = this.id;
      request('tmigr.experiment.' + id + '.control', { op: 'snapshot' })
        .then(t => { if (this.id === id) this.onState(t); })
        .catch(err => this.showError(err));
    }

    onState(m) {
      if (!m || m.id !== this.id) return;
      if (m.type === 'topology') {
        if (this.topo && m.seq <= this.seq) return;
        this.setTopology(m);
      } else if (m.type === 'delta') {
        if (!this.topo || m.seq <= this.seq) return;
        if (m.seq !== this.seq + 1) { this.seq = m.seq; this.snapshot(); return; } // lost one: resync
        this.applyDelta(m);
      } else {
        return;
      }
      this.seq = m.seq;
      this.updates++;
      const now = performance.now();
      this.rateWindow.push(now);
      while (this.rateWindow.length && now - this.rateWindow[0] > 2000) this.rateWindow.shift();
      this.root.dataset.seq = String(this.seq);
      this.root.dataset.updates = String(this.updates);
      this.meta(m);
      this.dirty = true;
    }

    meta(m) {
      this.t = m.t;
      this.el.simtime.textContent = fmtTime(m.t);
      this.el.status.textContent = m.status + (m.error ? ' (' + m.error + ')' : '');
      if (m.log) this.addLog(m.log, m.logSkipped || 0);
    }

    setTopology(t) {
      const n = t.cpus;
      const G = t.groups.length;
      const topo = {
        cpus: n, nodes: t.nodes, levels: t.levels, groups: t.groups, cpuNode: t.cpuNode, cpuGroup: t.cpuGroup,
        cpuState: new Uint8Array(n), wakeFlash: new Float64Array(n), heat: new Float32Array(n),
        wakeTotal: new Float64Array(n), active: new Uint8Array(G), migr: new Int32Array(G).fill(-1),
        mask: new Array(G).fill('0'), exp: new Float64Array(G).fill(-1),
        level: new Int8Array(G), parent: new Int32Array(G), x0: new Float64Array(G), x1: new Float64Array(G),
        leafPos: new Int32Array(n).fill(-1), leafCpu: new Int32Array(n), cpuX: null
      };
      for (let g = 0; g < G; g++) { topo.level[g] = t.groups[g].level; topo.parent[g] = t.groups[g].parent; }
      // Leaf order: depth-first from the top root(s), children in connection order; a group spans its leaves.
      let next = 0;
      const roots = t.groups.filter(g => g.parent < 0).sort((a, b) => b.level - a.level);
      const visit = (g) => {
        const gr = t.groups[g];
        topo.x0[g] = next;
        if (gr.level === 0) {
          for (const c of gr.kids) { if (topo.leafPos[c] < 0) { topo.leafPos[c] = next; topo.leafCpu[next] = c; next++; } }
        } else {
          for (const k of gr.kids) visit(k);
        }
        topo.x1[g] = next;
      };
      roots.forEach(r => visit(r.id));
      for (let c = 0; c < n; c++) if (topo.leafPos[c] < 0) { topo.leafPos[c] = next; topo.leafCpu[next] = c; next++; }
      topo.rootIds = roots.map(r => r.id);
      this.topo = topo;
      this.applyChanges(t.state, true);
      if (t.state.wakeTotal) topo.wakeTotal.set(t.state.wakeTotal);
      this.el.title.textContent = t.id + ': ' + n + ' CPUs, ' + t.nodes + ' node' + (t.nodes > 1 ? 's' : '') + ', ' + G + ' groups';
      this.root.dataset.groups = String(G);
    }

    applyDelta(d) { this.applyChanges(d, false); }

    applyChanges(s, full) {
      const T = this.topo;
      const now = performance.now();
      const cpu = s.cpu || [];
      for (let i = 0; i < cpu.length; i += 2) T.cpuState[cpu[i]] = cpu[i + 1];
      const wake = s.wake || [];
      for (let i = 0; i < wake.length; i += 2) {
        const c = wake[i];
        T.wakeFlash[c] = now;
        T.heat[c] += wake[i + 1];
        T.wakeTotal[c] += wake[i + 1];
      }
      const grp = s.grp || [];
      const mask = s.mask || [];
      for (let i = 0, j = 0; i < grp.length; i += 3, j++) {
        const g = grp[i];
        T.active[g] = grp[i + 1] > 0 ? 1 : 0;
        T.migr[g] = grp[i + 2];
        T.mask[g] = mask[j];
      }
      const exp = s.exp || [];
      for (let i = 0; i < exp.length; i += 2) T.exp[exp[i]] = exp[i + 1];
    }

    /** The CPU at the bottom of the migrator chain from the top root (what the gold path shows). */
    markerCpu() {
      const T = this.topo;
      if (!T || !T.rootIds.length) return -1;
      let g = T.rootIds[0];
      for (let guard = 0; guard < 64; guard++) {
        const child = T.migr[g];
        if (child < 0) return -1;
        if (T.level[g] === 0) return child;
        g = child;
      }
      return -1;
    }

    onMetrics(m) {
      if (!m || m.id !== this.id) return;
      const per = (v) => (m.simSeconds > 0 ? v / m.simSeconds : 0);
      const push = (k, v) => { const s = this.series[k]; s.push(v); if (s.length > 120) s.shift(); };
      push('wakeupsPerSec', m.wakeupsPerSec);
      push('latenessP99', m.latenessP99Ns == null ? null : m.latenessP99Ns / 1e6);
      push('remotePerSec', per(m.remoteExpiries));
      push('crossPerSec', per(m.crossNodeExpiries));
      this.lastMetrics = m;
      this.dirty = true;
    }

    addLog(lines, skipped) {
      if (skipped > 0) this.logLines.push('... ' + skipped + ' lines not shown ...');
      for (const l of lines) this.logLines.push(l);
      if (this.logLines.length > 250) this.logLines.splice(0, this.logLines.length - 250);
      this.logDirty = true;
    }

    // ---- drawing ----

    render(now) {
      this.frames++;
      this.root.dataset.frames = String(this.frames);
      this.el.rate.textContent = (this.rateWindow.length / 2).toFixed(1);
      const T = this.topo;
      if (!T) { this.clear(this.el.tree, this.id ? 'waiting for the experiment...' : 'pick an experiment'); this.clear(this.el.grid, ''); return; }
      this.drawTree(now);
      if (this.lastMouse && !this.el.tip.hidden) this.hover(this.lastMouse);
      this.drawGrid(now);
      this.drawCharts();
      const mc = this.markerCpu();
      this.el.migrator.textContent = mc < 0 ? 'none' : String(mc);
      this.root.dataset.migrator = String(mc);
      if (this.logDirty) {
        const pre = this.el.log;
        const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
        pre.textContent = this.logLines.join('\n');
        if (atBottom) pre.scrollTop = pre.scrollHeight;
        this.logDirty = false;
      }
    }

    fit(canvas) {
      const w = Math.max(50, Math.floor(canvas.clientWidth));
      const h = Number(canvas.getAttribute('height'));
      if (canvas.width !== w) canvas.width = w;
      return [w, h];
    }

    clear(canvas, text) {
      const [w, h] = this.fit(canvas);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#0d1217';
      ctx.fillRect(0, 0, w, h);
      if (text) { ctx.fillStyle = '#8a96a3'; ctx.font = '13px sans-serif'; ctx.fillText(text, 10, 20); }
    }

    treeGeometry(w, h) {
      const T = this.topo;
      const rows = T.levels + 1; // group levels + the CPU row
      const cpuRow = Math.max(14, Math.min(40, h / rows));
      const rowH = (h - cpuRow - 4) / T.levels;
      const sx = w / Math.max(1, T.cpus);
      return { rowH, cpuRow, sx, yOf: (lvl) => (T.levels - 1 - lvl) * rowH, cpuY: h - cpuRow };
    }

    drawTree(now) {
      const T = this.topo;
      const canvas = this.el.tree;
      const [w, h] = this.fit(canvas);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#0d1217';
      ctx.fillRect(0, 0, w, h);
      const geo = this.treeGeometry(w, h);
      this.geo = geo;
      const G = T.groups.length;
      ctx.font = '11px sans-serif';
      ctx.textBaseline = 'middle';
      let drawn = 0;
      for (let g = 0; g < G; g++) {
        const x = T.x0[g] * geo.sx;
        const gw = Math.max(1, (T.x1[g] - T.x0[g]) * geo.sx);
        const y = geo.yOf(T.level[g]);
        ctx.fillStyle = T.active[g] ? COLORS.gactive : COLORS.gidle;
        ctx.fillRect(x, y + 1, gw, geo.rowH - 2);
        if (gw > 3) { ctx.strokeStyle = COLORS.border; ctx.strokeRect(x + 0.5, y + 1.5, gw - 1, geo.rowH - 3); }
        if (gw > 46 && geo.rowH > 12) {
          ctx.fillStyle = COLORS.text;
          ctx.fillText(T.groups[g].label, x + 4, y + geo.rowH / 2);
        }
        drawn++;
      }
      this.groupsDrawn = drawn;
      this.root.dataset.groupsDrawn = String(drawn);
      // CPU row: one column per CPU when they fit, else one CPU sampled per pixel column
      this.drawCpuStrip(ctx, w, geo, now);
      // migrator marks: the child that holds each group's migrator role gets a gold bar on its top edge
      ctx.fillStyle = COLORS.migr;
      for (let g = 0; g < G; g++) {
        const m = T.migr[g];
        if (m < 0) continue;
        if (T.level[g] === 0) {
          const x = T.leafPos[m] * geo.sx;
          ctx.fillRect(x, geo.cpuY, Math.max(2, geo.sx), 3);
        } else {
          const x = T.x0[m] * geo.sx;
          ctx.fillRect(x + 1, geo.yOf(T.level[m]) + 1, Math.max(2, (T.x1[m] - T.x0[m]) * geo.sx - 2), 3);
        }
      }
      // the chain from the top root down to the migrator CPU
      const mc = this.markerCpu();
      if (mc >= 0) {
        ctx.strokeStyle = COLORS.migr;
        ctx.lineWidth = 2.5;
        ctx.beginPath();
        // elbows: down from the group's centre to the next row, across to the child, down into it
        let g = T.rootIds[0];
        let px = (T.x0[g] + T.x1[g]) / 2 * geo.sx;
        ctx.moveTo(px, geo.yOf(T.level[g]) + geo.rowH / 2);
        for (let guard = 0; guard < 64 && g >= 0; guard++) {
          const child = T.migr[g];
          if (child < 0) break;
          const leaf = T.level[g] === 0;
          const cx = leaf ? (T.leafPos[child] + 0.5) * geo.sx : (T.x0[child] + T.x1[child]) / 2 * geo.sx;
          const top = leaf ? geo.cpuY : geo.yOf(T.level[child]);
          const cy = leaf ? geo.cpuY + geo.cpuRow / 2 : top + geo.rowH / 2;
          ctx.lineTo(px, top + 2);
          ctx.lineTo(cx, top + 2);
          ctx.lineTo(cx, cy);
          px = cx;
          if (leaf) break;
          g = child;
        }
        ctx.stroke();
        ctx.lineWidth = 1;
        const x = (T.leafPos[mc] + 0.5) * geo.sx;
        ctx.beginPath();
        ctx.moveTo(x, geo.cpuY + geo.cpuRow - 1);
        ctx.lineTo(x - 6, geo.cpuY + geo.cpuRow + 3);
        ctx.lineTo(x + 6, geo.cpuY + geo.cpuRow + 3);
        ctx.fill();
      }
    }

    cpuColor(c, now) {
      const T = this.topo;
      if (now - T.wakeFlash[c] < WAKE_FLASH_MS) return COLORS.waking;
      return COLORS.cpu[T.cpuState[c]];
    }

    drawCpuStrip(ctx, w, geo, now) {
      const T = this.topo;
      const y = geo.cpuY;
      if (T.cpus <= w) {
        for (let p = 0; p < T.cpus; p++) {
          const c = T.leafCpu[p];
          ctx.fillStyle = this.cpuColor(c, now);
          ctx.fillRect(p * geo.sx, y, Math.max(1, geo.sx - (geo.sx > 4 ? 1 : 0)), geo.cpuRow);
        }
        return;
      }
      const hgt = Math.max(1, Math.floor(geo.cpuRow));
      const img = ctx.createImageData(w, hgt);
      const d = img.data;
      for (let x = 0; x < w; x++) {
        const c = T.leafCpu[Math.min(T.cpus - 1, Math.floor(x / geo.sx))];
        const flash = now - T.wakeFlash[c] < WAKE_FLASH_MS;
        const rgb = flash ? [255, 79, 216] : CPU_RGB[T.cpuState[c]];
        for (let yy = 0; yy < hgt; yy++) {
          const o = (yy * w + x) * 4;
          d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
        }
      }
      ctx.putImageData(img, 0, Math.floor(y));
    }

    /** CPU grid: one cell per CPU in id order, coloured by state, with wake-up heat (red, decaying). */
    drawGrid(now) {
      const T = this.topo;
      const canvas = this.el.grid;
      const [w, h] = this.fit(canvas);
      const ctx = canvas.getContext('2d');
      const n = T.cpus;
      let cell = Math.floor(Math.sqrt((w * h) / n));
      cell = Math.max(1, Math.min(28, cell));
      let cols = Math.floor(w / cell);
      while (cell > 1 && Math.ceil(n / cols) * cell > h) { cell--; cols = Math.floor(w / cell); }
      const dt = this.lastGrid ? (now - this.lastGrid) / 1000 : 0;
      this.lastGrid = now;
      const decay = Math.pow(0.5, dt / 1.5); // heat halves every 1.5 s
      const img = ctx.createImageData(w, h);
      const d = img.data;
      for (let i = 3; i < d.length; i += 4) { d[i] = 255; d[i - 3] = 13; d[i - 2] = 18; d[i - 1] = 23; }
      const gap = cell >= 5 ? 1 : 0;
      for (let c = 0; c < n; c++) {
        T.heat[c] *= decay;
        const cx = (c % cols) * cell;
        const cy = Math.floor(c / cols) * cell;
        if (cy + cell > h) break;
        let rgb = CPU_RGB[T.cpuState[c]];
        if (now - T.wakeFlash[c] < WAKE_FLASH_MS) rgb = [255, 79, 216];
        const heat = Math.min(1, T.heat[c] / 4);
        const r = rgb[0] + (255 - rgb[0]) * heat * 0.8;
        const g = rgb[1] * (1 - heat * 0.7);
        const b = rgb[2] * (1 - heat * 0.7);
        for (let yy = 0; yy < cell - gap; yy++) {
          let o = ((cy + yy) * w + cx) * 4;
          for (let xx = 0; xx < cell - gap; xx++, o += 4) { d[o] = r; d[o + 1] = g; d[o + 2] = b; }
        }
      }
      ctx.putImageData(img, 0, 0);
      if (cell >= 14 && (n <= 100 || cell >= 22)) {
        ctx.fillStyle = '#ffffffb0';
        ctx.font = Math.min(11, cell - 4) + 'px sans-serif';
        ctx.textBaseline = 'top';
        for (let c = 0; c < n; c++) ctx.fillText(String(c), (c % cols) * cell + 1, Math.floor(c / cols) * cell + 1);
      }
    }

    drawCharts() {
      for (const canvas of this.el.charts) {
        const data = this.series[canvas.dataset.metric];
        const [w, h] = this.fit(canvas);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#0d1217';
        ctx.fillRect(0, 0, w, h);
        const vals = data.filter(v => v != null && isFinite(v));
        const max = Math.max(1e-9, ...vals) * 1.15;
        ctx.strokeStyle = '#6fa8dc';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        let started = false;
        data.forEach((v, i) => {
          if (v == null || !isFinite(v)) { started = false; return; }
          const x = (i / 119) * (w - 2) + 1;
          const y = h - 2 - (v / max) * (h - 14);
          if (!started) { ctx.moveTo(x, y); started = true; } else ctx.lineTo(x, y);
        });
        ctx.stroke();
        ctx.lineWidth = 1;
        const last = data.length ? data[data.length - 1] : null;
        ctx.fillStyle = '#d8dee6';
        ctx.font = '11px sans-serif';
        ctx.textBaseline = 'top';
        ctx.fillText(last == null ? '-' : fmtNum(last), 4, 2);
        ctx.fillStyle = '#8a96a3';
        ctx.textAlign = 'right';
        ctx.fillText('max ' + fmtNum(max / 1.15), w - 4, 2);
        ctx.textAlign = 'left';
      }
    }

    hover(e) {
      const T = this.topo;
      if (!T || !this.geo) return;
      this.lastMouse = { clientX: e.clientX, clientY: e.clientY }; // the tip follows the live state
      const rect = this.el.tree.getBoundingClientRect();
      const x = (e.clientX - rect.left) * (this.el.tree.width / rect.width);
      const y = (e.clientY - rect.top) * (Number(this.el.tree.getAttribute('height')) / rect.height);
      const geo = this.geo;
      const leaf = Math.floor(x / geo.sx);
      let text = null;
      if (y >= geo.cpuY) {
        const c = T.leafCpu[Math.max(0, Math.min(T.cpus - 1, leaf))];
        text = 'CPU ' + c + ' (node ' + T.cpuNode[c] + ')\nstate: ' + ['offline', 'busy', 'idle, tick on', 'idle, tick stopped'][T.cpuState[c]]
          + '\nwake-ups: ' + T.wakeTotal[c] + (this.markerCpu() === c ? '\ntop migrator' : '');
      } else {
        const lvl = T.levels - 1 - Math.floor(y / geo.rowH);
        for (let g = 0; g < T.groups.length; g++) {
          if (T.level[g] === lvl && leaf >= T.x0[g] && leaf < T.x1[g]) {
            const gr = T.groups[g];
            const m = T.migr[g];
            const exp = T.exp[g];
            text = gr.label + '  level ' + gr.level + (gr.node >= 0 ? ', node ' + gr.node : ', cross-node')
              + '\nactive mask: 0x' + T.mask[g] + (T.active[g] ? ' (active)' : ' (idle)')
              + '\nmigrator: ' + (m < 0 ? 'none' : (gr.level === 0 ? 'CPU ' + m : T.groups[m].label))
              + '\nnext expiry: ' + (exp < 0 ? 'none' : fmtTime(exp) + (this.t != null ? ' (in ' + fmtTime(exp - this.t) + ')' : ''))
              + '\nCPUs below: ' + (T.x1[g] - T.x0[g]);
            break;
          }
        }
      }
      const tip = this.el.tip;
      if (!text) { tip.hidden = true; return; }
      tip.textContent = text;
      tip.hidden = false;
      const px = e.clientX - rect.left;
      tip.style.left = Math.min(px + 12, rect.width - 230) + 'px';
      tip.style.top = (e.clientY - rect.top + 12) + 'px';
    }
  }

  // ---------------------------------------------------------------------------------------
  // Page: catalog, create form, experiment list, two panes
  // ---------------------------------------------------------------------------------------

  const panes = [new Pane($('#pane-0'), 0), new Pane($('#pane-1'), 1)];
  let experiments = [];
  let catalog = null;

  function numOrText(v) {
    const s = String(v).trim();
    return /^-?\d+$/.test(s) ? Number(s) : s;
  }

  function fmtTime(ns) {
    if (ns == null || ns < 0) return '-';
    if (ns >= 1e9) return (ns / 1e9).toFixed(3) + 's';
    if (ns >= 1e6) return (ns / 1e6).toFixed(3) + 'ms';
    if (ns >= 1e3) return (ns / 1e3).toFixed(1) + 'us';
    return ns + 'ns';
  }

  function fmtNum(v) {
    if (v == null) return '-';
    if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
    if (Math.abs(v) >= 10) return v.toFixed(1);
    return v.toFixed(2);
  }

  function fillSelect(sel, values, selected) {
    sel.innerHTML = '';
    for (const v of values) {
      const o = document.createElement('option');
      o.value = String(v);
      o.textContent = String(v);
      if (String(v) === String(selected)) o.selected = true;
      sel.appendChild(o);
    }
  }

  function loadCatalog() {
    return request('tmigr.catalog', {}).then(c => {
      catalog = c;
      fillSelect($('#f-cpg'), c.childrenPerGroup, 8);
      fillSelect($('#f-builder'), c.builders, 'kernel');
      fillSelect($('#f-model'), c.models, 'mainline');
      fillSelect($('#f-migrator'), c.migrators, 'lowest-active');
      fillSelect($('#f-hz'), c.hz, 1000);
      const fs = $('#f-bugs');
      fs.querySelectorAll('label').forEach(l => l.remove());
      for (const b of c.bugs) {
        const l = document.createElement('label');
        l.innerHTML = '<input type="checkbox" value="' + b + '"> ' + b;
        fs.appendChild(l);
      }
      const named = $('#f-named');
      named.querySelectorAll('option[value]:not([value=""])').forEach(o => o.remove());
      for (const sc of (c.scenarios || [])) {
        const o = document.createElement('option');
        o.value = sc.name;
        o.textContent = 'scenario ' + sc.name;
        named.appendChild(o);
      }
      const w = c.workload || {};
      if (w.activity && w.activity.busy && w.activity.busy.mean) $('#f-busy').value = w.activity.busy.mean;
      if (w.activity && w.activity.idle && w.activity.idle.mean) $('#f-idle').value = w.activity.idle.mean;
      if (w.timers && w.timers.rate != null) $('#f-rate').value = String(w.timers.rate);
      $('#f-speed').value = c.defaults.speed;
      document.body.dataset.catalog = 'loaded';
    }).catch(err => { connError.textContent = 'catalog: ' + errText(err); });
  }

  function refreshList() {
    return request('tmigr.experiments', { op: 'list' }).then(r => {
      experiments = r.experiments;
      renderList();
      for (const p of panes) {
        const ids = experiments.map(e => e.id);
        const sel = p.el.select;
        const cur = p.id;
        sel.innerHTML = '<option value="">(none)</option>' + experiments.map(e =>
          '<option value="' + e.id + '">' + e.id + ' ' + escapeHtml(e.name) + '</option>').join('');
        sel.value = cur && ids.includes(cur) ? cur : '';
        if (cur && !ids.includes(cur)) p.attach(null);
      }
      if (!panes[0].id && experiments.length) panes[0].attach(experiments[0].id);
      if (!panes[1].id && experiments.length > 1) panes[1].attach(experiments[experiments.length - 1].id);
    }).catch(() => { /* shown by the bus error handler */ });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
  }

  let listSignature = '';

  function renderList() {
    const tb = $('#experiments tbody');
    // rebuilt only when something shown changed, so a button is not replaced under the mouse
    const sig = experiments.map(e => [e.id, e.name, e.cpus, e.status, e.model].join('|')).join(';')
      + '#' + panes.map(p => p.id).join(',');
    if (sig === listSignature) return;
    listSignature = sig;
    tb.innerHTML = '';
    for (const e of experiments) {
      const tr = document.createElement('tr');
      tr.dataset.id = e.id;
      if (panes.some(p => p.id === e.id)) tr.className = 'sel';
      tr.title = e.name + ': ' + e.cpus + ' CPUs, ' + e.model + ', t=' + fmtTime(e.t);
      tr.innerHTML = '<td>' + e.id + '</td><td>' + escapeHtml(e.name) + '</td><td>' + e.cpus + '</td><td>' + e.status
        + '</td><td><button data-act="L" title="show on the left">L</button><button data-act="R" title="show on the right">R</button>'
        + '<button data-act="del" title="delete">x</button></td>';
      tr.querySelector('[data-act=L]').onclick = () => panes[0].attach(e.id);
      tr.querySelector('[data-act=R]').onclick = () => panes[1].attach(e.id);
      tr.querySelector('[data-act=del]').onclick = () => request('tmigr.experiments', { op: 'delete', id: e.id })
        .then(refreshList).catch(err => { $('#create-error').textContent = errText(err); });
      tb.appendChild(tr);
    }
  }

  $('#create-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.target;
    const err = $('#create-error');
    const ok = $('#create-result');
    err.textContent = '';
    ok.textContent = '';
    const bugs = Array.from(f.querySelectorAll('#f-bugs input:checked')).map(i => i.value);
    const scenario = {
      machine: { cpus: numOrText(f.cpus.value), nodes: numOrText(f.nodes.value) },
      hierarchy: { builder: f.builder.value, childrenPerGroup: numOrText(f.childrenPerGroup.value) },
      model: f.model.value, migrator: f.migrator.value, hz: numOrText(f.hz.value), seed: numOrText(f.seed.value)
    };
    if (bugs.length) scenario.bugs = bugs;
    const req = f.named.value ? { op: 'create', named: f.named.value, speed: numOrText(f.speed.value) }
      : { op: 'create', scenario: scenario, speed: numOrText(f.speed.value) };
    if (f.name.value.trim()) req.name = f.name.value.trim();
    if (f.workload.checked && !f.named.value) {
      // the catalog's default workload, with the form's busy/idle means and timer rate
      const w = JSON.parse(JSON.stringify((catalog && catalog.workload) || {}));
      w.activity = w.activity || {};
      w.activity.busy = { dist: 'exponential', mean: numOrText(f.busy.value) };
      w.activity.idle = { dist: 'exponential', mean: numOrText(f.idle.value) };
      if (w.timers) w.timers.rate = numOrText(f.rate.value);
      scenario.workload = w;
    }
    $('#create-button').disabled = true;
    request('tmigr.experiments', req).then(e => {
      ok.textContent = 'created ' + e.id + ' (' + e.cpus + ' CPUs)';
      return refreshList().then(() => panes[1].attach(e.id));
    }).catch(e => { err.textContent = errText(e); })
      .finally(() => { $('#create-button').disabled = false; });
  });

  $('#token-set').onclick = () => {
    token = $('#token-input').value.trim();
    sessionStorage.setItem('tmigr.token', token);
    eb.defaultHeaders = { token: token };
    location.search = '?token=' + encodeURIComponent(token);
  };
  if (!token) $('#token-box').hidden = false;

  eb.onopen = function () {
    statusEl.textContent = 'open';
    connError.textContent = '';
    loadCatalog();
    refreshList();
    for (const p of panes) { if (p.id) { const id = p.id; p.id = null; p.attach(id); } }
  };
  eb.onclose = function () { statusEl.textContent = 'closed (reconnecting)'; };

  setInterval(() => { if (eb.state === EventBus.OPEN) refreshList(); }, 2000);

  function frame(now) {
    for (const p of panes) {
      if (p.dirty || (p.topo && now - (p.lastFrame || 0) > 200)) { // keep wake flashes and heat fading
        p.dirty = false;
        p.lastFrame = now;
        p.render(now);
      }
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  window.__tmigr = { panes: panes, eb: eb, request: request };
})();
