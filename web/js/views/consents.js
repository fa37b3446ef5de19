// A person's consents (#/people/{id}/consents): every consent they have
// given, in force first, with what it covers and until when, and the ways
// on to recording a consent, sharing information, a medical emergency
// disclosure and the accounting of disclosures. And one consent read
// whole (#/consents/{id}), with a form to revoke it while it is in force.
// Consents are never edited: a changed consent is a new one.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, todayISO, labelOf, linkButton, details } from '../dom.js';
import { field, options, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';
import { loadPerson, loadConsents, consentBadge, recipientNames, expiryText, endsText, hasPart2, kindLabel, kindOf,
  CONSENT_STATUS, ruleText } from './consent_common.js';

function consentItem(cref, c) {
  const facts = [
    `Signed ${formatDate(c.signed_on)}${c.signer_name ? ` by ${c.signer_name}` : ''}`,
    c.status === 'revoked' && c.revoked_on ? `Revoked ${formatDate(c.revoked_on)}` : expiryText(cref, c),
  ].filter(Boolean);
  return h('li', { class: 'consent-item' },
    h('div', { class: 'consent-item__head' },
      h('a', { class: 'consent-item__name', href: `#/consents/${c.id}`, text: c.kind_label || kindLabel(cref, c.kind) }),
      consentBadge(c.status)),
    c.discloses && recipientNames(c)
      ? h('p', { class: 'consent-item__to' }, 'To: ', h('span', { text: recipientNames(c) })) : null,
    h('p', { class: 'consent-item__facts muted', text: facts.join(' \u00b7 ') }));
}

export async function renderList(ctx, personId) {
  const [person, consents, ref] = await Promise.all([loadPerson(personId), loadConsents(personId), ctx.reference()]);
  if (ctx.stale()) return;
  const cref = ref.consents;
  const inForce = consents.filter((c) => c.status === 'active' || c.status === 'not_yet');
  const past = consents.filter((c) => !inForce.includes(c));
  const page = h('div', { class: 'page consents-page' },
    breadcrumb(person),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'consents-page-title', text: 'Consents and disclosures' }),
        h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }), '.')),
      h('div', { class: 'page__actions' },
        linkButton(`#/people/${person.id}/consents/new`, 'Record a consent'),
        linkButton(`#/people/${person.id}/disclosures/new`, 'Share information', 'button--secondary'),
        linkButton(`#/people/${person.id}/disclosures`, 'Accounting of disclosures', 'button--secondary'))),
    hasPart2(person) ? h('p', { class: 'notice' },
      'Part of this record is from a Part 2 program (substance use services, 42 CFR Part 2). Sharing it needs a Part 2 consent; a general release is not enough.') : null,
    h('section', { class: 'card', 'aria-labelledby': 'consents-now-title' },
      h('h2', { id: 'consents-now-title', text: 'In force' }),
      inForce.length ? h('ul', { class: 'consent-list' }, inForce.map((c) => consentItem(cref, c)))
        : h('p', { text: consents.length ? 'None of their consents is in force now.' : 'No consents recorded yet. Information is shared only with a consent that covers it.' })),
    past.length ? h('section', { class: 'card', 'aria-labelledby': 'consents-past-title' },
      h('h2', { id: 'consents-past-title', text: 'No longer in force' }),
      h('ul', { class: 'consent-list' }, past.map((c) => consentItem(cref, c)))) : null,
    h('section', { class: 'card', 'aria-labelledby': 'consents-emergency-title' },
      h('h2', { id: 'consents-emergency-title', text: 'In a medical emergency' }),
      h('p', { text: 'When there is a real medical emergency and the person cannot give consent in time, medical staff can be told what they need. Record it straight after.' }),
      h('p', {}, linkButton(`#/people/${person.id}/disclosures/emergency`, 'Medical emergency disclosure', 'button--secondary'))));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

// --- one consent -------------------------------------------------------------

