// The person's own portal: an invitation (a code shown once, a QR code),
// a sign-in name and passphrase with no email address, short sessions of
// their own that never reach a staff route; the person reads their plans
// and signed notes (never drafts, another person's record or staff-only
// detail), comments, suggests changes to a draft plan that their peer
// accepts or declines with them, sees who their record was shared with
// and downloads it whole. Lost access is re-issued, and access ended, by
// staff; all audited. Both backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, createPerson, EPISODE, auditOf, expectNo5xx, sql } from '../lib/api.mjs';

const srv = await startServer({ args: ['--portal-idle-timeout', '3'] });
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PASS = 'my own long passphrase';
let names = 0;

function minutesAgo(n) {
  return new Date(Math.floor((Date.now() - n * 60000) / 60000) * 60000).toISOString().replace('.000Z', 'Z');
}

// An enrolled person with a draft recovery plan, a signed note and a draft
// note.
async function personWithRecord() {
  const person = await createPerson(peer);
  eq((await peer.post(`/api/v1/people/${person.id}/episodes`, EPISODE)).status, 201, 'enrolled');
  const plan = await peer.post(`/api/v1/people/${person.id}/plans`, {
    kind: 'recovery', content: { strengths: ['I keep going'], goals: [{ words: 'Get my own place', lifecycle_status: 'active' }] },
  });
  eq(plan.status, 201, 'a draft plan');
  const goal = plan.json.current.content.goals[0].id;
  const c = await peer.post(`/api/v1/people/${person.id}/contacts`, {
    type: 'individual', started_at: minutesAgo(180), ended_at: minutesAgo(130), setting: 'community',
    location: 'The library', intervention: 'Looked at housing listings together.',
    response: 'Picked two to visit and felt hopeful.', next_steps: 'Visit on Thursday.',
    written_together: true, credential: 'CPRS', goals: [goal],
  });
  eq(c.status, 201, `a note (${c.text.slice(0, 200)})`);
  const s = await peer.post(`/api/v1/contacts/${c.json.id}/sign`, {}, ifm(c.json.version));
  eq(s.status, 200, `signed (${s.text.slice(0, 200)})`);
  const d = await peer.post(`/api/v1/people/${person.id}/contacts`, {
    type: 'individual', started_at: minutesAgo(90), ended_at: minutesAgo(60), setting: 'community',
    location: 'Coffee shop', intervention: 'A draft the person has not seen yet.',
  });
  eq(d.status, 201, 'a draft note');
  return { person, plan: plan.json, goal, note: s.json, draft: d.json };
}

async function invite(personId, who = peer) {
  const r = await who.post(`/api/v1/people/${personId}/portal/invitation`);
  eq(r.status, 201, `invited (${r.text.slice(0, 200)})`);
  return r.json;
}

async function activate(code, name = `person.${process.pid}.${++names}`) {
  const c = new Client(srv.url);
  const r = await c.post('/api/v1/portal/activate', { code, sign_in_name: name, passphrase: PASS });
  eq(r.status, 201, `activated (${r.text.slice(0, 200)})`);
  c.csrf = r.json.csrf_token;
  c.name = name;
  return c;
}

