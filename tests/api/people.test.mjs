// The people we support: create, read, change (with versions), contacts,
// family links, enrollment episodes, discharge and status rules.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import {
  expectProblem, expectFields, createPerson, personBody, findPerson, EPISODE, expectNo5xx, sqlite,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const peer2 = await signedIn(srv.url, 'peer.north2', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const people = '/api/v1/people';
const NOBODY = '01900000-0000-7000-8000-000000000000';

const etag = (r) => r.headers.get('etag');
function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

test('a peer sees their team roster (20 north people in the demo)', async () => {
  const r = await peer.get(`${people}?limit=200`);
  eq(r.status, 200, 'status');
  eq(r.json.items.length, 20, 'north people');
  assert(r.json.items.every((p) => p.team === 'north'), 'only north people');
  eq(r.json.next, null, 'one page');
  for (const p of r.json.items) {
    assert(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(p.id), `a UUIDv7 id: ${p.id}`);
    assert(Number.isInteger(p.version) && p.version >= 1, 'a version');
    assert(typeof p.preferred_name === 'string', 'a name');
    assert(['outreach', 'active', 'discharged'].includes(p.status), 'a status');
  }
  const names = r.json.items.map((p) => p.preferred_name);
  assert(names.includes('Jonathan Brightwater'), 'Jonathan Brightwater is on the north roster');
});

test('GET /api/v1/reference lists statuses, codes and the follow-up interval', async () => {
  const before = new Date().toISOString().slice(0, 10);
  const r = await peer.get('/api/v1/reference');
  const afterwards = new Date().toISOString().slice(0, 10);
  eq(r.status, 200, 'status');
  eq(JSON.stringify(r.json.statuses), '["outreach","active","discharged"]', 'statuses');
  for (const k of ['languages', 'referral_sources', 'discharge_reasons', 'exit_strategies']) {
    assert(Array.isArray(r.json[k]) && r.json[k].length > 0, `${k} listed`);
    assert(r.json[k].every((x) => typeof x.code === 'string' && typeof x.label === 'string'), `${k} have code and label`);
  }
  assert(r.json.languages.some((l) => l.code === 'en'), 'English');
  assert(r.json.referral_sources.some((l) => l.code === 'self'), 'self-referral');
  assert(Number.isInteger(r.json.follow_up_days) && r.json.follow_up_days > 0, 'follow_up_days');
  assert(typeof r.json.rules_versions.episode === 'string', 'episode rules version');
  eq(r.json.time_zone, 'UTC', 'the organisation\'s time zone (the demo\'s default)');
  assert(r.json.today === before || r.json.today === afterwards, `today in that zone (${r.json.today})`);
});

test('POST /api/v1/people creates a person in outreach: 201, Location, ETag, every field', async () => {
  const body = personBody({
    preferred_name: 'Marigold Thistledown',
    legal_name: 'Marigold Anne Thistledown',
    pronouns: 'she/her',
    date_of_birth: '1988-07-30',
    phone: '555-0177',
    language: 'es',
    contacts: [
      { kind: 'natural_support', name: 'Basil Thistledown', relationship: 'brother', note: 'Calls on Sundays' },
      { kind: 'emergency_contact', name: 'Rowan Pebblebrook', relationship: 'friend', phone: '555-0188' },
    ],
  });
  const r = await peer.post(people, body);
  eq(r.status, 201, `status (${r.text.slice(0, 200)})`);
  const p = r.json;
  eq(r.headers.get('location'), `/api/v1/people/${p.id}`, 'Location');
  eq(etag(r), '"1"', 'ETag');
  eq(p.version, 1, 'version');
  eq(p.status, 'outreach', 'status');
  eq(p.team, 'north', 'the peer\'s only team by default');
  for (const k of ['preferred_name', 'legal_name', 'pronouns', 'date_of_birth', 'phone', 'language']) eq(p[k], body[k], k);
  eq(p.contacts.length, 2, 'contacts');
  eq(p.contacts[0].kind, 'natural_support', 'first contact kind');
  eq(p.contacts[0].name, 'Basil Thistledown', 'first contact name');
  eq(p.contacts[0].note, 'Calls on Sundays', 'first contact note');
  eq(p.contacts[0].phone, null, 'a natural support needs no phone');
  eq(p.contacts[1].kind, 'emergency_contact', 'second contact kind');
  eq(p.contacts[1].phone, '555-0188', 'emergency phone');
  eq(JSON.stringify(p.links), '[]', 'no links');
  eq(JSON.stringify(p.episodes), '[]', 'no episodes');
  assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(p.created_at), 'created_at in UTC');
  eq(p.created_at, p.updated_at, 'updated_at');
  // Only the preferred name is required.
  const min = await peer.post(people, { preferred_name: 'Juniper Ashgrove' });
  eq(min.status, 201, 'a name alone is enough');
  eq(min.json.phone, null, 'no phone needed');
  eq(min.json.status, 'outreach', 'outreach');
  // An explicit team and status=outreach are accepted.
  const t = await peer.post(people, personBody({ team: 'north', status: 'outreach' }));
  eq(t.status, 201, 'explicit team and outreach');
});

