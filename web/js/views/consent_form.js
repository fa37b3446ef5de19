// Recording a consent the person signed (#/people/{id}/consents/new).
// The kind comes first; the form then shows what that kind must hold (its
// required elements in data/consents.json, marked required) and, for a
// kind that lets information be shared, the other parts as optional:
// recipients as a short list, the parts of the record and the purposes as
// checkboxes (only treatment, payment and operations for a TPO consent),
// the expiry as a date or one of the kind's events, and the statements
// the signed form makes. A 422 names each missing element: it is shown
// beside its field, with the rule at the top.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { field, options, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';
import { loadPerson, kindOf, elementLabel, KIND_HINTS, choiceGroup, checkField, markRequired, ruleNote, ruleText,
  hasPart2 } from './consent_common.js';

const MAX_RECIPIENTS = 20;

const HINTS = {
  person_name: 'As it is written on the signed form.',
  disclosers: 'This organisation, or the part of it that may share, for example \u201cthe peer support team\u201d.',
  recipients: 'Each person or organisation that may receive it. Sharing is covered only when the recipient\u2019s name matches one here.',
  intermediary: 'Only when it goes through an intermediary, such as a health information exchange: its name.',
  information: 'In specific words, for example \u201cmy housing plan and the dates I met my peer specialist\u201d.',
  categories: 'Only the parts ticked here can be shared under this consent.',
  purposes: 'Why it may be shared.',
  purpose_text: 'More about the purpose, in their words, if they want to say more.',
  expiry: 'When it stops covering anything.',
  statements: 'Tick each statement the signed form includes.',
  signer_name: 'The name of the person who signed, as they signed it.',
  signer_authority: 'Choose the person, unless someone signed for them.',
  signed_on: 'The date on the signed form.',
};

// The statements a signed form makes, in words a person can check.
const STATEMENTS = {
  revocation_statement: 'The signed form says: \u201cI understand I can revoke this consent in writing at any time, except for what was already disclosed because of it.\u201d',
  conditioning_statement: 'The signed form says whether signing is a condition of receiving services. Here it is not: \u201cI do not have to sign this to receive services.\u201d',
  redisclosure_statement: 'The signed form says: \u201cWhat is disclosed may be disclosed again by the recipient, and may then no longer be protected by federal privacy rules.\u201d',
};
const STATEMENT_CODES = Object.keys(STATEMENTS);

// Parts that only a consent that shares information has (shown as
// optional for such a kind when it does not require them).
const SHARING_ONLY = new Set(['disclosers', 'recipients', 'intermediary', 'information', 'categories', 'expiry',
  ...STATEMENT_CODES]);

const text = (c) => {
  const v = c.value.trim();
  return v === '' ? null : v;
};

