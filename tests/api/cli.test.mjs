// The command line: help, init, migrate, schema checks, user accounts,
// audit verification against tampering, backup while serving, restore.
import fs from 'node:fs';
import path from 'node:path';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, cli, tempDir, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import { sqlite, cliAsync, sleep, allPages } from '../lib/api.mjs';

const dir = tempDir('alongside-cli-');
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const f = (name) => path.join(dir, name);

// A fresh demo database at name (small unless people is given).
function demo(name, people = 6) {
  const db = f(name);
  const r = cli(['demo', '--db', db, '--password', PASSWORD, '--people', String(people)]);
  eq(r.status, 0, `demo: ${r.stderr}`);
  return db;
}
function copy(from, name) {
  const to = f(name);
  const r = sqlite(from, `VACUUM INTO '${to}'`);
  eq(r.status, 0, `copy: ${r.stderr}`);
  return to;
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

test('init creates a database at the newest schema; init twice is harmless', async () => {
  const db = f('init.db');
  let r = cli(['init', '--db', db]);
  eq(r.status, 0, `init: ${r.stderr}`);
  assert(fs.existsSync(db), 'the file exists');
  assert(/schema version \d+/.test(r.stdout), `says so: ${r.stdout}`);
  const version = sqlite(db, 'SELECT max(version) FROM schema_migration;').stdout;
  assert(Number(version) >= 1, `schema recorded (${version})`);
  eq(sqlite(db, 'PRAGMA journal_mode;').stdout, 'wal', 'WAL');
  eq(sqlite(db, "SELECT value FROM setting WHERE name = 'time_zone';").stdout, 'UTC', 'the default time zone');
  eq(cli(['team', 'add', '--db', db, '--name', 'west', '--display-name', 'West team']).status, 0, 'team add');
  r = cli(['user', 'add', '--db', db, '--username', 'first.admin', '--name', 'Orla Firstadmin', '--role', 'admin'], { input: 'init-admin-passphrase\n' });
  eq(r.status, 0, `user add: ${r.stderr}`);
  const before = sqlite(db, 'SELECT count(*) FROM audit; SELECT count(*) FROM staff; SELECT count(*) FROM team;').stdout;
  r = cli(['init', '--db', db]);
  eq(r.status, 0, `init again: ${r.stderr}`);
  eq(sqlite(db, 'SELECT max(version) FROM schema_migration;').stdout, version, 'schema unchanged');
  eq(sqlite(db, 'SELECT count(*) FROM audit; SELECT count(*) FROM staff; SELECT count(*) FROM team;').stdout, before, 'data kept');
  eq(sqlite(db, "SELECT value FROM setting WHERE name = 'time_zone';").stdout, 'UTC', 'a second init without --time-zone keeps the zone');
  r = cli(['init', '--db', db, '--time-zone', 'America/Chicago']);
  eq(r.status, 0, `init with a zone: ${r.stderr}`);
  eq(sqlite(db, "SELECT value FROM setting WHERE name = 'time_zone';").stdout, 'America/Chicago', 'init --time-zone sets the zone');
  eq(sqlite(db, 'SELECT count(*) FROM audit; SELECT count(*) FROM staff; SELECT count(*) FROM team;').stdout, before, 'data still kept');
  eq(cli(['audit', 'verify', '--db', db]).status, 0, 'audit intact');
  // The new database serves, and its first administrator signs in.
  const s = await startServer({ db });
  servers.push(s);
  const c = await signedIn(s.url, 'first.admin', 'init-admin-passphrase');
  eq(JSON.stringify((await c.get('/api/v1/teams')).json.items.map((t) => t.name)), '["west"]', 'the team');
  await s.stop();
  // A time zone must be a zone.
  const tz = cli(['init', '--db', f('tz.db'), '--time-zone', '../../etc/passwd']);
  assert(tz.status !== 0, 'a bad time zone is refused');
  const mars = cli(['init', '--db', f('mars.db'), '--time-zone', 'Mars/Olympus_Mons']);
  assert(mars.status !== 0, 'a zone the zone database lacks is refused');
  assert(!fs.existsSync(f('mars.db')), 'and no database is created');
});

test('migrate on a current database says so', () => {
  const db = demo('migrate.db');
  const r = cli(['migrate', '--db', db]);
  eq(r.status, 0, `migrate: ${r.stderr}`);
  assert(/already at version \d+/.test(r.stdout), `says so: ${r.stdout}`);
  const none = cli(['migrate', '--db', f('nothing-here.db')]);
  eq(none.status, 1, 'no database');
  assert(!fs.existsSync(f('nothing-here.db')), 'not created by migrate');
});

test('a database whose schema is newer is refused by serve and the other commands', () => {
  const db = demo('newer.db');
  eq(sqlite(db, 'INSERT INTO schema_migration VALUES (99, 0);').status, 0, 'mark newer');
  const serve = cli(['serve', '--db', db, '--listen', '127.0.0.1:1']);
  eq(serve.status, 1, `serve exits 1 (${serve.stderr})`);
  assert(/newer/.test(serve.stderr) && /99/.test(serve.stderr), `serve says why: ${serve.stderr}`);
  for (const args of [['user', 'list', '--db', db], ['audit', 'verify', '--db', db], ['migrate', '--db', db],
    ['backup', '--db', db, f('newer-backup.db')], ['restore', '--db', f('newer-restored.db'), db]]) {
    const r = cli(args);
    eq(r.status, 1, `${args.slice(0, 2).join(' ')} refuses (${r.stdout}${r.stderr})`);
    assert(/newer/.test(r.stderr), `${args.slice(0, 2).join(' ')} says newer: ${r.stderr}`);
  }
  assert(!fs.existsSync(f('newer-backup.db')), 'no backup written');
  assert(!fs.existsSync(f('newer-restored.db')), 'nothing restored');
  eq(sqlite(db, 'SELECT max(version) FROM schema_migration;').stdout, '99', 'left as it was');
});

test('serve on an empty or missing database tells you to init or migrate; migrate makes it servable', async () => {
  const empty = f('empty.db');
  fs.writeFileSync(empty, '');
  let r = cli(['serve', '--db', empty, '--listen', '127.0.0.1:1']);
  eq(r.status, 1, 'serve refuses an empty database');
  assert(/migrate/.test(r.stderr), `tells you to migrate: ${r.stderr}`);
  r = cli(['user', 'list', '--db', empty]);
  eq(r.status, 1, 'user list refuses it');
  assert(/migrate/.test(r.stderr), 'tells you to migrate');
  r = cli(['serve', '--db', f('missing.db'), '--listen', '127.0.0.1:1']);
  eq(r.status, 1, 'serve refuses a missing database');
  assert(/init/.test(r.stderr), `tells you to init: ${r.stderr}`);
  assert(!fs.existsSync(f('missing.db')), 'serve creates nothing');
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
    ['--threads', 'many'], ['--tls-cert', f('nope.pem')], ['--bogus']]) {
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
  const hash = sqlite(db, "SELECT password_hash FROM staff WHERE username = 'new.peer';").stdout;
  assert(hash.startsWith('$argon2id$') && !hash.includes(pw), 'stored as an argon2id hash');
  eq(sqlite(db, 'SELECT actor_role, object_type, action, outcome FROM audit ORDER BY seq DESC LIMIT 1;').stdout,
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
  await s.stop();
});

test('audit verify passes on a fresh demo database', () => {
  const db = demo('verify.db');
  const r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 0, `verify: ${r.stdout}${r.stderr}`);
  assert(/intact: \d+ entries/.test(r.stdout), r.stdout);
});

