// Referrals in the browser, in Chromium against the real server
// (docs/referrals.md). A peer opens a person's page, refers them to a
// housing service of the directory (found by searching inside the form),
// sharing their name and contact details under their consent, and sees
// the referral open on the person's page. Sharing with a service no
// consent names is refused with the reason and a way to their consents.
// The peer issues the organisation's single-use link; in a browser of its
// own, the organisation opens it (the token leaves the address bar at
// once), sees only the minimum (the person's preferred name, never the
// plan or the reason in their words), and marks it accepted; the link
// then no longer works. The peer marks it completed with what came of it
// and it leaves the open list. A referral quiet for more than a week is
// on "Referrals to follow up" until someone updates it. No console or CSP
// errors; no horizontal scroll at 360px.
import fs from 'node:fs';
import path from 'node:path';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { EPISODE, sql } from '../lib/api.mjs';
import { launch, browserTest, signIn, assertNoProblems, isoDay, PASSWORD } from './browser.mjs';

const srv = await startServer({ people: 8 });
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 780 };
const NAME = 'Reftest Marisol';
const ORG = 'Harbor Housing Coalition';
const SERVICE = 'Harbor Housing Help Desk';
const OTHER_ORG = 'Lakeside Tenants Union';
const OTHER_SERVICE = 'Lakeside Tenant Advice';
const GOAL = 'Find a flat near my daughter';
const REASON = 'I want somewhere quiet of my own before winter.';
const OUTCOME = 'Moved into a studio on Pine Street.';
const SHOTS = '/tmp/refui-shots';

const main = (page) => page.getByRole('main');
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

async function shot(target, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const opts = { path: path.join(SHOTS, name) };
  if (typeof target.setViewportSize === 'function') opts.fullPage = true;
  await target.screenshot(opts);
}

// Nothing wider than the phone's screen.
async function phoneCheck(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(w <= PHONE.width, `${what}: page is ${w}px wide`);
}

// --- set-up through the API --------------------------------------------------

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);

async function resource(name, org) {
  const r = await peer.post('/api/v1/resources', {
    name,
    organization_name: org,
    description: 'Help finding and keeping a home: listings, applications and deposits.',
    categories: ['housing'],
    languages: ['en', 'es'],
    phone: '555-0170',
    location: { name: 'Main office', address_1: '12 Harbor Road', city: 'Springfield', state_province: 'IL', postal_code: '62701', country: 'US' },
  });
  eq(r.status, 201, `resource ${name} (${r.text.slice(0, 300)})`);
  return r.json;
}

async function setUp() {
  const housing = await resource(SERVICE, ORG);
  const other = await resource(OTHER_SERVICE, OTHER_ORG);
  let r = await peer.post('/api/v1/people', { preferred_name: NAME, legal_name: 'Marisol Reftest', pronouns: 'she/her',
    date_of_birth: '1990-02-03', language: 'es', phone: '555-0111' });
  eq(r.status, 201, `person (${r.text.slice(0, 200)})`);
  const person = r.json;
  r = await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE);
  eq(r.status, 201, `enrolled (${r.text.slice(0, 200)})`);
  r = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery',
    content: { goals: [{ words: GOAL, lifecycle_status: 'active' }], strengths: ['I keep showing up'] },
  });
  eq(r.status, 201, `recovery plan (${r.text.slice(0, 200)})`);
  const plan = r.json;
  // Her release of information names the housing service's organisation,
  // for a referral, and her name and contact details.
  r = await peer.post(`/api/v1/people/${person.id}/consents`, {
    kind: 'release_of_information',
    person_name: 'Marisol Reftest',
    disclosers: 'Alongside Peer Services',
    recipients: [{ name: ORG, address: '12 Harbor Road' }],
    information: 'My name and how to reach me, for a housing referral.',
    categories: ['demographics'],
    purposes: ['referral'],
    revocation_statement: true,
    expiry_event: 'end_of_treatment',
    signer_name: 'Marisol Reftest',
    signer_authority: 'self',
    signed_on: isoDay(0),
    conditioning_statement: true,
    redisclosure_statement: true,
  });
  eq(r.status, 201, `consent (${r.text.slice(0, 200)})`);
  return { housing, other, person, plan };
}

