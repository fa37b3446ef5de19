// The notification centre: the header's "Notifications" link carries the
// unread count on every page (GET /api/v1/notifications?limit=0, a cheap
// count, polled every 30 seconds and after each navigation), and this page
// lists the newest, marking each read when it is opened.
import { api } from '../api.js';
import { h, clear, formatTime } from '../dom.js';

const POLL_MS = 30000;
let timer = null;

function setUnread(n) {
  const el = document.getElementById('nav-notify-count');
  if (!el) return;
  clear(el);
  if (n) {
    el.append(h('span', { 'aria-hidden': 'true', text: String(n) }),
      h('span', { class: 'visually-hidden', text: `: ${n} unread` }));
  }
  el.hidden = !n;
}

// Updates the header's count; quiet when it cannot tell.
export async function refreshUnread() {
  try {
    const r = await api.get('/api/v1/notifications?limit=0', { quiet401: true });
    setUnread(r.json.unread);
  } catch {
    /* the count is a convenience: the page lists everything */
  }
}

export function startPolling() {
  stopPolling();
  document.getElementById('notify-link').hidden = false;
  refreshUnread();
  timer = setInterval(refreshUnread, POLL_MS);
}

export function stopPolling() {
  if (timer) clearInterval(timer);
  timer = null;
  setUnread(0);
  const link = document.getElementById('notify-link');
  if (link) link.hidden = true;
}

const KIND_TEXT = {
  safety_raised: 'A safety concern was raised',
  safety_escalated: 'A safety concern is waiting: nobody has acknowledged it yet',
  break_glass: 'Someone opened a record with emergency access: it needs your review',
};

// Where a notification leads, for the signed-in role; null when nowhere.
function target(ctx, n) {
  const role = ctx.me && ctx.me.role;
  if ((role === 'peer' || role === 'supervisor') && n.concern_id) return `#/safety-concerns/${n.concern_id}`;
  if (role === 'privacy' && n.kind === 'break_glass') return '#/break-glass';
  return null;
}

function item(ctx, n) {
  const text = `${KIND_TEXT[n.kind] || 'A notification'}${n.person_name ? ` for ${n.person_name}` : ''}`;
  const href = target(ctx, n);
  const open = async (ev) => {
    ev.preventDefault();
    if (!n.read_at) {
      try {
        await api.post(`/api/v1/notifications/${n.id}/read`);
      } catch { /* opening matters more */ }
    }
    if (ctx.stale()) return;
    ctx.navigate(href || '#/notifications');
  };
  return h('li', { class: `notify-item${n.read_at ? '' : ' notify-item--unread'}` },
    href
      ? h('a', { class: 'notify-item__link', href, on: { click: open } }, text)
      : h('p', { class: 'notify-item__text', text }),
    h('p', { class: 'muted notify-item__meta', text: `${formatTime(n.created_at)}${n.read_at ? '' : ' \u00b7 new'}` }),
    !href && !n.read_at ? h('button', { type: 'button', class: 'button button--secondary', text: 'Mark as read', on: { click: open } }) : null);
}

export async function render(ctx) {
  const r = await api.get('/api/v1/notifications?limit=50');
  if (ctx.stale()) return;
  setUnread(r.json.unread);
  const items = r.json.items;
  const role = ctx.me && ctx.me.role;
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page page--narrow' },
    h('h1', { text: 'Notifications' }),
    h('p', { class: 'lead', id: 'notify-count', text: r.json.unread ? `${r.json.unread} unread.` : 'Nothing unread.' }),
    role === 'admin' ? h('p', { text: 'Administrators are told when a safety concern waits too long. A supervisor of the person\u2019s team answers it in Alongside; check that one has.' }) : null,
    role === 'privacy' ? h('p', {}, 'Privacy officers are told when someone opens a record with emergency access (break-glass). Each one is reviewed on the ',
      h('a', { href: '#/break-glass', id: 'glass-reviews-link', text: 'emergency access reviews' }), ' page.') : null,
    items.length ? h('ul', { class: 'notify-list', 'aria-labelledby': 'notify-count' }, items.map((n) => item(ctx, n)))
      : h('p', { text: 'No notifications yet.' })));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
