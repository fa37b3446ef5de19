// The person's own portal (/portal.html): a page apart from the staff
// app, with its own session (the alongside_portal cookie) and its own
// routes under /api/v1/portal. The person activates an invitation from
// their peer specialist, signs in with a sign-in name and a passphrase,
// and reads their plans, crisis card, notes and who their record was
// shared with; they comment on notes, suggest changes to a draft plan and
// download their record.
//
// Made for a shared phone: "Sign out" is always in sight; sessions are
// short (the server ends them after idle_timeout_seconds without use and
// at expires_at in any case), with a warning first; and when a session
// ends the screen is cleared and the page loaded afresh, so nothing of the
// record stays in memory or behind the back button. Nothing is written to
// localStorage, sessionStorage or cookies by this code.
import { api, configureApi, setCsrf } from '../api.js';
import { startIdle, stopIdle, contact, ping, broadcastSignedOut } from '../idle.js';
import { h, clear, announce, focusHeading } from '../dom.js';
import * as signin from './signin.js';
import * as home from './home.js';
import * as plans from './plans.js';
import * as card from './card.js';
import * as notes from './notes.js';
import * as shared from './shared.js';
import * as record from './record.js';
import { failure, sessionOf } from './common.js';

const ID = '([0-9a-fA-F-]{36})';
// Titles never carry a name: they end up in the browser's history.
const ROUTES = [
  { re: /^#\/$/, title: 'Your record', render: home.render },
  { re: /^#\/plans$/, title: 'Your plans', render: plans.renderList },
  { re: new RegExp(`^#/plans/${ID}$`), title: 'Your plan', render: plans.render },
  { re: new RegExp(`^#/plans/${ID}/card$`), title: 'Your crisis card', render: card.render },
  { re: /^#\/notes$/, title: 'Notes from your peer specialist', render: notes.renderList },
  { re: new RegExp(`^#/notes/${ID}$`), title: 'A note', render: notes.render },
  { re: /^#\/shared$/, title: 'Who your record was shared with', render: shared.render },
  { re: /^#\/record$/, title: 'Download your record', render: record.render },
  { re: /^#\/record\/print$/, title: 'Your record to print', render: record.renderPrint },
];

// Where a person who is not signed in can be; any other address shows
// the sign-in screen. #/ended/<reason> says why the last session ended.
const SIGNED_OUT = /^#\/(sign-in|activate|signed-out|ended\/[a-z-]+)$/;

const ENDED = {
  'signed-out': 'You have signed out. Nothing from your record is left on this screen.',
  idle: 'You were signed out because nothing happened for a while. This keeps your record private. Sign in again to carry on.',
  expired: 'Your time signed in is up, so you were signed out. This keeps your record private. Sign in again to carry on.',
  'other-tab': 'You were signed out in another tab or window.',
};

const state = {
  me: null,
  gen: 0, // bumps on every render and sign-out; stale async work checks it
  view: null, // the current view's { isDirty }
  currentHash: null,
  code: null, // an invitation code from the QR code's address
  cache: {},
  guarding: false,
  endsTimer: null,
  endsWarned: false,
};

const main = () => document.getElementById('main');

// --- session -----------------------------------------------------------

function startSession(me) {
  state.me = me;
  setCsrf(me.csrf_token);
  document.getElementById('sign-out').hidden = false;
  startIdle({
    timeoutSeconds: me.idle_timeout_seconds || 600,
    ping: keepAlive,
    onWarn: showIdleWarning,
    onCountdown: updateIdleWarning,
    onUnwarn: closeIdleWarning,
    onExpire: () => expire('idle'),
    onOtherTabSignedOut: () => expire('other-tab'),
    channel: 'alongside-portal',
  });
  watchEnd(me.expires_at, me.server_date);
}

async function keepAlive() {
  try {
    await api.get('/api/v1/portal/me');
    return true;
  } catch {
    return false;
  }
}

// The session ends at expires_at however busy the person is: say so a
// minute before, then sign out. serverDate: the server's clock when it
// said so (a phone's clock may be hours out).
function watchEnd(expiresAt, serverDate) {
  clearInterval(state.endsTimer);
  state.endsWarned = false;
  const skew = Date.parse(serverDate || '') - Date.now();
  const end = Date.parse(expiresAt || '') - (Number.isFinite(skew) ? skew : 0);
  if (!Number.isFinite(end)) return;
  state.endsTimer = setInterval(() => {
    const left = end - Date.now();
    if (left <= 0) {
      expire('expired');
    } else if (left <= 60000 && !state.endsWarned) {
      state.endsWarned = true;
      showEndWarning(Math.ceil(left / 1000));
    }
  }, 1000);
}

// Takes everything personal off the screen and out of memory.
function wipe() {
  stopIdle();
  clearInterval(state.endsTimer);
  state.endsTimer = null;
  for (const id of ['idle-dialog', 'confirm-dialog']) {
    const d = document.getElementById(id);
    if (d.open) d.close();
  }
  if (confirmResolve) {
    const r = confirmResolve;
    confirmResolve = null;
    r(false);
  }
  state.me = null;
  state.view = null;
  state.gen++;
  state.cache = {};
  setCsrf(null);
  document.getElementById('sign-out').hidden = true;
  document.title = 'Your record – Alongside';
  announce('');
  clear(main());
}

// Ends the page's life as well as the session: the screen is cleared,
// the address says only why, and the page is loaded afresh so no part of
// the record stays in this tab's memory.
function leave(reason) {
  wipe();
  history.replaceState(null, '', reason === 'signed-out' ? '#/signed-out' : `#/ended/${reason}`);
  location.reload();
}

// The session ended without the person asking (idle, the hour is up, a
// 401, another tab signed out).
function expire(reason) {
  if (!state.me) return;
  if (reason === 'idle' || reason === 'expired') {
    // The server is about to forget the session; make sure it has.
    api.del('/api/v1/portal/session', { quiet401: true }).catch(() => {});
    broadcastSignedOut(reason);
  }
  leave(reason);
}

async function signOut() {
  const btn = document.getElementById('sign-out');
  btn.disabled = true;
  let ok = true;
  try {
    await api.del('/api/v1/portal/session', { quiet401: true });
  } catch (err) {
    // A 401 means the server had signed us out already.
    ok = !!err && err.status === 401;
  }
  btn.disabled = false;
  broadcastSignedOut('signed-out');
  if (ok) {
    leave('signed-out');
    return;
  }
  // The server could not be told: clear the screen all the same, and say
  // the session ends by itself soon.
  wipe();
  history.replaceState(null, '', '#/signed-out');
  showSignIn({
    message: 'Your record is off the screen, but the server could not be reached to end your session. It ends by itself after a few minutes without use. If this is a shared phone, close this browser tab too.',
    tone: 'warning',
  });
}

// After a successful sign-in or activation (the answer's body).
function onSignedIn(me) {
  state.code = null;
  wipe();
  startSession(me);
  history.replaceState(null, '', '#/');
  route();
}

function showSignIn(opts = {}) {
  state.gen++;
  const activate = location.hash === '#/activate';
  document.title = `${activate ? 'Start using your record' : 'Sign in'} – Alongside`;
  const m = main();
  clear(m);
  const ended = /^#\/(signed-out|ended\/([a-z-]+))$/.exec(location.hash);
  const message = opts.message || (ended ? ENDED[ended[2] || 'signed-out'] || ENDED.expired : null);
  const view = { main: m, message, tone: opts.tone || (ended && !ended[2] ? 'info' : null), onSignedIn };
  if (activate) signin.renderActivate({ ...view, code: state.code });
  else signin.renderSignIn(view);
  focusHeading(m);
}

// --- routing -----------------------------------------------------------

function navigate(hash, { replace = false } = {}) {
  state.view = null; // leaving on purpose: nothing to guard
  if (replace) {
    history.replaceState(null, '', hash);
    route();
  } else if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

async function onHashChange() {
  if (state.guarding) return;
  if (state.me && state.view && state.view.isDirty && state.view.isDirty() && location.hash !== state.currentHash) {
    const target = location.hash;
    state.guarding = true;
    history.replaceState(null, '', state.currentHash);
    const go = await confirmLeave();
    state.guarding = false;
    if (go && state.me) navigate(target);
    return;
  }
  route();
}

async function route() {
  let hash = location.hash;
  if (!state.me) {
    if (!SIGNED_OUT.test(hash)) history.replaceState(null, '', '#/sign-in');
    showSignIn();
    return;
  }
  if (hash === '' || hash === '#' || SIGNED_OUT.test(hash)) {
    history.replaceState(null, '', '#/');
    hash = '#/';
  }
  state.currentHash = hash;
  state.view = null;
  announce(''); // a message about the last page is not about this one
  const gen = ++state.gen;
  const m = main();
  clear(m);
  m.append(h('p', { class: 'page loading', text: 'Loading…' }));
  const hit = ROUTES.map((r) => ({ r, m: r.re.exec(hash) })).find((x) => x.m);
  if (!hit) {
    document.title = 'Page not found – Alongside';
    drawNotFound(m);
    return;
  }
  document.title = `${hit.r.title} – Alongside`;
  const ctx = makeCtx(gen);
  try {
    await hit.r.render(ctx, ...hit.m.slice(1));
  } catch (err) {
    if (ctx.stale() || (err && err.handled)) return;
    if (err && err.status === 404) {
      drawNotFound(m);
    } else {
      clear(m);
      m.append(failure(err, () => route()));
    }
  }
  if (ctx.stale()) return;
  const loading = m.querySelector(':scope > .loading');
  if (loading) loading.remove();
  if (!ctx.focused) focusHeading(m);
}

function drawNotFound(m) {
  clear(m);
  m.append(h('div', { class: 'page portal-page' },
    h('h1', { text: 'This page is not here' }),
    h('p', { text: 'The link may be old, or it may point to something that is not part of your record.' }),
    h('p', {}, h('a', { class: 'button portal-wide', href: '#/', text: 'Go to your record' }))));
}

function makeCtx(gen) {
  return {
    main: main(),
    me: state.me,
    focused: false,
    stale: () => gen !== state.gen,
    setView: (v) => { if (gen === state.gen) state.view = v; },
    navigate,
    announce,
    kinds: planKinds,
    plans: planList,
  };
}

// --- cached look-ups (memory only, dropped at sign-out) -----------------

function cached(key, load) {
  if (!state.cache[key]) {
    const p = load();
    state.cache[key] = p;
    p.catch(() => { if (state.cache[key] === p) delete state.cache[key]; });
  }
  return state.cache[key];
}

// The structure of every kind of plan, its code lists and labels.
function planKinds() {
  return cached('plan-kinds', () => api.get('/api/v1/portal/plan-kinds').then((r) => r.json));
}

// The person's plans (summaries), fresh each time they are asked for.
function planList() {
  return api.get('/api/v1/portal/plans').then((r) => r.json.items || []);
}

// --- dialogs -----------------------------------------------------------

let returnFocus = null;
let staying = false;

function openDialog(d) {
  if (d.open) return;
  returnFocus = document.activeElement;
  d.showModal();
}

function closeDialog(d) {
  if (!d || !d.open) return;
  d.close();
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

function idleText(secs) {
  return `Nothing has happened for a while. To keep your record private, you will be signed out in ${secs} ${secs === 1 ? 'second' : 'seconds'}.`;
}

function showIdleWarning(secs) {
  if (state.endsWarned) return; // the end is nearer than idling
  const d = document.getElementById('idle-dialog');
  document.getElementById('idle-title').textContent = 'Are you still there?';
  document.getElementById('idle-text').textContent = idleText(secs);
  document.getElementById('idle-stay').hidden = false;
  const confirm = document.getElementById('confirm-dialog');
  if (confirm.open) settleConfirm(false);
  openDialog(d);
  document.getElementById('idle-stay').focus();
}

function updateIdleWarning(secs) {
  if (state.endsWarned) return;
  const d = document.getElementById('idle-dialog');
  document.getElementById('idle-text').textContent = idleText(secs);
  if (!d.open && !staying) openDialog(d);
}

function closeIdleWarning() {
  if (state.endsWarned) return;
  closeDialog(document.getElementById('idle-dialog'));
}

function showEndWarning(secs) {
  const d = document.getElementById('idle-dialog');
  document.getElementById('idle-title').textContent = 'Your time is nearly up';
  document.getElementById('idle-text').textContent = `To keep your record private, each time you sign in lasts only so long, however busy you are. You will be signed out in about ${secs} seconds. You can sign in again straight away.`;
  document.getElementById('idle-stay').hidden = true;
  const confirm = document.getElementById('confirm-dialog');
  if (confirm.open) settleConfirm(false);
  openDialog(d);
  document.getElementById('idle-leave').focus();
}

async function stay() {
  if (state.endsWarned) {
    closeDialog(document.getElementById('idle-dialog'));
    return;
  }
  staying = true;
  const ok = await ping();
  staying = false;
  if (ok) {
    closeIdleWarning();
    announce('You are still signed in.');
  }
}

let confirmResolve = null;

// Asks before leaving a form with text not sent yet. Resolves true to leave.
function confirmLeave() {
  const d = document.getElementById('confirm-dialog');
  if (confirmResolve) confirmResolve(false);
  return new Promise((resolve) => {
    confirmResolve = resolve;
    openDialog(d);
    document.getElementById('confirm-stay').focus();
  });
}

function settleConfirm(go) {
  const d = document.getElementById('confirm-dialog');
  const r = confirmResolve;
  confirmResolve = null;
  closeDialog(d);
  if (r) r(go);
}

// --- start -------------------------------------------------------------

function wire() {
  configureApi({
    unauthorized: () => expire('expired'),
    contact: (at) => contact(at),
    csrfRefreshed: () => !!state.me,
    csrfPath: '/api/v1/portal/me',
  });
  window.addEventListener('hashchange', onHashChange);
  document.getElementById('sign-out').addEventListener('click', signOut);
  document.getElementById('skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    main().focus();
  });
  document.getElementById('idle-stay').addEventListener('click', stay);
  document.getElementById('idle-leave').addEventListener('click', signOut);
  const idle = document.getElementById('idle-dialog');
  idle.addEventListener('cancel', (ev) => {
    // Escape means "I am here".
    ev.preventDefault();
    stay();
  });
  const confirm = document.getElementById('confirm-dialog');
  document.getElementById('confirm-stay').addEventListener('click', () => settleConfirm(false));
  document.getElementById('confirm-leave').addEventListener('click', () => settleConfirm(true));
  confirm.addEventListener('cancel', (ev) => {
    ev.preventDefault();
    settleConfirm(false);
  });
  window.addEventListener('beforeunload', (ev) => {
    if (state.me && state.view && state.view.isDirty && state.view.isDirty()) {
      ev.preventDefault();
      ev.returnValue = '';
    }
  });
  // A page restored from the back/forward cache may show a record from
  // before a sign-out: load it afresh instead.
  window.addEventListener('pageshow', (ev) => {
    if (ev.persisted) location.reload();
  });
}

// An invitation's QR code opens /portal.html#code=ABCD-EFGH-JKLM: the
// code is read, kept in memory for the activation form, and taken out of
// the address (and so out of the browser's history) at once.
function takeCode() {
  const m = /^#code=([A-Za-z0-9-]{1,64})$/.exec(location.hash);
  if (!m) return false;
  state.code = m[1].toUpperCase();
  history.replaceState(null, '', `${location.pathname}#/activate`);
  return true;
}

async function boot() {
  wire();
  if (takeCode()) {
    // Someone is holding a new invitation: whoever was signed in on this
    // device is not shown.
    route();
    return;
  }
  try {
    const r = await api.get('/api/v1/portal/me', { quiet401: true });
    startSession(sessionOf(r));
    route();
  } catch (err) {
    if (err && err.status === 401) {
      route();
    } else {
      const m = main();
      clear(m);
      m.append(failure(err, () => location.reload()));
    }
  }
}

boot();
