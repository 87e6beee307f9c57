// SPDX-License-Identifier: MIT
// The workshop screen: pages drawn from the API, kept live by the event
// stream (/events, fed by evgwd's subscriptions).
'use strict';

const PAGES = [
  ['vehicle', () => _('Vehicle')],
  ['faults', () => _('Faults')],
  ['live', () => _('Live data')],
  ['battery', () => _('Battery')],
  ['charging', () => _('Charging')],
  ['recordings', () => _('Recordings')],
];

const S = {
  page: null,
  buses: [],
  daemonUp: null,
  signals: new Map(),   // "BUS.MESSAGE.SIGNAL" -> {bus, message, signal, value, unit, label, ts}
  shown: new Map(),     // "BUS.MESSAGE.SIGNAL" -> [elements showing it]
  charted: [],          // keys on the chart
  series: new Map(),    // key -> [{x: ts, y}]
  chart: null,
  chartDirty: false,
  faultsTimer: null,
  latency: [],          // frame time to value on screen, ms (the bench reads it)
};
window.evgwStats = S;

function key(s) { return s.bus + '.' + s.message + '.' + s.signal; }

// ---- live values: every element with data-signal follows its signal ----

function showValue(node, s) {
  const u = s.unit ? ' ' + s.unit : '';
  node.textContent = s.label ? value(s.value) + u + ' (' + s.label + ')' : value(s.value) + u;
}

function liveValue(k) {
  const n = el('span', { class: 'val', 'data-signal': k });
  const s = S.signals.get(k);
  n.textContent = '—';
  if (s) showValue(n, s);
  return n;
}

function collectShown() {
  S.shown.clear();
  for (const n of document.querySelectorAll('[data-signal]')) {
    const k = n.getAttribute('data-signal');
    if (!S.shown.has(k)) S.shown.set(k, []);
    S.shown.get(k).push(n);
  }
}

function onSignals(list) {
  const now = Date.now() / 1000;
  for (const s of list) {
    const k = key(s);
    S.signals.set(k, s);
    const nodes = S.shown.get(k);
    if (nodes) {
      for (const n of nodes) showValue(n, s);
      if (s.ts) S.latency.push((now - s.ts) * 1000);
    }
    const ser = S.series.get(k);
    if (ser && typeof s.value === 'number') { ser.push({ x: s.ts, y: s.value }); S.chartDirty = true; }
  }
  if (S.latency.length > 5000) S.latency.splice(0, S.latency.length - 5000);
}

// ---- the event stream ----

function banner(text) {
  const b = document.getElementById('banner');
  b.hidden = !text;
  b.textContent = text || '';
}

function daemonPill() {
  const p = document.getElementById('daemon');
  p.textContent = S.daemonUp ? _('evgwd connected') : _('evgwd not running');
  p.className = 'pill ' + (S.daemonUp ? 'ok' : 'bad');
}

function connect() {
  const es = new EventSource('/events');
  es.addEventListener('open', () => { if (S.daemonUp !== false) banner(''); });
  es.addEventListener('error', () => {
    banner(_('The connection to evgw-web was lost; reconnecting...'));
  });
  es.addEventListener('daemon', (e) => {
    const up = JSON.parse(e.data).up;
    const was = S.daemonUp;
    S.daemonUp = up;
    daemonPill();
    banner(up ? '' : _('The daemon (evgwd) is not running or restarting; this page reconnects by itself.'));
    if (up && was === false) render();
  });
  es.addEventListener('buses', (e) => { S.buses = JSON.parse(e.data); if (S.page === 'vehicle') drawBuses(); });
  es.addEventListener('signals', (e) => onSignals(JSON.parse(e.data).signals || []));
  es.addEventListener('faults', () => {
    if (S.page !== 'faults') return;
    clearTimeout(S.faultsTimer);
    S.faultsTimer = setTimeout(loadFaults, 300);
  });
  es.addEventListener('resync', () => render());
}

// ---- pages ----

function section(title, ...kids) { return el('section', { class: 'card' }, el('h2', { text: title }), ...kids); }

function table(heads, rows, cls) {
  return el('div', { class: 'scroll' }, el('table', { class: cls || '' },
    el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { text: h })))),
    el('tbody', {}, ...rows)));
}

function errorText(r) { return r && r.error ? r.error.message || r.error.code : _('no answer'); }

function stateWord(s) {
  const words = { active: _('active'), warning: _('warning'), passive: _('error passive'), 'bus-off': _('bus off'),
    restarting: _('restarting'), down: _('down'), gone: _('adapter missing'), stopped: _('stopped') };
  return words[s] || s;
}

// The bus load from frames per second: a classic 8-byte frame with its
// stuff bits is about 125 bits on the wire.
function loadText(b) {
  if (!b.bitrate) return '—';
  return '≈' + Math.min(100, (b.fps * 125 * 100) / b.bitrate).toFixed(1) + ' %';
}

