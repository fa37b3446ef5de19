// The difference between two versions of a plan, labelled with the field
// labels of the kind's structure. Pure functions: no DOM, no requests.
//
// diffContent(kinds, fields, a, b) returns a list of changes, in the order
// of the structure:
//   { where: ['My goals', '“Get my own place”', 'The goal, in my own words'],
//     change: 'added' | 'removed' | 'changed',
//     text?,     the added or removed value, in words
//     details?,  [[label, text], ...] for an added or removed item
//     before?, after?,  a changed code, date or yes/no, in words
//     words? }   a changed text: [{ op: 'same' | 'del' | 'ins', text }]
import { formatDate } from '../dom.js';

// Word-level difference of two texts. Spaces stay with the words around
// them, so joining every op's text gives back a (del) or b (ins) exactly.
export function wordDiff(a, b) {
  const x = tokens(a);
  const y = tokens(b);
  const ops = [];
  // Trim what is the same at both ends: most edits are small.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) { endX--; endY--; }
  push(ops, 'same', x.slice(0, start).join(''));
  const mid = sequenceDiff(x.slice(start, endX), y.slice(start, endY), (p, q) => p === q);
  for (const m of mid) push(ops, m.op, m.op === 'ins' ? y[start + m.j] : x[start + m.i]);
  push(ops, 'same', x.slice(endX).join(''));
  return ops;
}

function tokens(s) {
  return String(s || '').match(/\s+|[^\s]+/g) || [];
}

function push(ops, op, text) {
  if (!text) return;
  const last = ops[ops.length - 1];
  if (last && last.op === op) last.text += text;
  else ops.push({ op, text });
}

const MAX_CELLS = 1000000;

// A longest-common-subsequence alignment of two sequences: a list of
// { op: 'same', i, j } | { op: 'del', i } | { op: 'ins', j }, deletions
// before insertions where both happen at one place. Very long inputs get
// "all removed, all added" instead of an alignment.
export function sequenceDiff(x, y, same) {
  const n = x.length;
  const m = y.length;
  const out = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (let i = 0; i < n; i++) out.push({ op: 'del', i });
    for (let j = 0; j < m; j++) out.push({ op: 'ins', j });
    return out;
  }
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = same(x[i], y[j]) ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(x[i], y[j])) {
      out.push({ op: 'same', i: i++, j: j++ });
    } else if (j >= m || (i < n && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
      out.push({ op: 'del', i: i++ });
    } else {
      out.push({ op: 'ins', j: j++ });
    }
  }
  return out;
}

