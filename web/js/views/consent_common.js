// What the consent and disclosure views share: the person's consents,
// the words for a consent's standing and for how information was shared,
// small form pieces (checkbox and radio groups with one error line), the
// box that shows a rule the server enforced, and the "Consents and
// disclosures" card on the person's page. The codes and their labels come
// from GET /api/v1/reference (consents); see data/consents.json.
import { api } from '../api.js';
import { h, formatDate, labelOf, linkButton } from '../dom.js';

export async function loadPerson(id) {
  return (await api.get(`/api/v1/people/${id}`)).json;
}

export async function loadConsents(personId) {
  return (await api.get(`/api/v1/people/${personId}/consents`)).json.items;
}

// A consent's standing, in plain words. The colour never carries it alone.
export const CONSENT_STATUS = {
  active: 'In force',
  revoked: 'Revoked',
  expired: 'Expired',
  not_yet: 'Not in force yet',
};

export function consentBadge(status) {
  return h('span', { class: `badge badge--consent badge--consent-${status || 'unknown'}`,
    text: CONSENT_STATUS[status] || status || 'Unknown' });
}

// How the information went.
export const METHODS = [
  { code: 'print', label: 'Printed copy' },
  { code: 'export', label: 'Exported file' },
  { code: 'fax', label: 'Fax' },
  { code: 'mail', label: 'Mail' },
  { code: 'email', label: 'Email' },
  { code: 'phone', label: 'Phone call' },
  { code: 'in_person', label: 'In person' },
  { code: 'electronic_exchange', label: 'Electronic health information exchange' },
];

export const BASIS_LABELS = {
  consent: 'With the person\u2019s consent',
  medical_emergency: 'Medical emergency (42 CFR 2.51)',
};

// What each kind is for, in a sentence (shown under its name).
export const KIND_HINTS = {
  peer_services: 'The person\u2019s own agreement to receive peer services. It lets nothing be shared.',
  part2_disclosure: 'Needed to share records from a Part 2 program (substance use services) with someone named on it.',
  part2_tpo: 'One consent that covers sharing Part 2 records for treatment, payment and health care operations.',
  hipaa_authorization: 'The person\u2019s written permission to share their health information with someone named on it. Not enough for Part 2 records.',
  release_of_information: 'Our own release form, for sharing with someone named on it, such as a housing program. Not enough for Part 2 records.',
};

export function kindOf(cref, code) {
  return (cref.kinds || []).find((k) => k.code === code) || null;
}

export function kindLabel(cref, code) {
  const k = kindOf(cref, code);
  return k ? k.label : code;
}

export function elementLabel(cref, code) {
  return labelOf(cref.elements, code) || code;
}

// "Sunrise Housing, County Clinic"
export function recipientNames(c) {
  return (c.recipients || []).map((r) => r.name).filter(Boolean).join(', ');
}

// "Until 22 December 2026", "Until services here end".
export function expiryText(cref, c) {
  if (c.expires_on) return `Until ${formatDate(c.expires_on)}`;
  if (c.expiry_event === 'none') return 'Does not expire';
  if (c.expiry_event) return `Until: ${labelOf(cref.expiry_events, c.expiry_event).replace(/^./, (x) => x.toLowerCase())}`;
  return null;
}

// The same, for a row headed "Ends": "22 December 2026", "When services here end".
export function endsText(cref, c) {
  if (c.expires_on) return formatDate(c.expires_on);
  if (c.expiry_event === 'none') return 'It does not expire';
  return c.expiry_event ? labelOf(cref.expiry_events, c.expiry_event) : null;
}

export function methodLabel(code) {
  return labelOf(METHODS, code);
}

// Any open or past episode of a Part 2 program on the person's record.
export function hasPart2(person) {
  return (person.episodes || []).some((e) => e.part2);
}

