// Referrals with a closed loop (docs/referrals.md):
// - the "Referrals" card on a person's page (open ones first, with the
//   service, the need, where it stands, who made it and when it comes
//   back for follow-up) and its "Refer" button;
// - the form that makes one (#/people/{id}/referrals/new?service=ID
//   &category=CODE): the service (from the directory, searched here), the
//   need (a goal of their plan or a category), the reason in their words
//   and, if they agree, what is shared with the service under their
//   consent;
// - a referral's own page (#/referrals/{id}): its timeline, the moves its
//   status allows, and a single-use link for the receiving organisation
//   (shown once, #/referrals/{id}/link);
// - the team's list of referrals that have gone quiet
//   (#/referrals/follow-up).
import { api, query } from '../api.js';
import { h, clear, formatDate, formatTime, linkButton, details, plural, todayISO, daysBetween } from '../dom.js';
import { field, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';
import { breadcrumb } from './plan_common.js';
import { loadGoals } from './contact_common.js';
import { loadConsents, choiceGroup, checkField } from './consent_common.js';
import { NEXT, statusText, referralBadge, movePanel, EVENT_TEXT } from './referral_common.js';

// --- look-ups ------------------------------------------------------------

// The directory's categories. Nothing personal: kept for the page's life.
let categoriesP = null;
export function loadCategories() {
  if (!categoriesP) {
    categoriesP = api.get('/api/v1/resources/categories').then((r) => r.json.items || []);
    categoriesP.catch(() => { categoriesP = null; });
  }
  return categoriesP;
}

function categoryLabel(cats, code) {
  const c = (cats || []).find((x) => x.code === code);
  return c ? c.label : code;
}

export async function loadReferrals(personId) {
  return (await api.get(`/api/v1/people/${personId}/referrals`)).json.items || [];
}

// Goals only when a referral names one (reading every plan costs).
async function goalsFor(personId, referrals) {
  if (!referrals.some((r) => r.goal_id)) return [];
  try {
    return await loadGoals(personId);
  } catch (err) {
    if (err.handled) throw err;
    return [];
  }
}

// "Goal: get my own place", "Housing"
function needText(r, cats, goals) {
  if (r.goal_id) {
    const g = (goals || []).find((x) => x.id === r.goal_id);
    return g ? `Goal: ${g.words}` : 'A goal of their plan';
  }
  return r.category ? categoryLabel(cats, r.category) : 'Not recorded';
}

// A timestamp's day in local time, as YYYY-MM-DD.
function localISO(ts) {
  const t = new Date(ts);
  if (Number.isNaN(t.getTime())) return '';
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

const dayOf = (ts) => formatDate(localISO(ts));

function whenBack(r) {
  if (!r.open || !r.follow_up_at) return null;
  const iso = localISO(r.follow_up_at);
  const d = daysBetween(todayISO(), iso);
  return d !== null && d <= 0 ? `Back for follow-up since ${formatDate(iso)}` : `Comes back for follow-up on ${formatDate(iso)} if nothing moves`;
}

function sharedMark(r) {
  return r.shared_outside
    ? h('span', { class: 'badge badge--shared', text: 'Shared with the service' })
    : null;
}

function serviceName(r) {
  const s = r.service || {};
  return s.name || 'A service';
}

function orgLine(r) {
  const s = r.service || {};
  return s.organization_name && s.organization_name !== s.name ? s.organization_name : null;
}

// --- the card on the person's page -----------------------------------------

function referralItem(r, cats, goals) {
  return h('li', { class: `referral-item${r.open ? ' referral-item--open' : ''}` },
    h('p', { class: 'referral-item__main' },
      h('a', { class: 'referral-item__name', href: `#/referrals/${r.id}`, text: serviceName(r) }),
      orgLine(r) ? h('span', { class: 'muted', text: ` \u00b7 ${orgLine(r)}` }) : null),
    h('p', { class: 'referral-item__need', text: needText(r, cats, goals) }),
    h('p', { class: 'referral-item__badges' }, referralBadge(r.status), ' ', sharedMark(r)),
    r.outcome ? h('p', { class: 'referral-item__outcome', text: `What came of it: ${r.outcome}` }) : null,
    h('p', { class: 'referral-item__meta muted', text: [
      `Made by ${r.made_by_name || 'a colleague'} on ${dayOf(r.made_at)}`,
      whenBack(r),
    ].filter(Boolean).join(' \u00b7 ') }));
}

// The card: renders at once and fills itself in, so the person's page
// does not wait for it. person: { id, preferred_name }.
export function referralsSection(ctx, person) {
  const body = h('div', { class: 'referrals-card__body' }, h('p', { class: 'muted', text: 'Loading referrals\u2026' }));
  const section = h('section', { class: 'card referrals-card', id: 'referrals', 'aria-labelledby': 'referrals-title' },
    h('h2', { id: 'referrals-title', text: 'Referrals' }),
    body,
    h('div', { class: 'page__actions' },
      linkButton(`#/people/${person.id}/referrals/new`, 'Refer', 'button--secondary')));
  (async () => {
    let items;
    let cats = [];
    let goals = [];
    try {
      [items, cats] = await Promise.all([loadReferrals(person.id), loadCategories().catch(() => [])]);
      goals = await goalsFor(person.id, items);
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      clear(body);
      body.append(h('p', { class: 'muted', text: 'Their referrals could not be loaded just now.' }));
      return;
    }
    if (ctx.stale()) return;
    clear(body);
    const open = items.filter((r) => r.open);
    const ended = items.filter((r) => !r.open);
    if (!items.length) {
      body.append(h('p', { class: 'muted', text: 'No referrals yet. Refer them to a service of the directory when they want one.' }));
      return;
    }
    body.append(
      h('h3', { id: 'referrals-open-title', text: open.length ? `Open (${open.length})` : 'Open' }),
      open.length ? h('ul', { class: 'referral-list', id: 'referrals-open', 'aria-labelledby': 'referrals-open-title' },
        open.map((r) => referralItem(r, cats, goals)))
        : h('p', { class: 'muted', text: 'None open.' }));
    if (ended.length) {
      body.append(h('details', { class: 'referrals-ended' },
        h('summary', { text: `Ended (${ended.length})` }),
        h('ul', { class: 'referral-list', id: 'referrals-ended' }, ended.map((r) => referralItem(r, cats, goals)))));
    }
  })();
  return section;
}

// --- the form --------------------------------------------------------------

function hashParams() {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i >= 0 ? location.hash.slice(i + 1) : '');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function serviceCard(s, cats) {
  const loc = s.location || (s.locations && s.locations[0]) || null;
  const where = loc ? [loc.address_1, loc.city].filter(Boolean).join(', ') : '';
  const phone = s.phone || (s.phones && s.phones[0] && s.phones[0].number) || '';
  return h('div', { class: 'referral-service' },
    h('p', { class: 'referral-service__name' }, h('strong', { text: s.name }),
      s.organization && s.organization.name && s.organization.name !== s.name
        ? h('span', { class: 'muted', text: ` \u00b7 ${s.organization.name}` }) : null),
    (s.categories || []).length ? h('p', { class: 'muted', text: s.categories.map((c) => c.label || categoryLabel(cats, c.code)).join(', ') }) : null,
    where || phone ? h('p', { class: 'muted', text: [where, phone].filter(Boolean).join(' \u00b7 ') }) : null);
}

export async function renderNew(ctx, personId) {
  const params = hashParams();
  const wantService = UUID.test(params.get('service') || '') ? params.get('service') : null;
  const wantCategory = params.get('category') || '';
  const [pr, ref, cats, goals, consents, preset] = await Promise.all([
    api.get(`/api/v1/people/${personId}`),
    ctx.reference(),
    loadCategories(),
    loadGoals(personId).catch((err) => { if (err.handled) throw err; return []; }),
    loadConsents(personId).catch((err) => { if (err.handled) throw err; return []; }),
    wantService ? api.get(`/api/v1/resources/${wantService}`).then((r) => r.json).catch((err) => {
      if (err.handled) throw err;
      return null;
    }) : null,
  ]);
  if (ctx.stale()) return;
  const person = pr.json;
  const cref = ref.consents || {};
  const d = ctx.draft && ctx.draft.kind === 'referral-new' && ctx.draft.personId === person.id ? ctx.draft.values : null;
  let service = preset;

  // The service: chosen, or searched for.
  const chosen = h('div', { class: 'referral-chosen', id: 'ref-service-chosen', tabindex: '-1', 'aria-live': 'polite' });
  const search = field({ id: 'ref-search', name: 'service_id', label: 'Search the directory', type: 'search', maxlength: 200,
    hint: 'Words from the service\u2019s or the organisation\u2019s name or what it does, for example \u201chousing\u201d.' });
  const searchBtn = h('button', { type: 'button', class: 'button button--secondary', id: 'ref-search-go', text: 'Search' });
  const results = h('div', { class: 'referral-results', id: 'ref-results', 'aria-live': 'polite' });
  const searchBox = h('div', { class: 'referral-search' }, search.wrap, h('div', { class: 'form__actions' }, searchBtn), results);

  const consentNote = h('p', { class: 'field__hint', id: 'ref-consent-note' });

  function showService() {
    clear(chosen);
    if (!service) {
      searchBox.hidden = false;
      chosen.hidden = true;
      updateConsentNote();
      return;
    }
    const change = h('button', { type: 'button', class: 'button button--quiet', id: 'ref-service-change', text: 'Choose another service' });
    change.addEventListener('click', () => {
      service = null;
      showService();
      search.control.focus();
    });
    chosen.hidden = false;
    chosen.append(h('p', { class: 'field__label', text: 'The service' }), serviceCard(service, cats), change);
    searchBox.hidden = true;
    updateConsentNote();
  }

  async function runSearch() {
    const q = search.control.value.trim();
    clear(results);
    if (!q) {
      results.append(h('p', { class: 'muted', text: 'Type a word or two to search.' }));
      return;
    }
    searchBtn.disabled = true;
    results.append(h('p', { class: 'muted', text: 'Searching\u2026' }));
    try {
      const r = await api.get(`/api/v1/resources${query({ q, limit: 10 })}`);
      if (ctx.stale()) return;
      clear(results);
      const items = r.json.items || [];
      if (!items.length) {
        results.append(h('p', { text: `Nothing in the directory matches \u201c${q}\u201d.` }));
        return;
      }
      results.append(h('p', { class: 'muted', text: `${plural(items.length, 'service', 'services')}${r.json.more ? ' (the first ones)' : ''}:` }),
        h('ul', { class: 'referral-results__list' }, items.map((s) => {
          const pick = h('button', { type: 'button', class: 'button button--secondary button--small', text: 'Choose',
            'aria-label': `Choose ${s.name}` });
          pick.addEventListener('click', () => {
            clearErrors(form);
            service = s;
            showService();
            chosen.focus();
          });
          return h('li', { class: 'referral-result' }, serviceCard(s, cats), pick);
        })));
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      clear(results);
      results.append(h('p', { class: 'field__error', text: problemText(err) }));
    } finally {
      searchBtn.disabled = false;
    }
  }
  searchBtn.addEventListener('click', runSearch);
  search.control.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      runSearch();
    }
  });

  // The need: a goal of their plan, or a category.
  const active = goals.filter((g) => !['completed', 'cancelled', 'entered-in-error', 'rejected'].includes(g.lifecycle_status));
  const need = field({ id: 'ref-need', name: 'need', label: 'What it is for', type: 'select', required: true,
    hint: active.length ? 'One of their goals, in their words, or a kind of need.' : 'They have no goals in a plan yet: choose a kind of need.' });
  const sel = need.control;
  sel.append(h('option', { value: '', text: 'Choose one' }));
  if (active.length) {
    sel.append(h('optgroup', { label: 'Goals of their plan' },
      active.map((g) => h('option', { value: `goal:${g.id}`, text: `Goal: ${g.words}` }))));
  }
  const groups = [['peer', 'Areas of life'], ['sdoh', 'Social needs']];
  for (const [code, label] of groups) {
    const list = cats.filter((c) => c.group === code);
    if (list.length) sel.append(h('optgroup', { label }, list.map((c) => h('option', { value: `category:${c.code}`, text: c.label }))));
  }
  const other = cats.filter((c) => !groups.some(([g]) => g === c.group));
  if (other.length) sel.append(h('optgroup', { label: 'Other' }, other.map((c) => h('option', { value: `category:${c.code}`, text: c.label }))));
  if (wantCategory && cats.some((c) => c.code === wantCategory)) sel.value = `category:${wantCategory}`;

  const reason = field({ id: 'ref-reason', name: 'reason', label: 'Why, in their words (optional)', type: 'textarea', rows: 3,
    maxlength: 2000, hint: 'What they hope for from this service, as they said it. It stays with the team: the service does not see it.' });

  // Sharing, under their consent.
  const share = checkField({ id: 'ref-share', label: 'Share information with this service',
    hint: 'Only with their consent: a consent in force must name the service\u2019s organisation and allow sharing for a referral. Without it, go together or call the service with them instead.' });
  const shareCats = choiceGroup({ id: 'ref-share-categories', legend: 'What to share', required: true,
    hint: 'Only what the service needs to take them on.',
    items: (cref.categories || []).map((c) => ({ value: c.code, label: c.label })) });
  const info = field({ id: 'ref-share-information', name: 'information', label: 'What exactly is shared (optional)', type: 'textarea', rows: 2,
    maxlength: 2000, hint: 'If it is less than whole parts of the record, say what, for example \u201ctheir name and phone number\u201d.' });
  const shareBox = h('div', { class: 'referral-share', id: 'ref-share-box' }, consentNote, shareCats.wrap, info.wrap);
  const syncShare = () => { shareBox.hidden = !share.control.checked; };
  share.control.addEventListener('change', syncShare);

  // Which consents in force name the organisation (a help; the server decides).
  function updateConsentNote() {
    const org = service && (service.organization ? service.organization.name : null);
    if (!org) {
      consentNote.textContent = 'Choose the service first to see whether a consent of theirs names it.';
      return;
    }
    const norm = (s) => String(s || '').trim().toLowerCase();
    const hit = (consents || []).filter((c) => c.status === 'active' && c.discloses
      && (c.recipients || []).some((x) => norm(x.name) === norm(org)));
    consentNote.textContent = hit.length
      ? `A consent of theirs in force names ${org}.`
      : `No consent of theirs in force names ${org} yet.`;
  }

  const submit = h('button', { type: 'submit', class: 'button', id: 'ref-submit', text: 'Make the referral' });
  const form = h('form', { class: 'form referral-form', novalidate: true, 'aria-labelledby': 'ref-title' },
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'Where to' }), chosen, searchBox),
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'What for' }), need.wrap, reason.wrap),
    h('fieldset', { class: 'fieldset' }, h('legend', { text: 'Sharing' }), share.wrap, shareBox),
    h('div', { class: 'form__actions' }, submit,
      h('a', { class: 'button button--quiet', href: `#/people/${person.id}`, text: 'Cancel' })));

  if (d) {
    reason.control.value = d.reason || '';
    info.control.value = d.information || '';
    if (d.need && [...sel.options].some((o) => o.value === d.need)) sel.value = d.need;
    share.control.checked = !!d.share;
    for (const x of shareCats.boxes) x.c.checked = (d.categories || []).includes(x.c.value);
  }
  syncShare();
  showService();

  const resolve = (name) => {
    if (name === 'service_id') return { control: service ? chosen.querySelector('button') || search.control : search.control, label: 'The service' };
    if (name === 'goal_id' || name === 'category') return { control: sel, label: 'What it is for' };
    if (name === 'reason') return { control: reason.control };
    if (/^share\.categories/.test(name || '')) return { control: shareCats.control, label: 'What to share' };
    if (name === 'share.information') return { control: info.control };
    if (name === 'share' || /^share\./.test(name || '')) return { control: share.control, label: 'Sharing' };
    return null;
  };

  function values() {
    return {
      need: sel.value,
      reason: reason.control.value,
      share: share.control.checked,
      categories: shareCats.values(),
      information: info.control.value,
    };
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const errors = [];
    if (!service) errors.push({ field: 'service_id', message: 'search the directory and choose one' });
    if (!sel.value) errors.push({ field: 'category', message: 'choose one of their goals or a kind of need' });
    if (share.control.checked && !shareCats.values().length) errors.push({ field: 'share.categories', message: 'choose at least one part of the record' });
    if (errors.length) {
      // Said as what to do: "The service: search the directory…".
      showErrors(form, errors, (name) => {
        const t = resolve(name);
        return t ? { ...t, label: `${t.label || t.control.dataset.label}:` } : null;
      }, { title: 'The referral was not made yet' });
      return;
    }
    const body = { service_id: service.id };
    const [kind, value] = [sel.value.slice(0, sel.value.indexOf(':')), sel.value.slice(sel.value.indexOf(':') + 1)];
    if (kind === 'goal') body.goal_id = value;
    else body.category = value;
    if (reason.control.value.trim()) body.reason = reason.control.value.trim();
    if (share.control.checked) {
      body.share = { categories: shareCats.values() };
      if (info.control.value.trim()) body.share.information = info.control.value.trim();
    }
    busy(form, true, 'Making it\u2026');
    try {
      const r = await api.post(`/api/v1/people/${person.id}/referrals`, body);
      if (ctx.stale()) return;
      ctx.navigate(`#/referrals/${r.json.id}`, { flash: share.control.checked
        ? 'Referral made. What you shared is in their accounting of disclosures.'
        : 'Referral made.' });
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      busy(form, false);
      if (err.status === 422) {
        const detail = err.problem.detail || (err.errors[0] && err.errors[0].message) || 'No consent of theirs covers sharing this with the service.';
        showFormProblem(form, 'Not covered by their consent: nothing was shared and no referral was made', detail,
          h('p', {}, 'You can make the referral without sharing, or ',
            h('a', { href: `#/people/${person.id}/consents`, id: 'ref-consents-link', text: 'look at their consents' }),
            ' and record one that covers it if they want this shared.'));
      } else if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, resolve, { title: 'The referral was not made yet' });
      } else {
        showFormProblem(form, 'The referral was not made', problemText(err));
      }
    }
  });

  const page = h('div', { class: 'page page--narrow' },
    breadcrumb(person),
    h('h1', { id: 'ref-title', text: 'Refer to a service' }),
    h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }), '.'),
    h('p', { text: 'Agree on it together first. The referral stays on their page until the service answers and it ends; if nothing happens for a week, it comes back to the team.' }),
    form);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({
    snapshot: () => ({ kind: 'referral-new', personId: person.id, values: values() }),
    isDirty: () => { const v = values(); return !!(v.reason.trim() || v.information.trim()); },
  });
}

