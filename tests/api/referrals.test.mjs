// Referrals with a closed loop: a person sent to a directory service for
// a goal or a category, carried through every FHIR Task status; sharing
// with the service passes the consent check and records a disclosure;
// the receiving organisation updates once through a single-use link that
// shows the minimum; quiet referrals come back to the team; the
// directory shows each service's record. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn, Client } from '../lib/client.mjs';
import { expectProblem, expectFields, expectNo5xx, createPerson, EPISODE, sql, allPages, auditOf } from '../lib/api.mjs';

const srv = await startServer({ people: 2 });
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const today = new Date().toISOString().slice(0, 10);
const ORG = 'Sunrise Housing Coalition';

async function service(extra = {}) {
  const r = await peer.post('/api/v1/resources', {
    name: 'Housing navigation', organization_name: ORG, categories: ['housing'], languages: ['en', 'es'],
    ...extra,
  });
  eq(r.status, 201, `service (${r.text.slice(0, 200)})`);
  return r.json;
}

async function enrolled() {
  const person = await createPerson(peer);
  const ep = await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE);
  eq(ep.status, 201, `enrolled (${ep.text.slice(0, 200)})`);
  return person;
}

async function consent(person, recipient = ORG) {
  const r = await peer.post(`/api/v1/people/${person.id}/consents`, {
    kind: 'release_of_information',
    person_name: 'Testperson Quillfeather',
    disclosers: 'Alongside Peer Services',
    recipients: [{ name: recipient, address: '1 Example Way' }],
    information: 'My name and how to reach me, for a housing referral.',
    categories: ['demographics'],
    purposes: ['referral'],
    revocation_statement: true,
    expiry_event: 'end_of_treatment',
    signer_name: 'Testperson Quillfeather',
    signer_authority: 'self',
    signed_on: today,
    conditioning_statement: true,
    redisclosure_statement: true,
  });
  eq(r.status, 201, `consent (${r.text.slice(0, 300)})`);
  return r.json;
}

const SHARE = { categories: ['demographics'], information: 'Name and phone number' };