const yes = (v, text) => (v ? text : 'Not on the form');

function consentDetails(cref, c) {
  const kind = kindOf(cref, c.kind);
  const list = (codes, from) => (codes && codes.length
    ? h('ul', { class: 'plain-list' }, codes.map((x) => h('li', { text: labelOf(from, x) })))
    : null);
  const recipients = (c.recipients || []).length
    ? h('ul', { class: 'plain-list' }, c.recipients.map((r) => h('li', {},
      h('span', { text: r.name }), r.address ? h('span', { class: 'muted', text: `, ${r.address}` }) : null)))
    : null;
  const shows = (code) => !kind || kind.discloses || (kind.required || []).includes(code);
  return details([
    ['Name of the person', c.person_name],
    shows('disclosers') ? ['Who may share it', c.disclosers] : null,
    shows('recipients') ? ['Who may receive it', recipients] : null,
    c.intermediary ? ['Through', c.intermediary] : null,
    shows('information') ? ['What information', c.information] : null,
    shows('categories') ? ['Parts of the record', list(c.categories, cref.categories)] : null,
    ['Why', (c.purposes || []).length || c.purpose_text ? h('div', {}, list(c.purposes, cref.purposes),
      c.purpose_text ? h('p', { class: 'consent-purpose-text', text: c.purpose_text }) : null) : null],
    shows('expiry') ? ['Ends', endsText(cref, c)] : null,
    shows('revocation_statement') ? ['Right to revoke', yes(c.revocation_statement, 'The form says they can revoke it in writing at any time')] : null,
    shows('conditioning_statement') ? ['Services and signing', yes(c.conditioning_statement, 'The form says whether signing is a condition of receiving services')] : null,
    shows('redisclosure_statement') ? ['Sharing again', yes(c.redisclosure_statement, 'The form says what is shared may be shared again by the recipient')] : null,
    ['Signed by', c.signer_name ? `${c.signer_name} (${labelOf(cref.signer_authorities, c.signer_authority) || 'authority not recorded'})` : null],
    ['Signed on', c.signed_on ? formatDate(c.signed_on) : null],
    ['Recorded by', `${c.recorded_by_name || 'A colleague'}, ${formatTime(c.created_at)}`],
  ]);
}

function revokedPart(cref, c) {
  if (c.status !== 'revoked') return null;
  return h('section', { class: 'card consent-revoked', 'aria-labelledby': 'consent-revoked-title' },
    h('h2', { id: 'consent-revoked-title', text: 'Revoked' }),
    details([
      ['Revoked on', formatDate(c.revoked_on)],
      ['How', labelOf(cref.revocation_methods, c.revocation_method)],
      ['Note', c.revocation_note],
      ['Recorded by', c.revoked_by_name],
    ]),
    h('p', { class: 'muted', text: 'It covers nothing shared after it was revoked. What was shared before stays in the accounting of disclosures.' }));
}

function revokeForm(ctx, cref, c, person, redraw) {
  const date = field({ id: 'revoke-date', name: 'revoked_on', label: 'Date they revoked it', type: 'date', width: 'date',
    required: true, value: todayISO() });
  const method = field({ id: 'revoke-method', name: 'method', label: 'How they revoked it', type: 'select', required: true,
    options: options(cref.revocation_methods, { blank: 'Choose how' }) });
  const note = field({ id: 'revoke-note', name: 'note', label: 'Note (optional)', type: 'textarea', rows: 3, maxlength: 2000,
    hint: 'For example: brought a signed letter; said so on the phone.' });
  const fields = { revoked_on: date, method, note };
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'revoke-title' },
    h('h2', { id: 'revoke-title', text: 'Revoke this consent' }),
    h('p', { text: 'The person can revoke a consent at any time. From that day it covers nothing more; what was already shared stays shared.' }),
    date.wrap, method.wrap, note.wrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Revoke this consent' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true, 'Revoking\u2026');
    try {
      const r = await api.post(`/api/v1/consents/${c.id}/revoke`, {
        revoked_on: date.control.value || null,
        method: method.control.value || null,
        note: note.control.value.trim() || null,
      }, { ifMatch: c.version });
      if (ctx.stale()) return;
      redraw(r.json, 'Consent revoked. It covers nothing from now on.');
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (fields[name] ? { control: fields[name].control } : null),
          { title: 'The consent was not revoked' });
      } else if (err.status === 409 || err.status === 412) {
        showFormProblem(form, 'The consent was not revoked',
          err.status === 409 ? 'It has been revoked already.' : 'Someone else changed this consent since you opened it.',
          h('p', {}, h('a', { href: `#/consents/${c.id}`, text: 'Load it again' })));
      } else {
        showFormProblem(form, 'The consent was not revoked', problemText(err));
      }
    }
  });
  return { form, dirty: () => !!note.control.value.trim() || !!method.control.value };
}

