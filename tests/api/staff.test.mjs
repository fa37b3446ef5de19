// Accounts and teams, managed by the administrator over the API.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, allPages, createPerson, expectNo5xx } from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const NOBODY = '01900000-0000-7000-8000-000000000000';
const NEWPW = 'new-staff-passphrase-1';

async function account(username) {
  const s = (await admin.get('/api/v1/staff')).json.items.find((x) => x.username === username);
  assert(s, `account ${username}`);
  return s;
}

test('GET /api/v1/teams lists every team for the administrator', async () => {
  const r = await admin.get('/api/v1/teams');
  eq(r.status, 200, 'status');
  eq(JSON.stringify(r.json.items.map((t) => t.name)), '["north","south"]', 'teams');
  eq(r.json.next, null, 'one page');
  for (const t of r.json.items) {
    assert(/^[0-9a-f-]{36}$/.test(t.id) && t.version >= 1 && typeof t.display_name === 'string', 'team fields');
  }
});

test('POST /api/v1/teams adds a team (201, ETag) that accounts and people can use', async () => {
  const r = await admin.post('/api/v1/teams', { name: 'east', display_name: 'East team' });
  eq(r.status, 201, `status (${r.text.slice(0, 200)})`);
  eq(r.headers.get('etag'), '"1"', 'ETag');
  eq(r.json.name, 'east', 'name');
  eq(r.json.display_name, 'East team', 'display name');
  eq(r.json.version, 1, 'version');
  eq(JSON.stringify((await admin.get('/api/v1/teams')).json.items.map((t) => t.name)), '["east","north","south"]', 'listed');
});

test('GET /api/v1/staff lists every account for the administrator, without secrets', async () => {
  const r = await admin.get('/api/v1/staff');
  eq(r.status, 200, 'status');
  const by = Object.fromEntries(r.json.items.map((s) => [s.username, s]));
  for (const [u, role, teams] of [['admin', 'admin', []], ['privacy', 'privacy', []], ['super.north', 'supervisor', ['north']],
    ['super.south', 'supervisor', ['south']], ['peer.north', 'peer', ['north']], ['peer.north2', 'peer', ['north']], ['peer.south', 'peer', ['south']]]) {
    assert(by[u], `${u} listed`);
    eq(by[u].role, role, `${u} role`);
    eq(JSON.stringify(by[u].teams), JSON.stringify(teams), `${u} teams`);
    eq(by[u].disabled, false, `${u} enabled`);
    assert(Number.isInteger(by[u].version), `${u} version`);
  }
  assert(!/password|hash|argon/i.test(r.text), 'no password material');
});

test('POST /api/v1/staff adds an account that signs in with its role and teams', async () => {
  const r = await admin.post('/api/v1/staff', {
    username: 'peer.east', display_name: 'Ember Cinderwell', role: 'peer', password: NEWPW, teams: ['east', 'north'],
  });
  eq(r.status, 201, `status (${r.text.slice(0, 200)})`);
  eq(r.headers.get('etag'), '"1"', 'ETag');
  eq(r.json.username, 'peer.east', 'username');
  eq(r.json.role, 'peer', 'role');
  eq(JSON.stringify(r.json.teams), '["east","north"]', 'teams');
  assert(!r.text.includes(NEWPW), 'no password in the answer');
  const c = await signedIn(srv.url, 'peer.east', NEWPW);
  eq(JSON.stringify(c.me.teams.map((t) => t.name)), '["east","north"]', '/me teams');
  // With two teams a new person needs a team named.
  expectFields(await c.post('/api/v1/people', { preferred_name: 'Testperson Twoteams' }), ['team'], { exact: true });
  const p = await c.post('/api/v1/people', { preferred_name: 'Testperson Eastward', team: 'east' });
  eq(p.status, 201, 'a person on east');
  eq((await allPages(c, '/api/v1/people?team=east')).length, 1, 'the east roster');
  eq((await allPages(c, '/api/v1/people')).length, 21, 'both rosters together');
  // Accounts audited, without a person.
  const e = (await allPages(privacy, `/api/v1/audit?actor=${admin.me.id}`)).find((x) => x.object_type === 'staff' && x.object_id === r.json.id);
  assert(e && e.action === 'create' && e.outcome === 'success' && e.person === null, 'account creation audited');
});

