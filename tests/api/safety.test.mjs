// Safety concerns: any member of a person's team raises one in one step;
// the team's supervisors are notified at once and one acknowledges; steps
// are kept with time and actor; a concern nobody acknowledges is passed on
// (data/safety.json; serve --safety-escalate-seconds for the test) exactly
// once, even with two servers sweeping. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn, Client } from '../lib/client.mjs';
import { expectProblem, expectFields, expectNoEcho, createPerson, expectNo5xx, auditOf, waitFor } from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const sup = await signedIn(srv.url, 'super.north', PASSWORD);
const supSouth = await signedIn(srv.url, 'super.south', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const WHAT = 'Said they plan to hurt themselves tonight and have gathered pills.';

async function unread(client) {
  const r = await client.get('/api/v1/notifications?limit=0');
  eq(r.status, 200, `unread count (${r.text.slice(0, 200)})`);
  eq(r.json.items.length, 0, 'limit=0 lists nothing');
  return r.json.unread;
}

async function withCrisisPlan() {
  const person = await createPerson(peer);
  let p = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'crisis',
    content: {
      help_from_others: { helps: ['Sit with me somewhere quiet'], does_not_help: ['Raised voices'] },
      supporters: { people: [{ name: 'Robin Ashgrove', role: 'Comes over', phone: '555-0199' }] },
    },
  });
  eq(p.status, 201, `crisis plan (${p.text.slice(0, 200)})`);
  p = await peer.post(`/api/v1/plans/${p.json.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true },
    { headers: { 'If-Match': '"1"' } });
  eq(p.status, 200, 'signed');
  return { person, plan: p.json };
}

test('a peer raises a concern in one step: 201, the team\'s supervisor is notified at once, others are not', async () => {
  const { person, plan } = await withCrisisPlan();
  const before = { sup: await unread(sup), south: await unread(supSouth), admin: await unread(admin), peer: await unread(peer) };
  const r = await peer.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: WHAT });
  eq(r.status, 201, `raised (${r.text.slice(0, 300)})`);
  eq(r.headers.get('location'), `/api/v1/safety-concerns/${r.json.id}`, 'Location');
  const c = r.json;
  eq(c.status, 'raised', 'raised');
  eq(c.level, 1, 'level 1');
  eq(c.kind, 'self', 'kind');
  eq(c.what, WHAT, 'what was said');
  assert(c.raised_by_name && c.raised_by_name.length > 0, 'raised by a named member of staff');
  eq(c.crisis_plan.id, plan.id, 'the person\'s crisis plan in force');
  eq(c.crisis_plan.content.help_from_others.helps[0], 'Sit with me somewhere quiet', 'what helps');
  eq(c.steps.length, 1, 'one step');
  eq(c.steps[0].action, 'raised', 'the raising is a step');
  assert(c.steps[0].actor_name && c.steps[0].at, 'with its actor and time');
  assert(Date.parse(c.escalate_at) - Date.parse(c.raised_at) >= 9 * 60000, 'ten minutes to answer by default');

  eq(await unread(sup), before.sup + 1, 'the team\'s supervisor has one more unread');
  eq(await unread(supSouth), before.south, 'another team\'s supervisor is not told');
  eq(await unread(admin), before.admin, 'administrators are not told yet');
  eq(await unread(peer), before.peer, 'the peer who raised it is not notified');

  const list = await sup.get('/api/v1/notifications');
  eq(list.status, 200, 'list');
  const n = list.json.items[0];
  eq(n.concern_id, c.id, 'newest first');
  eq(n.kind, 'safety_raised', 'kind');
  eq(n.person_name, person.preferred_name, 'the person\'s name');
  eq(n.read_at, null, 'unread');
  let rd = await sup.post(`/api/v1/notifications/${n.id}/read`);
  eq(rd.status, 204, 'marked read');
  eq(await unread(sup), before.sup, 'one fewer unread');
  rd = await sup.post(`/api/v1/notifications/${n.id}/read`);
  eq(rd.status, 204, 'marking read again is harmless');
  expectProblem(await supSouth.post(`/api/v1/notifications/${n.id}/read`), 404, 'someone else\'s notification');
  expectProblem(await sup.post('/api/v1/notifications/not-an-id/read'), 404, 'a bad id');
  const open = await sup.get('/api/v1/safety-concerns');
  eq(open.status, 200, 'open concerns');
  assert(open.json.items.some((x) => x.id === c.id), 'listed as open for the team');
  assert(!(await supSouth.get('/api/v1/safety-concerns')).json.items.some((x) => x.id === c.id), 'not for another team');
});

test('from a note: contact_id must be a contact with this person', async () => {
  const person = await createPerson(peer);
  const other = await createPerson(peer);
  const t = new Date(Math.floor((Date.now() - 3600000) / 60000) * 60000);
  const contact = await peer.post(`/api/v1/people/${other.id}/contacts`, {
    type: 'phone', started_at: t.toISOString().replace('.000Z', 'Z'),
    ended_at: new Date(t.getTime() + 900000).toISOString().replace('.000Z', 'Z'),
  });
  eq(contact.status, 201, `a contact (${contact.text.slice(0, 200)})`);
  expectFields(await peer.post('/api/v1/safety-concerns', { person_id: person.id, contact_id: contact.json.id, kind: 'others', what: WHAT }),
    ['contact_id'], { exact: true, what: 'another person\'s contact' });
  const r = await peer.post('/api/v1/safety-concerns', { person_id: other.id, contact_id: contact.json.id, kind: 'others', what: WHAT });
  eq(r.status, 201, 'raised from the note');
  eq(r.json.contact_id, contact.json.id, 'linked to the note');
  eq(r.json.crisis_plan, null, 'no crisis plan: null');
});

test('who may: another team 404; administrators and privacy officers 403; only a supervisor of the team acknowledges', async () => {
  const { person } = await withCrisisPlan();
  expectProblem(await south.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: WHAT }), 404, 'another team raises');
  expectProblem(await admin.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: WHAT }), 403, 'admin raises');
  expectProblem(await privacy.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: WHAT }), 403, 'privacy raises');
  const c = (await sup.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'others', what: WHAT })).json;
  eq(c.status, 'raised', 'a supervisor raises too');
  expectProblem(await south.get(`/api/v1/safety-concerns/${c.id}`), 404, 'another team reads');
  expectProblem(await supSouth.get(`/api/v1/safety-concerns/${c.id}`), 404, 'another team\'s supervisor reads');
  expectProblem(await admin.get(`/api/v1/safety-concerns/${c.id}`), 403, 'admin reads');
  expectProblem(await admin.get('/api/v1/safety-concerns'), 403, 'admin lists');
  expectProblem(await supSouth.post(`/api/v1/safety-concerns/${c.id}/acknowledge`), 404, 'another team acknowledges');
  expectProblem(await peer.post(`/api/v1/safety-concerns/${c.id}/acknowledge`), 403, 'a peer does not acknowledge');
  expectProblem(await admin.post(`/api/v1/safety-concerns/${c.id}/acknowledge`), 403, 'admin acknowledges');
  expectProblem(await peer.get('/api/v1/safety-concerns/01900000-0000-7000-8000-000000000000'), 404, 'no such concern');
  const ack = await sup.post(`/api/v1/safety-concerns/${c.id}/acknowledge`);
  eq(ack.status, 200, `acknowledged (${ack.text.slice(0, 200)})`);
  eq(ack.json.status, 'acknowledged', 'status');
  eq(ack.json.acknowledged_by_name, 'Sam Okafor', 'by whom');
  assert(ack.json.acknowledged_at, 'when');
  expectProblem(await sup.post(`/api/v1/safety-concerns/${c.id}/acknowledge`), 409, 'acknowledged once');
});

test('steps are recorded with actor and time; a supervisor closes with an outcome; audited', async () => {
  const { person } = await withCrisisPlan();
  const c = (await peer.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: WHAT })).json;
  await sup.post(`/api/v1/safety-concerns/${c.id}/acknowledge`);
  let r = await peer.post(`/api/v1/safety-concerns/${c.id}/steps`, { action: 'contacted_person', note: 'Talked by phone; they agreed to wait with Robin.' });
  eq(r.status, 201, `step (${r.text.slice(0, 200)})`);
  r = await sup.post(`/api/v1/safety-concerns/${c.id}/steps`, { action: 'followed_crisis_plan' });
  eq(r.status, 201, 'step without a note');
  const steps = r.json.steps.map((s) => `${s.action}:${s.actor_name}`);
  eq(steps.length, 4, `four steps (${steps})`);
  eq(r.json.steps[0].action, 'raised', 'raised first');
  eq(r.json.steps[1].action, 'acknowledged', 'then acknowledged');
  eq(r.json.steps[1].actor_name, 'Sam Okafor', 'by the supervisor');
  eq(r.json.steps[2].note, 'Talked by phone; they agreed to wait with Robin.', 'the note');
  for (const s of r.json.steps) assert(s.actor_id && !Number.isNaN(Date.parse(s.at)), 'each step has an actor and a time');
  expectFields(await peer.post(`/api/v1/safety-concerns/${c.id}/steps`, { action: 'other' }), ['note'], { exact: true, what: 'other needs a note' });
  expectFields(await peer.post(`/api/v1/safety-concerns/${c.id}/steps`, { action: 'shouted' }), ['action'], { exact: true, what: 'unknown action' });
  expectProblem(await peer.post(`/api/v1/safety-concerns/${c.id}/close`, { outcome: 'Safe with a friend.' }), 403, 'a peer does not close');
  expectFields(await sup.post(`/api/v1/safety-concerns/${c.id}/close`, {}), ['outcome'], { exact: true, what: 'no outcome' });
  r = await sup.post(`/api/v1/safety-concerns/${c.id}/close`, { outcome: 'Safe with a friend tonight; seeing their peer tomorrow.' });
  eq(r.status, 200, 'closed');
  eq(r.json.status, 'closed', 'status');
  eq(r.json.closed_by_name, 'Sam Okafor', 'by whom');
  eq(r.json.steps.at(-1).action, 'closed', 'a closing step');
  expectProblem(await sup.post(`/api/v1/safety-concerns/${c.id}/close`, { outcome: 'again' }), 409, 'closed once');
  expectProblem(await peer.post(`/api/v1/safety-concerns/${c.id}/steps`, { action: 'contacted_person' }), 409, 'no steps once closed');
  assert(!(await sup.get('/api/v1/safety-concerns')).json.items.some((x) => x.id === c.id), 'no longer open');
  eq((await peer.get(`/api/v1/safety-concerns/${c.id}`)).status, 200, 'still readable');

  const audit = (await auditOf(privacy, person.id)).filter((e) => e.object_type === 'safety_concern' && e.object_id === c.id);
  const actions = audit.map((e) => `${e.action}/${e.outcome}`);
  for (const a of ['create/success', 'acknowledge/success', 'step/success', 'close/success', 'read/success', 'close/denied']) {
    assert(actions.includes(a), `audited ${a} (${actions})`);
  }
  assert(!JSON.stringify(audit).includes('pills'), 'no free text in the audit log');
});

test('validation: field-named 400s that never echo the value', async () => {
  const person = await createPerson(peer);
  const secret = 'Zq9-secret-words-7Hk';
  let r = await peer.post('/api/v1/safety-concerns', { person_id: person.id, kind: secret, what: '   ' });
  expectFields(r, ['kind', 'what'], { exact: true, what: 'bad kind, blank text' });
  expectNoEcho(r, secret);
  r = await peer.post('/api/v1/safety-concerns', { kind: 'self', what: 'x', colour: secret });
  expectFields(r, ['person_id', 'colour'], { what: 'missing person, unknown key' });
  expectNoEcho(r, secret);
  expectFields(await peer.post('/api/v1/safety-concerns', { person_id: 'nope', kind: 'self', what: 'x' }), ['person_id'], { what: 'bad id' });
  expectFields(await peer.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: 'x'.repeat(4001) }), ['what'], { what: 'too long' });
  expectFields(await peer.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'self', what: 5 }), ['what'], { what: 'not text' });
  expectFields(await sup.get('/api/v1/notifications?limit=500'), ['limit'], { what: 'limit' });
  expectFields(await sup.get('/api/v1/notifications?colour=1'), ['query'], { what: 'unknown query' });
  expectProblem(await new Client(srv.url).get('/api/v1/notifications'), 401, 'signed out');
  expectNo5xx(srv);
});

test('nobody acknowledges: after the configured time it is passed on to the other supervisors and the administrators exactly once, with two servers sweeping', async () => {
  const A = await startServer({ args: ['--safety-escalate-seconds', '1'] });
  const B = await startServer({ db: A.db, args: ['--safety-escalate-seconds', '1'] });
  try {
    const clients = {};
    for (const [name, u] of [['peer', 'peer.north'], ['sup', 'super.north'], ['south', 'super.south'], ['admin', 'admin'], ['privacy', 'privacy']]) {
      clients[name] = await signedIn(A.url, u, PASSWORD);
      clients[`${name}B`] = await signedIn(B.url, u, PASSWORD);
    }
    const person = await createPerson(clients.peer);
    const c = (await clients.peer.post('/api/v1/safety-concerns', { person_id: person.id, kind: 'others', what: WHAT })).json;
    eq(c.status, 'raised', 'raised');
    // Both servers sweep lazily on every read, many at once.
    const escalated = await waitFor(async () => {
      const rs = await Promise.all([clients.south, clients.southB, clients.admin, clients.adminB, clients.sup, clients.supB]
        .flatMap((x) => [x.get('/api/v1/notifications'), x.get('/api/v1/notifications?limit=0')]));
      for (const r of rs) eq(r.status, 200, `notifications (${r.text.slice(0, 200)})`);
      const got = await clients.sup.get(`/api/v1/safety-concerns/${c.id}`);
      return got.json.status === 'escalated' ? got.json : null;
    }, 'the concern to be passed on', 30000);
    eq(escalated.level, 2, 'level 2');
    assert(escalated.escalated_at, 'when');
    eq(escalated.steps.filter((s) => s.action === 'escalated').length, 1, 'one escalation step');
    eq(escalated.steps.find((s) => s.action === 'escalated').actor_id, null, 'passed on by the program');
    for (const who of ['south', 'admin']) {
      const items = (await clients[who].get('/api/v1/notifications')).json.items.filter((n) => n.concern_id === c.id);
      eq(items.length, 1, `${who} is told exactly once`);
      eq(items[0].kind, 'safety_escalated', `${who}: passed on`);
    }
    const adminItem = (await clients.admin.get('/api/v1/notifications')).json.items.find((n) => n.concern_id === c.id);
    eq(adminItem.person_name, null, 'administrators are not told whose record it is');
    eq((await clients.sup.get('/api/v1/notifications')).json.items.filter((n) => n.concern_id === c.id).length, 1,
      'the team\'s supervisor is not told twice');
    expectProblem(await clients.south.get(`/api/v1/safety-concerns/${c.id}`), 404, 'being told does not open another team\'s record');
    const ack = await clients.supB.post(`/api/v1/safety-concerns/${c.id}/acknowledge`);
    eq(ack.status, 200, 'an escalated concern is still acknowledged');
    eq(ack.json.status, 'acknowledged', 'acknowledged');
    const audit = (await auditOf(clients.privacy, person.id)).filter((e) => e.object_id === c.id && e.action === 'escalate');
    eq(audit.length, 1, 'one escalation in the audit log');
    eq(audit[0].role, 'system', 'by the program');
  } finally {
    await B.stop();
    await A.stop();
  }
});
