// The language coach over the API, on the real server: checking text
// (findings, offsets in code points, quoted speech and organisations left
// alone, strict validation that never echoes the text), the dictionary
// for every member of staff, and replacing it: administrators only,
// checked field by field, audited, in force at once here and within
// seconds on a second server sharing the database.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { Client, signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, expectNoEcho, allPages, waitFor } from '../lib/api.mjs';

const A = await startServer();
const B = await startServer({ db: A.db });
after(async () => {
  await A.stop();
  await B.stop();
});

const peer = await signedIn(A.url, 'peer.north', PASSWORD);
const supervisor = await signedIn(A.url, 'super.north', PASSWORD);
const admin = await signedIn(A.url, 'admin', PASSWORD);
const privacy = await signedIn(A.url, 'privacy', PASSWORD);
const CHECK = '/api/v1/language/check';
const DICT = '/api/v1/language/dictionary';
const put = (c, body, opts = {}) => c.request('PUT', DICT, { ...opts, body });
const check = (c, text) => c.post(CHECK, { text });
const terms = (r) => r.json.findings.map((f) => `${f.start}-${f.end}:${f.term}`).join('|');

test('POST /api/v1/language/check finds terms with their suggestion, category and why', async () => {
  const r = await check(peer, 'He is an addict and was non-compliant; his doctor diagnosed with PTSD.');
  eq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  eq(r.json.version, '2026.1', 'version');
  eq(terms(r), '9-15:addict|24-37:non-compliant|50-64:diagnosed with', 'findings');
  const [a, b, c] = r.json.findings;
  eq(JSON.stringify(Object.keys(a).sort()), '["category","end","start","suggestion","term","why"]', 'finding fields');
  eq(a.suggestion, 'person with a substance use disorder', 'suggestion');
  eq(a.category, 'stigmatising', 'category');
  assert(a.why.length > 20, 'why');
  eq(b.suggestion, 'not in agreement with the plan', 'non-compliant suggestion');
  eq(c.category, 'clinical-scope', 'clinical scope');
});

test('offsets count code points; case, line breaks and word boundaries', async () => {
  let r = await check(peer, 'Ñandú 🙂 — Addict');
  eq(terms(r), '10-16:addict', 'after non-ASCII text (code points, not bytes or UTF-16 units)');
  r = await check(peer, 'She is a FREQUENT\n  FLYER; cleaning up; outpatient; addiction');
  eq(terms(r), '9-25:frequent flyer', 'across a line break, in capitals; no partial words');
  r = await check(peer, 'the homeless person after a relapse prevention class');
  eq(terms(r), '4-19:homeless person|28-46:relapse prevention', 'the longest match wins');
});

test('quoted speech, organisations and payers\u2019 wording are not flagged', async () => {
  let r = await check(peer, 'She said \u201cI\u2019m an addict and proud of it\u201d and "I relapsed", then went to Narcotics Anonymous and Alcoholics Anonymous.');
  eq(r.status, 200, 'status');
  eq(terms(r), '', 'nothing flagged');
  r = await check(peer, 'Dx: opioid use disorder; F11.10 Opioid abuse, uncomplicated. The alcoholic at Al-Anon.');
  eq(terms(r), '65-74:alcoholic', 'only the word outside the exceptions');
  r = await check(peer, '');
  eq(r.json.findings.length, 0, 'empty text');
});

test('every member of staff may check text and read the dictionary; nobody signed out', async () => {
  for (const c of [supervisor, admin, privacy]) {
    eq((await check(c, 'an addict')).json.findings.length, 1, 'check');
    eq((await c.get(DICT)).status, 200, 'dictionary');
  }
  expectProblem(await new Client(A.url).post(CHECK, { text: 'an addict' }), 401, 'check signed out');
  expectProblem(await new Client(A.url).get(DICT), 401, 'dictionary signed out');
});

