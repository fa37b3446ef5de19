// The signing panel of a plan: who still needs to sign, the signatures so
// far, and a form for each signer: the person (they type their name and
// confirm on screen), a member of staff, and for a declaration for mental
// health treatment its witnesses and agents, who answer the state's
// statements yes or no. A rule that refuses a signature is shown with its
// citation.
import { api } from '../api.js';
import { h } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { isDirective, roleLabel, ruleBox, signatureLine, fieldAt } from './plan_common.js';

const lowerFirst = (s) => (s ? s[0].toLowerCase() + s.slice(1) : s);

// The signers to offer for the newest version: [{ role, label, by,
// required, left }] where left is how many signatures are still needed.
// Staff sign in the capacities the rules give their role; once a version
// is signed, only optional signers who have not signed may still add theirs.
function signers(kinds, plan, myRole) {
  const sigs = plan.current.signatures || [];
  const done = (role) => sigs.filter((s) => s.role === role).length;
  if (isDirective(plan)) {
    return (plan.needs || []).map((n) => ({
      role: n.role,
      label: n.label,
      by: n.role === 'person' ? 'person' : n.role === 'witness' ? 'witness' : 'agent',
      required: true,
      left: n.count,
    }));
  }
  const rules = (kinds.rules && kinds.rules[plan.kind]) || { signers: [] };
  const signed = plan.current.status === 'signed';
  return rules.signers
    .filter((s) => s.signed_by !== 'staff' || (s.staff_roles || []).includes(myRole))
    .filter((s) => !signed || !s.required)
    .map((s) => ({ role: s.role, label: s.label, by: s.signed_by, required: s.required, left: Math.max(0, 1 - done(s.role)) }))
    .filter((s) => s.left > 0);
}

let seq = 0;

// Builds the panel. opts: ctx, kinds, plan, isDirty() (unsaved edits
// block signing: people sign the saved words), onSigned(plan, message),
// reload().
export function signPanel({ ctx, kinds, plan, isDirty, onSigned, reload }) {
  const open = plan.current.status === 'draft' || plan.current.status === 'signing';
  const sigs = plan.current.signatures || [];
  const myRole = ctx.me && ctx.me.role;
  const list = open || (plan.current.status === 'signed' && !isDirective(plan)) ? signers(kinds, plan, myRole) : [];
  const needs = plan.needs || [];
  const n = plan.current.n;
  return h('section', { class: 'card plan-sign', id: 'plan-sign', 'aria-labelledby': 'plan-sign-title' },
    h('h2', { id: 'plan-sign-title', tabindex: '-1', text: `Signatures for version ${n}` }),
    needs.length && open
      ? h('div', { class: 'plan-needs' },
        h('p', { class: 'plan-needs__title', text: 'Still to sign:' }),
        h('ul', {}, needs.map((x) => h('li', { text: x.count > 1 ? `${x.label} (${x.count} more)` : x.label }))))
      : null,
    !open && plan.current.status === 'signed' ? h('p', { text: `Version ${n} is signed by everyone who needs to sign it.` }) : null,
    sigs.length
      ? h('div', {}, h('h3', { text: 'Signed so far' }),
        h('ul', { class: 'signature-list' }, sigs.map((s) => h('li', { text: signatureLine(s, roleLabel(kinds, plan, s.role)) }))))
      : h('p', { class: 'muted', text: 'No one has signed this version yet.' }),
    open && plan.current.status === 'draft'
      ? h('p', { class: 'field__hint', text: 'Once someone signs, the words of this version cannot change. Save the plan before anyone signs.' })
      : null,
    list.map((s) => signForm({ ctx, kinds, plan, signer: s, isDirty, onSigned, reload })));
}

