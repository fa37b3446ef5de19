// The form for a contact's note, built to be quick on a phone: the kind of
// contact, when (date, start time, and either how long or the end time:
// each keeps the other in step), where, the program, the person's plan
// goals in their own words, what was done together, how the person
// responded, next steps, whether it was written with the person, and the
// author's credential. Times are typed in the browser's time zone and
// sent as UTC.
//
// buildNoteForm() returns { el, read(), resolve(field), check(), focusFirst() }:
// read() gives the form's values (strings and booleans, see
// valuesFromContact), resolve() turns a server field name ("goals[0]",
// "ended_at") into the control to mark and its label.
import { h } from '../dom.js';
import { field, options } from '../forms.js';
import { attachCoach } from '../language_coach.js';
import { theirWords } from './plan_view.js';
import { ELEMENT_LABELS, CLOSED_GOALS, localDate, localTime, fromLocal, minutesBetweenTimes, timeAfter } from './contact_common.js';

export const DEFAULT_MINUTES = 30;

export const LABELS = {
  type: 'Kind of contact',
  date: 'Date',
  start: 'Started at',
  duration: 'How long, in minutes',
  end: 'Ended at',
  setting: 'Setting',
  location: ELEMENT_LABELS.location,
  program: 'Program',
  person_at_home: 'The person was at home',
  goals: ELEMENT_LABELS.goals,
  intervention: ELEMENT_LABELS.intervention,
  response: ELEMENT_LABELS.response,
  next_steps: ELEMENT_LABELS.next_steps,
  written_together: 'We wrote this note together with the person',
  credential: 'Your credential',
};

// The fields whose values decide the billing (the rest only the note).
export const BILLING_KEYS = ['type', 'started_at', 'ended_at', 'setting', 'program', 'person_at_home', 'goals'];

// A new note's values: an individual contact that ended now and lasted
// the default length.
export function defaultValues(now = new Date()) {
  const end = new Date(Math.floor(now.getTime() / 60000) * 60000);
  const start = new Date(end.getTime() - DEFAULT_MINUTES * 60000);
  return {
    type: 'individual',
    date: localDate(start),
    start: localTime(start),
    duration: String(DEFAULT_MINUTES),
    end: localTime(end),
    setting: '',
    location: '',
    program: '',
    person_at_home: false,
    goals: [],
    intervention: '',
    response: '',
    next_steps: '',
    written_together: false,
    credential: '',
  };
}

// The form's values for a saved contact.
export function valuesFromContact(c) {
  const start = new Date(c.started_at);
  const minutes = Number.isInteger(c.minutes) && c.minutes > 0 ? c.minutes
    : Math.round((Date.parse(c.ended_at) - start.getTime()) / 60000);
  return {
    type: c.type || '',
    date: localDate(start),
    start: localTime(start),
    duration: String(minutes),
    end: timeAfter(localTime(start), minutes),
    setting: c.setting || '',
    location: c.location || '',
    program: c.program || '',
    person_at_home: !!c.person_at_home,
    goals: (c.goals || []).map((g) => g.item_id),
    intervention: c.intervention || '',
    response: c.response || '',
    next_steps: c.next_steps || '',
    written_together: !!c.written_together,
    credential: c.credential || '',
  };
}

const textOrNull = (s) => {
  const t = String(s || '').trim();
  return t === '' ? null : t;
};

// The minutes the form says, or null when they are not a whole number
// from 1 to 1440.
export function formMinutes(v) {
  const s = String(v.duration || '').trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 1440 ? n : null;
}

// The body the API takes for values, and the problems with the times that
// stop them being sent: { body, errors: [{ field, message }] }. The body
// leaves the times out when they are not whole.
export function toBody(v) {
  const errors = [];
  const body = {
    type: v.type,
    setting: v.setting || null,
    location: textOrNull(v.location),
    program: v.program || null,
    person_at_home: !!v.person_at_home,
    goals: [...v.goals],
    intervention: textOrNull(v.intervention),
    response: textOrNull(v.response),
    next_steps: textOrNull(v.next_steps),
    written_together: !!v.written_together,
    credential: textOrNull(v.credential),
  };
  const start = fromLocal(v.date, v.start);
  const minutes = formMinutes(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date || '')) errors.push({ field: 'date', message: 'is needed: the day the contact happened' });
  if (!/^\d{2}:\d{2}$/.test(v.start || '')) errors.push({ field: 'start', message: 'is needed: the time the contact started' });
  if (minutes === null) errors.push({ field: 'duration', message: 'must be a whole number of minutes from 1 to 1440' });
  if (start && minutes !== null) {
    body.started_at = start.toISOString();
    body.ended_at = new Date(start.getTime() + minutes * 60000).toISOString();
  }
  return { body, errors };
}