test('GET /api/v1/people/{id} returns the record with its ETag; unknown ids are 404', async () => {
  const p = await createPerson(peer, { preferred_name: 'Clover Wickhamble' });
  const r = await peer.get(`${people}/${p.id}`);
  eq(r.status, 200, 'status');
  eq(etag(r), `"${p.version}"`, 'ETag');
  eq(JSON.stringify(r.json), JSON.stringify(p), 'same as created');
  // Any peer of the team reads it: a roster, not a caseload.
  eq((await peer2.get(`${people}/${p.id}`)).status, 200, 'another peer of the team');
  expectProblem(await peer.get(`${people}/${NOBODY}`), 404, 'unknown id');
  expectProblem(await peer.get(`${people}/not-an-id`), 404, 'malformed id');
  expectProblem(await peer.get(`${people}/${p.id.toUpperCase()}`), 404, 'upper-case id');
});

test('PATCH /api/v1/people/{id} with If-Match changes the given fields and bumps the version', async () => {
  const p = await createPerson(peer, { legal_name: 'Clover Ann Wickhamble', preferred_name: 'Clover Wickhamble' });
  let r = await peer2.patch(`${people}/${p.id}`, { pronouns: 'they/them', phone: '555-0133', legal_name: null },
    { headers: { 'If-Match': etag(await peer2.get(`${people}/${p.id}`)) } });
  eq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  eq(etag(r), `"${p.version + 1}"`, 'ETag of the new version');
  eq(r.json.version, p.version + 1, 'version');
  eq(r.json.pronouns, 'they/them', 'pronouns');
  eq(r.json.phone, '555-0133', 'phone');
  eq(r.json.legal_name, null, 'legal_name cleared');
  eq(r.json.preferred_name, p.preferred_name, 'untouched field kept');
  eq(r.json.date_of_birth, p.date_of_birth, 'untouched date kept');
  eq(r.json.created_at, p.created_at, 'created_at kept');
  const g = await peer.get(`${people}/${p.id}`);
  eq(JSON.stringify(g.json), JSON.stringify(r.json), 'the read agrees');
  // merge-patch+json is accepted too.
  r = await peer.patch(`${people}/${p.id}`, undefined, {
    raw: JSON.stringify({ preferred_name: 'Clover W.' }),
    headers: { 'If-Match': etag(g), 'Content-Type': 'application/merge-patch+json' },
  });
  eq(r.status, 200, 'merge-patch');
  eq(r.json.preferred_name, 'Clover W.', 'renamed');
  // Contacts are replaced as a whole.
  r = await peer.patch(`${people}/${p.id}`, { contacts: [{ kind: 'emergency_contact', name: 'Hazel Wickhamble', phone: '555-0111' }] },
    { headers: { 'If-Match': etag(r) } });
  eq(r.status, 200, 'contacts');
  eq(r.json.contacts.length, 1, 'one contact');
  r = await peer.patch(`${people}/${p.id}`, { contacts: [] }, { headers: { 'If-Match': etag(r) } });
  eq(r.json.contacts.length, 0, 'contacts emptied');
});

