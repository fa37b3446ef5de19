// Idle logoff in the browser, against a server started with a 20 second
// idle timeout: the warning, the sign-out that takes the record off the
// screen, typed text kept in memory for the same person only, and "Stay
// signed in".
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, assertNoProblems, PASSWORD } from './browser.mjs';

const TIMEOUT = 20;
const srv = await startServer({ args: ['--idle-timeout', String(TIMEOUT)] });
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

async function browser() {
  const b = await launch();
  browsers.push(b);
  return b;
}

const main = (page) => page.getByRole('main');
// Long enough for the warning or the sign-out to come on their own; the
// app shows them before the server's timeout, so a little over it.
const WAIT = (TIMEOUT + 10) * 1000;

async function personId(q) {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const r = await c.get(`/api/v1/people?q=${encodeURIComponent(q)}`);
  assert(r.json.items.length >= 1, `someone matches ${q}`);
  return r.json.items[0].id;
}

btest('idle: a warning, then sign-in with the record gone; the same person gets their typed text back', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/new`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Add a person' }).waitFor();
  await page.getByLabel('Preferred name').fill('Test Person Hollowmere');
  await page.getByLabel('Pronouns').fill('she/they');

  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  await dialog.waitFor({ timeout: WAIT });
  const text = await dialog.locator('#idle-text').textContent();
  assert(/^You will be signed out in \d+ seconds? because of inactivity\.$/.test(text), `warning text: ${text}`);
  assert(await dialog.getByRole('button', { name: 'Stay signed in' }).evaluate((el) => el === document.activeElement),
    'focus is on "Stay signed in"');

  // Nobody answers: signed out, nothing of the record or the form on screen.
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT });
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('You were signed out because there was no activity for a while.').waitFor();
  await page.getByText('What you typed has not been saved.').waitFor();
  eq(await page.getByText('Hollowmere').count(), 0, 'typed text not on screen');
  eq(await page.locator('#f-preferred_name').count(), 0, 'the form is gone');
  eq(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false, 'signed-out header');
  // Memory only: never web storage or cookies.
  eq(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'nothing in web storage');
  const cookies = await b.context.cookies();
  assert(!cookies.some((c) => c.value.includes('Hollowmere')), 'nothing typed in cookies');
  // The server agrees the session is over.
  eq(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401, 'session ended on the server');

  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Add a person' }).waitFor();
  eq(await page.getByLabel('Preferred name').inputValue(), 'Test Person Hollowmere', 'typed name restored');
  eq(await page.getByLabel('Pronouns').inputValue(), 'she/they', 'typed pronouns restored');
  await page.locator('#restored-notice').filter({ hasText: 'has been put back' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'put back in the form' }).waitFor();
  await page.getByRole('button', { name: 'Add person' }).click();
  await main(page).getByRole('heading', { level: 1, name: /Test Person Hollowmere/ }).waitFor();
  assertNoProblems(b.problems);
});

btest('idle: "Stay signed in" (or Escape) keeps the session', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  await page.locator('#roster-count').filter({ hasText: 'people on the roster' }).waitFor();
  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });

  await dialog.waitFor({ timeout: WAIT });
  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('status').filter({ hasText: 'You are still signed in.' }).waitFor();

  await dialog.waitFor({ timeout: WAIT });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('status').filter({ hasText: 'You are still signed in.' }).waitFor();

  // Still signed in: the roster answers a search.
  await page.getByLabel('Search by name').fill('jon');
  await page.locator('#roster-list a', { hasText: 'Jonathan Brightwater' }).waitFor();
  eq(await main(page).getByRole('heading', { name: 'Sign in' }).count(), 0, 'not signed out');
  assertNoProblems(b.problems);
});

btest('idle: keyboard and pointer activity keep the session alive, pinging at most once a third of the timeout', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  await page.locator('#roster-count').filter({ hasText: 'people on the roster' }).waitFor();
  const pings = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/me') pings.push(Date.now());
  });
  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  // Someone reading and moving around for one and a half timeouts.
  const start = Date.now();
  for (let i = 0; Date.now() - start < TIMEOUT * 1500; i++) {
    if (i % 2) await page.keyboard.press('Shift');
    else await page.mouse.move(100 + (i % 7) * 20, 300);
    eq(await dialog.isVisible(), false, 'no warning while active');
    await page.waitForTimeout(1000);
  }
  const seen = pings.splice(0);
  eq(await main(page).getByRole('heading', { name: 'Sign in' }).count(), 0, 'still signed in');
  eq(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 200, 'the server still knows the session');
  assert(seen.length >= 2, `kept alive with pings: ${seen.length}`);
  for (let i = 1; i < seen.length; i++) {
    const gap = seen[i] - seen[i - 1];
    assert(gap >= (TIMEOUT * 1000) / 3 - 250, `pings at least a third of the timeout apart: ${gap} ms`);
  }
  assertNoProblems(b.problems);
});

btest('idle: someone else signing in next gets a clean app without the typed text', async () => {
  const id = await personId('Jonathan Brightwater');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${id}/edit`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  await page.getByLabel('Legal name').fill('Zephyrine typed this');
  await page.evaluate(() => { window.beforeReload = true; });

  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT * 2 });
  await signIn(page, 'peer.north2');
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  eq(await page.evaluate(() => window.beforeReload === undefined), true, 'the app was loaded afresh');
  assert(new URL(page.url()).hash === '#/people', `starts at the roster: ${page.url()}`);
  eq(await page.getByText('Zephyrine').count(), 0, 'no trace of the typed text');
  await page.locator('#roster-count').filter({ hasText: 'people on the roster' }).waitFor();
  // The first person's draft is gone for good, even for them.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  eq(await page.getByText('Zephyrine').count(), 0, 'nothing carried over');
  assertNoProblems(b.problems);
});
