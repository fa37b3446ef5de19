// Plans the person writes: the structure of each kind, strict content
// checks, versions that freeze when signed, signatures the rules require
// (data/plan-rules.json, Pennsylvania), review dates, progress entries,
// copies, and psychiatric advance directives under the state's rules
// (data/advance-directive.json, Illinois 755 ILCS 43): witnesses, agents,
// execution, expiry, invocation and revocation, each refusal naming its
// rule. Runs on both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import {
  expectProblem, expectFields, expectNoEcho, createPerson, EPISODE, expectNo5xx, auditOf, sql,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const sup = await signedIn(srv.url, 'super.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const etag = (r) => r.headers.get('etag');
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const today = () => new Date().toISOString().slice(0, 10);

// d plus months, clamped to the month's last day (as the server does).
function addMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(d, last));
  return t.toISOString().slice(0, 10);
}

const GOAL_WORDS = '  I want my own place, with a door  that locks. ';
function recoveryContent() {
  return {
    life_areas: ['home', 'housing-instability'],
    strengths: ['I keep going', '', 'My sister'],
    goals: [{
      words: GOAL_WORDS,
      life_area: 'home',
      lifecycle_status: 'active',
      objectives: [{ what: 'Apply for housing', measure: 'Applications sent', target: '3 by spring', due: '2027-03-01' }],
      steps: [
        { what: 'Call the housing office', who: 'person', by: '2026-12-15' },
        { what: 'Drive me to the viewing', who: 'support', support_name: 'Aunt Marigold Testwell' },
      ],
    }, {
      words: 'Go back to choir on Sundays',
      lifecycle_status: 'proposed',
    }],
  };
}

async function newPlan(client, personId, body, what = 'create plan') {
  const r = await client.post(`/api/v1/people/${personId}/plans`, body);
  eq(r.status, 201, `${what} (${r.text.slice(0, 400)})`);
  return r;
}

test('GET /api/v1/plan-kinds: seven kinds, their structure, the code lists and the rules in force', async () => {
  const r = await peer.get('/api/v1/plan-kinds');
  eq(r.status, 200, 'status');
  const kinds = r.json.kinds.map((k) => k.kind);
  eq(JSON.stringify(kinds), JSON.stringify(['recovery', 'wellness', 'crisis', 'family-crisis',
    'recovery-management', 'advance-directive', 'community-integration']), 'kinds in order');
  const areas = r.json.lists.life_area.items.map((i) => i.code);
  for (const c of ['health', 'home', 'purpose', 'community', 'food-insecurity', 'homelessness', 'incarceration-status']) {
    assert(areas.includes(c), `life area ${c}`);
  }
  eq(r.json.lists.goal_lifecycle.items.length, 9, 'FHIR goal lifecycle codes');
  eq(r.json.lists.goal_achievement.items.length, 9, 'FHIR goal achievement codes');
  const rec = r.json.rules.recovery;
  eq(JSON.stringify(rec.signers.map((s) => s.role)), '["person","peer","professional"]', 'recovery signers');
  eq(JSON.stringify(rec.signers.map((s) => s.staff_roles)), '[[],["peer"],["supervisor"]]', 'which staff role signs as which');
  assert(/43\/10/.test(r.json.advance_directive.valid_rule), 'the directive rules carry their citations');
  eq(rec.review_months, 6, 'reviewed every 6 months');
  eq(rec.first_due_months_after_enrollment, 1, 'due within a month of enrollment');
  assert(/OMHSAS 09-07/.test(rec.rule), 'the rule names its source');
  const ad = r.json.advance_directive;
  eq(ad.state, 'IL', 'Illinois');
  eq(ad.witness_count, 2, 'two witnesses');
  eq(ad.valid_years, 3, 'valid three years');
  assert(ad.witness_disqualifications.some((s) => s.code === 'related_to_principal'), 'a witness related to the person is disqualified');
  const wellness = r.json.kinds.find((k) => k.kind === 'wellness');
  const crisis = wellness.fields.find((f) => f.key === 'crisis');
  eq(crisis.fields.length, 9, 'the crisis section has nine parts');
  assert(wellness.fields.some((f) => f.key === 'post_crisis'), 'a post-crisis section');
  for (const k of r.json.kinds) {
    assert(!/\bWRAP\b/.test(JSON.stringify(k)), `${k.kind}: no trademark in labels`);
    assert(!/relapse|addict|non-compliant/i.test(JSON.stringify(k)), `${k.kind}: recovery-oriented words`);
  }
});

