// Enroll (open an episode, starting with the person's recorded agreement
// to peer services) and discharge (close it, which sets the face-to-face
// follow-up due date).
import { api } from '../api.js';
import { h, clear, formatDate, todayISO, daysBetween, linkButton } from '../dom.js';
import { field, options, showErrors, showFormProblem, clearErrors, busy, problemText, formValues, setFormValues } from '../forms.js';

function addDays(iso, n) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return null;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return t.toISOString().slice(0, 10);
}

function shell(ctx, p, title, lead, form, extra) {
  return h('div', { class: 'page page--form' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/people', text: 'Team roster' }),
      h('span', { 'aria-hidden': 'true', text: ' / ' }),
      h('a', { href: `#/people/${p.id}`, text: p.preferred_name })),
    h('h1', { id: 'form-title', text: title }),
    h('p', { class: 'lead' }, ...lead),
    extra || null,
    form);
}

function restoredNotice() {
  return h('div', { class: 'notice notice--info', id: 'restored-notice' },
    h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' }));
}

function nothingToDo(ctx, p, title, text) {
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page' },
    h('h1', { text: title }),
    h('p', { text }),
    h('p', {}, linkButton(`#/people/${p.id}`, 'Back to their page'))));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

function draftFor(ctx, kind, id) {
  const d = ctx.draft;
  return d && d.kind === kind && d.personId === id ? d : null;
}

function tracker(form, start) {
  const reference = start || formValues(form);
  return () => JSON.stringify(formValues(form)) !== JSON.stringify(reference);
}

export async function renderEnroll(ctx, id) {
  const [res, ref] = await Promise.all([api.get(`/api/v1/people/${id}`), ctx.reference()]);
  if (ctx.stale()) return;
  const p = res.json;
  if (p.episodes.some((e) => e.status === 'open')) {
    nothingToDo(ctx, p, 'Already enrolled', 'This person already has an open enrollment. Discharge it before enrolling them again.');
    return;
  }
  const f = {
    agreement_date: field({ id: 'f-agreement_date', name: 'agreement_date', label: 'Date they agreed to peer services', type: 'date',
      required: true, hint: 'Peer services are voluntary: they start with the person\u2019s own agreement.', width: 'date' }),
    agreement_witness: field({ id: 'f-agreement_witness', name: 'agreement_witness', label: 'Agreement witnessed by', required: true,
      hint: 'The name of the person who witnessed the agreement.', maxlength: 100 }),
    intake_date: field({ id: 'f-intake_date', name: 'intake_date', label: 'Intake date', type: 'date', required: true,
      hint: 'On or after the agreement date.', width: 'date' }),
    referral_source: field({ id: 'f-referral_source', name: 'referral_source', label: 'Referred by', type: 'select', required: true,
      options: options(ref.referral_sources, { blank: 'Choose who referred them' }) }),
  };
  // Records from a Part 2 program are shared only with a Part 2 consent.
  const part2 = h('input', { type: 'checkbox', id: 'f-part2', name: 'part2' });
  const part2Wrap = h('div', { class: 'field field--check' },
    h('div', { class: 'check' }, part2,
      h('label', { for: 'f-part2', text: 'This is a Part 2 program\u2019s episode (substance use records under 42 CFR Part 2)' })),
    h('p', { class: 'field__hint', id: 'f-part2-hint', text: 'Then anything shared from their record needs a Part 2 consent.' }));
  part2.setAttribute('aria-describedby', 'f-part2-hint');
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Agreement and intake' }),
      f.agreement_date.wrap, f.agreement_witness.wrap, f.intake_date.wrap, f.referral_source.wrap, part2Wrap),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Enroll' }),
      h('a', { class: 'button button--quiet', href: `#/people/${p.id}`, text: 'Cancel' })));
  const draft = draftFor(ctx, 'enroll', p.id);
  const isDirty = tracker(form);
  if (draft) setFormValues(form, draft.values);
  if (draft) part2.checked = !!draft.part2;
  const page = shell(ctx, p, 'Enroll in peer services',
    ['Record how ', h('strong', { text: p.preferred_name }), ' came to peer services. Enrolling makes them active on the roster.'],
    form, draft && ctx.restored ? restoredNotice() : null);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      agreement_date: f.agreement_date.control.value || null,
      agreement_witness: f.agreement_witness.control.value.trim() || null,
      intake_date: f.intake_date.control.value || null,
      referral_source: f.referral_source.control.value || null,
    };
    if (part2.checked) body.part2 = true;
    busy(form, true);
    try {
      await api.post(`/api/v1/people/${p.id}/episodes`, body);
      if (ctx.stale()) return;
      ctx.navigate(`#/people/${p.id}`, { replace: true, flash: 'Enrolled. They are now active on the roster.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (f[name] ? { control: f[name].control } : null));
      } else if (err.status === 409) {
        showFormProblem(form, 'Already enrolled', 'Someone has enrolled this person since you opened this page. Nothing was saved.',
          h('p', {}, h('a', { href: `#/people/${p.id}`, text: 'See their current enrollment' })));
      } else {
        showFormProblem(form, 'They were not enrolled', problemText(err));
      }
    }
  });

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => ({ kind: 'enroll', personId: p.id, values: formValues(form), part2: part2.checked }),
    isDirty: () => isDirty() || part2.checked });
  if (draft && ctx.restored) {
    f.agreement_date.control.focus();
    ctx.focused = true;
  }
}