test('PATCH /api/v1/staff/{id} needs If-Match, refuses a stale one, and bumps the version', async () => {
  const s = await account('peer.east');
  expectProblem(await admin.patch(`/api/v1/staff/${s.id}`, { display_name: 'Ember C.' }), 428, 'no If-Match');
  let r = await admin.patch(`/api/v1/staff/${s.id}`, { display_name: 'Ember C.' }, { headers: { 'If-Match': `"${s.version}"` } });
  eq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  eq(r.headers.get('etag'), `"${s.version + 1}"`, 'ETag');
  eq(r.json.display_name, 'Ember C.', 'renamed');
  r = await admin.patch(`/api/v1/staff/${s.id}`, { display_name: 'Someone Else' }, { headers: { 'If-Match': `"${s.version}"` } });
  const p = expectProblem(r, 412, 'stale');
  eq(p.current_version, s.version + 1, 'current_version');
  eq(p.your_version, s.version, 'your_version');
  eq((await account('peer.east')).display_name, 'Ember C.', 'unchanged');
  expectProblem(await admin.patch(`/api/v1/staff/${NOBODY}`, { display_name: 'Nobody' }, { headers: { 'If-Match': '"1"' } }), 404, 'unknown account');
  expectFields(await admin.patch(`/api/v1/staff/${s.id}`, { role: 'overlord' }, { headers: { 'If-Match': `"${s.version + 1}"` } }), ['role'], { exact: true });
});

test('changing teams, the password or disabling an account ends its sessions', async () => {
  let s = await account('peer.east');
  const c = await signedIn(srv.url, 'peer.east', NEWPW);
  let r = await admin.patch(`/api/v1/staff/${s.id}`, { teams: ['east'] }, { headers: { 'If-Match': `"${s.version}"` } });
  eq(r.status, 200, 'teams changed');
  expectProblem(await c.get('/api/v1/me'), 401, 'session after a team change');
  const c2 = await signedIn(srv.url, 'peer.east', NEWPW);
  eq(JSON.stringify(c2.me.teams.map((t) => t.name)), '["east"]', 'new teams');
  expectProblem(await c2.get('/api/v1/people?team=north'), 403, 'north is no longer theirs');
  s = await account('peer.east');
  const pw2 = 'another-passphrase-2';
  r = await admin.patch(`/api/v1/staff/${s.id}`, { password: pw2 }, { headers: { 'If-Match': `"${s.version}"` } });
  eq(r.status, 200, 'password changed');
  assert(!r.text.includes(pw2), 'not echoed');
  expectProblem(await c2.get('/api/v1/me'), 401, 'session after a password change');
  expectProblem(await new Client(srv.url).post('/api/v1/session', { username: 'peer.east', password: NEWPW }), 401, 'old password');
  const c3 = await signedIn(srv.url, 'peer.east', pw2);
  s = await account('peer.east');
  r = await admin.patch(`/api/v1/staff/${s.id}`, { disabled: true }, { headers: { 'If-Match': `"${s.version}"` } });
  eq(r.status, 200, 'disabled');
  eq(r.json.disabled, true, 'shown disabled');
  expectProblem(await c3.get('/api/v1/me'), 401, 'session after disabling');
  expectProblem(await new Client(srv.url).post('/api/v1/session', { username: 'peer.east', password: pw2 }), 401, 'sign-in while disabled');
  // Disabled staff leave the directory their colleagues see.
  s = await account('peer.east');
  r = await admin.patch(`/api/v1/staff/${s.id}`, { disabled: false }, { headers: { 'If-Match': `"${s.version}"` } });
  eq(r.status, 200, 'enabled');
  eq((await new Client(srv.url).signIn('peer.east', pw2)).status, 201, 'signs in again');
});

