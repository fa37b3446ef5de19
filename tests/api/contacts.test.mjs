// Contacts and their notes: one contact record gives the note's elements,
// its minutes and billing units under the payer's rules
// (data/billing.json), its deadline in business days and the elements it
// needs before signing (data/notes.json); signing freezes it, corrections
// are addenda, the person's comments are kept beside it. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, expectNoEcho, createPerson, EPISODE, expectNo5xx, auditOf } from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const peer2 = await signedIn(srv.url, 'peer.north2', PASSWORD);
const sup = await signedIn(srv.url, 'super.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const HOUR = 3600000;

// A time n hours before now, on a whole minute.
function hoursAgo(n, plusMinutes = 0) {
  const t = Math.floor((Date.now() - n * HOUR) / 60000) * 60000 + plusMinutes * 60000;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

// An enrolled person with a signed-free recovery plan goal to link.
async function enrolledWithGoal() {
  const person = await createPerson(peer);
  const ep = await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE);
  eq(ep.status, 201, 'enrolled');
  const plan = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery',
    content: { goals: [{ words: 'Get my own place', lifecycle_status: 'active' }] },
  });
  eq(plan.status, 201, 'plan');
  return { person, goal: plan.json.current.content.goals[0].id, plan: plan.json };
}

function note(extra = {}) {
  return {
    type: 'individual',
    started_at: hoursAgo(3),
    ended_at: hoursAgo(3, 50),
    setting: 'community',
    location: 'The library',
    intervention: 'Looked at housing listings together.',
    response: 'Picked two to visit and felt hopeful.',
    next_steps: 'Visit on Thursday.',
    written_together: true,
    credential: 'CPRS',
    ...extra,
  };
}

test('GET /api/v1/reference lists the contact types, settings, programs, places of service and the notes rules in force', async () => {
  const r = await peer.get('/api/v1/reference');
  eq(r.status, 200, 'status');
  const types = r.json.contact_types.map((t) => t.code);
  for (const t of ['individual', 'phone', 'video', 'group', 'outreach_attempt', 'transportation']) assert(types.includes(t), `type ${t}`);
  eq(r.json.contact_types.find((t) => t.code === 'transportation').billed, false, 'transportation is not billed');
  assert(r.json.contact_settings.some((x) => x.code === 'community'), 'settings');
  assert(r.json.places_of_service.some((x) => x.code === '99' && x.label), 'places of service with labels');
  eq(JSON.stringify(r.json.note_rules.required), '["location","intervention","response","next_steps"]', 'required elements');
  eq(JSON.stringify(r.json.note_rules.required_when_billed), '["goals"]', 'a billed note names its goal');
  eq(JSON.stringify(r.json.note_rules.cosigner_roles), '["supervisor"]', 'supervisors co-sign');
  assert(typeof r.json.rules_versions.notes === 'string' && typeof r.json.rules_versions.billing === 'string', 'versions');
});

test('a contact: 201 with its note, minutes, deadline and billing worked out live; the draft changes freely', async () => {
  const { person, goal } = await enrolledWithGoal();
  const r = await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal] }));
  eq(r.status, 201, `create (${r.text.slice(0, 300)})`);
  const c = r.json;
  eq(r.headers.get('location'), `/api/v1/contacts/${c.id}`, 'Location');
  eq(r.headers.get('etag'), '"1"', 'ETag');
  eq(c.status, 'draft', 'a draft');
  eq(c.minutes, 50, 'minutes from the times');
  eq(c.billing.billing_code, 'H0038', 'H0038');
  eq(c.billing.units, 3, '50 minutes are 3 units under the midpoint rule');
  eq(c.billing.place_of_service, '99', 'out in the community');
  eq(c.billing.billable, true, 'billable');
  eq(c.billing.not_billable.length, 0, 'no reasons');
  eq(c.goals.length, 1, 'the goal linked');
  eq(c.missing.length, 0, 'nothing missing');
  assert(Date.parse(c.due_at) > Date.parse(c.ended_at), 'due after it ended');
  const p = await peer.patch(`/api/v1/contacts/${c.id}`, { ended_at: hoursAgo(3, 5), response: null }, ifm(1));
  eq(p.status, 200, `edit (${p.text.slice(0, 200)})`);
  eq(p.json.minutes, 5, '5 minutes');
  eq(p.json.billing.units, 0, 'no unit');
  eq(p.json.billing.billable, false, 'not billable');
  assert(p.json.billing.not_billable.some((x) => x.code === 'too_short'), 'too short, with the reason');
  eq(JSON.stringify(p.json.missing), '["response"]', 'the response is missing now');
});

