// Outreach and follow-up: a person's inpatient stays (kinds from the rules,
// dates checked, If-Match, audited) and the team's four lists: follow-up
// after discharge still to make face to face, frequent stays, not seen for
// the rules' number of days, people in outreach with their attempts. Only
// the actor's teams; administrators and privacy officers 403. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, createPerson, EPISODE, expectNo5xx, auditOf, allPages } from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const sup = await signedIn(srv.url, 'super.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const DAY = 86400000;

// The UTC day n days before today (the demo organisation keeps UTC).
function day(n) {
  return new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
}
function monthsAgo(m, plusDays = 0) {
  const t = new Date();
  t.setUTCDate(1);
  const d = new Date();
  t.setUTCMonth(t.getUTCMonth() - m);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(d.getUTCDate(), last));
  return new Date(t.getTime() + plusDays * DAY).toISOString().slice(0, 10);
}
// A contact n days ago at 10:00 UTC, half an hour long.
function at(n) {
  const start = Date.parse(`${day(n)}T10:00:00Z`);
  return { started_at: new Date(start).toISOString().replace('.000Z', 'Z'), ended_at: new Date(start + 1800000).toISOString().replace('.000Z', 'Z') };
}

async function enrolled(client, intakeDaysAgo) {
  const person = await createPerson(client);
  const ep = await client.post(`/api/v1/people/${person.id}/episodes`, { ...EPISODE, agreement_date: day(intakeDaysAgo), intake_date: day(intakeDaysAgo) });
  eq(ep.status, 201, `enrolled (${ep.text.slice(0, 200)})`);
  const plan = await client.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery', content: { goals: [{ words: 'Get my own place', lifecycle_status: 'active' }] },
  });
  eq(plan.status, 201, `plan (${plan.text.slice(0, 200)})`);
  return { person, episode: ep.json, goal: plan.json.current.content.goals[0].id };
}

async function discharged(client, intakeDaysAgo, dischargeDaysAgo) {
  const x = await enrolled(client, intakeDaysAgo);
  const r = await client.post(`/api/v1/people/${x.person.id}/episodes/${x.episode.id}/discharge`,
    { discharge_date: day(dischargeDaysAgo), reason: 'goals_reached', exit_strategy: 'community_supports' }, ifm(x.episode.version));
  eq(r.status, 200, `discharged (${r.text.slice(0, 200)})`);
  return { ...x, episode: r.json };
}

// A contact of type n days ago, signed unless sign is false.
async function contact(client, x, type, n, { sign = true } = {}) {
  const body = {
    type, ...at(n), setting: 'community', location: 'The library',
    intervention: 'Talked about the week.', response: 'Said it went well.', next_steps: 'Meet again.',
    credential: 'CPRS',
  };
  if (x.goal && !['outreach_attempt'].includes(type)) body.goals = [x.goal];
  const r = await client.post(`/api/v1/people/${x.person.id}/contacts`, body);
  eq(r.status, 201, `contact ${type} (${r.text.slice(0, 300)})`);
  if (!sign) return r.json;
  const s = await client.post(`/api/v1/contacts/${r.json.id}/sign`, {}, ifm(r.json.version));
  eq(s.status, 200, `signed ${type} (${s.text.slice(0, 300)})`);
  return s.json;
}

async function stay(client, personId, admitted, extra = {}) {
  const r = await client.post(`/api/v1/people/${personId}/inpatient-stays`, { kind: 'hospital', admitted_on: admitted, ...extra });
  eq(r.status, 201, `stay (${r.text.slice(0, 300)})`);
  return r.json;
}

async function lists(client = peer, query = '') {
  const r = await client.get(`/api/v1/outreach${query}`);
  eq(r.status, 200, `lists (${r.text.slice(0, 300)})`);
  return r.json;
}

const ids = (list) => new Set(list.map((x) => x.person_id));

