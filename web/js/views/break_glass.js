// Emergency access ("break-glass"): a peer specialist or supervisor opens
// the record of a person who is not on their team, for one emergency,
// after saying why. Access lasts a set time; everything they do meanwhile
// is flagged in the audit log and a privacy officer reviews it.
//
// - The person route (#/people/{id}) goes through renderPerson: when the
//   record is not on the roster (a 404, which is also what a wrong link
//   gets) the not-found page offers the emergency form; while access
//   lasts, the person's page carries a banner saying so.
// - #/break-glass: for privacy officers, the accesses waiting for review
//   (with a review form each) and then the reviewed ones; for peers and
//   supervisors, their own accesses and how they were reviewed.
//
// The grant (its expiry) is kept in this tab's memory only (ctx.keep,
// dropped at sign-out), keyed by the person's id.
import { api } from '../api.js';
import { h, clear, formatTime, plural } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { choiceGroup } from './consent_common.js';
import * as person from './person.js';
import * as notFound from './not_found.js';

const OUTCOME_LABELS = {
  appropriate: 'Appropriate',
  not_appropriate: 'Not appropriate',
};

function canBreakGlass(me) {
  return !!me && (me.role === 'peer' || me.role === 'supervisor');
}

const keyOf = (personId) => `break-glass:${personId}`;

// "14:05", in the device's time (as formatTime shows times).
export function clock(ts) {
  const t = new Date(ts);
  if (Number.isNaN(t.getTime())) return '';
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

function minutesBetween(a, b) {
  const ms = Date.parse(b) - Date.parse(a);
  return Number.isFinite(ms) ? Math.max(1, Math.round(ms / 60000)) : null;
}

const isOpen = (g) => !!g && Date.parse(g.expires_at) > Date.now();

// Own accesses (staff see their own; privacy officers everyone's).
async function ownAccesses() {
  const r = await api.get('/api/v1/break-glass');
  return r.json;
}

// --- the person's page ---------------------------------------------------

function banner(ctx, g) {
  const text = h('p', { class: 'glass-banner__text' },
    h('strong', { text: `Emergency access: ends at ${clock(g.expires_at)}` }),
    '; everything you do is recorded for review.');
  const el = h('section', { class: 'glass-banner', id: 'glass-banner', 'aria-label': 'Emergency access' }, text);
  const left = Date.parse(g.expires_at) - Date.now();
  // When access ends the record closes again: say so instead of leaving
  // a page that no longer saves.
  if (left > 0 && left < 2 ** 31 - 1) {
    setTimeout(() => {
      if (ctx.stale() || !el.isConnected) return;
      el.classList.add('glass-banner--ended');
      clear(text);
      text.append(h('strong', { text: `Emergency access ended at ${clock(g.expires_at)}.` }),
        ' This record is closed to you again; what you did while it was open is kept and recorded.');
      ctx.announce('Emergency access to this record has ended.');
    }, left + 500);
  }
  return el;
}

// The person route: the person's page, with the emergency-access banner
// while access lasts; the not-found page with the emergency form when
// the record is not on the roster.
export async function renderPerson(ctx, id) {
  // The record says until when it is open to this user by break-glass.
  let shown = null;
  const inner = Object.create(ctx);
  inner.onPerson = (p) => { shown = p; };
  try {
    await person.render(inner, id);
  } catch (err) {
    if (ctx.stale() || !err || err.status !== 404 || !canBreakGlass(ctx.me)) throw err;
    await renderOffer(ctx, id);
    return;
  }
  if (inner.focused) ctx.focused = true;
  if (ctx.stale() || !shown || !shown.break_glass_until) return;
  const g = { expires_at: shown.break_glass_until };
  // Kept so the form can say when access ended.
  ctx.keep(keyOf(id), g);
  if (!isOpen(g)) return;
  const page = ctx.main.querySelector('.page');
  if (!page) return;
  const crumb = page.querySelector(':scope > .breadcrumb');
  const b = banner(ctx, g);
  if (crumb) crumb.after(b);
  else page.prepend(b);
}

function offerForm(ctx, id) {
  const reason = field({ id: 'glass-reason', name: 'reason', label: 'Why do you need this record now?', type: 'textarea',
    rows: 4, maxlength: 1000, required: true,
    hint: 'Say what the emergency is, in a sentence or two (at least 10 characters). A privacy officer reads this.' });
  const form = h('form', { class: 'form glass-form', novalidate: true, 'aria-labelledby': 'glass-title' },
    reason.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button button--warning', id: 'glass-submit', text: 'Open the record for this emergency' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true, 'Opening…');
    try {
      const r = await api.post(`/api/v1/people/${id}/break-glass`, { reason: reason.control.value.trim() });
      if (ctx.stale()) return;
      ctx.keep(keyOf(id), r.json);
      ctx.navigate(`#/people/${id}`, {
        flash: `Emergency access is open until ${clock(r.json.expires_at)}. A privacy officer has been told.`,
      });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (name === 'reason' ? { control: reason.control, label: 'Your reason' } : null),
          { title: 'The record was not opened' });
      } else if (err.status === 409) {
        showFormProblem(form, 'You can open this record already',
          'This person is on one of your teams, so there is nothing to break.',
          h('p', {}, h('a', { href: `#/people/${id}`, class: 'button', id: 'glass-open-link', text: 'Open their record',
            on: { click: (e) => { e.preventDefault(); ctx.navigate(`#/people/${id}`); } } })));
      } else if (err.status === 404) {
        showFormProblem(form, 'The record was not opened',
          'There is no record at this address. Check the link you followed.');
      } else {
        showFormProblem(form, 'The record was not opened', problemText(err));
      }
    }
  });
  return { form, reason };
}