function drawBuses() {
  const box = document.getElementById('buses');
  if (!box) return;
  clear(box).append(table(
    [_('Bus'), _('State'), _('Load'), _('Frames/s'), _('Bit rate'), _('Profile'), _('Driver'), _('Mode'),
      _('Errors'), _('Recording')],
    S.buses.map((b) => el('tr', {},
      el('td', { text: b.name }),
      el('td', {}, el('span', { class: 'state st-' + b.state, text: stateWord(b.state) })),
      el('td', { text: loadText(b) }),
      el('td', { text: b.fps }),
      el('td', { text: b.bitrate ? (b.bitrate / 1000) + ' kbit/s' : '—' }),
      el('td', { text: b.profile || '—' }),
      el('td', { text: b.driver + ' ' + b.device }),
      el('td', { text: b.mode === 'diagnostic' ? _('diagnostic') : _('listen-only') }),
      el('td', { text: b.error_frames + b.bus_errors }),
      el('td', { text: b.recording || '—' })))));
}

async function readVin(bus) {
  let r = await post('/api/vin', { bus });
  if (!r.ok && r.error && r.error.code === 'bad_request') r = await post('/api/vin', { bus, ecu: 'obd' });
  return r;
}

async function pageVehicle(m) {
  const clock = el('span', { id: 'clock', text: new Date().toLocaleString(EV.lang === 'ru' ? 'ru-RU' : 'en-GB') });
  const info = el('dl', { class: 'facts' });
  const vins = el('div', { id: 'vins' });
  m.append(section(_('Vehicle'), info, vins), section(_('Buses'), el('div', { id: 'buses' })));
  const st = await api('/api/status');
  if (st.ok) {
    const r = st.result;
    info.append(el('dt', { text: _('Time') }), el('dd', {}, clock),
      el('dt', { text: _('Daemon') }), el('dd', { text: 'evgwd ' + r.version + (r.demo ? ' (' + _('demo') + ')' : '') }),
      el('dt', { text: _('Running for') }), el('dd', { text: Math.round(r.uptime_s / 60) + ' ' + _('min') }),
      el('dt', { text: _('Fault store') }), el('dd', { text: r.store ? r.store.state : '—' }));
  }
  const b = await api('/api/buses');
  if (b.ok) S.buses = b.result;
  drawBuses();
  for (const bus of S.buses) {
    const out = el('span', { class: 'vin', id: 'vin-' + bus.name, text: localStorage.getItem('evgw_vin_' + bus.name) || '—' });
    const btn = el('button', { type: 'button', text: _('Read VIN') });
    btn.addEventListener('click', async () => {
      btn.disabled = true; out.textContent = _('asking...');
      const r = await readVin(bus.name);
      btn.disabled = false;
      const vin = r.ok ? (r.result.ecus.find((e) => e.ok && e.vin) || {}).vin : null;
      out.textContent = vin || errorText(r);
      if (vin) localStorage.setItem('evgw_vin_' + bus.name, vin);
    });
    vins.append(el('div', { class: 'row' }, el('strong', { text: bus.name + ' — ' + (bus.profile || '') }), ' ',
      _('VIN'), ': ', out, ' ', bus.mode === 'diagnostic' ? btn : null));
  }
}

// -- faults --

// The daemon's lamp words ("red stop, amber warning (fast flash)") in the
// page's language; a word it does not know stays as sent.
const LAMP_WORDS = ['red stop', 'amber warning', 'MIL', 'protect'];
const FLASH_WORDS = [' (fast flash)', ' (slow flash)'];
void [_('red stop'), _('amber warning'), _('MIL'), _('protect'), _(' (fast flash)'), _(' (slow flash)')];
function lampText(l) {
  if (!l) return '—';
  return l.split(',').map((part) => {
    const flash = FLASH_WORDS.find((w) => part.endsWith(w));
    const name = flash ? part.slice(0, -flash.length) : part;
    const lead = name.startsWith(' ') ? ' ' : '';
    return LAMP_WORDS.includes(name.trim()) ? lead + _(name.trim()) + (flash ? _(flash) : '') : part;
  }).join(',');
}

function faultRow(f) {
  const details = Object.entries(f.freeze_frame || {});
  const ff = details.length
    ? el('details', {}, el('summary', { text: _('Freeze frame') }),
      el('ul', {}, ...details.map(([k, v]) => el('li', { text: k + ' = ' + v }))))
    : null;
  return el('tr', { class: 'sev-' + f.severity },
    el('td', {}, el('span', { class: 'sev sev-' + f.severity, text: severityWord(f.severity) })),
    el('td', { text: statusWord(f.status) }),
    el('td', { text: lampText(f.lamp) }),
    el('td', { text: f.bus }),
    el('td', { text: ecuText(f) }),
    el('td', { class: 'code', text: f.code }),
    el('td', { class: 'desc' }, el('span', { text: f.description }), ff),
    el('td', { text: when(f.first_seen) }),
    el('td', { text: when(f.last_seen) }),
    el('td', { text: f.occurrences }));
}

function faultTable(list, empty) {
  if (!list.length) return el('p', { class: 'muted', text: empty });
  return table([_('Severity'), _('Status'), _('Lamps'), _('Bus'), _('ECU'), _('Code'), _('Description'),
    _('First seen'), _('Last seen'), _('Count')], list.map(faultRow), 'faults');
}

// An observation, not a fault: the daemon marks what rests on a definition
// below public confidence (PROTOCOL.md, faults: "unconfirmed").
function unconfirmed(f) { return f.unconfirmed === true; }

