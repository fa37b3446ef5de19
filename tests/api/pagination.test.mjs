// Lists: limit, cursors, stability under concurrent inserts, query
// parameter checks, and name search (prefix, case, accents, several words,
// with filters).
import { test, after, eq, assert } from '../lib/harness.mjs';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { signedIn } from '../lib/client.mjs';
import {
  expectFields, expectNoEcho, allPages, createPerson, findPerson, expectNo5xx,
} from '../lib/api.mjs';

const srv = await startServer();
after(() => srv.stop());

const north = await signedIn(srv.url, 'peer.north', PASSWORD);
const north2 = await signedIn(srv.url, 'peer.north2', PASSWORD);
const south = await signedIn(srv.url, 'peer.south', PASSWORD);
const people = '/api/v1/people';
const NOBODY = '01900000-0000-7000-8000-000000000000';

const names = (items) => items.map((p) => p.preferred_name);

test('limit must be a whole number from 1 to 200', async () => {
  for (const l of ['0', '201', 'abc', '-1', '1.5', '', '1e2', ' 5', '0x10', '99999999999999999999']) {
    expectFields(await north.get(`${people}?limit=${encodeURIComponent(l)}`), ['limit'], { exact: true, what: `limit=${l}` });
  }
  const one = await north.get(`${people}?limit=1`);
  eq(one.status, 200, 'limit=1');
  eq(one.json.items.length, 1, 'one item');
  assert(typeof one.json.next === 'string', 'a next cursor');
  const max = await north.get(`${people}?limit=200`);
  eq(max.status, 200, 'limit=200');
  eq(max.json.items.length, 20, 'all 20');
  eq(max.json.next, null, 'no next page');
  const dflt = await north.get(people);
  eq(dflt.status, 200, 'no limit');
  assert(dflt.json.items.length <= 200, 'the default is within the maximum');
});

test('a cursor walk returns every person exactly once, in name order', async () => {
  const whole = (await north.get(`${people}?limit=200`)).json.items;
  for (const size of [1, 3, 7, 20]) {
    const seen = [];
    let after = null;
    let pages = 0;
    for (;;) {
      const r = await north.get(`${people}?limit=${size}${after ? `&after=${after}` : ''}`);
      eq(r.status, 200, 'page status');
      assert(r.json.items.length <= size, 'page within limit');
      seen.push(...r.json.items);
      pages++;
      if (r.json.next === null) break;
      eq(r.json.next, r.json.items[r.json.items.length - 1].id, 'next names the last of the page');
      after = r.json.next;
      assert(pages < 100, 'the walk ends');
    }
    eq(seen.length, 20, `limit ${size}: count`);
    eq(new Set(seen.map((p) => p.id)).size, 20, `limit ${size}: no duplicates`);
    eq(JSON.stringify(seen.map((p) => p.id)), JSON.stringify(whole.map((p) => p.id)), `limit ${size}: same order as one page`);
    eq(pages, Math.ceil(20 / size), `limit ${size}: pages`);
  }
});

test('paging stays whole while people are added concurrently: no duplicates, nobody skipped', async () => {
  const before = await allPages(north, people);
  const seen = [];
  let after = null;
  let added = 0;
  // Names spread over the alphabet, so some land before the cursor and
  // some after it.
  const letters = 'AZMBYNCXODWPEVQFURGTHSIJKL';
  for (let page = 0; page < 100; page++) {
    const inserts = [0, 1].map((k) => {
      const l = letters[(page * 2 + k) % letters.length];
      added++;
      return north2.post(people, { preferred_name: `${l}ddison Concurrentia${page}${k}` });
    });
    const [r, ...created] = await Promise.all([
      north.get(`${people}?limit=4${after ? `&after=${after}` : ''}`), ...inserts,
    ]);
    eq(r.status, 200, 'page');
    for (const c of created) eq(c.status, 201, `insert (${c.text.slice(0, 100)})`);
    seen.push(...r.json.items);
    if (r.json.next === null) break;
    after = r.json.next;
  }
  const ids = seen.map((p) => p.id);
  eq(new Set(ids).size, ids.length, 'no duplicates');
  const missing = before.filter((p) => !ids.includes(p.id));
  eq(missing.length, 0, `nobody who existed before was skipped (${names(missing)})`);
  const everyone = await allPages(north, people);
  eq(everyone.length, before.length + added, 'every insert landed');
  // The pages kept the roster's order throughout.
  const pos = new Map(everyone.map((p, i) => [p.id, i]));
  for (let i = 1; i < ids.length; i++) {
    assert(pos.get(ids[i - 1]) < pos.get(ids[i]), `in order at ${i}`);
  }
});