test('a referral carried through every status to completed: events kept, moves checked, outcome needed, the service\'s record counts it', async () => {
  const svc = await service();
  const person = await enrolled();
  let r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', reason: 'I want a place of my own near my sister.' });
  eq(r.status, 201, r.text.slice(0, 300));
  eq(r.headers.get('location'), `/api/v1/referrals/${r.json.id}`, 'Location');
  const ref = r.json;
  eq(ref.status, 'requested', 'requested');
  eq(ref.open, true, 'open');
  eq(ref.service.name, 'Housing navigation', 'service');
  eq(ref.service.organization_name, ORG, 'organisation');
  eq(ref.category, 'housing', 'the need');
  eq(ref.reason, 'I want a place of my own near my sister.', 'in their words');
  eq(ref.shared_outside, false, 'nothing shared');
  eq(ref.disclosure_id, null, 'no disclosure');
  eq(ref.events.length, 1, 'one event');
  assert(ref.follow_up_at > ref.made_at, 'comes back later if quiet');
  let v = 1;
  const walk = async (status, body = {}) => {
    const x = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status, ...body }, ifm(v));
    eq(x.status, 200, `${status} (${x.text.slice(0, 300)})`);
    v = x.json.version;
    eq(x.json.status, status, status);
    return x.json;
  };
  r = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status: 'completed', outcome: 'x' }, ifm(1));
  const bad = expectProblem(r, 409, 'requested cannot become completed');
  assert(bad.errors.some((e) => e.field === 'status'), 'names status');
  await walk('accepted', { note: 'They called back' });
  await walk('in-progress');
  await walk('on-hold', { note: 'Waiting for a unit' });
  await walk('in-progress');
  r = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status: 'completed' }, ifm(v));
  expectFields(r, ['outcome'], { exact: true });
  r = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status: 'completed', outcome: 'x' }, ifm(1));
  expectProblem(r, 412, 'old version');
  r = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status: 'completed', outcome: 'x' });
  expectProblem(r, 428, 'no If-Match');
  const done = await walk('completed', { outcome: 'Moved into a studio apartment' });
  eq(done.open, false, 'ended');
  eq(done.outcome, 'Moved into a studio apartment', 'outcome');
  eq(done.follow_up_at, null, 'nothing to follow up');
  eq(done.events.map((e) => e.status).join(), 'requested,accepted,in-progress,on-hold,in-progress,completed', 'every step kept');
  eq(done.events[1].note, 'They called back', 'with notes');
  assert(done.events.every((e) => e.via === 'staff' && e.by), 'by staff, named');
  r = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status: 'cancelled' }, ifm(v));
  expectProblem(r, 409, 'an ended referral stays ended');
  // The other endings.
  for (const [path, end] of [[['rejected'], 'rejected'], [['cancelled'], 'cancelled'], [['accepted', 'failed'], 'failed']]) {
    const x = (await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing' })).json;
    let vv = 1;
    for (const s of path) {
      const y = await peer.post(`/api/v1/referrals/${x.id}/status`, { status: s, outcome: s === 'failed' ? 'No units this year' : undefined }, ifm(vv));
      eq(y.status, 200, `${s} (${y.text.slice(0, 200)})`);
      vv = y.json.version;
    }
    eq((await peer.get(`/api/v1/referrals/${x.id}`)).json.status, end, end);
  }
  const list = await peer.get(`/api/v1/people/${person.id}/referrals`);
  eq(list.status, 200, 'the person\'s referrals');
  eq(list.json.items.length, 4, 'all four');
  const s = await peer.get(`/api/v1/resources/${svc.id}`);
  eq(JSON.stringify(s.json.referrals), JSON.stringify({ made: 4, accepted: 2, completed: 1 }), 'the service\'s record');
  const found = (await peer.get('/api/v1/resources?q=navigation&category=housing')).json.items.find((i) => i.id === svc.id);
  eq(found.referrals.completed, 1, 'in the search too');
  const log = await auditOf(privacy, person.id);
  const acts = log.filter((e) => e.object_type === 'referral').map((e) => e.action);
  assert(acts.includes('create') && acts.includes('update') && acts.includes('list'), `audited: ${acts}`);
});

test('the need is a goal of the person\'s plan or a category; bad fields named; another team cannot refer; nothing written', async () => {
  const svc = await service();
  const person = await enrolled();
  const p = await peer.post(`/api/v1/people/${person.id}/plans`, { kind: 'recovery', content: { goals: [{ words: 'Find a home I can afford', lifecycle_status: 'active' }] } });
  eq(p.status, 201, `plan (${p.text.slice(0, 200)})`);
  const goal = p.json.current.content.goals[0].id;
  let r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, goal_id: goal });
  eq(r.status, 201, r.text.slice(0, 300));
  eq(r.json.goal_id, goal, 'for the goal');
  eq(r.json.plan_id, p.json.id, 'of its plan');
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id });
  expectFields(r, ['category'], { exact: true });
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: 'x', goal_id: 'y', category: 'nope', reason: 'a\u0007b', share: { categories: [] }, colour: 1 });
  expectFields(r, ['colour']);
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: 'x', goal_id: 'y', category: 'nope', reason: 'a\u0007b' });
  expectFields(r, ['service_id', 'goal_id', 'category', 'reason'], { exact: true });
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: '01900000-0000-7000-8000-000000000000', goal_id: '01900000-0000-7000-8000-000000000001' });
  expectFields(r, ['service_id', 'goal_id'], { exact: true });
  const gone = await service({ name: 'Closed program', status: 'defunct' });
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: gone.id, category: 'housing' });
  expectFields(r, ['service_id'], { exact: true });
  r = await south.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing' });
  eq(r.status, 404, 'another team does not learn the person exists');
  eq((await south.get(`/api/v1/people/${person.id}/referrals`)).status, 404, 'nor read the list');
  eq((await admin.get(`/api/v1/people/${person.id}/referrals`)).status, 403, 'the administrator has no roster');
  eq((await privacy.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing' })).status, 403, 'nor the privacy officer');
  eq((await peer.get(`/api/v1/people/${person.id}/referrals`)).json.items.length, 1, 'only the one good referral');
  eq((await peer.get('/api/v1/referrals/not-an-id')).status, 404, 'not an id');
  eq((await peer.get('/api/v1/referrals?view=all')).status, 400, 'view named');
  await expectNo5xx(srv);
});