export async function renderNew(ctx, personId) {
  const [person, ref] = await Promise.all([loadPerson(personId), ctx.reference()]);
  if (ctx.stale()) return;
  const cref = ref.consents;
  const d = ctx.draft && ctx.draft.kind === 'consent-new' && ctx.draft.personId === person.id ? ctx.draft.values : null;

  // --- the kind -----------------------------------------------------------------
  const kindGroup = choiceGroup({ id: 'c-kind', legend: 'Kind of consent', type: 'radio', required: true,
    items: (cref.kinds || []).map((k) => ({ value: k.code, label: k.label, hint: KIND_HINTS[k.code] })) });
  const kindNote = h('div', { class: 'consent-kind-note', 'aria-live': 'polite' });

  // --- its parts ----------------------------------------------------------------
  const lbl = (code) => elementLabel(cref, code);
  const f = {};
  f.person_name = field({ id: 'c-person_name', name: 'person_name', label: lbl('person_name'), hint: HINTS.person_name,
    maxlength: 200, value: person.legal_name || person.preferred_name });
  f.disclosers = field({ id: 'c-disclosers', name: 'disclosers', label: lbl('disclosers'), hint: HINTS.disclosers, maxlength: 200 });
  f.intermediary = field({ id: 'c-intermediary', name: 'intermediary', label: 'Through an intermediary (optional)',
    hint: HINTS.intermediary, maxlength: 200 });
  f.information = field({ id: 'c-information', name: 'information', label: lbl('information'), type: 'textarea', rows: 3,
    maxlength: 2000, hint: HINTS.information });
  f.purpose_text = field({ id: 'c-purpose_text', name: 'purpose_text', label: 'More about the purpose (optional)', type: 'textarea',
    rows: 2, maxlength: 2000, hint: HINTS.purpose_text });
  f.signer_name = field({ id: 'c-signer_name', name: 'signer_name', label: lbl('signer_name'), hint: HINTS.signer_name, maxlength: 200 });
  f.signer_authority = field({ id: 'c-signer_authority', name: 'signer_authority', label: lbl('signer_authority'), type: 'select',
    hint: HINTS.signer_authority, options: options(cref.signer_authorities, { blank: 'Choose who signed' }) });
  f.signed_on = field({ id: 'c-signed_on', name: 'signed_on', label: lbl('signed_on'), type: 'date', width: 'date', hint: HINTS.signed_on });
  f.expires_on = field({ id: 'c-expires_on', name: 'expires_on', label: 'The date it ends', type: 'date', width: 'date' });
  for (const k of ['person_name', 'disclosers', 'intermediary', 'signer_name']) f[k].control.removeAttribute('spellcheck');

  const cats = choiceGroup({ id: 'c-categories', legend: lbl('categories'), hint: HINTS.categories,
    items: (cref.categories || []).map((c) => ({ value: c.code, label: c.label })) });
  const purps = choiceGroup({ id: 'c-purposes', legend: lbl('purposes'), hint: HINTS.purposes, items: [] });
  const expiry = choiceGroup({ id: 'c-expiry', legend: lbl('expiry'), type: 'radio', hint: HINTS.expiry, items: [] });
  expiry.wrap.append(f.expires_on.wrap);
  const st = {};
  for (const code of STATEMENT_CODES) {
    st[code] = checkField({ id: `c-${code}`, label: STATEMENTS[code], lead: lbl(code) });
  }

  // Recipients: a short list of name and address.
  const rows = [];
  let rowSeq = 0;
  const rowsBox = h('div', { class: 'contact-rows recipient-rows' });
  const addRecipient = h('button', { type: 'button', class: 'button button--secondary', id: 'c-add-recipient', text: 'Add a recipient' });
  const recReq = h('span', { class: 'field__req', text: ' (required)', hidden: true });
  const recipients = {
    req: recReq,
    wrap: h('div', { class: 'field field--recipients', data: { field: 'recipients' } },
      h('fieldset', { class: 'checks' },
        h('legend', { class: 'field__label' }, lbl('recipients'), recReq),
        h('p', { class: 'field__hint', id: 'c-recipients-hint', text: HINTS.recipients }),
        rowsBox,
        h('p', { class: 'recipient-add' }, addRecipient))),
    get control() { return rows[0] ? rows[0].name.control : addRecipient; },
    get boxes() { return rows.map((r) => ({ c: r.name.control })); },
  };
  function renumber() {
    rows.forEach((r, i) => {
      r.legend.textContent = `Recipient ${i + 1}`;
      r.remove.textContent = `Remove recipient ${i + 1}`;
      r.remove.hidden = rows.length === 1;
      r.name.control.dataset.label = `Recipient ${i + 1}: name`;
      r.address.control.dataset.label = `Recipient ${i + 1}: address`;
    });
    addRecipient.disabled = rows.length >= MAX_RECIPIENTS;
  }
  function addRow(v = {}, { focus = false } = {}) {
    const uid = ++rowSeq;
    const r = {
      name: field({ id: `c-recipient-${uid}-name`, name: `recipient-${uid}-name`, label: 'Name', maxlength: 200, value: v.name || '',
        autocomplete: 'organization' }),
      address: field({ id: `c-recipient-${uid}-address`, name: `recipient-${uid}-address`, label: 'Address (optional)',
        maxlength: 200, value: v.address || '' }),
      legend: h('legend', {}),
      remove: h('button', { type: 'button', class: 'button button--quiet button--small' }),
    };
    r.name.control.removeAttribute('spellcheck');
    if (recReq && !recReq.hidden) r.name.control.setAttribute('aria-required', 'true');
    r.box = h('fieldset', { class: 'contact-row recipient-row' }, r.legend,
      h('div', { class: 'contact-row__grid' }, r.name.wrap, r.address.wrap),
      h('div', { class: 'contact-row__actions' }, r.remove));
    r.remove.addEventListener('click', () => {
      const i = rows.indexOf(r);
      rows.splice(i, 1);
      r.box.remove();
      renumber();
      const next = rows[i] || rows[i - 1];
      if (next) next.name.control.focus();
      else addRecipient.focus();
      ctx.announce(`Recipient removed. ${rows.length} ${rows.length === 1 ? 'recipient' : 'recipients'} in the form.`);
    });
    rows.push(r);
    rowsBox.append(r.box);
    renumber();
    if (focus) r.name.control.focus();
    return r;
  }
  addRecipient.addEventListener('click', () => {
    addRow({}, { focus: true });
    ctx.announce(`Recipient ${rows.length} added.`);
  });

  // Every part, by the element code the server names in its errors.
  const parts = {
    person_name: f.person_name, disclosers: f.disclosers, recipients, intermediary: f.intermediary,
    information: f.information, categories: cats, purposes: purps, purpose_text: f.purpose_text, expiry,
    ...st, signer_name: f.signer_name, signer_authority: f.signer_authority, signed_on: f.signed_on,
  };

  const section = (id, legend, codes, hint) => {
    const el = h('fieldset', { class: 'fieldset', id },
      h('legend', { text: legend }),
      hint ? h('p', { class: 'field__hint', text: hint }) : null,
      codes.map((c) => parts[c].wrap));
    el.dataset.codes = codes.join(' ');
    return el;
  };
  const sections = [
    section('c-who', 'Who and what', ['person_name', 'disclosers', 'recipients', 'intermediary', 'information', 'categories']),
    section('c-why', 'Why', ['purposes', 'purpose_text']),
    section('c-until', 'How long it lasts', ['expiry']),
    section('c-statements', 'What the signed form says', STATEMENT_CODES, HINTS.statements),
    section('c-signature', 'Signature', ['signer_name', 'signer_authority', 'signed_on']),
  ];
  const choose = h('p', { class: 'muted consent-choose', text: 'Choose the kind of consent first: the form then shows what that kind must include.' });
  const body = h('div', { class: 'consent-parts', hidden: true }, sections,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Save the consent' }),
      h('a', { class: 'button button--quiet', href: `#/people/${person.id}/consents`, text: 'Cancel' })));
  const form = h('form', { class: 'form consent-form', novalidate: true, 'aria-labelledby': 'consent-form-title' },
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'The kind' }), kindGroup.wrap, kindNote),
    choose, body);

  let kind = null;
  const visible = (code) => {
    if (!kind) return false;
    if ((kind.required || []).includes(code)) return true;
    if (code === 'purpose_text') return true;
    return kind.discloses && SHARING_ONLY.has(code);
  };

  function showExpiryDate() {
    f.expires_on.wrap.hidden = expiry.value() !== 'date';
  }

  function applyKind() {
    kind = kindOf(cref, kindGroup.value());
    choose.hidden = !!kind;
    body.hidden = !kind;
    clear(kindNote);
    if (!kind) return;
    const req = new Set(kind.required || []);
    kindNote.append(...[
      h('p', { class: 'consent-kind-note__lead', text: `${kind.label}: the parts marked \u201crequired\u201d must be on the signed form before it can be saved.` }),
      kind.rule ? h('p', { class: 'rule-problem__rule muted' }, 'Rule: ', h('cite', { text: ruleText(kind.rule) })) : null].filter(Boolean));
    const within = kind.purposes_within && kind.purposes_within.length ? new Set(kind.purposes_within) : null;
    purps.setItems((cref.purposes || []).filter((p) => !within || within.has(p.code)).map((p) => ({ value: p.code, label: p.label })));
    purps.hintEl.textContent = within ? 'Why it may be shared. This kind covers only treatment, payment and health care operations.' : HINTS.purposes;
    const was = expiry.value();
    expiry.setItems([{ value: 'date', label: 'On a date' },
      ...(kind.expiry_events || []).map((code) => ({ value: code, label: (cref.expiry_events.find((e) => e.code === code) || { label: code }).label }))]);
    if (was && expiry.boxes.some((b) => b.c.value === was)) expiry.boxes.find((b) => b.c.value === was).c.checked = true;
    for (const b of expiry.boxes) b.c.addEventListener('change', showExpiryDate);
    showExpiryDate();
    for (const [code, part] of Object.entries(parts)) {
      part.wrap.hidden = !visible(code);
      if (code !== 'intermediary' && code !== 'purpose_text') markRequired(part, req.has(code));
    }
    for (const r of rows) {
      if (req.has('recipients')) r.name.control.setAttribute('aria-required', 'true');
      else r.name.control.removeAttribute('aria-required');
    }
    for (const s of sections) s.hidden = s.dataset.codes.split(' ').every((c) => !visible(c));
  }
  for (const b of kindGroup.boxes) b.c.addEventListener('change', () => { clearErrors(form); applyKind(); });

  // --- values ---------------------------------------------------------------------
  function values() {
    return {
      kind: kindGroup.value(),
      person_name: f.person_name.control.value,
      disclosers: f.disclosers.control.value,
      recipients: rows.map((r) => ({ name: r.name.control.value, address: r.address.control.value })),
      intermediary: f.intermediary.control.value,
      information: f.information.control.value,
      categories: cats.values(),
      purposes: purps.values(),
      purpose_text: f.purpose_text.control.value,
      expiry: expiry.value(),
      expires_on: f.expires_on.control.value,
      statements: STATEMENT_CODES.filter((c) => st[c].control.checked),
      signer_name: f.signer_name.control.value,
      signer_authority: f.signer_authority.control.value,
      signed_on: f.signed_on.control.value,
    };
  }

  function setValues(v) {
    for (const b of kindGroup.boxes) b.c.checked = b.c.value === v.kind;
    applyKind();
    for (const k of ['person_name', 'disclosers', 'intermediary', 'information', 'purpose_text', 'expires_on', 'signer_name',
      'signer_authority', 'signed_on']) f[k].control.value = v[k] || '';
    rows.splice(0).forEach((r) => r.box.remove());
    for (const r of (v.recipients && v.recipients.length ? v.recipients : [{}])) addRow(r);
    for (const b of cats.boxes) b.c.checked = (v.categories || []).includes(b.c.value);
    for (const b of purps.boxes) b.c.checked = (v.purposes || []).includes(b.c.value);
    for (const b of expiry.boxes) b.c.checked = b.c.value === v.expiry;
    showExpiryDate();
    for (const c of STATEMENT_CODES) st[c].control.checked = (v.statements || []).includes(c);
  }

  function toBody() {
    const v = values();
    const out = { kind: v.kind || null };
    const on = (code) => visible(code);
    if (on('person_name')) out.person_name = text(f.person_name.control);
    if (on('disclosers')) out.disclosers = text(f.disclosers.control);
    if (on('recipients')) {
      out.recipients = rows.map((r) => ({ name: text(r.name.control), address: text(r.address.control) }))
        .filter((r) => r.name || r.address);
    }
    if (on('intermediary')) out.intermediary = text(f.intermediary.control);
    if (on('information')) out.information = text(f.information.control);
    if (on('categories')) out.categories = v.categories;
    if (on('purposes')) out.purposes = v.purposes;
    if (on('purpose_text')) out.purpose_text = text(f.purpose_text.control);
    if (on('expiry')) {
      if (v.expiry === 'date') out.expires_on = v.expires_on || null;
      else if (v.expiry) out.expiry_event = v.expiry;
    }
    for (const c of STATEMENT_CODES) if (on(c)) out[c] = st[c].control.checked;
    if (on('signer_name')) out.signer_name = text(f.signer_name.control);
    if (on('signer_authority')) out.signer_authority = v.signer_authority || null;
    if (on('signed_on')) out.signed_on = v.signed_on || null;
    return out;
  }

  // The control (and its label) a field named by the server stands for.
  function resolve(name) {
    if (name === 'kind') return { control: kindGroup.control, label: 'Kind of consent' };
    let m = /^recipients\[(\d+)\]\.(name|address)$/.exec(name || '');
    if (m) {
      // The server numbers the recipients it was sent (blank rows left out).
      const sent = rows.filter((r) => text(r.name.control) || text(r.address.control));
      const r = sent[Number(m[1])];
      return r ? { control: r[m[2]].control } : { control: recipients.control, label: lbl('recipients') };
    }
    m = /^(categories|purposes|recipients)\[\d+\]$/.exec(name || '');
    if (m) return { control: parts[m[1]].control, label: lbl(m[1]) };
    if (name === 'expires_on') return { control: f.expires_on.wrap.hidden ? expiry.control : f.expires_on.control, label: 'The date it ends' };
    if (name === 'expiry_event') return { control: expiry.control, label: lbl('expiry') };
    const part = parts[name];
    if (part && part.control) {
      const known = (cref.elements || []).some((e) => e.code === name);
      return { control: part.control, label: known ? lbl(name) : part.control.dataset.label };
    }
    return null;
  }

  // "is required for this kind of consent (The date it was signed)": the
  // label is already in front of it.
  function tidy(errors) {
    return errors.map((e) => {
      const suffix = ` (${lbl(e.field)})`;
      return e.message && e.message.endsWith(suffix) ? { ...e, message: e.message.slice(0, -suffix.length) } : e;
    });
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!kindGroup.value()) {
      showErrors(form, [{ field: 'kind', message: 'is needed first' }], resolve, { title: 'The consent was not saved yet' });
      return;
    }
    busy(form, true);
    try {
      const r = await api.post(`/api/v1/people/${person.id}/consents`, toBody());
      if (ctx.stale()) return;
      ctx.navigate(`#/consents/${r.json.id}`, { replace: true, flash: 'Consent recorded.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if ((err.status === 400 || err.status === 422) && err.errors.length) {
        const box = showErrors(form, tidy(err.errors), resolve, {
          title: err.status === 422 ? 'The consent was not saved: this kind of consent needs more' : 'The consent was not saved yet',
        });
        if (err.status === 422) {
          box.classList.add('rule-problem');
          const note = ruleNote(err.problem);
          if (note) box.append(note);
        }
      } else if (err.status === 422) {
        showFormProblem(form, 'The consent was not saved', problemText(err), ruleNote(err.problem));
      } else {
        showFormProblem(form, 'The consent was not saved', problemText(err));
      }
    }
  });

  // --- draw -----------------------------------------------------------------------
  addRow();
  if (d) setValues(d);
  else applyKind();
  const start = JSON.stringify(values());
  const page = h('div', { class: 'page page--form' },
    breadcrumb(person, h('a', { href: `#/people/${person.id}/consents`, text: 'Consents' })),
    h('h1', { id: 'consent-form-title', text: 'Record a consent' }),
    h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }),
      '. Copy what the signed form says. A consent is never changed once saved; if it changes, record a new one.'),
    hasPart2(person) ? h('p', { class: 'notice', text: 'Part of this record is from a Part 2 program. To share it, record a Part 2 consent.' }) : null,
    d && ctx.restored ? h('div', { class: 'notice', id: 'restored-notice' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })) : null,
    form);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'consent-new', personId: person.id, values: values() }),
    isDirty: () => JSON.stringify(values()) !== start,
  });
}
