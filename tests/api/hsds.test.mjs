// HSDS packages in and out of the resource directory: the Open Referral
// example package through the command line and the API, every kept field
// back out in the export, JSON out and in again unchanged, a second import
// changes nothing, a package with bad rows names each and changes nothing,
// dry runs, and who may. Both backends. See docs/resources.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD, cli, tempDir, newDatabase } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { sql, expectNo5xx } from '../lib/api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, '..', 'fixtures', 'hsds-example');

const srv = await startServer({ people: 2 });
after(() => srv.stop());

const admin = await signedIn(srv.url, 'admin', PASSWORD);
const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const SERVICE = 'ac148810-d857-441c-9679-408f346de14b';
const KEPT = ['organizations.csv', 'services.csv', 'locations.csv', 'addresses.csv',
  'service_at_location.csv', 'phones.csv', 'schedules.csv', 'languages.csv',
  'cost_options.csv', 'taxonomies.csv', 'taxonomy_terms.csv', 'attributes.csv'];
// Columns HSDS has that the directory does not keep.
const NOT_KEPT = {
  'organizations.csv': ['tax_status', 'tax_id', 'logo'],
  'services.csv': ['program_id', 'fees', 'licenses'],
  'phones.csv': ['contact_id'],
};

function readFixture() {
  const files = {};
  for (const f of fs.readdirSync(FIXTURE)) {
    if (f.endsWith('.csv') || f === 'datapackage.json') {
      files[f] = fs.readFileSync(path.join(FIXTURE, f), 'utf8');
    }
  }
  return files;
}

// The published example names an organisation and a taxonomy it does not
// hold and puts its location at latitude 100; this corrects the three.
function corrected() {
  const files = readFixture();
  files['locations.csv'] = files['locations.csv']
    .replace(',100,101,', ',51.507351,-0.127758,')
    .replace(',985e4a42-bd9f-4edc-911d-0243a4640aca,', ',d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,');
  files['taxonomy_terms.csv'] = files['taxonomy_terms.csv']
    .replace('07ff6aee-a219-438c-b694-d2fcb6c5373b', '5c4d79d7-cc55-470e-9f1f-8cad074e4892');
  return files;
}