// --- one referral ----------------------------------------------------------

function timeline(r) {
  return h('ol', { class: 'note-entries referral-events', id: 'referral-events' }, (r.events || []).map((e) => h('li', { class: 'note-entry' },
    h('p', { class: 'note-entry__body' }, h('strong', { text: EVENT_TEXT[e.status] || statusText(e.status) })),
    e.note ? h('p', { class: 'note-entry__body', text: e.note }) : null,
    h('p', { class: 'note-entry__meta muted', text: `${formatTime(e.at)} \u00b7 ${e.via === 'link'
      ? `${(r.service && r.service.organization_name) || 'The service'}, through its link`
      : (e.by || 'A colleague')}` }))));
}

function linkSection(ctx, r, problem) {
  if (!r.open || !r.shared_outside) return null;
  const issue = h('button', { type: 'button', class: 'button button--secondary', id: 'referral-link-issue',
    text: r.link_active ? 'New link for the organisation' : 'Link for the organisation' });
  issue.addEventListener('click', async () => {
    issue.disabled = true;
    clear(problem);
    try {
      const res = await api.post(`/api/v1/referrals/${r.id}/link`);
      if (ctx.stale()) return;
      ctx.keep(`referral-link:${r.id}`, res.json);
      ctx.navigate(`#/referrals/${r.id}/link`);
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      issue.disabled = false;
      problem.append(h('div', { class: 'error-summary', role: 'alert' },
        h('h3', { class: 'error-summary__title', text: 'No link was made' }),
        h('p', { text: problemText(err) })));
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'referral-link-title' },
    h('h2', { id: 'referral-link-title', text: 'The organisation\u2019s answer' }),
    h('p', { text: `The service can tell you where it stands through a link: it shows them ${r.person_name ? `${r.person_name}\u2019s` : 'the person\u2019s'} preferred name, the service, what the referral is for and who made it, and nothing else of the record. It works once, for 14 days.` }),
    r.link_active && r.link_expires_at
      ? h('p', { id: 'referral-link-state', text: `A link sent before works until ${formatTime(r.link_expires_at)}. A new one ends it.` })
      : null,
    problem,
    h('p', {}, issue));
}

function drawReferral(ctx, r, cats, goals, message, focus) {
  const open = r.open;
  const moves = open ? (NEXT[r.status] || []) : [];
  const problem = h('div', {});
  const panel = moves.length ? movePanel({
    moves,
    idPrefix: 'referral-move',
    stale: ctx.stale,
    send: async (body) => {
      const res = await api.post(`/api/v1/referrals/${r.id}/status`, body, { ifMatch: r.version });
      if (ctx.stale()) return;
      drawReferral(ctx, res.json, cats, goals, `Referral marked: ${statusText(res.json.status).toLowerCase()}.`, 'referral-status');
    },
  }) : null;
  const s = r.service || {};
  const person = { id: r.person_id, preferred_name: r.person_name || 'Person' };
  const page = h('div', { class: 'page referral-page' },
    breadcrumb(person),
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { id: 'referral-title', text: `Referral to ${serviceName(r)}` }),
        h('p', { class: 'lead' }, 'For ', h('strong', { text: person.preferred_name }), ` \u00b7 ${needText(r, cats, goals)}`),
        h('p', { class: 'referral-page__status' },
          h('span', { id: 'referral-status', tabindex: '-1' }, referralBadge(r.status)), ' ', sharedMark(r)))),
    h('section', { class: 'card', 'aria-labelledby': 'referral-about-title' },
      h('h2', { id: 'referral-about-title', text: 'About it' }),
      details([
        ['Service', s.id ? h('a', { href: `#/resources/${s.id}`, text: s.name || 'the service' }) : s.name],
        ['Organisation', s.organization_name],
        ['What it is for', needText(r, cats, goals)],
        ['In their words', r.reason ? h('span', { class: 'note-text__body', text: r.reason }) : null],
        ['Where it stands', statusText(r.status)],
        r.outcome ? ['What came of it', h('span', { id: 'referral-outcome', text: r.outcome })] : null,
        ['Made', `${formatTime(r.made_at)} by ${r.made_by_name || 'a colleague'}`],
        ['Last change', formatTime(r.status_at)],
        open ? ['Back for follow-up', r.follow_up_at ? `${formatTime(r.follow_up_at)}, if nothing moves before` : null] : null,
        ['Shared with the service', r.shared_outside
          ? h('span', {}, 'Yes, under their consent. ',
            r.disclosure_id ? h('a', { href: `#/people/${r.person_id}/disclosures/${r.disclosure_id}`, text: 'See the disclosure' }) : null)
          : 'No: nothing from their record went to the service.'],
      ])),
    panel ? h('section', { class: 'card', 'aria-labelledby': 'referral-update-title' },
      h('h2', { id: 'referral-update-title', text: 'Update it' }),
      h('p', { class: 'muted', text: 'What did you hear from the service or from them?' }),
      panel.el) : null,
    linkSection(ctx, r, problem),
    h('section', { class: 'card', 'aria-labelledby': 'referral-events-title' },
      h('h2', { id: 'referral-events-title', text: 'What happened' }),
      timeline(r)));
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => !!(panel && panel.isDirty()) });
  if (message) ctx.announce(message);
  if (focus) {
    const t = document.getElementById(focus);
    if (t) {
      t.focus();
      ctx.focused = true;
    }
  }
}