async function loadFaults() {
  const act = document.getElementById('faults-active');
  if (!act) return;
  const [a, h] = await Promise.all([api('/api/faults'), api('/api/faults?history=1')]);
  const list = a.ok ? a.result : [];
  clear(act).append(a.ok ? faultTable(list.filter((f) => !unconfirmed(f)), _('No active faults.'))
    : el('p', { class: 'error', text: errorText(a) }));
  const hist = h.ok ? h.result : [];
  clear(document.getElementById('faults-unconfirmed')).append(
    faultTable([...list, ...hist].filter(unconfirmed).filter((f, i, all) => all.findIndex((g) => g.id === f.id) === i),
      _('No unconfirmed observations.')));
  clear(document.getElementById('faults-history')).append(
    h.ok ? faultTable(hist.filter((f) => !unconfirmed(f)), _('No faults in the store.'))
      : el('p', { class: 'error', text: errorText(h) }));
}

function ecuResults(r, action) {
  if (!r.ok && !(r.error && r.error.ecus)) return el('p', { class: 'error', text: errorText(r) });
  const ecus = r.ok ? r.result.ecus : r.error.ecus;
  return table([_('ECU'), _('Protocol'), _('Answer')], ecus.map((e) => el('tr', {},
    el('td', { text: ecuText(e) }),
    el('td', { text: e.protocol }),
    el('td', { class: e.ok ? 'ok' : 'error',
      text: !e.ok ? errorText(e)
        : action === 'clear' ? (e.cleared ? _('cleared') : _('not cleared')) + (e.result ? ' (' + e.result + ')' : '')
          : fmt(_('{0} DTCs'), (e.dtcs || []).length) + ((e.dtcs || []).length ? ': ' + e.dtcs.map((d) => d.code).join(', ') : '') }))));
}

async function pageFaults(m) {
  const busSel = el('select', { id: 'dtc-bus' }, ...S.buses.filter((b) => b.mode === 'diagnostic')
    .map((b) => el('option', { value: b.name, text: b.name })));
  const ecu = el('input', { id: 'dtc-ecu', value: 'all', size: 10, 'aria-label': _('ECU') });
  const out = el('div', { id: 'dtc-result' });
  const readBtn = el('button', { type: 'button', id: 'read-dtc', text: _('Read DTCs') });
  const clearBtn = el('button', { type: 'button', id: 'clear-dtc', class: 'danger', text: _('Clear DTCs') });
  async function run(action) {
    readBtn.disabled = clearBtn.disabled = true;
    clear(out).append(el('p', { class: 'muted', text: _('asking the ECUs...') }));
    const r = await post(action === 'clear' ? '/api/clear-dtc' : '/api/read-dtc', { bus: busSel.value, ecu: ecu.value });
    readBtn.disabled = clearBtn.disabled = false;
    clear(out);
    if (r.error && r.error.code === 'login_required') {
      out.append(el('p', { class: 'error', id: 'clear-refused', text: _('Log in to clear DTCs.') }));
      return;
    }
    out.append(ecuResults(r, action));
    loadFaults();
  }
  readBtn.addEventListener('click', () => run('read'));
  clearBtn.addEventListener('click', () => run('clear'));
  m.append(
    section(_('Ask the ECUs'),
      el('p', { class: 'muted', text: _('ECU: all (every ECU of the vehicle profile), obd, j1939, or an address such as 7E7.') }),
      el('div', { class: 'row' }, el('label', {}, _('Bus') + ' ', busSel), ' ', el('label', {}, _('ECU') + ' ', ecu), ' ',
        readBtn, ' ', clearBtn), out),
    section(_('Active faults'), el('div', { id: 'faults-active' })),
    section(_('Unconfirmed observations'), el('div', { id: 'faults-unconfirmed' })),
    section(_('History'), el('div', { id: 'faults-history' })));
  if (!S.buses.length) { const b = await api('/api/buses'); if (b.ok) S.buses = b.result; }
  if (!busSel.options.length) {
    for (const b of S.buses.filter((x) => x.mode === 'diagnostic')) busSel.append(el('option', { value: b.name, text: b.name }));
  }
  await loadFaults();
}

// -- live data --

const MAX_CHARTED = 6;
const CHART_SECONDS = 300;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#17becf'];

function makeChart(canvas) {
  if (!window.Chart) return null;
  return new window.Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
      elements: { point: { radius: 0 } },
      scales: { x: { type: 'linear', title: { display: true, text: _('seconds') },
        ticks: { callback: (v) => Math.round(v - Date.now() / 1000) } } },
    },
  });
}

function chartSync() {
  if (!S.chart) return;
  S.chart.data.datasets = S.charted.map((k, i) => ({
    label: k, data: S.series.get(k) || [], borderColor: COLOURS[i % COLOURS.length], borderWidth: 1.5,
  }));
  S.chart.update('none');
}

function chartTick() {
  const cut = Date.now() / 1000 - CHART_SECONDS;
  for (const ser of S.series.values()) { let i = 0; while (i < ser.length && ser[i].x < cut) i++; if (i) ser.splice(0, i); }
  if (S.chart && S.chartDirty) {
    S.chartDirty = false;
    S.chart.options.scales.x.min = cut;
    S.chart.options.scales.x.max = Date.now() / 1000;
    S.chart.update('none');
  }
}

