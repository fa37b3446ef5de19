// Two-step sign-in (TOTP, RFC 6238) for staff: setting it up, signing in
// with a code or a recovery code, wrong, replayed and spent codes, the
// challenge's end, turning it off, an administrator's reset, and the
// organisation's requirement. Codes are computed here with node:crypto
// from the secret the server hands out, as an authenticator app would.
import crypto from 'node:crypto';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, cli, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import {
  expectProblem, expectFields, expectNoEcho, sleep, allPages, sql, expectNo5xx,
} from '../lib/api.mjs';

const srv = await startServer({ people: 10 });
const servers = [srv];
after(async () => {
  for (const s of servers) await s.stop();
});

const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const NEWPW = 'a-long-test-passphrase';

// --- TOTP as an authenticator app computes it ------------------------------

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=-]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const stepNow = () => Math.floor(Date.now() / 30000);

function codeAt(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// A code that is none of the steps the server might accept now.
function wrongCode(secret) {
  const s = stepNow();
  const near = new Set([-2, -1, 0, 1, 2].map((d) => codeAt(secret, s + d)));
  for (let n = 123456; ; n = (n + 111111) % 1000000) {
    const c = String(n).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

// Each account's codes are good once, one per 30-second step: hand out
// the next step not used yet, from now (the server takes one step either
// side), waiting when the next free one is too far ahead.
async function nextCode(acct) {
  for (;;) {
    const s = Math.max(acct.last + 1, stepNow());
    if (s <= stepNow() + 1) {
      acct.last = s;
      return codeAt(acct.secret, s);
    }
    await sleep(1000);
  }
}

// --- helpers -------------------------------------------------------------------

const put = (c, path, body) => c.request('PUT', path, { body });

// Retries a request the back-off answers 429, after the wait it names.
async function patiently(fn) {
  for (;;) {
    const r = await fn();
    if (r.status !== 429) return r;
    const wait = Number(r.headers.get('retry-after'));
    assert(wait >= 1 && wait <= 60, `a short back-off (Retry-After ${wait})`);
    await sleep(wait * 1000 + 100);
  }
}

let made = 0;
// A new account (peer on north unless said otherwise), signed in; by is
// the administrator's session that makes it.
async function account(role = 'peer', by = admin) {
  made++;
  const username = `tf.${role}${made}`;
  const r = await by.post('/api/v1/staff', {
    username, display_name: `Tfa Person${made}`, role, password: NEWPW,
    ...(role === 'peer' || role === 'supervisor' ? { teams: ['north'] } : {}),
  });
  eq(r.status, 201, `new account ${username}: ${r.text.slice(0, 200)}`);
  const c = await signedIn(srv.url, username, NEWPW);
  return { username, id: r.json.id, client: c, secret: null, last: 0, codes: [] };
}

// Sets up two-step sign-in for acct from its session; returns the start answer.
async function enrol(acct) {
  const c = acct.client;
  const start = await c.post('/api/v1/me/two-factor');
  eq(start.status, 200, `start: ${start.text.slice(0, 200)}`);
  acct.secret = start.json.secret;
  const confirm = await c.post('/api/v1/me/two-factor/confirm', { code: await nextCode(acct) });
  eq(confirm.status, 200, `confirm: ${confirm.text.slice(0, 300)}`);
  acct.codes = confirm.json.recovery_codes;
  return { start, confirm };
}

// The first step: the right password answers 200 with a challenge.
async function challenge(acct, base = srv.url) {
  const c = new Client(base);
  const r = await c.post('/api/v1/session', { username: acct.username, password: NEWPW });
  eq(r.status, 200, `password step: ${r.text.slice(0, 200)}`);
  eq(r.json.second_factor, 'totp', 'second_factor');
  return { c, challenge: r.json.challenge, r };
}

async function auditOfActor(id) {
  return allPages(privacy, `/api/v1/audit?actor=${id}`);
}

// --- tests -----------------------------------------------------------------------

test('setting up: a secret, an otpauth URI and a QR code; a first code turns it on and gives 10 recovery codes once', async () => {
  const a = await account();
  let me = await a.client.get('/api/v1/me');
  eq(JSON.stringify(me.json.two_factor), '{"enabled":false,"required":false,"recovery_codes_left":0}', '/me before');
  const { start, confirm } = await enrol(a);
  assert(/^[A-Z2-7]{32}$/.test(start.json.secret), `secret is 160 bits of base32: ${start.json.secret}`);
  const uri = new URL(start.json.otpauth_uri);
  eq(uri.protocol, 'otpauth:', 'otpauth URI');
  eq(uri.host, 'totp', 'totp');
  eq(decodeURIComponent(uri.pathname), `/Alongside:${a.username}`, 'label: issuer and username');
  eq(uri.searchParams.get('secret'), start.json.secret, 'secret in the URI');
  eq(uri.searchParams.get('issuer'), 'Alongside', 'issuer');
  eq(uri.searchParams.get('digits'), '6', 'digits');
  eq(uri.searchParams.get('period'), '30', 'period');
  assert(!start.text.includes('Tfa Person'), 'no display name in the URI or answer');
  const svg = start.json.qr_svg;
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.endsWith('</svg>'), 'an SVG');
  assert(!/<script|on[a-z]+=|href/i.test(svg), 'nothing active in the SVG');
  eq(start.headers.get('cache-control'), 'no-store', 'not cached');
  eq(confirm.json.recovery_codes.length, 10, '10 recovery codes');
  assert(confirm.json.recovery_codes.every((x) => /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/.test(x)), `code format: ${confirm.json.recovery_codes[0]}`);
  eq(new Set(confirm.json.recovery_codes).size, 10, 'all different');
  eq(JSON.stringify(confirm.json.two_factor), '{"enabled":true,"required":false,"recovery_codes_left":10}', 'status after');
  me = await a.client.get('/api/v1/me');
  eq(me.json.two_factor.enabled, true, '/me shows it on');
  eq(me.json.two_factor.recovery_codes_left, 10, '/me recovery_codes_left');
  // The database keeps hashes of the recovery codes only.
  const rows = sql(srv.db, `SELECT code_hash FROM recovery_code WHERE staff_id = '${a.id}';`).stdout.split('\n');
  eq(rows.length, 10, '10 rows');
  for (const code of confirm.json.recovery_codes) {
    assert(!rows.includes(code) && !rows.some((h) => h.includes(code.replace(/-/g, ''))), 'no code in clear');
  }
  // Starting again while it is on is refused; confirming twice too.
  eq(expectProblem(await a.client.post('/api/v1/me/two-factor'), 409, 'start again').type, 'urn:alongside:problem:two-factor-on', 'type');
  expectProblem(await a.client.post('/api/v1/me/two-factor/confirm', { code: await nextCode(a) }), 409, 'confirm again');
  // Audited, with no code or secret in the log.
  const log = await auditOfActor(a.id);
  const tf = log.filter((e) => e.object_type === 'two_factor');
  assert(tf.some((e) => e.action === 'start' && e.outcome === 'success'), 'start audited');
  assert(tf.some((e) => e.action === 'enable' && e.outcome === 'success'), 'enable audited');
  const text = JSON.stringify(log);
  assert(!text.includes(start.json.secret) && !confirm.json.recovery_codes.some((x) => text.includes(x)), 'no secrets in the audit log');
});

test('a wrong first code does not turn it on; nothing to confirm without a start', async () => {
  const a = await account();
  expectProblem(await a.client.post('/api/v1/me/two-factor/confirm', { code: '123456' }), 409, 'confirm before start');
  const start = await a.client.post('/api/v1/me/two-factor');
  a.secret = start.json.secret;
  const r = await a.client.post('/api/v1/me/two-factor/confirm', { code: wrongCode(a.secret) });
  const p = expectProblem(r, 422, 'wrong first code');
  eq(p.type, 'urn:alongside:problem:wrong-code', 'type');
  eq(p.errors[0].field, 'code', 'names the field');
  eq((await a.client.get('/api/v1/me')).json.two_factor.enabled, false, 'still off');
  // A second start replaces the pending secret: the first one's codes fail.
  const again = await a.client.post('/api/v1/me/two-factor');
  assert(again.json.secret !== a.secret, 'a new secret');
  const old = a.secret;
  a.secret = again.json.secret;
  expectProblem(await a.client.post('/api/v1/me/two-factor/confirm', { code: codeAt(old, stepNow()) }), 422, 'the old secret');
  eq((await a.client.post('/api/v1/me/two-factor/confirm', { code: await nextCode(a) })).status, 200, 'the new one');
  // Signing in with only a password now stops at the second step.
  const c = new Client(srv.url);
  const s = await c.post('/api/v1/session', { username: a.username, password: NEWPW });
  eq(s.status, 200, 'password step');
});

test('signing in needs the code: 200 with a challenge and no cookie, then 201 exactly like a normal sign-in', async () => {
  const a = await account('supervisor');
  await enrol(a);
  const { c, challenge: ch, r } = await challenge(a);
  eq(r.headers.get('set-cookie'), null, 'no cookie after the password alone');
  assert(/^[A-Za-z0-9_-]{43}$/.test(ch), 'an opaque 256-bit challenge');
  const expires = Date.parse(r.json.expires_at);
  assert(expires > Date.now() + 4 * 60000 && expires <= Date.now() + 5 * 60000 + 5000, `expires in 5 minutes: ${r.json.expires_at}`);
  eq(JSON.stringify(Object.keys(r.json).sort()), '["challenge","expires_at","second_factor"]', 'nothing else');
  // The challenge is not a session.
  c.cookie = `alongside_session=${ch}`;
  expectProblem(await c.get('/api/v1/me'), 401, 'the challenge as a cookie');
  c.cookie = null;
  const done = await c.post('/api/v1/session/second-factor', { challenge: ch, code: await nextCode(a) });
  eq(done.status, 201, `second step: ${done.text.slice(0, 200)}`);
  assert(/^alongside_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/.test(done.headers.get('set-cookie')), `cookie: ${done.headers.get('set-cookie')}`);
  eq(done.json.username, a.username, 'me');
  eq(done.json.role, 'supervisor', 'role');
  assert(typeof done.json.csrf_token === 'string' && done.json.csrf_token.length === 43, 'csrf_token');
  eq(done.json.two_factor.enabled, true, 'two_factor');
  c.csrf = done.json.csrf_token;
  eq((await c.get('/api/v1/people?limit=1')).status, 200, 'the session works');
  // The challenge is spent.
  const again = await new Client(srv.url).post('/api/v1/session/second-factor', { challenge: ch, code: await nextCode(a) });
  eq(expectProblem(again, 401, 'a spent challenge').type, 'urn:alongside:problem:challenge-ended', 'type');
  // Audited: the password step, then the success by code.
  const log = (await auditOfActor(a.id)).filter((e) => e.action === 'sign_in');
  assert(log.some((e) => e.outcome === 'pending' && e.detail === 'second factor'), `pending audited: ${JSON.stringify(log.map((e) => [e.outcome, e.detail]))}`);
  assert(log.some((e) => e.outcome === 'success' && e.detail === 'code'), 'success by code audited');
});

test('a wrong code and a replayed code are refused with tries left; they count towards lock-out', async () => {
  const a = await account();
  await enrol(a);
  const { c, challenge: ch } = await challenge(a);
  const wrong = await c.post('/api/v1/session/second-factor', { challenge: ch, code: wrongCode(a.secret) });
  let p = expectProblem(wrong, 401, 'wrong code');
  eq(p.type, 'urn:alongside:problem:second-factor-failed', 'type');
  eq(p.tries_left, 4, 'tries_left');
  eq(wrong.headers.get('set-cookie'), null, 'no cookie');
  // The code that confirmed set-up was for step a.last: it is spent.
  const replay = await c.post('/api/v1/session/second-factor', { challenge: ch, code: codeAt(a.secret, a.last) });
  p = expectProblem(replay, 401, 'replayed code');
  eq(p.tries_left, 3, 'tries_left after the replay');
  eq(replay.text.includes(codeAt(a.secret, a.last)), false, 'the code is not echoed');
  // The right one still works on the same challenge.
  const ok = await c.post('/api/v1/session/second-factor', { challenge: ch, code: await nextCode(a) });
  eq(ok.status, 201, 'right code');
  // Now that code is spent too: a second sign-in with it is refused.
  const second = await challenge(a);
  p = expectProblem(await second.c.post('/api/v1/session/second-factor', { challenge: second.challenge, code: codeAt(a.secret, a.last) }), 401, 'the same code again');
  eq(p.type, 'urn:alongside:problem:second-factor-failed', 'type');
  const log = (await auditOfActor(a.id)).filter((e) => e.action === 'sign_in' && e.outcome === 'failure');
  assert(log.some((e) => e.detail === 'wrong code'), 'wrong code audited');
  assert(log.some((e) => e.detail === 'replayed code'), `replay audited: ${JSON.stringify(log.map((e) => e.detail))}`);
});

test('a challenge dies after 5 wrong codes, and the wrong codes lock the name like wrong passwords', async () => {
  const a = await account();
  await enrol(a);
  const { c, challenge: ch } = await challenge(a);
  let left = null;
  for (let i = 0; i < 5;) {
    const r = await c.post('/api/v1/session/second-factor', { challenge: ch, code: wrongCode(a.secret) });
    if (r.status === 429) {
      // Back-off from the third failure, as for passwords.
      const wait = Number(r.headers.get('retry-after'));
      assert(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
      await sleep(wait * 1000 + 100);
      continue;
    }
    const p = expectProblem(r, 401, `wrong code ${i + 1}`);
    i++;
    // The fifth wrong code ends the challenge: sign in again.
    eq(p.type, i < 5 ? 'urn:alongside:problem:second-factor-failed' : 'urn:alongside:problem:challenge-ended', `type after ${i}`);
    left = p.tries_left;
    if (i < 5) eq(left, 5 - i, `tries left after ${i}`);
  }
  eq(left, undefined, 'no tries left to count');
  // Dead even for the right code.
  const dead = await c.post('/api/v1/session/second-factor', { challenge: ch, code: await nextCode(a) });
  eq(expectProblem(dead, 401, 'right code on a dead challenge').type, 'urn:alongside:problem:challenge-ended', 'type');
  // Five failures lock the name: even the right password waits.
  const locked = await new Client(srv.url).post('/api/v1/session', { username: a.username, password: NEWPW });
  expectProblem(locked, 429, 'locked after five wrong codes');
  assert(Number(locked.headers.get('retry-after')) > 60, 'a lock of minutes');
  const log = (await auditOfActor(a.id)).filter((e) => e.action === 'sign_in');
  assert(log.some((e) => e.detail === 'locked'), 'the lock is audited');
  // Enabling the account lifts the lock, as for passwords.
  eq(cli(['user', 'enable', '--db', srv.db, '--username', a.username]).status, 0, 'user enable');
  eq((await challenge(a)).r.status, 200, 'password step again');
});

test('a challenge expires after 5 minutes; a made-up one is refused the same way', async () => {
  const a = await account();
  await enrol(a);
  const { c, challenge: ch } = await challenge(a);
  const r = sql(srv.db, `UPDATE signin_challenge SET expires_at = ${Date.now() - 1000} WHERE staff_id = '${a.id}';`);
  eq(r.status, 0, `age it: ${r.stderr}`);
  const late = await c.post('/api/v1/session/second-factor', { challenge: ch, code: await nextCode(a) });
  eq(expectProblem(late, 401, 'expired').type, 'urn:alongside:problem:challenge-ended', 'type');
  eq(late.headers.get('set-cookie'), null, 'no cookie');
  const made = await c.post('/api/v1/session/second-factor', { challenge: 'x'.repeat(43), code: '123456' });
  eq(made.text, late.text, 'same answer for a made-up challenge');
  const short = await c.post('/api/v1/session/second-factor', { challenge: 'abc', code: '123456' });
  eq(short.text, late.text, 'same answer for a malformed one');
  const log = (await auditOfActor(a.id)).filter((e) => e.action === 'sign_in');
  assert(log.some((e) => e.outcome === 'failure' && e.detail === 'challenge expired'), 'expiry audited');
});

test('the second step works on another server process than the first (nothing kept in memory)', async () => {
  const a = await account();
  await enrol(a);
  const other = await startServer({ db: srv.db });
  servers.push(other);
  const { challenge: ch } = await challenge(a, srv.url);
  const c2 = new Client(other.url);
  const r = await c2.post('/api/v1/session/second-factor', { challenge: ch, code: await nextCode(a) });
  eq(r.status, 201, `answered on the other server: ${r.text.slice(0, 200)}`);
  c2.csrf = r.json.csrf_token;
  eq((await c2.get('/api/v1/me')).status, 200, 'signed in there');
});

test('a recovery code signs in once; new codes replace the old ones', async () => {
  const a = await account();
  await enrol(a);
  const [first, second] = a.codes;
  let { c, challenge: ch } = await challenge(a);
  // Typed with capitals and without hyphens, it still counts.
  const r = await c.post('/api/v1/session/second-factor', { challenge: ch, recovery_code: first.replace(/-/g, ' ').toUpperCase() });
  eq(r.status, 201, `recovery code: ${r.text.slice(0, 200)}`);
  eq(r.json.two_factor.recovery_codes_left, 9, 'nine left');
  expectNoEcho(r, first);
  ({ c, challenge: ch } = await challenge(a));
  const p = expectProblem(await c.post('/api/v1/session/second-factor', { challenge: ch, recovery_code: first }), 401, 'the same recovery code again');
  eq(p.type, 'urn:alongside:problem:second-factor-failed', 'type');
  expectProblem(await c.post('/api/v1/session/second-factor', { challenge: ch, recovery_code: 'not-a-code' }), 401, 'nonsense');
  const log = (await auditOfActor(a.id)).filter((e) => e.action === 'sign_in');
  assert(log.some((e) => e.outcome === 'success' && e.detail === 'recovery code'), 'recovery sign-in audited');
  assert(log.some((e) => e.outcome === 'failure' && e.detail === 'wrong recovery code'), 'wrong recovery code audited');
  // New codes, proven with a code from the app.
  const s = await signedIn(srv.url, 'admin', PASSWORD); // an unrelated session is unaffected
  eq((await s.get('/api/v1/me')).status, 200, 'other sessions');
  // Two wrong codes so far: the third backs off, so wait where told.
  expectProblem(await patiently(() => a.client.post('/api/v1/me/two-factor/recovery-codes', { code: wrongCode(a.secret) })), 422, 'new codes with a wrong code');
  const code = await nextCode(a);
  const fresh = await patiently(() => a.client.post('/api/v1/me/two-factor/recovery-codes', { code }));
  eq(fresh.status, 200, `new codes: ${fresh.text.slice(0, 200)}`);
  eq(fresh.json.recovery_codes.length, 10, 'ten new codes');
  eq(fresh.json.two_factor.recovery_codes_left, 10, 'ten left');
  assert(!fresh.json.recovery_codes.includes(second), 'all new');
  const again = await patiently(() => new Client(srv.url).post('/api/v1/session', { username: a.username, password: NEWPW }));
  eq(again.status, 200, 'password step');
  ch = again.json.challenge;
  expectProblem(await patiently(() => c.post('/api/v1/session/second-factor', { challenge: ch, recovery_code: second })), 401, 'an old unused code no longer works');
  eq((await patiently(() => c.post('/api/v1/session/second-factor', { challenge: ch, recovery_code: fresh.json.recovery_codes[9] }))).status, 201, 'a new one does');
});

test('turning it off needs a code; afterwards the password alone signs in', async () => {
  const a = await account();
  await enrol(a);
  const bad = await a.client.del('/api/v1/me/two-factor', { body: { code: wrongCode(a.secret) } });
  const p = expectProblem(bad, 422, 'wrong code');
  eq(p.errors[0].field, 'code', 'names code');
  const badRc = await a.client.del('/api/v1/me/two-factor', { body: { recovery_code: 'aaaa-bbbb-cccc-dddd' } });
  eq(expectProblem(badRc, 422, 'wrong recovery code').errors[0].field, 'recovery_code', 'names recovery_code');
  eq((await a.client.get('/api/v1/me')).json.two_factor.enabled, true, 'still on');
  const off = await a.client.del('/api/v1/me/two-factor', { body: { code: await nextCode(a) } });
  eq(off.status, 200, `off: ${off.text.slice(0, 200)}`);
  eq(JSON.stringify(off.json.two_factor), '{"enabled":false,"required":false,"recovery_codes_left":0}', 'status');
  eq(sql(srv.db, `SELECT count(*) FROM recovery_code WHERE staff_id = '${a.id}';`).stdout, '0', 'recovery codes gone');
  eq(sql(srv.db, `SELECT count(*) FROM staff WHERE id = '${a.id}' AND totp_secret IS NULL;`).stdout, '1', 'secret gone');
  const c = new Client(srv.url);
  eq((await c.signIn(a.username, NEWPW)).status, 201, 'password alone');
  expectProblem(await a.client.del('/api/v1/me/two-factor', { body: { code: '123456' } }), 409, 'off already');
  expectProblem(await a.client.post('/api/v1/me/two-factor/recovery-codes', { code: '123456' }), 409, 'no codes when off');
  assert((await auditOfActor(a.id)).some((e) => e.object_type === 'two_factor' && e.action === 'disable' && e.outcome === 'success'), 'disable audited');
});

test('an administrator resets it for a lost phone (audited, sessions end); others may not', async () => {
  const a = await account();
  await enrol(a);
  const other = await account();
  expectProblem(await other.client.post(`/api/v1/staff/${a.id}/two-factor/reset`), 403, 'a peer resets');
  const sup = await signedIn(srv.url, 'super.north', PASSWORD);
  expectProblem(await sup.post(`/api/v1/staff/${a.id}/two-factor/reset`), 403, 'a supervisor resets');
  expectProblem(await privacy.post(`/api/v1/staff/${a.id}/two-factor/reset`), 403, 'a privacy officer resets');
  eq((await a.client.get('/api/v1/me')).json.two_factor.enabled, true, 'still on');
  const r = await admin.post(`/api/v1/staff/${a.id}/two-factor/reset`);
  eq(r.status, 204, `reset: ${r.text}`);
  expectProblem(await a.client.get('/api/v1/me'), 401, 'the account was signed out');
  const c = new Client(srv.url);
  const s = await c.signIn(a.username, NEWPW);
  eq(s.status, 201, 'the password alone signs in');
  eq(s.json.two_factor.enabled, false, 'off');
  expectProblem(await admin.post('/api/v1/staff/00000000-0000-7000-8000-000000000000/two-factor/reset'), 404, 'no such account');
  expectProblem(await admin.post('/api/v1/staff/not-an-id/two-factor/reset'), 404, 'not an id');
  eq(expectProblem(await admin.post(`/api/v1/staff/${admin.me.id}/two-factor/reset`), 409, 'own account').type, 'urn:alongside:problem:own-two-factor', 'type');
  const log = await allPages(privacy, `/api/v1/audit?actor=${admin.me.id}`);
  assert(log.some((e) => e.object_type === 'two_factor' && e.action === 'reset' && e.outcome === 'success' && e.object_id === a.id), 'reset audited');
  const denied = await allPages(privacy, `/api/v1/audit?actor=${other.id}`);
  assert(denied.some((e) => e.object_type === 'two_factor' && e.action === 'reset' && e.outcome === 'denied'), 'refusal audited');
});

test('an operator resets it on the command line (for the only administrator\'s lost phone)', async () => {
  const a = await account('admin');
  await enrol(a);
  const r = cli(['user', 'reset-two-factor', '--db', srv.db, '--username', a.username]);
  eq(r.status, 0, `reset-two-factor: ${r.stderr}`);
  eq(r.stdout.trim(), `reset two-step sign-in of ${a.username}`, 'says what it did');
  expectProblem(await a.client.get('/api/v1/me'), 401, 'signed out');
  const s = await new Client(srv.url).signIn(a.username, NEWPW);
  eq(s.status, 201, 'the password alone signs in');
  eq(s.json.two_factor.enabled, false, 'off');
  const none = cli(['user', 'reset-two-factor', '--db', srv.db, '--username', 'no.such.person']);
  eq(none.status, 1, 'an unknown name fails');
});

test('the organisation can require it: an unenrolled session reaches only /me, sign-out and set-up until it is set up', async () => {
  // The administrator who turns it on must have it first.
  const boss = await account('admin');
  eq(expectProblem(await put(boss.client, '/api/v1/settings/security', { require_two_factor: true }), 409, 'before own set-up').type,
    'urn:alongside:problem:two-factor-yourself-first', 'type');
  await enrol(boss);
  const peer = await account();
  expectProblem(await peer.client.get('/api/v1/settings/security'), 403, 'a peer reads the settings');
  expectProblem(await put(peer.client, '/api/v1/settings/security', { require_two_factor: true }), 403, 'a peer changes them');
  eq(JSON.stringify((await boss.client.get('/api/v1/settings/security')).json), '{"require_two_factor":false}', 'off at first');
  const on = await put(boss.client, '/api/v1/settings/security', { require_two_factor: true });
  eq(on.status, 200, `on: ${on.text}`);
  eq(on.json.require_two_factor, true, 'on');
  try {
    // An open session of someone without it is fenced in at once.
    const r = await peer.client.get('/api/v1/people');
    const p = expectProblem(r, 403, 'the roster');
    eq(p.type, 'urn:alongside:problem:two-factor-required', 'type');
    assert(/two-step sign-in/i.test(p.title), `a plain title: ${p.title}`);
    expectProblem(await peer.client.post('/api/v1/people', { preferred_name: 'Testperson Fenced' }), 403, 'adding a person');
    expectProblem(await peer.client.get('/api/v1/reference'), 403, 'reference');
    // A fresh sign-in with the password still works, into the same fence.
    const fresh = new Client(srv.url);
    const s = await fresh.signIn(peer.username, NEWPW);
    eq(s.status, 201, 'password sign-in');
    eq(JSON.stringify(s.json.two_factor), '{"enabled":false,"required":true,"recovery_codes_left":0}', 'required, not on');
    expectProblem(await fresh.get('/api/v1/staff'), 403, 'staff list');
    eq((await fresh.get('/api/v1/me')).status, 200, '/me');
    // Set-up is open, then the fence lifts for the same session.
    await enrol(peer);
    eq((await peer.client.get('/api/v1/people?limit=1')).status, 200, 'the roster after set-up');
    eq((await fresh.get('/api/v1/people?limit=1')).status, 200, 'the other session too');
    // It cannot be turned off while required.
    const off = await peer.client.del('/api/v1/me/two-factor', { body: { code: await nextCode(peer) } });
    eq(expectProblem(off, 403, 'off while required').type, 'urn:alongside:problem:two-factor-kept', 'type');
    // Sign-out works for a fenced session.
    const fenced = await account('peer', boss.client);
    eq((await fenced.client.del('/api/v1/session')).status, 204, 'sign-out while fenced');
    // An administrator without it is fenced too, like anyone else.
    const admin2 = await signedIn(srv.url, 'admin', PASSWORD);
    expectProblem(await admin2.get('/api/v1/staff'), 403, 'an unenrolled administrator');
  } finally {
    const offAgain = await put(boss.client, '/api/v1/settings/security', { require_two_factor: false });
    eq(offAgain.status, 200, 'off again');
  }
  eq((await admin.get('/api/v1/staff?limit=1')).status, 200, 'the fence lifts with the requirement');
  const log = await auditOfActor(boss.id);
  const set = log.filter((e) => e.object_type === 'setting' && e.object_id === 'require_two_factor');
  eq(set.map((e) => e.detail).sort().join(','), 'off,on', `changes audited: ${JSON.stringify(set)}`);
});

test('bodies are validated with the fields named, without echoing codes', async () => {
  const a = await account();
  const c = new Client(srv.url);
  const sf = '/api/v1/session/second-factor';
  expectFields(await c.post(sf, { code: '123456' }), ['challenge'], { exact: true });
  expectFields(await c.post(sf, { challenge: 'x'.repeat(43) }), ['code'], { exact: true });
  expectFields(await c.post(sf, { challenge: 'x'.repeat(43), code: '123456', recovery_code: 'abcd' }), ['recovery_code'], { exact: true });
  expectFields(await c.post(sf, { challenge: 'x'.repeat(43), code: 123456 }), ['code'], { exact: true });
  expectFields(await c.post(sf, { challenge: 'x'.repeat(43), code: '1'.repeat(40) }), ['code']);
  expectFields(await c.post(sf, { challenge: 'x'.repeat(43), code: '123456', remember: true }), ['remember']);
  expectFields(await c.post(sf, ['x']), ['body']);
  const long = await c.post(sf, { challenge: 'Q'.repeat(300), code: '123456' });
  expectFields(long, ['challenge']);
  expectNoEcho(long, 'Q'.repeat(100));
  const m = a.client;
  expectFields(await m.post('/api/v1/me/two-factor/confirm', {}), ['code'], { exact: true });
  expectFields(await m.post('/api/v1/me/two-factor/confirm', { code: null }), ['code']);
  expectFields(await m.post('/api/v1/me/two-factor/confirm', { code: '123456', secret: 'X' }), ['secret']);
  expectFields(await m.del('/api/v1/me/two-factor', { body: {} }), ['code'], { exact: true });
  expectFields(await m.del('/api/v1/me/two-factor', { body: { code: '1', recovery_code: '2' } }), ['recovery_code'], { exact: true });
  expectFields(await m.post('/api/v1/me/two-factor/recovery-codes', { code: false }), ['code']);
  const boss = await account('admin');
  expectFields(await put(boss.client, '/api/v1/settings/security', {}), ['require_two_factor'], { exact: true });
  expectFields(await put(boss.client, '/api/v1/settings/security', { require_two_factor: 'yes' }), ['require_two_factor'], { exact: true });
  expectFields(await put(boss.client, '/api/v1/settings/security', { require_two_factor: false, other: 1 }), ['other']);
  // Without a session, the set-up routes answer 401; without CSRF, 403.
  for (const [method, path] of [['POST', '/api/v1/me/two-factor'], ['POST', '/api/v1/me/two-factor/confirm'],
    ['DELETE', '/api/v1/me/two-factor'], ['GET', '/api/v1/settings/security']]) {
    expectProblem(await new Client(srv.url).request(method, path, { body: method === 'GET' ? undefined : { code: '123456' } }), 401, `${method} ${path} signed out`);
  }
  const saved = m.csrf;
  m.csrf = null;
  eq(expectProblem(await m.post('/api/v1/me/two-factor'), 403, 'no CSRF token').type, 'urn:alongside:problem:csrf', 'csrf');
  m.csrf = saved;
});

test('staff without two-step sign-in sign in with the password as before', async () => {
  const c = new Client(srv.url);
  const r = await c.signIn('peer.north', PASSWORD);
  eq(r.status, 201, 'password alone');
  eq(r.json.two_factor.enabled, false, 'off');
});

test('no request in this file was answered with a 5xx', () => {
  for (const s of servers) expectNo5xx(s);
});
