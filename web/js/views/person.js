// A person's page: profile, the people around them, linked people, their
// contacts and notes, their plans, their consents, their own portal and
// their enrollment episodes, with the face-to-face follow-up due date
// shown prominently after a discharge.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, todayISO, daysBetween, ageOn, statusBadge,
  labelOf, linkButton, details } from '../dom.js';
import { loadPlans, plansSection } from './plan_section.js';
import { loadNotes, notesSection } from './contact_section.js';
import { loadConsents, consentsSection } from './consent_common.js';
import { loadPortal, portalSection } from './portal_staff.js';
import { referralsSection } from './referrals.js';
import { staysSection } from './inpatient.js';

// "in 30 days", "today", "3 days ago"
export function relativeDays(iso) {
  const d = daysBetween(todayISO(), iso);
  if (d === null) return '';
  if (d === 0) return 'today';
  if (d === 1) return 'tomorrow';
  if (d === -1) return 'yesterday';
  return d > 1 ? `in ${d} days` : `${-d} days ago`;
}

function phoneLink(phone) {
  if (!phone) return null;
  const tel = phone.replace(/[^0-9+]/g, '');
  return h('a', { href: `tel:${tel}`, text: phone });
}

function followUp(ep, { big = false } = {}) {
  if (!ep.follow_up_due) return null;
  const d = daysBetween(todayISO(), ep.follow_up_due);
  const past = d !== null && d < 0;
  return h('div', { class: `follow-up${big ? ' follow-up--big' : ''}${past ? ' follow-up--past' : ''}` },
    h('p', { class: 'follow-up__label', text: 'Face-to-face follow-up due' }),
    h('p', { class: 'follow-up__date' },
      h('span', { text: formatDate(ep.follow_up_due) }),
      ' ',
      h('span', { class: 'follow-up__rel', text: `(${past ? `was due ${relativeDays(ep.follow_up_due)}` : relativeDays(ep.follow_up_due)})` })));
}

function episodeCard(ep, ref, index) {
  const open = ep.status === 'open';
  const titleId = `episode-${index}-title`;
  return h('article', { class: `episode${open ? ' episode--open' : ''}`, 'aria-labelledby': titleId },
    h('h3', { id: titleId, text: open
      ? `Enrolled since ${formatDate(ep.intake_date)}`
      : `Enrollment from ${formatDate(ep.intake_date)} to ${formatDate(ep.discharge_date)}` }),
    open ? null : followUp(ep),
    details([
      ['Agreed to peer services', formatDate(ep.agreement_date)],
      ['Agreement witnessed by', ep.agreement_witness],
      ['Intake date', formatDate(ep.intake_date)],
      ['Referred by', labelOf(ref.referral_sources, ep.referral_source)],
      open ? null : ['Discharge date', formatDate(ep.discharge_date)],
      open ? null : ['Reason', labelOf(ref.discharge_reasons, ep.discharge_reason)],
      open ? null : ['Exit strategy they chose', labelOf(ref.exit_strategies, ep.exit_strategy)],
      ep.part2 ? ['Part 2 program', 'Yes: substance use records under 42 CFR Part 2'] : null,
    ]));
}

function contactCard(c) {
  return h('li', { class: 'contact' },
    h('p', { class: 'contact__name' },
      h('span', { text: c.name }),
      c.relationship ? h('span', { class: 'contact__rel', text: ` · ${c.relationship}` }) : null),
    c.phone ? h('p', { class: 'contact__phone' }, 'Phone: ', phoneLink(c.phone)) : null,
    c.note ? h('p', { class: 'contact__note', text: c.note }) : null);
}

function contactGroup(title, list, emptyText) {
  return h('div', { class: 'contact-group' },
    h('h3', { text: title }),
    list.length ? h('ul', { class: 'contact-list' }, list.map(contactCard))
      : h('p', { class: 'muted', text: emptyText }));
}