async function renderOffer(ctx, id) {
  const ref = await ctx.reference();
  const minutes = ref.break_glass ? ref.break_glass.minutes : null;
  if (ctx.stale()) return;
  const ended = ctx.kept(keyOf(id));
  const f = offerForm(ctx, id);
  const d = ctx.draft && ctx.draft.kind === 'break-glass' && ctx.draft.personId === id ? ctx.draft : null;
  if (d) f.reason.control.value = d.reason || '';
  clear(ctx.main);
  const page = notFound.render(ctx, { what: 'person' });
  if (ended && !isOpen(ended)) {
    page.querySelector('h1').after(h('p', { class: 'notice', id: 'glass-ended',
      text: `Your emergency access to this record ended at ${clock(ended.expires_at)}.` }));
  }
  const lasts = minutes ? plural(minutes, 'minute', 'minutes') : 'a short time';
  page.append(h('section', { class: 'glass-offer', 'aria-labelledby': 'glass-title' },
    h('h2', { id: 'glass-title', text: 'Emergency access (break-glass)' }),
    h('p', { text: 'If this person is in an emergency and you need their record now, you can open it even though they are not on your team. Only do this in an emergency.' }),
    h('ul', { class: 'glass-offer__rules' },
      h('li', { text: 'Your reason is recorded.' }),
      h('li', { text: 'Everything you do in the record is flagged, and a privacy officer reviews it.' }),
      h('li', { text: `Access ends by itself after ${lasts}.` })),
    f.form,
    h('p', { class: 'muted' }, 'Your past emergency access and its reviews are on ',
      h('a', { href: '#/break-glass', text: 'your emergency access page' }), '.')));
  ctx.setView({
    snapshot: () => ({ kind: 'break-glass', personId: id, reason: f.reason.control.value }),
    isDirty: () => !!f.reason.control.value.trim(),
  });
}

// --- #/break-glass -------------------------------------------------------

function facts(g, own = false) {
  const mins = minutesBetween(g.started_at, g.expires_at);
  const open = isOpen(g);
  return h('dl', { class: 'details details--compact glass-item__facts' },
    row('Opened', formatTime(g.started_at)),
    row('How long', `${mins ? plural(mins, 'minute', 'minutes') : ''}${open ? `, open until ${clock(g.expires_at)}` : `, ended ${formatTime(g.expires_at)}`}`),
    row(own ? 'Your reason' : 'Their reason', h('span', { class: 'glass-item__reason', text: g.reason || '' })),
    row('Person\u2019s record', h('span', { class: 'glass-item__id', text: g.person_id })));
}

function row(term, value) {
  return h('div', { class: 'details__row' }, h('dt', { text: term }), h('dd', {}, value));
}