test('the audit table refuses UPDATE and DELETE; after dropping the guard, an altered row 5 is named', () => {
  const db = demo('tamper-update.db');
  let r = sqlite(db, "UPDATE audit SET outcome = 'denied' WHERE seq = 5;");
  assert(r.status !== 0 && /append-only/.test(r.stderr), `UPDATE refused: ${r.stderr}`);
  r = sqlite(db, 'DELETE FROM audit WHERE seq = 5;');
  assert(r.status !== 0 && /append-only/.test(r.stderr), `DELETE refused: ${r.stderr}`);
  eq(cli(['audit', 'verify', '--db', db]).status, 0, 'still intact');
  const outcome = sqlite(db, 'SELECT outcome FROM audit WHERE seq = 5;').stdout;
  const changed = outcome === 'success' ? 'denied' : 'success';
  r = sqlite(db, `DROP TRIGGER audit_no_update; UPDATE audit SET outcome = '${changed}' WHERE seq = 5;`);
  eq(r.status, 0, `tamper: ${r.stderr}`);
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'verify fails');
  assert(/\bentry 5\b/.test(r.stdout + r.stderr), `names entry 5: ${r.stdout}${r.stderr}`);
  assert(!/entry [1-4]\b/.test(r.stdout), 'blames no earlier entry');
  // Other fields too: the address, the time.
  const db2 = demo('tamper-time.db');
  sqlite(db2, 'DROP TRIGGER audit_no_update; UPDATE audit SET at = at + 1 WHERE seq = 7;');
  r = cli(['audit', 'verify', '--db', db2]);
  eq(r.status, 1, 'a changed time');
  assert(/\bentry 7\b/.test(r.stdout), r.stdout);
});

