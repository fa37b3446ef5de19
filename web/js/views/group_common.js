// What the group views share (groups.js, group.js, group_session.js): the
// breadcrumb back to the groups, a curriculum from the reference with its
// description and who may lead it, a session's standing, and the page for
// a group that is not there.
import { h, clear, linkButton } from '../dom.js';

// "Groups / Tuesday wellness / extra"
export function groupsBreadcrumb(group, extra) {
  const sep = () => h('span', { 'aria-hidden': 'true', text: ' / ' });
  return h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h('a', { href: '#/groups', text: 'Groups' }),
    group ? [sep(), h('a', { href: `#/groups/${group.id}`, text: group.name })] : null,
    extra ? [sep(), extra] : null);
}

// The curriculum with this code from /api/v1/reference, or null.
export function curriculumOf(ref, code) {
  return (ref.group_curricula || []).find((c) => c.code === code) || null;
}

// What a curriculum is and who may lead it, as paragraphs.
export function curriculumAbout(c) {
  if (!c) return [];
  return [
    c.description ? h('p', { class: 'group-curriculum__about', text: c.description }) : null,
    c.facilitation ? h('p', { class: 'group-curriculum__lead' }, h('strong', { text: 'Who leads it: ' }), c.facilitation) : null,
  ];
}

// A session's standing as a badge: a draft or signed.
export function sessionBadge(status) {
  return status === 'signed'
    ? h('span', { class: 'badge badge--note-signed', text: 'Signed' })
    : h('span', { class: 'badge badge--note-draft', text: 'Draft' });
}

// "3 of 4 came"
export function cameText(present, listed) {
  return `${present} of ${listed} came`;
}

// A group (or session) that is not there, or belongs to another team:
// the two look the same on purpose.
export function renderGroupNotFound(ctx, what = 'Group') {
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page page--narrow' },
    h('h1', { text: `${what} not found` }),
    h('p', { text: 'It belongs to a group of a team you are not on, or the link is wrong.' }),
    h('p', {}, linkButton('#/groups', 'Go to the groups'))));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
