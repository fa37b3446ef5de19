// A group session, documented once (#/groups/{id}/sessions/new and
// #/groups/{id}/sessions/{sid}): when it was, its topic, where, who led
// it, one shared account of what the group did (it goes word for word
// into the note of everyone who came, so it names no one), then a card
// for each person on the attendance list: whether they came and, if they
// did, how they took part, their next steps and the goals of their own
// recovery plan it worked on, with the units, modifiers and billability
// of their note worked out live by the server and what their note still
// lacks. Signing signs a note into the record of each person who came.
//
// Saving works as a contact's note does (contact_note.js): a new session
// is saved on purpose ("Save draft" or "Sign for everyone who came"); a
// draft then saves each change a moment after it is made (on leaving a
// text field, at once for choices), sending only what changed, with
// If-Match; a 412 says someone else saved first and stops saving.
import { api } from '../api.js';
import { h, clear, formatTime, labelOf, details, plural } from '../dom.js';
import { field, options, showErrors, showFormProblem, clearErrors, problemText } from '../forms.js';
import { attachCoach } from '../language_coach.js';
import { theirWords } from './plan_view.js';
import { localDate, localTime, fromLocal, minutesBetweenTimes, loadGoals, CLOSED_GOALS, minutesText, unitsText,
  previewUnits } from './contact_common.js';
import { changedKeys } from './contact_form.js';
import { groupsBreadcrumb, curriculumOf, sessionBadge, cameText, renderGroupNotFound } from './group_common.js';

const AUTOSAVE_MS = 500;
export const DEFAULT_MINUTES = 60;

export const LABELS = {
  date: 'Date',
  start: 'Started at',
  end: 'Ended at',
  topic: 'Topic',
  setting: 'Setting',
  location: 'Where it happened',
  program: 'Program',
  facilitators: 'Who led it',
  credential: 'Your credential',
  narrative: 'What the group did together',
  attendance: 'Who came',
  present: 'Came',
  note: 'How they took part, in their words',
  next_steps: 'Next steps',
  goals: 'Plan goals this worked on',
};

// What the notes rules may find missing, in this screen's words.
const MISSING_WORDS = {
  location: 'where it happened',
  intervention: 'what the group did together',
  response: 'how they took part',
  next_steps: 'next steps',
  goals: 'a plan goal',
};
const SESSION_ELEMENTS = ['location', 'intervention'];

function wordList(codes) {
  const w = codes.map((c) => MISSING_WORDS[c] || c);
  if (w.length <= 1) return w[0] || '';
  return `${w.slice(0, -1).join(', ')} and ${w[w.length - 1]}`;
}

// A session created by "Sign for everyone who came" on a new session:
// signed as soon as its page is drawn.
let signOnArrival = null;

export function renderNew(ctx, groupId) {
  return load(ctx, groupId, null);
}

export function render(ctx, groupId, sessionId) {
  return load(ctx, groupId, sessionId);
}

// The people on the session's list: its attendance, and for a draft (or a
// new session) everyone on the group's roster not on it yet.
export function peopleOf(group, session) {
  const list = session ? session.attendance.map((a) => ({ person_id: a.person_id, name: a.name })) : [];
  if (!session || session.status === 'draft') {
    for (const m of group.members || []) {
      if (!list.some((p) => p.person_id === m.person_id)) list.push({ person_id: m.person_id, name: m.name });
    }
  }
  return list;
}

async function load(ctx, groupId, sessionId) {
  let group;
  let session = null;
  try {
    [group, session] = await Promise.all([
      api.get(`/api/v1/groups/${groupId}`).then((r) => r.json),
      sessionId ? api.get(`/api/v1/groups/${groupId}/sessions/${sessionId}`).then((r) => r.json) : null,
    ]);
  } catch (err) {
    if (err.status === 404 && !ctx.stale()) {
      renderGroupNotFound(ctx, sessionId ? 'Session' : 'Group');
      return;
    }
    throw err;
  }
  const quiet = (p, fallback) => p.catch((err) => {
    if (err.handled) throw err;
    return fallback;
  });
  const people = peopleOf(group, session);
  const signed = session && session.status === 'signed';
  const came = new Set(signed ? session.attendance.filter((a) => a.present).map((a) => a.person_id) : []);
  const [ref, staff, goals] = await Promise.all([
    ctx.reference(),
    quiet(ctx.staff(), []),
    // Each person's recovery plan goals, in their words (for a signed
    // session, only of the people who came).
    Promise.all(people.map((p) => (signed && !came.has(p.person_id) ? [] : quiet(loadGoals(p.person_id), null)))),
  ]);
  if (ctx.stale()) return;
  const goalsBy = new Map(people.map((p, i) => [p.person_id, goals[i]]));
  const data = { group, ref, staff, people, goalsBy, session };
  if (signed) {
    drawSigned(ctx, data);
    return;
  }
  const d = ctx.draft;
  const typed = d && ((!session && d.kind === 'group-session-new' && d.groupId === group.id)
    || (session && d.kind === 'group-session-draft' && d.id === session.id)) ? d.values : null;
  const view = drawDraft(ctx, data, { typed, restored: !!(typed && ctx.restored) });
  if (typed && ctx.restored) ctx.focused = true;
  if (session && signOnArrival === session.id) {
    signOnArrival = null;
    await view.sign();
  }
}