test('check bodies are validated strictly and the text is never echoed, logged or stored', async () => {
  const secret = 'Quillon Marrowbrook told me about the relapse';
  expectFields(await peer.post(CHECK, {}), ['text'], { exact: true });
  expectFields(await peer.post(CHECK, { text: 42 }), ['text'], { exact: true });
  expectFields(await peer.post(CHECK, { text: null }), ['text'], { exact: true });
  let r = await peer.post(CHECK, { text: secret, extra: 1 });
  expectFields(r, ['extra'], { exact: true });
  expectNoEcho(r, 'Quillon');
  r = await peer.post(CHECK, { text: secret, [secret]: 1 });
  expectFields(r, ['(unknown)'], { exact: true });
  expectNoEcho(r, 'Quillon');
  const long = `${secret} ${'x'.repeat(20000)}`;
  r = await peer.post(CHECK, { text: long });
  expectFields(r, ['text'], { exact: true });
  expectNoEcho(r, 'Quillon');
  assert(/20000 characters/.test(r.json.errors[0].message), `says the limit: ${r.json.errors[0].message}`);
  r = await peer.request('POST', CHECK, { raw: `{"text": "${secret}`, headers: { 'Content-Type': 'application/json' } });
  expectFields(r, ['body'], { exact: true });
  expectNoEcho(r, 'Quillon');
  // Characters, not bytes: 20,000 accented letters are fine.
  r = await check(peer, '\u00e9'.repeat(20000));
  eq(r.status, 200, '20,000 two-byte characters');
  r = await check(peer, secret);
  eq(r.status, 200, 'checked');
  assert(!A.log().includes('Quillon'), 'the text is not in the server log');
  const audit = await allPages(privacy, `/api/v1/audit?actor=${peer.me.id}`);
  assert(!JSON.stringify(audit).includes('Quillon'), 'nor in the audit log');
});

test('GET /api/v1/language/dictionary gives the entries and exceptions with the version', async () => {
  const r = await peer.get(DICT);
  eq(r.status, 200, 'status');
  eq(r.json.name, 'language', 'name');
  eq(r.json.version, '2026.1', 'version');
  assert(r.json.entries.length >= 150, 'entries');
  const addict = r.json.entries.find((e) => e.term === 'addict');
  eq(JSON.stringify(Object.keys(addict).sort()), '["category","source","suggestion","term","why"]', 'entry fields');
  assert(/NIDA/.test(addict.source), 'source');
  assert(r.json.exceptions.some((x) => x.phrase === 'Narcotics Anonymous' && x.kind === 'organisation'), 'organisation');
  assert(r.json.exceptions.some((x) => x.phrase === 'opioid use disorder' && x.kind === 'payer'), 'payer phrase');
  assert(r.json.entries.some((e) => e.category === 'clinical-scope'), 'clinical scope entries');
});

test('PUT /api/v1/language/dictionary is refused to anyone but an administrator, and the refusal is audited', async () => {
  const dict = (await peer.get(DICT)).json;
  const body = { ...dict, version: '2026.1-peer' };
  expectProblem(await put(peer, body), 403, 'peer');
  expectProblem(await put(supervisor, body), 403, 'supervisor');
  expectProblem(await put(privacy, body), 403, 'privacy officer');
  // Refused before the body is read: an invalid body is still a 403.
  expectProblem(await put(peer, { nonsense: true }), 403, 'peer, bad body');
  expectProblem(await put(peer, body, { headers: { 'X-CSRF-Token': 'wrong' } }), 403, 'no CSRF');
  eq((await peer.get(DICT)).json.version, '2026.1', 'unchanged');
  const denied = (await allPages(privacy, `/api/v1/audit?actor=${peer.me.id}`))
    .filter((e) => e.object_type === 'ruleset' && e.object_id === 'language' && e.action === 'update');
  assert(denied.length >= 2 && denied.every((e) => e.outcome === 'denied'), `denials audited: ${JSON.stringify(denied)}`);
});

