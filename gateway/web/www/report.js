// SPDX-License-Identifier: MIT
// The customer's report: one printable page (A4, print CSS) per vehicle
// session, from the daemon's faults, signals and definitions.
'use strict';

const ODOMETER = /odo|TotalVehicleDistance|Mileage|TRIP_ODO/i;
const BATTERY_FIGURES = /(^|_)SOC$|SOH|_Life$|Pack.?Volt|PACK_VOLTAGE|Pack.?Curr|PACK_CURRENT|CELL.*(TEMP|VOLT)/i;

const BATTERY_KEYS = [
  ['soc_percent', () => _('State of charge'), '%'], ['soh_percent', () => _('State of health'), '%'],
  ['pack_voltage_v', () => _('Pack voltage'), 'V'], ['cell_voltage_max_v', () => _('Highest cell voltage'), 'V'],
  ['cell_voltage_min_v', () => _('Lowest cell voltage'), 'V'], ['cell_spread_mv', () => _('Cell voltage spread'), 'mV'],
  ['temp_max_c', () => _('Highest temperature'), '°C'], ['temp_min_c', () => _('Lowest temperature'), '°C'],
  ['capacity_ah', () => _('Capacity now'), 'Ah'], ['capacity_original_ah', () => _('Capacity when new'), 'Ah'],
  ['charge_count', () => _('Charge cycles'), ''],
];

function rtable(heads, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { text: h })))),
    el('tbody', {}, ...rows));
}

function faultRows(list) {
  return list.map((f) => el('tr', { class: 'sev-' + f.severity },
    el('td', { text: severityWord(f.severity) }), el('td', { text: statusWord(f.status) }),
    el('td', { text: f.bus + ' · ' + ecuText(f) }), el('td', { class: 'code', text: f.code }),
    el('td', { text: f.description }), el('td', { text: when(f.first_seen) }), el('td', { text: when(f.last_seen) }),
    el('td', { text: f.occurrences })));
}

function faultSection(title, list, empty) {
  return el('section', {}, el('h2', { text: title }), list.length
    ? rtable([_('Severity'), _('Status'), _('ECU'), _('Code'), _('Description'), _('First seen'), _('Last seen'),
      _('Count')], faultRows(list))
    : el('p', { text: empty }));
}

async function vinOf(bus) {
  let r = await post('/api/vin', { bus });
  if (!r.ok && r.error && r.error.code === 'bad_request') r = await post('/api/vin', { bus, ecu: 'obd' });
  const e = r.ok ? r.result.ecus.find((x) => x.ok && x.vin) : null;
  return e ? e.vin : localStorage.getItem('evgw_vin_' + bus);
}

