// A signed note, to read: the contact, the plan goals it worked on in the
// person's words, what was done together, how the person responded and
// next steps, its final billing, its co-signature, its addenda (a
// correction is added, never written over the note) and the person's own
// comments: they read the note with their peer specialist, type their
// name, and may comment and mark it read.
import { api } from '../api.js';
import { h, clear, formatTime, details, labelOf } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { attachCoach } from '../language_coach.js';
import { breadcrumb } from './plan_common.js';
import { theirWords } from './plan_view.js';
import { typeLabel, whenText, minutesText, noteBadges, dueText, signedLine, localTime, timeAfter } from './contact_common.js';
import { LABELS } from './contact_form.js';
import { billingPanel } from './contact_billing.js';

// Draws the signed note. data: { person, ref, goals, contact }; opts:
// typed (restored addendum and comment text), restored, focus (an element
// id), onChanged(contact, message, focus) redraws after a change.
export function drawSigned(ctx, data, opts = {}) {
  const { person, ref, goals, contact: c } = data;
  const typed = opts.typed || {};
  const redraw = (next, message, focus) => {
    drawSigned(ctx, { ...data, contact: next }, { focus });
    if (message) ctx.announce(message);
  };

  const start = new Date(c.started_at);
  const from = localTime(start);
  const words = (goalId) => {
    const g = goals.find((x) => x.id === goalId);
    return g ? g.words : null;
  };

  const facts = details([
    [LABELS.type, typeLabel(ref, c.type)],
    ['When', `${whenText(c)} to ${timeAfter(from, c.minutes)}`],
    ['Minutes', minutesText(c.minutes)],
    [LABELS.setting, c.setting ? labelOf(ref.contact_settings, c.setting) : null],
    [LABELS.location, c.location],
    [LABELS.program, c.program ? labelOf(ref.programs, c.program) : null],
    ['The person was at home', c.person_at_home ? 'Yes' : 'No'],
    ['Written together with the person', c.written_together ? 'Yes' : 'No'],
    ...(c.group ? [
      ['Group', h('a', { href: `#/groups/${c.group.group_id}/sessions/${c.group.session_id}`,
        text: `${c.group.name}${c.group.topic ? ` \u00b7 ${c.group.topic}` : ''}` })],
      ['Curriculum', labelOf(ref.group_curricula || [], c.group.curriculum)],
      ['People in the group', `${c.group.size}, with ${c.group.facilitators} ${c.group.facilitators === 1 ? 'facilitator' : 'facilitators'}`],
    ] : []),
  ]);

  const goalList = (c.goals || []).length
    ? h('ul', { class: 'note-goal-list' }, c.goals.map((g) => h('li', {},
      words(g.item_id) ? theirWords(words(g.item_id))
        : h('p', { class: 'muted', text: 'A goal that is no longer in the plan\u2019s newest version' }))))
    : h('p', { class: 'muted', text: 'No plan goal is linked to this note.' });

  const text = (title, value) => h('div', { class: 'note-text' },
    h('h3', { text: title }),
    value ? h('p', { class: 'note-text__body', text: value }) : h('p', { class: 'muted', text: 'Not recorded' }));

  const billing = billingPanel();
  billing.update({ minutes: c.minutes, billing: c.billing, fresh: true, saved: true, signed: true });

  const page = h('div', { class: 'page note-page' },
    breadcrumb(person),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'note-title', text: 'Contact note' }),
        h('p', { class: 'lead' }, 'With ', h('strong', { text: person.preferred_name }), ` \u00b7 ${typeLabel(ref, c.type)} \u00b7 ${whenText(c)}`),
        h('p', { class: 'note-standing' }, noteBadges(c)),
        h('p', { class: 'note-signed-line', text: signedLine(c) }),
        h('p', { class: 'muted note-due', text: `${dueText(c, ref.time_zone)}.${c.late ? ' It was signed after that, so it is marked late.' : ''}` }))),
    opts.restored ? h('div', { class: 'notice notice--info', id: 'restored-notice' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })) : null,
    h('p', { class: 'notice note-frozen', text: 'This note is signed, so it does not change. Add an addendum below to correct or add to it.' }),
    h('p', { class: 'page__actions' }, h('a', { class: 'button button--secondary', id: 'note-raise-concern', href: `#/contacts/${c.id}/safety-concerns/new`, text: 'Raise a safety concern' })),
    h('section', { class: 'card', 'aria-labelledby': 'note-contact-title' },
      h('h2', { id: 'note-contact-title', text: 'The contact' }),
      facts),
    h('section', { class: 'card', 'aria-labelledby': 'note-goals-title' },
      h('h2', { id: 'note-goals-title', text: LABELS.goals }),
      goalList),
    h('section', { class: 'card', 'aria-labelledby': 'note-words-title' },
      h('h2', { id: 'note-words-title', text: 'The note' }),
      text(LABELS.intervention, c.intervention),
      text(LABELS.response, c.response),
      text(LABELS.next_steps, c.next_steps)),
    billing.el,
    c.cosign_required ? cosignSection(ctx, c, redraw) : null,
    addendaSection(ctx, c, typed.addendum, redraw),
    commentsSection(ctx, c, typed.comment, redraw),
    h('p', { class: 'muted record-meta', text: `Contact recorded ${formatTime(c.created_at)}; last changed ${formatTime(c.updated_at)}.` }));

  clear(ctx.main);
  ctx.main.append(page);
  const addendum = page.querySelector('#addendum-body');
  const name = page.querySelector('#comment-name');
  const comment = page.querySelector('#comment-body');
  const ack = page.querySelector('#comment-ack');
  const values = () => ({
    addendum: addendum.value,
    comment: { name: name.value, body: comment.value, ack: ack.checked },
  });
  ctx.setView({
    snapshot: () => ({ kind: 'contact-signed', id: c.id, values: values() }),
    isDirty: () => {
      const v = values();
      return !!(v.addendum.trim() || v.comment.name.trim() || v.comment.body.trim() || v.comment.ack);
    },
  });
  if (opts.focus) {
    const target = document.getElementById(opts.focus);
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
      ctx.focused = true;
    }
  }
}

