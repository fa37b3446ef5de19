// A group (#/groups/{id}): what it is, its roster (each name links to the
// person's page; people of the group's team are found by name and added,
// and taken off again), its latest sessions with their standing and who
// came, and "Document a session".
import { api, query } from '../api.js';
import { h, clear, formatTime, labelOf, details, plural, linkButton } from '../dom.js';
import { field, problemText } from '../forms.js';
import { groupsBreadcrumb, curriculumOf, curriculumAbout, sessionBadge, cameText, renderGroupNotFound } from './group_common.js';

export async function render(ctx, id) {
  let group;
  try {
    group = (await api.get(`/api/v1/groups/${id}`)).json;
  } catch (err) {
    if (err.status === 404 && !ctx.stale()) {
      renderGroupNotFound(ctx);
      return;
    }
    throw err;
  }
  const ref = await ctx.reference();
  if (ctx.stale()) return;
  draw(ctx, group, ref);
}

function sessionItem(g, s) {
  return h('li', { class: `note-summary${s.status === 'draft' ? ' note-summary--draft' : ''} group-session-item` },
    h('div', { class: 'note-summary__main' },
      h('a', { class: 'note-summary__name', href: `#/groups/${g.id}/sessions/${s.id}` },
        h('span', { text: formatTime(s.started_at) }),
        s.topic ? h('span', { class: 'note-summary__type', text: `: ${s.topic}` }) : null),
      sessionBadge(s.status)),
    h('p', { class: 'note-summary__facts', text: `${cameText(s.present, s.listed)} \u00b7 ${s.author_name || 'a colleague'}` }));
}

