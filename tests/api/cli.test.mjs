// The command line: help, init, migrate, schema checks, user accounts,
// audit verification against tampering, backup while serving, restore.
// Every test runs on the backend under test (ALONGSIDE_TEST_PG: each
// database is a new PostgreSQL database; otherwise a SQLite file). Where
// the backends genuinely differ, the test says why and asserts each one's
// own behaviour.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, cli, tempDir, newDatabase, PG, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import {
  sql, cliAsync, sleep, allPages, pgParts, databaseExists, tableCount, dropTrigger,
} from '../lib/api.mjs';

const dir = tempDir('alongside-cli-');
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
// A file in the test directory (backups, dumps, and SQLite databases).
const f = (name) => path.join(dir, name);
// An empty database on the backend under test: a new path (SQLite), or
// a new database with no tables (PostgreSQL).
const fresh = (name) => newDatabase(dir, name);
// A database that does not exist: a path with no file, or the name of a
// PostgreSQL database nobody created.
const missing = (name) => (PG ? `${PG}/alongside_missing_${crypto.randomBytes(6).toString('hex')}` : f(name));
// Backups: a SQLite backup is a database file; a PostgreSQL one a
// pg_dump archive (custom format).
const backupFile = (name) => f(PG ? `${name}.dump` : `${name}.db`);

// A fresh demo database (small unless people is given).
function demo(name, people = 6) {
  const db = fresh(name);
  const r = cli(['demo', '--db', db, '--password', PASSWORD, '--people', String(people)]);
  eq(r.status, 0, `demo: ${r.stderr}`);
  return db;
}
// A copy of the database from, taken while nothing uses it.
function copy(from, name) {
  if (!PG) {
    const to = f(name);
    const r = sql(from, `VACUUM INTO '${to}'`);
    eq(r.status, 0, `copy: ${r.stderr}`);
    return to;
  }
  const { admin, name: src } = pgParts(from);
  const to = `alongside_${crypto.randomBytes(6).toString('hex')}`;
  const r = sql(admin, `CREATE DATABASE ${to} TEMPLATE ${src};`);
  eq(r.status, 0, `copy: ${r.stderr}`);
  return `${PG}/${to}`;
}
// True when init or restore left nothing behind at db: no file, or (a
// PostgreSQL database given to it) no tables.
function nothingCreated(db) {
  if (!PG) return !fs.existsSync(db);
  return !databaseExists(db) || tableCount(db) === 0;
}
// The scratch copy restore loads a backup into before checking it.
function scratchOf(db) {
  return PG ? `${PG}/${pgParts(db).name}_restoring` : `${db}.restoring`;
}
// The commands alongside --help lists.
function commands() {
  const r = cli(['--help']);
  const m = /Commands:\n([\s\S]*?)\n\n/.exec(r.stdout);
  assert(m, `a command list in:\n${r.stdout}`);
  return m[1].split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
}

test('alongside --help and COMMAND --help for every command exit 0', () => {
  const r = cli(['--help']);
  eq(r.status, 0, 'alongside --help');
  assert(/^usage: alongside COMMAND/.test(r.stdout), 'usage line');
  const cmds = commands();
  for (const c of ['init', 'demo', 'serve', 'user', 'migrate', 'audit', 'backup', 'restore']) {
    assert(cmds.includes(c), `--help lists ${c}`);
  }
  for (const c of cmds) {
    for (const h of ['--help', '-h']) {
      const x = cli([c, h]);
      eq(x.status, 0, `${c} ${h}: ${x.stderr}`);
      assert(new RegExp(`usage: alongside ${c}\\b`).test(x.stdout), `${c} ${h} prints its usage`);
    }
  }
  // Sub-commands answer --help too.
  for (const args of [['user', 'add', '--help'], ['audit', 'verify', '--help'], ['user', 'passwd', '--help']]) {
    eq(cli(args).status, 0, args.join(' '));
  }
  eq(cli(['-h']).status, 0, 'alongside -h');
  eq(cli([]).status, 2, 'no command');
  const bad = cli(['frobnicate']);
  eq(bad.status, 2, 'an unknown command');
  assert(/no command frobnicate/.test(bad.stderr), 'says so');
  assert(/^alongside \d+\.\d+\.\d+/.test(cli(['--version']).stdout), '--version');
});