function outcomeBadge(g) {
  return h('span', { class: `badge badge--glass-${g.review_outcome || 'pending'}`,
    text: g.review_outcome ? OUTCOME_LABELS[g.review_outcome] || g.review_outcome : 'Waiting for review' });
}

function reviewedItem(g, { own = false } = {}) {
  const titleId = `glass-${g.id}-title`;
  return h('li', { class: 'glass-item glass-item--reviewed', 'aria-labelledby': titleId },
    h('h3', { class: 'glass-item__title', id: titleId, tabindex: '-1' },
      own ? 'You opened a record' : h('span', { text: `${g.staff_name || 'Someone'} opened a record` })),
    facts(g, own),
    g.reviewed_at
      ? h('p', { class: 'glass-item__outcome' }, outcomeBadge(g), ' ',
        h('span', { text: `Reviewed by ${g.reviewed_by_name || 'a privacy officer'}, ${formatTime(g.reviewed_at)}` }))
      : h('p', { class: 'glass-item__outcome' }, outcomeBadge(g)),
    g.review_note ? h('p', { class: 'glass-item__note', text: g.review_note }) : null,
    own && isOpen(g) ? h('p', {}, h('a', { class: 'button button--secondary', href: `#/people/${g.person_id}`, text: 'Open the record' })) : null);
}

function reviewForm(ctx, g, forms, onDone, draft) {
  const uid = `glass-${g.id}`;
  const outcome = choiceGroup({ id: `${uid}-outcome`, legend: 'Was this access appropriate?', type: 'radio', required: true,
    items: [
      { value: 'appropriate', label: OUTCOME_LABELS.appropriate, checked: draft && draft.outcome === 'appropriate' },
      { value: 'not_appropriate', label: OUTCOME_LABELS.not_appropriate, checked: draft && draft.outcome === 'not_appropriate' },
    ] });
  const note = field({ id: `${uid}-note`, name: 'note', label: 'Note', type: 'textarea', rows: 3, maxlength: 1000,
    hint: 'Needed when it was not appropriate: say what happens next.', value: draft ? draft.note : '' });
  const form = h('form', { class: 'form glass-review', novalidate: true, 'aria-label': `Review: ${g.staff_name || 'someone'} opened a record` },
    outcome.wrap, note.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Save the review' })));
  const values = () => ({ outcome: outcome.value(), note: note.control.value });
  forms.set(g.id, { form, values });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    // One error summary on the page at a time.
    for (const f of forms.values()) clearErrors(f.form);
    busy(form, true);
    const v = values();
    try {
      const r = await api.post(`/api/v1/break-glass/${g.id}/review`,
        { outcome: v.outcome || null, note: v.note.trim() || null }, { ifMatch: g.version });
      if (ctx.stale()) return;
      forms.delete(g.id);
      onDone(r.json);
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        const controls = { outcome: { control: outcome.control, label: 'Whether it was appropriate' }, note: { control: note.control, label: 'The note' } };
        showErrors(form, err.errors, (name) => controls[name] || null, { title: 'The review was not saved' });
      } else if (err.status === 409 || err.status === 412) {
        showFormProblem(form, 'The review was not saved',
          err.status === 409 ? 'Someone has reviewed this access already.' : 'This access changed since the page was loaded.',
          h('p', {}, h('button', { type: 'button', class: 'button button--secondary', text: 'Show the latest',
            on: { click: () => ctx.navigate('#/break-glass') } })));
      } else {
        showFormProblem(form, 'The review was not saved', problemText(err));
      }
    }
  });
  return form;
}

function pendingItem(ctx, g, forms, onDone, draft) {
  const titleId = `glass-${g.id}-title`;
  return h('li', { class: 'glass-item glass-item--pending', 'aria-labelledby': titleId, data: { id: g.id } },
    h('h3', { class: 'glass-item__title', id: titleId, tabindex: '-1', text: `${g.staff_name || 'Someone'} opened a record` }),
    facts(g),
    reviewForm(ctx, g, forms, onDone, draft));
}

