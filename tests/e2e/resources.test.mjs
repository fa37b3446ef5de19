// Browser flows for the resource directory, in Chromium against the real
// server: a peer adds a local resource (housing, offered in Spanish, a
// place with a postal code and coordinates, open on Tuesdays), finds it by
// words and language, opens it and reads its hours in words, marks it as
// checked and edits it, with a server error shown beside its field; a
// search by postal code shows distances; an administrator checks and
// imports an HSDS package and sees the counts, then a package with a bad
// row and sees that row with its line; the privacy officer has no
// Resources link. Phone-sized screens; console and CSP hygiene;
// person-first words. Screenshots of the results and of a resource at
// 1280 and 360 pixels go to /tmp/ui-shots/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, assertNoProblems, PASSWORD } from './browser.mjs';

const srv = await startServer();
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 740 };
const WIDE = { width: 1280, height: 860 };
const SHOTS = '/tmp/ui-shots';
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

async function shot(page, name, viewport) {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (viewport) await page.setViewportSize(viewport);
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

const main = (page) => page.getByRole('main');
const nav = (page) => page.getByRole('navigation', { name: 'Main' });
const status = (page, text) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
const AVOID = /\b(clients?|patients?|cases?|caseloads?|addicts?|non-?compliant|abusers?|junkies|alcoholics?|refused|relapsed?|diagnos[ie]s)\b/i;

// Nothing wider than the screen, and every control a 44px target.
async function phoneCheck(page, what, width = 360) {
  const r = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li, td') && el.tagName === 'A' && !el.classList.contains('button')
        && !el.closest('.breadcrumb, .resource-card__title')) continue; // links inside running text
      if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      if (box.right > document.documentElement.clientWidth + 0.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" sticks out to ${box.right}px`);
    }
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
}

// One h1, person-first words, no inline styles.
async function wordsCheck(page, what) {
  eq(await page.locator('main h1').count(), 1, `${what}: one h1`);
  const words = await page.evaluate(() => `${document.body.innerText} ${[...document.querySelectorAll('option, [aria-label], [title]')]
    .map((e) => `${e.textContent} ${e.getAttribute('aria-label') || ''} ${e.getAttribute('title') || ''}`).join(' ')}`);
  const hit = AVOID.exec(words);
  assert(!hit, `${what}: avoid the word "${hit && hit[0]}"`);
  eq(await page.locator('[style]').count(), 0, `${what}: no inline style attributes`);
}

let serial = 0;

// Pure functions of the views run in Node too.
test('resource_common: opening hours in plain words, addresses and distances', async () => {
  const m = await import('../../web/js/views/resource_common.js');
  eq(m.scheduleInWords({ freq: 'WEEKLY', byday: 'TU,TH', opens_at: '09:00:00', closes_at: '12:00:00' }), 'Tuesdays and Thursdays 9:00\u201312:00', 'two days');
  eq(m.scheduleInWords({ byday: 'MO,TU,WE,TH,FR', opens_at: '08:30', closes_at: '17:00' }), 'Monday to Friday 8:30\u201317:00', 'a run of days');
  eq(m.scheduleInWords({ byday: 'MO,WE,FR', opens_at: '10:00', closes_at: '11:00', description: 'Women only' }),
    'Mondays, Wednesdays and Fridays 10:00\u201311:00 (Women only)', 'with its note');
  eq(m.scheduleInWords({ byday: 'SU,MO,TU,WE,TH,FR,SA', opens_at: '00:00', closes_at: '23:59' }), 'Every day 0:00\u201323:59', 'every day');
  eq(m.scheduleInWords({ freq: 'MONTHLY', byday: '1MO', description: 'First Monday of the month' }), 'First Monday of the month', 'not weekly: its description');
  eq(m.addressLine({ address_1: '12 Main St', city: 'Chicago', state_province: 'IL', postal_code: '60601' }), '12 Main St, Chicago, IL 60601', 'address');
  eq(m.distanceText(2.44), '2.4 km away', 'distance');
  eq(m.distanceText(0.2), 'under 1 km away', 'close by');
  const s = await import('../../web/js/views/resources.js');
  eq(JSON.stringify(s.parseSearch('#/resources?q=housing&language=es&radius_km=5&offset=0&name=x')), '{"q":"housing","language":"es"}',
    'known keys only; a radius needs near');
  eq(s.hashOf({ q: 'food bank', near: '60601', radius_km: '10', open_now: '' }), '#/resources?q=food+bank&near=60601&radius_km=10', 'hash');
});

