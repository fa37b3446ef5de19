// The person's own portal in the browser, in Chromium against the real
// server. Staff invite a person from their page (the invitation to print:
// the code in groups and the QR code, shown once). The person, on a
// phone-sized screen in a browser of their own, opens the QR code's
// address (the code filled in and taken out of the address bar), chooses
// a sign-in name and a passphrase, reads a signed note and comments on
// it (the staff note page then shows the comment), sees who their record
// was shared with, opens their crisis card and the printable copy of
// their record, and suggests a change to a draft plan, which the peer
// accepts on the plan's page. Signing out leaves nothing of the record on
// the screen or behind the back button; signing in again takes the name
// and passphrase. The portal never shows other people we support or staff
// navigation. No console or CSP errors; 48px targets; no horizontal
// scroll at 360px.
import fs from 'node:fs';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { EPISODE, allPages } from '../lib/api.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, isoDay, PASSWORD } from './browser.mjs';

const srv = await startServer({ people: 12 });
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 780 };
const NAME = 'Portaltest Juniper';
const SIGN_IN = 'juniper.k';
const PASSPHRASE = 'blue kettle morning walk';
const NOTE_WORDS = 'Walked to the library together and looked at housing listings.';
const GOAL = 'Get my own place';
const COMMENT = 'I felt more hopeful than this says.';
const RECIPIENT = 'Sunrise Housing Coalition';
const SUGGESTED = 'Get my own place near my sister';

const main = (page) => page.getByRole('main');
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

// --- set-up through the staff API ----------------------------------------

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);

function hoursAgo(n, plusMinutes = 0) {
  const t = Math.floor((Date.now() - n * 3600000) / 60000) * 60000 + plusMinutes * 60000;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

async function setUp() {
  let r = await peer.post('/api/v1/people', { preferred_name: NAME, legal_name: 'Juniper Portaltest', pronouns: 'she/her',
    date_of_birth: '1987-04-05', language: 'en', phone: '555-0142' });
  eq(r.status, 201, `person (${r.text.slice(0, 200)})`);
  const person = r.json;
  r = await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE);
  eq(r.status, 201, `enrolled (${r.text.slice(0, 200)})`);
  // A recovery plan left as a draft: its goal is linked to the note, and
  // the person suggests a change to it.
  r = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery',
    content: { goals: [{ words: GOAL, lifecycle_status: 'active' }], strengths: ['I keep showing up'] },
  });
  eq(r.status, 201, `recovery plan (${r.text.slice(0, 200)})`);
  const recovery = r.json;
  // A signed crisis plan for the crisis card.
  r = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'crisis',
    content: {
      help_from_others: { helps: ['Sit with me somewhere quiet'], does_not_help: ['Raised voices'] },
      supporters: { people: [{ name: 'Robin Ashgrove', role: 'Comes over', phone: '555-0199' }] },
    },
  });
  eq(r.status, 201, 'crisis plan');
  r = await peer.post(`/api/v1/plans/${r.json.id}/sign`, { role: 'person', typed_name: 'Juniper', confirmed: true }, ifm(1));
  eq(r.status, 200, `crisis plan signed (${r.text.slice(0, 200)})`);
  const crisis = r.json;
  // A signed note that worked on the goal.
  r = await peer.post(`/api/v1/people/${person.id}/contacts`, {
    type: 'individual',
    started_at: hoursAgo(3),
    ended_at: hoursAgo(3, 50),
    setting: 'community',
    location: 'The library',
    intervention: NOTE_WORDS,
    response: 'Picked two places to visit and felt hopeful.',
    next_steps: 'Visit on Thursday.',
    written_together: true,
    credential: 'CPRS',
    goals: [recovery.current.content.goals[0].id],
  });
  eq(r.status, 201, `contact (${r.text.slice(0, 200)})`);
  r = await peer.post(`/api/v1/contacts/${r.json.id}/sign`, {}, ifm(r.json.version));
  eq(r.status, 200, `note signed (${r.text.slice(0, 200)})`);
  const note = r.json;
  // A release of information and one disclosure under it.
  r = await peer.post(`/api/v1/people/${person.id}/consents`, {
    kind: 'release_of_information',
    person_name: 'Juniper Portaltest',
    disclosers: 'Alongside Peer Services',
    recipients: [{ name: RECIPIENT, address: '1 Example Way' }],
    information: 'My plans, for my housing application.',
    categories: ['plans', 'attendance'],
    purposes: ['referral'],
    revocation_statement: true,
    expiry_event: 'end_of_treatment',
    signer_name: 'Juniper Portaltest',
    signer_authority: 'self',
    signed_on: isoDay(0),
    conditioning_statement: true,
    redisclosure_statement: true,
  });
  eq(r.status, 201, `consent (${r.text.slice(0, 200)})`);
  r = await peer.post(`/api/v1/people/${person.id}/disclosures`,
    { recipient_name: RECIPIENT, purpose: 'referral', categories: ['plans'], method: 'export' });
  eq(r.status, 201, `disclosure (${r.text.slice(0, 200)})`);
  return { person, recovery, crisis, note };
}

