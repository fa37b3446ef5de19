// A contact's note: writing a new one (#/people/{id}/contacts/new), a
// draft (#/contacts/{id}) and, once signed, the note to read with its
// addenda and the person's comments (contact_signed.js).
//
// While a draft is written its minutes follow the times at once, with a
// midpoint-rule estimate of the units; each change a field makes (on
// leaving a text field, at once for choices) saves the draft a moment
// later, and the server's billing, deadline and what the note still lacks
// replace the estimate. Saving a new note is done on purpose ("Save draft"
// or "Sign the note"): a note that is opened by mistake leaves nothing
// behind. Every change sends If-Match; a 412 says someone else saved
// first and stops saving, never overwriting.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { showErrors, showFormProblem, clearErrors, problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';
import { typeLabel, whenText, noteBadges, dueText, elementList, previewUnits, loadGoals, localTime } from './contact_common.js';
import { buildNoteForm, defaultValues, valuesFromContact, toBody, changedKeys, formMinutes, BILLING_KEYS, LABELS } from './contact_form.js';
import { billingPanel } from './contact_billing.js';
import { drawSigned } from './contact_signed.js';
import { refreshDueCount } from './contact_due.js';

const AUTOSAVE_MS = 500;

// A note created by "Sign the note" on a new note: signed as soon as its
// page is drawn.
let signOnArrival = null;

async function loadPerson(id) {
  return (await api.get(`/api/v1/people/${id}`)).json;
}

// type (from #/people/{id}/contacts/new?type=...) chooses the kind of
// contact at the start, when the rules know it.
export async function renderNew(ctx, personId, type) {
  const [person, ref, goals] = await Promise.all([loadPerson(personId), ctx.reference(), loadGoals(personId)]);
  if (ctx.stale()) return;
  const d = ctx.draft;
  const typed = d && d.kind === 'contact-new' && d.personId === person.id ? d.values : null;
  const preset = type && ref.contact_types.some((t) => t.code === type) ? type : null;
  drawDraft(ctx, { person, ref, goals, contact: null, preset }, { typed, restored: !!(typed && ctx.restored) });
  if (typed && ctx.restored) ctx.focused = true;
}

function renderNotFound(ctx) {
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page page--narrow' },
    h('h1', { text: 'Note not found' }),
    h('p', { text: 'This note is about someone who is not on your team\u2019s roster, or the link is wrong.' }),
    h('p', {}, h('a', { class: 'button', href: '#/people', text: 'Go to the team roster' }))));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

export async function render(ctx, id) {
  let contact;
  try {
    contact = (await api.get(`/api/v1/contacts/${id}`)).json;
  } catch (err) {
    if (err.status === 404 && !ctx.stale()) {
      renderNotFound(ctx);
      return;
    }
    throw err;
  }
  const [person, ref, goals] = await Promise.all([loadPerson(contact.person_id), ctx.reference(), loadGoals(contact.person_id)]);
  if (ctx.stale()) return;
  const data = { person, ref, goals, contact };
  const d = ctx.draft;
  if (contact.status !== 'draft') {
    const typed = d && d.kind === 'contact-signed' && d.id === contact.id ? d.values : null;
    drawSigned(ctx, data, { typed, restored: !!(typed && ctx.restored) });
    return;
  }
  const typed = d && d.kind === 'contact-draft' && d.id === contact.id ? d.values : null;
  const view = drawDraft(ctx, data, { typed, restored: !!(typed && ctx.restored) });
  if (typed && ctx.restored) ctx.focused = true;
  if (signOnArrival === contact.id) {
    signOnArrival = null;
    await view.sign();
  }
}