async function renderReviews(ctx) {
  const [waiting, all] = await Promise.all([
    api.get('/api/v1/break-glass?pending=true'),
    api.get('/api/v1/break-glass?pending=false'),
  ]);
  if (ctx.stale()) return;
  const pending = waiting.json.items;
  const reviewed = all.json.items.filter((g) => g.reviewed_at);
  const minutes = waiting.json.minutes;
  const forms = new Map();
  const drafts = ctx.draft && ctx.draft.kind === 'break-glass-reviews' ? ctx.draft.forms || {} : {};

  const waitingTitle = h('h2', { id: 'glass-waiting-title', tabindex: '-1' });
  const reviewedTitle = h('h2', { id: 'glass-reviewed-title' });
  const waitingList = h('ul', { class: 'glass-list', 'aria-labelledby': 'glass-waiting-title' });
  const reviewedList = h('ul', { class: 'glass-list', 'aria-labelledby': 'glass-reviewed-title' });
  const waitingEmpty = h('p', { class: 'muted', text: 'Nothing is waiting for review.' });
  const reviewedEmpty = h('p', { class: 'muted', text: 'Nothing has been reviewed yet.' });
  const counts = () => {
    const w = waitingList.children.length;
    const r = reviewedList.children.length;
    waitingTitle.textContent = `Waiting for review (${w})`;
    reviewedTitle.textContent = `Reviewed (${r})`;
    waitingList.hidden = !w;
    waitingEmpty.hidden = !!w;
    reviewedList.hidden = !r;
    reviewedEmpty.hidden = !!r;
  };
  const onDone = (g) => {
    const old = waitingList.querySelector(`[data-id="${g.id}"]`);
    const next = old && (old.nextElementSibling || old.previousElementSibling);
    if (old) old.remove();
    reviewedList.prepend(reviewedItem(g));
    counts();
    ctx.announce(`Review saved: ${OUTCOME_LABELS[g.review_outcome] || g.review_outcome}.`);
    const focus = next ? next.querySelector('.glass-item__title') : waitingTitle;
    focus.focus();
  };
  for (const g of pending) waitingList.append(pendingItem(ctx, g, forms, onDone, drafts[g.id]));
  for (const g of reviewed) reviewedList.append(reviewedItem(g));
  counts();

  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page page--narrow glass-page' },
    h('h1', { text: 'Emergency access reviews' }),
    h('p', { class: 'lead', text: 'When a peer specialist or supervisor opens the record of someone who is not on their team in an emergency (break-glass), check that it was right.' }),
    h('p', { text: `Access lasts ${minutes ? plural(minutes, 'minute', 'minutes') : 'a short time'}. Everything they did in the record is flagged in the audit log under the person\u2019s record id. Each access is reviewed once.` }),
    h('section', { class: 'glass-section', 'aria-labelledby': 'glass-waiting-title' }, waitingTitle, waitingList, waitingEmpty),
    h('section', { class: 'glass-section', 'aria-labelledby': 'glass-reviewed-title' }, reviewedTitle, reviewedList, reviewedEmpty)));
  ctx.setView({
    snapshot: () => {
      const out = {};
      for (const [id, f] of forms) out[id] = f.values();
      return { kind: 'break-glass-reviews', forms: out };
    },
    isDirty: () => [...forms.values()].some((f) => { const v = f.values(); return !!(v.outcome || v.note.trim()); }),
  });
}

async function renderOwn(ctx) {
  const list = await ownAccesses();
  if (ctx.stale()) return;
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page page--narrow glass-page' },
    h('h1', { text: 'Your emergency access' }),
    h('p', { class: 'lead', text: 'Records of people outside your team that you opened in an emergency (break-glass), newest first, and how a privacy officer reviewed each.' }),
    list.items.length
      ? h('ul', { class: 'glass-list', 'aria-label': 'Your emergency access' }, list.items.map((g) => reviewedItem(g, { own: true })))
      : h('p', { text: 'You have not opened any record with emergency access.' })));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

export async function render(ctx) {
  if (ctx.me.role === 'privacy') {
    await renderReviews(ctx);
  } else if (canBreakGlass(ctx.me)) {
    await renderOwn(ctx);
  } else {
    clear(ctx.main);
    ctx.main.append(h('div', { class: 'page page--narrow' },
      h('h1', { text: 'Emergency access reviews' }),
      h('p', { text: 'Privacy officers review emergency access to records. Your role does not.' })));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
  }
}
