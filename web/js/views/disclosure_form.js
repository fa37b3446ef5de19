// Sharing information from a person's record (#/people/{id}/disclosures/new):
// who receives it, why, which parts of the record and how. "Check consent"
// asks the server whether a consent in force covers exactly that and says
// so plainly (or why not, with a way to record a consent); "Disclose" then
// records the disclosure and opens a copy to print, with the notice that
// must go with it (disclosure_print.js). Any change after a check means
// checking again.
//
// And a medical emergency disclosure (#/people/{id}/disclosures/emergency):
// the facts 42 CFR 2.51 asks to be recorded, for the rare case of a real
// emergency when consent cannot be obtained in time.
import { api } from '../api.js';
import { h, clear, formatDate } from '../dom.js';
import { field, options, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';
import { loadPerson, loadConsents, METHODS, choiceGroup, kindLabel, hasPart2, ruleNote, ruleText } from './consent_common.js';

const text = (c) => {
  const v = c.value.trim();
  return v === '' ? null : v;
};

function crumb(person) {
  return breadcrumb(person, h('a', { href: `#/people/${person.id}/consents`, text: 'Consents' }));
}

export async function renderNew(ctx, personId) {
  const [person, consents, ref] = await Promise.all([loadPerson(personId), loadConsents(personId), ctx.reference()]);
  if (ctx.stale()) return;
  const cref = ref.consents;
  const sharing = consents.filter((c) => c.status === 'active' && c.discloses);
  const names = [...new Set(sharing.flatMap((c) => (c.recipients || []).map((r) => r.name)).filter(Boolean))];
  const d = ctx.draft && ctx.draft.kind === 'disclosure-new' && ctx.draft.personId === person.id ? ctx.draft.values : null;

  const f = {};
  f.recipient_name = field({ id: 'd-recipient_name', name: 'recipient_name', label: 'Who receives it', required: true, maxlength: 200,
    autocomplete: 'off',
    hint: names.length
      ? `Their name as it is on the person\u2019s consent. Consents in force name: ${names.join('; ')}.`
      : 'Their name as it is on the person\u2019s consent. No consent in force names anyone yet.' });
  f.recipient_name.control.removeAttribute('spellcheck');
  if (names.length) {
    f.recipient_name.control.setAttribute('list', 'd-recipient-names');
    f.recipient_name.wrap.append(h('datalist', { id: 'd-recipient-names' }, names.map((n) => h('option', { value: n }))));
  }
  f.recipient_address = field({ id: 'd-recipient_address', name: 'recipient_address', label: 'Their address (optional)', maxlength: 200 });
  f.purpose = field({ id: 'd-purpose', name: 'purpose', label: 'Why it is shared', type: 'select', required: true,
    options: options(cref.purposes, { blank: 'Choose the purpose' }) });
  const cats = choiceGroup({ id: 'd-categories', legend: 'What parts of the record', required: true,
    hint: 'Only what the recipient needs for this purpose.',
    items: (cref.categories || []).map((c) => ({ value: c.code, label: c.label })) });
  f.method = field({ id: 'd-method', name: 'method', label: 'How it is shared', type: 'select', required: true,
    options: options(METHODS, { blank: 'Choose how' }) });
  f.information = field({ id: 'd-information', name: 'information', label: 'What exactly is shared (optional)', type: 'textarea', rows: 2,
    maxlength: 2000, hint: 'If it is less than whole parts of the record, say what, for example \u201cthe crisis plan only\u201d.' });
  const controls = { ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.control])), categories: cats.control };

  const result = h('div', { class: 'share-result', id: 'share-result', tabindex: '-1', 'aria-live': 'polite' });
  const check = h('button', { type: 'submit', class: 'button', id: 'share-check', text: 'Check consent' });
  const disclose = h('button', { type: 'button', class: 'button', id: 'share-disclose', text: 'Disclose', hidden: true });
  const form = h('form', { class: 'form share-form', novalidate: true, 'aria-labelledby': 'share-title' },
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'Who and why' }),
      f.recipient_name.wrap, f.recipient_address.wrap, f.purpose.wrap),
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'What and how' }),
      cats.wrap, f.information.wrap, f.method.wrap),
    h('div', { class: 'form__actions' }, check,
      h('a', { class: 'button button--quiet', href: `#/people/${person.id}/consents`, text: 'Cancel' })),
    result,
    h('div', { class: 'form__actions share-disclose' }, disclose));

  function values() {
    return {
      recipient_name: f.recipient_name.control.value,
      recipient_address: f.recipient_address.control.value,
      purpose: f.purpose.control.value,
      categories: cats.values(),
      method: f.method.control.value,
      information: f.information.control.value,
    };
  }
  function body() {
    const v = values();
    const out = {
      recipient_name: text(f.recipient_name.control),
      purpose: v.purpose || null,
      categories: v.categories,
      method: v.method || null,
    };
    if (text(f.recipient_address.control)) out.recipient_address = text(f.recipient_address.control);
    if (text(f.information.control)) out.information = text(f.information.control);
    return out;
  }
  const resolve = (name) => {
    const k = /^categories\[\d+\]$/.test(name || '') ? 'categories' : name;
    const c = controls[k];
    return c ? { control: c, label: k === 'categories' ? 'What parts of the record' : c.dataset.label } : null;
  };

  let checked = null; // the body a check allowed, as JSON
  function reset() {
    checked = null;
    disclose.hidden = true;
    clear(result);
    result.className = 'share-result';
  }
  form.addEventListener('input', () => { if (checked || result.firstChild) reset(); });
  form.addEventListener('change', () => { if (checked || result.firstChild) reset(); });

  function covered(ans) {
    const c = consents.find((x) => x.id === ans.consent_id);
    result.className = 'share-result share-result--yes';
    result.append(...[
      h('h2', { class: 'share-result__title', text: 'Covered: a consent in force allows this' }),
      h('p', {}, c
        ? [`Their ${kindLabel(cref, c.kind)}, signed ${formatDate(c.signed_on)}, covers sharing this with ${body().recipient_name}. `,
          h('a', { href: `#/consents/${c.id}`, text: 'Read the consent' })]
        : 'A consent in force covers it.'),
      h('p', { text: ans.part2
        ? 'This record is under 42 CFR Part 2: the federal notice that protects it goes with what you share.'
        : 'A notice that it was shared with the person\u2019s permission goes with it.' }),
      h('p', { class: 'muted', text: 'Disclosing records it in their accounting of disclosures and opens a copy to print or send.' })].filter(Boolean));
    disclose.hidden = false;
  }

  function refused(reason, rule) {
    result.className = 'share-result share-result--no';
    result.append(...[
      h('h2', { class: 'share-result__title', text: 'Not covered: do not share this' }),
      h('p', { class: 'share-result__reason', text: reason || 'No consent in force covers it.' }),
      names.length ? h('p', { class: 'muted', text: `Consents in force name: ${names.join('; ')}.` }) : null,
      rule ? h('p', { class: 'rule-problem__rule' }, h('strong', { text: 'Rule: ' }), h('cite', { text: ruleText(rule) })) : null,
      h('p', {}, 'If the person wants this shared, ',
        h('a', { href: `#/people/${person.id}/consents/new`, text: 'record a consent' }),
        ' that covers it first.')].filter(Boolean));
  }

  function failed(err, title) {
    if (err.status === 400 && err.errors.length) {
      showErrors(form, err.errors, resolve, { title });
    } else {
      showFormProblem(form, title, problemText(err));
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    reset();
    const b = body();
    check.disabled = true;
    check.textContent = 'Checking\u2026';
    try {
      const r = await api.post(`/api/v1/people/${person.id}/disclosures/check`, b);
      if (ctx.stale()) return;
      if (r.json.allowed) {
        checked = JSON.stringify(b);
        covered(r.json);
      } else {
        refused(r.json.reason);
      }
      result.focus();
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      failed(err, 'The consent was not checked');
    } finally {
      check.disabled = false;
      check.textContent = 'Check consent';
    }
  });

  disclose.addEventListener('click', async () => {
    const b = body();
    if (!checked || JSON.stringify(b) !== checked) {
      reset();
      return;
    }
    disclose.disabled = true;
    disclose.textContent = 'Recording\u2026';
    try {
      const r = await api.post(`/api/v1/people/${person.id}/disclosures`, b);
      if (ctx.stale()) return;
      ctx.keep(`disclosure:${r.json.disclosure.id}`, r.json);
      ctx.navigate(`#/people/${person.id}/disclosures/${r.json.disclosure.id}`, { flash: 'Disclosure recorded. Print the copy or send it.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      disclose.disabled = false;
      disclose.textContent = 'Disclose';
      if (err.status === 422) {
        reset();
        refused(err.problem.detail || (err.errors[0] && err.errors[0].message), err.problem.rule);
        result.focus();
      } else {
        failed(err, 'Nothing was disclosed');
      }
    }
  });

  if (d) {
    for (const k of ['recipient_name', 'recipient_address', 'purpose', 'method', 'information']) f[k].control.value = d[k] || '';
    for (const x of cats.boxes) x.c.checked = (d.categories || []).includes(x.c.value);
  }
  const start = JSON.stringify(values());
  const page = h('div', { class: 'page page--form' },
    crumb(person),
    h('h1', { id: 'share-title', text: 'Share information' }),
    h('p', { class: 'lead' }, 'From the record of ', h('strong', { text: person.preferred_name }),
      '. Information is shared only when a consent in force covers who receives it, why, and what.'),
    hasPart2(person) ? h('p', { class: 'notice', text: 'Part of this record is from a Part 2 program: only a Part 2 consent covers sharing it.' }) : null,
    !sharing.length ? h('p', { class: 'notice notice--warning' }, 'No consent in force lets anything be shared yet. ',
      h('a', { href: `#/people/${person.id}/consents/new`, text: 'Record a consent' }), ' first.') : null,
    form);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'disclosure-new', personId: person.id, values: values() }),
    isDirty: () => JSON.stringify(values()) !== start,
  });
}