test('creating a recovery plan: 201, Location, ETag; content kept in the structure\'s order, empty values dropped, the person\'s words verbatim, ids given', async () => {
  const person = await createPerson(peer);
  const r = await newPlan(peer, person.id, { kind: 'recovery', title: 'Home and choir', content: recoveryContent() });
  const p = r.json;
  eq(r.headers.get('location'), `/api/v1/plans/${p.id}`, 'Location');
  eq(etag(r), '"1"', 'ETag');
  eq(p.kind, 'recovery', 'kind');
  eq(p.status, 'draft', 'a draft');
  eq(p.latest, 1, 'version 1');
  eq(p.in_force, null, 'nothing in force yet');
  eq(p.current.status, 'draft', 'version status');
  const c = p.current.content;
  eq(JSON.stringify(Object.keys(c)), '["life_areas","strengths","goals"]', 'keys in the structure\'s order');
  eq(JSON.stringify(c.strengths), '["I keep going","My sister"]', 'the empty strength dropped');
  eq(c.goals[0].words, GOAL_WORDS, 'the goal in the person\'s words, exactly');
  assert(/^[0-9a-f-]{36}$/.test(c.goals[0].id) && /^[0-9a-f-]{36}$/.test(c.goals[1].id), 'goals get ids');
  assert(c.goals[0].id !== c.goals[1].id, 'distinct ids');
  assert(c.goals[0].steps.every((s) => /^[0-9a-f-]{36}$/.test(s.id)), 'steps get ids');
  eq(c.goals[0].objectives[0].id, undefined, 'objectives take no id');
  eq(JSON.stringify(p.needs.map((n) => n.role)), '["person","peer","professional"]', 'who must sign');
  const g = await peer.get(`/api/v1/plans/${p.id}`);
  eq(g.status, 200, 'read');
  eq(JSON.stringify(g.json.current.content), JSON.stringify(c), 'read back the same');
});

test('the kind may be given in the query; a missing, unknown or disagreeing kind is a 400 naming kind', async () => {
  const person = await createPerson(peer);
  const r = await peer.post(`/api/v1/people/${person.id}/plans?kind=crisis`, {});
  eq(r.status, 201, 'kind from the query');
  eq(r.json.kind, 'crisis', 'crisis plan');
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans`, {}), ['kind'], { exact: true, what: 'no kind' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans`, { kind: 'treatment' }), ['kind'], { what: 'unknown kind' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans?kind=crisis`, { kind: 'wellness' }), ['kind'], { what: 'disagreeing kinds' });
});

test('content is checked strictly against the kind\'s structure, every bad field named, nothing written', async () => {
  const person = await createPerson(peer);
  const secret = 'Zanzibarian-secret-words';
  const bad = {
    kind: 'recovery',
    content: {
      life_areas: ['home', 'not-an-area'],
      strengths: 'one string',
      diagnosis: secret,
      goals: [
        { lifecycle_status: 'active' },
        { words: 'x'.repeat(1001), lifecycle_status: 'finished', objectives: [{ what: 'a', measure: 'b', target: 'c', due: '2026-02-30' }] },
        { words: 'ok', lifecycle_status: 'active', steps: [{ what: 'ask', who: 'support' }], id: 'not-an-id' },
      ],
    },
  };
  const r = await peer.post(`/api/v1/people/${person.id}/plans`, bad);
  expectFields(r, [
    'content.life_areas[1]', 'content.strengths', 'content.diagnosis', 'content.goals[0].words',
    'content.goals[1].words', 'content.goals[1].lifecycle_status', 'content.goals[1].objectives[0].due',
    'content.goals[2].id', 'content.goals[2].steps[0].support_name',
  ], { exact: true });
  expectNoEcho(r, secret);
  const list = await peer.get(`/api/v1/people/${person.id}/plans`);
  eq(list.json.items.length, 0, 'no plan was written');
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans`, { kind: 'recovery', content: [] }),
    ['content'], { what: 'content must be an object' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans`, { kind: 'crisis', content: { supporters: { people: [{ phone: '555' }] } } }),
    ['content.supporters.people[0].name'], { exact: true, what: 'a nested required field' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans`, { kind: 'recovery', title: 'a\u0007b' }),
    ['title'], { what: 'control characters in the title' });
});

