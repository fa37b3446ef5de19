// Browser flows for the language coach, in Chromium against the real
// server: in a new recovery plan's notes a word to reconsider is shown
// under the field with its suggestion and underlined in a copy of the
// text; quoted speech and an organisation's name are left alone; the
// suggestion goes in with one click (its article agreeing); nothing stops
// the plan being saved, with or without findings. The coach's pure
// helpers run in Node too.
import { test, after, assert, eq } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { launch, browserTest, signIn, assertNoProblems, PASSWORD } from './browser.mjs';

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

// Someone on the north roster with no plans yet.
async function personWithoutPlans() {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const r = await c.get('/api/v1/people?limit=200');
  eq(r.status, 200, 'roster');
  const people = r.json.items.filter((p) => p.status === 'active').concat(r.json.items.filter((p) => p.status !== 'active'));
  for (const p of people) {
    if ((await c.get(`/api/v1/people/${p.id}/plans`)).json.items.length === 0) return { person: p, api: c };
  }
  throw new Error('no one without plans on the roster');
}

const main = (page) => page.getByRole('main');
const status = (page, text) => page.getByRole('status').filter({ hasText: text }).waitFor();

test('language_coach: code point offsets, the text cut at findings, capitals and articles', async () => {
  const { segments, codePointIndex, fitted, isAdvice, articleFix } = await import('../../web/js/language_coach.js');
  const text = '\u00d1and\u00fa \u{1F642} \u2014 Addict!';
  eq(JSON.stringify(codePointIndex('a\u{1F642}b')), '[0,1,3,4]', 'a surrogate pair is one code point');
  eq(JSON.stringify(segments(text, [{ start: 10, end: 16 }]).map((s) => [s.text, !!s.finding])),
    JSON.stringify([['\u00d1and\u00fa \u{1F642} \u2014 ', false], ['Addict', true], ['!', false]]), 'segments');
  eq(fitted('person in recovery', 'Addict'), 'Person in recovery', 'a capital kept');
  eq(fitted('person in recovery', 'addict'), 'person in recovery', 'lower case kept');
  assert(isAdvice('(describe the specific behaviour)') && !isAdvice('declined'), 'advice in brackets');
  eq(JSON.stringify(articleFix('called her an ', 'person with')), '{"start":11,"end":13,"text":"a"}', 'an -> a');
  eq(articleFix('called her ', 'person'), null, 'no article');
  eq(JSON.stringify(articleFix('An ', 'individual')), 'null', 'already agrees');
});

btest('in a plan\u2019s notes the coach shows a finding with its suggestion, applies it in one click, and never blocks saving', async () => {
  const { person, api } = await personWithoutPlans();
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  const plans = main(page).getByRole('region', { name: 'Plans' });
  await plans.getByText('No plans yet.').waitFor();
  await plans.getByLabel('Kind of plan').selectOption('recovery');
  await plans.getByRole('button', { name: 'Start this plan' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Recovery and wellness plan' }).waitFor();
  await status(page, 'Recovery and wellness plan started.');
  const planId = new URL(page.url()).hash.slice('#/plans/'.length);

  const notes = page.getByLabel('Notes', { exact: true });
  const field = page.locator('.field').filter({ has: notes });
  const coach = field.locator('.coach');
  eq(await coach.isHidden(), true, 'nothing shown before anything is written');
  // Quoted speech and an organisation's name are left alone; the word
  // staff wrote is not.
  const said = 'She told me \u201cI\u2019m an addict, that\u2019s my word\u201d and she goes to Narcotics Anonymous on Tuesdays. ';
  await notes.fill(said);
  await notes.pressSequentially('Staff called her an addict.', { delay: 15 });
  const item = coach.getByRole('listitem');
  await item.first().waitFor();
  eq(await item.count(), 1, 'one finding: not the quote, not the organisation');
  const itemText = await item.first().textContent();
  assert(itemText.includes('Consider \u201cperson with a substance use disorder\u201d instead of \u201caddict\u201d:'), `the suggestion: ${itemText}`);
  assert(/reduce a person to their substance use/.test(itemText), 'and why');
  eq(await coach.locator('.coach__title').textContent(), 'A word to reconsider', 'heading');
  eq(await coach.locator('mark').count(), 1, 'one word underlined');
  eq(await coach.locator('mark').textContent(), 'addict', 'the word underlined');
  const described = (await notes.getAttribute('aria-describedby')).split(' ');
  assert(described.includes(await coach.locator('.coach__title').getAttribute('id')), 'the field is described by the coach');
  assert(await coach.getByRole('list').getAttribute('aria-labelledby'), 'the list is labelled');

  // Nothing blocks saving while a finding is shown.
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await status(page, 'Plan saved.');
  eq(await page.locator('.error-summary').count(), 0, 'no error summary');
  let saved = (await api.get(`/api/v1/plans/${planId}`)).json;
  assert(saved.current.content.notes.endsWith('Staff called her an addict.'), 'saved as written');

  // One click puts the suggestion in; the article agrees.
  const notesAgain = page.getByLabel('Notes', { exact: true });
  const coachAgain = page.locator('.field').filter({ has: notesAgain }).locator('.coach');
  await coachAgain.getByRole('listitem').first().waitFor();
  await coachAgain.getByRole('button', { name: /^Use \u201cperson with a substance use disorder\u201d/ }).click();
  const value = await notesAgain.inputValue();
  eq(value, `${said}Staff called her a person with a substance use disorder.`, 'replaced in place');
  assert(await notesAgain.evaluate((el) => el === document.activeElement), 'focus back in the field');
  await coachAgain.waitFor({ state: 'hidden' });
  await page.getByRole('status').filter({ hasText: 'replaced with \u201cperson with a substance use disorder\u201d' }).waitFor();

  await page.getByRole('button', { name: 'Save the plan' }).click();
  await status(page, 'Plan saved.');
  saved = (await api.get(`/api/v1/plans/${planId}`)).json;
  eq(saved.current.content.notes, `${said}Staff called her a person with a substance use disorder.`.trim(), 'saved with the suggestion');
  assertNoProblems(b.problems, 'plan editor with the coach');
});

btest('the coach on a phone: a clinical word, advice without a button, and a field that fits the screen', async () => {
  const { person } = await personWithoutPlans();
  const b = await browser({ viewport: { width: 360, height: 740 } });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  const plans = main(page).getByRole('region', { name: 'Plans' });
  await plans.getByLabel('Kind of plan').selectOption('recovery-management');
  await plans.getByRole('button', { name: 'Start this plan' }).click();
  await status(page, 'plan started.');
  const notes = page.getByLabel('Notes', { exact: true });
  await notes.fill('The patient was dangerous, I think.');
  const coach = page.locator('.field').filter({ has: notes }).locator('.coach');
  await coach.getByRole('listitem').nth(1).waitFor();
  const texts = await coach.getByRole('listitem').allTextContents();
  assert(texts[0].startsWith('Consider \u201cperson\u201d instead of \u201cpatient\u201d'), `clinical scope: ${texts[0]}`);
  assert(texts[1].startsWith('Instead of \u201cdangerous\u201d, describe the specific behaviour'), `advice: ${texts[1]}`);
  eq(await coach.getByRole('listitem').nth(1).getByRole('button').count(), 0, 'advice has no button');
  await coach.getByRole('button', { name: /^Use \u201cperson\u201d/ }).click();
  eq(await notes.inputValue(), 'The person was dangerous, I think.', 'replaced');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 360, `page is ${width}px wide`);
  assertNoProblems(b.problems, 'coach on a phone');
});
