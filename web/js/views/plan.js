// A plan's page: where it stands, its words (a form built from the kind's
// structure while the newest version is a draft; to read, with "Start a
// new version", once signing has begun), signatures, progress notes, who
// holds a copy, the person's suggestions from their own portal and, for a
// declaration for mental health treatment, its standing and events. Every
// change sends If-Match; a 412 says someone else saved first and offers to
// reload, never overwriting.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, todayISO, daysBetween, details } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { PLAN_STATUS, VERSION_STATUS, planBadge, kindOf, isDirective, loadAll, loadPlan, breadcrumb, ownTitle } from './plan_common.js';
import { buildEditor } from './plan_form.js';
import { renderContent, changeList } from './plan_view.js';
import { diffContent } from './plan_diff.js';
import { signPanel } from './plan_sign.js';
import { progressSection } from './plan_progress.js';
import { directiveSection } from './plan_directive.js';
import { minutesSection } from './plan_minutes.js';
import { proposalsSection } from './plan_proposals.js';

const COPIES = {
  key: 'copies',
  label: 'Who holds a copy',
  type: 'list',
  max: 50,
  help: 'The person decides who holds a copy. This list can change at any time.',
  item: {
    type: 'object',
    title: 'holder',
    fields: [
      { key: 'holder', label: 'Who holds it', type: 'text', required: true, max: 200 },
      { key: 'relationship', label: 'Relationship to the person', type: 'text', max: 200 },
      { key: 'given_on', label: 'Given on', type: 'date' },
    ],
  },
};

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export async function render(ctx, id) {
  const data = await loadAll(ctx, id);
  if (!data) return;
  const d = ctx.draft;
  const draft = d && d.kind === 'plan-form' && d.planId === data.plan.id && d.n === data.plan.current.n ? d : null;
  draw(ctx, data, { typed: draft ? draft.values : null, typedCopies: draft ? draft.copies : null, restored: !!(draft && ctx.restored) });
  if (draft && ctx.restored) ctx.focused = true;
}

function relative(iso) {
  const n = daysBetween(todayISO(), iso);
  if (n === null) return '';
  if (n === 0) return ' (today)';
  return n > 0 ? ` (in ${n} days)` : ` (${-n} days ago)`;
}