test('not billable, with every reason: no goal, no agreement, a kind the payer does not bill', async () => {
  const person = await createPerson(peer);
  let r = await peer.post(`/api/v1/people/${person.id}/contacts`, note());
  eq(r.status, 201, 'create');
  const codes = r.json.billing.not_billable.map((x) => x.code);
  assert(codes.includes('no_plan_goal'), `no plan goal (${codes})`);
  assert(codes.includes('no_agreement'), `no agreement to services (${codes})`);
  assert(r.json.billing.not_billable.every((x) => typeof x.text === 'string' && x.text.length > 0), 'each in words');
  eq(JSON.stringify(r.json.missing), '["goals"]', 'a billable kind needs its goal before signing');
  r = await peer.post(`/api/v1/people/${person.id}/contacts`, note({ type: 'transportation', intervention: null, response: null, next_steps: null }));
  eq(r.status, 201, 'transportation');
  eq(r.json.billing.billing_code, null, 'no code');
  assert(r.json.billing.not_billable.length > 0, 'a reason');
  eq(r.json.missing.length, 0, 'transportation needs only where');
});

test('two contacts on one day are billed from their summed minutes, whatever order they are signed in', async () => {
  const { person, goal } = await enrolledWithGoal();
  // Yesterday at 10:00 and 14:00 UTC (the demo organisation's zone).
  const day = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  const ids = [];
  for (const hour of ['10', '14']) {
    const r = await peer.post(`/api/v1/people/${person.id}/contacts`,
      note({ goals: [goal], started_at: `${day}T${hour}:00:00Z`, ended_at: `${day}T${hour}:10:00Z` }));
    eq(r.status, 201, 'create');
    eq(r.json.billing.units, 1, 'ten minutes alone pass the midpoint: 1 unit');
    ids.push(r.json);
  }
  // The later contact is signed first; the earlier one, signed second,
  // takes its place before it in the day.
  for (const c of [...ids].reverse()) {
    const s = await peer.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(c.version));
    eq(s.status, 200, `sign (${s.text.slice(0, 200)})`);
  }
  const a = (await peer.get(`/api/v1/contacts/${ids[0].id}`)).json;
  const b = (await peer.get(`/api/v1/contacts/${ids[1].id}`)).json;
  eq(a.service_date, day, 'the first on that day');
  eq(b.service_date, day, 'the second too');
  eq(a.billing.units, 1, 'the 10:00 contact, first in the day: 1 unit');
  eq(b.billing.units, 0, 'the 14:00 contact brings the day to 20 minutes, still 1 unit: it adds none');
  eq(a.billing.units + b.billing.units, 1, 'two 10-minute contacts on one day: 1 unit in all');
});

test('the day\'s cap: past 16 units a contact adds none, and a signed note keeps saying why', async () => {
  const { person, goal } = await enrolledWithGoal();
  const day = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
  const long = (await peer.post(`/api/v1/people/${person.id}/contacts`,
    note({ goals: [goal], started_at: `${day}T08:00:00Z`, ended_at: `${day}T12:10:00Z` }))).json;
  eq(long.billing.units, 16, '250 minutes: the day\'s 16 units');
  eq((await peer.post(`/api/v1/contacts/${long.id}/sign`, {}, ifm(long.version))).status, 200, 'signed');
  const more = (await peer.post(`/api/v1/people/${person.id}/contacts`,
    note({ goals: [goal], started_at: `${day}T15:00:00Z`, ended_at: `${day}T15:45:00Z` }))).json;
  eq(more.billing.units, 0, 'no units past the cap');
  eq(more.billing.billable, false, 'not billable');
  assert(more.billing.not_billable.some((x) => x.code === 'cap_day'), `the day's cap, as the reason (${JSON.stringify(more.billing.not_billable)})`);
  eq((await peer.post(`/api/v1/contacts/${more.id}/sign`, {}, ifm(more.version))).status, 200, 'signed too');
  const read = (await peer.get(`/api/v1/contacts/${more.id}`)).json;
  eq(read.billing.units, 0, 'stored: no units');
  const cap = read.billing.not_billable.find((x) => x.code === 'cap_day');
  assert(cap && cap.text.length > 0, `the signed note still names the cap (${JSON.stringify(read.billing.not_billable)})`);
});

