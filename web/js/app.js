// The app shell: session, hash routing, idle logoff and the safe keeping
// of unsaved form text across a sign-out. Views live in js/views/, one
// file per view; each renders into <main> and may hand back an object
// with snapshot() / isDirty() so typed text survives an idle sign-out.
//
// Nothing personal is written to localStorage, sessionStorage or cookies:
// unsaved text stays in this tab's memory until the same person signs in
// again, and a different person gets a freshly loaded app.
import { api, configureApi, setCsrf } from './api.js';
import { startIdle, stopIdle, contact, ping, broadcastSignedOut } from './idle.js';
import { h, clear, announce, focusHeading, ROLE_LABELS, setOrganisationZone } from './dom.js';
import * as signin from './views/signin.js';
import * as roster from './views/roster.js';
import * as personForm from './views/person_form.js';
import * as episodeForms from './views/episode_forms.js';
import * as plan from './views/plan.js';
import * as planHistory from './views/plan_history.js';
import * as planPrint from './views/plan_print.js';
import * as contactNote from './views/contact_note.js';
import * as contactDue from './views/contact_due.js';
import * as noRoster from './views/no_roster.js';
import * as notFound from './views/not_found.js';
import * as safety from './views/safety.js';
import * as notifications from './views/notifications.js';
import * as groups from './views/groups.js';
import * as group from './views/group.js';
import * as groupSession from './views/group_session.js';
import * as consents from './views/consents.js';
import * as consentForm from './views/consent_form.js';
import * as disclosures from './views/disclosures.js';
import * as disclosureForm from './views/disclosure_form.js';
import * as disclosurePrint from './views/disclosure_print.js';
import * as account from './views/account.js';
import * as staffAdmin from './views/staff_admin.js';
import * as breakGlass from './views/break_glass.js';
import * as portalStaff from './views/portal_staff.js';
import * as resources from './views/resources.js';
import * as resource from './views/resource.js';
import * as resourceForm from './views/resource_form.js';
import * as resourceImport from './views/resource_import.js';
import * as referrals from './views/referrals.js';
import * as outreach from './views/outreach.js';

