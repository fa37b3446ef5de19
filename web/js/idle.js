// Idle logoff, as the person at the keyboard sees it.
//
// The server ends a session after idle_timeout_seconds without requests.
// This module keeps the session alive while someone is using the page
// (keyboard, pointer or typing counts; a GET /api/v1/me at most once per
// a third of the timeout), warns before the end when nobody is, and calls
// onExpire at the end so the app can take the record off the screen.
//
// The server notes a session's last use only every timeout/10 (at most
// every 60 s), so after a request it may end the session up to that much
// sooner than timeout after the request. The deadline here allows for
// that, so the screen is cleared no later than the server forgets us.
//
// Tabs of this app share what they know through a BroadcastChannel
// (memory only, nothing is stored): one busy tab keeps the other alive,
// and a sign-out in one signs all out.

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'input'];

let cfg = null;
let running = false;
let timeoutMs = 0;
let lastContact = 0;
let warned = false;
let pinging = false;
let lastActivityBroadcast = 0;
let ticker = null;
let channel = null;

function now() {
  return Date.now();
}

function graceMs() {
  return Math.min(timeoutMs / 10, 60000);
}

// How long before the end the warning shows: a minute, or a third of the
// timeout when that is short.
export function warningLeadMs(timeoutSeconds) {
  const t = timeoutSeconds * 1000;
  return Math.min(60000, t / 3);
}

function deadline() {
  return lastContact + timeoutMs - graceMs();
}

function post(msg) {
  if (!channel) return;
  try { channel.postMessage(msg); } catch { /* closed */ }
}

function onChannel(ev) {
  const m = ev.data || {};
  if (!running) return;
  if (m.t === 'contact' && typeof m.at === 'number') contact(m.at, false);
  else if (m.t === 'activity') activity(false);
  else if (m.t === 'signed-out' && cfg) cfg.onOtherTabSignedOut(m.reason);
}

function onActivityEvent() {
  activity(true);
}

function activity(local) {
  if (!running || warned) return;
  const t = now();
  if (local && t - lastActivityBroadcast > 1000) {
    lastActivityBroadcast = t;
    post({ t: 'activity' });
  }
  if (t - lastContact >= timeoutMs / 3) ping();
}

// Keeps the session alive; resolves true when the server still knows us.
export async function ping() {
  if (!running || pinging || !cfg) return false;
  pinging = true;
  try {
    return await cfg.ping();
  } catch {
    return false;
  } finally {
    pinging = false;
  }
}

// The server answered a request started at time at.
export function contact(at, local = true) {
  if (!running || at <= lastContact) return;
  lastContact = at;
  if (local) post({ t: 'contact', at });
  tick();
}

function tick() {
  if (!running) return;
  const left = deadline() - now();
  if (left <= 0) {
    const c = cfg;
    stopIdle();
    c.onExpire();
    return;
  }
  if (left <= warningLeadMs(timeoutMs / 1000)) {
    if (!warned) {
      warned = true;
      cfg.onWarn(Math.ceil(left / 1000));
    } else {
      cfg.onCountdown(Math.ceil(left / 1000));
    }
  } else if (warned) {
    warned = false;
    cfg.onUnwarn();
  }
}

// options: timeoutSeconds, ping() -> Promise<bool>, onWarn(secs),
// onCountdown(secs), onUnwarn(), onExpire(), onOtherTabSignedOut(reason),
// channel (the BroadcastChannel's name: tabs of one app, not of another,
// share one; default 'alongside-session')
export function startIdle(options) {
  stopIdle();
  cfg = options;
  timeoutMs = Math.max(1, options.timeoutSeconds) * 1000;
  lastContact = now();
  warned = false;
  running = true;
  for (const ev of ACTIVITY_EVENTS) {
    document.addEventListener(ev, onActivityEvent, { capture: true, passive: true });
  }
  if (typeof BroadcastChannel === 'function' && !channel) {
    channel = new BroadcastChannel(options.channel || 'alongside-session');
    channel.onmessage = onChannel;
  }
  ticker = setInterval(tick, 500);
}

export function stopIdle() {
  running = false;
  warned = false;
  clearInterval(ticker);
  ticker = null;
  for (const ev of ACTIVITY_EVENTS) {
    document.removeEventListener(ev, onActivityEvent, { capture: true });
  }
}

// Tells other tabs this one signed out (they sign out too).
export function broadcastSignedOut(reason) {
  post({ t: 'signed-out', reason });
}