// --- values <-> the API ---------------------------------------------------

// A new session's values: it ended now and lasted an hour, at the group's
// place, led by the person writing it, with nobody marked as come yet.
export function defaultValues(group, people, me, now = new Date()) {
  const end = new Date(Math.floor(now.getTime() / 60000) * 60000);
  const start = new Date(end.getTime() - DEFAULT_MINUTES * 60000);
  return {
    date: localDate(start),
    start: localTime(start),
    end: localTime(end),
    topic: '',
    setting: group.setting || '',
    location: group.location || '',
    program: group.program || '',
    facilitators: me ? [me.id] : [],
    credential: '',
    narrative: '',
    attendance: people.map((p) => ({ person_id: p.person_id, present: false, note: '', next_steps: '', goals: [] })),
  };
}

// The form's values for a saved session (people: its list, see peopleOf).
export function valuesFromSession(s, people) {
  const start = new Date(s.started_at);
  return {
    date: localDate(start),
    start: localTime(start),
    end: localTime(new Date(s.ended_at)),
    topic: s.topic || '',
    setting: s.setting || '',
    location: s.location || '',
    program: s.program || '',
    facilitators: (s.facilitators || []).map((f) => f.staff_id),
    credential: s.credential || '',
    narrative: s.narrative || '',
    attendance: people.map((p) => {
      const a = (s.attendance || []).find((x) => x.person_id === p.person_id);
      return {
        person_id: p.person_id,
        present: !!(a && a.present),
        note: (a && a.note) || '',
        next_steps: (a && a.next_steps) || '',
        goals: a ? [...(a.goals || [])] : [],
      };
    }),
  };
}

const textOrNull = (s) => {
  const t = String(s || '').trim();
  return t === '' ? null : t;
};

// The session's minutes from the form's start and end times (past
// midnight when the end is earlier), or null.
export function formMinutes(v) {
  return minutesBetweenTimes(v.start, v.end);
}

// The body the API takes for values, and what stops the times being sent:
// { body, errors: [{ field, message }] }.
export function toBody(v) {
  const errors = [];
  const body = {
    topic: textOrNull(v.topic),
    setting: v.setting || null,
    location: textOrNull(v.location),
    program: v.program || null,
    facilitators: [...v.facilitators],
    credential: textOrNull(v.credential),
    narrative: textOrNull(v.narrative),
    attendance: v.attendance.map((a) => ({
      person_id: a.person_id,
      present: !!a.present,
      note: textOrNull(a.note),
      next_steps: textOrNull(a.next_steps),
      goals: [...a.goals],
    })),
  };
  const start = fromLocal(v.date, v.start);
  const minutes = formMinutes(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date || '')) errors.push({ field: 'date', message: 'is needed: the day the group met' });
  if (!/^\d{2}:\d{2}$/.test(v.start || '')) errors.push({ field: 'start', message: 'is needed: the time the group started' });
  else if (!/^\d{2}:\d{2}$/.test(v.end || '')) errors.push({ field: 'end', message: 'is needed: the time the group ended' });
  else if (minutes === null) errors.push({ field: 'end', message: 'must be later than the start' });
  if (start && minutes !== null) {
    body.started_at = start.toISOString();
    body.ended_at = new Date(start.getTime() + minutes * 60000).toISOString();
  }
  return { body, errors };
}

// --- building blocks --------------------------------------------------------

