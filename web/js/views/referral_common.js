// What the staff's referral views and the receiving organisation's page
// (referral.html) share: a referral's status in plain words, the moves
// each status allows (the table in docs/referrals.md) and the small form
// that makes one move, with a note and, to end it as completed or not
// worked out, what came of it. Only dom.js and forms.js are imported, so
// the organisation's page loads nothing of the staff app.
import { h, clear } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';

// Where a referral stands, as the team and the service read it.
export const STATUS_TEXT = {
  requested: 'Waiting for the service to answer',
  accepted: 'Accepted by the service',
  'in-progress': 'Under way',
  'on-hold': 'On hold',
  completed: 'Completed',
  rejected: 'Not taken on by the service',
  cancelled: 'Cancelled',
  failed: 'Did not work out',
};

// What a button that makes the move says.
export const MOVE_LABELS = {
  accepted: 'Accepted',
  rejected: 'Not taken on',
  'in-progress': 'Under way',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Did not work out',
};

// Event lines in the timeline.
export const EVENT_TEXT = {
  requested: 'Referral made',
  accepted: 'Accepted',
  rejected: 'Not taken on',
  'in-progress': 'Under way',
  'on-hold': 'Put on hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Did not work out',
};

// docs/referrals.md, "Status".
export const NEXT = {
  requested: ['accepted', 'rejected', 'cancelled', 'failed'],
  accepted: ['in-progress', 'on-hold', 'completed', 'cancelled', 'failed'],
  'in-progress': ['on-hold', 'completed', 'cancelled', 'failed'],
  'on-hold': ['in-progress', 'completed', 'cancelled', 'failed'],
};

export const NEEDS_OUTCOME = new Set(['completed', 'failed']);

export function statusText(status) {
  return STATUS_TEXT[status] || status || '';
}

// A status as text with a calm colour; the colour never carries it alone.
export function referralBadge(status) {
  return h('span', { class: `badge badge--referral badge--referral-${status || 'unknown'}`, text: statusText(status) });
}

// Buttons for the moves, and below them the form for the one chosen.
// opts: moves (status codes), idPrefix, send({status, note, outcome})
// -> Promise (resolves when saved; throws an ApiError), failTitle,
// stale() -> bool, outcomeHint. Returns { el, isDirty() }.
export function movePanel({ moves, idPrefix = 'move', send, failTitle = 'The status was not changed', stale = () => false,
  outcomeHint = 'What came of it, in a sentence or two.' }) {
  const holder = h('div', { class: 'referral-move__form' });
  let current = null; // { status, note, outcome, form }
  const buttons = moves.map((s) => {
    const b = h('button', { type: 'button', class: `button ${s === 'cancelled' || s === 'failed' || s === 'rejected' ? 'button--secondary' : ''}`.trim(),
      id: `${idPrefix}-${s}`, 'aria-expanded': 'false', text: MOVE_LABELS[s] || s });
    b.addEventListener('click', () => open(s));
    return b;
  });

  function open(status) {
    for (const b of buttons) b.setAttribute('aria-expanded', String(b.id === `${idPrefix}-${status}`));
    clear(holder);
    const needs = NEEDS_OUTCOME.has(status);
    const note = field({ id: `${idPrefix}-note`, name: 'note', label: 'A note (optional)', type: 'textarea', rows: 3, maxlength: 2000 });
    const outcome = needs ? field({ id: `${idPrefix}-outcome`, name: 'outcome', label: 'What came of it', type: 'textarea', rows: 3,
      maxlength: 2000, required: true, hint: outcomeHint }) : null;
    const cancel = h('button', { type: 'button', class: 'button button--quiet', text: 'Back' });
    const titleId = `${idPrefix}-form-title`;
    const form = h('form', { class: 'form referral-move', novalidate: true, 'aria-labelledby': titleId },
      h('h3', { id: titleId, tabindex: '-1', text: `Mark it: ${statusText(status).toLowerCase()}` }),
      outcome ? outcome.wrap : null,
      note.wrap,
      h('div', { class: 'form__actions' },
        h('button', { type: 'submit', class: 'button', id: `${idPrefix}-save`, text: 'Save' }),
        cancel));
    cancel.addEventListener('click', () => {
      current = null;
      clear(holder);
      for (const b of buttons) b.setAttribute('aria-expanded', 'false');
      const back = buttons.find((b) => b.id === `${idPrefix}-${status}`);
      if (back) back.focus();
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const body = { status };
      const n = note.control.value.trim();
      if (n) body.note = n;
      if (outcome) {
        const o = outcome.control.value.trim();
        if (!o) {
          showErrors(form, [{ field: 'outcome', message: 'needed to end the referral' }],
            () => ({ control: outcome.control, label: 'What came of it:' }), { title: failTitle });
          return;
        }
        body.outcome = o;
      }
      busy(form, true);
      try {
        await send(body);
      } catch (err) {
        if (stale() || err.handled) return;
        busy(form, false);
        if (err.status === 400 && err.errors.length) {
          showErrors(form, err.errors, (name) => (name === 'note' ? { control: note.control }
            : name === 'outcome' && outcome ? { control: outcome.control } : null), { title: failTitle });
        } else {
          showFormProblem(form, failTitle, problemText(err));
        }
      }
    });
    current = { note, outcome };
    holder.append(form);
    (outcome ? outcome.control : form.querySelector('h3')).focus();
  }

  return {
    el: h('div', { class: 'referral-move' },
      h('div', { class: 'referral-move__buttons' }, buttons),
      holder),
    isDirty: () => !!(current && (current.note.control.value.trim() || (current.outcome && current.outcome.control.value.trim()))),
  };
}