export async function render(ctx, id) {
  const [r, cats] = await Promise.all([api.get(`/api/v1/referrals/${id}`), loadCategories().catch(() => [])]);
  if (ctx.stale()) return;
  const goals = await goalsFor(r.json.person_id, [r.json]);
  if (ctx.stale()) return;
  drawReferral(ctx, r.json, cats, goals);
}

// The link, shown once straight after it is made.
export async function renderLink(ctx, id) {
  const r = await api.get(`/api/v1/referrals/${id}`);
  if (ctx.stale()) return;
  const ref = r.json;
  const kept = ctx.kept(`referral-link:${id}`);
  ctx.keep(`referral-link:${id}`, null);
  const person = { id: ref.person_id, preferred_name: ref.person_name || 'Person' };
  const back = h('a', { class: 'button button--secondary', href: `#/referrals/${id}`, text: 'Back to the referral' });
  clear(ctx.main);
  if (!kept) {
    ctx.main.append(h('div', { class: 'page page--narrow' },
      breadcrumb(person),
      h('h1', { text: 'Link for the organisation' }),
      h('div', { class: 'notice', id: 'referral-link-gone' },
        h('p', { text: 'A link is shown once, straight after it is made. Alongside keeps only a fingerprint of it, so it cannot be shown again.' }),
        h('p', { text: 'If the service did not get it, make a new one from the referral\u2019s page: the one before stops working.' })),
      h('p', {}, back)));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return;
  }
  const full = `${location.origin}${kept.url}`;
  const urlBox = h('p', { class: 'secret referral-link__url', id: 'referral-link-url', text: full });
  const copied = h('span', { class: 'muted', role: 'status', id: 'referral-link-copied' });
  const copy = h('button', { type: 'button', class: 'button', id: 'referral-link-copy', text: 'Copy the link' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(full);
      copied.textContent = 'Copied.';
    } catch {
      // No clipboard here: select it so it can be copied by hand.
      const range = document.createRange();
      range.selectNodeContents(urlBox);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      copied.textContent = 'Selected: copy it with the keyboard or the menu.';
    }
  });
  const print = h('button', { type: 'button', class: 'button button--secondary', id: 'referral-link-print', text: 'Print' });
  print.addEventListener('click', () => window.print());
  const s = ref.service || {};
  ctx.main.append(h('div', { class: 'page page--narrow referral-link-page' },
    h('div', { class: 'no-print' },
      breadcrumb(person, h('a', { href: `#/referrals/${id}`, text: 'Referral' })),
      h('div', { class: 'notice notice--warning', id: 'referral-link-once', role: 'note' },
        h('p', { class: 'notice__title', text: 'Send this link to the service now' }),
        h('p', { text: 'It is shown only this once. Anyone who has it can see the referral and answer it once, so send it only to the service.' }))),
    h('article', { class: 'print-doc referral-link-doc', 'aria-labelledby': 'referral-link-title' },
      h('h1', { id: 'referral-link-title', text: 'Link for the organisation' }),
      h('p', { class: 'lead' }, 'For ', h('strong', { text: s.organization_name || s.name || 'the service' }),
        s.name && s.organization_name && s.name !== s.organization_name ? ` (${s.name})` : null, '.'),
      h('p', { text: 'Open this address to see the referral and tell us where it stands:' }),
      urlBox,
      h('p', { id: 'referral-link-expires', text: `It works once, for 14 days: until ${formatTime(kept.expires_at)}. After one answer it ends.` }),
      h('div', { class: 'print-bar no-print' }, copy, print, back, copied),
      h('p', { class: 'print-doc__footer', text: `Made ${formatDate(todayISO())}.` }))));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

