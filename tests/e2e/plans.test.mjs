// Browser flows for plans, in Chromium against the real server: a
// recovery plan written in the person's words, signed by the person, the
// peer and a supervisor, then a second version compared with the first;
// progress notes; a crisis plan's one-page card on a phone; a declaration
// for mental health treatment with its witnesses, the state's rules and
// its events; a stale save; phone-sized screens; console and CSP hygiene.
import fs from 'node:fs';
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, screenshotPath, assertNoProblems, isoDay, PASSWORD } from './browser.mjs';

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

// People on the north roster with no plans yet (the demo writes plans for
// some), active ones first, one for each test that needs one.
let people = null;
async function nextPerson() {
  const c = await api();
  if (!people) {
    const r = await c.get('/api/v1/people?limit=200');
    eq(r.status, 200, 'roster status');
    people = r.json.items.filter((p) => p.status === 'active').concat(r.json.items.filter((p) => p.status !== 'active'));
  }
  while (people.length) {
    const p = people.shift();
    const r = await c.get(`/api/v1/people/${p.id}/plans`);
    if (r.json.items.length === 0) return p;
  }
  throw new Error('no one without plans is left on the roster');
}

// Chromium logs a 422 (a rule refused a change, which these tests ask for
// on purpose) as a console error; browser.mjs does not expect that status.
function forgetRefusals(problems) {
  const keep = problems.filter((p) => !/status of 422 /.test(p));
  problems.splice(0, problems.length, ...keep);
}

// Creates a plan through the API; returns it.
async function makePlan(personId, kind, content, user = 'peer.north') {
  const c = await api(user);
  const r = await c.post(`/api/v1/people/${personId}/plans`, { kind, content });
  eq(r.status, 201, `${kind} plan created`);
  return r.json;
}

const main = (page) => page.getByRole('main');
const status = (page, text) => page.getByRole('status').filter({ hasText: text }).waitFor();