test('editing a draft: If-Match required, stale refused, item ids kept when sent back, repeated ids refused', async () => {
  const person = await createPerson(peer);
  const p = (await newPlan(peer, person.id, { kind: 'recovery', content: recoveryContent() })).json;
  const content = p.current.content;
  expectProblem(await peer.patch(`/api/v1/plans/${p.id}`, { title: 'x' }), 428, 'no If-Match');
  content.goals[1].words = 'Sing in the choir again';
  let r = await peer.patch(`/api/v1/plans/${p.id}`, { content }, ifm(1));
  eq(r.status, 200, `edit (${r.text.slice(0, 300)})`);
  eq(etag(r), '"2"', 'new ETag');
  eq(r.json.current.content.goals[1].words, 'Sing in the choir again', 'changed');
  eq(r.json.current.content.goals[1].id, content.goals[1].id, 'the goal kept its id');
  r = await peer.patch(`/api/v1/plans/${p.id}`, { title: '   ' }, ifm(2));
  eq(r.json.title, null, 'a blank title is no title');
  r = await peer.patch(`/api/v1/plans/${p.id}`, { title: 'Home' }, ifm(3));
  eq(r.json.title, 'Home', 'a title');
  eq(r.json.latest, 1, 'still version 1: a draft changes in place');
  const stale = await peer.patch(`/api/v1/plans/${p.id}`, { title: 'late' }, ifm(1));
  const sp = expectProblem(stale, 412, 'stale');
  eq(sp.current_version, 4, 'names the current version');
  const twice = structuredClone(content);
  twice.goals[1].id = twice.goals[0].id;
  expectFields(await peer.patch(`/api/v1/plans/${p.id}`, { content: twice }, ifm(4)), ['content.goals[1].id'], { exact: true, what: 'a repeated id' });
  expectFields(await peer.patch(`/api/v1/plans/${p.id}`, {}, ifm(4)), ['body'], { what: 'nothing to change' });
  expectFields(await peer.patch(`/api/v1/plans/${p.id}`, { kind: 'crisis' }, ifm(4)), ['kind'], { what: 'kind is read-only' });
  r = await peer.patch(`/api/v1/plans/${p.id}`, { copies: [{ holder: 'Aunt Marigold Testwell', relationship: 'aunt', given_on: '2026-11-01' }] }, ifm(4));
  eq(r.status, 200, 'copies');
  eq(r.json.copies.length, 1, 'one copy holder');
  expectFields(await peer.patch(`/api/v1/plans/${p.id}`, { copies: [{ holder: '' }, { holder: 'B', given_on: '2999-01-01' }] }, ifm(5)),
    ['copies[0].holder', 'copies[1].given_on'], { exact: true, what: 'bad copies' });
});

test('signing a recovery plan follows the rules: goals first, the person confirms, staff sign in their own role, the last signature puts it in force with a review date', async () => {
  const person = await createPerson(peer);
  let p = (await newPlan(peer, person.id, { kind: 'recovery', content: { strengths: ['patience'] } })).json;
  let r = await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true }, ifm(1));
  let pr = expectProblem(r, 422, 'no goals yet');
  eq(pr.type, 'urn:alongside:problem:rule', 'a rule problem');
  assert(/OMHSAS/.test(pr.rule), `names the rule (${pr.rule})`);
  eq(pr.errors[0].field, 'content.goals', 'names the field');
  p = (await peer.patch(`/api/v1/plans/${p.id}`, { content: recoveryContent() }, ifm(1))).json;
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson' }, ifm(2)), ['confirmed'], { exact: true, what: 'no confirmation' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', confirmed: true }, ifm(2)), ['typed_name'], { exact: true, what: 'no typed name' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'guardian', typed_name: 'X', confirmed: true }, ifm(2)), ['role'], { exact: true, what: 'no such signer' });
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true }), 428, 'sign needs If-Match');
  r = await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson Quill', confirmed: true }, ifm(2));
  eq(r.status, 200, `the person signs (${r.text.slice(0, 200)})`);
  eq(r.json.status, 'signing', 'being signed');
  eq(r.json.current.status, 'signing', 'the version is frozen');
  eq(r.json.current.signatures[0].typed_name, 'Testperson Quill', 'the typed name');
  eq(r.json.current.signatures[0].signed_by, 'person', 'signed by the person');
  const content = r.json.current.content;
  content.goals[0].words = 'changed after signing';
  const frozen = expectProblem(await peer.patch(`/api/v1/plans/${p.id}`, { content }, ifm(3)), 409, 'content frozen');
  eq(frozen.type, 'urn:alongside:problem:signed-version', 'signed-version problem');
  eq((await peer.patch(`/api/v1/plans/${p.id}`, { title: 'Still can retitle' }, ifm(3))).status, 200, 'the title can change');
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Again', confirmed: true }, ifm(4)), 409, 'the person has signed');
  pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'professional' }, ifm(4)), 422, 'a peer signing as the professional');
  assert(/OMHSAS/.test(pr.rule), 'names the rule');
  r = await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'peer', credential: 'CPRS' }, ifm(4));
  eq(r.status, 200, 'the peer signs');
  eq(r.json.current.signatures[1].typed_name, 'Jordan Lee', 'signed with their own name');
  eq(r.json.current.signatures[1].credential, 'CPRS', 'and credential');
  const before = today();
  r = await sup.post(`/api/v1/plans/${p.id}/sign`, { role: 'professional', credential: 'LCSW' }, ifm(5));
  eq(r.status, 200, 'the supervisor signs as the mental health professional');
  eq(r.json.status, 'signed', 'signed');
  eq(r.json.in_force, 1, 'version 1 in force');
  eq(r.json.current.status, 'signed', 'version signed');
  eq(r.json.needs.length, 0, 'nobody else needs to sign');
  const signedOn = r.json.current.signed_on;
  assert(signedOn === before || signedOn === today(), `signed today (${signedOn})`);
  eq(r.json.review_due, addMonths(signedOn, 6), 'review due in 6 months');
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'peer' }, ifm(6)), 409, 'a signed version takes no more signatures');
});