// --- the team's follow-up list -----------------------------------------------

function quietFor(iso) {
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86400000);
  return days >= 1 ? `quiet for ${plural(days, 'day', 'days')}` : 'changed today';
}

export async function renderFollowUp(ctx) {
  const [r, cats] = await Promise.all([api.get('/api/v1/referrals?view=follow_up'), loadCategories().catch(() => [])]);
  if (ctx.stale()) return;
  const items = r.json.items || [];
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page' },
    h('h1', { text: 'Referrals to follow up' }),
    h('p', { class: 'lead', text: 'Open referrals nobody has updated for a week or more, quietest first. Ask the person and the service how it is going, then update it.' }),
    items.length
      ? h('ul', { class: 'referral-list referral-follow-up', id: 'follow-up-list' }, items.map((x) => h('li', { class: 'referral-item referral-item--open' },
        h('p', { class: 'referral-item__main' },
          h('a', { class: 'referral-item__name', href: `#/referrals/${x.id}`, text: `${x.person_name || 'A person'}: ${serviceName(x)}` })),
        h('p', { class: 'referral-item__need', text: x.category ? categoryLabel(cats, x.category) : x.goal_id ? 'A goal of their plan' : '' }),
        h('p', { class: 'referral-item__badges' }, referralBadge(x.status), ' ', sharedMark(x)),
        h('p', { class: 'referral-item__meta muted', text: `Last change ${dayOf(x.status_at)}, ${quietFor(x.status_at)} \u00b7 made by ${x.made_by_name || 'a colleague'}` }))))
      : h('p', { id: 'follow-up-empty', text: 'Nothing to follow up: every open referral has moved in the last week.' })));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
