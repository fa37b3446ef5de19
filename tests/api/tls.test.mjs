// HTTPS served directly by alongside (--tls-cert/--tls-key): the API works
// over TLS, cookies are Secure and HSTS is sent.
import { spawn, spawnSync } from 'node:child_process';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { BIN, PASSWORD, cli, freePort, tempDir } from '../lib/server.mjs';

const dir = tempDir('alongside-tls-');
const cert = path.join(dir, 'cert.pem');
const key = path.join(dir, 'key.pem');
const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt',
  'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-days', '2',
  '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
{ encoding: 'utf8' });
if (gen.status !== 0) throw new Error(`openssl failed: ${gen.stderr}`);

const db = path.join(dir, 'a.db');
const demo = cli(['demo', '--db', db, '--password', PASSWORD, '--people', '4']);
if (demo.status !== 0) throw new Error(demo.stderr);
const port = await freePort();
let log = '';
const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
  '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'pipe', 'pipe'] });
proc.stdout.on('data', (d) => { log += d; });
proc.stderr.on('data', (d) => { log += d; });
const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
const ca = fs.readFileSync(cert);

function request(method, p, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: p, method, ca, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body) req.end(body); else req.end();
  });
}

after(async () => {
  proc.kill('SIGTERM');
  const code = await exited;
  if (code !== 0 || /ERROR: (Address|Leak)Sanitizer|runtime error:/.test(log)) {
    throw new Error(`TLS server did not stop cleanly (${code}): ${log.slice(-2000)}`);
  }
});

for (let i = 0; ; i++) {
  try {
    const r = await request('GET', '/healthz');
    if (r.status === 200) break;
  } catch (err) {
    if (i > 200) throw err;
  }
  await new Promise((r) => setTimeout(r, 50));
}

test('TLS: healthz over HTTPS with HSTS', async () => {
  const r = await request('GET', '/healthz');
  eq(r.status, 200, 'status');
  assert(/max-age=\d+/.test(r.headers['strict-transport-security'] || ''), 'HSTS header');
});

test('TLS: the session cookie is Secure, HttpOnly and SameSite=Strict', async () => {
  const body = JSON.stringify({ username: 'peer.north', password: PASSWORD });
  const r = await request('POST', '/api/v1/session', {
    body, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  eq(r.status, 201, 'status');
  const c = (r.headers['set-cookie'] || [])[0] || '';
  assert(/; Secure/.test(c), 'Secure flag');
  assert(/HttpOnly/.test(c) && /SameSite=Strict/.test(c), 'HttpOnly and SameSite');
  const cookie = c.split(';')[0];
  const people = await request('GET', '/api/v1/people?limit=10', { headers: { Cookie: cookie } });
  eq(people.status, 200, 'roster over TLS');
});

test('TLS: plain HTTP to the TLS port gets no answer', async () => {
  let answered = false;
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    answered = r.ok;
  } catch { /* expected: the TLS server does not speak plain HTTP */ }
  assert(!answered, 'plain HTTP must not be served on the TLS port');
});