const data = await setUp();
// Everyone else on the roster: none of them may appear in the portal.
const others = (await allPages(peer, '/api/v1/people')).map((p) => p.preferred_name).filter((n) => n !== NAME);
assert(others.length >= 5, 'other people on the roster');
const shared = { code: null };

// --- checks ----------------------------------------------------------------

// Nothing wider than the phone, every control a 48px target in the
// portal (44px for checkboxes, radios and plain links; links in running
// text are left out), a label for every control, no inline styles.
async function phoneCheck(page, what, { target = 47.5 } = {}) {
  const r = await page.evaluate((target) => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li, td') && el.tagName === 'A' && !el.classList.contains('button') && !el.classList.contains('portal-tile')
        && !el.closest('.portal-back')) continue; // links in running text
      const min = el.type === 'checkbox' || el.type === 'radio' || el.tagName === 'A' && !el.classList.contains('button') ? 43.5 : target;
      if (box.height < min) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      if (box.right > document.documentElement.clientWidth + 0.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" sticks out to ${box.right}px`);
    }
    const unlabelled = [];
    for (const el of document.querySelectorAll('main input, main select, main textarea')) {
      if (el.type === 'hidden') continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) unlabelled.push(el.id || el.name);
    }
    return { width: document.documentElement.scrollWidth, small, unlabelled, styled: document.querySelectorAll('[style]').length };
  }, target);
  assert(r.width <= PHONE.width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
  eq(r.unlabelled.join(', '), '', `${what}: controls without a label`);
  eq(r.styled, 0, `${what}: inline styles`);
}