// Draws the form for a new note (data.contact null) or a draft. Returns
// { sign() }.
function drawDraft(ctx, data, opts = {}) {
  const { person, ref, goals } = data;
  let contact = data.contact;
  const isNew = !contact;
  const mine = isNew || !contact.author_id || (ctx.me && contact.author_id === ctx.me.id);
  const opened = isNew ? { ...defaultValues(), ...(data.preset ? { type: data.preset } : {}) } : valuesFromContact(contact);
  const form = buildNoteForm({ ref, goals, person, values: opts.typed || opened });
  let savedBody = isNew ? null : toBody(opened).body;
  let halted = false; // after a conflict nothing more is saved
  let timer = null;
  let chain = Promise.resolve();

  const billing = billingPanel();
  const conflictSlot = h('div', { class: 'conflict-slot' });
  const standing = h('div', { class: 'note-standing-box', id: 'note-standing' });
  const missingBox = h('div', { class: 'note-missing', id: 'note-missing', 'aria-live': 'polite' });
  const saveState = h('p', { class: 'note-save-state', role: 'status', 'aria-live': 'polite' });
  const saveButton = h('button', { type: 'submit', class: 'button button--secondary', text: 'Save draft' });
  const signButton = mine ? h('button', { type: 'button', class: 'button', text: 'Sign the note' }) : null;

  const formEl = h('form', { class: 'form note-form', novalidate: true, 'aria-labelledby': 'note-title' },
    form.el[0],
    form.el[1],
    billing.el,
    form.el[2],
    missingBox,
    h('div', { class: 'form__actions form__actions--sticky note-actions' },
      saveState,
      h('div', { class: 'note-actions__buttons' }, saveButton, signButton)));

  // --- what the page says about the draft -------------------------------
  function drawStanding() {
    clear(standing);
    if (!contact) return;
    standing.append(h('p', { class: 'note-standing' }, noteBadges(contact), ' ',
      h('strong', { class: 'note-due', text: dueText(contact, ref.time_zone) })));
    if (!mine) standing.append(h('p', { class: 'muted', text: `Written by ${contact.author_name || 'a colleague'}: only they can sign it.` }));
  }

  let missingShown = null;
  function drawMissing() {
    // Drawn again only when it changes: the box is a live region.
    const m = contact ? contact.missing || [] : null;
    if (JSON.stringify(m) === missingShown) return;
    missingShown = JSON.stringify(m);
    clear(missingBox);
    if (!m) return;
    missingBox.append(m.length
      ? h('p', {}, h('strong', { text: 'Still needed before signing: ' }), `${elementList(m)}.`)
      : h('p', {}, h('strong', { text: 'Ready to sign: ' }), 'everything the rules ask for is there.'));
    missingBox.classList.toggle('note-missing--ready', !m.length);
  }

  function billingKeysChanged(body) {
    if (!savedBody || body.started_at === undefined) return true;
    return changedKeys(savedBody, body).some((k) => BILLING_KEYS.includes(k));
  }

  function drawBilling() {
    const v = form.read();
    const { body } = toBody(v);
    const minutes = formMinutes(v);
    const kind = (ref.contact_types || []).find((t) => t.code === v.type);
    const estimate = minutes === null ? null : (kind && kind.billed === false ? 0 : previewUnits(minutes));
    billing.update({ minutes, estimate, billing: contact ? contact.billing : null, fresh: !!contact && !billingKeysChanged(body), saved: !!contact });
  }

  const dirty = () => {
    if (isNew) return JSON.stringify(form.read()) !== JSON.stringify(opened);
    return changedKeys(savedBody, toBody(form.read()).body).length > 0;
  };

  // --- saving -------------------------------------------------------------
  function serial(fn) {
    const run = chain.then(fn);
    chain = run.catch(() => false);
    return run;
  }

  function schedule() {
    if (isNew || halted) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      serial(() => save({ auto: true }));
    }, AUTOSAVE_MS);
  }

  function conflict(title, text) {
    halted = true;
    clearTimeout(timer);
    const again = h('button', { type: 'button', class: 'button', text: 'Reload the note' });
    again.addEventListener('click', () => ctx.navigate(`#/contacts/${contact.id}`, { replace: true }));
    const box = h('div', { class: 'error-summary conflict', role: 'alert', tabindex: '-1', 'aria-labelledby': 'note-conflict-title' },
      h('h2', { id: 'note-conflict-title', class: 'error-summary__title', text: title }),
      h('p', { text }),
      h('p', {}, again));
    clear(conflictSlot);
    conflictSlot.append(box);
    saveState.textContent = 'Not saved.';
    box.focus();
  }

  // Saves what changed. auto: a quiet save while writing (problems are
  // said in the save line, focus stays put). Resolves true when the saved
  // draft matches the form.
  async function save({ auto }) {
    if (halted || ctx.stale()) return false;
    const { body, errors } = toBody(form.read());
    if (errors.length) {
      if (auto) {
        const e = errors[0];
        saveState.textContent = `Not saved yet: ${LABELS[e.field] || e.field} ${e.message}.`;
      } else {
        showErrors(formEl, errors, form.resolve, { title: 'The note was not saved: some details need attention' });
      }
      return false;
    }
    const keys = changedKeys(savedBody, body);
    if (!keys.length) return true;
    const patch = {};
    for (const k of keys) patch[k] = body[k];
    saveState.textContent = 'Saving\u2026';
    try {
      const r = await api.patch(`/api/v1/contacts/${contact.id}`, patch, { ifMatch: contact.version });
      if (ctx.stale()) return false;
      contact = r.json;
      savedBody = { ...savedBody, ...patch };
      // A quiet save leaves a refusal to sign on screen until everything
      // it asked for is there.
      if (!auto || !(contact.missing || []).length) clearErrors(formEl);
      drawStanding();
      drawMissing();
      drawBilling();
      saveState.textContent = `Draft saved at ${localTime(new Date())}.`;
      return !dirty();
    } catch (err) {
      if (ctx.stale() || err.handled) return false;
      if (err.status === 400 && err.errors.length) {
        if (auto) {
          const e = err.errors[0];
          const t = form.resolve(e.field);
          saveState.textContent = `Not saved yet: ${(t && t.label) || e.field} ${e.message}.`;
        } else {
          saveState.textContent = 'Not saved.';
          showErrors(formEl, err.errors, form.resolve, { title: 'The note was not saved: some details need attention' });
        }
      } else if (err.status === 412) {
        conflict('Someone else saved this note',
          'While you were working, someone else saved a change to this note. What you typed is still in the form, but it has not been saved, and their change has not been overwritten. Copy anything you want to keep, then reload the note.');
      } else if (err.status === 409) {
        conflict('This note has been signed',
          'The note was signed while you were working (perhaps in another window), so it no longer changes. What you typed has not been saved. Reload to read the signed note; add an addendum to add to it.');
      } else if (auto) {
        saveState.textContent = `Not saved yet: ${problemText(err)}`;
      } else {
        saveState.textContent = 'Not saved.';
        showFormProblem(formEl, 'The note was not saved', problemText(err));
      }
      return false;
    }
  }

  // A new note: created on purpose. then: 'draft' or 'sign'.
  async function create(then) {
    clearErrors(formEl);
    const { body, errors } = toBody(form.read());
    if (errors.length) {
      showErrors(formEl, errors, form.resolve, { title: 'The note was not saved: some details need attention' });
      return;
    }
    setBusy(true, then === 'sign' ? 'Signing\u2026' : 'Saving\u2026');
    try {
      const r = await api.post(`/api/v1/people/${person.id}/contacts`, body);
      if (ctx.stale()) return;
      refreshDueCount();
      if (then === 'sign') signOnArrival = r.json.id;
      ctx.navigate(`#/contacts/${r.json.id}`, {
        replace: true,
        flash: then === 'sign' ? null : `Draft saved. ${dueText(r.json, ref.time_zone)}.`,
      });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      setBusy(false);
      if (err.status === 400 && err.errors.length) {
        showErrors(formEl, err.errors, form.resolve, { title: 'The note was not saved: some details need attention' });
      } else {
        showFormProblem(formEl, 'The note was not saved', problemText(err));
      }
    }
  }

  function setBusy(on, text) {
    for (const b of [saveButton, signButton]) {
      if (!b) continue;
      b.disabled = on;
    }
    if (on) formEl.setAttribute('aria-busy', 'true');
    else formEl.removeAttribute('aria-busy');
    if (on && text) saveState.textContent = text;
  }

  async function sign() {
    if (isNew) return create('sign');
    clearTimeout(timer);
    return serial(async () => {
      clearErrors(formEl);
      setBusy(true, 'Signing\u2026');
      const saved = await save({ auto: false });
      if (!saved || ctx.stale()) {
        if (!ctx.stale()) setBusy(false);
        return;
      }
      try {
        const r = await api.post(`/api/v1/contacts/${contact.id}/sign`, {}, { ifMatch: contact.version });
        if (ctx.stale()) return;
        refreshDueCount();
        drawSigned(ctx, { person, ref, goals, contact: r.json }, { focus: 'note-title' });
        ctx.focused = true;
        ctx.announce(r.json.late ? 'Note signed. It was signed after its deadline, so it is marked late.' : 'Note signed.');
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        setBusy(false);
        saveState.textContent = 'Not signed.';
        if (err.status === 422) {
          const p = err.problem || {};
          const box = showErrors(formEl, err.errors, form.resolve, { title: 'The note cannot be signed yet' });
          box.classList.add('rule-problem');
          if (!err.errors.length && (p.detail || p.title)) box.append(h('p', { text: p.detail || p.title }));
          if (p.rule) box.append(h('p', { class: 'rule-problem__rule' }, h('strong', { text: 'Rule: ' }), h('cite', { text: p.rule })));
          ctx.focused = true;
        } else if (err.status === 412) {
          conflict('Someone else saved this note', 'While you were working, someone else saved a change to this note. It was not signed. Reload the note, check it, then sign.');
        } else if (err.status === 409) {
          conflict('This note is signed already', problemText(err));
        } else {
          showFormProblem(formEl, 'The note was not signed', problemText(err));
        }
      }
    });
  }

  // --- events -------------------------------------------------------------
  formEl.addEventListener('input', (ev) => {
    drawBilling();
    if (!isNew && !halted && dirty()) saveState.textContent = 'Changes not saved yet.';
    // Text saves when the field is left (change); a suggestion the
    // language coach puts in fires input only, so it saves now.
    if (!ev.isTrusted) schedule();
  });
  formEl.addEventListener('change', () => {
    drawBilling();
    schedule();
  });
  formEl.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (isNew) {
      create('draft');
      return;
    }
    clearTimeout(timer);
    clearErrors(formEl);
    const ok = await serial(() => save({ auto: false }));
    if (ok && !ctx.stale()) {
      refreshDueCount();
      ctx.announce(`Draft saved. ${dueText(contact, ref.time_zone)}.`);
    }
  });
  if (signButton) signButton.addEventListener('click', () => sign());

  // --- the page -----------------------------------------------------------
  const title = isNew ? 'Write a note' : 'Contact note, a draft';
  const page = h('div', { class: 'page page--form note-page' },
    breadcrumb(person),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'note-title', text: title }),
        h('p', { class: 'lead' }, isNew ? 'About your time with ' : 'With ', h('strong', { text: person.preferred_name }),
          isNew ? '. Write it with them if you can, in everyday words.' : ` \u00b7 ${typeLabel(ref, contact.type)} \u00b7 ${whenText(contact)}`),
        standing)),
    opts.restored ? h('div', { class: 'notice notice--info', id: 'restored-notice' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })) : null,
    conflictSlot,
    formEl);

  clear(ctx.main);
  ctx.main.append(page);
  drawStanding();
  drawMissing();
  drawBilling();
  if (isNew) saveState.textContent = 'Not saved yet.';
  else if (opts.typed && dirty()) saveState.textContent = 'Changes not saved yet.';
  ctx.setView({
    snapshot: () => (isNew
      ? { kind: 'contact-new', personId: person.id, values: form.read() }
      : { kind: 'contact-draft', id: contact.id, values: form.read() }),
    isDirty: dirty,
  });
  if (opts.restored) form.focusFirst();
  return { sign };
}