function toggleChart(k, on) {
  if (on && !S.charted.includes(k)) {
    if (S.charted.length >= MAX_CHARTED) return false;
    S.charted.push(k);
    const s = S.signals.get(k);
    S.series.set(k, s && typeof s.value === 'number' ? [{ x: s.ts, y: s.value }] : []);
  } else if (!on) {
    S.charted = S.charted.filter((x) => x !== k);
    S.series.delete(k);
  }
  chartSync();
  return true;
}

async function pageLive(m) {
  const r = await api('/api/signals');
  if (r.ok) for (const s of r.result) S.signals.set(key(s), s);
  const search = el('input', { type: 'search', id: 'signal-search', placeholder: _('Search signals'), 'aria-label': _('Search signals') });
  const canvas = el('canvas', { id: 'chart' });
  const box = el('div', { id: 'signal-list' });
  m.append(section(_('Chart'), el('p', { class: 'muted', text: fmt(_('Tick up to {0} signals to chart their last {1} minutes.'), MAX_CHARTED, CHART_SECONDS / 60) }),
    el('div', { class: 'chartbox' }, canvas)),
  section(_('Live data'), search, box));
  S.chart = makeChart(canvas);
  if (!S.chart) canvas.replaceWith(el('p', { class: 'muted', text: _('Charts need Chart.js (Debian package libjs-chart.js).') }));
  chartSync();
  function draw() {
    const q = search.value.trim().toLowerCase();
    const keys = [...S.signals.keys()].filter((k) => !q || k.toLowerCase().includes(q)).sort();
    clear(box).append(table([_('Chart'), _('Bus'), _('Message'), _('Signal'), _('Value')], keys.slice(0, 400).map((k) => {
      const s = S.signals.get(k);
      const cb = el('input', { type: 'checkbox', 'aria-label': _('Chart'), checked: S.charted.includes(k) });
      cb.addEventListener('change', () => { if (!toggleChart(k, cb.checked)) cb.checked = false; });
      return el('tr', {}, el('td', {}, cb), el('td', { text: s.bus }), el('td', { text: s.message }),
        el('td', { text: s.signal }), el('td', {}, liveValue(k)));
    })));
    collectShown();
  }
  search.addEventListener('input', draw);
  draw();
}

// -- battery --

const BATTERY = [
  [/(^|_)SOC$|StateOfCharge/i, () => _('State of charge')],
  [/SOH|StateOfHealth|_Life$/i, () => _('State of health')],
  [/Pack.?Volt|PACK_VOLTAGE|BatteryVoltage/i, () => _('Pack voltage')],
  [/Pack.?Curr|PACK_CURRENT|BatteryCurrent/i, () => _('Pack current')],
  [/Cell.*V(olt)?(_?\d+)?$|CellVolt|CELL_V/i, () => _('Cell voltage')],
  [/Temp/i, () => _('Temperature')],
];

function batteryKind(s) {
  if (!/BMS|BATT|CELL|SOC|SOH|PACK/i.test(s.message + ' ' + s.signal)) return null;
  for (const [re, name] of BATTERY) if (re.test(s.signal)) return name();
  return null;
}

function spread(list) {
  const v = list.map((s) => Number(s.value)).filter((x) => Number.isFinite(x));
  if (v.length < 2) return null;
  const max = Math.max(...v); const min = Math.min(...v);
  return { max, min, spread: max - min, n: v.length };
}

// The battery command's quantities, in the order a mechanic reads them.
const BATTERY_FIGURES = [
  ['soc_percent', () => _('State of charge'), '%'],
  ['soh_percent', () => _('State of health'), '%'],
  ['pack_voltage_v', () => _('Pack voltage'), 'V'],
  ['pack_current_a', () => _('Pack current'), 'A'],
  ['cell_voltage_max_v', () => _('Highest cell voltage'), 'V'],
  ['cell_voltage_min_v', () => _('Lowest cell voltage'), 'V'],
  ['cell_spread_mv', () => _('Cell voltage spread'), 'mV'],
  ['temp_max_c', () => _('Highest temperature'), '°C'],
  ['temp_avg_c', () => _('Average temperature'), '°C'],
  ['temp_min_c', () => _('Lowest temperature'), '°C'],
  ['capacity_ah', () => _('Capacity now'), 'Ah'],
  ['capacity_original_ah', () => _('Capacity when new'), 'Ah'],
  ['charge_count', () => _('Charge cycles'), ''],
  ['charged_kwh_total', () => _('Energy charged'), 'kWh'],
  ['discharged_kwh_total', () => _('Energy discharged'), 'kWh'],
];

// Where a figure came from: a DID of an ECU, or a DBC signal (then live).
function sourceText(src) {
  if (!src) return '';
  if (src.from === 'did') return fmt(_('DID 0x{0} of {1}'), src.did.toString(16).toUpperCase(), src.ecu);
  return fmt(_('signal {0}'), src.name);
}

function where(r, k) {
  const i = { cell_voltage_max_v: ['cell_voltage_max_index', 'cell_voltage_max_module'],
    cell_voltage_min_v: ['cell_voltage_min_index', 'cell_voltage_min_module'],
    temp_max_c: ['temp_max_sensor', 'temp_max_module'], temp_min_c: ['temp_min_sensor', 'temp_min_module'] }[k];
  if (!i) return '';
  const parts = [];
  if (r[i[1]] !== null && r[i[1]] !== undefined) parts.push(fmt(_('module {0}'), r[i[1]]));
  if (r[i[0]] !== null && r[i[0]] !== undefined) parts.push(fmt(k.startsWith('cell') ? _('cell {0}') : _('sensor {0}'), r[i[0]]));
  return parts.length ? ' (' + parts.join(', ') + ')' : '';
}

