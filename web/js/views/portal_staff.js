// The person's own portal, from the staff side: the "Portal" card on the
// person's page (whether they are invited, using it or not; inviting them,
// issuing a new invitation when they have lost access, ending access) and
// the invitation to print (#/people/{id}/portal-invitation): the code in
// large groups, the QR code that opens the portal with the code filled
// in, and the steps in plain words.
//
// The code is shown once, straight after it is made: the server keeps
// only a hash of it. The answer is kept in this tab's memory (ctx.keep)
// just long enough to draw the page, then dropped; the page opened again
// (or reloaded) says to issue a new invitation.
import { api } from '../api.js';
import { h, clear, formatTime, formatDate, todayISO } from '../dom.js';
import { problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';

const keyOf = (personId) => `portal-invite:${personId}`;

// GET /api/v1/people/{id}/portal, or null when it cannot be read (the
// card then says so; the rest of the page still shows).
export async function loadPortal(personId) {
  try {
    return (await api.get(`/api/v1/people/${personId}/portal`)).json;
  } catch (err) {
    if (err.handled) throw err;
    return null;
  }
}

function statusText(p, s) {
  const name = p.preferred_name;
  switch (s.status) {
    case 'invited':
      return Date.parse(s.invite_expires_at) > Date.now()
        ? `Invited ${formatTime(s.invited_at)}. The invitation works until ${formatTime(s.invite_expires_at)}; ${name} has not used it yet.`
        : `Invited ${formatTime(s.invited_at)}, but the invitation ran out on ${formatTime(s.invite_expires_at)} before ${name} used it.`;
    case 'active':
      return `Using the portal since ${formatTime(s.activated_at)}${s.last_sign_in_at ? `; signed in last ${formatTime(s.last_sign_in_at)}` : ''}.`;
    case 'ended':
      return `Portal access ended ${formatTime(s.ended_at)}. Invite ${name} again if they want it back.`;
    default:
      return `Not invited yet. With the portal, ${name} can read their plans, crisis card and notes on their own phone, comment on notes, suggest changes to a draft plan and see who their record was shared with. No email address is needed.`;
  }
}

// A modal question with two answers. Resolves true for yes.
function ask(title, text, yes) {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'button', class: 'button', text: yes });
    const no = h('button', { type: 'button', class: 'button button--secondary', text: 'Cancel' });
    const d = h('dialog', { class: 'dialog', 'aria-labelledby': 'portal-ask-title', 'aria-describedby': 'portal-ask-text' },
      h('h2', { id: 'portal-ask-title', text: title }),
      h('p', { id: 'portal-ask-text', text }),
      h('div', { class: 'dialog__actions' }, ok, no));
    const back = document.activeElement;
    const done = (v) => {
      if (d.open) d.close();
      d.remove();
      if (back && document.contains(back)) back.focus();
      resolve(v);
    };
    ok.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    d.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      done(false);
    });
    document.body.append(d);
    d.showModal();
    no.focus();
  });
}

// The card on the person's page. status: loadPortal()'s answer or null.
export function portalSection(ctx, p, status) {
  const section = h('section', { class: 'card portal-card', 'aria-labelledby': 'portal-title' });
  draw(status);
  return section;

  function draw(s) {
    clear(section);
    const problem = h('div', { class: 'portal-card__problem', role: 'alert' });
    section.append(h('h2', { id: 'portal-title', tabindex: '-1', text: 'Portal' }));
    if (!s) {
      section.append(h('p', { class: 'muted', text: 'Whether they use the portal could not be loaded just now.' }));
      return;
    }
    section.append(h('p', { id: 'portal-status', text: statusText(p, s) }));
    if (s.sign_in_name && s.status === 'active') {
      section.append(h('p', { class: 'muted', text: `Their sign-in name: ${s.sign_in_name}` }));
    }
    const open = s.status === 'invited' || s.status === 'active';
    const invite = h('button', { type: 'button', class: open ? 'button button--secondary' : 'button', id: 'portal-invite',
      text: open ? 'Issue a new invitation' : 'Invite to the portal' });
    const end = open ? h('button', { type: 'button', class: 'button button--secondary', id: 'portal-end', text: 'End portal access' }) : null;
    invite.addEventListener('click', async () => {
      if (open && !await ask('Issue a new invitation?',
        `A new invitation ends the passphrase ${p.preferred_name} uses now, and any portal session they have open. They choose a new sign-in with the new code. Use this when they have lost access.`,
        'Issue a new invitation')) return;
      invite.disabled = true;
      clear(problem);
      try {
        const r = await api.post(`/api/v1/people/${p.id}/portal/invitation`);
        if (ctx.stale()) return;
        ctx.keep(keyOf(p.id), r.json);
        ctx.navigate(`#/people/${p.id}/portal-invitation`);
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        invite.disabled = false;
        problem.append(h('p', { class: 'field__error', text: problemText(err) }));
      }
    });
    if (end) {
      end.addEventListener('click', async () => {
        if (!await ask('End portal access?',
          `${p.preferred_name} will no longer be able to sign in to the portal, and any session they have open ends now. Their record does not change. You can invite them again later.`,
          'End portal access')) return;
        end.disabled = true;
        clear(problem);
        try {
          await api.del(`/api/v1/people/${p.id}/portal`);
          const next = await loadPortal(p.id);
          if (ctx.stale()) return;
          draw(next);
          section.querySelector('h2').focus();
          ctx.announce('Portal access ended.');
        } catch (err) {
          if (ctx.stale() || err.handled) return;
          end.disabled = false;
          problem.append(h('p', { class: 'field__error', text: problemText(err) }));
        }
      });
    }
    section.append(...[
      open ? h('p', { class: 'field__hint', text: 'A new invitation ends their old passphrase and any open portal session.' }) : null,
      problem,
      h('div', { class: 'page__actions' }, invite, end)].filter(Boolean));
  }
}

