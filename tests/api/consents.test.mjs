// Consents and disclosures: each kind of consent is refused, by name, for
// every element its kind requires and lacks (data/consents.json); a
// disclosure goes through one check that an active consent covers the
// recipient, purpose and information, is refused with the reason when
// none does, and otherwise is recorded with the notice that travels with
// it; a record under 42 CFR Part 2 needs a Part 2 consent; revoked and
// expired consents cover nothing; medical-emergency disclosures keep the
// four facts of 2.51; the accounting lists every disclosure. Both
// backends.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, createPerson, EPISODE, expectNo5xx, auditOf } from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);
const ifm = (v) => ({ headers: { 'If-Match': `"${v}"` } });

const today = new Date().toISOString().slice(0, 10);
const ref = (await peer.get('/api/v1/reference')).json.consents;

// Every element filled in, for any kind.
function full(kind, extra = {}) {
  return {
    kind,
    person_name: 'Testperson Quillfeather',
    disclosers: 'Alongside Peer Services',
    recipients: [{ name: 'Sunrise Housing Coalition', address: '1 Example Way' }],
    information: 'My housing plan and the dates I met my peer specialist.',
    categories: ['plans', 'attendance'],
    purposes: kind === 'part2_tpo' ? ['treatment'] : ['referral'],
    revocation_statement: true,
    expiry_event: 'end_of_treatment',
    signer_name: 'Testperson Quillfeather',
    signer_authority: 'self',
    signed_on: today,
    conditioning_statement: true,
    redisclosure_statement: true,
    ...extra,
  };
}

// Removes element code from a body (the fields that carry it).
function without(body, code) {
  const b = { ...body };
  if (code === 'expiry') { delete b.expiry_event; delete b.expires_on; return b; }
  if (['revocation_statement', 'conditioning_statement', 'redisclosure_statement'].includes(code)) { b[code] = false; return b; }
  if (['recipients', 'categories', 'purposes'].includes(code)) { b[code] = []; return b; }
  delete b[code];
  return b;
}

async function enrolled(extra = {}) {
  const person = await createPerson(peer);
  const ep = await peer.post(`/api/v1/people/${person.id}/episodes`, { ...EPISODE, ...extra });
  eq(ep.status, 201, `enrolled (${ep.text.slice(0, 200)})`);
  return { person, episode: ep.json };
}

const housing = { recipient_name: 'Sunrise Housing Coalition', purpose: 'referral', categories: ['plans'], method: 'export' };

test('the reference lists the kinds of consent with the elements each requires, and the codes', async () => {
  const codes = ref.kinds.map((k) => k.code);
  for (const k of ['peer_services', 'part2_disclosure', 'part2_tpo', 'hipaa_authorization', 'release_of_information'])
    assert(codes.includes(k), `kind ${k}`);
  const p2 = ref.kinds.find((k) => k.code === 'part2_disclosure');
  eq(p2.required.length, 13, 'a Part 2 consent requires all thirteen elements');
  assert(/2\.31/.test(p2.rule), 'with its rule');
  eq(ref.kinds.find((k) => k.code === 'hipaa_authorization').part2, false, 'an authorisation is not a Part 2 consent');
  assert(ref.categories.some((c) => c.code === 'plans') && ref.purposes.some((c) => c.code === 'referral'), 'codes');
  eq(ref.part2_years, 3, 'Part 2: 3 years');
  eq(ref.hipaa_years, 6, 'HIPAA: 6 years');
});

test('every kind of consent, missing each element it requires, is refused naming that element and the rule', async () => {
  const { person } = await enrolled();
  let refused = 0;
  for (const kind of ref.kinds) {
    for (const code of kind.required) {
      const r = await peer.post(`/api/v1/people/${person.id}/consents`, without(full(kind.code), code));
      const pr = expectProblem(r, 422, `${kind.code} without ${code}`);
      eq(pr.type, 'urn:alongside:problem:rule', 'a rule problem');
      eq(JSON.stringify(pr.errors.map((e) => e.field)), JSON.stringify([code]), `${kind.code} names ${code} alone`);
      eq(pr.rule, kind.rule, 'names the kind\'s rule');
      refused++;
    }
    const ok = await peer.post(`/api/v1/people/${person.id}/consents`, full(kind.code));
    eq(ok.status, 201, `${kind.code} with every element (${ok.text.slice(0, 300)})`);
  }
  assert(refused >= 50, `every required element of every kind was tried (${refused})`);
  // Nothing was written by the refusals.
  const list = await peer.get(`/api/v1/people/${person.id}/consents`);
  eq(list.json.items.length, ref.kinds.length, 'one consent per kind, none from the refusals');
});

