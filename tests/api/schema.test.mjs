// The schema is the same on both backends. The migrations are one set of
// definitions (src/store/migrate.c), but the two engines read the same
// DDL differently in places, so this proves the result: after init, a
// SQLite database and a PostgreSQL database have the same tables, the
// same columns in the same order with the same declared types and the
// same NOT NULL-ness (as each engine enforces it), the same primary keys,
// unique constraints and named indexes.
// The comparison needs both backends at once, so it runs only in the
// PostgreSQL pass (ALONGSIDE_TEST_PG set); the SQLite pass says so on its
// output.
import path from 'node:path';
import { test, eq, assert } from '../lib/harness.mjs';
import { cli, tempDir, newDatabase, PG } from '../lib/server.mjs';
import { sql } from '../lib/api.mjs';

// Rows of a query's output, each an array of its '|'-joined columns.
function rows(db, text) {
  const r = sql(db, text);
  eq(r.status, 0, `query: ${r.stderr}`);
  return r.stdout === '' ? [] : r.stdout.split('\n').map((l) => l.split('|'));
}

const sorted = (a) => [...a].sort();
const show = (x) => JSON.stringify(x, null, 1);

// SQLite's ordinary tables: not its own (sqlite_*), and not virtual
// tables or their shadow tables, which would be a backend's own search
// structures behind db.h rather than the shared schema.
const ORDINARY = "m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

// table -> [ "column type [NOT NULL]", ... ] in column order.
function sqliteColumns(db) {
  const out = {};
  const all = rows(db, `SELECT m.name, p.cid, p.name, p.type, p."notnull", p.pk,
      (SELECT count(*) FROM pragma_table_info(m.name) q WHERE q.pk > 0)
    FROM pragma_table_list m JOIN pragma_table_info(m.name) p
    WHERE ${ORDINARY} ORDER BY m.name, p.cid;`);
  for (const [table, , column, type, notnull, pk, npk] of all) {
    // What SQLite enforces: NOT NULL as declared, plus an INTEGER
    // PRIMARY KEY (the rowid, never NULL). Any other PRIMARY KEY column
    // accepts NULL in SQLite unless declared NOT NULL.
    const rowid = type.toUpperCase() === 'INTEGER' && pk === '1' && npk === '1';
    (out[table] ||= []).push(`${column} ${type.toLowerCase()}${notnull === '1' || rowid ? ' NOT NULL' : ''}`);
  }
  return out;
}

