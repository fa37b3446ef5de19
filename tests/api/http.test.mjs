// HTTP conventions: health, the OpenAPI document, 404/405/413/415 as
// problem+json, security headers, the session cookie, keep-alive and the
// access log.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import {
  expectProblem, rawRequest, waitFor, createPerson, allPages, expectNo5xx,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());
// A second server with a small body limit, for 413.
const small = await startServer({ args: ['--max-body', '4096'] });
after(() => small.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);

function checkSecurityHeaders(r, what, { api = true } = {}) {
  const h = (n) => r.headers.get(n);
  const csp = h('content-security-policy') || '';
  assert(csp.includes("frame-ancestors 'none'"), `${what}: CSP frame-ancestors 'none' (${csp})`);
  assert(!csp.includes('unsafe-inline'), `${what}: CSP has no 'unsafe-inline'`);
  assert(!csp.includes('unsafe-eval'), `${what}: CSP has no 'unsafe-eval'`);
  assert(/script-src 'self'/.test(csp) || /default-src 'none'/.test(csp), `${what}: CSP limits scripts`);
  eq(h('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  eq(h('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  if (api) eq(h('cache-control'), 'no-store', `${what}: Cache-Control`);
}

test('GET /healthz answers 200 without a session', async () => {
  const c = new Client(srv.url);
  const r = await c.get('/healthz');
  eq(r.status, 200, 'status');
  eq(r.json.status, 'ok', 'body.status');
  assert(Number.isInteger(r.json.schema) && r.json.schema >= 1, 'schema version');
  checkSecurityHeaders(r, 'healthz');
});

test('HEAD answers like GET, with no body', async () => {
  let r = await rawRequest(srv.url, { method: 'HEAD', path: '/healthz' });
  eq(r.status, 200, 'status');
  eq(r.text, '', 'no body');
  r = await rawRequest(srv.url, { method: 'HEAD', path: '/api/v1/people?limit=1', headers: { Cookie: peer.cookie } });
  eq(r.status, 200, 'an API list');
  eq(r.text, '', 'no body');
  eq(r.headers.get('cache-control'), 'no-store', 'not cached');
  r = await rawRequest(srv.url, { method: 'HEAD', path: '/api/v1/people' });
  eq(r.status, 401, 'still needs a session');
});

test('GET /api/v1/openapi.json is a valid OpenAPI 3.1 document, served without a session', async () => {
  const c = new Client(srv.url);
  const r = await c.get('/api/v1/openapi.json');
  eq(r.status, 200, 'status');
  assert((r.headers.get('content-type') || '').startsWith('application/json'), 'JSON content type');
  const doc = JSON.parse(r.text);
  assert(typeof doc.openapi === 'string' && doc.openapi.startsWith('3.1'), 'openapi 3.1');
  // A published document, not a record: it may be cached if revalidated.
  checkSecurityHeaders(r, 'openapi', { api: false });
  assert(/no-store|no-cache/.test(r.headers.get('cache-control') || ''), 'openapi revalidates');
});

// The routes the server has, read from its route table.
function serverRoutes() {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const src = fs.readFileSync(path.join(here, '../../src/http/router.c'), 'utf8');
  const routes = new Set();
  for (const m of src.matchAll(/\{\s*HTTP_([A-Z]+),\s*"([^"]+)"/g)) {
    routes.add(`${m[1]} ${m[2].replace(/\{[^}]+\}/g, '{}')}`);
  }
  return routes;
}

test('the OpenAPI document describes exactly the routes the server has', async () => {
  const c = new Client(srv.url);
  const doc = (await c.get('/api/v1/openapi.json')).json;
  const routes = serverRoutes();
  assert(routes.size >= 17, `route table read (${routes.size} routes)`);
  let prefix = '';
  const server = doc.servers && doc.servers[0] && doc.servers[0].url;
  if (server && server.startsWith('/')) prefix = server.replace(/\/$/, '');
  const documented = new Set();
  for (const [p, ops] of Object.entries(doc.paths || {})) {
    for (const m of Object.keys(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
      const full = (p.startsWith('/api/') || p === '/healthz' ? p : prefix + p).replace(/\{[^}]+\}/g, '{}');
      documented.add(`${m.toUpperCase()} ${full}`);
    }
  }
  const missing = [...routes].filter((r) => !documented.has(r));
  const extra = [...documented].filter((r) => !routes.has(r));
  assert(missing.length === 0, `routes the document lacks: ${missing.join('; ')}`);
  assert(extra.length === 0, `documented routes the server lacks: ${extra.join('; ')}`);
});

test('an unknown API path is a 404 problem', async () => {
  const r = await peer.get('/api/v1/no-such-thing');
  expectProblem(r, 404);
  checkSecurityHeaders(r, '404');
  const anon = await new Client(srv.url).get('/api/v1/people/x/y/z');
  expectProblem(anon, 404, 'anonymous 404');
});

test('a wrong method is a 405 problem with Allow', async () => {
  let r = await peer.request('PUT', '/api/v1/people', { body: {} });
  expectProblem(r, 405);
  eq(r.headers.get('allow'), 'GET, POST', 'Allow on /people');
  checkSecurityHeaders(r, '405');
  r = await peer.del('/api/v1/people/01900000-0000-7000-8000-000000000000');
  expectProblem(r, 405, 'DELETE person');
  eq(r.headers.get('allow'), 'GET, PATCH', 'Allow on /people/{id}');
  r = await new Client(srv.url).post('/healthz', {});
  expectProblem(r, 405, 'POST /healthz');
  eq(r.headers.get('allow'), 'GET', 'Allow on /healthz');
  r = await new Client(srv.url).get('/api/v1/session');
  expectProblem(r, 405, 'GET /session');
  eq(r.headers.get('allow'), 'POST, DELETE', 'Allow on /session');
});

test('the browser UI is served with the same security headers', async () => {
  const r = await new Client(srv.url).get('/');
  eq(r.status, 200, 'status');
  assert((r.headers.get('content-type') || '').startsWith('text/html'), 'HTML');
  checkSecurityHeaders(r, 'index', { api: false });
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/js/../../meson.build']) {
    const t = await rawRequest(srv.url, { path: p });
    assert(t.status === 404 || t.status === 400, `${p}: ${t.status}`);
    assert(!/root:|project\(/.test(t.text), `${p} reads no file outside the UI`);
  }
  const missing = await new Client(srv.url).get('/no-such-file.js');
  eq(missing.status, 404, 'missing asset status');
  checkSecurityHeaders(missing, 'missing asset', { api: false });
  const post = await new Client(srv.url).post('/', {});
  expectProblem(post, 405, 'POST /');
  assert((post.headers.get('allow') || '').includes('GET'), 'Allow on /');
});

test('a body over --max-body is a 413 problem, and the server goes on serving', async () => {
  // Announced by Content-Length: refused before it is read.
  const big = JSON.stringify({ username: 'peer.north', password: 'x'.repeat(5000) });
  let r = await rawRequest(small.url, {
    method: 'POST', path: '/api/v1/session',
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(big)) },
    body: big,
  });
  expectProblem(r, 413, 'by Content-Length');
  checkSecurityHeaders(r, '413');
  // Sent in chunks with no length up front.
  const chunked = await new Promise((resolve, reject) => {
    const u = new URL(small.url);
    const q = http.request({
      host: u.hostname, port: u.port, method: 'POST', path: '/api/v1/session', agent: false,
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    }, (res) => {
      let t = '';
      res.on('data', (d) => { t += d; });
      res.on('end', () => resolve({ status: res.statusCode, t, ct: res.headers['content-type'] }));
    });
    q.on('error', reject);
    for (let i = 0; i < 10; i++) q.write(' '.repeat(1000));
    q.end();
  });
  eq(chunked.status, 413, 'chunked status');
  assert(chunked.ct.startsWith('application/problem+json'), 'chunked 413 is a problem');
  eq(JSON.parse(chunked.t).status, 413, 'chunked body.status');
  // A body just under the limit is read and handled.
  const padded = JSON.stringify({ username: 'peer.north', password: PASSWORD }) + ' '.repeat(3900);
  r = await rawRequest(small.url, {
    method: 'POST', path: '/api/v1/session',
    headers: { 'Content-Type': 'application/json' }, body: padded,
  });
  eq(r.status, 201, 'a body under the limit signs in');
  const h = await new Client(small.url).get('/healthz');
  eq(h.status, 200, 'still serving');
});

