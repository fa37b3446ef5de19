// Bringing a directory in and taking it out (#/resources/import for
// administrators, #/resources/export for all who use the directory).
// Import: the files of an HSDS tabular data package (datapackage.json and
// its CSV files) or one HSDS JSON file, read in the browser, checked first
// (POST /api/v1/resources/import?dry_run=true) and then imported; the
// answer counts what was created, changed, unchanged and left aside, and a
// package with rejected rows lists each with its file, line, field and
// why. Export: HSDS JSON, or the tabular files one by one, as downloads.
// See docs/resources.md, "Importing and exporting HSDS".
import { api } from '../api.js';
import { h, clear, plural } from '../dom.js';
import { problemText } from '../forms.js';
import { canImport } from './resource_common.js';

const MAX_BYTES = 50 * 1024 * 1024;

const OBJECT_LABELS = {
  organization: 'Organisations',
  organizations: 'Organisations',
  service: 'Services',
  services: 'Services',
  location: 'Places',
  locations: 'Places',
  address: 'Addresses',
  addresses: 'Addresses',
  service_at_location: 'Services at places',
  phone: 'Phones',
  phones: 'Phones',
  schedule: 'Opening hours',
  schedules: 'Opening hours',
  language: 'Languages',
  languages: 'Languages',
  cost_option: 'Costs',
  cost_options: 'Costs',
  taxonomy: 'Category lists',
  taxonomies: 'Category lists',
  taxonomy_term: 'Categories',
  taxonomy_terms: 'Categories',
  attribute: 'Category links',
  attributes: 'Category links',
};

const objectLabel = (k) => OBJECT_LABELS[k] || k.replace(/\.csv$/, '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

// The files chosen, as the body of an import: HSDS JSON when one JSON
// file that is not datapackage.json was chosen, else a tabular package.
// Returns { body } or { problem }.
export async function packageBody(files) {
  const list = [...files];
  if (!list.length) return { problem: 'Choose the files of a package first.' };
  const total = list.reduce((n, f) => n + f.size, 0);
  if (total > MAX_BYTES) return { problem: 'These files are too large to import from the browser. Use the command line: alongside import hsds.' };
  const base = (f) => f.name.split(/[\\/]/).pop();
  const json = list.filter((f) => /\.json$/i.test(base(f)) && base(f).toLowerCase() !== 'datapackage.json');
  if (json.length) {
    if (list.length > 1) return { problem: 'Choose either one HSDS JSON file, or the datapackage.json and CSV files of a tabular package, not both.' };
    let data;
    try {
      data = JSON.parse(await json[0].text());
    } catch {
      return { problem: `${base(json[0])} is not JSON that can be read.` };
    }
    let services = null;
    if (Array.isArray(data)) services = data;
    else if (data && Array.isArray(data.services)) services = data.services;
    else if (data && Array.isArray(data.contents)) services = data.contents;
    else if (data && typeof data === 'object' && data.id) services = [data];
    if (!services) return { problem: `${base(json[0])} is not a list of HSDS services.` };
    return { body: { format: 'hsds-json', services }, summary: `${plural(services.length, 'service', 'services')} in ${base(json[0])}` };
  }
  const other = list.filter((f) => !/\.(csv|json)$/i.test(base(f)));
  if (other.length) return { problem: `${base(other[0])} is not part of a package: choose datapackage.json and .csv files.` };
  const out = {};
  for (const f of list) out[base(f)] = await f.text();
  const names = Object.keys(out).sort();
  return { body: { format: 'hsds-tabular', files: out }, summary: `${plural(names.length, 'file', 'files')}: ${names.join(', ')}` };
}

// Counts from the import's answer as rows [{ what, created, changed,
// unchanged, left }]: the answer names per object created, changed and
// unchanged, and left aside those it does not keep.
export function countRows(answer) {
  const a = answer || {};
  const source = a.counts || a.objects || a;
  const rows = [];
  for (const [k, v] of Object.entries(source)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    if (!['created', 'changed', 'unchanged', 'left_aside'].some((x) => typeof v[x] === 'number')) continue;
    rows.push({ what: k, created: v.created || 0, changed: v.changed || 0, unchanged: v.unchanged || 0, left: v.left_aside || 0 });
  }
  const aside = a.left_aside || {};
  for (const [k, n] of Object.entries(typeof aside === 'object' && !Array.isArray(aside) ? aside : {})) {
    if (typeof n !== 'number' || !n) continue;
    const row = rows.find((r) => r.what === k);
    if (row) row.left += n;
    else rows.push({ what: k, created: 0, changed: 0, unchanged: 0, left: n });
  }
  return rows;
}

function countsTable(rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table data-table--stack', id: 'import-counts' },
      h('caption', { class: 'visually-hidden', text: 'Rows by kind' }),
      h('thead', {}, h('tr', {}, ['What', 'New', 'Changed', 'Unchanged', 'Left aside'].map((t, i) =>
        h('th', { scope: 'col', class: i ? 'num' : null, text: t })))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('th', { scope: 'row', text: objectLabel(r.what) }),
        h('td', { class: 'num', data: { label: 'New' }, text: String(r.created) }),
        h('td', { class: 'num', data: { label: 'Changed' }, text: String(r.changed) }),
        h('td', { class: 'num', data: { label: 'Unchanged' }, text: String(r.unchanged) }),
        h('td', { class: 'num', data: { label: 'Left aside' }, text: String(r.left) }))))));
}

