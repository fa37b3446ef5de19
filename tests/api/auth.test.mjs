// Sign-in, sign-out, /me, failed sign-ins, lock-out and its lifting,
// disabled accounts, CSRF and idle expiry.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, cli, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import {
  expectProblem, expectFields, expectNoEcho, sleep, allPages, createPerson, sqlite, EPISODE, expectNo5xx,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

async function staffId(username) {
  const admin = await signedIn(srv.url, 'admin', PASSWORD);
  const r = await admin.get('/api/v1/staff');
  eq(r.status, 200, 'staff list');
  const s = r.json.items.find((x) => x.username === username);
  assert(s, `staff ${username}`);
  return s.id;
}

test('POST /api/v1/session signs in: 201, the account, a CSRF token; GET /me agrees', async () => {
  const c = new Client(srv.url);
  const r = await c.signIn('peer.north', PASSWORD);
  eq(r.status, 201, 'status');
  eq(r.json.username, 'peer.north', 'username');
  eq(r.json.role, 'peer', 'role');
  eq(r.json.display_name, 'Jordan Lee', 'display_name');
  eq(JSON.stringify(r.json.teams.map((t) => t.name)), '["north"]', 'teams');
  assert(/^[0-9a-f-]{36}$/.test(r.json.id), 'id');
  assert(typeof r.json.csrf_token === 'string' && r.json.csrf_token.length >= 32, 'csrf_token');
  eq(r.json.idle_timeout_seconds, 900, 'default idle timeout');
  assert(!('password' in r.json) && !r.text.includes(PASSWORD), 'no password in the answer');
  const me = await c.get('/api/v1/me');
  eq(me.status, 200, '/me status');
  eq(me.json.id, r.json.id, '/me id');
  eq(me.json.username, 'peer.north', '/me username');
  eq(me.json.role, 'peer', '/me role');
  eq(me.json.csrf_token, r.json.csrf_token, '/me csrf_token');
  eq(JSON.stringify(me.json.teams), JSON.stringify(r.json.teams), '/me teams');
  const admin = await signedIn(srv.url, 'admin', PASSWORD);
  const am = await admin.get('/api/v1/me');
  eq(am.json.role, 'admin', 'admin role');
  eq(am.json.teams.length, 0, 'an administrator works on no team');
  const priv = await signedIn(srv.url, 'privacy', PASSWORD);
  eq((await priv.get('/api/v1/me')).json.role, 'privacy', 'privacy role');
  const sup = await signedIn(srv.url, 'super.south', PASSWORD);
  eq((await sup.get('/api/v1/me')).json.role, 'supervisor', 'supervisor role');
});

test('without a session the API answers 401 problems', async () => {
  const c = new Client(srv.url);
  for (const path of ['/api/v1/me', '/api/v1/people', '/api/v1/reference', '/api/v1/audit', '/api/v1/staff', '/api/v1/teams']) {
    const r = await c.get(path);
    const p = expectProblem(r, 401, path);
    eq(p.type, 'urn:alongside:problem:unauthenticated', `${path} type`);
  }
  const r = await c.post('/api/v1/people', { preferred_name: 'Testperson Nosession' });
  expectProblem(r, 401, 'POST without a session');
});

test('DELETE /api/v1/session signs out; the old cookie no longer works', async () => {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const oldCookie = c.cookie;
  const r = await c.del('/api/v1/session');
  eq(r.status, 204, 'status');
  eq(r.text, '', 'no body');
  const again = new Client(srv.url);
  again.cookie = oldCookie;
  expectProblem(await again.get('/api/v1/me'), 401, 'old cookie');
  expectProblem(await c.get('/api/v1/me'), 401, 'signed-out client');
});

test('signing in twice gives two independent sessions; signing one out leaves the other', async () => {
  const a = await signedIn(srv.url, 'peer.north', PASSWORD);
  const b = await signedIn(srv.url, 'peer.north', PASSWORD);
  assert(a.cookie !== b.cookie, 'different tokens');
  assert(a.csrf !== b.csrf, 'different CSRF tokens');
  eq((await a.del('/api/v1/session')).status, 204, 'a signs out');
  eq((await b.get('/api/v1/me')).status, 200, 'b still signed in');
});

