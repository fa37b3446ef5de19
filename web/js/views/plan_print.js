// Views made to print: the whole plan (or declaration) with its
// signatures and who holds a copy, and a one-page crisis card for kinds
// that have one ("card" in the structure: section label -> the list at a
// dotted path). Both show the version in force, or the newest when none
// is signed yet, and say which.
import { h, clear, formatDate, formatTime, todayISO } from '../dom.js';
import { PLAN_STATUS, VERSION_STATUS, fieldAt, kindOf, ownTitle, isDirective, loadAll, roleLabel, signatureLine, valueAt, isEmpty, itemTitle, phoneLink, versionToShow } from './plan_common.js';
import { renderContent } from './plan_view.js';

function printBar(plan, label) {
  const print = h('button', { type: 'button', class: 'button', text: label });
  print.addEventListener('click', () => window.print());
  return h('div', { class: 'print-bar no-print' },
    h('a', { class: 'button button--secondary', href: `#/plans/${plan.id}`, text: 'Back to the plan' }),
    print);
}

function whichVersion(plan, version, inForce) {
  if (inForce) {
    return `Version ${version.n}, signed ${formatDate(version.signed_on)} and in force${plan.latest !== version.n ? ` (a newer version ${plan.latest} is being written)` : ''}.`;
  }
  return `Version ${version.n}: ${(VERSION_STATUS[version.status] || version.status).toLowerCase()}, not signed yet.`;
}

export async function renderPrint(ctx, id) {
  const data = await loadAll(ctx, id);
  if (!data) return;
  const { plan, person, kinds } = data;
  const { version, inForce } = await versionToShow(plan);
  if (ctx.stale()) return;
  const kind = kindOf(kinds, plan.kind);
  const ad = kinds.advance_directive || {};
  const directive = isDirective(plan);
  const page = h('div', { class: 'page print-page' },
    printBar(plan, 'Print'),
    h('article', { class: 'print-doc', 'aria-labelledby': 'print-title' },
      h('h1', { id: 'print-title', text: kind ? kind.label : plan.kind }),
      h('p', { class: 'lead' }, directive ? 'Principal: ' : 'For ', h('strong', { text: directive && person.legal_name ? person.legal_name : person.preferred_name }),
        person.date_of_birth ? `, born ${formatDate(person.date_of_birth)}` : '',
        ownTitle(kinds, plan) ? [' \u00b7 ', h('span', { text: plan.title })] : null),
      directive && ad.statute ? h('p', { text: `Made under the ${ad.title || 'declaration'} rules, ${ad.statute}.` }) : null,
      h('p', { class: 'print-doc__version', text: whichVersion(plan, version, inForce) }),
      directive && plan.executed_on ? h('p', { text: `Executed ${formatDate(plan.executed_on)}${plan.expires_on ? `; can be used until ${formatDate(plan.expires_on)}` : ''}. Standing: ${(PLAN_STATUS[plan.status] || plan.status).toLowerCase()}.` }) : null,
      kind ? renderContent(kinds, kind.fields, version.content, { level: 2 }) : null,
      h('section', { class: 'print-doc__part', 'aria-labelledby': 'print-signatures' },
        h('h2', { id: 'print-signatures', text: 'Signatures' }),
        (version.signatures || []).length
          ? h('ul', { class: 'signature-list' }, version.signatures.map((s) => h('li', {},
            signatureLine(s, roleLabel(kinds, plan, s.role)),
            s.address ? h('span', { text: `. Address: ${s.address}` }) : null)))
          : h('p', { text: 'Not signed yet.' })),
      h('section', { class: 'print-doc__part', 'aria-labelledby': 'print-copies' },
        h('h2', { id: 'print-copies', text: 'Who holds a copy' }),
        (plan.copies || []).length
          ? h('ul', {}, plan.copies.map((c) => h('li', { text: [c.holder, c.relationship, c.given_on ? `given ${formatDate(c.given_on)}` : null].filter(Boolean).join(', ') })))
          : h('p', { text: 'No copies recorded.' })),
      h('p', { class: 'print-doc__footer', text: `Printed from Alongside on ${formatDate(todayISO())}. Version ${version.n} last changed ${formatTime(version.updated_at)}.` })));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

// One entry on the card: text, or an item's title and phone.
function cardEntry(item, x) {
  if (item && item.type === 'object') {
    const title = itemTitle(item, x) || '';
    return h('li', {}, h('span', { class: 'crisis-card__name', text: title }), x.phone ? [' ', phoneLink(x.phone)] : null);
  }
  return h('li', { text: String(x) });
}

export async function renderCard(ctx, id) {
  const data = await loadAll(ctx, id);
  if (!data) return;
  const { plan, person, kinds } = data;
  const kind = kindOf(kinds, plan.kind);
  if (!kind || !kind.card) {
    clear(ctx.main);
    ctx.main.append(h('div', { class: 'page page--narrow' },
      h('h1', { text: 'No crisis card for this plan' }),
      h('p', { text: 'Only crisis and wellness plans have a one-page card.' }),
      h('p', {}, h('a', { class: 'button', href: `#/plans/${plan.id}`, text: 'Back to the plan' }))));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return;
  }
  const { version, inForce } = await versionToShow(plan);
  if (ctx.stale()) return;
  const content = version.content || {};
  const sections = kind.card.map((c) => {
    const f = fieldAt(kind.fields, c.from);
    const list = (valueAt(content, c.from) || []).filter((x) => !isEmpty(x));
    return { label: c.label, item: f && f.item, list };
  }).filter((s) => s.list.length);
  const page = h('div', { class: 'page card-page' },
    printBar(plan, 'Print the card'),
    h('article', { class: 'crisis-card', 'aria-labelledby': 'card-title' },
      h('h1', { id: 'card-title', class: 'crisis-card__title', text: 'Crisis card' }),
      h('p', { class: 'crisis-card__who' }, h('strong', { text: person.preferred_name }),
        person.pronouns ? ` (${person.pronouns})` : ''),
      h('p', { class: 'crisis-card__version', text: whichVersion(plan, version, inForce) }),
      sections.length ? sections.map((s) => h('section', { class: 'crisis-card__part' },
        h('h2', { text: s.label }),
        h('ul', {}, s.list.map((x) => cardEntry(s.item, x)))))
        : h('p', { text: 'Nothing has been written for the card yet.' })));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