// --- a medical emergency -------------------------------------------------------

export async function renderEmergency(ctx, personId) {
  const person = await loadPerson(personId);
  if (ctx.stale()) return;
  const d = ctx.draft && ctx.draft.kind === 'disclosure-emergency' && ctx.draft.personId === person.id ? ctx.draft.values : null;
  const f = {
    personnel_name: field({ id: 'e-personnel_name', name: 'personnel_name', label: 'Name of the medical staff member told', required: true,
      maxlength: 200, hint: 'The person who received the information, for example the doctor or nurse.' }),
    facility: field({ id: 'e-facility', name: 'facility', label: 'Their hospital or facility', required: true, maxlength: 200 }),
    nature: field({ id: 'e-nature', name: 'nature', label: 'What the emergency was', type: 'textarea', rows: 3, required: true,
      maxlength: 2000, hint: 'In a few plain words, and why the information was needed.' }),
    information: field({ id: 'e-information', name: 'information', label: 'What was shared', type: 'textarea', rows: 3, required: true,
      maxlength: 2000, hint: 'Only what the medical staff needed, for example \u201cthe crisis plan and who to call\u201d.' }),
    method: field({ id: 'e-method', name: 'method', label: 'How it was shared', type: 'select', required: true,
      options: options(METHODS, { blank: 'Choose how' }) }),
  };
  f.personnel_name.control.removeAttribute('spellcheck');
  f.facility.control.removeAttribute('spellcheck');
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'emergency-title' },
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'What happened' }),
      Object.values(f).map((x) => x.wrap)),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Record the emergency disclosure' }),
      h('a', { class: 'button button--quiet', href: `#/people/${person.id}/consents`, text: 'Cancel' })));
  const values = () => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.control.value]));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true);
    try {
      const b = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, text(v.control)]));
      await api.post(`/api/v1/people/${person.id}/emergency-disclosures`, b);
      if (ctx.stale()) return;
      ctx.navigate(`#/people/${person.id}/disclosures`, { replace: true, flash: 'Emergency disclosure recorded in the accounting of disclosures.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (f[name] ? { control: f[name].control } : null),
          { title: 'The emergency disclosure was not recorded yet' });
      } else {
        showFormProblem(form, 'The emergency disclosure was not recorded', problemText(err), ruleNote(err.problem));
      }
    }
  });
  if (d) for (const [k, v] of Object.entries(d)) if (f[k]) f[k].control.value = v || '';
  const start = JSON.stringify(values());
  const page = h('div', { class: 'page page--form' },
    crumb(person),
    h('h1', { id: 'emergency-title', text: 'Medical emergency disclosure' }),
    h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }), '.'),
    h('div', { class: 'notice notice--warning' },
      h('p', { class: 'notice__title' }, h('strong', { text: 'Only for a real medical emergency.' })),
      h('p', { text: 'Use this only when there is a bona fide medical emergency and the person\u2019s consent cannot be obtained in time. Share only what the medical staff need to treat them (42 CFR 2.51).' }),
      h('p', { text: 'Record it as soon as you can. It goes into their accounting of disclosures, and the person can see it.' })),
    form);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'disclosure-emergency', personId: person.id, values: values() }),
    isDirty: () => JSON.stringify(values()) !== start,
  });
}
