// Sign-in view. Also shown after an idle or ended session, with the
// reason, and word that unsaved text is being kept until the same person
// signs in again.
import { api } from '../api.js';
import { h } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy } from '../forms.js';

export function render({ main, message, tone = 'warning', kept = false, username = '', onSignedIn }) {
  const user = field({ id: 'signin-username', name: 'username', label: 'Username', autocomplete: 'username', value: username });
  const pass = field({ id: 'signin-password', name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' });
  user.control.setAttribute('autocapitalize', 'none');

  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'signin-title' },
    user.wrap,
    pass.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Sign in' })));

  const notice = message ? h('div', { class: `notice notice--${tone}`, id: 'signin-notice', role: 'alert' },
    h('p', { text: message }),
    kept ? h('p', {}, 'What you typed has not been saved. It is kept in this browser tab only, and it comes back when you sign in again as ',
      h('strong', { text: username }), '.') : null) : null;

  main.append(h('div', { class: 'page page--narrow' },
    h('h1', { id: 'signin-title', text: 'Sign in' }),
    notice,
    h('p', { class: 'lead', text: 'Alongside keeps the records of the people we support. Sign in with your own account.' }),
    form));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const errors = [];
    if (!user.control.value.trim()) errors.push({ field: 'username', message: 'is required' });
    if (!pass.control.value) errors.push({ field: 'password', message: 'is required' });
    const resolve = (f) => (f === 'username' ? { control: user.control } : f === 'password' ? { control: pass.control } : null);
    if (errors.length) {
      showErrors(form, errors, resolve, { title: 'Enter your username and password' });
      return;
    }
    busy(form, true, 'Signing in…');
    try {
      const r = await api.post('/api/v1/session', {
        username: user.control.value.trim(),
        password: pass.control.value,
      }, { signIn: true });
      pass.control.value = '';
      onSignedIn(r.json);
    } catch (err) {
      busy(form, false);
      pass.control.value = '';
      if (err.status === 401) {
        showFormProblem(form, 'Sign-in failed', 'The username or password is wrong, or the account is disabled.');
      } else if (err.status === 429) {
        const mins = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : null;
        showFormProblem(form, 'Too many sign-in attempts',
          mins ? `Wait ${mins} ${mins === 1 ? 'minute' : 'minutes'} before trying again, or ask an administrator.`
            : 'Wait before trying again, or ask an administrator.');
      } else if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve);
      } else {
        showFormProblem(form, 'Could not sign in', err.status === undefined
          ? 'Alongside could not reach the server. Check the connection and try again.'
          : 'Something went wrong. Try again in a moment.');
      }
    }
  });

  if (message) {
    const h1 = main.querySelector('h1');
    h1.setAttribute('tabindex', '-1');
    h1.focus();
  } else if (username) {
    pass.control.focus();
  } else {
    user.control.focus();
  }
}