// The rejected rows of a 422: [{ file, line, field, message }].
export function rejectedRows(problem) {
  const p = problem || {};
  const list = p.rejected || p.rows || p.errors || [];
  return (Array.isArray(list) ? list : []).map((e) => ({
    file: e.file || '',
    line: e.line ?? e.path ?? '',
    field: e.field || '',
    message: e.reason || e.message || '',
  }));
}

function rejectedTable(rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table data-table--stack', id: 'import-rejected' },
      h('caption', { class: 'visually-hidden', text: 'Rejected rows' }),
      h('thead', {}, h('tr', {}, ['File', 'Line', 'Field', 'Why'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('td', { data: { label: 'File' }, text: r.file }),
        h('td', { data: { label: 'Line' }, text: String(r.line) }),
        h('td', { data: { label: 'Field' }, text: r.field }),
        h('td', { data: { label: 'Why' }, text: r.message }))))));
}

function importSection(ctx) {
  const input = h('input', { type: 'file', id: 'import-files', multiple: true,
    accept: '.csv,.json,text/csv,application/json', 'aria-describedby': 'import-files-hint' });
  const chosen = h('p', { class: 'muted', id: 'import-chosen', 'aria-live': 'polite' });
  const result = h('div', { class: 'import-result', id: 'import-result', tabindex: '-1' });
  const check = h('button', { type: 'button', class: 'button button--secondary', id: 'import-check', text: 'Check' });
  const go = h('button', { type: 'button', class: 'button', id: 'import-go', text: 'Import' });

  input.addEventListener('change', () => {
    clear(result);
    const names = [...input.files].map((f) => f.name);
    chosen.textContent = names.length ? `Chosen: ${names.join(', ')}` : '';
  });

  async function run(dry) {
    clear(result);
    const pkg = await packageBody(input.files);
    if (ctx.stale()) return;
    if (pkg.problem) {
      result.append(h('div', { class: 'error-summary', role: 'alert' },
        h('h3', { class: 'error-summary__title', text: 'Nothing was sent' }), h('p', { text: pkg.problem })));
      result.focus();
      return;
    }
    check.disabled = true;
    go.disabled = true;
    const label = dry ? check : go;
    const was = label.textContent;
    label.textContent = dry ? 'Checking\u2026' : 'Importing\u2026';
    try {
      const r = await api.post(`/api/v1/resources/import${dry ? '?dry_run=true' : ''}`, pkg.body);
      if (ctx.stale()) return;
      const rows = countRows(r.json);
      result.append(h('div', { class: 'notice', role: 'status' },
        h('h3', { class: 'notice__title', id: 'import-outcome',
          text: dry ? 'The package passed the check. Nothing has been imported yet.' : 'The package was imported.' }),
        h('p', { class: 'muted', text: pkg.summary })),
      rows.length ? countsTable(rows) : h('p', { text: 'The package held no rows.' }),
      rows.some((x) => x.left) ? h('p', { class: 'field__hint', text: 'Rows left aside are of kinds the directory does not keep (contacts, funding, programs and the like).' }) : null);
      ctx.announce(dry ? 'The package passed the check.' : 'The package was imported.');
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      const rejected = err.status === 422 ? rejectedRows(err.problem) : [];
      result.append(h('div', { class: 'error-summary', role: 'alert' },
        h('h3', { class: 'error-summary__title', id: 'import-outcome',
          text: err.status === 422 ? 'The package was not imported: some rows need fixing' : 'The package was not imported' }),
        h('p', { text: err.status === 422
          ? `Nothing in the directory changed. ${rejected.length ? `Fix ${rejected.length === 1 ? 'this row' : `these ${rejected.length} rows`} in the package, then check it again.` : (err.problem.detail || '')}`
          : problemText(err) })),
      rejected.length ? rejectedTable(rejected) : null);
    } finally {
      label.textContent = was;
      check.disabled = false;
      go.disabled = false;
    }
    result.focus();
  }
  check.addEventListener('click', () => run(true));
  go.addEventListener('click', () => run(false));

  return h('section', { class: 'card', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title', text: 'Import a directory' }),
    h('p', { text: 'Bring in a directory kept in Open Referral HSDS 3.0, for example the region\u2019s 211 data. Resources already here are matched by their ids: importing the same package twice changes nothing, and resources the package does not hold stay.' }),
    h('div', { class: 'field' },
      h('label', { for: 'import-files', class: 'field__label', text: 'Package files' }),
      h('p', { class: 'field__hint', id: 'import-files-hint', text: 'Either every file of a tabular data package (datapackage.json and the .csv files), or one HSDS JSON file.' }),
      input),
    chosen,
    h('p', { class: 'field__hint', text: 'Check first: it reads every row and says what would change, without changing anything. A package with any rejected row changes nothing.' }),
    h('div', { class: 'form__actions' }, check, go),
    result);
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h('a', { class: 'button button--secondary', href: url, download: name, text: `Download ${name}` });
}

function exportSection(ctx) {
  const out = h('div', { class: 'import-result', id: 'export-result', tabindex: '-1' });
  const links = [];
  const json = h('button', { type: 'button', class: 'button button--secondary', id: 'export-json', text: 'HSDS JSON file' });
  const tab = h('button', { type: 'button', class: 'button button--secondary', id: 'export-tabular', text: 'Tabular files (CSV)' });
  const revoke = () => {
    for (const a of links.splice(0)) URL.revokeObjectURL(a.href);
  };
  async function run(format) {
    revoke();
    clear(out);
    json.disabled = true;
    tab.disabled = true;
    out.append(h('p', { class: 'muted', text: 'Preparing the export\u2026' }));
    try {
      const r = await api.get(`/api/v1/resources/export?format=${format}`);
      if (ctx.stale()) return;
      clear(out);
      const day = new Date().toISOString().slice(0, 10);
      let files;
      if (format === 'json') {
        files = [[`resources-${day}.json`, JSON.stringify(r.json, null, 2), 'application/json']];
      } else {
        files = Object.entries((r.json && r.json.files) || {}).sort(([a], [b]) => (a === 'datapackage.json' ? -1 : b === 'datapackage.json' ? 1 : a.localeCompare(b)))
          .map(([name, text]) => [name, text, name.endsWith('.json') ? 'application/json' : 'text/csv']);
      }
      const list = h('ul', { class: 'download-list', id: 'export-files' }, files.map(([name, text, type]) => {
        const a = download(name, text, type);
        links.push(a);
        return h('li', {}, a);
      }));
      out.append(h('p', { id: 'export-ready', text: format === 'json'
        ? 'The export is ready.' : `The export is ready: ${plural(files.length, 'file', 'files')}. Download each and keep them together in one folder.` }), list);
      out.focus();
    } catch (err) {
      if (ctx.stale() || err.handled) return;
      clear(out);
      out.append(h('div', { class: 'error-summary', role: 'alert' },
        h('h3', { class: 'error-summary__title', text: 'The export could not be made' }),
        h('p', { text: problemText(err).replace('; nothing was saved', '') })));
    } finally {
      json.disabled = false;
      tab.disabled = false;
    }
  }
  json.addEventListener('click', () => run('json'));
  tab.addEventListener('click', () => run('tabular'));
  return {
    el: h('section', { class: 'card', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title', text: 'Export the directory' }),
      h('p', { text: 'The whole directory in Open Referral HSDS 3.0, for another directory or a partner. It holds resources only: nothing about the people we support.' }),
      h('div', { class: 'form__actions' }, json, tab),
      out),
    revoke,
  };
}

function draw(ctx, withImport) {
  const exp = exportSection(ctx);
  const page = h('div', { class: 'page page--form' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/resources', text: 'Resources' })),
    h('h1', { text: withImport ? 'Import and export' : 'Export the directory' }),
    withImport ? importSection(ctx) : null,
    exp.el);
  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
  // Blob URLs go when the page does.
  window.addEventListener('hashchange', exp.revoke, { once: true });
}

export function renderImport(ctx) {
  if (!canImport(ctx.me)) {
    ctx.main.append(h('div', { class: 'page page--narrow' },
      h('h1', { text: 'Import a directory' }),
      h('p', { text: 'Only administrators import directories. You can still export it.' }),
      h('p', {}, h('a', { class: 'button button--secondary', href: '#/resources/export', text: 'Export the directory' }))));
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return;
  }
  draw(ctx, true);
}

export function renderExport(ctx) {
  draw(ctx, canImport(ctx.me));
}