test('a new version starts as a draft copy; the signed one stays in force; history keeps both; a draft cannot start another', async () => {
  const person = await createPerson(peer);
  let p = (await newPlan(peer, person.id, { kind: 'crisis', content: { help_from_others: { helps: ['quiet room'] } } })).json;
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/versions`, undefined, ifm(1)), 409, 'a draft cannot start a new version');
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true }, ifm(1))).json;
  eq(p.status, 'signed', 'the person\'s signature is all a crisis plan needs');
  let late = await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'peer' }, ifm(p.version));
  eq(late.status, 200, `the optional peer signature may follow (${late.text.slice(0, 200)})`);
  eq(late.json.status, 'signed', 'still signed');
  eq(late.json.current.signatures.length, 2, 'two signatures');
  p = late.json;
  late = await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'peer' }, ifm(p.version));
  expectProblem(late, 409, 'the peer has signed');
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/versions`), 428, 'If-Match needed');
  let r = await peer.post(`/api/v1/plans/${p.id}/versions`, undefined, ifm(p.version));
  eq(r.status, 201, `new version (${r.text.slice(0, 200)})`);
  eq(r.json.latest, 2, 'version 2');
  eq(r.json.current.status, 'draft', 'a draft');
  eq(r.json.status, 'revising', 'revising while version 1 stays in force');
  eq(r.json.in_force, 1, 'version 1 in force');
  eq(JSON.stringify(r.json.current.content), JSON.stringify(p.current.content), 'a copy of version 1');
  const c2 = { help_from_others: { helps: ['quiet room', 'a walk with my dog'] } };
  r = await peer.patch(`/api/v1/plans/${p.id}`, { content: c2 }, ifm(r.json.version));
  eq(r.status, 200, 'edit version 2');
  const vs = await peer.get(`/api/v1/plans/${p.id}/versions`);
  eq(vs.status, 200, 'versions');
  eq(JSON.stringify(vs.json.items.map((v) => [v.n, v.status])), '[[2,"draft"],[1,"signed"]]', 'newest first');
  eq(vs.json.items[0].content, undefined, 'the list carries no content');
  eq(vs.json.items[1].signatures.length, 2, 'version 1 signatures');
  const v1 = await peer.get(`/api/v1/plans/${p.id}/versions/1`);
  eq(v1.status, 200, 'version 1');
  eq(JSON.stringify(v1.json.content.help_from_others.helps), '["quiet room"]', 'version 1 as signed');
  eq(v1.json.kind, 'crisis', 'with its kind');
  const v2 = await peer.get(`/api/v1/plans/${p.id}/versions/2`);
  eq(v2.json.content.help_from_others.helps.length, 2, 'version 2 as edited');
  for (const n of ['3', '0', 'x', '99999999999']) {
    expectProblem(await peer.get(`/api/v1/plans/${p.id}/versions/${n}`), 404, `version ${n}`);
  }
});

test('a version partly signed and then replaced is superseded and takes no more signatures', async () => {
  const person = await createPerson(peer);
  let p = (await newPlan(peer, person.id, { kind: 'recovery', content: recoveryContent() })).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true }, ifm(1))).json;
  const r = await peer.post(`/api/v1/plans/${p.id}/versions`, undefined, ifm(p.version));
  eq(r.status, 201, 'a new version while signing');
  eq(r.json.status, 'draft', 'no version was ever in force');
  const vs = (await peer.get(`/api/v1/plans/${p.id}/versions`)).json.items;
  eq(vs[1].status, 'superseded', 'version 1 superseded');
  eq(r.json.current.signatures.length, 0, 'version 2 has no signatures');
  eq(JSON.stringify(r.json.needs.map((n) => n.role)), '["person","peer","professional"]', 'all three needed again');
});

