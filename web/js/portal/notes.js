// Notes from the person's peer specialist (signed notes only, newest
// first), and one note: what was worked on (the plan goals, in the
// person's words), what was done, how it went and what comes next, any
// addenda, and the comments. The person may add a comment, say they have
// read the note, or both.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, details } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy } from '../forms.js';
import { theirWords } from '../views/plan_view.js';
import { page, tiles, count, problemText, HOME } from './common.js';

const NOTES = { href: '#/notes', text: 'Notes from your peer specialist' };
const MARKER = 'in your words';

function byWhom(n) {
  return [n.author_name, n.credential].filter(Boolean).join(', ');
}

export async function renderList(ctx) {
  const r = await api.get('/api/v1/portal/notes');
  if (ctx.stale()) return;
  const items = r.json.items || [];
  clear(ctx.main);
  ctx.main.append(page(HOME,
    h('h1', { text: 'Notes from your peer specialist' }),
    h('p', { class: 'lead', text: 'Your peer specialist writes a note after you meet or talk. Read them here. You can add a comment to any note.' }),
    items.length
      ? tiles(items.map((n) => ({
        href: `#/notes/${n.id}`,
        title: `${formatDate(n.service_date)}: ${n.type_label || n.type}`,
        text: [byWhom(n) ? `By ${byWhom(n)}` : null,
          n.minutes ? count(n.minutes, 'minute', 'minutes') : null,
          n.comments ? count(n.comments, 'comment', 'comments') : null].filter(Boolean).join(' \u00b7 '),
      })), 'Notes, newest first')
      : h('p', { text: 'There are no notes yet.' })));
  ctx.setView({ isDirty: () => false });
}

export async function render(ctx, id) {
  const r = await api.get(`/api/v1/portal/notes/${id}`);
  if (ctx.stale()) return;
  draw(ctx, r.json);
}