function checkField(id, label, checked, { name, value, hint } = {}) {
  const control = h('input', { type: 'checkbox', id, name: name || id, value });
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

// Checkboxes in a fieldset, with one error line for the lot.
// items: [{ value, label (node or text), checked }].
function checkGroup({ id, legend, hint, items, cls = '' }) {
  const hintId = hint ? `${id}-hint` : null;
  const boxes = items.map((it, i) => {
    const cid = `${id}-${i + 1}`;
    const c = h('input', { type: 'checkbox', id: cid, name: id, value: it.value });
    c.checked = !!it.checked;
    c.dataset.label = legend;
    if (hintId) c.setAttribute('aria-describedby', hintId);
    return { c, row: h('div', { class: 'check note-goal' }, c, h('label', { for: cid }, it.label)) };
  });
  const wrap = h('div', { class: `field field--codes ${cls}`.trim() },
    h('fieldset', { class: 'checks' },
      h('legend', { class: 'field__label', text: legend }),
      hint ? h('p', { class: 'field__hint', id: hintId, text: hint }) : null,
      h('p', { class: 'field__error', id: `${id}-error`, hidden: true }),
      h('div', { class: 'note-goals__items' }, boxes.map((b) => b.row))));
  return { wrap, boxes, checked: () => boxes.filter((b) => b.c.checked).map((b) => b.c.value) };
}

// The billing of one person's note: units, code, modifiers, billable and,
// when it is not, each reason with its rule.
function billingFacts(b) {
  return h('div', { class: 'group-person__billing-facts' },
    h('p', { class: 'group-person__units' },
      h('strong', { class: 'group-person__units-n', text: unitsText(b.units) }),
      b.billing_code ? ` \u00b7 ${b.billing_code}` : '',
      (b.modifiers || []).length ? [' \u00b7 modifiers ', h('span', { class: 'group-person__modifiers', text: b.modifiers.join(', ') })] : '',
      ' ',
      h('span', { class: `badge ${b.billable ? 'badge--note-billable' : 'badge--note-unbilled'}`, text: b.billable ? 'Billable' : 'Not billable' })),
    !b.billable && (b.not_billable || []).length
      ? h('ul', { class: 'group-person__reasons' }, b.not_billable.map((r) => h('li', {},
        h('span', { text: r.text }),
        r.rule ? [' ', h('span', { class: 'note-billing__rule' }, 'Rule: ', h('cite', { text: r.rule }))] : null)))
      : null);
}

// Colleagues who may lead a group of this team, the writer first, then
// anyone already leading it who is not on that list.
function facilitatorChoices(ctx, group, staff, current) {
  const out = [];
  const add = (id, name) => {
    if (id && !out.some((x) => x.id === id)) out.push({ id, name });
  };
  if (ctx.me) add(ctx.me.id, ctx.me.display_name);
  for (const s of staff) {
    if (s.disabled || !(s.teams || []).includes(group.team) || !['peer', 'supervisor'].includes(s.role)) continue;
    add(s.id, s.display_name);
  }
  for (const f of current || []) add(f.staff_id, f.name || 'A colleague');
  return out;
}

// --- the draft ----------------------------------------------------------------

function drawDraft(ctx, data, opts = {}) {
  const { group, ref, staff, people, goalsBy } = data;
  let session = data.session;
  const isNew = !session;
  const mine = isNew || (ctx.me && session.author_id === ctx.me.id);
  const cur = curriculumOf(ref, group.curriculum);
  const per = ref.group_size ? ref.group_size.max_attendees_per_facilitator : null;
  const opened = isNew ? defaultValues(group, people, ctx.me) : valuesFromSession(session, people);
  const v = opened;
  const t = opts.typed || null; // restored words, laid over what was opened
  const start = t || v;
  let savedBody = isNew ? null : toBody(opened).body;
  let halted = false;
  let timer = null;
  let chain = Promise.resolve();
  let sentOrder = people.map((p) => p.person_id);

  // --- the session's own fields -----------------------------------------
  const f = {};
  f.date = field({ id: 'gs-date', name: 'date', label: LABELS.date, type: 'date', width: 'date', value: start.date, required: true });
  f.start = field({ id: 'gs-start', name: 'start', label: LABELS.start, type: 'time', value: start.start, required: true });
  f.end = field({ id: 'gs-end', name: 'end', label: LABELS.end, type: 'time', value: start.end, required: true });
  for (const k of ['start', 'end']) f[k].control.classList.add('input--time');
  const minutesLine = h('p', { class: 'group-minutes', id: 'gs-minutes' });
  f.topic = field({ id: 'gs-topic', name: 'topic', label: LABELS.topic, maxlength: 200, value: start.topic,
    hint: cur && (cur.topics || []).length ? `Choose one of the ${cur.label} topics, or type your own.` : 'In a few words.' });
  f.topic.control.setAttribute('spellcheck', 'true');
  const topics = h('datalist', { id: 'gs-topics' }, ((cur && cur.topics) || []).map((x) => h('option', { value: x.label })));
  f.topic.control.setAttribute('list', 'gs-topics');
  f.topic.wrap.append(topics);
  f.setting = field({ id: 'gs-setting', name: 'setting', label: LABELS.setting, type: 'select',
    options: options(ref.contact_settings, { blank: 'Not chosen' }), value: start.setting });
  f.program = field({ id: 'gs-program', name: 'program', label: LABELS.program, type: 'select',
    options: options(ref.programs, { blank: 'Not chosen' }), value: start.program,
    hint: 'The program decides a billing modifier.' });
  f.location = field({ id: 'gs-location', name: 'location', label: LABELS.location, maxlength: 200, value: start.location,
    hint: 'A place name is enough, for example \u201cRoom 2 at the center\u201d.' });
  f.location.control.removeAttribute('spellcheck');
  const leaders = facilitatorChoices(ctx, group, staff, session && session.facilitators);
  const ledBy = new Set(start.facilitators);
  f.facilitators = checkGroup({ id: 'gs-facilitator', legend: LABELS.facilitators, cls: 'group-facilitators',
    hint: `${per ? `Up to ${per} people can come for each person leading it. ` : ''}${cur && cur.facilitation ? cur.facilitation : ''}`.trim() || null,
    items: leaders.map((x) => ({ value: x.id, label: x.id === (ctx.me && ctx.me.id) ? `${x.name} (you)` : x.name, checked: ledBy.has(x.id) })) });
  f.credential = field({ id: 'gs-credential', name: 'credential', label: LABELS.credential, maxlength: 60, width: 'medium',
    value: start.credential, hint: 'For example CPRS or CPS.' });
  f.credential.control.removeAttribute('spellcheck');
  f.narrative = field({ id: 'gs-narrative', name: 'narrative', label: LABELS.narrative, type: 'textarea', rows: 5, maxlength: 4000,
    value: start.narrative,
    hint: 'This goes word for word into the note of everyone who came. Describe what the group did together, and name no one.' });
  attachCoach(f.topic.control);
  attachCoach(f.narrative.control);

  // --- one card for each person on the list ------------------------------
  const cards = people.map((p, i) => {
    const a = start.attendance.find((x) => x.person_id === p.person_id)
      || { present: false, note: '', next_steps: '', goals: [] };
    const id = (k) => `gs-p${i + 1}-${k}`;
    const came = checkField(id('came'), LABELS.present, a.present);
    const note = field({ id: id('note'), name: 'note', label: LABELS.note, type: 'textarea', rows: 3, maxlength: 4000, value: a.note,
      hint: 'What they said, shared or decided, in everyday words.' });
    const next = field({ id: id('next'), name: 'next_steps', label: LABELS.next_steps, type: 'textarea', rows: 2, maxlength: 4000,
      value: a.next_steps, hint: 'What happens next for them, and who does it.' });
    attachCoach(note.control);
    attachCoach(next.control);
    const theirGoals = goalsBy.get(p.person_id);
    const linked = new Set(a.goals);
    const shown = (theirGoals || []).filter((g) => !CLOSED_GOALS.has(g.lifecycle_status) || linked.has(g.id));
    for (const gid of linked) if (!shown.some((g) => g.id === gid)) shown.push({ id: gid, words: null });
    let goals;
    let goalsLink = null;
    if (shown.length) {
      goals = checkGroup({ id: id('goal'), legend: LABELS.goals, cls: 'note-goals',
        hint: 'From their recovery plan. A billable note names at least one goal.',
        items: shown.map((g) => ({ value: g.id, checked: linked.has(g.id),
          label: g.words ? theirWords(g.words, 'span') : h('span', { class: 'muted', text: 'A goal that is no longer in their plan\u2019s newest version' }) })) });
    } else {
      goalsLink = h('a', { href: `#/people/${p.person_id}`, id: id('goal-link'), text: 'Go to their plans' });
      goals = { boxes: [], checked: () => [],
        wrap: h('div', { class: 'field note-goals' },
          h('p', { class: 'field__label', text: LABELS.goals }),
          h('p', { class: 'field__hint', text: theirGoals === null
            ? 'Their plan goals could not be loaded just now.'
            : 'They have no recovery plan goals yet. A billable note names a goal from their plan.' }),
          h('p', { class: 'field__error', id: `${id('goal-link')}-error`, hidden: true }),
          h('p', {}, goalsLink)) };
    }
    const body = h('div', { class: 'group-person__body', id: id('body') }, note.wrap, next.wrap, goals.wrap);
    const billing = h('div', { class: 'group-person__billing', id: id('billing') });
    const missing = h('div', { class: 'group-person__missing', id: id('missing') });
    const el = h('fieldset', { class: 'fieldset group-person', id: id('card'), data: { person: p.person_id } },
      h('legend', { class: 'group-person__name', text: p.name || 'A person on the roster' }),
      came.wrap, body, billing, missing);
    const card = { person: p, el, came, note, next, goals, goalsLink, body, billing, missing };
    const show = () => {
      body.hidden = !came.control.checked;
      el.classList.toggle('group-person--came', came.control.checked);
    };
    came.control.addEventListener('change', show);
    show();
    return card;
  });

  // --- what the page says as it is written ---------------------------------
  const countLine = h('div', { class: 'group-count', id: 'gs-count', 'aria-live': 'polite' });
  const missingBox = h('div', { class: 'note-missing', id: 'gs-missing', 'aria-live': 'polite' });
  const conflictSlot = h('div', { class: 'conflict-slot' });
  const standing = h('div', { class: 'note-standing-box' });
  const saveState = h('p', { class: 'note-save-state', role: 'status', 'aria-live': 'polite' });
  const saveButton = h('button', { type: 'submit', class: 'button button--secondary', text: 'Save draft' });
  const signButton = mine ? h('button', { type: 'button', class: 'button', id: 'gs-sign', text: 'Sign for everyone who came' }) : null;

  const emptyList = !cards.length ? h('p', { class: 'notice notice--warning' },
    'No one is on this group\u2019s roster yet. ', h('a', { href: `#/groups/${group.id}`, text: 'Add people to the roster' }),
    ' first, then document the session.') : null;

  const formEl = h('form', { class: 'form note-form group-session-form', novalidate: true, 'aria-labelledby': 'gs-title' },
    h('fieldset', { class: 'fieldset note-part' },
      h('legend', { text: 'The session' }),
      h('div', { class: 'note-when group-when' }, f.date.wrap, f.start.wrap, f.end.wrap),
      minutesLine,
      f.topic.wrap,
      h('div', { class: 'note-where' }, f.setting.wrap, f.program.wrap),
      f.location.wrap,
      f.facilitators.wrap,
      f.credential.wrap),
    h('fieldset', { class: 'fieldset note-part' },
      h('legend', { text: 'What the group did' }),
      f.narrative.wrap),
    h('section', { class: 'group-attendance', 'aria-labelledby': 'gs-attendance-title' },
      h('h2', { id: 'gs-attendance-title', text: 'Who came' }),
      h('p', { class: 'muted', text: 'Tick each person who came. Their note is their own: how they took part, their next steps and the goals of their plan it worked on.' }),
      countLine,
      emptyList,
      h('div', { class: 'group-people' }, cards.map((c) => c.el))),
    missingBox,
    h('div', { class: 'form__actions form__actions--sticky note-actions' },
      saveState,
      h('div', { class: 'note-actions__buttons' }, saveButton, signButton)));

  function read() {
    return {
      date: f.date.control.value,
      start: f.start.control.value,
      end: f.end.control.value,
      topic: f.topic.control.value,
      setting: f.setting.control.value,
      location: f.location.control.value,
      program: f.program.control.value,
      facilitators: f.facilitators.checked(),
      credential: f.credential.control.value,
      narrative: f.narrative.control.value,
      attendance: cards.map((c) => ({
        person_id: c.person.person_id,
        present: c.came.control.checked,
        note: c.note.control.value,
        next_steps: c.next.control.value,
        goals: c.goals.checked(),
      })),
    };
  }

  const dirty = () => {
    if (isNew) return JSON.stringify(read()) !== JSON.stringify(opened);
    return changedKeys(savedBody, toBody(read()).body).length > 0;
  };

  // Turns a server field name into the control to mark. order: the person
  // ids in the order the server counted them (what was sent, for a 400;
  // the saved list, for a refusal to sign).
  function resolver(order) {
    return (name) => {
      const key = String(name || '');
      const m = /^attendance\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?$/.exec(key);
      if (m) {
        const card = cards.find((c) => c.person.person_id === order[Number(m[1])]);
        if (!card) return { label: 'Someone on the attendance list' };
        const who = card.person.name;
        switch (m[2]) {
          case 'note': return { control: card.note.control, label: `How ${who} took part` };
          case 'next_steps': return { control: card.next.control, label: `A next step for ${who}` };
          case 'goals': return { control: card.goals.boxes.length ? card.goals.boxes[0].c : card.goalsLink, label: `A plan goal for ${who}` };
          case 'present': return { control: card.came.control, label: `Whether ${who} came` };
          default: return { control: card.came.control, label: who };
        }
      }
      if (key === 'attendance') return { control: cards.length ? cards[0].came.control : null, label: LABELS.attendance };
      if (/^facilitators/.test(key)) {
        const b = f.facilitators.boxes[0];
        return { control: b ? b.c : null, label: LABELS.facilitators };
      }
      if (key === 'author') return { label: 'Signing:' };
      const map = { started_at: 'start', ended_at: 'end' };
      const k = map[key] || key;
      return f[k] && f[k].control ? { control: f[k].control, label: LABELS[k] } : null;
    };
  }

  function drawStanding() {
    clear(standing);
    if (!session) return;
    standing.append(h('p', { class: 'note-standing' }, sessionBadge(session.status), ' ',
      h('span', { class: 'muted', text: `Written by ${session.author_name || 'a colleague'}` })));
    if (!mine) standing.append(h('p', { class: 'muted', text: 'Only they can sign it.' }));
  }

  function drawCount() {
    const vals = read();
    const present = vals.attendance.filter((a) => a.present).length;
    const leading = vals.facilitators.length;
    const limit = per ? per * Math.max(leading, 1) : null;
    clear(countLine);
    countLine.append(h('p', { class: 'group-count__line' },
      h('strong', { text: cameText(present, cards.length) }),
      limit ? `. Up to ${limit} people for ${plural(Math.max(leading, 1), 'person', 'people')} leading it.` : '.'));
    const over = [];
    if (limit && present > limit) {
      over.push(h('p', { text: `More people came than the payer allows for ${plural(Math.max(leading, 1), 'person', 'people')} leading it, so these notes are not billable. If a colleague led the group with you, tick them under \u201c${LABELS.facilitators}\u201d.` }));
      if (ref.group_size && ref.group_size.rule) over.push(h('p', { class: 'rule-problem__rule' }, 'Rule: ', h('cite', { text: ref.group_size.rule })));
    }
    if (group.max_size && present > group.max_size) {
      over.push(h('p', { text: `That is more than this group\u2019s own limit of ${group.max_size}.` }));
    }
    if (over.length) countLine.append(h('div', { class: 'notice notice--warning group-count__over' }, over));
  }

  function drawMinutes() {
    const m = formMinutes(read());
    minutesLine.textContent = m === null ? 'How long: not known yet.' : `How long: ${minutesText(m)}.`;
  }

  let missingShown = null;
  function drawLive() {
    const fresh = !!session && !dirty();
    const vals = read();
    const minutes = formMinutes(vals);
    const sessionMissing = new Set();
    const perPerson = [];
    for (const c of cards) {
      const typedPresent = c.came.control.checked;
      const a = session ? session.attendance.find((x) => x.person_id === c.person.person_id) : null;
      clear(c.billing);
      clear(c.missing);
      if (!typedPresent) {
        c.billing.append(h('p', { class: 'muted', text: 'Not marked as come: no note for them.' }));
        continue;
      }
      if (a && a.present && a.billing) {
        c.billing.append(billingFacts(a.billing));
        if (!fresh) c.billing.append(h('p', { class: 'muted group-person__as-saved', text: 'As last saved: worked out again when your change is saved.' }));
        const own = (a.missing || []).filter((x) => !SESSION_ELEMENTS.includes(x));
        for (const x of a.missing || []) if (SESSION_ELEMENTS.includes(x)) sessionMissing.add(x);
        if (own.length) {
          c.missing.append(h('p', {}, h('strong', { text: 'Still needed for their note: ' }), `${wordList(own)}.`));
          perPerson.push(`${wordList(own)} for ${c.person.name}`);
        }
      } else {
        const est = minutes === null ? null : previewUnits(minutes);
        c.billing.append(h('p', { class: 'group-person__units' },
          est === null ? h('span', { class: 'muted', text: 'Units: not known yet.' })
            : [h('strong', { class: 'group-person__units-n', text: unitsText(est) }), ' ', h('span', { class: 'muted', text: '(estimate)' })]),
          h('p', { class: 'muted', text: 'The billing code, the group modifier and whether it can be billed are worked out when the session is saved.' }));
      }
    }
    const key = JSON.stringify([...sessionMissing, '|', ...perPerson, fresh]);
    if (key === missingShown) return;
    missingShown = key;
    clear(missingBox);
    missingBox.classList.remove('note-missing--ready');
    if (!session || !fresh) return;
    if (!session.present) return;
    if (!sessionMissing.size && !perPerson.length) {
      missingBox.append(h('p', {}, h('strong', { text: 'Ready to sign: ' }), 'everything the rules ask for is there, for everyone who came.'));
      missingBox.classList.add('note-missing--ready');
      return;
    }
    const parts = [];
    if (sessionMissing.size) parts.push(wordList([...sessionMissing]));
    parts.push(...perPerson);
    missingBox.append(h('p', {}, h('strong', { text: 'Still needed before signing: ' }), `${parts.join('; ')}.`));
  }

  // --- saving ---------------------------------------------------------------
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
    const again = h('button', { type: 'button', class: 'button', text: 'Reload the session' });
    again.addEventListener('click', () => ctx.navigate(`#/groups/${group.id}/sessions/${session.id}`, { replace: true }));
    const box = h('div', { class: 'error-summary conflict', role: 'alert', tabindex: '-1', 'aria-labelledby': 'gs-conflict-title' },
      h('h2', { id: 'gs-conflict-title', class: 'error-summary__title', text: title }),
      h('p', { text }),
      h('p', {}, again));
    clear(conflictSlot);
    conflictSlot.append(box);
    saveState.textContent = 'Not saved.';
    box.focus();
  }

  function firstProblem(errors, resolve) {
    const e = errors[0];
    const target = resolve(e.field);
    return `${(target && target.label) || e.field} ${e.message}`;
  }

  // Saves what changed. auto: a quiet save while writing. Resolves true
  // when the saved draft matches the form.
  async function save({ auto }) {
    if (halted || ctx.stale()) return false;
    const { body, errors } = toBody(read());
    const local = resolver(sentOrder);
    if (errors.length) {
      if (auto) saveState.textContent = `Not saved yet: ${firstProblem(errors, local)}.`;
      else showErrors(formEl, errors, local, { title: 'The session was not saved: some details need attention' });
      return false;
    }
    const keys = changedKeys(savedBody, body);
    if (!keys.length) return true;
    const patch = {};
    for (const k of keys) patch[k] = body[k];
    if (patch.attendance) sentOrder = patch.attendance.map((a) => a.person_id);
    const resolve = resolver(sentOrder);
    saveState.textContent = 'Saving\u2026';
    try {
      const r = await api.patch(`/api/v1/groups/${group.id}/sessions/${session.id}`, patch, { ifMatch: session.version });
      if (ctx.stale()) return false;
      session = r.json;
      savedBody = { ...savedBody, ...patch };
      // A quiet save leaves a refusal to sign on screen until everything
      // it asked for is there.
      const stillMissing = session.attendance.some((a) => a.present && (a.missing || []).length);
      if (!auto || !stillMissing) clearErrors(formEl);
      drawStanding();
      drawLive();
      saveState.textContent = `Draft saved at ${localTime(new Date())}.`;
      return !dirty();
    } catch (err) {
      if (ctx.stale() || err.handled) return false;
      if (err.status === 400 && err.errors.length) {
        if (auto) {
          saveState.textContent = `Not saved yet: ${firstProblem(err.errors, resolve)}.`;
        } else {
          saveState.textContent = 'Not saved.';
          showErrors(formEl, err.errors, resolve, { title: 'The session was not saved: some details need attention' });
        }
      } else if (err.status === 412) {
        conflict('Someone else saved this session',
          'While you were working, someone else saved a change to this session. What you typed is still in the form, but it has not been saved, and their change has not been overwritten. Copy anything you want to keep, then reload the session.');
      } else if (err.status === 409) {
        conflict('This session has been signed',
          'The session was signed while you were working (perhaps in another window), so it no longer changes. What you typed has not been saved. Reload to read it; add an addendum to a person\u2019s note to add to it.');
      } else if (auto) {
        saveState.textContent = `Not saved yet: ${problemText(err)}`;
      } else {
        saveState.textContent = 'Not saved.';
        showFormProblem(formEl, 'The session was not saved', problemText(err));
      }
      return false;
    }
  }

  function setBusy(on, text) {
    for (const b of [saveButton, signButton]) if (b) b.disabled = on;
    if (on) formEl.setAttribute('aria-busy', 'true');
    else formEl.removeAttribute('aria-busy');
    if (on && text) saveState.textContent = text;
  }

  // A new session: created on purpose. then: 'draft' or 'sign'.
  async function create(then) {
    clearErrors(formEl);
    const { body, errors } = toBody(read());
    const resolve = resolver(body.attendance.map((a) => a.person_id));
    if (errors.length) {
      showErrors(formEl, errors, resolve, { title: 'The session was not saved: some details need attention' });
      return;
    }
    setBusy(true, then === 'sign' ? 'Signing\u2026' : 'Saving\u2026');
    try {
      const r = await api.post(`/api/v1/groups/${group.id}/sessions`, body);
      if (ctx.stale()) return;
      if (then === 'sign') signOnArrival = r.json.id;
      ctx.navigate(`#/groups/${group.id}/sessions/${r.json.id}`, {
        replace: true,
        flash: then === 'sign' ? null : 'Session saved as a draft.',
      });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      setBusy(false);
      saveState.textContent = 'Not saved.';
      if (err.status === 400 && err.errors.length) {
        showErrors(formEl, err.errors, resolve, { title: 'The session was not saved: some details need attention' });
      } else {
        showFormProblem(formEl, 'The session was not saved', problemText(err));
      }
    }
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
        const r = await api.post(`/api/v1/groups/${group.id}/sessions/${session.id}/sign`, undefined, { ifMatch: session.version });
        if (ctx.stale()) return;
        const n = r.json.present;
        drawSigned(ctx, { ...data, session: r.json }, { focus: 'gs-title' });
        ctx.focused = true;
        ctx.announce(`Session signed: a signed note is in the record of ${plural(n, 'person', 'people')} who came.`);
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        setBusy(false);
        saveState.textContent = 'Not signed.';
        if (err.status === 422) {
          const p = err.problem || {};
          const resolve = resolver(session.attendance.map((a) => a.person_id));
          const box = err.errors.length
            ? showErrors(formEl, err.errors, resolve, { title: 'The session cannot be signed yet' })
            : showFormProblem(formEl, 'The session cannot be signed yet', p.detail || p.title || '');
          box.classList.add('rule-problem');
          if (p.rule) box.append(h('p', { class: 'rule-problem__rule' }, h('strong', { text: 'Rule: ' }), h('cite', { text: p.rule })));
          ctx.focused = true;
        } else if (err.status === 412) {
          conflict('Someone else saved this session', 'While you were working, someone else saved a change to this session. It was not signed. Reload the session, check it, then sign.');
        } else if (err.status === 409) {
          conflict('This session is signed already', problemText(err));
        } else {
          showFormProblem(formEl, 'The session was not signed', problemText(err));
        }
      }
    });
  }

  // --- events -------------------------------------------------------------
  formEl.addEventListener('input', (ev) => {
    drawMinutes();
    drawCount();
    drawLive();
    if (!isNew && !halted && dirty()) saveState.textContent = 'Changes not saved yet.';
    // A suggestion the language coach puts in fires input only: save now.
    if (!ev.isTrusted) schedule();
  });
  formEl.addEventListener('change', () => {
    drawCount();
    drawLive();
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
    if (ok && !ctx.stale()) ctx.announce('Draft saved.');
  });
  if (signButton) signButton.addEventListener('click', () => sign());

  // --- the page -------------------------------------------------------------
  const page = h('div', { class: 'page page--form note-page group-session-page' },
    groupsBreadcrumb(group),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'gs-title', text: isNew ? 'Document a session' : 'Group session, a draft' }),
        h('p', { class: 'lead' }, h('strong', { text: group.name }), ` \u00b7 ${group.curriculum_label || group.curriculum}`),
        standing)),
    opts.restored ? h('div', { class: 'notice notice--info', id: 'restored-notice' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })) : null,
    conflictSlot,
    formEl);

  clear(ctx.main);
  ctx.main.append(page);
  drawStanding();
  drawMinutes();
  drawCount();
  drawLive();
  if (isNew) saveState.textContent = 'Not saved yet.';
  else if (opts.typed && dirty()) saveState.textContent = 'Changes not saved yet.';
  ctx.setView({
    snapshot: () => (isNew
      ? { kind: 'group-session-new', groupId: group.id, values: read() }
      : { kind: 'group-session-draft', id: session.id, values: read() }),
    isDirty: dirty,
  });
  if (opts.restored) f.date.control.focus();
  return { sign };
}

