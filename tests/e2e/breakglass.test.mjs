// Browser flow for emergency access (break-glass), in Chromium against the
// real server: on a phone, a south peer opens a north person's address,
// gets the not-found page with the emergency form, gives too short a
// reason (the error is beside the field), then a proper one, and lands on
// the person's page with the emergency-access banner (still there after
// the page is loaded again). A privacy officer, in a second browser, sees
// the notification and reviews the access as appropriate on #/break-glass.
// No console or CSP errors; 360px phone: no sideways scroll, 44px targets.
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { createPerson } from '../lib/api.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, PASSWORD } from './browser.mjs';

const srv = await startServer({ args: ['--break-glass-seconds', '120'] });
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 740 };
const REASON = 'They came to our drop-in in crisis and asked us to read their crisis plan with them.';

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

const main = (page) => page.getByRole('main');

// "14:05" in UTC, as the test browser shows times.
const clock = (ts) => new Date(ts).toISOString().slice(11, 16);

// Nothing wider than the screen, and every control a 44px target.
async function phoneCheck(page, what, width = 360) {
  const r = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li') && el.tagName === 'A' && !el.classList.contains('button')
        && !el.closest('.breadcrumb, .notify-item')) continue; // links inside running text
      if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      if (box.right > document.documentElement.clientWidth + 0.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" sticks out to ${box.right}px`);
    }
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
}

