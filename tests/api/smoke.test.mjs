import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';

const srv = await startServer();
after(() => srv.stop());

test('healthz answers without a session', async () => {
  const c = new Client(srv.url);
  const r = await c.get('/healthz');
  eq(r.status, 200, 'status');
  eq(r.json.status, 'ok', 'body.status');
});

test('a peer signs in and sees their team roster', async () => {
  const c = await signedIn(srv.url, 'peer.north', PASSWORD);
  const r = await c.get('/api/v1/people?limit=200');
  eq(r.status, 200, 'status');
  assert(r.json.items.length === 20, `20 north people, got ${r.json.items.length}`);
  assert(r.json.items.every((p) => p.team === 'north'), 'only north people');
});
