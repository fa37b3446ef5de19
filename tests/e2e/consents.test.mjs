// Browser flow for consents and disclosures, in Chromium against the real
// server, on a phone: a peer records a release of information (first
// without a required element: the error shows beside it, with the rule at
// the top), shares plans with the recipient it names (the check says it
// is covered; disclosing opens a copy to print with the notice word for
// word at the top), is told why another recipient is not covered, finds
// the disclosure in the accounting, revokes the consent, and records a
// medical emergency disclosure. Enrolling marks a Part 2 program's
// episode; the consent form follows the kind chosen; a Part 2 disclosure
// carries the Part 2 notice word for word; a consent form typed when the
// session ends comes back. No console or CSP errors; person-first words;
// 360px: no horizontal scroll, 44px targets, a label for every control.
import fs from 'node:fs';
import path from 'node:path';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { EPISODE } from '../lib/api.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, isoDay, plainDate, PASSWORD } from './browser.mjs';

const srv = await startServer();
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 740 };
const RECIPIENT = 'Sunrise Housing Coalition';
const rules = JSON.parse(fs.readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/consents.json'), 'utf8'));
const NOTICE = (code) => rules.notices.find((n) => n.code === code).text;

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

const main = (page) => page.getByRole('main');

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
    const unlabelled = [];
    for (const el of document.querySelectorAll('main input, main select, main textarea')) {
      if (el.type === 'hidden') continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) unlabelled.push(el.id || el.name);
    }
    const styled = document.querySelectorAll('main [style]').length;
    return { width: document.documentElement.scrollWidth, small, unlabelled, styled };
  });
  await wordsCheck(page, what);
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
  eq(r.unlabelled.join(', '), '', `${what}: controls without a label`);
  eq(r.styled, 0, `${what}: inline styles`);
}

// Person-first words: no "patient" or "client" on screen, except in the
// federal notice, which is quoted word for word.
async function wordsCheck(page, what) {
  const text = await page.evaluate(() => {
    const m = document.querySelector('main').cloneNode(true);
    for (const n of m.querySelectorAll('.share-notice__text')) n.remove();
    return `${m.innerText} ${[...m.querySelectorAll('[aria-label]')].map((x) => x.getAttribute('aria-label')).join(' ')}`;
  });
  const hit = /\b(patients?|clients?)\b/i.exec(text);
  assert(!hit, `${what}: "${hit && hit[0]}" on screen`);
}

let serial = 0;

// An enrolled person on the north roster with a signed crisis plan.
async function enrolledPerson() {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  serial++;
  const p = await c.post('/api/v1/people', { preferred_name: `Consenttest Marigold${serial}`, legal_name: `Marigold Consenttest${serial}`,
    pronouns: 'she/her', date_of_birth: '1988-02-03', language: 'en' });
  eq(p.status, 201, 'person');
  const ep = await c.post(`/api/v1/people/${p.json.id}/episodes`, EPISODE);
  eq(ep.status, 201, `enrolled (${ep.text.slice(0, 200)})`);
  const plan = await c.post(`/api/v1/people/${p.json.id}/plans`, {
    kind: 'crisis',
    content: {
      help_from_others: { helps: ['Sit with me somewhere quiet'], does_not_help: ['Raised voices'] },
      supporters: { people: [{ name: 'Robin Ashgrove', role: 'Comes over', phone: '555-0199' }] },
    },
  });
  eq(plan.status, 201, 'crisis plan');
  const s = await c.post(`/api/v1/plans/${plan.json.id}/sign`, { role: 'person', typed_name: 'Marigold', confirmed: true },
    { headers: { 'If-Match': '"1"' } });
  eq(s.status, 200, 'plan signed');
  return { api: c, person: p.json };
}

