// Starts the real alongside binary (ALONGSIDE_BIN, the sanitizer build
// under make test) on a free loopback port against a fresh demo database.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.ALONGSIDE_BIN ||
  path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../build-asan/alongside');
export const PASSWORD = 'test-password-not-real';

// Temporary directories and server processes are removed and stopped when
// the test process exits, however it exits, so a failed run leaves neither
// behind.
const dirs = [];
const procs = new Set();
process.on('exit', () => {
  for (const p of procs) {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'alongside-test-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

// The key file that seals the records' free text (docs/security.md).
// Every command and server of a test run finds this one in
// ALONGSIDE_KEY_FILE, as an operator's would, unless a test names its
// own (--key-file, or env below): PostgreSQL databases have no file to
// keep a key beside, and backups, copies and restored databases open
// under the key their original was sealed with. init and demo make it
// the first time.
export const KEY_FILE = path.join(tempDir('alongside-keys-'), 'test.key');
process.env.ALONGSIDE_KEY_FILE = KEY_FILE;

// process.env with overrides; an override of null removes the variable.
export function envWith(overrides = {}) {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}

// Runs an alongside command to completion; returns { status, stdout, stderr }.
// env: overrides of the environment (see envWith()).
export function cli(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, {
    input: input ?? '', encoding: 'utf8', timeout: 120000, env: envWith(env),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function sanitizerReport(text) {
  return /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.test(text);
}

// Creates a demo database (unless db is given) and serves it.
// Returns { url, db, dir, stop(), log() }; stop() fails when the server
// does not exit cleanly or a sanitizer reported anything.
// When ALONGSIDE_TEST_PG names a PostgreSQL cluster
// (postgresql://user@host:port), each server gets a database of its own
// there; otherwise a SQLite file in a temporary directory.
export const PG = process.env.ALONGSIDE_TEST_PG || null;

// A new, empty database for the backend under test: a path in dir that
// does not exist yet (named name), or a new PostgreSQL database with no
// tables.
export function newDatabase(dir, name = 'alongside.db') {
  if (!PG) return path.join(dir, name);
  const db = `alongside_${crypto.randomBytes(6).toString('hex')}`;
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${PG}/postgres`,
    '-c', `CREATE DATABASE ${db}`], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`cannot create a test database: ${r.stderr}`);
  return `${PG}/${db}`;
}

// keyFile: a key file of the test's own (--key-file to demo and serve).
export async function startServer({ args = [], db, people = 40, keyFile } = {}) {
  const dir = tempDir();
  const key = keyFile ? ['--key-file', keyFile] : [];
  if (!db) {
    db = newDatabase(dir);
    const r = cli(['demo', '--db', db, '--password', PASSWORD, '--people', String(people), ...key]);
    if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
  }
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', listen, ...key, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.add(proc);
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
    procs.delete(proc);
    resolve({ code, signal });
  }));
  const url = `http://${listen}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early: ${output}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let stopped = false;
  return {
    url,
    db,
    dir,
    proc,
    log: () => output,
    async stop() {
      if (stopped) return;
      stopped = true;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15000);
      const { code, signal } = await exited;
      clearTimeout(timer);
      if (code !== 0 || sanitizerReport(output)) {
        throw new Error(`server did not stop cleanly (code ${code}, signal ${signal}):\n${output.slice(-4000)}`);
      }
    },
  };
}