// --- signed: to read ------------------------------------------------------

function drawSigned(ctx, data, opts = {}) {
  const { group, ref, goalsBy } = data;
  const s = data.session;
  const came = s.attendance.filter((a) => a.present);
  const away = s.attendance.filter((a) => !a.present);
  const words = (personId, goalId) => {
    const g = (goalsBy.get(personId) || []).find((x) => x.id === goalId);
    return g ? g.words : null;
  };
  const text = (title, value) => h('div', { class: 'note-text' },
    h('h4', { class: 'group-person__heading', text: title }),
    value ? h('p', { class: 'note-text__body', text: value }) : h('p', { class: 'muted', text: 'Not recorded' }));

  const facts = details([
    ['When', `${formatTime(s.started_at)} to ${localTime(new Date(s.ended_at))}`],
    ['How long', minutesText(s.minutes)],
    [LABELS.topic, s.topic],
    ['Curriculum', s.curriculum_label || s.curriculum],
    [LABELS.setting, s.setting ? labelOf(ref.contact_settings, s.setting) : null],
    [LABELS.location, s.location],
    [LABELS.program, s.program ? labelOf(ref.programs, s.program) : null],
    [LABELS.facilitators, (s.facilitators || []).map((x) => x.name).join(', ')],
    [LABELS.attendance, cameText(s.present, s.attendance.length)],
  ]);

  const person = (a, i) => {
    const tid = `gs-came-${i + 1}`;
    return h('article', { class: 'card group-person group-person--signed', 'aria-labelledby': tid },
      h('h3', { id: tid, class: 'group-person__name' },
        h('a', { href: `#/people/${a.person_id}`, text: a.name })),
      a.contact_id ? h('p', {}, h('a', { class: 'button button--secondary group-person__note-link', href: `#/contacts/${a.contact_id}`,
        text: `Read ${a.name}\u2019s note` })) : null,
      text(LABELS.note, a.note),
      text(LABELS.next_steps, a.next_steps),
      h('div', { class: 'note-text' },
        h('h4', { class: 'group-person__heading', text: LABELS.goals }),
        (a.goals || []).length
          ? h('ul', { class: 'note-goal-list' }, a.goals.map((g) => h('li', {}, words(a.person_id, g)
            ? theirWords(words(a.person_id, g), 'span')
            : h('span', { class: 'muted', text: 'A goal that is no longer in their plan\u2019s newest version' }))))
          : h('p', { class: 'muted', text: 'No plan goal is linked.' })),
      a.billing ? billingFacts(a.billing) : null);
  };

  const page = h('div', { class: 'page note-page group-session-page' },
    groupsBreadcrumb(group),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'gs-title', text: 'Group session' }),
        h('p', { class: 'lead' }, h('strong', { text: s.group_name || group.name }), ` \u00b7 ${formatTime(s.started_at)}`),
        h('p', { class: 'note-standing' }, sessionBadge(s.status)),
        h('p', { class: 'note-signed-line', text: `Signed ${s.signed_at ? formatTime(s.signed_at) : ''} by ${s.author_name || 'its author'}${s.credential ? `, ${s.credential}` : ''}.` }))),
    h('p', { class: 'notice note-frozen', text: 'This session is signed, so it does not change. Each person who came has their own signed note; to correct one, add an addendum to it.' }),
    h('section', { class: 'card', 'aria-labelledby': 'gs-facts-title' },
      h('h2', { id: 'gs-facts-title', text: 'The session' }),
      facts),
    h('section', { class: 'card', 'aria-labelledby': 'gs-narrative-title' },
      h('h2', { id: 'gs-narrative-title', text: LABELS.narrative }),
      s.narrative ? h('p', { class: 'note-text__body', id: 'gs-narrative', text: s.narrative }) : h('p', { class: 'muted', text: 'Not recorded' })),
    h('section', { class: 'group-attendance', 'aria-labelledby': 'gs-attendance-title' },
      h('h2', { id: 'gs-attendance-title', text: `Who came (${came.length})` }),
      h('div', { class: 'group-people' }, came.map(person))),
    away.length ? h('section', { class: 'card', 'aria-labelledby': 'gs-away-title' },
      h('h2', { id: 'gs-away-title', text: 'On the list, did not come' }),
      h('ul', { class: 'link-list' }, away.map((a) => h('li', {}, h('a', { href: `#/people/${a.person_id}`, text: a.name }))))) : null,
    h('p', {}, h('a', { href: `#/groups/${group.id}`, text: `Back to ${group.name}` })));

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
  if (opts.focus) {
    const target = document.getElementById(opts.focus);
    if (target) {
      target.setAttribute('tabindex', '-1');
      target.focus();
      ctx.focused = true;
    }
  }
}
