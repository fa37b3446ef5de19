// Browser flows for contacts and their notes, in Chromium against the real
// server: on a phone, a peer writes a note from the person's page, linked
// to a goal of their recovery plan, sees its minutes and units worked out,
// signs it; the signed note is read-only and takes an addendum and the
// person's comment with their acknowledgement. A note that lacks an
// element is refused with the rule's citation and the error beside the
// field; documentation due lists a draft with what it lacks; typed words
// survive a session that ends; phone-sized screens; console and CSP
// hygiene; person-first words.
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, PASSWORD } from './browser.mjs';

const srv = await startServer();
const browsers = [];
const btest = (name, fn) => browserTest(test, browsers, name, fn);
after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  await srv.stop();
});

const PHONE = { width: 360, height: 740 };

async function browser(opts) {
  const b = await launch(opts);
  browsers.push(b);
  return b;
}

async function api(user = 'peer.north') {
  return signedIn(srv.url, user, PASSWORD);
}

let serial = 0;

// A new person on the north roster, enrolled (they agreed to peer
// services), with a recovery plan holding goals in their words, as
// tests/e2e/plans.test.mjs sets up its plans: through the API.
async function enrolledWithGoals(goals = ['Get my own place with a garden', 'Sleep through the night']) {
  const c = await api();
  serial++;
  const p = await c.post('/api/v1/people', {
    preferred_name: `Notetest Brightwater${serial}`,
    pronouns: 'she/her',
    date_of_birth: '1988-06-02',
    language: 'en',
  });
  eq(p.status, 201, `person created (${p.text.slice(0, 200)})`);
  const ep = await c.post(`/api/v1/people/${p.json.id}/episodes`, {
    agreement_date: '2026-01-05',
    agreement_witness: 'Jordan Lee',
    intake_date: '2026-01-06',
    referral_source: 'self',
  });
  eq(ep.status, 201, `enrolled (${ep.text.slice(0, 200)})`);
  const plan = await c.post(`/api/v1/people/${p.json.id}/plans`, {
    kind: 'recovery',
    content: { goals: goals.map((words) => ({ words, lifecycle_status: 'active' })) },
  });
  eq(plan.status, 201, 'recovery plan created');
  return { person: p.json, plan: plan.json, goals: plan.json.current.content.goals };
}

// A contact through the API, n hours ago, lasting minutes.
async function apiContact(personId, { hoursAgo = 3, minutes = 30, ...extra } = {}) {
  const c = await api();
  const start = Math.floor((Date.now() - hoursAgo * 3600000) / 60000) * 60000;
  const r = await c.post(`/api/v1/people/${personId}/contacts`, {
    type: 'individual',
    started_at: new Date(start).toISOString(),
    ended_at: new Date(start + minutes * 60000).toISOString(),
    ...extra,
  });
  eq(r.status, 201, `contact created (${r.text.slice(0, 200)})`);
  return r.json;
}

const main = (page) => page.getByRole('main');
const status = (page, text) => page.getByRole('status').filter({ hasText: text }).first().waitFor();

// Nothing wider than the screen, and every control a 44px target.
async function phoneCheck(page, what, width = 360) {
  const r = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li') && el.tagName === 'A' && !el.classList.contains('button')
        && !el.closest('.breadcrumb, .note-summary__main, .plan-summary__main')) continue; // links inside running text
      if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      if (box.right > document.documentElement.clientWidth + 0.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" sticks out to ${box.right}px`);
    }
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
}