function draw(ctx, initial, ref) {
  let g = initial;
  const cur = curriculumOf(ref, g.curriculum);
  const members = h('ul', { class: 'roster-list group-members', id: 'group-members', 'aria-labelledby': 'group-roster-title' });
  const count = h('p', { class: 'roster__count', id: 'group-member-count' });
  const problem = h('div', { class: 'group-roster__problem', 'aria-live': 'polite' });

  const search = field({ id: 'group-add-q', name: 'q', label: 'Add someone from the team roster', type: 'search',
    hint: 'Type the first letters of their name, then choose them.' });
  search.control.setAttribute('enterkeyhint', 'search');
  const results = h('ul', { class: 'group-add__results', id: 'group-add-results', 'aria-live': 'polite' });
  const resultsNote = h('p', { class: 'muted group-add__note', 'aria-live': 'polite' });

  function say(text, isProblem = false) {
    clear(problem);
    if (text) problem.append(h('p', { class: isProblem ? 'field__error' : 'muted', text }));
  }

  function drawMembers() {
    clear(members);
    count.textContent = g.members.length
      ? `${plural(g.members.length, 'person', 'people')} on the roster${g.max_size ? `, of at most ${g.max_size}` : ''}.`
      : 'No one is on the roster yet.';
    for (const m of g.members) {
      const remove = h('button', { type: 'button', class: 'button button--quiet button--small group-member__remove' },
        'Take off', h('span', { class: 'visually-hidden', text: ` ${m.name} from the roster` }));
      remove.addEventListener('click', async () => {
        remove.disabled = true;
        say('');
        try {
          const r = await api.del(`/api/v1/groups/${g.id}/members/${m.person_id}`);
          if (ctx.stale()) return;
          g = { ...g, ...r.json };
          drawMembers();
          ctx.announce(`${m.name} is off the roster.`);
          document.getElementById('group-roster-title').focus();
        } catch (err) {
          if (ctx.stale() || err.handled) return;
          remove.disabled = false;
          say(`${m.name} was not taken off: ${problemText(err)}`, true);
        }
      });
      members.append(h('li', { class: 'roster-item group-member' },
        h('div', { class: 'roster-item__main' },
          h('a', { class: 'roster-item__name', href: `#/people/${m.person_id}`, text: m.name })),
        h('div', { class: 'roster-item__meta' }, remove)));
    }
  }

  let seq = 0;
  async function find() {
    const mine = ++seq;
    const q = search.control.value.trim();
    clear(results);
    resultsNote.textContent = '';
    if (!q) return;
    let r;
    try {
      r = await api.get(`/api/v1/people${query({ q, team: g.team, limit: 10 })}`);
    } catch (err) {
      if (mine !== seq || ctx.stale() || err.handled) return;
      resultsNote.textContent = err.status === 400 ? 'That search could not be run: try fewer or shorter words.' : problemText(err);
      return;
    }
    if (mine !== seq || ctx.stale()) return;
    ctx.rememberNames(r.json.items);
    const on = new Set(g.members.map((m) => m.person_id));
    const found = r.json.items.filter((p) => !on.has(p.id));
    if (!found.length) {
      resultsNote.textContent = r.json.items.length ? 'Everyone matching is on the roster already.' : 'No one on the team roster matches.';
      return;
    }
    for (const p of found) {
      const add = h('button', { type: 'button', class: 'button button--secondary button--small' },
        'Add', h('span', { class: 'visually-hidden', text: ` ${p.preferred_name} to the roster` }));
      add.addEventListener('click', async () => {
        add.disabled = true;
        say('');
        try {
          const res = await api.post(`/api/v1/groups/${g.id}/members`, { person_id: p.id });
          if (ctx.stale()) return;
          g = { ...g, ...res.json };
          drawMembers();
          search.control.value = '';
          clear(results);
          search.control.focus();
          ctx.announce(`${p.preferred_name} is on the roster.`);
        } catch (err) {
          if (ctx.stale() || err.handled) return;
          add.disabled = false;
          const e = err.status === 400 && err.errors[0];
          say(e ? `${p.preferred_name} was not added: this ${e.message}.` : `${p.preferred_name} was not added: ${problemText(err)}`, true);
        }
      });
      results.append(h('li', { class: 'group-add__result' },
        h('span', { class: 'group-add__name', text: p.preferred_name }),
        p.pronouns ? h('span', { class: 'muted', text: ` (${p.pronouns})` }) : null,
        add));
    }
  }
  let debounce = null;
  search.control.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(find, 250);
  });
  search.control.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(debounce);
      find();
    }
  });

  const facts = details([
    ['Curriculum', g.curriculum_label || g.curriculum],
    ['Team', ctx.teamLabel(g.team)],
    ['Where it meets', g.location],
    ['Setting', g.setting ? labelOf(ref.contact_settings, g.setting) : null],
    ['Program', g.program ? labelOf(ref.programs, g.program) : null],
    ['Size limit of its own', g.max_size ? plural(g.max_size, 'person', 'people') : 'None'],
  ]);

  const sessions = g.sessions || [];
  const page = h('div', { class: 'page group-page' },
    groupsBreadcrumb(null),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'group-title', text: g.name }),
        h('p', { class: 'lead', text: g.curriculum_label || g.curriculum }),
        g.active === false ? h('p', { class: 'badge badge--discharged', text: 'No longer meeting' }) : null),
      h('div', { class: 'page__actions' }, linkButton(`#/groups/${g.id}/sessions/new`, 'Document a session'))),
    h('div', { class: 'person-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'group-about-title' },
        h('h2', { id: 'group-about-title', text: 'About the group' }),
        g.description ? h('p', { class: 'note-text__body', text: g.description }) : null,
        facts,
        cur ? h('div', { class: 'group-curriculum' }, curriculumAbout(cur)) : null),
      h('section', { class: 'card', 'aria-labelledby': 'group-roster-title' },
        h('h2', { id: 'group-roster-title', tabindex: '-1', text: 'Roster' }),
        count,
        members,
        problem,
        h('div', { class: 'group-add' }, search.wrap, resultsNote, results))),
    h('section', { class: 'card', 'aria-labelledby': 'group-sessions-title' },
      h('h2', { id: 'group-sessions-title', text: 'Sessions' }),
      sessions.length
        ? h('ul', { class: 'notes-list group-sessions', id: 'group-sessions' }, sessions.map((s) => sessionItem(g, s)))
        : h('p', { class: 'muted', text: 'No sessions documented yet.' }),
      sessions.length >= 20 ? h('p', { class: 'muted', text: 'The latest 20 sessions are shown.' }) : null));

  drawMembers();
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
