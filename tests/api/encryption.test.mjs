// Encryption at rest: the free text of notes, plans, comments and consents
// is sealed in the database under keys held in a key file outside it
// (docs/security.md); names are not, so name search goes on working.
// Both backends: on SQLite the database file and its -wal are read as
// bytes; on PostgreSQL the columns are read with SQL. Then key rotation
// while a server runs and writes, the key file's refusals, and an older
// database sealed by migrate.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, cli, tempDir, newDatabase, PG, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { sql, cliAsync, createPerson, EPISODE, expectProblem, expectNo5xx } from '../lib/api.mjs';

const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
});

const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const tag = () => crypto.randomBytes(5).toString('hex');
const noEnv = { ALONGSIDE_KEY_FILE: null };

function minutesAgo(n) {
  const t = Math.floor((Date.now() - n * 60000) / 60000) * 60000;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

function noteBody(words) {
  return {
    type: 'individual',
    started_at: minutesAgo(120),
    ended_at: minutesAgo(70),
    setting: 'community',
    ...words,
  };
}

// The bytes a SQLite database keeps on disk: the file and its -wal.
function diskBytes(db) {
  const parts = [fs.readFileSync(db)];
  if (fs.existsSync(`${db}-wal`)) parts.push(fs.readFileSync(`${db}-wal`));
  return Buffer.concat(parts);
}

function onDisk(db, text) {
  return diskBytes(db).includes(Buffer.from(text, 'utf8'));
}

// One column of one row, as stored (PostgreSQL, or SQLite).
function stored(db, table, column, where) {
  const r = sql(db, `SELECT ${column} FROM ${table} WHERE ${where};`);
  eq(r.status, 0, `read ${table}.${column}: ${r.stderr}`);
  return r.stdout;
}

// `alongside key status` as { current, keys: { id: values }, clear }.
function keyStatus(db, keyFile) {
  const r = cli(['key', 'status', '--db', db, ...(keyFile ? ['--key-file', keyFile] : [])]);
  eq(r.status, 0, `key status: ${r.stderr}`);
  const current = /^current key: ([0-9a-f]{8})$/m.exec(r.stdout);
  assert(current, `a current key in:\n${r.stdout}`);
  const keys = {};
  for (const m of r.stdout.matchAll(/^([0-9a-f]{8})\s+\S+(?: [^\d\n]+)?\s+(\d+)/gm)) keys[m[1]] = Number(m[2]);
  const clear = /^not sealed: (\d+)$/m.exec(r.stdout);
  assert(clear, `a count of values not sealed in:\n${r.stdout}`);
  return { current: current[1], keys, clear: Number(clear[1]), text: r.stdout };
}

test('a note\'s and a plan\'s text written over HTTP are stored only sealed; names stay in clear and name search works', async () => {
  const srv = await startServer({ people: 4 });
  servers.push(srv);
  const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
  const t = tag();
  const name = `Ottoline Vexworth${t}`;
  const person = await createPerson(peer, { preferred_name: name });
  eq((await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE)).status, 201, 'enrolled');
  const words = {
    location: `Outside Pemberly Hall ${t}`,
    intervention: `Practised the bus route to the Marrowby clinic ${t}`,
    response: `Felt steadier — a café after, ${t}`,
    next_steps: `Ride it alone on Thursday ${t}`,
  };
  const c = await peer.post(`/api/v1/people/${person.id}/contacts`, noteBody(words));
  eq(c.status, 201, `note: ${c.text}`);
  const title = `Toward Hollowmere ${t}`;
  const goal = `Move into the Thistledown flat ${t}`;
  const p = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery', title, content: { goals: [{ words: goal, lifecycle_status: 'active' }] },
  });
  eq(p.status, 201, `plan: ${p.text}`);
  const texts = [...Object.values(words), title, goal];
  if (!PG) {
    // The name is there in clear: the search below proves the test
    // would see text stored in clear.
    assert(onDisk(srv.db, name), 'the person\'s name is in the database file or its -wal');
    for (const x of texts) assert(!onDisk(srv.db, x), `"${x}" is not in the database file or its -wal`);
  } else {
    eq(stored(srv.db, 'person', 'preferred_name', `id = '${person.id}'`), name, 'the name in clear');
    for (const col of Object.keys(words)) {
      const v = stored(srv.db, 'contact', col, `id = '${c.json.id}'`);
      assert(v.startsWith('enc1:') && !v.includes(t), `contact.${col} is sealed: ${v.slice(0, 40)}`);
    }
    const title2 = stored(srv.db, 'plan', 'title', `id = '${p.json.id}'`);
    assert(title2.startsWith('enc1:') && !title2.includes(t), 'plan.title is sealed');
    const content = stored(srv.db, 'plan_version', 'content', `plan_id = '${p.json.id}'`);
    assert(content.startsWith('enc1:') && !content.includes(t), 'plan_version.content is sealed');
  }
  // What the server reads back is the text written.
  const back = await peer.get(`/api/v1/contacts/${c.json.id}`);
  eq(back.status, 200, 'read the note');
  for (const [k, v] of Object.entries(words)) eq(back.json[k], v, `note ${k}`);
  const plan = await peer.get(`/api/v1/plans/${p.json.id}`);
  eq(plan.json.title, title, 'plan title');
  eq(plan.json.current.content.goals[0].words, goal, 'plan goal');
  const list = await peer.get(`/api/v1/people/${person.id}/plans`);
  eq(list.json.items[0].title, title, 'plan title in the list');
  // Names are not sealed: the roster search finds the person.
  const found = await peer.get(`/api/v1/people?q=${encodeURIComponent(`vexworth${t}`)}`);
  eq(found.status, 200, 'search');
  eq(JSON.stringify(found.json.items.map((x) => x.id)), JSON.stringify([person.id]), 'found by name');
  expectNo5xx(srv);
  await srv.stop();
});