test('signing: the author signs when the rules\' elements are there; the note freezes; late is marked; corrections are addenda', async () => {
  const { person, goal } = await enrolledWithGoal();
  let c = (await peer.post(`/api/v1/people/${person.id}/contacts`, note({ intervention: '', next_steps: null }))).json;
  let r = await peer.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(1));
  const pr = expectProblem(r, 422, 'missing elements');
  eq(pr.type, 'urn:alongside:problem:rule', 'a rule problem');
  assert(/301\.361/.test(pr.rule), `names the rule (${pr.rule})`);
  eq(JSON.stringify(pr.errors.map((x) => x.field).sort()), '["goals","intervention","next_steps"]', 'names what is missing');
  c = (await peer.patch(`/api/v1/contacts/${c.id}`, { intervention: 'Planned the week.', next_steps: 'Call Friday.', goals: [goal] }, ifm(1))).json;
  expectProblem(await peer2.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(c.version)), 422, 'another peer cannot sign it');
  expectProblem(await peer.post(`/api/v1/contacts/${c.id}/sign`, {}), 428, 'If-Match');
  r = await peer.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(c.version));
  eq(r.status, 200, `signed (${r.text.slice(0, 200)})`);
  c = r.json;
  eq(c.status, 'signed', 'signed');
  eq(c.late, false, 'on time');
  eq(c.cosign_required, false, 'no co-signature under the shipped rules');
  const frozen = expectProblem(await peer.patch(`/api/v1/contacts/${c.id}`, { response: 'changed' }, ifm(c.version)), 409, 'frozen');
  eq(frozen.type, 'urn:alongside:problem:signed-version', 'signed problem');
  expectProblem(await peer.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(c.version)), 409, 'signed once');
  r = await peer2.post(`/api/v1/contacts/${c.id}/addenda`, { body: 'Correction: the visit is on Friday.' });
  eq(r.status, 201, 'an addendum');
  eq(r.json.addenda[0].author_name, 'Casey Morgan', 'by whom');
  eq(r.json.response, c.response, 'the note stays as signed');
  expectFields(await peer.post(`/api/v1/contacts/${c.id}/addenda`, { body: ' ' }), ['body'], { exact: true, what: 'an empty addendum' });
  // Late: a contact whose deadline passed (two business days after a day
  // two weeks ago).
  const old = (await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal], started_at: hoursAgo(24 * 14), ended_at: hoursAgo(24 * 14, 30) }))).json;
  assert(Date.parse(old.due_at) < Date.now(), 'its deadline has passed');
  const s = await peer.post(`/api/v1/contacts/${old.id}/sign`, {}, ifm(old.version));
  eq(s.json.late, true, 'marked late');
  const draft = (await peer.post(`/api/v1/people/${person.id}/contacts`, note())).json;
  expectProblem(await peer.post(`/api/v1/contacts/${draft.id}/addenda`, { body: 'x' }), 409, 'no addendum on a draft');
});

