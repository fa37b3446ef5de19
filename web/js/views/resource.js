// One resource of the directory (#/resources/{id}): what it offers and to
// whom, its places with their addresses and opening hours in plain words,
// phones, languages, what it costs and how to apply; who added it and when
// it was last checked, with "Mark as checked today" (POST .../verify).
// Reading the directory is about no person, so nothing here is audited.
import { api } from '../api.js';
import { h, clear, formatTime, labelOf } from '../dom.js';
import { problemText } from '../forms.js';
import { marks, referralLine, addressLine, distanceText, phoneLink, scheduleInWords, checkedText, STATUS_LABELS } from './resource_common.js';
import { searchHash } from './resources.js';

// A description list of the pairs that have a value; null when none has.
function facts(pairs, id) {
  const rows = pairs.filter((p) => p && p[1] !== null && p[1] !== undefined && p[1] !== '');
  if (!rows.length) return null;
  return h('dl', { class: 'details', id }, rows.map(([term, value]) =>
    h('div', { class: 'details__row' }, h('dt', { text: term }), h('dd', {}, value))));
}

function text(value) {
  return value ? h('span', { class: 'resource-text', text: value }) : null;
}

function ages(r) {
  const lo = r.minimum_age;
  const hi = r.maximum_age;
  if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) return `${lo} to ${hi} years old`;
  if (lo !== null && lo !== undefined) return `${lo} and older`;
  if (hi !== null && hi !== undefined) return `Up to ${hi} years old`;
  return null;
}

function webLink(url) {
  if (!url) return null;
  // Only web addresses become links; anything else is shown as text.
  if (!/^https?:\/\//i.test(url)) return text(url);
  return h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'resource-link', text: url });
}

function mailLink(email) {
  return email ? h('a', { href: `mailto:${email}`, class: 'resource-link', text: email }) : null;
}

function scheduleList(list, id) {
  if (!list.length) return null;
  return h('ul', { class: 'schedule-list', id }, list.map((s) => h('li', { text: scheduleInWords(s) })));
}

function placeCard(l, schedules, i) {
  const where = addressLine(l);
  const dist = distanceText(l.distance_km);
  return h('li', { class: 'place' },
    h('h3', { class: 'place__name', text: l.name || where || `Place ${i + 1}` }),
    where && l.name ? h('p', { class: 'place__address', text: where }) : null,
    dist ? h('p', { class: 'muted', text: dist }) : null,
    l.transportation ? h('p', {}, h('span', { class: 'muted', text: 'Getting there: ' }), text(l.transportation)) : null,
    schedules.length ? h('div', { class: 'place__hours' },
      h('p', { class: 'place__hours-title', text: 'Opening hours' }),
      scheduleList(schedules, `place-${i}-hours`)) : null);
}

