/**
 * `xwalk sql` against `xwalk convert`, cell for cell, in real engines (issue 17): DuckDB through
 * @duckdb/node-api, PostgreSQL 15 in a private cluster (scripts/postgres.mjs), SQLite through
 * sql.js. Both commands run through bin/xwalk, the entry point users run. Inputs: the shipped sample
 * exports with every policy, and generated exports (test/helpers/gen-export.ts) with conditions,
 * several values, dates across validity boundaries, chains, unknown, mangled and empty cells.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OPENERS, firstDifference, readExport, type Engine, type EngineName } from './helpers/engines.js';
import { chicagoToSrs, nibrsToSrs, rivertonToNibrs, shippedIndex } from './helpers/gen-export.js';
import { REPO, ensureBuilt } from './helpers/shell.js';

const run = promisify(execFile);
const BIN = join(REPO, 'bin', 'xwalk');
const dir = mkdtempSync(join(tmpdir(), 'xwalk-sql-'));

async function xwalk(args: string[]): Promise<{ stdout: string; stderr: string; exit: number }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: REPO, maxBuffer: 1 << 30, encoding: 'utf-8' });
    return { stdout: r.stdout, stderr: r.stderr, exit: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    return { stdout: x.stdout, stderr: x.stderr, exit: x.code };
  }
}

/** The script's statements before its final query, and the query. */
function split(script: string): { setup: string; query: string } {
  const at = script.lastIndexOf('\nWITH\n');
  return { setup: script.slice(0, at), query: script.slice(at + 1).replace(/;\s*$/, '') };
}

interface Case {
  name: string;
  file: string;
  global?: string[];
  args: string[];
  delimiter?: string;
}

const FIXTURE_CASES: Case[] = [];
const demo = ['--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '--context', 'property_type=property_type'];
const facts = [
  '--from',
  'nibrs',
  '--to',
  'srs',
  '--column',
  'NIBRS:offense',
  '--fact',
  'report=offense',
  '--context',
  'weapon=Weapon',
  '--context',
  'attempted=Attempted',
  '--context',
  'method_of_entry=EntryMethod',
  '--context',
  'property_description=PropertyDesc',
  '--context',
  'victim_sex=VictimSex',
  '--value-separator',
  '|',
];
for (const [unmapped, ambiguous, mode] of [
  ['blank', 'all', 'append'],
  ['keep', 'first', 'append'],
  ['fixed:UNMAPPED', 'blank', 'replace'],
  ['keep', 'all', 'replace'],
] as const) {
  const policy = ['--unmapped', unmapped, '--ambiguous', ambiguous, '--mode', mode, '--explain'];
  FIXTURE_CASES.push(
    { name: `riverton rms, dated (${policy.join(' ')})`, file: 'fixtures/exports/riverton-pd-rms.csv', args: [...demo, '--as-of-column', 'IncidentDate', ...policy] },
    { name: `nibrs offenses with facts (${policy.join(' ')})`, file: 'fixtures/exports/nibrs-offenses-facts.csv', args: [...facts, ...policy] },
  );
}
FIXTURE_CASES.push(
  { name: 'riverton spreadsheet, mangled codes', file: 'fixtures/exports/riverton-pd-spreadsheet.csv', args: [...demo, '--as-of-column', 'IncidentDate', '--explain'] },
  { name: 'nibrs incidents, dated', file: 'fixtures/exports/nibrs-incidents.csv', args: [...facts, '--as-of-column', 'IncidentDate', '--mode', 'replace', '--explain'] },
  { name: 'riverton eu: semicolons, day-first dates', file: 'fixtures/exports/riverton-pd-eu.csv', args: ['--from', 'riverton-pd', '--to', 'nibrs', '--column', 'Delikt:offense', '--as-of-column', 'Tatzeit', '--date-format', 'dmy', '--delimiter', ';', '--explain'], delimiter: ';' },
  { name: 'riverton eu: excel serial dates', file: 'fixtures/exports/riverton-pd-eu.csv', args: ['--from', 'riverton-pd', '--to', 'nibrs', '--column', 'Delikt:offense', '--as-of-column', 'Meldedatum', '--date-format', 'excel', '--delimiter', ';'], delimiter: ';' },
  { name: 'bayview to nibrs, fixed date', file: 'fixtures/exports/bayview-pd-offenses.csv', args: ['--from', 'bayview-pd', '--to', 'nibrs', '--column', 'offense_code:offense', '--as-of', '2024-01-01', '--explain'] },
  { name: 'harbor county to srs through nibrs (a chain)', file: 'fixtures/exports/harbor-county-so-nibrs.csv', args: ['--from', 'harbor-county-so', '--to', 'srs', '--column', 'StatuteCode:offense', '--fact', 'report=offense', '--explain'] },
  { name: 'metro fire statuses to county fire (a chain through plain language)', file: 'fixtures/exports/metro-fire-calls.csv', args: ['--from', 'metro-fire', '--to', 'county-fire', '--column', 'UnitStatus:status', '--explain'] },
);

const index = shippedIndex(true);
const GENERATED: (Case & { rows: number })[] = [];
function generated(name: string, rows: number, make: typeof nibrsToSrs, seed: number, extra: string[] = []): Case & { rows: number } {
  const s = make(index, rows, seed);
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, s.csv);
  return { name, file, global: s.globalArgs, args: [...s.convertArgs, ...extra], rows };
}