// The portal is the person's alone: no staff navigation or staff words,
// nobody else's name, no stigmatising words.
async function portalCheck(page, what) {
  const text = await page.evaluate(() => document.body.innerText);
  for (const n of others) assert(!text.includes(n), `${what}: another person's name (${n}) on screen`);
  for (const w of ['Team roster', 'Add a person', 'Documentation due', 'Groups', 'Supervis', 'Co-sign', 'Billing', 'H0038', 'Safety concern']) {
    assert(!text.includes(w), `${what}: staff words "${w}" on screen`);
  }
  assert(!/\b(null|undefined|NaN)\b/.test(text), `${what}: "null", "undefined" or "NaN" on screen`);
  const hit = /\b(clients?|patients?|non-compliant|addicts?|caseload)\b/i.exec(text);
  assert(!hit, `${what}: "${hit && hit[0]}" on screen`);
  eq(await page.locator('#site-nav, #nav-roster, #account').count(), 0, `${what}: no staff navigation`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert(await page.getByRole('button', { name: 'Sign out' }).isVisible(), `${what}: "Sign out" in sight`);
}

async function shot(page, name) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

// --- tests -------------------------------------------------------------------

btest('staff invite the person from their page; the invitation shows the code in groups and the QR code, once', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${data.person.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: NAME }).waitFor();
  const card = main(page).getByRole('region', { name: 'Portal', exact: true });
  await card.getByText('Not invited yet.').waitFor();
  await card.screenshot({ path: screenshotPath('portal-staff-card-none.png') });
  assert(!/\bnull\b/.test(await card.innerText()), 'no "null" in the card');
  await card.getByRole('button', { name: 'Invite to the portal' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Your invitation to see your record' }).waitFor();
  assert(page.url().endsWith(`#/people/${data.person.id}/portal-invitation`), `the invitation page (${page.url()})`);
  const code = (await page.locator('#invite-code').innerText()).replace(/\s+/g, '');
  assert(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code), `the code in groups (${code})`);
  eq(await page.locator('#invite-code .invite-code__group').count(), 3, 'three groups');
  const qr = main(page).getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  assert((await qr.getAttribute('src')).startsWith('data:image/svg+xml;base64,'), 'an SVG data URI');
  assert(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code loaded');
  await main(page).getByText(/Open the camera on your phone/).waitFor();
  await main(page).getByText(/Choose a sign-in name and a passphrase/).waitFor();
  await main(page).getByText(/It works until/).waitFor();
  await main(page).getByRole('button', { name: 'Print the invitation' }).waitFor();
  await shot(page, 'portal-invitation.png');
  // On paper: the invitation alone, with the address to type.
  await page.emulateMedia({ media: 'print' });
  eq(await page.locator('#invite-once').isVisible(), false, 'the note to staff stays off the paper');
  await main(page).getByText(`${srv.url}/portal`, { exact: true }).first().waitFor();
  await shot(page, 'portal-invitation-print.png');
  await page.emulateMedia({ media: 'screen' });
  shared.code = code;
  // Shown once: opened again, it says to issue a new one.
  await page.reload();
  await main(page).getByRole('heading', { level: 1, name: 'Portal invitation' }).waitFor();
  await main(page).getByText(/shown once, straight after it is made/).waitFor();
  assert(!(await page.evaluate(() => document.body.innerText)).includes(code), 'the code is gone');
  // The card says they are invited, and offers a new invitation instead.
  await main(page).getByRole('link', { name: `Back to ${NAME}` }).click();
  await card.getByText(/^Invited .* The invitation works until/).waitFor();
  await card.getByRole('button', { name: 'Issue a new invitation' }).waitFor();
  assertNoProblems(b.problems, 'staff invitation');
});

btest('on a phone: the person opens the QR code\u2019s address, activates, reads a note and comments, sees who their record was shared with, the crisis card and the printable record', async () => {
  assert(shared.code, 'an invitation from the test before');
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  // The portal asks only the portal's routes.
  const asked = new Set();
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname.startsWith('/api/')) asked.add(u.pathname);
  });
  await page.goto(`${srv.url}/portal.html#code=${shared.code}`);
  await main(page).getByRole('heading', { level: 1, name: 'Start using your record' }).waitFor();
  // The code is filled in and out of the address bar.
  eq(await page.getByLabel('Invitation code').inputValue(), shared.code, 'the code from the QR code');
  assert(!page.url().includes(shared.code), `the code is not in the address (${page.url()})`);
  assert(page.url().endsWith('/portal.html#/activate'), `address ${page.url()}`);
  await phoneCheck(page, 'activate');
  await shot(page, 'portal-activate-phone.png');
  await page.getByLabel('Choose a sign-in name').fill(SIGN_IN);
  await page.getByLabel('Choose a passphrase').fill(PASSPHRASE);
  await page.getByLabel('Type the passphrase again').fill(`${PASSPHRASE}!`);
  await page.getByRole('button', { name: 'Start' }).click();
  await main(page).getByText('Check what you typed').waitFor();
  await page.locator('#ac-pass2-error').getByText('is not the same as the first one').waitFor();
  await page.getByLabel('Type the passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Start' }).click();

  // Home: their name, big links, "Sign out" in sight, nobody else.
  await main(page).getByRole('heading', { level: 1, name: `Hello, ${NAME}` }).waitFor();
  const links = main(page).getByRole('list', { name: 'Parts of your record' });
  for (const name of ['Your plans', 'Your crisis card', 'Notes from your peer specialist', 'Who your record was shared with', 'Download your record']) {
    await links.getByRole('link', { name: new RegExp(`^${name}`) }).waitFor();
  }
  await portalCheck(page, 'home');
  await phoneCheck(page, 'home');
  await shot(page, 'portal-home-phone.png');

  // A note, its words and the goal it worked on, in their words.
  await links.getByRole('link', { name: /^Notes from your peer specialist/ }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Notes from your peer specialist' }).waitFor();
  await main(page).getByRole('link', { name: /Individual/ }).first().click();
  await main(page).getByRole('heading', { level: 1, name: /^Note from / }).waitFor();
  await main(page).getByText(NOTE_WORDS).waitFor();
  await main(page).getByRole('region', { name: 'Goals from your plan we worked on' }).getByText(GOAL).waitFor();
  await main(page).getByText('Yes, we wrote this note together.').waitFor();
  await portalCheck(page, 'note');
  await phoneCheck(page, 'note');
  await shot(page, 'portal-note-phone.png');
  // Nothing typed: said plainly, beside the box.
  await page.getByRole('button', { name: 'Send' }).click();
  await main(page).getByText('Nothing to send yet').waitFor();
  await page.getByLabel('Your comment (optional)').fill(COMMENT);
  await page.getByLabel('I have read this note').check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('status').filter({ hasText: 'Your comment was sent.' }).waitFor();
  const comments = main(page).getByRole('region', { name: 'Comments' });
  await comments.getByText(COMMENT).waitFor();
  await comments.getByText(/^You wrote this here, /).waitFor();
  await comments.getByText('Read', { exact: true }).waitFor();
  eq(await page.getByLabel('Your comment (optional)').inputValue(), '', 'the box is empty again');
  await shot(page, 'portal-note-commented-phone.png');

  // The staff note page shows it.
  const staff = await browser();
  const sp = await staff.newPage();
  await sp.goto(`${srv.url}/#/contacts/${data.note.id}`);
  await signIn(sp, 'peer.north');
  const theirs = main(sp).getByRole('region', { name: 'The person\u2019s comments' });
  await theirs.getByText(COMMENT).waitFor();
  await theirs.getByText('Read and acknowledged').waitFor();
  await theirs.getByText(new RegExp(`^${NAME}, `)).waitFor();
  // Staff see where it came from.
  await theirs.getByText(/from their own portal/).waitFor();
  assertNoProblems(staff.problems, 'staff note page');

  // Who their record was shared with: the disclosure, in either window.
  await page.getByRole('link', { name: 'Notes from your peer specialist' }).click();
  await page.getByRole('link', { name: 'Your record' }).click();
  await links.getByRole('link', { name: /^Who your record was shared with/ }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Who your record was shared with' }).waitFor();
  await main(page).getByText(/^1 time from /).waitFor();
  const row = main(page).getByRole('row').filter({ hasText: RECIPIENT });
  await row.waitFor();
  await row.getByText('A referral to a service').waitFor();
  await row.getByText('Your consent: your release of information').waitFor();
  await page.getByRole('radio', { name: 'The last 3 years' }).check();
  await main(page).getByRole('button', { name: 'Show' }).click();
  await main(page).getByText(/^1 time from /).waitFor();
  await portalCheck(page, 'accounting');
  await phoneCheck(page, 'accounting');
  await shot(page, 'portal-accounting-phone.png');
  await page.emulateMedia({ media: 'print' });
  eq(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false, 'no buttons on paper');
  await shot(page, 'portal-accounting-print.png');
  await page.emulateMedia({ media: 'screen' });

  // The crisis card.
  await page.getByRole('link', { name: 'Your record' }).click();
  await links.getByRole('link', { name: /^Your crisis card/ }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Crisis card' }).waitFor();
  await main(page).getByText('Sit with me somewhere quiet').waitFor();
  await main(page).getByRole('link', { name: '555-0199' }).waitFor();
  await main(page).getByText(/^From your crisis plan, signed /).waitFor();
  await phoneCheck(page, 'crisis card');
  await shot(page, 'portal-card-phone.png');

  // Download: a file, and pages to print made from the same JSON.
  await page.goto(`${srv.url}/portal.html#/record`);
  await main(page).getByRole('heading', { level: 1, name: 'Download your record' }).waitFor();
  eq(await page.locator('#dl-json').getAttribute('href'), '/api/v1/portal/record', 'the file');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-json').click()]);
  const saved = await download.path();
  const rec = JSON.parse(fs.readFileSync(saved, 'utf8'));
  eq(rec.person.preferred_name, NAME, 'the downloaded record is theirs');
  assert(rec.notes.some((n) => n.intervention === NOTE_WORDS), 'with the note');
  assert(rec.disclosures.some((d) => d.recipient_name === RECIPIENT), 'and the disclosure');
  await phoneCheck(page, 'download');
  await page.getByRole('link', { name: 'Printable copy' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Your record' }).waitFor();
  await main(page).getByText(NOTE_WORDS).waitFor();
  await main(page).getByText(COMMENT, { exact: false }).waitFor();
  await main(page).getByText(RECIPIENT).first().waitFor();
  await main(page).getByText('Juniper Portaltest').waitFor();
  await main(page).getByRole('button', { name: 'Print' }).waitFor();
  await portalCheck(page, 'printable record');
  await phoneCheck(page, 'printable record');
  await shot(page, 'portal-record-phone.png');
  const staffRoutes = [...asked].filter((p) => !p.startsWith('/api/v1/portal/'));
  eq(staffRoutes.join(', '), '', 'no staff route asked from the portal');
  assert(asked.has('/api/v1/portal/plan-kinds') && asked.has('/api/v1/portal/notes'), `portal routes asked (${[...asked].join(', ')})`);
  assertNoProblems(b.problems, 'portal');
});

btest('on a phone: the person suggests a change to the draft plan; the peer accepts it with them on the plan page and the draft holds it', async () => {
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/portal`);
  await main(page).getByRole('heading', { level: 1, name: 'Sign in to your record' }).waitFor();
  await page.getByLabel('Sign-in name').fill(SIGN_IN);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByRole('heading', { level: 1, name: `Hello, ${NAME}` }).waitFor();
  await main(page).getByRole('link', { name: /^Your plans/ }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Your plans' }).waitFor();
  await main(page).getByRole('link', { name: /^Recovery and wellness plan/ }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  const draft = main(page).getByRole('region', { name: 'Your plan, being written' });
  await draft.getByText(GOAL).waitFor();
  await draft.getByText('in your words').first().waitFor();
  await portalCheck(page, 'plan');
  await phoneCheck(page, 'plan');
  await draft.getByRole('button', { name: 'Suggest changes' }).click();
  await main(page).getByRole('heading', { name: 'Suggest changes' }).waitFor();
  const goal = main(page).getByRole('group', { name: /\(1\)$/ }).getByRole('textbox').first();
  eq(await goal.inputValue(), GOAL, 'the draft\u2019s words to start from');
  await goal.fill(SUGGESTED);
  await page.getByLabel('A note for your peer specialist (optional)').fill('My sister lives on the east side.');
  // No language coach here: the person's words are theirs.
  eq(await page.locator('.coach').count(), 0, 'no language coach');
  await phoneCheck(page, 'suggest changes');
  await shot(page, 'portal-suggest-phone.png');
  await page.getByRole('button', { name: 'Send my suggestion' }).click();
  await page.getByRole('status').filter({ hasText: 'Your suggestion was sent.' }).waitFor();
  const mine = main(page).getByRole('region', { name: 'Your suggestions' });
  await mine.getByText('Waiting for your peer specialist').waitFor();
  await mine.getByText('My sister lives on the east side.').waitFor();
  await shot(page, 'portal-suggested-phone.png');

  // The peer goes through it on the plan page and accepts it with them.
  const staff = await browser();
  const sp = await staff.newPage();
  await sp.goto(`${srv.url}/#/plans/${data.recovery.id}`);
  await signIn(sp, 'peer.north');
  const box = main(sp).getByRole('region', { name: `Suggestions from ${NAME}` });
  await box.getByText('My sister lives on the east side.').waitFor();
  await box.locator('ins', { hasText: 'near my sister' }).waitFor();
  await box.screenshot({ path: screenshotPath('portal-staff-suggestion.png') });
  assert(!/\bnull\b/.test(await box.innerText()), 'no "null" in the suggestions');
  await box.getByRole('button', { name: 'Accept with them' }).click();
  await sp.getByRole('status').filter({ hasText: `The suggestion from ${NAME} is in the draft now.` }).waitFor();
  const plan = (await peer.get(`/api/v1/plans/${data.recovery.id}`)).json;
  eq(plan.current.content.goals[0].words, SUGGESTED, 'the draft holds the suggestion');
  eq(await sp.locator('.plan-form').getByRole('textbox').filter({ hasText: '' }).evaluateAll(
    (els, w) => els.some((e) => e.value === w), SUGGESTED), true, 'the plan form shows it');
  await box.getByText('No suggestions are waiting.').waitFor();
  await box.getByText('Earlier suggestions (1)').waitFor();
  assertNoProblems(staff.problems, 'staff plan page');

  // The person sees the answer.
  await page.reload();
  await mine.getByText('Added to the draft').waitFor();
  await main(page).getByRole('region', { name: 'Your plan, being written' }).getByText(SUGGESTED).waitFor();
  assertNoProblems(b.problems, 'portal plan');
});

btest('on a phone: signing out takes the record off the screen and out of the back button; signing in again takes the name and passphrase', async () => {
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/portal.html`);
  await page.getByLabel('Sign-in name').fill(SIGN_IN);
  // A wrong passphrase first.
  await page.getByLabel('Passphrase').fill('not the right passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByText('That did not match').waitFor();
  eq(await page.getByLabel('Passphrase').inputValue(), '', 'the passphrase box is emptied');
  await phoneCheck(page, 'sign in, wrong passphrase');
  await shot(page, 'portal-signin-wrong-phone.png');
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByRole('heading', { level: 1, name: `Hello, ${NAME}` }).waitFor();
  await main(page).getByRole('link', { name: /^Notes from your peer specialist/ }).click();
  await main(page).getByRole('link', { name: /Individual/ }).first().click();
  await main(page).getByText(NOTE_WORDS).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Sign in to your record' }).waitFor();
  await main(page).getByText('You have signed out. Nothing from your record is left on this screen.').waitFor();
  const gone = async (what) => {
    const text = await page.evaluate(() => document.body.innerText);
    for (const w of [NOTE_WORDS, NAME, COMMENT, GOAL]) assert(!text.includes(w), `${what}: "${w}" still on screen`);
    assert(!(await page.getByRole('button', { name: 'Sign out' }).isVisible()), `${what}: no "Sign out" when signed out`);
  };
  await gone('after signing out');
  await shot(page, 'portal-signed-out-phone.png');
  // The back button brings back nothing of the record.
  // (Back from the note's address to the list's, then to home's: the
  // entries before the sign-out.)
  for (let i = 0; i < 2; i++) {
    await page.goBack().catch(() => {});
    await main(page).getByRole('heading', { level: 1, name: 'Sign in to your record' }).waitFor();
    await gone(`after going back ${i + 1}`);
  }
  // The server forgot the session too.
  const me = await page.evaluate(async () => (await fetch('/api/v1/portal/me')).status);
  eq(me, 401, 'signed out on the server');

  // In again with the name and passphrase.
  await page.getByLabel('Sign-in name').fill(SIGN_IN.toUpperCase());
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByRole('heading', { level: 1, name: `Hello, ${NAME}` }).waitFor();
  await portalCheck(page, 'home again');
  assertNoProblems(b.problems, 'sign out and in');
});

btest('staff end portal access (after a question) and issue a new invitation; the old passphrase stops working', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${data.person.id}`);
  await signIn(page, 'peer.north');
  const card = main(page).getByRole('region', { name: 'Portal', exact: true });
  await card.getByText(/^Using the portal since .*; signed in last /).waitFor();
  await card.getByText(`Their sign-in name: ${SIGN_IN}`).waitFor();
  await card.screenshot({ path: screenshotPath('portal-staff-card-active.png') });
  assert(!/\bnull\b/.test(await card.innerText()), 'no "null" in the card');
  await card.getByRole('button', { name: 'End portal access' }).click();
  const dialog = page.getByRole('dialog', { name: 'End portal access?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await card.getByText(/^Using the portal since/).waitFor();
  await card.getByRole('button', { name: 'End portal access' }).click();
  await dialog.getByRole('button', { name: 'End portal access' }).click();
  await card.getByText(/^Portal access ended /).waitFor();
  await page.getByRole('status').filter({ hasText: 'Portal access ended.' }).waitFor();
  const person = await browser({ viewport: PHONE });
  const pp = await person.newPage();
  await pp.goto(`${srv.url}/portal.html`);
  await pp.getByLabel('Sign-in name').fill(SIGN_IN);
  await pp.getByLabel('Passphrase').fill(PASSPHRASE);
  await pp.getByRole('button', { name: 'Sign in' }).click();
  await main(pp).getByText('That did not match').waitFor();
  // Invited again: a fresh code.
  await card.getByRole('button', { name: 'Invite to the portal' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Your invitation to see your record' }).waitFor();
  const code = (await page.locator('#invite-code').innerText()).replace(/\s+/g, '');
  assert(code !== shared.code, 'a new code');
  assertNoProblems(b.problems, 'staff end and invite');
  assertNoProblems(person.problems, 'portal after access ended');
});

// The person's side through the API: their own cookie and CSRF token.
async function portalClient(base, signInName) {
  const r = await fetch(`${base}/api/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sign_in_name: signInName, passphrase: PASSPHRASE }),
  });
  eq(r.status, 201, 'portal sign-in through the API');
  const cookie = /^(alongside_portal=[^;]*)/.exec(r.headers.get('set-cookie'))[1];
  const { csrf_token: csrf } = await r.json();
  return async (method, path, body, headers = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  };
}

btest('a suggestion made on an older draft cannot go in as it is: the peer is told so and declines it, with a reason the person sees', async () => {
  // A fresh sign-in for the person (the last test ended their access and
  // invited them again): activate the new invitation through the API.
  const inv = await peer.post(`/api/v1/people/${data.person.id}/portal/invitation`);
  eq(inv.status, 201, 'invited again');
  const act = await fetch(`${srv.url}/api/v1/portal/activate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: inv.json.code, sign_in_name: 'juniper.again', passphrase: PASSPHRASE }),
  });
  eq(act.status, 201, `activated again (${(await act.text()).slice(0, 200)})`);
  const person = await portalClient(srv.url, 'juniper.again');
  let plan = await person('GET', `/api/v1/portal/plans/${data.recovery.id}`);
  eq(plan.status, 200, 'the plan');
  const content = JSON.parse(JSON.stringify(plan.json.current.content));
  content.strengths = [...(content.strengths || []), 'I ask for help'];
  const made = await person('POST', `/api/v1/portal/plans/${data.recovery.id}/proposals`,
    { content, note: 'Can we add this one?' }, { 'If-Match': `"${plan.json.version}"` });
  eq(made.status, 201, `suggested (${made.text.slice(0, 200)})`);
  // The peer changes the draft meanwhile.
  const staffPlan = (await peer.get(`/api/v1/plans/${data.recovery.id}`)).json;
  const changed = await peer.patch(`/api/v1/plans/${data.recovery.id}`,
    { content: { ...staffPlan.current.content, notes: 'Talked about the east side.' } }, ifm(staffPlan.version));
  eq(changed.status, 200, `the draft changed (${changed.text.slice(0, 200)})`);

  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/plans/${data.recovery.id}`);
  await signIn(page, 'peer.north');
  const box = main(page).getByRole('region', { name: `Suggestions from ${NAME}` });
  await box.getByText('Can we add this one?').waitFor();
  await box.locator('ins', { hasText: 'I ask for help' }).waitFor();
  await box.getByRole('button', { name: 'Accept with them' }).click();
  await box.getByText('The draft has changed since this suggestion').waitFor();
  eq(await box.getByRole('button', { name: 'Accept with them' }).isDisabled(), true, 'no accepting it as it is');
  await box.getByRole('button', { name: 'Decline' }).click();
  await box.getByLabel('Why not (optional)').fill('We wrote it in together by hand instead.');
  // Staff pages keep the app's 44px targets.
  await phoneCheck(page, 'declining a suggestion (staff, phone)', { target: 43.5 });
  await box.getByRole('button', { name: 'Decline the suggestion' }).click();
  await page.getByRole('status').filter({ hasText: 'The suggestion is declined.' }).waitFor();
  await box.getByText('No suggestions are waiting.').waitFor();
  await box.getByText('Earlier suggestions (2)').click();
  await box.getByText('We wrote it in together by hand instead.').waitFor();
  await box.screenshot({ path: screenshotPath('portal-staff-suggestions-done-phone.png') });
  plan = await person('GET', `/api/v1/portal/plans/${data.recovery.id}`);
  const answered = plan.json.proposals.find((p) => p.id === made.json.id);
  eq(answered.status, 'declined', 'declined');
  eq(answered.reason, 'We wrote it in together by hand instead.', 'with the reason');
  assertNoProblems(b.problems, 'staff decline');
});

// --- short sessions, on servers of their own ----------------------------------

// A person on server s with portal access: invited and activated through
// the API (the browser then signs in with the name and passphrase).
async function portalPerson(s, signInName) {
  const staff = await signedIn(s.url, 'peer.north', PASSWORD);
  const r = await staff.post('/api/v1/people', { preferred_name: NAME, legal_name: 'Juniper Portaltest', pronouns: 'she/her' });
  eq(r.status, 201, 'person');
  const inv = await staff.post(`/api/v1/people/${r.json.id}/portal/invitation`);
  eq(inv.status, 201, 'invited');
  const act = await fetch(`${s.url}/api/v1/portal/activate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: inv.json.code, sign_in_name: signInName, passphrase: PASSPHRASE }),
  });
  eq(act.status, 201, 'activated');
}