test('a text/plain or unlabelled body is a 415 problem', async () => {
  let r = await peer.post('/api/v1/people', undefined, {
    raw: JSON.stringify({ preferred_name: 'Testperson Plaintext' }),
    headers: { 'Content-Type': 'text/plain' },
  });
  expectProblem(r, 415, 'text/plain person');
  checkSecurityHeaders(r, '415');
  r = await new Client(srv.url).post('/api/v1/session', undefined, {
    raw: JSON.stringify({ username: 'peer.north', password: PASSWORD }),
    headers: { 'Content-Type': 'text/plain;charset=utf-8' },
  });
  expectProblem(r, 415, 'text/plain sign-in');
  r = await rawRequest(srv.url, {
    method: 'POST', path: '/api/v1/session', body: JSON.stringify({ username: 'peer.north', password: PASSWORD }),
  });
  eq(r.status, 415, 'no Content-Type');
  // Nothing was created by the refused request.
  const all = await allPages(peer, '/api/v1/people?q=plaintext');
  eq(all.length, 0, 'no person created');
  // JSON with a charset parameter is JSON.
  r = await new Client(srv.url).post('/api/v1/session', undefined, {
    raw: JSON.stringify({ username: 'peer.north', password: PASSWORD }),
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
  eq(r.status, 201, 'application/json; charset=utf-8 accepted');
});

test('security headers are on every kind of API response', async () => {
  const anon = new Client(srv.url);
  const responses = [
    ['200 me', await peer.get('/api/v1/me')],
    ['401', await anon.get('/api/v1/me')],
    ['403', await peer.get('/api/v1/audit')],
    ['400', await peer.get('/api/v1/people?limit=0')],
    ['201', await anon.post('/api/v1/session', { username: 'peer.north', password: PASSWORD })],
    ['401 sign-in', await anon.post('/api/v1/session', { username: 'peer.north', password: 'wrong-password-1' })],
  ];
  for (const [what, r] of responses) checkSecurityHeaders(r, what);
  eq(responses[1][1].status, 401, '401 status');
  eq(responses[2][1].status, 403, '403 status');
});

test('the session cookie is HttpOnly and SameSite=Strict; sign-out clears it', async () => {
  const c = new Client(srv.url);
  const r = await c.post('/api/v1/session', { username: 'peer.north', password: PASSWORD });
  eq(r.status, 201, 'sign-in');
  const cookie = r.headers.get('set-cookie');
  assert(/^alongside_session=[A-Za-z0-9_-]{43};/.test(cookie), 'a 256-bit token');
  const attrs = cookie.split(';').map((s) => s.trim().toLowerCase());
  assert(attrs.includes('httponly'), 'HttpOnly');
  assert(attrs.includes('samesite=strict'), 'SameSite=Strict');
  assert(attrs.includes('path=/'), 'Path=/');
  assert(!attrs.includes('secure'), 'no Secure flag over plain HTTP');
  assert(typeof r.json.csrf_token === 'string' && r.json.csrf_token.length >= 32, 'csrf_token in the body');
  assert(!r.text.includes(cookie.split(';')[0].split('=')[1]), 'the token is not in the body');
  c.csrf = r.json.csrf_token;
  const out = await c.del('/api/v1/session');
  eq(out.status, 204, 'sign-out');
  const cleared = out.headers.get('set-cookie');
  assert(/^alongside_session=;/.test(cleared), 'cookie emptied');
  assert(/max-age=0/i.test(cleared) && /httponly/i.test(cleared) && /samesite=strict/i.test(cleared), 'cleared cookie attributes');
});

test('--secure-cookies marks the session cookie Secure', async () => {
  const s = await startServer({ args: ['--secure-cookies'] });
  try {
    const r = await new Client(s.url).post('/api/v1/session', { username: 'peer.north', password: PASSWORD });
    eq(r.status, 201, 'sign-in');
    assert(/;\s*Secure/i.test(r.headers.get('set-cookie')), 'Secure');
  } finally {
    await s.stop();
  }
});

test('keep-alive: many requests, including errors and bodies, travel on one connection', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  let connections = 0;
  const origCreate = agent.createConnection.bind(agent);
  agent.createConnection = (...a) => { connections++; return origCreate(...a); };
  try {
    const cookie = peer.cookie;
    const reqs = [
      { path: '/healthz' },
      { path: '/api/v1/me', headers: { Cookie: cookie } },
      { path: '/api/v1/nope' },
      { path: '/api/v1/people?limit=5', headers: { Cookie: cookie } },
      { path: '/api/v1/people?limit=0', headers: { Cookie: cookie } },
      { method: 'POST', path: '/api/v1/session', headers: { 'Content-Type': 'application/json' }, body: '{"username":"nobody.here","password":"not-a-real-one"}' },
      { path: '/api/v1/me' },
      { path: '/healthz' },
    ];
    const statuses = [];
    for (const q of reqs) {
      const r = await rawRequest(srv.url, { ...q, agent });
      statuses.push(r.status);
      sockets.add(r.socket);
    }
    eq(JSON.stringify(statuses), JSON.stringify([200, 200, 404, 200, 400, 401, 401, 200]), 'statuses');
    eq(connections, 1, 'connections opened');
    eq(sockets.size, 1, 'sockets used');
  } finally {
    agent.destroy();
  }
});

test('the access log has one line per request, with method, route template and status, and no personal data', async () => {
  const name = 'Quenby Marshwhistle';
  const p = await createPerson(peer, { preferred_name: name, legal_name: 'Quenby Ortolan Marshwhistle' });
  const count = () => (srv.log().match(/ info http /g) || []).length;
  const settle = async () => { let n = -1; while (n !== count()) { n = count(); await new Promise((r) => setTimeout(r, 150)); } };
  await settle();
  const before = count();
  const term = 'Marshwhis';
  const reqs = [
    await peer.get(`/api/v1/people?q=${term}&status=outreach&limit=7`),
    await peer.get(`/api/v1/people/${p.id}`),
    await peer.patch(`/api/v1/people/${p.id}`, { pronouns: 'she/her' }, { headers: { 'If-Match': `"${p.version}"` } }),
    await peer.get(`/api/v1/people?secretparam=${term}`),
    await peer.get('/api/v1/nothing-here?q=Quenby'),
  ];
  eq(reqs.map((r) => r.status).join(','), '200,200,200,400,404', 'statuses');
  await waitFor(() => count() >= before + reqs.length, 'access log lines');
  await settle();
  eq(count(), before + reqs.length, 'one line per request');
  // Lines are written as requests complete, on several threads: match
  // them in any order.
  const lines = srv.log().split('\n').filter((l) => / info http /.test(l)).slice(before);
  const want = [
    / http GET \/api\/v1\/people 200 \d+ms$/,
    / http GET \/api\/v1\/people\/\{id\} 200 \d+ms$/,
    / http PATCH \/api\/v1\/people\/\{id\} 200 \d+ms$/,
    / http GET \/api\/v1\/people 400 \d+ms$/,
    / http GET \S+ 404 \d+ms$/,
  ];
  const left = [...lines];
  for (const re of want) {
    const i = left.findIndex((l) => re.test(l));
    assert(i >= 0, `a log line matching ${re} among ${JSON.stringify(lines)}`);
    left.splice(i, 1);
  }
  const log = srv.log();
  for (const secret of ['Quenby', 'Marshwhistle', 'Ortolan', term, 'marshwhis', p.id, '?', 'q=', 'secretparam', 'status=outreach']) {
    assert(!log.includes(secret), `the log contains ${JSON.stringify(secret)}`);
  }
});

test('the access log names the route of a refused oversized body', async () => {
  const count = () => (small.log().match(/ info http /g) || []).length;
  const before = count();
  const big = 'x'.repeat(6000);
  const r = await rawRequest(small.url, {
    method: 'POST', path: '/api/v1/people',
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(big.length) }, body: big,
  });
  eq(r.status, 413, 'status');
  await waitFor(() => count() > before, 'the log line');
  const line = small.log().split('\n').filter((l) => / info http /.test(l)).slice(before)[0];
  assert(/ http POST \/api\/v1\/people 413 \d+ms/.test(line), `413 line: ${line}`);
});