test('an invitation: a code shown once and a QR code; the person chooses a name and passphrase and is signed in', async () => {
  const { person } = await personWithRecord();
  const before = await peer.get(`/api/v1/people/${person.id}/portal`);
  eq(before.status, 200, 'status');
  eq(before.json.status, 'none', 'never invited');
  const inv = await invite(person.id);
  assert(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/.test(inv.code), `a code (${inv.code})`);
  eq(inv.status, 'invited', 'invited');
  assert(inv.url.endsWith(`/portal.html#code=${inv.code}`), `the QR's address carries the code after # (${inv.url})`);
  assert(inv.qr_svg.startsWith('<svg') && inv.qr_svg.includes('<path'), 'a QR code');
  assert(Date.parse(inv.invite_expires_at) - Date.now() > 6 * 86400000, 'good for a week');
  eq((await peer.get(`/api/v1/people/${person.id}/portal`)).json.code, undefined, 'the code is not shown again');
  // Wrong codes, the same answer for each; bad fields named.
  const c = new Client(srv.url);
  expectFields(await c.post('/api/v1/portal/activate', { code: inv.code, sign_in_name: 'x', passphrase: 'short' }), ['sign_in_name', 'passphrase'], { what: 'name and passphrase checked' });
  expectFields(await c.post('/api/v1/portal/activate', { code: inv.code, sign_in_name: 'has space', passphrase: PASS }), ['sign_in_name'], { what: 'a name with a space' });
  expectProblem(await c.post('/api/v1/portal/activate', { code: 'AAAA-AAAA-AAAA', sign_in_name: 'someone', passphrase: PASS }), 401, 'a wrong code');
  expectProblem(await c.post('/api/v1/portal/activate', { code: 'not a code', sign_in_name: 'someone', passphrase: PASS }), 401, 'not a code at all');
  // The code typed in lower case with spaces still works.
  const typed = inv.code.toLowerCase().replace(/-/g, ' ');
  const name = `Person.${process.pid}.Invited`;
  const r = await c.post('/api/v1/portal/activate', { code: typed, sign_in_name: name, passphrase: PASS });
  eq(r.status, 201, `activated (${r.text.slice(0, 200)})`);
  eq(r.json.preferred_name, person.preferred_name, 'their name');
  eq(r.json.sign_in_name, name.toLowerCase(), 'the name in lower case');
  assert(r.json.csrf_token, 'a CSRF token');
  eq(r.json.idle_timeout_seconds, 3, 'the portal idle timeout');
  const cookie = r.headers.get('set-cookie');
  assert(/^alongside_portal=/.test(cookie) && /HttpOnly/.test(cookie) && /SameSite=Strict/.test(cookie), `its own cookie (${cookie})`);
  assert(/Max-Age=3600/.test(cookie), 'an hour at most');
  expectProblem(await new Client(srv.url).post('/api/v1/portal/activate', { code: inv.code, sign_in_name: 'another.name', passphrase: PASS }), 401, 'the code works once');
  const st = (await peer.get(`/api/v1/people/${person.id}/portal`)).json;
  eq(st.status, 'active', 'active');
  eq(st.sign_in_name, name.toLowerCase(), 'staff see the sign-in name');
  assert(st.last_sign_in_at, 'and when they last signed in');
  // Signing in again with the name (any case) and passphrase.
  const again = new Client(srv.url);
  eq((await again.post('/api/v1/portal/session', { sign_in_name: name.toUpperCase(), passphrase: PASS })).status, 201, 'signed in with name and passphrase');
  expectProblem(await new Client(srv.url).post('/api/v1/portal/session', { sign_in_name: name, passphrase: 'not the passphrase' }), 401, 'a wrong passphrase');
  expectProblem(await new Client(srv.url).post('/api/v1/portal/session', { sign_in_name: 'nobody.here', passphrase: PASS }), 401, 'an unknown name: the same answer');
  // Another person cannot take the name.
  const other = await createPerson(peer);
  const inv2 = await invite(other.id);
  const taken = await new Client(srv.url).post('/api/v1/portal/activate', { code: inv2.code, sign_in_name: name, passphrase: PASS });
  eq(taken.status, 409, 'the name is taken');
  assert(taken.json.errors.some((e) => e.field === 'sign_in_name'), 'named');
  // Audited, with the person.
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'portal_account' && x.action === 'invite' && x.outcome === 'success'), 'the invitation');
  assert(audit.some((x) => x.object_type === 'portal_account' && x.action === 'activate' && x.role === 'person'), `the activation (${JSON.stringify(audit.map((x) => [x.object_type, x.action, x.role]))})`);
  assert(audit.some((x) => x.object_type === 'portal_session' && x.action === 'sign_in' && x.outcome === 'success'), 'the sign-in');
});