test('stays: recorded with a kind from the rules, listed newest first, changed with If-Match, every step audited', async () => {
  const { person } = await enrolled(peer, 20);
  const r = await peer.post(`/api/v1/people/${person.id}/inpatient-stays`,
    { kind: 'crisis_stabilisation', admitted_on: day(9), discharged_on: day(6), facility: 'Riverside crisis unit' });
  eq(r.status, 201, `create (${r.text.slice(0, 300)})`);
  eq(r.headers.get('location'), `/api/v1/inpatient-stays/${r.json.id}`, 'Location');
  eq(r.headers.get('etag'), '"1"', 'ETag');
  eq(r.json.kind, 'crisis_stabilisation', 'kind');
  eq(r.json.facility, 'Riverside crisis unit', 'facility reads back');
  eq(r.json.discharged_on, day(6), 'discharged_on');
  assert(r.json.recorded_by_name, 'who recorded it');
  const older = await stay(peer, person.id, day(15));
  eq(older.discharged_on, null, 'a stay that goes on');

  const list = await peer.get(`/api/v1/people/${person.id}/inpatient-stays`);
  eq(list.status, 200, 'list');
  eq(list.json.items.map((s) => s.id).join(), [r.json.id, older.id].join(), 'newest admission first');
  const kinds = list.json.kinds.map((k) => k.code);
  for (const k of ['hospital', 'crisis_stabilisation', 'withdrawal_management', 'residential_treatment', 'other']) assert(kinds.includes(k), `kind ${k}`);

  expectProblem(await peer.patch(`/api/v1/inpatient-stays/${older.id}`, { discharged_on: day(12) }), 428, 'no If-Match');
  expectProblem(await peer.patch(`/api/v1/inpatient-stays/${older.id}`, { discharged_on: day(12) }, ifm(7)), 412, 'stale If-Match');
  const ch = await sup.patch(`/api/v1/inpatient-stays/${older.id}`, { discharged_on: day(12), facility: 'County hospital' }, ifm(1));
  eq(ch.status, 200, `changed (${ch.text.slice(0, 300)})`);
  eq(ch.headers.get('etag'), '"2"', 'version 2');
  eq(ch.json.discharged_on, day(12), 'discharged_on changed');
  eq(ch.json.facility, 'County hospital', 'facility changed');
  eq(ch.json.admitted_on, day(15), 'admitted_on kept');
  const cl = await peer.patch(`/api/v1/inpatient-stays/${older.id}`, { facility: null }, ifm(2));
  eq(cl.status, 200, 'facility cleared');
  eq(cl.json.facility, null, 'null clears');
  expectFields(await peer.patch(`/api/v1/inpatient-stays/${older.id}`, { discharged_on: day(16) }, ifm(3)),
    ['discharged_on'], { exact: true, what: 'discharged before admitted' });

  const audit = await auditOf(privacy, person.id);
  const mine = audit.filter((e) => e.object_type === 'inpatient_stay');
  eq(mine.filter((e) => e.action === 'create' && e.outcome === 'success').length, 2, 'two creates audited');
  assert(mine.some((e) => e.action === 'list' && e.outcome === 'success'), 'the list read audited');
  const upd = mine.filter((e) => e.action === 'update' && e.outcome === 'success');
  eq(upd.length, 2, 'two changes audited');
  assert(upd[0].detail && upd[0].detail.includes('discharged_on') && upd[0].detail.includes('facility'), `fields named (${upd[0].detail})`);
  assert(!JSON.stringify(audit).includes('County hospital'), 'the facility never reaches the audit log');
  // Sealed at rest.
  assert(!srv.log().includes('Riverside crisis unit'), 'not logged');
});

