// Helpers shared by the API and command-line tests (tests/api). They talk
// to the real server and the real databases (SQLite files or PostgreSQL);
// nothing here is a mock.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { assert, eq } from './harness.mjs';
import { BIN, envWith } from './server.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs SQL with the database's own tool, beside the server: sqlite3 for a
// file, psql for a postgresql:// URI. Output is one row a line, columns
// joined by '|', in both.
export function sql(db, text) {
  const pg = /^postgres(ql)?:\/\//.test(db);
  const r = pg
    ? spawnSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', db],
      { input: text, encoding: 'utf8', timeout: 60000 })
    : spawnSync('sqlite3', ['-bail', db], { input: text, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: (r.stdout || '').trim(), stderr: r.stderr };
}

export const sqlite = sql;

// Whether db names a PostgreSQL database (else it is a SQLite file).
export function isPg(db) {
  return /^postgres(ql)?:\/\//.test(db);
}

// For a postgresql:// URI: the URI of its server's maintenance database
// ("postgres") and the database's own name.
export function pgParts(db) {
  const u = new URL(db);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  return { admin: u.toString(), name };
}

// Whether the database exists: the file, or the PostgreSQL database.
export function databaseExists(db) {
  if (!isPg(db)) return fs.existsSync(db);
  const { admin, name } = pgParts(db);
  const r = sql(admin, `SELECT count(*) FROM pg_database WHERE datname = '${name}';`);
  eq(r.status, 0, `look for database ${name}: ${r.stderr}`);
  return r.stdout === '1';
}

// The number of tables in the database (0 for an empty one).
export function tableCount(db) {
  const r = sql(db, isPg(db)
    ? 'SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema();'
    : "SELECT count(*) FROM sqlite_master WHERE type = 'table';");
  eq(r.status, 0, `count tables: ${r.stderr}`);
  return Number(r.stdout);
}

// SQL that drops one of the audit table's guard triggers, in db's dialect.
export function dropTrigger(db, name) {
  return isPg(db) ? `DROP TRIGGER ${name} ON audit;` : `DROP TRIGGER ${name};`;
}

// Polls fn until it returns a truthy value; fails after ms.
export async function waitFor(fn, what, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// Asserts r is an RFC 9457 problem with the given status.
export function expectProblem(r, status, what = 'response') {
  eq(r.status, status, `${what} status (body ${r.text.slice(0, 300)})`);
  const ct = r.headers.get('content-type') || '';
  assert(ct.startsWith('application/problem+json'), `${what}: content-type ${ct}`);
  assert(r.json && typeof r.json === 'object', `${what}: a JSON body`);
  eq(r.json.status, status, `${what} body.status`);
  assert(typeof r.json.title === 'string' && r.json.title.length > 0, `${what}: a title`);
  assert(typeof r.json.type === 'string' && r.json.type.length > 0, `${what}: a type`);
  return r.json;
}

// Asserts r is a 400 validation problem naming every field in fields
// (and, when exact, no others). Returns the list of field names.
export function expectFields(r, fields, { exact = false, what = 'response' } = {}) {
  const p = expectProblem(r, 400, what);
  assert(Array.isArray(p.errors) && p.errors.length > 0, `${what}: an errors array`);
  const named = p.errors.map((e) => e.field);
  for (const e of p.errors) {
    assert(typeof e.field === 'string' && typeof e.message === 'string' && e.message.length > 0,
      `${what}: each error has field and message`);
  }
  for (const f of fields) {
    assert(named.includes(f), `${what}: expected an error naming ${f}, got ${JSON.stringify(named)}`);
  }
  if (exact) {
    eq(JSON.stringify([...named].sort()), JSON.stringify([...fields].sort()), `${what}: fields named`);
  }
  return named;
}

// Asserts that secret (a distinctive string the test sent) appears nowhere
// in the response: not in the body, not in any header.
export function expectNoEcho(r, secret, what = 'response') {
  assert(!r.text.includes(secret), `${what}: body echoes the submitted value`);
  for (const [k, v] of r.headers) {
    assert(!String(v).includes(secret), `${what}: header ${k} echoes the submitted value`);
  }
}

// A plain node:http request, for what fetch hides or refuses: raw bodies
// with chosen framing, Content-Length lies, chosen agents (keep-alive).
// Returns { status, headers (a Headers), text, json, socket }.
export function rawRequest(base, { method = 'GET', path = '/', headers = {}, body, agent } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, method, path, headers, agent: agent ?? false,
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        if ((res.headers['content-type'] || '').includes('json') && text) {
          try { json = JSON.parse(text); } catch { json = null; }
        }
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        resolve({ status: res.statusCode, headers, text, json, socket: req.socket });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Every page of a list endpoint, following next. Fails on a non-200.
export async function allPages(client, path, { limit = 200, max = 1000 } = {}) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  let after = null;
  for (let i = 0; i < max; i++) {
    const r = await client.get(`${path}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    eq(r.status, 200, `GET ${path} page status (${r.text.slice(0, 200)})`);
    items.push(...r.json.items);
    if (r.json.next === null) return items;
    assert(typeof r.json.next === 'string' && r.json.next.length > 0, 'next is a cursor or null');
    after = r.json.next;
  }
  throw new Error('too many pages');
}

// The audit entries about one person (oldest first), read as the privacy
// officer.
export async function auditOf(privacy, personId) {
  return allPages(privacy, `/api/v1/audit?person=${personId}`);
}

// A person body with generated, obviously fictional values.
let serial = 0;
export function personBody(extra = {}) {
  serial++;
  return {
    preferred_name: `Testperson Quillfeather${serial}`,
    pronouns: 'they/them',
    date_of_birth: '1990-04-12',
    phone: '555-0142',
    language: 'en',
    ...extra,
  };
}

// Creates a person as client; fails unless it answers 201.
export async function createPerson(client, extra = {}) {
  const r = await client.post('/api/v1/people', personBody(extra));
  eq(r.status, 201, `create person (${r.text.slice(0, 300)})`);
  return r.json;
}

// The id of the first person on the roster the client sees whose name
// starts with prefix.
export async function findPerson(client, prefix) {
  const items = await allPages(client, '/api/v1/people');
  const p = items.find((x) => x.preferred_name.startsWith(prefix));
  assert(p, `a person named ${prefix}... on the roster`);
  return p;
}

export const EPISODE = {
  agreement_date: '2026-01-05',
  agreement_witness: 'Witness Fernhollow',
  intake_date: '2026-01-06',
  referral_source: 'self',
};

// As cli() from server.mjs, without blocking this process (so requests to
// a server can run meanwhile). Resolves { status, stdout, stderr }.
export function cliAsync(args, { input, env } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'], env: envWith(env) });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

// Asserts the server's access log shows no 5xx answer.
export function expectNo5xx(srv) {
  const bad = srv.log().split('\n').filter((l) => / info http \S+ \S+ 5\d\d /.test(l));
  assert(bad.length === 0, `5xx answers:\n${bad.join('\n')}`);
}