test('audit verify names a removed last entry, a removed middle entry and two swapped entries', () => {
  const base = demo('tamper-base.db');
  const last = Number(sqlite(base, 'SELECT max(seq) FROM audit;').stdout);
  assert(last > 10, 'enough entries');
  let db = copy(base, 'tamper-last.db');
  eq(sqlite(db, `DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = ${last};`).status, 0, 'remove the last');
  let r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'last removed');
  assert(new RegExp(`\\bentr(y|ies from) ${last}\\b`).test(r.stdout), `names ${last}: ${r.stdout}`);
  db = copy(base, 'tamper-middle.db');
  sqlite(db, 'DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 6;');
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'middle removed');
  assert(/\bentry 6\b/.test(r.stdout), `names 6: ${r.stdout}`);
  db = copy(base, 'tamper-swap.db');
  const cols = 'at, actor_id, actor_role, person_id, object_type, object_id, action, outcome, client_addr, detail, prev_hash, hash';
  const set = cols.split(', ').map((c) => `${c} = (SELECT ${c} FROM t WHERE s = %)`).join(', ');
  r = sqlite(db, `DROP TRIGGER audit_no_update;
    CREATE TEMP TABLE t AS SELECT seq AS s, ${cols} FROM audit WHERE seq IN (3, 4);
    UPDATE audit SET ${set.replace(/%/g, '4')} WHERE seq = 3;
    UPDATE audit SET ${set.replace(/%/g, '3')} WHERE seq = 4;`);
  eq(r.status, 0, `swap: ${r.stderr}`);
  eq(sqlite(db, "SELECT count(*) FROM audit WHERE seq IN (3, 4);").stdout, '2', 'both rows still there');
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'swapped');
  assert(/\bentry 3\b/.test(r.stdout), `names 3: ${r.stdout}`);
  // An entry added behind the chain head's back.
  db = copy(base, 'tamper-add.db');
  sqlite(db, `INSERT INTO audit SELECT seq + 1, at, actor_id, actor_role, person_id, object_type, object_id, action, outcome, client_addr, detail, hash, hash FROM audit WHERE seq = ${last};`);
  r = cli(['audit', 'verify', '--db', db]);
  eq(r.status, 1, 'added outside the head');
  assert(new RegExp(`\\bentry ${last + 1}\\b`).test(r.stdout), `names ${last + 1}: ${r.stdout}`);
});

