// The "Contacts and notes" section of a person's page: a prominent "Write a
// note" button and their recent contacts, newest first, each with its
// standing (draft or signed, late), minutes and, for a draft, its deadline
// and what it still lacks. Older contacts load on request.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { typeLabel, whenText, minutesText, unitsText, noteBadges, dueText, elementList } from './contact_common.js';

const PAGE = 10;

// The first page of the person's contacts, or { error } when they cannot
// be read (the rest of the person's page still shows).
export async function loadNotes(personId) {
  try {
    const r = await api.get(`/api/v1/people/${personId}/contacts?limit=${PAGE}`);
    return { items: r.json.items, next: r.json.next };
  } catch (err) {
    if (err.handled) throw err;
    return { items: [], next: null, error: err };
  }
}

function noteItem(c, ref) {
  const facts = [whenText(c), minutesText(c.minutes)];
  // The list's summaries carry units only if the server sends them.
  if (typeof c.units === 'number') facts.push(unitsText(c.units));
  if (c.author_name) facts.push(c.author_name);
  const draft = c.status === 'draft';
  return h('li', { class: `note-summary${draft ? ' note-summary--draft' : ''}` },
    h('div', { class: 'note-summary__main' },
      h('a', { class: 'note-summary__name', href: `#/contacts/${c.id}` },
        h('span', { text: typeLabel(ref, c.type) }),
        h('span', { class: 'visually-hidden', text: `, ${whenText(c)}` })),
      noteBadges(c)),
    h('p', { class: 'note-summary__facts', text: facts.join(' \u00b7 ') }),
    draft ? h('p', { class: 'note-summary__due', text: dueText(c, ref.time_zone) }) : null,
    draft && c.missing && c.missing.length
      ? h('p', { class: 'note-summary__missing' }, h('strong', { text: 'Still needed: ' }), elementList(c.missing))
      : null);
}

export function notesSection(ctx, person, notes, ref) {
  const list = h('ul', { class: 'notes-list', id: 'notes-list' });
  const more = h('button', { type: 'button', class: 'button button--secondary', text: 'Show older notes', hidden: !notes.next });
  const problem = h('p', { class: 'field__error', hidden: true, role: 'alert' });
  let next = notes.next;
  for (const c of notes.items) list.append(noteItem(c, ref));

  more.addEventListener('click', async () => {
    more.disabled = true;
    problem.hidden = true;
    try {
      const r = await api.get(`/api/v1/people/${person.id}/contacts?limit=${PAGE}&after=${encodeURIComponent(next)}`);
      if (ctx.stale()) return;
      const added = r.json.items.map((c) => noteItem(c, ref));
      list.append(...added);
      next = r.json.next;
      more.hidden = !next;
      more.disabled = false;
      ctx.announce(`${r.json.items.length} older ${r.json.items.length === 1 ? 'note' : 'notes'} shown.`);
      if (added.length) added[0].querySelector('a').focus();
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      more.disabled = false;
      clear(problem);
      problem.append('The older notes could not be loaded. Try again.');
      problem.hidden = false;
    }
  });

  let body;
  if (notes.error) {
    body = h('p', { class: 'muted', text: 'The notes could not be loaded. Reload the page to try again.' });
  } else if (!notes.items.length) {
    body = h('p', { class: 'muted', text: 'No contacts recorded yet.' });
  } else {
    body = list;
  }
  return h('section', { class: 'card notes', id: 'notes', 'aria-labelledby': 'notes-title' },
    h('div', { class: 'notes__head' },
      h('h2', { id: 'notes-title', text: 'Contacts and notes' }),
      h('a', { class: 'button notes__write', href: `#/people/${person.id}/contacts/new`, text: 'Write a note' })),
    body,
    notes.error ? null : [problem, more]);
}