test('the server stops cleanly on SIGTERM with connections still open', async () => {
  const s = await startServer();
  const agent = new http.Agent({ keepAlive: true });
  try {
    const r = await rawRequest(s.url, { path: '/healthz', agent });
    eq(r.status, 200, 'status');
  } finally {
    await s.stop();
    agent.destroy();
  }
  assert(/stopping on signal 15/.test(s.log()), 'logged the stop');
});

test('never a 500 for odd requests at the HTTP layer', async () => {
  const cookie = peer.cookie;
  const csrf = peer.csrf;
  const odd = [
    { method: 'GET', path: '/api/v1/people/' },
    { method: 'GET', path: '/api/v1/people//episodes' },
    { method: 'GET', path: `/api/v1/people/${'a'.repeat(200)}` },
    { method: 'GET', path: '/api/v1/people/%00%ff%fe' },
    { method: 'GET', path: '/api/v1/people?limit=%00' },
    { method: 'GET', path: '/api/v1/people?q=%ff%fe%fd' },
    { method: 'GET', path: '/api/v1/people?q=%C3' },
    { method: 'GET', path: `/api/v1/people?q=${'z'.repeat(3000)}` },
    { method: 'GET', path: '/api/v1/people?q=a+b+c+d+e+f+g' },
    { method: 'GET', path: '/api/v1/people?limit=99999999999999999999999' },
    { method: 'GET', path: '/api/v1/people?limit=-5' },
    { method: 'GET', path: '/api/v1/people?team=%00' },
    { method: 'GET', path: '/api/v1/people?after=' },
    { method: 'GET', path: '/api/v1/people?limit=1&limit=2' },
    { method: 'GET', path: '/api/v1/audit?from=yesterday' },
    { method: 'OPTIONS', path: '/api/v1/people' },
    { method: 'TRACE', path: '/api/v1/me' },
    { method: 'PATCH', path: '/api/v1/people/01900000-0000-7000-8000-000000000000', body: '{}', headers: { 'Content-Type': 'application/json', 'If-Match': '"x"' } },
    { method: 'PATCH', path: '/api/v1/people/01900000-0000-7000-8000-000000000000', body: '{}', headers: { 'Content-Type': 'application/json', 'If-Match': '"99999999999999999999999"' } },
    { method: 'PATCH', path: '/api/v1/people/01900000-0000-7000-8000-000000000000', body: '{}', headers: { 'Content-Type': 'application/json', 'If-Match': 'W/"1"' } },
    { method: 'PATCH', path: '/api/v1/people/01900000-0000-7000-8000-000000000000', body: '{}', headers: { 'Content-Type': 'application/json', 'If-Match': '*' } },
    { method: 'POST', path: '/api/v1/people', body: '', headers: { 'Content-Type': 'application/json' } },
  ];
  for (const q of odd) {
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrf, ...(q.headers || {}) };
    const r = await rawRequest(srv.url, { ...q, headers });
    assert(r.status < 500, `${q.method} ${q.path.slice(0, 60)}: status ${r.status}`);
    if (r.status >= 400) {
      assert((r.headers.get('content-type') || '').startsWith('application/problem+json'), `${q.method} ${q.path.slice(0, 60)}: problem+json`);
    }
  }
  // Cookies that are not sessions.
  for (const c of ['alongside_session=', 'alongside_session=%00', `alongside_session=${'A'.repeat(43)}`, `alongside_session=${'x'.repeat(4000)}`, 'garbage']) {
    const r = await rawRequest(srv.url, { path: '/api/v1/me', headers: { Cookie: c } });
    eq(r.status, 401, `cookie ${c.slice(0, 30)}`);
  }
  eq((await new Client(srv.url).get('/healthz')).status, 200, 'still serving');
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
