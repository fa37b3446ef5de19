// Peer groups: a group of a team with a curriculum from data/groups.json,
// its roster, and sessions documented once: one shared narrative, the
// facilitators, and each attendee's own note. Signing a session lands a
// signed "group" contact in each attendee's record, billed with the group
// modifier, within the payer's group size. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, createPerson, EPISODE, expectNo5xx, auditOf } from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const peer2 = await signedIn(srv.url, 'peer.north2', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const HOUR = 3600000;

function hoursAgo(n, plusMinutes = 0) {
  const t = Math.floor((Date.now() - n * HOUR) / 60000) * 60000 + plusMinutes * 60000;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

let groupSerial = 0;
async function newGroup(extra = {}) {
  groupSerial++;
  const r = await peer.post('/api/v1/groups', {
    team: 'north', name: `Tuesday wellness ${groupSerial}`, curriculum: 'wellness_coaching',
    setting: 'community_mental_health_center', location: 'Room 2', ...extra,
  });
  eq(r.status, 201, `group (${r.text.slice(0, 300)})`);
  return r.json;
}

// An enrolled person of the north team with a recovery plan goal.
async function attendee(extra = {}) {
  const person = await createPerson(peer, extra);
  eq((await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE)).status, 201, 'enrolled');
  const plan = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery',
    content: { goals: [{ words: 'Sleep through the night', lifecycle_status: 'active' }] },
  });
  eq(plan.status, 201, 'plan');
  return { person, goal: plan.json.current.content.goals[0].id };
}

test('the reference lists the group curricula from the rule set, with topics and the payer\'s group size', async () => {
  const r = await peer.get('/api/v1/reference');
  eq(r.status, 200, 'status');
  const codes = r.json.group_curricula.map((c) => c.code);
  for (const c of ['wellness_action_planning', 'dual_recovery', 'twelve_step_facilitation', 'wham', 'wellness_coaching'])
    assert(codes.includes(c), `curriculum ${c} (${codes})`);
  const coaching = r.json.group_curricula.find((c) => c.code === 'wellness_coaching');
  assert(coaching.topics.some((t) => /stress/i.test(t.label)), 'stress management is a topic');
  assert(coaching.source.length > 0, 'with its source');
  eq(r.json.group_size.max_attendees_per_facilitator, 10, 'Virginia: 10 people for each peer specialist');
  assert(typeof r.json.rules_versions.groups === 'string', 'versioned');
});

test('a group: created for a team, listed, read with its roster; names are unique within a team', async () => {
  const g = await newGroup({ description: 'Stress, sleep and healthy leisure.' });
  eq(g.team, 'north', 'the team');
  eq(g.curriculum, 'wellness_coaching', 'the curriculum');
  assert(g.curriculum_label.length > 0, 'its label');
  eq(g.member_count, 0, 'nobody yet');
  eq(g.version, 1, 'version 1');
  const list = await peer.get('/api/v1/groups');
  eq(list.status, 200, 'list');
  assert(list.json.items.some((x) => x.id === g.id), 'listed for the team');
  assert(!(await south.get('/api/v1/groups')).json.items.some((x) => x.id === g.id), 'not for another team');
  expectProblem(await south.get(`/api/v1/groups/${g.id}`), 404, 'another team cannot read it');
  expectFields(await peer.post('/api/v1/groups', { team: 'north', name: g.name, curriculum: 'wham' }), ['name'], { exact: true, what: 'a name taken' });
  expectFields(await peer.post('/api/v1/groups', { team: 'north', name: 'X', curriculum: 'astrology' }), ['curriculum'], { exact: true, what: 'an unknown curriculum' });
  expectFields(await peer.post('/api/v1/groups', { team: 'nowhere', name: 'X', curriculum: 'wham' }), ['team'], { exact: true, what: 'no such team' });
  expectFields(await peer.post('/api/v1/groups', { team: 'north', name: ' ', curriculum: 'wham', max_size: 0 }), ['name', 'max_size'], { what: 'blank name and a zero limit' });
  expectFields(await peer.post('/api/v1/groups', { team: 'north', name: 'X', curriculum: 'wham', diagnosis: 'x' }), ['diagnosis'], { what: 'an unknown field' });
  expectProblem(await admin.post('/api/v1/groups', { team: 'north', name: 'Y', curriculum: 'wham' }), 403, 'administrators have no roster');
  const p = await peer.patch(`/api/v1/groups/${g.id}`, { location: 'Room 3', max_size: 12 }, ifm(1));
  eq(p.status, 200, `patch (${p.text.slice(0, 200)})`);
  eq(p.json.location, 'Room 3', 'changed');
  eq(p.json.max_size, 12, 'its own limit');
  expectProblem(await peer.patch(`/api/v1/groups/${g.id}`, { location: 'Room 4' }, ifm(1)), 412, 'stale version');
  expectFields(await peer.patch(`/api/v1/groups/${g.id}`, { team: 'south' }, ifm(2)), ['team'], { what: 'a group stays with its team' });
});

