// "Outreach": for each of the team's rosters, the people to reach: those
// discharged whose face-to-face follow-up is still to make, those with
// frequent inpatient stays, those not seen for a while, and those in
// outreach with the attempts made so far. Each person links to their page;
// an attempt or the follow-up is recorded with the usual contact form, its
// kind chosen already. The thresholds come from the organisation's rules.
import { api } from '../api.js';
import { h, clear, formatDate, plural, labelOf, linkButton } from '../dom.js';

const ATTEMPT = 'outreach_attempt';
const FOLLOW_UP = 'post_discharge_follow_up';

function newContact(personId, type, text, name) {
  const a = linkButton(`#/people/${personId}/contacts/new?type=${type}`, text, 'button--secondary outreach__action');
  a.setAttribute('aria-label', `${text}: ${name}`);
  return a;
}

function who(x) {
  return h('p', { class: 'outreach__who' },
    h('a', { class: 'outreach__name', href: `#/people/${x.person_id}`, text: x.preferred_name }),
    h('span', { class: 'muted', text: x.primary_peer_name ? ` \u00b7 Primary peer: ${x.primary_peer_name}` : ' \u00b7 No primary peer yet' }));
}

function item(x, facts, actions = []) {
  return h('li', { class: 'outreach__item', data: { person: x.person_id } },
    who(x),
    facts.filter(Boolean).map((t) => h('p', { class: 'outreach__facts', text: t })),
    actions.length ? h('div', { class: 'outreach__actions' }, actions) : null);
}

function followUpItem(x) {
  return item(x, [
    `Discharged ${formatDate(x.discharge_date)}.`,
    x.state === 'overdue'
      ? `Face-to-face follow-up was due ${formatDate(x.follow_up_due)}: overdue.`
      : `Face-to-face follow-up due ${formatDate(x.follow_up_due)}.`,
  ], [newContact(x.person_id, FOLLOW_UP, 'Record the follow-up', x.preferred_name)]);
}

function staysItem(x, t) {
  return item(x, [
    `${plural(x.stays, 'stay', 'stays')} in the last ${plural(t.frequent_stays_months, 'month', 'months')}; the last began ${formatDate(x.last_admitted_on)}.`,
  ]);
}

function notSeenItem(x) {
  return item(x, [
    x.last_seen ? `Last seen ${formatDate(x.last_seen)} (${plural(x.days, 'day', 'days')} ago).` : 'Not seen yet.',
  ], [newContact(x.person_id, ATTEMPT, 'Record an attempt', x.preferred_name)]);
}

function attemptText(a, ref) {
  const how = a.setting_label || (a.setting ? labelOf(ref.contact_settings, a.setting) : null);
  return `${formatDate(a.on)}${how ? `, ${how.toLowerCase()}` : ''}${a.status === 'draft' ? ' (note not signed yet)' : ''}`;
}

function outreachItem(x, ref) {
  return item(x, [
    x.attempts
      ? `${plural(x.attempts, 'attempt', 'attempts')} so far; the last on ${formatDate(x.last_attempt_on)}.`
      : 'No attempts recorded yet.',
    x.recent_attempts.length ? `Latest: ${x.recent_attempts.map((a) => attemptText(a, ref)).join('; ')}.` : null,
  ], [newContact(x.person_id, ATTEMPT, 'Record an attempt', x.preferred_name)]);
}

function list(id, title, explain, items, render, empty) {
  return h('section', { class: 'card outreach__list', 'aria-labelledby': id, data: { list: id.replace(/^.*?-/, '') } },
    h('h3', { id, text: `${title} (${items.length})` }),
    h('p', { class: 'muted', text: explain }),
    items.length ? h('ul', { class: 'outreach__items' }, items.map(render)) : h('p', { class: 'outreach__empty', text: empty }));
}

function teamSection(team, l, ref, label) {
  const mine = (xs) => xs.filter((x) => x.team_id === team.id);
  const t = l.thresholds;
  const key = (k) => `${team.id.slice(0, 8)}-${k}`;
  return h('section', { class: 'outreach__team', 'aria-labelledby': key('team') },
    h('h2', { id: key('team'), text: label(team.name) }),
    list(key('follow_up'), 'Follow-up after discharge', `People discharged whose face-to-face follow-up (due ${plural(t.follow_up_days, 'day', 'days')} after discharge) has not happened yet.`,
      mine(l.follow_up), followUpItem, 'Every follow-up after discharge has been made.'),
    list(key('not_seen'), 'Not seen lately', `People in outreach or enrolled with no signed contact in the last ${plural(t.not_seen_days, 'day', 'days')}. An outreach attempt is not a contact with them.`,
      mine(l.not_seen), notSeenItem, 'Everyone has been seen recently.'),
    list(key('outreach'), 'In outreach', 'People the team is reaching out to, with the attempts made so far.',
      mine(l.outreach), (x) => outreachItem(x, ref), 'Nobody is in outreach.'),
    list(key('frequent_stays'), 'Frequent hospital and inpatient stays', `People with ${t.frequent_stays} or more recorded stays in the last ${plural(t.frequent_stays_months, 'month', 'months')}.`,
      mine(l.frequent_stays), (x) => staysItem(x, t), 'Nobody has had frequent stays.'));
}

export async function render(ctx) {
  const [r, ref] = await Promise.all([api.get('/api/v1/outreach'), ctx.reference()]);
  if (ctx.stale()) return;
  const l = r.json;
  const label = ctx.teamLabel || ((name) => name);
  const page = h('div', { class: 'page outreach' },
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { text: 'Outreach and follow-up' }),
        h('p', { class: 'lead', text: 'People we support who may need us to reach out: after a discharge, after time in hospital, or when we have not seen them for a while.' }))),
    l.truncated.length ? h('p', { class: 'outreach__cut', role: 'note', text: `Some lists show only their first ${l.list_max} people.` }) : null,
    l.teams.length ? l.teams.map((t) => teamSection(t, l, ref, label))
      : h('p', { text: 'You are not on a team yet, so there is nobody to list.' }));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