test('alongside key rotate while the server runs and writes: every value ends under the new key, nothing is lost, the route reports it', async () => {
  const dir = tempDir('alongside-rotate-');
  const keyFile = path.join(dir, 'rotate.key');
  const srv = await startServer({ people: 4, keyFile });
  servers.push(srv);
  eq(fs.statSync(keyFile).mode & 0o777, 0o600, 'demo made the key file 0600');
  const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
  const admin = await signedIn(srv.url, 'admin', PASSWORD);
  const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
  const sup = await signedIn(srv.url, 'super.north', PASSWORD);
  const person = await createPerson(peer);
  eq((await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE)).status, 201, 'enrolled');
  const t = tag();
  const still = { intervention: `Sorted the paperwork for the Larkspur bursary ${t}`, response: `Relieved, ${t}` };
  const a = (await peer.post(`/api/v1/people/${person.id}/contacts`, noteBody(still))).json;
  const b = (await peer.post(`/api/v1/people/${person.id}/contacts`, noteBody({ intervention: 'first words' }))).json;
  assert(a && b, 'two notes');
  const before = keyStatus(srv.db, keyFile);
  const k1 = before.current;
  assert(before.keys[k1] > 0 && before.clear === 0, `values under ${k1}:\n${before.text}`);
  eq((await admin.get('/api/v1/settings/encryption')).json.rotation, null, 'no rotation yet');

  // A member of staff edits note b over and over while the key rotates.
  let stop = false;
  let version = b.version;
  let last = 'first words';
  let writes = 0;
  const writer = (async () => {
    while (!stop) {
      const text = `edit ${writes} ${t}`;
      const r = await peer.patch(`/api/v1/contacts/${b.id}`, { intervention: text }, ifm(version));
      if (r.status !== 200) throw new Error(`edit: ${r.status} ${r.text}`);
      version = r.json.version;
      last = text;
      writes++;
    }
  })();
  const rot = await cliAsync(['key', 'rotate', '--db', srv.db, '--key-file', keyFile, '--batch', '3']);
  stop = true;
  await writer;
  eq(rot.status, 0, `key rotate: ${rot.stdout}${rot.stderr}`);
  const k2 = (/rotated to key ([0-9a-f]{8})/.exec(rot.stdout) || [])[1];
  assert(k2 && k2 !== k1, `a new key: ${rot.stdout}`);
  assert(writes > 0, 'the server was written to during the rotation');

  const rotated = keyStatus(srv.db, keyFile);
  eq(rotated.current, k2, 'the new key is current');
  eq(rotated.keys[k1], 0, `no value is left under the old key:\n${rotated.text}`);
  assert(rotated.keys[k2] >= before.keys[k1], 'every value is under the new key');
  eq(rotated.clear, 0, 'none in clear');
  // The old key stays in the file (backups made before need it), 0600.
  const lines = fs.readFileSync(keyFile, 'utf8').split('\n').filter((l) => /^[0-9a-f]{8} /.test(l));
  eq(JSON.stringify(lines.map((l) => l.slice(0, 8))), JSON.stringify([k1, k2]), 'both keys, the new one last');
  eq(fs.statSync(keyFile).mode & 0o777, 0o600, 'still 0600');

  // The notes read back the same; sealing again was not an edit.
  const ra = await peer.get(`/api/v1/contacts/${a.id}`);
  eq(ra.json.intervention, still.intervention, 'the untouched note reads the same');
  eq(ra.json.response, still.response, 'its response too');
  eq(ra.json.version, a.version, 'and keeps its version');
  eq(ra.headers.get('etag'), `"${a.version}"`, 'and its ETag');
  const rb = await peer.get(`/api/v1/contacts/${b.id}`);
  eq(rb.json.intervention, last, 'the last edit made during the rotation is what is kept');
  eq(rb.json.version, version, 'at the version the last edit gave it');
  // A write now is sealed under the new key.
  const c = await peer.post(`/api/v1/people/${person.id}/contacts`, noteBody({ intervention: `after ${t}` }));
  eq(c.status, 201, 'a new note');
  assert(stored(srv.db, 'contact', 'intervention', `id = '${c.json.id}'`).startsWith(`enc1:${k2}:`), 'sealed under the new key');

  // The route: administrators and privacy officers.
  const s = await admin.get('/api/v1/settings/encryption');
  eq(s.status, 200, 'admin reads it');
  eq(s.json.algorithm, 'XChaCha20-Poly1305', 'algorithm');
  eq(s.json.current_key_id, k2, 'current key');
  eq(JSON.stringify(s.json.keys.map((k) => k.id)), JSON.stringify([k1, k2]), 'the keys, oldest first');
  eq(s.json.keys[0].values, 0, 'none under the old key');
  assert(s.json.keys[1].values > 0 && s.json.keys.every((k) => k.in_key_file && /^\d{4}-\d\d-\d\dT/.test(k.created_at)), 'counts and times');
  eq(s.json.values_not_sealed, 0, 'none in clear');
  eq(s.json.rotation.key_id, k2, 'the rotation');
  assert(s.json.rotation.finished_at && s.json.rotation.started_at <= s.json.rotation.finished_at, 'finished');
  // The server wrote some under the new key itself once it had it.
  assert(s.json.rotation.values_resealed > 0 && s.json.rotation.values_resealed <= before.keys[k1],
    `values sealed again: ${s.json.rotation.values_resealed}`);
  eq(s.json.rotation.values_failed, 0, 'none failed');
  assert(!JSON.stringify(s.json).includes(t), 'no record text in it');
  eq((await privacy.get('/api/v1/settings/encryption')).status, 200, 'the privacy officer reads it');
  expectProblem(await peer.get('/api/v1/settings/encryption'), 403, 'a peer specialist');
  expectProblem(await sup.get('/api/v1/settings/encryption'), 403, 'a supervisor');

  // One audit entry for the rotation, with counts and no text.
  const entry = sql(srv.db, "SELECT object_id, outcome, detail FROM audit WHERE object_type = 'encryption' AND action = 'rotate';").stdout;
  assert(entry.startsWith(`${k2}|success|resealed=`), `one audit entry: ${entry}`);
  eq(entry.split('\n').length, 1, 'exactly one');
  eq(cli(['audit', 'verify', '--db', srv.db]).status, 0, 'the audit chain verifies');
  expectNo5xx(srv);
  await srv.stop();
});

