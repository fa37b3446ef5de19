// The person's plans: the list, and one plan with the version in force
// and the draft being written, read-only and laid out by the kind's
// structure (GET /api/v1/portal/plan-kinds). On a draft the person may
// suggest changes: the same editor staff use (buildEditor, without the
// language coach, in the person's voice) filled with the draft's words,
// and a note. Their peer specialist goes through a suggestion with them
// and accepts it or not; the person sees each one's answer here.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, details } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy } from '../forms.js';
import { kindOf, ownTitle, roleLabel } from '../views/plan_common.js';
import { renderContent, changeList } from '../views/plan_view.js';
import { buildEditor } from '../views/plan_form.js';
import { diffContent } from '../views/plan_diff.js';
import { page, tiles, planStatus, problemText, HOME } from './common.js';

const MARKER = 'in your words';
const PLANS = { href: '#/plans', text: 'Your plans' };

export async function renderList(ctx) {
  const [plans, kinds] = await Promise.all([ctx.plans(), ctx.kinds()]);
  if (ctx.stale()) return;
  clear(ctx.main);
  ctx.main.append(page(HOME,
    h('h1', { text: 'Your plans' }),
    plans.length
      ? [h('p', { class: 'lead', text: 'The plans you have made with your peer specialist.' }),
        tiles(plans.map((p) => ({
          href: `#/plans/${p.id}`,
          title: `${p.kind_label || p.kind}${ownTitle(kinds, p) ? `: ${p.title}` : ''}`,
          text: [planStatus(p.status), p.review_due ? `Next review ${formatDate(p.review_due)}` : null].filter(Boolean).join('. '),
        })), 'Your plans')]
      : h('p', { text: 'You have no plans yet. Your peer specialist can start one with you.' })));
  ctx.setView({ isDirty: () => false });
}

export async function loadPlan(id) {
  const r = await api.get(`/api/v1/portal/plans/${id}`);
  const plan = r.json;
  if (r.etag !== null && r.etag !== undefined && !Number.isNaN(r.etag)) plan.version = r.etag;
  return plan;
}

// The version in force (or null), the draft (or null) and a version
// being signed (or null).
export function versionsOf(plan) {
  const cur = plan.current;
  let inForce = null;
  if (plan.signed) inForce = plan.signed;
  else if (plan.in_force && cur && cur.n === plan.in_force) inForce = cur;
  return {
    inForce,
    draft: cur && cur.status === 'draft' ? cur : null,
    signing: cur && cur.status === 'signing' ? cur : null,
  };
}

export async function render(ctx, id) {
  const [plan, kinds] = await Promise.all([loadPlan(id), ctx.kinds()]);
  if (ctx.stale()) return;
  draw(ctx, { plan, kinds });
}

function signatures(kinds, plan, v) {
  const list = v.signatures || [];
  if (!list.length) return null;
  return h('div', { class: 'portal-signatures' },
    h('h3', { text: 'Signed by' }),
    h('ul', { class: 'plain-list' }, list.map((s) => h('li', {
      text: `${s.role === 'person' ? 'You' : roleLabel(kinds, plan, s.role)}: ${s.typed_name || ''}, ${formatDate(s.signed_on)}`,
    }))));
}

const STATUS_WORDS = {
  open: 'Waiting for your peer specialist',
  accepted: 'Added to the draft',
  declined: 'Not added',
};

function suggestionList(plan) {
  const items = plan.proposals || [];
  if (!items.length) return null;
  return h('section', { class: 'card portal-suggestions', 'aria-labelledby': 'sg-list-title' },
    h('h2', { id: 'sg-list-title', tabindex: '-1', text: 'Your suggestions' }),
    h('ol', { class: 'portal-list' }, items.slice().reverse().map((p) => h('li', { class: `portal-suggestion portal-suggestion--${p.status}` },
      h('p', { class: 'portal-suggestion__head' },
        h('span', { class: `badge portal-badge portal-badge--${p.status}`, text: STATUS_WORDS[p.status] || p.status }),
        h('span', { class: 'muted', text: ` Sent ${formatTime(p.created_at)}` })),
      p.note ? h('p', { class: 'portal-suggestion__note' }, h('span', { class: 'visually-hidden', text: 'Your note: ' }), p.note) : null,
      p.status !== 'open' && p.decided_at ? h('p', { class: 'muted', text: `Answered ${formatTime(p.decided_at)}.` }) : null,
      p.status === 'declined' && p.reason ? h('p', {}, h('strong', { text: 'Why: ' }), h('span', { text: p.reason })) : null))));
}

