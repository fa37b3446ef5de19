// Suggestions the person made from their own portal to a draft of their
// plan (GET /api/v1/plans/{id}/proposals), on the plan's page. Each open
// one shows the person's note and what they changed, compared with the
// draft as it is now (diffContent); the peer goes through it with them
// and accepts it (POST .../accept with If-Match: the suggestion becomes
// the draft's words) or declines it, with a reason if they like. A
// suggestion made on an older draft cannot be accepted as it is: the page
// says so and offers to decline it or talk it through.
import { api } from '../api.js';
import { h, clear, formatTime } from '../dom.js';
import { field, problemText } from '../forms.js';
import { attachCoach } from '../language_coach.js';
import { buildEditor } from './plan_form.js';
import { changeList, theirWords } from './plan_view.js';
import { diffContent } from './plan_diff.js';

export async function loadProposals(planId) {
  try {
    return (await api.get(`/api/v1/plans/${planId}/proposals`)).json.items || [];
  } catch (err) {
    if (err.handled) throw err;
    return null;
  }
}

const STATUS = {
  open: 'Waiting for you to go through it together',
  accepted: 'Accepted',
  declined: 'Declined',
};

// The section, filled once the suggestions are loaded; empty (hidden)
// when there are none. opts: ctx, kinds, kind, plan, person, isDirty(),
// onAccepted(plan, message), reload().
export function proposalsSection(opts) {
  const { ctx, plan } = opts;
  const section = h('section', { class: 'card plan-proposals', 'aria-labelledby': 'plan-proposals-title', hidden: true });
  loadProposals(plan.id).then((items) => {
    if (ctx.stale() || items === null || !items.length) return;
    fill(section, items, opts);
    section.hidden = false;
  }).catch(() => {});
  return section;
}

