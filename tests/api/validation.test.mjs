// Strict validation: every bad body or query is a 400 problem+json whose
// errors name the fields, never quotes the submitted value, and is never
// a 500.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import {
  expectProblem, expectFields, expectNoEcho, createPerson, personBody, allPages, expectNo5xx, EPISODE,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
// A distinctive string: if it appears in an answer, the answer echoed input.
const SECRET = 'Xylophonic-Marker-48213';

const people = '/api/v1/people';
const post = (body) => peer.post(people, body);
const postRaw = (raw) => peer.post(people, undefined, { raw, headers: { 'Content-Type': 'application/json' } });

test('a missing required field is named', async () => {
  const r = await post({ pronouns: 'she/her' });
  expectFields(r, ['preferred_name'], { exact: true });
  const blank = await post({ preferred_name: '   ' });
  expectFields(blank, ['preferred_name'], { exact: true });
  const nul = await post({ preferred_name: null });
  expectFields(nul, ['preferred_name'], { exact: true });
});

test('unknown keys are named (and an unplain key is not quoted back)', async () => {
  const r = await post(personBody({ favourite_colour: SECRET }));
  expectFields(r, ['favourite_colour'], { exact: true });
  expectNoEcho(r, SECRET);
  const odd = await post(personBody({ [`${SECRET} <script>`]: 1 }));
  const named = expectFields(odd, [], {});
  eq(named.length, 1, 'one error');
  expectNoEcho(odd, SECRET);
  expectNoEcho(odd, '<script>');
});

test('wrong types are named', async () => {
  const r = await post({ preferred_name: 42, phone: 5550142, contacts: SECRET, links: {}, language: ['en'], date_of_birth: true });
  expectFields(r, ['preferred_name', 'phone', 'contacts', 'links', 'language', 'date_of_birth'], { exact: true });
  expectNoEcho(r, SECRET);
});

test('bad dates: impossible days, other formats, the future, before 1900', async () => {
  for (const d of ['2023-02-29', '2026-13-01', '2026-04-31', '12/04/1990', '1990-4-12', '19900412', '1990-04-12T00:00:00Z', '', '2099-01-01', '1899-12-31']) {
    const r = await post(personBody({ date_of_birth: d }));
    expectFields(r, ['date_of_birth'], { exact: true, what: `date_of_birth ${JSON.stringify(d)}` });
    if (d.length > 4) expectNoEcho(r, d, `date ${d}`);
  }
  // A real leap day is a date.
  const ok = await post(personBody({ date_of_birth: '2000-02-29' }));
  eq(ok.status, 201, `2000-02-29 accepted (${ok.text.slice(0, 200)})`);
  eq(ok.json.date_of_birth, '2000-02-29', 'stored as given');
});

test('names over 100 characters are refused; exactly 100 (in characters, not bytes) is fine', async () => {
  const long = `${SECRET}${'n'.repeat(101 - SECRET.length)}`;
  for (const field of ['preferred_name', 'legal_name']) {
    const r = await post(personBody({ [field]: long }));
    expectFields(r, [field], { exact: true });
    expectNoEcho(r, SECRET);
  }
  const r = await post(personBody({ contacts: [{ kind: 'natural_support', name: long }] }));
  expectFields(r, ['contacts[0].name'], { exact: true });
  // 100 accented letters are 200 bytes but 100 characters.
  const hundred = `Testperson ${'é'.repeat(89)}`;
  eq([...hundred].length, 100, 'fixture length');
  const ok = await post(personBody({ preferred_name: hundred, legal_name: 'x'.repeat(100) }));
  eq(ok.status, 201, `100 characters accepted (${ok.text.slice(0, 200)})`);
  eq(ok.json.preferred_name, hundred, 'stored whole');
  const over = await post(personBody({ preferred_name: `Testperson ${'é'.repeat(90)}` }));
  expectFields(over, ['preferred_name'], { exact: true });
  // Pronouns are short.
  expectFields(await post(personBody({ pronouns: 'p'.repeat(61) })), ['pronouns'], { exact: true });
  // Huge strings are refused without trouble.
  const huge = await post(personBody({ preferred_name: `${SECRET}${'z'.repeat(100000)}` }));
  expectFields(huge, ['preferred_name'], { exact: true });
  expectNoEcho(huge, SECRET);
});