async function portalSignIn(page, s, signInName) {
  await page.goto(`${s.url}/portal`);
  await page.getByLabel('Sign-in name').fill(signInName);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await main(page).getByRole('heading', { level: 1, name: `Hello, ${NAME}` }).waitFor();
}

const IDLE = 20;
const idleSrv = await startServer({ people: 3, args: ['--portal-idle-timeout', String(IDLE)] });
const LIFE = 60;
const lifeSrv = await startServer({ people: 3, args: ['--portal-session-lifetime', String(LIFE)] });
after(async () => {
  await idleSrv.stop();
  await lifeSrv.stop();
});

btest('on a phone: left idle, the portal warns, "Stay signed in" keeps the session, then it signs out and the record is gone', async () => {
  await portalPerson(idleSrv, 'idle.person');
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await portalSignIn(page, idleSrv, 'idle.person');
  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  await dialog.waitFor({ timeout: (IDLE + 5) * 1000 });
  await dialog.getByText(/you will be signed out in \d+ seconds?/).waitFor();
  await page.screenshot({ path: screenshotPath('portal-idle-warning-phone.png') });
  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await main(page).getByRole('heading', { level: 1, name: `Hello, ${NAME}` }).waitFor();
  // Then nobody touches it.
  await main(page).getByText('You were signed out because nothing happened for a while.', { exact: false })
    .waitFor({ timeout: (IDLE + 10) * 1000 });
  await main(page).getByRole('heading', { level: 1, name: 'Sign in to your record' }).waitFor();
  assert(!(await page.evaluate(() => document.body.innerText)).includes(NAME), 'their name is off the screen');
  eq(await page.evaluate(async () => (await fetch('/api/v1/portal/me')).status), 401, 'the server forgot the session');
  await page.screenshot({ path: screenshotPath('portal-idle-signed-out-phone.png') });
  assertNoProblems(b.problems, 'portal idle');
});

