// Add a resource to the directory (#/resources/new) or change one
// (#/resources/{id}/edit): what it is, its categories (checkboxes in their
// groups), languages, how to reach it, who it is for, its place and its
// opening hours (rows of day checkboxes with opening and closing times).
// A change sends only what changed (JSON merge patch) with If-Match; the
// place and the opening hours go whole, and only when they changed. See
// docs/resources.md, "Adding and changing".
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { attachCoach } from '../language_coach.js';
import { DAYS, STATUS_LABELS, groupedCategories } from './resource_common.js';

const COMMON_LANGUAGES = 10; // the first of the reference list, most spoken
const MAX_SCHEDULES = 20;
const SCALARS = ['name', 'organization_name', 'description', 'phone', 'email', 'url', 'eligibility_description',
  'fees_description', 'application_process', 'minimum_age', 'maximum_age', 'status'];
const LOCATION = ['name', 'address_1', 'address_2', 'city', 'state_province', 'postal_code', 'country',
  'latitude', 'longitude', 'transportation'];
const LABELS = {
  name: 'Name',
  organization_name: 'Organisation',
  description: 'What it offers',
  phone: 'Phone',
  email: 'Email',
  url: 'Website',
  eligibility_description: 'Who it is for',
  fees_description: 'What it costs',
  application_process: 'How to start',
  minimum_age: 'Youngest age',
  maximum_age: 'Oldest age',
  status: 'Status',
  categories: 'Categories',
  languages: 'Languages',
  'location.name': 'Name of the place',
  'location.address_1': 'Street address',
  'location.address_2': 'Address line 2',
  'location.city': 'City or town',
  'location.state_province': 'State',
  'location.postal_code': 'Postal code',
  'location.country': 'Country',
  'location.latitude': 'Latitude',
  'location.longitude': 'Longitude',
  'location.transportation': 'Getting there',
};
const SCHEDULE_LABELS = { byday: 'days', opens_at: 'opens at', closes_at: 'closes at', description: 'note' };

export function renderNew(ctx) {
  return load(ctx, null);
}

export function renderEdit(ctx, id) {
  return load(ctx, id);
}

async function load(ctx, id) {
  const [res, ref, categories] = await Promise.all([
    id ? api.get(`/api/v1/resources/${id}`) : Promise.resolve(null),
    ctx.reference(),
    ctx.resourceCategories(),
  ]);
  if (ctx.stale()) return;
  const r = res ? res.json : null;
  const version = r ? (res.etag ?? r.version) : null;
  let base = valuesOf(r);
  let initial = base;
  let v = version;
  const d = ctx.draft;
  if (d && d.kind === 'resource-form' && d.id === (r ? r.id : null)) {
    base = d.base;
    initial = d.values;
    v = d.version;
  }
  build(ctx, { r, ref, categories, base, initial, version: v, restored: !!(d && ctx.restored) });
}

const str = (x) => (x === null || x === undefined ? '' : String(x));

// The form's values for a resource (or a new one), as strings and lists.
export function valuesOf(r) {
  const loc = r && r.locations && r.locations[0] ? r.locations[0] : {};
  const out = {};
  for (const k of SCALARS) out[k] = '';
  out.status = 'active';
  if (r) {
    for (const k of SCALARS) if (k !== 'organization_name' && k !== 'phone') out[k] = str(r[k]);
    out.organization_name = str(r.organization && r.organization.name);
    out.phone = str(r.phones && r.phones[0] ? r.phones[0].number : r.phone);
    out.status = r.status || 'active';
  }
  out.categories = r ? (r.categories || []).map((c) => c.code).sort() : [];
  out.languages = r ? (r.languages || []).map((l) => (typeof l === 'string' ? l : l.code)).filter(Boolean).sort() : [];
  out.location = {};
  for (const k of LOCATION) out.location[k] = str(loc[k]);
  out.schedules = r ? (r.schedules || []).filter(weeklyDays).map((s) => ({
    days: weeklyDays(s),
    opens_at: str(s.opens_at).slice(0, 5),
    closes_at: str(s.closes_at).slice(0, 5),
    description: str(s.description),
  })) : [];
  return out;
}