test('control characters and NUL in text are refused', async () => {
  for (const bad of ['Tab\there', 'New\nline', 'Bell\u0007', 'Del\u007f']) {
    const r = await post(personBody({ preferred_name: bad }));
    expectFields(r, ['preferred_name'], { exact: true, what: JSON.stringify(bad) });
  }
  // The JSON parser itself refuses an escaped NUL.
  const nul = await post(personBody({ preferred_name: 'Nul\u0000byte' }));
  const named = expectFields(nul, [], { what: 'NUL' });
  assert(named.length === 1 && ['body', 'preferred_name'].includes(named[0]), `NUL named ${named}`);
  // A contact note may span lines.
  const ok = await post(personBody({ contacts: [{ kind: 'natural_support', name: 'Fern Oakhollow', note: 'Line one\nLine two' }] }));
  eq(ok.status, 201, `multi-line note (${ok.text.slice(0, 200)})`);
});

test('bad phone numbers are named, in the person and in a contact', async () => {
  for (const bad of ['call me maybe', '12', `555-0100 ${SECRET}`, '5'.repeat(40), '555;0100']) {
    const r = await post(personBody({ phone: bad }));
    expectFields(r, ['phone'], { exact: true, what: `phone ${bad}` });
    expectNoEcho(r, SECRET);
  }
  for (const good of ['555-0100', '+1 (555) 010-0100 x12', '555.0100']) {
    const r = await post(personBody({ phone: good }));
    eq(r.status, 201, `phone ${good} accepted`);
  }
  const r = await post(personBody({ contacts: [{ kind: 'natural_support', name: 'Fern Oakhollow', phone: SECRET }] }));
  expectFields(r, ['contacts[0].phone'], { exact: true });
  expectNoEcho(r, SECRET);
});

test('values outside their lists are named: status, language, contact kind, team', async () => {
  const r = await post(personBody({ status: SECRET, language: 'tlh', contacts: [{ kind: SECRET, name: 'Fern Oakhollow' }], team: 'nowhere' }));
  expectFields(r, ['status', 'language', 'contacts[0].kind', 'team'], { exact: true });
  expectNoEcho(r, SECRET);
  // A new person starts in outreach.
  expectFields(await post(personBody({ status: 'active' })), ['status'], { exact: true });
  expectFields(await post(personBody({ team: null })), ['team'], { exact: true });
});

test('read-only fields are refused by name', async () => {
  const r = await post(personBody({ id: '01900000-0000-7000-8000-000000000000', version: 7, created_at: 'x', updated_at: 'x', episodes: [], primary_peer_name: 'x' }));
  expectFields(r, ['id', 'version', 'created_at', 'updated_at', 'episodes', 'primary_peer_name'], { exact: true });
  assert(r.json.errors.every((e) => /read-only/.test(e.message)), 'said to be read-only');
  const p = await createPerson(peer);
  const u = await peer.patch(`${people}/${p.id}`, { version: 99, id: p.id }, { headers: { 'If-Match': `"${p.version}"` } });
  expectFields(u, ['version', 'id'], { exact: true });
});

test('nested errors are named with their path: contacts[i].field, links[i].field', async () => {
  // The shape of each item...
  let r = await post(personBody({
    contacts: [
      { kind: 'natural_support', name: 'Fern Oakhollow' },
      { kind: 'natural_support', name: 'Moss Oakhollow', extra: 1 },
      'not an object',
      { kind: 'natural_support' },
      { kind: 'natural_support', name: 'Moss Oakhollow', phone: 5550100 },
    ],
    links: [{ person_id: '01900000-0000-7000-8000-000000000000' }, { person_id: 7, relationship: 'parent' }],
  }));
  expectFields(r, ['contacts[1].extra', 'contacts[2]', 'contacts[3].name', 'contacts[4].phone',
    'links[0].relationship', 'links[1].person_id'], { exact: true });
  // ...and the values in them.
  r = await post(personBody({
    contacts: [
      { kind: 'natural_support', name: 'Fern Oakhollow' },
      { kind: 'emergency_contact', name: 'Bramble Oakhollow', phone: `zz ${SECRET}` },
      { kind: 'emergency_contact', name: 'Sorrel Oakhollow' },
      { kind: 'natural_support', name: '  ' },
      { kind: 'natural_support', name: 'Moss Oakhollow', relationship: 'r'.repeat(61) },
    ],
    links: [{ person_id: 'not-an-id', relationship: 'parent' }, { person_id: '01900000-0000-7000-8000-000000000000', relationship: '' }],
  }));
  // links[1] names nobody on the roster, as well as lacking a relationship.
  expectFields(r, ['contacts[1].phone', 'contacts[2].phone', 'contacts[3].name', 'contacts[4].relationship',
    'links[0].person_id', 'links[1].person_id', 'links[1].relationship'], { exact: true });
  expectNoEcho(r, SECRET);
  const many = await post(personBody({ contacts: Array.from({ length: 21 }, (_, i) => ({ kind: 'natural_support', name: `Fern ${i}` })) }));
  expectFields(many, ['contacts'], { exact: true });
});