test('the person reads their plans and signed notes, never drafts, another person or staff-only detail', async () => {
  const { person, plan, note, draft } = await personWithRecord();
  const them = await activate((await invite(person.id)).code);
  const other = await personWithRecord();
  const me = await them.get('/api/v1/portal/me');
  eq(me.status, 200, 'me');
  eq(me.json.preferred_name, person.preferred_name, 'their own name');
  // Plans.
  const plans = await them.get('/api/v1/portal/plans');
  eq(plans.status, 200, 'plans');
  eq(plans.json.items.length, 1, 'their one plan');
  eq(plans.json.items[0].id, plan.id, 'that plan');
  eq(plans.json.items[0].kind_label, 'Recovery and wellness plan', 'in words');
  const p = await them.get(`/api/v1/portal/plans/${plan.id}`);
  eq(p.status, 200, 'the plan');
  eq(p.headers.get('etag'), `"${plan.version}"`, 'its version');
  eq(p.json.current.status, 'draft', 'a draft');
  eq(p.json.current.content.goals[0].words, 'Get my own place', 'their goal');
  expectProblem(await them.get(`/api/v1/portal/plans/${other.plan.id}`), 404, "another person's plan");
  // Notes: the signed one only, without billing.
  const notes = await them.get('/api/v1/portal/notes');
  eq(notes.status, 200, 'notes');
  eq(notes.json.items.map((x) => x.id).join(), note.id, 'only the signed note');
  const n = await them.get(`/api/v1/portal/notes/${note.id}`);
  eq(n.status, 200, 'the note');
  eq(n.json.intervention, 'Looked at housing listings together.', 'its words');
  eq(n.json.type_label, 'Individual, face to face', 'what kind of contact');
  eq(n.json.goals[0].words, 'Get my own place', 'the goal it worked on, in their words');
  for (const k of ['billing', 'units', 'missing', 'cosign_required', 'author_id', 'rules_version', 'due_at', 'late']) {
    eq(n.json[k], undefined, `no ${k}`);
  }
  expectProblem(await them.get(`/api/v1/portal/notes/${draft.id}`), 404, 'a draft is not theirs yet');
  expectProblem(await them.get(`/api/v1/portal/notes/${other.note.id}`), 404, "another person's note");
  expectProblem(await them.post(`/api/v1/portal/notes/${other.note.id}/comments`, { body: 'hello', acknowledged: true }), 404, "no comment on another person's note");
  expectProblem(await them.get('/api/v1/portal/notes/not-an-id'), 404, 'a bad id');
  // No staff route opens to the portal's session, even for their own record.
  expectProblem(await them.get(`/api/v1/people/${person.id}`), 401, 'the staff record route');
  expectProblem(await them.get('/api/v1/people'), 401, 'the roster');
  expectProblem(await them.get(`/api/v1/contacts/${note.id}`), 401, 'the staff note route');
  expectProblem(await them.get('/api/v1/safety-concerns'), 401, 'safety concerns');
  expectProblem(await them.get('/api/v1/audit'), 401, 'the audit log');
  // And no staff session reaches a portal route.
  expectProblem(await peer.get('/api/v1/portal/me'), 401, 'a staff session in the portal');
  expectProblem(await peer.get('/api/v1/portal/notes'), 401, 'staff cannot read the portal as someone');
  // The reads are audited as the person's.
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'contact' && x.action === 'read' && x.role === 'person'), 'the note read');
  assert(audit.some((x) => x.object_type === 'plan' && x.action === 'read' && x.role === 'person'), 'the plan read');
  const otherAudit = await auditOf(privacy, other.person.id);
  assert(otherAudit.some((x) => x.role === 'person' && x.outcome === 'denied'), 'the refusals are audited too');
});

