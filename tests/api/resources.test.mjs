// The resource directory: peers add local resources (a church group, a
// community garden) and find them again by words, category, language,
// open now and distance; changes need If-Match and are audited; every
// bad field is named; the privacy officer has no part in it. Both
// backends. See docs/resources.md.
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import { expectProblem, expectFields, expectNo5xx, allPages } from '../lib/api.mjs';

const srv = await startServer({ people: 2 });
after(() => srv.stop());

const peer = await signedIn(srv.url, 'peer.north', PASSWORD);
const sup = await signedIn(srv.url, 'super.south', PASSWORD);
const admin = await signedIn(srv.url, 'admin', PASSWORD);
const privacy = await signedIn(srv.url, 'privacy', PASSWORD);

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const ALL_WEEK = DAYS.join(',');
// Days far from today whatever the organisation's time zone: not
// yesterday, today or tomorrow in UTC.
const d = new Date().getUTCDay();
const FAR = DAYS.filter((_, i) => ![d, (d + 1) % 7, (d + 6) % 7].includes(i)).join(',');

let serial = 0;
function tag() {
  serial += 1;
  return `${Date.now().toString(36)}${serial}`;
}

function body(extra = {}) {
  return {
    name: 'Eastside Community Garden',
    description: 'Neighbours grow vegetables together; tools and seeds shared.',
    organization_name: 'Eastside Neighbours Association',
    categories: ['healthy-environments', 'social-connection-peer'],
    languages: ['en'],
    phone: '555-0100',
    location: {
      name: 'Garden lot', address_1: '12 Orchard Lane', city: 'Springfield',
      state_province: 'IL', postal_code: '62701', country: 'US',
      latitude: 39.7817, longitude: -89.6501,
    },
    schedules: [{ byday: ALL_WEEK, opens_at: '00:00', closes_at: '24:00', description: 'Any time' }],
    ...extra,
  };
}

async function add(client, extra) {
  const r = await client.post('/api/v1/resources', body(extra));
  eq(r.status, 201, `added (${r.text.slice(0, 300)})`);
  return r.json;
}

test('a peer adds a local resource: 201, Location, who added it, checked on the day, its parts as sent', async () => {
  const t = tag();
  const r = await peer.post('/api/v1/resources', body({ name: `Garden ${t}`, eligibility_description: 'Everyone welcome', minimum_age: 16 }));
  eq(r.status, 201, r.text.slice(0, 300));
  eq(r.headers.get('location'), `/api/v1/resources/${r.json.id}`, 'Location');
  eq(r.headers.get('etag'), '"1"', 'ETag');
  const x = r.json;
  eq(x.name, `Garden ${t}`, 'name');
  eq(x.status, 'active', 'active unless said otherwise');
  eq(x.local, true, 'local');
  eq(x.stale, false, 'not stale');
  assert(x.added_by_name && x.added_by_name.length > 0, 'who added it');
  assert(x.verified_at, 'checked when added');
  eq(x.organization.name, 'Eastside Neighbours Association', 'organisation');
  eq(x.categories.map((c) => c.code).sort().join(), 'healthy-environments,social-connection-peer', 'categories');
  assert(x.categories.every((c) => c.label && c.group), 'labelled');
  eq(x.languages.map((l) => l.code).join(), 'en', 'languages');
  eq(x.languages[0].name.startsWith('English'), true, 'language named');
  eq(x.phones[0].number, '555-0100', 'phone');
  eq(x.locations.length, 1, 'one location');
  eq(x.locations[0].postal_code, '62701', 'postal code');
  eq(x.locations[0].latitude, 39.7817, 'latitude kept');
  eq(x.locations[0].longitude, -89.6501, 'longitude kept');
  eq(x.schedules.length, 1, 'schedule');
  eq(x.schedules[0].byday, ALL_WEEK, 'days');
  eq(x.open_now, true, 'open all week, all day');
  eq(x.minimum_age, 16, 'minimum age');
  eq(x.maximum_age, null, 'no maximum');
  eq(x.eligibility_description, 'Everyone welcome', 'eligibility');
  const g = await sup.get(`/api/v1/resources/${x.id}`);
  eq(g.status, 200, 'a supervisor of another team reads it: the directory is everyone\'s');
  eq(g.json.name, x.name, 'same');
  eq((await admin.get(`/api/v1/resources/${x.id}`)).status, 200, 'the administrator reads it');
});

