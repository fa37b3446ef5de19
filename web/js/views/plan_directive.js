// Where a declaration for mental health treatment stands: executed and
// expiry dates, what has happened to it (invoked, capacity restored,
// revoked) and forms to record those events. The state's rules decide what
// is allowed; a refusal is shown with the rule's citation.
import { api } from '../api.js';
import { h, formatDate, todayISO, details } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { EVENT_LABELS, ruleBox } from './plan_common.js';

export function directiveSection({ ctx, kinds, plan, onChanged, reload }) {
  const ad = kinds.advance_directive || {};
  const bases = ad.invocation_bases || [];
  const basisLabel = (code) => (bases.find((b) => b.code === code) || { label: code }).label;
  const events = (plan.events || []).slice().sort((a, b) => (a.on_date < b.on_date ? -1 : a.on_date > b.on_date ? 1 : 0));
  const forms = [];
  if (plan.status === 'executed') {
    forms.push(eventForm({ ctx, plan, event: 'invoked', summary: 'Record that it has been invoked', ad, onChanged, reload }));
    forms.push(eventForm({ ctx, plan, event: 'revoked', summary: 'Record that the person revoked it', ad, onChanged, reload }));
  } else if (plan.status === 'invoked') {
    forms.push(eventForm({ ctx, plan, event: 'capacity-restored', summary: 'Record that the person can decide again', ad, onChanged, reload }));
    forms.push(h('p', { class: 'field__hint', text: 'The person can revoke the declaration once they are able to make treatment decisions again.' }));
  }
  return h('section', { class: 'card plan-directive', id: 'plan-directive', 'aria-labelledby': 'plan-directive-title' },
    h('h2', { id: 'plan-directive-title', tabindex: '-1', text: 'Where the declaration stands' }),
    details([
      ['Made under', ad.statute ? `${ad.title || 'Declaration'}, ${ad.statute} (${ad.state || ''})` : null],
      ['Executed on', plan.executed_on ? formatDate(plan.executed_on) : h('span', { class: 'muted', text: 'Not yet: the person and the witnesses sign it first' })],
      ['Can be used until', plan.expires_on ? formatDate(plan.expires_on) : (ad.valid_years ? `${ad.valid_years} years after it is executed` : null)],
    ]),
    h('h3', { text: 'What has happened' }),
    events.length
      ? h('ul', { class: 'event-list' }, events.map((e) => h('li', {},
        h('strong', { text: `${formatDate(e.on_date)}: ${EVENT_LABELS[e.event] || e.event}` }),
        e.basis ? h('span', { text: `. ${basisLabel(e.basis)}` }) : null,
        e.physician ? h('span', { text: `. Physician: ${e.physician}` }) : null,
        e.delivered_on ? h('span', { text: `. Delivered to the attending physician on ${formatDate(e.delivered_on)}` }) : null)))
      : h('p', { class: 'muted', text: 'Nothing recorded yet.' }),
    forms);
}

let seq = 0;

function eventForm({ ctx, plan, event, summary, ad, onChanged, reload }) {
  const uid = ++seq;
  const id = (k) => `event-${uid}-${k}`;
  const f = {
    on_date: field({ id: id('on_date'), name: 'on_date', label: event === 'invoked' ? 'Invoked on' : event === 'revoked' ? 'Revoked on' : 'Able to decide again on',
      type: 'date', required: true, width: 'date', value: todayISO() }),
  };
  const parts = [f.on_date.wrap];
  const radios = [];
  if (event === 'invoked') {
    const bases = ad.invocation_bases || [];
    parts.push(h('div', { class: 'field', data: { field: 'basis' } },
      h('fieldset', { class: 'yes-no' },
        h('legend', { class: 'field__label' }, 'Who found the person unable to decide', h('span', { class: 'field__req', text: ' (required)' })),
        h('p', { class: 'field__error', id: `${id('basis')}-0-error`, hidden: true }),
        bases.map((b, i) => {
          const r = h('input', { type: 'radio', id: `${id('basis')}-${i}`, name: id('basis'), value: b.code });
          r.dataset.label = 'Who found the person unable to decide';
          radios.push(r);
          return h('div', { class: 'check' }, r, h('label', { for: r.id, text: b.label }));
        }))));
  }
  if (event === 'revoked') {
    f.principal_typed_name = field({ id: id('principal'), name: 'principal_typed_name', label: 'The person\u2019s name, typed by them', required: true, maxlength: 100,
      hint: 'The person signs the revocation while they are able to make treatment decisions.' });
    f.physician = field({ id: id('physician'), name: 'physician', label: 'Physician who signs the revocation', required: !!ad.revocation_requires_physician, maxlength: 100 });
    parts.push(f.principal_typed_name.wrap, f.physician.wrap);
  }
  if (event !== 'capacity-restored') {
    f.delivered_on = field({ id: id('delivered'), name: 'delivered_on', label: 'Delivered to the attending physician on (optional)', type: 'date', width: 'date' });
    parts.push(f.delivered_on.wrap);
  }
  const button = { invoked: 'Record: invoked', revoked: 'Record: revoked', 'capacity-restored': 'Record: able to decide again' }[event];
  const form = h('form', { class: 'form', novalidate: true }, parts,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: button })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const old = form.querySelector('.rule-problem');
    if (old) old.remove();
    const body = { event, on_date: f.on_date.control.value || null };
    if (event === 'invoked') {
      const r = radios.find((x) => x.checked);
      body.basis = r ? r.value : null;
    }
    for (const k of ['principal_typed_name', 'physician', 'delivered_on']) {
      if (f[k] && f[k].control.value.trim()) body[k] = f[k].control.value.trim();
    }
    busy(form, true);
    try {
      const r = await api.post(`/api/v1/plans/${plan.id}/events`, body, { ifMatch: plan.version });
      if (ctx.stale()) return;
      onChanged(r.json, `Recorded: ${(EVENT_LABELS[event] || event).toLowerCase()}.`);
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      const resolve = (name) => (name === 'basis' && radios[0] ? { control: radios[0] } : f[name] ? { control: f[name].control } : null);
      if (err.status === 422) {
        // Mark the fields the rule names, then show the rule itself first.
        if (err.errors.length) showErrors(form, err.errors, resolve, { title: 'Some details need attention' });
        const summaryBox = form.querySelector('.error-summary');
        if (summaryBox) summaryBox.remove();
        const box = ruleBox(err, undefined, (name) => {
          const r = resolve(name);
          return r ? r.control.dataset.label : null;
        });
        form.prepend(box);
        box.focus();
      } else if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve);
      } else if (err.status === 412 || err.status === 409) {
        const again = h('button', { type: 'button', class: 'button', text: 'Reload the plan' });
        again.addEventListener('click', () => reload());
        showFormProblem(form, 'This was not recorded', err.status === 412
          ? 'Someone else changed this declaration while you were working. Reload it, then try again.'
          : problemText(err), h('p', {}, again));
      } else {
        showFormProblem(form, 'This was not recorded', problemText(err));
      }
    }
  });
  return h('details', { class: 'disclosure' }, h('summary', { text: summary }), form);
}