test('nothing a peer wrote is deleted: replaced contacts and links stay, marked removed; old values are kept', async () => {
  const p = await createPerson(peer, {
    preferred_name: 'Juniper Oakhollow',
    pronouns: 'she/her',
    contacts: [{ kind: 'natural_support', name: 'Rowan Oakhollow', relationship: 'brother' }],
  });
  const other = await createPerson(peer, { preferred_name: 'Basil Oakhollow' });
  let r = await peer.patch(`${people}/${p.id}`, {
    pronouns: 'she/they',
    contacts: [{ kind: 'natural_support', name: 'Sage Oakhollow', relationship: 'sister' }],
    links: [{ person_id: other.id, relationship: 'cousin' }],
  }, { headers: { 'If-Match': `"${p.version}"` } });
  eq(r.status, 200, `patch (${r.text.slice(0, 200)})`);
  r = await peer.patch(`${people}/${p.id}`, { links: [] }, { headers: { 'If-Match': etag(r) } });
  eq(r.status, 200, 'links emptied');
  eq(r.json.contacts.map((c) => c.name).join(), 'Sage Oakhollow', 'the record shows the list in force');
  eq(r.json.links.length, 0, 'no links in force');
  const q = (sql) => sqlite(srv.db, sql).stdout;
  eq(q(`SELECT name || ':' || CASE WHEN removed_at IS NULL THEN 0 ELSE 1 END || ':' || CASE WHEN removed_by IS NULL THEN 0 ELSE 1 END FROM person_contact WHERE person_id = '${p.id}' ORDER BY created_at, position;`),
    'Rowan Oakhollow:1:1\nSage Oakhollow:0:0', 'the replaced contact is kept, marked removed by someone');
  eq(q(`SELECT count(*) FROM person_link WHERE person_id = '${p.id}' AND removed_at IS NOT NULL;`), '1', 'the removed link is kept');
  eq(q(`SELECT version || ':' || field || ':' || old_value FROM person_field_history WHERE person_id = '${p.id}';`),
    `${p.version}:pronouns:she/her`, 'the old pronouns are kept with the version they belonged to');
});

test('PATCH without If-Match is 428 and changes nothing', async () => {
  const p = await createPerson(peer);
  const r = await peer.patch(`${people}/${p.id}`, { pronouns: 'he/him' });
  const prob = expectProblem(r, 428);
  eq(prob.type, 'urn:alongside:problem:if-match-required', 'type');
  const g = await peer.get(`${people}/${p.id}`);
  eq(g.json.version, p.version, 'version');
  eq(g.json.pronouns, p.pronouns, 'pronouns');
});

test('a stale If-Match is 412 with both versions, and the record is unchanged', async () => {
  const p = await createPerson(peer);
  const first = await peer.patch(`${people}/${p.id}`, { pronouns: 'he/him' }, { headers: { 'If-Match': '"1"' } });
  eq(first.status, 200, 'first change');
  const r = await peer2.patch(`${people}/${p.id}`, { pronouns: 'she/her', phone: '555-0999' }, { headers: { 'If-Match': '"1"' } });
  const prob = expectProblem(r, 412);
  eq(prob.type, 'urn:alongside:problem:stale-version', 'type');
  eq(prob.current_version, 2, 'current_version');
  eq(prob.your_version, 1, 'your_version');
  eq(etag(r), '"2"', 'ETag of the current version');
  const g = await peer.get(`${people}/${p.id}`);
  eq(g.json.version, 2, 'version');
  eq(g.json.pronouns, 'he/him', 'pronouns not overwritten');
  eq(g.json.phone, p.phone, 'phone not overwritten');
  // A version from the future is stale too.
  expectProblem(await peer.patch(`${people}/${p.id}`, { pronouns: 'she/her' }, { headers: { 'If-Match': '"3"' } }), 412, 'future version');
});

test('concurrent PATCHes with the same version: exactly one wins, the rest get 412', async () => {
  const p = await createPerson(peer);
  const clients = [peer, peer2, peer, peer2, peer, peer2, peer, peer2];
  const results = await Promise.all(clients.map((c, i) => c.patch(`${people}/${p.id}`, { pronouns: `pronoun-${i}` },
    { headers: { 'If-Match': `"${p.version}"` } })));
  const wins = results.filter((r) => r.status === 200);
  const stale = results.filter((r) => r.status === 412);
  eq(wins.length, 1, `one winner (statuses ${results.map((r) => r.status)})`);
  eq(stale.length, results.length - 1, 'the rest are stale');
  const g = await peer.get(`${people}/${p.id}`);
  eq(g.json.version, p.version + 1, 'one new version');
  eq(g.json.pronouns, wins[0].json.pronouns, 'the winner\'s change is kept');
  assert(stale.every((r) => r.json.current_version === p.version + 1), 'stale answers name the new version');
});