test('init creates the schema (in a new file, or in an existing empty PostgreSQL database); init twice is harmless', async () => {
  const db = fresh('init.db');
  if (PG) eq(tableCount(db), 0, 'PostgreSQL: the database exists and is empty');
  else assert(!fs.existsSync(db), 'SQLite: no file yet');
  let r = cli(['init', '--db', db]);
  eq(r.status, 0, `init: ${r.stderr}`);
  assert(databaseExists(db) && tableCount(db) > 5, 'the tables exist');
  assert(/schema version \d+/.test(r.stdout), `says so: ${r.stdout}`);
  const version = sql(db, 'SELECT max(version) FROM schema_migration;').stdout;
  assert(Number(version) >= 1, `schema recorded (${version})`);
  // The backend-specific parts of the schema: SQLite runs in WAL mode
  // and guards the audit table against UPDATE and DELETE; PostgreSQL
  // (always write-ahead logged) guards it against TRUNCATE as well.
  if (PG) {
    eq(sql(db, "SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = 'audit'::regclass;").stdout,
      'audit_no_delete,audit_no_truncate,audit_no_update', 'PostgreSQL: the audit guards');
  } else {
    eq(sql(db, 'PRAGMA journal_mode;').stdout, 'wal', 'WAL');
    eq(sql(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' ORDER BY name);").stdout,
      'audit_no_delete,audit_no_update', 'SQLite: the audit guards');
  }
  eq(sql(db, "SELECT value FROM setting WHERE name = 'time_zone';").stdout, 'UTC', 'the default time zone');
  eq(cli(['team', 'add', '--db', db, '--name', 'west', '--display-name', 'West team']).status, 0, 'team add');
  r = cli(['user', 'add', '--db', db, '--username', 'first.admin', '--name', 'Orla Firstadmin', '--role', 'admin'], { input: 'init-admin-passphrase\n' });
  eq(r.status, 0, `user add: ${r.stderr}`);
  const before = sql(db, 'SELECT count(*) FROM audit; SELECT count(*) FROM staff; SELECT count(*) FROM team;').stdout;
  r = cli(['init', '--db', db]);
  eq(r.status, 0, `init again: ${r.stderr}`);
  eq(sql(db, 'SELECT max(version) FROM schema_migration;').stdout, version, 'schema unchanged');
  eq(sql(db, 'SELECT count(*) FROM audit; SELECT count(*) FROM staff; SELECT count(*) FROM team;').stdout, before, 'data kept');
  eq(sql(db, "SELECT value FROM setting WHERE name = 'time_zone';").stdout, 'UTC', 'a second init without --time-zone keeps the zone');
  r = cli(['init', '--db', db, '--time-zone', 'America/Chicago']);
  eq(r.status, 0, `init with a zone: ${r.stderr}`);
  eq(sql(db, "SELECT value FROM setting WHERE name = 'time_zone';").stdout, 'America/Chicago', 'init --time-zone sets the zone');
  eq(sql(db, 'SELECT count(*) FROM audit; SELECT count(*) FROM staff; SELECT count(*) FROM team;').stdout, before, 'data still kept');
  eq(cli(['audit', 'verify', '--db', db]).status, 0, 'audit intact');
  // The new database serves, and its first administrator signs in.
  const s = await startServer({ db });
  servers.push(s);
  const c = await signedIn(s.url, 'first.admin', 'init-admin-passphrase');
  eq(JSON.stringify((await c.get('/api/v1/teams')).json.items.map((t) => t.name)), '["west"]', 'the team');
  await s.stop();
  // A time zone must be a zone.
  const tzDb = fresh('tz.db');
  const tz = cli(['init', '--db', tzDb, '--time-zone', '../../etc/passwd']);
  assert(tz.status !== 0, 'a bad time zone is refused');
  assert(nothingCreated(tzDb), 'and no schema is created');
  const marsDb = fresh('mars.db');
  const mars = cli(['init', '--db', marsDb, '--time-zone', 'Mars/Olympus_Mons']);
  assert(mars.status !== 0, 'a zone the zone database lacks is refused');
  assert(nothingCreated(marsDb), 'and no schema is created');
  // Backends differ: init creates a SQLite file, but a PostgreSQL
  // database is created by its server's operator (CREATE DATABASE), so
  // init on one that does not exist fails and says so.
  if (PG) {
    const none = missing();
    r = cli(['init', '--db', none]);
    eq(r.status, 1, 'PostgreSQL: init on a missing database fails');
    assert(/does not exist/.test(r.stderr), `says so: ${r.stderr}`);
    assert(!databaseExists(none), 'and creates no database');
  }
});

test('migrate on a current database says so', () => {
  const db = demo('migrate.db');
  const r = cli(['migrate', '--db', db]);
  eq(r.status, 0, `migrate: ${r.stderr}`);
  assert(/already at version \d+/.test(r.stdout), `says so: ${r.stdout}`);
  const nothing = missing('nothing-here.db');
  const none = cli(['migrate', '--db', nothing]);
  eq(none.status, 1, 'no database');
  assert(/no database at|does not exist/.test(none.stderr), `says so: ${none.stderr}`);
  assert(!databaseExists(nothing), 'not created by migrate');
});

test('a database whose schema is newer is refused by serve and the other commands, restore included', () => {
  const db = demo('newer.db');
  eq(sql(db, 'INSERT INTO schema_migration VALUES (99, 0);').status, 0, 'mark newer');
  const serve = cli(['serve', '--db', db, '--listen', '127.0.0.1:1']);
  eq(serve.status, 1, `serve exits 1 (${serve.stderr})`);
  assert(/newer/.test(serve.stderr) && /99/.test(serve.stderr), `serve says why: ${serve.stderr}`);
  // A backup of such a database: on SQLite the database file itself is
  // one; on PostgreSQL alongside backup refuses to make one (below), so
  // pg_dump makes it directly.
  let bk = db;
  if (PG) {
    bk = f('newer-direct.dump');
    const d = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--file', bk, '--dbname', db], { encoding: 'utf8' });
    eq(d.status, 0, `pg_dump: ${d.stderr}`);
  }
  const restored = missing('newer-restored.db');
  const out = backupFile('newer-backup');
  for (const args of [['user', 'list', '--db', db], ['audit', 'verify', '--db', db], ['migrate', '--db', db],
    ['backup', '--db', db, out], ['restore', '--db', restored, bk]]) {
    const r = cli(args);
    eq(r.status, 1, `${args.slice(0, 2).join(' ')} refuses (${r.stdout}${r.stderr})`);
    assert(/newer/.test(r.stderr), `${args.slice(0, 2).join(' ')} says newer: ${r.stderr}`);
  }
  assert(!fs.existsSync(out), 'no backup written');
  assert(!databaseExists(restored), 'nothing restored');
  assert(!databaseExists(scratchOf(restored)), 'no scratch copy left behind');
  eq(sql(db, 'SELECT max(version) FROM schema_migration;').stdout, '99', 'left as it was');
});

test('serve on an empty or missing database tells you to init or migrate; migrate makes it servable', async () => {
  // Empty: a zero-byte file, or a PostgreSQL database with no tables.
  const empty = fresh('empty.db');
  if (!PG) fs.writeFileSync(empty, '');
  let r = cli(['serve', '--db', empty, '--listen', '127.0.0.1:1']);
  eq(r.status, 1, 'serve refuses an empty database');
  assert(/migrate/.test(r.stderr), `tells you to migrate: ${r.stderr}`);
  r = cli(['user', 'list', '--db', empty]);
  eq(r.status, 1, 'user list refuses it');
  assert(/migrate/.test(r.stderr), 'tells you to migrate');
  eq(tableCount(empty), 0, 'and nothing was created in it');
  // Missing: SQLite points at init; a missing PostgreSQL database cannot
  // be created by alongside (see the init test), and the server's own
  // answer says it does not exist.
  const gone = missing('missing.db');
  r = cli(['serve', '--db', gone, '--listen', '127.0.0.1:1']);
  eq(r.status, 1, 'serve refuses a missing database');
  assert(PG ? /does not exist/.test(r.stderr) : /init/.test(r.stderr), `says what to do: ${r.stderr}`);
  assert(!databaseExists(gone), 'serve creates nothing');
  r = cli(['migrate', '--db', empty]);
  eq(r.status, 0, `migrate: ${r.stderr}`);
  assert(/migrated from version 0 to \d+/.test(r.stdout), `says what it did: ${r.stdout}`);
  const s = await startServer({ db: empty });
  servers.push(s);
  eq((await new Client(s.url).get('/healthz')).status, 200, 'serves');
  await s.stop();
});

test('serve refuses bad options', () => {
  const db = demo('opts.db');
  for (const args of [['--listen', 'localhost'], ['--listen', '127.0.0.1:99999'], ['--max-body', '10'], ['--idle-timeout', '0'],
    ['--threads', 'many'], ['--tls-cert', f('nope.pem')], ['--bogus'], ['--thread-model', 'fibres'],
    ['--db-connections', '0'], ['--db-connections', 'lots']]) {
    const r = cli(['serve', '--db', db, ...args]);
    assert(r.status !== 0 && r.status !== null, `serve ${args.join(' ')} refused (status ${r.status})`);
  }
});

test('user add reads the password from stdin (never argv); the account signs in over the API', async () => {
  const db = demo('users.db');
  let r = cli(['user', 'add', '--db', db, '--username', 'argv.user', '--name', 'Argv User', '--role', 'peer', '--password', 'on-the-command-line']);
  eq(r.status, 2, 'a --password option does not exist');
  r = cli(['user', 'add', '--db', db, '--username', 'empty.user', '--name', 'Empty User', '--role', 'peer']);
  eq(r.status, 1, 'no password on stdin');
  r = cli(['user', 'add', '--db', db, '--username', 'short.user', '--name', 'Short User', '--role', 'peer'], { input: 'Tiny1\n' });
  eq(r.status, 1, 'a short password');
  assert(/password/.test(r.stderr) && !r.stderr.includes('Tiny1'), `names the field, not the value: ${r.stderr}`);
  r = cli(['user', 'add', '--db', db, '--username', 'Bad Name', '--name', 'Bad Name', '--role', 'peer'], { input: 'long-enough-password\n' });
  eq(r.status, 1, 'a bad username');
  r = cli(['user', 'add', '--db', db, '--username', 'role.user', '--name', 'Role User', '--role', 'wizard'], { input: 'long-enough-password\n' });
  eq(r.status, 1, 'a bad role');
  r = cli(['user', 'add', '--db', db, '--username', 'team.user', '--name', 'Team User', '--role', 'peer', '--team', 'nowhere'], { input: 'long-enough-password\n' });
  eq(r.status, 1, 'an unknown team');
  r = cli(['user', 'add', '--db', db, '--username', 'peer.north', '--name', 'Dup User', '--role', 'peer'], { input: 'long-enough-password\n' });
  eq(r.status, 1, 'a taken username');
  const pw = 'stdin-passphrase-77';
  r = cli(['user', 'add', '--db', db, '--username', 'new.peer', '--name', 'Thessaly Newpeer', '--role', 'peer', '--team', 'north', '--team', 'south'], { input: `${pw}\n` });
  eq(r.status, 0, `user add: ${r.stderr}`);
  assert(!r.stdout.includes(pw) && !r.stderr.includes(pw), 'the password is not printed');
  const hash = sql(db, "SELECT password_hash FROM staff WHERE username = 'new.peer';").stdout;
  assert(hash.startsWith('$argon2id$') && !hash.includes(pw), 'stored as an argon2id hash');
  eq(sql(db, 'SELECT actor_role, object_type, action, outcome FROM audit ORDER BY seq DESC LIMIT 1;').stdout,
    'system|staff|create|success', 'the command line\'s change is audited as the system');
  const list = cli(['user', 'list', '--db', db]);
  eq(list.status, 0, 'user list');
  for (const u of ['admin', 'privacy', 'super.north', 'super.south', 'peer.north', 'peer.north2', 'peer.south', 'new.peer']) {
    assert(new RegExp(`^${u.replace('.', '\\.')}\\s`, 'm').test(list.stdout), `user list shows ${u}`);
  }
  assert(/^new\.peer\s+peer\s+active\s+teams=north,south$/m.test(list.stdout), `roles and teams shown:\n${list.stdout}`);
  for (const u of ['argv.user', 'empty.user', 'short.user', 'role.user', 'team.user']) {
    assert(!list.stdout.includes(u), `${u} was not added`);
  }
  const s = await startServer({ db });
  servers.push(s);
  const c = await signedIn(s.url, 'new.peer', pw);
  eq(JSON.stringify(c.me.teams.map((t) => t.name).sort()), '["north","south"]', 'teams over the API');
  eq((await allPages(c, '/api/v1/people')).length, 6, 'both rosters');
  // disable and enable from the command line, while it serves.
  eq(cli(['user', 'disable', '--db', db, '--username', 'new.peer']).status, 0, 'disable');
  assert(/^new\.peer\s+peer\s+disabled/m.test(cli(['user', 'list', '--db', db]).stdout), 'listed disabled');
  eq((await c.get('/api/v1/me')).status, 401, 'session ended');
  eq((await new Client(s.url).post('/api/v1/session', { username: 'new.peer', password: pw })).status, 401, 'cannot sign in');
  eq(cli(['user', 'enable', '--db', db, '--username', 'new.peer']).status, 0, 'enable');
  eq((await new Client(s.url).signIn('new.peer', pw)).status, 201, 'signs in again');
  eq(cli(['user', 'disable', '--db', db, '--username', 'no.such.user']).status, 1, 'an unknown account');
  eq(cli(['user', 'passwd', '--db', db, '--username', 'new.peer', '--role', 'admin'], { input: `${pw}\n` }).status, 2, 'passwd takes only --username');
  // passwd from the command line, while it serves: the new password
  // works, the old one does not, and the account's sessions end.
  const c2 = await signedIn(s.url, 'new.peer', pw);
  const pw2 = 'second-passphrase-88';
  r = cli(['user', 'passwd', '--db', db, '--username', 'new.peer'], { input: `${pw2}\n` });
  eq(r.status, 0, `passwd: ${r.stderr}`);
  assert(!r.stdout.includes(pw2) && !r.stderr.includes(pw2), 'the new password is not printed');
  eq((await c2.get('/api/v1/me')).status, 401, 'passwd ends the open session');
  eq((await new Client(s.url).post('/api/v1/session', { username: 'new.peer', password: pw })).status, 401, 'the old password fails');
  eq((await new Client(s.url).signIn('new.peer', pw2)).status, 201, 'the new password signs in');
  eq(cli(['user', 'passwd', '--db', db, '--username', 'no.such.user'], { input: `${pw2}\n` }).status, 1, 'passwd: an unknown account');
  eq(cli(['user', 'passwd', '--db', db, '--username', 'new.peer'], { input: 'Tiny1\n' }).status, 1, 'passwd: a short password');
  await s.stop();
});

test('serve runs with either thread model on this backend (pool, per-connection)', async () => {
  // PostgreSQL's default is per-connection and SQLite's the pool; both
  // must work on both. A pool of two database connections under eight
  // concurrent requests makes requests queue for a connection
  // (PostgreSQL; SQLite has one connection per thread).
  const db = demo('models.db');
  for (const args of [['--thread-model', 'pool', '--threads', '3', '--db-connections', '2'],
    ['--thread-model', 'per-connection', '--db-connections', '2']]) {
    const s = await startServer({ db, args });
    servers.push(s);
    const c = await signedIn(s.url, 'peer.north', PASSWORD);
    const rs = await Promise.all(Array.from({ length: 8 }, () => c.get('/api/v1/people?limit=5')));
    eq(rs.map((r) => r.status).join(','), Array(8).fill(200).join(','), `${args.join(' ')}: every request answered`);
    await s.stop();
  }
  eq(cli(['audit', 'verify', '--db', db]).status, 0, 'the audit chain verifies');
});

test('audit verify passes on a fresh demo database', () => {
  const db = demo('verify.db');
  const r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 0, `verify: ${r.stdout}${r.stderr}`);
  assert(/intact: \d+ entries/.test(r.stdout), r.stdout);
});

