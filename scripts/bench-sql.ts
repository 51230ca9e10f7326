/**
 * `npm run bench:sql` (issue 17): DuckDB running the SQL that `xwalk sql` writes, against
 * `xwalk convert`, on the same generated export, same machine, same run. The export is NIBRS
 * offenses with five condition fields, several values per cell and dates across validity
 * boundaries (test/helpers/gen-export.ts), converted to SRS. DuckDB reads the CSV itself
 * (read_csv, all text), runs the script and writes CSV (COPY ... TO), 2 threads; convert reads and
 * writes the same files. BENCH_SQL_ROWS (default 1,000,000) and BENCH_RUNS (default 3) set the
 * size and runs; the figure is the median. Cells are compared once (they must be equal).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { nibrsToSrs, shippedIndex } from '../test/helpers/gen-export.js';
import { readExport } from '../test/helpers/engines.js';

const ROWS = Number(process.env.BENCH_SQL_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'xwalk-bench-sql-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const s = nibrsToSrs(shippedIndex(), ROWS, 42);
  // A line column keeps the file's order for the SQL's ORDER BY (convert keeps it by itself).
  const lines = s.csv.split(/(?<=\n)/);
  const input = join(dir, 'export.csv');
  writeFileSync(input, lines.map((l, i) => (i === 0 ? `line,${l}` : l.trim() === '' ? l : `${i},${l}`)).join(''));
  const mb = readFileSync(input).length / 1e6;
  const t0 = process.hrtime.bigint();
  const sql = execFileSync(process.execPath, ['bin/xwalk', '-q', 'sql', input, ...s.convertArgs, '--order-by', 'line'], { encoding: 'utf-8', maxBuffer: 1 << 30 });
  const compileSecs = Number(process.hrtime.bigint() - t0) / 1e9;
  const at = sql.lastIndexOf('\nWITH\n');
  const setup = sql.slice(0, at);
  const query = sql.slice(at + 1).replace(/;\s*$/, '');
  const q = (x: string) => `'${x.replace(/'/g, "''")}'`;
  const convertSecs: number[] = [];
  const duckSecs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const a = process.hrtime.bigint();
    const c = spawnSync(process.execPath, ['bin/xwalk', '-q', 'convert', input, ...s.convertArgs, '-o', join(dir, 'convert.csv'), '--no-progress']);
    if (c.status !== 0 && c.status !== 1) throw new Error(`convert failed: ${c.stderr}`);
    convertSecs.push(Number(process.hrtime.bigint() - a) / 1e9);
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    const con = await db.connect();
    const b = process.hrtime.bigint();
    await con.run(`CREATE TABLE export AS SELECT CAST(line AS INTEGER) AS line, * EXCLUDE (line) FROM read_csv(${q(input)}, all_varchar = true, header = true, nullstr = '\\N')`);
    await con.run(setup);
    await con.run(`COPY (${query}) TO ${q(join(dir, 'duckdb.csv'))} (HEADER, DELIMITER ',')`);
    duckSecs.push(Number(process.hrtime.bigint() - b) / 1e9);
    con.closeSync();
  }
  // The cells must agree (the line column aside, which convert passes through too).
  const want = readExport(readFileSync(join(dir, 'convert.csv'), 'utf-8'));
  const got = readExport(readFileSync(join(dir, 'duckdb.csv'), 'utf-8'));
  let diff = 0;
  got.rows.forEach((row, i) => row.forEach((v, k) => (v !== (want.rows[i]?.[k] ?? '') ? diff++ : 0)));
  const cs = median(convertSecs);
  const ds = median(duckSecs);
  console.log(`xwalk sql vs convert: ${ROWS.toLocaleString('en-US')} rows (${mb.toFixed(0)} MB), NIBRS → SRS with 5 condition fields, dated; medians of ${RUNS}`);
  console.log(`  xwalk sql (writing the script):   ${compileSecs.toFixed(2)} s`);
  console.log(`  xwalk convert:                    ${cs.toFixed(2)} s  ${(ROWS / cs / 1e6).toFixed(3)} M rows/s`);
  console.log(`  DuckDB running the script:        ${ds.toFixed(2)} s  ${(ROWS / ds / 1e6).toFixed(3)} M rows/s  (read_csv + plan tables + SELECT + COPY TO, 2 threads)`);
  console.log(`  DuckDB rows/s ÷ convert rows/s:   ${(cs / ds).toFixed(2)}x`);
  console.log(`  cells that differ:                ${diff} (of ${(got.rows.length * got.header.length).toLocaleString('en-US')}; header ${JSON.stringify(got.header) === JSON.stringify(want.header) ? 'equal' : 'DIFFERS'})`);
  if (diff) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