test('family and parent links to another person on the same roster', async () => {
  const parent = await createPerson(peer, { preferred_name: 'Rosemary Fenwickle' });
  const child = await peer.post(people, personBody({
    preferred_name: 'Tansy Fenwickle', links: [{ person_id: parent.id, relationship: 'parent' }],
  }));
  eq(child.status, 201, `created with a link (${child.text.slice(0, 200)})`);
  eq(JSON.stringify(child.json.links), JSON.stringify([{ person_id: parent.id, relationship: 'parent' }]), 'link stored');
  const g = await peer2.get(`${people}/${child.json.id}`);
  eq(g.json.links[0].person_id, parent.id, 'link read back');
  // Linking to someone on another team's roster is refused as if they did
  // not exist.
  const southPerson = await findPerson(south, 'José');
  const r = await peer.post(people, personBody({ links: [{ person_id: southPerson.id, relationship: 'parent' }] }));
  expectFields(r, ['links[0].person_id'], { exact: true });
  const r2 = await peer.post(people, personBody({ links: [{ person_id: NOBODY, relationship: 'parent' }] }));
  expectFields(r2, ['links[0].person_id'], { exact: true });
  eq(r.json.errors[0].message, r2.json.errors[0].message, 'the same message as for nobody');
  // Listed twice.
  const r3 = await peer.post(people, personBody({
    links: [{ person_id: parent.id, relationship: 'parent' }, { person_id: parent.id, relationship: 'aunt' }],
  }));
  expectFields(r3, ['links[1].person_id'], { exact: true });
  // Links are replaced by PATCH, and may be emptied.
  const u = await peer.patch(`${people}/${child.json.id}`, { links: [] }, { headers: { 'If-Match': etag(child) } });
  eq(u.status, 200, 'links emptied');
  eq(u.json.links.length, 0, 'no links');
  const back = await peer.patch(`${people}/${child.json.id}`, { links: [{ person_id: southPerson.id, relationship: 'parent' }] }, { headers: { 'If-Match': etag(u) } });
  expectFields(back, ['links[0].person_id'], { exact: true });
});

test('enrollment: the person\'s agreement starts an episode and makes them active; a second is 409', async () => {
  const p = await createPerson(peer, { preferred_name: 'Sage Hollowbrook' });
  const r = await peer.post(`${people}/${p.id}/episodes`, { ...EPISODE, referral_source: 'family_or_friend' });
  eq(r.status, 201, `status (${r.text.slice(0, 200)})`);
  const e = r.json;
  eq(etag(r), `"${e.version}"`, 'ETag');
  eq(e.version, 1, 'version');
  eq(e.status, 'open', 'open');
  eq(e.agreement_date, EPISODE.agreement_date, 'agreement_date');
  eq(e.agreement_witness, EPISODE.agreement_witness, 'agreement_witness');
  eq(e.intake_date, EPISODE.intake_date, 'intake_date');
  eq(e.referral_source, 'family_or_friend', 'referral_source');
  eq(e.discharge_date, null, 'not discharged');
  eq(e.follow_up_due, null, 'no follow-up yet');
  assert(typeof e.rules_version === 'string' && e.rules_version.length > 0, 'rules version recorded');
  const g = await peer.get(`${people}/${p.id}`);
  eq(g.json.status, 'active', 'active');
  eq(g.json.version, p.version + 1, 'the person\'s version moved');
  eq(g.json.episodes.length, 1, 'one episode');
  eq(g.json.episodes[0].id, e.id, 'the episode');
  const again = await peer2.post(`${people}/${p.id}/episodes`, EPISODE);
  const prob = expectProblem(again, 409, 'enrolling twice');
  eq(prob.type, 'urn:alongside:problem:episode-open', 'type');
  eq((await peer.get(`${people}/${p.id}`)).json.episodes.length, 1, 'still one episode');
  // Same-day agreement and intake is fine.
  const q = await createPerson(peer);
  eq((await peer.post(`${people}/${q.id}/episodes`, { ...EPISODE, agreement_date: '2026-02-02', intake_date: '2026-02-02' })).status, 201, 'same day');
});