test('sharing with the service needs a consent that covers it: refused with the field named and nothing written; with one, the disclosure is in the accounting', async () => {
  const svc = await service();
  const person = await enrolled();
  let r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', share: SHARE });
  const p = expectProblem(r, 422, 'no consent');
  assert(p.errors.some((e) => e.field.startsWith('share.')), `named under share: ${JSON.stringify(p.errors)}`);
  eq((await peer.get(`/api/v1/people/${person.id}/referrals`)).json.items.length, 0, 'nothing written');
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', share: { categories: ['nonsense'] } });
  expectFields(r, ['share.categories[0]'], { exact: true });
  await consent(person);
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', share: { categories: ['substance_use'] } });
  expectProblem(r, 422, 'the consent does not cover this information');
  r = await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', share: SHARE });
  eq(r.status, 201, r.text.slice(0, 300));
  eq(r.json.shared_outside, true, 'shared');
  assert(r.json.disclosure_id, 'its disclosure');
  const acc = await peer.get(`/api/v1/people/${person.id}/disclosures`);
  eq(acc.status, 200, `accounting (${acc.text.slice(0, 200)})`);
  const d = acc.json.items.find((x) => x.id === r.json.disclosure_id);
  assert(d, 'in the accounting of disclosures');
  eq(d.recipient_name, ORG, 'to the organisation');
  eq(d.purpose, 'referral', 'for a referral');
  const log = await auditOf(privacy, person.id);
  assert(log.some((e) => e.object_type === 'referral' && e.action === 'create' && e.outcome === 'denied'), 'the refusal audited');
});

