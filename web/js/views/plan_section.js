// The "Plans" section of a person's page: their plans (kind, title,
// standing, the version in force, review and expiry dates), plans a rule
// says are due, and a form to start a plan of any kind.
import { api } from '../api.js';
import { h, formatDate, formatTime, todayISO, daysBetween } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { planBadge, kindLabel, ownTitle } from './plan_common.js';

// Every plan of the person (all pages) and what is due.
export async function loadPlans(personId) {
  const items = [];
  let due = [];
  let after = null;
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ limit: '200' });
    if (after) q.set('after', after);
    const r = await api.get(`/api/v1/people/${personId}/plans?${q}`);
    items.push(...r.json.items);
    if (page === 0) due = r.json.due || [];
    after = r.json.next;
    if (!after) break;
  }
  return { items, due };
}

function when(iso) {
  const d = daysBetween(todayISO(), iso);
  if (d === null) return '';
  if (d === 0) return ' (today)';
  return d > 0 ? ` (in ${d} days)` : ` (${-d} days ago)`;
}

function planItem(kinds, p) {
  const facts = [
    p.in_force ? `In force: version ${p.in_force}` : 'No signed version yet',
    p.latest !== p.in_force ? `Newest: version ${p.latest}` : null,
    p.review_due ? `Review due ${formatDate(p.review_due)}${when(p.review_due)}` : null,
    p.expires_on ? `Expires ${formatDate(p.expires_on)}` : null,
  ].filter(Boolean);
  return h('li', { class: 'plan-summary' },
    h('div', { class: 'plan-summary__main' },
      h('a', { class: 'plan-summary__name', href: `#/plans/${p.id}` },
        h('span', { text: kindLabel(kinds, p.kind) }),
        ownTitle(kinds, p) ? h('span', { class: 'plan-summary__title', text: `: ${p.title}` }) : null),
      planBadge(p.status)),
    h('p', { class: 'plan-summary__facts', text: facts.join(' \u00b7 ') }),
    h('p', { class: 'plan-summary__updated muted', text: `Last changed ${formatTime(p.updated_at)}` }));
}

export function plansSection(ctx, person, plans, kinds) {
  const kindOptions = (kinds.kinds || []).map((k) => ({ value: k.kind, label: k.label }));
  const kind = field({ id: 'new-plan-kind', name: 'kind', label: 'Kind of plan', type: 'select', options: kindOptions,
    hint: ' ' });
  const hint = kind.wrap.querySelector('.field__hint');
  hint.setAttribute('aria-live', 'polite');
  const describe = () => {
    const k = (kinds.kinds || []).find((x) => x.kind === kind.control.value);
    hint.textContent = k ? k.description : '';
  };
  kind.control.addEventListener('change', describe);
  describe();
  const title = field({ id: 'new-plan-title', name: 'title', label: 'Title (optional)', maxlength: 200 });
  const form = h('form', { class: 'form new-plan', novalidate: true, 'aria-labelledby': 'new-plan-title-h' },
    h('h3', { id: 'new-plan-title-h', text: 'Start a plan' }),
    kind.wrap, title.wrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Start this plan' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { kind: kind.control.value };
    if (title.control.value.trim()) body.title = title.control.value.trim();
    busy(form, true, 'Starting\u2026');
    try {
      const r = await api.post(`/api/v1/people/${person.id}/plans`, body);
      if (ctx.stale()) return;
      ctx.navigate(`#/plans/${r.json.id}`, { flash: `${kindLabel(kinds, r.json.kind)} started. It is a draft until it is signed.` });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (name === 'kind' ? { control: kind.control } : name === 'title' ? { control: title.control } : null));
      } else {
        showFormProblem(form, 'The plan was not started', problemText(err));
      }
    }
  });

  const due = plans.due || [];
  return h('section', { class: 'card plans', id: 'plans', 'aria-labelledby': 'plans-title' },
    h('h2', { id: 'plans-title', text: 'Plans' }),
    due.length ? h('ul', { class: 'plan-due' }, due.map((d) => {
      const late = daysBetween(todayISO(), d.due_on) < 0;
      return h('li', { class: `plan-due__item${late ? ' plan-due__item--late' : ''}` },
        h('p', { class: 'plan-due__what' }, h('strong', { text: `${kindLabel(kinds, d.kind)} due by ${formatDate(d.due_on)}` }), when(d.due_on)),
        d.rule ? h('p', { class: 'plan-due__rule' }, 'Rule: ', h('cite', { text: d.rule })) : null);
    })) : null,
    plans.items.length ? h('ul', { class: 'plans-list' }, plans.items.map((p) => planItem(kinds, p)))
      : h('p', { class: 'muted', text: 'No plans yet.' }),
    form);
}