test('discharge: reason and exit strategy close the episode, set discharged and the follow-up due date', async () => {
  const ref = (await peer.get('/api/v1/reference')).json;
  const p = await createPerson(peer, { preferred_name: 'Linden Marshwhistle' });
  const e = (await peer.post(`${people}/${p.id}/episodes`, EPISODE)).json;
  const url = `${people}/${p.id}/episodes/${e.id}/discharge`;
  const body = { discharge_date: '2026-03-15', reason: 'goals_reached', exit_strategy: 'natural_supports' };
  // A stale episode version first.
  let r = await peer.post(url, body, { headers: { 'If-Match': `"${e.version + 5}"` } });
  let prob = expectProblem(r, 412, 'stale episode version');
  eq(prob.current_version, e.version, 'current_version');
  eq(prob.your_version, e.version + 5, 'your_version');
  eq((await peer.get(`${people}/${p.id}`)).json.status, 'active', 'still active after 412');
  expectProblem(await peer.post(url, body), 428, 'no If-Match');
  r = await peer.post(url, body, { headers: { 'If-Match': `"${e.version}"` } });
  eq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  eq(r.json.version, e.version + 1, 'episode version');
  eq(etag(r), `"${e.version + 1}"`, 'ETag');
  eq(r.json.status, 'closed', 'closed');
  eq(r.json.discharge_date, '2026-03-15', 'discharge_date');
  eq(r.json.discharge_reason, 'goals_reached', 'reason');
  eq(r.json.exit_strategy, 'natural_supports', 'exit strategy');
  eq(r.json.follow_up_due, addDays('2026-03-15', ref.follow_up_days), 'follow-up due');
  const g = await peer.get(`${people}/${p.id}`);
  eq(g.json.status, 'discharged', 'discharged');
  eq(g.json.episodes[0].follow_up_due, addDays('2026-03-15', ref.follow_up_days), 'follow-up on the record');
  // Twice: with the current version it is a conflict; with the old, stale.
  prob = expectProblem(await peer.post(url, body, { headers: { 'If-Match': `"${e.version + 1}"` } }), 409, 'discharging twice');
  eq(prob.type, 'urn:alongside:problem:episode-closed', 'type');
  expectProblem(await peer.post(url, body, { headers: { 'If-Match': `"${e.version}"` } }), 412, 'discharging twice with the old version');
  // A discharge date before the intake is refused.
  const q = await createPerson(peer);
  const qe = (await peer.post(`${people}/${q.id}/episodes`, EPISODE)).json;
  expectFields(await peer.post(`${people}/${q.id}/episodes/${qe.id}/discharge`, { ...body, discharge_date: '2026-01-01' },
    { headers: { 'If-Match': `"${qe.version}"` } }), ['discharge_date'], { exact: true });
  // The follow-up crosses month and year ends.
  const d = await peer.post(`${people}/${q.id}/episodes/${qe.id}/discharge`, { ...body, discharge_date: '2026-01-31' },
    { headers: { 'If-Match': `"${qe.version}"` } });
  eq(d.status, 200, 'discharged');
  eq(d.json.follow_up_due, addDays('2026-01-31', ref.follow_up_days), 'follow-up across a month end');
});

test('episodes of unknown people, unknown episodes and another person\'s episode are 404', async () => {
  const a = await createPerson(peer);
  const b = await createPerson(peer);
  const ea = (await peer.post(`${people}/${a.id}/episodes`, EPISODE)).json;
  const body = { discharge_date: '2026-03-15', reason: 'moved', exit_strategy: 'own_plan' };
  const h = { headers: { 'If-Match': '"1"' } };
  expectProblem(await peer.post(`${people}/${NOBODY}/episodes`, EPISODE), 404, 'enroll nobody');
  expectProblem(await peer.post(`${people}/not-an-id/episodes`, EPISODE), 404, 'enroll a malformed id');
  expectProblem(await peer.post(`${people}/${a.id}/episodes/${NOBODY}/discharge`, body, h), 404, 'unknown episode');
  expectProblem(await peer.post(`${people}/${b.id}/episodes/${ea.id}/discharge`, body, h), 404, 'someone else\'s episode');
  expectProblem(await peer.post(`${people}/${a.id}/episodes/x/discharge`, body, h), 404, 'malformed episode id');
  eq((await peer.get(`${people}/${a.id}`)).json.status, 'active', 'a untouched');
});

