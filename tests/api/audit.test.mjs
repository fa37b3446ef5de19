// The audit log over the API: every read and write of a person's record,
// every sign-in and failure and every denial, with actor, role, person,
// action, outcome and client address; the privacy officer's filters.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import {
  expectProblem, allPages, auditOf, createPerson, sleep, EPISODE, expectNo5xx,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const people = '/api/v1/people';

const lastSeq = async () => {
  const all = await allPages(privacy, '/api/v1/audit');
  return all[all.length - 1].seq;
};

test('GET /api/v1/audit lists entries oldest first with every field', async () => {
  const r = await privacy.get('/api/v1/audit?limit=50');
  eq(r.status, 200, 'status');
  eq(r.headers.get('cache-control'), 'no-store', 'not cached');
  assert(r.json.items.length === 50, 'a full page');
  assert(typeof r.json.next === 'string', 'a cursor');
  let prev = 0;
  for (const e of r.json.items) {
    for (const k of ['seq', 'at', 'actor', 'role', 'person', 'object_type', 'object_id', 'action', 'outcome', 'client_address', 'detail']) {
      assert(k in e, `entry has ${k}`);
    }
    assert(e.seq > prev, 'ascending seq');
    prev = e.seq;
    assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.at), 'at in UTC');
  }
  eq(r.json.items[0].seq, 1, 'starts at entry 1');
});

test('every read and write of a person\'s record is audited with actor, role, person, action, outcome and address', async () => {
  const p = await createPerson(peer, { preferred_name: 'Bryony Kettleworth', phone: '555-0166' });
  await peer.get(`${people}/${p.id}`);
  const u = await peer.patch(`${people}/${p.id}`, { pronouns: 'she/her', phone: '555-0167' }, { headers: { 'If-Match': `"${p.version}"` } });
  eq(u.status, 200, 'update');
  const ep = (await peer.post(`${people}/${p.id}/episodes`, EPISODE)).json;
  const d = await peer.post(`${people}/${p.id}/episodes/${ep.id}/discharge`,
    { discharge_date: '2026-02-20', reason: 'moved', exit_strategy: 'other_program' }, { headers: { 'If-Match': `"${ep.version}"` } });
  eq(d.status, 200, 'discharge');
  const entries = await auditOf(privacy, p.id);
  const mine = entries.filter((e) => e.actor === peer.me.id);
  const find = (obj, action, detail) => mine.find((e) => e.object_type === obj && e.action === action && (detail === undefined || e.detail === detail));
  const create = find('person', 'create');
  const read = find('person', 'read');
  const update = find('person', 'update');
  const enroll = find('episode', 'create', 'enroll');
  const discharge = find('episode', 'update', 'discharge');
  for (const [what, e] of [['create', create], ['read', read], ['update', update], ['enroll', enroll], ['discharge', discharge]]) {
    assert(e, `${what} audited: ${JSON.stringify(entries.map((x) => [x.object_type, x.action, x.detail]))}`);
    eq(e.outcome, 'success', `${what} outcome`);
    eq(e.role, 'peer', `${what} role`);
    eq(e.person, p.id, `${what} person`);
    eq(e.client_address, '127.0.0.1', `${what} client address`);
  }
  eq(create.object_id, p.id, 'create object');
  eq(enroll.object_id, ep.id, 'enroll object');
  eq(discharge.object_id, ep.id, 'discharge object');
  // The update names the fields changed, never their values.
  assert(/pronouns/.test(update.detail) && /phone/.test(update.detail), `fields named: ${update.detail}`);
  const text = JSON.stringify(entries);
  for (const secret of ['Bryony', 'Kettleworth', '555-0166', '555-0167', 'she/her']) {
    assert(!text.includes(secret), `the audit log holds ${secret}`);
  }
  // In the order they happened.
  assert(create.seq < read.seq && read.seq < update.seq && update.seq < enroll.seq && enroll.seq < discharge.seq, 'in order');
});

test('roster lists and searches are audited without the search term', async () => {
  const since = await lastSeq();
  const r = await peer.get(`${people}?q=Gossamerwick&limit=3`);
  eq(r.status, 200, 'search');
  const e = (await allPages(privacy, `/api/v1/audit?actor=${peer.me.id}`)).filter((x) => x.seq > since && x.object_type === 'roster');
  eq(e.length, 1, 'one roster entry');
  eq(e[0].action, 'list', 'action');
  eq(e[0].outcome, 'success', 'outcome');
  assert(!JSON.stringify(e[0]).toLowerCase().includes('gossamer'), 'no search term');
});

