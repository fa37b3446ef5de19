// The copy that goes to the recipient of a disclosure
// (#/people/{id}/disclosures/{disclosureId}), made to print: the notice
// the rules require, word for word, at the top; the facts of the
// disclosure; then the parts of the record that went (the person's
// details, each plan's signed version in force as headings and lists,
// signed notes, or dates of service).
//
// The record itself is in the answer to the disclosure only, kept in this
// tab's memory (dropped at sign-out). Opened later, the page shows the
// disclosure's entry from the accounting and says where the copy went.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, todayISO, labelOf, details, STATUS_LABELS } from '../dom.js';
import { kindOf as planKindOf } from './plan_common.js';
import { renderContent } from './plan_view.js';
import { loadPerson, methodLabel, kindLabel, BASIS_LABELS } from './consent_common.js';
import { typeLabel, ELEMENT_LABELS } from './contact_common.js';
import { parts } from './disclosures.js';

function printBar(person) {
  const print = h('button', { type: 'button', class: 'button', id: 'share-print', text: 'Print' });
  print.addEventListener('click', () => window.print());
  return h('div', { class: 'print-bar no-print' },
    h('a', { class: 'button button--secondary', href: `#/people/${person.id}/disclosures`, text: 'Accounting of disclosures' }),
    h('a', { class: 'button button--secondary', href: `#/people/${person.id}/consents`, text: 'Back to consents' }),
    print);
}

// The facts of one disclosure, as the accounting keeps them.
export function disclosureFacts(ref, d) {
  const cref = ref.consents;
  const emergency = d.basis === 'medical_emergency';
  return details([
    ['Shared with', [d.recipient_name, d.recipient_address].filter(Boolean).join(', ')],
    emergency ? ['Their facility', d.emergency_facility] : null,
    ['When', formatTime(d.disclosed_at)],
    ['Why', labelOf(cref.purposes, d.purpose)],
    emergency ? ['The emergency', d.emergency_nature] : null,
    ['What', d.information],
    parts(cref, d) ? ['Parts of the record', parts(cref, d)] : null,
    ['How', methodLabel(d.method)],
    ['On what basis', emergency ? BASIS_LABELS.medical_emergency
      : `${BASIS_LABELS.consent}: ${kindLabel(cref, d.consent_kind)}`],
    ['Shared by', d.discloser_name],
    d.part2 ? ['Part 2', 'This record is under 42 CFR Part 2.'] : null,
  ]);
}

function noticeBox(n) {
  return h('section', { class: 'share-notice', 'aria-labelledby': 'share-notice-title' },
    h('h2', { id: 'share-notice-title', class: 'share-notice__title', text: 'Notice to the recipient' }),
    h('p', { class: 'share-notice__text', id: 'share-notice-text', text: n.text }),
    h('p', { class: 'share-notice__rule', text: `${n.rule}${n.version ? `, notice version ${n.version}` : ''}` }));
}

function personPart(ref, p) {
  return h('section', { class: 'print-doc__part', 'aria-labelledby': 'share-person-title' },
    h('h2', { id: 'share-person-title', text: 'About the person' }),
    details([
      ['Preferred name', p.preferred_name],
      ['Legal name', p.legal_name],
      ['Pronouns', p.pronouns],
      ['Date of birth', p.date_of_birth ? formatDate(p.date_of_birth) : null],
      ['Phone', p.phone],
      ['Preferred language', p.language ? labelOf(ref.languages, p.language) : null],
      ['Standing', STATUS_LABELS[p.status] || p.status],
    ]),
    (p.episodes || []).length ? h('div', {},
      h('h3', { text: 'Enrollment' }),
      h('ul', { class: 'plain-list' }, p.episodes.map((e) => h('li', { text: [
        `Agreed to peer services ${formatDate(e.agreement_date)}`,
        `intake ${formatDate(e.intake_date)}`,
        e.discharge_date ? `discharged ${formatDate(e.discharge_date)}${e.discharge_reason ? ` (${labelOf(ref.discharge_reasons, e.discharge_reason).toLowerCase()})` : ''}` : 'still enrolled',
      ].join(', ') })))) : null);
}

// A plan's content without a known structure: keys as headings, lists
// as lists.
function plainContent(v, level) {
  if (v === null || v === undefined || v === '') return null;
  if (Array.isArray(v)) return h('ul', { class: 'plain-list' }, v.map((x) => h('li', {}, typeof x === 'object' ? plainContent(x, level + 1) : String(x))));
  if (typeof v === 'object') {
    return h('div', {}, Object.entries(v).map(([k, x]) => h('div', {},
      h(`h${Math.min(level, 6)}`, { class: 'plan-content__label', text: k.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) }),
      plainContent(x, level + 1))));
  }
  return h('p', { text: typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v) });
}