export async function render(ctx, id) {
  const [res, ref, plans, kinds, notes, consents, portal] = await Promise.all([api.get(`/api/v1/people/${id}`), ctx.reference(),
    loadPlans(id), ctx.planKinds(), loadNotes(id),
    loadConsents(id).catch((err) => { if (err.handled) throw err; return null; }),
    loadPortal(id)]);
  const p = res.json;
  // A caller that wraps this page (break-glass) learns what was read.
  if (ctx.onPerson) ctx.onPerson(p);
  let names = new Map();
  if (p.links.length) {
    try {
      names = await ctx.lookupNames(p.links.map((l) => l.person_id));
    } catch (err) {
      if (err.handled) throw err;
    }
  }
  if (ctx.stale()) return;

  const open = p.episodes.find((e) => e.status === 'open');
  const latest = p.episodes[0];
  const showFollowUp = !open && latest && latest.status === 'closed' && latest.follow_up_due;
  const age = ageOn(p.date_of_birth);

  const actions = h('div', { class: 'page__actions' },
    linkButton(`#/people/${p.id}/edit`, 'Edit details', 'button--secondary'),
    open ? linkButton(`#/people/${p.id}/discharge`, 'Discharge', 'button--secondary')
      : linkButton(`#/people/${p.id}/enroll`, p.episodes.length ? 'Enroll again' : 'Enroll'),
    linkButton(`#/people/${p.id}/safety-concerns/new`, 'Raise a safety concern', 'button--secondary'));

  const natural = p.contacts.filter((c) => c.kind === 'natural_support');
  const emergency = p.contacts.filter((c) => c.kind === 'emergency_contact');

  const page = h('div', { class: 'page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/people', text: 'Team roster' })),
    h('div', { class: 'page__head person-head' },
      h('div', {},
        h('h1', {},
          h('span', { text: p.preferred_name }),
          p.pronouns ? h('span', { class: 'person-head__pronouns', text: ` (${p.pronouns})` }) : null),
        h('p', { class: 'person-head__meta' },
          statusBadge(p.status),
          h('span', {}, 'Primary peer: ', p.primary_peer_name
            ? h('strong', { text: p.primary_peer_name })
            : h('span', { class: 'muted', text: 'none yet' })),
          h('span', { text: ctx.teamLabel(p.team) }))),
      actions),
    showFollowUp ? followUp(latest, { big: true }) : null,
    h('div', { class: 'person-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'profile-title' },
        h('h2', { id: 'profile-title', text: 'Profile' }),
        details([
          ['Preferred name', p.preferred_name],
          ['Legal name', p.legal_name],
          ['Pronouns', p.pronouns],
          ['Date of birth', p.date_of_birth ? `${formatDate(p.date_of_birth)}${age !== null ? ` (age ${age})` : ''}` : null],
          ['Phone', phoneLink(p.phone)],
          ['Preferred language', p.language ? labelOf(ref.languages, p.language) : null],
          ['Team', ctx.teamLabel(p.team)],
          ['Primary peer', p.primary_peer_name],
        ])),
      h('section', { class: 'card', 'aria-labelledby': 'contacts-title' },
        h('h2', { id: 'contacts-title', text: 'People around them' }),
        contactGroup('Natural supports', natural, 'No natural supports recorded yet.'),
        contactGroup('Emergency contacts', emergency, 'No emergency contact recorded yet.'),
        h('div', { class: 'contact-group' },
          h('h3', { text: 'Linked people we support' }),
          p.links.length
            ? h('ul', { class: 'link-list' }, p.links.map((l) => h('li', {},
              names.has(l.person_id)
                ? h('a', { href: `#/people/${l.person_id}`, text: names.get(l.person_id) })
                : h('span', { text: 'A person who is not on your rosters' }),
              l.relationship ? h('span', { class: 'muted', text: ` · ${l.relationship}` }) : null)))
            : h('p', { class: 'muted', text: 'No linked people.' })))),
    notesSection(ctx, p, notes, ref),
    plansSection(ctx, p, plans, kinds),
    referralsSection(ctx, p),
    consentsSection(p, consents, ref.consents),
    portalSection(ctx, p, portal),
    staysSection(ctx, p),
    h('section', { class: 'card', 'aria-labelledby': 'episodes-title' },
      h('h2', { id: 'episodes-title', text: 'Enrollment and discharge' }),
      p.episodes.length ? null : h('p', {},
        'Not enrolled yet. Peer services start when the person agrees to them; record that agreement when you enroll them.'),
      p.episodes.map((ep, i) => episodeCard(ep, ref, i))),
    h('p', { class: 'muted record-meta', text: `Record added ${formatTime(p.created_at)}; last updated ${formatTime(p.updated_at)}.` }));

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
