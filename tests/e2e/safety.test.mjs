// Browser flow for safety concerns, in Chromium against the real server:
// on a phone, a peer raises a concern from the person's page in one step;
// the team's supervisor sees the unread count in the header, opens the
// notification, reads what was said and the person's crisis plan, and
// acknowledges it. A concern can also be raised from a signed note. No
// console or CSP errors; 360px phone: no horizontal scroll, 44px targets.
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
const WHAT = 'Said they have been thinking about ending their life this weekend.';

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
    return { width: document.documentElement.scrollWidth, small };
  });
  assert(r.width <= width, `${what}: page is ${r.width}px wide`);
  eq(r.small.join('; '), '', `${what}: small or overflowing touch targets`);
}

let serial = 0;

// A person on the north roster with a signed crisis plan, through the API.
async function personWithCrisisPlan() {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  serial++;
  const p = await c.post('/api/v1/people', { preferred_name: `Safetytest Larkspur${serial}`, pronouns: 'they/them', language: 'en' });
  eq(p.status, 201, 'person');
  const plan = await c.post(`/api/v1/people/${p.json.id}/plans`, {
    kind: 'crisis',
    content: {
      help_from_others: { helps: ['Sit with me somewhere quiet'], does_not_help: ['Raised voices'] },
      supporters: { people: [{ name: 'Robin Ashgrove', role: 'Comes over', phone: '555-0199' }] },
    },
  });
  eq(plan.status, 201, 'crisis plan');
  const s = await c.post(`/api/v1/plans/${plan.json.id}/sign`, { role: 'person', typed_name: 'Safetytest', confirmed: true },
    { headers: { 'If-Match': '"1"' } });
  eq(s.status, 200, 'signed');
  return { person: p.json, plan: plan.json };
}