test('the audit table refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE); after dropping the guard, an altered row 5 is named', () => {
  const db = demo('tamper-update.db');
  const count = sql(db, 'SELECT count(*) FROM audit;').stdout;
  let r = sql(db, "UPDATE audit SET outcome = 'denied' WHERE seq = 5;");
  assert(r.status !== 0 && /append-only/.test(r.stderr), `UPDATE refused: ${r.stderr}`);
  r = sql(db, 'DELETE FROM audit WHERE seq = 5;');
  assert(r.status !== 0 && /append-only/.test(r.stderr), `DELETE refused: ${r.stderr}`);
  r = sql(db, 'DELETE FROM audit;');
  assert(r.status !== 0 && /append-only/.test(r.stderr), `DELETE of every row refused: ${r.stderr}`);
  // TRUNCATE is PostgreSQL's alone (it skips row triggers, hence its own
  // guard); SQLite has no TRUNCATE, and its DELETE of every row is the
  // statement just refused above.
  if (PG) {
    r = sql(db, 'TRUNCATE audit;');
    assert(r.status !== 0 && /append-only/.test(r.stderr), `TRUNCATE refused: ${r.stderr}`);
  }
  eq(sql(db, 'SELECT count(*) FROM audit;').stdout, count, 'every entry still there');
  eq(cli(['audit', 'verify', '--db', db]).status, 0, 'still intact');
  const outcome = sql(db, 'SELECT outcome FROM audit WHERE seq = 5;').stdout;
  const changed = outcome === 'success' ? 'denied' : 'success';
  r = sql(db, `${dropTrigger(db, 'audit_no_update')} UPDATE audit SET outcome = '${changed}' WHERE seq = 5;`);
  eq(r.status, 0, `tamper: ${r.stderr}`);
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'verify fails');
  assert(/\bentry 5\b/.test(r.stdout + r.stderr), `names entry 5: ${r.stdout}${r.stderr}`);
  assert(!/entry [1-4]\b/.test(r.stdout), 'blames no earlier entry');
  // Other fields too: the address, the time.
  const db2 = demo('tamper-time.db');
  eq(sql(db2, `${dropTrigger(db2, 'audit_no_update')} UPDATE audit SET at = at + 1 WHERE seq = 7;`).status, 0, 'tamper the time');
  r = cli(['audit', 'verify', '--db', db2]);
  eq(r.status, 1, 'a changed time');
  assert(/\bentry 7\b/.test(r.stdout), r.stdout);
  const db3 = demo('tamper-addr.db');
  eq(sql(db3, `${dropTrigger(db3, 'audit_no_update')} UPDATE audit SET client_addr = '203.0.113.9' WHERE seq = 8;`).status, 0, 'tamper the address');
  r = cli(['audit', 'verify', '--db', db3]);
  eq(r.status, 1, 'a changed address');
  assert(/\bentry 8\b/.test(r.stdout), r.stdout);
});