const data = await setUp();
const shared = { referralId: null, link: null };

// --- tests ---------------------------------------------------------------------

btest('a peer refers the person to a housing service found in the form, sharing their contact details under their consent', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${data.person.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: NAME }).waitFor();
  const card = main(page).getByRole('region', { name: 'Referrals' });
  await card.getByText('No referrals yet.', { exact: false }).waitFor();
  await card.getByRole('link', { name: 'Refer' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Refer to a service' }).waitFor();

  // The need: her goal is offered in her words, beside the categories.
  const need = page.getByLabel('What it is for');
  const options = await need.locator('option').allInnerTexts();
  assert(options.includes(`Goal: ${GOAL}`), `her goal is offered (${options.slice(0, 4).join(' | ')})`);
  assert(options.includes('Housing'), 'the housing category is offered');

  // Nothing chosen yet: the form says what is missing.
  await page.getByRole('button', { name: 'Make the referral' }).click();
  await page.getByRole('alert').getByText('The service: search the directory and choose one').waitFor();

  // Search the directory inside the form.
  await page.getByLabel('Search the directory').fill('harbor housing');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Choose ${SERVICE}` }).click();
  await page.locator('#ref-service-chosen').getByText(SERVICE).waitFor();
  await need.selectOption('category:housing');
  await page.getByLabel('Why, in their words (optional)').fill(REASON);
  await page.getByLabel('Share information with this service').check();
  await page.locator('#ref-consent-note').getByText(`A consent of theirs in force names ${ORG}.`).waitFor();
  await page.getByLabel('Name, contact details and enrollment').check();
  await shot(page, 'refer-form-1280.png');
  await page.getByRole('button', { name: 'Make the referral' }).click();

  await main(page).getByRole('heading', { level: 1, name: `Referral to ${SERVICE}` }).waitFor();
  const m = /#\/referrals\/([0-9a-f-]{36})$/.exec(page.url());
  assert(m, `the referral's page (${page.url()})`);
  shared.referralId = m[1];
  await page.locator('#referral-status').getByText('Waiting for the service to answer').waitFor();
  await main(page).getByText('Shared with the service').first().waitFor();
  await main(page).getByText(REASON).waitFor();
  await main(page).getByRole('link', { name: 'See the disclosure' }).waitFor();
  await shot(page, 'referral-page-1280.png');

  // Back on her page: open, with the service, the need, who and when.
  await page.goto(`${srv.url}/#/people/${data.person.id}`);
  const open = page.locator('#referrals-open');
  await open.getByRole('link', { name: SERVICE }).waitFor();
  const text = await open.innerText();
  for (const w of ['Housing', 'Waiting for the service to answer', 'Shared with the service', 'Made by', 'Comes back for follow-up']) {
    assert(text.includes(w), `the open referral shows "${w}" (${text})`);
  }
  await shot(main(page).getByRole('region', { name: 'Referrals' }), 'person-referrals-1280.png');
  assertNoProblems(b.problems, 'refer');
});