test('the roster: people of the group\'s team join and leave; the group\'s own limit holds; each change is audited for the person', async () => {
  const g = await newGroup({ max_size: 2 });
  const a = await createPerson(peer);
  const b = await createPerson(peer);
  const c = await createPerson(peer);
  const other = await createPerson(south);
  let r = await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: a.id });
  eq(r.status, 200, `join (${r.text.slice(0, 200)})`);
  eq(r.json.members.length, 1, 'one on the roster');
  eq(r.json.members[0].name, a.preferred_name, 'by name');
  r = await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: a.id });
  eq(r.status, 200, 'joining twice changes nothing');
  eq(r.json.members.length, 1, 'still one');
  eq((await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: b.id })).status, 200, 'second');
  expectFields(await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: c.id }), ['person_id'], { exact: true, what: 'past the group\'s limit of 2' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: other.id }), ['person_id'], { exact: true, what: 'a person of another team' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: 'nope' }), ['person_id'], { exact: true, what: 'not an id' });
  r = await peer.del(`/api/v1/groups/${g.id}/members/${b.id}`);
  eq(r.status, 200, 'leave');
  eq(r.json.members.length, 1, 'one left');
  expectProblem(await peer.del(`/api/v1/groups/${g.id}/members/${b.id}`), 404, 'not on the roster any more');
  eq((await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: c.id })).status, 200, 'room again');
  const audit = await auditOf(privacy, a.id);
  assert(audit.some((x) => x.object_type === 'group' && x.action === 'member_add' && x.object_id === g.id), 'joining is in the person\'s audit trail');
  await peer.get(`/api/v1/groups/${g.id}`);
  const after = await auditOf(privacy, c.id);
  assert(after.some((x) => x.object_type === 'group' && x.action === 'read'), 'reading the roster is audited for each person on it');
});