test('progress entries on goals, dated, with who wrote them, kept outside the versions', async () => {
  const person = await createPerson(peer);
  let p = (await newPlan(peer, person.id, { kind: 'recovery', content: recoveryContent() })).json;
  const goal = p.current.content.goals[0];
  const step = goal.steps[0];
  let r = await peer.post(`/api/v1/plans/${p.id}/progress`, { item_id: goal.id, entry_date: today(), note: 'Sent two applications.', achievement_status: 'improving' });
  eq(r.status, 201, `progress (${r.text.slice(0, 200)})`);
  eq(r.json.author_name, 'Jordan Lee', 'who wrote it');
  eq(r.json.achievement_status, 'improving', 'status');
  expectFields(await peer.post(`/api/v1/plans/${p.id}/progress`, { item_id: step.id, entry_date: today(), note: 'x' }), ['item_id'], { exact: true, what: 'a step takes no progress' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/progress`, { item_id: goal.id, entry_date: '2999-01-01', note: '', achievement_status: 'done' }),
    ['entry_date', 'note', 'achievement_status'], { exact: true, what: 'bad entry' });
  p = (await peer.get(`/api/v1/plans/${p.id}`)).json;
  eq(p.progress.length, 1, 'listed on the plan');
  eq(p.progress[0].item_id, goal.id, 'on the goal');
  expectProblem(await south.post(`/api/v1/plans/${p.id}/progress`, { item_id: goal.id, entry_date: today(), note: 'x' }), 404, 'another team');
});

test('the recovery plan is due within a month of enrollment until one is signed', async () => {
  const person = await createPerson(peer);
  let list = await peer.get(`/api/v1/people/${person.id}/plans`);
  eq(list.json.due.length, 0, 'nothing due before enrollment');
  const ep = await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE);
  eq(ep.status, 201, 'enrolled');
  list = await peer.get(`/api/v1/people/${person.id}/plans`);
  eq(list.json.due.length, 1, 'one plan due');
  eq(list.json.due[0].kind, 'recovery', 'the recovery plan');
  eq(list.json.due[0].due_on, addMonths(EPISODE.intake_date, 1), 'a month after intake');
  assert(/OMHSAS/.test(list.json.due[0].rule), 'naming the rule');
  let p = (await newPlan(peer, person.id, { kind: 'recovery', content: recoveryContent() })).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'T', confirmed: true }, ifm(1))).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'peer' }, ifm(p.version))).json;
  p = (await sup.post(`/api/v1/plans/${p.id}/sign`, { role: 'professional' }, ifm(p.version))).json;
  eq(p.status, 'signed', 'signed');
  list = await peer.get(`/api/v1/people/${person.id}/plans`);
  eq(list.json.due.length, 0, 'nothing due once signed');
  eq(list.json.items.length, 1, 'the plan listed');
  eq(list.json.items[0].review_due, p.review_due, 'with its review date');
  const only = await peer.get(`/api/v1/people/${person.id}/plans?kind=crisis`);
  eq(only.json.items.length, 0, 'filtered by kind');
  expectFields(await peer.get(`/api/v1/people/${person.id}/plans?kind=x&limit=0&after=y&z=1`), ['kind', 'limit', 'after', 'query'], { exact: true, what: 'bad query' });
});

const WITNESS_OK = { knows_principal: true, signed_in_presence: true, sound_mind_free_of_duress: true, adult: true,
  provider_or_relative: false, facility_owner_or_relative: false, related_to_principal: false };
const AGENT_OK = { provider_or_employee: false, facility_owner_operator_or_employee: false, related_to_principal: false };

async function executedDirective() {
  const person = await createPerson(peer);
  let p = (await newPlan(peer, person.id, {
    kind: 'advance-directive',
    content: {
      medications: { choice: 'consent', consent_list: ['the one that worked in 2024'], refuse_list: ['one that made me ill'] },
      ect: { choice: 'refuse' },
      attorney_in_fact: { name: 'Rosalind Testagent', phone: '555-0100' },
    },
  })).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true }, ifm(1))).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'Wendell Testwitness', address: '1 Elm St', confirmed: true, answers: WITNESS_OK }, ifm(p.version))).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'Winifred Testwitness', address: '2 Elm St', confirmed: true, answers: WITNESS_OK }, ifm(p.version))).json;
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'attorney_in_fact', typed_name: 'Rosalind Testagent', confirmed: true, answers: AGENT_OK }, ifm(p.version))).json;
  eq(p.status, 'executed', 'executed');
  return p;
}

test('an advance directive is executed by the principal, two eligible witnesses and the agent it names; each refusal names its Illinois rule', async () => {
  const person = await createPerson(peer);
  let p = (await newPlan(peer, person.id, {
    kind: 'advance-directive',
    content: { facility: { choice: 'no-preference', avoid: ['Ward 9'] }, attorney_in_fact: { name: 'Rosalind Testagent' } },
  })).json;
  eq(JSON.stringify(p.needs.map((n) => [n.role, n.count])), '[["person",1],["witness",2],["attorney_in_fact",1]]', 'who must sign');
  let pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'W', address: 'a', confirmed: true, answers: WITNESS_OK }, ifm(1)), 422, 'a witness before the principal');
  assert(/43\/20/.test(pr.rule), `names 43/20 (${pr.rule})`);
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'person', typed_name: 'Testperson', confirmed: true }, ifm(1))).json;
  eq(p.status, 'signing', 'being signed');
  const related = { ...WITNESS_OK, related_to_principal: true };
  pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'Cousin Testkin', address: 'a', confirmed: true, answers: related }, ifm(p.version)), 422, 'a related witness');
  assert(/43\/65/.test(pr.rule), `names 43/65 (${pr.rule})`);
  eq(pr.errors[0].field, 'answers.related_to_principal', 'names the answer');
  const unsure = { ...WITNESS_OK, sound_mind_free_of_duress: false };
  pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'W', address: 'a', confirmed: true, answers: unsure }, ifm(p.version)), 422, 'an attestation not affirmed');
  assert(/43\/20/.test(pr.rule), 'names 43/20');
  const partial = { ...WITNESS_OK };
  delete partial.adult;
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'W', address: 'a', confirmed: true, answers: { ...partial, extra_code: true } }, ifm(p.version)),
    ['answers.adult', 'answers.extra_code'], { exact: true, what: 'unanswered and unknown statements' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'W', confirmed: true, answers: WITNESS_OK }, ifm(p.version)),
    ['address'], { exact: true, what: 'a witness gives an address' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'W', address: 'a', confirmed: true, answers: { adult: 'yes' } }, ifm(p.version)),
    ['answers.adult'], { what: 'answers are true or false' });
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'Wendell Testwitness', address: '1 Elm St', confirmed: true, answers: WITNESS_OK }, ifm(p.version))).json;
  eq(p.current.signatures[1].affirmed.length, 4, 'the attestations recorded');
  eq(p.current.signatures[1].denied.length, 3, 'and the disqualifications denied');
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'wendell testwitness', address: '1 Elm St', confirmed: true, answers: WITNESS_OK }, ifm(p.version)),
    ['typed_name'], { exact: true, what: 'the same witness twice' });
  p = (await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'Winifred Testwitness', address: '2 Elm St', confirmed: true, answers: WITNESS_OK }, ifm(p.version))).json;
  eq(p.status, 'signing', 'the agent has not accepted yet');
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'witness', typed_name: 'Third', address: 'x', confirmed: true, answers: WITNESS_OK }, ifm(p.version)), 409, 'a third witness');
  expectFields(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'alternate_attorney_in_fact', typed_name: 'X', confirmed: true, answers: AGENT_OK }, ifm(p.version)), ['role'], { what: 'no alternate named' });
  pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'attorney_in_fact', typed_name: 'Rosalind Testagent', confirmed: true, answers: { ...AGENT_OK, provider_or_employee: true } }, ifm(p.version)), 422, 'an agent who works for the provider');
  assert(/43\/60/.test(pr.rule), `names 43/60 (${pr.rule})`);
  const before = today();
  const r = await peer.post(`/api/v1/plans/${p.id}/sign`, { role: 'attorney_in_fact', typed_name: 'Rosalind Testagent', confirmed: true, answers: { ...AGENT_OK, provider_or_employee: true, related_to_principal: true } }, ifm(p.version));
  eq(r.status, 200, `a relative who works for the provider may act (${r.text.slice(0, 300)})`);
  p = r.json;
  eq(p.status, 'executed', 'executed');
  assert(p.executed_on === before || p.executed_on === today(), 'executed on the principal\'s signing day');
  eq(p.expires_on, addMonths(p.executed_on, 36), 'valid three years');
  eq(p.rules_version, 'IL-2026.1', 'the rules that shaped it');
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/versions`, undefined, ifm(p.version)), 409, 'an executed directive takes no new version');
});

