// Add a person, or edit one: profile, team and primary peer, natural
// supports and emergency contacts. Edits send only what changed (JSON
// merge patch) with If-Match; a 412 says someone else saved first, keeps
// what was typed on screen and offers to reload, never overwriting.
import { api } from '../api.js';
import { h, clear, formatDate } from '../dom.js';
import { field, options, valueOrNull, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';

const MAX_CONTACTS = 20;
const SCALARS = ['preferred_name', 'legal_name', 'pronouns', 'date_of_birth', 'phone', 'language', 'team', 'primary_peer'];
const LABELS = {
  preferred_name: 'Preferred name',
  legal_name: 'Legal name',
  pronouns: 'Pronouns',
  date_of_birth: 'Date of birth',
  phone: 'Phone',
  language: 'Preferred language',
  team: 'Team',
  primary_peer: 'Primary peer',
};
const CONTACT_KINDS = [
  { value: 'natural_support', label: 'Natural support' },
  { value: 'emergency_contact', label: 'Emergency contact' },
];
const CONTACT_LABELS = { kind: 'Kind of contact', name: 'Name', relationship: 'Relationship', phone: 'Phone', note: 'Note' };

export function renderNew(ctx) {
  return load(ctx, null);
}

export function renderEdit(ctx, id) {
  return load(ctx, id);
}

async function load(ctx, id) {
  const [person, ref, staff] = await Promise.all([
    id ? api.get(`/api/v1/people/${id}`) : Promise.resolve(null),
    ctx.reference(),
    ctx.staff(),
  ]);
  if (ctx.stale()) return;
  const p = person ? person.json : null;
  let base = valuesOf(p, ctx.me);
  let version = p ? p.version : null;
  let initial = base;
  const draft = ctx.draft;
  if (draft && draft.kind === 'person-form' && draft.personId === (p ? p.id : null)) {
    base = draft.base;
    version = draft.version;
    initial = draft.values;
  }
  build(ctx, { p, ref, staff, base, version, initial, restored: !!(draft && ctx.restored) });
}

// The form's values for a person (or a new one), all as strings.
function valuesOf(p, me) {
  const teams = me.teams || [];
  return {
    preferred_name: p ? p.preferred_name || '' : '',
    legal_name: p ? p.legal_name || '' : '',
    pronouns: p ? p.pronouns || '' : '',
    date_of_birth: p ? p.date_of_birth || '' : '',
    phone: p ? p.phone || '' : '',
    language: p ? p.language || '' : '',
    team: p ? p.team || '' : (teams[0] ? teams[0].name : ''),
    primary_peer: p ? p.primary_peer || '' : (me.role === 'peer' ? me.id : ''),
    contacts: p ? (p.contacts || []).map((c) => ({
      kind: c.kind || 'natural_support',
      name: c.name || '',
      relationship: c.relationship || '',
      phone: c.phone || '',
      note: c.note || '',
    })) : [],
  };
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function build(ctx, { p, ref, staff, base, version, initial, restored, carried }) {
  const { me } = ctx;
  const editing = !!p;
  const teams = me.teams || [];
  const several = teams.length > 1;
  let rowSeq = 0;
  const rows = [];
  let sentRows = [];

  const f = {
    preferred_name: field({ id: 'f-preferred_name', name: 'preferred_name', label: LABELS.preferred_name, required: true,
      hint: 'The name they want to be called.', maxlength: 100 }),
    legal_name: field({ id: 'f-legal_name', name: 'legal_name', label: LABELS.legal_name,
      hint: 'Only if it is needed, for example by a payer.', maxlength: 100 }),
    pronouns: field({ id: 'f-pronouns', name: 'pronouns', label: LABELS.pronouns,
      hint: 'As they say them, for example she/her, he/him or they/them.', maxlength: 60, width: 'medium' }),
    date_of_birth: field({ id: 'f-date_of_birth', name: 'date_of_birth', label: LABELS.date_of_birth, type: 'date', width: 'date' }),
    phone: field({ id: 'f-phone', name: 'phone', label: LABELS.phone, type: 'tel', inputmode: 'tel',
      hint: 'Digits, spaces and + - ( ) . x', maxlength: 32, width: 'medium' }),
    language: field({ id: 'f-language', name: 'language', label: LABELS.language, type: 'select',
      options: options(ref.languages, { blank: 'Not recorded' }) }),
    team: field({ id: 'f-team', name: 'team', label: LABELS.team, type: 'select',
      options: teams.map((t) => ({ value: t.name, label: t.display_name })) }),
    primary_peer: field({ id: 'f-primary_peer', name: 'primary_peer', label: LABELS.primary_peer, type: 'select',
      hint: 'The peer specialist or supervisor on the team who is their main contact.', options: [] }),
  };

  function peerOptions(teamName, keep) {
    const sel = f.primary_peer.control;
    clear(sel);
    sel.append(h('option', { value: '', text: 'No primary peer yet' }));
    const list = staff.filter((s) => !s.disabled && (s.role === 'peer' || s.role === 'supervisor') &&
      (s.teams || []).includes(teamName));
    for (const s of list) {
      const label = s.id === me.id ? `${s.display_name} (you)` : `${s.display_name}${s.role === 'supervisor' ? ', supervisor' : ''}`;
      sel.append(h('option', { value: s.id, text: label }));
    }
    if (keep && !list.some((s) => s.id === keep)) {
      sel.append(h('option', { value: keep, text: p && p.primary_peer === keep && p.primary_peer_name
        ? `${p.primary_peer_name} (not on this team now)` : 'Someone not on this team' }));
    }
    sel.value = keep || '';
  }

  const rowsBox = h('div', { class: 'contact-rows' });
  const addContact = h('button', { type: 'button', class: 'button button--secondary', text: 'Add a contact' });

  function renumber() {
    rows.forEach((r, i) => {
      r.legend.textContent = `Contact ${i + 1}`;
      r.remove.textContent = `Remove contact ${i + 1}`;
    });
    addContact.disabled = rows.length >= MAX_CONTACTS;
  }

  function addRow(c, { focus = false } = {}) {
    const uid = ++rowSeq;
    const mk = (key, spec) => field({ id: `f-contact-${uid}-${key}`, name: `contact-${uid}-${key}`, label: CONTACT_LABELS[key], ...spec });
    const r = {
      uid,
      kind: mk('kind', { type: 'select', options: CONTACT_KINDS, value: c.kind }),
      name: mk('name', { required: true, value: c.name, maxlength: 100 }),
      relationship: mk('relationship', { hint: 'For example sister, friend or sponsor.', value: c.relationship, maxlength: 60, width: 'medium' }),
      phone: mk('phone', { type: 'tel', inputmode: 'tel', hint: 'Required for an emergency contact.', value: c.phone, maxlength: 32, width: 'medium' }),
      note: mk('note', { type: 'textarea', rows: 2, value: c.note, maxlength: 500 }),
      legend: h('legend', {}),
      remove: h('button', { type: 'button', class: 'button button--quiet button--small' }),
    };
    r.kind.control.value = c.kind || 'natural_support';
    r.box = h('fieldset', { class: 'contact-row' }, r.legend,
      h('div', { class: 'contact-row__grid' }, r.kind.wrap, r.name.wrap, r.relationship.wrap, r.phone.wrap),
      r.note.wrap,
      h('div', { class: 'contact-row__actions' }, r.remove));
    r.remove.addEventListener('click', () => {
      const i = rows.indexOf(r);
      rows.splice(i, 1);
      r.box.remove();
      renumber();
      const next = rows[i] || rows[i - 1];
      if (next) next.kind.control.focus();
      else addContact.focus();
      ctx.announce(`Contact removed. ${rows.length} ${rows.length === 1 ? 'contact' : 'contacts'} in the form.`);
    });
    rows.push(r);
    rowsBox.append(r.box);
    renumber();
    if (focus) r.kind.control.focus();
    return r;
  }

  addContact.addEventListener('click', () => {
    addRow({ kind: 'natural_support', name: '', relationship: '', phone: '', note: '' }, { focus: true });
    ctx.announce(`Contact ${rows.length} added.`);
  });

  function current() {
    const v = {};
    for (const k of SCALARS) v[k] = f[k].control.value;
    v.contacts = rows.map((r) => ({
      kind: r.kind.control.value,
      name: r.name.control.value,
      relationship: r.relationship.control.value,
      phone: r.phone.control.value,
      note: r.note.control.value,
    }));
    return v;
  }

  // A saved language no longer on the list stays as it is.
  if (initial.language && !ref.languages.some((l) => l.code === initial.language)) {
    f.language.control.append(h('option', { value: initial.language, text: initial.language }));
  }
  // Fill in the starting values.
  for (const k of SCALARS) {
    if (k === 'primary_peer') continue;
    f[k].control.value = initial[k] || '';
  }
  if (!several && !f.team.control.value && teams[0]) f.team.control.value = teams[0].name;
  peerOptions(f.team.control.value || initial.team, initial.primary_peer);
  for (const c of initial.contacts || []) addRow(c);
  f.team.control.addEventListener('change', () => peerOptions(f.team.control.value, f.primary_peer.control.value));

  const cancelHref = editing ? `#/people/${p.id}` : '#/people';
  const conflictBox = h('div', { class: 'conflict-slot' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'About them' }),
      f.preferred_name.wrap, f.legal_name.wrap, f.pronouns.wrap, f.date_of_birth.wrap, f.phone.wrap, f.language.wrap),
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Team and primary peer' }),
      several ? f.team.wrap : h('p', { class: 'field__static' }, 'Team: ', h('strong', { text: ctx.teamLabel(f.team.control.value) })),
      f.primary_peer.wrap),
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Natural supports and emergency contacts' }),
      h('p', { class: 'field__hint', text: 'People they want us to know about. An emergency contact needs a phone number.' }),
      rowsBox,
      h('p', {}, addContact)),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: editing ? 'Save changes' : 'Add person' }),
      h('a', { class: 'button button--quiet', href: cancelHref, text: 'Cancel' })));

  const title = editing ? 'Edit details' : 'Add a person';
  const page = h('div', { class: 'page page--form' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/people', text: 'Team roster' }),
      editing ? [h('span', { 'aria-hidden': 'true', text: ' / ' }), h('a', { href: cancelHref, text: p.preferred_name })] : null),
    h('h1', { id: 'form-title', text: title }),
    editing ? h('p', { class: 'lead' }, 'For ', h('strong', { text: p.preferred_name }), '.')
      : h('p', { class: 'lead', text: 'Only the preferred name is required. Record what the person is happy to share; they start in outreach.' }),
    restored ? h('div', { class: 'notice notice--info', id: 'restored-notice' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })) : null,
    carried ? carriedBox(carried) : null,
    conflictBox,
    form);

  // Unsaved means different from where the form started: the saved record,
  // or the saved record it was opened on when typed text was put back.
  const reference = same(base, initial) ? current() : base;
  const isDirty = () => !same(current(), reference);

  // Field names from the server ("contacts[1].phone") to controls.
  function resolve(name) {
    const m = /^contacts\[(\d+)\]\.(\w+)$/.exec(name || '');
    if (m) {
      const r = sentRows[Number(m[1])];
      if (r && r[m[2]]) {
        return { control: r[m[2]].control, label: `Contact ${rows.indexOf(r) + 1}: ${CONTACT_LABELS[m[2]].toLowerCase()}` };
      }
      return null;
    }
    if (name === 'contacts') return { control: addContact, label: 'Contacts' };
    if (name === 'team' && !several) return { label: 'Team' };
    if (f[name]) return { control: f[name].control };
    return null;
  }

  function contactPayload(c) {
    const t = (s) => (s.trim() === '' ? null : s.trim());
    return { kind: c.kind, name: c.name.trim(), relationship: t(c.relationship), phone: t(c.phone), note: t(c.note) };
  }

  function payload() {
    const cur = current();
    sentRows = rows.slice();
    if (!editing) {
      const body = { preferred_name: cur.preferred_name.trim() };
      for (const k of SCALARS) {
        if (k === 'preferred_name') continue;
        const v = valueOrNull(f[k].control);
        if (v !== null) body[k] = v;
      }
      if (cur.contacts.length) body.contacts = cur.contacts.map(contactPayload);
      return body;
    }
    const body = {};
    for (const k of SCALARS) {
      if (cur[k] === base[k]) continue;
      if (k === 'preferred_name') body[k] = cur[k].trim();
      else body[k] = valueOrNull(f[k].control);
    }
    if (!same(cur.contacts, base.contacts)) body.contacts = cur.contacts.map(contactPayload);
    return body;
  }

  function snapshot() {
    return { kind: 'person-form', personId: p ? p.id : null, base, version, values: current() };
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    clear(conflictBox);
    const body = payload();
    if (editing && Object.keys(body).length === 0) {
      ctx.navigate(cancelHref, { replace: true, flash: 'There were no changes to save.' });
      return;
    }
    busy(form, true);
    try {
      const r = editing
        ? await api.patch(`/api/v1/people/${p.id}`, body, { ifMatch: version })
        : await api.post('/api/v1/people', body);
      if (ctx.stale()) return;
      ctx.navigate(`#/people/${r.json.id}`, { replace: true, flash: editing ? 'Changes saved.' : 'Person added to the roster.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve);
      } else if (err.status === 412) {
        showConflict(err);
      } else {
        showFormProblem(form, editing ? 'Your changes were not saved' : 'The person was not added', problemText(err));
      }
    }
  });

  function showConflict() {
    const reload = h('button', { type: 'button', class: 'button', text: 'Reload the latest version' });
    const box = h('div', { class: 'error-summary conflict', role: 'alert', tabindex: '-1', 'aria-labelledby': 'conflict-title' },
      h('h2', { id: 'conflict-title', class: 'error-summary__title', text: 'Someone else changed this record' }),
      h('p', { text: 'While you were editing, someone else saved a newer version of this record. Your changes have not been saved, and theirs have not been overwritten.' }),
      h('p', { text: 'Reload to see the latest version. What you typed stays listed on the page so you can enter it again.' }),
      h('p', {}, reload));
    clear(conflictBox);
    conflictBox.append(box);
    box.focus();
    reload.addEventListener('click', async () => {
      reload.disabled = true;
      try {
        const latest = await api.get(`/api/v1/people/${p.id}`);
        if (ctx.stale()) return;
        const typed = changesList(base, current(), ref, staff);
        const fresh = valuesOf(latest.json, me);
        build(ctx, { p: latest.json, ref, staff, base: fresh, version: latest.json.version, initial: fresh, carried: typed });
        ctx.announce('The latest version is shown. What you typed is listed above the form.');
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        reload.disabled = false;
        showFormProblem(form, 'Could not reload', problemText(err));
      }
    });
  }

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot, isDirty });
  if (carried) {
    const box = page.querySelector('#carried');
    box.focus();
    ctx.focused = true;
  } else if (restored) {
    f.preferred_name.control.focus();
    ctx.focused = true;
  }
}