function batteryCard(bus, r) {
  const rows = [];
  for (const [k, name, unit] of BATTERY_FIGURES) {
    if (r[k] === null || r[k] === undefined) continue;
    const src = (r.sources || {})[k];
    const live = src && src.from === 'signal' ? bus + '.' + src.name : null;
    rows.push(el('tr', { class: src && src.unconfirmed ? 'unconfirmed' : '' },
      el('td', { text: name() }),
      el('td', { class: 'val', text: value(r[k]) + (unit ? ' ' + unit : '') + where(r, k) }),
      el('td', {}, live ? liveValue(live) : null),
      el('td', { class: 'muted', text: sourceText(src) + (src ? ' · ' + src.confidence : '') })));
  }
  const charts = el('div', { class: 'charts' });
  const card = section(fmt(_('Battery on {0}'), bus),
    r.unconfirmed ? el('p', { class: 'warn', text: _('Some figures rest on definitions below public confidence: observations, not findings.') }) : null,
    table([_('Figure'), _('Value'), _('Signal now'), _('Source')], rows),
    el('p', {}, el('strong', { text: _('State of health') + ': ' }),
      r.soh_percent !== null ? r.soh_percent + ' % — ' : '', el('span', { class: 'muted', text: daemonText(r.soh_method_text, r.soh_method) })),
    ...(r.notes || []).map((n, i) => el('p', { class: 'muted', text: daemonText((r.notes_text || [])[i], n) })),
    charts);
  if (window.Chart) {
    const cells = [r.cell_voltage_min_v, r.cell_voltage_max_v];
    const temps = [r.temp_min_c, r.temp_avg_c, r.temp_max_c];
    if (cells.every((x) => typeof x === 'number')) {
      charts.append(chartBox('bar', [_('lowest cell'), _('highest cell')], _('Cell voltage') + ', V', cells,
        Math.min(...cells) - 0.05, Math.max(...cells) + 0.05));
    }
    if (temps.some((x) => typeof x === 'number')) {
      charts.append(chartBox('bar', [_('lowest'), _('average'), _('highest')], _('Temperature') + ', °C', temps));
    }
  }
  return card;
}

function chartBox(type, labels, label, data, min, max) {
  const c = el('canvas', {});
  const box = el('div', { class: 'chartbox small' }, c);
  setTimeout(() => new window.Chart(c, { type, data: { labels, datasets: [{ label, data, backgroundColor: '#0b5cad' }] },
    options: { animation: false, maintainAspectRatio: false,
      scales: min !== undefined ? { y: { min, max } } : {} } }), 0);
  return box;
}

async function pageBattery(m) {
  const r = await api('/api/signals');
  if (r.ok) for (const s of r.result) S.signals.set(key(s), s);
  if (!S.buses.length) { const b = await api('/api/buses'); if (b.ok) S.buses = b.result; }
  if (EV.caps.includes('battery')) {
    const again = el('button', { type: 'button', text: _('Read again') });
    again.addEventListener('click', render);
    m.append(el('div', { class: 'row' }, el('span', { class: 'muted', text: _('Read from the battery management system (DIDs where the profile has them, else its signals).') }), again));
    const answers = await Promise.all(S.buses.map((b) => post('/api/battery', { bus: b.name })));
    S.buses.forEach((b, i) => {
      const a = answers[i];
      m.append(a.ok ? batteryCard(b.name, a.result)
        : section(fmt(_('Battery on {0}'), b.name), el('p', { class: 'error', text: errorText(a) })));
    });
    collectShown();
    return;
  }
  const byBus = new Map();
  for (const [k, s] of S.signals) {
    const kind = batteryKind(s);
    if (!kind) continue;
    if (!byBus.has(s.bus)) byBus.set(s.bus, []);
    byBus.get(s.bus).push([kind, k, s]);
  }
  const note = el('p', { class: 'muted', text: _('From the battery signals the DBC definitions decode (evgwd has no battery command yet).') });
  const cards = [];
  for (const [bus, items] of byBus) {
    const cells = items.filter(([kind]) => kind === _('Cell voltage')).map(([, , s]) => s);
    const temps = items.filter(([kind]) => kind === _('Temperature')).map(([, , s]) => s);
    const cs = spread(cells); const ts = spread(temps);
    cards.push(section(fmt(_('Battery on {0}'), bus),
      el('dl', { class: 'facts' }, ...items.flatMap(([kind, k, s]) => [el('dt', { text: kind + ' — ' + s.signal }),
        el('dd', {}, liveValue(k), el('span', { class: 'muted', text: ' ' + fmt(_('method: {0}'), _('reported by the BMS')) }))])),
      cs ? el('p', { text: fmt(_('Cell voltages: {0} cells, highest {1}, lowest {2}, spread {3}'), cs.n, cs.max, cs.min, cs.spread.toFixed(3)) }) : null,
      ts ? el('p', { text: fmt(_('Temperatures: {0} sensors, highest {1}, lowest {2}'), ts.n, ts.max, ts.min) }) : null,
      cells.length >= 2 && window.Chart ? barChart(cells) : null));
  }
  m.append(...cards);
  if (!cards.length) m.append(section(_('Battery'), el('p', { class: 'muted', text: _('No battery signals on any bus.') })));
  m.append(note);
  collectShown();
}