// --- an HSDS tabular package ---------------------------------------------

const HEADERS = {};
for (const f of ['organizations', 'services', 'locations', 'addresses', 'service_at_location', 'phones', 'schedules', 'languages', 'attributes']) {
  const text = fs.readFileSync(`/work/shared/data/hsds-3.0/examples/csv/${f}.csv`, 'utf8');
  HEADERS[f] = text.split(/\r?\n/)[0].split(',');
}

function csvCell(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(name, rows) {
  const head = HEADERS[name];
  return `${[head.join(','), ...rows.map((r) => head.map((k) => csvCell(r[k])).join(','))].join('\n')}\n`;
}

const HOUSING_TERM = JSON.parse(fs.readFileSync(path.join(ROOT, 'data/resources.json'), 'utf8'))
  .categories.find((c) => c.code === 'housing').term_id;

// A small valid package: one organisation with one service at one place,
// open on Mondays, in the housing category. { files, serviceName }.
function tinyPackage({ badStatus = false } = {}) {
  const id = () => crypto.randomUUID();
  const org = id();
  const svc = id();
  const svc2 = id();
  const loc = id();
  const sal = id();
  const serviceName = `Lakeside tenant help ${++serial}`;
  const services = [{ id: svc, organization_id: org, name: serviceName, description: 'Help with leases and rent.', status: 'active' }];
  // The bad row is the second service: line 3 of services.csv.
  if (badStatus) services.push({ id: svc2, organization_id: org, name: 'Second service', status: 'sometimes' });
  const files = {
    'datapackage.json': JSON.stringify({ name: 'tiny', profile: 'tabular-data-package',
      resources: ['organizations', 'services', 'locations', 'addresses', 'service_at_location', 'phones', 'schedules', 'languages', 'attributes']
        .map((n) => ({ name: n, path: `${n}.csv`, profile: 'tabular-data-resource' })) }, null, 2),
    'organizations.csv': csv('organizations', [{ id: org, name: 'Lakeside Housing Council', description: 'Tenant rights.' }]),
    'services.csv': csv('services', services),
    'locations.csv': csv('locations', [{ id: loc, organization_id: org, location_type: 'physical', name: 'Lakeside office', latitude: '41.9', longitude: '-87.65' }]),
    'addresses.csv': csv('addresses', [{ id: id(), location_id: loc, address_1: '400 Lake St', city: 'Chicago', state_province: 'IL', postal_code: '60614', country: 'US', address_type: 'physical' }]),
    'service_at_location.csv': csv('service_at_location', [{ id: sal, service_id: svc, location_id: loc }]),
    'phones.csv': csv('phones', [{ id: id(), service_id: svc, number: '312-555-0142', type: 'voice' }]),
    'schedules.csv': csv('schedules', [{ id: id(), service_id: svc, freq: 'WEEKLY', byday: 'MO', opens_at: '10:00', closes_at: '14:00' }]),
    'languages.csv': csv('languages', [{ id: id(), service_id: svc, name: 'English', code: 'en' }]),
    'attributes.csv': csv('attributes', [{ id: id(), link_id: svc, link_type: 'service', link_entity: 'service', taxonomy_term_id: HOUSING_TERM }]),
  };
  return { files, serviceName };
}

// The official HSDS example package (tests/fixtures/hsds-example), with
// the three rows it gets wrong as published corrected as
// tests/api/hsds.test.mjs corrects them: a location at latitude 100, and
// an organisation and a taxonomy the package does not hold.
function fixturePackage() {
  const dir = path.join(ROOT, 'tests/fixtures/hsds-example');
  const files = {};
  for (const f of fs.readdirSync(dir)) {
    if (/\.(csv|json)$/.test(f)) files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  }
  files['locations.csv'] = files['locations.csv']
    .replace(',100,101,', ',51.507351,-0.127758,')
    .replace(',985e4a42-bd9f-4edc-911d-0243a4640aca,', ',d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,');
  files['taxonomy_terms.csv'] = files['taxonomy_terms.csv']
    .replace('07ff6aee-a219-438c-b694-d2fcb6c5373b', '5c4d79d7-cc55-470e-9f1f-8cad074e4892');
  return { files };
}

const asUploads = (files) => Object.entries(files).map(([name, text]) => ({
  name, mimeType: name.endsWith('.json') ? 'application/json' : 'text/csv', buffer: Buffer.from(text, 'utf8'),
}));

// --- the flows -------------------------------------------------------------

btest('a peer adds a local resource, finds it by words and language, reads its hours in words, checks it and edits it', async () => {
  const b = await browser({ viewport: WIDE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  const name = `Casa Esperanza housing help ${++serial}`;

  await nav(page).getByRole('link', { name: 'Resources' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  eq(await main(page).getByRole('link', { name: 'Import a directory' }).count(), 0, 'a peer does not import');
  await main(page).getByRole('link', { name: 'Add a resource' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Add a resource' }).waitFor();

  // Submitting with nothing: the server names the fields.
  await page.getByRole('button', { name: 'Add the resource' }).click();
  const summary = main(page).locator('.error-summary');
  await summary.waitFor();
  assert(/Name/.test(await summary.innerText()), `the summary names the name: ${await summary.innerText()}`);

  await page.getByLabel('Name (required)').fill(name);
  await page.getByLabel('Organisation').fill('Eastside neighbours');
  await page.getByLabel('What it offers').fill('Help finding a place to live and keeping it: applications, deposits and talking with landlords.');
  await main(page).getByRole('checkbox', { name: 'Housing', exact: true }).check();
  await main(page).getByRole('checkbox', { name: 'Spanish (español)' }).check();
  await page.getByLabel('Phone').fill('312-555-0199');
  await page.getByLabel('What it costs').fill('Free');
  await page.getByLabel('Street address').fill('1 Esperanza Way');
  await page.getByLabel('City or town').fill('Chicago');
  await page.getByLabel('State').fill('IL');
  await page.getByLabel('Postal code').fill('60601');
  await page.getByLabel('Latitude').fill('41.8826');
  await page.getByLabel('Longitude').fill('-87.6233');
  await page.getByRole('button', { name: 'Add opening hours' }).click();
  const row = main(page).getByRole('group', { name: 'Opening hours 1' });
  await row.getByRole('checkbox', { name: 'Tuesday' }).check();
  await row.getByLabel('Opens at').fill('09:00');
  await row.getByLabel('Closes at').fill('12:00');
  await wordsCheck(page, 'add form');
  await shot(page, 'resource-form-360.png', PHONE);
  await phoneCheck(page, 'add form');
  await row.screenshot({ path: path.join(SHOTS, 'resource-form-hours-360.png') });
  await page.setViewportSize(WIDE);
  await page.getByRole('button', { name: 'Add the resource' }).click();

  await main(page).getByRole('heading', { level: 1, name }).waitFor();
  await status(page, 'Resource added to the directory.');
  const id = /#\/resources\/([0-9a-f-]{36})$/.exec(page.url())[1];
  await main(page).locator('#res-places').getByText('Tuesdays 9:00\u201312:00').waitFor();
  await main(page).getByText('Added by our staff').first().waitFor();
  await main(page).locator('#res-languages').getByText('Spanish').waitFor();
  eq(await main(page).locator('#res-phones a').getAttribute('href'), 'tel:3125550199', 'the phone is a tel: link');
  assertNoProblems(b.problems, 'added');

  // The search: words and a language, in the address.
  await nav(page).getByRole('link', { name: 'Resources' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  await page.getByLabel('Words').fill('housing');
  await page.getByLabel('Language', { exact: true }).selectOption('es');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/#\/resources\?q=housing&language=es$/);
  const card = main(page).locator('.resource-card').filter({ hasText: name });
  await card.waitFor();
  await card.getByText('Eastside neighbours').waitFor();
  await card.getByText('Languages: Spanish (español)').waitFor();
  await card.getByText('1 Esperanza Way, Chicago, IL 60601').waitFor();
  await card.getByText('No referrals made yet').waitFor();
  eq(await card.locator('.tag').first().innerText(), 'Housing', 'its category');
  eq(await page.getByLabel('Language', { exact: true }).inputValue(), 'es', 'the form shows the search');
  await wordsCheck(page, 'results');
  await shot(page, 'resources-results-1280.png');
  await shot(page, 'resources-results-360.png', PHONE);
  await phoneCheck(page, 'results');
  await page.setViewportSize(WIDE);

  // The resource, its hours in words; Back returns to the search.
  await card.getByRole('link', { name }).click();
  await main(page).getByRole('heading', { level: 1, name }).waitFor();
  await main(page).getByText('Tuesdays 9:00\u201312:00').waitFor();
  eq(await main(page).getByRole('link', { name: 'Resources' }).getAttribute('href'), '#/resources?q=housing&language=es', 'the breadcrumb goes back to the search');
  await wordsCheck(page, 'resource');
  await shot(page, 'resource-detail-1280.png');
  await shot(page, 'resource-detail-360.png', PHONE);
  await phoneCheck(page, 'resource');
  await page.setViewportSize(WIDE);
  await page.goBack();
  await main(page).locator('.resource-card').filter({ hasText: name }).waitFor();
  eq(new URL(page.url()).hash, '#/resources?q=housing&language=es', 'Back returns to the search');
  await page.goForward();
  await main(page).getByRole('heading', { level: 1, name }).waitFor();

  // Checked today.
  await page.getByRole('button', { name: 'Mark as checked today' }).click();
  await status(page, 'Marked as checked today.');
  await main(page).locator('#res-checked').getByText(/Last checked .* by Jordan Lee/).waitFor();

  // Edit: a latitude out of range is named beside its field; then a cost.
  await main(page).getByRole('link', { name: 'Edit' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Edit resource' }).waitFor();
  eq(await page.getByLabel('Postal code').inputValue(), '60601', 'the place is in the form');
  eq(await main(page).getByRole('group', { name: 'Opening hours 1' }).getByRole('checkbox', { name: 'Tuesday' }).isChecked(), true, 'the hours are in the form');
  await page.getByLabel('Latitude').fill('95');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const latError = main(page).locator('#rf-loc-latitude-error');
  await latError.waitFor();
  assert(/-90 to 90/.test(await latError.innerText()), `latitude error beside the field: ${await latError.innerText()}`);
  eq(await page.getByLabel('Latitude').getAttribute('aria-invalid'), 'true', 'marked invalid');
  await page.getByLabel('Latitude').fill('41.8826');
  await page.getByLabel('What it costs').fill('Free, and help with the deposit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await status(page, 'Changes saved.');
  await main(page).getByText('Free, and help with the deposit').waitFor();
  eq(new URL(page.url()).hash, `#/resources/${id}`, 'back on the resource');

  // Someone else changes it while the form is open: nothing is overwritten.
  await main(page).getByRole('link', { name: 'Edit' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Edit resource' }).waitFor();
  const c = await signedIn(srv.url, 'peer.north2', PASSWORD);
  const cur = await c.get(`/api/v1/resources/${id}`);
  const etag = cur.headers.get('etag');
  const other = await c.request('PATCH', `/api/v1/resources/${id}`, { body: { wait_time: 'About a week' },
    headers: { 'If-Match': etag, 'Content-Type': 'application/merge-patch+json' } });
  eq(other.status, 200, `someone else saves (${other.text.slice(0, 200)})`);
  await page.getByLabel('What it costs').fill('Free');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await main(page).getByRole('heading', { name: 'Someone else changed this resource' }).waitFor();
  assertNoProblems(b.problems, 'resource flow');
});

btest('a search by postal code shows how far each place is, nearest first; an unknown postal code is named beside Near', async () => {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const near = `${++serial}`.padStart(5, '7');
  const made = [];
  for (const [n, lat, lon] of [['Riverside food pantry', 44.9800, -93.2600], ['Riverside recovery cafe', 45.0100, -93.3000]]) {
    const r = await c.post('/api/v1/resources', {
      name: `${n} ${serial}`, categories: n.includes('food') ? ['food-insecurity'] : ['recovery-community'],
      location: { address_1: '9 River Rd', city: 'Chicago', state_province: 'IL', postal_code: near, latitude: lat, longitude: lon },
    });
    eq(r.status, 201, `resource added (${r.text.slice(0, 300)})`);
    made.push(r.json);
  }
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'super.north');
  await nav(page).getByRole('link', { name: 'Resources' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  await page.getByLabel('Near').fill(near);
  await page.getByLabel('Within').selectOption('10');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(new RegExp(`#/resources\\?near=${near}&radius_km=10$`));
  await main(page).locator('#res-count').getByText('nearest first').waitFor();
  const cards = main(page).locator('.resource-card');
  eq(await cards.count(), 2, 'the two places within 10 km');
  for (let i = 0; i < 2; i++) {
    assert(/km away/.test(await cards.nth(i).locator('.resource-card__distance').innerText()), 'a distance on each card');
  }
  await phoneCheck(page, 'near results');
  await wordsCheck(page, 'near results');

  // A postal code no place in the directory has.
  await page.getByLabel('Near').fill('00000');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const err = main(page).locator('#res-near-error');
  await err.waitFor();
  eq(await page.getByLabel('Near').getAttribute('aria-invalid'), 'true', 'Near is marked');
  assertNoProblems(b.problems, 'near');
});

btest('an administrator checks and imports an HSDS package and sees the counts, then a package with a bad row and sees it with its line', async () => {
  const b = await browser({ viewport: WIDE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'admin');
  eq(await nav(page).getByRole('link', { name: 'Team roster' }).isVisible(), false, 'no roster link for an administrator');
  await nav(page).getByRole('link', { name: 'Resources' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
  await main(page).getByRole('link', { name: 'Import a directory' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Import and export' }).waitFor();

  const fixture = fixturePackage();
  const tiny = tinyPackage();
  for (const pkg of [fixture, tiny]) {
    await page.getByLabel('Package files').setInputFiles(asUploads(pkg.files));
    await page.getByRole('button', { name: 'Check' }).click();
    await main(page).getByText('The package passed the check. Nothing has been imported yet.').waitFor();
    await main(page).locator('#import-counts').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await main(page).getByText('The package was imported.').waitFor();
    const services = main(page).locator('#import-counts tr').filter({ has: page.getByRole('rowheader', { name: 'Services', exact: true }) });
    await services.waitFor();
    if (pkg === tiny) eq(await services.locator('td').first().innerText(), '1', 'one new service');
  }
  await phoneCheck(page, 'import', 1280);
  await wordsCheck(page, 'import');

  // Importing the same package again changes nothing.
  await page.getByRole('button', { name: 'Check' }).click();
  await main(page).getByText('The package passed the check.').waitFor();
  const again = main(page).locator('#import-counts tr').filter({ has: page.getByRole('rowheader', { name: 'Services', exact: true }) });
  eq(await again.locator('td').nth(2).innerText(), '1', 'the service is unchanged');

  // The imported service is in the directory.
  await page.goto(`${srv.url}/#/resources?q=${encodeURIComponent('Lakeside tenant')}`);
  await main(page).locator('.resource-card').filter({ hasText: tiny.serviceName }).waitFor();

  // A package with a bad row: the row, its line and why.
  await page.goto(`${srv.url}/#/resources/import`);
  await main(page).getByRole('heading', { level: 1, name: 'Import and export' }).waitFor();
  const bad = tinyPackage({ badStatus: true });
  await page.getByLabel('Package files').setInputFiles(asUploads(bad.files));
  await page.getByRole('button', { name: 'Check' }).click();
  await main(page).getByText('The package was not imported: some rows need fixing').waitFor();
  const rejected = main(page).locator('#import-rejected tbody tr').filter({ hasText: 'services.csv' });
  await rejected.first().waitFor();
  const cells = await rejected.first().locator('td').allInnerTexts();
  eq(cells[1], '3', `the line of the bad row (${cells.join(' | ')})`);
  eq(cells[2], 'status', 'its field');
  await shot(page, 'resources-import-rejected-1280.png');

  // Export: the tabular files as downloads.
  await page.getByRole('button', { name: 'Tabular files (CSV)' }).click();
  const link = main(page).locator('#export-files a').filter({ hasText: 'services.csv' });
  await link.waitFor();
  assert((await link.getAttribute('href')).startsWith('blob:'), 'a Blob URL');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  eq(download.suggestedFilename(), 'services.csv', 'the file downloads');
  assertNoProblems(b.problems, 'import');
});

btest('the privacy officer has no Resources link, and the directory is not theirs', async () => {
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'privacy');
  await main(page).getByRole('heading', { level: 1, name: 'No team roster for your role' }).waitFor();
  eq(await page.locator('#nav-resources:visible').count(), 0, 'no Resources link');
  await page.goto(`${srv.url}/#/resources`);
  await main(page).getByRole('heading', { level: 1, name: 'No team roster for your role' }).waitFor();
  const c = await signedIn(srv.url, 'privacy', PASSWORD);
  eq((await c.get('/api/v1/resources')).status, 403, 'the API says no too');
  assertNoProblems(b.problems, 'privacy');
});