test('document a group of three once: each attendee gets a signed group note with the HQ modifier, their own response and goal', async () => {
  const g = await newGroup();
  const people = [await attendee(), await attendee(), await attendee()];
  const absent = await attendee();
  for (const x of [...people, absent])
    eq((await peer.post(`/api/v1/groups/${g.id}/members`, { person_id: x.person.id })).status, 200, 'roster');
  // A new session lists the roster, nobody marked present yet.
  let s = await peer.post(`/api/v1/groups/${g.id}/sessions`, { started_at: hoursAgo(4), ended_at: hoursAgo(4, 60), topic: 'Stress management' });
  eq(s.status, 201, `session (${s.text.slice(0, 300)})`);
  eq(s.headers.get('location'), `/api/v1/groups/${g.id}/sessions/${s.json.id}`, 'Location');
  eq(s.json.status, 'draft', 'a draft');
  eq(s.json.attendance.length, 4, 'the roster listed');
  assert(s.json.attendance.every((x) => x.present === false), 'nobody present yet');
  eq(s.json.facilitators.length, 1, 'led by its author');
  eq(s.json.location, 'Room 2', 'the group\'s place by default');
  eq(s.json.size_limit, 10, '10 people for one facilitator');
  // Nobody present: nothing to sign.
  let r = await peer.post(`/api/v1/groups/${g.id}/sessions/${s.json.id}/sign`, undefined, ifm(1));
  let pr = expectProblem(r, 422, 'nobody present');
  assert(pr.errors.some((e) => e.field === 'attendance'), 'names attendance');
  // Three came; the fourth did not. One note is incomplete.
  const attendance = people.map((x, i) => ({
    person_id: x.person.id, present: true,
    note: i === 2 ? '' : `Named one thing that helps when stress builds (${i}).`,
    next_steps: 'Try the breathing exercise twice this week.', goals: [x.goal],
  }));
  attendance.push({ person_id: absent.person.id, present: false });
  r = await peer.patch(`/api/v1/groups/${g.id}/sessions/${s.json.id}`, {
    narrative: 'The group talked about what stress feels like and practised a breathing exercise together.',
    attendance,
  }, ifm(1));
  eq(r.status, 200, `attendance (${r.text.slice(0, 300)})`);
  s = r.json;
  eq(s.present, 3, 'three present');
  const first = s.attendance.find((x) => x.person_id === people[0].person.id);
  eq(first.billing.billing_code, 'H0038', 'H0038');
  eq(JSON.stringify(first.billing.modifiers), '["HQ"]', 'the group modifier, live');
  eq(first.billing.units, 4, '60 minutes are 4 units');
  eq(first.billing.billable, true, 'billable');
  const third = s.attendance.find((x) => x.person_id === people[2].person.id);
  eq(JSON.stringify(third.missing), '["response"]', 'the third note lacks the person\'s response');
  eq(s.attendance.find((x) => x.person_id === absent.person.id).billing, null, 'nothing billed for someone absent');
  r = await peer.post(`/api/v1/groups/${g.id}/sessions/${s.id}/sign`, undefined, ifm(s.version));
  pr = expectProblem(r, 422, 'an incomplete note');
  eq(pr.type, 'urn:alongside:problem:rule', 'a rule problem');
  const idx = s.attendance.findIndex((x) => x.person_id === people[2].person.id);
  eq(JSON.stringify(pr.errors.map((e) => e.field)), JSON.stringify([`attendance[${idx}].note`]), 'names the attendee\'s note');
  // Nothing was written: no contact in anyone's record.
  eq((await peer.get(`/api/v1/people/${people[0].person.id}/contacts`)).json.items.length, 0, 'no partial write');
  expectProblem(await peer2.post(`/api/v1/groups/${g.id}/sessions/${s.id}/sign`, undefined, ifm(s.version)), 422, 'only its author signs');
  const fixed = s.attendance.map((x) => ({ person_id: x.person_id, present: x.present, note: x.note || 'Said the breathing helped a little.', next_steps: x.next_steps, goals: x.goals }));
  s = (await peer.patch(`/api/v1/groups/${g.id}/sessions/${s.id}`, { attendance: fixed }, ifm(s.version))).json;
  r = await peer.post(`/api/v1/groups/${g.id}/sessions/${s.id}/sign`, undefined, ifm(s.version));
  eq(r.status, 200, `signed (${r.text.slice(0, 300)})`);
  s = r.json;
  eq(s.status, 'signed', 'signed');
  // One signed note in each attendee's record, none for the absent person.
  for (const [i, x] of people.entries()) {
    const list = (await peer.get(`/api/v1/people/${x.person.id}/contacts`)).json.items;
    eq(list.length, 1, `one contact for attendee ${i}`);
    const c = (await peer.get(`/api/v1/contacts/${list[0].id}`)).json;
    eq(c.type, 'group', 'a group contact');
    eq(c.status, 'signed', 'signed');
    eq(c.intervention, s.narrative, 'the shared narrative');
    eq(c.response, fixed.find((a) => a.person_id === x.person.id).note, 'their own response');
    eq(c.goals.length, 1, 'their goal');
    eq(c.goals[0].item_id, x.goal, 'their own goal');
    eq(c.minutes, 60, 'the session\'s minutes');
    eq(c.billing.units, 4, '4 units');
    eq(JSON.stringify(c.billing.modifiers), '["HQ"]', 'HQ');
    eq(c.group.session_id, s.id, 'linked to the session');
    eq(c.group.name, g.name, 'names the group');
    eq(c.group.curriculum, 'wellness_coaching', 'and its curriculum');
    eq(c.group.size, 3, 'three in the group');
    assert(!JSON.stringify(c).includes(people[(i + 1) % 3].person.preferred_name), 'no other attendee named in this record');
    eq(s.attendance.find((a) => a.person_id === x.person.id).contact_id, c.id, 'the session points at the contact');
  }
  eq((await peer.get(`/api/v1/people/${absent.person.id}/contacts`)).json.items.length, 0, 'nothing for the person who did not come');
  // Frozen once signed.
  expectProblem(await peer.patch(`/api/v1/groups/${g.id}/sessions/${s.id}`, { topic: 'x' }, ifm(s.version)), 409, 'frozen');
  expectProblem(await peer.post(`/api/v1/groups/${g.id}/sessions/${s.id}/sign`, undefined, ifm(s.version)), 409, 'signed once');
  // The units report shows the group line.
  const day = s.started_at.slice(0, 10);
  const sup = await signedIn(srv.url, 'super.north', PASSWORD);
  const rep = await sup.get(`/api/v1/reports/units?from=${day}&to=${day}&team=north`);
  eq(rep.status, 200, 'report');
  const lines = rep.json.items.filter((x) => people.some((p) => p.person.id === x.person_id));
  eq(lines.length, 3, 'a line for each attendee');
  assert(lines.every((x) => x.units === 4 && JSON.stringify(x.modifiers) === '["HQ"]'), 'each 4 units of H0038 HQ');
  // Reading the session is audited for every attendee.
  await peer.get(`/api/v1/groups/${g.id}/sessions/${s.id}`);
  const audit = await auditOf(privacy, people[1].person.id);
  assert(audit.some((x) => x.object_type === 'group_session' && x.action === 'sign'), 'signing, in each person\'s trail');
  assert(audit.some((x) => x.object_type === 'contact' && x.action === 'sign'), 'their note\'s signing too');
  assert(audit.some((x) => x.object_type === 'group_session' && x.action === 'read'), 'reading it');
});