function barChart(cells) {
  const c = el('canvas', {});
  const box = el('div', { class: 'chartbox' }, c);
  setTimeout(() => new window.Chart(c, { type: 'bar', data: { labels: cells.map((s) => s.signal),
    datasets: [{ label: _('Cell voltage'), data: cells.map((s) => s.value) }] },
  options: { animation: false, maintainAspectRatio: false } }), 0);
  return box;
}

// A reply of a command this page does not know in detail (charging): its
// figures as rows, and a list of records (a session's timeline) as a table.
// The charging session's figures in words (gateway/api/PROTOCOL.md,
// "charging"), by "part.key" or key, the unit from the key's end; a key
// not here shows as sent.
const FIGURES = {
  address: () => _('Address'), protocol_version: () => _('Protocol version'), number: () => _('Charger number'),
  recognised: () => _('Recognised the BMS'), ready: () => _('Ready'),
  'charger.max_voltage_v': () => _('Highest output voltage'), 'charger.min_voltage_v': () => _('Lowest output voltage'),
  'charger.max_current_a': () => _('Highest output current'), 'charger.min_current_a': () => _('Lowest output current'),
  battery_type: () => _('Battery type'), rated_capacity_ah: () => _('Rated capacity'),
  rated_voltage_v: () => _('Rated voltage'), maker: () => _('Maker'), vin: () => _('VIN'),
  charge_count: () => _('Charges'), max_charge_voltage_v: () => _('Highest charging voltage'),
  'parameters.max_cell_voltage_v': () => _('Highest cell voltage allowed'),
  max_charge_current_a: () => _('Highest charging current'), rated_energy_kwh: () => _('Rated energy'),
  'parameters.max_temperature_c': () => _('Highest temperature allowed'), soc_percent: () => _('SOC'),
  pack_voltage_v: () => _('Pack voltage'), demand_voltage_v: () => _('Voltage asked'),
  demand_current_a: () => _('Current asked'), mode: () => _('Mode'), output_voltage_v: () => _('Output voltage'),
  output_current_a: () => _('Output current'), peak_output_current_a: () => _('Peak output current'),
  'charging.charging_min': () => _('Charging for'), permitted: () => _('Charging permitted'),
  measured_voltage_v: () => _('Voltage the BMS measures'), measured_current_a: () => _('Current the BMS measures'),
  remaining_min: () => _('Time to full'), 'charging.max_cell_voltage_v': () => _('Highest cell voltage'),
  max_cell_group: () => _('Its cell group'), soc_start_percent: () => _('SOC at the start'),
  'charging.max_temperature_c': () => _('Highest temperature'), min_temperature_c: () => _('Lowest temperature'),
  cells: () => _('Cells'), cell_voltage_min_v: () => _('Lowest cell voltage'),
  cell_voltage_min_index: () => _('Lowest cell: number'), cell_voltage_max_v: () => _('Highest cell voltage'),
  cell_voltage_max_index: () => _('Highest cell: number'), probes: () => _('Temperature probes'),
  probe_temperature_min_c: () => _('Lowest probe temperature'), probe_temperature_min_index: () => _('Coldest probe: number'),
  probe_temperature_max_c: () => _('Highest probe temperature'), probe_temperature_max_index: () => _('Warmest probe: number'),
  temperature_min_c: () => _('Lowest temperature'), temperature_max_c: () => _('Highest temperature'),
  'statistics.charging_min': () => _('Charged for'), energy_kwh: () => _('Energy charged'),
};
const FIGURE_UNITS = [['_kwh', 'kWh'], ['_ah', 'Ah'], ['_v', 'V'], ['_a', 'A'], ['_c', '°C'], ['_percent', '%'],
  ['_min', null]];
function figureUnit(k) {
  const u = FIGURE_UNITS.find(([end]) => k.endsWith(end));
  return !u ? '' : ', ' + (u[1] === null ? _('min') : u[1]);
}
// The daemon's words among the values.
const FIGURE_WORDS = { true: () => _('yes'), false: () => _('no'), 'constant voltage': () => _('constant voltage'),
  'constant current': () => _('constant current'), 'lead-acid': () => _('lead-acid'), other: () => _('other') };

function figureTable(res, part) {
  const rows = [];
  const lists = [];
  const walk = (o, prefix) => {
    for (const [k, v] of Object.entries(o || {})) {
      if (Array.isArray(v) && v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
        const cols = [...new Set(v.flatMap((x) => Object.keys(x)))];
        lists.push(el('h3', { text: prefix + k }), table(cols, v.map((x) => el('tr', {},
          ...cols.map((c) => el('td', { text: /(^|_)(ts|time|at|start|end)$/.test(c) && typeof x[c] === 'number' ? when(x[c])
            : typeof x[c] === 'object' && x[c] !== null ? JSON.stringify(x[c]) : value(x[c]) }))))));
      } else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, prefix + k + '.');
      else {
        const label = FIGURES[part + '.' + prefix + k] || FIGURES[prefix + k];
        const word = v !== null && v !== undefined && Object.hasOwn(FIGURE_WORDS, String(v)) ? FIGURE_WORDS[String(v)] : null;
        rows.push(el('tr', {}, el('td', { text: label ? label() + figureUnit(k) : prefix + k }),
          el('td', { text: Array.isArray(v) ? v.join(', ') : word ? word() : value(v) })));
      }
    }
  };
  for (const item of Array.isArray(res) ? res : [res]) walk(item, '');
  return el('div', {}, table([_('Figure'), _('Value')], rows), ...lists);
}