test('search by words (any order, accents and case aside), category, language, local, paging', async () => {
  const t = tag();
  const a = await add(peer, { name: `Café Esperanza housing help ${t}`, categories: ['housing'], languages: ['es', 'en'] });
  const b = await add(peer, { name: `Tenant rights clinic ${t}`, categories: ['housing'], languages: ['en'] });
  const c = await add(peer, { name: `Running group ${t}`, categories: ['recreation'], languages: ['es'] });
  let r = await peer.get(`/api/v1/resources?q=${encodeURIComponent(`HOUSING cafe ${t}`)}`);
  eq(r.status, 200, r.text.slice(0, 300));
  eq(r.json.items.map((i) => i.id).join(), a.id, 'words in any order, accents and case aside');
  r = await peer.get(`/api/v1/resources?q=${t}&category=housing`);
  eq(r.json.items.map((i) => i.id).sort().join(), [a.id, b.id].sort().join(), 'housing only');
  r = await peer.get(`/api/v1/resources?q=${t}&category=housing&language=es`);
  eq(r.json.items.map((i) => i.id).join(), a.id, 'housing help in Spanish');
  const item = r.json.items[0];
  eq(item.organization.name, 'Eastside Neighbours Association', 'summary: organisation');
  eq(item.languages.sort().join(), 'en,es', 'summary: languages');
  eq(item.phone, '555-0100', 'summary: phone');
  eq(item.location.city, 'Springfield', 'summary: location');
  eq(item.open_now, true, 'summary: open now');
  eq(item.referrals.made, 0, 'summary: referral record');
  eq(item.location.distance_km, null, 'no distance without near');
  r = await peer.get(`/api/v1/resources?q=${t}&language=ES`);
  eq(r.json.items.map((i) => i.id).sort().join(), [a.id, c.id].sort().join(), 'language code in any case');
  r = await peer.get(`/api/v1/resources?q=${t}&local=true&limit=2`);
  eq(r.json.items.length, 2, 'a page of two');
  eq(r.json.more, true, 'more');
  const second = await peer.get(`/api/v1/resources?q=${t}&local=true&limit=2&offset=2`);
  eq(second.json.items.length, 1, 'the rest');
  eq(second.json.more, false, 'no more');
  const names = [...r.json.items, ...second.json.items].map((i) => i.name);
  eq(JSON.stringify(names), JSON.stringify([...names].sort()), 'by name');
  r = await peer.get(`/api/v1/resources?q=${encodeURIComponent('nothing-like-this-anywhere')}`);
  eq(r.json.items.length, 0, 'no match');
});

test('open now: a schedule open around the clock is open, one on other days is not; inactive ones are left out unless asked', async () => {
  const t = tag();
  const open = await add(peer, { name: `Open ${t}` });
  const shut = await add(peer, { name: `Shut ${t}`, schedules: [{ byday: FAR, opens_at: '09:00', closes_at: '17:00' }] });
  const none = await add(peer, { name: `Unsaid ${t}`, schedules: [] });
  // Every day, but hours that ended two hours ago in the organisation's
  // time zone (a window before midnight, or one running past it).
  const zone = (await peer.get('/api/v1/reference')).json.time_zone;
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const hh = (n) => `${String((n + 24) % 24).padStart(2, '0')}:00`;
  const gone = await add(peer, { name: `Earlier ${t}`, schedules: [{ byday: ALL_WEEK, opens_at: hh(hour - 4), closes_at: hh(hour - 2) }] });
  let r = await peer.get(`/api/v1/resources?q=${t}`);
  const by = Object.fromEntries(r.json.items.map((i) => [i.id, i]));
  eq(by[open.id].open_now, true, 'open');
  eq(by[shut.id].open_now, false, 'closed today');
  eq(by[gone.id].open_now, false, `open today, but not at this hour (${zone}, ${hour}:xx)`);
  eq(by[none.id].open_now, null, 'no schedule says');
  r = await peer.get(`/api/v1/resources?q=${t}&open_now=true`);
  eq(r.json.items.map((i) => i.id).join(), open.id, 'only the open one');
  const p = await peer.patch(`/api/v1/resources/${open.id}`, { status: 'inactive' }, { headers: { 'If-Match': '"1"' } });
  eq(p.status, 200, p.text.slice(0, 300));
  r = await peer.get(`/api/v1/resources?q=${t}`);
  assert(!r.json.items.some((i) => i.id === open.id), 'inactive left out');
  r = await peer.get(`/api/v1/resources?q=${t}&status=any`);
  assert(r.json.items.some((i) => i.id === open.id && i.status === 'inactive'), 'status=any shows it');
});