function writeDir(files) {
  const dir = tempDir('alongside-hsds-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

// RFC 4180: rows of fields.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') {
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function records(text) {
  const [header, ...rows] = parseCsv(text);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

const norm = (col, v) => (['latitude', 'longitude'].includes(col) && v !== ''
  ? Number(v).toFixed(6) : v);

function importBody(files) {
  return { format: 'hsds-tabular', files };
}

function serviceVersion(db) {
  return sql(db, `SELECT version FROM dir_service WHERE id = '${SERVICE}';`).stdout;
}

function importAudits(db) {
  return Number(sql(db, "SELECT count(*) FROM audit WHERE object_type = 'resource'"
    + " AND action = 'import';").stdout);
}

test('the example as published is refused, naming its three bad rows', async () => {
  const r = await admin.post('/api/v1/resources/import', importBody(readFixture()));
  eq(r.status, 422, r.text);
  eq(r.json.type, 'urn:alongside:problem:import-rejected', 'problem type');
  assert(r.headers.get('content-type').startsWith('application/problem+json'), 'problem media type');
  const got = r.json.rejected.map((x) => `${x.file}:${x.line}:${x.field}`).sort();
  eq(got.join(' '), 'locations.csv:2:latitude locations.csv:2:organization_id'
    + ' taxonomy_terms.csv:2:taxonomy_id', 'rejected rows');
  assert(r.json.errors.length === 3 && r.json.errors.every((e) => e.field && e.message), 'errors');
  eq(sql(srv.db, `SELECT count(*) FROM dir_service WHERE id = '${SERVICE}';`).stdout, '0', 'nothing applied');
});

test('the command line imports the corrected example', () => {
  const dir = writeDir(corrected());
  const r = cli(['import', 'hsds', '--db', srv.db, dir]);
  eq(r.status, 0, r.stderr);
  assert(/service\s+created 1, changed 0, unchanged 0/.test(r.stdout), r.stdout);
  assert(/left aside: contact 1/.test(r.stdout), r.stdout);
  eq(serviceVersion(srv.db), '1', 'new service version');
  const row = sql(srv.db, `SELECT local, status, search_text FROM dir_service WHERE id = '${SERVICE}';`)
    .stdout.split('|');
  eq(row[0], '0', 'imported, not local');
  eq(row[1], 'active', 'status as given');
  assert(/counselling/.test(row[2]) && /example organization/.test(row[2]), `search_text: ${row[2]}`);
  eq(importAudits(srv.db), 1, 'one audit entry');
});

test('importing the same package again over the API changes nothing', async () => {
  const r = await admin.post('/api/v1/resources/import', importBody(corrected()));
  eq(r.status, 200, r.text);
  eq(r.json.applied, true, 'applied');
  for (const [obj, c] of Object.entries(r.json.counts)) {
    if (obj === 'left_aside') continue;
    eq(c.created + c.changed, 0, `${obj} created or changed`);
    eq(c.unchanged, 1, `${obj} unchanged`);
  }
  eq(r.json.counts.left_aside.metadata, 1, 'metadata left aside');
  eq(serviceVersion(srv.db), '1', 'version unchanged');
  eq(importAudits(srv.db), 2, 'one audit entry per import');
});

test('the tabular export gives back every kept field', async () => {
  const r = await admin.get('/api/v1/resources/export?format=tabular');
  eq(r.status, 200, r.text);
  const orig = readFixture();
  const fixed = corrected();
  const dp = JSON.parse(r.json.files['datapackage.json']);
  eq(dp.resources.map((x) => x.path).sort().join(), [...KEPT].sort().join(), 'datapackage resources');
  for (const f of KEPT) {
    assert(f in r.json.files, `${f} exported`);
    const want = records(fixed[f]);
    const got = records(r.json.files[f]);
    eq(got.header.join(), records(orig[f]).header.join(), `${f} header`);
    const w = want.rows[0];
    const g = got.rows.find((x) => x.id === w.id);
    assert(g, `${f}: row ${w.id} exported`);
    for (const col of want.header) {
      const skip = (NOT_KEPT[f] || []).includes(col);
      eq(norm(col, g[col]), skip ? '' : norm(col, w[col]), `${f} ${col}`);
    }
  }
});

test('JSON out, into a fresh directory and out again is the same', async () => {
  const r = await admin.get('/api/v1/resources/export?format=json');
  eq(r.status, 200, r.text);
  assert(Array.isArray(r.json) && r.json.some((s) => s.id === SERVICE), 'the service is exported');
  const s = r.json.find((x) => x.id === SERVICE);
  eq(s.organization.name, 'Example Organization Inc.', 'organisation dereferenced');
  eq(s.service_at_locations[0].location.latitude, 51.507351, 'latitude');
  eq(s.service_at_locations[0].location.addresses[0].postal_code, 'ABC 1234', 'address');
  const dir = tempDir('alongside-hsds-json-');
  const file = path.join(dir, 'services.json');
  fs.writeFileSync(file, JSON.stringify(r.json));
  const db = newDatabase(dir, 'fresh.db');
  eq(cli(['init', '--db', db]).status, 0, 'init');
  const imp = cli(['import', 'hsds', '--db', db, file]);
  eq(imp.status, 0, imp.stderr);
  const again = path.join(dir, 'again.json');
  const exp = cli(['export', 'hsds', '--db', db, '--json', again]);
  eq(exp.status, 0, exp.stderr);
  eq(JSON.stringify(JSON.parse(fs.readFileSync(again, 'utf8'))), JSON.stringify(r.json), 'same JSON');
  const tab = cli(['export', 'hsds', '--db', db, path.join(dir, 'tabular')]);
  eq(tab.status, 0, tab.stderr);
  assert(fs.readFileSync(path.join(dir, 'tabular', 'services.csv'), 'utf8').includes(SERVICE), 'tabular');
});

test('a package with bad rows names each one and changes nothing', async () => {
  const before = (await admin.get('/api/v1/resources/export?format=json')).text;
  const files = corrected();
  const svc = records(files['services.csv']).header;
  const line = (over) => svc.map((h) => over[h] ?? '').join(',');
  files['services.csv'] += [
    line({ id: 'not-a-uuid', name: 'A', status: 'active' }),
    line({ id: '11111111-1111-4111-8111-111111111111', status: 'active' }),
    line({ id: '22222222-2222-4222-8222-222222222222', name: 'B', status: 'open' }),
  ].join('\r\n') + '\r\n';
  files['phones.csv'] += '33333333-3333-4333-8333-333333333333,,44444444-4444-4444-8444-444444444444,,,,555-0100,,,\n';
  files['locations.csv'] += '55555555-5555-4555-8555-555555555555,physical,,,Far,,,,95,10,,\n';
  files['schedules.csv'] += `66666666-6666-4666-8666-666666666666,${SERVICE},,,,,,,,,,WEEKLY,,MO,,,,,25:00,,,,\n`;
  const r = await admin.post('/api/v1/resources/import', importBody(files));
  eq(r.status, 422, r.text);
  const got = r.json.rejected.map((x) => `${x.file}:${x.line}:${x.field}`).sort();
  const want = ['locations.csv:3:latitude', 'phones.csv:3:service_id', 'schedules.csv:3:opens_at',
    'services.csv:3:id', 'services.csv:4:name', 'services.csv:5:status'].sort();
  eq(got.join(' '), want.join(' '), 'rejected rows');
  assert(r.json.rejected.every((x) => x.reason), 'each has a reason');
  eq((await admin.get('/api/v1/resources/export?format=json')).text, before, 'directory unchanged');
  // The command line says the same, one line each.
  const cl = cli(['import', 'hsds', '--db', srv.db, writeDir(files)]);
  eq(cl.status, 1, 'exit status');
  assert(cl.stderr.includes('services.csv:5: status: '), cl.stderr);
  assert(cl.stderr.includes('schedules.csv:3: opens_at: '), cl.stderr);
});

test('a dry run counts and applies nothing', async () => {
  const files = corrected();
  const svc = records(files['services.csv']).header;
  const id = '77777777-7777-4777-8777-777777777777';
  files['services.csv'] += `${svc.map((h) => ({ id, name: 'Dry run garden', status: 'active' }[h] ?? '')).join(',')}\n`;
  const audits = importAudits(srv.db);
  const r = await admin.post('/api/v1/resources/import?dry_run=true', importBody(files));
  eq(r.status, 200, r.text);
  eq(r.json.applied, false, 'applied');
  eq(r.json.counts.service.created, 1, 'would create');
  eq(sql(srv.db, `SELECT count(*) FROM dir_service WHERE id = '${id}';`).stdout, '0', 'not applied');
  eq(importAudits(srv.db), audits, 'not audited');
  const bad = await admin.post('/api/v1/resources/import?dry_run=maybe', importBody(files));
  eq(bad.status, 400, 'bad dry_run');
});

test('a bad body is a 400 naming the field', async () => {
  let r = await admin.post('/api/v1/resources/import', { format: 'csv', files: {} });
  eq(r.status, 400, r.text);
  assert(r.json.errors.some((e) => e.field === 'format'), 'format named');
  r = await admin.post('/api/v1/resources/import', { format: 'hsds-json', services: {} });
  eq(r.status, 400, r.text);
  r = await admin.post('/api/v1/resources/import', { format: 'hsds-json', services: [{ id: 5 }, 7] });
  eq(r.status, 422, r.text);
  const fields = r.json.rejected.map((x) => x.field);
  assert(fields.includes('services[0].id') && fields.includes('services[1]'), fields.join());
  eq(r.json.rejected[0].file, 'body', 'file of a JSON body');
});

test('only administrators import; the privacy officer does not export', async () => {
  eq((await peer.post('/api/v1/resources/import', importBody(corrected()))).status, 403, 'peer import');
  eq((await privacy.post('/api/v1/resources/import', importBody(corrected()))).status, 403, 'privacy import');
  eq((await privacy.get('/api/v1/resources/export')).status, 403, 'privacy export');
  eq((await peer.get('/api/v1/resources/export?format=tabular')).status, 200, 'peer export');
  eq((await peer.get('/api/v1/resources/export?format=xml')).status, 400, 'bad format');
});

test('no 5xx answers', () => {
  expectNo5xx(srv);
});
