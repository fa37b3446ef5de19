// The receiving organisation's page (/referral.html#token=…): what a
// service needs to answer a referral, and one answer. The token arrives
// after '#' (so no server log holds it), is taken out of the address bar
// at once and kept only in this module's memory; it goes to the server in
// a POST body. The page shows the service, the person's preferred name,
// what the referral is for (a category, or "a goal of their plan"), who
// made it and when, and where it stands, with the moves the server says
// are allowed (`next`). After one answer the link has ended. Nothing is
// written to localStorage, sessionStorage or cookies. See
// docs/referrals.md.
import { api } from '../api.js';
import { h, clear, announce, focusHeading, formatTime } from '../dom.js';
import { statusText, referralBadge, movePanel } from '../views/referral_common.js';

let token = null;

// Takes the token from "#token=…" and the fragment out of the address
// bar (and so out of the history entry), before anything else runs.
function takeToken() {
  const m = /^#token=([A-Za-z0-9_-]{16,128})$/.exec(location.hash || '');
  if (location.hash) history.replaceState(null, '', location.pathname);
  return m ? m[1] : null;
}

const main = () => document.getElementById('main');

// "housing-instability" -> "Housing instability": the page has no
// sign-in, so it cannot read the directory's labels.
function categoryWords(v) {
  if (v.category_label) return v.category_label;
  if (!v.category) return null;
  const t = v.category.replace(/-peer$/, '').replace(/[-_]+/g, ' ');
  return t[0].toUpperCase() + t.slice(1);
}

function show(...nodes) {
  const m = main();
  clear(m);
  m.append(h('div', { class: 'page portal-page referral-org-page' }, ...nodes));
  focusHeading(m);
}

function ended(detail, title = 'This link does not work') {
  show(h('h1', { id: 'ref-org-title', text: title }),
    h('p', { id: 'ref-org-detail', text: detail }));
}

function endedProblem(err) {
  if (err && err.status === 404) {
    ended((err.problem && err.problem.detail)
      || 'It was used already, has ended, or was replaced. Ask the peer specialist who sent it for a new one.',
    (err.problem && err.problem.title) || 'This link does not work');
  } else if (err && err.status === 429) {
    ended('Too many tries from here. Wait a little, then open the link again.', 'Please wait');
  } else if (!err || err.status === undefined) {
    ended('The server did not answer. Check the connection, then open the link again.', 'Cannot reach Alongside');
  } else {
    ended('The referral could not be shown. Open the link again in a moment; if it keeps happening, call the peer specialist who sent it.',
      'Something went wrong');
  }
}

function draw(v) {
  const service = v.service_name || v.organization_name || 'Your service';
  const need = v.for_goal ? 'A goal of their plan' : (categoryWords(v) || 'Not given');
  const panel = (v.next || []).length ? movePanel({
    moves: v.next,
    idPrefix: 'ref-org-move',
    failTitle: 'Your answer was not sent',
    outcomeHint: 'What came of it, in a sentence or two. The peer specialist reads this.',
    send: async (body) => {
      let r;
      try {
        r = await api.post('/api/v1/referral-link/status', { token, ...body });
      } catch (err) {
        if (err.status === 404) {
          token = null;
          endedProblem(err);
          return;
        }
        throw err;
      }
      // One answer: the token is of no more use.
      token = null;
      thanks(r.json, service);
    },
  }) : null;
  show(
    h('h1', { id: 'ref-org-title', text: 'A referral to your service' }),
    h('p', { class: 'lead', text: `From a peer support team, through Alongside.` }),
    h('dl', { class: 'details', id: 'ref-org-details' },
      row('Service', [service, v.organization_name && v.organization_name !== service ? ` (${v.organization_name})` : '']),
      row('Person', h('strong', { id: 'ref-org-person', text: v.person_name || '' })),
      row('What it is for', need),
      row('Referred by', `${v.made_by_name || 'A peer specialist'}, ${formatTime(v.made_at)}`),
      row('Where it stands', referralBadge(v.status))),
    v.expires_at ? h('p', { class: 'muted', id: 'ref-org-expires', text: `This link works once, until ${formatTime(v.expires_at)}.` }) : null,
    panel ? h('section', { class: 'card', 'aria-labelledby': 'ref-org-answer-title' },
      h('h2', { id: 'ref-org-answer-title', text: 'Tell us where it stands' }),
      h('p', { class: 'muted', text: 'Choose one. You can send one answer through this link.' }),
      panel.el)
      : h('p', { text: 'There is nothing to answer through this link now.' }),
    h('p', { class: 'muted', text: 'To talk about the person, call the peer specialist who referred them.' }));
}

function row(term, value) {
  return h('div', { class: 'details__row' }, h('dt', { text: term }), h('dd', {}, value));
}

function thanks(v, service) {
  show(h('h1', { id: 'ref-org-title', text: 'Thank you \u2014 the link has now ended' }),
    h('p', { id: 'ref-org-done', text: `We have told the peer support team: ${statusText(v.status).toLowerCase()}.` }),
    h('p', { text: `If anything changes for ${v.person_name || 'the person'} at ${service}, call the peer specialist who referred them; they can send a new link.` }));
  announce('Your answer was sent.');
}

async function boot() {
  token = takeToken();
  if (!token) {
    ended('The address is not complete. Open the link exactly as it was sent to you, or ask the peer specialist for a new one.');
    return;
  }
  try {
    const r = await api.post('/api/v1/referral-link', { token });
    draw(r.json);
  } catch (err) {
    token = null;
    endedProblem(err);
  }
}

// A page restored from the back/forward cache starts afresh (and so,
// with no token left, shows nothing of the referral).
window.addEventListener('pageshow', (ev) => {
  if (ev.persisted) location.reload();
});

boot();
