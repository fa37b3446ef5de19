// Browser flow for outreach, in Chromium against the real server: a peer
// opens the Outreach page from the navigation, finds a person in outreach
// on the not-seen list, records an attempt from the list (the contact form
// opens with "Outreach attempt" chosen), and sees the attempts count go up;
// then records an inpatient stay on the person's page. No console or CSP
// errors; on a phone nothing is wider than the screen.
import fs from 'node:fs';
import path from 'node:path';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, isoDay, plainDate, PASSWORD } from './browser.mjs';

const srv = await startServer();
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const SHOTS = process.env.OUTREACH_SHOTS || '/tmp/outreach-shots';
const main = (page) => page.getByRole('main');

async function shot(page, name) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.copyFileSync(screenshotPath(name), path.join(SHOTS, name));
}

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(w <= 360, `${what}: page is ${w}px wide`);
}

btest('a peer records an outreach attempt from the not-seen list and sees the count go up; then records a stay', async () => {
  const api = await signedIn(srv.url, 'peer.north', PASSWORD);
  const p = await api.post('/api/v1/people', { preferred_name: 'Outreachtest Wrenfield', pronouns: 'she/her', language: 'en' });
  eq(p.status, 201, 'person');
  const person = p.json;

  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people`);
  await signIn(page, 'peer.north');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outreach' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Outreach and follow-up' }).waitFor();
  const notSeen = main(page).getByRole('region', { name: /^Not seen lately/ });
  const item = notSeen.getByRole('listitem').filter({ hasText: person.preferred_name });
  await item.getByText('Not seen yet.').waitFor();
  const inOutreach = main(page).getByRole('region', { name: /^In outreach/ }).getByRole('listitem').filter({ hasText: person.preferred_name });
  await inOutreach.getByText('No attempts recorded yet.').waitFor();
  await shot(page, 'outreach-lists.png');

  await item.getByRole('link', { name: `Record an attempt: ${person.preferred_name}` }).click();
  await main(page).getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForURL(/contacts\/new\?type=outreach_attempt$/);
  eq(await page.getByLabel('Kind of contact').inputValue(), 'outreach_attempt', 'the kind is chosen already');
  await page.getByLabel('Setting').selectOption('community');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Contact note, a draft' }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outreach' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Outreach and follow-up' }).waitFor();
  const after1 = main(page).getByRole('region', { name: /^In outreach/ }).getByRole('listitem').filter({ hasText: person.preferred_name });
  await after1.getByText(`1 attempt so far; the last on ${plainDate(isoDay(0))}.`).waitFor();
  await shot(page, 'outreach-after-attempt.png');

  // The stay, on the person's page.
  await after1.getByRole('link', { name: person.preferred_name, exact: true }).click();
  await main(page).getByRole('heading', { level: 1, name: person.preferred_name }).waitFor();
  const stays = main(page).getByRole('region', { name: 'Hospital and inpatient stays' });
  await stays.getByText('No stays recorded.').waitFor();
  await stays.getByRole('button', { name: 'Add the stay' }).click();
  await stays.getByRole('alert').waitFor();
  await stays.getByText('Kind of stay is required').first().waitFor();
  await stays.getByLabel('Kind of stay').selectOption('crisis_stabilisation');
  await stays.getByLabel('Admitted on').fill(isoDay(-9));
  await stays.getByLabel('Discharged on').fill(isoDay(-12));
  await stays.getByRole('button', { name: 'Add the stay' }).click();
  await stays.getByText('Discharged on must be on or after the admission date').first().waitFor();
  await stays.getByLabel('Discharged on').fill(isoDay(-6));
  await stays.getByLabel('Where').fill('Riverside crisis unit');
  await stays.getByRole('button', { name: 'Add the stay' }).click();
  await stays.getByText(`Crisis stabilisation unit, ${plainDate(isoDay(-9))} to ${plainDate(isoDay(-6))}`).waitFor();
  await stays.getByText('Riverside crisis unit').waitFor();
  await stays.scrollIntoViewIfNeeded();
  await shot(page, 'person-stays.png');
  const listed = await api.get(`/api/v1/people/${person.id}/inpatient-stays`);
  eq(listed.json.items.length, 1, 'one stay recorded');
  assertNoProblems(b.problems, 'peer');

  // On a phone.
  const pb = await browser({ viewport: { width: 360, height: 740 } });
  const pp = await pb.newPage();
  await pp.goto(`${srv.url}/#/outreach`);
  await signIn(pp, 'peer.north');
  await main(pp).getByRole('heading', { level: 1, name: 'Outreach and follow-up' }).waitFor();
  await noSideScroll(pp, 'outreach on a phone');
  await shot(pp, 'outreach-phone.png');
  assertNoProblems(pb.problems, 'phone');
});

btest('administrators do not see the Outreach page', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/outreach`);
  await signIn(page, 'admin');
  await main(page).getByRole('heading', { level: 1 }).first().waitFor();
  eq(await main(page).getByRole('heading', { name: 'Outreach and follow-up' }).count(), 0, 'not shown');
  assertNoProblems(b.problems, 'admin');
});