test('serve refuses a missing key file and one others may read (exit 1, naming it); PostgreSQL needs --key-file', async () => {
  const dir = tempDir('alongside-keyfile-');
  const db = newDatabase(dir, 'k.db');
  const keyFile = path.join(dir, 'k.key');
  let r = cli(['demo', '--db', db, '--key-file', keyFile, '--password', PASSWORD, '--people', '6']);
  eq(r.status, 0, `demo: ${r.stderr}`);
  const sealed = keyStatus(db, keyFile);
  assert(sealed.keys[sealed.current] > 0, `the demo's notes and plans are sealed:\n${sealed.text}`);
  assert(r.stdout.includes(`key file created at ${keyFile}`), `says where: ${r.stdout}`);
  eq(fs.statSync(keyFile).mode & 0o777, 0o600, 'made 0600');
  const serve = (extra, opts) => cli(['serve', '--db', db, '--listen', '127.0.0.1:1', ...extra], opts);

  const none = path.join(dir, 'none.key');
  r = serve(['--key-file', none]);
  eq(r.status, 1, `a missing key file: status ${r.status} ${r.stderr}`);
  assert(r.stderr.includes(none) && /key file/.test(r.stderr), `names it: ${r.stderr}`);
  assert(!/Sanitizer|runtime error/.test(r.stderr), 'no crash');
  assert(!fs.existsSync(none), 'serve makes no key file');

  fs.chmodSync(keyFile, 0o644);
  r = serve(['--key-file', keyFile]);
  eq(r.status, 1, `a 0644 key file: status ${r.status} ${r.stderr}`);
  assert(r.stderr.includes(keyFile) && r.stderr.includes('chmod 600'), `says what to do: ${r.stderr}`);
  for (const cmd of [['key', 'status'], ['key', 'rotate'], ['migrate'], ['init'], ['demo', '--password', PASSWORD]]) {
    const x = cli([...cmd, '--db', db, '--key-file', keyFile]);
    eq(x.status, 1, `${cmd.join(' ')} refuses it too: ${x.stderr}`);
    assert(x.stderr.includes('chmod 600'), `${cmd.join(' ')} says why: ${x.stderr}`);
  }
  fs.chmodSync(keyFile, 0o640);
  eq(serve(['--key-file', keyFile]).status, 1, 'group-readable is refused too');
  fs.chmodSync(keyFile, 0o600);

  // A database with sealed values never gets a new key file made for it.
  const other = path.join(dir, 'other.key');
  for (const args of [['init'], ['migrate']]) {
    r = cli([...args, '--db', db, '--key-file', other]);
    eq(r.status, 1, `${args[0]} with a new key file on a sealed database: ${r.stderr}`);
    assert(/sealed/.test(r.stderr), `says why: ${r.stderr}`);
    assert(!fs.existsSync(other), 'and makes none');
  }
  // A database with nothing sealed yet gets one from migrate.
  const fresh = newDatabase(dir, 'fresh.db');
  eq(cli(['init', '--db', fresh, '--key-file', path.join(dir, 'fresh.key')]).status, 0, 'init');
  fs.unlinkSync(path.join(dir, 'fresh.key'));
  r = cli(['migrate', '--db', fresh, '--key-file', path.join(dir, 'fresh2.key')]);
  eq(r.status, 0, `migrate makes a key file for a database with nothing sealed: ${r.stderr}`);
  eq(fs.statSync(path.join(dir, 'fresh2.key')).mode & 0o777, 0o600, 'made 0600');

  if (PG) {
    // No file to keep a key beside: it must be named.
    for (const cmd of [['serve', '--listen', '127.0.0.1:1'], ['init'], ['migrate'], ['demo'], ['key', 'status']]) {
      const x = cli([...cmd, '--db', db], { env: noEnv });
      eq(x.status, 2, `${cmd.join(' ')} without a key file: ${x.stderr}`);
      assert(/--key-file/.test(x.stderr), `names the option: ${x.stderr}`);
    }
  } else {
    // SQLite's default is FILE.key beside the database.
    r = serve([], { env: noEnv });
    eq(r.status, 1, 'no k.db.key');
    assert(r.stderr.includes(`${db}.key`), `looks beside the database: ${r.stderr}`);
    const beside = path.join(dir, 'beside.db');
    r = cli(['init', '--db', beside], { env: noEnv });
    eq(r.status, 0, `init: ${r.stderr}`);
    eq(fs.statSync(`${beside}.key`).mode & 0o777, 0o600, 'init made beside.db.key, 0600');
    eq(cli(['key', 'status', '--db', beside], { env: noEnv }).status, 0, 'and the commands find it there');
  }
  // With the right file it serves.
  const s = await startServer({ db, keyFile });
  servers.push(s);
  eq((await signedIn(s.url, 'peer.north', PASSWORD)).me.role, 'peer', 'serves');
  await s.stop();
});

