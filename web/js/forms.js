// Form building blocks shared by the form views: labelled fields with
// hints, errors from the server shown next to the field they name (with
// aria-invalid and aria-describedby) and a summary at the top that links
// to each field.
import { h, clear } from './dom.js';

// Builds a labelled control. spec: id, name, label, type (text, date, tel,
// select, textarea, password), required, hint, options [{value,label}],
// autocomplete, inputmode, value, rows, maxlength, width.
export function field(spec) {
  const { id, label, type = 'text', required = false, hint } = spec;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  let control;
  if (type === 'select') {
    control = h('select', { id, name: spec.name || id },
      (spec.options || []).map((o) => h('option', { value: o.value, text: o.label })));
    if (spec.value !== undefined && spec.value !== null) control.value = spec.value;
  } else if (type === 'textarea') {
    control = h('textarea', { id, name: spec.name || id, rows: spec.rows || 3, maxlength: spec.maxlength });
    control.value = spec.value || '';
  } else {
    control = h('input', {
      id,
      name: spec.name || id,
      type,
      autocomplete: spec.autocomplete || 'off',
      inputmode: spec.inputmode,
      maxlength: spec.maxlength,
      spellcheck: type === 'text' ? 'false' : null,
    });
    control.value = spec.value || '';
  }
  if (required) control.setAttribute('aria-required', 'true');
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (spec.width) control.classList.add(`input--${spec.width}`);
  const wrap = h('div', { class: 'field', data: { field: spec.name || id } },
    h('label', { for: id, class: 'field__label' },
      label,
      required ? h('span', { class: 'field__req', text: ' (required)' }) : null),
    hint ? h('p', { class: 'field__hint', id: hintId, text: hint }) : null,
    h('p', { class: 'field__error', id: errorId, hidden: true }),
    control);
  control.dataset.label = label;
  return { wrap, control };
}

export function options(list, { blank } = {}) {
  const out = blank !== undefined ? [{ value: '', label: blank }] : [];
  for (const x of list || []) out.push({ value: x.code, label: x.label });
  return out;
}

// Empty text becomes null: the server treats "" and a missing value
// differently, and a blank optional field means "not recorded".
export function valueOrNull(control) {
  const v = control.value.trim();
  return v === '' ? null : v;
}

function setControlError(control, message) {
  const wrap = control.closest('.field');
  const err = wrap ? wrap.querySelector('.field__error') : null;
  if (!err) return;
  clear(err);
  err.append(h('span', { class: 'visually-hidden', text: 'Error: ' }), message);
  err.hidden = false;
  wrap.classList.add('field--error');
  control.setAttribute('aria-invalid', 'true');
  const ids = (control.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  if (!ids.includes(err.id)) ids.unshift(err.id);
  control.setAttribute('aria-describedby', ids.join(' '));
}

// Removes every error and the summary from a form.
export function clearErrors(form) {
  for (const wrap of form.querySelectorAll('.field--error')) wrap.classList.remove('field--error');
  for (const err of form.querySelectorAll('.field__error')) {
    clear(err);
    err.hidden = true;
  }
  for (const c of form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    const err = `${c.id}-error`;
    const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== err);
    if (ids.length) c.setAttribute('aria-describedby', ids.join(' '));
    else c.removeAttribute('aria-describedby');
  }
  const box = form.querySelector('.error-summary');
  if (box) box.remove();
}

// "must not be in the future" -> "Date of birth must not be in the future".
function sentence(label, message) {
  const m = String(message || 'is not valid');
  return `${label} ${m}`;
}

// Shows field errors from a problem+json 400. resolve(field) returns the
// control the server's field name points at, and optionally a label, or
// null when it names no control (those go in the summary only).
export function showErrors(form, errors, resolve, { title = 'Some details need attention' } = {}) {
  clearErrors(form);
  const items = [];
  for (const e of errors) {
    const target = resolve(e.field);
    if (target && target.control) {
      const label = target.label || target.control.dataset.label || e.field;
      const text = sentence(label, e.message);
      setControlError(target.control, text);
      items.push(h('li', {}, h('a', {
        href: `#${target.control.id}`,
        text,
        on: { click: (ev) => { ev.preventDefault(); target.control.focus(); } },
      })));
    } else {
      const label = (target && target.label) || friendlyField(e.field);
      items.push(h('li', { text: sentence(label, e.message) }));
    }
  }
  const box = summaryBox(title, items);
  form.prepend(box);
  box.focus();
  return box;
}

// A message at the top of a form (a problem that names no field).
export function showFormProblem(form, title, message, extra) {
  clearErrors(form);
  const box = summaryBox(title, message ? [h('p', { text: message })] : [], extra);
  form.prepend(box);
  box.focus();
  return box;
}

function summaryBox(title, items, extra) {
  const list = items.length && items[0].tagName === 'LI' ? h('ul', {}, items) : items;
  return h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    h('h2', { id: 'error-summary-title', class: 'error-summary__title', text: title }),
    list,
    extra || null);
}

function friendlyField(f) {
  if (!f) return 'The form';
  if (f === 'body') return 'The form';
  return f.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

// Explains a non-validation failure in words a person can act on.
export function problemText(err) {
  if (!err || err.status === undefined) {
    return 'Alongside could not reach the server. Check the connection and try again; nothing was saved.';
  }
  if (err.status === 403) return 'Your account is not allowed to do this.';
  if (err.status === 404) return 'This record could not be found on your team\u2019s roster.';
  if (err.status === 409) return err.problem.detail || err.problem.title || 'The record\u2019s state does not allow this change.';
  if (err.status === 429) return 'Too many attempts. Wait a little, then try again.';
  if (err.status >= 500) return 'Something went wrong on the server; nothing was saved. Try again in a moment.';
  return err.problem.detail || err.problem.title || `The server answered ${err.status}.`;
}

// Shallow value snapshot of a form's named controls.
export function formValues(form) {
  const out = {};
  for (const c of form.elements) {
    if (!c.name || c.type === 'submit' || c.type === 'button') continue;
    out[c.name] = c.value;
  }
  return out;
}

export function setFormValues(form, values) {
  for (const [name, v] of Object.entries(values || {})) {
    const c = form.elements.namedItem(name);
    if (c && 'value' in c) c.value = v;
  }
}

// Disables the submit button while a request is under way.
export function busy(form, on, text) {
  const btn = form.querySelector('button[type="submit"]');
  if (!btn) return;
  if (on) {
    btn.dataset.text = btn.textContent;
    btn.textContent = text || 'Saving…';
    btn.disabled = true;
    form.setAttribute('aria-busy', 'true');
  } else {
    if (btn.dataset.text) btn.textContent = btn.dataset.text;
    btn.disabled = false;
    form.removeAttribute('aria-busy');
  }
}
