// Browser flows for peer groups, in Chromium against the real server: on a
// phone, a peer documents a session of a group of three once: the shared
// narrative, each person's own note, next steps and plan goal, with their
// units and the group modifier worked out live; signing with a note
// missing shows the error beside that person's note; signing lands one
// signed group note in each person's record. A group is started and its
// roster filled from the screen. Phone-sized screens; console and CSP
// hygiene; person-first words.
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
// services), with a recovery plan holding goals in their words (as
// tests/e2e/contacts.test.mjs sets them up).
async function enrolledWithGoals(goals = ['Sleep through the night'], name = 'Grouptest Brightwater') {
  const c = await api();
  serial++;
  const p = await c.post('/api/v1/people', {
    preferred_name: `${name}${serial}`,
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

// A group of the north team with these people on its roster.
async function groupWith(people, extra = {}) {
  const c = await api();
  serial++;
  const g = await c.post('/api/v1/groups', {
    team: 'north', name: `Thursday wellness ${serial}`, curriculum: 'wellness_coaching',
    setting: 'community_mental_health_center', location: 'Room 2 at the center', ...extra,
  });
  eq(g.status, 201, `group (${g.text.slice(0, 200)})`);
  for (const p of people) {
    eq((await c.post(`/api/v1/groups/${g.json.id}/members`, { person_id: p.id })).status, 200, 'on the roster');
  }
  return g.json;
}

const main = (page) => page.getByRole('main');
const status = (page, text) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
const AVOID = /\b(clients?|patients?|cases?|caseloads?|addicts?|non-?compliant|abusers?|junkies|alcoholics?|refused|relapsed?|diagnos[ie]s)\b/i;

// Nothing wider than the screen, and every control a 44px target.
async function phoneCheck(page, what, width = 360) {
  const r = await page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary, header a, header button')) {
      const box = el.getBoundingClientRect();
      if (!box.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.closest('p, dd, li') && el.tagName === 'A' && !el.classList.contains('button')
        && !el.closest('.breadcrumb, .note-summary__main, .roster-item__main')) continue; // links inside running text
      if (box.height < 43.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${box.height}px`);
      if (box.right > document.documentElement.clientWidth + 0.5) small.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" sticks out to ${box.right}px`);
    }
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
}

// One h1, person-first words, no inline styles.
async function wordsCheck(page, what) {
  eq(await page.locator('main h1').count(), 1, `${what}: one h1`);
  const words = await page.evaluate(() => `${document.body.innerText} ${[...document.querySelectorAll('option, [aria-label], [title]')]
    .map((e) => `${e.textContent} ${e.getAttribute('aria-label') || ''} ${e.getAttribute('title') || ''}`).join(' ')}`);
  const hit = AVOID.exec(words);
  assert(!hit, `${what}: avoid the word "${hit && hit[0]}"`);
  eq(await page.locator('[style]').count(), 0, `${what}: no inline style attributes`);
}

// Pure functions of the session form run in Node too.
test('group_session: local times become UTC, the roster fills the list, and a saved session comes back into the form', async () => {
  const { toBody, valuesFromSession, defaultValues, peopleOf } = await import('../../web/js/views/group_session.js');
  const group = { setting: 'office', location: 'Room 2', program: null, members: [{ person_id: 'a', name: 'A' }, { person_id: 'b', name: 'B' }] };
  const people = peopleOf(group, null);
  eq(people.map((p) => p.person_id).join(), 'a,b', 'the roster, in order');
  const d = defaultValues(group, people, { id: 'me' }, new Date('2026-11-23T14:07:31Z'));
  eq(`${d.location} ${d.setting} ${d.facilitators} ${d.attendance.length} ${d.attendance[0].present}`, 'Room 2 office me 2 false', 'the group\u2019s place, led by me, nobody come yet');
  const { body, errors } = toBody({ ...d, date: '2026-11-22', start: '23:30', end: '00:15', narrative: '  Talked. ' });
  eq(errors.length, 0, 'no problems');
  eq(body.started_at, new Date(2026, 10, 22, 23, 30).toISOString(), 'started_at from the local date and time');
  eq(Date.parse(body.ended_at) - Date.parse(body.started_at), 45 * 60000, 'ended past midnight');
  eq(body.narrative, 'Talked.', 'trimmed');
  eq(body.attendance[1].note, null, 'an empty note is null');
  eq(toBody({ ...d, start: '10:00', end: '10:00' }).errors[0].field, 'end', 'the end must be after the start');
  const saved = {
    status: 'draft', started_at: body.started_at, ended_at: body.ended_at, location: 'Room 2', facilitators: [{ staff_id: 'me' }],
    attendance: [{ person_id: 'b', name: 'B', present: true, note: 'Shared', next_steps: null, goals: ['g'] }],
  };
  const list = peopleOf(group, saved);
  eq(list.map((p) => p.person_id).join(), 'b,a', 'the saved list, then the rest of the roster');
  const v = valuesFromSession(saved, list);
  eq(`${v.date} ${v.start} ${v.end} ${v.attendance[0].present} ${v.attendance[0].note} ${v.attendance[0].goals} ${v.attendance[1].present}`,
    '2026-11-22 23:30 00:15 true Shared g false', 'back in the form');
});

btest('on a phone, a peer documents a group of three once: each note, next step and goal, units with HQ, an error beside the note missing, then signed notes in each record', async () => {
  const people = [
    await enrolledWithGoals(['Sleep through the night']),
    await enrolledWithGoals(['Walk to the park each morning']),
    await enrolledWithGoals(['Cook a meal for my family']),
  ];
  const group = await groupWith(people.map((x) => x.person));
  const narrative = 'The group talked about what stress feels like and practised a breathing exercise together.';
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/`);
  await signIn(page, 'peer.north');

  // Groups, the group, Document a session.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
  const item = main(page).locator('.group-item').filter({ hasText: group.name });
  await item.getByText('Recovery education and wellness coaching').waitFor();
  await item.getByText('3 people on the roster').waitFor();
  await phoneCheck(page, 'groups');
  await wordsCheck(page, 'groups');
  await item.getByRole('link', { name: group.name }).click();
  await main(page).getByRole('heading', { level: 1, name: group.name }).waitFor();
  for (const x of people) {
    eq(await main(page).locator('#group-members').getByRole('link', { name: x.person.preferred_name }).getAttribute('href'),
      `#/people/${x.person.id}`, 'the roster links to the person');
  }
  await phoneCheck(page, 'group');
  await wordsCheck(page, 'group');
  await main(page).getByRole('link', { name: 'Document a session' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Document a session' }).waitFor();
  assert(/^#\/groups\/[0-9a-f-]{36}\/sessions\/new$/.test(new URL(page.url()).hash), `new session address: ${page.url()}`);
  eq(await page.getByLabel('Where it happened').inputValue(), 'Room 2 at the center', 'the group\u2019s place');
  eq(await main(page).getByRole('checkbox', { name: 'Jordan Lee (you)' }).isChecked(), true, 'led by the writer');

  // When, what, and what the group did.
  const day = isoDay(-1);
  await page.getByLabel('Date').fill(day);
  await page.getByLabel('Started at').fill('14:00');
  await page.getByLabel('Ended at').fill('15:00');
  await main(page).locator('#gs-minutes').filter({ hasText: '60 minutes' }).waitFor();
  eq(await page.locator('#gs-topics option').count() > 3, true, 'the curriculum\u2019s topics are offered');
  await page.getByLabel('Topic').fill('Stress management');
  await page.getByLabel('What the group did together').fill(narrative);
  assert((await page.locator('#gs-narrative-hint').textContent()).includes('name no one'), 'the narrative says to name no one');

  // Each person who came: their note, next steps and goal; the third
  // person's note is left empty for now.
  const card = (x) => main(page).getByRole('group', { name: x.person.preferred_name, exact: true });
  for (const [i, x] of people.entries()) {
    const c = card(x);
    eq(await c.getByLabel('How they took part, in their words').isVisible(), false, 'nothing to write until they came');
    await c.getByRole('checkbox', { name: 'Came' }).check();
    if (i < 2) await c.getByLabel('How they took part, in their words').fill(`Named one thing that helps when stress builds (${i + 1}).`);
    await c.getByLabel('Next steps').fill('Try the breathing exercise twice this week.');
    await c.getByRole('checkbox', { name: x.goals[0].words }).check();
  }
  await main(page).locator('#gs-count').getByText('3 of 3 came').waitFor();
  await page.getByRole('button', { name: 'Save draft' }).click();

  // The draft: each person's units and the group modifier, worked out by
  // the server; the third person's note still lacks how they took part.
  await main(page).getByRole('heading', { level: 1, name: 'Group session, a draft' }).waitFor();
  await status(page, 'Session saved as a draft.');
  const hash = new URL(page.url()).hash;
  assert(new RegExp(`^#/groups/${group.id}/sessions/[0-9a-f-]{36}$`).test(hash), `session address: ${hash}`);
  const sessionId = hash.split('/').pop();
  for (const x of people) {
    const c = card(x);
    await c.locator('.group-person__units-n').filter({ hasText: '4 units' }).waitFor();
    eq((await c.locator('.group-person__modifiers').textContent()).trim(), 'HQ', 'the group modifier');
    await c.getByText('Billable', { exact: true }).waitFor();
    eq(await c.getByRole('checkbox', { name: x.goals[0].words }).isChecked(), true, 'the goal stays ticked');
  }
  await card(people[2]).locator('.group-person__missing').getByText('how they took part').waitFor();
  await main(page).locator('#gs-missing').getByText('Still needed before signing').waitFor();
  await phoneCheck(page, 'session draft');
  await wordsCheck(page, 'session draft');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.screenshot({ path: screenshotPath('group-session-phone.png'), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));

  // Signing with a note missing: the rule, and the error beside it.
  await page.getByRole('button', { name: 'Sign for everyone who came' }).click();
  const rule = main(page).locator('.rule-problem');
  await rule.waitFor();
  const text = await rule.textContent();
  assert(text.includes('The session cannot be signed yet'), `refused: ${text}`);
  assert(text.includes(`How ${people[2].person.preferred_name} took part is needed before the session is signed`), `names the person\u2019s note: ${text}`);
  assert(text.includes('Rule:'), `cites the rule: ${text}`);
  const note = card(people[2]).getByLabel('How they took part, in their words');
  eq(await note.getAttribute('aria-invalid'), 'true', 'the note is marked');
  const errId = (await note.getAttribute('aria-describedby')).split(' ')[0];
  assert((await page.locator(`#${errId}`).textContent()).includes('is needed before the session is signed'), 'the error is beside the note');
  assert(await card(people[2]).locator(`#${errId}`).count() === 1, 'inside that person\u2019s card');
  eq(await card(people[0]).getByLabel('How they took part, in their words').getAttribute('aria-invalid'), null, 'the other notes are fine');
  await page.screenshot({ path: screenshotPath('group-session-refused-phone.png'), fullPage: true });

  // Fill it in and sign.
  await note.fill('Said the breathing helped a little, and wants to try it at night.');
  await page.getByRole('button', { name: 'Sign for everyone who came' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Group session' }).waitFor();
  await status(page, 'Session signed');
  await main(page).locator('.note-standing').getByText('Signed', { exact: true }).waitFor();
  eq(await main(page).getByRole('textbox').count(), 0, 'no longer editable');
  await main(page).locator('#gs-narrative').filter({ hasText: narrative }).waitFor();
  for (const x of people) {
    await main(page).getByRole('link', { name: `Read ${x.person.preferred_name}\u2019s note` }).waitFor();
  }
  await phoneCheck(page, 'signed session');
  await wordsCheck(page, 'signed session');
  await page.screenshot({ path: screenshotPath('group-session-signed-phone.png'), fullPage: true });

  // One person's note: the group's narrative, their own words.
  await main(page).getByRole('link', { name: `Read ${people[1].person.preferred_name}\u2019s note` }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Contact note' }).waitFor();
  await main(page).getByText(narrative).waitFor();
  await main(page).getByText('Named one thing that helps when stress builds (2).').waitFor();
  eq(await main(page).getByText(people[0].person.preferred_name, { exact: true }).count(), 0, 'no other attendee is named in their note');

  // Each of the three has exactly one signed group note.
  const c = await api();
  for (const [i, x] of people.entries()) {
    const list = (await c.get(`/api/v1/people/${x.person.id}/contacts`)).json.items;
    eq(list.length, 1, `one contact for person ${i + 1}`);
    const full = (await c.get(`/api/v1/contacts/${list[0].id}`)).json;
    eq(full.type, 'group', 'a group contact');
    eq(full.status, 'signed', 'signed');
    eq(full.intervention, narrative, 'the shared narrative');
    eq(full.minutes, 60, '60 minutes');
    eq(JSON.stringify(full.billing.modifiers), '["HQ"]', 'HQ');
    eq(full.goals.map((g) => g.item_id).join(), x.goals[0].id, 'their own goal');
    eq(full.group.session_id, sessionId, 'from the session');
  }
  const s = (await c.get(`/api/v1/groups/${group.id}/sessions/${sessionId}`)).json;
  eq(s.status, 'signed', 'the session is signed');
  eq(s.topic, 'Stress management', 'its topic');
  eq(s.started_at, `${day}T14:00:00.000Z`, 'its start');
  assertNoProblems(b.problems);
});

btest('a peer starts a group from the screen and adds a person from the team roster to it, then takes them off', async () => {
  const c = await api();
  serial++;
  const made = await c.post('/api/v1/people', { preferred_name: `Rostertest Quillon${serial}`, date_of_birth: '1979-03-14', language: 'en' });
  eq(made.status, 201, 'person');
  const person = made.json;
  const name = `Wednesday whole health ${serial}`;
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/groups`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
  const form = main(page).getByRole('region', { name: 'Start a group' });

  // A missing name and curriculum are said beside their fields.
  await form.getByRole('button', { name: 'Start the group' }).click();
  await form.locator('.error-summary').waitFor();
  eq(await form.getByLabel('Name of the group').getAttribute('aria-invalid'), 'true', 'the name is needed');
  eq(await form.getByLabel('Curriculum').getAttribute('aria-invalid'), 'true', 'the curriculum is needed');

  await form.getByLabel('Name of the group').fill(name);
  await form.getByLabel('Curriculum').selectOption('wham');
  await form.locator('#group-curriculum-about').getByText('Who leads it:').waitFor();
  await form.locator('#group-curriculum-about').getByText(/whole health goal/).waitFor();
  await form.getByLabel('What the group is about (optional)').fill('Setting a whole health goal and weekly action plans.');
  await form.getByLabel('Setting').selectOption('office');
  await form.getByLabel('Where it meets').fill('The library meeting room');
  await form.getByLabel('Size limit of the group\u2019s own (optional)').fill('8');
  await phoneCheck(page, 'start a group');
  await form.getByRole('button', { name: 'Start the group' }).click();

  await main(page).getByRole('heading', { level: 1, name }).waitFor();
  await status(page, 'Group started.');
  const groupId = new URL(page.url()).hash.split('/').pop();
  await main(page).getByText('Whole Health Action Management (WHAM)').first().waitFor();
  await main(page).getByText('The library meeting room').waitFor();
  await main(page).locator('#group-member-count').filter({ hasText: 'No one is on the roster yet.' }).waitFor();

  // Find them by the first letters of their name and add them.
  await page.getByLabel('Add someone from the team roster').fill('Rostertest');
  await page.getByRole('button', { name: `Add ${person.preferred_name} to the roster` }).click();
  await status(page, `${person.preferred_name} is on the roster.`);
  const members = main(page).locator('#group-members');
  eq(await members.getByRole('link', { name: person.preferred_name }).getAttribute('href'), `#/people/${person.id}`, 'links to their page');
  await main(page).locator('#group-member-count').filter({ hasText: '1 person on the roster, of at most 8.' }).waitFor();
  await phoneCheck(page, 'group with its roster');
  let g = (await c.get(`/api/v1/groups/${groupId}`)).json;
  eq(g.members.map((m) => m.person_id).join(), person.id, 'on the roster');
  eq(`${g.curriculum} ${g.setting} ${g.max_size}`, 'wham office 8', 'started as asked');

  // The groups list counts them.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
  const item = main(page).locator('.group-item').filter({ hasText: name });
  await item.getByText('1 person on the roster').waitFor();
  await item.getByRole('link', { name }).click();

  // Taken off again.
  await main(page).getByRole('button', { name: `Take off ${person.preferred_name} from the roster` }).click();
  await status(page, `${person.preferred_name} is off the roster.`);
  await main(page).locator('#group-member-count').filter({ hasText: 'No one is on the roster yet.' }).waitFor();
  g = (await c.get(`/api/v1/groups/${groupId}`)).json;
  eq(g.members.length, 0, 'off the roster');
  await wordsCheck(page, 'group');
  await page.screenshot({ path: screenshotPath('group-phone.png'), fullPage: true });
  assertNoProblems(b.problems);
});
