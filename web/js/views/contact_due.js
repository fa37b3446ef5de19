// "Documentation due": the signed-in staff member's notes that are not
// signed yet (and, for a supervisor, notes waiting for their
// co-signature), soonest due first, each with what it still lacks and a
// link to it; then their group sessions not signed yet. The header's "Documentation due" link carries how many
// there are; it is counted when the session starts, when this page is
// shown and after a note is saved or signed (each look is audited, so not
// on every page).
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { typeLabel, whenText, noteBadges, dueText, elementList, minutesText } from './contact_common.js';

function setCount(n) {
  const el = document.getElementById('nav-due-count');
  if (!el) return;
  clear(el);
  if (n) {
    el.append(h('span', { 'aria-hidden': 'true', text: String(n) }),
      h('span', { class: 'visually-hidden', text: `: ${n} ${n === 1 ? 'note' : 'notes'}` }));
  }
  el.hidden = !n;
}

// Shows how many notes are due in the header; quiet when it cannot tell.
export async function refreshDueCount() {
  try {
    const r = await api.get('/api/v1/documentation-due');
    setCount(r.json.items.length + (r.json.group_sessions || []).length);
  } catch {
    /* the count is a convenience: the page says what is due */
  }
}

export function clearDueCount() {
  setCount(0);
}

function waitingForCosign(c) {
  return c.status === 'signed' && c.cosign_required && !c.cosigned_at;
}

function dueItem(c, ref) {
  const cosign = waitingForCosign(c);
  return h('li', { class: `note-summary note-due-item${cosign ? '' : ' note-summary--draft'}` },
    h('div', { class: 'note-summary__main' },
      h('a', { class: 'note-summary__name', href: `#/contacts/${c.id}` },
        h('span', { text: c.person_name || 'A person we support' }),
        h('span', { class: 'note-summary__type', text: `: ${typeLabel(ref, c.type)}` })),
      noteBadges(c)),
    h('p', { class: 'note-summary__facts', text: `${whenText(c)} \u00b7 ${minutesText(c.minutes)}` }),
    cosign
      ? h('p', { class: 'note-summary__due', text: `Waiting for your co-signature${c.author_name ? `; written by ${c.author_name}` : ''}.` })
      : h('p', { class: 'note-summary__due', text: dueText(c, ref.time_zone) }),
    cosign ? null : (c.missing && c.missing.length
      ? h('p', { class: 'note-summary__missing' }, h('strong', { text: 'Still needed: ' }), elementList(c.missing))
      : h('p', { class: 'note-summary__ready', text: 'Everything the rules ask for is there: ready to sign.' })));
}

function sessionItem(s, ref) {
  return h('li', { class: 'note-summary note-due-item note-summary--draft' },
    h('div', { class: 'note-summary__main' },
      h('a', { class: 'note-summary__name', href: `#/groups/${s.group_id}/sessions/${s.id}` },
        h('span', { text: s.group_name }),
        h('span', { class: 'note-summary__type', text: s.topic ? `: ${s.topic}` : ': group session' }))),
    h('p', { class: 'note-summary__facts', text: `${whenText(s)} \u00b7 ${s.present} of ${s.listed} came` }),
    h('p', { class: 'note-summary__due', text: dueText({ ...s, status: 'draft' }, ref.time_zone) }));
}

export async function render(ctx) {
  const [r, ref] = await Promise.all([api.get('/api/v1/documentation-due'), ctx.reference()]);
  if (ctx.stale()) return;
  const items = r.json.items;
  const sessions = r.json.group_sessions || [];
  setCount(items.length + sessions.length);
  const supervisor = ctx.me && ctx.me.role === 'supervisor';
  const page = h('div', { class: 'page' },
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { text: 'Documentation due' }),
        h('p', { class: 'lead', text: supervisor
          ? 'Your notes that are not signed yet, and notes waiting for your co-signature, soonest due first.'
          : 'Your notes that are not signed yet, soonest due first.' }))),
    h('p', { class: 'roster__count', id: 'due-count', text: items.length
      ? `${items.length} ${items.length === 1 ? 'note is' : 'notes are'} due.`
      : sessions.length ? 'No notes of your own are due.' : 'Nothing is due: every note you wrote is signed.' }),
    items.length ? h('ul', { class: 'notes-list', 'aria-labelledby': 'due-count' }, items.map((c) => dueItem(c, ref))) : null,
    sessions.length ? h('section', { class: 'due-sessions', 'aria-labelledby': 'due-sessions-title' },
      h('h2', { id: 'due-sessions-title', text: 'Group sessions to sign' }),
      h('p', { class: 'muted', text: 'Signing a session writes the note in the record of each person who came.' }),
      h('ul', { class: 'notes-list' }, sessions.map((s) => sessionItem(s, ref)))) : null);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