test('stays: every hostile input is a 400 naming the field; others\' records 404; admin and privacy 403', async () => {
  const { person } = await enrolled(peer, 20);
  const url = `/api/v1/people/${person.id}/inpatient-stays`;
  const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
  expectFields(await peer.post(url, {}), ['kind', 'admitted_on'], { what: 'empty' });
  expectFields(await peer.post(url, { kind: 'psychiatric_ward', admitted_on: day(3) }), ['kind'], { exact: true, what: 'unknown kind' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: '2026-02-30' }), ['admitted_on'], { exact: true, what: 'no such day' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: tomorrow }), ['admitted_on'], { exact: true, what: 'future admission' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: day(3), discharged_on: day(5) }), ['discharged_on'], { exact: true, what: 'discharged before admitted' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: day(3), discharged_on: tomorrow }), ['discharged_on'], { exact: true, what: 'future discharge' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: day(3), facility: 'x'.repeat(201) }), ['facility'], { exact: true, what: 'long facility' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: day(3), facility: 'bad\u0007bell' }), ['facility'], { exact: true, what: 'control character' });
  expectFields(await peer.post(url, { kind: 7, admitted_on: day(3) }), ['kind'], { what: 'a number' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: day(3), diagnosis: 'x' }), ['diagnosis'], { what: 'unknown key' });
  expectFields(await peer.post(url, { kind: 'hospital', admitted_on: null }), ['admitted_on'], { what: 'null date' });
  const ok = await stay(peer, person.id, day(3));
  expectFields(await peer.patch(`/api/v1/inpatient-stays/${ok.id}`, { kind: null }, ifm(1)), ['kind'], { what: 'null kind' });
  expectFields(await peer.patch(`/api/v1/inpatient-stays/${ok.id}`, { admitted_on: 'yesterday' }, ifm(1)), ['admitted_on'], { exact: true, what: 'bad date' });

  expectProblem(await south.post(url, { kind: 'hospital', admitted_on: day(3) }), 404, 'another team records');
  expectProblem(await south.get(url), 404, 'another team reads');
  expectProblem(await south.patch(`/api/v1/inpatient-stays/${ok.id}`, { kind: 'other' }, ifm(1)), 404, 'another team changes');
  expectProblem(await admin.get(url), 403, 'admin reads');
  expectProblem(await privacy.post(url, { kind: 'hospital', admitted_on: day(3) }), 403, 'privacy records');
  expectProblem(await admin.patch(`/api/v1/inpatient-stays/${ok.id}`, { kind: 'other' }, ifm(1)), 403, 'admin changes');
  expectProblem(await peer.get('/api/v1/people/not-an-id/inpatient-stays'), 404, 'a bad person id');
  expectProblem(await peer.patch('/api/v1/inpatient-stays/not-an-id', { kind: 'other' }, ifm(1)), 404, 'a bad stay id');
  expectProblem(await peer.patch(`/api/v1/inpatient-stays/${crypto.randomUUID()}`, { kind: 'other' }, ifm(1)), 404, 'no such stay');
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((e) => e.object_type === 'inpatient_stay' && e.outcome === 'denied'), 'refusals audited');
  expectNo5xx(srv);
});

test('follow_up: discharged people without a signed face-to-face contact since discharge, due or overdue', async () => {
  const overdue = await discharged(peer, 90, 40);
  const due = await discharged(peer, 60, 5);
  const done = await discharged(peer, 60, 10);
  await contact(peer, done, 'post_discharge_follow_up', 2);
  const inPerson = await discharged(peer, 60, 10);
  await contact(peer, inPerson, 'individual', 3);
  const byPhone = await discharged(peer, 60, 10);
  await contact(peer, byPhone, 'phone', 2);
  const draftOnly = await discharged(peer, 60, 10);
  await contact(peer, draftOnly, 'post_discharge_follow_up', 2, { sign: false });
  const before = await discharged(peer, 60, 10);
  await contact(peer, before, 'individual', 15);
  const other = await discharged(south, 90, 40);

  const l = await lists();
  const f = ids(l.follow_up);
  for (const [x, what] of [[overdue, 'overdue'], [due, 'due'], [byPhone, 'a phone call does not count'], [draftOnly, 'a draft does not count'], [before, 'a contact before discharge does not count']]) {
    assert(f.has(x.person.id), `on the list: ${what}`);
  }
  for (const [x, what] of [[done, 'a post-discharge follow-up'], [inPerson, 'an individual contact in person']]) {
    assert(!f.has(x.person.id), `not on the list: ${what}`);
  }
  assert(!f.has(other.person.id), 'not another team\'s person');
  const o = l.follow_up.find((x) => x.person_id === overdue.person.id);
  eq(o.state, 'overdue', 'overdue');
  eq(o.discharge_date, day(40), 'discharge date');
  eq(o.follow_up_due, day(10), 'due 30 days after');
  eq(o.preferred_name, overdue.person.preferred_name, 'preferred name');
  assert('primary_peer_name' in o, 'primary peer');
  eq(Object.keys(o).sort().join(), ['person_id', 'team_id', 'preferred_name', 'primary_peer_name', 'discharge_date', 'follow_up_due', 'state'].sort().join(), 'no other detail');
  eq(l.follow_up.find((x) => x.person_id === due.person.id).state, 'due', 'due');
  const southL = await lists(south);
  assert(ids(southL.follow_up).has(other.person.id), 'south sees its own');
  assert(!ids(southL.follow_up).has(overdue.person.id), 'and not north\'s');
});

