// A form built from a plan kind's FIELDs (/api/v1/plan-kinds): text and
// text areas, dates, checkboxes, a select for a code, checkbox groups for
// codes, repeatable lists with add and remove, and nested objects as
// fieldsets. The person's own words ("words": "person") are styled as a
// quotation and marked "in their words"; other multiline text has the
// language coach (../language_coach.js) under it.
//
// buildEditor() returns { el, read(), resolve(path) }: read() gives the
// content object the server takes (empty entries left out, ids the server
// gave kept); resolve() turns a server error path such as
// "content.goals[1].words" into the control to mark and a label that
// names where it is ("My goals (2): The goal, in my own words").
import { h } from '../dom.js';
import { field } from '../forms.js';
import { attachCoach } from '../language_coach.js';

let seq = 0;
const nextId = (prefix) => `${prefix}-${++seq}`;

// Builds the editor for fields with starting content value. opts: lists
// (the structure's code lists), prefix (for element ids), announce(text),
// coach (false: no language coach, which calls a staff route; the
// person's portal turns it off), voice ('person': the person writes, so
// their own words are marked "in your words").
export function buildEditor(fields, value, opts = {}) {
  const env = {
    lists: opts.lists || {},
    prefix: opts.prefix || 'pf',
    announce: opts.announce || (() => {}),
    coach: opts.coach !== false,
    person: opts.voice === 'person',
  };
  const start = isObject(value) ? value : {};
  const parts = fields.map((f) => ({ f, node: makeNode(withCondition(f, fields, env), start[f.key], env, true) }));
  const el = h('div', { class: 'plan-editor' }, parts.map(({ node }) => h('div', { class: 'plan-part' }, node.el)));
  const known = new Set(fields.map((f) => f.key));
  return {
    el,
    // The content to send: what the form holds, and anything the saved
    // content had that this structure does not know (kept, not dropped).
    read() {
      const out = {};
      for (const [k, v] of Object.entries(start)) if (!known.has(k)) out[k] = v;
      for (const { f, node } of parts) {
        const v = node.read();
        if (v !== undefined) out[f.key] = v;
      }
      return out;
    },
    resolve(path) {
      const tokens = tokenize(path);
      if (tokens[0] === 'content') tokens.shift();
      const part = parts.find((p) => p.f.key === tokens[0]);
      return part ? part.node.find(tokens.slice(1), '') : null;
    },
    focusFirst() {
      const c = el.querySelector('input, select, textarea, button');
      if (c) c.focus();
    },
  };
}

