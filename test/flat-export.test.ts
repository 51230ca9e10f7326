/**
 * Issue 17, "flat exports for engines": `export --format csv|sql|parquet` with the conditions as
 * typed columns (when_F, when_F_op, number bounds), dates as DATE, `--dialect`, and Parquet written
 * by DuckDB. The scripts run in real engines: DuckDB (@duckdb/node-api), SQLite (sql.js) and
 * PostgreSQL 15 (a private cluster, test/helpers/engines.ts). Spark cannot run here: its dialect
 * is checked as text.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryIndex } from '../src/indexes/index.js';
import { FieldSpace } from '../src/indexes/facts.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { exportCrosswalk } from '../src/interchange/export.js';
import { resolveCrosswalk } from '../src/interchange/flat.js';
import { flatTable, type FlatTable } from '../src/interchange/typed.js';
import { sqlScript, type SqlDialect } from '../src/interchange/sql.js';
import { translateCode } from '../src/translate/translate.js';
import { writeParquet, type DuckDbLoader } from '../src/output/parquet.js';
import { XwalkError } from '../src/errors/errors.js';
import { runMain } from './helpers/run.js';
import { openPostgres, type Engine } from './helpers/engines.js';

const shipped = new RegistryIndex(shippedRegistry());
/** The shipped pairs whose answers carry conditions (direct, and chained through NIBRS). */
const CONDITIONAL: [string, string][] = [
  ['nibrs', 'srs'],
  ['riverton-pd', 'nibrs'],
  ['riverton-pd', 'srs'],
];

function exported(from: string, to: string, format: 'csv' | 'sql', dialect?: SqlDialect): string {
  return exportCrosswalk(shipped, { from, to: [to], domain: 'offense', format, ...(dialect ? { dialect } : {}) }).text;
}

function csvRows(from: string, to: string): Record<string, string>[] {
  return parse(exported(from, to, 'csv'), { columns: true }) as Record<string, string>[];
}

let duck: DuckDBInstance;
let c: DuckDBConnection;
beforeAll(async () => {
  duck = await DuckDBInstance.create(':memory:', { threads: '1' });
  c = await duck.connect();
});
afterAll(() => {
  c.closeSync();
  duck.closeSync();
});

/** A DuckDB query's rows as objects of JS values. */
async function q(sql: string): Promise<Record<string, unknown>[]> {
  const r = await c.runAndReadAll(sql);
  const names = r.columnNames();
  return r.getRowsJS().map((row) => Object.fromEntries(row.map((v, i) => [names[i]!, v])));
}

/** A DuckDB cell written as the CSV export writes it: lists |-joined, dates ISO, NULL empty. */
function asCsv(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.join('|');
  return String(v);
}

