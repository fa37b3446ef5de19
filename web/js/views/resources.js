// The resource directory's search (#/resources): places and services that
// help (housing, work, recovery community, mutual-aid groups...), by
// words, category, language, open now and nearness. The search lives in
// the address (#/resources?q=housing&language=es) so Back returns to it
// and a search can be shared; nothing about a person goes there, and the
// page says so. See docs/resources.md.
import { api, query } from '../api.js';
import { h, clear, labelOf } from '../dom.js';
import { field, showErrors, clearErrors, problemText } from '../forms.js';
import { marks, referralLine, labelsOf, addressLine, distanceText, phoneLink, groupedCategories, canImport } from './resource_common.js';

const PAGE = 20;
const KEYS = ['q', 'category', 'language', 'open_now', 'near', 'radius_km', 'offset'];
const RADII = [2, 5, 10, 25, 50, 100];

// The last search, to go back to from a resource (memory only).
let lastSearch = '#/resources';

export function reset() {
  lastSearch = '#/resources';
}

export function searchHash() {
  return lastSearch;
}

// The search in an address's hash: { q, category, ... } with only known
// keys, as strings.
export function parseSearch(hash) {
  const i = hash.indexOf('?');
  const p = new URLSearchParams(i >= 0 ? hash.slice(i + 1) : '');
  const out = {};
  for (const k of KEYS) {
    const v = p.get(k);
    if (v !== null && v.trim() !== '') out[k] = v.trim();
  }
  if (out.open_now !== 'true') delete out.open_now;
  if (!out.near) delete out.radius_km;
  if (out.offset && !/^\d+$/.test(out.offset)) delete out.offset;
  if (out.offset === '0') delete out.offset;
  return out;
}

export function hashOf(search) {
  const clean = {};
  for (const k of KEYS) if (search[k] !== undefined && search[k] !== null && search[k] !== '') clean[k] = search[k];
  return `#/resources${query(clean)}`;
}

function categorySelect(categories, value) {
  const f = field({ id: 'res-category', name: 'category', label: 'Category', type: 'select',
    options: [{ value: '', label: 'Any category' }] });
  for (const g of groupedCategories(categories)) {
    f.control.append(h('optgroup', { label: g.label },
      g.items.map((c) => h('option', { value: c.code, text: c.label }))));
  }
  f.control.value = value || '';
  return f;
}

function resultCard(r, ref, categories, i) {
  const titleId = `res-item-${i}`;
  const loc = r.location;
  const where = loc ? addressLine(loc) || loc.name : '';
  const dist = loc ? distanceText(loc.distance_km) : '';
  const langs = labelsOf(ref.languages, r.languages);
  return h('li', { class: 'resource-card', 'aria-labelledby': titleId },
    h('h3', { class: 'resource-card__title', id: titleId },
      h('a', { href: `#/resources/${r.id}`, text: r.name })),
    r.organization && r.organization.name && r.organization.name !== r.name
      ? h('p', { class: 'resource-card__org', text: r.organization.name }) : null,
    marks(r),
    r.categories && r.categories.length
      ? h('ul', { class: 'tags', 'aria-label': 'Categories' }, r.categories.map((c) =>
        h('li', { class: 'tag', text: c.label || labelOf(categories, c.code) })))
      : null,
    h('div', { class: 'resource-card__facts' },
      where || dist ? h('p', { class: 'resource-card__where' },
        where ? h('span', { text: where }) : null,
        dist ? h('span', { class: 'resource-card__distance', text: where ? ` \u00b7 ${dist}` : dist }) : null) : null,
      langs.length ? h('p', { class: 'resource-card__langs', text: `Languages: ${langs.join(', ')}` }) : null,
      r.phone ? h('p', { class: 'resource-card__phone' }, 'Phone: ', phoneLink(r.phone)) : null),
    h('p', { class: 'resource-card__referrals muted', text: referralLine(r.referrals) }));
}