test('group size: past 10 people for one facilitator the notes are not billable, with the rule; a second facilitator makes room', async () => {
  const g = await newGroup();
  const people = [];
  for (let i = 0; i < 11; i++) people.push(await attendee());
  const attendance = people.map((x) => ({ person_id: x.person.id, present: true, note: 'Shared a win from the week.', next_steps: 'Come back Tuesday.', goals: [x.goal] }));
  let s = await peer.post(`/api/v1/groups/${g.id}/sessions`, {
    started_at: hoursAgo(6), ended_at: hoursAgo(6, 45), narrative: 'Healthy leisure: planning a free weekend activity.', attendance,
  });
  eq(s.status, 201, `session (${s.text.slice(0, 200)})`);
  eq(s.json.present, 11, 'eleven present');
  const one = s.json.attendance[0].billing;
  eq(one.billable, false, 'not billable');
  const why = one.not_billable.find((x) => x.code === 'group_too_large');
  assert(why && /5210/.test(why.rule), `the group size rule (${JSON.stringify(one.not_billable)})`);
  const peer2id = (await peer2.get('/api/v1/me')).json.id;
  const me = (await peer.get('/api/v1/me')).json.id;
  s = await peer.patch(`/api/v1/groups/${g.id}/sessions/${s.json.id}`, { facilitators: [me, peer2id] }, ifm(1));
  eq(s.status, 200, 'two facilitators');
  eq(s.json.size_limit, 20, '20 people for two');
  eq(s.json.attendance[0].billing.billable, true, 'billable with two facilitators');
  eq(s.json.attendance[0].billing.units, 3, '45 minutes are 3 units');
  s = await peer.post(`/api/v1/groups/${g.id}/sessions/${s.json.id}/sign`, undefined, ifm(2));
  eq(s.status, 200, 'signed');
  const c = (await peer.get(`/api/v1/contacts/${s.json.attendance[0].contact_id}`)).json;
  eq(c.group.facilitators, 2, 'two facilitators on the note');
  eq(c.billing.billable, true, 'billed');
});

test('documentation due lists the author\'s unsigned sessions with their deadline, until they are signed', async () => {
  const g = await newGroup();
  const x = await attendee();
  const s = (await peer.post(`/api/v1/groups/${g.id}/sessions`, {
    started_at: hoursAgo(5), ended_at: hoursAgo(5, 30), location: 'Room 2',
    narrative: 'Talked about healthy leisure.',
    attendance: [{ person_id: x.person.id, present: true, note: 'Chose a walk in the park.', next_steps: 'Walk Saturday.', goals: [x.goal] }],
  })).json;
  let due = await peer.get('/api/v1/documentation-due');
  eq(due.status, 200, 'due');
  const mine = due.json.group_sessions.find((d) => d.id === s.id);
  assert(mine, 'the draft session is due');
  eq(mine.group_name, g.name, 'names the group');
  eq(mine.present, 1, 'one present');
  assert(Date.parse(mine.due_at) > Date.parse(mine.ended_at), 'due after it ended');
  assert(!(await peer2.get('/api/v1/documentation-due')).json.group_sessions.some((d) => d.id === s.id), 'not another peer\'s');
  eq((await peer.post(`/api/v1/groups/${g.id}/sessions/${s.id}/sign`, undefined, ifm(s.version))).status, 200, 'signed');
  due = await peer.get('/api/v1/documentation-due');
  assert(!due.json.group_sessions.some((d) => d.id === s.id), 'gone once signed');
});