test('the person reads a signed note with the peer and comments or acknowledges it; comments are kept beside it', async () => {
  const { person, goal } = await enrolledWithGoal();
  let c = (await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal] }))).json;
  expectProblem(await peer.post(`/api/v1/contacts/${c.id}/comments`, { typed_name: 'T', acknowledged: true }), 409, 'not on a draft');
  c = (await peer.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(c.version))).json;
  let r = await peer.post(`/api/v1/contacts/${c.id}/comments`, { typed_name: 'Testperson Quill', body: 'I felt more nervous than this says.', acknowledged: false });
  eq(r.status, 201, 'a comment');
  r = await peer.post(`/api/v1/contacts/${c.id}/comments`, { typed_name: 'Testperson Quill', acknowledged: true });
  eq(r.status, 201, 'acknowledged');
  eq(r.json.comments.length, 2, 'both kept');
  eq(r.json.comments[0].body, 'I felt more nervous than this says.', 'in their words');
  eq(r.json.comments[1].acknowledged, true, 'acknowledged');
  expectFields(await peer.post(`/api/v1/contacts/${c.id}/comments`, { typed_name: '' }), ['typed_name', 'body'], { exact: true, what: 'an empty comment' });
});

test('input is checked: every bad field named, nothing written, nothing echoed', async () => {
  const person = await createPerson(peer);
  const secret = 'Quetzalcoatl-secret';
  const r = await peer.post(`/api/v1/people/${person.id}/contacts`, {
    type: 'séance', started_at: 'yesterday', ended_at: '2026-01-01T00:00:00Z', setting: 'moon', program: 'x',
    location: `${secret}\u0007`, intervention: 'x'.repeat(4001), goals: ['nope', 'nope'],
  });
  expectFields(r, ['type', 'started_at', 'setting', 'program', 'location', 'intervention', 'goals[0]', 'goals[1]']);
  expectNoEcho(r, secret);
  const shape = await peer.post(`/api/v1/people/${person.id}/contacts`, { ...note(), extra: secret, minutes: 5, goals: 'x' });
  expectFields(shape, ['extra', 'minutes', 'goals'], { exact: true, what: 'unknown, read-only and wrongly typed fields' });
  expectNoEcho(shape, secret);
  expectFields(await peer.post(`/api/v1/people/${person.id}/contacts`, note({ started_at: hoursAgo(-48), ended_at: hoursAgo(-47) })), ['started_at'], { what: 'in the future' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/contacts`, note({ ended_at: hoursAgo(4) })), ['ended_at'], { exact: true, what: 'ends before it starts' });
  const other = await enrolledWithGoal();
  expectFields(await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [other.goal] })), ['goals[0]'], { exact: true, what: 'another person\'s goal' });
  const list = await peer.get(`/api/v1/people/${person.id}/contacts`);
  eq(list.json.items.length, 0, 'nothing written');
});

test('documentation due lists the author\'s drafts soonest first with what each lacks; contacts are reached through the roster and audited', async () => {
  const { person, goal } = await enrolledWithGoal();
  const c = (await peer2.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal], response: null }))).json;
  const due = await peer2.get('/api/v1/documentation-due');
  eq(due.status, 200, 'due');
  const mine = due.json.items.find((x) => x.id === c.id);
  assert(mine, 'the draft is due');
  eq(JSON.stringify(mine.missing), '["response"]', 'with what it lacks');
  const times = due.json.items.map((x) => Date.parse(x.due_at));
  eq(JSON.stringify(times), JSON.stringify([...times].sort((a, b) => a - b)), 'soonest first');
  assert(!(await peer.get('/api/v1/documentation-due')).json.items.some((x) => x.id === c.id), 'not someone else\'s');
  for (const [cl, status, who] of [[south, 404, 'another team'], [admin, 403, 'an administrator']]) {
    expectProblem(await cl.get(`/api/v1/contacts/${c.id}`), status, `${who} reads`);
    expectProblem(await cl.get(`/api/v1/people/${person.id}/contacts`), status, `${who} lists`);
    expectProblem(await cl.post(`/api/v1/people/${person.id}/contacts`, note()), status, `${who} writes`);
  }
  expectProblem(await admin.get('/api/v1/documentation-due'), 403, 'an administrator has no notes');
  const list = await peer.get(`/api/v1/people/${person.id}/contacts?limit=1`);
  eq(list.json.items.length, 1, 'a page');
  eq((await sup.get(`/api/v1/contacts/${c.id}`)).status, 200, 'the supervisor reads it');
  const entries = (await auditOf(privacy, person.id)).filter((e) => e.object_type === 'contact');
  const actions = new Set(entries.map((e) => `${e.action}:${e.outcome}`));
  for (const a of ['create:success', 'read:success', 'list:success', 'read:denied']) assert(actions.has(a), `audited ${a}`);
  assert(entries.every((e) => !JSON.stringify(e).includes('housing listings')), 'no note text in the audit log');
});

test('the peer minutes chart counts contacts', async () => {
  const { person, goal } = await enrolledWithGoal();
  const c = (await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal] }))).json;
  const m = await peer.get(`/api/v1/people/${person.id}/peer-minutes?months=2`);
  const month = m.json.items.find((x) => x.month === c.service_date.slice(0, 7));
  assert(month, `the contact's month is shown (${c.service_date})`);
  eq(month.minutes, 50, 'its minutes');
  eq(month.contacts, 1, 'one contact');
});

test('the units report: one row per person, date, code and modifiers, for the team\'s supervisor, as JSON or CSV', async () => {
  const { person, goal } = await enrolledWithGoal();
  const now = (await peer.get(`/api/v1/people/${person.id}`)).json;
  const names = await peer.patch(`/api/v1/people/${person.id}`, { preferred_name: '=Testperson, "Quoted"' }, ifm(now.version));
  eq(names.status, 200, 'a name a spreadsheet would misread');
  for (const [start, mins] of [[7, 20], [5, 30]]) {
    const c = (await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal], started_at: hoursAgo(start), ended_at: hoursAgo(start, mins) }))).json;
    eq((await peer.post(`/api/v1/contacts/${c.id}/sign`, {}, ifm(c.version))).status, 200, 'signed');
  }
  const draft = (await peer.post(`/api/v1/people/${person.id}/contacts`, note({ goals: [goal] }))).json;
  assert(draft.status === 'draft', 'a draft is not reported');
  const from = new Date(Date.now() - 3 * 86400000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const r = await sup.get(`/api/v1/reports/units?from=${from}&to=${to}&team=north`);
  eq(r.status, 200, `report (${r.text.slice(0, 200)})`);
  const mine = r.json.items.filter((x) => x.person_id === person.id);
  assert(mine.length >= 1, 'the person is in it');
  const units = mine.reduce((a, x) => a + x.units, 0);
  eq(units, 3, '50 minutes in a day: 3 units (a draft does not count)');
  eq(mine[0].billing_code, 'H0038', 'the code');
  const csv = await sup.get(`/api/v1/reports/units?from=${from}&to=${to}&format=csv`);
  eq(csv.status, 200, 'CSV');
  assert((csv.headers.get('content-type') || '').startsWith('text/csv'), 'text/csv');
  assert(/attachment/.test(csv.headers.get('content-disposition') || ''), 'a download');
  const lines = csv.text.trim().split('\r\n');
  eq(lines[0], 'person_id,preferred_name,legal_name,service_date,billing_code,modifiers,place_of_service,units,contacts', 'the header');
  const line = lines.find((l) => l.startsWith(person.id));
  assert(line && line.includes(`"'=Testperson, ""Quoted"""`), `quoted and defused: ${line}`);
  const viaAccept = await sup.get(`/api/v1/reports/units?from=${from}&to=${to}`, { headers: { Accept: 'text/csv' } });
  assert((viaAccept.headers.get('content-type') || '').startsWith('text/csv'), 'CSV by Accept');
  expectProblem(await peer.get(`/api/v1/reports/units?from=${from}&to=${to}`), 403, 'a peer');
  expectProblem(await admin.get(`/api/v1/reports/units?from=${from}&to=${to}`), 403, 'an administrator');
  expectFields(await sup.get('/api/v1/reports/units?from=2026-05-01&to=2025-01-01&team=south&format=pdf'), ['to', 'team', 'format'], { exact: true, what: 'bad report query' });
  expectFields(await sup.get('/api/v1/reports/units'), ['from', 'to'], { exact: true, what: 'no dates' });
  const audit = (await auditOf(privacy, person.id)).filter((e) => e.action === 'report');
  assert(audit.length >= 1, 'the person\'s units in a report are audited');
});

test('no request in this file was answered with a 5xx', () => expectNo5xx(srv));