function searchForm(ctx, search, ref, categories) {
  const q = field({ id: 'res-q', name: 'q', label: 'Words', type: 'search', value: search.q || '', maxlength: 200,
    hint: 'For example \u201cfood pantry\u201d or \u201cSpanish AA\u201d. Search for services, never for a person: the search is kept in the page address.' });
  q.control.setAttribute('enterkeyhint', 'search');
  const category = categorySelect(categories, search.category);
  const language = field({ id: 'res-language', name: 'language', label: 'Language', type: 'select',
    options: [{ value: '', label: 'Any language' }, ...(ref.languages || []).filter((l) => l.code !== 'other')
      .map((l) => ({ value: l.code, label: l.label }))], value: search.language || '' });
  const near = field({ id: 'res-near', name: 'near', label: 'Near', value: search.near || '', maxlength: 64, width: 'medium',
    hint: 'A postal code, or latitude,longitude.' });
  near.control.setAttribute('autocomplete', 'postal-code');
  const radius = field({ id: 'res-radius', name: 'radius_km', label: 'Within', type: 'select',
    options: RADII.map((km) => ({ value: String(km), label: `${km} km` })), value: search.radius_km || '25' });
  const open = h('input', { type: 'checkbox', id: 'res-open', name: 'open_now' });
  open.checked = search.open_now === 'true';
  const openWrap = h('div', { class: 'field', data: { field: 'open_now' } },
    h('p', { class: 'field__error', id: 'res-open-error', hidden: true }),
    h('div', { class: 'check' }, open, h('label', { for: 'res-open', text: 'Open now' })));
  open.dataset.label = 'Open now';

  const clearLink = h('a', { class: 'button button--quiet', href: '#/resources', text: 'Clear search' });
  const form = h('form', { class: 'search resource-search', role: 'search', 'aria-label': 'Search the resource directory', novalidate: true },
    h('div', { class: 'search__fields resource-search__fields' }, q.wrap, category.wrap, language.wrap),
    h('div', { class: 'resource-search__near' }, near.wrap, radius.wrap, openWrap),
    h('div', { class: 'search__actions' },
      h('button', { type: 'submit', class: 'button', id: 'res-search', text: 'Search' }),
      Object.keys(search).length ? clearLink : null));
  const controls = { q: q.control, category: category.control, language: language.control, near: near.control,
    radius_km: radius.control, open_now: open };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const next = {
      q: q.control.value.trim(),
      category: category.control.value,
      language: language.control.value,
      open_now: open.checked ? 'true' : '',
      near: near.control.value.trim(),
    };
    if (next.near && radius.control.value !== '25') next.radius_km = radius.control.value;
    ctx.navigate(hashOf(next));
  });
  return { form, controls };
}

export async function render(ctx) {
  const search = parseSearch(location.hash);
  const [ref, categories] = await Promise.all([ctx.reference(), ctx.resourceCategories()]);
  if (ctx.stale()) return;
  const offset = Number(search.offset || 0);
  const params = { ...search, limit: PAGE };
  let result = null;
  let failure = null;
  try {
    result = (await api.get(`/api/v1/resources${query(params)}`)).json;
  } catch (err) {
    if (err.handled) throw err;
    failure = err;
  }
  if (ctx.stale()) return;
  lastSearch = hashOf(search);

  const { form, controls } = searchForm(ctx, search, ref, categories);
  const count = h('p', { class: 'roster__count', id: 'res-count', tabindex: '-1' });
  const list = h('ul', { class: 'resource-list', id: 'res-list', 'aria-labelledby': 'res-results-title' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of results' });
  const admin = canImport(ctx.me);
  const page = h('div', { class: 'page resources-page' },
    h('div', { class: 'page__head' },
      h('div', {},
        h('h1', { text: 'Resources' }),
        h('p', { class: 'lead', text: 'Places and services that help: housing, work, food, health care, recovery community, mutual-aid groups and more.' })),
      h('div', { class: 'page__actions' },
        h('a', { class: 'button', href: '#/resources/new', id: 'res-add', text: 'Add a resource' }),
        admin ? h('a', { class: 'button button--secondary', href: '#/resources/import', id: 'res-import', text: 'Import a directory' }) : null,
        h('a', { class: 'button button--secondary', href: '#/resources/export', id: 'res-export', text: 'Export' }))),
    form,
    h('section', { 'aria-labelledby': 'res-results-title' },
      h('h2', { class: 'visually-hidden', id: 'res-results-title', text: 'Results' }),
      count, list, pager));

  if (failure) {
    if (failure.status === 400 && failure.errors.length) {
      count.textContent = 'The search could not be run. Change what is marked and search again.';
    } else {
      count.textContent = problemText(failure).replace('; nothing was saved', '');
    }
  } else {
    const items = result.items || [];
    const filtered = Object.keys(search).some((k) => k !== 'offset');
    if (!items.length) {
      count.textContent = offset ? 'No more results.' : filtered
        ? 'Nothing in the directory matches this search. Try fewer words, another category or a wider area.'
        : 'The directory is empty. Add a resource, or ask an administrator to import one.';
    } else {
      const range = offset || result.more ? `Results ${offset + 1} to ${offset + items.length}` : `${items.length} ${items.length === 1 ? 'result' : 'results'}`;
      const how = search.near ? ', nearest first' : ', by name';
      count.textContent = `${range}${how}.`;
    }
    items.forEach((r, i) => list.append(resultCard(r, ref, categories, i)));
    if (offset > 0) {
      pager.append(h('a', { class: 'button button--secondary', rel: 'prev', id: 'res-prev',
        href: hashOf({ ...search, offset: String(Math.max(0, offset - PAGE)) }), text: 'Previous page' }));
    }
    if (result.more) {
      pager.append(h('a', { class: 'button button--secondary', rel: 'next', id: 'res-next',
        href: hashOf({ ...search, offset: String(offset + PAGE) }), text: 'Next page' }));
    }
    pager.hidden = !pager.firstChild;
  }
  clear(ctx.main);
  ctx.main.append(page);
  if (failure && failure.status === 400 && failure.errors.length) {
    showErrors(form, failure.errors,
    (k) => (controls[k] ? { control: controls[k] } : null), { title: 'The search could not be run' });
    ctx.focused = true;
  } else if (Object.keys(search).length) {
    // After a search the results are what the person wants to hear.
    count.focus();
    ctx.focused = true;
  }
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