test('a bad cursor is a 400 naming after; unknown or repeated parameters are 400 too', async () => {
  for (const a of ['garbage', NOBODY, '', '../../etc', `${NOBODY}x`]) {
    expectFields(await north.get(`${people}?after=${encodeURIComponent(a)}`), ['after'], { exact: true, what: `after=${a}` });
  }
  let r = await north.get(`${people}?sort=name`);
  expectFields(r, ['query'], { exact: true });
  r = await north.get(`${people}?Sortilege-Marker=zz`);
  expectFields(r, ['query'], { exact: true });
  expectNoEcho(r, 'Sortilege');
  expectFields(await north.get(`${people}?limit=5&limit=6`), ['limit'], { exact: true });
  expectFields(await north.get(`${people}?status=dormant`), ['status'], { exact: true });
  expectFields(await north.get(`${people}?team=nowhere`), ['team'], { exact: true });
  expectFields(await north.get(`${people}?limit=0&after=x&status=y&colour=z`), ['limit', 'after', 'status', 'query'], { exact: true });
});

test('status filter', async () => {
  const counts = {};
  for (const c of [north, south]) {
    const all = await allPages(c, people);
    for (const s of ['outreach', 'active', 'discharged']) {
      const l = await allPages(c, `${people}?status=${s}`);
      assert(l.every((p) => p.status === s), `only ${s}`);
      eq(l.length, all.filter((p) => p.status === s).length, `every ${s}`);
      counts[s] = (counts[s] || 0) + l.length;
    }
  }
  for (const s of ['outreach', 'active', 'discharged']) assert(counts[s] > 0, `the demo has people ${s}`);
});

test('name search finds by prefix: "jon" finds Jonathan, case does not matter', async () => {
  for (const q of ['jon', 'Jon', 'JON', 'jonathan', 'brightw', 'jon%20bri', 'bri%20jon', 'JONATHAN%20BRIGHTWATER']) {
    const l = await allPages(north, `${people}?q=${q}`);
    assert(names(l).includes('Jonathan Brightwater'), `q=${q} finds Jonathan Brightwater (${names(l)})`);
    assert(l.every((p) => /jon|bright/i.test(p.preferred_name) || /jon|bright/i.test(JSON.stringify(p))), `q=${q}: only matches`);
  }
  // Prefixes, not substrings; every word must match.
  assert(!names(await allPages(north, `${people}?q=athan`)).includes('Jonathan Brightwater'), 'not mid-word');
  eq((await allPages(north, `${people}?q=jon%20zzzq`)).length, 0, 'every word must match');
  eq((await allPages(north, `${people}?q=zzzq`)).length, 0, 'no match');
  expectFields(await north.get(`${people}?q=a%20b%20c%20d%20e`), ['q'], { exact: true, what: 'five words' });
});

