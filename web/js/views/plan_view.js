// A plan's content shown to read (a signed version, the print view),
// laid out by the kind's FIELDs with their labels. The person's own words
// are shown as a quotation marked "in their words".
import { h, formatDate } from '../dom.js';
import { codeLabel, isEmpty, itemTitle, phoneLink } from './plan_common.js';

// Renders content for fields. level: the heading level for top-level
// fields (nested ones go one deeper); marker: the words that mark the
// person's own words ("in their words"; the person's portal says "in
// your words"). Empty fields are left out.
export function renderContent(kinds, fields, content, { level = 3, marker = THEIR_WORDS } = {}) {
  const c = content && typeof content === 'object' ? content : {};
  const shown = fields.filter((f) => !isEmpty(c[f.key]));
  if (!shown.length) return h('p', { class: 'muted', text: 'Nothing has been written in this plan yet.' });
  const env = { kinds, marker };
  return h('div', { class: 'plan-content' }, shown.map((f) => section(env, f, c[f.key], level)));
}

const THEIR_WORDS = 'in their words';

function heading(level, text) {
  return h(`h${Math.min(level, 6)}`, { class: 'plan-content__label', text });
}

function section(env, f, v, level) {
  return h('section', { class: `plan-content__part plan-content__part--l${Math.min(level, 5)}` },
    heading(level, f.label),
    valueOf(env, f, v, level));
}

// Text the person wrote in their own words: a quotation marked "in their
// words" (or marker). tag 'span' gives a version that can sit inside a
// heading.
export function theirWords(text, tag = 'blockquote', marker = THEIR_WORDS) {
  if (tag === 'span') {
    return h('span', { class: 'their-words their-words--inline' },
      h('span', { class: 'their-words__text', text }), ' ', h('span', { class: 'words-marker', text: marker }));
  }
  return h('figure', { class: 'their-words' },
    h(tag, { class: 'their-words__text', text }),
    h('figcaption', { class: 'words-marker', text: marker }));
}

function valueOf(env, f, v, level) {
  const { kinds } = env;
  switch (f.type) {
    case 'date': return h('p', { text: formatDate(v) });
    case 'bool': return h('p', { text: v ? 'Yes' : 'No' });
    case 'code': return h('p', { text: codeLabel(kinds, f.list, v) });
    case 'codes': return h('ul', { class: 'plan-content__list' }, (v || []).map((code) => h('li', { text: codeLabel(kinds, f.list, code) })));
    case 'object': {
      const shown = (f.fields || []).filter((c) => !isEmpty(v[c.key]));
      return h('div', { class: 'plan-content__object' }, shown.map((c) => section(env, c, v[c.key], level + 1)));
    }
    case 'list': return listOf(env, f, v, level);
    default:
      if (f.words === 'person') return theirWords(String(v), 'blockquote', env.marker);
      return h('p', { class: 'plan-content__text', text: String(v) });
  }
}

function listOf(env, f, items, level) {
  const item = f.item || { type: 'text' };
  const list = (items || []).filter((x) => !isEmpty(x));
  if (item.type !== 'object') {
    return h('ul', { class: 'plan-content__list' }, list.map((x) => h('li', {}, item.words === 'person' ? theirWords(String(x), 'p', env.marker) : String(x))));
  }
  return h('ol', { class: 'plan-content__items' }, list.map((x, i) => objectItem(env, item, x, level, `${f.label} (${i + 1})`)));
}

// One item of a list of objects: its title (in their words when it is),
// then its other fields.
function objectItem(env, item, x, level, fallback) {
  const { kinds } = env;
  const titleKey = item.title;
  const titleField = (item.fields || []).find((c) => c.key === titleKey);
  const title = itemTitle(item, x);
  const rest = (item.fields || []).filter((c) => c.key !== titleKey && !isEmpty(x[c.key]));
  const scalars = rest.filter((c) => c.type !== 'list' && c.type !== 'object');
  const nested = rest.filter((c) => c.type === 'list' || c.type === 'object');
  return h('li', { class: 'plan-item' },
    titleField && titleField.words === 'person' && title
      ? h('div', { class: 'plan-item__title' }, theirWords(title, 'blockquote', env.marker))
      : heading(level + 1, title || fallback),
    scalars.length ? h('dl', { class: 'details details--compact' }, scalars.map((c) => h('div', { class: 'details__row' },
      h('dt', { text: c.label }),
      h('dd', {}, scalarText(env, c, x[c.key]))))) : null,
    nested.map((c) => section(env, c, x[c.key], level + 2)));
}

function scalarText(env, f, v) {
  const { kinds } = env;
  if (f.type === 'date') return formatDate(v);
  if (f.type === 'bool') return v ? 'Yes' : 'No';
  if (f.type === 'code') return codeLabel(kinds, f.list, v);
  if (f.type === 'codes') return (v || []).map((c) => codeLabel(kinds, f.list, c)).join(', ');
  if (/phone/.test(f.key)) return phoneLink(String(v));
  if (f.words === 'person') return theirWords(String(v), 'p', env.marker);
  return String(v);
}

// The changes diffContent() found, as a list a person can read: where
// each is (the field labels), then what was added, removed or changed,
// changed words marked with <del> and <ins> (with words a screen reader
// says, as it does not announce those elements).
export function changeList(changes) {
  return h('ul', { class: 'diff' }, changes.map((c) => h('li', { class: `diff__item diff__item--${c.change}` },
    h('p', { class: 'diff__where', text: c.where.join(' \u203a ') }),
    changeBody(c))));
}

function marked(tag, text) {
  return h(tag, {},
    h('span', { class: 'visually-hidden', text: tag === 'del' ? '[removed: ' : '[added: ' }),
    text,
    h('span', { class: 'visually-hidden', text: ']' }));
}

function changeBody(c) {
  if (c.change === 'added' || c.change === 'removed') {
    const tag = c.change === 'added' ? 'ins' : 'del';
    return h('div', {},
      h('p', {}, h('span', { class: 'diff__tag', text: c.change === 'added' ? 'Added: ' : 'Removed: ' }),
        c.text ? h(tag, { text: c.text }) : null),
      c.details && c.details.length
        ? h('dl', { class: 'details details--compact' }, c.details.map(([l, t]) => h('div', { class: 'details__row' }, h('dt', { text: l }), h('dd', {}, h(tag, { text: t })))))
        : null);
  }
  if (c.words) {
    return h('p', { class: 'diff__words' }, c.words.map((w) => (w.op === 'same' ? w.text : marked(w.op, w.text))));
  }
  return h('p', { class: 'diff__words' },
    h('span', { class: 'diff__tag', text: 'Was: ' }), marked('del', c.before), ' ',
    h('span', { class: 'diff__tag', text: 'Now: ' }), marked('ins', c.after));
}
