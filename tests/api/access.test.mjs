// Authorisation: team rosters decide who sees a person; administrators and
// privacy officers read no records; only the privacy officer reads the
// audit log; every denial is audited.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import {
  expectProblem, expectFields, allPages, auditOf, createPerson, findPerson, EPISODE, expectNo5xx,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const north = await signedIn(srv.url, 'peer.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const supNorth = await signedIn(srv.url, 'super.north', PASSWORD);
const supSouth = await signedIn(srv.url, 'super.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const people = '/api/v1/people';
const NOBODY = '01900000-0000-7000-8000-000000000000';
const jonathan = await findPerson(north, 'Jonathan');

// The audit entries about a person made by one actor after seq.
async function entries(personId, actorId, since = 0) {
  return (await auditOf(privacy, personId)).filter((e) => e.actor === actorId && e.seq > since);
}
async function lastSeq() {
  const all = await allPages(privacy, '/api/v1/audit');
  return all[all.length - 1].seq;
}

test('a peer of south cannot read a north person: 404, the same answer as for nobody', async () => {
  const since = await lastSeq();
  const r = await south.get(`${people}/${jonathan.id}`);
  expectProblem(r, 404, 'north person');
  const none = await south.get(`${people}/${NOBODY}`);
  eq(r.text, none.text, 'same body as an unknown id');
  eq(r.headers.get('etag'), null, 'no ETag');
  eq(JSON.stringify([...r.headers.keys()].filter((k) => k !== 'date').sort()),
    JSON.stringify([...none.headers.keys()].filter((k) => k !== 'date').sort()), 'same headers');
  assert(!r.text.includes('Jonathan'), 'no name');
  const denied = await entries(jonathan.id, south.me.id, since);
  eq(denied.length, 1, 'the denial is audited once');
  eq(denied[0].action, 'read', 'action');
  eq(denied[0].outcome, 'denied', 'outcome');
  eq(denied[0].role, 'peer', 'role');
  eq(denied[0].object_type, 'person', 'object type');
  eq(denied[0].client_address, '127.0.0.1', 'client address');
});

test('a peer of south cannot change, enroll or discharge a north person, and learns nothing', async () => {
  const p = await north.get(`${people}/${jonathan.id}`);
  const since = await lastSeq();
  const v = { headers: { 'If-Match': p.headers.get('etag') } };
  const patch = await south.patch(`${people}/${jonathan.id}`, { preferred_name: 'Taken Over' }, v);
  expectProblem(patch, 404, 'PATCH');
  const patchNone = await south.patch(`${people}/${NOBODY}`, { preferred_name: 'Taken Over' }, v);
  eq(patch.text, patchNone.text, 'PATCH: same body as an unknown id');
  // A stale version or bad values do not tell it exists either.
  expectProblem(await south.patch(`${people}/${jonathan.id}`, { pronouns: 'x' }, { headers: { 'If-Match': '"999"' } }), 404, 'stale PATCH');
  expectProblem(await south.patch(`${people}/${jonathan.id}`, { phone: 'bad phone' }, v), 404, 'invalid PATCH');
  expectProblem(await south.post(`${people}/${jonathan.id}/episodes`, EPISODE), 404, 'enroll');
  expectProblem(await south.post(`${people}/${jonathan.id}/episodes`, { ...EPISODE, intake_date: 'x' }), 404, 'invalid enroll');
  // Discharge the south peer cannot reach.
  const active = (await allPages(north, `${people}?status=active`))[0];
  const full = (await north.get(`${people}/${active.id}`)).json;
  const ep = full.episodes[0];
  expectProblem(await south.post(`${people}/${active.id}/episodes/${ep.id}/discharge`,
    { discharge_date: '2026-03-01', reason: 'moved', exit_strategy: 'own_plan' }, { headers: { 'If-Match': `"${ep.version}"` } }), 404, 'discharge');
  const now = (await north.get(`${people}/${jonathan.id}`)).json;
  eq(now.version, p.json.version, 'version unchanged');
  eq(now.preferred_name, p.json.preferred_name, 'name unchanged');
  eq(now.status, p.json.status, 'status unchanged');
  eq((await north.get(`${people}/${active.id}`)).json.status, 'active', 'still active');
  const denied = await entries(jonathan.id, south.me.id, since);
  assert(denied.length >= 5 && denied.every((e) => e.outcome === 'denied'), `the denials are audited: ${JSON.stringify(denied.map((e) => [e.action, e.outcome]))}`);
  assert(denied.some((e) => e.action === 'update' && e.object_type === 'person'), 'update denial');
  assert(denied.some((e) => e.action === 'create' && e.object_type === 'episode'), 'enroll denial');
  assert((await entries(active.id, south.me.id, since)).some((e) => e.object_type === 'episode' && e.outcome === 'denied'), 'discharge denial');
});

test('rosters: a peer lists only their team; naming another team is 403 and audited', async () => {
  const mine = await allPages(south, people);
  eq(mine.length, 20, 'the south roster');
  assert(mine.every((p) => p.team === 'south'), 'only south');
  eq((await allPages(south, `${people}?team=south`)).length, 20, 'team=south');
  const since = await lastSeq();
  const r = await south.get(`${people}?team=north`);
  expectProblem(r, 403, 'team=north');
  assert(!r.text.includes('Jonathan'), 'no names');
  const mineAudit = (await allPages(privacy, `/api/v1/audit?actor=${south.me.id}`)).filter((e) => e.seq > since);
  assert(mineAudit.some((e) => e.object_type === 'roster' && e.action === 'list' && e.outcome === 'denied'), 'the roster denial is audited');
  // Searching does not reach past the roster.
  eq((await allPages(south, `${people}?q=jonathan`)).length, 0, 'no north people by search');
  // A north person's id is no cursor for a south peer.
  const c = await south.get(`${people}?after=${jonathan.id}`);
  const cn = await south.get(`${people}?after=${NOBODY}`);
  expectFields(c, ['after'], { exact: true });
  eq(c.text, cn.text, 'the same answer as for an unknown id');
});

test('supervisors see their own team only', async () => {
  eq((await supNorth.get(`${people}/${jonathan.id}`)).status, 200, 'super.north reads north');
  expectProblem(await supSouth.get(`${people}/${jonathan.id}`), 404, 'super.south');
  const list = await allPages(supSouth, people);
  assert(list.length === 20 && list.every((p) => p.team === 'south'), 'super.south lists south');
});

test('an administrator manages accounts but reading or changing a person is 403, and audited', async () => {
  const since = await lastSeq();
  const r = await admin.get(`${people}/${jonathan.id}`);
  expectProblem(r, 403, 'admin read');
  assert(!r.text.includes('Jonathan'), 'no name');
  expectProblem(await admin.get(people), 403, 'admin list');
  expectProblem(await admin.get(`${people}?q=jon`), 403, 'admin search');
  expectProblem(await admin.post(people, { preferred_name: 'Testperson Adminmade', team: 'north' }), 403, 'admin create');
  expectProblem(await admin.patch(`${people}/${jonathan.id}`, { pronouns: 'x' }, { headers: { 'If-Match': '"1"' } }), 403, 'admin update');
  expectProblem(await admin.post(`${people}/${jonathan.id}/episodes`, EPISODE), 403, 'admin enroll');
  const denied = await entries(jonathan.id, admin.me.id, since);
  assert(denied.some((e) => e.action === 'read' && e.outcome === 'denied' && e.role === 'admin'), 'the admin read denial is audited');
  assert(denied.some((e) => e.action === 'update' && e.outcome === 'denied'), 'the admin update denial is audited');
  eq((await allPages(north, `${people}?q=adminmade`)).length, 0, 'nobody created');
  // An id that names nobody gets the same 403, so ids cannot be probed.
  const nobody = '01a20000-0000-7000-8000-000000000000';
  const known = await admin.get(`${people}/${jonathan.id}`);
  const unknown = await admin.get(`${people}/${nobody}`);
  eq(unknown.status, 403, 'admin read of an id that names nobody');
  eq(unknown.text, known.text, 'the same body either way');
  expectProblem(await admin.post(`${people}/${nobody}/episodes`, EPISODE), 403, 'admin enroll of nobody');
});

test('the privacy officer reads the audit log but no record; everyone else is 403 on /audit, audited', async () => {
  expectProblem(await privacy.get(`${people}/${jonathan.id}`), 403, 'privacy read');
  expectProblem(await privacy.get(people), 403, 'privacy list');
  eq((await privacy.get('/api/v1/audit?limit=5')).status, 200, 'privacy reads the audit log');
  const since = await lastSeq();
  for (const c of [north, south, supNorth, admin]) {
    const r = await c.get('/api/v1/audit');
    expectProblem(r, 403, `${c.me.username} on /audit`);
    assert(!('items' in r.json), 'no entries');
    expectProblem(await c.get(`/api/v1/audit?person=${jonathan.id}`), 403, `${c.me.username} on /audit?person`);
  }
  const all = (await allPages(privacy, '/api/v1/audit')).filter((e) => e.seq > since && e.object_type === 'audit' && e.outcome === 'denied');
  for (const c of [north, south, supNorth, admin]) {
    assert(all.some((e) => e.actor === c.me.id), `${c.me.username}'s denial is audited`);
  }
});

test('a team roster, never a private caseload: any peer of the team may change a person', async () => {
  const p = await createPerson(north, { preferred_name: 'Willow Brackenridge' });
  const peer2 = await signedIn(srv.url, 'peer.north2', PASSWORD);
  const r = await peer2.patch(`${people}/${p.id}`, { pronouns: 'she/her' }, { headers: { 'If-Match': `"${p.version}"` } });
  eq(r.status, 200, 'another peer of the team changes it');
  eq((await peer2.post(`${people}/${p.id}/episodes`, EPISODE)).status, 201, 'and enrolls');
});

test('moving a person to another team: a peer may not; a supervisor may, and then the rosters follow', async () => {
  const p = await createPerson(north, { preferred_name: 'Aspen Thornbury' });
  const since = await lastSeq();
  let r = await north.patch(`${people}/${p.id}`, { team: 'south' }, { headers: { 'If-Match': `"${p.version}"` } });
  expectProblem(r, 403, 'a peer moves to a team they do not work in');
  eq((await north.get(`${people}/${p.id}`)).json.team, 'north', 'not moved');
  assert((await entries(p.id, north.me.id, since)).some((e) => e.action === 'move' && e.outcome === 'denied'), 'the move denial is audited');
  r = await supNorth.patch(`${people}/${p.id}`, { team: 'south' }, { headers: { 'If-Match': `"${p.version}"` } });
  eq(r.status, 200, `a supervisor moves them (${r.text.slice(0, 200)})`);
  eq(r.json.team, 'south', 'now south');
  expectProblem(await north.get(`${people}/${p.id}`), 404, 'north no longer sees them');
  eq((await south.get(`${people}/${p.id}`)).status, 200, 'south sees them');
  // The primary peer must work on the new team.
  const staff = (await admin.get('/api/v1/staff')).json.items;
  const q = await createPerson(north, { primary_peer: staff.find((s) => s.username === 'peer.north').id });
  r = await supNorth.patch(`${people}/${q.id}`, { team: 'south' }, { headers: { 'If-Match': `"${q.version}"` } });
  expectFields(r, ['primary_peer'], { exact: true, what: 'a north primary peer for a south person' });
});

test('the staff directory and team list show a peer their own teams only', async () => {
  const dir = await north.get('/api/v1/staff');
  eq(dir.status, 200, 'status');
  const names = dir.json.items.map((s) => s.username).sort();
  eq(JSON.stringify(names), JSON.stringify(['peer.north', 'peer.north2', 'super.north']), 'north colleagues');
  assert(dir.json.items.every((s) => !('password' in s) && !('password_hash' in s)), 'no password hashes');
  const teams = await south.get('/api/v1/teams');
  eq(JSON.stringify(teams.json.items.map((t) => t.name)), '["south"]', 'south sees south');
  expectProblem(await north.post('/api/v1/teams', { name: 'west', display_name: 'West' }), 403, 'a peer adds a team');
  expectProblem(await supNorth.post('/api/v1/staff', { username: 'new.peer', display_name: 'New Peer', role: 'peer', password: 'long-enough-pw' }), 403, 'a supervisor adds staff');
  const target = dir.json.items.find((s) => s.username === 'peer.north2');
  expectProblem(await supNorth.patch(`/api/v1/staff/${target.id}`, { disabled: true }, { headers: { 'If-Match': `"${target.version}"` } }), 403, 'a supervisor disables staff');
  expectProblem(await privacy.post('/api/v1/teams', { name: 'west', display_name: 'West' }), 403, 'privacy adds a team');
  eq((await signedIn(srv.url, 'peer.north2', PASSWORD)).me.username, 'peer.north2', 'peer.north2 still enabled');
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
