// Signing in to the portal, and the first time: activating the invitation
// a peer specialist printed (its code, a sign-in name the person chooses
// and a passphrase typed twice). No email address is asked for. A lost
// passphrase is not reset here: the peer specialist issues a new
// invitation.
import { api } from '../api.js';
import { h } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy } from '../forms.js';
import { problemText, sessionOf } from './common.js';

const NAME_RE = /^[a-z0-9._-]{3,40}$/;

function notice(message, tone) {
  if (!message) return null;
  return h('div', { class: `notice${tone === 'warning' ? ' notice--warning' : ''}`, id: 'portal-message', role: 'note' },
    h('p', { text: message }));
}

// A checkbox that shows what was typed in the passphrase fields, for a
// small screen where typing mistakes are easy.
function showToggle(id, controls) {
  const box = h('input', { type: 'checkbox', id });
  box.addEventListener('change', () => {
    for (const c of controls) c.type = box.checked ? 'text' : 'password';
  });
  return h('div', { class: 'field field--check' },
    h('div', { class: 'check' }, box, h('label', { for: id, text: 'Show what I typed' })));
}

function nameField(id, label, hint) {
  const f = field({ id, name: 'sign_in_name', label, autocomplete: 'username', maxlength: 40, hint });
  f.control.setAttribute('autocapitalize', 'none');
  f.control.setAttribute('autocorrect', 'off');
  return f;
}

function passField(id, label, autocomplete, hint) {
  const f = field({ id, name: id, label, type: 'password', autocomplete, maxlength: 200, hint });
  return f;
}

function shell(view, title, lead, form, after) {
  const { main } = view;
  main.append(h('div', { class: 'page portal-page portal-signin' },
    h('h1', { text: title }),
    notice(view.message, view.tone),
    lead ? h('p', { class: 'lead', text: lead }) : null,
    form,
    after));
}

export function renderSignIn(view) {
  const name = nameField('si-name', 'Sign-in name');
  const pass = passField('si-pass', 'Passphrase', 'current-password');
  const form = h('form', { class: 'form portal-form', novalidate: true, 'aria-label': 'Sign in' },
    name.wrap, pass.wrap, showToggle('si-show', [pass.control]),
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button portal-wide', text: 'Sign in' })));
  const resolve = (f) => ({ sign_in_name: { control: name.control, label: 'Sign-in name' },
    passphrase: { control: pass.control, label: 'Passphrase' } }[f] || null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { sign_in_name: name.control.value.trim().toLowerCase(), passphrase: pass.control.value };
    const missing = [];
    if (!body.sign_in_name) missing.push({ field: 'sign_in_name', message: 'is needed' });
    if (!body.passphrase) missing.push({ field: 'passphrase', message: 'is needed' });
    if (missing.length) {
      showErrors(form, missing, resolve, { title: 'Fill in both boxes' });
      return;
    }
    busy(form, true, 'Signing in…');
    try {
      const r = await api.post('/api/v1/portal/session', body, { signIn: true });
      pass.control.value = '';
      view.onSignedIn(sessionOf(r));
    } catch (err) {
      busy(form, false);
      pass.control.value = '';
      if (err.status === 401) {
        showFormProblem(form, 'That did not match',
          'The sign-in name or the passphrase is not right. Check them and try again. If you have forgotten them, your peer specialist can give you a new invitation.');
      } else if (err.status === 429) {
        const mins = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : null;
        showFormProblem(form, 'Too many tries',
          `To keep your record safe, signing in is paused${mins ? ` for about ${mins} ${mins === 1 ? 'minute' : 'minutes'}` : ' for a few minutes'}. Then try again.`);
      } else if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: 'Check what you typed' });
      } else {
        showFormProblem(form, 'You are not signed in', problemText(err));
      }
    }
  });
  shell(view, 'Sign in to your record', null, form,
    h('div', { class: 'portal-signin__more' },
      h('h2', { text: 'First time here?' }),
      h('p', { text: 'If your peer specialist gave you an invitation with a code, start with that.' }),
      h('p', {}, h('a', { class: 'button button--secondary portal-wide', href: '#/activate', id: 'go-activate', text: 'I have an invitation code' })),
      h('h2', { text: 'Forgot your passphrase?' }),
      h('p', { text: 'Ask your peer specialist for a new invitation. Your old passphrase stops working when they make it.' }),
      h('h2', { text: 'On a shared phone' }),
      h('p', { text: 'Do not let the browser save your passphrase. Press \u201cSign out\u201d when you are done.' })));
}