test('the shared narrative and place are needed whoever is first on the list, even when that person did not come', async () => {
  const g = await newGroup({ location: null, setting: null });
  const first = await attendee({ preferred_name: 'Aaa Firstonlist' });
  const came = await attendee({ preferred_name: 'Zzz Lastonlist' });
  const s = (await peer.post(`/api/v1/groups/${g.id}/sessions`, {
    started_at: hoursAgo(3), ended_at: hoursAgo(3, 30),
    attendance: [
      { person_id: came.person.id, present: true, note: 'Spoke about a good week.', next_steps: 'Come next week.', goals: [came.goal] },
      { person_id: first.person.id, present: false },
    ],
  })).json;
  eq(s.attendance[0].person_id, first.person.id, 'the absent person is first on the list');
  const pr = expectProblem(await peer.post(`/api/v1/groups/${g.id}/sessions/${s.id}/sign`, undefined, ifm(s.version)), 422, 'no narrative, no place');
  eq(JSON.stringify(pr.errors.map((e) => e.field).sort()), '["location","narrative"]', 'each named once');
  eq((await peer.get(`/api/v1/people/${came.person.id}/contacts`)).json.items.length, 0, 'nothing written');
});

test('bad sessions are refused by field, nothing written; other teams and roles cannot reach them', async () => {
  const g = await newGroup();
  const x = await attendee();
  const other = await createPerson(south);
  const base = { started_at: hoursAgo(2), ended_at: hoursAgo(2, 30) };
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, ended_at: hoursAgo(3) }), ['ended_at'], { exact: true, what: 'ends before it starts' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, started_at: 'Tuesday' }), ['started_at'], { what: 'not a time' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, attendance: [{ person_id: other.id, present: true }] }), ['attendance[0].person_id'], { exact: true, what: 'someone of another team' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, attendance: [{ person_id: x.person.id }, { person_id: x.person.id }] }), ['attendance[1].person_id'], { exact: true, what: 'listed twice' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, attendance: [{ person_id: x.person.id, goals: [x.goal.replace(/.$/, '0') === x.goal ? x.goal.replace(/.$/, '1') : x.goal.replace(/.$/, '0')] }] }), ['attendance[0].goals[0]'], { exact: true, what: 'a goal not of their plans' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, facilitators: [] }), ['facilitators'], { exact: true, what: 'nobody leading' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, setting: 'moon' }), ['setting'], { exact: true, what: 'unknown setting' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, attendance: [{ person_id: x.person.id, present: 'yes' }] }), ['attendance[0].present'], { what: 'present must be true or false' });
  expectFields(await peer.post(`/api/v1/groups/${g.id}/sessions`, { ...base, narrative: 'a\u0007b' }), ['narrative'], { what: 'a control character' });
  const g2 = (await peer.get(`/api/v1/groups/${g.id}`)).json;
  eq(g2.sessions.length, 0, 'nothing was written');
  const s = (await peer.post(`/api/v1/groups/${g.id}/sessions`, base)).json;
  expectProblem(await south.get(`/api/v1/groups/${g.id}/sessions/${s.id}`), 404, 'another team');
  expectProblem(await admin.get(`/api/v1/groups/${g.id}/sessions/${s.id}`), 403, 'an administrator');
  expectProblem(await peer.get(`/api/v1/groups/${g.id}/sessions/not-an-id`), 404, 'a bad id');
  expectProblem(await peer.patch(`/api/v1/groups/${g.id}/sessions/${s.id}`, { topic: 'x' }), 428, 'If-Match');
  expectProblem(await peer.patch(`/api/v1/groups/${g.id}/sessions/${s.id}`, { topic: 'x' }, ifm(7)), 412, 'stale');
  for (const body of [{}, { attendance: 'x' }, { attendance: [{}] }, { attendance: [null] }, { facilitators: [1] },
    { ...base, attendance: Array.from({ length: 61 }, () => ({ person_id: x.person.id })) }]) {
    const r = await peer.post(`/api/v1/groups/${g.id}/sessions`, body);
    eq(r.status, 400, `refused: ${JSON.stringify(body).slice(0, 60)}`);
  }
  expectNo5xx(srv);
});