// Nothing wider than the screen, and every control a 44px target.
async function phoneCheck(page, what, width = 360) {
  const r = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main summary, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li') && el.tagName === 'A' && !el.classList.contains('button')
        && !el.closest('.breadcrumb, .plan-summary__main')) continue; // links inside running text
      if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
    }
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small touch targets`);
}

// The difference between two versions is worked out by pure functions in
// the browser code; they run here in Node too.
test('plan_diff: changed words, added and removed items, labelled with the structure\u2019s field labels', async () => {
  const { wordDiff, diffContent } = await import('../../web/js/views/plan_diff.js');
  const kinds = JSON.parse(fs.readFileSync(new URL('../../data/plan-kinds.json', import.meta.url)));
  const fields = kinds.kinds.find((k) => k.kind === 'recovery').fields;
  const ops = wordDiff('I want a place of my own', 'I want a flat of my own');
  eq(JSON.stringify(ops), JSON.stringify([{ op: 'same', text: 'I want a ' }, { op: 'del', text: 'place' }, { op: 'ins', text: 'flat' },
    { op: 'same', text: ' of my own' }]), 'word-level difference');
  eq(ops.filter((o) => o.op !== 'ins').map((o) => o.text).join(''), 'I want a place of my own', 'the old text is kept whole');
  const a = {
    life_areas: ['home'],
    strengths: ['Kind', 'Funny'],
    goals: [{ id: 'g1', words: 'Get a place', lifecycle_status: 'active' }, { id: 'g2', words: 'See my kids', lifecycle_status: 'accepted' }],
  };
  const b = {
    life_areas: ['home', 'purpose'],
    strengths: ['Kind', 'Very funny'],
    goals: [{ id: 'g1', words: 'Get a flat', lifecycle_status: 'completed' }, { id: 'g3', words: 'Find work', lifecycle_status: 'planned' }],
  };
  const changes = diffContent(kinds, fields, a, b);
  const said = changes.map((c) => `${c.where.join(' > ')}: ${c.change} ${c.text || c.before || ''}${c.after ? ` -> ${c.after}` : ''}`);
  eq(said.join('\n'), [
    'Areas of my life this plan is about: added Purpose: meaningful things to do each day',
    'My strengths: changed ',
    'My goals > \u201cGet a flat\u201d > The goal, in my own words: changed ',
    'My goals > \u201cGet a flat\u201d > Where this goal stands: changed Working on it -> Done',
    'My goals: added Find work',
    'My goals: removed See my kids',
  ].join('\n'), 'changes in the order of the structure');
  eq(changes[1].words.map((w) => `${w.op}:${w.text}`).join('|'), 'del:Funny|ins:Very funny', 'a changed list entry');
  eq(diffContent(kinds, fields, a, JSON.parse(JSON.stringify(a))).length, 0, 'no changes between equal versions');
});

btest('a recovery plan in the person\u2019s words is signed by the person, the peer and a supervisor; version 2 is compared with version 1', async () => {
  const person = await nextPerson();
  const due = (await (await api()).get(`/api/v1/people/${person.id}/plans`)).json.due;
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  const plans = main(page).getByRole('region', { name: 'Plans' });
  await plans.waitFor();
  await plans.getByText('No plans yet.').waitFor();
  if (due.some((d) => d.kind === 'recovery')) {
    await plans.getByText(/Recovery and wellness plan due by/).waitFor();
    await plans.getByText(/PA Bulletin OMHSAS 09-07/).waitFor();
  }

  // Start a recovery plan.
  await plans.getByLabel('Kind of plan').selectOption('recovery');
  await plans.getByText(/own goals, the steps toward them/).waitFor();
  await plans.getByRole('button', { name: 'Start this plan' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  await status(page, 'Recovery and wellness plan started.');
  assert(/^#\/plans\/[0-9a-f-]{36}$/.test(new URL(page.url()).hash), `plan address holds only an id: ${page.url()}`);
  const planId = new URL(page.url()).hash.slice('#/plans/'.length);
  assert(!(await page.title()).includes(person.preferred_name), 'no name in the title');

  // Two goals in the person's words.
  await page.getByLabel('A safe, stable place to live').check();
  await page.getByRole('button', { name: 'Add to \u201cMy goals\u201d' }).click();
  const goal1 = page.getByRole('group', { name: 'My goals (1)' });
  assert(await goal1.getByLabel('The goal, in my own words').evaluate((el) => el === document.activeElement), 'focus moves to the new goal');
  await goal1.getByLabel('The goal, in my own words').fill('I want a place of my own with a garden');
  await goal1.getByLabel('Where this goal stands').selectOption('active');
  await page.getByRole('button', { name: 'Add to \u201cMy goals\u201d' }).click();
  const goal2 = page.getByRole('group', { name: 'My goals (2)' });
  await goal2.getByLabel('The goal, in my own words').fill('See my kids every weekend');
  // Saving without where the second goal stands: the error shows beside it.
  await page.getByRole('button', { name: 'Save the plan' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  await summary.getByText('My goals (2): Where this goal stands is required').waitFor();
  const lifecycle2 = goal2.getByLabel('Where this goal stands');
  eq(await lifecycle2.getAttribute('aria-invalid'), 'true', 'the select is marked');
  const errId = (await lifecycle2.getAttribute('aria-describedby')).split(' ')[0];
  assert((await page.locator(`#${errId}`).textContent()).includes('is required'), 'the error is next to the field');
  eq(await goal1.getByLabel('Where this goal stands').getAttribute('aria-invalid'), null, 'the first goal is fine');
  await lifecycle2.selectOption('accepted');
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await status(page, 'Plan saved.');
  eq(await page.locator('[aria-invalid="true"]').count(), 0, 'no field marked invalid');

  // The person signs: they type their name and confirm.
  const sign = main(page).getByRole('region', { name: 'Signatures for version 1' });
  await sign.getByText('Still to sign:').waitFor();
  const asPerson = sign.getByRole('form', { name: 'The person' });
  await asPerson.getByLabel('Their name, typed by them').fill(person.preferred_name);
  await asPerson.getByRole('button', { name: 'Sign as the person' }).click();
  await asPerson.locator('.field__error').filter({ hasText: 'The confirmation must be true' }).waitFor();
  await asPerson.getByLabel('I have read this plan and it is mine').check();
  await asPerson.getByRole('button', { name: 'Sign as the person' }).click();
  await status(page, 'The person signed version 1.');
  // Once signing starts the words are shown to read, in the person's words.
  const words = main(page).locator('.plan-content .their-words');
  await words.filter({ hasText: 'I want a place of my own with a garden' }).waitFor();
  assert((await words.first().textContent()).includes('in their words'), 'marked as their words');
  eq(await page.getByLabel('The goal, in my own words').count(), 0, 'no longer editable');

  // The peer signs; the rules give the professional's signature to a
  // supervisor, so a peer is not offered it, and the panel still lists it.
  await sign.getByRole('button', { name: 'Sign as peer specialist' }).click();
  await status(page, 'Peer specialist signed version 1.');
  eq(await sign.getByRole('button', { name: 'Sign as mental health professional' }).count(), 0, 'a peer is not offered the professional\u2019s signature');
  assert((await sign.locator('.plan-needs').textContent()).includes('Mental health professional'), 'still to sign: the professional');

  // Progress on the first goal.
  const progress = main(page).getByRole('region', { name: 'Progress' });
  const item1 = progress.locator('.progress-item').filter({ hasText: 'I want a place of my own with a garden' });
  await item1.getByText('Add a progress note').click();
  await item1.getByLabel('Progress note').fill('Viewed two flats with a garden this week.');
  await item1.getByLabel('How it is going').selectOption('improving');
  await item1.getByRole('button', { name: 'Add progress note' }).click();
  await status(page, 'Progress note added.');
  await progress.getByText('Viewed two flats with a garden this week.').waitFor();
  await progress.locator('.progress-entry__meta').filter({ hasText: 'Getting closer' }).waitFor();
  forgetRefusals(b.problems);
  assertNoProblems(b.problems);

  // The supervisor signs as the professional: version 1 is signed.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  await signIn(page, 'super.north');
  // Someone else signing in gets a freshly loaded app, at the roster.
  await main(page).getByRole('heading', { name: 'Team roster' }).waitFor();
  await page.goto(`${srv.url}/#/plans/${planId}`);
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  await main(page).getByRole('button', { name: 'Sign as mental health professional' }).click();
  await status(page, 'Mental health professional signed version 1.');
  await main(page).locator('.page__head + .details').getByText('Signed', { exact: true }).waitFor();
  await main(page).getByText('Version 1 is signed by everyone who needs to sign it.').waitFor();

  // Version 2: change one goal's words.
  await main(page).getByRole('button', { name: 'Start a new version' }).click();
  await status(page, 'Version 2 started as a draft.');
  await main(page).getByText('Version 1 is signed and in force.').waitFor();
  const g1 = page.getByRole('group', { name: 'My goals (1)' }).getByLabel('The goal, in my own words');
  eq(await g1.inputValue(), 'I want a place of my own with a garden', 'the new version starts from the last');
  await g1.fill('I want a flat of my own with a garden');
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await status(page, 'Plan saved.');

  // Compare the versions.
  await main(page).getByRole('link', { name: 'Version history' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Version history' }).waitFor();
  await main(page).getByRole('heading', { name: /Version 1: Signed/ }).waitFor();
  eq(await page.getByLabel('From version').inputValue(), '1', 'from the older version');
  eq(await page.getByLabel('To version').inputValue(), '2', 'to the newer');
  await main(page).getByRole('button', { name: 'Compare' }).click();
  await main(page).getByRole('heading', { name: 'Changes from version 1 to version 2' }).waitFor();
  const change = main(page).locator('.diff__item').filter({ hasText: 'The goal, in my own words' });
  eq(await change.count(), 1, 'one change to the goal\u2019s words');
  assert((await change.locator('.diff__where').textContent()).startsWith('My goals'), 'labelled with the field labels');
  const del = (await change.locator('del').allTextContents()).join(' ');
  const ins = (await change.locator('ins').allTextContents()).join(' ');
  assert(del.includes('place') && !del.includes('garden'), `old word marked removed: ${del}`);
  assert(ins.includes('flat') && !ins.includes('garden'), `new word marked added: ${ins}`);
  eq(await main(page).locator('.diff__item').count(), 1, 'nothing else changed');
  await page.screenshot({ path: screenshotPath('plan-compare.png'), fullPage: true });

  // The person's page lists the plan with the version in force.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: person.preferred_name }).click();
  const listed = main(page).getByRole('region', { name: 'Plans' }).locator('.plan-summary');
  await listed.getByRole('link', { name: 'Recovery and wellness plan' }).waitFor();
  await listed.getByText('Signed; a new version is being written').waitFor();
  const facts = await listed.locator('.plan-summary__facts').textContent();
  assert(facts.includes('In force: version 1') && facts.includes('Newest: version 2') && facts.includes('Review due'), `plan facts: ${facts}`);
  assertNoProblems(b.problems);
});