test('the single-use link: only for a shared open referral; shows the minimum; one update; then it ends; a new link ends the old one', async () => {
  const svc = await service();
  const person = await enrolled();
  const plain = (await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing' })).json;
  expectProblem(await peer.post(`/api/v1/referrals/${plain.id}/link`, {}), 409, 'nothing shared, no link');
  await consent(person);
  const ref = (await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', reason: 'Private words', share: SHARE })).json;
  let l = await peer.post(`/api/v1/referrals/${ref.id}/link`, {});
  eq(l.status, 201, l.text.slice(0, 300));
  const first = l.json.token;
  assert(l.json.url === `/referral.html#token=${first}`, 'the token after #');
  l = await peer.post(`/api/v1/referrals/${ref.id}/link`, {});
  const token = l.json.token;
  assert(token !== first, 'a new token');
  const anon = new Client(srv.url);
  let v = await anon.post('/api/v1/referral-link', { token: first });
  expectProblem(v, 404, 'the earlier link ended');
  v = await anon.post('/api/v1/referral-link', { token });
  eq(v.status, 200, v.text.slice(0, 300));
  eq(v.json.service_name, 'Housing navigation', 'service');
  eq(v.json.person_name, person.preferred_name, 'the person\'s preferred name');
  eq(v.json.category, 'housing', 'the need');
  eq(v.json.status, 'requested', 'status');
  eq(v.json.category_label, 'Housing', 'the need in words');
  eq(v.json.next.join(), 'accepted,rejected,failed', 'the moves it may make: cancelling is the referrer\'s');
  assert(!v.text.includes('Private words'), 'not the reason in their words');
  for (const k of ['person_id', 'reason', 'plan_id', 'goal_id', 'team_id', 'id', 'disclosure_id']) assert(!(k in v.json), `no ${k}`);
  const again = await anon.post('/api/v1/referral-link', { token });
  eq(again.status, 200, 'reading does not use it up');
  let u = await anon.post('/api/v1/referral-link/status', { token, status: 'completed', outcome: 'x' });
  expectProblem(u, 409, 'requested cannot become completed');
  u = await anon.post('/api/v1/referral-link/status', { token, status: 'cancelled' });
  expectProblem(u, 409, 'the organisation does not cancel');
  u = await anon.post('/api/v1/referral-link/status', { token, status: 'bogus' });
  expectFields(u, ['status'], { exact: true });
  u = await anon.post('/api/v1/referral-link/status', { token, status: 'accepted', note: 'We will call Tuesday' });
  eq(u.status, 200, u.text.slice(0, 300));
  eq(u.json.status, 'accepted', 'accepted');
  u = await anon.post('/api/v1/referral-link/status', { token, status: 'in-progress' });
  expectProblem(u, 404, 'used once');
  expectProblem(await anon.post('/api/v1/referral-link', { token }), 404, 'ended for reading too');
  expectProblem(await anon.post('/api/v1/referral-link', { token: 'x'.repeat(43) }), 404, 'unknown token');
  expectFields(await anon.post('/api/v1/referral-link', {}), ['token']);
  const got = (await peer.get(`/api/v1/referrals/${ref.id}`)).json;
  eq(got.status, 'accepted', 'the peer sees it accepted');
  const last = got.events[got.events.length - 1];
  eq(last.via, 'link', 'through the link');
  eq(last.by, null, 'by the organisation, not staff');
  eq(last.note, 'We will call Tuesday', 'their note');
  eq(got.link_active, false, 'the link ended');
  const log = await auditOf(privacy, person.id);
  const viaLink = log.filter((e) => e.object_type === 'referral' && e.role === 'receiving_organisation');
  assert(viaLink.some((e) => e.action === 'read') && viaLink.some((e) => e.action === 'update'), `link reads and update audited: ${JSON.stringify(viaLink.map((e) => e.action))}`);
  // Links are kept as hashes only.
  const q = sql(srv.db, `SELECT link_hash FROM referral WHERE id = '${ref.id}'`);
  assert(!q.stdout.includes(token), 'no token stored');
});

test('a referral quiet past the follow-up days is on the team\'s follow-up list until someone updates it; other teams never see it', async () => {
  const svc = await service();
  const person = await enrolled();
  const ref = (await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing' })).json;
  let f = await peer.get('/api/v1/referrals?view=follow_up');
  eq(f.status, 200, f.text.slice(0, 200));
  assert(!f.json.items.some((i) => i.id === ref.id), 'not yet');
  const eight = 8 * 86400000;
  const r0 = sql(srv.db, `UPDATE referral SET status_at = status_at - ${eight} WHERE id = '${ref.id}'`);
  eq(r0.status, 0, r0.stderr);
  f = await peer.get('/api/v1/referrals?view=follow_up');
  eq(f.status, 200, f.text.slice(0, 300));
  const item = f.json.items.find((i) => i.id === ref.id);
  assert(item, 'on the list after 8 quiet days');
  eq(item.person_name, person.preferred_name, 'whose');
  assert(!(await south.get('/api/v1/referrals?view=follow_up')).json.items.some((i) => i.id === ref.id), 'not another team\'s');
  eq((await admin.get('/api/v1/referrals?view=follow_up')).status, 403, 'no roster, no list');
  const u = await peer.post(`/api/v1/referrals/${ref.id}/status`, { status: 'accepted' }, ifm(1));
  eq(u.status, 200, u.text.slice(0, 200));
  f = await peer.get('/api/v1/referrals?view=follow_up');
  assert(!f.json.items.some((i) => i.id === ref.id), 'off the list once updated');
});

test('the person\'s words are sealed in the database', async () => {
  const svc = await service();
  const person = await enrolled();
  const words = `Quietly hoping for a garden ${Date.now()}`;
  const ref = (await peer.post(`/api/v1/people/${person.id}/referrals`, { service_id: svc.id, category: 'housing', reason: words })).json;
  const q = sql(srv.db, `SELECT reason FROM referral WHERE id = '${ref.id}'`);
  eq(q.status, 0, q.stderr);
  assert(q.stdout.trim().startsWith('enc1:') && !q.stdout.includes(words), 'sealed');
  eq((await peer.get(`/api/v1/referrals/${ref.id}`)).json.reason, words, 'opens for staff');
});
