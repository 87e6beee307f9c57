// SPDX-License-Identifier: MIT
// Shared by the page and the report: texts, the API, small DOM helpers.
'use strict';

const EV = { lang: 'en', cat: {}, csrf: '', loggedIn: false, passwordSet: false, caps: [] };

// The text in the page's language (po/ru.po; English is the text itself).
function _(s) { return EV.cat[s] || s; }
// "{0} of {1}" with its arguments.
function fmt(s, ...a) { return s.replace(/\{(\d+)\}/g, (m, i) => String(a[Number(i)])); }

// A sentence the daemon made, in the page's language: t is its template
// form ({"text","args"}: gateway/api/PROTOCOL.md, "Texts for people"),
// an argument a value as it is or a sentence of its own; without one (an
// older daemon) the English as sent.
function daemonText(t, english) {
  if (!t || typeof t !== 'object' || typeof t.text !== 'string') return english;
  const args = Array.isArray(t.args) ? t.args : [];
  return (t.text ? _(t.text) : '').replace(/\{(\d)\}/g, (m, i) => {
    const a = args[Number(i)];
    return a === undefined ? m : typeof a === 'string' ? a : daemonText(a, '');
  });
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

async function api(path) {
  try {
    const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
    return await r.json();
  } catch (e) {
    return { ok: false, error: { code: 'network', message: _('evgw-web cannot be reached') } };
  }
}

async function post(path, body) {
  try {
    const r = await fetch(path, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': EV.csrf },
      body: JSON.stringify(body || {}),
    });
    return await r.json();
  } catch (e) {
    return { ok: false, error: { code: 'network', message: _('evgw-web cannot be reached') } };
  }
}

async function loadSession() {
  const s = await api('/api/session');
  if (s.ok) {
    EV.lang = s.result.lang; EV.csrf = s.result.csrf;
    EV.loggedIn = s.result.logged_in; EV.passwordSet = s.result.password_set;
  }
  if (EV.lang !== 'en') {
    const c = await api('/i18n/' + EV.lang + '.json');
    if (c && typeof c === 'object' && c.ok !== false) EV.cat = c; // not an error reply
  }
  document.documentElement.lang = EV.lang;
  const h = await api('/api/hello');
  if (h.ok) EV.caps = h.result.capabilities || [];
}

function setLang(l) {
  document.cookie = 'evgw_lang=' + l + '; Path=/; SameSite=Strict; Max-Age=31536000';
  location.reload();
}

function when(ts) {
  if (ts === null || ts === undefined) return '—';
  return new Date(ts * 1000).toLocaleString(EV.lang === 'ru' ? 'ru-RU' : 'en-GB');
}

function value(v) {
  if (v === null || v === undefined) return '—';
  return String(v);
}

// An ECU's address as people write it: 0x7E7, or SA 0xF3 on J1939.
function ecuText(f) {
  const a = f.ecu;
  const hex = a === null || a === undefined ? '' :
    (f.protocol === 'j1939' ? 'SA 0x' : '0x') + a.toString(16).toUpperCase();
  if (f.ecu_name && hex) return f.ecu_name + ' (' + hex + ')';
  return f.ecu_name || hex || '—';
}

const SEVERITY_WORDS = { info: 'info', warning: 'warning', error: 'error', critical: 'critical' };
const STATUS_WORDS = { active: 'active', stored: 'stored', pending: 'pending', cleared: 'cleared' };
function severityWord(s) { return s ? _(SEVERITY_WORDS[s] || s) : '—'; }
function statusWord(s) { return s ? _(STATUS_WORDS[s] || s) : '—'; }
// Texts only the catalog needs to know of (made here so xgettext finds them).
void [_('info'), _('warning'), _('error'), _('critical'), _('active'), _('stored'), _('pending'),
  _('cleared')];