test('an executed directive is invoked, restored and revoked under the state\'s rules; it expires three years on', async () => {
  let p = await executedDirective();
  expectFields(await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'invoked', on_date: today(), basis: 'a-feeling' }, ifm(p.version)), ['basis'], { what: 'an unknown basis' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'paused', on_date: '2026-13-01' }, ifm(p.version)), ['event', 'on_date'], { exact: true, what: 'bad event' });
  expectFields(await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'invoked', on_date: '2020-01-01', basis: 'court' }, ifm(p.version)), ['on_date'], { what: 'before it was executed' });
  let r = await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'invoked', on_date: today(), basis: 'two_physicians' }, ifm(p.version));
  eq(r.status, 200, `invoked (${r.text.slice(0, 200)})`);
  p = r.json;
  eq(p.status, 'invoked', 'invoked');
  eq(p.events[0].basis, 'two_physicians', 'the basis recorded');
  let pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'revoked', on_date: today(), principal_typed_name: 'T', physician: 'Dr Testdoc' }, ifm(p.version)), 422, 'revoked while invoked');
  assert(/43\/50/.test(pr.rule), `names 43/50 (${pr.rule})`);
  p = (await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'capacity-restored', on_date: today() }, ifm(p.version))).json;
  eq(p.status, 'executed', 'back to executed');
  pr = expectProblem(await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'revoked', on_date: today(), principal_typed_name: 'Testperson' }, ifm(p.version)), 422, 'revoked without a physician');
  assert(/43\/50/.test(pr.rule), 'names 43/50');
  eq(pr.errors[0].field, 'physician', 'names the physician');
  r = await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'revoked', on_date: today(), principal_typed_name: 'Testperson', physician: 'Dr Testdoc', delivered_on: today() }, ifm(p.version));
  eq(r.status, 200, 'revoked');
  eq(r.json.status, 'revoked', 'revoked');
  expectProblem(await peer.post(`/api/v1/plans/${p.id}/events`, { event: 'invoked', on_date: today(), basis: 'court' }, ifm(r.json.version)), 409, 'a revoked directive is not invoked');
  const crisis = (await newPlan(peer, p.person_id, { kind: 'crisis' })).json;
  expectFields(await peer.post(`/api/v1/plans/${crisis.id}/events`, { event: 'invoked', on_date: today(), basis: 'court' }, ifm(1)), ['event'], { what: 'only directives' });

  // Three years on (the end date moved into the past in the database).
  const old = await executedDirective();
  const q = sql(srv.db, `UPDATE plan SET expires_on = '2020-01-01' WHERE id = '${old.id}'`);
  eq(q.status, 0, `set the end date (${q.stderr})`);
  const g = await peer.get(`/api/v1/plans/${old.id}`);
  eq(g.json.status, 'expired', 'expired');
  pr = expectProblem(await peer.post(`/api/v1/plans/${old.id}/events`, { event: 'invoked', on_date: today(), basis: 'court' }, ifm(g.json.version)), 422, 'invoked after it expired');
  assert(/43\/10/.test(pr.rule), `names 43/10 (${pr.rule})`);
});