test('bad dictionaries are refused with the field named, and nothing changes', async () => {
  const dict = (await admin.get(DICT)).json;
  const v = { ...dict, version: '2026.1-bad' };
  const entry = (over) => ({ ...dict.entries[0], ...over });
  const cases = [
    [{ ...v, extra: 1 }, ['extra']],
    [{ ...v, version: undefined }, ['version']],
    [{ ...v, version: 'has spaces' }, ['version']],
    [{ ...v, name: 'plans' }, ['name']],
    [{ ...v, entries: [] }, ['entries']],
    [{ ...v, entries: undefined }, ['entries']],
    [{ ...v, entries: [entry({ category: 'rude' })] }, ['entries[0].category']],
    [{ ...v, entries: [entry({ term: '' })] }, ['entries[0].term']],
    [{ ...v, entries: [entry({ term: '-addict' })] }, ['entries[0].term']],
    [{ ...v, entries: [entry({ term: 'x'.repeat(101) })] }, ['entries[0].term']],
    [{ ...v, entries: [entry({ why: undefined })] }, ['entries[0].why']],
    [{ ...v, entries: [entry({ suggestion: 3 })] }, ['entries[0].suggestion']],
    [{ ...v, entries: [entry({ surprise: 'x' })] }, ['entries[0].surprise']],
    [{ ...v, entries: [entry({ term: 'Frequent  Flyer' }), entry({ term: 'frequent flyer' })] }, ['entries[1].term']],
    [{ ...v, exceptions: [{ phrase: 'Narcotics Anonymous', kind: 'club' }] }, ['exceptions[0].kind']],
    [{ ...v, exceptions: [{ phrase: '"quoted"', kind: 'payer' }] }, ['exceptions[0].phrase']],
    [{ ...dict }, ['version']],	// the version in force again
  ];
  for (const [body, fields] of cases) {
    const r = await put(admin, JSON.parse(JSON.stringify(body)));
    expectFields(r, fields, { what: `PUT naming ${fields}` });
  }
  eq((await admin.get(DICT)).json.version, '2026.1', 'unchanged');
  eq(terms(await check(peer, 'an addict')), '3-9:addict', 'still in force');
});

test('an administrator\u2019s new version takes effect at once here, within seconds on another server, and is audited', async () => {
  const dict = (await admin.get(DICT)).json;
  const next = {
    ...dict,
    version: '2026.1-local1',
    entries: [
      ...dict.entries.filter((e) => e.term !== 'patient'),
      { term: 'service refuser', suggestion: 'person who chose other services', why: 'Describe the choice, not a label.', source: 'Organisation policy', category: 'stigmatising' },
    ],
    exceptions: [...dict.exceptions, { phrase: 'Addict Recovery Network', kind: 'organisation' }],
  };
  const r = await put(admin, next);
  eq(r.status, 200, `status (${r.text.slice(0, 300)})`);
  eq(r.json.version, '2026.1-local1', 'version');
  eq(r.json.entries.length, dict.entries.length, 'entries');
  let c = await check(peer, 'A Service Refuser and a patient at the Addict Recovery Network');
  eq(c.json.version, '2026.1-local1', 'check uses the new version at once');
  eq(terms(c), '2-17:service refuser', 'new term found, removed one not, new exception kept');
  eq((await peer.get(DICT)).json.version, '2026.1-local1', 'GET shows it');
  // The second server on the same database picks it up.
  const other = await signedIn(B.url, 'peer.north', PASSWORD);
  c = await waitFor(async () => {
    const x = await check(other, 'a service refuser');
    return x.json.version === '2026.1-local1' ? x : null;
  }, 'the other server to load the new dictionary', 15000);
  eq(terms(c), '2-17:service refuser', 'found on the other server');
  const done = (await allPages(privacy, `/api/v1/audit?actor=${admin.me.id}`))
    .filter((e) => e.object_type === 'ruleset' && e.object_id === 'language' && e.action === 'update');
  const ok = done.filter((e) => e.outcome === 'success');
  eq(ok.length, 1, `one update audited: ${JSON.stringify(done)}`);
  eq(ok[0].detail, `version=2026.1-local1 entries=${next.entries.length} exceptions=${next.exceptions.length}`, 'detail');
  eq(ok[0].person, null, 'no person');
  // And back, from the other server: this one follows.
  const admin2 = await signedIn(B.url, 'admin', PASSWORD);
  eq((await put(admin2, { ...dict, version: '2026.1-local2' })).status, 200, 'PUT on B');
  await waitFor(async () => (await check(peer, 'x')).json.version === '2026.1-local2', 'server A to follow', 15000);
  eq(terms(await check(peer, 'a service refuser, a patient')), '21-28:patient', 'the old entries again');
});