// The keys of b whose values differ from a.
export function changedKeys(a, b) {
  return Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

function checkField(id, label, checked, hint) {
  const control = h('input', { type: 'checkbox', id, name: id });
  control.checked = !!checked;
  control.dataset.label = label;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  const wrap = h('div', { class: 'field field--check' },
    h('p', { class: 'field__error', id: `${id}-error`, hidden: true }),
    h('div', { class: 'check' }, control, h('label', { for: id, text: label })),
    hint ? h('p', { class: 'field__hint', id: hintId, text: hint }) : null);
  return { wrap, control };
}

// Builds the form's fields. opts: ref (/api/v1/reference), goals (from
// loadGoals), person, values (starting values), prefix (for ids).
export function buildNoteForm({ ref, goals, person, values, prefix = 'note' }) {
  const v = values;
  const id = (k) => `${prefix}-${k}`;
  const f = {};
  f.type = field({ id: id('type'), name: 'type', label: LABELS.type, type: 'select',
    options: options(ref.contact_types), value: v.type, required: true });
  f.date = field({ id: id('date'), name: 'date', label: LABELS.date, type: 'date', width: 'date', value: v.date, required: true });
  f.start = field({ id: id('start'), name: 'start', label: LABELS.start, type: 'time', value: v.start, required: true });
  f.duration = field({ id: id('duration'), name: 'duration', label: LABELS.duration, type: 'number', inputmode: 'numeric',
    value: v.duration, required: true });
  f.duration.control.setAttribute('min', '1');
  f.duration.control.setAttribute('max', '1440');
  f.duration.control.setAttribute('step', '1');
  f.end = field({ id: id('end'), name: 'end', label: LABELS.end, type: 'time', value: v.end,
    hint: 'Or type when it ended: the minutes follow.' });
  for (const k of ['start', 'end']) f[k].control.classList.add('input--time');
  f.duration.control.classList.add('input--minutes');
  f.setting = field({ id: id('setting'), name: 'setting', label: LABELS.setting, type: 'select',
    options: options(ref.contact_settings, { blank: 'Not chosen' }), value: v.setting });
  f.location = field({ id: id('location'), name: 'location', label: LABELS.location, maxlength: 200, value: v.location,
    hint: 'A place name is enough, for example \u201cthe library on Main Street\u201d.' });
  f.location.control.removeAttribute('spellcheck');
  f.program = field({ id: id('program'), name: 'program', label: LABELS.program, type: 'select',
    options: options(ref.programs, { blank: 'Not chosen' }), value: v.program,
    hint: 'The program decides the billing modifier.' });
  f.person_at_home = checkField(id('at-home'), LABELS.person_at_home, v.person_at_home,
    'For a phone or video contact this decides the place of service.');

  // The person's plan goals, in their words.
  const linked = new Set(v.goals);
  const shown = goals.filter((g) => !CLOSED_GOALS.has(g.lifecycle_status) || linked.has(g.id));
  for (const gid of linked) {
    if (!shown.some((g) => g.id === gid)) shown.push({ id: gid, words: null });
  }
  const goalBoxes = shown.map((g, i) => {
    const cid = id(`goal-${i + 1}`);
    const c = h('input', { type: 'checkbox', id: cid, name: 'goals', value: g.id });
    c.checked = linked.has(g.id);
    c.dataset.label = LABELS.goals;
    return { c, row: h('div', { class: 'check note-goal' }, c,
      h('label', { for: cid }, g.words ? theirWords(g.words, 'span')
        : h('span', { class: 'muted', text: 'A goal that is no longer in the plan\u2019s newest version' }))) };
  });
  const goalHintId = id('goals-hint');
  for (const { c } of goalBoxes) c.setAttribute('aria-describedby', goalHintId);
  const goalsField = h('div', { class: 'field field--codes note-goals', data: { field: 'goals' } },
    h('fieldset', { class: 'checks' },
      h('legend', { class: 'field__label', text: LABELS.goals }),
      h('p', { class: 'field__hint', id: goalHintId, text: goalBoxes.length
        ? 'From the person\u2019s recovery plan. A billable note names at least one goal.'
        : 'The person has no recovery plan goals yet. A billable note names a goal from their plan.' }),
      h('p', { class: 'field__error', id: id('goals-error'), hidden: true }),
      goalBoxes.length ? h('div', { class: 'note-goals__items' }, goalBoxes.map((x) => x.row))
        : h('p', {}, h('a', { href: `#/people/${person.id}`, text: 'Go to their plans' }))));

  const text = (k, hint) => {
    const x = field({ id: id(k.replace(/_/g, '-')), name: k, label: LABELS[k], type: 'textarea', rows: 4, maxlength: 4000, value: v[k], hint });
    // What staff write is coached (the person's own words are theirs).
    attachCoach(x.control);
    return x;
  };
  f.intervention = text('intervention', 'What you did with the person, and why.');
  f.response = text('response', 'In everyday words: what they said, did or decided, and how it moves them toward their goals.');
  f.next_steps = text('next_steps', 'What happens next, and who does it.');
  f.written_together = checkField(id('together'), LABELS.written_together, v.written_together);
  f.credential = field({ id: id('credential'), name: 'credential', label: LABELS.credential, maxlength: 60, width: 'medium',
    value: v.credential, hint: 'For example CPRS or CPS.' });
  f.credential.control.removeAttribute('spellcheck');

  // The duration and the end time keep each other in step.
  const syncEnd = () => {
    const m = formMinutes({ duration: f.duration.control.value });
    if (m !== null && f.start.control.value) f.end.control.value = timeAfter(f.start.control.value, m);
  };
  f.start.control.addEventListener('input', syncEnd);
  f.duration.control.addEventListener('input', syncEnd);
  f.end.control.addEventListener('input', () => {
    const m = minutesBetweenTimes(f.start.control.value, f.end.control.value);
    if (m !== null) f.duration.control.value = String(m);
  });

  const when = h('fieldset', { class: 'fieldset note-part' },
    h('legend', { text: 'The contact' }),
    f.type.wrap,
    h('div', { class: 'note-when' }, f.date.wrap, f.start.wrap, f.duration.wrap, f.end.wrap),
    h('div', { class: 'note-where' }, f.setting.wrap, f.program.wrap),
    f.location.wrap,
    f.person_at_home.wrap);
  const goalsPart = h('div', { class: 'fieldset note-part' }, goalsField);
  const words = h('fieldset', { class: 'fieldset note-part' },
    h('legend', { text: 'The note' }),
    f.intervention.wrap, f.response.wrap, f.next_steps.wrap,
    f.written_together.wrap,
    f.credential.wrap);

  function read() {
    return {
      type: f.type.control.value,
      date: f.date.control.value,
      start: f.start.control.value,
      duration: f.duration.control.value,
      end: f.end.control.value,
      setting: f.setting.control.value,
      location: f.location.control.value,
      program: f.program.control.value,
      person_at_home: f.person_at_home.control.checked,
      goals: goalBoxes.filter((x) => x.c.checked).map((x) => x.c.value),
      intervention: f.intervention.control.value,
      response: f.response.control.value,
      next_steps: f.next_steps.control.value,
      written_together: f.written_together.control.checked,
      credential: f.credential.control.value,
    };
  }

  function resolve(name) {
    const key = String(name || '');
    const goal = /^goals(?:\[(\d+)\])?$/.exec(key);
    if (goal) {
      if (!goalBoxes.length) return { label: LABELS.goals };
      const sent = goalBoxes.filter((x) => x.c.checked);
      const hit = goal[1] !== undefined && sent[Number(goal[1])];
      return { control: (hit || goalBoxes[0]).c, label: LABELS.goals };
    }
    const map = { started_at: 'start', ended_at: 'end', minutes: 'duration' };
    const k = map[key] || key;
    return f[k] ? { control: f[k].control, label: LABELS[k] } : null;
  }

  return {
    el: [when, goalsPart, words],
    fields: f,
    read,
    resolve,
    focusFirst: () => f.type.control.focus(),
  };
}