describe('typed condition columns: exactly the accepted leaf values', () => {
  it.each(CONDITIONAL)('%s → %s: every condition of every row is in its when_F / when_F_op / bound column', (from, to) => {
    const { rows, fields } = resolveCrosswalk(shipped, { from, to, domain: 'offense' });
    const table = flatTable(rows, fields, shipped);
    const col = (name: string) => table.columns.findIndex((c) => c.name === name);
    const spaces = new Map(fields.map((d) => [d.name, new FieldSpace(d, shipped)]));
    let checked = 0;
    rows.forEach((row, i) => {
      const cells = table.rows[i]!;
      const named = new Set<string>();
      for (const cond of row.when ?? []) {
        if ('values' in cond) {
          const acc = spaces.get(cond.field)!.accepted(cond);
          expect('leaves' in acc).toBe(true);
          const leaves = 'leaves' in acc ? [...acc.leaves].sort() : [];
          expect([...(cells[col(`when_${cond.field}`)] as string[])].sort()).toEqual(leaves);
          expect(cells[col(`when_${cond.field}_op`)]).toBe(cond.op);
          named.add(`when_${cond.field}`).add(`when_${cond.field}_op`);
        } else {
          expect(cells[col(`when_${cond.field}_${cond.op}`)]).toBe(cond.value);
          named.add(`when_${cond.field}_${cond.op}`);
        }
        checked++;
      }
      // Every other typed column of the row is NULL: no condition there.
      table.columns.forEach((c, j) => {
        if (c.name.startsWith('when_') && !named.has(c.name)) expect(cells[j]).toBeUndefined();
      });
      expect(cells[col('conditions_typed')]).toBe(row.when?.length ? 1 : undefined);
    });
    expect(checked).toBeGreaterThan(5);
  });

  it('nibrs → srs by hand: a weapon group is its leaf codes, a sex list stays a list (in the order of the field vocabulary), an age is a bound', () => {
    const rows = csvRows('nibrs', 'srs');
    const row = (code: string, target: string) => rows.find((r) => r.source_code === code && r.target_code === target)!;
    expect(row('120', '3a')).toMatchObject({ when_report: 'offense', when_report_op: 'in', when_weapon: '11|11A|12|12A|13|13A|14|14A|15|15A', when_weapon_op: 'in', when_attempted: '', conditions_typed: '1' });
    expect(row('11A', '2a')).toMatchObject({ when_attempted: 'C', when_victim_sex: 'M|F', valid_from: '2013-01-01' });
    const ages = rows.filter((r) => r.source_code === '90B' && (r.when_arrestee_age_ge ?? '') + (r.when_arrestee_age_lt ?? '') !== '');
    expect(ages.map((r) => [r.when_arrestee_age_ge, r.when_arrestee_age_lt]).sort()).toEqual([
      ['', '18'],
      ['18', ''],
    ]);
  });

  it('not-in conditions and undeclared fields (fixtures): op not-in, values lower-cased as the text field compares them', async () => {
    const r = await runMain(['--vocab-dir', 'fixtures/vocab', '--no-shipped', 'export', '--from', 'alpha-pd', '--to', 'hub', '--domain', 'offense', '--format', 'csv']);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.find((x) => x.target_code === 'H5')).toMatchObject({ when_property: 'shoplifting', when_property_op: 'not-in', when_location: 'building', when_location_op: 'not-in', conditions_typed: '1' });
  });

  it('conditions that do not fold into one column pair are marked conditions_typed = 0, not written as something else', () => {
    const { rows, fields } = resolveCrosswalk(shipped, { from: 'nibrs', to: 'srs', domain: 'offense' });
    const row = { ...rows.find((r) => r.when?.length)! };
    row.when = [
      { field: 'weapon', op: 'in', values: ['20'] },
      { field: 'weapon', op: 'not-in', values: ['30'] },
    ];
    const t = flatTable([row], fields, shipped);
    expect(t.rows[0]![t.columns.findIndex((c) => c.name === 'conditions_typed')]).toBe(0);
    // Two in-lists on a single-valued field fold exactly: their intersection.
    row.when = [
      { field: 'victim_sex', op: 'in', values: ['F', 'M'] },
      { field: 'victim_sex', op: 'in', values: ['F', 'U'] },
    ];
    const u = flatTable([row], fields, shipped);
    expect(u.rows[0]![u.columns.findIndex((c) => c.name === 'when_victim_sex')]).toEqual(['F']);
    expect(u.rows[0]![u.columns.findIndex((c) => c.name === 'conditions_typed')]).toBe(1);
    // A value holding the separator: |-joined text could not tell it apart.
    row.when = [{ field: 'custom', op: 'in', values: ['a|b'] }];
    const v = flatTable([row], fields, shipped);
    expect(v.rows[0]![v.columns.findIndex((c) => c.name === 'conditions_typed')]).toBe(0);
  });

  it('no shipped leaf value contains the list separator |', () => {
    let lists = 0;
    for (const [from, to] of CONDITIONAL) {
      const { rows, fields } = resolveCrosswalk(shipped, { from, to, domain: 'offense' });
      for (const row of flatTable(rows, fields, shipped).rows)
        for (const cell of row)
          if (Array.isArray(cell)) {
            lists++;
            for (const v of cell as string[]) expect(v).not.toContain('|');
          }
    }
    expect(lists).toBeGreaterThan(50);
  });
});