test('a wrong password and an unknown user get the same 401 body, and nothing is echoed', async () => {
  const c = new Client(srv.url);
  const wrongPw = 'Zanzibar-wrong-pass-7731';
  const wrong = await c.post('/api/v1/session', { username: 'super.north', password: wrongPw });
  const p = expectProblem(wrong, 401, 'wrong password');
  eq(p.type, 'urn:alongside:problem:sign-in-failed', 'type');
  expectNoEcho(wrong, wrongPw);
  eq(wrong.headers.get('set-cookie'), null, 'no cookie');
  const unknown = await c.post('/api/v1/session', { username: 'nobody.quillby', password: wrongPw });
  expectProblem(unknown, 401, 'unknown user');
  expectNoEcho(unknown, 'quillby');
  eq(unknown.text, wrong.text, 'same body');
  eq(unknown.headers.get('set-cookie'), null, 'no cookie');
  // The account still signs in with the right password.
  eq((await c.signIn('super.north', PASSWORD)).status, 201, 'right password');
});

test('sign-in bodies are validated like any other', async () => {
  const c = new Client(srv.url);
  expectFields(await c.post('/api/v1/session', { username: 'peer.north' }), ['password'], { exact: true });
  expectFields(await c.post('/api/v1/session', { password: PASSWORD }), ['username'], { exact: true });
  expectFields(await c.post('/api/v1/session', { username: 'peer.north', password: 12345678901 }), ['password'], { exact: true });
  expectFields(await c.post('/api/v1/session', { username: 'peer.north', password: PASSWORD, remember: true }), ['remember']);
  expectFields(await c.post('/api/v1/session', ['peer.north', PASSWORD]), ['body']);
  const long = await c.post('/api/v1/session', { username: 'peer.north', password: 'p'.repeat(2000) });
  expectFields(long, ['password']);
  expectNoEcho(long, 'p'.repeat(200));
});