function plansPart(kinds, plans) {
  return h('section', { class: 'print-doc__part', 'aria-labelledby': 'share-plans-title' },
    h('h2', { id: 'share-plans-title', text: 'Plans' }),
    plans.length ? plans.map((p) => {
      const kind = planKindOf(kinds, p.kind);
      return h('article', { class: 'share-plan' },
        h('h3', { text: `${kind ? kind.label : p.kind}${p.title && (!kind || p.title !== kind.label) ? `: ${p.title}` : ''}` }),
        h('p', { class: 'muted', text: `Version ${p.version}, signed ${formatDate(p.signed_on)}.` }),
        kind ? renderContent(kinds, kind.fields, p.content, { level: 4 }) : plainContent(p.content, 4));
    }) : h('p', { text: 'No signed plans.' }));
}

function notesPart(ref, notes) {
  return h('section', { class: 'print-doc__part', 'aria-labelledby': 'share-notes-title' },
    h('h2', { id: 'share-notes-title', text: 'Contact notes' }),
    notes.length ? notes.map((n) => h('article', { class: 'share-note' },
      h('h3', { text: `${formatDate(n.service_date)}: ${typeLabel(ref, n.type)}` }),
      details([
        ['Minutes', n.minutes ? String(n.minutes) : null],
        [ELEMENT_LABELS.location, n.location],
        [ELEMENT_LABELS.intervention, n.intervention],
        [ELEMENT_LABELS.response, n.response],
        [ELEMENT_LABELS.next_steps, n.next_steps],
        ['Written by', [n.author, n.credential].filter(Boolean).join(', ')],
      ]))) : h('p', { text: 'No signed notes.' }));
}

function attendancePart(ref, rows) {
  return h('section', { class: 'print-doc__part', 'aria-labelledby': 'share-attendance-title' },
    h('h2', { id: 'share-attendance-title', text: 'Attendance and dates of service' }),
    rows.length ? h('ul', { class: 'plain-list' }, rows.map((a) => h('li', {
      text: `${formatDate(a.service_date)}: ${typeLabel(ref, a.type)}${a.minutes ? `, ${a.minutes} minutes` : ''}` })))
      : h('p', { text: 'No dates of service.' }));
}

function drawCopy(ctx, ref, kinds, person, kept) {
  const { disclosure: d, notice, record } = kept;
  const rec = record || {};
  const sent = new Set(d.categories || []);
  const page = h('div', { class: 'page print-page share-page' },
    printBar(person),
    h('article', { class: 'print-doc share-doc', 'aria-labelledby': 'share-doc-title' },
      h('h1', { id: 'share-doc-title', text: 'Information shared from a record' }),
      notice ? noticeBox(notice) : null,
      h('p', { class: 'lead' }, 'About ', h('strong', { text: person.preferred_name }), '.'),
      h('section', { class: 'print-doc__part', 'aria-labelledby': 'share-facts-title' },
        h('h2', { id: 'share-facts-title', text: 'This disclosure' }),
        disclosureFacts(ref, d)),
      rec.person ? personPart(ref, rec.person) : null,
      rec.plans ? plansPart(kinds, rec.plans) : null,
      rec.notes ? notesPart(ref, rec.notes) : null,
      rec.attendance ? attendancePart(ref, rec.attendance) : null,
      sent.has('substance_use') ? h('p', { class: 'muted', text: 'Information about substance use is in the parts above where it was written down; Alongside keeps no separate part for it.' }) : null,
      h('p', { class: 'print-doc__footer', text: `Shared from Alongside by ${d.discloser_name || 'a colleague'} on ${formatTime(d.disclosed_at)}. Printed ${formatDate(todayISO())}.` })));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

// Opened again later: the entry from the accounting (the last ten years).
async function drawEntry(ctx, ref, person, id) {
  const r = await api.get(`/api/v1/people/${person.id}/disclosures?years=10`);
  if (ctx.stale()) return;
  const d = r.json.items.find((x) => x.id === id);
  const page = h('div', { class: 'page page--form' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/people', text: 'Team roster' }),
      h('span', { 'aria-hidden': 'true', text: ' / ' }),
      h('a', { href: `#/people/${person.id}`, text: person.preferred_name }),
      h('span', { 'aria-hidden': 'true', text: ' / ' }),
      h('a', { href: `#/people/${person.id}/disclosures`, text: 'Accounting of disclosures' })),
    h('h1', { text: d ? 'A disclosure' : 'Disclosure not found' }),
    d ? h('p', { class: 'notice', text: 'The copy that was shared, with its notice, is shown only straight after sharing. This is the entry kept in their accounting of disclosures.' })
      : h('p', { text: 'There is no disclosure at this address in the last ten years of their accounting.' }),
    d ? h('section', { class: 'card' }, disclosureFacts(ref, d)) : null,
    h('p', {}, h('a', { class: 'button button--secondary', href: `#/people/${person.id}/disclosures`, text: 'Accounting of disclosures' })));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

export async function render(ctx, personId, id) {
  const kept = ctx.kept(`disclosure:${id}`);
  const [person, ref, kinds] = await Promise.all([loadPerson(personId), ctx.reference(),
    kept && kept.record && kept.record.plans ? ctx.planKinds() : null]);
  if (ctx.stale()) return;
  if (kept && kept.disclosure.person_id === person.id) drawCopy(ctx, ref, kinds, person, kept);
  else await drawEntry(ctx, ref, person, id);
}