btest('a crisis plan\u2019s card shows what helps, who to call and what to avoid, on one 360px phone screen', async () => {
  const person = await nextPerson();
  const b = await browser({ viewport: { width: 360, height: 740 } });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  const plans = main(page).getByRole('region', { name: 'Plans' });
  await plans.getByLabel('Kind of plan').selectOption('crisis');
  await plans.getByRole('button', { name: 'Start this plan' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Crisis plan' }).waitFor();

  const helps = page.getByRole('group', { name: 'Help from others' });
  await helps.getByRole('button', { name: 'Add to \u201cWhat helps me\u201d' }).click();
  await helps.getByLabel('What helps me (1)').fill('Quiet music and a walk outside');
  await helps.getByRole('button', { name: 'Add to \u201cWhat helps me\u201d' }).click();
  await helps.getByLabel('What helps me (2)').fill('Sitting with my sister');
  await helps.getByRole('button', { name: 'Add to \u201cWhat does not help me\u201d' }).click();
  await helps.getByLabel('What does not help me (1)').fill('Raised voices and crowded rooms');
  const supporters = page.getByRole('group', { name: 'People who support me' });
  await supporters.getByRole('button', { name: 'Add to \u201cWho I want to help, and what they do\u201d' }).click();
  const who = page.getByRole('group', { name: 'Who I want to help, and what they do (1)' });
  await who.getByLabel('Name').fill('Marisol Vega');
  await who.getByLabel("What I'd like them to do").fill('Come and stay with me');
  await who.getByLabel('Phone').fill('555-0166');
  await phoneCheck(page, 'crisis plan form');
  await page.screenshot({ path: screenshotPath('plan-form-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await status(page, 'Plan saved.');

  // Who holds a copy.
  const copies = main(page).getByRole('region', { name: 'Who holds a copy' });
  await copies.getByRole('button', { name: 'Add to \u201cWho holds a copy\u201d' }).click();
  await copies.getByLabel('Who holds it').fill('Marisol Vega');
  await copies.getByLabel('Relationship to the person').fill('sister');
  await copies.getByRole('button', { name: 'Save the list of copies' }).click();
  await status(page, 'The list of copies is saved.');
  eq(await copies.getByLabel('Who holds it').inputValue(), 'Marisol Vega', 'the copy is listed');

  await main(page).getByRole('link', { name: 'Crisis card' }).click();
  const card = main(page).locator('.crisis-card');
  await card.getByRole('heading', { level: 1, name: 'Crisis card' }).waitFor();
  const part = (name) => card.locator('.crisis-card__part').filter({ has: page.getByRole('heading', { name, exact: true }) });
  await part('What helps').getByText('Quiet music and a walk outside').waitFor();
  await part('What helps').getByText('Sitting with my sister').waitFor();
  await part('Who to call').getByText('Marisol Vega').waitFor();
  eq(await part('Who to call').getByRole('link', { name: '555-0166' }).getAttribute('href'), 'tel:5550166', 'a phone to tap');
  await part('Please avoid').getByText('Raised voices and crowded rooms').waitFor();
  await card.getByText(/not signed yet/).waitFor();
  const fits = await page.evaluate(() => {
    const c = document.querySelector('.crisis-card').getBoundingClientRect();
    return { scroll: document.documentElement.scrollWidth, right: c.right, left: c.left };
  });
  assert(fits.scroll <= 360 && fits.left >= 0 && fits.right <= 360, `the card fits 360px: ${JSON.stringify(fits)}`);
  await phoneCheck(page, 'crisis card');
  await page.screenshot({ path: screenshotPath('crisis-card-phone.png'), fullPage: true });
  // Printed, the card is one page, without the app around it.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector('.site-header')).display,
    bar: getComputedStyle(document.querySelector('.print-bar')).display,
  }));
  eq(printed.header, 'none', 'no header in print');
  eq(printed.bar, 'none', 'no buttons in print');
  await page.emulateMedia({ media: 'screen' });
  const pdf = await page.pdf({ format: 'Letter' });
  eq((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length, 1, 'the card prints on one page');

  // The print view of the whole plan.
  await main(page).getByRole('link', { name: 'Back to the plan' }).click();
  await main(page).getByRole('link', { name: 'Print' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Crisis plan' }).waitFor();
  await main(page).getByText('Raised voices and crowded rooms').waitFor();
  await main(page).getByRole('heading', { name: 'Who holds a copy' }).waitFor();
  await main(page).getByText('Marisol Vega, sister').waitFor();
  await phoneCheck(page, 'print view');
  assertNoProblems(b.problems);
});

btest('a community integration plan shows the person\u2019s time with peer support month by month, falling as milestones are reached', async () => {
  // The demo gives some active people a community integration plan and a
  // year of contacts that grow shorter.
  const c = await api();
  const roster = (await c.get('/api/v1/people?status=active&limit=200')).json.items;
  let plan = null;
  for (const p of roster) {
    const items = (await c.get(`/api/v1/people/${p.id}/plans?kind=community-integration`)).json.items;
    if (items.length) { plan = items[0]; break; }
  }
  assert(plan, 'a demo community integration plan');
  const b = await browser({ viewport: { width: 360, height: 740 } });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/plans/${plan.id}`);
  await signIn(page, 'peer.north');
  const section = main(page).getByRole('region', { name: 'Time with peer support' });
  await section.waitFor();
  const chart = section.getByRole('img');
  assert(/Peer contact minutes per month, 12 months/.test(await chart.getAttribute('aria-label')), 'the chart says what it shows');
  eq(await section.locator('rect.bar').count(), 12, 'a bar a month');
  const heights = await section.locator('rect.bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
  assert(heights.slice(0, 3).reduce((a, x) => a + x, 0) > heights.slice(8, 11).reduce((a, x) => a + x, 0), `earlier bars are taller (${heights})`);
  await section.getByText('relying on peer support less').waitFor();
  await section.getByText('The numbers').click();
  eq(await section.locator('tbody tr').count(), 12, 'the numbers as a table');
  await phoneCheck(page, 'community integration plan');
  await page.screenshot({ path: screenshotPath('community-integration-phone.png'), fullPage: true });
  assertNoProblems(b.problems);
});

btest('a declaration for mental health treatment: witnesses answer the state\u2019s statements, rules are shown with their citation, events are recorded', async () => {
  const person = await nextPerson();
  const plan = await makePlan(person.id, 'advance-directive', {
    medications: { choice: 'refuse', refuse_list: ['A medicine that made me very ill'] },
  });
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/plans/${plan.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Declaration for mental health treatment' }).waitFor();
  const standing = main(page).getByRole('region', { name: 'Where the declaration stands' });
  await standing.getByText('755 ILCS 43').waitFor();

  const sign = main(page).getByRole('region', { name: 'Signatures for version 1' });
  // A witness before the person: the rule says the principal signs first.
  const witness = sign.getByRole('form', { name: /^Witness/ });
  async function fillWitness(name, disqualified) {
    await witness.getByLabel('The witness\u2019s full name, typed by them').fill(name);
    await witness.getByLabel('The witness\u2019s address').fill('12 Elm Street, Springfield');
    for (const q of await witness.locator('.yes-no').all()) {
      const text = await q.locator('legend').textContent();
      const attest = /^I know|^The principal|^I am an adult/.test(text);
      const answer = attest || (disqualified && text.startsWith('I am related')) ? 'Yes' : 'No';
      await q.getByLabel(answer, { exact: true }).check();
    }
    await witness.getByLabel('I am signing as a witness, and my answers above are true').check();
  }
  await fillWitness('Avery Stone', false);
  await witness.getByRole('button', { name: 'Sign as witness' }).click();
  let rule = witness.locator('.rule-problem');
  await rule.waitFor();
  assert((await rule.textContent()).includes('755 ILCS 43/20'), `principal-first rule cited: ${await rule.textContent()}`);

  const principal = sign.getByRole('form', { name: 'The person (principal)' });
  await principal.getByLabel('Their name, typed by them').fill(person.preferred_name);
  await principal.getByLabel('I have read this declaration and it states my wishes').check();
  await principal.getByRole('button', { name: 'Sign as the person (principal)' }).click();
  await status(page, 'signed version 1');

  // A witness related to the person cannot sign.
  await fillWitness('Robin Kin', true);
  await witness.getByRole('button', { name: 'Sign as witness' }).click();
  rule = witness.locator('.rule-problem');
  await rule.waitFor();
  assert((await rule.textContent()).includes('755 ILCS 43/65'), `witness rule cited: ${await rule.textContent()}`);
  await fillWitness('Avery Stone', false);
  await witness.getByRole('button', { name: 'Sign as witness' }).click();
  await status(page, 'Witness signed version 1.');
  await fillWitness('Blake Rivers', false);
  await witness.getByRole('button', { name: 'Sign as witness' }).click();
  await status(page, 'Witness signed version 1.');
  const facts = main(page).locator('.page__head + .details');
  await facts.getByText('Executed: ready to use if needed').waitFor();
  await standing.getByText(/Can be used until/).waitFor();

  // Invoked, then able to decide again; revoking needs a physician.
  await standing.getByText('Record that it has been invoked').click();
  await standing.getByLabel(/A court has found/).check();
  await standing.getByRole('button', { name: 'Record: invoked' }).click();
  await status(page, 'Recorded: invoked.');
  await facts.getByText('Invoked: in use now').waitFor();
  await standing.getByText('Record that the person can decide again').click();
  await standing.getByRole('button', { name: 'Record: able to decide again' }).click();
  await status(page, 'Recorded: able to decide again');
  await standing.getByText('Record that the person revoked it').click();
  await standing.getByLabel('The person\u2019s name, typed by them').fill(person.preferred_name);
  await standing.getByRole('button', { name: 'Record: revoked' }).click();
  rule = standing.locator('.rule-problem');
  await rule.waitFor();
  assert((await rule.textContent()).includes('755 ILCS 43/50'), `revocation rule cited: ${await rule.textContent()}`);
  await standing.getByLabel('Physician who signs the revocation').fill('Dr. Lena Ortiz');
  await standing.getByRole('button', { name: 'Record: revoked' }).click();
  await status(page, 'Recorded: revoked.');
  await facts.getByText('Revoked', { exact: true }).waitFor();
  await standing.getByText(/Physician: Dr. Lena Ortiz/).waitFor();
  eq(await main(page).getByRole('button', { name: 'Start a new version' }).count(), 0, 'a declaration is not revised');

  await main(page).getByRole('link', { name: 'Print' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Declaration for mental health treatment' }).waitFor();
  await main(page).getByText('A medicine that made me very ill').waitFor();
  await main(page).getByText(/Witness: Blake Rivers/).waitFor();
  forgetRefusals(b.problems);
  assertNoProblems(b.problems);
});

btest('a save after someone else changed the plan says so and offers to reload, never overwriting', async () => {
  const person = await nextPerson();
  const plan = await makePlan(person.id, 'recovery-management', { coping_steps: ['Call my sponsor'] });
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/plans/${plan.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Recovery-management plan' }).waitFor();
  await page.getByLabel('What I do that helps (1)').fill('Call my sponsor before 9pm');

  const other = await api('peer.north2');
  const r = await other.patch(`/api/v1/plans/${plan.id}`, { content: { coping_steps: ['Call my sponsor', 'Go to a meeting'] } },
    { headers: { 'If-Match': `"${plan.version}"` } });
  eq(r.status, 200, 'colleague saved');

  await page.getByRole('button', { name: 'Save the plan' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Someone else saved this plan' });
  await alert.waitFor();
  eq(await page.getByLabel('What I do that helps (1)').inputValue(), 'Call my sponsor before 9pm', 'typed text stays');
  await alert.getByRole('button', { name: 'Reload the latest version' }).click();
  const carried = page.locator('#carried');
  await carried.waitFor();
  assert((await carried.locator('ins').allTextContents()).join(' ').includes('before 9pm'), 'what was typed is listed');
  eq(await page.getByLabel('What I do that helps (2)').inputValue(), 'Go to a meeting', 'the latest version is shown');
  const saved = await other.get(`/api/v1/plans/${plan.id}`);
  eq(JSON.stringify(saved.json.current.content.coping_steps), JSON.stringify(['Call my sponsor', 'Go to a meeting']), 'nothing overwritten');
  assertNoProblems(b.problems);
});

btest('a recovery plan needs a goal before anyone signs; typed words survive a session that ends', async () => {
  const person = await nextPerson();
  const plan = await makePlan(person.id, 'recovery', { strengths: ['Patient'] });
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/plans/${plan.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  const asPerson = main(page).getByRole('form', { name: 'The person' });
  await asPerson.getByLabel('Their name, typed by them').fill(person.preferred_name);
  await asPerson.getByLabel('I have read this plan and it is mine').check();
  await asPerson.getByRole('button', { name: 'Sign as the person' }).click();
  const rule = asPerson.locator('.rule-problem');
  await rule.waitFor();
  const text = await rule.textContent();
  assert(text.includes('My goals needs at least one entry') && text.includes('PA Bulletin OMHSAS 09-07'), `rule shown: ${text}`);

  // Unsaved words block signing, and come back after the session ends.
  await page.getByRole('button', { name: 'Add to \u201cMy goals\u201d' }).click();
  await page.getByLabel('The goal, in my own words').fill('Sleep through the night');
  await asPerson.getByRole('button', { name: 'Sign as the person' }).click();
  await asPerson.getByText('Save the plan first').waitFor();
  await b.context.clearCookies();
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await main(page).getByRole('heading', { name: 'Sign in' }).waitFor();
  eq(await page.getByText('Sleep through the night').count(), 0, 'typed words are off the screen');
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  await page.locator('#restored-notice').waitFor();
  eq(await page.getByLabel('The goal, in my own words').inputValue(), 'Sleep through the night', 'typed words restored');
  await page.getByLabel('Where this goal stands').selectOption('proposed');
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await status(page, 'Plan saved.');
  const saved = await (await api()).get(`/api/v1/plans/${plan.id}`);
  eq(saved.json.current.content.goals[0].words, 'Sleep through the night', 'saved');
  eq(saved.json.current.content.strengths[0], 'Patient', 'what was there is kept');
  forgetRefusals(b.problems);
  assertNoProblems(b.problems);
});

btest('plan views on a 360px phone screen: nothing scrolls sideways and touch targets are 44px', async () => {
  const person = await nextPerson();
  const plan = await makePlan(person.id, 'recovery', {
    strengths: ['I keep going when things are hard'],
    goals: [{
      words: 'Go back to college for a nursing qualification',
      lifecycle_status: 'active',
      objectives: [{ what: 'Apply to the community college', measure: 'Application sent', target: 'One application', due: isoDay(60) }],
      steps: [{ what: 'Ask about financial aid', who: 'support', support_name: 'Aunt Rosa' }],
    }],
  });
  const b = await browser({ viewport: { width: 360, height: 740 } });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/plans/${plan.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  await phoneCheck(page, 'plan editor');
  await page.screenshot({ path: screenshotPath('plan-phone.png'), fullPage: true });
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await main(page).getByRole('region', { name: 'Plans' }).getByRole('link', { name: /Recovery and wellness plan/ }).waitFor();
  await phoneCheck(page, 'person page with plans');
  await page.goto(`${srv.url}/#/plans/${plan.id}/history`);
  await main(page).getByRole('heading', { level: 1, name: 'Version history' }).waitFor();
  await phoneCheck(page, 'version history');
  await page.goto(`${srv.url}/#/plans/${plan.id}/print`);
  await main(page).getByText('Go back to college for a nursing qualification').waitFor();
  await phoneCheck(page, 'print view');
  assertNoProblems(b.problems);
});

btest('every plan view loads under the CSP without console errors, in person-first words', async () => {
  const person = await nextPerson();
  const crisis = await makePlan(person.id, 'crisis', { help_from_others: { helps: ['Music'] } });
  const recovery = await makePlan(person.id, 'recovery', {});
  const ad = await makePlan(person.id, 'advance-directive', {});
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');
  const views = [
    [`#/people/${person.id}`, new RegExp(person.preferred_name)],
    [`#/plans/${crisis.id}`, 'Crisis plan'],
    [`#/plans/${crisis.id}/history`, 'Version history'],
    [`#/plans/${crisis.id}/print`, 'Crisis plan'],
    [`#/plans/${crisis.id}/card`, 'Crisis card'],
    [`#/plans/${recovery.id}`, 'Recovery and wellness plan'],
    [`#/plans/${recovery.id}/card`, 'No crisis card for this plan'],
    [`#/plans/${ad.id}`, 'Declaration for mental health treatment'],
    [`#/plans/${ad.id}/print`, 'Declaration for mental health treatment'],
    ['#/plans/00000000-0000-7000-8000-000000000000', 'Plan not found'],
  ];
  const avoid = /\b(clients?|patients?|cases?|caseloads?|addicts?|non-?compliant|abusers?|junkies|alcoholics?|refused|relapsed?|diagnos[ie]s)\b/i;
  for (const [hash, name] of views) {
    await page.goto(`${srv.url}/${hash}`);
    await main(page).getByRole('heading', { level: 1, name }).waitFor();
    eq(await page.locator('main h1').count(), 1, `${hash}: one h1`);
    // Everything on screen except the state's statutory wording, quoted as
    // the law has it ("a patient or resident").
    const words = await page.evaluate(() => {
      const clone = document.body.cloneNode(true);
      for (const el of clone.querySelectorAll('.statements')) el.remove();
      return `${clone.innerText} ${[...clone.querySelectorAll('option, [aria-label], [title]')]
        .map((e) => `${e.textContent} ${e.getAttribute('aria-label') || ''} ${e.getAttribute('title') || ''}`).join(' ')}`;
    });
    const hit = avoid.exec(words);
    assert(!hit, `${hash}: avoid the word "${hit && hit[0]}"`);
    eq(await page.locator('[style]').count(), 0, `${hash}: no inline style attributes`);
  }
  assertNoProblems(b.problems, 'plan views');
});