test('repeated failures back off, then lock (429 + Retry-After) even for the right password; user passwd lifts it', async () => {
  const user = 'peer.north2';
  const id = await staffId(user);
  const c = new Client(srv.url);
  const bad = 'Definitely-not-it-0';
  for (let i = 1; i <= 3; i++) {
    expectProblem(await c.post('/api/v1/session', { username: user, password: bad + i }), 401, `failure ${i}`);
  }
  // Three failures: the next attempt must wait.
  let r = await c.post('/api/v1/session', { username: user, password: PASSWORD });
  let p = expectProblem(r, 429, 'right password while backing off');
  eq(p.type, 'urn:alongside:problem:sign-in-locked', 'type');
  let wait = Number(r.headers.get('retry-after'));
  assert(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${r.headers.get('retry-after')}`);
  eq(r.headers.get('set-cookie'), null, 'no cookie while backing off');
  // Each further failure waits longer, until the account locks.
  await sleep(wait * 1000 + 200);
  expectProblem(await c.post('/api/v1/session', { username: user, password: `${bad}4` }), 401, 'failure 4');
  r = await c.post('/api/v1/session', { username: user, password: `${bad}x` });
  expectProblem(r, 429, 'backing off after 4');
  const wait2 = Number(r.headers.get('retry-after'));
  assert(wait2 >= wait, `the wait grows (${wait} then ${wait2})`);
  await sleep(wait2 * 1000 + 200);
  expectProblem(await c.post('/api/v1/session', { username: user, password: `${bad}5` }), 401, 'failure 5');
  r = await c.post('/api/v1/session', { username: user, password: PASSWORD });
  expectProblem(r, 429, 'locked: the right password is refused');
  wait = Number(r.headers.get('retry-after'));
  assert(wait > 60, `a lock lasts minutes (Retry-After ${wait})`);
  await sleep(300);
  expectProblem(await c.post('/api/v1/session', { username: user, password: PASSWORD }), 429, 'still locked');
  // An operator sets a new password on the command line: the lock lifts.
  const newPw = 'a-fresh-passphrase-42';
  const cp = cli(['user', 'passwd', '--db', srv.db, '--username', user], { input: `${newPw}\n` });
  eq(cp.status, 0, `user passwd: ${cp.stderr}`);
  assert(!cp.stdout.includes(newPw) && !cp.stderr.includes(newPw), 'the password is not printed');
  r = await c.signIn(user, newPw);
  eq(r.status, 201, `sign-in after passwd: ${r.text}`);
  expectProblem(await new Client(srv.url).post('/api/v1/session', { username: user, password: PASSWORD }), 401, 'old password');
  // The privacy officer sees the failures, the refusals and the success.
  const priv = await signedIn(srv.url, 'privacy', PASSWORD);
  const entries = (await allPages(priv, `/api/v1/audit?actor=${id}`)).filter((e) => e.action === 'sign_in');
  const outcomes = entries.map((e) => e.outcome);
  eq(outcomes.filter((o) => o === 'failure').length, 6, `failures audited (${outcomes})`);
  assert(outcomes.filter((o) => o === 'denied').length >= 4, `refusals audited (${outcomes})`);
  assert(outcomes.lastIndexOf('success') > outcomes.lastIndexOf('denied'), `the success follows the refusals (${outcomes})`);
  assert(entries.some((e) => e.detail === 'locked'), 'the lock is recorded');
  assert(entries.every((e) => e.client_address === '127.0.0.1' && e.role === 'peer'), 'address and role recorded');
});

test('an unknown username backs off exactly like a real one, so names cannot be probed', async () => {
  // The same sequence against a real account and a made-up name gives the
  // same statuses and problem types at each step.
  const seq = async (username) => {
    const c = new Client(srv.url);
    const out = [];
    for (let i = 1; i <= 4; i++) {
      const r = await c.post('/api/v1/session', { username, password: `Wrong-guess-${i}` });
      out.push(`${r.status}:${r.json && r.json.type}:${r.headers.get('retry-after') !== null}`);
    }
    return out.join(' ');
  };
  const real = await seq('peer.south');
  const made = await seq('no.such.colleague');
  eq(made, real, 'same answers');
  assert(/^401:.* 401:.* 401:.* 429:urn:alongside:problem:sign-in-locked:true$/.test(real), `backs off after three (${real})`);
  // The made-up name is not stored: only a hash of it is.
  const rows = sqlite(srv.db, "SELECT count(*) FROM signin_throttle WHERE key LIKE '%colleague%';").stdout;
  eq(rows, '0', 'names are kept only as hashes');
  // Lift the real account's back-off for the tests after this one.
  eq(cli(['user', 'enable', '--db', srv.db, '--username', 'peer.south']).status, 0, 'enable lifts the wait');
  eq((await new Client(srv.url).signIn('peer.south', PASSWORD)).status, 201, 'peer.south signs in again');
});

test('a lock is per account: other accounts sign in meanwhile', async () => {
  // peer.north2 was locked and then lifted above; lock super.south now.
  for (let i = 0; i < 3; i++) {
    await new Client(srv.url).post('/api/v1/session', { username: 'super.south', password: `nope-nope-${i}` });
  }
  eq((await new Client(srv.url).post('/api/v1/session', { username: 'super.south', password: PASSWORD })).status, 429, 'super.south backs off');
  eq((await new Client(srv.url).signIn('super.north', PASSWORD)).status, 201, 'super.north signs in');
});

test('a disabled account cannot sign in and its open session stops working; enable restores it', async () => {
  const c = await signedIn(srv.url, 'peer.south', PASSWORD);
  eq((await c.get('/api/v1/me')).status, 200, 'signed in');
  const d = cli(['user', 'disable', '--db', srv.db, '--username', 'peer.south']);
  eq(d.status, 0, `user disable: ${d.stderr}`);
  expectProblem(await c.get('/api/v1/me'), 401, 'open session after disable');
  expectProblem(await c.get('/api/v1/people'), 401, 'roster after disable');
  const r = await new Client(srv.url).post('/api/v1/session', { username: 'peer.south', password: PASSWORD });
  expectProblem(r, 401, 'sign-in while disabled');
  const wrong = await new Client(srv.url).post('/api/v1/session', { username: 'peer.south', password: 'wrong-password-here' });
  eq(r.text, wrong.text, 'a disabled account looks like a wrong password');
  const list = cli(['user', 'list', '--db', srv.db]);
  assert(/peer\.south\s+peer\s+disabled/.test(list.stdout), `user list shows it disabled: ${list.stdout}`);
  const en = cli(['user', 'enable', '--db', srv.db, '--username', 'peer.south']);
  eq(en.status, 0, `user enable: ${en.stderr}`);
  eq((await new Client(srv.url).signIn('peer.south', PASSWORD)).status, 201, 'sign-in after enable');
});

test('CSRF: state-changing requests without or with a wrong X-CSRF-Token get 403 and change nothing', async () => {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const other = await signedIn(srv.url, 'peer.north', PASSWORD);
  const p = await createPerson(c, { preferred_name: 'Testperson Csrfguard' });
  const tries = [
    ['POST /people', (h) => c.post('/api/v1/people', { preferred_name: 'Testperson Csrfmade' }, { headers: h })],
    ['PATCH /people/{id}', (h) => c.patch(`/api/v1/people/${p.id}`, { pronouns: 'xe/xem' }, { headers: { ...h, 'If-Match': `"${p.version}"` } })],
    ['POST episodes', (h) => c.post(`/api/v1/people/${p.id}/episodes`, EPISODE, { headers: h })],
    ['DELETE /session', (h) => c.del('/api/v1/session', { headers: h })],
    ['invalid body', (h) => c.post('/api/v1/people', { nonsense: 1 }, { headers: h })],
  ];
  for (const [what, f] of tries) {
    for (const [how, h] of [['missing', { 'X-CSRF-Token': undefined }], ['wrong', { 'X-CSRF-Token': 'x'.repeat(43) }],
      ['another session\'s', { 'X-CSRF-Token': other.csrf }], ['empty', { 'X-CSRF-Token': '' }]]) {
      // undefined: the client must not fill the header in.
      const headers = { ...h };
      if (h['X-CSRF-Token'] === undefined) {
        const saved = c.csrf;
        c.csrf = null;
        try {
          const r = await f({});
          const prob = expectProblem(r, 403, `${what} with ${how} token`);
          eq(prob.type, 'urn:alongside:problem:csrf', 'type');
        } finally {
          c.csrf = saved;
        }
        continue;
      }
      const r = await f(headers);
      expectProblem(r, 403, `${what} with ${how} token`);
    }
  }
  // Nothing changed.
  const now = await c.get(`/api/v1/people/${p.id}`);
  eq(now.status, 200, 'still signed in');
  eq(now.json.version, p.version, 'version unchanged');
  eq(now.json.pronouns, p.pronouns, 'pronouns unchanged');
  eq(now.json.status, 'outreach', 'not enrolled');
  eq(now.json.episodes.length, 0, 'no episode');
  eq((await allPages(c, '/api/v1/people?q=csrfmade')).length, 0, 'no person created');
  // The admin routes are guarded the same way.
  const admin = await signedIn(srv.url, 'admin', PASSWORD);
  const teamsBefore = (await admin.get('/api/v1/teams')).json.items.length;
  const saved = admin.csrf;
  admin.csrf = null;
  expectProblem(await admin.post('/api/v1/teams', { name: 'csrfteam', display_name: 'CSRF team' }), 403, 'POST /teams');
  expectProblem(await admin.post('/api/v1/staff', { username: 'csrf.user', display_name: 'Csrf User', role: 'peer', password: 'long-enough-pass' }), 403, 'POST /staff');
  const staff = (await admin.get('/api/v1/staff')).json.items;
  const target = staff.find((s) => s.username === 'peer.north');
  expectProblem(await admin.patch(`/api/v1/staff/${target.id}`, { display_name: 'Changed Name' }, { headers: { 'If-Match': `"${target.version}"` } }), 403, 'PATCH /staff');
  admin.csrf = saved;
  eq((await admin.get('/api/v1/teams')).json.items.length, teamsBefore, 'no team added');
  const after = (await admin.get('/api/v1/staff')).json.items;
  assert(!after.some((s) => s.username === 'csrf.user'), 'no account added');
  eq(after.find((s) => s.username === 'peer.north').display_name, 'Jordan Lee', 'account unchanged');
  // And with the right token the same request works.
  const ok = await c.patch(`/api/v1/people/${p.id}`, { pronouns: 'xe/xem' }, { headers: { 'If-Match': `"${p.version}"` } });
  eq(ok.status, 200, 'with the token');
});

test('idle expiry: a session unused past --idle-timeout gets 401; one used regularly stays', async () => {
  const s = await startServer({ args: ['--idle-timeout', '2'] });
  try {
    const idle = await signedIn(s.url, 'peer.north', PASSWORD);
    const busy = await signedIn(s.url, 'peer.south', PASSWORD);
    eq(idle.me.idle_timeout_seconds, 2, 'idle_timeout_seconds');
    const until = Date.now() + 4500;
    while (Date.now() < until) {
      const r = await busy.get('/api/v1/me');
      eq(r.status, 200, 'the busy session stays alive');
      await sleep(400);
    }
    const r = await idle.get('/api/v1/me');
    const p = expectProblem(r, 401, 'the idle session');
    eq(p.type, 'urn:alongside:problem:unauthenticated', 'type');
    // It stays ended: using it again does not revive it.
    expectProblem(await idle.get('/api/v1/people'), 401, 'the idle session again');
    eq((await busy.get('/api/v1/people?limit=1')).status, 200, 'the busy session still works');
    // The ending is audited.
    const priv = await signedIn(s.url, 'privacy', PASSWORD);
    const ends = (await allPages(priv, `/api/v1/audit?actor=${idle.me.id}`)).filter((e) => e.action === 'sign_out');
    assert(ends.some((e) => e.outcome === 'expired' && e.detail === 'idle'), `an idle sign-out is recorded: ${JSON.stringify(ends)}`);
  } finally {
    await s.stop();
  }
});

test('absolute lifetime: a session past its end is refused even while in use', async () => {
  const c = await signedIn(srv.url, 'super.north', PASSWORD);
  const r0 = await new Client(srv.url).post('/api/v1/session', { username: 'super.north', password: PASSWORD });
  assert(/Max-Age=43200\b/.test(r0.headers.get('set-cookie')), 'the cookie lives as long as the session (12 h by default)');
  eq((await c.get('/api/v1/me')).status, 200, 'in use');
  // Age the session in the database: its end is now.
  const r = sqlite(srv.db, `UPDATE session SET expires_at = ${Date.now() - 1000}
    WHERE staff_id = '${c.me.id}' AND created_at = (SELECT max(created_at) FROM session WHERE staff_id = '${c.me.id}' AND csrf_token = '${c.csrf}');`);
  eq(r.status, 0, `sqlite: ${r.stderr}`);
  expectProblem(await c.get('/api/v1/me'), 401, 'past its lifetime');
  const priv = await signedIn(srv.url, 'privacy', PASSWORD);
  const ends = (await allPages(priv, `/api/v1/audit?actor=${c.me.id}`)).filter((e) => e.action === 'sign_out');
  assert(ends.some((e) => e.outcome === 'expired' && e.detail === 'lifetime'), 'the end is audited');
});

test('--lockout-after and --lockout-seconds shape the lock, and a lock ends by itself', async () => {
  const s = await startServer({ args: ['--lockout-after', '2', '--lockout-seconds', '2'] });
  try {
    const c = new Client(s.url);
    expectProblem(await c.post('/api/v1/session', { username: 'peer.south', password: 'wrong-one-1' }), 401, 'failure 1');
    expectProblem(await c.post('/api/v1/session', { username: 'peer.south', password: 'wrong-one-2' }), 401, 'failure 2');
    const r = await c.post('/api/v1/session', { username: 'peer.south', password: PASSWORD });
    expectProblem(r, 429, 'locked after two');
    const wait = Number(r.headers.get('retry-after'));
    assert(wait >= 1 && wait <= 2, `Retry-After within the lock (${wait})`);
    await sleep(wait * 1000 + 300);
    eq((await c.signIn('peer.south', PASSWORD)).status, 201, 'the lock has ended');
  } finally {
    await s.stop();
  }
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