async function main() {
  await loadSession();
  document.title = _('Vehicle diagnostic report');
  document.getElementById('print').textContent = _('Print or save as PDF');
  document.getElementById('print').addEventListener('click', () => window.print());
  document.getElementById('back').textContent = _('Back to the workshop screen');
  const root = document.getElementById('report');
  root.setAttribute('aria-busy', 'true');
  const [st, bu, fh, fa, sg, db] = await Promise.all([api('/api/status'), api('/api/buses'),
    api('/api/faults?history=1'), api('/api/faults'), api('/api/signals'), api('/api/dbc')]);
  const buses = bu.ok ? bu.result : [];
  const vins = {};
  for (const b of buses.filter((x) => x.mode === 'diagnostic')) vins[b.name] = await vinOf(b.name);
  let faults = fh.ok ? fh.result : [];
  // The faults known to this daemon run that the store has not had yet.
  for (const f of fa.ok ? fa.result : []) if (!faults.some((g) => g.id === f.id)) faults.push(f);
  const sessions = [...new Set(faults.map((f) => f.session))].sort((a, b) => b - a);
  const want = new URLSearchParams(location.search).get('session');
  const session = want !== null ? Number(want) : null;
  if (session !== null) faults = faults.filter((f) => f.session === session);
  const signals = sg.ok ? sg.result : [];

  const head = el('header', {}, el('h1', { text: _('Vehicle diagnostic report') }),
    el('p', { text: fmt(_('Made {0} by evgw {1}'), when(Date.now() / 1000), st.ok ? st.result.version : '') }));
  const veh = el('section', {}, el('h2', { text: _('Vehicle') }), rtable([_('Bus'), _('Profile'), _('VIN'), _('Odometer')],
    buses.map((b) => {
      const odo = signals.find((s) => s.bus === b.name && ODOMETER.test(s.signal));
      return el('tr', {}, el('td', { text: b.name }), el('td', { text: b.profile || '—' }),
        el('td', { class: 'vin', text: vins[b.name] || '—' }),
        el('td', { text: odo ? value(odo.value) + ' ' + (odo.unit || '') : _('not known') }));
    })));
  const unconfirmed = faults.filter((f) => f.unconfirmed === true);
  faults = faults.filter((f) => f.unconfirmed !== true);
  // Before clearing: everything found (a cleared one says so in its
  // status); after: what is still there.
  const before = faults;
  const after = faults.filter((f) => f.status !== 'cleared');
  const battery = el('section', {}, el('h2', { text: _('Battery') }));
  if (EV.caps.includes('battery')) {
    for (const b of buses) {
      const a = await post('/api/battery', { bus: b.name });
      if (!a.ok) { battery.append(el('p', { text: b.name + ': ' + errorText(a) })); continue; }
      const r = a.result;
      const rows = BATTERY_KEYS.filter(([k]) => r[k] !== null && r[k] !== undefined).map(([k, name, unit]) => {
        const src = (r.sources || {})[k];
        return el('tr', {}, el('td', { text: name() }), el('td', { text: value(r[k]) + (unit ? ' ' + unit : '') }),
          el('td', { text: src ? (src.from === 'did' ? 'DID 0x' + src.did.toString(16).toUpperCase() + ' (' + src.ecu + ')' : src.name) : '' }),
          el('td', { text: src ? src.confidence + (src.unconfirmed ? ' · ' + _('unconfirmed') : '') : '' }));
      });
      battery.append(el('h3', { text: b.name + (b.profile ? ' · ' + b.profile : '') }),
        rtable([_('Figure'), _('Value'), _('Method'), _('Confidence')], rows),
        el('p', {}, el('strong', { text: _('State of health') + ': ' }),
          daemonText(r.soh_method_text, r.soh_method)));
    }
  } else {
    const batt = signals.filter((s) => BATTERY_FIGURES.test(s.signal));
    battery.append(batt.length
      ? rtable([_('Bus'), _('Figure'), _('Value'), _('Method')], batt.map((s) => el('tr', {},
        el('td', { text: s.bus }), el('td', { text: s.message + '.' + s.signal }),
        el('td', { text: value(s.value) + (s.unit ? ' ' + s.unit : '') }),
        el('td', { text: _('reported by the BMS') }))))
      : el('p', { text: _('No battery figures.') }));
  }
  const defs = el('section', {}, el('h2', { text: _('Definitions and their confidence') }),
    el('p', { class: 'muted', text: _('Values are decoded with these definition files; their findings say how far they can be trusted.') }),
    db.ok ? rtable([_('Bus'), _('File'), _('Messages'), _('Signals'), _('Warnings'), _('Errors')], db.result.map((d) => el('tr', {},
      el('td', { text: d.bus }), el('td', { text: d.file.split('/').pop() }), el('td', { text: d.messages }),
      el('td', { text: d.signals }), el('td', { text: d.warnings }), el('td', { text: d.errors }))))
      : el('p', { text: errorText(db) }));
  const pick = el('p', { class: 'noprint' }, _('Session') + ': ',
    el('a', { href: '/report', text: _('all') }), ...sessions.map((s) => [' · ', el('a', { href: '/report?session=' + s, text: '#' + s })]).flat());
  clear(root).append(...[head, pick, veh,
    faultSection(_('Faults found (before clearing)'), before, _('No faults.')),
    faultSection(_('Faults present after clearing'), after, _('None: every fault found was cleared.')),
    unconfirmed.length ? faultSection(_('Unconfirmed observations (not faults)'), unconfirmed, '') : null,
    battery, defs].filter(Boolean));
  root.setAttribute('aria-busy', 'false');
}

function errorText(r) { return r && r.error ? r.error.message || r.error.code : ''; }

main();