test('frequent_stays: at or above the threshold within the window; one short or one too old is left out', async () => {
  const three = await enrolled(peer, 400);
  for (const n of [200, 100, 10]) await stay(peer, three.person.id, day(n));
  const two = await enrolled(peer, 400);
  for (const n of [100, 10]) await stay(peer, two.person.id, day(n));
  const old = await enrolled(peer, 500);
  await stay(peer, old.person.id, monthsAgo(12, -1));
  for (const n of [100, 10]) await stay(peer, old.person.id, day(n));
  const edge = await enrolled(peer, 500);
  await stay(peer, edge.person.id, monthsAgo(12));
  for (const n of [100, 10]) await stay(peer, edge.person.id, day(n));
  const other = await enrolled(south, 400);
  for (const n of [200, 100, 10]) await stay(south, other.person.id, day(n));

  const l = await lists();
  eq(l.thresholds.frequent_stays, 3, 'threshold from the rules');
  eq(l.thresholds.frequent_stays_months, 12, 'window from the rules');
  eq(l.thresholds.stays_admitted_since, monthsAgo(12), 'the window\'s first day');
  const f = ids(l.frequent_stays);
  assert(f.has(three.person.id), 'three stays');
  assert(f.has(edge.person.id), 'a stay on the window\'s first day counts');
  assert(!f.has(two.person.id), 'two stays: one below the threshold');
  assert(!f.has(old.person.id), 'a stay older than 12 months does not count');
  assert(!f.has(other.person.id), 'not another team\'s');
  const x = l.frequent_stays.find((i) => i.person_id === three.person.id);
  eq(x.stays, 3, 'count');
  eq(x.last_admitted_on, day(10), 'last admission');
});

test('not_seen: active or in outreach, no signed contact for the rules\' days (an attempt is not one), not just enrolled', async () => {
  const long = await enrolled(peer, 90);
  await contact(peer, long, 'individual', 40);
  const boundary = await enrolled(peer, 90);
  await contact(peer, boundary, 'phone', 30);
  const recent = await enrolled(peer, 90);
  await contact(peer, recent, 'phone', 29);
  const justEnrolled = await enrolled(peer, 10);
  const attemptsOnly = await enrolled(peer, 90);
  await contact(peer, attemptsOnly, 'outreach_attempt', 2);
  const draftRecent = await enrolled(peer, 90);
  await contact(peer, draftRecent, 'individual', 2, { sign: false });
  const newcomer = await createPerson(peer);
  const gone = await discharged(peer, 300, 200);

  const l = await lists();
  eq(l.thresholds.not_seen_days, 30, 'threshold from the rules');
  const n = ids(l.not_seen);
  for (const [x, what] of [[long.person, 'seen 40 days ago'], [boundary.person, 'seen exactly 30 days ago'],
    [attemptsOnly.person, 'only outreach attempts since'], [draftRecent.person, 'only a draft since'], [newcomer, 'in outreach, never seen']]) {
    assert(n.has(x.id), `on the list: ${what}`);
  }
  for (const [x, what] of [[recent.person, 'seen 29 days ago'], [justEnrolled.person, 'enrolled 10 days ago'], [gone.person, 'discharged']]) {
    assert(!n.has(x.id), `not on the list: ${what}`);
  }
  const a = l.not_seen.find((x) => x.person_id === long.person.id);
  eq(a.last_seen, day(40), 'last seen');
  eq(a.days, 40, 'days');
  const b = l.not_seen.find((x) => x.person_id === newcomer.id);
  eq(b.last_seen, null, 'never seen');
  eq(b.days, null, 'no days');
  assert(!ids((await lists(south)).not_seen).has(long.person.id), 'not for another team');
});