// Pure functions of the note form run in Node too.
test('contact_form: local times become UTC, the minutes follow the end time, and only changed fields are sent', async () => {
  const { toBody, valuesFromContact, changedKeys, defaultValues } = await import('../../web/js/views/contact_form.js');
  const { previewUnits, minutesBetweenTimes, timeAfter } = await import('../../web/js/views/contact_common.js');
  eq([0, 7, 8, 22, 23, 37, 38, 50, 53].map(previewUnits).join(','), '0,0,1,1,2,2,3,3,4', 'midpoint rule (REFERENCE.md 1.3)');
  eq(minutesBetweenTimes('23:40', '00:25'), 45, 'past midnight');
  eq(timeAfter('23:40', 45), '00:25', 'end time past midnight');
  const d = defaultValues(new Date('2026-11-23T14:07:31Z'));
  eq(`${d.type} ${d.duration} ${d.start}-${d.end}`, `individual 30 ${new Date('2026-11-23T13:37:00Z').getHours().toString().padStart(2, '0')}:37-${new Date('2026-11-23T14:07:00Z').getHours().toString().padStart(2, '0')}:07`, 'ended now, 30 minutes');
  const { body, errors } = toBody({ ...d, date: '2026-11-23', start: '10:05', duration: '50', location: '  The library ', goals: ['g'] });
  eq(errors.length, 0, 'no problems');
  eq(body.started_at, new Date(2026, 10, 23, 10, 5).toISOString(), 'started_at from the local date and time');
  eq(Date.parse(body.ended_at) - Date.parse(body.started_at), 50 * 60000, 'ended_at from the minutes');
  eq(body.location, 'The library', 'trimmed');
  eq(body.response, null, 'an empty field is null');
  eq(toBody({ ...d, duration: '0' }).errors[0].field, 'duration', 'minutes must be at least 1');
  const saved = { id: 'x', type: 'phone', started_at: body.started_at, ended_at: body.ended_at, minutes: 50, goals: [{ plan_id: 'p', item_id: 'g' }], location: 'The library' };
  const v = valuesFromContact(saved);
  eq(`${v.date} ${v.start} ${v.duration} ${v.goals}`, '2026-11-23 10:05 50 g', 'a saved contact back in the form');
  const base = toBody(v).body;
  eq(changedKeys(base, toBody({ ...v, response: 'Hopeful' }).body).join(), 'response', 'only what changed');
  eq(changedKeys(base, toBody({ ...v, end: '11:00', duration: '55' }).body).join(), 'ended_at', 'a longer contact moves only its end');
});