// "content.goals[1].steps[0].who" -> ['content', 'goals', 1, 'steps', 0, 'who']
export function tokenize(path) {
  const out = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m;
  while ((m = re.exec(String(path || ''))) !== null) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function makeNode(f, value, env, top = false) {
  switch (f.type) {
    case 'date': return scalarNode(f, value, env, 'date');
    case 'bool': return boolNode(f, value, env);
    case 'code': return codeNode(f, value, env);
    case 'codes': return codesNode(f, value, env);
    case 'list': return listNode(f, value, env, top);
    case 'object': return objectNode(f, value, env, { legend: () => f.label, top });
    default: return scalarNode(f, value, env, f.multiline ? 'textarea' : 'text');
  }
}

function hintOf(f, env) {
  const parts = [];
  if (f.help) parts.push(f.help);
  if (f.words === 'person') parts.push(env.person ? 'Write it the way you would say it.' : 'Write it the way they say it.');
  if (f.required_when) parts.push(`Needed when \u201c${f.required_when.label}\u201d is \u201c${f.required_when.text}\u201d.`);
  return parts.join(' ') || undefined;
}

// A field required when a sibling has a value: the sibling's label and the
// value's words, for the hint.
function withCondition(c, siblings, env) {
  if (!c.required_when) return c;
  const s = siblings.find((x) => x.key === c.required_when.key);
  const list = s && s.list && env.lists[s.list];
  const hit = list && list.items.find((x) => x.code === c.required_when.equals);
  return {
    ...c,
    required_when: { ...c.required_when, label: s ? s.label : c.required_when.key, text: hit ? hit.label : String(c.required_when.equals) },
  };
}

function wordsMarker(env) {
  return h('span', { class: 'words-marker', text: env.person ? 'in your words' : 'in their words' });
}

function scalarNode(f, value, env, type) {
  const id = nextId(env.prefix);
  const { wrap, control } = field({
    id,
    name: id,
    label: f.label,
    type,
    required: !!f.required,
    hint: hintOf(f, env),
    maxlength: f.max,
    rows: type === 'textarea' ? 4 : undefined,
    width: type === 'date' ? 'date' : undefined,
    value: typeof value === 'string' ? value : '',
  });
  if (type === 'text') control.removeAttribute('spellcheck');
  if (f.placeholder) control.setAttribute('placeholder', f.placeholder);
  if (f.words === 'person') {
    wrap.classList.add('field--words');
    wrap.querySelector('label').append(' ', wordsMarker(env));
  } else if (type === 'textarea' && env.coach) {
    // What staff write is coached; the person's own words are theirs.
    attachCoach(control);
  }
  return {
    el: wrap,
    read: () => {
      const v = control.value.trim();
      return v === '' ? undefined : v;
    },
    find: (_t, prefix) => ({ control, label: prefix + f.label }),
  };
}

function errorSlot(id) {
  return h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
}

function boolNode(f, value, env) {
  const id = nextId(env.prefix);
  const control = h('input', { type: 'checkbox', id, name: id });
  control.checked = value === true;
  const wrap = h('div', { class: 'field field--check' },
    errorSlot(id),
    h('div', { class: 'check' }, control, h('label', { for: id, text: f.label })),
    f.help ? h('p', { class: 'field__hint', text: f.help }) : null);
  control.dataset.label = f.label;
  return {
    el: wrap,
    read: () => (control.checked ? true : undefined),
    find: (_t, prefix) => ({ control, label: prefix + f.label }),
  };
}

// A select's options from a code list, in optgroups when the list has groups.
export function fillCodeOptions(select, list, blank, current) {
  select.append(h('option', { value: '', text: blank }));
  const items = (list && list.items) || [];
  let group = null;
  let holder = select;
  for (const it of items) {
    if (it.group && it.group !== group) {
      group = it.group;
      holder = h('optgroup', { label: it.group });
      select.append(holder);
    }
    holder.append(h('option', { value: it.code, text: it.label }));
  }
  if (current && !items.some((x) => x.code === current)) {
    select.append(h('option', { value: current, text: current }));
  }
  select.value = current || '';
}

function codeNode(f, value, env) {
  const id = nextId(env.prefix);
  const { wrap, control } = field({ id, name: id, label: f.label, type: 'select', required: !!f.required, hint: hintOf(f, env), options: [] });
  fillCodeOptions(control, env.lists[f.list], f.required ? 'Choose one' : 'Not chosen', typeof value === 'string' ? value : '');
  return {
    el: wrap,
    read: () => control.value || undefined,
    find: (_t, prefix) => ({ control, label: prefix + f.label }),
  };
}

function codesNode(f, value, env) {
  const id = nextId(env.prefix);
  const chosen = new Set(Array.isArray(value) ? value : []);
  const items = (env.lists[f.list] && env.lists[f.list].items) || [];
  const groups = [];
  for (const it of items) {
    let g = groups.find((x) => x.name === (it.group || ''));
    if (!g) groups.push(g = { name: it.group || '', items: [] });
    g.items.push(it);
  }
  // Codes saved that the list no longer has stay chosen.
  for (const c of chosen) {
    if (!items.some((x) => x.code === c)) {
      if (!groups.length || groups[groups.length - 1].name !== 'Other') groups.push({ name: 'Other', items: [] });
      groups[groups.length - 1].items.push({ code: c, label: c });
    }
  }
  const boxes = [];
  const box = (it) => {
    const cid = nextId(env.prefix);
    const c = h('input', { type: 'checkbox', id: cid, name: id, value: it.code });
    c.checked = chosen.has(it.code);
    c.dataset.label = f.label;
    boxes.push(c);
    return h('div', { class: 'check' }, c, h('label', { for: cid, text: it.label }));
  };
  const several = groups.length > 1;
  const body = groups.map((g) => (several && g.name
    ? h('fieldset', { class: 'checks__group' }, h('legend', { text: g.name }), h('div', { class: 'checks__items' }, g.items.map(box)))
    : h('div', { class: 'checks__items' }, g.items.map(box))));
  const hint = hintOf(f, env);
  const wrap = h('div', { class: 'field field--codes' },
    h('fieldset', { class: 'checks' },
      h('legend', { class: 'field__label', text: f.label }),
      hint ? h('p', { class: 'field__hint', text: hint }) : null,
      errorSlot(id),
      body));
  // The error slot is found from the first checkbox.
  const first = () => boxes[0] || wrap;
  return {
    el: wrap,
    read: () => {
      const v = boxes.filter((c) => c.checked).map((c) => c.value);
      return v.length ? v : undefined;
    },
    find: (t, prefix) => {
      const sent = boxes.filter((c) => c.checked);
      return { control: (typeof t[0] === 'number' && sent[t[0]]) || first(), label: prefix + f.label };
    },
  };
}

// An object: a fieldset of its fields. legend() gives the current legend
// text (list rows renumber). Keys the structure does not know, and the id
// the server gave, are kept as they were.
function objectNode(f, value, env, { legend, top = false, extra = null } = {}) {
  const start = isObject(value) ? value : {};
  const fields = f.fields || [];
  const nodes = fields.map((c) => ({ c, node: makeNode(withCondition(c, fields, env), start[c.key], env) }));
  const legendEl = h('legend', { text: legend() });
  const el = h('fieldset', { class: top ? 'plan-group' : 'plan-group plan-group--nested' },
    legendEl,
    f.help ? h('p', { class: 'field__hint', text: f.help }) : null,
    nodes.map(({ node }) => node.el),
    extra);
  const known = new Set(fields.map((c) => c.key));
  return {
    el,
    legendEl,
    relabel: () => { legendEl.textContent = legend(); },
    read: () => {
      const out = {};
      for (const [k, v] of Object.entries(start)) if (!known.has(k)) out[k] = v;
      for (const { c, node } of nodes) {
        const v = node.read();
        if (v !== undefined) out[c.key] = v;
      }
      return Object.keys(out).length ? out : undefined;
    },
    find: (t, prefix) => {
      const hit = nodes.find((n) => n.c.key === t[0]);
      if (hit) return hit.node.find(t.slice(1), `${prefix}${top ? '' : `${legend()}: `}`);
      const c = el.querySelector('input, select, textarea');
      return c ? { control: c, label: prefix + legend() } : null;
    },
  };
}

function listNode(f, value, env, top) {
  const item = f.item || { type: 'text' };
  const rows = [];
  let sent = [];
  const rowsBox = h('div', { class: 'plan-list__rows' });
  const addId = nextId(env.prefix);
  const add = h('button', { type: 'button', id: addId, class: 'button button--secondary button--small', text: `Add to \u201c${f.label}\u201d` });
  add.dataset.label = f.label;
  const isObj = item.type === 'object';
  const rowLabel = (r) => `${f.label} (${rows.indexOf(r) + 1})`;

  function renumber() {
    for (const r of rows) {
      if (r.node.relabel) r.node.relabel();
      if (r.label) r.label.textContent = rowLabel(r);
      r.removeName.textContent = ` ${rowLabel(r)}`;
    }
    add.disabled = !!f.max && rows.length >= f.max;
  }

  function addRow(v, { focus = false } = {}) {
    const removeName = h('span', { class: 'visually-hidden' });
    const remove = h('button', { type: 'button', class: 'button button--quiet button--small plan-row__remove' }, 'Remove', removeName);
    const r = { removeName, remove };
    if (isObj) {
      r.node = objectNode({ ...item, label: f.label }, v, env, {
        legend: () => rowLabel(r),
        extra: h('div', { class: 'plan-row__actions' }, remove),
      });
      r.node.el.classList.add('plan-row', 'plan-row--object');
      r.el = r.node.el;
    } else {
      const node = makeNode({ ...item, key: 'item', label: f.label }, v, env);
      const label = node.el.querySelector('label');
      label.classList.add('visually-hidden');
      r.label = label;
      r.node = { ...node, find: (_t, prefix) => ({ control: node.el.querySelector('input, select, textarea'), label: prefix + rowLabel(r) }) };
      r.el = h('div', { class: 'plan-row plan-row--text' }, node.el, remove);
    }
    remove.addEventListener('click', () => {
      const i = rows.indexOf(r);
      rows.splice(i, 1);
      r.el.remove();
      renumber();
      const next = rows[i] || rows[i - 1];
      const target = next ? next.el.querySelector('input, select, textarea') : add;
      (target || add).focus();
      env.announce(`Removed. ${rows.length} ${rows.length === 1 ? 'entry' : 'entries'} in \u201c${f.label}\u201d.`);
    });
    rows.push(r);
    rowsBox.append(r.el);
    renumber();
    if (focus) {
      const c = r.el.querySelector('input, select, textarea');
      if (c) c.focus();
    }
    return r;
  }

  add.addEventListener('click', () => {
    addRow(undefined, { focus: true });
    env.announce(`Added entry ${rows.length} to \u201c${f.label}\u201d.`);
  });
  for (const v of Array.isArray(value) ? value : []) addRow(v);
  renumber();

  const hint = hintOf(f, env);
  const el = h('fieldset', { class: top ? 'plan-list' : 'plan-list plan-list--nested' },
    h('legend', { text: f.label }),
    hint ? h('p', { class: 'field__hint', text: hint }) : null,
    rowsBox,
    h('div', { class: 'field plan-list__add' }, errorSlot(addId), add));
  return {
    el,
    read: () => {
      const out = [];
      sent = [];
      for (const r of rows) {
        const v = r.node.read();
        if (v === undefined) continue;
        out.push(v);
        sent.push(r);
      }
      return out.length ? out : undefined;
    },
    find: (t, prefix) => {
      if (typeof t[0] === 'number' && sent[t[0]] && rows.includes(sent[t[0]])) {
        const r = sent[t[0]];
        return r.node.find(t.slice(1), prefix);
      }
      return { control: add, label: prefix + f.label };
    },
  };
}
