// Two `alongside serve` processes on ONE database, as several app servers
// behind a proxy run against one PostgreSQL primary. Nothing that must be
// shared may live in a server's memory: sessions, CSRF tokens, sign-in
// lock-out counts, record versions and the audit chain's head are in the
// database, so either server answers for the other's sign-ins, both count
// failures together, a stale write is refused whichever server took the
// other write, and the audit chain stays one gap-free verifiable chain.
// Runs on both backends: SQLite also lets two processes share one file
// (its file locks serialise their writers), and the same guarantees hold.
// The servers use different thread models, so both are exercised here.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, cli, PG, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import {
  sql, expectProblem, createPerson, personBody, expectNo5xx,
} from '../lib/api.mjs';

const lockout = ['--lockout-after', '2', '--lockout-seconds', '600'];
const A = await startServer({ args: lockout });
// B: the thread model that is not the backend's default, and (on
// PostgreSQL) a small connection pool, so requests queue for one.
const B = await startServer({
  db: A.db,
  args: [...lockout, '--thread-model', PG ? 'pool' : 'per-connection', '--threads', '4', '--db-connections', '3'],
});
after(async () => {
  await A.stop();
  await B.stop();
});

const people = '/api/v1/people';
const etag = (r) => r.headers.get('etag');
// A client on base that carries other's session cookie and CSRF token.
function sameSession(base, other) {
  const c = new Client(base);
  c.cookie = other.cookie;
  c.csrf = other.csrf;
  return c;
}

test('a session begun on server A works on server B, CSRF token included; signing out on B ends it on A', async () => {
  const a = await signedIn(A.url, 'peer.north', PASSWORD);
  const b = sameSession(B.url, a);
  const me = await b.get('/api/v1/me');
  eq(me.status, 200, `/me on B with A's cookie (${me.text.slice(0, 200)})`);
  eq(me.json.username, 'peer.north', 'the same account');
  // A state-changing request on B with A's CSRF token.
  const p = await createPerson(b);
  eq((await a.get(`${people}/${p.id}`)).status, 200, 'what B wrote, A reads');
  // B checks the token against the session, not just its presence.
  expectProblem(await b.post(people, personBody(), { headers: { 'X-CSRF-Token': 'A'.repeat(43) } }), 403, 'a wrong CSRF token on B');
  const noCsrf = new Client(B.url);
  noCsrf.cookie = a.cookie;
  expectProblem(await noCsrf.post(people, personBody()), 403, 'no CSRF token on B');
  // Signing out on B ends the session everywhere.
  eq((await b.del('/api/v1/session')).status, 204, 'sign out on B');
  expectProblem(await a.get('/api/v1/me'), 401, 'the session on A after signing out on B');
  expectProblem(await sameSession(B.url, a).get('/api/v1/me'), 401, 'and on B');
});

test('failed sign-ins on A and B add up to one lock-out that both servers enforce', async () => {
  // --lockout-after 2: one failure on each server. Counted per server,
  // neither would lock; counted in the database, the account locks.
  const user = 'peer.south';
  expectProblem(await new Client(A.url).post('/api/v1/session', { username: user, password: 'Not-the-password-1' }), 401, 'failure 1 on A');
  expectProblem(await new Client(B.url).post('/api/v1/session', { username: user, password: 'Not-the-password-2' }), 401, 'failure 2 on B');
  for (const [name, srv] of [['A', A], ['B', B]]) {
    const r = await new Client(srv.url).post('/api/v1/session', { username: user, password: PASSWORD });
    const p = expectProblem(r, 429, `the right password on ${name} while locked`);
    eq(p.type, 'urn:alongside:problem:sign-in-locked', 'type');
    const wait = Number(r.headers.get('retry-after'));
    assert(wait > 60, `${name}: a lock lasts minutes (Retry-After ${wait})`);
  }
  // Lifting the lock on the command line lifts it for both.
  eq(cli(['user', 'enable', '--db', A.db, '--username', user]).status, 0, 'user enable');
  eq((await new Client(B.url).signIn(user, PASSWORD)).status, 201, 'signs in on B');
  eq((await new Client(A.url).signIn(user, PASSWORD)).status, 201, 'signs in on A');
  // And a success on one server clears the count on the other: one
  // failure on A after the success does not lock.
  expectProblem(await new Client(A.url).post('/api/v1/session', { username: user, password: 'Not-the-password-3' }), 401, 'a new failure on A');
  eq((await new Client(B.url).signIn(user, PASSWORD)).status, 201, 'not locked by one failure');
});