test('every kind takes content in its own structure', async () => {
  const person = await createPerson(peer);
  const bodies = {
    wellness: { toolbox: ['music'], daily: { when_well: ['curious'], must_do: ['walk'] }, crisis: { supporters: { people: [{ name: 'Harriet Testfriend', phone: '555-0101' }], not_involved: [{ name: 'Someone Testavoid' }] }, facilities: { avoid: ['Ward 9'] } }, post_crisis: { over_signs: ['sleeping again'] } },
    'family-crisis': { family_members: [{ name: 'Parent Testfamily', relationship: 'mother' }], what_helps: ['drawing'], who_to_call: [{ name: 'Grandma Testfamily', phone: '555-0102' }] },
    'recovery-management': { triggers: ['payday'], coping_steps: ['call my sponsor'], if_return_to_use: ['tell someone the same day'], people_to_call: [{ name: 'Sponsor Testperson', phone: '555-0103' }] },
    'community-integration': { my_picture: 'Volunteering at the library.', milestones: [{ what: 'Take the bus alone', domain: 'transportation', status: 'working-on-it', target_date: '2027-01-31' }] },
  };
  for (const [kind, content] of Object.entries(bodies)) {
    const r = await newPlan(peer, person.id, { kind, content }, kind);
    eq(r.json.kind, kind, `${kind} kind`);
    eq(JSON.stringify(Object.keys(r.json.current.content).sort()), JSON.stringify(Object.keys(content).sort()), `${kind} content kept`);
  }
  const ci = (await peer.get(`/api/v1/people/${person.id}/plans?kind=community-integration`)).json.items[0];
  const plan = (await peer.get(`/api/v1/plans/${ci.id}`)).json;
  const m = plan.current.content.milestones[0];
  const r = await peer.post(`/api/v1/plans/${ci.id}/progress`, { item_id: m.id, entry_date: today(), note: 'Rode the 12 bus to the library.' });
  eq(r.status, 201, 'progress on a milestone');
  expectFields(await peer.post(`/api/v1/people/${person.id}/plans`, { kind: 'community-integration', content: { milestones: [{ what: 'x', domain: 'flying', status: 'working-on-it' }] } }),
    ['content.milestones[0].domain'], { exact: true, what: 'a domain outside its list' });
  const all = await peer.get(`/api/v1/people/${person.id}/plans?limit=2`);
  eq(all.json.items.length, 2, 'a page of two');
  assert(all.json.next, 'a next cursor');
  const rest = await peer.get(`/api/v1/people/${person.id}/plans?limit=200&after=${all.json.next}`);
  eq(rest.json.items.length, 2, 'the rest');
});