function cosignSection(ctx, c, redraw) {
  const done = !!c.cosigned_at;
  const mayCosign = !done && ctx.me && ctx.me.role === 'supervisor';
  const button = mayCosign ? h('button', { type: 'button', class: 'button', text: 'Co-sign this note' }) : null;
  const problem = h('div', { class: 'note-cosign__problem' });
  if (button) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      clear(problem);
      try {
        const r = await api.post(`/api/v1/contacts/${c.id}/sign`, { as: 'cosigner' }, { ifMatch: c.version });
        if (ctx.stale()) return;
        redraw(r.json, 'Note co-signed.', 'note-cosign-title');
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        button.disabled = false;
        const p = err.problem || {};
        problem.append(h('div', { class: 'error-summary rule-problem', role: 'alert' },
          h('h3', { class: 'error-summary__title', text: 'The note was not co-signed' }),
          h('p', { text: err.status === 412 ? 'Someone changed this note since it was loaded. Reload the page, then try again.'
            : (err.errors[0] && err.errors[0].message) || problemText(err) }),
          p.rule ? h('p', { class: 'rule-problem__rule' }, h('strong', { text: 'Rule: ' }), h('cite', { text: p.rule })) : null));
      }
    });
  }
  return h('section', { class: 'card note-cosign', 'aria-labelledby': 'note-cosign-title' },
    h('h2', { id: 'note-cosign-title', text: 'Co-signature' }),
    h('p', { text: done
      ? `Co-signed ${formatTime(c.cosigned_at)}${c.cosigner_name ? ` by ${c.cosigner_name}` : ''}.`
      : `This note needs a supervisor\u2019s co-signature${c.cosign_due_at ? `, by ${formatTime(c.cosign_due_at)}` : ''}.` }),
    problem,
    button);
}