function signForm({ ctx, kinds, plan, signer, isDirty, onSigned, reload }) {
  const uid = ++seq;
  const ad = kinds.advance_directive || {};
  const f = {};
  const answers = [];
  const titleId = `sign-${uid}-title`;
  const parts = [];
  const optional = signer.required ? '' : ' (optional)';
  if (signer.by === 'staff') {
    parts.push(h('p', {}, 'You are signing as ', h('strong', { text: ctx.me.display_name }), '.'));
    f.credential = field({ id: `sign-${uid}-credential`, name: 'credential', label: 'Your credential (optional)',
      hint: 'For example CPS or LCSW.', maxlength: 100, width: 'medium' });
    parts.push(f.credential.wrap);
  } else {
    const nameLabel = signer.by === 'person' ? 'Their name, typed by them'
      : signer.by === 'witness' ? 'The witness\u2019s full name, typed by them' : 'Their full name, typed by them';
    f.typed_name = field({ id: `sign-${uid}-name`, name: 'typed_name', label: nameLabel, required: true, maxlength: 100,
      hint: signer.by === 'person' ? 'Hand the device to the person: they type their own name.' : null });
    parts.push(f.typed_name.wrap);
  }
  if (signer.by === 'witness') {
    f.address = field({ id: `sign-${uid}-address`, name: 'address', label: 'The witness\u2019s address', type: 'textarea', rows: 2, required: true, maxlength: 500 });
    parts.push(f.address.wrap);
    parts.push(statements(uid, 'These must all be true for a witness', ad.witness_attestations || [], answers));
    parts.push(statements(uid, 'A witness cannot be any of these', ad.witness_disqualifications || [], answers));
  } else if (signer.by === 'agent') {
    parts.push(statements(uid, 'An attorney-in-fact cannot be any of these, unless related to the person', ad.agent_disqualifications || [], answers));
    parts.push(statements(uid, 'Related to the person', ad.agent_exemptions || [], answers));
  }
  if (signer.by !== 'staff') {
    const text = {
      person: isDirective(plan) ? 'I have read this declaration and it states my wishes' : 'I have read this plan and it is mine',
      witness: 'I am signing as a witness, and my answers above are true',
      agent: 'I accept this appointment, and I will act only as the person\u2019s stated wishes say',
    }[signer.by];
    const id = `sign-${uid}-confirmed`;
    f.confirmed = { control: h('input', { type: 'checkbox', id, name: 'confirmed' }) };
    f.confirmed.control.dataset.label = 'The confirmation';
    parts.push(h('div', { class: 'field field--check' },
      h('p', { class: 'field__error', id: `${id}-error`, hidden: true }),
      h('div', { class: 'check' }, f.confirmed.control, h('label', { for: id, text }))));
  }
  const button = `Sign as ${lowerFirst(signer.label)}`;
  const agent = signer.by === 'agent' ? (plan.current.content || {})[signer.role] : null;
  const named = agent && agent.name ? ` (${agent.name})` : '';
  const form = h('form', { class: 'form sign-form', novalidate: true, 'aria-labelledby': titleId },
    h('h3', { id: titleId, text: `${signer.label}${named}${optional}${signer.left > 1 ? `: ${signer.left} still to sign` : ''}` }),
    parts,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: button })));

  function resolve(name) {
    if (f[name]) return { control: f[name].control };
    const m = /^answers\.(.+)$/.exec(name || '');
    if (m) {
      const a = answers.find((x) => x.code === m[1]);
      if (a) return { control: a.yes, label: a.label };
    }
    if (/^content\./.test(name || '')) {
      const k = fieldAt(kindsFields(kinds, plan), name.slice(8));
      return { label: k ? k.label : name.slice(8) };
    }
    return null;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const old = form.querySelector('.rule-problem');
    if (old) old.remove();
    if (isDirty()) {
      showFormProblem(form, 'Save the plan first', 'People sign the saved plan. Save what you typed above (or undo it), then sign.');
      return;
    }
    const body = { role: signer.role };
    if (f.typed_name) body.typed_name = f.typed_name.control.value.trim() || null;
    if (f.credential && f.credential.control.value.trim()) body.credential = f.credential.control.value.trim();
    if (f.address) body.address = f.address.control.value.trim() || null;
    if (f.confirmed) body.confirmed = f.confirmed.control.checked;
    if (answers.length) {
      body.answers = {};
      for (const a of answers) {
        if (a.yes.checked) body.answers[a.code] = true;
        else if (a.no.checked) body.answers[a.code] = false;
      }
    }
    busy(form, true, 'Signing\u2026');
    try {
      const r = await api.post(`/api/v1/plans/${plan.id}/sign`, body, { ifMatch: plan.version });
      if (ctx.stale()) return;
      onSigned(r.json, `${signer.label} signed version ${plan.current.n}.`);
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 422) {
        const box = ruleBox(err, 'This signature is not allowed by a rule in force', (name) => {
          const r = /^answers\./.test(name || '') ? null : resolve(name);
          return r ? r.label || r.control.dataset.label : null;
        });
        form.prepend(box);
        box.focus();
      } else if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: 'The signature was not recorded' });
      } else if (err.status === 412 || err.status === 409) {
        const again = h('button', { type: 'button', class: 'button', text: 'Reload the plan' });
        again.addEventListener('click', () => reload());
        showFormProblem(form, err.status === 412 ? 'Someone else changed this plan' : 'This signature is not needed now',
          err.status === 412 ? 'While you were working, someone else saved a change to this plan. Nothing was signed. Reload it, then sign again.' : problemText(err),
          h('p', {}, again));
      } else {
        showFormProblem(form, 'The signature was not recorded', problemText(err));
      }
    }
  });
  return form;
}

function kindsFields(kinds, plan) {
  const k = (kinds.kinds || []).find((x) => x.kind === plan.kind);
  return k ? k.fields : [];
}

// Yes/no questions, one fieldset each; answers collects
// { code, label, yes, no } for reading and for errors.
function statements(uid, title, items, answers) {
  if (!items.length) return null;
  return h('fieldset', { class: 'plan-group plan-group--nested statements' },
    h('legend', { text: title }),
    items.map((s) => {
      const id = `sign-${uid}-${s.code}`;
      const yes = h('input', { type: 'radio', id: `${id}-yes`, name: id, value: 'yes' });
      const no = h('input', { type: 'radio', id: `${id}-no`, name: id, value: 'no' });
      yes.dataset.label = s.label;
      answers.push({ code: s.code, label: s.label, yes, no });
      return h('div', { class: 'field' },
        h('fieldset', { class: 'yes-no' },
          h('legend', { class: 'yes-no__statement', text: s.label }),
          s.rule ? h('p', { class: 'field__hint' }, h('cite', { text: s.rule })) : null,
          h('p', { class: 'field__error', id: `${id}-yes-error`, hidden: true }),
          h('div', { class: 'yes-no__choices' },
            h('div', { class: 'check' }, yes, h('label', { for: `${id}-yes`, text: 'Yes' })),
            h('div', { class: 'check' }, no, h('label', { for: `${id}-no`, text: 'No' })))));
    }));
}
