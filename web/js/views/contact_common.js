// What the contact views share: the words for a note's standing, its
// deadline and what it still lacks; times between the form's local date
// and time inputs and the server's UTC timestamps; the midpoint-rule
// preview of units; and the person's recovery plan goals, in their words,
// that a note can be linked to.
import { api } from '../api.js';
import { h, formatDate, formatTime, todayISO, daysBetween, labelOf } from '../dom.js';

// What each element the notes rules may ask for is called on screen. The
// same words label the form's fields, so an error reads as one sentence.
export const ELEMENT_LABELS = {
  location: 'Where it happened',
  intervention: 'What we did together',
  response: 'How the person responded',
  next_steps: 'Next steps',
  goals: 'Plan goals this worked on',
};

export function elementLabel(code) {
  return ELEMENT_LABELS[code] || code;
}

// "where it happened, how the person responded and next steps"
export function elementList(codes) {
  const words = (codes || []).map((c) => elementLabel(c).toLowerCase());
  if (words.length <= 1) return words[0] || '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function typeLabel(ref, code) {
  return labelOf(ref.contact_types, code) || 'Contact';
}

// The date a timestamp falls on in the organisation's time zone (a
// deadline is the end of a business day there), as YYYY-MM-DD.
export function dateInZone(ts, zone) {
  const t = new Date(ts);
  if (Number.isNaN(t.getTime())) return '';
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(t);
    const v = (type) => parts.find((p) => p.type === type).value;
    return `${v('year')}-${v('month')}-${v('day')}`;
  } catch {
    return localDate(t);
  }
}

function relative(iso) {
  const d = daysBetween(todayISO(), iso);
  if (d === null) return '';
  if (d === 0) return 'today';
  if (d === 1) return 'tomorrow';
  if (d === -1) return 'yesterday';
  return d > 1 ? `in ${d} days` : `${-d} days ago`;
}

// A draft whose deadline has passed.
export function overdue(c) {
  return c.status === 'draft' && Date.parse(c.due_at) < Date.now();
}

// "Due by 25 November 2026 (in 2 days)" for a draft; for a signed note
// when it was due.
export function dueText(c, zone) {
  const day = dateInZone(c.due_at, zone);
  if (c.status === 'draft') return `Due by ${formatDate(day)} (${overdue(c) ? `was due ${relative(day)}` : relative(day)})`;
  return `Was due by ${formatDate(day)}`;
}

// The note's standing as badges: draft or signed, late (signed after its
// deadline) or overdue (a draft past it), and a co-signature still needed.
export function noteBadges(c) {
  const out = [];
  out.push(c.status === 'signed'
    ? h('span', { class: 'badge badge--note-signed', text: 'Signed' })
    : h('span', { class: 'badge badge--note-draft', text: 'Draft' }));
  if (c.late) out.push(h('span', { class: 'badge badge--note-late', text: 'Late' }));
  else if (overdue(c)) out.push(h('span', { class: 'badge badge--note-late', text: 'Overdue' }));
  if (c.status === 'signed' && c.cosign_required && !c.cosigned_at) {
    out.push(h('span', { class: 'badge badge--note-draft', text: 'Needs co-signature' }));
  }
  return h('span', { class: 'note-badges' }, out);
}

export function minutesText(n) {
  return `${n} ${n === 1 ? 'minute' : 'minutes'}`;
}

export function unitsText(n) {
  return `${n} ${n === 1 ? 'unit' : 'units'}`;
}

// Units under the midpoint rule (REFERENCE.md 1.3): a preview only, as the
// payer's rules (data/billing.json) may add up a day's minutes or cap
// them. The server's figure replaces it as soon as the draft is saved.
export function previewUnits(minutes) {
  return minutes >= 8 ? Math.floor((minutes + 7) / 15) : 0;
}

// When a contact happened, in words: "4 November 2026 at 10:00".
export function whenText(c) {
  return formatTime(c.started_at);
}

// --- local inputs <-> UTC ---------------------------------------------

const pad = (n) => String(n).padStart(2, '0');

export function localDate(t) {
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

export function localTime(t) {
  return `${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

// A Date from the form's local date ("2026-11-23") and time ("14:05"),
// read in the browser's time zone; null when either is not a value.
export function fromLocal(date, time) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '') || !/^\d{2}:\d{2}$/.test(time || '')) return null;
  const t = new Date(`${date}T${time}`);
  return Number.isNaN(t.getTime()) ? null : t;
}

// Whole minutes from the start time to the end time, past midnight when
// the end is earlier in the day.
export function minutesBetweenTimes(start, end) {
  const m = (s) => {
    const x = /^(\d{2}):(\d{2})$/.exec(s || '');
    return x ? Number(x[1]) * 60 + Number(x[2]) : null;
  };
  const a = m(start);
  const b = m(end);
  if (a === null || b === null) return null;
  const d = (b - a + 1440) % 1440;
  return d === 0 ? null : d;
}

// The end time (HH:MM) that is minutes after start.
export function timeAfter(start, minutes) {
  const x = /^(\d{2}):(\d{2})$/.exec(start || '');
  if (!x || !Number.isFinite(minutes)) return '';
  const t = (Number(x[1]) * 60 + Number(x[2]) + minutes) % 1440;
  return `${pad(Math.floor(t / 60))}:${pad(t % 60)}`;
}

// --- the person's plan goals ------------------------------------------

// The goals of the person's recovery plans, newest version of each:
// [{ id, plan_id, words, lifecycle_status }]. A person without a plan has
// none; a plan that cannot be read leaves its goals out.
export async function loadGoals(personId) {
  const plans = [];
  let after = null;
  for (let page = 0; page < 5; page++) {
    const q = new URLSearchParams({ kind: 'recovery', limit: '200' });
    if (after) q.set('after', after);
    const r = await api.get(`/api/v1/people/${personId}/plans?${q}`);
    plans.push(...r.json.items);
    after = r.json.next;
    if (!after) break;
  }
  const full = await Promise.all(plans.map((p) => api.get(`/api/v1/plans/${p.id}`).then((r) => r.json).catch((err) => {
    if (err.handled) throw err;
    return null;
  })));
  const goals = [];
  for (const plan of full) {
    if (!plan || !plan.current) continue;
    for (const g of (plan.current.content && plan.current.content.goals) || []) {
      if (g && g.id && g.words) goals.push({ id: g.id, plan_id: plan.id, words: g.words, lifecycle_status: g.lifecycle_status });
    }
  }
  return goals;
}

// Goals that are no longer being worked on; still shown when a note is
// linked to one.
export const CLOSED_GOALS = new Set(['entered-in-error', 'rejected', 'cancelled']);

// A short line saying who wrote and signed the note.
export function signedLine(c) {
  const parts = [];
  if (c.signed_at) {
    parts.push(`Signed ${formatTime(c.signed_at)} by ${c.author_name || 'its author'}${c.credential ? `, ${c.credential}` : ''}`);
  } else {
    parts.push(`Written by ${c.author_name || 'a colleague'}`);
  }
  if (c.cosigned_at) parts.push(`co-signed ${formatTime(c.cosigned_at)}${c.cosigner_name ? ` by ${c.cosigner_name}` : ''}`);
  return `${parts.join('; ')}.`;
}