test('plans are reached through the team\'s roster: another team gets 404, roles without a roster 403, and every read and write is audited', async () => {
  const person = await createPerson(peer);
  const p = (await newPlan(peer, person.id, { kind: 'recovery', content: recoveryContent() })).json;
  for (const [c, status, who] of [[south, 404, 'another team'], [admin, 403, 'an administrator'], [privacy, 403, 'the privacy officer']]) {
    expectProblem(await c.get(`/api/v1/plans/${p.id}`), status, `${who} reads`);
    expectProblem(await c.get(`/api/v1/plans/${p.id}/versions`), status, `${who} lists versions`);
    expectProblem(await c.get(`/api/v1/people/${person.id}/plans`), status, `${who} lists plans`);
    expectProblem(await c.patch(`/api/v1/plans/${p.id}`, { title: 'x' }, ifm(1)), status, `${who} changes`);
    expectProblem(await c.post(`/api/v1/plans/${p.id}/sign`, { role: 'peer' }, ifm(1)), status, `${who} signs`);
    expectProblem(await c.post(`/api/v1/people/${person.id}/plans`, { kind: 'crisis' }), status, `${who} creates`);
  }
  expectProblem(await peer.get('/api/v1/plans/01900000-0000-7000-8000-000000000000'), 404, 'no such plan');
  expectProblem(await peer.get('/api/v1/plans/not-an-id'), 404, 'not an id');
  eq((await peer.get(`/api/v1/plans/${p.id}/versions`)).status, 200, 'versions');
  eq((await peer.get(`/api/v1/people/${person.id}/plans`)).status, 200, 'list');
  eq((await peer.get(`/api/v1/plans/${p.id}/versions/1`)).status, 200, 'version 1');
  const entries = (await auditOf(privacy, person.id)).filter((e) => e.object_type === 'plan');
  const actions = new Set(entries.map((e) => `${e.action}:${e.outcome}`));
  for (const a of ['create:success', 'read:success', 'versions:success', 'list:success', 'update:denied', 'sign:denied']) {
    assert(actions.has(a), `audited ${a} (${[...actions].join(', ')})`);
  }
  assert(entries.every((e) => !JSON.stringify(e).includes('own place')), 'no plan text in the audit log');
});

test('the demo holds signed plans, and peer contact minutes per month that fall as a person needs peer support less', async () => {
  const roster = (await peer.get('/api/v1/people?status=active&limit=200')).json.items;
  let found = null;
  for (const p of roster) {
    const plans = (await peer.get(`/api/v1/people/${p.id}/plans`)).json.items;
    if (plans.some((x) => x.kind === 'community-integration')) { found = { person: p, plans }; break; }
  }
  assert(found, 'a demo person with a community integration plan');
  const rec = found.plans.find((x) => x.kind === 'recovery');
  eq(rec.status, 'signed', 'their recovery plan is signed');
  const r = await peer.get(`/api/v1/people/${found.person.id}/peer-minutes`);
  eq(r.status, 200, 'minutes');
  eq(r.json.items.length, 12, 'twelve months');
  const months = r.json.items.map((m) => m.month);
  eq(months[11], today().slice(0, 7), 'ending this month');
  eq(JSON.stringify([...months].sort()), JSON.stringify(months), 'oldest first');
  const first = r.json.items.slice(0, 3).reduce((a, m) => a + m.minutes, 0);
  const last = r.json.items.slice(8, 11).reduce((a, m) => a + m.minutes, 0);
  assert(first > last, `fewer minutes later in the year (${first} then ${last})`);
  assert(r.json.items.every((m) => Number.isInteger(m.minutes) && Number.isInteger(m.contacts)), 'whole numbers');
  const three = await peer.get(`/api/v1/people/${found.person.id}/peer-minutes?months=3`);
  eq(JSON.stringify(three.json.items), JSON.stringify(r.json.items.slice(9)), 'the last three months');
  const fresh = await createPerson(peer);
  const none = await peer.get(`/api/v1/people/${fresh.id}/peer-minutes?months=36`);
  eq(none.json.items.length, 36, 'thirty-six months');
  assert(none.json.items.every((m) => m.minutes === 0 && m.contacts === 0), 'no contacts, no minutes');
  expectFields(await peer.get(`/api/v1/people/${fresh.id}/peer-minutes?months=37&x=1`), ['months', 'query'], { exact: true, what: 'bad query' });
  expectProblem(await south.get(`/api/v1/people/${fresh.id}/peer-minutes`), 404, 'another team');
  expectProblem(await admin.get(`/api/v1/people/${fresh.id}/peer-minutes`), 403, 'an administrator');
});

test('no request in this file was answered with a 5xx', () => expectNo5xx(srv));