test('migrate seals the free text an older database holds in clear, and no copy of it is left in the file', async () => {
  const dir = tempDir('alongside-older-');
  const keyFile = path.join(dir, 'older.key');
  const srv = await startServer({ people: 2, keyFile });
  servers.push(srv);
  const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
  const person = await createPerson(peer);
  const c = (await peer.post(`/api/v1/people/${person.id}/contacts`, noteBody({ intervention: 'placeholder' }))).json;
  await srv.stop();
  // As a database of schema 11 would hold it: no key_rotation, and the
  // note's text in clear.
  const t = tag();
  const clear = `Words from before sealing, Quenby ${t}`;
  const later = ['inpatient_stay', 'referral_event', 'referral', 'dir_attribute', 'dir_taxonomy_term', 'dir_taxonomy', 'dir_cost_option', 'dir_language',
    'dir_schedule', 'dir_phone', 'dir_service_at_location', 'dir_address', 'dir_location', 'dir_service',
    'dir_organization'].map((x) => `DROP TABLE ${x};`).join(' ');
  const r0 = sql(srv.db, `${later} DROP TABLE key_rotation; DELETE FROM schema_migration WHERE version >= 12;
    UPDATE contact SET intervention = '${clear}' WHERE id = '${c.id}';`);
  eq(r0.status, 0, `make it older: ${r0.stderr}`);
  const r1 = cli(['serve', '--db', srv.db, '--key-file', keyFile, '--listen', '127.0.0.1:1']);
  eq(r1.status, 1, 'serve refuses the older schema');
  assert(/migrate/.test(r1.stderr), r1.stderr);
  const m = cli(['migrate', '--db', srv.db, '--key-file', keyFile]);
  eq(m.status, 0, `migrate: ${m.stderr}`);
  assert(/migrated from version 11 to \d+/.test(m.stdout) && /sealed 1 values/.test(m.stdout), `says what it did: ${m.stdout}`);
  const st = keyStatus(srv.db, keyFile);
  eq(st.clear, 0, 'nothing in clear');
  if (!PG) {
    assert(onDisk(srv.db, person.preferred_name), 'names are still there in clear');
    assert(!onDisk(srv.db, clear), 'the old clear text is gone from the file and its -wal');
  } else {
    assert(stored(srv.db, 'contact', 'intervention', `id = '${c.id}'`).startsWith('enc1:'), 'sealed');
  }
  const again = await startServer({ db: srv.db, keyFile });
  servers.push(again);
  const peer2 = await signedIn(again.url, 'peer.north', PASSWORD);
  eq((await peer2.get(`/api/v1/contacts/${c.id}`)).json.intervention, clear, 'reads back');
  await again.stop();
  eq(cli(['audit', 'verify', '--db', srv.db]).status, 0, 'the audit chain verifies');
});

test('alongside key --help, and its usage errors', () => {
  for (const args of [['key', '--help'], ['key', 'rotate', '--help'], ['key', 'status', '-h']]) {
    const r = cli(args);
    eq(r.status, 0, args.join(' '));
    assert(/usage: alongside key rotate/.test(r.stdout) && /--key-file/.test(r.stdout), 'prints its usage');
  }
  eq(cli(['key']).status, 2, 'no sub-command');
  eq(cli(['key', 'spin', '--db', 'x.db']).status, 2, 'an unknown sub-command');
  eq(cli(['key', 'status']).status, 2, 'no --db');
  eq(cli(['key', 'rotate', '--db', 'x.db', '--batch', '0']).status, 2, 'a bad --batch');
  eq(cli(['key', 'status', '--db', 'x.db', '--batch', '5']).status, 2, '--batch is for rotate');
});
