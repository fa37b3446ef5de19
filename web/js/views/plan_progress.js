// Progress notes on a plan's goals and milestones (list items whose
// structure says "progress": true): what has been written about each, and
// a form to add a note, with how a goal is going when the goal has that.
import { api } from '../api.js';
import { h, formatDate, formatTime, todayISO } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { codeLabel, itemTitle } from './plan_common.js';
import { fillCodeOptions } from './plan_form.js';
import { theirWords } from './plan_view.js';

let seq = 0;

// The top-level list fields whose items take progress notes.
function progressFields(fields) {
  return fields.filter((f) => f.type === 'list' && f.item && f.item.type === 'object' && f.item.progress);
}

// Builds the section, or null when the kind has no such lists. onAdded()
// reloads the plan (a note changes its version).
export function progressSection({ ctx, kinds, kind, plan, onAdded }) {
  const lists = progressFields(kind.fields);
  if (!lists.length) return null;
  const content = plan.current.content || {};
  const blocks = [];
  for (const f of lists) {
    const items = (content[f.key] || []).filter((x) => x && x.id);
    blocks.push(h('div', { class: 'progress-list' },
      h('h3', { text: f.label }),
      items.length ? h('ol', { class: 'progress-items' }, items.map((x, i) => itemBlock({ ctx, kinds, f, x, i, plan, onAdded })))
        : h('p', { class: 'muted', text: 'Nothing saved here yet. Progress notes can be added once the plan is saved with an entry.' })));
  }
  return h('section', { class: 'card plan-progress', id: 'plan-progress', 'aria-labelledby': 'plan-progress-title' },
    h('h2', { id: 'plan-progress-title', tabindex: '-1', text: 'Progress' }),
    blocks);
}

function itemBlock({ ctx, kinds, f, x, i, plan, onAdded }) {
  const item = f.item;
  const title = itemTitle(item, x) || `${f.label} (${i + 1})`;
  const titleField = (item.fields || []).find((c) => c.key === item.title);
  const entries = (plan.progress || []).filter((p) => p.item_id === x.id)
    .sort((a, b) => (a.entry_date < b.entry_date ? 1 : a.entry_date > b.entry_date ? -1 : 0));
  const achievement = (item.fields || []).find((c) => c.key === 'achievement_status' && c.list);
  const uid = ++seq;
  const headId = `progress-${uid}-title`;
  return h('li', { class: 'progress-item', 'aria-labelledby': headId },
    h('h4', { id: headId, class: 'progress-item__title' },
      titleField && titleField.words === 'person' ? theirWords(title, 'span') : title),
    entries.length
      ? h('ul', { class: 'progress-entries' }, entries.map((p) => h('li', { class: 'progress-entry' },
        h('p', { class: 'progress-entry__meta' },
          h('strong', { text: formatDate(p.entry_date) }),
          p.achievement_status ? ` \u00b7 ${codeLabel(kinds, achievement ? achievement.list : 'goal_achievement', p.achievement_status)}` : '',
          p.author_name ? ` \u00b7 ${p.author_name}` : ''),
        h('p', { class: 'progress-entry__note', text: p.note || '' }),
        h('p', { class: 'visually-hidden', text: `Written ${formatTime(p.created_at)}` }))))
      : h('p', { class: 'muted', text: 'No progress notes yet.' }),
    addForm({ ctx, kinds, uid, title, x, plan, achievement, onAdded }));
}

function addForm({ ctx, kinds, uid, title, x, plan, achievement, onAdded }) {
  const f = {
    entry_date: field({ id: `progress-${uid}-date`, name: 'entry_date', label: 'Date', type: 'date', required: true, width: 'date', value: todayISO() }),
    note: field({ id: `progress-${uid}-note`, name: 'note', label: 'Progress note', type: 'textarea', rows: 3, required: true, maxlength: 4000 }),
  };
  if (achievement) {
    f.achievement_status = field({ id: `progress-${uid}-achievement`, name: 'achievement_status', label: 'How it is going (optional)', type: 'select', options: [] });
    fillCodeOptions(f.achievement_status.control, kinds.lists[achievement.list], 'Not said', '');
  }
  const form = h('form', { class: 'form progress-form', novalidate: true },
    f.entry_date.wrap, f.note.wrap, f.achievement_status ? f.achievement_status.wrap : null,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Add progress note' })));
  const box = h('details', { class: 'disclosure' },
    h('summary', {}, 'Add a progress note', h('span', { class: 'visually-hidden', text: ` for \u201c${title}\u201d` })),
    form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      item_id: x.id,
      entry_date: f.entry_date.control.value || null,
      note: f.note.control.value.trim() || null,
    };
    if (f.achievement_status && f.achievement_status.control.value) body.achievement_status = f.achievement_status.control.value;
    busy(form, true);
    try {
      await api.post(`/api/v1/plans/${plan.id}/progress`, body);
      if (ctx.stale()) return;
      await onAdded('Progress note added.');
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (f[name] ? { control: f[name].control } : null), { title: 'The note was not added' });
      } else {
        showFormProblem(form, 'The note was not added', problemText(err));
      }
    }
  });
  return box;
}
