// Safety concerns: raising one (from the person's page or a signed note,
// one short form and one button), and the concern's own page: where it
// stands, what was said or seen, the person's crisis plan in force (what
// helps, who to call, what to avoid), every step with its time and who
// took it, and, for the team's supervisors, acknowledging and closing it.
// See docs/safety.md.
import { api } from '../api.js';
import { h, clear, formatTime } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { breadcrumb, fieldAt, valueAt, isEmpty, itemTitle, phoneLink, kindOf } from './plan_common.js';
import { refreshUnread } from './notifications.js';

export const KIND_LABELS = {
  self: 'Serious harm to themselves',
  others: 'Serious harm to someone else',
};

const STATUS_TEXT = {
  raised: 'Waiting for a supervisor',
  escalated: 'Passed on: waiting for a supervisor',
  acknowledged: 'A supervisor is on it',
  closed: 'Closed',
};

const ACTION_LABELS = {
  raised: 'Raised the concern',
  acknowledged: 'Acknowledged',
  escalated: 'Passed on to more supervisors and the administrator: nobody had acknowledged it yet',
  closed: 'Closed',
  contacted_person: 'Spoke with the person',
  followed_crisis_plan: 'Followed the person\u2019s crisis plan',
  contacted_supporter: 'Contacted someone the person named',
  called_crisis_line: 'Called the crisis line',
  other: 'Something else',
};

const STEP_CHOICES = ['contacted_person', 'followed_crisis_plan', 'contacted_supporter', 'called_crisis_line', 'other'];

function raiseForm(ctx, person, contactId) {
  const kind = field({ id: 'concern-kind', name: 'kind', label: 'What is the concern about?', type: 'select', required: true,
    options: [{ value: '', label: 'Choose one' }, { value: 'self', label: KIND_LABELS.self }, { value: 'others', label: KIND_LABELS.others }] });
  const what = field({ id: 'concern-what', name: 'what', label: 'What was said or seen', type: 'textarea', rows: 5, maxlength: 4000,
    required: true, hint: 'In plain words, as close to what was said as you can. Their supervisors read this first.' });
  const form = h('form', { class: 'form safety-raise', novalidate: true, 'aria-labelledby': 'raise-title' },
    kind.wrap, what.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', id: 'raise-submit', text: 'Raise the concern' }),
      h('a', { class: 'button button--secondary', href: contactId ? `#/contacts/${contactId}` : `#/people/${person.id}`, text: 'Cancel' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true);
    try {
      const body = { person_id: person.id, kind: kind.control.value || null, what: what.control.value.trim() || null };
      if (contactId) body.contact_id = contactId;
      const r = await api.post('/api/v1/safety-concerns', body);
      if (ctx.stale()) return;
      ctx.navigate(`#/safety-concerns/${r.json.id}`, { flash: 'Concern raised. The team\u2019s supervisors have been told.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        const controls = { kind: kind.control, what: what.control };
        showErrors(form, err.errors, (name) => (controls[name] ? { control: controls[name], label: controls[name].dataset.label } : null),
          { title: 'The concern was not raised yet' });
      } else {
        showFormProblem(form, 'The concern was not raised yet', problemText(err));
      }
    }
  });
  return { form, values: () => ({ kind: kind.control.value, what: what.control.value }), kind, what };
}

async function drawRaise(ctx, person, contactId) {
  const f = raiseForm(ctx, person, contactId);
  const d = ctx.draft && ctx.draft.kind === 'safety-raise' ? ctx.draft.values : null;
  if (d) {
    f.kind.control.value = d.kind || '';
    f.what.control.value = d.what || '';
  }
  const page = h('div', { class: 'page page--narrow' },
    breadcrumb(person),
    h('h1', { id: 'raise-title', text: 'Raise a safety concern' }),
    h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }),
      contactId ? ', from a note.' : '.'),
    h('p', { text: 'Use this when the person has said or shown that they mean to seriously hurt themselves or someone else. The supervisors of their team are told straight away, and one of them will answer.' }),
    h('p', { class: 'notice', text: 'If someone may be hurt right now, call 988 or 911 first, then come back to this.' }),
    f.form);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'safety-raise', values: f.values() }),
    isDirty: () => !!f.values().what.trim(),
  });
}

export async function renderNew(ctx, personId) {
  const r = await api.get(`/api/v1/people/${personId}`);
  if (ctx.stale()) return;
  await drawRaise(ctx, r.json, null);
}