test('the person comments on a note and the peer sees it with the note', async () => {
  const { person, note } = await personWithRecord();
  const them = await activate((await invite(person.id)).code);
  expectFields(await them.post(`/api/v1/portal/notes/${note.id}/comments`, { acknowledged: false }), ['body'], { what: 'nothing said' });
  expectFields(await them.post(`/api/v1/portal/notes/${note.id}/comments`, { body: 1 }), ['body'], { what: 'not text' });
  expectProblem(await them.post(`/api/v1/portal/notes/${note.id}/comments`, { body: 'hi' }, { headers: { 'X-CSRF-Token': 'wrong' } }), 403, 'the CSRF token is checked');
  const r = await them.post(`/api/v1/portal/notes/${note.id}/comments`, { body: 'It was Friday, not Thursday.', acknowledged: true });
  eq(r.status, 201, `commented (${r.text.slice(0, 200)})`);
  const mine = r.json.comments.at(-1);
  eq(mine.body, 'It was Friday, not Thursday.', 'the comment');
  eq(mine.from_portal, true, 'from the portal');
  eq(mine.typed_name, person.preferred_name, 'under their name');
  const listed = (await them.get('/api/v1/portal/notes')).json.items.find((x) => x.id === note.id);
  eq(listed.comments, 1, 'the list counts it');
  eq(listed.credential, 'CPRS', 'the list names the credential');
  eq(listed.service_date, note.service_date, 'and the day');
  const staff = await peer.get(`/api/v1/contacts/${note.id}`);
  assert(staff.json.comments.some((x) => x.body === 'It was Friday, not Thursday.' && x.acknowledged), 'the peer sees it');
  eq(staff.json.status, 'signed', 'the note stays signed');
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'contact' && x.action === 'comment' && x.role === 'person'), 'audited');
});

test('the person suggests changes to a draft plan; the peer accepts one with them and declines another', async () => {
  const { person, plan } = await personWithRecord();
  const them = await activate((await invite(person.id)).code);
  let p = (await them.get(`/api/v1/portal/plans/${plan.id}`)).json;
  const content = structuredClone(p.current.content);
  content.goals[0].words = 'Get my own place near my sister';
  content.strengths.push('I ask for help');
  expectProblem(await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content }), 428, 'If-Match is needed');
  expectProblem(await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content }, ifm(p.version + 5)), 412, 'a stale version');
  const bad = structuredClone(content);
  bad.goals[0].words = '';
  expectFields(await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content: bad }, ifm(p.version)), ['content.goals[0].words'], { what: 'checked like a staff edit' });
  expectFields(await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content: { nonsense: true } }, ifm(p.version)), ['content.nonsense'], { what: 'an unknown field' });
  const r = await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content, note: 'My sister can help me.' }, ifm(p.version));
  eq(r.status, 201, `suggested (${r.text.slice(0, 300)})`);
  eq(r.json.status, 'open', 'open');
  const second = await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content: p.current.content, note: 'Or leave it.' }, ifm(p.version));
  eq(second.status, 201, 'a second suggestion');
  // The peer sees them with their content.
  const list = await peer.get(`/api/v1/plans/${plan.id}/proposals`);
  eq(list.status, 200, 'listed');
  eq(list.json.items.length, 2, 'both');
  const first = list.json.items.find((x) => x.id === r.json.id);
  eq(first.content.goals[0].words, 'Get my own place near my sister', 'with the content');
  expectProblem(await south.get(`/api/v1/plans/${plan.id}/proposals`), 404, 'another team');
  expectProblem(await admin.get(`/api/v1/plans/${plan.id}/proposals`), 403, 'an administrator');
  // Accepting needs the plan's version; it becomes the draft.
  const staffPlan = (await peer.get(`/api/v1/plans/${plan.id}`)).json;
  expectProblem(await peer.post(`/api/v1/plan-proposals/${r.json.id}/accept`), 428, 'If-Match is needed');
  const acc = await peer.post(`/api/v1/plan-proposals/${r.json.id}/accept`, undefined, ifm(staffPlan.version));
  eq(acc.status, 200, `accepted (${acc.text.slice(0, 300)})`);
  eq(acc.json.current.content.goals[0].words, 'Get my own place near my sister', 'the draft holds it');
  eq(acc.json.current.content.goals[0].id, staffPlan.current.content.goals[0].id, 'the goal keeps its id');
  assert(acc.json.current.content.strengths.includes('I ask for help'), 'and the new strength');
  // The other was made on the draft before: it cannot be accepted now.
  expectProblem(await peer.post(`/api/v1/plan-proposals/${second.json.id}/accept`, undefined, ifm(acc.json.version)), 409, 'the draft changed since');
  expectProblem(await peer.post(`/api/v1/plan-proposals/${r.json.id}/accept`, undefined, ifm(acc.json.version)), 409, 'answered already');
  const dec = await peer.post(`/api/v1/plan-proposals/${second.json.id}/decline`, { reason: 'We kept your newer words.' });
  eq(dec.status, 200, 'declined');
  eq(dec.json.status, 'declined', 'so');
  expectProblem(await peer.post(`/api/v1/plan-proposals/${second.json.id}/decline`, {}), 409, 'once');
  // The person sees how each went.
  p = (await them.get(`/api/v1/portal/plans/${plan.id}`)).json;
  eq(p.current.content.goals[0].words, 'Get my own place near my sister', 'their words in the draft');
  const byId = Object.fromEntries(p.proposals.map((x) => [x.id, x]));
  eq(byId[r.json.id].status, 'accepted', 'accepted');
  eq(byId[second.json.id].status, 'declined', 'declined');
  eq(byId[second.json.id].reason, 'We kept your newer words.', 'with the reason');
  // The suggestion's words and the reason are sealed in the database like
  // the plan's own (docs/security.md).
  for (const [column, id, words] of [['note', r.json.id, 'My sister can help me.'], ['reason', second.json.id, 'We kept your newer words.'], ['content', r.json.id, 'near my sister']]) {
    const q = sql(srv.db, `SELECT ${column} FROM plan_proposal WHERE id = '${id}';`);
    eq(q.status, 0, `read plan_proposal.${column}: ${q.stderr}`);
    assert(q.stdout.startsWith('enc1:') && !q.stdout.includes(words), `plan_proposal.${column} is sealed (${q.stdout.slice(0, 40)})`);
  }
  // Once signing starts, the plan takes no suggestions.
  const signing = await peer.post(`/api/v1/plans/${plan.id}/sign`, { role: 'person', typed_name: person.preferred_name, confirmed: true }, ifm(p.version));
  eq(signing.status, 200, `signing (${signing.text.slice(0, 200)})`);
  const late = await them.post(`/api/v1/portal/plans/${plan.id}/proposals`, { content }, ifm(signing.json.version));
  eq(expectProblem(late, 409, 'not a draft now').type, 'urn:alongside:problem:not-a-draft', 'says why');
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'plan_proposal' && x.action === 'create' && x.role === 'person'), 'the suggestion is audited');
  assert(audit.some((x) => x.object_type === 'plan_proposal' && x.action === 'accept'), 'the acceptance');
  assert(audit.some((x) => x.object_type === 'plan_proposal' && x.action === 'decline'), 'the decline');
});