// What the person typed that differs from where they started, in words.
function changesList(base, cur, ref, staff) {
  const out = [];
  const show = (k, v) => {
    if (!v) return '(left empty)';
    if (k === 'language') return (ref.languages.find((l) => l.code === v) || { label: v }).label;
    if (k === 'date_of_birth') return formatDate(v);
    if (k === 'primary_peer') return (staff.find((s) => s.id === v) || { display_name: v }).display_name;
    return v;
  };
  for (const k of SCALARS) {
    if (cur[k] !== base[k]) out.push([LABELS[k], show(k, cur[k])]);
  }
  if (!same(cur.contacts, base.contacts)) {
    const list = cur.contacts.map((c) => [c.name || '(no name)', c.relationship, c.phone, c.note].filter(Boolean).join(', '));
    out.push(['Contacts', list.length ? list.join('; ') : '(none)']);
  }
  return out;
}

function carriedBox(items) {
  return h('div', { class: 'notice notice--info', id: 'carried', tabindex: '-1' },
    h('h2', { class: 'notice__title', text: 'What you typed before reloading' }),
    items.length
      ? h('dl', { class: 'details details--compact' }, items.map(([k, v]) => h('div', { class: 'details__row' }, h('dt', { text: k }), h('dd', { text: v }))))
      : h('p', { text: 'You had not changed anything.' }),
    h('p', { class: 'field__hint', text: 'The form below shows the latest saved version. Enter again anything you still want to change, then save.' }));
}
