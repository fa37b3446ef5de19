// The accounting of disclosures (#/people/{id}/disclosures): everything
// shared from a person's record in a window (the last 3 years, as 42 CFR
// 2.25 asks for Part 2 records; the last 6 years, as HIPAA asks; or
// between two dates), newest first: when, to whom, what, why, how, on
// what basis and by whom. It prints as a table for the person to keep.
import { api, query } from '../api.js';
import { h, clear, formatDate, formatTime, todayISO, labelOf, linkButton, plural } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';
import { loadPerson, methodLabel, kindLabel, choiceGroup, BASIS_LABELS, ruleText } from './consent_common.js';

// The window stays while the tab does, one per person.
const windows = new Map();

// The parts of the record that went, unless the description of what went
// says just that already.
export function parts(cref, d) {
  const t = (d.categories || []).map((c) => labelOf(cref.categories, c)).join('; ');
  return t && t !== d.information ? t : null;
}

function table(ref, items) {
  const cref = ref.consents;
  const cols = ['When', 'Shared with', 'What', 'Why', 'How', 'On what basis', 'By'];
  const cell = (i, ...content) => h('td', { role: 'cell', data: { label: cols[i] } }, h('div', { class: 'accounting__cell' }, ...content));
  return h('table', { class: 'accounting', role: 'table', 'aria-labelledby': 'accounting-caption' },
    h('caption', { id: 'accounting-caption', class: 'visually-hidden', text: 'Disclosures, newest first' }),
    h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, cols.map((c) => h('th', { scope: 'col', role: 'columnheader', text: c })))),
    h('tbody', { role: 'rowgroup' }, items.map((d) => {
      const emergency = d.basis === 'medical_emergency';
      return h('tr', { role: 'row', class: emergency ? 'accounting__row--emergency' : null },
        cell(0, formatTime(d.disclosed_at)),
        cell(1, h('span', { text: d.recipient_name }),
          d.recipient_address ? h('span', { class: 'accounting__sub', text: d.recipient_address }) : null,
          emergency && d.emergency_facility ? h('span', { class: 'accounting__sub', text: d.emergency_facility }) : null),
        cell(2, h('span', { text: d.information || '' }),
          parts(cref, d) ? h('span', { class: 'accounting__sub', text: parts(cref, d) }) : null,
          d.part2 ? h('span', { class: 'accounting__sub', text: 'Under 42 CFR Part 2' }) : null),
        cell(3, emergency && d.emergency_nature ? `Medical emergency: ${d.emergency_nature}` : labelOf(cref.purposes, d.purpose)),
        cell(4, methodLabel(d.method)),
        cell(5, emergency ? BASIS_LABELS.medical_emergency
          : h('a', { class: 'accounting__consent', href: `#/consents/${d.consent_id}`, text: `Consent: ${kindLabel(cref, d.consent_kind)}` })),
        cell(6, d.discloser_name || ''));
    })));
}

export async function render(ctx, personId) {
  const [person, ref] = await Promise.all([loadPerson(personId), ctx.reference()]);
  if (ctx.stale()) return;
  const cref = ref.consents;
  const saved = windows.get(person.id) || { choice: String(cref.hipaa_years || 6), from: '', to: '' };

  const choice = choiceGroup({ id: 'acc-window', legend: 'Which disclosures', type: 'radio',
    items: [
      { value: String(cref.part2_years || 3), label: `The last ${cref.part2_years || 3} years`, hint: 'What 42 CFR Part 2 asks for (2.25).' },
      { value: String(cref.hipaa_years || 6), label: `The last ${cref.hipaa_years || 6} years`, hint: 'What HIPAA asks for (45 CFR 164.528).' },
      { value: 'dates', label: 'Between two dates' },
    ].map((x) => ({ ...x, checked: x.value === saved.choice })) });
  const from = field({ id: 'acc-from', name: 'from', label: 'First day', type: 'date', width: 'date', value: saved.from });
  const to = field({ id: 'acc-to', name: 'to', label: 'Last day', type: 'date', width: 'date', value: saved.to || todayISO() });
  const dates = h('div', { class: 'accounting-dates' }, from.wrap, to.wrap);
  const showDates = () => { dates.hidden = choice.value() !== 'dates'; };
  for (const b of choice.boxes) b.c.addEventListener('change', showDates);
  showDates();
  const form = h('form', { class: 'form accounting-window no-print', novalidate: true, 'aria-label': 'Which disclosures to show' },
    choice.wrap, dates,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button button--secondary', text: 'Show' })));
  const out = h('div', { class: 'accounting-result', id: 'accounting-result' });
  const print = h('button', { type: 'button', class: 'button', text: 'Print' });
  print.addEventListener('click', () => window.print());

  async function load(focus) {
    clearErrors(form);
    const w = { choice: choice.value(), from: from.control.value, to: to.control.value };
    const q = w.choice === 'dates' ? { from: w.from, to: w.to } : { years: w.choice };
    if (w.choice === 'dates' && w.from && w.to && w.from > w.to) {
      showErrors(form, [{ field: 'to', message: 'must be on or after the first date' }],
        (n) => ({ from: { control: from.control }, to: { control: to.control } }[n] || null), { title: 'The dates need attention' });
      return;
    }
    try {
      const r = await api.get(`/api/v1/people/${person.id}/disclosures${query(q)}`);
      if (ctx.stale()) return;
      windows.set(person.id, w);
      const a = r.json;
      const first = w.choice === 'dates' ? w.from : String(a.from).slice(0, 10);
      const last = w.choice === 'dates' ? w.to : todayISO();
      clear(out);
      out.append(...[
        h('p', { class: 'accounting__summary', id: 'accounting-summary', tabindex: '-1',
          text: `${plural(a.items.length, 'disclosure', 'disclosures')} from ${formatDate(first)} to ${formatDate(last)}.` }),
        a.items.length ? table(ref, a.items) : h('p', { text: 'Nothing was shared from their record in this time.' }),
        a.rule ? h('p', { class: 'rule-problem__rule muted' }, 'Rule: ', h('cite', { text: ruleText(a.rule) })) : null].filter(Boolean));
      if (focus) document.getElementById('accounting-summary').focus();
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (n) => ({ from: { control: from.control }, to: { control: to.control }, years: { control: choice.control } }[n] || null),
          { title: 'The window needs attention' });
      } else {
        showFormProblem(form, 'The accounting could not be shown', problemText(err));
      }
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(true);
  });

  const page = h('div', { class: 'page print-page accounting-page' },
    h('div', { class: 'no-print' }, breadcrumb(person, h('a', { href: `#/people/${person.id}/consents`, text: 'Consents' }))),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'accounting-title', text: 'Accounting of disclosures' }),
        h('p', { class: 'lead' }, 'What was shared from the record of ', h('strong', { text: person.preferred_name }),
          ', when, with whom and why.')),
      h('div', { class: 'page__actions' },
        print,
        linkButton(`#/people/${person.id}/disclosures/new`, 'Share information', 'button--secondary'),
        linkButton(`#/people/${person.id}/disclosures/emergency`, 'Medical emergency disclosure', 'button--secondary'))),
    form,
    h('section', { class: 'card accounting-card', 'aria-label': 'Disclosures' }, out),
    h('p', { class: 'print-doc__footer print-only', text: `Printed from Alongside on ${formatDate(todayISO())}.` }));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
  await load(false);
}