export function sentenceCase(s) {
  const t = String(s || '');
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

// A rule's summary as the rule set words it (data/consents.json).
export function ruleText(rule) {
  return String(rule || '');
}

// The rule a 422 problem names, as a line for the box at the top.
export function ruleNote(problem) {
  return problem && problem.rule
    ? h('p', { class: 'rule-problem__rule' }, h('strong', { text: 'Rule: ' }), h('cite', { text: ruleText(problem.rule) }))
    : null;
}

// One checkbox with its label, and an error line (for showErrors).
// statement: optional text shown above it as the field's own label.
export function checkField({ id, label, checked = false, hint, lead, required = false }) {
  const control = h('input', { type: 'checkbox', id, name: id });
  control.checked = !!checked;
  control.dataset.label = lead || (typeof label === 'string' ? label : id);
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (required) control.setAttribute('aria-required', 'true');
  const req = h('span', { class: 'field__req', text: ' (required)', hidden: !required });
  const wrap = h('div', { class: 'field field--check', data: { field: id } },
    lead ? h('p', { class: 'field__label', id: `${id}-lead` }, lead, req) : null,
    hint ? h('p', { class: 'field__hint', id: hintId, text: hint }) : null,
    h('p', { class: 'field__error', id: `${id}-error`, hidden: true }),
    h('div', { class: 'check' }, control, h('label', { for: id }, label)));
  return { wrap, control, req };
}

// Checkboxes or radios in a fieldset with one error line for the lot.
// items: [{ value, label, hint?, checked }]. The first control stands for
// the group when an error is shown beside it.
export function choiceGroup({ id, legend, hint, items, type = 'checkbox', required = false, cls = '' }) {
  const hintId = hint ? `${id}-hint` : null;
  const req = h('span', { class: 'field__req', text: ' (required)', hidden: !required });
  const list = h('div', { class: 'choice-list' });
  const group = {
    boxes: [],
    req,
    hintEl: hint !== undefined ? h('p', { class: 'field__hint', id: hintId, text: hint || '' }) : null,
    wrap: null,
    get control() { return this.boxes[0] ? this.boxes[0].c : null; },
    values() { return this.boxes.filter((b) => b.c.checked).map((b) => b.c.value); },
    value() { const b = this.boxes.find((x) => x.c.checked); return b ? b.c.value : ''; },
    setItems(next) {
      const keep = new Set(this.values());
      list.replaceChildren();
      this.boxes = next.map((it, i) => {
        const cid = `${id}-${i + 1}`;
        const c = h('input', { type, id: cid, name: id, value: it.value });
        c.checked = it.checked !== undefined ? !!it.checked : keep.has(it.value);
        c.dataset.label = legend;
        const itHint = it.hint ? h('p', { class: 'choice__hint', id: `${cid}-hint`, text: it.hint }) : null;
        const described = [hintId, itHint ? `${cid}-hint` : null].filter(Boolean).join(' ');
        if (described) c.setAttribute('aria-describedby', described);
        const row = h('div', { class: 'check choice' }, c,
          itHint ? h('div', { class: 'choice__text' }, h('label', { for: cid, class: 'choice__label', text: it.label }), itHint)
            : h('label', { for: cid, class: 'choice__label', text: it.label }));
        list.append(row);
        return { c, row };
      });
    },
  };
  group.setItems(items);
  group.wrap = h('div', { class: `field field--choices ${cls}`.trim(), data: { field: id } },
    h('fieldset', { class: 'checks' },
      h('legend', { class: 'field__label' }, legend, req),
      group.hintEl,
      h('p', { class: 'field__error', id: `${id}-error`, hidden: true }),
      list));
  return group;
}

// Shows or hides the "(required)" mark of a field() and its aria-required.
export function markRequired(f, on) {
  const mark = f.req || f.wrap.querySelector('.field__req');
  if (mark) mark.hidden = !on;
  else if (on) f.wrap.querySelector('.field__label').append(h('span', { class: 'field__req', text: ' (required)' }));
  const controls = f.boxes ? f.boxes.map((b) => b.c) : [f.control];
  for (const c of controls) {
    if (on) c.setAttribute('aria-required', 'true');
    else c.removeAttribute('aria-required');
  }
}

// The card on the person's page.
export function consentsSection(person, consents, cref) {
  const inForce = (consents || []).filter((c) => c.status === 'active');
  let summary;
  if (consents === null) summary = 'Their consents could not be loaded just now.';
  else if (!consents.length) summary = 'No consents recorded yet. Record one before sharing anything from their record.';
  else {
    summary = `${inForce.length} of ${consents.length} ${consents.length === 1 ? 'consent is' : 'consents are'} in force.`;
  }
  return h('section', { class: 'card consents-card', 'aria-labelledby': 'consents-title' },
    h('h2', { id: 'consents-title', text: 'Consents and disclosures' }),
    h('p', { text: summary }),
    inForce.length ? h('ul', { class: 'consents-card__list' }, inForce.map((c) => h('li', {},
      h('a', { href: `#/consents/${c.id}`, text: c.kind_label || kindLabel(cref, c.kind) }),
      recipientNames(c) ? h('span', { class: 'muted', text: ` \u00b7 ${recipientNames(c)}` }) : null))) : null,
    hasPart2(person) ? h('p', { class: 'muted', text: 'Part of their record is from a Part 2 program: sharing it needs a Part 2 consent.' }) : null,
    h('div', { class: 'page__actions consents-card__actions' },
      linkButton(`#/people/${person.id}/consents`, 'Consents and disclosures', 'button--secondary'),
      linkButton(`#/people/${person.id}/disclosures/new`, 'Share information', 'button--secondary')));
}
