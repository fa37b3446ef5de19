// The person's crisis card (#/plans/{id}/card): the parts of a crisis or
// wellness plan that matter in a crisis (the kind's "card": what helps,
// who to call, what to avoid), on one page to print or keep on the
// phone. It shows the version in force, or the draft when none is signed
// yet, and says which. The same card staff print (views/plan_print.js).
import { h, clear, formatDate } from '../dom.js';
import { fieldAt, kindOf, valueAt, isEmpty, itemTitle, phoneLink } from '../views/plan_common.js';
import { page, printButton } from './common.js';
import { loadPlan, versionsOf } from './plans.js';

function entry(item, x) {
  if (item && item.type === 'object') {
    const title = itemTitle(item, x) || '';
    return h('li', {}, h('span', { class: 'crisis-card__name', text: title }), x.phone ? [' ', phoneLink(x.phone)] : null);
  }
  return h('li', { text: String(x) });
}

export async function render(ctx, id) {
  const [plan, kinds] = await Promise.all([loadPlan(id), ctx.kinds()]);
  if (ctx.stale()) return;
  const kind = kindOf(kinds, plan.kind);
  const back = { href: `#/plans/${plan.id}`, text: 'Your plan' };
  clear(ctx.main);
  if (!kind || !kind.card) {
    ctx.main.append(page(back,
      h('h1', { text: 'No crisis card for this plan' }),
      h('p', { text: 'Only crisis and wellness plans have a crisis card.' })));
    ctx.setView({ isDirty: () => false });
    return;
  }
  const { inForce, draft, signing } = versionsOf(plan);
  const version = inForce || signing || draft || plan.current;
  const content = (version && version.content) || {};
  const sections = kind.card.map((c) => {
    const f = fieldAt(kind.fields, c.from);
    const list = (valueAt(content, c.from) || []).filter((x) => !isEmpty(x));
    return { label: c.label, item: f && f.item, list };
  }).filter((s) => s.list.length);
  const which = version === inForce
    ? `From your ${(plan.kind_label || kind.label).toLowerCase()}, signed ${formatDate(version.signed_on)}.`
    : `From your ${(plan.kind_label || kind.label).toLowerCase()}. It is not signed yet, so this may still change.`;
  ctx.main.append(page(back,
    h('div', { class: 'card-page portal-card-page' },
      h('article', { class: 'crisis-card', 'aria-labelledby': 'card-title' },
        h('h1', { id: 'card-title', class: 'crisis-card__title', text: 'Crisis card' }),
        h('p', { class: 'crisis-card__who' }, h('strong', { text: ctx.me.preferred_name || '' }),
          ctx.me.pronouns ? ` (${ctx.me.pronouns})` : ''),
        h('p', { class: 'crisis-card__version', text: which }),
        sections.length ? sections.map((s) => h('section', { class: 'crisis-card__part' },
          h('h2', { text: s.label }),
          h('ul', {}, s.list.map((x) => entry(s.item, x)))))
          : h('p', { text: 'Nothing has been written for the card yet.' })),
      h('div', { class: 'portal-actions no-print' }, printButton('Print the card')))));
  ctx.setView({ isDirty: () => false });
}
