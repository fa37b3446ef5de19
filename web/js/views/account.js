// The account page (#/account): who is signed in, and two-step sign-in:
// setting it up with a QR code (or the key typed in groups of four),
// confirming it with a first code, the recovery codes shown once, new
// recovery codes, and turning it off. When the organisation requires
// two-step sign-in and it is not set up, the app brings people here and
// nowhere else until it is.
import { api } from '../api.js';
import { h, clear, ROLE_LABELS } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';

export async function render(ctx) {
  const { main } = ctx;
  const r = await api.get('/api/v1/me');
  if (ctx.stale()) return;
  const me = r.json;
  const tf = me.two_factor || { enabled: false, required: false, recovery_codes_left: 0 };
  const section = h('section', { class: 'card', 'aria-labelledby': 'tf-title' });
  const page = h('div', { class: 'page page--narrow' },
    h('h1', { text: 'Your account' }),
    h('p', { class: 'lead' }, 'Signed in as ', h('strong', { text: me.display_name }), ` (${me.username}), `,
      h('span', { text: ROLE_LABELS[me.role] || me.role }), '.'),
    section);
  main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
  const state = { tf };
  showStatus(ctx, section, state);
}

function heading(section) {
  return h('h2', { id: 'tf-title', text: 'Two-step sign-in' });
}

function codeField(id, label = 'Code from your authenticator app') {
  return field({
    id, name: 'code', label, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 9, width: 'medium',
  });
}

// The answer to a request proven with a code: the code's field gets the
// message, other problems go at the top of the form.
function showCodeProblem(form, err, control) {
  if ((err.status === 422 || err.status === 400) && err.errors.length) {
    showErrors(form, err.errors.map((e) => ({ field: 'code', message: e.message })),
      () => ({ control }), { title: 'The code is not right' });
  } else if (err.status === 429) {
    showFormProblem(form, 'Too many wrong codes', 'Wait a few minutes before trying again.');
  } else {
    showFormProblem(form, 'That did not work', problemText(err));
  }
}

function showStatus(ctx, section, state) {
  clear(section);
  const { tf } = state;
  section.append(heading(section));
  if (!tf.enabled) {
    if (tf.required) {
      section.append(h('div', { class: 'notice notice--warning', id: 'tf-required', role: 'note' },
        h('p', { class: 'notice__title', text: 'Your organisation requires two-step sign-in' }),
        h('p', { text: 'Set it up now to carry on using Alongside. It takes a couple of minutes and your phone.' })));
    }
    section.append(
      h('p', { text: 'Two-step sign-in keeps the records safe even if someone learns your password: after your password, Alongside asks for a code from an authenticator app on your phone.' }),
      h('p', { id: 'tf-state', text: 'Two-step sign-in is off for your account.' }),
      h('p', {}, h('button', {
        type: 'button', class: 'button', id: 'tf-start', text: 'Set up two-step sign-in',
        on: { click: (ev) => start(ctx, section, state, ev.currentTarget) },
      })));
    return;
  }
  section.append(
    h('p', { id: 'tf-state' }, h('strong', { text: 'Two-step sign-in is on.' }),
      ' When you sign in, Alongside asks for the code from your authenticator app after your password.'),
    h('p', { id: 'tf-left', text: `You have ${tf.recovery_codes_left} unused recovery ${tf.recovery_codes_left === 1 ? 'code' : 'codes'}.` }));
  section.append(newCodesForm(ctx, section, state));
  if (tf.required) {
    section.append(h('p', { class: 'muted', text: 'Your organisation requires two-step sign-in, so it cannot be turned off. If you lose your phone, use a recovery code or ask an administrator to reset it.' }));
  } else {
    section.append(turnOffForm(ctx, section, state));
  }
}