test('audit verify names a removed last entry, a removed middle entry and two swapped entries', () => {
  const base = demo('tamper-base.db');
  const last = Number(sql(base, 'SELECT max(seq) FROM audit;').stdout);
  assert(last > 10, 'enough entries');
  let db = copy(base, 'tamper-last.db');
  eq(sql(db, `${dropTrigger(db, 'audit_no_delete')} DELETE FROM audit WHERE seq = ${last};`).status, 0, 'remove the last');
  let r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'last removed');
  assert(new RegExp(`\\bentr(y|ies from) ${last}\\b`).test(r.stdout), `names ${last}: ${r.stdout}`);
  db = copy(base, 'tamper-middle.db');
  eq(sql(db, `${dropTrigger(db, 'audit_no_delete')} DELETE FROM audit WHERE seq = 6;`).status, 0, 'remove the middle');
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'middle removed');
  assert(/\bentry 6\b/.test(r.stdout), `names 6: ${r.stdout}`);
  db = copy(base, 'tamper-swap.db');
  const cols = 'at, actor_id, actor_role, person_id, object_type, object_id, action, outcome, client_addr, detail, prev_hash, hash';
  const set = cols.split(', ').map((c) => `${c} = (SELECT ${c} FROM t WHERE s = %)`).join(', ');
  r = sql(db, `${dropTrigger(db, 'audit_no_update')}
    CREATE TEMP TABLE t AS SELECT seq AS s, ${cols} FROM audit WHERE seq IN (3, 4);
    UPDATE audit SET ${set.replace(/%/g, '4')} WHERE seq = 3;
    UPDATE audit SET ${set.replace(/%/g, '3')} WHERE seq = 4;`);
  eq(r.status, 0, `swap: ${r.stderr}`);
  eq(sql(db, 'SELECT count(*) FROM audit WHERE seq IN (3, 4);').stdout, '2', 'both rows still there');
  eq(sql(db, 'SELECT count(DISTINCT hash) FROM audit WHERE seq IN (3, 4);').stdout, '2', 'two different entries');
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'swapped');
  assert(/\bentry 3\b/.test(r.stdout), `names 3: ${r.stdout}`);
  // An entry added behind the chain head's back.
  db = copy(base, 'tamper-add.db');
  eq(sql(db, `INSERT INTO audit SELECT seq + 1, at, actor_id, actor_role, person_id, object_type, object_id, action, outcome, client_addr, detail, hash, hash FROM audit WHERE seq = ${last};`).status,
    0, 'add an entry');
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'added outside the head');
  assert(new RegExp(`\\bentry ${last + 1}\\b`).test(r.stdout), `names ${last + 1}: ${r.stdout}`);
  eq(cli(['audit', 'verify', '--db', base]).status, 0, 'the original is untouched');
});