describe('the DuckDB dialect in DuckDB: DATE, VARCHAR[] and the same cells as the CSV', () => {
  it.each(CONDITIONAL)('%s → %s', async (from, to) => {
    await c.run(exported(from, to, 'sql', 'duckdb'));
    const types = await q("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'xwalk_mapping'");
    const type = Object.fromEntries(types.map((t) => [t.column_name, t.data_type]));
    const csv = csvRows(from, to);
    const list = Object.keys(csv[0]!).find((k) => k.startsWith('when_'))!;
    expect(type).toMatchObject({ valid_from: 'DATE', valid_to: 'DATE', [list]: 'VARCHAR[]', [`${list}_op`]: 'VARCHAR', confidence: 'DECIMAL(4,3)' });
    const got = await q('SELECT * FROM xwalk_mapping');
    expect(got.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asCsv(v)])))).toEqual(csv);
  });

  it('a join written against the typed columns gives what translate gives with the facts (nibrs → srs, weapons)', async () => {
    await c.run(exported('nibrs', 'srs', 'sql', 'duckdb'));
    const records: [string, string][] = [];
    for (const code of ['120', '13A']) for (const weapon of ['11', '12A', '20', '30', '40', '99']) records.push([code, weapon]);
    await c.run(`CREATE OR REPLACE TABLE recs AS SELECT * FROM (VALUES ${records.map(([a, b]) => `('${a}', '${b}')`).join(', ')}) t(code, weapon)`);
    // The documented pattern: no condition on F, or the record's value is in (op in) / out of (op not-in) the list.
    const got = await q(`
      SELECT r.code, r.weapon, string_agg(m.target_code, '|' ORDER BY m.target_rank) AS targets
      FROM recs r JOIN xwalk_mapping m ON m.source_key = r.code AND m.target_rank IS NOT NULL
       AND (m.when_report IS NULL OR (m.when_report_op = 'in') = list_contains(m.when_report, 'offense'))
       AND (m.when_weapon IS NULL OR (m.when_weapon_op = 'in') = list_contains(m.when_weapon, r.weapon))
      GROUP BY r.code, r.weapon ORDER BY r.code, r.weapon`);
    const want = records.map(([code, weapon]) => {
      const t = translateCode(shipped, code, {
        from: 'nibrs',
        to: 'srs',
        domain: 'offense',
        facts: new Map([
          ['report', ['offense']],
          ['weapon', [weapon]],
        ]),
      });
      expect(t.outcome).toBe('mapped');
      return { code, weapon, targets: t.candidates.map((x) => x.code).join('|') };
    });
    expect(got).toEqual(want.sort((a, b) => (a.code + a.weapon < b.code + b.weapon ? -1 : 1)));
  });

  it('the portable script (the default) still runs in DuckDB, dates as text', async () => {
    await c.run(exported('nibrs', 'srs', 'sql'));
    const [row] = await q('SELECT typeof(valid_from) AS d, typeof(when_weapon) AS w, count(*)::INTEGER AS n FROM xwalk_mapping GROUP BY ALL');
    expect(row).toMatchObject({ d: 'VARCHAR', w: 'VARCHAR', n: 128 });
  });
});

describe('the sqlite dialect in SQLite (sql.js)', () => {
  it.each(CONDITIONAL)('%s → %s: same cells as the CSV; dates are ISO text in DATE columns; lists |-joined', async (from, to) => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec(exported(from, to, 'sql', 'sqlite'));
    const [res] = db.exec('SELECT * FROM xwalk_mapping');
    const got = res!.values.map((v) => Object.fromEntries(v.map((x, i) => [res!.columns[i]!, x === null ? '' : String(x)])));
    expect(got).toEqual(csvRows(from, to));
    const [decl] = db.exec("SELECT type FROM pragma_table_info('xwalk_mapping') WHERE name IN ('valid_from', 'valid_to')");
    expect(decl!.values.flat()).toEqual(['DATE', 'DATE']);
    const [stored] = db.exec('SELECT DISTINCT typeof(valid_from) FROM xwalk_mapping WHERE valid_from IS NOT NULL UNION SELECT DISTINCT typeof(valid_to) FROM xwalk_mapping WHERE valid_to IS NOT NULL');
    expect(stored?.values.flat() ?? ['text']).toEqual(['text']);
    db.close();
  });
});