test('concurrent PATCHes of one person through both servers with the same If-Match: one 200, every other 412, no lost update', async () => {
  const pa = await signedIn(A.url, 'peer.north', PASSWORD);
  const pb = await signedIn(B.url, 'peer.north2', PASSWORD);
  const p = await createPerson(pa);
  let version = p.version;
  for (let round = 0; round < 4; round++) {
    const n = 12;
    const sent = Array.from({ length: n }, (_, i) => `Racer Concurrent${round}x${i}`);
    const rs = await Promise.all(sent.map((name, i) => (i % 2 ? pb : pa).patch(`${people}/${p.id}`,
      { preferred_name: name }, { headers: { 'If-Match': `"${version}"` } })));
    const statuses = rs.map((r) => r.status);
    const winners = statuses.flatMap((s, i) => (s === 200 ? [i] : []));
    eq(winners.length, 1, `round ${round}: exactly one 200 (${statuses})`);
    eq(statuses.filter((s) => s === 412).length, n - 1, `round ${round}: every other answer is 412 (${statuses})`);
    for (const r of rs.filter((x) => x.status === 412)) {
      eq(r.json.current_version, version + 1, `round ${round}: a 412 names the winner's version`);
      eq(r.json.your_version, version, `round ${round}: and the one sent`);
    }
    const w = winners[0];
    eq(rs[w].json.version, version + 1, `round ${round}: the winner made one new version`);
    // Both servers read the winner's value, at the winner's version.
    for (const [name, c] of [['A', pa], ['B', pb]]) {
      const g = await c.get(`${people}/${p.id}`);
      eq(g.json.version, version + 1, `round ${round}: version on ${name}`);
      eq(g.json.preferred_name, sent[w], `round ${round}: the winner's value on ${name}`);
      eq(etag(g), `"${version + 1}"`, `round ${round}: ETag on ${name}`);
    }
    version += 1;
  }
  // One audited update per round, and one history step per round.
  eq(sql(A.db, `SELECT count(*) FROM audit WHERE object_type = 'person' AND object_id = '${p.id}' AND action = 'update' AND outcome = 'success';`).stdout,
    '4', 'four successful updates audited');
  eq(sql(A.db, `SELECT count(DISTINCT version) FROM person_field_history WHERE person_id = '${p.id}';`).stdout,
    '4', 'four versions in the field history');
});

test('many concurrent audited writes and reads over both servers leave one gap-free audit chain that verifies', async () => {
  const clients = [
    await signedIn(A.url, 'peer.north', PASSWORD), await signedIn(A.url, 'peer.south', PASSWORD),
    await signedIn(B.url, 'peer.north2', PASSWORD), await signedIn(B.url, 'super.north', PASSWORD),
  ];
  const created = [];
  const worker = async (c, k) => {
    for (let i = 0; i < 12; i++) {
      const p = await createPerson(c, { preferred_name: `Chainwriter Parallel${k}x${i}` });
      created.push(p.id);
      // Reading a record is audited too.
      const g = await c.get(`${people}/${p.id}`);
      eq(g.status, 200, `read back (${g.text.slice(0, 200)})`);
      const u = await c.patch(`${people}/${p.id}`, { pronouns: 'she/her' }, { headers: { 'If-Match': etag(g) } });
      eq(u.status, 200, `update (${u.text.slice(0, 200)})`);
      eq((await c.get(`${people}?limit=20`)).status, 200, 'roster');
    }
  };
  // Two workers per client: eight at once, four on each server.
  await Promise.all(clients.flatMap((c, k) => [worker(c, `${k}a`), worker(c, `${k}b`)]));
  eq(created.length, 96, 'every write answered 201');
  expectNo5xx(A);
  expectNo5xx(B);
  await A.stop();
  await B.stop();
  const v = cli(['audit', 'verify', '--db', A.db]);
  eq(v.status, 0, `audit verify after both servers stop: ${v.stdout}${v.stderr}`);
  const [count, min, max] = sql(A.db, 'SELECT count(*), min(seq), max(seq) FROM audit;').stdout.split('|').map(Number);
  eq(min, 1, 'the chain starts at 1');
  eq(max, count, `seq runs 1..${count} with no gap and no repeat`);
  assert(v.stdout.includes(`intact: ${count} entries`), `verify walked all ${count}: ${v.stdout}`);
  eq(Number(sql(A.db, 'SELECT seq FROM audit_head;').stdout), max, 'the chain head is the last entry');
  // Every write and every read left its entry: one create, one read and
  // one update for each person made here.
  const ids = created.map((id) => `'${id}'`).join(', ');
  eq(sql(A.db, `SELECT action, count(*) FROM audit WHERE object_type = 'person' AND outcome = 'success' AND object_id IN (${ids})
    AND action IN ('create', 'read', 'update') GROUP BY action ORDER BY action;`).stdout.split('\n').join(' '),
  'create|96 read|96 update|96', 'each write and read audited once');
});
