// The groups (#/groups): the peer groups of the signed-in person's teams,
// each with its curriculum and how many people are on its roster, and a
// form to start a group: its name, its curriculum (with what it is and who
// may lead it), where it meets and, if it has one, its own size limit.
import { api } from '../api.js';
import { h, clear, plural } from '../dom.js';
import { field, options, showErrors, showFormProblem, clearErrors, busy, problemText, valueOrNull } from '../forms.js';
import { attachCoach } from '../language_coach.js';
import { curriculumOf, curriculumAbout } from './group_common.js';

function groupItem(ctx, g, several) {
  return h('li', { class: 'roster-item group-item' },
    h('div', { class: 'roster-item__main' },
      h('a', { class: 'roster-item__name', href: `#/groups/${g.id}`, text: g.name })),
    h('div', { class: 'roster-item__meta' },
      h('span', { class: 'group-item__curriculum', text: g.curriculum_label || g.curriculum }),
      h('span', { class: 'group-item__count', text: `${plural(g.member_count, 'person', 'people')} on the roster` }),
      several ? h('span', { class: 'roster-item__team', text: ctx.teamLabel(g.team) }) : null));
}

function startForm(ctx, ref, typed) {
  const teams = ctx.me.teams || [];
  const v = typed || {};
  const team = teams.length > 1 ? field({ id: 'group-team', name: 'team', label: 'Team', type: 'select', required: true,
    options: teams.map((t) => ({ value: t.name, label: t.display_name })), value: v.team || teams[0].name }) : null;
  const name = field({ id: 'group-name', name: 'name', label: 'Name of the group', required: true, maxlength: 120, value: v.name,
    hint: 'What people call it, for example \u201cTuesday wellness group\u201d.' });
  name.control.setAttribute('spellcheck', 'true');
  const curriculum = field({ id: 'group-curriculum', name: 'curriculum', label: 'Curriculum', type: 'select', required: true,
    options: options(ref.group_curricula, { blank: 'Choose one' }), value: v.curriculum || '' });
  const about = h('div', { class: 'group-curriculum', id: 'group-curriculum-about', 'aria-live': 'polite' });
  const description = field({ id: 'group-description', name: 'description', label: 'What the group is about (optional)', type: 'textarea',
    rows: 3, maxlength: 2000, value: v.description });
  const setting = field({ id: 'group-setting', name: 'setting', label: 'Setting', type: 'select',
    options: options(ref.contact_settings, { blank: 'Not chosen' }), value: v.setting || '' });
  const location = field({ id: 'group-location', name: 'location', label: 'Where it meets', maxlength: 200, value: v.location,
    hint: 'A place name is enough, for example \u201cRoom 2 at the center\u201d.' });
  location.control.removeAttribute('spellcheck');
  const program = field({ id: 'group-program', name: 'program', label: 'Program', type: 'select',
    options: options(ref.programs, { blank: 'Not chosen' }), value: v.program || '',
    hint: 'The program decides the billing modifier.' });
  const per = ref.group_size && ref.group_size.max_attendees_per_facilitator;
  const maxSize = field({ id: 'group-max-size', name: 'max_size', label: 'Size limit of the group\u2019s own (optional)', type: 'number',
    inputmode: 'numeric', width: 'date', value: v.max_size,
    hint: `The most people its roster may hold. Leave it empty for no limit of its own.${per ? ` The payer allows up to ${per} people in a session for each facilitator.` : ''}` });
  maxSize.control.setAttribute('min', '1');
  maxSize.control.setAttribute('step', '1');
  attachCoach(name.control);
  attachCoach(description.control);

  const drawAbout = () => {
    clear(about);
    about.append(...curriculumAbout(curriculumOf(ref, curriculum.control.value)).filter(Boolean));
    about.hidden = !about.firstChild;
  };
  curriculum.control.addEventListener('change', drawAbout);
  drawAbout();

  const form = h('form', { class: 'form group-start', novalidate: true, 'aria-labelledby': 'group-start-title' },
    team ? team.wrap : null,
    name.wrap,
    curriculum.wrap,
    about,
    description.wrap,
    h('div', { class: 'note-where' }, setting.wrap, program.wrap),
    location.wrap,
    maxSize.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', id: 'group-start-submit', text: 'Start the group' })));

  const controls = { team: team && team.control, name: name.control, curriculum: curriculum.control, description: description.control,
    setting: setting.control, location: location.control, program: program.control, max_size: maxSize.control };
  const values = () => {
    const out = {};
    for (const [k, c] of Object.entries(controls)) out[k] = c ? c.value : '';
    return out;
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      team: team ? team.control.value : (teams[0] ? teams[0].name : null),
      name: valueOrNull(name.control),
      curriculum: curriculum.control.value || null,
      description: valueOrNull(description.control),
      setting: setting.control.value || null,
      location: valueOrNull(location.control),
      program: program.control.value || null,
    };
    const size = maxSize.control.value.trim();
    if (size !== '') {
      if (!/^\d+$/.test(size) || Number(size) < 1) {
        showErrors(form, [{ field: 'max_size', message: 'must be a whole number of people, 1 or more, or empty' }],
          (k) => (controls[k] ? { control: controls[k] } : null), { title: 'The group was not started yet' });
        return;
      }
      body.max_size = Number(size);
    }
    busy(form, true, 'Starting\u2026');
    try {
      const r = await api.post('/api/v1/groups', body);
      if (ctx.stale()) return;
      ctx.navigate(`#/groups/${r.json.id}`, { flash: 'Group started. Add the people who take part to its roster.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (k) => (controls[k] ? { control: controls[k] } : null), { title: 'The group was not started yet' });
      } else {
        showFormProblem(form, 'The group was not started yet', problemText(err));
      }
    }
  });
  return {
    form,
    values,
    // Typed words, or a curriculum chosen: anything else has a default.
    isDirty: () => ['name', 'description', 'location', 'max_size', 'curriculum'].some((k) => (values()[k] || '').trim() !== ''),
  };
}

export async function render(ctx) {
  const [r, ref] = await Promise.all([api.get('/api/v1/groups'), ctx.reference()]);
  if (ctx.stale()) return;
  const teams = ctx.me.teams || [];
  const several = teams.length > 1;
  const items = r.json.items;
  const typed = ctx.draft && ctx.draft.kind === 'group-start' ? ctx.draft.values : null;
  const start = startForm(ctx, ref, typed);
  const teamNames = teams.map((t) => t.display_name).join(', ');
  const page = h('div', { class: 'page groups-page' },
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { text: 'Groups' }),
        h('p', { class: 'lead', text: `Peer groups of ${teamNames || 'your team'}. Document a session once, and each person who came gets their own note.` })),
      h('div', { class: 'page__actions' }, h('button', { type: 'button', class: 'button button--secondary', text: 'Start a group',
        on: { click: () => document.getElementById('group-name').focus() } }))),
    h('section', { 'aria-labelledby': 'groups-list-title' },
      h('h2', { id: 'groups-list-title', text: 'Your teams\u2019 groups' }),
      items.length
        ? h('ul', { class: 'roster-list groups-list', id: 'groups-list' }, items.map((g) => groupItem(ctx, g, several)))
        : h('p', { class: 'muted', id: 'groups-none', text: 'No groups yet. Start one below.' })),
    h('section', { class: 'card group-start-card', 'aria-labelledby': 'group-start-title' },
      h('h2', { id: 'group-start-title', text: 'Start a group' }),
      start.form));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'group-start', values: start.values() }),
    isDirty: start.isDirty,
  });
}
