// What the portal's views share: the page frame with a way back, big
// links to tap ("tiles"), words for a plan's standing written to the
// person, and problems explained in plain words.
import { h } from '../dom.js';

// A page: a way back (unless this is the home page), then the children.
export function page(back, ...children) {
  return h('div', { class: 'page portal-page' },
    back ? h('nav', { class: 'portal-back no-print', 'aria-label': 'Back' },
      h('a', { href: back.href, class: 'portal-back__link' },
        h('span', { 'aria-hidden': 'true', text: '\u2190 ' }), back.text)) : null,
    children);
}

export const HOME = { href: '#/', text: 'Your record' };

// A list of big links. items: [{ href, title, text?, id? }]
export function tiles(items, label) {
  return h('ul', { class: 'portal-tiles', 'aria-label': label || null },
    items.map((it) => h('li', {},
      h('a', { class: 'portal-tile', href: it.href, id: it.id || null },
        h('span', { class: 'portal-tile__title', text: it.title }),
        it.text ? h('span', { class: 'portal-tile__text', text: it.text }) : null))));
}

// A plan's standing, said to the person it belongs to.
export const PLAN_STATUS = {
  draft: 'Being written, not signed yet',
  signing: 'Being signed',
  signed: 'Signed',
  revising: 'Signed. A new version is being written',
  executed: 'Signed and ready to use if needed',
  invoked: 'In use now',
  revoked: 'Cancelled',
  expired: 'Expired',
};

export function planStatus(status) {
  return PLAN_STATUS[status] || status || '';
}

// The words for a failure, in plain language.
export function problemText(err) {
  if (!err || err.status === undefined) {
    return 'We could not reach the server. Check your internet connection and try again. Nothing was sent.';
  }
  if (err.status === 429) return 'There have been too many tries. Wait a few minutes, then try again.';
  if (err.status >= 500) return 'Something went wrong on our side. Nothing was sent. Try again in a moment.';
  if (err.status === 404) return 'This is not part of your record, or the link is old.';
  return (err.problem && (err.problem.detail || err.problem.title)) || 'That did not work. Try again.';
}

// A page that could not be shown, with a way to try again.
export function failure(err, retry) {
  const offline = !err || err.status === undefined;
  return h('div', { class: 'page portal-page' },
    h('h1', { text: offline ? 'We cannot reach the server' : 'Something went wrong' }),
    h('p', { text: offline
      ? 'Check your internet connection, then try again.'
      : 'This page could not be shown. Try again. If it keeps happening, tell your peer specialist.' }),
    h('p', {}, h('button', { type: 'button', class: 'button portal-wide', text: 'Try again', on: { click: () => retry() } })));
}

// "1 comment", "3 comments"
export function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// A print button (window.print()) that stays off the paper.
export function printButton(text = 'Print') {
  return h('button', { type: 'button', class: 'button portal-wide no-print', text, on: { click: () => window.print() } });
}

// The session as the server described it (sign-in, activation, /me),
// with the time the server said it was (its Date header), so the end of
// the session is worked out on this device's clock even when that clock
// is wrong.
export function sessionOf(r) {
  return { ...r.json, server_date: r.headers ? r.headers.get('Date') : null };
}