const ID = '([0-9a-fA-F-]{36})';
// Titles never carry a name: they end up in the browser's history.
const ROUTES = [
  { re: /^#\/account$/, title: 'Your account', render: account.render },
  { re: /^#\/staff$/, title: 'Staff accounts', render: staffAdmin.render },
  { re: /^#\/people$/, title: 'Team roster', render: roster.render },
  { re: /^#\/people\/new$/, title: 'Add a person', render: personForm.renderNew },
  { re: new RegExp(`^#/people/${ID}$`), title: 'Person', render: breakGlass.renderPerson },
  { re: new RegExp(`^#/people/${ID}/edit$`), title: 'Edit person', render: personForm.renderEdit },
  { re: new RegExp(`^#/people/${ID}/enroll$`), title: 'Enroll', render: episodeForms.renderEnroll },
  { re: new RegExp(`^#/people/${ID}/discharge$`), title: 'Discharge', render: episodeForms.renderDischarge },
  { re: new RegExp(`^#/plans/${ID}$`), title: 'Plan', render: plan.render },
  { re: new RegExp(`^#/plans/${ID}/history$`), title: 'Plan versions', render: planHistory.render },
  { re: new RegExp(`^#/plans/${ID}/print$`), title: 'Print plan', render: planPrint.renderPrint },
  { re: new RegExp(`^#/plans/${ID}/card$`), title: 'Crisis card', render: planPrint.renderCard },
  { re: new RegExp(`^#/people/${ID}/contacts/new$`), title: 'Write a note', render: contactNote.renderNew },
  { re: new RegExp(`^#/contacts/${ID}$`), title: 'Note', render: contactNote.render },
  { re: /^#\/documentation-due$/, title: 'Documentation due', render: contactDue.render },
  { re: new RegExp(`^#/people/${ID}/safety-concerns/new$`), title: 'Raise a safety concern', render: safety.renderNew },
  { re: new RegExp(`^#/contacts/${ID}/safety-concerns/new$`), title: 'Raise a safety concern', render: safety.renderFromNote },
  { re: new RegExp(`^#/safety-concerns/${ID}$`), title: 'Safety concern', render: safety.render },
  { re: /^#\/notifications$/, title: 'Notifications', render: notifications.render },
  { re: /^#\/break-glass$/, title: 'Emergency access', render: breakGlass.render },
  { re: /^#\/groups$/, title: 'Groups', render: groups.render },
  { re: new RegExp(`^#/groups/${ID}$`), title: 'Group', render: group.render },
  { re: new RegExp(`^#/groups/${ID}/sessions/new$`), title: 'Document a group session', render: groupSession.renderNew },
  { re: new RegExp(`^#/groups/${ID}/sessions/${ID}$`), title: 'Group session', render: groupSession.render },
  { re: new RegExp(`^#/people/${ID}/consents$`), title: 'Consents and disclosures', render: consents.renderList },
  { re: new RegExp(`^#/people/${ID}/consents/new$`), title: 'Record a consent', render: consentForm.renderNew },
  { re: new RegExp(`^#/consents/${ID}$`), title: 'Consent', render: consents.render },
  { re: new RegExp(`^#/people/${ID}/disclosures$`), title: 'Accounting of disclosures', render: disclosures.render },
  { re: new RegExp(`^#/people/${ID}/disclosures/new$`), title: 'Share information', render: disclosureForm.renderNew },
  { re: new RegExp(`^#/people/${ID}/disclosures/emergency$`), title: 'Medical emergency disclosure', render: disclosureForm.renderEmergency },
  { re: new RegExp(`^#/people/${ID}/disclosures/${ID}$`), title: 'Disclosure', render: disclosurePrint.render },
  { re: new RegExp(`^#/people/${ID}/portal-invitation$`), title: 'Portal invitation', render: portalStaff.renderInvitation },
  // The search is in the address after "?"; nothing about a person is.
  { re: /^#\/resources(?:\?.*)?$/, title: 'Resources', render: resources.render },
  { re: /^#\/resources\/new$/, title: 'Add a resource', render: resourceForm.renderNew },
  { re: /^#\/resources\/import$/, title: 'Import and export resources', render: resourceImport.renderImport },
  { re: /^#\/resources\/export$/, title: 'Export resources', render: resourceImport.renderExport },
  { re: new RegExp(`^#/resources/${ID}$`), title: 'Resource', render: resource.render },
  { re: new RegExp(`^#/resources/${ID}/edit$`), title: 'Edit resource', render: resourceForm.renderEdit },
  // Referrals (docs/referrals.md); the form takes ?service=ID&category=CODE.
  { re: new RegExp(`^#/people/${ID}/referrals/new(?:\\?.*)?$`), title: 'Refer to a service', render: referrals.renderNew },
  { re: /^#\/referrals\/follow-up$/, title: 'Referrals to follow up', render: referrals.renderFollowUp },
  { re: new RegExp(`^#/referrals/${ID}$`), title: 'Referral', render: referrals.render },
  { re: new RegExp(`^#/referrals/${ID}/link$`), title: 'Link for the organisation', render: referrals.renderLink },
  { re: /^#\/outreach$/, title: 'Outreach and follow-up', render: outreach.render },
  { re: new RegExp(`^#/people/${ID}/contacts/new\\?type=([a-z_]{1,64})$`), title: 'Write a note', render: contactNote.renderNew },
];

const state = {
  me: null,
  lastUserId: null, // who last had a session in this tab
  gen: 0, // bumps on every render and sign-out; stale async work checks it
  view: null, // the current view's { snapshot, isDirty }
  currentHash: null,
  preserved: null, // { userId, username, hash, draft, dirty } after a sign-out
  pendingDraft: null,
  restored: false,
  flash: null, // a message for the next view ("Changes saved.")
  signIn: null, // what the sign-in view last said
  cache: {},
  guarding: false,
};

const main = () => document.getElementById('main');

// --- session -----------------------------------------------------------

function startSession(me) {
  state.me = me;
  state.lastUserId = me.id;
  setCsrf(me.csrf_token);
  document.getElementById('account-name').textContent = me.display_name;
  document.getElementById('account-role').textContent = ROLE_LABELS[me.role] || me.role;
  document.getElementById('account').hidden = false;
  showWork(me);
  startIdle({
    timeoutSeconds: me.idle_timeout_seconds || 900,
    ping: keepAlive,
    onWarn: showIdleWarning,
    onCountdown: updateIdleWarning,
    onUnwarn: closeIdleWarning,
    onExpire: () => expire('idle'),
    onOtherTabSignedOut: () => expire('other-tab'),
  });
}

function worksRoster(me) {
  return me && (me.role === 'peer' || me.role === 'supervisor');
}

// The resource directory is for peers, supervisors and administrators
// (docs/resources.md); the privacy officer has none.
function worksDirectory(me) {
  return !!me && (worksRoster(me) || me.role === 'admin');
}

// The Resources link, after Groups; the roster's links only for those who
// work a roster.
function setNav(me) {
  const nav = document.getElementById('site-nav');
  const ul = nav.querySelector('ul');
  let link = document.getElementById('nav-resources');
  if (!link) {
    link = h('a', { href: '#/resources', id: 'nav-resources', text: 'Resources' });
    const groupsItem = document.getElementById('nav-groups');
    const li = h('li', {}, link);
    if (groupsItem && groupsItem.parentElement.nextSibling) ul.insertBefore(li, groupsItem.parentElement.nextSibling);
    else ul.append(li);
  }
  link.parentElement.hidden = !worksDirectory(me);
  for (const id of ['nav-roster', 'nav-add', 'nav-groups', 'nav-referrals', 'nav-outreach', 'nav-due']) {
    const a = document.getElementById(id);
    if (a) a.parentElement.hidden = !worksRoster(me);
  }
}

// The organisation requires two-step sign-in and this person has not set
// it up: the server answers only /me, sign-out and the set-up routes, so
// the app shows the account page and asks for nothing else.
function fenced(me) {
  return !!(me && me.two_factor && me.two_factor.required && !me.two_factor.enabled);
}

// The navigation, due count and notifications, unless fenced.
function showWork(me) {
  const open = !fenced(me);
  setNav(me);
  document.getElementById('site-nav').hidden = !open || !worksDirectory(me);
  if (!open) {
    notifications.stopPolling();
    return;
  }
  if (worksRoster(me)) contactDue.refreshDueCount();
  notifications.startPolling();
}

// Reads /me again after a change to two-step sign-in or the organisation's
// setting, lifting or putting up the fence.
async function refreshMe() {
  const was = fenced(state.me);
  const r = await api.get('/api/v1/me');
  if (!state.me || r.json.id !== state.me.id) return;
  state.me = r.json;
  if (was !== fenced(r.json)) showWork(r.json);
}

async function keepAlive() {
  try {
    await api.get('/api/v1/me');
    return true;
  } catch {
    return false;
  }
}

// Takes everything personal off the screen and out of memory, except the
// preserved draft (which expire() sets aside first).
function endSession() {
  stopIdle();
  closeDialog(document.getElementById('idle-dialog'));
  closeDialog(document.getElementById('confirm-dialog'), false);
  state.me = null;
  state.view = null;
  state.gen++;
  state.cache = {};
  setCsrf(null);
  document.getElementById('account').hidden = true;
  document.getElementById('site-nav').hidden = true;
  contactDue.clearDueCount();
  notifications.stopPolling();
  document.getElementById('account-name').textContent = '';
  announce('');
  clear(main());
}

// The session ended without the person asking (idle, a 401, another
// tab): keep what they typed in memory and ask them to sign in again.
function expire(reason) {
  if (!state.me) return;
  const v = state.view;
  let draft = null;
  let dirty = false;
  try {
    draft = v && v.snapshot ? v.snapshot() : null;
    dirty = !!(v && v.isDirty && v.isDirty());
  } catch { /* a half-built view has nothing typed yet */ }
  state.preserved = {
    userId: state.me.id,
    username: state.me.username,
    hash: location.hash || '#/people',
    draft,
    dirty,
  };
  if (reason === 'idle') {
    // The server is about to forget the session; make sure it has.
    api.del('/api/v1/session', { quiet401: true }).catch(() => {});
    broadcastSignedOut('idle');
  }
  endSession();
  const messages = {
    idle: 'You were signed out because there was no activity for a while. This keeps records private on a shared device.',
    expired: 'Your session ended, so you were signed out.',
    'other-tab': 'You were signed out in another tab or window.',
  };
  showSignIn({
    message: messages[reason] || messages.expired,
    kept: dirty,
    username: state.preserved.username,
  });
}

async function signOut() {
  if (state.view && state.view.isDirty && state.view.isDirty()) {
    const leave = await confirmLeave('Sign out without saving?',
      'What you typed in this form has not been saved. If you sign out now it will be lost.',
      'Sign out without saving');
    if (!leave) return;
  }
  try {
    await api.del('/api/v1/session', { quiet401: true });
  } catch { /* signed out already */ }
  broadcastSignedOut('signed-out');
  endSession();
  state.preserved = null;
  roster.reset();
  resources.reset();
  history.replaceState(null, '', '#/people');
  showSignIn({ message: 'You have signed out.', tone: 'info' });
}

function showSignIn(opts = {}) {
  state.signIn = opts; // shown again if they move around while signed out
  state.gen++;
  document.title = 'Sign in – Alongside';
  const m = main();
  clear(m);
  signin.render({
    main: m,
    ...opts,
    onSignedIn,
  });
}

// A successful sign-in from the sign-in view.
function onSignedIn(me) {
  if (state.lastUserId && state.lastUserId !== me.id) {
    // Someone else: nothing of the last person's may remain, so load the
    // app afresh (memory is the only place anything was kept).
    state.preserved = null;
    history.replaceState(null, '', '#/people');
    location.reload();
    return;
  }
  startSession(me);
  const p = state.preserved;
  state.preserved = null;
  if (p && p.userId === me.id) {
    state.pendingDraft = p.draft;
    state.restored = p.dirty;
    if (location.hash !== p.hash) history.replaceState(null, '', p.hash);
  }
  route();
}

// --- routing -----------------------------------------------------------

function navigate(hash, { replace = false, flash = null } = {}) {
  state.view = null; // leaving on purpose: nothing to guard
  state.flash = flash;
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
    const leave = await confirmLeave();
    state.guarding = false;
    if (leave && state.me) navigate(target);
    return;
  }
  route();
}

async function route() {
  if (!state.me) {
    showSignIn(state.signIn || {});
    return;
  }
  let hash = location.hash;
  if (hash === '' || hash === '#' || hash === '#/') {
    history.replaceState(null, '', '#/people');
    hash = '#/people';
  }
  const gen = ++state.gen;
  state.view = null;
  state.currentHash = hash;
  const draft = state.pendingDraft;
  const restored = state.restored;
  const flash = state.flash;
  state.pendingDraft = null;
  state.restored = false;
  state.flash = null;
  const m = main();
  clear(m);
  announce('');
  if (fenced(state.me) && hash !== '#/account') {
    history.replaceState(null, '', '#/account');
    hash = '#/account';
    state.currentHash = hash;
  }
  const ctx = makeCtx(gen, draft, restored);
  if (!fenced(state.me)) notifications.refreshUnread();
  const directory = /^#\/resources(?:[/?]|$)/.test(hash);
  if (!worksRoster(state.me) && !/^#\/(notifications|account|staff|break-glass)$/.test(hash)
    && !(directory && worksDirectory(state.me))) {
    document.title = 'No team roster – Alongside';
    noRoster.render(ctx);
    focusHeading(m);
    return;
  }
  let r = null;
  let args = [];
  for (const candidate of ROUTES) {
    const match = candidate.re.exec(hash);
    if (match) {
      r = candidate;
      args = match.slice(1).map((x) => x.toLowerCase());
      break;
    }
  }
  if (!r) {
    document.title = 'Page not found – Alongside';
    notFound.render(ctx, { what: 'page' });
    focusHeading(m);
    return;
  }
  document.title = `${r.title} – Alongside`;
  m.append(h('p', { class: 'page loading', text: 'Loading…' }));
  try {
    await r.render(ctx, ...args);
  } catch (err) {
    if (ctx.stale() || (err && err.handled)) return;
    clear(m);
    if (err && err.status === 404) {
      document.title = 'Not found – Alongside';
      notFound.render(ctx, { what: directory ? 'resource' : 'person' });
    } else {
      renderFailure(m, err);
    }
  }
  if (ctx.stale()) return;
  const loading = m.querySelector(':scope > .loading');
  if (loading) loading.remove();
  if (!ctx.focused) focusHeading(m);
  if (restored) {
    announce('You are signed in again. What you typed before has been put back in the form; it is not saved yet.');
  } else if (draft) {
    announce('You are signed in again.');
  } else if (flash) {
    announce(flash);
  }
}

function renderFailure(m, err, retry = route) {
  const offline = !err || err.status === undefined;
  m.append(h('div', { class: 'page' },
    h('h1', { text: offline ? 'Cannot reach Alongside' : 'Something went wrong' }),
    h('p', { text: offline
      ? 'The server did not answer. Check the connection, then try again.'
      : 'The page could not be shown. Try again; if it keeps happening, tell your administrator.' }),
    h('p', {}, h('button', { type: 'button', class: 'button', text: 'Try again', on: { click: () => retry() } }))));
}

function makeCtx(gen, draft, restored) {
  const ctx = {
    main: main(),
    me: state.me,
    draft,
    restored,
    focused: false,
    stale: () => gen !== state.gen,
    setView: (v) => { if (gen === state.gen) state.view = v; },
    navigate,
    refreshMe,
    reference: loadReference,
    planKinds: loadPlanKinds,
    resourceCategories: loadResourceCategories,
    staff: loadStaff,
    rememberNames,
    lookupNames,
    announce,
    // Something to show once more in this tab (a disclosure's copy);
    // memory only, dropped at sign-out with the rest of the cache.
    keep: (key, value) => { state.cache[`kept:${key}`] = value; },
    kept: (key) => state.cache[`kept:${key}`] || null,
    teamLabel: (name) => {
      const t = (state.me && state.me.teams || []).find((x) => x.name === name);
      return t ? t.display_name : name;
    },
  };
  return ctx;
}

// --- cached look-ups (memory only, dropped at sign-out) ------------------

function cached(key, load) {
  if (!state.cache[key]) {
    const p = load();
    state.cache[key] = p;
    p.catch(() => { if (state.cache[key] === p) delete state.cache[key]; });
  }
  return state.cache[key];
}

function loadReference() {
  return cached('reference', () => api.get('/api/v1/reference').then((r) => {
    setOrganisationZone(r.json.time_zone);
    return r.json;
  }));
}

// The structure of every kind of plan, with its code lists and the rules
// for signing (GET /api/v1/plan-kinds).
function loadPlanKinds() {
  return cached('plan-kinds', () => api.get('/api/v1/plan-kinds').then((r) => r.json));
}

// The resource directory's categories, each with its group (sdoh or
// peer), from GET /api/v1/resources/categories.
function loadResourceCategories() {
  return cached('resource-categories', () => api.get('/api/v1/resources/categories').then((r) => r.json.items || []));
}

// Colleagues on the user's teams, every page of them.
function loadStaff() {
  return cached('staff', async () => {
    const items = [];
    let after = null;
    do {
      const r = await api.get(`/api/v1/staff?limit=200${after ? `&after=${after}` : ''}`);
      items.push(...r.json.items);
      after = r.json.next;
    } while (after);
    return items;
  });
}

function names() {
  if (!state.cache.names) state.cache.names = new Map();
  return state.cache.names;
}

function rememberNames(items) {
  const n = names();
  for (const p of items) n.set(p.id, p.preferred_name);
}

// Preferred names for ids, from the roster (summaries only, so showing a
// linked person's name does not open their record).
async function lookupNames(ids) {
  const n = names();
  let missing = ids.filter((id) => !n.has(id));
  let after = null;
  for (let page = 0; missing.length && page < 10; page++) {
    const q = new URLSearchParams({ limit: '200' });
    if (after) q.set('after', after);
    const r = await api.get(`/api/v1/people?${q}`);
    rememberNames(r.json.items);
    missing = missing.filter((id) => !n.has(id));
    after = r.json.next;
    if (!after) break;
  }
  return n;
}

// --- dialogs -----------------------------------------------------------

let returnFocus = null;
let staying = false;

function openDialog(d) {
  if (d.open) return;
  returnFocus = document.activeElement;
  d.showModal();
}

function closeDialog(d, restoreFocus = true) {
  if (!d || !d.open) return;
  d.close();
  if (restoreFocus && returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

function idleText(secs) {
  return `You will be signed out in ${secs} ${secs === 1 ? 'second' : 'seconds'} because of inactivity.`;
}

function showIdleWarning(secs) {
  const d = document.getElementById('idle-dialog');
  document.getElementById('idle-text').textContent = idleText(secs);
  const confirm = document.getElementById('confirm-dialog');
  if (confirm.open) confirm.close('stay');
  openDialog(d);
  document.getElementById('idle-stay').focus();
}

function updateIdleWarning(secs) {
  const d = document.getElementById('idle-dialog');
  document.getElementById('idle-text').textContent = idleText(secs);
  if (!d.open && !staying) openDialog(d);
}

function closeIdleWarning() {
  closeDialog(document.getElementById('idle-dialog'));
}

async function stay() {
  staying = true;
  const ok = await ping();
  staying = false;
  if (ok) {
    closeIdleWarning();
    announce('You are still signed in.');
  }
}

let confirmResolve = null;

// Asks before leaving a form with unsaved text. Resolves true to leave.
function confirmLeave(title = 'Leave without saving?',
  text = 'What you typed in this form has not been saved. If you leave now it will be lost.',
  leaveLabel = 'Leave without saving') {
  const d = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-leave').textContent = leaveLabel;
  if (confirmResolve) confirmResolve(false);
  return new Promise((resolve) => {
    confirmResolve = resolve;
    openDialog(d);
    document.getElementById('confirm-stay').focus();
  });
}

function settleConfirm(leave) {
  const d = document.getElementById('confirm-dialog');
  const r = confirmResolve;
  confirmResolve = null;
  closeDialog(d, !leave);
  if (r) r(leave);
}

// --- start -------------------------------------------------------------

function wire() {
  configureApi({
    unauthorized: () => expire('expired'),
    contact: (at) => contact(at),
    csrfRefreshed: (me) => !!state.me && me.id === state.me.id,
  });
  window.addEventListener('hashchange', onHashChange);
  document.getElementById('sign-out').addEventListener('click', signOut);
  document.getElementById('skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    main().focus();
  });
  document.getElementById('idle-stay').addEventListener('click', stay);
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
  confirm.addEventListener('close', () => {
    if (confirmResolve) settleConfirm(false);
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

async function boot() {
  wire();
  try {
    const r = await api.get('/api/v1/me', { quiet401: true });
    startSession(r.json);
    route();
  } catch (err) {
    if (err && err.status === 401) {
      showSignIn({});
    } else {
      const m = main();
      clear(m);
      renderFailure(m, err, () => location.reload());
    }
  }
}

boot();