btest('on a phone: record a release (an element missing first), share plans under it, be refused for another recipient, see the accounting, revoke, record an emergency disclosure', async () => {
  const { api, person } = await enrolledPerson();
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: person.preferred_name }).waitFor();
  const card = main(page).getByRole('region', { name: 'Consents and disclosures' });
  await card.getByText('No consents recorded yet').waitFor();
  await phoneCheck(page, 'person page');
  await card.screenshot({ path: screenshotPath('person-consents-card-phone.png') });
  await card.getByRole('link', { name: 'Consents and disclosures' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Consents and disclosures' }).waitFor();
  await phoneCheck(page, 'consents (none yet)');

  // --- record a release of information ------------------------------------------
  await main(page).getByRole('link', { name: 'Record a consent' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Record a consent' }).waitFor();
  eq(await page.getByRole('button', { name: 'Save the consent' }).isVisible(), false, 'the kind comes first');
  await page.getByRole('radio', { name: /^Release of information/ }).check();
  const save = page.getByRole('button', { name: 'Save the consent' });
  await save.waitFor();
  // What this kind requires is marked; what it does not is optional.
  await main(page).getByText('Release of information: the parts marked').waitFor();
  eq(await page.getByLabel('The name of the person the record is about').inputValue(), person.legal_name, 'the name from their record');
  eq(await page.getByLabel(/^Who may disclose/).getAttribute('aria-required'), null, 'who discloses: optional for a release');
  eq(await page.locator('#c-signed_on').getAttribute('aria-required'), 'true', 'signed on: required');
  const recipients = page.getByRole('group', { name: 'Recipient 1' });
  await recipients.getByLabel('Name').fill(RECIPIENT);
  await recipients.getByLabel('Address (optional)').fill('1 Example Way');
  await page.getByRole('button', { name: 'Add a recipient' }).click();
  await page.getByRole('group', { name: 'Recipient 2' }).getByLabel('Name').fill('Someone To Remove');
  await page.getByRole('button', { name: 'Remove recipient 2' }).click();
  eq(await page.getByRole('group', { name: 'Recipient 2' }).count(), 0, 'removed');
  await page.getByLabel('What information, described specifically').fill('My crisis plan, for my housing application.');
  await page.getByRole('group', { name: /^Which parts of the record/ }).getByLabel('Recovery, crisis and other plans').check();
  await page.getByRole('group', { name: /^The purpose of each disclosure/ }).getByLabel('A referral to a service').check();
  await page.getByRole('radio', { name: 'When services here end' }).check();
  await page.getByRole('checkbox', { name: /I understand I can revoke this consent in writing at any time/ }).check();
  await page.getByLabel(/^The signature/).fill('Marigold Consenttest');
  await page.getByLabel(/^Who signed/).selectOption('self');
  // The date it was signed is left out.
  await save.click();
  const summary = main(page).getByRole('alert');
  await summary.getByText('this kind of consent needs more').waitFor();
  await summary.getByText(/Rule: .*164\.508/).waitFor();
  const err = page.locator('#c-signed_on-error');
  await err.waitFor();
  assert(/The date it was signed is required for this kind of consent/.test(await err.textContent()), `beside the field: ${await err.textContent()}`);
  eq(await page.locator('#c-signed_on').getAttribute('aria-invalid'), 'true', 'the field is marked');
  await phoneCheck(page, 'consent form with an error');
  await page.screenshot({ path: screenshotPath('consent-form-phone.png'), fullPage: true });
  await summary.getByRole('link', { name: /The date it was signed/ }).click();
  eq(await page.evaluate(() => document.activeElement.id), 'c-signed_on', 'the summary leads to the field');
  await page.locator('#c-signed_on').fill(isoDay(0));
  await save.click();
  await main(page).getByRole('heading', { level: 1, name: 'Release of information' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Consent recorded.' }).waitFor();
  await main(page).getByText('In force. Until: when services here end.').waitFor();
  await main(page).getByText('1 Example Way').waitFor();
  await phoneCheck(page, 'the consent');
  const consentUrl = page.url();
  const consents = (await api.get(`/api/v1/people/${person.id}/consents`)).json.items;
  eq(consents.length, 1, 'one consent saved');
  eq(consents[0].signed_on, isoDay(0), 'signed today');
  eq(JSON.stringify(consents[0].recipients), JSON.stringify([{ name: RECIPIENT, address: '1 Example Way' }]), 'the recipient');

  // --- share the plans with that recipient -----------------------------------
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Consents' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Consents and disclosures' }).waitFor();
  await main(page).getByRole('region', { name: 'In force' }).getByRole('link', { name: 'Release of information' }).waitFor();
  await main(page).getByRole('link', { name: 'Share information' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Share information' }).waitFor();
  await main(page).getByText(`Consents in force name: ${RECIPIENT}.`).waitFor();
  await page.getByLabel('Who receives it').fill(RECIPIENT);
  await page.getByLabel('Why it is shared').selectOption('referral');
  await page.getByRole('group', { name: /^What parts of the record/ }).getByLabel('Recovery, crisis and other plans').check();
  await page.getByLabel('How it is shared').selectOption('print');
  eq(await page.getByRole('button', { name: 'Disclose' }).count(), 0, 'nothing to disclose before the check');
  await page.getByRole('button', { name: 'Check consent' }).click();
  const result = page.locator('#share-result');
  await result.getByText('Covered: a consent in force allows this').waitFor();
  await result.getByText(/Their Release of information, signed .* covers sharing this with Sunrise Housing Coalition/).waitFor();
  await phoneCheck(page, 'share form, covered');
  // A change means checking again.
  await page.getByLabel('How it is shared').selectOption('fax');
  await page.getByRole('button', { name: 'Disclose' }).waitFor({ state: 'hidden' });
  await page.getByLabel('How it is shared').selectOption('print');
  await page.getByRole('button', { name: 'Check consent' }).click();
  await result.getByText('Covered: a consent in force allows this').waitFor();
  await page.getByRole('button', { name: 'Disclose' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Information shared from a record' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Disclosure recorded.' }).waitFor();
  eq(await page.locator('#share-notice-text').textContent(), NOTICE('hipaa'), 'the notice, word for word');
  const order = await page.evaluate(() => {
    const doc = document.querySelector('.share-doc');
    const kids = [...doc.children].map((x) => x.id || x.className || x.tagName);
    return kids.slice(0, 2).join(' ');
  });
  eq(order, 'share-doc-title share-notice', 'the notice is at the top');
  const doc = main(page).getByRole('article');
  await doc.getByRole('heading', { name: 'Plans' }).waitFor();
  await doc.getByText('Sit with me somewhere quiet').waitFor();
  await doc.getByText('Robin Ashgrove').first().waitFor();
  await doc.getByText('Printed copy').waitFor();
  await doc.getByText(/With the person.s consent: Release of information/).waitFor();
  eq(await doc.getByRole('heading', { name: 'About the person' }).count(), 0, 'only the parts asked for went');
  await phoneCheck(page, 'print view');
  await page.screenshot({ path: screenshotPath('disclosure-print-phone.png'), fullPage: true });
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
  await page.getByRole('button', { name: 'Print' }).click();
  eq(await page.evaluate(() => window.printed), 1, 'Print prints');
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  eq(await page.locator('.print-bar').isVisible(), false, 'the buttons do not print');
  await page.screenshot({ path: screenshotPath('disclosure-print-paper.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(PHONE);
  const disclosureUrl = page.url();

  // --- another recipient: refused, with the reason -----------------------------
  await page.getByRole('link', { name: 'Back to consents' }).click();
  await main(page).getByRole('link', { name: 'Share information' }).click();
  await page.getByLabel('Who receives it').fill('County Benefits Office');
  await page.getByLabel('Why it is shared').selectOption('referral');
  await page.getByRole('group', { name: /^What parts of the record/ }).getByLabel('Recovery, crisis and other plans').check();
  await page.getByLabel('How it is shared').selectOption('email');
  await page.getByRole('button', { name: 'Check consent' }).click();
  await result.getByText('Not covered: do not share this').waitFor();
  await result.getByText('No consent in force names County Benefits Office as a recipient.').waitFor();
  eq(await page.getByRole('button', { name: 'Disclose' }).count(), 0, 'no way to disclose');
  eq(await result.getByRole('link', { name: 'record a consent' }).getAttribute('href'), `#/people/${person.id}/consents/new`, 'a way to record one');
  // The same recipient for a purpose the consent does not name.
  await page.getByLabel('Who receives it').fill(RECIPIENT);
  await page.getByLabel('Why it is shared').selectOption('payment');
  await page.getByRole('button', { name: 'Check consent' }).click();
  await result.getByText('The consent for this recipient does not cover the purpose Payment.').waitFor();
  await phoneCheck(page, 'share form, refused');
  await page.screenshot({ path: screenshotPath('disclosure-refused-phone.png'), fullPage: true });

  // --- the accounting ------------------------------------------------------------
  // Leaving the typed form asks first.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Consents' }).click();
  await page.getByRole('dialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Leave without saving' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Consents and disclosures' }).waitFor();
  await main(page).getByRole('link', { name: 'Accounting of disclosures' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Accounting of disclosures' }).waitFor();
  const table = main(page).getByRole('table');
  await main(page).getByText(/^1 disclosure from /).waitFor();
  await table.getByText(RECIPIENT).waitFor();
  await table.getByText('A referral to a service').waitFor();
  await table.getByText('Jordan Lee').waitFor();
  await page.getByRole('radio', { name: /^The last 3 years/ }).check();
  await page.getByRole('button', { name: 'Show' }).click();
  await main(page).getByText(/^1 disclosure from /).waitFor();
  await page.getByRole('radio', { name: 'Between two dates' }).check();
  await page.getByLabel('First day').fill('2026-01-01');
  await page.getByLabel('Last day').fill('2026-01-31');
  await page.getByRole('button', { name: 'Show' }).click();
  await main(page).getByText('0 disclosures from 1 January 2026 to 31 January 2026.').waitFor();
  await page.getByRole('radio', { name: /^The last 6 years/ }).check();
  await page.getByRole('button', { name: 'Show' }).click();
  await main(page).getByText(/^1 disclosure from /).waitFor();
  await phoneCheck(page, 'accounting');
  await page.screenshot({ path: screenshotPath('accounting-phone.png'), fullPage: true });
  // On paper (about A4 wide): a table, without the window choice.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  eq(await page.locator('.accounting-window').isVisible(), false, 'the window choice does not print');
  eq(await page.locator('.accounting thead').evaluate((el) => getComputedStyle(el).display), 'table-header-group', 'a table on paper');
  await page.screenshot({ path: screenshotPath('accounting-paper.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(PHONE);
  // The copy stays in this tab's memory; after a reload, the entry from
  // the accounting.
  await page.goto(disclosureUrl);
  await main(page).getByRole('heading', { level: 1, name: 'Information shared from a record' }).waitFor();
  await page.reload();
  await main(page).getByRole('heading', { level: 1, name: 'A disclosure' }).waitFor();
  await main(page).getByText(RECIPIENT).waitFor();
  await main(page).getByText(/shown only straight after sharing/).waitFor();

  // --- revoke the consent -------------------------------------------------------
  await page.getByRole('link', { name: 'Accounting of disclosures' }).first().click();
  await main(page).getByRole('table').getByRole('link', { name: 'Consent: Release of information' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Release of information' }).waitFor();
  eq(page.url(), consentUrl, 'the consent it went under');
  await page.getByRole('button', { name: 'Revoke this consent' }).click();
  await main(page).getByRole('alert').getByText('The consent was not revoked').waitFor();
  await page.locator('#revoke-method-error').filter({ hasText: 'How they revoked it' }).waitFor();
  await page.getByLabel('How they revoked it').selectOption('in_writing');
  await page.getByLabel('Note (optional)').fill('Brought a signed letter.');
  await page.getByRole('button', { name: 'Revoke this consent' }).click();
  await page.getByRole('status').filter({ hasText: 'Consent revoked.' }).waitFor();
  await main(page).getByText(`Revoked ${plainDate(isoDay(0))}.`).waitFor();
  await main(page).getByRole('region', { name: 'Revoked' }).getByText('Brought a signed letter.').waitFor();
  eq(await page.getByRole('button', { name: 'Revoke this consent' }).count(), 0, 'revoked once');
  eq((await api.get(consentUrl.replace(/.*#\/consents\//, '/api/v1/consents/'))).json.status, 'revoked', 'revoked on the server');
  await phoneCheck(page, 'revoked consent');
  await page.screenshot({ path: screenshotPath('consent-revoked-phone.png'), fullPage: true });
  await page.getByRole('link', { name: 'Back to their consents' }).click();
  await main(page).getByRole('region', { name: 'No longer in force' }).getByText('Revoked').first().waitFor();
  await phoneCheck(page, 'consents');
  await page.screenshot({ path: screenshotPath('consents-phone.png'), fullPage: true });

  // --- a medical emergency -------------------------------------------------------
  await main(page).getByRole('link', { name: 'Medical emergency disclosure' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Medical emergency disclosure' }).waitFor();
  await main(page).getByText(/only when there is a bona fide medical emergency and the person.s consent cannot be obtained/).waitFor();
  await page.getByLabel('Name of the medical staff member told').fill('Dr. Testwood Example');
  await page.getByLabel('What the emergency was').fill('Unresponsive; the team needed her crisis plan.');
  await page.getByLabel('What was shared').fill('The crisis plan and who to call.');
  await page.getByLabel('How it was shared').selectOption('phone');
  await page.getByRole('button', { name: 'Record the emergency disclosure' }).click();
  await page.locator('#e-facility-error').waitFor();
  await phoneCheck(page, 'emergency form');
  await page.getByLabel('Their hospital or facility').fill('County General emergency department');
  await page.getByRole('button', { name: 'Record the emergency disclosure' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Accounting of disclosures' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Emergency disclosure recorded' }).waitFor();
  await main(page).getByText(/^2 disclosures from /).waitFor();
  await main(page).getByRole('table').getByText('County General emergency department').waitFor();
  await main(page).getByRole('table').getByText('Medical emergency (42 CFR 2.51)').waitFor();
  await phoneCheck(page, 'accounting with an emergency');
  await page.screenshot({ path: screenshotPath('accounting-emergency-phone.png'), fullPage: true });
  const acc = (await api.get(`/api/v1/people/${person.id}/disclosures`)).json.items;
  eq(acc.map((d) => d.basis).join(' '), 'medical_emergency consent', 'both, newest first');
  assertNoProblems(b.problems, 'phone');
});

btest('enrolling can mark a Part 2 program\'s episode; sharing then asks for a Part 2 consent', async () => {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const p = await c.post('/api/v1/people', { preferred_name: 'Consenttest Partwo', language: 'en' });
  eq(p.status, 201, 'person');
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${p.json.id}/enroll`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Enroll in peer services' }).waitFor();
  await page.getByLabel('Date they agreed to peer services').fill(EPISODE.agreement_date);
  await page.getByLabel('Agreement witnessed by').fill(EPISODE.agreement_witness);
  await page.getByLabel('Intake date').fill(EPISODE.intake_date);
  await page.getByLabel('Referred by').selectOption(EPISODE.referral_source);
  await page.getByLabel(/This is a Part 2 program.s episode/).check();
  await page.getByRole('button', { name: 'Enroll' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Consenttest Partwo' }).waitFor();
  await main(page).getByText('Yes: substance use records under 42 CFR Part 2').waitFor();
  eq((await c.get(`/api/v1/people/${p.json.id}`)).json.episodes[0].part2, true, 'a Part 2 episode');
  await main(page).getByRole('region', { name: 'Consents and disclosures' }).getByText('Part of their record is from a Part 2 program').waitFor();
  await main(page).getByRole('region', { name: 'Consents and disclosures' }).getByRole('link', { name: 'Share information' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Share information' }).waitFor();
  await main(page).getByText('only a Part 2 consent covers sharing it').waitFor();
  await main(page).getByText('No consent in force lets anything be shared yet.').waitFor();

  // The form follows the kind: a TPO consent covers only treatment,
  // payment and operations, and may have no expiry; an agreement to peer
  // services shares nothing, so it asks for no recipients.
  await page.goto(`${srv.url}/#/people/${p.json.id}/consents/new`);
  await main(page).getByRole('heading', { level: 1, name: 'Record a consent' }).waitFor();
  await page.getByRole('radio', { name: /^Single consent for treatment, payment and health care operations/ }).check();
  const purposes = page.getByRole('group', { name: /^The purpose of each disclosure/ });
  eq(await purposes.getByRole('checkbox').count(), 3, 'three purposes for a TPO consent');
  await page.getByRole('radio', { name: /^No expiry/ }).waitFor();
  eq(await page.getByRole('checkbox', { name: /signing is a condition of receiving services/ }).getAttribute('aria-required'), 'true', 'required for Part 2');
  await page.getByRole('radio', { name: /^Consent to disclose substance use records/ }).check();
  await main(page).getByText(/Rule: 42 CFR 2\.31\(a\)/).first().waitFor();
  await wordsCheck(page, 'Part 2 consent form');
  await page.getByRole('button', { name: 'Save the consent' }).click();
  await main(page).getByRole('alert').getByText(/2\.31\(a\)/).waitFor();
  await wordsCheck(page, 'Part 2 consent form with errors');
  await page.getByRole('radio', { name: /^Agreement to peer services/ }).check();
  eq(await page.getByRole('group', { name: /^Who may receive it/ }).isVisible(), false, 'no recipients for an agreement');
  eq(await purposes.getByRole('checkbox').count(), 6, 'every purpose');

  // A Part 2 consent: the Part 2 notice goes with what is shared, word for word.
  const today = isoDay(0);
  const consent = await c.post(`/api/v1/people/${p.json.id}/consents`, {
    kind: 'part2_disclosure', person_name: 'Consenttest Partwo', disclosers: 'The peer support team',
    recipients: [{ name: 'County Clinic', address: null }], information: 'My enrollment dates.', categories: ['demographics'],
    purposes: ['treatment'], revocation_statement: true, expiry_event: 'end_of_treatment', signer_name: 'Consenttest Partwo',
    signer_authority: 'self', signed_on: today, conditioning_statement: true, redisclosure_statement: true,
  });
  eq(consent.status, 201, `a Part 2 consent (${consent.text.slice(0, 200)})`);
  await page.goto(`${srv.url}/#/people/${p.json.id}/disclosures/new`);
  await page.getByRole('dialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Leave without saving' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Share information' }).waitFor();
  await page.getByLabel('Who receives it').fill('County Clinic');
  await page.getByLabel('Why it is shared').selectOption('treatment');
  await page.getByRole('group', { name: /^What parts of the record/ }).getByLabel('Name, contact details and enrollment').check();
  await page.getByLabel('How it is shared').selectOption('fax');
  await page.getByRole('button', { name: 'Check consent' }).click();
  await page.locator('#share-result').getByText('This record is under 42 CFR Part 2').waitFor();
  await page.getByRole('button', { name: 'Disclose' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Information shared from a record' }).waitFor();
  eq(await page.locator('#share-notice-text').textContent(), NOTICE('part2'), 'the Part 2 notice, word for word');
  await wordsCheck(page, 'Part 2 print view');
  const doc = main(page).getByRole('article');
  await doc.getByRole('heading', { name: 'About the person' }).waitFor();
  await doc.getByText(`Agreed to peer services ${plainDate(EPISODE.agreement_date)}`).waitFor();
  await page.screenshot({ path: screenshotPath('disclosure-part2-desktop.png'), fullPage: true });
  assertNoProblems(b.problems, 'part 2');
});

btest('a consent form typed when the session ends comes back after signing in again', async () => {
  const { person } = await enrolledPerson();
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}/consents/new`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Record a consent' }).waitFor();
  await page.getByRole('radio', { name: /^HIPAA authorisation/ }).check();
  await page.getByRole('group', { name: 'Recipient 1' }).getByLabel('Name').fill('County Clinic');
  await page.getByRole('button', { name: 'Add a recipient' }).click();
  await page.getByRole('group', { name: 'Recipient 2' }).getByLabel('Name').fill('Sunrise Housing Coalition');
  await page.getByRole('group', { name: /^Which parts of the record/ }).getByLabel('Contact notes').check();
  await page.getByRole('radio', { name: 'On a date' }).check();
  await page.getByLabel('The date it ends').fill('2027-06-30');
  await page.getByRole('checkbox', { name: /may be disclosed again by the recipient/ }).check();
  await b.context.clearCookies();
  await page.getByRole('button', { name: 'Save the consent' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  eq(await page.getByText('County Clinic').count(), 0, 'typed text is not on screen');
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Record a consent' }).waitFor();
  await page.locator('#restored-notice').waitFor();
  eq(await page.getByRole('radio', { name: /^HIPAA authorisation/ }).isChecked(), true, 'the kind');
  eq(await page.getByRole('group', { name: 'Recipient 2' }).getByLabel('Name').inputValue(), 'Sunrise Housing Coalition', 'the recipients');
  eq(await page.getByRole('group', { name: /^Which parts of the record/ }).getByLabel('Contact notes').isChecked(), true, 'the parts');
  eq(await page.getByLabel('The date it ends').inputValue(), '2027-06-30', 'the date it ends');
  eq(await page.getByRole('checkbox', { name: /may be disclosed again by the recipient/ }).isChecked(), true, 'a statement');
  assertNoProblems(b.problems, 'restored');
});