const ENGINES: EngineName[] = ['duckdb', 'postgres', 'sqlite'];

beforeAll(() => {
  ensureBuilt();
  GENERATED.push(generated('nibrs-srs-100k', 100_000, nibrsToSrs, 1, ['--explain']), generated('riverton-nibrs-20k', 20_000, rivertonToNibrs, 2, ['--mode', 'replace', '--unmapped', 'keep']), generated('chicago-srs-20k', 20_000, chicagoToSrs, 3, ['--ambiguous', 'first', '--explain']));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** convert's output per case, run once for all engines. */
const converted = new Map<Case, Promise<{ stdout: string; stderr: string; exit: number }>>();
function convertOnce(c: Case, file: string) {
  let p = converted.get(c);
  if (!p) converted.set(c, (p = xwalk(['-q', ...(c.global ?? []), 'convert', file, ...c.args])));
  return p;
}

async function check(engine: Engine, c: Case, table: string): Promise<number> {
  const dialect = engine.name === 'sqlite' ? 'sqlite' : engine.name;
  const usesDates = c.args.includes('--as-of-column');
  const file = c.file.startsWith('/') ? c.file : join(REPO, c.file);
  const sql = await xwalk(['-q', ...(c.global ?? []), 'sql', file, ...c.args, '--dialect', dialect, '--input-table', table, '--order-by', '_line']);
  if (engine.name === 'sqlite' && usesDates) {
    expect(sql.exit, sql.stderr).toBe(2);
    expect(sql.stderr).toMatch(/--as-of-column is not compiled for sqlite/);
    return 0;
  }
  expect(sql.exit, sql.stderr).toBe(0);
  const conv = await convertOnce(c, file);
  expect([0, 1]).toContain(conv.exit);
  const want = readExport(conv.stdout, c.delimiter ?? ',');
  await engine.loadCsv(table, file, { ...(c.delimiter ? { delimiter: c.delimiter } : {}), lineColumn: '_line' });
  const { setup, query } = split(sql.stdout);
  await engine.exec(setup);
  const got = await engine.query(query);
  expect(got.columns).toEqual(want.header);
  const diff = firstDifference(got.rows, want.rows);
  expect(diff, `${c.name}: first difference at row ${diff?.row}: got ${JSON.stringify(diff?.got)}, convert wrote ${JSON.stringify(diff?.want)}`).toBeUndefined();
  expect(got.rows.length).toBe(want.rows.length);
  return got.rows.length;
}

for (const name of ENGINES) {
  describe(`xwalk sql in ${name} gives convert's cells`, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await OPENERS[name]();
    }, 180_000);
    afterAll(async () => {
      await engine?.close();
    });

    it('every shipped sample export, every policy', async () => {
      let n = 0;
      for (const [i, c] of FIXTURE_CASES.entries()) n += await check(engine, c, `fx${i}`);
      expect(n).toBeGreaterThan(0);
    }, 600_000);

    it('generated exports: conditions, several values, dates, chains, unknown and empty cells', async () => {
      for (const [i, c] of GENERATED.entries()) {
        if (name === 'sqlite' && c.rows > 20_000) continue; // sqlite has no dates here; its 20k runs cover the rest
        await check(engine, c, `gen${i}`);
      }
    }, 900_000);
  });
}

