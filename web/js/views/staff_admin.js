// The administrator's staff page (#/staff): the organisation's sign-in
// setting (require two-step sign-in of all staff) and every account with
// whether its two-step sign-in is on, and a reset for a lost phone.
import { api, request } from '../api.js';
import { h, clear, ROLE_LABELS } from '../dom.js';
import { showFormProblem, clearErrors, busy, problemText } from '../forms.js';

async function allStaff() {
  const items = [];
  let after = null;
  do {
    const r = await api.get(`/api/v1/staff?limit=200${after ? `&after=${after}` : ''}`);
    items.push(...r.json.items);
    after = r.json.next;
  } while (after);
  return items;
}

export async function render(ctx) {
  const { main, me } = ctx;
  if (me.role !== 'admin') {
    main.append(h('div', { class: 'page page--narrow' },
      h('h1', { text: 'Staff accounts' }),
      h('p', { text: 'Only administrators look after staff accounts.' })));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return;
  }
  const [settings, staff] = await Promise.all([api.get('/api/v1/settings/security'), allStaff()]);
  if (ctx.stale()) return;
  const list = h('ul', { class: 'staff-list', id: 'staff-list' });
  main.append(h('div', { class: 'page' },
    h('h1', { text: 'Staff accounts' }),
    settingForm(ctx, settings.json),
    h('section', { 'aria-labelledby': 'staff-accounts-title' },
      h('h2', { id: 'staff-accounts-title', text: 'Accounts' }),
      list)));
  for (const s of staff) list.append(staffItem(ctx, s));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

function settingForm(ctx, settings) {
  const box = h('input', { type: 'checkbox', id: 'require-two-factor', name: 'require_two_factor' });
  box.checked = !!settings.require_two_factor;
  const form = h('form', { class: 'form card', novalidate: true, 'aria-labelledby': 'signin-settings-title' },
    h('h2', { id: 'signin-settings-title', text: 'Signing in' }),
    h('div', { class: 'field' },
      h('div', { class: 'check' }, box, h('label', { for: 'require-two-factor', text: 'Require two-step sign-in for all staff' })),
      h('p', { class: 'field__hint', id: 'require-two-factor-hint', text: 'Everyone then needs a code from an authenticator app after their password. Staff who have not set it up can still sign in, but can only set it up until they have.' })),
    h('div', { class: 'form__actions' },
      h('button', { type: 'submit', class: 'button', text: 'Save' })));
  box.setAttribute('aria-describedby', 'require-two-factor-hint');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, true, 'Saving…');
    try {
      const r = await request('PUT', '/api/v1/settings/security', { body: { require_two_factor: box.checked } });
      busy(form, false);
      box.checked = r.json.require_two_factor;
      ctx.announce(r.json.require_two_factor ? 'Two-step sign-in is now required for all staff.' : 'Two-step sign-in is no longer required.');
      await ctx.refreshMe();
    } catch (err) {
      busy(form, false);
      if (err.handled) return;
      if (err.status === 409) {
        showFormProblem(form, 'Set up your own two-step sign-in first', null,
          h('p', {}, 'Before requiring it of everyone, set it up for your own account on ',
            h('a', { href: '#/account', text: 'your account page' }), '.'));
        box.checked = false;
      } else {
        showFormProblem(form, 'The setting was not saved', problemText(err));
      }
    }
  });
  return form;
}

function staffItem(ctx, s) {
  const state = h('span', { class: `badge ${s.two_factor ? 'badge--active' : 'badge--outreach'}`, text: s.two_factor ? 'Two-step sign-in on' : 'Two-step sign-in off' });
  const actions = h('div', { class: 'staff-item__actions' });
  const li = h('li', { class: 'staff-item', data: { username: s.username } },
    h('div', { class: 'staff-item__main' },
      h('p', { class: 'staff-item__name' }, h('strong', { text: s.display_name }), ` (${s.username})`),
      h('p', { class: 'staff-item__meta' },
        h('span', { text: ROLE_LABELS[s.role] || s.role }),
        s.disabled ? h('span', { text: ' · disabled' }) : null,
        ' · ', state)),
    actions);
  const showReset = () => {
    clear(actions);
    if (!s.two_factor || s.id === ctx.me.id) return;
    actions.append(h('button', {
      type: 'button', class: 'button button--secondary button--small', text: 'Reset two-step sign-in',
      'aria-label': `Reset two-step sign-in for ${s.display_name}`,
      on: { click: confirmReset },
    }));
  };
  const confirmReset = () => {
    clear(actions);
    const yes = h('button', { type: 'button', class: 'button button--small', text: 'Reset' });
    const no = h('button', { type: 'button', class: 'button button--quiet button--small', text: 'Cancel', on: { click: () => { showReset(); } } });
    actions.append(h('div', { class: 'notice notice--warning', role: 'alert' },
      h('p', { text: `Reset two-step sign-in for ${s.display_name}? Do this only when you are sure who is asking (for a lost phone). They will be signed out, then sign in with their password alone and set it up again.` }),
      h('p', {}, yes, ' ', no)));
    yes.focus();
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api.post(`/api/v1/staff/${s.id}/two-factor/reset`);
        s.two_factor = false;
        state.className = 'badge badge--outreach';
        state.textContent = 'Two-step sign-in off';
        showReset();
        ctx.announce(`Two-step sign-in was reset for ${s.display_name}.`);
      } catch (err) {
        if (err.handled) return;
        yes.disabled = false;
        actions.append(h('p', { class: 'field__error', role: 'alert', text: problemText(err) }));
      }
    });
  };
  showReset();
  return li;
}