function draw(ctx, data, opts = {}) {
  const { plan, kinds } = data;
  const kind = kindOf(kinds, plan.kind);
  const fields = kind ? kind.fields : [];
  const { inForce, draft, signing } = versionsOf(plan);
  const label = plan.kind_label || (kind ? kind.label : plan.kind);
  const words = (v) => (kind ? renderContent(kinds, fields, v.content, { level: 3, marker: MARKER })
    : h('p', { text: 'This kind of plan cannot be shown here yet. Ask your peer specialist for a printed copy.' }));

  let suggest = null;
  let formState = null; // { isDirty } while the suggestion form is open
  const suggestSlot = h('div', { class: 'portal-suggest' });

  function openForm(start, note = '') {
    clear(suggestSlot);
    const base = buildEditor(fields, draft.content, { lists: kinds.lists, coach: false }).read();
    const editor = buildEditor(fields, start || draft.content, { lists: kinds.lists, prefix: 'sg', announce: ctx.announce, coach: false, voice: 'person' });
    const noteField = field({ id: 'sg-note', name: 'note', label: 'A note for your peer specialist (optional)', type: 'textarea', rows: 3,
      maxlength: 2000, value: note, hint: 'Say why, or anything you would like to talk about.' });
    const cancel = h('button', { type: 'button', class: 'button button--secondary portal-wide', text: 'Cancel' });
    const form = h('form', { class: 'form portal-form', novalidate: true, 'aria-labelledby': 'sg-title' },
      h('h2', { id: 'sg-title', tabindex: '-1', text: 'Suggest changes' }),
      h('p', { text: 'Change the words below the way you would like them. Your peer specialist will see what you changed and go through it with you. Nothing in your plan changes until you both agree.' }),
      editor.el,
      noteField.wrap,
      h('div', { class: 'form__actions portal-actions' },
        h('button', { type: 'submit', class: 'button portal-wide', text: 'Send my suggestion' }),
        cancel));
    const changed = () => JSON.stringify(editor.read()) !== JSON.stringify(base);
    formState = { isDirty: () => changed() || !!noteField.control.value.trim() };
    cancel.addEventListener('click', () => {
      formState = null;
      clear(suggestSlot);
      suggestSlot.append(suggest);
      suggest.focus();
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const content = editor.read();
      const text = noteField.control.value.trim();
      if (!changed() && !text) {
        showFormProblem(form, 'Nothing to send yet', 'Change something in the plan, or write a note, then send it.');
        return;
      }
      const body = { content };
      if (text) body.note = text;
      busy(form, true, 'Sending…');
      try {
        await api.post(`/api/v1/portal/plans/${plan.id}/proposals`, body, { ifMatch: plan.version });
        const next = await loadPlan(plan.id);
        if (ctx.stale()) return;
        draw(ctx, { plan: next, kinds }, { focus: 'sg-list-title' });
        ctx.announce('Your suggestion was sent. Your peer specialist will go through it with you.');
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        busy(form, false);
        if (err.status === 400 && err.errors.length) {
          showErrors(form, err.errors, (f) => (f === 'note' ? { control: noteField.control, label: 'Your note' } : editor.resolve(f)),
            { title: 'Your suggestion was not sent: check these' });
        } else if (err.status === 412 || err.status === 409) {
          let next = null;
          try {
            next = await loadPlan(plan.id);
          } catch (e) {
            if (e.handled) return;
          }
          if (ctx.stale()) return;
          if (!next) {
            showFormProblem(form, 'Your suggestion was not sent', problemText(err));
            return;
          }
          const carried = { changes: diffContent(kinds, fields, base, content), note: text, why: err.status };
          draw(ctx, { plan: next, kinds }, { carried, focus: 'sg-carried' });
        } else {
          showFormProblem(form, 'Your suggestion was not sent', problemText(err));
        }
      }
    });
    suggestSlot.append(form);
    form.querySelector('h2').focus();
  }

  if (draft && kind) {
    suggest = h('button', { type: 'button', class: 'button portal-wide', id: 'sg-open', text: 'Suggest changes' });
    suggest.addEventListener('click', () => openForm());
    suggestSlot.append(suggest);
  }

  const carried = opts.carried ? h('div', { class: 'notice notice--warning', id: 'sg-carried', tabindex: '-1', role: 'alert' },
    h('h2', { class: 'notice__title', text: 'Your suggestion was not sent' }),
    h('p', { text: opts.carried.why === 412
      ? 'Your peer specialist changed the draft while you were writing. The newest draft is shown below. Here is what you had changed, so you can make those changes again:'
      : 'This plan has no draft open to suggestions now (it may be being signed). Here is what you had changed, so you can talk it through with your peer specialist:' }),
    opts.carried.changes.length ? changeList(opts.carried.changes) : h('p', { class: 'muted', text: 'You had not changed the words.' }),
    opts.carried.note ? h('p', {}, h('strong', { text: 'Your note: ' }), h('span', { text: opts.carried.note })) : null) : null;

  const sections = [];
  if (inForce) {
    sections.push(h('section', { class: 'card portal-version', 'aria-labelledby': 'v-force-title' },
      h('h2', { id: 'v-force-title', text: 'Your plan as it is now' }),
      h('p', { class: 'muted', text: `Version ${inForce.n}, signed ${formatDate(inForce.signed_on)}. This is the version in use.` }),
      words(inForce),
      signatures(kinds, plan, inForce)));
  }
  if (draft) {
    sections.push(h('section', { class: 'card portal-version portal-version--draft', 'aria-labelledby': 'v-draft-title' },
      h('h2', { id: 'v-draft-title', text: inForce ? 'The new version being written' : 'Your plan, being written' }),
      h('p', { class: 'muted', text: `Version ${draft.n}, a draft last changed ${formatTime(draft.updated_at)}. You and your peer specialist are writing it together. It is not signed yet.` }),
      words(draft),
      suggestSlot));
  }
  if (signing) {
    sections.push(h('section', { class: 'card portal-version', 'aria-labelledby': 'v-signing-title' },
      h('h2', { id: 'v-signing-title', text: inForce ? 'The new version, being signed' : 'Your plan, being signed' }),
      h('p', { class: 'muted', text: `Version ${signing.n}. Its words do not change now. To change them, talk with your peer specialist.` }),
      words(signing),
      signatures(kinds, plan, signing)));
  }
  if (!sections.length && plan.current) {
    sections.push(h('section', { class: 'card portal-version', 'aria-labelledby': 'v-cur-title' },
      h('h2', { id: 'v-cur-title', text: `Version ${plan.current.n}` }),
      words(plan.current)));
  }

  const facts = details([
    ['Where it stands', planStatus(plan.status)],
    plan.review_due ? ['Next review', formatDate(plan.review_due)] : null,
  ]);

  clear(ctx.main);
  ctx.main.append(page(PLANS,
    h('h1', { text: label }),
    ownTitle(kinds, plan) ? h('p', { class: 'lead', text: plan.title }) : null,
    facts,
    kind && kind.card ? h('p', {}, h('a', { class: 'button button--secondary portal-wide', href: `#/plans/${plan.id}/card`, text: 'See the crisis card' })) : null,
    carried,
    sections,
    suggestionList(plan)));
  ctx.setView({ isDirty: () => !!(formState && formState.isDirty()) });
  if (opts.focus) {
    const target = document.getElementById(opts.focus);
    if (target) {
      target.focus();
      ctx.focused = true;
    }
  }
}