test('sign-ins, failures and sign-outs are audited, unknown accounts included', async () => {
  const since = await lastSeq();
  const c = await signedIn(srv.url, 'peer.north2', PASSWORD);
  await new Client(srv.url).post('/api/v1/session', { username: 'peer.north2', password: 'not-the-password' });
  await new Client(srv.url).post('/api/v1/session', { username: 'no.such.person', password: 'not-the-password' });
  eq((await c.del('/api/v1/session')).status, 204, 'sign-out');
  const all = (await allPages(privacy, '/api/v1/audit')).filter((e) => e.seq > since && e.object_type === 'session');
  const ok = all.find((e) => e.action === 'sign_in' && e.outcome === 'success' && e.actor === c.me.id);
  assert(ok, 'success audited');
  eq(ok.role, 'peer', 'role');
  eq(ok.client_address, '127.0.0.1', 'address');
  const fail = all.find((e) => e.action === 'sign_in' && e.outcome === 'failure' && e.actor === c.me.id);
  assert(fail, 'failure audited');
  eq(fail.detail, 'wrong password', 'why');
  eq(fail.client_address, '127.0.0.1', 'failure address');
  const unknown = all.find((e) => e.action === 'sign_in' && e.outcome === 'failure' && e.actor === null);
  assert(unknown, 'unknown account audited');
  eq(unknown.detail, 'unknown account', 'why');
  assert(!JSON.stringify(all).includes('no.such.person'), 'the unknown username is not stored');
  assert(!JSON.stringify(all).includes('not-the-password'), 'no password stored');
  const out = all.find((e) => e.action === 'sign_out' && e.actor === c.me.id);
  assert(out && out.outcome === 'success', 'sign-out audited');
});

test('filters: person, actor, from, to, limit, after, and combinations', async () => {
  const a = await createPerson(peer, { preferred_name: 'Filterina Audit' });
  const b = await createPerson(peer, { preferred_name: 'Filterbert Audit' });
  await south.get(`${people}/${a.id}`); // a denial about a, by south
  await sleep(20); // so no entry shares t0's millisecond (to= is exclusive)
  const t0 = new Date().toISOString();
  await sleep(20);
  await peer.get(`${people}/${a.id}`);
  await peer.get(`${people}/${b.id}`);
  await sleep(20);
  const t1 = new Date().toISOString();
  await sleep(20);
  await peer.get(`${people}/${a.id}`);

  const byA = await auditOf(privacy, a.id);
  assert(byA.length >= 4, 'entries about a');
  assert(byA.every((e) => e.person === a.id), 'person filter');
  assert(byA.some((e) => e.actor === south.me.id && e.outcome === 'denied'), 'the denial is among them');
  const byActor = await allPages(privacy, `/api/v1/audit?actor=${south.me.id}`);
  assert(byActor.length > 0 && byActor.every((e) => e.actor === south.me.id), 'actor filter');
  const both = await allPages(privacy, `/api/v1/audit?person=${a.id}&actor=${peer.me.id}`);
  assert(both.length >= 3 && both.every((e) => e.person === a.id && e.actor === peer.me.id), 'person and actor');
  const window = await allPages(privacy, `/api/v1/audit?from=${t0}&to=${t1}&actor=${peer.me.id}`);
  eq(window.filter((e) => e.action === 'read').length, 2, `two reads in the window (${JSON.stringify(window.map((e) => [e.action, e.at]))})`);
  assert(window.every((e) => e.at >= t0 && e.at < t1), 'inside the window');
  const fromOnly = await allPages(privacy, `/api/v1/audit?from=${t1}&person=${a.id}`);
  assert(fromOnly.length >= 1 && fromOnly.every((e) => e.at >= t1), 'from alone');
  const toOnly = await allPages(privacy, `/api/v1/audit?to=${t0}&person=${a.id}`);
  assert(toOnly.length >= 2 && toOnly.every((e) => e.at < t0), 'to alone');
  // A date is a whole day in the organisation's time zone (UTC here).
  const today = new Date().toISOString().slice(0, 10);
  const day = await allPages(privacy, `/api/v1/audit?from=${today}&person=${a.id}`);
  // (Each read of the log adds an entry about a, so compare by seq.)
  const daySeqs = new Set(day.map((e) => e.seq));
  assert(byA.every((e) => daySeqs.has(e.seq)), 'from=today holds today\'s entries');
  assert(day.every((e) => e.at >= `${today}T00:00:00.000Z`), 'from=today holds only today\'s entries');
  eq((await allPages(privacy, `/api/v1/audit?to=2000-01-01`)).length, 0, 'nothing before 2000');
  const toDay = await allPages(privacy, `/api/v1/audit?to=${today}&person=${a.id}`);
  const toSeqs = new Set(toDay.map((e) => e.seq));
  assert(byA.every((e) => toSeqs.has(e.seq)), 'to=today takes in the whole of today');
  // limit and after walk the log a page at a time without gaps. (The
  // privacy officer's own reads about a are entries about a too: leave
  // them out so the walk has an end.)
  const f = `person=${a.id}&actor=${peer.me.id}`;
  const whole = await allPages(privacy, `/api/v1/audit?${f}`, { limit: 200 });
  const paged = await allPages(privacy, `/api/v1/audit?${f}`, { limit: 1 });
  eq(JSON.stringify(paged.map((e) => e.seq)), JSON.stringify(whole.map((e) => e.seq)), 'pages of one');
  const r = await privacy.get(`/api/v1/audit?limit=2&after=${whole[0].seq}&${f}`);
  eq(r.status, 200, 'after');
  eq(r.json.items[0].seq, whole[1].seq, 'after skips to the next');
  assert(r.json.items.length <= 2, 'limit');
  const big = await privacy.get('/api/v1/audit?limit=200');
  eq(big.status, 200, 'limit=200');
  assert(big.json.items.length > 100 && big.json.items.length <= 200, 'up to 200 entries');
  eq(big.json.next === null, big.json.items.length < 200, 'next only when there may be more');
});