btest('a peer raises a concern from the person\'s page in one step; the supervisor sees the count, the crisis plan, and acknowledges', async () => {
  const { person, plan } = await personWithCrisisPlan();
  const supApi = await signedIn(srv.url, 'super.north', PASSWORD);
  const before = (await supApi.get('/api/v1/notifications?limit=0')).json.unread;

  // The peer, on a phone.
  const b = await browser({ viewport: PHONE });
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/people/${person.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: person.preferred_name }).waitFor();
  await main(page).getByRole('link', { name: 'Raise a safety concern' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Raise a safety concern' }).waitFor();
  await phoneCheck(page, 'raise form');
  await page.getByRole('button', { name: 'Raise the concern' }).click();
  await main(page).getByRole('alert').filter({ hasText: 'not raised yet' }).waitFor();
  await page.getByLabel('What is the concern about?').selectOption('self');
  await page.getByLabel('What was said or seen').fill(WHAT);
  await page.getByRole('button', { name: 'Raise the concern' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Safety concern' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'supervisors have been told' }).first().waitFor();
  await main(page).getByText('Waiting for a supervisor').waitFor();
  await main(page).getByText(WHAT).waitFor();
  eq(await main(page).getByRole('button', { name: /Acknowledge/ }).count(), 0, 'a peer does not acknowledge');
  await phoneCheck(page, 'concern page (peer)');
  const concernUrl = page.url();
  await page.screenshot({ path: screenshotPath('safety-raised-phone.png'), fullPage: true });
  assertNoProblems(b.problems, 'peer');

  // The supervisor, on a phone: the count in the header on any page.
  const sb = await browser({ viewport: PHONE });
  const sp = await sb.newPage();
  await sp.goto(`${srv.url}/#/people`);
  await signIn(sp, 'super.north');
  const link = sp.getByRole('link', { name: /Notifications/ });
  await link.waitFor();
  await sp.locator('#nav-notify-count').filter({ hasText: String(before) === '0' ? '1' : String(before + 1) }).first().waitFor();
  await phoneCheck(sp, 'roster with the notification count');
  await link.click();
  await main(sp).getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await phoneCheck(sp, 'notifications');
  await main(sp).getByRole('link', { name: `A safety concern was raised for ${person.preferred_name}` }).first().click();
  await main(sp).getByRole('heading', { level: 1, name: 'Safety concern' }).waitFor();
  eq(sp.url(), concernUrl, 'the same concern');
  await main(sp).getByText(WHAT).waitFor();
  const planCard = main(sp).getByRole('region', { name: 'Their crisis plan' });
  await planCard.getByText('Sit with me somewhere quiet').waitFor();
  await planCard.getByText('Robin Ashgrove').waitFor();
  await planCard.getByText('Raised voices').waitFor();
  eq(await planCard.getByRole('link', { name: 'Open the crisis card' }).getAttribute('href'), `#/plans/${plan.id}/card`, 'links to the card');
  await phoneCheck(sp, 'concern page (supervisor)');
  await main(sp).getByRole('button', { name: /Acknowledge/ }).click();
  await main(sp).getByText('A supervisor is on it').waitFor();
  await main(sp).getByRole('region', { name: 'What has been done' }).getByText('Acknowledged').waitFor();
  await main(sp).getByText(/Acknowledged .* by Sam Okafor/).waitFor();
  eq(await main(sp).getByRole('button', { name: /Acknowledge/ }).count(), 0, 'acknowledged once');
  eq((await supApi.get('/api/v1/notifications?limit=0')).json.unread, before, 'opening the notification marked it read');

  // Record a step.
  await main(sp).getByLabel('What was done').selectOption('contacted_person');
  await main(sp).getByLabel(/A short note/).fill('Spoke by phone; Robin is coming over.');
  await main(sp).getByRole('button', { name: 'Save the step' }).click();
  await main(sp).getByRole('region', { name: 'What has been done' }).getByText('Spoke by phone; Robin is coming over.').waitFor();
  await sp.screenshot({ path: screenshotPath('safety-acknowledged-phone.png'), fullPage: true });
  assertNoProblems(sb.problems, 'supervisor');
  const after = await supApi.get(concernUrl.replace(/.*#\/safety-concerns\//, '/api/v1/safety-concerns/'));
  eq(after.json.status, 'acknowledged', 'acknowledged on the server');
});

btest('from a signed note: the concern is linked to it', async () => {
  const { person } = await personWithCrisisPlan();
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const start = Math.floor((Date.now() - 3 * 3600000) / 60000) * 60000;
  const r = await c.post(`/api/v1/people/${person.id}/contacts`, {
    type: 'outreach_attempt', started_at: new Date(start).toISOString(), ended_at: new Date(start + 20 * 60000).toISOString(),
    location: 'By phone', intervention: 'Talked through the week.', response: 'Felt heard.', next_steps: 'Call on Friday.',
  });
  eq(r.status, 201, 'contact');
  const s = await c.post(`/api/v1/contacts/${r.json.id}/sign`, {}, { headers: { 'If-Match': `"${r.json.version}"` } });
  eq(s.status, 200, `signed (${s.text.slice(0, 200)})`);
  const b = await browser();
  const page = await b.newPage();
  await page.goto(`${srv.url}/#/contacts/${r.json.id}`);
  await signIn(page, 'peer.north');
  await main(page).getByRole('heading', { level: 1, name: 'Contact note' }).waitFor();
  await main(page).getByRole('link', { name: 'Raise a safety concern' }).click();
  await main(page).getByText('from a note').first().waitFor();
  await page.getByLabel('What is the concern about?').selectOption('others');
  await page.getByLabel('What was said or seen').fill('Said they want to hurt their neighbour.');
  await page.getByRole('button', { name: 'Raise the concern' }).click();
  await main(page).getByRole('heading', { level: 1, name: 'Safety concern' }).waitFor();
  await main(page).getByRole('link', { name: 'Open the note' }).waitFor();
  assertNoProblems(b.problems, 'from a note');
});
