// Break-glass: a member of staff not on a person's team opens that one
// record after giving a reason; access lasts the set time (3 seconds
// here, serve --break-glass-seconds) and then ends; every action is
// flagged in the audit log; the privacy officers are notified and one
// reviews it, once. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, createPerson, EPISODE, expectNo5xx, auditOf } from '../lib/api.mjs';

const srv = await startServer({ args: ['--break-glass-seconds', '3'] });
after(() => srv.stop());

const north = await signedIn(srv.url, 'peer.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const REASON = 'The person came to our drop-in in crisis and asked us to look at their crisis plan.';

test('break-glass opens one record for the set time, flags every action, and then closes', async () => {
  const person = await createPerson(north);
  eq((await north.post(`/api/v1/people/${person.id}/episodes`, EPISODE)).status, 201, 'enrolled');
  const other = await createPerson(north);
  expectProblem(await south.get(`/api/v1/people/${person.id}`), 404, 'another team: not found');
  expectFields(await south.post(`/api/v1/people/${person.id}/break-glass`, { reason: 'because' }), ['reason'], { exact: true, what: 'a reason too short' });
  expectFields(await south.post(`/api/v1/people/${person.id}/break-glass`, {}), ['reason'], { what: 'no reason' });
  const r = await south.post(`/api/v1/people/${person.id}/break-glass`, { reason: REASON });
  eq(r.status, 201, `opened (${r.text.slice(0, 200)})`);
  const g = r.json;
  eq(g.person_id, person.id, 'that person');
  eq(g.reason, REASON, 'the reason');
  const lasts = Date.parse(g.expires_at) - Date.parse(g.started_at);
  eq(lasts, 3000, 'for the set time');
  // Open now: read and write this one record.
  const read = await south.get(`/api/v1/people/${person.id}`);
  eq(read.status, 200, 'the record opens');
  eq(read.json.preferred_name, person.preferred_name, 'the right one');
  eq(read.json.break_glass_until, g.expires_at, 'the record says until when it is open by break-glass');
  eq((await north.get(`/api/v1/people/${person.id}`)).json.break_glass_until, null, 'not for its own team');
  eq((await south.get(`/api/v1/people/${person.id}/contacts`)).status, 200, 'their notes');
  const now = Date.now();
  const started = new Date(now - 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
  const ended = new Date(now - 3000000).toISOString().replace(/\.\d+Z$/, 'Z');
  const c = await south.post(`/api/v1/people/${person.id}/contacts`, { type: 'individual', started_at: started, ended_at: ended, location: 'Drop-in centre' });
  eq(c.status, 201, `a note written in the emergency (${c.text.slice(0, 200)})`);
  expectProblem(await south.get(`/api/v1/people/${other.id}`), 404, 'only that one record');
  const roster = await south.get('/api/v1/people?limit=200');
  assert(!roster.json.items.some((x) => x.id === person.id), 'not on their roster');
  // Flagged in the audit log.
  const audit = await auditOf(privacy, person.id);
  const flagged = audit.filter((x) => x.actor === g.staff_id && /break_glass/.test(x.detail || ''));
  assert(flagged.some((x) => x.object_type === 'break_glass' && x.action === 'open'), `the opening (${JSON.stringify(audit.filter((x) => x.actor === g.staff_id).map((x) => [x.object_type, x.action, x.detail]))})`);
  assert(flagged.some((x) => x.object_type === 'person' && x.action === 'read'), 'the read');
  assert(flagged.some((x) => x.object_type === 'contact' && x.action === 'create'), 'the note');
  // The privacy officer is told.
  const notes = await privacy.get('/api/v1/notifications');
  eq(notes.status, 200, 'notifications');
  assert(notes.json.items.some((n) => n.kind === 'break_glass' && n.break_glass_id === g.id), 'told at once');
  assert(notes.json.unread >= 1, 'unread');
  // Then it ends, on time.
  while (Date.now() < Date.parse(g.expires_at) + 300) await sleep(200);
  expectProblem(await south.get(`/api/v1/people/${person.id}`), 404, 'closed after the set time');
  expectProblem(await south.get(`/api/v1/contacts/${c.json.id}`), 404, 'the note too');
});

test('no glass to break on your own team; roles without a roster cannot; a person who does not exist', async () => {
  const person = await createPerson(north);
  expectProblem(await north.post(`/api/v1/people/${person.id}/break-glass`, { reason: REASON }), 409, 'on the team already');
  expectProblem(await admin.post(`/api/v1/people/${person.id}/break-glass`, { reason: REASON }), 403, 'an administrator');
  expectProblem(await privacy.post(`/api/v1/people/${person.id}/break-glass`, { reason: REASON }), 403, 'a privacy officer');
  expectProblem(await south.post('/api/v1/people/00000000-0000-7000-8000-000000000000/break-glass', { reason: REASON }), 404, 'nobody');
  expectProblem(await south.post('/api/v1/people/nope/break-glass', { reason: REASON }), 404, 'a bad id');
});

test('the privacy officer reviews each access once; the review is recorded', async () => {
  const person = await createPerson(north);
  const g = (await south.post(`/api/v1/people/${person.id}/break-glass`, { reason: REASON })).json;
  let list = await privacy.get('/api/v1/break-glass?pending=true');
  eq(list.status, 200, 'the list');
  assert(list.json.items.some((x) => x.id === g.id), 'waiting for review');
  eq(list.json.minutes, 1, 'the set time, in minutes rounded up');
  eq((await south.get('/api/v1/reference')).json.break_glass.minutes, 1, 'the reference says it too');
  const own = await south.get('/api/v1/break-glass');
  assert(own.json.items.every((x) => x.staff_id === g.staff_id), 'staff see their own only');
  expectProblem(await south.post(`/api/v1/break-glass/${g.id}/review`, { outcome: 'appropriate' }, ifm(1)), 403, 'not by the one who opened it');
  expectProblem(await admin.get('/api/v1/break-glass'), 403, 'not administrators');
  expectFields(await privacy.post(`/api/v1/break-glass/${g.id}/review`, { outcome: 'fine' }, ifm(1)), ['outcome'], { exact: true, what: 'an unknown outcome' });
  expectFields(await privacy.post(`/api/v1/break-glass/${g.id}/review`, { outcome: 'not_appropriate' }, ifm(1)), ['note'], { exact: true, what: 'not appropriate needs a note' });
  expectProblem(await privacy.post(`/api/v1/break-glass/${g.id}/review`, { outcome: 'appropriate' }), 428, 'If-Match');
  const r = await privacy.post(`/api/v1/break-glass/${g.id}/review`, { outcome: 'appropriate', note: 'Checked with the south team lead.' }, ifm(1));
  eq(r.status, 200, `reviewed (${r.text.slice(0, 200)})`);
  eq(r.json.review_outcome, 'appropriate', 'outcome');
  eq(r.json.reviewed_by_name.length > 0, true, 'by whom');
  expectProblem(await privacy.post(`/api/v1/break-glass/${g.id}/review`, { outcome: 'appropriate' }, ifm(2)), 409, 'reviewed once');
  list = await privacy.get('/api/v1/break-glass?pending=true');
  assert(!list.json.items.some((x) => x.id === g.id), 'no longer waiting');
  const told = (await privacy.get('/api/v1/notifications')).json.items.find((n) => n.break_glass_id === g.id);
  assert(told && told.read_at, 'its notification no longer waits either');
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'break_glass' && x.action === 'review' && x.detail === 'appropriate'), 'the review is audited');
  expectNo5xx(srv);
});
