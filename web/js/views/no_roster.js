// Administrators and privacy officers have no team roster: records of the
// people we support are reached through a team's shared roster.
import { h, ROLE_LABELS } from '../dom.js';

const WORK = {
  admin: 'Administrators look after accounts, teams and settings.',
  privacy: 'Privacy officers look after the audit log, break-glass reviews and disclosures.',
};

export function render(ctx) {
  const { me, main } = ctx;
  const role = ROLE_LABELS[me.role] || me.role;
  main.append(h('div', { class: 'page page--narrow' },
    h('h1', { text: 'No team roster for your role' }),
    h('p', { class: 'lead' }, 'You are signed in as ', h('strong', { text: me.display_name }), ', ',
      h('strong', { id: 'role-name', text: role }), '.'),
    h('p', { text: `${WORK[me.role] || ''} This role does not work a team roster, so the records of the people we support are not shown here: peer specialists and supervisors reach them through their team\u2019s shared roster.` }),
    me.role === 'admin'
      ? [h('p', {}, 'Staff accounts and the organisation\u2019s sign-in settings are on the ', h('a', { href: '#/staff', id: 'staff-link', text: 'staff page' }), '. Other pages for your role are not in this browser app yet; use the command line or the API.'),
        h('p', {}, 'The directory of resources, and importing or exporting it, is on the ', h('a', { href: '#/resources', id: 'resources-link', text: 'Resources page' }), '.')]
      : h('p', {}, 'Emergency access to records (break-glass) waits for your review on the ', h('a', { href: '#/break-glass', id: 'glass-link', text: 'emergency access page' }), '. The audit log and other pages for your role are reached through the command line or the API.'),
    h('p', {}, 'Set up or change your two-step sign-in on ', h('a', { href: '#/account', text: 'your account page' }), '.')));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