export async function renderDischarge(ctx, id, keep) {
  const [res, ref] = await Promise.all([api.get(`/api/v1/people/${id}`), ctx.reference()]);
  if (ctx.stale()) return;
  const p = res.json;
  const ep = p.episodes.find((e) => e.status === 'open');
  if (!ep) {
    nothingToDo(ctx, p, 'No open enrollment', 'This person has no open enrollment to discharge.');
    return;
  }
  const days = ref.follow_up_days;
  const f = {
    discharge_date: field({ id: 'f-discharge_date', name: 'discharge_date', label: 'Discharge date', type: 'date', required: true,
      hint: `On or after the intake date, ${formatDate(ep.intake_date)}.`, width: 'date' }),
    reason: field({ id: 'f-reason', name: 'reason', label: 'Reason', type: 'select', required: true,
      options: options(ref.discharge_reasons, { blank: 'Choose a reason' }) }),
    exit_strategy: field({ id: 'f-exit_strategy', name: 'exit_strategy', label: 'Exit strategy they chose', type: 'select', required: true,
      hint: 'How they plan to carry on after peer services, in their own choice.',
      options: options(ref.exit_strategies, { blank: 'Choose an exit strategy' }) }),
  };
  const due = h('p', { class: 'follow-up-preview', id: 'follow-up-preview', 'aria-live': 'polite' });
  function preview() {
    const v = f.discharge_date.control.value;
    const d = addDays(v, days);
    due.textContent = d
      ? `Face-to-face follow-up will be due on ${formatDate(d)}.`
      : `Face-to-face follow-up will be due ${days} days after the discharge date.`;
  }
  f.discharge_date.control.addEventListener('input', preview);
  f.discharge_date.control.addEventListener('change', preview);

  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('fieldset', { class: 'fieldset' },
      h('legend', { text: 'Discharge' }),
      f.discharge_date.wrap, due, f.reason.wrap, f.exit_strategy.wrap),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Discharge' }),
      h('a', { class: 'button button--quiet', href: `#/people/${p.id}`, text: 'Cancel' })));
  const draft = draftFor(ctx, 'discharge', p.id);
  const isDirty = tracker(form);
  if (draft) setFormValues(form, draft.values);
  if (keep) setFormValues(form, keep);
  preview();

  const extra = h('div', {},
    draft && ctx.restored ? restoredNotice() : null,
    keep ? h('div', { class: 'notice notice--info', id: 'carried', tabindex: '-1' },
      h('p', { text: 'The latest version of the enrollment is loaded and what you typed is still in the form. Check it, then discharge again.' })) : null);
  const page = shell(ctx, p, 'Discharge from peer services',
    ['End the enrollment of ', h('strong', { text: p.preferred_name }), ` that started on ${formatDate(ep.intake_date)}.`],
    form, extra);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      discharge_date: f.discharge_date.control.value || null,
      reason: f.reason.control.value || null,
      exit_strategy: f.exit_strategy.control.value || null,
    };
    busy(form, true);
    try {
      const r = await api.post(`/api/v1/people/${p.id}/episodes/${ep.id}/discharge`, body, { ifMatch: ep.version });
      if (ctx.stale()) return;
      const when = r.json.follow_up_due;
      ctx.navigate(`#/people/${p.id}`, { replace: true,
        flash: when ? `Discharged. Face-to-face follow-up is due on ${formatDate(when)}${dueIn(when)}.` : 'Discharged.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (f[name] ? { control: f[name].control } : null));
      } else if (err.status === 412) {
        const reload = h('button', { type: 'button', class: 'button', text: 'Reload the latest version' });
        showFormProblem(form, 'Someone else changed this enrollment',
          'While you were working, someone else saved a change to this enrollment. Nothing was saved and nothing was overwritten. Reload it; what you typed stays in the form.',
          h('p', {}, reload));
        reload.addEventListener('click', () => {
          const typed = formValues(form);
          renderDischarge(ctx, p.id, typed).then(() => {
            const box = ctx.main.querySelector('#carried');
            if (box) box.focus();
          }).catch((e) => {
            if (!e.handled) showFormProblem(form, 'Could not reload', problemText(e));
          });
        });
      } else if (err.status === 409) {
        showFormProblem(form, 'Already discharged', 'This enrollment was closed since you opened this page. Nothing was saved.',
          h('p', {}, h('a', { href: `#/people/${p.id}`, text: 'See their page' })));
      } else {
        showFormProblem(form, 'They were not discharged', problemText(err));
      }
    }
  });

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => ({ kind: 'discharge', personId: p.id, values: formValues(form) }), isDirty });
  if (draft && ctx.restored) {
    f.discharge_date.control.focus();
    ctx.focused = true;
  }
}

function dueIn(iso) {
  const d = daysBetween(todayISO(), iso);
  if (d === null) return '';
  if (d === 0) return ' (today)';
  return d > 0 ? ` (in ${d} days)` : ` (${-d} days ago)`;
}