function draw(ctx, r, ref, message) {
  const places = r.locations || [];
  const locIds = new Set(places.map((l) => l.id));
  // Hours of the service itself belong to its place when it has one.
  const one = places.length === 1;
  const serviceHours = one ? [] : (r.schedules || []).filter((s) => !s.location_id || !locIds.has(s.location_id));
  const hoursOf = (l) => (r.schedules || []).filter((s) => s.location_id === l.id || (one && (!s.location_id || !locIds.has(s.location_id))));
  const problem = h('div', { id: 'res-verify-problem' });
  const verify = h('button', { type: 'button', class: r.stale ? 'button' : 'button button--secondary', id: 'res-verify', text: 'Mark as checked today' });
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    clear(problem);
    try {
      const next = await api.post(`/api/v1/resources/${r.id}/verify`);
      if (ctx.stale()) return;
      draw(ctx, next.json, ref, 'Marked as checked today.');
      const t = document.getElementById('res-checked');
      if (t) { t.focus(); ctx.focused = true; }
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      verify.disabled = false;
      problem.append(h('div', { class: 'error-summary', role: 'alert' },
        h('h3', { class: 'error-summary__title', text: 'It was not marked as checked' }),
        h('p', { text: problemText(err) })));
    }
  });

  const langs = (r.languages || []).map((l) => {
    const name = l.code ? labelOf(ref.languages, l.code) : null;
    const label = name && name !== l.code ? name : (l.name || l.code);
    return l.note ? `${label} (${l.note})` : label;
  }).filter(Boolean);
  const phones = (r.phones || []).filter((p) => p.number);
  const org = r.organization || {};

  const page = h('div', { class: 'page resource-page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: searchHash(), text: 'Resources' })),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'res-title', text: r.name }),
        org.name && org.name !== r.name ? h('p', { class: 'lead', id: 'res-org', text: org.name }) : null,
        marks(r)),
      h('div', { class: 'page__actions' },
        h('a', { class: 'button button--secondary', href: `#/resources/${r.id}/edit`, id: 'res-edit', text: 'Edit' }))),
    r.alert ? h('div', { class: 'notice notice--warning', role: 'note' },
      h('p', { class: 'notice__title' }, h('strong', { text: 'Please note' })), h('p', { class: 'resource-text', text: r.alert })) : null,
    r.stale ? h('div', { class: 'notice notice--warning', id: 'res-stale' },
      h('p', { text: 'Nobody has checked this resource for over a year. Its details may have changed: call before sending someone, then mark it as checked.' })) : null,
    h('div', { class: 'person-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'res-about-title' },
        h('h2', { id: 'res-about-title', text: 'What it offers' }),
        r.description ? h('p', { class: 'resource-text', id: 'res-description', text: r.description }) : h('p', { class: 'muted', text: 'No description yet.' }),
        r.categories && r.categories.length ? h('ul', { class: 'tags', 'aria-label': 'Categories' },
          r.categories.map((c) => h('li', { class: 'tag', text: c.label || c.code }))) : null,
        facts([
          ['Also called', r.alternate_name],
          ['Who it is for', text(r.eligibility_description)],
          ['Ages', ages(r)],
          ['Cost', text(r.fees_description)],
          ['How to apply', text(r.application_process)],
          ['Wait', text(r.wait_time)],
          ['Interpreting', text(r.interpretation_services)],
          ['Accreditations', text(r.accreditations)],
          ['Status', r.status && r.status !== 'active' ? STATUS_LABELS[r.status] || r.status : null],
        ], 'res-facts')),
      h('section', { class: 'card', 'aria-labelledby': 'res-contact-title' },
        h('h2', { id: 'res-contact-title', text: 'How to reach them' }),
        facts([
          ['Phone', phones.length ? h('ul', { class: 'plain-list', id: 'res-phones' }, phones.map((p) => h('li', {},
            phoneLink(p.number),
            p.extension ? ` ext. ${p.extension}` : null,
            p.description ? h('span', { class: 'muted', text: ` \u00b7 ${p.description}` }) : null))) : null],
          ['Email', mailLink(r.email || org.email)],
          ['Website', webLink(r.url || org.website)],
          ['Languages', langs.length ? h('span', { id: 'res-languages', text: langs.join(', ') }) : null],
        ], 'res-contact') || h('p', { class: 'muted', text: 'No phone, email or website recorded.' }),
        org.description && org.description !== r.description ? h('div', { class: 'resource-org' },
          h('h3', { text: `About ${org.name || 'the organisation'}` }),
          h('p', { class: 'resource-text', text: org.description })) : null)),
    h('section', { class: 'card', 'aria-labelledby': 'res-places-title' },
      h('h2', { id: 'res-places-title', text: 'Where and when' }),
      (r.locations || []).length
        ? h('ul', { class: 'place-list', id: 'res-places' }, r.locations.map((l, i) => placeCard(l, hoursOf(l), i)))
        : h('p', { class: 'muted', text: 'No address recorded.' }),
      serviceHours.length ? h('div', { class: 'place__hours' },
        h('h3', { text: places.length ? 'Opening hours at every place' : 'Opening hours' }),
        scheduleList(serviceHours, 'res-hours')) : null,
      !(r.schedules || []).length ? h('p', { class: 'muted', text: 'No opening hours recorded: call to ask.' }) : null),
    h('section', { class: 'card', 'aria-labelledby': 'res-record-title' },
      h('h2', { id: 'res-record-title', text: 'Keeping it up to date' }),
      h('p', { id: 'res-added', text: r.local
        ? `Added by ${r.added_by_name || 'our staff'}${r.added_at ? ` on ${formatTime(r.added_at)}` : ''}.`
        : `Imported from a shared directory${r.added_at ? ` on ${formatTime(r.added_at)}` : ''}.` }),
      h('p', { id: 'res-checked', tabindex: '-1', text: checkedText(r) }),
      h('p', { class: 'muted', id: 'res-referrals', text: `${referralLine(r.referrals)}.` }),
      problem,
      h('div', { class: 'page__actions' }, verify)));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
  if (message) ctx.announce(message);
}

export async function render(ctx, id) {
  const [r, ref] = await Promise.all([api.get(`/api/v1/resources/${id}`), ctx.reference()]);
  if (ctx.stale()) return;
  draw(ctx, r.json, ref);
}