test('a body that is not an object, not JSON, empty, or has duplicate keys is a 400 naming body', async () => {
  for (const raw of ['[]', '"a string"', '42', 'null', 'true']) {
    expectFields(await postRaw(raw), ['body'], { exact: true, what: raw });
  }
  const broken = await postRaw(`{"preferred_name": "${SECRET}", `);
  expectFields(broken, ['body'], { exact: true, what: 'truncated JSON' });
  expectNoEcho(broken, SECRET);
  const garbage = await postRaw(`${SECRET} not json at all`);
  expectFields(garbage, ['body'], { exact: true, what: 'garbage' });
  expectNoEcho(garbage, SECRET);
  expectFields(await postRaw(''), ['body'], { exact: true, what: 'empty' });
  const dup = await postRaw(`{"preferred_name":"Testperson Dupone","preferred_name":"${SECRET}"}`);
  expectFields(dup, ['body'], { exact: true, what: 'duplicate keys' });
  expectNoEcho(dup, SECRET);
  const nestedDup = await postRaw(`{"preferred_name":"Testperson Duptwo","contacts":[{"kind":"natural_support","name":"A","name":"${SECRET}"}]}`);
  expectFields(nestedDup, ['body'], { exact: true, what: 'nested duplicate keys' });
  expectNoEcho(nestedDup, SECRET);
  // Bytes that are not UTF-8, deep nesting, huge numbers.
  const notUtf8 = await peer.post(people, undefined, {
    raw: Buffer.concat([Buffer.from('{"preferred_name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
    headers: { 'Content-Type': 'application/json' },
  });
  expectFields(notUtf8, ['body'], { exact: true, what: 'invalid UTF-8' });
  const deep = await postRaw(`${'['.repeat(5000)}${']'.repeat(5000)}`);
  expectProblem(deep, 400, 'deep nesting');
  const deepObj = await postRaw(`{"preferred_name":"Testperson Deep","contacts":${'['.repeat(3000)}${']'.repeat(3000)}}`);
  expectProblem(deepObj, 400, 'deep nesting inside');
  const bigNum = await postRaw('{"preferred_name":"Testperson Bignum","version":1e400}');
  expectProblem(bigNum, 400, 'huge number');
  const bigInt = await postRaw('{"preferred_name":"Testperson Bigint","phone":123456789012345678901234567890}');
  expectProblem(bigInt, 400, 'huge integer');
  eq((await allPages(peer, `${people}?q=testperson+dup`)).length, 0, 'nothing was created');
});

test('many errors are reported at once, each field named once', async () => {
  // Values a person fills in on a form.
  let r = await post({
    preferred_name: 'n'.repeat(101), date_of_birth: '2023-02-29', phone: 'none', status: 'dormant',
    language: 'xx', team: 'nowhere', contacts: [{ kind: 'emergency_contact', name: 'Fern Oakhollow' }],
  });
  let named = expectFields(r, ['preferred_name', 'date_of_birth', 'phone', 'status', 'language', 'team', 'contacts[0].phone'], { exact: true });
  eq(new Set(named).size, named.length, 'no field named twice');
  eq(r.json.type, 'urn:alongside:problem:validation', 'type');
  assert(/fields/.test(r.json.detail), 'detail speaks of several fields');
  // The shape of the request.
  r = await post({ colour: 'blue', version: 3, phone: 5550100, legal_name: ['x'], contacts: {} });
  named = expectFields(r, ['colour', 'version', 'phone', 'legal_name', 'contacts', 'preferred_name'], { exact: true });
  eq(new Set(named).size, named.length, 'no field named twice');
});

test('PATCH validates like POST and changes nothing when it refuses', async () => {
  const p = await createPerson(peer);
  const r = await peer.patch(`${people}/${p.id}`, { preferred_name: '', phone: SECRET, date_of_birth: '2099-12-31' },
    { headers: { 'If-Match': `"${p.version}"` } });
  expectFields(r, ['preferred_name', 'phone', 'date_of_birth'], { exact: true });
  expectNoEcho(r, SECRET);
  expectFields(await peer.patch(`${people}/${p.id}`, { zz: 1, phone: 1 }, { headers: { 'If-Match': `"${p.version}"` } }), ['zz', 'phone'], { exact: true });
  expectFields(await peer.patch(`${people}/${p.id}`, { preferred_name: null }, { headers: { 'If-Match': `"${p.version}"` } }), ['preferred_name'], { exact: true });
  expectFields(await peer.patch(`${people}/${p.id}`, { team: 'nowhere' }, { headers: { 'If-Match': `"${p.version}"` } }), ['team'], { exact: true });
  expectFields(await peer.patch(`${people}/${p.id}`, { links: [{ person_id: p.id, relationship: 'self' }] }, { headers: { 'If-Match': `"${p.version}"` } }), ['links[0].person_id'], { exact: true });
  const now = await peer.get(`${people}/${p.id}`);
  eq(now.json.version, p.version, 'version unchanged');
  eq(now.json.preferred_name, p.preferred_name, 'name unchanged');
  eq(now.json.phone, p.phone, 'phone unchanged');
});

test('a malformed If-Match is a 400 naming If-Match', async () => {
  const p = await createPerson(peer);
  for (const h of ['1', 'W/"1"', '"abc"', '"-1"', '""', '"1" , "2"']) {
    const r = await peer.patch(`${people}/${p.id}`, { pronouns: 'she/her' }, { headers: { 'If-Match': h } });
    expectFields(r, ['If-Match'], { exact: true, what: `If-Match ${h}` });
  }
});

test('primary_peer must be an id of a peer or supervisor on the person\'s team', async () => {
  const staff = (await admin.get('/api/v1/staff')).json.items;
  const id = (u) => staff.find((s) => s.username === u).id;
  expectFields(await post(personBody({ primary_peer: 'peer.north' })), ['primary_peer'], { exact: true });
  expectFields(await post(personBody({ primary_peer: id('peer.south') })), ['primary_peer'], { exact: true });
  expectFields(await post(personBody({ primary_peer: id('admin') })), ['primary_peer'], { exact: true });
  expectFields(await post(personBody({ primary_peer: '01900000-0000-7000-8000-000000000000' })), ['primary_peer'], { exact: true });
  const ok = await post(personBody({ primary_peer: id('peer.north2') }));
  eq(ok.status, 201, 'a peer on the team');
  eq(ok.json.primary_peer, id('peer.north2'), 'stored');
  eq(ok.json.primary_peer_name, 'Casey Morgan', 'named');
  const sup = await post(personBody({ primary_peer: id('super.north') }));
  eq(sup.status, 201, 'a supervisor on the team');
});

test('episode and discharge bodies are validated field by field', async () => {
  const p = await createPerson(peer);
  const ep = `${people}/${p.id}/episodes`;
  expectFields(await peer.post(ep, {}), ['agreement_date', 'agreement_witness', 'intake_date', 'referral_source'], { exact: true });
  let r = await peer.post(ep, { ...EPISODE, agreement_date: '2023-02-29', intake_date: '2099-01-01', referral_source: SECRET });
  expectFields(r, ['agreement_date', 'intake_date', 'referral_source'], { exact: true });
  expectNoEcho(r, SECRET);
  expectFields(await peer.post(ep, { ...EPISODE, extra: 1 }), ['extra'], { exact: true });
  r = await peer.post(ep, { ...EPISODE, agreement_date: '2026-02-10', intake_date: '2026-02-01' });
  expectFields(r, ['agreement_date'], { exact: true, what: 'agreement after intake' });
  r = await peer.post(ep, { ...EPISODE, agreement_witness: 'w'.repeat(101) });
  expectFields(r, ['agreement_witness'], { exact: true });
  r = await peer.post(ep, { ...EPISODE, agreement_witness: 7 });
  expectFields(r, ['agreement_witness'], { exact: true });
  // Nothing was started by the refusals.
  eq((await peer.get(`${people}/${p.id}`)).json.episodes.length, 0, 'no episode');
  const started = await peer.post(ep, EPISODE);
  eq(started.status, 201, 'a good episode starts');
  const dis = `${ep}/${started.json.id}/discharge`;
  const v = { 'If-Match': `"${started.json.version}"` };
  expectFields(await peer.post(dis, {}, { headers: v }), ['discharge_date', 'reason', 'exit_strategy'], { exact: true });
  r = await peer.post(dis, { discharge_date: '2026-01-01', reason: SECRET, exit_strategy: 'teleport' }, { headers: v });
  expectFields(r, ['discharge_date', 'reason', 'exit_strategy'], { exact: true, what: 'discharge before intake, unknown codes' });
  expectNoEcho(r, SECRET);
  expectFields(await peer.post(dis, { discharge_date: '2026-03-01', reason: 'moved', exit_strategy: 'own_plan', x: 1 }, { headers: v }), ['x'], { exact: true });
  r = await peer.post(dis, { discharge_date: '2099-01-01', reason: 'moved', exit_strategy: 'own_plan' }, { headers: v });
  expectFields(r, ['discharge_date'], { exact: true, what: 'future discharge' });
  r = await peer.post(dis, { discharge_date: '2026-02-30', reason: 'moved', exit_strategy: 'own_plan' }, { headers: v });
  expectFields(r, ['discharge_date'], { exact: true, what: 'impossible discharge date' });
  r = await peer.post(dis, { discharge_date: '2026-03-01', reason: 'moved', exit_strategy: 'own_plan' }, { headers: { 'If-Match': 'three' } });
  expectFields(r, ['If-Match'], { exact: true });
  const still = await peer.get(`${people}/${p.id}`);
  eq(still.json.status, 'active', 'still active');
  eq(still.json.episodes[0].discharge_date, null, 'still open');
});

test('team and staff bodies are validated, passwords never echoed', async () => {
  let r = await admin.post('/api/v1/teams', { name: 'North Team!', display_name: '' });
  expectFields(r, ['name', 'display_name'], { exact: true });
  r = await admin.post('/api/v1/teams', { name: 'north', display_name: 'Second north' });
  expectFields(r, ['name'], { exact: true, what: 'a taken name' });
  r = await admin.post('/api/v1/teams', { name: 'east', display_name: 'East', colour: 'x' });
  expectFields(r, ['colour'], { exact: true });
  const pw = `${SECRET}-pw`;
  r = await admin.post('/api/v1/staff', { username: 'Bad Name', display_name: 'Test Staffer', role: 'wizard', password: 'short', teams: ['nowhere'] });
  expectFields(r, ['username', 'role', 'password', 'teams[0]'], { exact: true });
  r = await admin.post('/api/v1/staff', { username: 'peer.north', display_name: 'Test Staffer', role: 'peer', password: pw });
  expectFields(r, ['username'], { exact: true, what: 'a taken username' });
  expectNoEcho(r, SECRET);
  r = await admin.post('/api/v1/staff', { username: 'test.staffer', display_name: 'Test Staffer', role: 'peer', password: pw, teams: 'north' });
  expectFields(r, ['teams'], { exact: true });
  expectNoEcho(r, SECRET);
  r = await admin.post('/api/v1/staff', { username: 'test.staffer', role: 'peer' });
  expectFields(r, ['display_name', 'password'], { exact: true });
  r = await admin.post('/api/v1/staff', { username: 'test.staffer', display_name: 'Test Staffer', role: 'peer', password: pw, teams: ['north', 'north'] });
  expectFields(r, ['teams[1]'], { exact: true });
});

test('query parameters of the audit log are validated', async () => {
  const priv = await signedIn(srv.url, 'privacy', PASSWORD);
  for (const [q, f] of [['person=someone', 'person'], ['actor=42', 'actor'], ['from=yesterday', 'from'], ['to=2026-02-30', 'to'],
    ['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=abc', 'limit'], ['after=abc', 'after'], ['after=-1', 'after'], ['colour=red', 'query'],
    ['limit=5&limit=6', 'limit']]) {
    expectFields(await priv.get(`/api/v1/audit?${q}`), [f], { exact: true, what: q });
  }
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
