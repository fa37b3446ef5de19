// Who the person's record was shared with (#/shared): the accounting of
// disclosures over the last 3 years (as 42 CFR 2.25 asks for Part 2
// records) or 6 years (as HIPAA asks, 45 CFR 164.528), newest first: when,
// with whom, what, why, how, what allowed it and who shared it. A table
// that turns into one card per disclosure on a phone; it prints as a
// table.
import { api, query } from '../api.js';
import { h, clear, formatDate, formatTime, todayISO } from '../dom.js';
import { showFormProblem, clearErrors } from '../forms.js';
import { methodLabel, choiceGroup } from '../views/consent_common.js';
import { page, printButton, count, problemText, HOME } from './common.js';

// The codes of data/consents.json in words written to the person. The
// server sends codes only; a code not here is shown as it is.
const PURPOSES = {
  treatment: 'For your care (treatment and care coordination)',
  payment: 'For payment',
  operations: 'To run the service (health care operations)',
  person_request: 'Because you asked',
  referral: 'A referral to a service',
  benefits: 'Applying for housing, benefits or work',
};

const CATEGORIES = {
  demographics: 'Your name, contact details and enrollment',
  plans: 'Your plans',
  notes: 'Notes from your peer specialist',
  attendance: 'The dates you met your peer specialist',
  substance_use: 'Information about substance use and recovery from it',
};

const CONSENT_KINDS = {
  peer_services: 'your agreement to peer services',
  part2_disclosure: 'your consent to share substance use records (42 CFR Part 2)',
  part2_tpo: 'your consent for treatment, payment and health care operations (42 CFR Part 2)',
  hipaa_authorization: 'your HIPAA authorisation',
  release_of_information: 'your release of information',
};

// Remembered while the page is open (memory only).
let chosen = '6';

export function purposeText(d) {
  if (d.basis === 'medical_emergency') return d.emergency_nature ? `A medical emergency: ${d.emergency_nature}` : 'A medical emergency';
  return d.purpose_label || PURPOSES[d.purpose] || d.purpose || '';
}

export function basisText(d) {
  if (d.basis === 'medical_emergency') return 'A medical emergency, where the law allows sharing without consent (42 CFR 2.51)';
  const kind = d.consent_kind_label || CONSENT_KINDS[d.consent_kind] || d.consent_kind;
  return kind ? `Your consent: ${kind}` : 'Your consent';
}

export function partsText(d) {
  return (d.categories || []).map((c) => CATEGORIES[c] || c).join('; ');
}

// The table (cards on a phone). Exported for the printable record, whose
// copy of the accounting may carry fewer fields: a column nothing is
// known for is left out.
export function accountingTable(items) {
  const missing = (c) => c === null || c === undefined || c === '';
  const cols = [
    ['When', (d) => [formatTime(d.disclosed_at)]],
    ['Shared with', (d) => [d.recipient_name ? h('span', { text: d.recipient_name }) : null,
      d.recipient_address ? h('span', { class: 'accounting__sub', text: d.recipient_address }) : null,
      d.basis === 'medical_emergency' && d.emergency_facility ? h('span', { class: 'accounting__sub', text: d.emergency_facility }) : null]],
    ['What', (d) => {
      const parts = partsText(d);
      return [d.information ? h('span', { text: d.information }) : null,
        parts && parts !== d.information ? h('span', { class: d.information ? 'accounting__sub' : null, text: parts }) : null];
    }],
    ['Why', (d) => [purposeText(d)]],
    ['How', (d) => [methodLabel(d.method) || d.method]],
    ['Allowed by', (d) => [d.basis || d.consent_kind ? basisText(d) : null]],
    ['Shared by', (d) => [d.discloser_name]],
  ];
  const rows = items.map((d) => cols.map(([, f]) => f(d).filter((c) => !missing(c))));
  const shown = cols.map((_, i) => rows.some((r) => r[i].length));
  const heads = cols.filter((_, i) => shown[i]).map(([label]) => label);
  return h('table', { class: 'accounting portal-accounting', role: 'table', 'aria-describedby': 'sh-caption' },
    h('caption', { id: 'sh-caption', class: 'visually-hidden', text: 'Each time your record was shared, newest first' }),
    h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, heads.map((c) => h('th', { scope: 'col', role: 'columnheader', text: c })))),
    h('tbody', { role: 'rowgroup' }, items.map((d, k) => h('tr', { role: 'row', class: d.basis === 'medical_emergency' ? 'accounting__row--emergency' : null },
      cols.map(([label], i) => (shown[i]
        ? h('td', { role: 'cell', data: { label } }, h('div', { class: 'accounting__cell' },
          rows[k][i].length ? rows[k][i] : h('span', { class: 'muted', text: 'Not recorded' })))
        : null))))));
}

export async function render(ctx) {
  const choice = choiceGroup({ id: 'sh-years', legend: 'How far back', type: 'radio',
    items: [
      { value: '3', label: 'The last 3 years' },
      { value: '6', label: 'The last 6 years' },
    ].map((x) => ({ ...x, checked: x.value === chosen })) });
  const form = h('form', { class: 'form portal-form no-print', novalidate: true, 'aria-label': 'How far back to look' },
    choice.wrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button button--secondary portal-wide', text: 'Show' })));
  const out = h('div', { class: 'accounting-result', id: 'sh-result' });

  async function load(focus) {
    clearErrors(form);
    const years = choice.value() || '6';
    try {
      const r = await api.get(`/api/v1/portal/disclosures${query({ years })}`);
      if (ctx.stale()) return;
      chosen = years;
      const a = r.json;
      const items = a.items || [];
      clear(out);
      out.append(
        h('p', { class: 'accounting__summary', id: 'sh-summary', tabindex: '-1',
          text: `${items.length ? count(items.length, 'time', 'times') : 'No times'} from ${formatDate(String(a.from || '').slice(0, 10))} to ${formatDate(todayISO())}.` }),
        items.length ? accountingTable(items)
          : h('p', { text: 'Nothing from your record was shared in this time.' }));
      if (focus) document.getElementById('sh-summary').focus();
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      showFormProblem(form, 'This could not be shown', problemText(err));
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(true);
  });
  clear(ctx.main);
  ctx.main.append(page(HOME,
    h('div', { class: 'print-page' },
      h('h1', { text: 'Who your record was shared with' }),
      h('p', { class: 'lead', text: 'Each time something from your record was shared with someone else: when, with whom, what, and why. You have a right to see this list.' }),
      h('p', { class: 'print-only', text: `For ${ctx.me.preferred_name || ''}.` }),
      form,
      h('section', { class: 'card accounting-card', 'aria-label': 'Times your record was shared' }, out),
      h('div', { class: 'portal-actions no-print' }, printButton('Print this list')),
      h('p', { class: 'print-doc__footer print-only', text: `Printed from Alongside on ${formatDate(todayISO())}.` }))));
  ctx.setView({ isDirty: () => false });
  await load(false);
}