btest('a south peer opens a north person\u2019s record in an emergency; the privacy officer reviews it', async () => {
  const north = await signedIn(srv.url, 'peer.north', PASSWORD);
  const person = await createPerson(north, { preferred_name: 'Glasstest Marigold' });
  const privacyApi = await signedIn(srv.url, 'privacy', PASSWORD);
  const unreadBefore = (await privacyApi.get('/api/v1/notifications?limit=0')).json.unread;

  // The south peer, on a phone: not on their roster, so the not-found
  // page, with the emergency form.
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.south');
  await main(page).getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
  const offer = main(page).getByRole('region', { name: 'Emergency access (break-glass)' });
  await offer.waitFor();
  await offer.getByText('Only do this in an emergency').waitFor();
  await offer.getByText('Your reason is recorded.').waitFor();
  await offer.getByText('a privacy officer reviews it').waitFor();
  await offer.getByText('Access ends by itself after 2 minutes.').waitFor();
  eq(await page.getByText('Marigold').count(), 0, 'no trace of the person before access');
  await phoneCheck(page, 'break-glass form');
  await page.screenshot({ path: screenshotPath('breakglass-form-phone.png'), fullPage: true });

  // Too short a reason: the error is beside the field.
  const reason = page.getByLabel('Why do you need this record now?');
  await reason.fill('Urgent.');
  await page.getByRole('button', { name: 'Open the record for this emergency' }).click();
  await main(page).getByRole('alert').filter({ hasText: 'The record was not opened' }).waitFor();
  const err = page.locator('#glass-reason-error');
  await err.filter({ hasText: 'at least 10 characters' }).waitFor();
  eq(await reason.getAttribute('aria-invalid'), 'true', 'the field is marked');
  assert((await reason.getAttribute('aria-describedby')).split(' ').includes('glass-reason-error'), 'the error describes the field');
  const fieldWrap = page.locator('.field[data-field="reason"]');
  eq(await fieldWrap.locator('#glass-reason-error').count(), 1, 'the error sits with the field');
  await phoneCheck(page, 'break-glass form with an error');
  await page.screenshot({ path: screenshotPath('breakglass-form-error-phone.png'), fullPage: true });

  // A proper reason: the person's page, with the banner.
  await reason.fill(REASON);
  await page.getByRole('button', { name: 'Open the record for this emergency' }).click();
  await main(page).getByRole('heading', { level: 1, name: person.preferred_name }).waitFor();
  const south = await signedIn(srv.url, 'peer.south', PASSWORD);
  const own = (await south.get('/api/v1/break-glass')).json.items.find((g) => g.person_id === person.id);
  assert(own, 'the access is recorded');
  eq(own.reason, REASON, 'with the reason');
  const bannerText = `Emergency access: ends at ${clock(own.expires_at)}; everything you do is recorded for review.`;
  const banner = main(page).getByRole('region', { name: 'Emergency access' });
  eq((await banner.textContent()).trim(), bannerText, 'the banner');
  await page.getByRole('status').filter({ hasText: 'A privacy officer has been told' }).waitFor();
  await main(page).getByRole('heading', { name: 'Profile' }).waitFor();
  await phoneCheck(page, 'person page under emergency access');
  await page.screenshot({ path: screenshotPath('breakglass-person-phone.png'), fullPage: true });
  // Loaded again (memory gone): the banner is still there.
  await page.reload();
  await main(page).getByRole('heading', { level: 1, name: person.preferred_name }).waitFor();
  await main(page).getByRole('region', { name: 'Emergency access' }).filter({ hasText: `ends at ${clock(own.expires_at)}` }).waitFor();
  // Their own accesses.
  await page.goto(`${srv.url}/#/break-glass`);
  await main(page).getByRole('heading', { level: 1, name: 'Your emergency access' }).waitFor();
  await main(page).getByText(REASON).waitFor();
  await main(page).getByText('Waiting for review').waitFor();
  await phoneCheck(page, 'own emergency access');
  assertNoProblems(b.problems, 'peer');

  // The privacy officer, on a phone in another browser.
  const pb = await browser({ viewport: PHONE });
  const pp = await pb.newPage();
  await pp.goto(`${srv.url}/#/people`);
  await signIn(pp, 'privacy');
  await main(pp).getByRole('heading', { level: 1, name: 'No team roster for your role' }).waitFor();
  await pp.locator('#nav-notify-count').filter({ hasText: String(unreadBefore + 1) }).first().waitFor();
  await pp.getByRole('link', { name: /Notifications/ }).click();
  await main(pp).getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await main(pp).getByRole('link', { name: 'emergency access reviews' }).waitFor();
  await phoneCheck(pp, 'notifications (privacy officer)');
  await main(pp).getByRole('link', { name: 'Someone opened a record with emergency access: it needs your review' }).first().click();
  await main(pp).getByRole('heading', { level: 1, name: 'Emergency access reviews' }).waitFor();
  eq((await privacyApi.get('/api/v1/notifications?limit=0')).json.unread, unreadBefore, 'opening the notification marked it read');

  const waiting = main(pp).getByRole('region', { name: /Waiting for review/ });
  const item = waiting.getByRole('listitem').filter({ hasText: REASON });
  await item.waitFor();
  await item.getByRole('heading', { name: `${own.staff_name} opened a record` }).waitFor();
  await item.getByText(person.id).waitFor();
  await item.getByText('2 minutes').waitFor();
  eq(await pp.getByText('Marigold').count(), 0, 'privacy officers see the record id, not the name');
  await phoneCheck(pp, 'review page');
  await pp.screenshot({ path: screenshotPath('breakglass-review-phone.png'), fullPage: true });

  // Not appropriate needs a note.
  await item.getByLabel('Not appropriate').check();
  await item.getByRole('button', { name: 'Save the review' }).click();
  await item.getByRole('alert').filter({ hasText: 'The review was not saved' }).waitFor();
  await item.locator('.field[data-field="note"] .field__error').filter({ hasText: 'not appropriate' }).waitFor();
  eq(await item.getByLabel('Note').getAttribute('aria-invalid'), 'true', 'the note is marked');

  // Appropriate.
  await item.getByLabel('Appropriate', { exact: true }).check();
  await item.getByLabel('Note').fill('Checked with the south team lead; the person was in crisis.');
  await item.getByRole('button', { name: 'Save the review' }).click();
  await pp.getByRole('status').filter({ hasText: 'Review saved: Appropriate.' }).waitFor();
  const reviewed = main(pp).getByRole('region', { name: /^Reviewed/ });
  const done = reviewed.getByRole('listitem').filter({ hasText: REASON });
  await done.getByText('Appropriate', { exact: true }).waitFor();
  await done.getByText(/Reviewed by .+, /).waitFor();
  await done.getByText('Checked with the south team lead').waitFor();
  eq(await waiting.getByRole('listitem').filter({ hasText: REASON }).count(), 0, 'no longer waiting');
  await phoneCheck(pp, 'review page after the review');
  await pp.screenshot({ path: screenshotPath('breakglass-reviewed-phone.png'), fullPage: true });
  assertNoProblems(pb.problems, 'privacy officer');

  const after = (await privacyApi.get('/api/v1/break-glass?pending=false')).json.items.find((g) => g.id === own.id);
  eq(after.review_outcome, 'appropriate', 'reviewed on the server');
  const still = (await privacyApi.get('/api/v1/break-glass?pending=true')).json.items.some((g) => g.id === own.id);
  eq(still, false, 'not pending on the server');

  // The peer sees how it was reviewed.
  await page.reload();
  await main(page).getByRole('heading', { level: 1, name: 'Your emergency access' }).waitFor();
  await main(page).getByText('Appropriate', { exact: true }).waitFor();
  assertNoProblems(b.problems, 'peer, afterwards');
});

btest('when the person is on your team already, the form says so and links to the record', async () => {
  const north = await signedIn(srv.url, 'peer.north', PASSWORD);
  const person = await createPerson(north, { preferred_name: 'Glasstest Hollyhock' });
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.south');
  await main(page).getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
  // The person moves to this team while the form is open: the server
  // answers 409.
  await page.route(`**/api/v1/people/${person.id}/break-glass`, (route) => route.fulfill({
    status: 409,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'urn:alongside:problem:no-glass-to-break', title: 'You can open this record already', status: 409 }),
  }));
  await page.getByLabel('Why do you need this record now?').fill(REASON);
  await page.getByRole('button', { name: 'Open the record for this emergency' }).click();
  const alert = main(page).getByRole('alert').filter({ hasText: 'You can open this record already' });
  await alert.waitFor();
  eq(await alert.getByRole('link', { name: 'Open their record' }).getAttribute('href'), `#/people/${person.id}`, 'links to the record');
  assertNoProblems(b.problems, 'on the team already');
});

btest('an administrator is told that privacy officers review emergency access', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/break-glass`);
  await signIn(page, 'admin');
  await main(page).getByRole('heading', { level: 1, name: 'Emergency access reviews' }).waitFor();
  await main(page).getByText('Privacy officers review emergency access').waitFor();
  assertNoProblems(b.problems, 'administrator');
});
