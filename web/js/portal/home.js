// The portal's home page: hello, and big links to each part of the
// record. The crisis card is offered only when there is a crisis or
// wellness plan to make it from.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { page, tiles, count } from './common.js';

const CARD_KINDS = ['crisis', 'wellness'];

// The plan the crisis card is made from: a crisis plan before a wellness
// plan, one in force before one still being written. Null when none.
export function cardPlan(plans) {
  const usable = plans.filter((p) => CARD_KINDS.includes(p.kind) && p.status !== 'revoked' && p.status !== 'expired');
  const rank = (p) => (p.in_force ? 0 : 2) + CARD_KINDS.indexOf(p.kind);
  return usable.sort((a, b) => rank(a) - rank(b))[0] || null;
}

export async function render(ctx) {
  const [plans, notes] = await Promise.all([
    ctx.plans(),
    api.get('/api/v1/portal/notes').then((r) => r.json.items || []).catch((err) => {
      if (err.handled) throw err;
      return null;
    }),
  ]);
  if (ctx.stale()) return;
  const card = cardPlan(plans);
  const items = [
    { id: 'go-plans', href: '#/plans', title: 'Your plans',
      text: plans.length ? `${count(plans.length, 'plan', 'plans')}. Read ${plans.length === 1 ? 'it' : 'them'}, and suggest changes to a draft.` : 'No plans yet.' },
    card ? { id: 'go-card', href: `#/plans/${card.id}/card`, title: 'Your crisis card',
      text: 'What helps, who to call, and what to avoid, on one page you can print.' } : null,
    { id: 'go-notes', href: '#/notes', title: 'Notes from your peer specialist',
      text: notes === null ? 'Read the notes and add your comments.'
        : notes.length ? `${count(notes.length, 'note', 'notes')}. Read ${notes.length === 1 ? 'it' : 'them'} and add your comments.` : 'No notes yet.' },
    { id: 'go-shared', href: '#/shared', title: 'Who your record was shared with',
      text: 'Each time something from your record was shared: when, with whom and why.' },
    { id: 'go-record', href: '#/record', title: 'Download your record',
      text: 'All of it, as a file or as pages to print.' },
  ].filter(Boolean);
  clear(ctx.main);
  ctx.main.append(page(null,
    h('h1', {}, 'Hello, ', h('span', { text: ctx.me.preferred_name || '' })),
    h('p', { class: 'lead', text: 'This is your record with your peer support team. Choose what you would like to see.' }),
    tiles(items, 'Parts of your record'),
    h('p', { class: 'muted portal-note', text: 'If something here is wrong or missing, tell your peer specialist, or add a comment to a note.' })));
  ctx.setView({ isDirty: () => false });
}
