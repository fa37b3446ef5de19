// The team roster: the people we support on the signed-in person's teams,
// with search by name and filters. The search text stays in memory only:
// never in the address, the history or storage.
import { api, query } from '../api.js';
import { h, clear, statusBadge, linkButton, plural, STATUS_LABELS } from '../dom.js';
import { field } from '../forms.js';

const PAGE = 50;
let search = { q: '', status: '', team: '' };

// Forgets the search (at sign-out).
export function reset() {
  search = { q: '', status: '', team: '' };
}

function teamList(names) {
  const labels = names.map((t) => t.display_name);
  if (labels.length <= 1) return labels[0] || 'your team';
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

export async function render(ctx) {
  const { me, main } = ctx;
  const teams = me.teams || [];
  const several = teams.length > 1;

  const q = field({
    id: 'roster-q',
    name: 'q',
    label: 'Search by name',
    type: 'search',
    hint: 'Type the first letters of any of their names.',
    value: search.q,
  });
  q.control.setAttribute('enterkeyhint', 'search');
  const status = field({
    id: 'roster-status',
    name: 'status',
    label: 'Status',
    type: 'select',
    options: [{ value: '', label: 'All statuses' },
      ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))],
    value: search.status,
  });
  const team = several ? field({
    id: 'roster-team',
    name: 'team',
    label: 'Team',
    type: 'select',
    options: [{ value: '', label: 'All my teams' }, ...teams.map((t) => ({ value: t.name, label: t.display_name }))],
    value: search.team,
  }) : null;

  const count = h('p', { class: 'roster__count', id: 'roster-count', 'aria-live': 'polite' });
  const list = h('ul', { class: 'roster-list', id: 'roster-list', 'aria-labelledby': 'roster-results-title' });
  const more = h('button', { type: 'button', class: 'button button--secondary', hidden: true, text: 'Show more people' });
  const clearBtn = h('button', { type: 'button', class: 'button button--quiet', text: 'Clear search' });

  const form = h('form', { class: 'search', role: 'search', 'aria-label': 'Search the roster', novalidate: true },
    h('div', { class: 'search__fields' }, q.wrap, status.wrap, team ? team.wrap : null),
    h('div', { class: 'search__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Search' }),
      clearBtn));

  const page = h('div', { class: 'page' },
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { text: 'Team roster' }),
        h('p', { class: 'lead', text: `People we support on ${teamList(teams)}.` })),
      h('div', { class: 'page__actions' }, linkButton('#/people/new', 'Add a person'))),
    form,
    h('section', { class: 'roster', 'aria-labelledby': 'roster-results-title' },
      h('h2', { class: 'visually-hidden', id: 'roster-results-title', text: 'People on the roster' }),
      count,
      list,
      h('div', { class: 'roster__more' }, more)));

  let seq = 0;
  let next = null;

  function describe(n, hasMore) {
    const filtered = search.q || search.status || search.team;
    if (n === 0) {
      return filtered ? 'No one on the roster matches this search.' : 'No one is on this roster yet.';
    }
    const who = plural(n, 'person', 'people');
    if (hasMore) return `Showing the first ${who}${filtered ? ' matching the search' : ''}.`;
    return filtered ? `${who} ${n === 1 ? 'matches' : 'match'} the search.` : `${who} on the roster.`;
  }

  function item(p) {
    return h('li', { class: 'roster-item' },
      h('div', { class: 'roster-item__main' },
        h('a', { class: 'roster-item__name', href: `#/people/${p.id}`, text: p.preferred_name }),
        p.pronouns ? h('span', { class: 'roster-item__pronouns', text: `(${p.pronouns})` }) : null),
      h('div', { class: 'roster-item__meta' },
        statusBadge(p.status),
        h('span', { class: 'roster-item__peer' }, p.primary_peer_name
          ? ['Primary peer: ', h('span', { text: p.primary_peer_name })]
          : h('span', { class: 'muted', text: 'No primary peer yet' })),
        several ? h('span', { class: 'roster-item__team', text: ctx.teamLabel(p.team) }) : null));
  }

  async function load({ append = false } = {}) {
    const mine = ++seq;
    const params = { q: search.q.trim(), status: search.status, team: search.team, limit: PAGE };
    if (append && next) params.after = next;
    list.setAttribute('aria-busy', 'true');
    let r;
    try {
      r = await api.get(`/api/v1/people${query(params)}`);
    } catch (err) {
      if (mine !== seq || ctx.stale() || err.handled) return;
      list.removeAttribute('aria-busy');
      if (err.status === 400) {
        const e = err.errors[0];
        count.textContent = e && e.field === 'q'
          ? `The search ${e.message}. Try fewer or shorter words.`
          : 'The search could not be run. Change it and try again.';
      } else {
        count.textContent = 'The roster could not be loaded. Try again in a moment.';
      }
      return;
    }
    if (mine !== seq || ctx.stale()) return;
    list.removeAttribute('aria-busy');
    ctx.rememberNames(r.json.items);
    if (!append) clear(list);
    for (const p of r.json.items) list.append(item(p));
    next = r.json.next;
    more.hidden = !next;
    clearBtn.hidden = !(search.q || search.status || search.team);
    count.textContent = describe(list.children.length, !!next);
  }

  function readForm() {
    search = {
      q: q.control.value,
      status: status.control.value,
      team: team ? team.control.value : '',
    };
  }

  let debounce = null;
  q.control.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { readForm(); load(); }, 250);
  });
  status.control.addEventListener('change', () => { readForm(); load(); });
  if (team) team.control.addEventListener('change', () => { readForm(); load(); });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(debounce);
    readForm();
    load();
  });
  clearBtn.addEventListener('click', () => {
    q.control.value = '';
    status.control.value = '';
    if (team) team.control.value = '';
    readForm();
    load();
    q.control.focus();
  });
  more.addEventListener('click', async () => {
    const before = list.children.length;
    await load({ append: true });
    const first = list.children[before];
    if (first) first.querySelector('a').focus();
  });

  ctx.setView({ snapshot: () => ({ ...search }), isDirty: () => false });
  await load();
  if (ctx.stale()) return;
  clear(main);
  main.append(page);
}