function draw(ctx, ref, person, c, message) {
  const cref = ref.consents;
  const kind = kindOf(cref, c.kind);
  const redraw = (next, msg) => draw(ctx, ref, person, next, msg);
  const revoke = c.status === 'active' ? revokeForm(ctx, cref, c, person, redraw) : null;
  const page = h('div', { class: 'page page--form consent-page' },
    breadcrumb(person, h('a', { href: `#/people/${person.id}/consents`, text: 'Consents' })),
    h('h1', { id: 'consent-title', text: c.kind_label || kindLabel(cref, c.kind) }),
    h('p', { class: 'lead consent-page__status' }, consentBadge(c.status), ' ',
      h('span', { id: 'consent-status', tabindex: '-1', text: statusLine(cref, c) })),
    c.part2 ? h('p', { class: 'muted', text: 'A consent under 42 CFR Part 2: it can cover records from a Part 2 program.' }) : null,
    h('section', { class: 'card', 'aria-labelledby': 'consent-says-title' },
      h('h2', { id: 'consent-says-title', text: 'What it says' }),
      consentDetails(cref, c),
      kind && kind.rule ? h('p', { class: 'rule-problem__rule muted' }, 'Rule: ', h('cite', { text: ruleText(kind.rule) })) : null),
    revokedPart(cref, c),
    revoke ? h('section', { class: 'card', 'aria-labelledby': 'revoke-title' }, revoke.form) : null,
    h('p', {}, h('a', { class: 'button button--secondary', href: `#/people/${person.id}/consents`, text: 'Back to their consents' })));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => !!(revoke && revoke.dirty()) });
  if (message) {
    ctx.announce(message);
    const s = document.getElementById('consent-status');
    if (s) {
      s.focus();
      ctx.focused = true;
    }
  }
}

function statusLine(cref, c) {
  if (c.status === 'revoked') return `Revoked ${formatDate(c.revoked_on)}.`;
  if (c.status === 'expired') return `${CONSENT_STATUS.expired}. It covers nothing now.`;
  if (c.status === 'not_yet') return 'Not in force yet.';
  const until = expiryText(cref, c);
  return until ? `In force. ${until}.` : 'In force.';
}

export async function render(ctx, id) {
  let r;
  let ref;
  try {
    [r, ref] = await Promise.all([api.get(`/api/v1/consents/${id}`), ctx.reference()]);
  } catch (err) {
    if (err.status !== 404 || ctx.stale()) throw err;
    clear(ctx.main);
    ctx.main.append(h('div', { class: 'page page--narrow' },
      h('h1', { text: 'Consent not found' }),
      h('p', { text: 'This consent belongs to someone who is not on your team\u2019s roster, or the link is wrong.' }),
      h('p', {}, linkButton('#/people', 'Go to the team roster'))));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return;
  }
  const person = await loadPerson(r.json.person_id);
  if (ctx.stale()) return;
  draw(ctx, ref, person, r.json);
}