// Loads a backup into a new database for inspection without going
// through alongside restore: the SQLite backup is a database already; a
// PostgreSQL one goes through pg_restore into a new database.
function loadBackup(file, name) {
  if (!PG) return file;
  const db = fresh(name);
  const r = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', db, file], { encoding: 'utf8' });
  eq(r.status, 0, `pg_restore: ${r.stderr}`);
  return db;
}

test('backup while the server is serving and writing gives a consistent copy that verifies and opens (PostgreSQL: a pg_dump archive)', async () => {
  const db = demo('live.db', 1000);
  const s = await startServer({ db });
  servers.push(s);
  const peer = await signedIn(s.url, 'peer.north', PASSWORD);
  let stop = false;
  let writes = 0;
  const writer = async (k) => {
    let i = 0;
    while (!stop) {
      const r = await peer.post('/api/v1/people', { preferred_name: `Livewriter Backupson${k}x${i++}` });
      if (r.status !== 201) throw new Error(`write failed: ${r.status} ${r.text}`);
      writes++;
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  while (writes < 10) await sleep(20);
  const out = backupFile('live-backup');
  const started = writes;
  const [b, live] = await Promise.all([
    cliAsync(['backup', '--db', db, out]),
    cliAsync(['audit', 'verify', '--db', db]),
  ]);
  const during = writes - started;
  eq(live.status, 0, `audit verify on the live database while it is written: ${live.stdout}${live.stderr}`);
  stop = true;
  await Promise.all(writers);
  eq(b.status, 0, `backup: ${b.stderr}`);
  assert(during > 0, 'the server wrote while the backup ran');
  const head = fs.readFileSync(out).subarray(0, 16);
  if (PG) {
    // pg_dump's custom format, which pg_restore reads.
    eq(head.subarray(0, 5).toString('latin1'), 'PGDMP', 'a pg_dump custom-format archive');
    const list = spawnSync('pg_restore', ['--list', out], { encoding: 'utf8' });
    eq(list.status, 0, `pg_restore --list: ${list.stderr}`);
    assert(/TABLE DATA public audit\b/.test(list.stdout) && /TABLE DATA public person\b/.test(list.stdout),
      'the archive holds the audit log and the people');
  } else {
    eq(head.toString('latin1'), 'SQLite format 3\0', 'a SQLite database file');
  }
  const copyDb = loadBackup(out, 'live-loaded.db');
  const v = cli(['audit', 'verify', '--db', copyDb]);
  eq(v.status, 0, `the copy's chain verifies: ${v.stdout}`);
  // SQLite checks its pages; PostgreSQL's archive was checked by
  // pg_restore loading every row of it under --exit-on-error.
  if (!PG) eq(sql(copyDb, 'PRAGMA integrity_check;').stdout, 'ok', 'integrity');
  // One snapshot: every person has its creation entry, and no more.
  const people = sql(copyDb, 'SELECT count(*) FROM person;').stdout;
  const created = sql(copyDb, "SELECT count(*) FROM audit WHERE object_type = 'person' AND action = 'create' AND outcome = 'success';").stdout;
  eq(people, created, 'people and their audit entries agree');
  assert(Number(people) > 1000, 'the writes before the backup are in it');
  eq(sql(copyDb, 'SELECT seq FROM audit_head;').stdout, sql(copyDb, 'SELECT max(seq) FROM audit;').stdout, 'the chain head is the last entry');
  eq(cli(['user', 'list', '--db', copyDb]).status, 0, 'the copy opens');
  const copyServer = await startServer({ db: copyDb });
  servers.push(copyServer);
  const c = await signedIn(copyServer.url, 'peer.north', PASSWORD);
  eq((await c.get('/api/v1/people?limit=1')).status, 200, 'the copy serves');
  await copyServer.stop();
  await s.stop();
  eq(cli(['audit', 'verify', '--db', db]).status, 0, 'the live database still verifies');
});

test('backup refuses an existing OUT and leaves it alone', () => {
  const db = demo('bk-src.db');
  const out = f('bk-existing.db');
  fs.writeFileSync(out, 'precious');
  const r = cli(['backup', '--db', db, out]);
  eq(r.status, 1, 'refused');
  assert(/exists/.test(r.stderr), `says why: ${r.stderr}`);
  eq(fs.readFileSync(out, 'utf8'), 'precious', 'untouched');
  eq(cli(['backup', '--db', db]).status, 2, 'OUT is required');
});

test('restore: into a new database; refuses one that holds data without --force; --force replaces it', async () => {
  const src = demo('rs-src.db');
  eq(cli(['team', 'add', '--db', src, '--name', 'marker', '--display-name', 'Marker team']).status, 0, 'mark the source');
  const bk = backupFile('rs-backup');
  eq(cli(['backup', '--db', src, bk]).status, 0, 'backup');
  // On PostgreSQL the target database need not exist: restore loads the
  // archive into a scratch database and renames it.
  const target = missing('rs-new.db');
  let r = cli(['restore', '--db', target, bk]);
  eq(r.status, 0, `restore: ${r.stderr}`);
  assert(/verified/.test(r.stdout), r.stdout);
  assert(!databaseExists(scratchOf(target)), 'no scratch copy left behind');
  eq(cli(['audit', 'verify', '--db', target]).status, 0, 'restored chain verifies');
  assert(/^marker\s/m.test(cli(['team', 'list', '--db', target]).stdout), 'restored content');
  // An existing target that holds a database: refused, then replaced
  // with --force.
  const other = demo('rs-other.db');
  const otherTeams = sql(other, 'SELECT count(*) FROM team;').stdout;
  r = cli(['restore', '--db', other, bk]);
  eq(r.status, 1, 'refused without --force');
  assert(/--force/.test(r.stderr), `says how: ${r.stderr}`);
  eq(sql(other, 'SELECT count(*) FROM team;').stdout, otherTeams, 'the target is untouched');
  r = cli(['restore', '--db', other, bk, '--force']);
  eq(r.status, 0, `restore --force: ${r.stderr}`);
  assert(/^marker\s/m.test(cli(['team', 'list', '--db', other]).stdout), 'replaced by the backup');
  eq(cli(['audit', 'verify', '--db', other]).status, 0, 'and verifies');
  eq(sql(other, 'SELECT count(*) FROM person;').stdout, sql(src, 'SELECT count(*) FROM person;').stdout, 'same people');
  assert(!databaseExists(scratchOf(other)), 'no scratch copy left behind');
  if (PG) {
    // The usual way on PostgreSQL: the operator creates an empty
    // database, then restores into it; an empty database holds nothing
    // to lose, so no --force is needed. (On SQLite any existing file
    // counts as a database: the refusal above.)
    const empty = fresh();
    r = cli(['restore', '--db', empty, bk]);
    eq(r.status, 0, `restore into an empty database: ${r.stderr}`);
    assert(/^marker\s/m.test(cli(['team', 'list', '--db', empty]).stdout), 'restored into it');
    const left = sql(pgParts(empty).admin, "SELECT count(*) FROM pg_database WHERE datname LIKE '%\\_restoring' OR datname LIKE '%\\_replaced';").stdout;
    eq(left, '0', 'no scratch or replaced database left on the server');
  }
  const s = await startServer({ db: other });
  servers.push(s);
  eq((await signedIn(s.url, 'admin', PASSWORD)).me.role, 'admin', 'the restored database serves');
  await s.stop();
});

test('restore refuses a backup whose audit chain is broken, and creates nothing', () => {
  const src = demo('rb-src.db');
  // A backup of a tampered copy (backup copies what is there; restore is
  // what checks).
  const tampered = copy(src, 'rb-tampered.db');
  eq(sql(tampered, `${dropTrigger(tampered, 'audit_no_update')} UPDATE audit SET detail = 'rewritten' WHERE seq = 4;`).status, 0, 'tamper');
  const bk = backupFile('rb-backup');
  eq(cli(['backup', '--db', tampered, bk]).status, 0, 'backup of the tampered copy');
  const target = missing('rb-target.db');
  let r = cli(['restore', '--db', target, bk]);
  eq(r.status, 1, 'refused');
  assert(/audit chain/.test(r.stderr) && /\b4\b/.test(r.stderr), `says why: ${r.stderr}`);
  assert(!databaseExists(target), 'nothing restored');
  assert(!databaseExists(scratchOf(target)), 'the scratch copy is removed');
  // Even with --force over an existing database.
  const keep = demo('rb-keep.db');
  const before = sql(keep, 'SELECT count(*) FROM audit;').stdout;
  r = cli(['restore', '--db', keep, bk, '--force']);
  eq(r.status, 1, 'refused with --force');
  eq(sql(keep, 'SELECT count(*) FROM audit;').stdout, before, 'the existing database is kept');
  eq(cli(['audit', 'verify', '--db', keep]).status, 0, 'and intact');
  assert(!databaseExists(scratchOf(keep)), 'the scratch copy is removed');
  r = cli(['restore', '--db', missing('rb-none.db'), f('no-such-backup.db')]);
  eq(r.status, 1, 'a missing backup');
  // Something that is not a backup at all.
  const junk = f('junk.bak');
  fs.writeFileSync(junk, 'not a backup of anything\n');
  const junkTarget = missing('rb-junk.db');
  r = cli(['restore', '--db', junkTarget, junk]);
  eq(r.status, 1, 'not a backup');
  assert(!databaseExists(junkTarget) && !databaseExists(scratchOf(junkTarget)), 'and nothing is left behind');
});

test('demo twice is refused; demo without --password prints a generated one', () => {
  const db = demo('demo-twice.db');
  const r = cli(['demo', '--db', db, '--password', PASSWORD]);
  eq(r.status, 1, 'second demo refused');
  assert(/already/.test(r.stderr), r.stderr);
  const gen = fresh('demo-gen.db');
  const g = cli(['demo', '--db', gen, '--people', '2']);
  eq(g.status, 0, 'demo with a generated password');
  const m = /the password (\S+)/.exec(g.stdout);
  assert(m && m[1].length >= 10, `a password printed: ${g.stdout}`);
  eq(cli(['user', 'list', '--db', gen]).status, 0, 'the generated demo opens');
  const badDb = fresh('demo-bad.db');
  const bad = cli(['demo', '--db', badDb, '--password', 'short']);
  eq(bad.status, 2, 'a short demo password');
  assert(nothingCreated(badDb), 'and nothing is created');
});