test('name search ignores accents both ways: jose, José, JOSÉ; sorensen finds Sørensen; nguyen finds Nguyễn', async () => {
  for (const q of ['jose', 'Jos%C3%A9', 'JOS%C3%89', 'JOSE']) {
    const l = await allPages(south, `${people}?q=${q}`);
    assert(names(l).some((n) => n.startsWith('José ')), `q=${decodeURIComponent(q)} finds José (${names(l)})`);
  }
  const sor = await createPerson(north, { preferred_name: 'Fictiva Sørensen' });
  for (const q of ['sorensen', 'S%C3%B8rensen', 'SORENSEN', 'sor']) {
    const l = await allPages(north, `${people}?q=${q}`);
    assert(l.some((p) => p.id === sor.id), `q=${decodeURIComponent(q)} finds Sørensen`);
  }
  // Vietnamese letters are outside Latin-1.
  const ng = await createPerson(north, { preferred_name: 'Fictiva Thảo Nguyễn' });
  for (const q of ['nguyen', 'Nguy%E1%BB%85n', 'thao', 'thao%20nguyen']) {
    const l = await allPages(north, `${people}?q=${q}`);
    assert(l.some((p) => p.id === ng.id), `q=${decodeURIComponent(q)} finds Nguyễn`);
  }
  // Scripts beyond Latin: Cyrillic folds to lower case; a prefix whose
  // last byte is the top of a UTF-8 range still finds its names on both
  // backends (PostgreSQL refuses invalid UTF-8 in a range bound).
  const cy = await createPerson(north, { preferred_name: 'Павел Пётрович' });
  for (const q of ['%D0%BF', '%D0%9F', '%D0%BF%D0%B0', '%D0%BF%D1%91%D1%82']) {
    const l = await allPages(north, `${people}?q=${q}`);
    assert(l.some((p) => p.id === cy.id), `q=${decodeURIComponent(q)} finds a Cyrillic name`);
  }
  eq((await allPages(north, `${people}?q=%D0%BF%D1%8F`)).some((p) => p.id === cy.id), false, 'not a prefix of it');
  // A name typed with combining accents matches one typed precomposed.
  const nfd = await createPerson(north, { preferred_name: 'Re\u0301ne\u0301e Quillfeatherby' });
  for (const q of ['renee', 'Ren%C3%A9e']) {
    const l = await allPages(north, `${people}?q=${q}`);
    assert(l.some((p) => p.id === nfd.id), `q=${decodeURIComponent(q)} finds a decomposed Renée`);
  }
  // Apostrophes do not split or block a name.
  const or = await createPerson(north, { preferred_name: 'Fictiva O\'Shaughnessy' });
  for (const q of ['oshaughnessy', 'O\'Shaugh', 'o%E2%80%99shaugh']) {
    const l = await allPages(north, `${people}?q=${encodeURIComponent(decodeURIComponent(q))}`);
    assert(l.some((p) => p.id === or.id), `q=${q} finds O'Shaughnessy`);
  }
});

test('search matches the legal name too, and follows renames', async () => {
  const p = await createPerson(north, { preferred_name: 'Wren Halloway', legal_name: 'Peregrine Wren Halloway' });
  assert((await allPages(north, `${people}?q=peregrine`)).some((x) => x.id === p.id), 'legal name found');
  const r = await north.patch(`${people}/${p.id}`, { preferred_name: 'Kestrel Halloway', legal_name: null }, { headers: { 'If-Match': `"${p.version}"` } });
  eq(r.status, 200, 'renamed');
  assert(!(await allPages(north, `${people}?q=peregrine`)).some((x) => x.id === p.id), 'old legal name gone');
  assert(!(await allPages(north, `${people}?q=wren%20hallo`)).some((x) => x.id === p.id), 'old preferred name gone');
  assert((await allPages(north, `${people}?q=kestrel`)).some((x) => x.id === p.id), 'new name found');
});

test('search combines with the status filter and with paging', async () => {
  const jon = await findPerson(north, 'Jonathan');
  const st = jon.status;
  const other = ['outreach', 'active', 'discharged'].find((s) => s !== st);
  assert(names(await allPages(north, `${people}?q=jon&status=${st}`)).includes('Jonathan Brightwater'), 'with its status');
  assert(!names(await allPages(north, `${people}?q=jon&status=${other}`)).includes('Jonathan Brightwater'), 'not with another status');
  // Several people share a prefix: page through the matches.
  for (let i = 0; i < 5; i++) await createPerson(north, { preferred_name: `Zephyrine Pagewalker${i}` });
  const one = await allPages(north, `${people}?q=zephyrine`, { limit: 200 });
  const paged = await allPages(north, `${people}?q=zephyrine`, { limit: 2 });
  eq(one.length, 5, 'five matches');
  eq(JSON.stringify(paged.map((p) => p.id)), JSON.stringify(one.map((p) => p.id)), 'the same by pages of 2');
  const act = await allPages(north, `${people}?q=zephyrine&status=active`);
  eq(act.length, 0, 'none active');
  const south5 = await allPages(south, `${people}?q=zephyrine`);
  eq(south5.length, 0, 'not on another roster');
});

test('no request in this file was answered with a 5xx', () => {
  expectNo5xx(srv);
});