btest('on a phone, a peer writes a note linked to a plan goal from the person\u2019s page, sees its units, and signs it; the signed note takes an addendum and the person\u2019s comment', async () => {
  const { person, goals } = await enrolledWithGoals();
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  const notes = main(page).getByRole('region', { name: 'Contacts and notes' });
  await notes.getByText('No contacts recorded yet.').waitFor();
  await phoneCheck(page, 'person page with its notes section');
  await notes.getByRole('link', { name: 'Write a note' }).click();

  // A new note starts as an individual contact that ended now and lasted
  // 30 minutes: 2 units under the midpoint rule, an estimate until saved.
  await main(page).getByRole('heading', { level: 1, name: 'Write a note' }).waitFor();
  assert(/^#\/people\/[0-9a-f-]{36}\/contacts\/new$/.test(new URL(page.url()).hash), `new note address: ${page.url()}`);
  assert(!(await page.title()).includes(person.preferred_name), 'no name in the title');
  eq(await page.getByLabel('Kind of contact').inputValue(), 'individual', 'individual by default');
  eq(await page.getByLabel('How long, in minutes').inputValue(), '30', '30 minutes by default');
  const units = page.locator('#note-units');
  assert(/^2\s*\(estimate\)/.test((await units.textContent()).trim()), `2 units estimated: ${await units.textContent()}`);

  // 50 minutes: the end time and the units follow as it is typed.
  const startTime = await page.getByLabel('Started at').inputValue();
  await page.getByLabel('How long, in minutes').fill('50');
  const [hh, mm] = startTime.split(':').map(Number);
  const end = (hh * 60 + mm + 50) % 1440;
  eq(await page.getByLabel('Ended at').inputValue(), `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`, 'the end time follows');
  await units.filter({ hasText: /^3/ }).waitFor();
  await page.getByLabel('Setting').selectOption('community');
  await page.getByLabel('Where it happened').fill('The public library on Main Street');
  const goal = page.getByRole('checkbox', { name: goals[0].words });
  await goal.check();
  await page.getByLabel('What we did together').fill('Looked at housing listings together and called two landlords.');
  await page.getByLabel('How the person responded').fill('Picked two flats to visit and said she felt hopeful.');
  await page.getByLabel('Next steps').fill('Visit both flats on Thursday; I will drive.');
  await page.getByLabel('We wrote this note together with the person').check();
  await page.getByLabel('Your credential').fill('CPRS');
  await page.getByRole('button', { name: 'Save draft' }).click();

  // The draft: the server's billing replaces the estimate.
  await main(page).getByRole('heading', { level: 1, name: 'Contact note, a draft' }).waitFor();
  await status(page, 'Draft saved.');
  assert(/^#\/contacts\/[0-9a-f-]{36}$/.test(new URL(page.url()).hash), `note address holds only an id: ${page.url()}`);
  const noteId = new URL(page.url()).hash.slice('#/contacts/'.length);
  const billing = main(page).getByRole('region', { name: 'Time and billing' });
  eq((await units.textContent()).trim(), '3', 'the server\u2019s units');
  await billing.getByText('50 minutes').waitFor();
  await billing.getByText('H0038', { exact: true }).waitFor();
  await billing.getByText('99', { exact: true }).waitFor();
  await billing.getByText('Billable', { exact: true }).waitFor();
  await main(page).locator('#note-standing').getByText(/^Due by /).waitFor();
  await main(page).locator('#note-missing').getByText('Ready to sign').waitFor();
  eq(await page.getByRole('checkbox', { name: goals[0].words }).isChecked(), true, 'the goal stays linked');
  await phoneCheck(page, 'draft note');
  // At the end of the page the sticky save and sign bar sits where it
  // belongs in a whole-page picture.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.screenshot({ path: screenshotPath('note-phone.png'), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));

  // A shorter contact while writing: the draft saves itself and the units
  // change, spoken.
  await page.getByLabel('How long, in minutes').fill('20');
  await page.getByLabel('How long, in minutes').blur();
  await page.locator('.note-save-state').filter({ hasText: 'Draft saved at' }).waitFor();
  await units.filter({ hasText: /^1$/ }).waitFor();
  await billing.getByRole('status').filter({ hasText: '20 minutes: 1 unit, billable.' }).waitFor();
  await page.getByLabel('How long, in minutes').fill('50');
  await page.getByRole('button', { name: 'Sign the note' }).click();

  // Signed: read-only, with its words and the goal in the person's words.
  await main(page).getByRole('heading', { level: 1, name: 'Contact note' }).waitFor();
  await status(page, 'Note signed.');
  await main(page).locator('.note-standing').getByText('Signed', { exact: true }).waitFor();
  eq(await main(page).getByRole('textbox', { name: 'What we did together' }).count(), 0, 'no longer editable');
  eq(await main(page).getByRole('button', { name: 'Sign the note' }).count(), 0, 'no sign button');
  await main(page).getByText('Looked at housing listings together and called two landlords.').waitFor();
  const linked = main(page).getByRole('region', { name: 'Plan goals this worked on' });
  await linked.locator('.their-words').filter({ hasText: goals[0].words }).waitFor();
  eq((await units.textContent()).trim(), '3', 'units as signed');
  await main(page).getByText(/^Signed .* by Jordan Lee, CPRS\.$/).waitFor();

  // An addendum: kept beside the note, which does not change.
  const addenda = main(page).getByRole('region', { name: 'Addenda' });
  await addenda.getByLabel('The addendum').fill('Correction: the visit is on Friday, not Thursday.');
  await addenda.getByRole('button', { name: 'Add the addendum' }).click();
  await status(page, 'Addendum added.');
  await addenda.getByText('Correction: the visit is on Friday, not Thursday.').waitFor();
  await addenda.getByText(/^Added .* by Jordan Lee$/).waitFor();
  await main(page).getByText('Visit both flats on Thursday; I will drive.').waitFor();

  // The person reads it, types their name, comments and acknowledges it.
  const comments = main(page).getByRole('region', { name: 'The person\u2019s comments' });
  await comments.getByRole('button', { name: 'Save their comment' }).click();
  await comments.locator('.error-summary').waitFor();
  eq(await comments.getByLabel('Their name, typed by them').getAttribute('aria-invalid'), 'true', 'their name is needed');
  await comments.getByLabel('Their name, typed by them').fill(person.preferred_name);
  await comments.getByLabel('Their comment, in their words (optional)').fill('I felt more nervous than this says, but hopeful.');
  await comments.getByLabel('I have read this note').check();
  await comments.getByRole('button', { name: 'Save their comment' }).click();
  await status(page, 'Their comment is saved, with their acknowledgement.');
  await comments.locator('.their-words').filter({ hasText: 'I felt more nervous than this says, but hopeful.' }).waitFor();
  await comments.getByText('Read and acknowledged').waitFor();
  await comments.getByText(new RegExp(`^${person.preferred_name}, `)).waitFor();
  await phoneCheck(page, 'signed note');
  await page.screenshot({ path: screenshotPath('note-signed-phone.png'), fullPage: true });

  const saved = (await (await api()).get(`/api/v1/contacts/${noteId}`)).json;
  eq(saved.status, 'signed', 'signed');
  eq(saved.minutes, 50, 'minutes');
  eq(saved.billing.units, 3, 'units');
  eq(JSON.stringify(saved.goals.map((g) => g.item_id)), JSON.stringify([goals[0].id]), 'the goal linked');
  eq(saved.written_together, true, 'written together');
  eq(saved.setting, 'community', 'setting');
  eq(saved.addenda.length, 1, 'one addendum');
  eq(saved.comments.length, 1, 'one comment');
  eq(saved.comments[0].acknowledged, true, 'acknowledged');
  eq(saved.comments[0].typed_name, person.preferred_name, 'their typed name');

  // The person's page lists it.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: person.preferred_name }).click();
  const item = main(page).getByRole('region', { name: 'Contacts and notes' }).locator('.note-summary');
  await item.getByRole('link', { name: /Individual, face to face/ }).waitFor();
  await item.getByText('Signed', { exact: true }).waitFor();
  await item.getByText(/50 minutes/).waitFor();
  assertNoProblems(b.problems);
});

btest('signing a note that lacks an element shows the rule and the error beside the field; documentation due lists the draft with what it lacks', async () => {
  const { person, goals } = await enrolledWithGoals(['Go back to college']);
  // A draft from two weeks ago, past its deadline and lacking its words.
  const old = await apiContact(person.id, { hoursAgo: 24 * 14, minutes: 40, location: 'Office' });
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}/contacts/new`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Write a note' }).waitFor();
  await page.getByLabel('Kind of contact').selectOption('phone');
  await page.getByLabel('Where it happened').fill('By phone, from the office');
  await page.getByRole('checkbox', { name: goals[0].words }).check();
  await page.getByLabel('What we did together').fill('Talked through the college application form.');
  await page.getByRole('button', { name: 'Sign the note' }).click();

  // Saved as a draft, then refused: the rule's citation and each element
  // beside its field.
  await main(page).getByRole('heading', { level: 1, name: 'Contact note, a draft' }).waitFor();
  const rule = main(page).locator('.rule-problem');
  await rule.waitFor();
  const text = await rule.textContent();
  assert(text.includes('26 TAC \u00a7301.361'), `the rule is cited: ${text}`);
  assert(text.includes('How the person responded is needed before the note is signed'), `names the response: ${text}`);
  const response = page.getByLabel('How the person responded');
  eq(await response.getAttribute('aria-invalid'), 'true', 'the response is marked');
  const errId = (await response.getAttribute('aria-describedby')).split(' ')[0];
  assert((await page.locator(`#${errId}`).textContent()).includes('is needed before the note is signed'), 'the error is beside the field');
  eq(await page.getByLabel('Next steps').getAttribute('aria-invalid'), 'true', 'next steps are marked');
  eq(await page.getByLabel('What we did together').getAttribute('aria-invalid'), null, 'what was done is fine');
  await main(page).locator('#note-missing').getByText('Still needed before signing:').waitFor();
  const draftHash = new URL(page.url()).hash;

  // The header counts what is due; the page lists it soonest first.
  // The count takes in the group sessions waiting to be signed too.
  const dueNow = (await (await api()).get('/api/v1/documentation-due')).json;
  const due = dueNow.items;
  const count = due.length + dueNow.group_sessions.length;
  assert(due.some((x) => x.id === old.id), 'the old draft is due');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.locator('#nav-due-count').filter({ hasText: String(count) }).waitFor();
  eq(await nav.getByRole('link', { name: /Documentation due/ }).textContent(), `Documentation due ${count}: ${count} notes`, 'the count is in the link\u2019s name');
  await nav.getByRole('link', { name: /Documentation due/ }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Documentation due' }).waitFor();
  const items = main(page).locator('.note-due-item').filter({ hasText: person.preferred_name });
  eq(await items.count(), 2, 'both drafts are listed');
  const first = items.nth(0);
  await first.getByText('Overdue').waitFor();
  await first.getByText(/^Due by .*was due .* days ago/).waitFor();
  await first.getByText('Still needed: what we did together, how the person responded, next steps and plan goals this worked on').waitFor();
  const second = items.nth(1);
  await second.getByText('Still needed: how the person responded and next steps').waitFor();
  await second.getByRole('link', { name: new RegExp(person.preferred_name) }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Contact note, a draft' }).waitFor();
  eq(new URL(page.url()).hash, draftHash, 'the link goes to the note');

  // Finish it: each field saves itself as it is left.
  await page.getByLabel('How the person responded').fill('Filled in half the form and was pleased with it.');
  await page.getByLabel('Next steps').fill('Finish the form together on Monday.');
  await page.getByLabel('Next steps').blur();
  await main(page).locator('#note-missing').getByText('Ready to sign').waitFor();
  await page.getByRole('button', { name: 'Sign the note' }).click();
  await status(page, 'Note signed.');
  await main(page).getByRole('heading', { level: 1, name: 'Contact note' }).waitFor();
  await page.goto(`${srv.url}/#/documentation-due`);
  await main(page).getByRole('heading', { level: 1, name: 'Documentation due' }).waitFor();
  await main(page).locator('.note-due-item').filter({ hasText: person.preferred_name }).first().waitFor();
  eq(await main(page).locator('.note-due-item').filter({ hasText: person.preferred_name }).count(), 1, 'the signed note is no longer due');
  await main(page).locator(`a[href="#/contacts/${old.id}"]`).waitFor();
  assertNoProblems(b.problems);
});

btest('what was typed in a note survives a session that ends; the language coach reads what staff write', async () => {
  const { person } = await enrolledWithGoals(['Cook a meal for my family']);
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}/contacts/new`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Write a note' }).waitFor();
  await page.getByLabel('What we did together').fill('Planned a shopping list for a family dinner.');
  await b.context.clearCookies();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  eq(await page.getByText('Planned a shopping list').count(), 0, 'typed words are off the screen');
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Write a note' }).waitFor();
  await page.locator('#restored-notice').waitFor();
  eq(await page.getByLabel('What we did together').inputValue(), 'Planned a shopping list for a family dinner.', 'typed words restored');
  const list = await (await api()).get(`/api/v1/people/${person.id}/contacts`);
  eq(list.json.items.length, 0, 'nothing saved until asked');
  // The language coach suggests, under the field, in what staff write.
  const next = page.getByLabel('Next steps');
  await next.fill('She was non-compliant with the plan last week.');
  const coach = page.locator('.field').filter({ has: next }).locator('.coach');
  await coach.getByText('A word to reconsider').waitFor();
  assert((await coach.textContent()).includes('non-compliant'), 'the word is named');
  assertNoProblems(b.problems);
});

btest('every note view loads under the CSP without console errors, fits a 360px phone, and uses person-first words', async () => {
  const { person, goals } = await enrolledWithGoals(['Walk to the park each morning']);
  const draft = await apiContact(person.id, { hoursAgo: 2, location: 'The park', goals: [goals[0].id] });
  const c = await api();
  const full = await apiContact(person.id, {
    hoursAgo: 5, minutes: 45, type: 'group', setting: 'office', location: 'Group room', program: 'substance_use', goals: [goals[0].id],
    intervention: 'Led the peer group on routines.', response: 'Shared her morning walk.', next_steps: 'Group again next week.',
  });
  const signed = await c.post(`/api/v1/contacts/${full.id}/sign`, {}, { headers: { 'If-Match': `"${full.version}"` } });
  eq(signed.status, 200, 'signed through the API');
  eq(signed.json.billing.modifiers.join(' '), 'HQ HF', 'group and program modifiers');
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  const views = [
    [`#/people/${person.id}`, new RegExp(person.preferred_name)],
    [`#/people/${person.id}/contacts/new`, 'Write a note'],
    [`#/contacts/${draft.id}`, 'Contact note, a draft'],
    [`#/contacts/${full.id}`, 'Contact note'],
    ['#/documentation-due', 'Documentation due'],
    ['#/contacts/00000000-0000-7000-8000-000000000000', 'Note not found'],
  ];
  const avoid = /\b(clients?|patients?|cases?|caseloads?|addicts?|non-?compliant|abusers?|junkies|alcoholics?|refused|relapsed?|diagnos[ie]s)\b/i;
  for (const [hash, name] of views) {
    await page.goto(`${srv.url}/${hash}`);
    await main(page).getByRole('heading', { level: 1, name, exact: typeof name === 'string' }).waitFor();
    eq(await page.locator('main h1').count(), 1, `${hash}: one h1`);
    const words = await page.evaluate(() => `${document.body.innerText} ${[...document.querySelectorAll('option, [aria-label], [title]')]
      .map((e) => `${e.textContent} ${e.getAttribute('aria-label') || ''} ${e.getAttribute('title') || ''}`).join(' ')}`);
    const hit = avoid.exec(words);
    assert(!hit, `${hash}: avoid the word "${hit && hit[0]}"`);
    eq(await page.locator('[style]').count(), 0, `${hash}: no inline style attributes`);
    await phoneCheck(page, hash);
  }
  // The group note's billing, as signed.
  await page.goto(`${srv.url}/#/contacts/${full.id}`);
  const billing = main(page).getByRole('region', { name: 'Time and billing' });
  await billing.getByText('HQ, HF').waitFor();
  await billing.getByText('Final, as signed', { exact: false }).waitFor();
  assertNoProblems(b.problems, 'note views');
});
