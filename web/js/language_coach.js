// The language coach: attached to a text area (or text input), it checks
// the words as people type (POST /api/v1/language/check, a moment after
// they stop) and shows what it found under the field: a list saying
// "Consider “person with a substance use disorder” instead of “addict”:
// why", each with a button that puts the suggestion in, and above it the
// text again with those words underlined (<mark>). It only suggests: the
// form saves whatever is written, and a check that fails shows nothing.
// Notes, plans and comments use the same module.
import { api } from './api.js';
import { h, clear } from './dom.js';

const DELAY_MS = 600;
const TEXT_MAX = 20000;	// code points the server checks
let seq = 0;

// UTF-16 index of each code point offset in text, for offsets up to its
// length (the server counts code points; JavaScript strings count UTF-16
// units). Returns an array of length (code points + 1).
export function codePointIndex(text) {
  const at = [0];
  let i = 0;
  for (const ch of text) {
    i += ch.length;
    at.push(i);
  }
  return at;
}

// The text cut into plain and found parts: [{ text, finding? }], in order.
export function segments(text, findings) {
  const at = codePointIndex(text);
  const out = [];
  let pos = 0;
  for (const f of findings) {
    if (f.start < 0 || f.end > at.length - 1 || f.start >= f.end) continue;
    const a = at[f.start];
    const b = at[f.end];
    if (a < pos) continue;
    if (a > pos) out.push({ text: text.slice(pos, a) });
    out.push({ text: text.slice(a, b), finding: f });
    pos = b;
  }
  if (pos < text.length) out.push({ text: text.slice(pos) });
  return out;
}

// A suggestion in brackets is advice ("(describe the specific
// behaviour)"), not words to put in.
export function isAdvice(suggestion) {
  return /^\(.*\)$/.test(suggestion || '');
}

// The suggestion as it should replace found: a capital first letter when
// the words replaced began with one.
export function fitted(suggestion, found) {
  if (/^\p{Lu}/u.test(found || '') && /^\p{Ll}/u.test(suggestion)) {
    return suggestion[0].toUpperCase() + suggestion.slice(1);
  }
  return suggestion;
}

// The article just before the words replaced, made to agree with the
// words put in ("an addict" -> "a person ..."): { start, end, text } of
// the article to write, or null when there is none to change.
export function articleFix(before, words) {
  const m = /(^|[^\p{L}\p{N}])(an?)(\s+)$/iu.exec(before);
  if (!m) return null;
  const want = /^[aeiou]/i.test(words) ? 'an' : 'a';
  const text = m[2][0] === 'A' ? want[0].toUpperCase() + want.slice(1) : want;
  if (text.toLowerCase() === m[2].toLowerCase()) return null;
  const start = before.length - m[3].length - m[2].length;
  return { start, end: start + m[2].length, text };
}

// Words as the server compares them: case, runs of white space and
// typographic hyphens and apostrophes aside.
const plain = (s) => s.replace(/\s+/g, ' ').replace(/[\u2010\u2011]/g, '-').replace(/\u2019/g, "'").toLowerCase();
const same = (a, b) => plain(a) === plain(b);

// Attaches the coach to control (a textarea or input already in its
// field). opts: delay (ms after the last keystroke), label (the field's
// name, in what is spoken). Returns { check(), findings() }.
export function attachCoach(control, opts = {}) {
  const delay = opts.delay ?? DELAY_MS;
  const id = `coach-${++seq}`;
  const label = opts.label || control.dataset.label || 'this field';
  const title = h('p', { class: 'coach__title', id: `${id}-title` });
  const preview = h('p', { class: 'coach__preview', 'aria-hidden': 'true' });
  const list = h('ul', { class: 'coach__list', 'aria-labelledby': `${id}-title` });
  const box = h('div', { class: 'coach', id, hidden: true }, title, preview, list);
  // How many words there are to reconsider is spoken, politely, when it
  // changes.
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  control.after(box, live);
  const describedBy = (control.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  control.setAttribute('aria-describedby', [...describedBy, `${id}-title`].join(' '));

  let timer = null;
  let asked = 0;
  let shown = [];
  let lastCount = 0;
  let said = '';	// what the last change did, spoken with the next count

  function hide() {
    box.hidden = true;
    clear(title);
    clear(preview);
    clear(list);
    shown = [];
    if (lastCount || said) live.textContent = `${said}No words to reconsider in \u201c${label}\u201d.`;
    said = '';
    lastCount = 0;
  }

  function draw(text, findings) {
    shown = findings;
    if (!findings.length) {
      hide();
      return;
    }
    const n = findings.length;
    title.textContent = n === 1 ? 'A word to reconsider' : `${n} words to reconsider`;
    clear(preview);
    clear(list);
    for (const part of segments(text, findings)) {
      preview.append(part.finding ? h('mark', { class: 'coach__mark', text: part.text }) : part.text);
    }
    const at = codePointIndex(text);
    for (const f of findings) {
      const found = text.slice(at[f.start], at[f.end]);
      const advice = isAdvice(f.suggestion);
      const say = advice
        ? `Instead of \u201c${found}\u201d, ${f.suggestion.slice(1, -1)}: ${f.why}`
        : `Consider \u201c${f.suggestion}\u201d instead of \u201c${found}\u201d: ${f.why}`;
      const item = h('li', { class: `coach__item coach__item--${f.category}` },
        h('p', { class: 'coach__text', text: say }));
      if (!advice) {
        const use = h('button', { type: 'button', class: 'button button--secondary button--small coach__use' },
          `Use \u201c${fitted(f.suggestion, found)}\u201d`,
          h('span', { class: 'visually-hidden', text: ` instead of \u201c${found}\u201d` }));
        use.addEventListener('click', () => apply(f));
        item.append(use);
      }
      list.append(item);
    }
    box.hidden = false;
    if (n !== lastCount || said) live.textContent = `${said}${n === 1 ? 'One word' : `${n} words`} to reconsider in \u201c${label}\u201d.`;
    said = '';
    lastCount = n;
  }

  async function check() {
    clearTimeout(timer);
    timer = null;
    if (!control.isConnected) return;
    const text = control.value;
    const mine = ++asked;
    if (!text.trim() || [...text].length > TEXT_MAX) {
      hide();
      return;
    }
    try {
      const r = await api.post('/api/v1/language/check', { text });
      // A newer check, or a change since, makes this answer old.
      if (mine !== asked || control.value !== text) return;
      draw(text, Array.isArray(r.json && r.json.findings) ? r.json.findings : []);
    } catch {
      // The coach only suggests: when it cannot check, it says nothing.
      if (mine === asked) hide();
    }
  }

  function schedule(ms = delay) {
    clearTimeout(timer);
    timer = setTimeout(check, ms);
  }

  // Puts the suggestion in place of the words found, if they are still
  // there; otherwise checks again.
  function apply(f) {
    const text = control.value;
    const at = codePointIndex(text);
    const a = at[f.start];
    const b = at[f.end];
    const found = a === undefined || b === undefined ? '' : text.slice(a, b);
    if (!found || !same(found, f.term)) {
      schedule(0);
      return;
    }
    const words = fitted(f.suggestion, found);
    control.setRangeText(words, a, b, 'end');
    const art = articleFix(text.slice(0, a), words);
    if (art) control.setRangeText(art.text, art.start, art.end, 'preserve');
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.focus();
    said = `\u201c${found}\u201d replaced with \u201c${words}\u201d. `;
    check();
  }

  control.addEventListener('input', () => schedule());
  if (control.value.trim()) setTimeout(() => { if (control.isConnected) check(); }, 0);
  return { check, findings: () => shown.slice() };
}
