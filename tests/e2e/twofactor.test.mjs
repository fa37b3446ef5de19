// Two-step sign-in in the browser, at phone size: setting it up from the
// account page (the QR code shown, the key in groups of four, a first
// code, the recovery codes once), signing out, and signing in again with
// the password and then a code; the organisation's requirement taking an
// unenrolled person straight to the account page; an administrator's
// reset from the staff page. Codes are computed here from the key the
// page shows, as an authenticator app would.
import crypto from 'node:crypto';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, PASSWORD } from './browser.mjs';

const srv = await startServer({ people: 10 });
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 780 };
const NEWPW = 'a-long-browser-passphrase';
const main = (page) => page.getByRole('main');

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=-]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const stepNow = () => Math.floor(Date.now() / 30000);

function codeAt(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// Each step's code is good once: the next one not used yet.
async function nextCode(acct) {
  for (;;) {
    const s = Math.max(acct.last + 1, stepNow());
    if (s <= stepNow() + 1) {
      acct.last = s;
      return codeAt(acct.secret, s);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const admin = await signedIn(srv.url, 'admin', PASSWORD);

async function newAccount(username, role = 'peer') {
  const r = await admin.post('/api/v1/staff', {
    username, display_name: `Tess ${username.split('.')[1]}`, role, password: NEWPW,
    ...(role === 'peer' ? { teams: ['north'] } : {}),
  });
  eq(r.status, 201, `account ${username}: ${r.text.slice(0, 200)}`);
  return { username, id: r.json.id, secret: null, last: 0 };
}

// Touch targets at least 44px high and nothing wider than the phone.
async function phoneCheck(page, what) {
  const r = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li') && el.tagName === 'A' && !el.classList.contains('button')) continue;
      if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      if (box.right > document.documentElement.clientWidth + 0.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" sticks out`);
    }
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= PHONE.width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
}

const tess = await newAccount('tess.phone');

btest('two-step sign-in: set up from the account page with the QR code, sign out, sign in with password and code', async () => {
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people`);
  await signIn(page, tess.username, NEWPW);
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  // The name in the header leads to the account page.
  await page.locator('#account-link').click();
  await main(page).getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
  await main(page).getByText('Two-step sign-in is off for your account.').waitFor();
  await main(page).getByRole('button', { name: 'Set up two-step sign-in' }).click();

  // The QR code, drawn by the server, shown as an image that has loaded.
  const qr = main(page).getByRole('img', { name: 'QR code to scan with your authenticator app' });
  await qr.waitFor();
  const size = await qr.evaluate((img) => (img.complete ? img.naturalWidth : 0));
  assert(size > 0, 'the QR code image loaded');
  assert((await qr.getAttribute('src')).startsWith('data:image/svg+xml;base64,'), 'an SVG data URI');
  // The key, in groups of four for typing.
  const shown = (await main(page).locator('#tf-secret').textContent()).trim();
  assert(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/.test(shown), `key in groups of four: ${shown}`);
  tess.secret = shown.replace(/ /g, '');
  await phoneCheck(page, 'set-up step');
  await page.screenshot({ path: screenshotPath('twofactor-setup-phone.png'), fullPage: true });

  // A wrong code first: said plainly, next to the field.
  await page.getByLabel('Code from your authenticator app').fill('000000' === codeAt(tess.secret, stepNow()) ? '111111' : '000000');
  await main(page).getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await main(page).getByText('The code is not right').first().waitFor();
  await page.getByLabel('Code from your authenticator app').fill(await nextCode(tess));
  await main(page).getByRole('button', { name: 'Turn on two-step sign-in' }).click();

  // The recovery codes, once, with a plain warning and a print button.
  await main(page).getByRole('heading', { name: 'Two-step sign-in is on' }).waitFor();
  await main(page).getByText('Save these recovery codes now').waitFor();
  const codes = await main(page).locator('#tf-codes li').allTextContents();
  eq(codes.length, 10, 'ten recovery codes');
  assert(codes.every((c) => /^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/.test(c.trim())), `codes: ${codes[0]}`);
  await main(page).getByRole('button', { name: 'Print the codes' }).waitFor();
  await phoneCheck(page, 'recovery codes');
  await page.screenshot({ path: screenshotPath('twofactor-codes-phone.png'), fullPage: true });
  await main(page).getByRole('button', { name: 'I have saved my recovery codes' }).click();
  await main(page).getByText('Two-step sign-in is on.').waitFor();
  await main(page).getByText('You have 10 unused recovery codes.').waitFor();

  // Sign out, then in: the password, then the code.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username').fill(tess.username);
  await page.getByLabel('Password').fill(NEWPW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  const codeBox = page.getByLabel('Code from your authenticator app');
  eq(await codeBox.evaluate((el) => el === document.activeElement), true, 'focus on the code');
  eq(await codeBox.getAttribute('autocomplete'), 'one-time-code', 'autocomplete one-time-code');
  eq(await codeBox.getAttribute('inputmode'), 'numeric', 'a number pad on phones');
  eq(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false, 'not signed in yet');
  await page.screenshot({ path: screenshotPath('twofactor-signin-phone.png'), fullPage: true });
  // The recovery code is a link away, and back.
  await main(page).getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').waitFor();
  await main(page).getByRole('button', { name: 'Use the code from your authenticator app' }).click();
  await codeBox.fill(await nextCode(tess));
  await main(page).getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  assertNoProblems(b.problems);
});

btest('a recovery code signs in from the link under the code', async () => {
  const b = await browser();
  const page = await b.newPage();
  // New codes through the API, to know one.
  const s = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: tess.username, password: NEWPW }),
  }).then((r) => r.json());
  const done = await fetch(`${srv.url}/api/v1/session/second-factor`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ challenge: s.challenge, code: await nextCode(tess) }),
  });
  eq(done.status, 201, 'API sign-in');
  const cookie = /^alongside_session=[^;]*/.exec(done.headers.get('set-cookie'))[0];
  const me = await done.json();
  const codes = await fetch(`${srv.url}/api/v1/me/two-factor/recovery-codes`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': me.csrf_token },
    body: JSON.stringify({ code: await nextCode(tess) }),
  }).then((r) => r.json());
  const recovery = codes.recovery_codes[0];
  await page.goto(`${srv.url}/`);
  await page.getByLabel('Username').fill(tess.username);
  await page.getByLabel('Password').fill(NEWPW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill('zzzz-zzzz-zzzz-zzzz');
  await main(page).getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByText('That recovery code did not work').waitFor();
  await page.getByRole('textbox', { name: 'Recovery code' }).fill(recovery);
  await main(page).getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.locator('#account-link').click();
  await main(page).getByText('You have 9 unused recovery codes.').waitFor();
  assertNoProblems(b.problems);
});

btest('when the organisation requires it, an unenrolled person is taken to the account page; an administrator resets a lost phone', async () => {
  // An administrator with two-step sign-in of their own.
  const boss = await newAccount('ada.boss', 'admin');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, boss.username, NEWPW);
  await main(page).getByRole('link', { name: 'staff page' }).click();
  await main(page).getByRole('heading', { name: 'Staff accounts' }).waitFor();
  // Requiring it before having it is refused, with the way forward.
  await page.getByLabel('Require two-step sign-in for all staff').check();
  await main(page).getByRole('button', { name: 'Save' }).click();
  await main(page).getByText('Set up your own two-step sign-in first').first().waitFor();
  await main(page).getByRole('link', { name: 'your account page' }).first().click();
  await main(page).getByRole('button', { name: 'Set up two-step sign-in' }).click();
  boss.secret = (await main(page).locator('#tf-secret').textContent()).replace(/\s/g, '');
  await page.getByLabel('Code from your authenticator app').fill(await nextCode(boss));
  await main(page).getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await main(page).getByRole('button', { name: 'I have saved my recovery codes' }).click();
  await page.goto(`${srv.url}/#/staff`);
  await main(page).getByRole('heading', { name: 'Staff accounts' }).waitFor();
  await page.getByLabel('Require two-step sign-in for all staff').check();
  await main(page).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Two-step sign-in is now required for all staff.' }).waitFor();

  // Someone without it signs in and lands on the account page.
  const b2 = await browser({ viewport: PHONE });
  const p2 = await b2.newPage();
  await p2.goto(`${srv.url}/#/people`);
  await signIn(p2, 'peer.south');
  await main(p2).getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
  await main(p2).getByText('Your organisation requires two-step sign-in').waitFor();
  eq(await p2.locator('#site-nav').isVisible(), false, 'no navigation while fenced');
  // Going elsewhere brings them back.
  await p2.goto(`${srv.url}/#/groups`);
  await main(p2).getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
  assert(p2.url().endsWith('#/account'), `at the account page: ${p2.url()}`);
  await phoneCheck(p2, 'required set-up');
  await p2.screenshot({ path: screenshotPath('twofactor-required-phone.png'), fullPage: true });
  assertNoProblems(b2.problems, 'fenced page');

  // The administrator resets Tess's lost phone from the staff page.
  const item = main(page).locator('li.staff-item[data-username="tess.phone"]');
  await item.getByText('Two-step sign-in on').waitFor();
  await item.getByRole('button', { name: 'Reset two-step sign-in for Tess phone' }).click();
  await item.getByRole('button', { name: 'Reset', exact: true }).click();
  await item.getByText('Two-step sign-in off').waitFor();
  await page.getByRole('status').filter({ hasText: 'Two-step sign-in was reset for Tess phone.' }).waitFor();
  // And turns the requirement off again.
  await page.getByLabel('Require two-step sign-in for all staff').uncheck();
  await main(page).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Two-step sign-in is no longer required.' }).waitFor();
  assertNoProblems(b.problems);
});
