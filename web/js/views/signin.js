// Sign-in view. Also shown after an idle or ended session, with the
// reason, and word that unsaved text is being kept until the same person
// signs in again. When the account has two-step sign-in, the password is
// followed by a code from the authenticator app (or a recovery code).
import { api } from '../api.js';
import { h, clear } from '../dom.js';
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
      if (r.status === 200 && r.json && r.json.second_factor) {
        const page = form.closest('.page');
        clear(page);
        renderSecondStep({ page, challenge: r.json.challenge, username: user.control.value.trim(), onSignedIn, main });
        return;
      }
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

// The second step: the code from the authenticator app, or a recovery
// code through the link under it. A wrong code keeps the form; a
// challenge that has ended (too slow, too many wrong codes) goes back to
// the password.
function renderSecondStep({ page, challenge, username, onSignedIn, main }) {
  let recovery = false;
  const code = field({
    id: 'signin-code', name: 'code', label: 'Code from your authenticator app',
    hint: 'Open the authenticator app on your phone and type the 6-digit code it shows for Alongside.',
    autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 9, width: 'medium',
  });
  const rc = field({
    id: 'signin-recovery', name: 'recovery_code', label: 'Recovery code',
    hint: 'One of the recovery codes you saved when you set up two-step sign-in, such as 4f7k-2m9q-x3bt-8dnc. Each works once.',
    autocomplete: 'off', maxlength: 40,
  });
  rc.wrap.hidden = true;
  const toggle = h('button', { type: 'button', class: 'button button--quiet', id: 'signin-use-recovery', text: 'Use a recovery code instead' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'signin-title' },
    code.wrap,
    rc.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Sign in' }),
      toggle));
  page.append(
    h('h1', { id: 'signin-title', text: 'Two-step sign-in' }),
    h('p', { class: 'lead' }, 'Signing in as ', h('strong', { text: username }), '. Your password was right; now type the code from your authenticator app.'),
    form,
    h('p', { class: 'muted', text: 'Lost your phone and your recovery codes? Ask an administrator to reset your two-step sign-in.' }));
  code.control.focus();

  toggle.addEventListener('click', () => {
    recovery = !recovery;
    clearErrors(form);
    code.wrap.hidden = recovery;
    rc.wrap.hidden = !recovery;
    toggle.textContent = recovery ? 'Use the code from your authenticator app' : 'Use a recovery code instead';
    (recovery ? rc : code).control.focus();
  });

  const backToPassword = (message) => {
    clear(main);
    render({ main, message, tone: 'warning', username, onSignedIn });
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const active = recovery ? rc : code;
    const value = active.control.value.trim();
    const resolve = (f) => (f === 'code' ? { control: code.control } : f === 'recovery_code' ? { control: rc.control } : null);
    if (!value) {
      showErrors(form, [{ field: recovery ? 'recovery_code' : 'code', message: 'is required' }], resolve,
        { title: recovery ? 'Enter a recovery code' : 'Enter the code from your authenticator app' });
      return;
    }
    busy(form, true, 'Signing in…');
    try {
      const r = await api.post('/api/v1/session/second-factor',
        recovery ? { challenge, recovery_code: value } : { challenge, code: value }, { signIn: true });
      active.control.value = '';
      onSignedIn(r.json);
    } catch (err) {
      busy(form, false);
      active.control.value = '';
      const type = err.problem && err.problem.type;
      if (err.status === 401 && type === 'urn:alongside:problem:second-factor-failed') {
        const left = err.problem.tries_left;
        showFormProblem(form, recovery ? 'That recovery code did not work' : 'That code did not work',
          `${recovery ? 'It is not one of your unused recovery codes.' : 'Type the code your app shows now; each code works once.'}${left ? ` ${left} ${left === 1 ? 'try' : 'tries'} left.` : ''}`);
        active.control.focus();
      } else if (err.status === 401) {
        backToPassword('That sign-in took too long or had too many wrong codes. Sign in again with your password.');
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
}