test('distance from a point or a postal code: nearest first, within the radius, distance given', async () => {
  const t = tag();
  const pc = `9${String(serial).padStart(3, '0')}1`;
  const near = await add(peer, { name: `Near ${t}`, location: { ...body().location, postal_code: pc, latitude: 41.8800, longitude: -87.6300 } });
  const mid = await add(peer, { name: `Mid ${t}`, location: { ...body().location, postal_code: `${pc}X`, latitude: 41.9500, longitude: -87.6300 } });
  const far = await add(peer, { name: `Far ${t}`, location: { ...body().location, postal_code: `${pc}Y`, latitude: 42.8800, longitude: -87.6300 } });
  let r = await peer.get(`/api/v1/resources?q=${t}&near=41.88,-87.63&radius_km=25`);
  eq(r.status, 200, r.text.slice(0, 300));
  eq(r.json.items.map((i) => i.id).join(), [near.id, mid.id].join(), 'nearest first, the far one outside 25 km');
  eq(r.json.items[0].location.distance_km, 0, 'here');
  const dmid = r.json.items[1].location.distance_km;
  assert(dmid > 7.5 && dmid < 8.1, `about 7.8 km north: ${dmid}`);
  eq(r.json.near.from, 'point', 'from a point');
  r = await peer.get(`/api/v1/resources?q=${t}&near=${pc}&radius_km=200`);
  eq(r.json.items.map((i) => i.id).join(), [near.id, mid.id, far.id].join(), 'from the postal code, all within 200 km');
  eq(r.json.near.from, 'postal_code', 'from a postal code');
  eq(r.json.near.latitude, 41.88, 'placed where its locations are');
  r = await peer.get(`/api/v1/resources?q=${t}&near=${encodeURIComponent(' ' + pc.toLowerCase() + ' ')}`);
  eq(r.status, 200, 'postal codes compare without spaces and case');
  const bad = await peer.get('/api/v1/resources?near=00000');
  expectFields(bad, ['near'], { exact: true });
});

test('a change needs If-Match; what is left out stays; categories, languages, location and schedules are replaced whole; verify', async () => {
  const t = tag();
  const x = await add(peer, { name: `Pantry ${t}`, categories: ['food-insecurity'], languages: ['en', 'es'] });
  let r = await peer.patch(`/api/v1/resources/${x.id}`, { description: 'Groceries on Tuesdays' });
  expectProblem(r, 428, 'no If-Match');
  r = await peer.patch(`/api/v1/resources/${x.id}`, { description: 'Groceries on Tuesdays' }, { headers: { 'If-Match': '"7"' } });
  expectProblem(r, 412, 'old version');
  r = await peer.patch(`/api/v1/resources/${x.id}`, {
    description: 'Groceries on Tuesdays', languages: ['vi'], categories: ['food-insecurity', 'mutual-aid'],
    schedules: [{ byday: 'TU', opens_at: '10:00', closes_at: '13:00' }],
    location: { address_1: '5 Market St', city: 'Springfield', state_province: 'IL', postal_code: '62702' },
    organization_name: 'Pantry friends',
  }, { headers: { 'If-Match': '"1"' } });
  eq(r.status, 200, r.text.slice(0, 300));
  eq(r.headers.get('etag'), '"2"', 'version 2');
  eq(r.json.name, `Pantry ${t}`, 'name kept');
  eq(r.json.phones[0].number, '555-0100', 'phone kept');
  eq(r.json.description, 'Groceries on Tuesdays', 'description changed');
  eq(r.json.languages.map((l) => l.code).join(), 'vi', 'languages replaced');
  eq(r.json.categories.map((c) => c.code).sort().join(), 'food-insecurity,mutual-aid', 'categories replaced');
  eq(r.json.schedules.length, 1, 'schedules replaced');
  eq(r.json.schedules[0].opens_at, '10:00', 'opens');
  eq(r.json.locations.length, 1, 'one location');
  eq(r.json.locations[0].address_1, '5 Market St', 'location replaced');
  eq(r.json.locations[0].latitude, null, 'no point given');
  eq(r.json.organization.name, 'Pantry friends', 'organisation renamed');
  r = await peer.patch(`/api/v1/resources/${x.id}`, { location: null, phone: null }, { headers: { 'If-Match': '"2"' } });
  eq(r.status, 200, r.text.slice(0, 300));
  eq(r.json.locations.length, 0, 'location removed');
  eq(r.json.phones.length, 0, 'phone removed');
  const v = await sup.post(`/api/v1/resources/${x.id}/verify`, {});
  eq(v.status, 200, v.text.slice(0, 300));
  eq(v.json.version, 3, 'a check is not an edit');
  assert(v.json.verified_by_name && v.json.verified_by_name !== r.json.added_by_name, 'checked by the supervisor');
  const log = await allPages(privacy, '/api/v1/audit');
  const mine = log.filter((e) => e.object_type === 'resource' && e.object_id === x.id).map((e) => e.action);
  eq(mine.sort().join(), 'create,update,update,verify', `audited: ${mine}`);
  assert(log.filter((e) => e.object_id === x.id).every((e) => !e.person), 'about no person');
});