export async function renderFromNote(ctx, contactId) {
  const c = await api.get(`/api/v1/contacts/${contactId}`);
  if (ctx.stale()) return;
  const p = await api.get(`/api/v1/people/${c.json.person_id}`);
  if (ctx.stale()) return;
  await drawRaise(ctx, p.json, contactId);
}

// The crisis plan's card parts (what helps, who to call, what to avoid),
// from the plan kind's card in data/plan-kinds.json.
function crisisPlanSection(kinds, plan) {
  const title = h('h2', { id: 'concern-plan-title', text: 'Their crisis plan' });
  if (!plan) {
    return h('section', { class: 'card', 'aria-labelledby': 'concern-plan-title' }, title,
      h('p', { text: 'There is no signed crisis plan for this person yet. Ask them what helps when you speak with them.' }));
  }
  const kind = kindOf(kinds, plan.kind);
  const content = plan.content || {};
  const parts = (kind && kind.card ? kind.card : []).map((c) => {
    const f = fieldAt(kind.fields, c.from);
    const list = (valueAt(content, c.from) || []).filter((x) => !isEmpty(x));
    return { label: c.label, item: f && f.item, list };
  }).filter((s) => s.list.length);
  const entry = (item, x) => (item && item.type === 'object'
    ? h('li', {}, h('span', { class: 'crisis-card__name', text: itemTitle(item, x) || '' }), x.phone ? [' ', phoneLink(x.phone)] : null)
    : h('li', { text: String(x) }));
  return h('section', { class: 'card safety-plan', 'aria-labelledby': 'concern-plan-title' }, title,
    h('p', { class: 'muted', text: `${kind ? kind.label : plan.kind}, version ${plan.version}, signed and in force.` }),
    parts.length ? parts.map((s) => h('div', { class: 'safety-plan__part' },
      h('h3', { text: s.label }),
      h('ul', {}, s.list.map((x) => entry(s.item, x)))))
      : h('p', { text: 'The plan does not say yet what helps or who to call.' }),
    h('p', {}, h('a', { class: 'button button--secondary', href: `#/plans/${plan.id}/card`, text: 'Open the crisis card' })));
}

function stepsSection(c) {
  return h('section', { class: 'card', 'aria-labelledby': 'concern-steps-title' },
    h('h2', { id: 'concern-steps-title', text: 'What has been done' }),
    h('ol', { class: 'note-entries safety-steps' }, (c.steps || []).map((s) => h('li', { class: 'note-entry' },
      h('p', { class: 'note-entry__body' }, h('strong', { text: ACTION_LABELS[s.action] || s.action })),
      s.note ? h('p', { class: 'note-entry__body', text: s.note }) : null,
      h('p', { class: 'note-entry__meta muted', text: `${formatTime(s.at)} \u00b7 ${s.actor_name || 'Alongside, automatically'}` })))));
}