describe('the Spark dialect (Spark cannot run here: the text is checked against Spark SQL 3.5 constructs)', () => {
  const table: FlatTable = {
    columns: [
      { name: 'source_code', type: 'text', notNull: true },
      { name: 'valid_from', type: 'date' },
      { name: 'when_weapon', type: 'list' },
      { name: 'when_age_ge', type: 'double' },
    ],
    rows: [
      ["O'Brien \\ 1", '2013-01-01', ['11', "1'2"], 18],
      ['x', undefined, undefined, undefined],
    ],
  };
  it('STRING, DATE literals, array(), backslash escapes, USING parquet, no NOT NULL', () => {
    const s = sqlScript(table, { dialect: 'spark' });
    expect(s).toContain('  source_code STRING,\n  valid_from DATE,\n  when_weapon ARRAY<STRING>,\n  when_age_ge DOUBLE\n) USING parquet;');
    expect(s).toContain("('O\\'Brien \\\\ 1', DATE '2013-01-01', array('11', '1\\'2'), 18)");
    expect(s).toContain("('x', NULL, NULL, NULL)");
  });
  it('the other dialects write the same row their way', () => {
    expect(sqlScript(table, { dialect: 'duckdb' })).toContain("('O''Brien \\ 1', DATE '2013-01-01', ['11', '1''2'], 18)");
    expect(sqlScript(table, { dialect: 'postgres' })).toContain("('O''Brien \\ 1', DATE '2013-01-01', ARRAY['11', '1''2'], 18)");
    expect(sqlScript(table, { dialect: 'sqlite' })).toContain("('O''Brien \\ 1', '2013-01-01', '11|1''2', 18)");
    expect(sqlScript(table, { dialect: 'portable' })).toContain('  valid_from VARCHAR(10),\n  when_weapon VARCHAR(4000),\n  when_age_ge DECIMAL(18,6)\n');
  });
});

// PostgreSQL 15: a private cluster (scripts/postgres.mjs) through the engines harness.
describe('PostgreSQL: the postgres dialect', () => {
  let pgEngine: Engine;
  beforeAll(async () => {
    pgEngine = await openPostgres();
  }, 120_000);
  afterAll(async () => {
    await pgEngine?.close();
  });
  it.each(CONDITIONAL)('%s → %s: DATE, text[] and the same cells as the CSV', async (from, to) => {
    await pgEngine.exec(exported(from, to, 'sql', 'postgres'));
    const csv = csvRows(from, to);
    const cols = Object.keys(csv[0]!);
    const list = cols.find((k) => k.startsWith('when_'))!;
    const types = await pgEngine.query(`SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'xwalk_mapping' AND column_name IN ('valid_from', '${list}') ORDER BY column_name = 'valid_from' DESC`);
    expect(types.rows).toEqual([
      ['valid_from', 'date'],
      [list, '_text'],
    ]);
    // As text the CSV's way: lists |-joined, dates ISO, confidence without trailing zeros.
    const select = cols.map((k) => (k.startsWith('when_') && !/_(op|lt|le|gt|ge)$/.test(k) ? `array_to_string(${k}, '|')` : k === 'confidence' ? `CASE WHEN confidence = 1 THEN '1' ELSE rtrim(rtrim(confidence::text, '0'), '.') END` : `${k}::text`)).join(', ');
    const got = await pgEngine.query(`SELECT ${select} FROM xwalk_mapping`);
    expect(got.rows.map((r) => Object.fromEntries(r.map((v, i) => [cols[i]!, v ?? ''])))).toEqual(csv);
  });
});