test('the accounting of disclosures and the whole record, downloaded', async () => {
  const { person, plan, note } = await personWithRecord();
  const them = await activate((await invite(person.id)).code);
  eq((await them.get('/api/v1/portal/disclosures')).json.items.length, 0, 'nothing shared yet');
  const d = await peer.post(`/api/v1/people/${person.id}/emergency-disclosures`, {
    personnel_name: 'Dr. Testwood Example', facility: 'County General emergency department',
    nature: 'Unresponsive after a return to use; the team needed current supports.', information: 'The crisis plan.', method: 'phone',
  });
  eq(d.status, 201, 'a disclosure');
  const acc = await them.get('/api/v1/portal/disclosures?years=3');
  eq(acc.status, 200, 'the accounting');
  eq(acc.json.items.length, 1, 'one');
  eq(acc.json.items[0].recipient_name, 'Dr. Testwood Example', 'to whom');
  expectFields(await them.get('/api/v1/portal/disclosures?years=99'), ['years'], { what: 'the window is checked' });
  const rec = await them.get('/api/v1/portal/record');
  eq(rec.status, 200, 'the record');
  assert(/attachment; filename="my-record.json"/.test(rec.headers.get('content-disposition')), 'as a file');
  eq(rec.json.person.preferred_name, person.preferred_name, 'who');
  eq(rec.json.plans.map((x) => x.id).join(), plan.id, 'their plans');
  eq(rec.json.notes.map((x) => x.id).join(), note.id, 'their signed notes');
  eq(rec.json.disclosures.length, 1, 'the disclosures');
  assert(!JSON.stringify(rec.json).includes('A draft the person has not seen yet.'), 'no draft note');
  assert(!('billing' in rec.json.notes[0]), 'no billing');
});