function empty(v) {
  if (v === undefined || v === null || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(empty);
  return false;
}

function equal(a, b) {
  if (empty(a) && empty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

function codeText(kinds, list, code) {
  const l = kinds && kinds.lists && kinds.lists[list];
  const hit = l && l.items.find((x) => x.code === code);
  return hit ? hit.label : String(code);
}

// A value in words, on one line.
export function valueText(kinds, f, v) {
  if (empty(v)) return '';
  switch (f.type) {
    case 'date': return formatDate(v);
    case 'bool': return v ? 'Yes' : 'No';
    case 'code': return codeText(kinds, f.list, v);
    case 'codes': return v.map((c) => codeText(kinds, f.list, c)).join('; ');
    case 'list': {
      const item = f.item || { type: 'text' };
      return v.filter((x) => !empty(x)).map((x) => (item.type === 'object' ? titleOf(item, x) || '(untitled)' : valueText(kinds, item, x))).join('; ');
    }
    case 'object': return details(kinds, f.fields || [], v).map(([l, t]) => `${l}: ${t}`).join('; ');
    default: return String(v);
  }
}

// [[label, text], ...] for the written fields of an object.
export function details(kinds, fields, v) {
  return fields.filter((c) => !empty(v && v[c.key])).map((c) => [c.label, valueText(kinds, c, v[c.key])]);
}

function titleOf(item, x) {
  const t = item.title && x ? x[item.title] : null;
  return typeof t === 'string' && t.trim() ? t.trim() : null;
}

const quote = (s) => `\u201c${s}\u201d`;

// Changes from content a to content b for fields.
export function diffContent(kinds, fields, a, b) {
  const out = [];
  const x = a || {};
  const y = b || {};
  for (const f of fields) diffValue(kinds, f, x[f.key], y[f.key], [f.label], out);
  // Anything the structure does not name (an older structure's fields).
  const known = new Set(fields.map((f) => f.key));
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (known.has(k) || equal(x[k], y[k])) continue;
    diffValue(kinds, { key: k, label: k, type: 'text' },
      x[k] === undefined ? undefined : JSON.stringify(x[k]), y[k] === undefined ? undefined : JSON.stringify(y[k]), [k], out);
  }
  return out;
}

function diffValue(kinds, f, a, b, where, out) {
  if (equal(a, b)) return;
  switch (f.type) {
    case 'object':
      for (const c of f.fields || []) diffValue(kinds, c, a && a[c.key], b && b[c.key], [...where, c.label], out);
      return;
    case 'list':
      diffList(kinds, f, a || [], b || [], where, out);
      return;
    case 'codes': {
      const before = new Set(a || []);
      const after = new Set(b || []);
      for (const c of after) if (!before.has(c)) out.push({ where, change: 'added', text: codeText(kinds, f.list, c) });
      for (const c of before) if (!after.has(c)) out.push({ where, change: 'removed', text: codeText(kinds, f.list, c) });
      return;
    }
    default:
      if (empty(a)) out.push({ where, change: 'added', text: valueText(kinds, f, b) });
      else if (empty(b)) out.push({ where, change: 'removed', text: valueText(kinds, f, a) });
      else if (f.type === 'text' || !f.type) out.push({ where, change: 'changed', words: wordDiff(String(a), String(b)) });
      else out.push({ where, change: 'changed', before: valueText(kinds, f, a), after: valueText(kinds, f, b) });
  }
}

function itemChange(kinds, item, x, change, where) {
  if (item.type === 'object') {
    return { where, change, text: titleOf(item, x) || '', details: details(kinds, (item.fields || []).filter((c) => c.key !== item.title), x) };
  }
  return { where, change, text: valueText(kinds, item, x) };
}

function diffList(kinds, f, a, b, where, out) {
  const item = f.item || { type: 'text' };
  const xs = a.filter((v) => !empty(v));
  const ys = b.filter((v) => !empty(v));
  if (item.type === 'object' && item.id) {
    // Items keep their id from version to version: match on it.
    const before = new Map(xs.filter((v) => v.id).map((v) => [v.id, v]));
    const seen = new Set();
    ys.forEach((v, i) => {
      const old = v.id ? before.get(v.id) : undefined;
      if (!old) {
        out.push(itemChange(kinds, item, v, 'added', where));
        return;
      }
      seen.add(v.id);
      const name = titleOf(item, v) || titleOf(item, old);
      const at = [...where, name ? quote(name) : `${f.label} (${i + 1})`];
      for (const c of item.fields || []) diffValue(kinds, c, old[c.key], v[c.key], [...at, c.label], out);
    });
    for (const v of xs) if (!v.id || !seen.has(v.id)) out.push(itemChange(kinds, item, v, 'removed', where));
    return;
  }
  // Otherwise align the lists; a removal and an addition at the same
  // place read as a change.
  const ops = sequenceDiff(xs, ys, (p, q) => JSON.stringify(p) === JSON.stringify(q));
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === 'same') { k++; continue; }
    const dels = [];
    const inss = [];
    while (k < ops.length && ops[k].op === 'del') dels.push(ops[k++].i);
    while (k < ops.length && ops[k].op === 'ins') inss.push(ops[k++].j);
    const pairs = Math.min(dels.length, inss.length);
    for (let p = 0; p < pairs; p++) {
      const old = xs[dels[p]];
      const cur = ys[inss[p]];
      if (item.type === 'object') {
        const name = titleOf(item, cur) || titleOf(item, old);
        const at = [...where, name ? quote(name) : `${f.label} (${inss[p] + 1})`];
        for (const c of item.fields || []) diffValue(kinds, c, old[c.key], cur[c.key], [...at, c.label], out);
      } else {
        diffValue(kinds, item, old, cur, where, out);
      }
    }
    for (const i of dels.slice(pairs)) out.push(itemChange(kinds, item, xs[i], 'removed', where));
    for (const j of inss.slice(pairs)) out.push(itemChange(kinds, item, ys[j], 'added', where));
  }
}