// -- charging --

const STAGES = { handshake: () => _('handshake'), recognition: () => _('recognition'), parameters: () => _('parameters'),
  charging: () => _('charging'), end: () => _('end') };
const OUTCOMES = { running: () => _('running'), normal: () => _('ended normally'), abnormal: () => _('stopped abnormally'),
  lost: () => _('lost (the messages stopped)') };

function duration(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number') return '—';
  const s = Math.max(0, b - a);
  return s < 120 ? s.toFixed(1) + ' s' : (s / 60).toFixed(1) + ' ' + _('min');
}

// A GB/T 27930 session: its stages as a timeline, why it stopped, and
// what the charger and the BMS said.
function chargingSession(ses) {
  const t0 = ses.started; const t1 = ses.ended || ses.last_seen || t0;
  const span = Math.max(0.001, t1 - t0);
  const stages = el('div', { class: 'timeline' }, ...(ses.timeline || []).map((st) => {
    const bar = el('div', { class: 'stage st-' + st.stage, title: duration(st.from, st.until) },
      el('span', { text: (STAGES[st.stage] ? STAGES[st.stage]() : st.stage) + ' · ' + duration(st.from, st.until || t1) }));
    // Widths from the times (CSSOM: allowed under the page's CSP).
    bar.style.flexGrow = String(Math.max(0.02, ((st.until || t1) - st.from) / span));
    return bar;
  }));
  const parts = [];
  for (const [k, name] of [['charger', _('Charger')], ['bms', _('BMS')], ['parameters', _('Battery parameters')],
    ['charging', _('During charging')], ['statistics', _('At the end')]]) {
    if (ses[k]) parts.push(el('div', { class: 'part' }, el('h3', { text: name }), figureTable(ses[k], k)));
  }
  return section(fmt(_('Session {0}: {1}'), ses.number, OUTCOMES[ses.outcome] ? OUTCOMES[ses.outcome]() : ses.outcome),
    el('p', { class: 'muted', text: when(ses.started) + ' → ' + (ses.ended ? when(ses.ended) : _('now')) +
      (ses.joined ? ' · ' + _('joined mid-charge: what came before is unknown') : '') }),
    stages,
    el('p', { class: ses.stop_reason ? 'error' : '', id: 'stop-reason-' + ses.number },
      el('strong', { text: _('Stop reason') + ': ' }),
      ses.stop_reason ? daemonText(ses.stop_reason_text, ses.stop_reason) : _('none given')),
    (ses.stop_reasons || []).length > 1 ? el('ul', {}, ...ses.stop_reasons.map((r, i) =>
      el('li', { text: daemonText((ses.stop_reasons_text || [])[i], r) }))) : null,
    el('div', { class: 'parts' }, ...parts));
}

async function pageCharging(m) {
  if (!S.buses.length) { const b = await api('/api/buses'); if (b.ok) S.buses = b.result; }
  if (EV.caps.includes('charging')) {
    let any = false;
    for (const bus of S.buses) {
      const r = await api('/api/charging?bus=' + encodeURIComponent(bus.name));
      if (!r.ok && r.error && r.error.code === 'unsupported') continue;
      any = true;
      if (!r.ok) { m.append(section(fmt(_('Charging on {0}'), bus.name), el('p', { class: 'error', text: errorText(r) }))); continue; }
      const res = r.result;
      const sessions = [res.current, ...(res.finished || [])].filter(Boolean);
      m.append(section(fmt(_('Charging on {0}'), bus.name), el('p', { class: 'muted',
        text: fmt(_('GB/T 27930 messages heard: {0} (refused: {1}).'), res.messages, res.malformed) }),
      sessions.length ? null : el('p', { text: _('No charging session heard on this bus yet.') })));
      for (const ses of sessions) m.append(chargingSession(ses));
    }
    if (!any) m.append(section(_('Charging'), el('p', { class: 'muted', text: _('No bus speaks J1939, which GB/T 27930 charging runs on.') })));
  } else {
    m.append(section(_('Charging'), el('p', { id: 'no-charging', class: 'muted',
      text: _('This evgwd has no charging command yet, so there is no GB/T session timeline or stop reason. The charging signals below come from the DBC definitions.') })));
  }
  const r = await api('/api/signals');
  if (r.ok) for (const s of r.result) S.signals.set(key(s), s);
  const keys = [...S.signals.keys()].filter((k) => /CHARG|CHG|BMS_2|GBT|BHM|BRM|BCL|BST|CST/i.test(k)).sort();
  m.append(section(_('Charging signals'), keys.length
    ? table([_('Signal'), _('Value')], keys.map((k) => el('tr', {}, el('td', { text: k }), el('td', {}, liveValue(k)))))
    : el('p', { class: 'muted', text: _('No charging signals.') })));
  collectShown();
}