describe('parquet: written by DuckDB, read back cell for cell as the CSV', () => {
  it.each(CONDITIONAL)('%s → %s (through the CLI, -o)', async (from, to) => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-parquet-'));
    const file = join(dir, 'map.parquet');
    const r = await runMain(['export', '--from', from, '--to', to, '--format', 'parquet', '-o', file]);
    expect({ exit: r.exit, stdout: r.stdout }).toEqual({ exit: 0, stdout: '' });
    expect(r.stderr).toMatch(/as parquet: \d+ rows, written to /);
    expect(readdirSync(dir)).toEqual(['map.parquet']);
    const got = await q(`SELECT * FROM read_parquet('${file}')`);
    expect(got.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asCsv(v)])))).toEqual(csvRows(from, to));
    const list = Object.keys(csvRows(from, to)[0]!).find((k) => k.startsWith('when_'))!;
    const [types] = await q(`SELECT typeof(valid_from) AS d, typeof(${list}) AS w, typeof(confidence) AS c FROM read_parquet('${file}') LIMIT 1`);
    expect(types).toEqual({ d: 'DATE', w: 'VARCHAR[]', c: 'DECIMAL(4,3)' });
  });

  it('never half-written: a failure leaves the previous file and no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-parquet-'));
    const file = join(dir, 'map.parquet');
    writeFileSync(file, 'previous');
    await expect(writeParquet(file, 'CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);', 'no_such_table')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['map.parquet']);
    await writeParquet(file, 'CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);', 't');
    expect(await q(`SELECT x FROM read_parquet('${file}')`)).toEqual([{ x: 1 }]);
    expect(readdirSync(dir)).toEqual(['map.parquet']);
  });

  const refuse = async (loader: DuckDbLoader) => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-parquet-'));
    const e = await writeParquet(join(dir, 'x.parquet'), 'SELECT 1', 't', loader).catch((x: unknown) => x);
    expect(readdirSync(dir)).toEqual([]);
    return e as XwalkError;
  };
  it('inside the single executable: refused with how to get it', async () => {
    const e = await refuse({
      isSea: async () => true,
      load: async () => {
        throw new Error('must not be loaded in SEA');
      },
    });
    expect(e).toBeInstanceOf(XwalkError);
    expect(e.message).toBe('--format parquet needs DuckDB (@duckdb/node-api, a native addon), which the single executable cannot load');
    expect(e.hint).toMatch(/npm install xwalk @duckdb\/node-api.*--format csv/);
  });
  it('not installed: refused with how to get it', async () => {
    const e = await refuse({
      isSea: async () => false,
      load: async () => {
        throw Object.assign(new Error("Cannot find module '@duckdb/node-api'"), { code: 'ERR_MODULE_NOT_FOUND' });
      },
    });
    expect(e.message).toBe('--format parquet needs the optional package @duckdb/node-api, which is not installed');
    expect(e.hint).toBe('install it beside xwalk (npm install @duckdb/node-api), or export --format csv and load that into your engine');
  });
  it('installed but broken (a missing native binding): refused, naming the reason', async () => {
    const e = await refuse({
      isSea: async () => false,
      load: async () => {
        throw new Error('libduckdb.so: cannot open shared object file');
      },
    });
    expect(e.message).toBe('--format parquet needs @duckdb/node-api, which did not load: libduckdb.so: cannot open shared object file');
  });
});

describe('the library', () => {
  it('exportCrosswalk(format parquet) + writeParquet, as the README shows', async () => {
    const lib = await import('../src/index.js');
    const index = new lib.RegistryIndex(lib.shippedRegistry());
    const pq = lib.exportCrosswalk(index, { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'parquet' });
    expect(pq.text).toBe('');
    const file = join(mkdtempSync(join(tmpdir(), 'xwalk-parquet-')), 'nibrs_srs.parquet');
    await lib.writeParquet(file, pq.parquet!.script, pq.parquet!.table);
    const [row] = await q(`SELECT count(*)::INTEGER AS n FROM read_parquet('${file}')`);
    expect(row).toEqual({ n: csvRows('nibrs', 'srs').length });
    expect(lib.SQL_DIALECTS).toEqual(['portable', 'duckdb', 'postgres', 'spark', 'sqlite']);
  });
  it('the built ESM library (dist/index.js) loads DuckDB too (its require shim throws: it must import)', () => {
    if (!existsSync('dist/index.js')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
    const file = join(mkdtempSync(join(tmpdir(), 'xwalk-parquet-')), 'lib.parquet');
    const code = `import * as lib from './dist/index.js';
      const pq = lib.exportCrosswalk(new lib.RegistryIndex(lib.shippedRegistry()), { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'parquet' });
      await lib.writeParquet(${JSON.stringify(file)}, pq.parquet.script, pq.parquet.table);`;
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { stdio: 'pipe' });
    expect(readdirSync(join(file, '..'))).toEqual(['lib.parquet']);
  }, 120_000);
});