test('outreach: people in outreach with the attempts made, how, and the count going up', async () => {
  const x = { person: await createPerson(peer) };
  const active = await enrolled(peer, 90);
  await contact(peer, active, 'outreach_attempt', 3, { sign: false });
  let l = await lists();
  let item = l.outreach.find((i) => i.person_id === x.person.id);
  assert(item, 'someone in outreach is listed');
  eq(item.attempts, 0, 'no attempts yet');
  eq(item.last_attempt_on, null, 'no last attempt');
  assert(!ids(l.outreach).has(active.person.id), 'an active person is not');
  await contact(peer, x, 'outreach_attempt', 6, { sign: false });
  await contact(peer, x, 'outreach_attempt', 1);
  l = await lists();
  item = l.outreach.find((i) => i.person_id === x.person.id);
  eq(item.attempts, 2, 'two attempts');
  eq(item.last_attempt_on, day(1), 'the last attempt\'s day');
  eq(item.recent_attempts.length, 2, 'listed');
  eq(item.recent_attempts[0].on, day(1), 'newest first');
  eq(item.recent_attempts[0].setting, 'community', 'how: the setting');
  eq(item.recent_attempts[0].setting_label, 'Out in the community', 'with its label');
  eq(item.recent_attempts[0].status, 'signed', 'signed');
  eq(item.recent_attempts[1].status, 'draft', 'a draft attempt counts too');
  const first = l.outreach.findIndex((i) => i.attempts === 0);
  const mine = l.outreach.findIndex((i) => i.person_id === x.person.id);
  assert(first >= 0 && first < mine, 'people with no attempt come first');
});

test('who may: peers and supervisors of the team; ?team names one of theirs; admin and privacy 403; the read audited', async () => {
  const l = await lists(sup);
  eq(l.teams.length, 1, 'one team');
  const north = l.teams[0].id;
  const south1 = (await lists(south)).teams[0].id;
  eq(l.teams[0].name, 'north', 'its name');
  const one = await lists(peer, `?team=${north}`);
  eq(one.teams[0].id, north, 'team=north');
  expectProblem(await south.get(`/api/v1/outreach?team=${north}`), 403, 'another team');
  expectProblem(await peer.get(`/api/v1/outreach?team=${crypto.randomUUID()}`), 403, 'no such team');
  expectFields(await peer.get('/api/v1/outreach?team=north'), ['team'], { exact: true, what: 'a name, not an id' });
  expectFields(await peer.get('/api/v1/outreach?team=%00'), ['team'], { what: 'a NUL' });
  expectFields(await peer.get('/api/v1/outreach?limit=5'), ['query'], { what: 'an unknown parameter' });
  expectProblem(await admin.get('/api/v1/outreach'), 403, 'admin');
  expectProblem(await privacy.get('/api/v1/outreach'), 403, 'privacy');
  expectProblem(await admin.get(`/api/v1/outreach?team=${south1}`), 403, 'admin names a team');

  const entries = (id) => allPages(privacy, `/api/v1/audit?actor=${id}`);
  const p = (await entries(peer.me.id)).filter((e) => e.object_type === 'outreach');
  assert(p.some((e) => e.action === 'list' && e.outcome === 'success' && e.object_id === north && /follow_up=\d+ frequent_stays=\d+ not_seen=\d+ outreach=\d+/.test(e.detail)), 'a read of one team, with its counts');
  assert(p.some((e) => e.action === 'list' && e.outcome === 'success' && !e.object_id), 'a read of every team');
  assert(p.every((e) => e.person_id === null || e.person_id === undefined), 'no person on the entry');
  const s = (await entries(south.me.id)).filter((e) => e.object_type === 'outreach');
  assert(s.some((e) => e.outcome === 'denied' && e.object_id === north), 'the refusal audited');
  const a = (await entries(admin.me.id)).filter((e) => e.object_type === 'outreach');
  assert(a.some((e) => e.outcome === 'denied'), 'admin\'s refusal audited');
  expectNo5xx(srv);
});