// "ABCD-EFGH-JKLM" in its groups, each a span.
function codeGroups(code) {
  const groups = String(code).split('-');
  return h('p', { class: 'invite-code', id: 'invite-code' },
    groups.map((g, i) => [i ? h('span', { class: 'invite-code__dash', 'aria-hidden': 'true', text: '-' }) : null,
      h('span', { class: 'invite-code__group', text: g })]));
}

// The address to type when the QR code cannot be used: the invitation's
// own address without the code.
function portalAddress(url) {
  try {
    const u = new URL(url, location.origin);
    // The server answers /portal with the portal too: shorter to type.
    return `${u.origin}${u.pathname.replace(/\/portal\.html$/, '/portal')}`;
  } catch {
    return `${location.origin}/portal`;
  }
}

export async function renderInvitation(ctx, personId) {
  const [r] = await Promise.all([api.get(`/api/v1/people/${personId}`), ctx.reference()]);
  if (ctx.stale()) return;
  const p = r.json;
  const inv = ctx.kept(keyOf(p.id));
  // Shown once: nothing readable stays in memory after this page.
  ctx.keep(keyOf(p.id), null);
  clear(ctx.main);
  if (!inv) {
    ctx.main.append(h('div', { class: 'page page--narrow' },
      breadcrumb(p),
      h('h1', { text: 'Portal invitation' }),
      h('div', { class: 'notice', id: 'invite-gone' },
        h('p', { text: `An invitation code is shown once, straight after it is made. Alongside does not keep it where anyone can read it again, so it cannot be shown here now.` }),
        h('p', { text: `To give ${p.preferred_name} a code, issue a new invitation from their page. The one made before stops working.` })),
      h('p', {}, h('a', { class: 'button', href: `#/people/${p.id}`, text: `Back to ${p.preferred_name}` }))));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return;
  }
  const address = portalAddress(inv.url);
  const expires = inv.expires_at || inv.invite_expires_at;
  const print = h('button', { type: 'button', class: 'button', id: 'invite-print', text: 'Print the invitation' });
  print.addEventListener('click', () => window.print());
  // The QR code is an SVG the server drew; it goes in as an image, so
  // nothing in it could run.
  const qr = inv.qr_svg ? h('img', {
    id: 'invite-qr', class: 'qr invite-qr', width: 220, height: 220,
    src: `data:image/svg+xml;base64,${btoa(inv.qr_svg)}`,
    alt: 'QR code that opens the page to start using your record',
  }) : null;
  ctx.main.append(h('div', { class: 'page page--narrow invite-page' },
    h('div', { class: 'no-print' },
      breadcrumb(p),
      h('div', { class: 'notice notice--warning', id: 'invite-once', role: 'note' },
        h('p', { class: 'notice__title', text: 'Give this invitation to them now' }),
        h('p', { text: `The code is shown only this once. Print it or let ${p.preferred_name} scan the QR code from this screen. If it is lost, issue a new invitation.` })),
      h('div', { class: 'print-bar' }, print,
        h('a', { class: 'button button--secondary', href: `#/people/${p.id}`, text: `Back to ${p.preferred_name}` }))),
    h('article', { class: 'print-doc invite-doc', 'aria-labelledby': 'invite-title' },
      h('h1', { id: 'invite-title', text: 'Your invitation to see your record' }),
      h('p', { class: 'lead' }, 'For ', h('strong', { text: p.preferred_name }), '. From your peer support team.'),
      h('p', { text: 'With it you can read your plans, your crisis card and the notes from your peer specialist on your own phone, add comments, suggest changes to your plan, and see who your record was shared with. You do not need an email address.' }),
      qr ? h('div', { class: 'qr-wrap invite-qr-wrap' }, qr) : null,
      h('p', { class: 'invite-code-label', text: 'Your invitation code' }),
      codeGroups(inv.code),
      expires ? h('p', { class: 'invite-expires', id: 'invite-expires', text: `It works until ${formatTime(expires)}, once.` }) : null,
      h('h2', { text: 'How to start' }),
      h('ol', { class: 'invite-steps' },
        h('li', {}, 'Open the camera on your phone and point it at the square code above. Tap the link that appears. ',
          'No camera? Go to ', h('strong', { class: 'invite-address', text: address }), ', choose \u201cI have an invitation code\u201d and type the code.'),
        h('li', { text: 'Choose a sign-in name and a passphrase. A passphrase is a few words you will remember. Keep it to yourself.' }),
        h('li', {}, 'Next time, go to ', h('strong', { class: 'invite-address', text: address }), ' and sign in with your sign-in name and passphrase.'),
        h('li', { text: 'When you are done, press \u201cSign out\u201d, most of all on a phone you share.' })),
      h('p', { text: 'If you forget your passphrase, or the invitation stops working, ask your peer specialist for a new one.' }),
      h('p', { class: 'print-doc__footer', text: `Made ${formatDate(todayISO())}.` }))));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
