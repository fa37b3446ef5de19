// Downloading the whole record (#/record): as a file a computer can read
// (GET /api/v1/portal/record, a JSON attachment), or as pages to print
// (#/record/print), drawn from that same JSON: about the person, their
// time with peer support, every plan, every signed note with its
// comments, and who the record was shared with.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime, details } from '../dom.js';
import { kindOf, ownTitle } from '../views/plan_common.js';
import { renderContent, theirWords } from '../views/plan_view.js';
import { page, printButton, planStatus, count, HOME } from './common.js';
import { versionsOf } from './plans.js';
import { accountingTable } from './shared.js';

const MARKER = 'in your words';
const RECORD_URL = '/api/v1/portal/record';

export async function render(ctx) {
  clear(ctx.main);
  ctx.main.append(page(HOME,
    h('h1', { text: 'Download your record' }),
    h('p', { class: 'lead', text: 'Your whole record: your details, your plans, the notes and your comments, and who your record was shared with.' }),
    h('section', { class: 'card portal-download', 'aria-labelledby': 'dl-file-title' },
      h('h2', { id: 'dl-file-title', text: 'As a file' }),
      h('p', { text: 'A file in a format computers can read (JSON). You can keep it, or give it to another service you choose.' }),
      h('p', {}, h('a', { class: 'button portal-wide', id: 'dl-json', href: RECORD_URL, download: 'my-record.json', text: 'Download as a file (JSON)' }))),
    h('section', { class: 'card portal-download', 'aria-labelledby': 'dl-print-title' },
      h('h2', { id: 'dl-print-title', text: 'As pages to read or print' }),
      h('p', { text: 'The same record, set out to read. You can print it or save it as a PDF from the print screen.' }),
      h('p', {}, h('a', { class: 'button button--secondary portal-wide', id: 'dl-print', href: '#/record/print', text: 'Printable copy' }))),
    h('p', { class: 'muted portal-note', text: 'On a shared phone or computer, a downloaded file stays on it after you sign out. Delete it when you no longer need it there.' })));
  ctx.setView({ isDirty: () => false });
}

// "en" -> "English", in the browser's own words for languages.
function languageName(code) {
  if (!code) return null;
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) || code;
  } catch {
    return code;
  }
}

function aboutPart(p) {
  return h('section', { class: 'print-doc__part', 'aria-labelledby': 'rec-about' },
    h('h2', { id: 'rec-about', text: 'About you' }),
    details([
      ['Name you go by', p.preferred_name],
      ['Legal name', p.legal_name],
      ['Pronouns', p.pronouns],
      ['Date of birth', p.date_of_birth ? formatDate(p.date_of_birth) : null],
      ['Phone', p.phone],
      ['Language', languageName(p.language)],
    ]));
}

function episodesPart(episodes) {
  return h('section', { class: 'print-doc__part', 'aria-labelledby': 'rec-episodes' },
    h('h2', { id: 'rec-episodes', text: 'Your time with peer support' }),
    episodes.length ? h('ul', { class: 'plain-list' }, episodes.map((e) => h('li', { text: [
      e.agreement_date ? `You agreed to peer support on ${formatDate(e.agreement_date)}` : null,
      e.intake_date ? `started ${formatDate(e.intake_date)}` : null,
      e.discharge_date ? `ended ${formatDate(e.discharge_date)}` : 'still going',
    ].filter(Boolean).join(', ') }))) : h('p', { text: 'Nothing recorded yet.' }));
}