test('a consent: 201, read back whole and active; bad values are refused by field; revoked once', async () => {
  const { person } = await enrolled();
  let r = await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information'));
  eq(r.status, 201, 'created');
  const c = r.json;
  eq(r.headers.get('location'), `/api/v1/consents/${c.id}`, 'Location');
  eq(c.status, 'active', 'active');
  eq(c.recipients[0].name, 'Sunrise Housing Coalition', 'recipient');
  eq(JSON.stringify(c.categories), '["plans","attendance"]', 'categories');
  eq(c.part2, false, 'not a Part 2 consent');
  eq((await peer.get(`/api/v1/consents/${c.id}`)).json.id, c.id, 'read');
  expectFields(await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information', { categories: ['horoscope'] })), ['categories[0]'], { exact: true, what: 'an unknown category' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information', { signed_on: '2999-01-01' })), ['signed_on'], { exact: true, what: 'signed in the future' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information', { expires_on: '2020-01-01', expiry_event: null, signed_on: '2021-01-01' })), ['expires_on'], { exact: true, what: 'expiring before it was signed' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information', { expires_on: '2030-01-01' })), ['expiry_event'], { exact: true, what: 'both an expiry date and event' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/consents`, full('nonsense')), ['kind'], { exact: true, what: 'an unknown kind' });
  expectFields(await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information', { diagnosis: 'x' })), ['diagnosis'], { what: 'no diagnosis field' });
  const tpo = await peer.post(`/api/v1/people/${person.id}/consents`, full('part2_tpo', { purposes: ['referral'] }));
  eq(expectProblem(tpo, 422, 'a TPO consent for a referral').errors[0].field, 'purposes[0]', 'outside treatment, payment and operations');
  expectProblem(await peer.post(`/api/v1/consents/${c.id}/revoke`, { revoked_on: today, method: 'in_writing' }), 428, 'If-Match');
  expectFields(await peer.post(`/api/v1/consents/${c.id}/revoke`, { revoked_on: today, method: 'smoke signal' }, ifm(1)), ['method'], { exact: true, what: 'an unknown way' });
  r = await peer.post(`/api/v1/consents/${c.id}/revoke`, { revoked_on: today, method: 'in_writing', note: 'Brought a signed letter.' }, ifm(1));
  eq(r.status, 200, `revoked (${r.text.slice(0, 200)})`);
  eq(r.json.status, 'revoked', 'revoked');
  eq(r.json.revocation_method, 'in_writing', 'how');
  expectProblem(await peer.post(`/api/v1/consents/${c.id}/revoke`, { revoked_on: today, method: 'in_writing' }, ifm(2)), 409, 'revoked once');
  expectProblem(await peer.post(`/api/v1/consents/${c.id}/revoke`, { revoked_on: today, method: 'in_writing' }, ifm(1)), 412, 'stale');
});

test('a disclosure without consent is refused with the reason; with one it is recorded, carries the notice and what was sent, and the accounting shows it', async () => {
  const { person } = await enrolled();
  let r = await peer.post(`/api/v1/people/${person.id}/disclosures`, housing);
  let pr = expectProblem(r, 422, 'no consent');
  assert(/consent/i.test(pr.detail), `the reason (${pr.detail})`);
  eq(pr.errors[0].field, 'recipient_name', 'names what is missing');
  const chk = await peer.post(`/api/v1/people/${person.id}/disclosures/check`, housing);
  eq(chk.status, 200, 'the check alone');
  eq(chk.json.allowed, false, 'not allowed');
  const consent = (await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information'))).json;
  eq((await peer.post(`/api/v1/people/${person.id}/disclosures/check`, housing)).json.allowed, true, 'allowed now');
  // The recipient is matched whatever its case.
  r = await peer.post(`/api/v1/people/${person.id}/disclosures`, { ...housing, recipient_name: 'sunrise housing COALITION' });
  eq(r.status, 201, `disclosed (${r.text.slice(0, 300)})`);
  eq(r.json.disclosure.consent_id, consent.id, 'under the consent');
  eq(r.json.disclosure.basis, 'consent', 'basis');
  eq(r.json.disclosure.method, 'export', 'method');
  eq(r.json.notice.code, 'hipaa', 'the HIPAA notice for a record not under Part 2');
  assert(r.json.notice.text.length > 50, 'with its text');
  assert(Array.isArray(r.json.record.plans), 'the plans went');
  eq(r.json.record.person, undefined, 'demographics were not asked for and did not go');
  // Not covered: a purpose or category the consent does not name.
  pr = expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, { ...housing, purpose: 'payment' }), 422, 'another purpose');
  eq(pr.errors[0].field, 'purpose', 'names the purpose');
  pr = expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, { ...housing, categories: ['notes'] }), 422, 'notes not covered');
  eq(pr.errors[0].field, 'categories', 'names the information');
  pr = expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, { ...housing, recipient_name: 'Someone Else' }), 422, 'another recipient');
  assert(/names Someone Else/.test(pr.detail), `no consent names them (${pr.detail})`);
  // The accounting.
  const acc = await peer.get(`/api/v1/people/${person.id}/disclosures?years=6`);
  eq(acc.status, 200, 'accounting');
  eq(acc.json.items.length, 1, 'one disclosure: the refusals are not disclosures');
  const d = acc.json.items[0];
  eq(d.recipient_name, 'sunrise housing COALITION', 'recipient as sent');
  assert(d.information.length > 0 && d.purpose === 'referral', 'what and why');
  assert(Date.parse(d.disclosed_at) <= Date.now(), 'when');
  eq(d.discloser_name, 'Jordan Lee', 'by whom');
  const audit = await auditOf(privacy, person.id);
  assert(audit.some((x) => x.object_type === 'disclosure' && x.action === 'create' && x.outcome === 'success'), 'audited');
  assert(audit.some((x) => x.object_type === 'disclosure' && x.outcome === 'denied'), 'refusals audited');
  // Revoked: covers nothing from then on.
  eq((await peer.post(`/api/v1/consents/${consent.id}/revoke`, { revoked_on: today, method: 'orally' }, ifm(1))).status, 200, 'revoked');
  pr = expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, housing), 422, 'revoked');
  assert(/revoked/.test(pr.detail), `says revoked (${pr.detail})`);
  eq((await peer.get(`/api/v1/people/${person.id}/disclosures`)).json.items.length, 1, 'the earlier disclosure stands');
});

test('a Part 2 record: a general authorisation is not enough; a Part 2 consent is, and the 2024 notice goes with it', async () => {
  const { person, episode } = await enrolled({ part2: true });
  eq(episode.part2, true, 'the episode is marked Part 2');
  eq((await peer.post(`/api/v1/people/${person.id}/consents`, full('hipaa_authorization'))).status, 201, 'an authorisation');
  let pr = expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, housing), 422, 'not enough for Part 2');
  assert(/Part 2/.test(pr.detail), `says why (${pr.detail})`);
  eq((await peer.post(`/api/v1/people/${person.id}/consents`, full('part2_disclosure', { categories: ['plans', 'demographics'] }))).status, 201, 'a Part 2 consent');
  const r = await peer.post(`/api/v1/people/${person.id}/disclosures`, { ...housing, categories: ['plans', 'demographics'] });
  eq(r.status, 201, `disclosed (${r.text.slice(0, 200)})`);
  eq(r.json.notice.code, 'part2', 'the Part 2 notice');
  eq(r.json.notice.version, '2024', 'the 2024 text');
  assert(r.json.notice.text.startsWith('This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2).'), 'word for word');
  eq(r.json.disclosure.part2, true, 'recorded as Part 2');
  eq(r.json.record.person.preferred_name, person.preferred_name, 'demographics went');
  pr = expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, { ...housing, categories: ['plans', 'demographics', 'notes'] }), 422, 'notes are not covered');
  eq(pr.errors[0].field, 'categories', 'names the information');
});

test('expired consents cover nothing: by date, or at the end of services', async () => {
  const { person, episode } = await enrolled();
  eq((await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information', { expiry_event: null, expires_on: '2026-01-31', signed_on: '2026-01-02' }))).json.status, 'expired', 'past its date');
  expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, housing), 422, 'expired by date');
  const c = (await peer.post(`/api/v1/people/${person.id}/consents`, full('release_of_information'))).json;
  eq(c.status, 'active', 'until services end');
  eq((await peer.post(`/api/v1/people/${person.id}/disclosures`, housing)).status, 201, 'covered while enrolled');
  const dis = await peer.post(`/api/v1/people/${person.id}/episodes/${episode.id}/discharge`,
    { discharge_date: today, reason: 'goals_reached', exit_strategy: 'community_supports' }, ifm(episode.version));
  eq(dis.status, 200, `discharged (${dis.text.slice(0, 200)})`);
  eq((await peer.get(`/api/v1/consents/${c.id}`)).json.status, 'expired', 'services ended');
  expectProblem(await peer.post(`/api/v1/people/${person.id}/disclosures`, housing), 422, 'expired at the end of services');
});

test('a medical emergency: disclosed without consent and recorded with the four facts of 2.51', async () => {
  const { person } = await enrolled({ part2: true });
  expectFields(await peer.post(`/api/v1/people/${person.id}/emergency-disclosures`, { personnel_name: 'Dr. Example', information: 'x', method: 'phone' }), ['facility', 'nature'], { what: 'the facts are required' });
  const r = await peer.post(`/api/v1/people/${person.id}/emergency-disclosures`, {
    personnel_name: 'Dr. Testwood Example', facility: 'County General emergency department',
    nature: 'Unresponsive after a return to use; the team needed current supports and plans.',
    information: 'The crisis plan and who to call.', method: 'phone',
  });
  eq(r.status, 201, `recorded (${r.text.slice(0, 200)})`);
  eq(r.json.basis, 'medical_emergency', 'basis');
  eq(r.json.consent_id, null, 'no consent');
  eq(r.json.recipient_name, 'Dr. Testwood Example', 'medical personnel');
  eq(r.json.emergency_facility, 'County General emergency department', 'their facility');
  eq(r.json.discloser_name, 'Jordan Lee', 'who disclosed');
  assert(r.json.disclosed_at && r.json.emergency_nature.length > 0, 'when, and the nature of the emergency');
  eq(r.json.notice_code, null, 'no consent notice goes with an emergency disclosure');
  eq(r.json.purpose, 'medical_emergency', 'its purpose');
  const earlier = new Date(Date.now() - 3 * 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
  const late = await peer.post(`/api/v1/people/${person.id}/emergency-disclosures`, {
    personnel_name: 'Paramedic Testcrew', facility: 'County ambulance service', nature: 'Found unconscious.',
    information: 'Who to call.', method: 'in_person', disclosed_at: earlier,
  });
  eq(late.status, 201, 'recorded afterwards');
  eq(Date.parse(late.json.disclosed_at), Date.parse(earlier), 'with the time it happened');
  expectFields(await peer.post(`/api/v1/people/${person.id}/emergency-disclosures`, {
    personnel_name: 'X', facility: 'Y', nature: 'Z', information: 'W', method: 'phone', disclosed_at: '2020-01-01T00:00:00Z',
  }), ['disclosed_at'], { exact: true, what: 'too long ago' });
  const acc = await peer.get(`/api/v1/people/${person.id}/disclosures?years=3`);
  assert(acc.json.items.some((d) => d.id === r.json.id), 'in the accounting');
});

test('the accounting takes a window; other teams and roles without a roster cannot reach consents or disclosures', async () => {
  const { person } = await enrolled();
  expectFields(await peer.get(`/api/v1/people/${person.id}/disclosures?years=40`), ['years'], { what: 'a window too long' });
  expectFields(await peer.get(`/api/v1/people/${person.id}/disclosures?from=yesterday`), ['from'], { what: 'a bad date' });
  expectFields(await peer.get(`/api/v1/people/${person.id}/disclosures?from=2026-02-01&to=2026-01-01`), ['to'], { exact: true, what: 'a window backwards' });
  const w = await peer.get(`/api/v1/people/${person.id}/disclosures?from=2026-01-01&to=2026-01-31`);
  eq(w.status, 200, 'a window of dates');
  eq(w.json.items.length, 0, 'nothing then');
  expectProblem(await south.get(`/api/v1/people/${person.id}/consents`), 404, 'another team');
  expectProblem(await south.post(`/api/v1/people/${person.id}/disclosures`, housing), 404, 'another team cannot disclose');
  expectProblem(await admin.get(`/api/v1/people/${person.id}/disclosures`), 403, 'an administrator');
  expectProblem(await peer.get('/api/v1/consents/not-an-id'), 404, 'a bad id');
  for (const body of [{}, { kind: 1 }, { kind: 'release_of_information', recipients: 'x' }, { kind: 'release_of_information', recipients: [{}] }, { kind: 'peer_services', categories: [3] }]) {
    const r = await peer.post(`/api/v1/people/${person.id}/consents`, body);
    assert(r.status === 400 || r.status === 422, `refused (${r.status}): ${JSON.stringify(body)}`);
  }
  expectNo5xx(srv);
});