function fill(section, items, opts) {
  const { kinds, kind, plan, person } = opts;
  const open = items.filter((p) => p.status === 'open');
  const done = items.filter((p) => p.status !== 'open');
  const fields = kind ? kind.fields : [];
  const draft = plan.current && plan.current.status === 'draft' ? plan.current : null;
  const norm = (c) => buildEditor(fields, c, { lists: kinds.lists, coach: false }).read();
  clear(section);
  section.append(...[
    h('h2', { id: 'plan-proposals-title', tabindex: '-1', text: `Suggestions from ${person.preferred_name}` }),
    h('p', { class: 'field__hint', text: `${person.preferred_name} made these from their own portal. Go through each one with them, then accept it or decline it.` }),
    open.length ? h('ol', { class: 'proposal-list' }, open.map((p) => openItem(p))) : h('p', { class: 'muted', text: 'No suggestions are waiting.' }),
    done.length ? h('details', { class: 'disclosure proposal-done' },
      h('summary', { text: `Earlier suggestions (${done.length})` }),
      h('ol', { class: 'proposal-list' }, done.map((p) => h('li', { class: `proposal proposal--${p.status}` },
        h('p', { class: 'proposal__head' }, h('strong', { text: STATUS[p.status] || p.status }),
          h('span', { class: 'muted', text: ` \u00b7 suggested ${formatTime(p.created_at)}${p.decided_at ? `, ${p.status} ${formatTime(p.decided_at)}` : ''}${p.decided_by_name ? ` by ${p.decided_by_name}` : ''}` })),
        p.note ? theirWords(p.note) : null,
        p.reason ? h('p', {}, h('strong', { text: 'Reason: ' }), h('span', { text: p.reason })) : null)))) : null].filter(Boolean));

  function openItem(p) {
    const problem = h('div', { class: 'proposal__problem' });
    const changes = draft ? diffContent(kinds, fields, norm(draft.content), norm(p.content)) : [];
    const accept = h('button', { type: 'button', class: 'button', text: 'Accept with them' });
    const decline = h('button', { type: 'button', class: 'button button--secondary', text: 'Decline' });
    const actions = h('div', { class: 'page__actions proposal__actions' }, draft ? accept : null, decline);
    const li = h('li', { class: 'proposal proposal--open' },
      h('p', { class: 'proposal__head' }, h('strong', { text: `Suggested ${formatTime(p.created_at)}` }),
        p.n && draft && p.n !== draft.n ? h('span', { class: 'muted', text: ` \u00b7 on version ${p.n}` }) : null),
      p.note ? [h('p', { class: 'proposal__label', text: 'Their note' }), theirWords(p.note)] : null,
      h('p', { class: 'proposal__label', text: 'What they changed, compared with the draft now' }),
      !draft ? h('p', { class: 'muted', text: 'The plan has no draft now, so this suggestion cannot be put in. Decline it, or start a new version and make the changes together.' })
        : changes.length ? changeList(changes) : h('p', { class: 'muted', text: 'No change to the words.' }),
      problem,
      actions);

    accept.addEventListener('click', async () => {
      clear(problem);
      if (opts.isDirty()) {
        problem.append(h('p', { class: 'field__error', role: 'alert',
          text: 'Save the plan first. Accepting puts their suggestion into the draft, so the changes you have not saved would be lost.' }));
        return;
      }
      accept.disabled = true;
      decline.disabled = true;
      try {
        const r = await api.post(`/api/v1/plan-proposals/${p.id}/accept`, undefined, { ifMatch: plan.version });
        if (opts.ctx.stale()) return;
        opts.onAccepted(r.json, `The suggestion from ${person.preferred_name} is in the draft now.`);
      } catch (err) {
        if (opts.ctx.stale() || err.handled) return;
        accept.disabled = false;
        decline.disabled = false;
        if (err.status === 409) {
          problem.append(h('div', { class: 'error-summary conflict', role: 'alert' },
            h('h3', { class: 'error-summary__title', text: 'The draft has changed since this suggestion' }),
            h('p', { text: `The draft was changed after ${person.preferred_name} made this suggestion, so it cannot be put in as it is. Talk it through with them and change the draft together, or decline it.` })));
          accept.disabled = true;
        } else if (err.status === 412) {
          const again = h('button', { type: 'button', class: 'button', text: 'Reload the plan' });
          again.addEventListener('click', () => opts.reload());
          problem.append(h('div', { class: 'error-summary conflict', role: 'alert' },
            h('h3', { class: 'error-summary__title', text: 'Someone else changed this plan' }),
            h('p', { text: 'The plan changed since this page was loaded. Reload it, then try again.' }),
            h('p', {}, again)));
        } else {
          problem.append(h('p', { class: 'field__error', role: 'alert', text: problemText(err) }));
        }
      }
    });

    decline.addEventListener('click', () => {
      clear(problem);
      const reason = field({ id: `proposal-reason-${p.id}`, name: 'reason', label: 'Why not (optional)', type: 'textarea', rows: 2, maxlength: 2000,
        hint: `${person.preferred_name} sees this in their portal.` });
      attachCoach(reason.control);
      const send = h('button', { type: 'submit', class: 'button', text: 'Decline the suggestion' });
      const cancel = h('button', { type: 'button', class: 'button button--secondary', text: 'Cancel' });
      const form = h('form', { class: 'form proposal__decline', novalidate: true }, reason.wrap,
        h('div', { class: 'form__actions' }, send, cancel));
      actions.hidden = true;
      li.append(form);
      reason.control.focus();
      cancel.addEventListener('click', () => {
        form.remove();
        actions.hidden = false;
        decline.focus();
      });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        send.disabled = true;
        const body = {};
        if (reason.control.value.trim()) body.reason = reason.control.value.trim();
        try {
          await api.post(`/api/v1/plan-proposals/${p.id}/decline`, body);
          const next = await loadProposals(plan.id);
          if (opts.ctx.stale()) return;
          if (next) fill(section, next, opts);
          section.querySelector('h2').focus();
          opts.ctx.announce('The suggestion is declined.');
        } catch (err) {
          if (opts.ctx.stale() || err.handled) return;
          send.disabled = false;
          clear(problem);
          problem.append(h('p', { class: 'field__error', role: 'alert', text: problemText(err) }));
        }
      });
    });
    return li;
  }
}