test('status: not PATCHed to active or discharged; a discharged person may return to outreach and enroll again', async () => {
  const p = await createPerson(peer);
  let r = await peer.patch(`${people}/${p.id}`, { status: 'active' }, { headers: { 'If-Match': `"${p.version}"` } });
  expectFields(r, ['status'], { exact: true, what: 'outreach to active' });
  r = await peer.patch(`${people}/${p.id}`, { status: 'discharged' }, { headers: { 'If-Match': `"${p.version}"` } });
  expectFields(r, ['status'], { exact: true, what: 'outreach to discharged' });
  eq((await peer.get(`${people}/${p.id}`)).json.status, 'outreach', 'still outreach');
  const e = (await peer.post(`${people}/${p.id}/episodes`, EPISODE)).json;
  let g = await peer.get(`${people}/${p.id}`);
  r = await peer.patch(`${people}/${p.id}`, { status: 'discharged' }, { headers: { 'If-Match': etag(g) } });
  expectFields(r, ['status'], { exact: true, what: 'active to discharged' });
  r = await peer.patch(`${people}/${p.id}`, { status: 'outreach' }, { headers: { 'If-Match': etag(g) } });
  expectFields(r, ['status'], { exact: true, what: 'active to outreach' });
  await peer.post(`${people}/${p.id}/episodes/${e.id}/discharge`, { discharge_date: '2026-02-01', reason: 'chose_to_end', exit_strategy: 'own_plan' },
    { headers: { 'If-Match': `"${e.version}"` } });
  g = await peer.get(`${people}/${p.id}`);
  eq(g.json.status, 'discharged', 'discharged');
  r = await peer.patch(`${people}/${p.id}`, { status: 'active' }, { headers: { 'If-Match': etag(g) } });
  expectFields(r, ['status'], { exact: true, what: 'discharged to active' });
  r = await peer.patch(`${people}/${p.id}`, { status: 'outreach' }, { headers: { 'If-Match': etag(g) } });
  eq(r.status, 200, `discharged to outreach (${r.text.slice(0, 200)})`);
  eq(r.json.status, 'outreach', 'back in outreach');
  // A new episode may not start before the last one ended.
  expectFields(await peer.post(`${people}/${p.id}/episodes`, { ...EPISODE, agreement_date: '2026-01-10', intake_date: '2026-01-20' }),
    ['intake_date'], { exact: true });
  const again = await peer.post(`${people}/${p.id}/episodes`, { ...EPISODE, agreement_date: '2026-02-03', intake_date: '2026-02-04' });
  eq(again.status, 201, 're-enrolled');
  g = await peer.get(`${people}/${p.id}`);
  eq(g.json.status, 'active', 'active again');
  eq(g.json.episodes.length, 2, 'two episodes');
  eq(g.json.episodes[0].id, again.json.id, 'newest first');
});

test('concurrent enrollments and discharges of one person: exactly one succeeds', async () => {
  const p = await createPerson(peer);
  const starts = await Promise.all([peer, peer2, peer, peer2, peer, peer2].map((c) => c.post(`${people}/${p.id}/episodes`, EPISODE)));
  const won = starts.filter((r) => r.status === 201);
  eq(won.length, 1, `one enrollment (statuses ${starts.map((r) => r.status)})`);
  assert(starts.every((r) => r.status === 201 || r.status === 409), 'the rest are conflicts');
  const e = won[0].json;
  const url = `${people}/${p.id}/episodes/${e.id}/discharge`;
  const body = { discharge_date: '2026-03-01', reason: 'moved', exit_strategy: 'own_plan' };
  const ends = await Promise.all([peer, peer2, peer, peer2].map((c) => c.post(url, body, { headers: { 'If-Match': `"${e.version}"` } })));
  eq(ends.filter((r) => r.status === 200).length, 1, `one discharge (statuses ${ends.map((r) => r.status)})`);
  assert(ends.every((r) => r.status === 200 || r.status === 412), 'the rest are stale');
  const g = await peer.get(`${people}/${p.id}`);
  eq(g.json.episodes.length, 1, 'one episode');
  eq(g.json.status, 'discharged', 'discharged');
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