test('backup while the server is serving and writing gives a consistent copy that verifies and opens', async () => {
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
  const out = f('live-backup.db');
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
  const v = cli(['audit', 'verify', '--db', out]);
  eq(v.status, 0, `the copy's chain verifies: ${v.stdout}`);
  eq(sqlite(out, 'PRAGMA integrity_check;').stdout, 'ok', 'integrity');
  // One snapshot: every person has its creation entry, and no more.
  const people = sqlite(out, 'SELECT count(*) FROM person;').stdout;
  const created = sqlite(out, "SELECT count(*) FROM audit WHERE object_type = 'person' AND action = 'create' AND outcome = 'success';").stdout;
  eq(people, created, 'people and their audit entries agree');
  assert(Number(people) > 1000, 'the writes before the backup are in it');
  eq(cli(['user', 'list', '--db', out]).status, 0, 'the copy opens');
  const copyServer = await startServer({ db: out });
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

test('restore: into a new path; refuses an existing target without --force; --force replaces it', async () => {
  const src = demo('rs-src.db');
  eq(cli(['team', 'add', '--db', src, '--name', 'marker', '--display-name', 'Marker team']).status, 0, 'mark the source');
  const bk = f('rs-backup.db');
  eq(cli(['backup', '--db', src, bk]).status, 0, 'backup');
  const target = f('rs-new.db');
  let r = cli(['restore', '--db', target, bk]);
  eq(r.status, 0, `restore: ${r.stderr}`);
  assert(/verified/.test(r.stdout), r.stdout);
  eq(cli(['audit', 'verify', '--db', target]).status, 0, 'restored chain verifies');
  assert(/^marker\s/m.test(cli(['team', 'list', '--db', target]).stdout), 'restored content');
  // An existing target: refused, then replaced with --force.
  const other = demo('rs-other.db');
  const otherTeams = sqlite(other, 'SELECT count(*) FROM team;').stdout;
  r = cli(['restore', '--db', other, bk]);
  eq(r.status, 1, 'refused without --force');
  assert(/--force/.test(r.stderr), `says how: ${r.stderr}`);
  eq(sqlite(other, 'SELECT count(*) FROM team;').stdout, otherTeams, 'the target is untouched');
  r = cli(['restore', '--db', other, bk, '--force']);
  eq(r.status, 0, `restore --force: ${r.stderr}`);
  assert(/^marker\s/m.test(cli(['team', 'list', '--db', other]).stdout), 'replaced by the backup');
  eq(cli(['audit', 'verify', '--db', other]).status, 0, 'and verifies');
  eq(sqlite(other, 'SELECT count(*) FROM person;').stdout, sqlite(bk, 'SELECT count(*) FROM person;').stdout, 'same people');
  const s = await startServer({ db: other });
  servers.push(s);
  eq((await signedIn(s.url, 'admin', PASSWORD)).me.role, 'admin', 'the restored database serves');
  await s.stop();
});

test('restore refuses a backup whose audit chain is broken, and creates nothing', () => {
  const src = demo('rb-src.db');
  const bk = copy(src, 'rb-backup.db');
  sqlite(bk, "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'rewritten' WHERE seq = 4;");
  const target = f('rb-target.db');
  let r = cli(['restore', '--db', target, bk]);
  eq(r.status, 1, 'refused');
  assert(/audit chain/.test(r.stderr) && /\b4\b/.test(r.stderr), `says why: ${r.stderr}`);
  assert(!fs.existsSync(target), 'nothing restored');
  // Even with --force over an existing database.
  const keep = demo('rb-keep.db');
  const before = sqlite(keep, 'SELECT count(*) FROM audit;').stdout;
  r = cli(['restore', '--db', keep, bk, '--force']);
  eq(r.status, 1, 'refused with --force');
  eq(sqlite(keep, 'SELECT count(*) FROM audit;').stdout, before, 'the existing database is kept');
  eq(cli(['audit', 'verify', '--db', keep]).status, 0, 'and intact');
  r = cli(['restore', '--db', f('rb-none.db'), f('no-such-backup.db')]);
  eq(r.status, 1, 'a missing backup');
});

test('demo twice is refused; demo without --password prints a generated one', () => {
  const db = demo('demo-twice.db');
  const r = cli(['demo', '--db', db, '--password', PASSWORD]);
  eq(r.status, 1, 'second demo refused');
  assert(/already/.test(r.stderr), r.stderr);
  const g = cli(['demo', '--db', f('demo-gen.db'), '--people', '2']);
  eq(g.status, 0, 'demo with a generated password');
  const m = /the password (\S+)/.exec(g.stdout);
  assert(m && m[1].length >= 10, `a password printed: ${g.stdout}`);
  const bad = cli(['demo', '--db', f('demo-bad.db'), '--password', 'short']);
  eq(bad.status, 2, 'a short demo password');
});