test('a person\'s primary peer must be enabled', async () => {
  const north = await signedIn(srv.url, 'peer.north', PASSWORD);
  const s = await account('peer.north2');
  const r = await admin.patch(`/api/v1/staff/${s.id}`, { disabled: true }, { headers: { 'If-Match': `"${s.version}"` } });
  eq(r.status, 200, 'disabled peer.north2');
  expectFields(await north.post('/api/v1/people', { preferred_name: 'Testperson Primary', primary_peer: s.id }), ['primary_peer'], { exact: true });
  const dir = (await north.get('/api/v1/staff')).json.items.map((x) => x.username);
  assert(!dir.includes('peer.north2'), 'a disabled colleague leaves the directory');
  const e = await admin.patch(`/api/v1/staff/${s.id}`, { disabled: false }, { headers: { 'If-Match': `"${s.version + 1}"` } });
  eq(e.status, 200, 'enabled again');
  const ok = await createPerson(north, { primary_peer: s.id });
  eq(ok.primary_peer, s.id, 'then accepted');
});

test('a new password lifts the lock on the name signed in with, even when the same change renames the account', async () => {
  const made = await admin.post('/api/v1/staff', {
    username: 'peer.lockrename', display_name: 'Lark Windmere', role: 'peer', password: NEWPW, teams: ['north'],
  });
  eq(made.status, 201, 'account');
  for (let i = 0; i < 5; i++) {
    await new Client(srv.url).post('/api/v1/session', { username: 'peer.lockrename', password: `wrong-wrong-${i}` });
  }
  eq((await new Client(srv.url).post('/api/v1/session', { username: 'peer.lockrename', password: NEWPW })).status, 429, 'locked');
  const other = 'a-second-passphrase-9';
  let r = await admin.patch(`/api/v1/staff/${made.json.id}`, { username: 'peer.renamed', password: other },
    { headers: { 'If-Match': made.headers.get('etag') } });
  eq(r.status, 200, `rename and new password (${r.text.slice(0, 200)})`);
  r = await admin.patch(`/api/v1/staff/${made.json.id}`, { username: 'peer.lockrename' },
    { headers: { 'If-Match': r.headers.get('etag') } });
  eq(r.status, 200, 'renamed back');
  eq((await new Client(srv.url).signIn('peer.lockrename', other)).status, 201, 'the old name is no longer locked');
});

test('staff and team lists are cursor-paginated: every entry once, in order; bad cursors are 400', async () => {
  const whole = (await admin.get('/api/v1/staff?limit=200')).json;
  eq(whole.next, null, 'one page holds the demo staff');
  const walked = await allPages(admin, '/api/v1/staff', { limit: 2 });
  eq(JSON.stringify(walked.map((x) => x.id)), JSON.stringify(whole.items.map((x) => x.id)), 'pages of two walk the same list');
  const names = walked.map((x) => x.username);
  eq(JSON.stringify(names), JSON.stringify([...names].sort()), 'ordered by username');
  const teams = await allPages(admin, '/api/v1/teams', { limit: 1 });
  eq(new Set(teams.map((t) => t.id)).size, teams.length, 'teams once each');
  assert(teams.length >= 2, 'north and south at least');
  // A peer's directory is their teams' colleagues; another team's id is
  // not a cursor of it.
  const peer = await signedIn(srv.url, 'peer.south', PASSWORD);
  const colleagues = await allPages(peer, '/api/v1/staff', { limit: 1 });
  assert(colleagues.every((x) => x.teams.includes('south')), 'only south colleagues');
  const northPeer = whole.items.find((x) => x.username === 'peer.north');
  expectFields(await peer.get(`/api/v1/staff?after=${northPeer.id}`), ['after'], { what: 'a cursor from another list' });
  expectFields(await admin.get(`/api/v1/staff?after=${NOBODY}`), ['after'], { what: 'a cursor naming nobody' });
  expectFields(await admin.get('/api/v1/teams?limit=0'), ['limit'], { what: 'limit 0' });
  expectFields(await admin.get('/api/v1/teams?limit=201'), ['limit'], { what: 'limit 201' });
  expectFields(await admin.get('/api/v1/staff?after=not-an-id'), ['after'], { what: 'not an id' });
  expectFields(await admin.get('/api/v1/staff?sort=name'), ['query'], { what: 'an unknown parameter' });
});

test('audit entries carry an id and a version like every record', async () => {
  const r = await privacy.get('/api/v1/audit?limit=3');
  eq(r.status, 200, 'status');
  assert(r.json.items.length > 0, 'entries');
  for (const e of r.json.items) {
    eq(e.id, String(e.seq), 'id is the sequence number');
    eq(e.version, 1, 'entries never change');
  }
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