function postForm(ctx, { id, title, fields, submit, path, body, done, failTitle }) {
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title`, text: title }),
    fields.map((f) => f.wrap),
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', id: `${id}-submit`, text: submit })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true);
    try {
      const r = await api.post(path, body());
      if (ctx.stale()) return;
      done(r.json);
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => {
          const f = fields.find((x) => x.control.name === name);
          return f ? { control: f.control, label: f.control.dataset.label } : null;
        }, { title: failTitle });
      } else {
        showFormProblem(form, failTitle, problemText(err));
      }
    }
  });
  return form;
}

function draw(ctx, c, kinds, message, focus) {
  const redraw = (next, msg, f) => draw(ctx, next, kinds, msg, f);
  const supervisor = ctx.me && ctx.me.role === 'supervisor';
  const open = c.status !== 'closed';
  const waiting = c.status === 'raised' || c.status === 'escalated';
  const problem = h('div', {});
  let ack = null;
  if (supervisor && waiting) {
    ack = h('button', { type: 'button', class: 'button', id: 'concern-acknowledge', text: 'Acknowledge: I am on it' });
    ack.addEventListener('click', async () => {
      ack.disabled = true;
      clear(problem);
      try {
        const r = await api.post(`/api/v1/safety-concerns/${c.id}/acknowledge`);
        if (ctx.stale()) return;
        refreshUnread();
        redraw(r.json, 'Concern acknowledged.', 'concern-status');
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        ack.disabled = false;
        problem.append(h('div', { class: 'error-summary', role: 'alert' },
          h('h3', { class: 'error-summary__title', text: 'It was not acknowledged' }),
          h('p', { text: err.status === 409 ? 'Someone has answered it already. Reload the page to see who.' : problemText(err) })));
      }
    });
  }
  const action = field({ id: 'step-action', name: 'action', label: 'What was done', type: 'select', required: true,
    options: [{ value: '', label: 'Choose one' }, ...STEP_CHOICES.map((a) => ({ value: a, label: ACTION_LABELS[a] }))] });
  const note = field({ id: 'step-note', name: 'note', label: 'A short note (needed for \u201csomething else\u201d)', type: 'textarea', rows: 3, maxlength: 2000 });
  const outcome = field({ id: 'close-outcome', name: 'outcome', label: 'How it ended', type: 'textarea', rows: 3, maxlength: 2000, required: true,
    hint: 'For example: safe with a friend tonight; seeing their peer specialist tomorrow.' });

  const page = h('div', { class: 'page safety-page' },
    breadcrumb({ id: c.person_id, preferred_name: c.person_name }),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'concern-title', text: 'Safety concern' }),
        h('p', { class: 'lead' }, 'For ', h('strong', { text: c.person_name }), ` \u00b7 ${KIND_LABELS[c.kind] || c.kind}`),
        h('p', { class: `safety-status safety-status--${c.status}`, id: 'concern-status', tabindex: '-1', text: STATUS_TEXT[c.status] || c.status }))),
    h('section', { class: 'card', 'aria-labelledby': 'concern-what-title' },
      h('h2', { id: 'concern-what-title', text: 'What was said or seen' }),
      h('p', { class: 'note-text__body', id: 'concern-what', text: c.what }),
      h('p', { class: 'muted', text: `Raised ${formatTime(c.raised_at)} by ${c.raised_by_name}${c.contact_id ? ', from a note' : ''}.` }),
      c.contact_id ? h('p', {}, h('a', { href: `#/contacts/${c.contact_id}`, text: 'Open the note' })) : null,
      c.acknowledged_at ? h('p', { text: `Acknowledged ${formatTime(c.acknowledged_at)} by ${c.acknowledged_by_name}.` })
        : waiting ? h('p', { text: c.status === 'escalated'
          ? `Nobody had acknowledged it by ${formatTime(c.escalate_at)}, so every supervisor and the administrator were told.`
          : `If no supervisor acknowledges it by ${formatTime(c.escalate_at)}, it is passed on to more supervisors and the administrator.` }) : null,
      c.closed_at ? h('p', { text: `Closed ${formatTime(c.closed_at)} by ${c.closed_by_name}: ${c.outcome}` }) : null,
      problem, ack),
    crisisPlanSection(kinds, c.crisis_plan),
    stepsSection(c),
    open ? h('section', { class: 'card', 'aria-labelledby': 'step-form-title' },
      postForm(ctx, { id: 'step-form', title: 'Record a step', fields: [action, note], submit: 'Save the step',
        path: `/api/v1/safety-concerns/${c.id}/steps`,
        body: () => ({ action: action.control.value || null, note: note.control.value.trim() || null }),
        done: (next) => redraw(next, 'Step recorded.', 'concern-steps-title'),
        failTitle: 'The step was not saved' })) : null,
    open && supervisor ? h('section', { class: 'card', 'aria-labelledby': 'close-form-title' },
      postForm(ctx, { id: 'close-form', title: 'Close the concern', fields: [outcome], submit: 'Close it',
        path: `/api/v1/safety-concerns/${c.id}/close`,
        body: () => ({ outcome: outcome.control.value.trim() || null }),
        done: (next) => redraw(next, 'Concern closed.', 'concern-status'),
        failTitle: 'The concern was not closed' })) : null);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => null,
    isDirty: () => !!(note.control.value.trim() || outcome.control.value.trim()),
  });
  if (message) ctx.announce(message);
  if (focus) {
    const t = document.getElementById(focus);
    if (t) {
      if (!t.hasAttribute('tabindex')) t.setAttribute('tabindex', '-1');
      t.focus();
      ctx.focused = true;
    }
  }
}

export async function render(ctx, id) {
  const [r, kinds] = await Promise.all([api.get(`/api/v1/safety-concerns/${id}`), ctx.planKinds()]);
  if (ctx.stale()) return;
  draw(ctx, r.json, kinds);
  refreshUnread();
}