function pgColumns(db) {
  const out = {};
  const all = rows(db, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
    FROM information_schema.columns c JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position;`);
  for (const [table, column, type, nullable] of all) {
    (out[table] ||= []).push(`${column} ${type}${nullable === 'NO' ? ' NOT NULL' : ''}`);
  }
  return out;
}

// Keys and indexes, one string each: "table kind(columns)" for primary
// keys and unique constraints (their index names are engine-chosen) and
// "table index name [unique] (columns)" for CREATE INDEX ones.
function sqliteKeys(db) {
  const out = [];
  const pk = {};
  for (const [table, column, n] of rows(db, `SELECT m.name, p.name, p.pk FROM pragma_table_list m JOIN pragma_table_info(m.name) p
      WHERE ${ORDINARY} AND p.pk > 0;`)) {
    (pk[table] ||= [])[Number(n) - 1] = column;
  }
  for (const [table, cols] of Object.entries(pk)) out.push(`${table} primary key(${cols.join(',')})`);
  const idx = {};
  for (const [table, name, unique, origin, seq, column] of rows(db, `SELECT m.name, il.name, il."unique", il.origin, ii.seqno, ii.name
      FROM pragma_table_list m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
      WHERE ${ORDINARY};`)) {
    const k = `${table}\0${name}`;
    idx[k] ||= { table, name, unique, origin, cols: [] };
    idx[k].cols[Number(seq)] = column;
  }
  for (const i of Object.values(idx)) {
    if (i.origin === 'pk') continue; // the primary key, listed above
    if (i.origin === 'u') out.push(`${i.table} unique(${i.cols.join(',')})`);
    else out.push(`${i.table} index ${i.name}${i.unique === '1' ? ' unique' : ''} (${i.cols.join(',')})`);
  }
  return sorted(out);
}

function pgKeys(db) {
  const out = [];
  for (const [table, name, unique, kind, cols] of rows(db, `SELECT t.relname, c.relname, x.indisunique, coalesce(k.contype::text, ''),
      (SELECT string_agg(a.attname, ',' ORDER BY o.n) FROM unnest(x.indkey::int2[]) WITH ORDINALITY o(attnum, n)
        JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = o.attnum)
    FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace ns ON ns.oid = t.relnamespace
      LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u')
    WHERE ns.nspname = current_schema();`)) {
    if (kind === 'p') out.push(`${table} primary key(${cols})`);
    else if (kind === 'u') out.push(`${table} unique(${cols})`);
    else out.push(`${table} index ${name}${unique === 't' ? ' unique' : ''} (${cols})`);
  }
  return sorted(out);
}

// Runs in both passes: the fix for what the comparison below first found
// (SQLite let a TEXT or BIGINT primary key hold NULL; PostgreSQL never
// does).
test('no primary key column accepts NULL on this backend', () => {
  const dir = tempDir('alongside-schema-');
  const db = newDatabase(dir, 'nullkey.db');
  eq(cli(['init', '--db', db]).status, 0, 'init');
  const keys = (PG ? pgKeys(db) : sqliteKeys(db)).map((k) => /^(\S+) primary key\(([^,]+)\)$/.exec(k)).filter(Boolean);
  const checked = [];
  for (const [, table, column] of keys) {
    // An INTEGER PRIMARY KEY is SQLite's rowid: NULL there means "the
    // next number", not NULL; those tables are left out on both.
    const type = rows(db, PG
      ? `SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${table}' AND column_name = '${column}';`
      : `SELECT lower(type) FROM pragma_table_info('${table}') WHERE name = '${column}';`)[0][0];
    if (type === 'integer') continue;
    const r = sql(db, `INSERT INTO ${table} (${column}) VALUES (NULL);`);
    eq(r.status === 0, false, `${table}.${column}: a NULL key is refused`);
    const named = PG ? new RegExp(`null value in column "${column}" of relation "${table}"`) : new RegExp(`NOT NULL constraint failed: ${table}\\.${column}\\b`);
    eq(named.test(r.stderr), true, `${table}.${column}: refused for the key itself (${r.stderr.trim()})`);
    checked.push(table);
  }
  eq(checked.length >= 10, true, `the single-column keys were checked (${checked})`);
});

if (!PG) {
  console.log('# schema.test.mjs compares a SQLite with a PostgreSQL database, so it runs in the PostgreSQL pass only');
} else {
  const dir = tempDir('alongside-schema-');
  const lite = path.join(dir, 'schema.db');
  const pg = newDatabase(dir);

  test('init gives the same tables on SQLite and PostgreSQL (runs in the PostgreSQL pass: needs both)', () => {
    for (const db of [lite, pg]) {
      const r = cli(['init', '--db', db]);
      eq(r.status, 0, `init ${db}: ${r.stderr}`);
    }
    const a = sorted(Object.keys(sqliteColumns(lite)));
    const b = sorted(Object.keys(pgColumns(pg)));
    assert(a.length >= 10 && a.includes('audit') && a.includes('person'), `SQLite's tables were read (${a})`);
    eq(show(b), show(a), 'the tables (PostgreSQL, then SQLite)');
  });

  test('every table has the same columns in the same order, types and NOT NULL-ness on both backends', () => {
    const a = sqliteColumns(lite);
    const b = pgColumns(pg);
    const diffs = [];
    for (const table of sorted(Object.keys(a))) {
      const n = Math.max(a[table].length, (b[table] || []).length);
      for (let i = 0; i < n; i++) {
        const x = a[table][i] ?? '(none)';
        const y = (b[table] || [])[i] ?? '(none)';
        if (x !== y) diffs.push(`${table} column ${i + 1}: SQLite "${x}", PostgreSQL "${y}"`);
      }
    }
    assert(diffs.length === 0, `columns differ:\n${diffs.join('\n')}`);
  });

  test('the same primary keys, unique constraints and named indexes on both backends', () => {
    eq(show(pgKeys(pg)), show(sqliteKeys(lite)), 'keys and indexes (PostgreSQL, then SQLite)');
  });
}