function addendaSection(ctx, c, typed, redraw) {
  const body = field({ id: 'addendum-body', name: 'body', label: 'The addendum', type: 'textarea', rows: 4, maxlength: 4000,
    value: typed || '', hint: 'It is kept beside the signed note, with your name and the time. The note itself does not change.' });
  attachCoach(body.control);
  const form = h('form', { class: 'form note-addendum-form', novalidate: true, 'aria-labelledby': 'addendum-form-title' },
    h('h3', { id: 'addendum-form-title', text: 'Add an addendum' }),
    body.wrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Add the addendum' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true);
    try {
      const r = await api.post(`/api/v1/contacts/${c.id}/addenda`, { body: body.control.value.trim() || null });
      if (ctx.stale()) return;
      redraw(r.json, 'Addendum added.', 'note-addenda-title');
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (name === 'body' ? { control: body.control, label: 'The addendum' } : null),
          { title: 'The addendum was not added' });
      } else {
        showFormProblem(form, 'The addendum was not added', problemText(err));
      }
    }
  });
  const list = (c.addenda || []).length
    ? h('ol', { class: 'note-entries' }, c.addenda.map((a) => h('li', { class: 'note-entry' },
      h('p', { class: 'note-entry__body', text: a.body || '' }),
      h('p', { class: 'note-entry__meta muted', text: `Added ${formatTime(a.created_at)}${a.author_name ? ` by ${a.author_name}` : ''}` }))))
    : h('p', { class: 'muted', text: 'No addenda.' });
  return h('section', { class: 'card note-addenda', 'aria-labelledby': 'note-addenda-title' },
    h('h2', { id: 'note-addenda-title', text: 'Addenda' }),
    list,
    form);
}

function commentsSection(ctx, c, typed = {}, redraw) {
  const name = field({ id: 'comment-name', name: 'typed_name', label: 'Their name, typed by them', required: true, maxlength: 100,
    value: typed.name || '', hint: 'Read the note together, then hand the device to the person: they type their own name.' });
  name.control.removeAttribute('spellcheck');
  name.control.setAttribute('autocomplete', 'off');
  // The person's own words are theirs: no language coach here.
  const body = field({ id: 'comment-body', name: 'body', label: 'Their comment, in their words (optional)', type: 'textarea', rows: 3,
    maxlength: 4000, value: typed.body || '' });
  body.wrap.classList.add('field--words');
  const ack = h('input', { type: 'checkbox', id: 'comment-ack', name: 'acknowledged' });
  ack.checked = !!typed.ack;
  ack.dataset.label = 'I have read this note';
  const ackWrap = h('div', { class: 'field field--check' },
    h('p', { class: 'field__error', id: 'comment-ack-error', hidden: true }),
    h('div', { class: 'check' }, ack, h('label', { for: 'comment-ack', text: 'I have read this note' })));
  const form = h('form', { class: 'form note-comment-form', novalidate: true, 'aria-labelledby': 'comment-form-title' },
    h('h3', { id: 'comment-form-title', text: 'The person\u2019s comment' }),
    name.wrap, body.wrap, ackWrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Save their comment' })));
  const resolve = (f) => ({
    typed_name: { control: name.control, label: 'Their name' },
    body: { control: body.control, label: 'Their comment' },
    acknowledged: { control: ack, label: 'I have read this note' },
  }[f] || null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const payload = { typed_name: name.control.value.trim() || null, acknowledged: ack.checked };
    if (body.control.value.trim()) payload.body = body.control.value.trim();
    busy(form, true);
    try {
      const r = await api.post(`/api/v1/contacts/${c.id}/comments`, payload);
      if (ctx.stale()) return;
      redraw(r.json, ack.checked ? 'Their comment is saved, with their acknowledgement.' : 'Their comment is saved.', 'note-comments-title');
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: 'Their comment was not saved' });
      } else {
        showFormProblem(form, 'Their comment was not saved', problemText(err));
      }
    }
  });
  const list = (c.comments || []).length
    ? h('ol', { class: 'note-entries' }, c.comments.map((x) => h('li', { class: 'note-entry' },
      x.body ? theirWords(x.body) : null,
      x.acknowledged ? h('p', { class: 'note-entry__ack' }, h('span', { class: 'badge badge--note-signed', text: 'Read and acknowledged' })) : null,
      h('p', { class: 'note-entry__meta muted', text: `${x.typed_name || 'Unnamed'}, ${formatTime(x.created_at)}${x.from_portal ? ', from their own portal' : ''}` }))))
    : h('p', { class: 'muted', text: 'No comments from the person yet.' });
  return h('section', { class: 'card note-comments', 'aria-labelledby': 'note-comments-title' },
    h('h2', { id: 'note-comments-title', text: 'The person\u2019s comments' }),
    h('p', { class: 'field__hint', text: 'The person may read this note with you, add their own comment and say they have read it.' }),
    list,
    form);
}
