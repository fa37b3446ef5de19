// What the resource directory's views share: opening hours in plain words
// ("Tuesdays and Thursdays 9:00–12:00"), an address on one line, the
// marks a resource carries (open now, not checked for a while, added by
// our team) and the categories' groups. See docs/resources.md.
import { h, formatTime } from '../dom.js';

// HSDS byday codes, Monday first, with their names.
export const DAYS = [
  { code: 'MO', one: 'Monday', many: 'Mondays', short: 'Mon' },
  { code: 'TU', one: 'Tuesday', many: 'Tuesdays', short: 'Tue' },
  { code: 'WE', one: 'Wednesday', many: 'Wednesdays', short: 'Wed' },
  { code: 'TH', one: 'Thursday', many: 'Thursdays', short: 'Thu' },
  { code: 'FR', one: 'Friday', many: 'Fridays', short: 'Fri' },
  { code: 'SA', one: 'Saturday', many: 'Saturdays', short: 'Sat' },
  { code: 'SU', one: 'Sunday', many: 'Sundays', short: 'Sun' },
];

export const GROUP_LABELS = {
  peer: 'Peer support areas',
  sdoh: 'Everyday needs (social needs)',
};

export const STATUS_LABELS = {
  active: 'Open to people',
  inactive: 'Not running for now',
  defunct: 'Closed for good',
  'temporarily closed': 'Closed for a while',
};

// "09:00:00" or "09:00" -> "9:00"; anything else as it came.
export function clock(t) {
  const m = /^(\d{1,2}):(\d{2})/.exec(t || '');
  if (!m) return t || '';
  return `${Number(m[1])}:${m[2]}`;
}

// "a", "a and b", "a, b and c".
export function andList(words) {
  if (words.length <= 1) return words[0] || '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// "TU,TH" -> "Tuesdays and Thursdays"; "MO,TU,WE,TH,FR" -> "Monday to
// Friday"; every day -> "Every day". Unknown codes are left out; null
// when none is known.
export function daysInWords(byday) {
  const codes = String(byday || '').toUpperCase().split(/[\s,]+/)
    // An HSDS byday may carry an ordinal ("1MO" = first Monday); the
    // day is what is named here.
    .map((c) => c.replace(/^[+-]?\d+/, ''));
  const idx = [...new Set(codes.map((c) => DAYS.findIndex((d) => d.code === c)).filter((i) => i >= 0))].sort((a, b) => a - b);
  if (!idx.length) return null;
  if (idx.length === 7) return 'Every day';
  const run = idx.length >= 3 && idx[idx.length - 1] - idx[0] === idx.length - 1;
  if (run) return `${DAYS[idx[0]].one} to ${DAYS[idx[idx.length - 1]].one}`;
  return andList(idx.map((i) => DAYS[i].many));
}

// One schedule row in words: "Tuesdays and Thursdays 9:00–12:00", with
// its description after it; a schedule that is not weekly says what its
// description says.
export function scheduleInWords(s) {
  const freq = (s.freq || 'WEEKLY').toUpperCase();
  const days = freq === 'WEEKLY' ? daysInWords(s.byday) : null;
  const times = s.opens_at && s.closes_at ? `${clock(s.opens_at)}\u2013${clock(s.closes_at)}`
    : s.opens_at ? `from ${clock(s.opens_at)}` : s.closes_at ? `until ${clock(s.closes_at)}` : '';
  const main = [days, times].filter(Boolean).join(' ');
  const desc = (s.description || '').trim();
  if (main && desc) return `${main} (${desc})`;
  return main || desc || 'Hours not given';
}

// "12 Main Street, Springfield, IL 62701" from a location's address.
export function addressLine(l) {
  if (!l) return '';
  const place = [l.city, [l.state_province, l.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [l.address_1, l.address_2, place].filter(Boolean).join(', ');
}

export function distanceText(km) {
  if (km === null || km === undefined) return '';
  if (km < 1) return 'under 1 km away';
  return `${km.toFixed(1).replace(/\.0$/, '')} km away`;
}

export function phoneLink(number, id) {
  if (!number) return null;
  const tel = number.replace(/[^0-9+]/g, '');
  return h('a', { class: 'resource-phone', href: `tel:${tel}`, id, text: number });
}

// The marks of a resource: open now or closed now (nothing when no
// weekly hours say), not checked for a while, added by our team. The
// colour never carries the meaning alone: each says it in words.
export function marks(r) {
  const out = [];
  if (r.open_now === true) out.push(h('span', { class: 'badge badge--open', text: 'Open now' }));
  else if (r.open_now === false) out.push(h('span', { class: 'badge badge--closed', text: 'Closed now' }));
  if (r.status && r.status !== 'active') out.push(h('span', { class: 'badge badge--closed', text: STATUS_LABELS[r.status] || r.status }));
  if (r.stale) out.push(h('span', { class: 'badge badge--stale', text: 'Not checked for over a year' }));
  if (r.local) out.push(h('span', { class: 'badge badge--local', text: 'Added by our staff' }));
  return out.length ? h('p', { class: 'resource-marks' }, out) : null;
}

// "Referrals: 4 made, 3 accepted, 2 completed" (or none yet).
export function referralLine(ref) {
  const r = ref || {};
  if (!r.made) return 'No referrals made yet';
  return `Referrals: ${r.made} made, ${r.accepted || 0} accepted, ${r.completed || 0} completed`;
}

// Labels for codes, from a list of {code,label}.
export function labelsOf(list, codes) {
  return (codes || []).map((c) => {
    const hit = (list || []).find((x) => x.code === c);
    return hit ? hit.label : c;
  });
}

// Categories grouped as the categories route gives them: peer areas
// first, then social needs: [{ group, label, items }].
export function groupedCategories(categories) {
  const order = ['peer', 'sdoh'];
  const groups = new Map();
  for (const c of categories || []) {
    const g = c.group || 'other';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(c);
  }
  return [...groups.entries()]
    .sort((a, b) => (order.indexOf(a[0]) + 1 || 9) - (order.indexOf(b[0]) + 1 || 9))
    .map(([group, items]) => ({ group, label: GROUP_LABELS[group] || 'Other', items }));
}

// "Last checked 3 March 2026 by Jordan Lee", or when it was added.
export function checkedText(r) {
  if (r.verified_at) {
    return `Last checked ${formatTime(r.verified_at)}${r.verified_by_name ? ` by ${r.verified_by_name}` : ''}.`;
  }
  return 'Nobody has checked it since it was added.';
}

export function canImport(me) {
  return !!me && me.role === 'admin';
}