function draw(ctx, data, opts = {}) {
  const { plan, person, kinds } = data;
  const kind = kindOf(kinds, plan.kind);
  const cur = plan.current;
  const fields = kind ? kind.fields : [];
  const editable = cur.status === 'draft' && !!kind;
  const conflictSlot = h('div', { class: 'conflict-slot' });

  // --- the plan's words -------------------------------------------------
  let editor = null;
  let title = null;
  let baseValues = null;
  let contentForm = null;
  const values = () => ({ title: title.control.value.trim(), content: editor.read() });
  if (editable) {
    // Compare like with like: the saved content as the form would send it.
    const saved = { title: plan.title || '', content: buildEditor(fields, cur.content, { lists: kinds.lists }).read() };
    baseValues = saved;
    const start = opts.typed || saved;
    editor = buildEditor(fields, start.content, { lists: kinds.lists, prefix: 'pf', announce: ctx.announce });
    title = field({ id: 'plan-title', name: 'title', label: 'Title (optional)', hint: 'A short name for this plan, if the person wants one.', maxlength: 200, value: start.title || '' });
    contentForm = h('form', { class: 'form plan-form', novalidate: true, 'aria-labelledby': 'plan-content-title' },
      h('div', { class: 'plan-part' }, title.wrap),
      editor.el,
      h('div', { class: 'form__actions form__actions--sticky' },
        h('button', { type: 'submit', class: 'button', text: 'Save the plan' })));
    contentForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      save();
    });
  }
  const editorDirty = () => !!editor && !same(values(), baseValues);

  // --- who holds a copy ---------------------------------------------------
  const copiesStart = (plan.copies || []).map((c) => ({ holder: c.holder, relationship: c.relationship, given_on: c.given_on }));
  const copiesBase = buildEditor([COPIES], { copies: copiesStart }).read();
  const copies = buildEditor([COPIES], { copies: opts.typedCopies || copiesStart }, { lists: kinds.lists, prefix: 'copies', announce: ctx.announce });
  copies.el.classList.add('plan-editor--bare');
  copies.el.querySelector('legend').classList.add('visually-hidden');
  const copiesDirty = () => !same(copies.read(), copiesBase);
  const copiesForm = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'plan-copies-title' },
    copies.el,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button button--secondary', text: 'Save the list of copies' })));
  copiesForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    saveCopies();
  });

  // --- redrawing after a change -------------------------------------------
  // Keeps unsaved text in the forms when the plan changes under them
  // (a signature, a progress note, the copies saved).
  function update(next, message, { focus = null, keepTyped = true, keepCopies = true } = {}) {
    const keep = keepTyped && editorDirty() && next.current.n === cur.n && next.current.status === 'draft' ? values() : null;
    const typedCopies = keepCopies && copiesDirty() ? copies.read().copies || [] : null;
    draw(ctx, { plan: next, person, kinds }, { typed: keep, typedCopies, focus });
    if (message) ctx.announce(message);
  }

  async function reload(message = 'The latest version of the plan is shown.') {
    try {
      const next = await loadPlan(plan.id);
      if (ctx.stale()) return;
      update(next, message, { keepTyped: false, keepCopies: false });
    } catch (err) {
      if (!err.handled && !ctx.stale()) ctx.announce(problemText(err));
    }
  }

  async function save() {
    clearErrors(contentForm);
    clear(conflictSlot);
    const v = values();
    const body = {};
    if (v.title !== baseValues.title) body.title = v.title || null;
    if (!same(v.content, baseValues.content)) body.content = v.content;
    if (!Object.keys(body).length) {
      ctx.announce('There were no changes to save.');
      return;
    }
    busy(contentForm, true);
    try {
      const r = await api.patch(`/api/v1/plans/${plan.id}`, body, { ifMatch: plan.version });
      if (ctx.stale()) return;
      update(r.json, 'Plan saved.', { keepTyped: false, focus: 'plan-content-title' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(contentForm, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(contentForm, err.errors, (name) => (name === 'title' ? { control: title.control } : editor.resolve(name)),
          { title: 'The plan was not saved: some entries need attention' });
      } else if (err.status === 412) {
        showConflict(v);
      } else if (err.status === 409) {
        const again = h('button', { type: 'button', class: 'button', text: 'Reload the plan' });
        again.addEventListener('click', () => reload());
        showFormProblem(contentForm, 'The plan was not saved',
          'Someone has started signing this version, so its words can no longer change. Reload the plan to see it; start a new version to change it.',
          h('p', {}, again));
      } else {
        showFormProblem(contentForm, 'The plan was not saved', problemText(err));
      }
    }
  }

  function showConflict(typed) {
    const again = h('button', { type: 'button', class: 'button', text: 'Reload the latest version' });
    const box = h('div', { class: 'error-summary conflict', role: 'alert', tabindex: '-1', 'aria-labelledby': 'conflict-title' },
      h('h2', { id: 'conflict-title', class: 'error-summary__title', text: 'Someone else saved this plan' }),
      h('p', { text: 'While you were working, someone else saved a newer version of this plan. Your changes have not been saved, and theirs have not been overwritten.' }),
      h('p', { text: 'Reload to see the latest version. What you typed is listed on the page, so you can enter it again.' }),
      h('p', {}, again));
    clear(conflictSlot);
    conflictSlot.append(box);
    box.focus();
    again.addEventListener('click', async () => {
      again.disabled = true;
      try {
        const next = await loadPlan(plan.id);
        if (ctx.stale()) return;
        const latest = buildEditor(fields, next.current.content, { lists: kinds.lists }).read();
        const changes = diffContent(kinds, fields, latest, typed.content);
        if ((next.title || '') !== typed.title) {
          changes.unshift({ where: ['Title'], change: 'changed', before: next.title || '(none)', after: typed.title || '(none)' });
        }
        draw(ctx, { plan: next, person, kinds }, { carried: changes, focus: 'carried' });
        ctx.announce('The latest version is shown. What you typed is listed above the plan.');
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        again.disabled = false;
        ctx.announce(problemText(err));
      }
    });
  }

  async function saveCopies() {
    clearErrors(copiesForm);
    const list = (copies.read().copies) || [];
    busy(copiesForm, true);
    try {
      const r = await api.patch(`/api/v1/plans/${plan.id}`, { copies: list }, { ifMatch: plan.version });
      if (ctx.stale()) return;
      update(r.json, 'The list of copies is saved.', { focus: 'plan-copies-title', keepCopies: false });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(copiesForm, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(copiesForm, err.errors, (name) => copies.resolve(name));
      } else if (err.status === 412) {
        const again = h('button', { type: 'button', class: 'button', text: 'Reload the plan' });
        again.addEventListener('click', () => reload());
        showFormProblem(copiesForm, 'Someone else changed this plan',
          'While you were working, someone else saved a change to this plan. The list of copies was not saved. Reload it, then make your change again.',
          h('p', {}, again));
      } else {
        showFormProblem(copiesForm, 'The list of copies was not saved', problemText(err));
      }
    }
  }

  async function startVersion(button) {
    button.disabled = true;
    try {
      const r = await api.post(`/api/v1/plans/${plan.id}/versions`, undefined, { ifMatch: plan.version });
      if (ctx.stale()) return;
      update(r.json, `Version ${r.json.current.n} started as a draft. Version ${plan.in_force || cur.n} stays in force until it is signed.`,
        { focus: 'plan-content-title' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      button.disabled = false;
      const slot = document.getElementById('new-version-problem');
      if (slot) {
        clear(slot);
        slot.append(h('p', { class: 'field__error', text: err.status === 412
          ? 'Someone else changed this plan since it was loaded. Reload the page, then try again.'
          : problemText(err) }));
      }
    }
  }

  // --- the page -------------------------------------------------------------
  const what = isDirective(plan) ? 'The declaration' : 'The plan';
  let contentSection;
  if (!kind) {
    contentSection = h('section', { class: 'card' }, h('h2', { id: 'plan-content-title', text: 'The plan' }),
      h('p', { text: 'This kind of plan is not known to this version of Alongside, so it cannot be shown.' }));
  } else if (editable) {
    contentSection = h('section', { class: 'plan-section', 'aria-labelledby': 'plan-content-title' },
      h('h2', { id: 'plan-content-title', tabindex: '-1', text: `${what}: version ${cur.n}, a draft` }),
      h('p', { class: 'field__hint', text: 'Write it with the person, in their words. Nothing here is required until it is signed, except what each entry marks as required.' }),
      contentForm);
  } else {
    const newButton = h('button', { type: 'button', class: 'button', text: 'Start a new version' });
    newButton.addEventListener('click', () => startVersion(newButton));
    let next = null;
    if (isDirective(plan)) {
      next = h('p', { class: 'field__hint', text: cur.status === 'signing'
        ? 'Being signed: the words cannot change now.'
        : 'A declaration is not changed once it is signed: the person revokes it and makes a new one.' });
    } else if (cur.status === 'signing') {
      next = h('p', { class: 'field__hint', text: 'Being signed: the words cannot change now. Once it is signed, start a new version to change them.' });
    } else {
      next = h('div', { class: 'new-version' },
        h('p', { class: 'field__hint', text: 'The words of a signed version do not change. Start a new version to change them: this one stays in force until the new one is signed.' }),
        h('div', { id: 'new-version-problem' }),
        newButton);
    }
    contentSection = h('section', { class: 'card plan-section', 'aria-labelledby': 'plan-content-title' },
      h('h2', { id: 'plan-content-title', tabindex: '-1', text: `${what}: version ${cur.n}, ${(VERSION_STATUS[cur.status] || cur.status).toLowerCase()}` }),
      renderContent(kinds, fields, cur.content, { level: 3 }),
      next);
  }

  const facts = details([
    ['Status', planBadge(plan.status)],
    ['In force', plan.in_force ? `Version ${plan.in_force}` : 'No signed version yet'],
    ['Newest version', `Version ${plan.latest}: ${VERSION_STATUS[cur.status] || cur.status}`],
    plan.review_due ? ['Review due', `${formatDate(plan.review_due)}${relative(plan.review_due)}`] : null,
    plan.expires_on && !isDirective(plan) ? ['Expires', formatDate(plan.expires_on)] : null,
  ]);

  const actions = h('div', { class: 'page__actions' },
    h('a', { class: 'button button--secondary', href: `#/plans/${plan.id}/history`, text: 'Version history' }),
    h('a', { class: 'button button--secondary', href: `#/plans/${plan.id}/print`, text: 'Print' }),
    kind && kind.card ? h('a', { class: 'button button--secondary', href: `#/plans/${plan.id}/card`, text: 'Crisis card' }) : null);

  const notices = [];
  if (opts.restored) {
    notices.push(h('div', { class: 'notice notice--info', id: 'restored-notice' },
      h('p', { text: 'What you typed before you were signed out has been put back. It is not saved yet.' })));
  }
  if (opts.carried) {
    notices.push(h('div', { class: 'notice notice--info', id: 'carried', tabindex: '-1' },
      h('h2', { class: 'notice__title', text: 'What you typed before reloading' }),
      opts.carried.length ? changeList(opts.carried) : h('p', { text: 'What you typed matches the latest version.' }),
      h('p', { class: 'field__hint', text: 'The plan below is the latest saved version. Enter again anything you still want to change, then save.' })));
  }
  if (plan.status === 'revising' && plan.in_force) {
    notices.push(h('div', { class: 'notice' },
      h('p', {}, `Version ${plan.in_force} is signed and in force. Version ${cur.n} is a new draft; it replaces version ${plan.in_force} once it is signed. `,
        h('a', { href: `#/plans/${plan.id}/history`, text: 'See the versions' }))));
  }

  // The community integration plan shows how much the person relies on
  // peer support, month by month.
  const minutesSlot = plan.kind === 'community-integration' ? h('div', { class: 'minutes-slot' }) : null;
  const page = h('div', { class: 'page plan-page' },
    breadcrumb(person),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { text: kind ? kind.label : plan.kind }),
        h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }),
          ownTitle(kinds, plan) ? [': ', h('span', { text: plan.title })] : null)),
      actions),
    facts,
    notices,
    conflictSlot,
    isDirective(plan) ? directiveSection({ ctx, kinds, plan, onChanged: (p, m) => update(p, m, { focus: 'plan-directive-title' }), reload }) : null,
    kind ? proposalsSection({ ctx, kinds, kind, plan, person, isDirty: editorDirty,
      onAccepted: (p, m) => update(p, m, { focus: 'plan-content-title', keepTyped: false }), reload }) : null,
    contentSection,
    kind ? signPanel({ ctx, kinds, plan, isDirty: editorDirty,
      onSigned: (p, m) => update(p, m, { focus: 'plan-sign-title', keepTyped: false }), reload }) : null,
    kind ? progressSection({ ctx, kinds, kind, plan,
      onAdded: async (m) => {
        const next = await loadPlan(plan.id);
        if (!ctx.stale()) update(next, m, { focus: 'plan-progress-title' });
      } }) : null,
    minutesSlot,
    h('section', { class: 'card plan-copies', 'aria-labelledby': 'plan-copies-title' },
      h('h2', { id: 'plan-copies-title', tabindex: '-1', text: 'Who holds a copy' }),
      copiesForm),
    h('p', { class: 'muted record-meta', text: `Version ${cur.n} started ${formatTime(cur.created_at)}${cur.created_by_name ? ` by ${cur.created_by_name}` : ''}; last changed ${formatTime(cur.updated_at)}. ${PLAN_STATUS[plan.status] || ''}.` }));

  clear(ctx.main);
  ctx.main.append(page);
  if (minutesSlot) {
    minutesSection(plan.person_id).then((section) => {
      if (!ctx.stale()) minutesSlot.append(section);
    });
  }
  ctx.setView({
    snapshot: () => ({ kind: 'plan-form', planId: plan.id, n: cur.n, values: editor ? values() : null, copies: (copies.read().copies) || [] }),
    isDirty: () => editorDirty() || copiesDirty(),
  });
  if (opts.focus) {
    const target = document.getElementById(opts.focus);
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  } else if (opts.restored && editor) {
    editor.focusFirst();
  }
}