export function renderActivate(view) {
  const code = field({ id: 'ac-code', name: 'code', label: 'Invitation code', maxlength: 64, value: view.code || '',
    hint: 'It is on the invitation from your peer specialist. It looks like ABCD-EFGH-JKLM.' });
  code.control.setAttribute('autocapitalize', 'characters');
  code.control.classList.add('portal-code-input');
  const name = nameField('ac-name', 'Choose a sign-in name',
    '3 to 40 letters or numbers. You may use . - or _ too. You do not need an email address. Do not use your full name if you would rather not.');
  const pass = passField('ac-pass', 'Choose a passphrase', 'new-password',
    'At least 10 characters. A few words you will remember work well, like \u201cgreen kettle morning walk\u201d.');
  const again = passField('ac-pass2', 'Type the passphrase again', 'new-password');
  const form = h('form', { class: 'form portal-form', novalidate: true, 'aria-label': 'Start using your record' },
    code.wrap, name.wrap, pass.wrap, again.wrap, showToggle('ac-show', [pass.control, again.control]),
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button portal-wide', text: 'Start' })));
  const resolve = (f) => ({
    code: { control: code.control, label: 'The invitation code' },
    sign_in_name: { control: name.control, label: 'The sign-in name' },
    passphrase: { control: pass.control, label: 'The passphrase' },
    again: { control: again.control, label: 'The passphrase typed again' },
  }[f] || null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      code: code.control.value.trim().toUpperCase(),
      sign_in_name: name.control.value.trim().toLowerCase(),
      passphrase: pass.control.value,
    };
    const problems = [];
    if (!body.code) problems.push({ field: 'code', message: 'is needed' });
    if (!body.sign_in_name) problems.push({ field: 'sign_in_name', message: 'is needed' });
    else if (!NAME_RE.test(body.sign_in_name)) problems.push({ field: 'sign_in_name', message: 'can have only letters, numbers, dots, dashes and underscores, from 3 to 40 of them' });
    if ([...body.passphrase].length < 10) problems.push({ field: 'passphrase', message: 'needs at least 10 characters' });
    else if (again.control.value !== body.passphrase) problems.push({ field: 'again', message: 'is not the same as the first one' });
    if (problems.length) {
      showErrors(form, problems, resolve, { title: 'Check what you typed' });
      return;
    }
    busy(form, true, 'Starting…');
    try {
      const r = await api.post('/api/v1/portal/activate', body, { signIn: true });
      pass.control.value = '';
      again.control.value = '';
      view.onSignedIn(sessionOf(r));
    } catch (err) {
      busy(form, false);
      if (err.status === 401) {
        showErrors(form, [{ field: 'code', message: 'does not work. It may be mistyped, used already, or too old. Check it, or ask your peer specialist for a new invitation' }],
          resolve, { title: 'The invitation code does not work' });
      } else if ((err.status === 409 || err.status === 400) && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: err.status === 409 ? 'Choose another sign-in name' : 'Check what you typed' });
      } else if (err.status === 429) {
        showFormProblem(form, 'Too many tries', 'Wait a few minutes, then try again.');
      } else {
        showFormProblem(form, 'That did not work', problemText(err));
      }
    }
  });
  shell(view, 'Start using your record',
    'Your peer specialist gave you an invitation. Choose a sign-in name and a passphrase: you will use them each time you come back.',
    form,
    h('div', { class: 'portal-signin__more' },
      h('p', {}, h('a', { class: 'button button--secondary portal-wide', href: '#/sign-in', text: 'I already have a sign-in name' }))));
}