function planPart(kinds, plan) {
  const kind = kindOf(kinds, plan.kind);
  const { inForce, draft, signing } = versionsOf(plan);
  const words = (v) => (kind ? renderContent(kinds, kind.fields, v.content, { level: 4, marker: MARKER })
    : h('pre', { class: 'portal-raw', text: JSON.stringify(v.content || {}, null, 2) }));
  const shown = [];
  if (inForce) shown.push([`Version ${inForce.n}, signed ${formatDate(inForce.signed_on)} (in use)`, inForce]);
  if (signing) shown.push([`Version ${signing.n}, being signed`, signing]);
  if (draft) shown.push([`Version ${draft.n}, a draft not signed yet`, draft]);
  if (!shown.length && plan.current) shown.push([`Version ${plan.current.n}`, plan.current]);
  return h('article', { class: 'share-plan' },
    h('h3', { text: `${plan.kind_label || (kind ? kind.label : plan.kind)}${ownTitle(kinds, plan) ? `: ${plan.title}` : ''}` }),
    h('p', { class: 'muted', text: planStatus(plan.status) }),
    shown.map(([label, v]) => h('div', { class: 'portal-print-version' },
      h('p', { class: 'portal-print-version__label', text: label }),
      words(v))));
}

function notePart(n) {
  const goals = (n.goals || []).filter((g) => g.words);
  return h('article', { class: 'share-note' },
    h('h3', { text: `${formatDate(n.service_date)}: ${n.type_label || n.type}` }),
    details([
      ['Written by', [n.author_name, n.credential].filter(Boolean).join(', ')],
      n.minutes ? ['How long', count(n.minutes, 'minute', 'minutes')] : null,
      n.group_name ? ['Group', n.group_name] : null,
      n.location ? ['Where', n.location] : null,
      goals.length ? ['Goals worked on', h('ul', { class: 'plain-list' }, goals.map((g) => h('li', {}, theirWords(g.words, 'span', MARKER))))] : null,
      ['What we did', n.intervention],
      ['How it went for you', n.response],
      ['Next steps', n.next_steps],
      ...(n.addenda || []).map((a) => ['Added later', `${a.body || ''} (${[a.author_name, formatTime(a.created_at)].filter(Boolean).join(', ')})`]),
      ...(n.comments || []).map((c) => [c.acknowledged && !c.body ? 'You read it' : 'Your comment',
        `${c.body || 'I have read this note.'} (${formatTime(c.created_at)})`]),
    ]));
}

export async function renderPrint(ctx) {
  const [r, kinds] = await Promise.all([api.get(RECORD_URL), ctx.kinds()]);
  if (ctx.stale()) return;
  const rec = r.json || {};
  const p = rec.person || {};
  const plans = rec.plans || [];
  const notes = rec.notes || [];
  const shared = rec.disclosures || [];
  clear(ctx.main);
  ctx.main.append(page({ href: '#/record', text: 'Download your record' },
    h('div', { class: 'print-page' },
      h('div', { class: 'portal-actions no-print' }, printButton('Print')),
      h('article', { class: 'print-doc portal-print', 'aria-labelledby': 'rec-title' },
        h('h1', { id: 'rec-title', text: 'Your record' }),
        h('p', { class: 'lead' }, 'For ', h('strong', { text: p.preferred_name || '' }),
          rec.generated_at ? `. Made ${formatTime(rec.generated_at)}.` : '.'),
        aboutPart(p),
        episodesPart(rec.episodes || []),
        h('section', { class: 'print-doc__part', 'aria-labelledby': 'rec-plans' },
          h('h2', { id: 'rec-plans', text: 'Your plans' }),
          plans.length ? plans.map((x) => planPart(kinds, x)) : h('p', { text: 'No plans yet.' })),
        h('section', { class: 'print-doc__part', 'aria-labelledby': 'rec-notes' },
          h('h2', { id: 'rec-notes', text: 'Notes from your peer specialist' }),
          notes.length ? notes.map(notePart) : h('p', { text: 'No notes yet.' })),
        h('section', { class: 'print-doc__part', 'aria-labelledby': 'rec-shared' },
          h('h2', { id: 'rec-shared', text: 'Who your record was shared with' }),
          shared.length ? accountingTable(shared) : h('p', { text: 'Nothing from your record has been shared.' })),
        h('p', { class: 'print-doc__footer', text: 'From Alongside. If something is wrong or missing, tell your peer specialist.' })))));
  ctx.setView({ isDirty: () => false });
}