function clock(ts) {
  const t = new Date(ts);
  if (Number.isNaN(t.getTime())) return '';
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

function whenText(n) {
  const from = n.started_at ? clock(n.started_at) : '';
  const to = n.ended_at ? clock(n.ended_at) : '';
  return [formatDate(n.service_date), from && to ? `${from} to ${to}` : from].filter(Boolean).join(', ');
}

function text(title, value) {
  return h('div', { class: 'note-text' },
    h('h3', { text: title }),
    value ? h('p', { class: 'note-text__body', text: value }) : h('p', { class: 'muted', text: 'Nothing written here.' }));
}

function commentList(n) {
  const list = n.comments || [];
  if (!list.length) return h('p', { class: 'muted', text: 'No comments yet.' });
  return h('ol', { class: 'note-entries' }, list.map((x) => h('li', { class: 'note-entry' },
    x.body ? theirWords(x.body, 'blockquote', MARKER) : null,
    x.acknowledged ? h('p', { class: 'note-entry__ack' }, h('span', { class: 'badge badge--note-signed', text: 'Read' })) : null,
    h('p', { class: 'note-entry__meta muted', text: x.from_portal
      ? `You wrote this here, ${formatTime(x.created_at)}`
      : `${x.typed_name || 'You'}, with your peer specialist, ${formatTime(x.created_at)}` }))));
}

function draw(ctx, n, opts = {}) {
  const body = field({ id: 'cm-body', name: 'body', label: 'Your comment (optional)', type: 'textarea', rows: 4, maxlength: 4000,
    hint: 'Anything you would like to add, or anything that is not right. Your peer specialist will see it.' });
  body.wrap.classList.add('field--words');
  const ack = h('input', { type: 'checkbox', id: 'cm-ack', name: 'acknowledged' });
  ack.dataset.label = 'I have read this note';
  const ackWrap = h('div', { class: 'field field--check' },
    h('p', { class: 'field__error', id: 'cm-ack-error', hidden: true }),
    h('div', { class: 'check' }, ack, h('label', { for: 'cm-ack', text: 'I have read this note' })));
  const form = h('form', { class: 'form portal-form note-comment-form', novalidate: true, 'aria-labelledby': 'cm-form-title' },
    h('h3', { id: 'cm-form-title', text: 'Add a comment' }),
    body.wrap, ackWrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button portal-wide', text: 'Send' })));
  const resolve = (f) => ({
    body: { control: body.control, label: 'Your comment' },
    acknowledged: { control: ack, label: '\u201cI have read this note\u201d' },
  }[f] || null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const payload = { acknowledged: ack.checked };
    const typed = body.control.value.trim();
    if (typed) payload.body = typed;
    if (!typed && !ack.checked) {
      showErrors(form, [{ field: 'body', message: 'is empty. Write a comment, tick \u201cI have read this note\u201d, or both' }], resolve,
        { title: 'Nothing to send yet' });
      return;
    }
    busy(form, true, 'Sending…');
    try {
      const r = await api.post(`/api/v1/portal/notes/${n.id}/comments`, payload);
      if (ctx.stale()) return;
      draw(ctx, r.json, { focus: 'cm-title' });
      ctx.announce(typed ? 'Your comment was sent.' : 'Thank you. Your peer specialist will see that you have read this note.');
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: 'Your comment was not sent' });
      } else {
        showFormProblem(form, 'Your comment was not sent', problemText(err));
      }
    }
  });

  const goals = (n.goals || []).filter((g) => g.words);
  clear(ctx.main);
  ctx.main.append(page(NOTES,
    h('h1', { id: 'note-title', text: `Note from ${formatDate(n.service_date)}` }),
    h('p', { class: 'lead', text: [n.type_label || n.type, byWhom(n) ? `written by ${byWhom(n)}` : null].filter(Boolean).join(', ') }),
    h('section', { class: 'card', 'aria-labelledby': 'nt-words-title' },
      h('h2', { id: 'nt-words-title', text: 'The note' }),
      text('What we did', n.intervention),
      text('How it went for you', n.response),
      text('Next steps', n.next_steps)),
    h('section', { class: 'card', 'aria-labelledby': 'nt-goals-title' },
      h('h2', { id: 'nt-goals-title', text: 'Goals from your plan we worked on' }),
      goals.length ? h('ul', { class: 'note-goal-list' }, goals.map((g) => h('li', {}, theirWords(g.words, 'blockquote', MARKER))))
        : h('p', { class: 'muted', text: 'No goal from your plan is linked to this note.' })),
    h('section', { class: 'card', 'aria-labelledby': 'nt-facts-title' },
      h('h2', { id: 'nt-facts-title', text: 'When and where' }),
      details([
        ['When', whenText(n)],
        n.minutes ? ['How long', count(n.minutes, 'minute', 'minutes')] : null,
        n.group_name ? ['Group', n.group_name] : null,
        n.location ? ['Where', n.location] : null,
        ['Written together', n.written_together ? 'Yes, we wrote this note together.' : 'No, your peer specialist wrote it.'],
        n.signed_at ? ['Signed', formatTime(n.signed_at)] : null,
      ])),
    (n.addenda || []).length ? h('section', { class: 'card', 'aria-labelledby': 'nt-addenda-title' },
      h('h2', { id: 'nt-addenda-title', text: 'Added later' }),
      h('p', { class: 'muted', text: 'A signed note does not change. Corrections and additions are added here.' }),
      h('ol', { class: 'note-entries' }, n.addenda.map((a) => h('li', { class: 'note-entry' },
        h('p', { class: 'note-entry__body', text: a.body || '' }),
        h('p', { class: 'note-entry__meta muted', text: `${a.author_name ? `${a.author_name}, ` : ''}${formatTime(a.created_at)}` }))))) : null,
    h('section', { class: 'card', 'aria-labelledby': 'cm-title' },
      h('h2', { id: 'cm-title', tabindex: '-1', text: 'Comments' }),
      commentList(n),
      form)));
  ctx.setView({ isDirty: () => !!body.control.value.trim() || ack.checked });
  if (opts.focus) {
    const target = document.getElementById(opts.focus);
    if (target) target.focus();
  }
}