// The day codes of a weekly schedule, Monday first, or null for one the
// form cannot show (monthly, or no days).
function weeklyDays(s) {
  if (s.freq && s.freq.toUpperCase() !== 'WEEKLY') return null;
  const codes = String(s.byday || '').toUpperCase().split(/[\s,]+/);
  const days = DAYS.map((d) => d.code).filter((c) => codes.includes(c));
  return days.length ? days : null;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function checkbox(id, name, value, label, checked) {
  const c = h('input', { type: 'checkbox', id, name, value });
  c.checked = !!checked;
  return { control: c, el: h('div', { class: 'check' }, c, h('label', { for: id, text: label })) };
}

function build(ctx, { r, ref, categories, base, initial, version, restored }) {
  const editing = !!r;
  const f = {
    name: field({ id: 'rf-name', name: 'name', label: LABELS.name, required: true, maxlength: 200, value: initial.name,
      hint: 'What people call it, for example \u201cEastside community garden\u201d.' }),
    organization_name: field({ id: 'rf-organization_name', name: 'organization_name', label: LABELS.organization_name, maxlength: 200,
      value: initial.organization_name, hint: 'Who runs it, if that is not the same as its name.' }),
    description: field({ id: 'rf-description', name: 'description', label: LABELS.description, type: 'textarea', rows: 4,
      maxlength: 4000, value: initial.description }),
    phone: field({ id: 'rf-phone', name: 'phone', label: LABELS.phone, type: 'tel', inputmode: 'tel', maxlength: 40, width: 'medium',
      value: initial.phone }),
    email: field({ id: 'rf-email', name: 'email', label: LABELS.email, type: 'email', maxlength: 254, width: 'medium', value: initial.email }),
    url: field({ id: 'rf-url', name: 'url', label: LABELS.url, type: 'url', maxlength: 2000, value: initial.url,
      hint: 'Starting with https://' }),
    eligibility_description: field({ id: 'rf-eligibility_description', name: 'eligibility_description', label: LABELS.eligibility_description,
      type: 'textarea', rows: 2, maxlength: 4000, value: initial.eligibility_description,
      hint: 'For example \u201cAnyone living in the county\u201d.' }),
    fees_description: field({ id: 'rf-fees_description', name: 'fees_description', label: LABELS.fees_description, maxlength: 1000,
      value: initial.fees_description, hint: 'For example \u201cFree\u201d or \u201cSliding scale\u201d.' }),
    application_process: field({ id: 'rf-application_process', name: 'application_process', label: LABELS.application_process,
      type: 'textarea', rows: 2, maxlength: 4000, value: initial.application_process,
      hint: 'For example \u201cWalk in\u201d or \u201cCall first to book a time\u201d.' }),
    minimum_age: field({ id: 'rf-minimum_age', name: 'minimum_age', label: LABELS.minimum_age, type: 'number', inputmode: 'numeric',
      width: 'date', value: initial.minimum_age }),
    maximum_age: field({ id: 'rf-maximum_age', name: 'maximum_age', label: LABELS.maximum_age, type: 'number', inputmode: 'numeric',
      width: 'date', value: initial.maximum_age }),
    status: field({ id: 'rf-status', name: 'status', label: LABELS.status, type: 'select',
      options: Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label })), value: initial.status }),
  };
  for (const k of ['minimum_age', 'maximum_age']) {
    f[k].control.setAttribute('min', '0');
    f[k].control.setAttribute('max', '130');
    f[k].control.setAttribute('step', '1');
  }
  if (!STATUS_LABELS[initial.status]) f.status.control.append(h('option', { value: initial.status, text: initial.status }));
  f.status.control.value = initial.status;
  for (const k of ['description', 'eligibility_description', 'application_process']) {
    f[k].control.setAttribute('spellcheck', 'true');
    attachCoach(f[k].control);
  }
  f.name.control.setAttribute('spellcheck', 'true');

  // Categories, in their groups.
  const cats = new Map();
  const catWrap = h('div', { class: 'field', data: { field: 'categories' } },
    h('p', { class: 'field__error', id: 'rf-categories-error', hidden: true }),
    h('fieldset', { class: 'checks', 'aria-describedby': 'rf-categories-hint' },
      h('legend', { class: 'field__label' }, LABELS.categories, h('span', { class: 'field__req', text: ' (at least one)' })),
      h('p', { class: 'field__hint', id: 'rf-categories-hint', text: 'What it helps with. People search by these.' }),
      groupedCategories(categories).map((g) => h('fieldset', { class: 'checks__group' },
        h('legend', { text: g.label }),
        h('div', { class: 'checks__items' }, g.items.map((c) => {
          const b = checkbox(`rf-cat-${c.code}`, 'categories', c.code, c.label, initial.categories.includes(c.code));
          cats.set(c.code, b.control);
          return b.el;
        }))))));
  // A category the list no longer has stays as it was.
  for (const code of initial.categories) {
    if (!cats.has(code)) {
      const b = checkbox(`rf-cat-${code}`, 'categories', code, code, true);
      cats.set(code, b.control);
      catWrap.querySelector('fieldset').append(b.el);
    }
  }
  const firstCat = () => [...cats.values()][0];
  if (firstCat()) firstCat().dataset.label = LABELS.categories;

  // Languages: the most spoken as checkboxes, the rest behind "More".
  const langs = new Map();
  const langList = (ref.languages || []).filter((l) => l.code !== 'other');
  const box = (l) => {
    const b = checkbox(`rf-lang-${l.code}`, 'languages', l.code, l.label, initial.languages.includes(l.code));
    langs.set(l.code, b.control);
    return b.el;
  };
  const common = langList.slice(0, COMMON_LANGUAGES);
  const rest = langList.slice(COMMON_LANGUAGES);
  for (const code of initial.languages) {
    if (!langList.some((l) => l.code === code)) rest.push({ code, label: code });
  }
  const more = h('details', { class: 'disclosure more-languages' },
    h('summary', { text: 'More languages' }),
    h('div', { class: 'checks__items' }, rest.map(box)));
  if (rest.some((l) => initial.languages.includes(l.code))) more.open = true;
  const langWrap = h('div', { class: 'field', data: { field: 'languages' } },
    h('p', { class: 'field__error', id: 'rf-languages-error', hidden: true }),
    h('fieldset', { class: 'checks' },
      h('legend', { class: 'field__label', text: 'Languages it is offered in' }),
      h('div', { class: 'checks__items' }, common.map(box)),
      more));
  const firstLang = () => [...langs.values()][0];
  if (firstLang()) firstLang().dataset.label = LABELS.languages;

  // The place.
  const loc = {};
  const locSpec = {
    name: { hint: 'If it has one, for example \u201cSt. Mark\u2019s church hall\u201d.', maxlength: 200 },
    address_1: { autocomplete: 'address-line1', maxlength: 200 },
    address_2: { autocomplete: 'address-line2', maxlength: 200 },
    city: { autocomplete: 'address-level2', maxlength: 100, width: 'medium' },
    state_province: { autocomplete: 'address-level1', maxlength: 100, width: 'date' },
    postal_code: { autocomplete: 'postal-code', maxlength: 20, width: 'date' },
    country: { autocomplete: 'country', maxlength: 2, width: 'date', hint: 'Two letters, for example US.' },
    latitude: { inputmode: 'decimal', maxlength: 20, width: 'date', hint: 'For example 41.8781' },
    longitude: { inputmode: 'decimal', maxlength: 20, width: 'date', hint: 'For example -87.6298' },
    transportation: { type: 'textarea', rows: 2, maxlength: 1000, hint: 'Buses, trains, parking.' },
  };
  for (const k of LOCATION) {
    loc[k] = field({ id: `rf-loc-${k}`, name: `location.${k}`, label: LABELS[`location.${k}`], value: initial.location[k], ...locSpec[k] });
  }

  // Opening hours.
  let rowSeq = 0;
  const rows = [];
  let sentRows = [];
  const rowsBox = h('div', { class: 'contact-rows schedule-rows', id: 'rf-schedules' });
  const addHours = h('button', { type: 'button', class: 'button button--secondary', id: 'rf-add-hours', text: 'Add opening hours' });
  addHours.dataset.label = 'Opening hours';

  function renumber() {
    rows.forEach((row, i) => {
      row.legend.textContent = `Opening hours ${i + 1}`;
      row.remove.textContent = `Remove opening hours ${i + 1}`;
    });
    addHours.disabled = rows.length >= MAX_SCHEDULES;
  }

  function addRow(s, { focus = false } = {}) {
    const uid = ++rowSeq;
    const days = DAYS.map((d) => {
      const b = checkbox(`rf-h${uid}-${d.code}`, `h${uid}-day`, d.code, d.one, s.days.includes(d.code));
      return { code: d.code, ...b };
    });
    const row = {
      uid,
      days,
      opens_at: field({ id: `rf-h${uid}-opens`, name: `h${uid}-opens`, label: 'Opens at', type: 'time', width: 'date', value: s.opens_at }),
      closes_at: field({ id: `rf-h${uid}-closes`, name: `h${uid}-closes`, label: 'Closes at', type: 'time', width: 'date', value: s.closes_at }),
      description: field({ id: `rf-h${uid}-note`, name: `h${uid}-note`, label: 'Note (optional)', maxlength: 200, value: s.description,
        hint: 'For example \u201cWomen only\u201d or \u201cNot on public holidays\u201d.' }),
      legend: h('legend', {}),
      remove: h('button', { type: 'button', class: 'button button--quiet button--small' }),
    };
    days[0].control.dataset.label = 'Days';
    const daysWrap = h('div', { class: 'field', data: { field: 'byday' } },
      h('p', { class: 'field__error', id: `rf-h${uid}-days-error`, hidden: true }),
      h('fieldset', { class: 'checks' },
        h('legend', { class: 'field__label', text: 'Days' }),
        h('div', { class: 'day-checks' }, days.map((d) => d.el))));
    row.box = h('fieldset', { class: 'contact-row schedule-row' }, row.legend,
      daysWrap,
      h('div', { class: 'schedule-row__times' }, row.opens_at.wrap, row.closes_at.wrap),
      row.description.wrap,
      h('div', { class: 'contact-row__actions' }, row.remove));
    row.remove.addEventListener('click', () => {
      const i = rows.indexOf(row);
      rows.splice(i, 1);
      row.box.remove();
      renumber();
      const next = rows[i] || rows[i - 1];
      if (next) next.days[0].control.focus();
      else addHours.focus();
      ctx.announce(`Opening hours removed. ${rows.length} left in the form.`);
    });
    rows.push(row);
    rowsBox.append(row.box);
    renumber();
    if (focus) row.days[0].control.focus();
    return row;
  }
  addHours.addEventListener('click', () => {
    addRow({ days: [], opens_at: '', closes_at: '', description: '' }, { focus: true });
    ctx.announce(`Opening hours ${rows.length} added.`);
  });
  for (const s of initial.schedules) addRow(s);
  const otherHours = editing ? (r.schedules || []).filter((s) => !weeklyDays(s)).length : 0;
  const places = editing ? (r.locations || []).length : 0;

  function current() {
    const v = {};
    for (const k of SCALARS) v[k] = f[k].control.value;
    v.categories = [...cats.entries()].filter(([, c]) => c.checked).map(([code]) => code).sort();
    v.languages = [...langs.entries()].filter(([, c]) => c.checked).map(([code]) => code).sort();
    v.location = {};
    for (const k of LOCATION) v.location[k] = loc[k].control.value;
    v.schedules = rows.map((row) => ({
      days: row.days.filter((d) => d.control.checked).map((d) => d.code),
      opens_at: row.opens_at.control.value,
      closes_at: row.closes_at.control.value,
      description: row.description.control.value,
    }));
    return v;
  }

  const t = (s) => (s.trim() === '' ? null : s.trim());

  // Checks what the server would only answer with a type error; returns
  // [{field, message}].
  function localErrors(cur) {
    const out = [];
    for (const k of ['minimum_age', 'maximum_age']) {
      if (cur[k].trim() !== '' && !/^\d{1,3}$/.test(cur[k].trim())) out.push({ field: k, message: 'must be a whole number of years, or empty' });
    }
    for (const k of ['latitude', 'longitude']) {
      const x = cur.location[k].trim();
      if (x !== '' && !Number.isFinite(Number(x))) out.push({ field: `location.${k}`, message: 'must be a number in degrees, like 41.8781' });
    }
    const la = cur.location.latitude.trim();
    const lo = cur.location.longitude.trim();
    if ((la === '') !== (lo === '')) out.push({ field: la === '' ? 'location.latitude' : 'location.longitude', message: 'is needed with the other' });
    cur.schedules.forEach((s, i) => {
      if (!s.days.length) out.push({ field: `schedules[${i}].byday`, message: 'needs at least one day' });
      if (!s.opens_at) out.push({ field: `schedules[${i}].opens_at`, message: 'is needed' });
      if (!s.closes_at) out.push({ field: `schedules[${i}].closes_at`, message: 'is needed' });
    });
    return out;
  }

  function locationBody(cur) {
    const out = {};
    for (const k of LOCATION) {
      const v = t(cur.location[k]);
      out[k] = v !== null && (k === 'latitude' || k === 'longitude') ? Number(v) : v;
    }
    return out;
  }

  function schedulesBody(cur) {
    return cur.schedules.map((s) => ({
      byday: s.days.join(','), opens_at: s.opens_at, closes_at: s.closes_at, description: t(s.description),
    }));
  }

  function scalar(k, v) {
    if (k === 'minimum_age' || k === 'maximum_age') return v.trim() === '' ? null : Number(v.trim());
    return t(v);
  }

  function payload() {
    const cur = current();
    sentRows = rows.slice();
    const body = {};
    for (const k of SCALARS) {
      if (editing && cur[k] === base[k]) continue;
      const v = scalar(k, cur[k]);
      // Name and status are never empty, and an organisation left
      // empty keeps the one it has.
      if (v === null && (k === 'status' || k === 'organization_name' || (editing && k === 'name'))) {
        if (k === 'name') body.name = '';
        continue;
      }
      if (!editing && v === null) continue;
      body[k] = v;
    }
    if (!editing || !same(cur.categories, base.categories)) body.categories = cur.categories;
    if ((!editing && cur.languages.length) || (editing && !same(cur.languages, base.languages))) body.languages = cur.languages;
    const anyPlace = LOCATION.some((k) => cur.location[k].trim() !== '');
    if (editing ? !same(cur.location, base.location) : anyPlace) body.location = anyPlace ? locationBody(cur) : null;
    if (editing ? !same(cur.schedules, base.schedules) : cur.schedules.length) body.schedules = schedulesBody(cur);
    return { body, cur };
  }

  // Field names from the server to controls.
  function resolve(name) {
    const s = /^schedules\[(\d+)\](?:\.(\w+))?$/.exec(name || '');
    if (s) {
      const row = sentRows[Number(s[1])];
      if (!row) return { label: `Opening hours ${Number(s[1]) + 1}` };
      const n = rows.indexOf(row) + 1;
      const key = s[2] || 'byday';
      const control = key === 'byday' ? row.days[0].control : row[key] && row[key].control;
      return control ? { control, label: `Opening hours ${n}: ${SCHEDULE_LABELS[key] || key}` } : { label: `Opening hours ${n}` };
    }
    const l = /^location\.(\w+)$/.exec(name || '');
    if (l && loc[l[1]]) return { control: loc[l[1]].control };
    if (name === 'location') return { control: loc.address_1.control, label: 'The place' };
    if (name === 'schedules') return { control: addHours, label: 'Opening hours' };
    if (/^categories/.test(name || '') && firstCat()) return { control: firstCat(), label: LABELS.categories };
    if (/^languages/.test(name || '') && firstLang()) return { control: firstLang(), label: LABELS.languages };
    if (name === 'organization_id') return { control: f.organization_name.control };
    if (f[name]) return { control: f[name].control };
    return null;
  }

  const cancelHref = editing ? `#/resources/${r.id}` : '#/resources';
  const conflictBox = h('div', { class: 'conflict-slot' });
  const form = h('form', { class: 'form resource-form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'What it is' }),
      f.name.wrap, f.organization_name.wrap, f.description.wrap, catWrap,
      editing ? f.status.wrap : null),
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Who it is for' }),
      f.eligibility_description.wrap,
      h('div', { class: 'field-row' }, f.minimum_age.wrap, f.maximum_age.wrap),
      f.fees_description.wrap, f.application_process.wrap, langWrap),
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'How to reach it' }),
      f.phone.wrap, f.email.wrap, f.url.wrap),
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Where it is' }),
      places > 1 ? h('p', { class: 'notice', id: 'rf-places-note', text: `It has ${places} places in the directory; this is the first. Changing it keeps only this one.` }) : null,
      loc.name.wrap, loc.address_1.wrap, loc.address_2.wrap,
      h('div', { class: 'field-row' }, loc.city.wrap, loc.state_province.wrap, loc.postal_code.wrap, loc.country.wrap),
      h('p', { class: 'field__hint', text: 'Latitude and longitude let people find it by distance. A map app shows them for a place.' }),
      h('div', { class: 'field-row' }, loc.latitude.wrap, loc.longitude.wrap),
      loc.transportation.wrap),
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Opening hours' }),
      otherHours ? h('p', { class: 'notice', text: `It also has ${otherHours === 1 ? 'opening hours' : `${otherHours} sets of opening hours`} that are not weekly. Changing the hours here replaces them.` }) : null,
      h('p', { class: 'field__hint', text: 'One row for each set of days with the same hours, for example Tuesday and Thursday 9:00 to 12:00.' }),
      rowsBox,
      h('p', {}, addHours)),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', id: 'rf-submit', text: editing ? 'Save changes' : 'Add the resource' }),
      h('a', { class: 'button button--quiet', href: cancelHref, text: 'Cancel' })));

  const page = h('div', { class: 'page page--form' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/resources', text: 'Resources' }),
      editing ? [h('span', { 'aria-hidden': 'true', text: ' / ' }), h('a', { href: cancelHref, text: r.name })] : null),
    h('h1', { id: 'form-title', text: editing ? 'Edit resource' : 'Add a resource' }),
    h('p', { class: 'lead', text: editing
      ? 'Change what is out of date. Only what you change is saved.'
      : 'A place or service that helps: a church group, a food pantry, a community garden. Only the name and a category are needed.' }),
    restored ? h('div', { class: 'notice notice--info' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })) : null,
    conflictBox,
    form);

  const startedAt = same(base, initial) ? current() : base;
  const isDirty = () => !same(current(), startedAt);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    clear(conflictBox);
    const { body, cur } = payload();
    const failTitle = editing ? 'Your changes were not saved' : 'The resource was not added';
    const local = localErrors(cur);
    if (local.length) {
      showErrors(form, local, resolve, { title: failTitle });
      return;
    }
    if (editing && Object.keys(body).length === 0) {
      ctx.navigate(cancelHref, { replace: true, flash: 'There were no changes to save.' });
      return;
    }
    busy(form, true);
    try {
      const res = editing
        ? await api.patch(`/api/v1/resources/${r.id}`, body, { ifMatch: version })
        : await api.post('/api/v1/resources', body);
      if (ctx.stale()) return;
      ctx.navigate(`#/resources/${res.json.id}`, { replace: editing, flash: editing ? 'Changes saved.' : 'Resource added to the directory.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: failTitle });
      } else if (err.status === 412 || err.status === 409) {
        showConflict();
      } else {
        showFormProblem(form, failTitle, problemText(err));
      }
    }
  });

  function showConflict() {
    const reload = h('a', { class: 'button', href: `#/resources/${r.id}`, text: 'See the latest version' });
    const box = h('div', { class: 'error-summary conflict', role: 'alert', tabindex: '-1', 'aria-labelledby': 'conflict-title' },
      h('h2', { id: 'conflict-title', class: 'error-summary__title', text: 'Someone else changed this resource' }),
      h('p', { text: 'While you were editing, someone else saved a newer version. Your changes have not been saved, and theirs have not been overwritten. What you typed is still in the form: look at the latest version, then make your changes again.' }),
      h('p', {}, reload));
    conflictBox.append(box);
    box.focus();
  }

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'resource-form', id: r ? r.id : null, base, version, values: current() }),
    isDirty,
  });
  if (restored) {
    f.name.control.focus();
    ctx.focused = true;
  }
}