// -- recordings --

async function loadRecordings() {
  const box = document.getElementById('recordings-list');
  if (!box) return;
  const r = await api('/api/recordings');
  clear(box).append(r.ok && r.result.length
    ? table([_('File'), _('Size'), _('Changed'), ''], r.result.sort((a, b) => b.mtime - a.mtime).map((f) => el('tr', {},
      el('td', { text: f.name }), el('td', { text: (f.bytes / 1024).toFixed(1) + ' KiB' }), el('td', { text: when(f.mtime) }),
      el('td', {}, el('a', { href: '/recordings/' + encodeURIComponent(f.name), download: f.name, text: _('Download') })))))
    : el('p', { class: 'muted', text: _('No recordings.') }));
}

async function pageRecordings(m) {
  const b = await api('/api/buses');
  if (b.ok) S.buses = b.result;
  const out = el('p', { id: 'record-result' });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const rows = S.buses.map((bus) => {
    const file = el('input', { value: bus.name + '-' + stamp + '.log', size: 24, 'aria-label': _('File') });
    const start = el('button', { type: 'button', text: _('Start') });
    const stop = el('button', { type: 'button', text: _('Stop') });
    start.addEventListener('click', async () => {
      const r = await post('/api/record', { action: 'start', bus: bus.name, file: file.value });
      out.textContent = r.ok ? fmt(_('Recording {0} to {1}'), bus.name, r.result.file)
        : r.error.code === 'login_required' ? _('Log in to record.') : errorText(r);
      out.className = r.ok ? 'ok' : 'error';
    });
    stop.addEventListener('click', async () => {
      const r = await post('/api/record', { action: 'stop', bus: bus.name });
      out.textContent = r.ok ? fmt(_('Stopped: {0} frames, {1} bytes'), r.result.frames, r.result.bytes)
        : r.error.code === 'login_required' ? _('Log in to record.') : errorText(r);
      out.className = r.ok ? 'ok' : 'error';
      loadRecordings();
    });
    return el('tr', {}, el('td', { text: bus.name }), el('td', { text: bus.recording || '—' }), el('td', {}, file),
      el('td', {}, start, ' ', stop));
  });
  m.append(section(_('Record a bus'), table([_('Bus'), _('Recording'), _('File'), ''], rows), out),
    section(_('Recordings'), el('div', { id: 'recordings-list' })));
  await loadRecordings();
}

const DRAW = { vehicle: pageVehicle, faults: pageFaults, live: pageLive, battery: pageBattery, charging: pageCharging,
  recordings: pageRecordings };

async function render() {
  const page = (location.hash || '#vehicle').slice(1);
  S.page = DRAW[page] ? page : 'vehicle';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.getAttribute('href') === '#' + S.page);
  const m = clear(document.getElementById('main'));
  if (S.chart) { S.chart.destroy(); S.chart = null; }
  m.setAttribute('data-page', S.page);
  m.setAttribute('aria-busy', 'true');
  await DRAW[S.page](m);
  collectShown();
  m.setAttribute('aria-busy', 'false');
}

// ---- login ----

function loginButton() {
  const b = document.getElementById('login-btn');
  b.textContent = EV.loggedIn ? _('Log out') : _('Log in');
}

function setupLogin() {
  const dlg = document.getElementById('login-dialog');
  document.getElementById('login-label').textContent = _('Password');
  document.getElementById('login-submit').textContent = _('Log in');
  document.getElementById('login-cancel').textContent = _('Cancel');
  document.getElementById('login-cancel').addEventListener('click', () => dlg.close());
  document.getElementById('login-btn').addEventListener('click', async () => {
    if (EV.loggedIn) {
      await post('/api/logout', {});
      EV.loggedIn = false;
      loginButton();
      return;
    }
    document.getElementById('login-error').textContent = EV.passwordSet ? ''
      : _('No password is set: run "evgw-web --set-password" on the bench unit.');
    dlg.showModal();
  });
  document.getElementById('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const pw = document.getElementById('password');
    const r = await post('/api/login', { password: pw.value });
    pw.value = '';
    if (r.ok) { EV.loggedIn = true; loginButton(); dlg.close(); return; }
    document.getElementById('login-error').textContent = r.error.code === 'wrong_password' ? _('Wrong password.') : errorText(r);
  });
  loginButton();
}

async function main() {
  await loadSession();
  const nav = document.getElementById('nav');
  for (const [id, title] of PAGES) nav.append(el('a', { href: '#' + id, text: title() }));
  nav.append(el('a', { href: '/report', target: '_blank', rel: 'noopener', text: _('Report') }));
  const lang = document.getElementById('lang');
  lang.value = EV.lang;
  lang.addEventListener('change', () => setLang(lang.value));
  setupLogin();
  window.addEventListener('hashchange', render);
  setInterval(() => {
    const c = document.getElementById('clock');
    if (c) c.textContent = new Date().toLocaleString(EV.lang === 'ru' ? 'ru-RU' : 'en-GB');
    chartTick();
  }, 1000);
  setInterval(() => { if (S.chartDirty) chartTick(); }, 500);
  connect();
  await render();
}

main();
