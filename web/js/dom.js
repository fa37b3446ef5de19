// Small DOM helpers shared by the views. Everything a person typed or the
// server sent goes into the page as text (textContent), never as HTML.

// h('p', { class: 'x', text: 'hello' }, child, ...) builds an element.
// Attributes: class, text, for, on: { event: fn }, data: {..}; true adds
// an empty attribute, false/null/undefined leave it out.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'for') el.htmlFor = v;
    else if (k === 'value') el.value = v;
    else if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'data') {
      for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = dv;
    } else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];

function parseDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return null;
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

// "2026-12-22" -> "22 December 2026": plain, with no day/month ambiguity.
export function formatDate(iso) {
  const p = parseDate(iso);
  if (!p) return iso || '';
  return `${p.d} ${MONTHS[p.m - 1]} ${p.y}`;
}

// A timestamp from the server ("2026-11-22T10:04:05.123Z") in local time.
export function formatTime(ts) {
  const t = new Date(ts);
  if (Number.isNaN(t.getTime())) return '';
  const local = isoOf(t);
  const hh = String(t.getHours()).padStart(2, '0');
  const mm = String(t.getMinutes()).padStart(2, '0');
  return `${formatDate(local)} at ${hh}:${mm}`;
}

function isoOf(t) {
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

// The organisation's time zone (from /api/v1/reference) decides what
// "today" is; until it is known, the device's zone stands in.
let orgZone = null;

export function setOrganisationZone(zone) {
  orgZone = zone || null;
}

// Today's date in the organisation's time zone as YYYY-MM-DD.
export function todayISO() {
  if (orgZone) {
    try {
      const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone: orgZone, year: 'numeric', month: '2-digit', day: '2-digit',
      }).formatToParts(new Date());
      const v = (type) => parts.find((p) => p.type === type).value;
      return `${v('year')}-${v('month')}-${v('day')}`;
    } catch {
      /* an unknown zone: fall back to the device's date */
    }
  }
  return isoOf(new Date());
}

function dayNumber(iso) {
  const p = parseDate(iso);
  return p ? Math.round(Date.UTC(p.y, p.m - 1, p.d) / 86400000) : null;
}

// Whole days from a to b (positive when b is later).
export function daysBetween(a, b) {
  const x = dayNumber(a);
  const y = dayNumber(b);
  return x === null || y === null ? null : y - x;
}

// Age in whole years on today's date.
export function ageOn(birth, today = todayISO()) {
  const b = parseDate(birth);
  const t = parseDate(today);
  if (!b || !t) return null;
  let age = t.y - b.y;
  if (t.m < b.m || (t.m === b.m && t.d < b.d)) age--;
  return age >= 0 ? age : null;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// Puts a message in the page's status live region (visible under the
// header). A new message goes in at once, so the page does not shift
// after it is drawn; the same message again is cleared first so it is
// spoken again.
let statusTimer = null;
export function announce(text) {
  const el = document.getElementById('status');
  if (!el) return;
  clearTimeout(statusTimer);
  if (!text) {
    el.textContent = '';
    return;
  }
  if (el.textContent !== text) {
    el.textContent = text;
    return;
  }
  el.textContent = '';
  statusTimer = setTimeout(() => { el.textContent = text; }, 100);
}

// Moves focus to the page's main heading so keyboard and screen-reader
// users start at the top of the new view.
export function focusHeading(root) {
  const h1 = root.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: false });
  }
}

export const ROLE_LABELS = {
  peer: 'Peer specialist',
  supervisor: 'Supervisor',
  admin: 'Administrator',
  privacy: 'Privacy officer',
};

export const STATUS_LABELS = {
  outreach: 'Outreach',
  active: 'Active',
  discharged: 'Discharged',
};

// A status shown as text with a calm colour; the colour never carries
// meaning alone.
export function statusBadge(status) {
  return h('span', { class: `badge badge--${status || 'unknown'}`, text: STATUS_LABELS[status] || status || 'Unknown' });
}

// A label for a code from a reference list ({code,label}).
export function labelOf(list, code) {
  if (!code) return '';
  const hit = (list || []).find((x) => x.code === code);
  return hit ? hit.label : code;
}

// A link styled as a button (for navigation between views).
export function linkButton(href, text, cls = '') {
  return h('a', { class: `button ${cls}`.trim(), href, text });
}

// A description list from [term, value] pairs; values may be nodes.
export function details(pairs, cls = 'details') {
  return h('dl', { class: cls }, pairs.filter(Boolean).map(([term, value]) =>
    h('div', { class: 'details__row' },
      h('dt', { text: term }),
      h('dd', {}, value === null || value === undefined || value === '' ? h('span', { class: 'muted', text: 'Not recorded' }) : value))));
}