test('sessions are short; sign-out ends them; a new invitation ends the old passphrase; staff can end access', async () => {
  const { person } = await personWithRecord();
  const them = await activate((await invite(person.id)).code);
  eq((await them.get('/api/v1/portal/me')).status, 200, 'signed in');
  await sleep(4500);
  expectProblem(await them.get('/api/v1/portal/me'), 401, 'signed out after the idle time');
  const s = new Client(srv.url);
  const si = await s.post('/api/v1/portal/session', { sign_in_name: them.name, passphrase: PASS });
  eq(si.status, 201, 'signed in again');
  s.csrf = si.json.csrf_token;
  eq((await s.del('/api/v1/portal/session')).status, 204, 'signed out');
  expectProblem(await s.get('/api/v1/portal/me'), 401, 'the session is over');
  // Lost passphrase: a new invitation; the old passphrase and sessions end.
  const live = new Client(srv.url);
  eq((await live.post('/api/v1/portal/session', { sign_in_name: them.name, passphrase: PASS })).status, 201, 'a live session');
  const inv = await invite(person.id);
  eq(inv.status, 'invited', 'invited again');
  expectProblem(await live.get('/api/v1/portal/me'), 401, 'the live session ended');
  expectProblem(await new Client(srv.url).post('/api/v1/portal/session', { sign_in_name: them.name, passphrase: PASS }), 401, 'the old passphrase ended');
  const back = await activate(inv.code, them.name);
  eq((await back.get('/api/v1/portal/me')).status, 200, 'back in, same name');
  // Ended.
  expectProblem(await south.del(`/api/v1/people/${person.id}/portal`), 404, 'another team cannot');
  expectProblem(await admin.post(`/api/v1/people/${person.id}/portal/invitation`), 403, 'an administrator cannot invite');
  eq((await peer.del(`/api/v1/people/${person.id}/portal`)).status, 204, 'ended');
  eq((await peer.get(`/api/v1/people/${person.id}/portal`)).json.status, 'ended', 'ended');
  expectProblem(await back.get('/api/v1/portal/me'), 401, 'the session ended with it');
  expectProblem(await new Client(srv.url).post('/api/v1/portal/session', { sign_in_name: them.name, passphrase: PASS }), 401, 'no more sign-in');
  const never = await createPerson(peer);
  expectProblem(await peer.del(`/api/v1/people/${never.id}/portal`), 404, 'never invited');
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'portal_account' && x.action === 'invite' && x.detail === 'reissued'), 'the re-issue is audited');
  assert(audit.some((x) => x.object_type === 'portal_account' && x.action === 'end'), 'the end is audited');
});

test('wrong passphrases back off and lock the name', async () => {
  const { person } = await personWithRecord();
  const them = await activate((await invite(person.id)).code);
  let last;
  for (let i = 0; i < 6; i++) {
    last = await new Client(srv.url).post('/api/v1/portal/session', { sign_in_name: them.name, passphrase: 'wrong passphrase here' });
    if (last.status === 429) break;
  }
  eq(last.status, 429, 'backing off');
  assert(Number(last.headers.get('retry-after')) > 0, 'with Retry-After');
});

test('the demo person signs in to their portal with the demo password', async () => {
  const c = new Client(srv.url);
  const r = await c.post('/api/v1/portal/session', { sign_in_name: 'demo.person', passphrase: PASSWORD });
  eq(r.status, 201, `signed in (${r.text.slice(0, 200)})`);
  const plans = await c.get('/api/v1/portal/plans');
  assert(plans.json.items.some((x) => x.kind === 'crisis'), 'a crisis plan');
  assert(plans.json.items.some((x) => x.status === 'draft'), 'a draft to suggest changes to');
  assert((await c.get('/api/v1/portal/notes')).json.items.length > 0, 'signed notes');
});

test('no 5xx', async () => {
  expectNo5xx(srv);
});