btest('sharing with a service no consent names is refused, with the reason and a way to their consents', async () => {
  const b = await browser();
  const page = await b.newPage();
  // The directory's resource page links here with the service and category.
  await page.goto(`${srv.url}/#/people/${data.person.id}/referrals/new?service=${data.other.id}&category=housing`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Refer to a service' }).waitFor();
  await page.locator('#ref-service-chosen').getByText(OTHER_SERVICE).waitFor();
  eq(await page.getByLabel('What it is for').inputValue(), 'category:housing', 'the category from the address');
  await page.getByLabel('Share information with this service').check();
  await page.locator('#ref-consent-note').getByText(`No consent of theirs in force names ${OTHER_ORG} yet.`).waitFor();
  await page.getByLabel('Name, contact details and enrollment').check();
  await page.getByRole('button', { name: 'Make the referral' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('Not covered by their consent', { exact: false }).waitFor();
  await alert.getByRole('link', { name: 'look at their consents' }).click();
  await page.waitForURL(`**/#/people/${data.person.id}/consents`);
  const list = await peer.get(`/api/v1/people/${data.person.id}/referrals`);
  eq(list.json.items.length, 1, 'nothing was written');
  assertNoProblems(b.problems, 'refused');
});

btest('the peer issues the organisation\'s link, shown once with the full address, for 14 days', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/referrals/${shared.referralId}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: `Referral to ${SERVICE}` }).waitFor();
  await page.getByRole('button', { name: 'Link for the organisation' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Link for the organisation' }).waitFor();
  const url = (await page.locator('#referral-link-url').innerText()).trim();
  assert(url.startsWith(`${srv.url}/referral.html#token=`), `the full address (${url})`);
  const exp = await page.locator('#referral-link-expires').innerText();
  assert(/works once, for 14 days/.test(exp), exp);
  await page.getByRole('button', { name: 'Copy the link' }).waitFor();
  await page.getByRole('button', { name: 'Print' }).waitFor();
  await shot(page, 'referral-link-1280.png');
  shared.link = url;
  // Shown once: coming back shows it no more.
  await page.reload();
  await page.locator('#referral-link-gone').waitFor();
  assert(!(await main(page).innerText()).includes(url), 'not shown again');
  // The referral's page says a link is out.
  await page.goto(`${srv.url}/#/referrals/${shared.referralId}`);
  await page.locator('#referral-link-state').waitFor();
  assertNoProblems(b.problems, 'link');
});

btest('the organisation opens the link on a phone, sees only the minimum, and marks it accepted; the link then ends', async () => {
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(shared.link);
  await main(page).getByRole('heading', { level: 1, name: 'A referral to your service' }).waitFor();
  assert(!page.url().includes('#'), `the token left the address bar (${page.url()})`);
  const text = await main(page).innerText();
  assert(text.includes(NAME), 'her preferred name');
  assert(text.includes(SERVICE), 'the service');
  assert(text.includes('Housing'), 'the category');
  assert(text.includes('Waiting for the service to answer'), 'the status');
  for (const w of [GOAL, REASON, 'Marisol Reftest', '555-0111', 'I keep showing up']) {
    assert(!text.includes(w), `"${w}" is not on the organisation's page`);
  }
  const buttons = await page.locator('.referral-move__buttons button').allInnerTexts();
  eq(buttons.join(','), 'Accepted,Not taken on,Did not work out', 'the moves it may make: the organisation rejects rather than cancels');
  await phoneCheck(page, 'organisation page');
  await shot(page, 'org-page-360.png');
  await page.setViewportSize({ width: 1280, height: 860 });
  await shot(page, 'org-page-1280.png');
  await page.setViewportSize(PHONE);

  await page.getByRole('button', { name: 'Accepted' }).click();
  await page.getByLabel('A note (optional)').fill('We can see her on Tuesday at 10.');
  await page.getByRole('button', { name: 'Save' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Thank you \u2014 the link has now ended' }).waitFor();
  await shot(page, 'org-page-done-360.png');

  // The same link again, in a new tab: it has ended.
  const again = await b.context.newPage();
  await again.goto(shared.link);
  await main(again).getByRole('heading', { level: 1, name: 'This link does not work' }).waitFor();
  await main(again).getByText('used already', { exact: false }).waitFor();
  assert(!(await main(again).innerText()).includes(NAME), 'nothing of the referral');
  await shot(again, 'org-page-ended-360.png');
  assertNoProblems(b.problems, 'organisation');
});

btest('the peer sees the answer, marks it completed with what came of it, and it leaves the open list', async () => {
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/referrals/${shared.referralId}`);
  await signIn(page, 'peer.north');
  await page.locator('#referral-status').getByText('Accepted by the service').waitFor();
  const events = await page.locator('#referral-events').innerText();
  assert(events.includes('through its link') && events.includes('We can see her on Tuesday at 10.'), `the timeline (${events})`);
  await phoneCheck(page, 'referral page');
  await shot(page, 'referral-page-360.png');
  await page.getByRole('button', { name: 'Completed' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').getByText('What came of it: needed to end the referral').waitFor();
  await page.getByLabel('What came of it').fill(OUTCOME);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#referral-status').getByText('Completed').waitFor();
  await page.locator('#referral-outcome').getByText(OUTCOME).waitFor();
  eq(await page.locator('.referral-move__buttons').count(), 0, 'an ended referral has no moves');
  eq(await page.getByRole('button', { name: /Link for the organisation/ }).count(), 0, 'nor a link');

  await page.goto(`${srv.url}/#/people/${data.person.id}`);
  const card = main(page).getByRole('region', { name: 'Referrals' });
  await card.getByText('None open.').waitFor();
  await card.getByText('Ended (1)').click();
  await page.locator('#referrals-ended').getByRole('link', { name: SERVICE }).waitFor();
  await page.locator('#referrals-ended').getByText(`What came of it: ${OUTCOME}`).waitFor();
  await phoneCheck(page, 'person page');
  await shot(card, 'person-referrals-360.png');
  assertNoProblems(b.problems, 'completed');
});

btest('a referral quiet for more than a week is on "Referrals to follow up" until someone updates it', async () => {
  let r = await peer.post(`/api/v1/people/${data.person.id}/referrals`,
    { service_id: data.housing.id, goal_id: data.plan.current.content.goals[0].id, reason: 'To look at flats together.' });
  eq(r.status, 201, `a referral for her goal (${r.text.slice(0, 300)})`);
  const quiet = r.json;
  const s = sql(srv.db, `UPDATE referral SET status_at = status_at - ${8 * 86400000}, made_at = made_at - ${8 * 86400000} WHERE id = '${quiet.id}';`);
  eq(s.status, 0, `set it back (${s.stderr})`);

  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${data.person.id}`);
  await signIn(page, 'peer.north');
  const open = page.locator('#referrals-open');
  await open.getByText(`Goal: ${GOAL}`).waitFor();
  await open.getByText('Back for follow-up since', { exact: false }).waitFor();
  await page.locator('#nav-referrals').click();
  await main(page).getByRole('heading', { level: 1, name: 'Referrals to follow up' }).waitFor();
  const list = page.locator('#follow-up-list');
  const row = list.getByRole('link', { name: `${NAME}: ${SERVICE}` });
  await row.waitFor();
  assert((await list.innerText()).includes('quiet for 8 days'), await list.innerText());
  await shot(page, 'follow-up-1280.png');
  await row.click();
  await main(page).getByRole('heading', { level: 1, name: `Referral to ${SERVICE}` }).waitFor();
  await main(page).getByText(`Goal: ${GOAL}`).first().waitFor();
  await page.getByRole('button', { name: 'Accepted' }).click();
  await page.getByLabel('A note (optional)').fill('Called them: she is on the list.');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#referral-status').getByText('Accepted by the service').waitFor();
  await page.locator('#nav-referrals').click();
  await main(page).getByRole('heading', { level: 1, name: 'Referrals to follow up' }).waitFor();
  await page.locator('#follow-up-empty').waitFor();
  eq(await page.getByRole('link', { name: `${NAME}: ${SERVICE}` }).count(), 0, 'it left the list');

  // A stale version is refused, not saved over.
  r = await peer.post(`/api/v1/referrals/${quiet.id}/status`, { status: 'in-progress' }, ifm(quiet.version));
  assert(r.status === 412 || r.status === 409, `stale If-Match refused (${r.status})`);
  assertNoProblems(b.problems, 'follow-up');
});