async function start(ctx, section, state, button) {
  button.disabled = true;
  let r;
  try {
    r = await api.post('/api/v1/me/two-factor');
  } catch (err) {
    button.disabled = false;
    if (err.handled) return;
    section.append(h('p', { class: 'error-summary', role: 'alert', text: problemText(err) }));
    return;
  }
  if (ctx.stale()) return;
  const { secret, qr_svg: svg } = r.json;
  clear(section);
  const groups = secret.match(/.{1,4}/g).join(' ');
  const code = codeField('tf-code');
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'tf-confirm-title' },
    h('h3', { id: 'tf-confirm-title', text: '3. Type the code the app shows' }),
    code.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Turn on two-step sign-in' })));
  // The QR code is an SVG the server drew; it goes in as an image, so
  // nothing in it could run.
  const img = h('img', {
    id: 'tf-qr', class: 'qr', width: 220, height: 220,
    src: `data:image/svg+xml;base64,${btoa(svg)}`,
    alt: 'QR code to scan with your authenticator app',
  });
  section.append(
    heading(section),
    h('h3', { text: '1. Get an authenticator app' }),
    h('p', { text: 'Use any authenticator app on your phone, such as the one your organisation recommends. Most phones can install one free.' }),
    h('h3', { text: '2. Scan this QR code with the app' }),
    h('p', { class: 'qr-wrap' }, img),
    h('p', { text: 'If you cannot scan it, choose to enter a key in the app and type this key:' }),
    h('p', { class: 'secret', id: 'tf-secret', text: groups, 'aria-label': `Key: ${secret.split('').join(' ')}` }),
    h('p', { class: 'muted', text: 'The app will show Alongside with your username. Keep this key private.' }),
    form);
  code.control.focus();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const value = code.control.value.trim();
    if (!value) {
      showErrors(form, [{ field: 'code', message: 'is required' }], () => ({ control: code.control }),
        { title: 'Enter the code from your authenticator app' });
      return;
    }
    busy(form, true, 'Checking…');
    try {
      const c = await api.post('/api/v1/me/two-factor/confirm', { code: value });
      if (ctx.stale()) return;
      state.tf = c.json.two_factor;
      showCodes(ctx, section, state, c.json.recovery_codes, 'Two-step sign-in is on');
      await ctx.refreshMe();
    } catch (err) {
      busy(form, false);
      code.control.value = '';
      if (err.handled) return;
      showCodeProblem(form, err, code.control);
    }
  });
}

// The recovery codes, shown once.
function showCodes(ctx, section, state, codes, title) {
  clear(section);
  section.append(
    h('h2', { id: 'tf-title', text: title }),
    h('div', { class: 'notice notice--warning', role: 'alert', id: 'tf-codes-warning' },
      h('p', { class: 'notice__title', text: 'Save these recovery codes now' }),
      h('p', { text: 'If you lose your phone, each code lets you sign in once instead of the code from your app. They will not be shown again. Print them or write them down, and keep them somewhere safe, away from your password.' })),
    h('ol', { class: 'recovery-codes', id: 'tf-codes' }, codes.map((c) => h('li', {}, h('code', { text: c })))),
    h('div', { class: 'form__actions no-print' },
      h('button', { type: 'button', class: 'button button--secondary', id: 'tf-print', text: 'Print the codes', on: { click: () => window.print() } }),
      h('button', {
        type: 'button', class: 'button', id: 'tf-done', text: 'I have saved my recovery codes',
        on: { click: () => { showStatus(ctx, section, state); section.querySelector('h2').focus(); } },
      })));
  const h2 = section.querySelector('h2');
  h2.setAttribute('tabindex', '-1');
  h2.focus();
  ctx.announce('Two-step sign-in is on. Save your recovery codes.');
}

function newCodesForm(ctx, section, state) {
  const code = codeField('tf-new-code');
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'tf-new-title' },
    h('h3', { id: 'tf-new-title', text: 'New recovery codes' }),
    h('p', { text: 'Makes 10 new recovery codes; the old ones stop working.' }),
    code.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button button--secondary', text: 'Make new recovery codes' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const value = code.control.value.trim();
    if (!value) {
      showErrors(form, [{ field: 'code', message: 'is required' }], () => ({ control: code.control }));
      return;
    }
    busy(form, true, 'Making codes…');
    try {
      const r = await api.post('/api/v1/me/two-factor/recovery-codes', { code: value });
      if (ctx.stale()) return;
      state.tf = r.json.two_factor;
      showCodes(ctx, section, state, r.json.recovery_codes, 'New recovery codes');
    } catch (err) {
      busy(form, false);
      code.control.value = '';
      if (err.handled) return;
      showCodeProblem(form, err, code.control);
    }
  });
  return form;
}

function turnOffForm(ctx, section, state) {
  const code = codeField('tf-off-code');
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'tf-off-title' },
    h('h3', { id: 'tf-off-title', text: 'Turn off two-step sign-in' }),
    h('p', { text: 'Your account is safer with it on. Without it, your password alone lets anyone into the records.' }),
    code.wrap,
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button button--secondary', text: 'Turn off two-step sign-in' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const value = code.control.value.trim();
    if (!value) {
      showErrors(form, [{ field: 'code', message: 'is required' }], () => ({ control: code.control }));
      return;
    }
    busy(form, true, 'Turning off…');
    try {
      const r = await api.del('/api/v1/me/two-factor', { body: { code: value } });
      if (ctx.stale()) return;
      state.tf = r.json.two_factor;
      showStatus(ctx, section, state);
      ctx.announce('Two-step sign-in is off.');
      await ctx.refreshMe();
    } catch (err) {
      busy(form, false);
      code.control.value = '';
      if (err.handled) return;
      showCodeProblem(form, err, code.control);
    }
  });
  return form;
}