describe('xwalk sql refuses what a SELECT cannot do, and says why (exit 2)', () => {
  const file = join(REPO, 'fixtures/exports/riverton-pd-rms.csv');
  const base = ['sql', file, ...demo];
  it.each([
    [[...base, '--order-by', 'IncidentNum', '--unmapped', 'error'], /--unmapped error rejects rows/],
    [[...base, '--order-by', 'IncidentNum', '--ambiguous', 'error'], /--ambiguous error rejects rows/],
    [[...base], /--order-by COLUMN is required/],
    [[...base, '--order-by', 'IncidentNum', '--dialect', 'oracle'], /--dialect "oracle" is not duckdb, postgres, spark or sqlite/],
    [[...base, '--order-by', 'IncidentNum', '--input-table', 'x; DROP TABLE y'], /--input-table .* is not a plain SQL table name/],
    [['sql', join(REPO, 'fixtures/exports/metro-fire-calls.csv'), '--from', 'metro-fire', '--to', 'county-fire', '--column', 'UnitID:unit', '--order-by', 'x'], /unit designators .* are not compiled to SQL/],
    [['sql', join(REPO, 'fixtures/exports/nibrs-offenses-facts.csv'), ...facts.slice(0, 6), '--context', 'weapon=Weapon', '--roll-up', '--order-by', 'x'], /--roll-up with record facts/],
  ])('%j', async (args, message) => {
    const r = await xwalk(args);
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/^xwalk: /);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('the spark dialect is written from the same plan, to Spark SQL 3.5 constructs', () => {
  it('writes temporary views over VALUES, backquoted names, split/explode and RLIKE; no DuckDB or PostgreSQL functions', async () => {
    const r = await xwalk(['sql', join(REPO, 'fixtures/exports/nibrs-incidents.csv'), ...facts, '--as-of-column', 'IncidentDate', '--dialect', 'spark', '--order-by', 'IncidentNum', '--explain']);
    expect(r.exit, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/CREATE OR REPLACE TEMPORARY VIEW xwalk_decisions AS SELECT \* FROM VALUES/);
    expect(r.stdout).toMatch(/LATERAL VIEW explode\(split\(cell, '\\\\\|', -1\)\)/);
    expect(r.stdout).toMatch(/`NIBRS`/);
    expect(r.stdout).toMatch(/RLIKE/);
    expect(r.stdout).not.toMatch(/regexp_full_match|string_split|string_to_array|btrim|strpos|::/);
  });
});

describe("xwalk sql --no-data --tables DIR: the plan's tables as CSV, loaded once, the query run on its own", () => {
  it("DuckDB reading the CSV tables (empty cells as NULL) gives convert's cells", async () => {
    const tables = join(dir, 'tables');
    const file = join(REPO, 'fixtures/exports/nibrs-incidents.csv');
    const args = [...facts, '--as-of-column', 'IncidentDate', '--explain'];
    const sql = await xwalk(['-q', 'sql', file, ...args, '--order-by', '_line', '--input-table', 'nd', '--no-data', '--tables', tables]);
    expect(sql.exit, sql.stderr).toBe(0);
    expect(sql.stdout).not.toMatch(/CREATE TABLE|INSERT INTO/);
    const engine = await OPENERS.duckdb();
    try {
      for (const t of ['keys', 'sci', 'tokens', 'decisions']) await engine.exec(`CREATE TABLE xwalk_${t} AS FROM read_csv('${join(tables, `xwalk_${t}.csv`)}', all_varchar = true, header = true)`);
      await engine.loadCsv('nd', file, { lineColumn: '_line' });
      const got = await engine.query(split(sql.stdout).query);
      const want = readExport((await xwalk(['-q', 'convert', file, ...args])).stdout);
      expect(got.columns).toEqual(want.header);
      expect(firstDifference(got.rows, want.rows)).toBeUndefined();
    } finally {
      await engine.close();
    }
  }, 120_000);
});