test('every bad field is named; nothing is written', async () => {
  const before = (await peer.get('/api/v1/resources?local=true&status=any&limit=100')).json.items.length;
  let r = await peer.post('/api/v1/resources', {});
  expectFields(r, ['name', 'categories']);
  r = await peer.post('/api/v1/resources', body({
    name: ' ', categories: ['housing', 'nonsense', 'housing'], languages: ['xx'], status: 'open',
    url: 'ftp://x', email: 'nobody', minimum_age: 40, maximum_age: 20, phone: 'call me',
    location: { address_1: '', city: 'X', state_province: 'IL', postal_code: '1', country: 'usa', latitude: 91, longitude: 0 },
    schedules: [{ byday: 'MON', opens_at: '9am', closes_at: '25:00' }, { byday: 'MO', opens_at: '09:00', closes_at: '09:00' }],
  }));
  expectFields(r, ['name', 'categories[1]', 'categories[2]', 'languages[0]', 'status', 'url', 'email',
    'maximum_age', 'phone', 'location.latitude', 'schedules[0].byday',
    'schedules[0].opens_at', 'schedules[0].closes_at', 'schedules[1].closes_at']);
  r = await peer.post('/api/v1/resources', body({
    location: { address_1: '', city: 'X', state_province: 'IL', postal_code: '1', country: 'usa' },
  }));
  expectFields(r, ['location.address_1', 'location.country'], { exact: true });
  r = await peer.post('/api/v1/resources', body({ name: 'x'.repeat(301) }));
  expectFields(r, ['name'], { exact: true });
  r = await peer.post('/api/v1/resources', body({ description: 'tab\u0007bell' }));
  expectFields(r, ['description'], { exact: true });
  r = await peer.post('/api/v1/resources', body({ id: 'mine', colour: 'red' }));
  expectFields(r, ['id', 'colour']);
  r = await peer.post('/api/v1/resources', body({ location: { latitude: 'north' } }));
  expectFields(r, ['location.latitude']);
  r = await peer.post('/api/v1/resources', body({ organization_id: '01900000-0000-7000-8000-000000000000' }));
  expectFields(r, ['organization_id'], { exact: true });
  const q = await peer.get('/api/v1/resources?category=nope&language=&limit=0&offset=-1&open_now=yes&radius_km=5&colour=1');
  expectFields(q, ['category', 'language', 'limit', 'offset', 'open_now', 'radius_km', 'query']);
  const after = (await peer.get('/api/v1/resources?local=true&status=any&limit=100')).json.items.length;
  eq(after, before, 'nothing written');
  eq((await peer.get('/api/v1/resources/not-an-id')).status, 404, 'not an id');
  eq((await peer.get('/api/v1/resources/01900000-0000-7000-8000-000000000000')).status, 404, 'no such resource');
  eq((await peer.patch('/api/v1/resources/01900000-0000-7000-8000-000000000000', { name: 'x' }, { headers: { 'If-Match': '"1"' } })).status, 404, 'no such resource to change');
  eq((await peer.post('/api/v1/resources/01900000-0000-7000-8000-000000000000/verify', {})).status, 404, 'none to verify');
  await expectNo5xx(srv);
});

test('the privacy officer has no part in the directory; categories are listed for staff', async () => {
  const x = await add(peer, {});
  for (const [m, p, b] of [['get', '/api/v1/resources'], ['get', `/api/v1/resources/${x.id}`],
    ['post', '/api/v1/resources', body()], ['post', `/api/v1/resources/${x.id}/verify`, {}],
    ['get', '/api/v1/resources/categories']]) {
    expectProblem(await privacy[m](p, b), 403, `${m} ${p}`);
  }
  const c = await peer.get('/api/v1/resources/categories');
  eq(c.status, 200, 'categories');
  const codes = c.json.items.map((i) => i.code);
  for (const k of ['housing', 'employment', 'food-insecurity', 'mutual-aid', 'recovery-community', 'transportation-insecurity']) {
    assert(codes.includes(k), `has ${k}`);
  }
  assert(!codes.includes('sdoh-category-unspecified'), 'not the unspecified one');
  eq(new Set(c.json.items.map((i) => i.group)).size, 2, 'SDOH and peer domains');
  eq(c.json.stale_after_days, 365, 'stale after a year');
});

test('a resource nobody has checked for longer than the rules say is marked stale; checking it clears the mark', async () => {
  const t = tag();
  const x = await add(peer, { name: `Old ${t}` });
  const year = 366 * 86400000;
  const { sql } = await import('../lib/api.mjs');
  const r0 = sql(srv.db, `UPDATE dir_service SET added_at = added_at - ${year}, verified_at = verified_at - ${year} WHERE id = '${x.id}'`);
  eq(r0.status, 0, r0.stderr);
  let r = await peer.get(`/api/v1/resources?q=${t}`);
  eq(r.json.items[0].stale, true, 'stale');
  r = await peer.post(`/api/v1/resources/${x.id}/verify`, {});
  eq(r.json.stale, false, 'checked today');
});