btest('on a phone: the session ends at its lifetime however busy the person is, with a warning first', async () => {
  await portalPerson(lifeSrv, 'life.person');
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await portalSignIn(page, lifeSrv, 'life.person');
  // The lifetime is a minute: the warning comes at once.
  const dialog = page.getByRole('dialog', { name: 'Your time is nearly up' });
  await dialog.waitFor();
  await dialog.getByText(/You will be signed out in about \d+ seconds/).waitFor();
  eq(await dialog.getByRole('button', { name: 'Stay signed in' }).isVisible(), false, 'no staying past the end');
  await dialog.getByRole('button', { name: 'Sign out now' }).waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // Busy: reading notes while the minute runs out.
  for (let i = 0; i < 6; i++) {
    await page.goto(`${lifeSrv.url}/portal.html#/notes`).catch(() => {});
    await page.waitForTimeout(8000);
    if (await main(page).getByRole('heading', { level: 1, name: 'Sign in to your record' }).isVisible()) break;
  }
  await main(page).getByText('Your time signed in is up', { exact: false }).waitFor({ timeout: (LIFE + 10) * 1000 });
  eq(await page.evaluate(async () => (await fetch('/api/v1/portal/me')).status), 401, 'the server ended the session');
  assertNoProblems(b.problems, 'portal lifetime');
});