test('reading the audit log is itself audited, naming the person asked about', async () => {
  const p = await createPerson(peer);
  const since = await lastSeq();
  const got = await privacy.get(`/api/v1/audit?person=${p.id}`);
  const mine = (await allPages(privacy, `/api/v1/audit?actor=${privacy.me.id}`)).filter((e) => e.seq > since);
  const e = mine.find((x) => x.object_type === 'audit' && x.action === 'list' && x.object_id === p.id);
  assert(e, 'the read is audited, naming the person asked about');
  eq(e.person, null, 'filed under no person, so reading entries does not add to them');
  eq(e.detail, `count=${got.json.items.length} filter=person`, 'detail');
  eq(e.outcome, 'success', 'outcome');
  eq(e.role, 'privacy', 'role');
  eq(e.client_address, '127.0.0.1', 'address');
});

test('walking a person\'s audit entries one by one comes to an end', async () => {
  const p = await createPerson(peer);
  await peer.get(`/api/v1/people/${p.id}`);
  const before = await allPages(privacy, `/api/v1/audit?person=${p.id}`, { limit: 200 });
  const walked = await allPages(privacy, `/api/v1/audit?person=${p.id}`, { limit: 1 });
  eq(walked.length, before.length, 'same entries whether paged by 1 or by 200');
  assert(before.length >= 2, 'create and read are there');
});

test('a peer asking for the audit log is refused and that is audited too', async () => {
  const since = await lastSeq();
  expectProblem(await peer.get('/api/v1/audit'), 403, 'peer');
  const e = (await allPages(privacy, `/api/v1/audit?actor=${peer.me.id}`)).filter((x) => x.seq > since);
  assert(e.some((x) => x.object_type === 'audit' && x.outcome === 'denied' && x.client_address === '127.0.0.1'), 'denial audited');
});

test('the client address is the socket\'s; X-Forwarded-For counts only behind --trust-proxy', async () => {
  const since = await lastSeq();
  const c = new Client(srv.url);
  eq((await c.post('/api/v1/session', { username: 'peer.north', password: PASSWORD }, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status, 201, 'sign-in');
  const e = (await allPages(privacy, `/api/v1/audit?actor=${peer.me.id}`)).filter((x) => x.seq > since && x.action === 'sign_in');
  eq(e.length, 1, 'one sign-in');
  eq(e[0].client_address, '127.0.0.1', 'a forged header is ignored');
  const proxied = await startServer({ args: ['--trust-proxy'] });
  try {
    const pc = new Client(proxied.url);
    eq((await pc.post('/api/v1/session', { username: 'peer.north', password: PASSWORD }, { headers: { 'X-Forwarded-For': '198.51.100.4, 203.0.113.9' } })).status, 201, 'proxied sign-in');
    const c2 = await signedIn(proxied.url, 'peer.north', PASSWORD);
    await c2.get('/api/v1/people', { headers: { 'X-Forwarded-For': '2001:db8::5' } });
    await c2.get('/api/v1/people', { headers: { 'X-Forwarded-For': 'not-an-address' } });
    const pp = await signedIn(proxied.url, 'privacy', PASSWORD);
    const all = (await allPages(pp, `/api/v1/audit?actor=${c2.me.id}`));
    const signIns = all.filter((x) => x.action === 'sign_in');
    assert(signIns.some((x) => x.client_address === '203.0.113.9'), `the last forwarded address is recorded: ${JSON.stringify(signIns.map((x) => x.client_address))}`);
    const lists = all.filter((x) => x.object_type === 'roster');
    eq(lists.length, 2, 'two roster reads');
    eq(lists[0].client_address, '2001:db8::5', 'an IPv6 forwarded address');
    eq(lists[1].client_address, '127.0.0.1', 'a malformed forwarded address falls back to the socket');
  } finally {
    await proxied.stop();
  }
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
