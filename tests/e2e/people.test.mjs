// Browser flows for the people we support, in Chromium against the real
// server: sign in, add, search, open, enroll, discharge, sign out; field
// errors from the server; keyboard use; a stale save; team boundaries;
// roles without a roster; a phone-sized screen; console and CSP hygiene.
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

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

async function api(user = 'peer.north') {
  return signedIn(srv.url, user, PASSWORD);
}

// The id of the first person on user's roster whose name matches q.
async function personId(q, user = 'peer.north') {
  const c = await api(user);
  const r = await c.get(`/api/v1/people?q=${encodeURIComponent(q)}`);
  eq(r.status, 200, 'roster search status');
  assert(r.json.items.length >= 1, `someone matches ${q}`);
  return r.json.items[0].id;
}

const main = (page) => page.getByRole('main');

btest('a peer adds a person, finds them by search, enrolls and discharges them, then signs out', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  await page.locator('#roster-count').filter({ hasText: '20 people on the roster.' }).waitFor();
  await page.screenshot({ path: screenshotPath('roster-desktop.png'), fullPage: true });

  // Add a person with an emergency contact.
  await main(page).getByRole('link', { name: 'Add a person' }).click();
  await main(page).getByRole('heading', { name: 'Add a person' }).waitFor();
  await page.getByLabel('Preferred name').fill('Test Person Quillfeather');
  await page.getByLabel('Pronouns').fill('they/them');
  await page.getByLabel('Date of birth').fill('1990-04-12');
  await page.locator('#f-phone').fill('555-0123');
  await page.getByLabel('Preferred language').selectOption('es');
  await page.getByRole('button', { name: 'Add a contact' }).click();
  const row = page.getByRole('group', { name: 'Contact 1' });
  await row.getByLabel('Kind of contact').selectOption('emergency_contact');
  await row.getByLabel('Name').fill('Marta Quillfeather');
  await row.getByLabel('Relationship').fill('sister');
  await row.getByLabel('Phone').fill('555-0188');
  await page.getByRole('button', { name: 'Add person' }).click();

  await main(page).getByRole('heading', { level: 1, name: /Test Person Quillfeather/ }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Person added to the roster.' }).waitFor();
  const url = new URL(page.url());
  assert(/^#\/people\/[0-9a-f-]{36}$/.test(url.hash), `person address holds only an id: ${url.hash}`);
  const personHash = url.hash;
  eq(await main(page).locator('.person-head .badge').textContent(), 'Outreach', 'new people start in outreach');

  // Find them through the roster search; the search stays out of the address.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Team roster' }).click();
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  await page.getByLabel('Search by name').fill('quill');
  const results = page.locator('#roster-list .roster-item');
  await page.locator('#roster-count').filter({ hasText: '1 person matches the search.' }).waitFor();
  eq(await results.count(), 1, 'one result');
  eq(await results.first().locator('a').textContent(), 'Test Person Quillfeather', 'the result');
  assert(!page.url().toLowerCase().includes('quill'), `search text stays out of the address: ${page.url()}`);
  assert(!(await page.title()).toLowerCase().includes('quill'), 'search text stays out of the title');

  // Their page shows profile and contacts.
  await results.first().getByRole('link').click();
  await main(page).getByRole('heading', { level: 1, name: /Test Person Quillfeather/ }).waitFor();
  assert(!(await page.title()).includes('Quillfeather'), 'names stay out of the title (and so the history)');
  const profile = main(page).getByRole('region', { name: 'Profile' });
  await profile.getByText('12 April 1990').waitFor();
  await profile.getByText('Spanish (español)').waitFor();
  await profile.getByText('Jordan Lee').waitFor();
  const around = main(page).getByRole('region', { name: 'People around them' });
  await around.getByText('Marta Quillfeather').waitFor();
  await around.getByRole('link', { name: '555-0188' }).waitFor();

  // Enroll.
  const today = isoDay(0);
  await main(page).getByRole('link', { name: 'Enroll' }).click();
  await main(page).getByRole('heading', { name: 'Enroll in peer services' }).waitFor();
  await page.getByLabel('Date they agreed to peer services').fill(today);
  await page.getByLabel('Agreement witnessed by').fill('Jordan Lee');
  await page.getByLabel('Intake date').fill(today);
  await page.getByLabel('Referred by').selectOption('self');
  await page.getByRole('button', { name: 'Enroll' }).click();
  await main(page).getByRole('heading', { level: 3, name: `Enrolled since ${plainDate(today)}` }).waitFor();
  eq(await main(page).locator('.person-head .badge').textContent(), 'Active', 'enrolled people are active');

  // Discharge; the follow-up due date shows prominently.
  await main(page).getByRole('link', { name: 'Discharge' }).click();
  await main(page).getByRole('heading', { name: 'Discharge from peer services' }).waitFor();
  await page.getByLabel('Discharge date').fill(today);
  const due = plainDate(isoDay(30));
  await page.locator('#follow-up-preview').filter({ hasText: due }).waitFor();
  await page.getByLabel('Reason').selectOption('goals_reached');
  await page.getByLabel('Exit strategy they chose').selectOption('community_supports');
  await page.getByRole('button', { name: 'Discharge' }).click();
  const big = main(page).locator('.follow-up--big');
  await big.waitFor();
  assert((await big.textContent()).includes(`Face-to-face follow-up due${due}`), `follow-up due ${due} shown: ${await big.textContent()}`);
  await page.getByRole('status').filter({ hasText: `follow-up is due on ${due}` }).waitFor();
  eq(await main(page).locator('.person-head .badge').textContent(), 'Discharged', 'status after discharge');
  await main(page).getByRole('heading', { level: 3, name: `Enrollment from ${plainDate(today)} to ${plainDate(today)}` }).waitFor();

  await page.screenshot({ path: screenshotPath('person-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('person-phone.png'), fullPage: true });
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Team roster' }).click();
  await page.locator('#roster-count').filter({ hasText: '1 person matches the search.' }).waitFor();
  eq(await page.getByLabel('Search by name').inputValue(), 'quill', 'the search is remembered in memory');
  await page.getByRole('button', { name: 'Clear search' }).click();
  await page.locator('#roster-count').filter({ hasText: '21 people on the roster.' }).waitFor();
  await page.screenshot({ path: screenshotPath('roster-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  // Sign out: back at sign-in, and a record needs sign-in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('You have signed out.').waitFor();
  eq(await page.getByText('Test Person Quillfeather').count(), 0, 'no record on screen after sign-out');
  await page.goBack();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  eq(await page.getByText('Quillfeather').count(), 0, 'going back shows no record');
  await page.goto(`${srv.url}/${personHash}`);
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  eq(await page.getByText('Quillfeather').count(), 0, 'opening the record asks for sign-in');
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: /Test Person Quillfeather/ }).waitFor();
  assertNoProblems(b.problems);
});

btest('validation errors from the server show next to the field they name, with a summary', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/new`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Add a person' }).waitFor();
  await page.getByLabel('Preferred name').fill('Test Person Brambleton');
  await page.getByLabel('Date of birth').fill(isoDay(3));
  await page.locator('#f-phone').fill('call me');
  await page.getByRole('button', { name: 'Add a contact' }).click();
  const row = page.getByRole('group', { name: 'Contact 1' });
  await row.getByLabel('Kind of contact').selectOption('emergency_contact');
  await row.getByLabel('Name').fill('Ada Brambleton');
  await page.getByRole('button', { name: 'Add person' }).click();

  const summary = page.locator('.error-summary');
  await summary.waitFor();
  eq(await summary.getAttribute('role'), 'alert', 'summary is announced');
  assert(await summary.evaluate((el) => el === document.activeElement), 'focus moves to the summary');

  async function fieldError(control, text) {
    await page.waitForFunction(([sel, t]) => {
      const c = document.querySelector(sel);
      const ids = (c.getAttribute('aria-describedby') || '').split(' ');
      const err = ids.map((i) => document.getElementById(i)).find((e) => e && e.classList.contains('field__error'));
      return c.getAttribute('aria-invalid') === 'true' && err && !err.hidden && err.textContent.includes(t)
        && c.closest('.field').contains(err);
    }, [control, text]);
  }
  await fieldError('#f-date_of_birth', 'Date of birth must not be in the future');
  await fieldError('#f-phone', 'Phone must be a telephone number');
  const contactPhone = await row.getByLabel('Phone').getAttribute('id');
  await fieldError(`#${contactPhone}`, 'is required');
  eq(await page.locator('#f-preferred_name').getAttribute('aria-invalid'), null, 'a good field is not marked');

  // The summary links to the fields.
  await summary.getByRole('link', { name: /^Phone must be a telephone number/ }).click();
  assert(await page.locator('#f-phone').evaluate((el) => el === document.activeElement), 'summary link focuses the field');
  assert(page.url().endsWith('#/people/new'), `still on the form: ${page.url()}`);

  // Fixing them saves, and the errors go.
  await page.getByLabel('Date of birth').fill('1985-02-01');
  await page.locator('#f-phone').fill('555-0142');
  await row.getByLabel('Phone').fill('555-0143');
  await page.getByRole('button', { name: 'Add person' }).click();
  await main(page).getByRole('heading', { level: 1, name: /Test Person Brambleton/ }).waitFor();
  eq(await page.locator('[aria-invalid="true"]').count(), 0, 'no field marked invalid');

  // Episode forms show errors the same way.
  await main(page).getByRole('link', { name: 'Enroll' }).click();
  await page.getByLabel('Date they agreed to peer services').fill(isoDay(2));
  await page.getByRole('button', { name: 'Enroll' }).click();
  await fieldError('#f-agreement_witness', 'Agreement witnessed by is required');
  await fieldError('#f-referral_source', 'Referred by is required');
  await page.getByLabel('Agreement witnessed by').fill('Jordan Lee');
  await page.getByLabel('Intake date').fill(isoDay(0));
  await page.getByLabel('Referred by').selectOption('family_or_friend');
  await page.getByRole('button', { name: 'Enroll' }).click();
  await fieldError('#f-agreement_date', 'Date they agreed to peer services must not be in the future');
  eq(await page.locator('#f-agreement_witness').getAttribute('aria-invalid'), null, 'fixed field no longer marked');
  assertNoProblems(b.problems);
});

btest('keyboard alone: sign in, find a person, open their page; Escape closes a dialog', async () => {
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return { id: el.id, tag: el.tagName, text: (el.textContent || '').trim(), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
  });
  // The form starts at the username; before it come the skip link and the
  // home link, in that order.
  let f = await focused();
  eq(f.id, 'signin-username', 'focus starts at the username');
  await page.keyboard.press('Shift+Tab');
  eq((await focused()).text, 'Alongside', 'before it, the home link');
  await page.keyboard.press('Shift+Tab');
  f = await focused();
  eq(f.text, 'Skip to main content', 'first, the skip link');
  assert(f.outline !== 'none' && f.width >= 2, `skip link has a visible focus ring: ${JSON.stringify(f)}`);
  assert(await page.locator('#skip-link').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  f = await focused();
  eq(f.id, 'signin-username', 'Tab comes back to the username');
  assert(f.outline !== 'none' && f.width >= 2, 'username has a visible focus ring');
  await page.keyboard.type('peer.north');
  await page.keyboard.press('Tab');
  eq((await focused()).id, 'signin-password', 'password comes next');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  eq((await focused()).tag, 'H1', 'focus starts at the page heading');

  for (let i = 0; i < 10 && f.id !== 'roster-q'; i++) {
    await page.keyboard.press('Tab');
    f = await focused();
  }
  eq(f.id, 'roster-q', 'search reached by Tab');
  await page.keyboard.type('jon');
  await page.locator('#roster-list a', { hasText: 'Jonathan Brightwater' }).waitFor();
  await page.locator('#roster-count').filter({ hasText: 'match' }).waitFor();
  for (let i = 0; i < 12 && f.text !== 'Jonathan Brightwater'; i++) {
    await page.keyboard.press('Tab');
    f = await focused();
  }
  eq(f.text, 'Jonathan Brightwater', 'the result link reached by Tab');
  assert(f.outline !== 'none' && f.width >= 2, 'result link has a visible focus ring');
  await page.keyboard.press('Enter');
  await main(page).getByRole('heading', { level: 1, name: /Jonathan Brightwater/ }).waitFor();
  eq((await focused()).tag, 'H1', 'focus moves to the person heading');

  // Into the edit form, type, try to leave: a dialog asks; Escape closes it.
  for (let i = 0; i < 10 && f.text !== 'Edit details'; i++) {
    await page.keyboard.press('Tab');
    f = await focused();
  }
  eq(f.text, 'Edit details', 'edit reached by Tab');
  await page.keyboard.press('Enter');
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  await page.keyboard.press('Tab');
  eq((await focused()).id, 'f-preferred_name', 'the first field follows the heading');
  await page.keyboard.press('End');
  await page.keyboard.type(' J');
  await page.keyboard.press('Shift+Tab');
  f = await focused();
  eq(f.text, 'Jonathan Brightwater', 'before the form, the breadcrumb back to the person');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
  await dialog.waitFor();
  eq((await focused()).text, 'Stay on this page', 'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert(page.url().endsWith('/edit'), `still on the form: ${page.url()}`);
  eq(await page.locator('#f-preferred_name').inputValue(), 'Jonathan Brightwater J', 'typed text kept');
  assertNoProblems(b.problems);
});

btest('a save after someone else changed the record says so and offers to reload, never overwriting', async () => {
  const id = await personId('Cormac');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${id}/edit`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  await page.getByLabel('Pronouns').fill('xe/xem');

  // A colleague saves first.
  const other = await api('peer.north2');
  const cur = await other.get(`/api/v1/people/${id}`);
  const phone = '555-0177';
  const r = await other.patch(`/api/v1/people/${id}`, { phone }, { headers: { 'If-Match': cur.headers.get('etag') } });
  eq(r.status, 200, 'colleague saved');

  await page.getByRole('button', { name: 'Save changes' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this record' });
  await alert.waitFor();
  eq(await page.getByLabel('Pronouns').inputValue(), 'xe/xem', 'what was typed stays on screen');
  const after412 = await other.get(`/api/v1/people/${id}`);
  eq(after412.json.phone, phone, 'their change stands');
  assert(after412.json.pronouns !== 'xe/xem', 'nothing was overwritten');

  await alert.getByRole('button', { name: 'Reload the latest version' }).click();
  const carried = page.locator('#carried');
  await carried.waitFor();
  assert((await carried.textContent()).includes('xe/xem'), 'what was typed is listed');
  eq(await page.locator('#f-phone').inputValue(), phone, 'the form shows the latest version');
  // Saving again now works against the new version.
  await page.getByLabel('Pronouns').fill('xe/xem');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
  const final = await other.get(`/api/v1/people/${id}`);
  eq(final.json.pronouns, 'xe/xem', 'saved on the latest version');
  eq(final.json.phone, phone, 'the colleague\u2019s change kept');
  assertNoProblems(b.problems);
});

btest('a session that ends on the server shows sign-in and keeps the typed text for the same person', async () => {
  const id = await personId('Gideon');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${id}/edit`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  await page.getByLabel('Legal name').fill('Gideon Typed Beforehand');
  // The server forgets the session (as after a restart or a sign-out elsewhere).
  await b.context.clearCookies();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('Your session ended, so you were signed out.').waitFor();
  eq(await page.locator('#f-legal_name').count(), 0, 'the form is gone from the page');
  eq(await page.getByText('Gideon Typed Beforehand').count(), 0, 'typed text is not on screen');
  eq(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'nothing in web storage');
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  eq(await page.getByLabel('Legal name').inputValue(), 'Gideon Typed Beforehand', 'typed text restored');
  await page.locator('#restored-notice').waitFor();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
  await main(page).getByRole('region', { name: 'Profile' }).getByText('Gideon Typed Beforehand').waitFor();
  assertNoProblems(b.problems);
});

btest('roster filters: status, and team for someone on several teams', async () => {
  const admin = await api('admin');
  const made = await admin.post('/api/v1/staff', {
    username: 'super.both', display_name: 'Pat Rivera', role: 'supervisor', teams: ['north', 'south'], password: PASSWORD,
  });
  eq(made.status, 201, 'two-team supervisor created');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'super.both');
  const count = page.locator('#roster-count');
  await count.filter({ hasText: /^\d+ people on the roster\.$/ }).waitFor();
  const items = page.locator('#roster-list .roster-item');
  const teamsShown = async () => new Set(await items.locator('.roster-item__team').allTextContents());
  const all = await teamsShown();
  assert(all.has('North team') && all.has('South team'), `both teams listed: ${[...all]}`);

  await page.getByLabel('Team').selectOption('south');
  await count.filter({ hasText: 'match the search' }).waitFor();
  const south = await teamsShown();
  eq([...south].join(), 'South team', 'only the south team');

  await page.getByLabel('Status').selectOption('discharged');
  await count.filter({ hasText: 'match the search' }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('#roster-list .badge')].every((x) => x.textContent === 'Discharged'));
  const badges = await items.locator('.badge').allTextContents();
  assert(badges.length > 0 && badges.every((t) => t === 'Discharged'), `only discharged people: ${badges}`);
  eq([...await teamsShown()].join(), 'South team', 'still only the south team');

  await page.getByRole('button', { name: 'Clear search' }).click();
  await count.filter({ hasText: /^\d+ people on the roster\.$/ }).waitFor();
  eq(await page.getByLabel('Team').inputValue(), '', 'filters cleared');
  // Search by the start of any name word, ignoring accents.
  await page.getByLabel('Search by name').fill('angel');
  await page.locator('#roster-list a', { hasText: /^Ángel / }).waitFor();
  assertNoProblems(b.problems);
});

btest('editing contacts: remove one, add one; leaving or signing out with unsaved text asks first', async () => {
  const id = await personId('Aaliyah Zamora');
  const before = (await (await api()).get(`/api/v1/people/${id}`)).json.contacts;
  assert(before.length >= 1, 'starts with contacts');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${id}/edit`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  eq(await page.locator('fieldset.contact-row').count(), before.length, 'one group per contact');
  await page.getByRole('button', { name: 'Remove contact 1' }).click();
  eq(await page.locator('fieldset.contact-row').count(), before.length - 1, 'removed');
  await page.getByRole('button', { name: 'Add a contact' }).click();
  const row = page.getByRole('group', { name: `Contact ${before.length}` });
  assert(await row.getByLabel('Kind of contact').evaluate((el) => el === document.activeElement), 'focus moves to the new contact');
  await row.getByLabel('Name').fill('Noor Zamora');
  await row.getByLabel('Relationship').fill('friend');
  await row.getByLabel('Note').fill('Prefers texts after 5pm.');

  // Signing out with unsaved text asks first; staying keeps it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out without saving?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Stay on this page' }).click();
  await dialog.waitFor({ state: 'hidden' });
  eq(await row.getByLabel('Name').inputValue(), 'Noor Zamora', 'still there');

  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
  const around = main(page).getByRole('region', { name: 'People around them' });
  await around.getByText('Noor Zamora').waitFor();
  await around.getByText('Prefers texts after 5pm.').waitFor();
  eq(await around.getByText(before[0].name, { exact: true }).count(), 0, 'the removed contact is gone');
  const saved = (await (await api()).get(`/api/v1/people/${id}`)).json.contacts;
  eq(saved.length, before.length, 'same number of contacts');
  assert(saved.some((c) => c.name === 'Noor Zamora' && c.relationship === 'friend' && c.phone === null), 'new contact saved, empty phone as null');
  assertNoProblems(b.problems);
});

btest('a peer on the south team cannot open a north person\u2019s page', async () => {
  const id = await personId('Jonathan Brightwater');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${id}`);
  await signIn(page, 'peer.south');
  await main(page).getByRole('heading', { name: 'Person not found' }).waitFor();
  eq(await page.getByText('Brightwater').count(), 0, 'no trace of the person');
  await main(page).getByRole('link', { name: 'Go to the team roster' }).click();
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  await page.locator('#roster-count').filter({ hasText: 'people on the roster' }).waitFor();
  eq(await page.locator('#roster-list').getByText('Jonathan Brightwater').count(), 0, 'not on the south roster');
  assertNoProblems(b.problems);
});

btest('administrators and privacy officers see that they have no roster', async () => {
  const b = await browser();
  const page = await b.newPage();
  for (const [user, role] of [['admin', 'Administrator'], ['privacy', 'Privacy officer']]) {
    await page.goto(`${srv.url}/#/people`);
    await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, user);
    await main(page).getByRole('heading', { name: 'No team roster for your role' }).waitFor();
    eq(await page.locator('#role-name').textContent(), role, 'role named');
    // An administrator keeps the resource directory (docs/resources.md);
    // the privacy officer has no navigation at all.
    const nav = page.getByRole('navigation', { name: 'Main' });
    if (user === 'admin') {
      eq((await nav.getByRole('link').allInnerTexts()).join(), 'Resources', 'only the Resources link');
    } else {
      eq(await nav.isVisible(), false, 'no roster navigation');
    }
    eq(await page.locator('.roster-item').count(), 0, 'no people listed');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  }
  assertNoProblems(b.problems);
});

btest('on a 360px phone screen nothing scrolls sideways and touch targets are 44px', async () => {
  const id = await personId('Ángel');
  const b = await browser({ viewport: { width: 360, height: 740 } });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  await page.locator('#roster-count').filter({ hasText: 'people on the roster' }).waitFor();
  async function check(what) {
    const r = await page.evaluate(() => {
      const small = [];
      for (const el of document.querySelectorAll('main a, main button, main input, main select, header a, header button')) {
        const box = el.getBoundingClientRect();
        if (!box.width || getComputedStyle(el).visibility === 'hidden') continue;
        if (el.closest('p, dd, li.contact') && el.tagName === 'A' && !el.classList.contains('button')
          && !el.closest('.breadcrumb, .roster-item, .link-list')) continue; // links inside running text
        if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      }
      return { width: document.documentElement.scrollWidth, small };
    });
    assert(r.width <= 360, `${what}: page is ${r.width}px wide`);
    eq(r.small.join('; '), '', `${what}: small touch targets`);
  }
  await check('roster');
  await page.goto(`${srv.url}/#/people/${id}`);
  await main(page).getByRole('heading', { name: 'Profile' }).waitFor();
  await check('person page');
  await page.goto(`${srv.url}/#/people/${id}/edit`);
  await main(page).getByRole('heading', { name: 'Edit details' }).waitFor();
  await check('edit form');
  await page.goto(`${srv.url}/#/people/${id}/discharge`);
  await main(page).getByRole('heading', { name: /Discharge|No open enrollment/ }).waitFor();
  await check('discharge form');
  assertNoProblems(b.problems);
});

btest('every view loads under the CSP without console errors', async () => {
  const res = await fetch(`${srv.url}/`);
  const csp = res.headers.get('content-security-policy') || '';
  assert(csp.includes("script-src 'self'") && csp.includes("style-src 'self'"), `strict CSP served: ${csp}`);
  const id = await personId('Wren');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  const views = [
    ['#/people', 'Team roster'],
    ['#/people/new', 'Add a person'],
    [`#/people/${id}`, /Wren/],
    [`#/people/${id}/edit`, 'Edit details'],
    [`#/people/${id}/enroll`, /Enroll in peer services|Already enrolled/],
    [`#/people/${id}/discharge`, /Discharge from peer services|No open enrollment/],
    ['#/nowhere', 'Page not found'],
    ['#/people/00000000-0000-7000-8000-000000000000', 'Person not found'],
  ];
  // Person-first, recovery-oriented words only (shared/domain/REFERENCE.md section 7).
  const avoid = /\b(clients?|patients?|cases?|caseloads?|addicts?|non-?compliant|abusers?|junkies|alcoholics?|refused|diagnos[ie]s)\b/i;
  for (const [hash, name] of views) {
    await page.goto(`${srv.url}/${hash}`);
    await main(page).getByRole('heading', { level: 1, name }).waitFor();
    eq(await page.locator('main h1').count(), 1, `${hash}: one h1`);
    const words = await page.evaluate(() => document.body.innerText + ' ' + [...document.querySelectorAll('option, [aria-label], [title]')]
      .map((e) => `${e.textContent} ${e.getAttribute('aria-label') || ''} ${e.getAttribute('title') || ''}`).join(' '));
    const hit = avoid.exec(words);
    assert(!hit, `${hash}: avoid the word "${hit && hit[0]}"`);
  }
  const landmarks = await page.evaluate(() => ({
    banner: document.querySelectorAll('header').length,
    main: document.querySelectorAll('main').length,
    status: document.querySelectorAll('[role="status"]').length,
    inlineStyle: document.querySelectorAll('[style]').length,
    inlineScript: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
  }));
  eq(landmarks.banner, 1, 'one banner');
  eq(landmarks.main, 1, 'one main');
  assert(landmarks.status >= 1, 'a live region for status messages');
  eq(landmarks.inlineScript, 0, 'no inline script');
  eq(landmarks.inlineStyle, 0, 'no inline style attributes');
  assertNoProblems(b.problems, 'views');
});
