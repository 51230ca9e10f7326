/**
 * The flat SQL export in a real SQL engine (SQLite, through sql.js): the script runs as written,
 * and a join of a fixture export with the table gives exactly what `xwalk convert` writes.
 */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import initSqlJs, { type Database } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './helpers/run.js';

let db: Database;
let SQL: Awaited<ReturnType<typeof initSqlJs>>;

beforeAll(async () => {
  SQL = await initSqlJs();
});

async function exportSql(args: string[]): Promise<string> {
  const r = await runMain(['export', ...args, '--format', 'sql']);
  expect(r.exit).toBe(0);
  return r.stdout;
}

/** Loads a CSV export into table `rms` with its line number (`line`, 1 = the first record). */
function loadExport(file: string): Record<string, string>[] {
  const records = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
  const cols = Object.keys(records[0]!);
  db.run(`CREATE TABLE rms (line INTEGER, ${cols.map((c) => `"${c}" VARCHAR`).join(', ')})`);
  const st = db.prepare(`INSERT INTO rms VALUES (?, ${cols.map(() => '?').join(', ')})`);
  records.forEach((r, i) => st.run([i + 1, ...cols.map((c) => r[c]!)]));
  st.free();
  return records;
}

/** SQLite's form of the key normalization the export's header describes (upper, trim, pad 4 when it starts with a digit). */
const KEY = `CASE WHEN upper(trim(r.OffenseCode)) GLOB '[0-9]*' AND length(trim(r.OffenseCode)) < 4 THEN substr('0000' || trim(r.OffenseCode), -4) ELSE upper(trim(r.OffenseCode)) END`;

/** The join a data engineer would write: the selected targets of each code, best first, joined with |. */
function join(): [number, string, string][] {
  const sql = `
    WITH targets AS (
      SELECT source_key, target_code, min(target_rank) AS target_rank FROM xwalk_mapping WHERE selected = 1 GROUP BY source_key, target_code
    ), agg AS (
      SELECT source_key, group_concat(target_code, '|' ORDER BY target_rank) AS codes FROM targets GROUP BY source_key
    ), outcome AS (
      SELECT DISTINCT source_key, outcome FROM xwalk_mapping
    )
    SELECT r.line,
           coalesce(agg.codes, '') AS converted,
           coalesce(o.outcome, CASE WHEN trim(r.OffenseCode) = '' THEN 'empty' ELSE 'unknown' END) AS status
    FROM rms r
    LEFT JOIN outcome o ON o.source_key = ${KEY}
    LEFT JOIN agg ON agg.source_key = ${KEY}
    ORDER BY r.line`;
  const [res] = db.exec(sql);
  return res!.values.map((v) => [Number(v[0]), String(v[1]), String(v[2])]);
}

describe('the SQL export in SQLite (sql.js): a join gives what xwalk convert gives', () => {
  it.each([
    ['riverton-pd → nibrs (direct, conditional, no-match, unknown, empty, "460" for "0460")', 'nibrs'],
    ['riverton-pd → srs (chained through nibrs)', 'srs'],
  ])('%s', async (_name, to) => {
    db = new SQL.Database();
    db.exec(await exportSql(['--from', 'riverton-pd', '--to', to]));
    const records = loadExport('fixtures/exports/riverton-pd-rms.csv');
    const conv = await runMain(['convert', 'fixtures/exports/riverton-pd-rms.csv', '--from', 'riverton-pd', '--to', to, '--column', 'OffenseCode:offense', '--unmapped', 'blank', '--no-progress']);
    expect(conv.exit).toBe(0);
    const converted = parse(conv.stdout, { columns: true }) as Record<string, string>[];
    const expected = converted.map((r, i) => [i + 1, r[`OffenseCode_${to}`]!, r.OffenseCode_status!] as [number, string, string]);
    const got = join();
    expect(got).toHaveLength(records.length);
    expect(got).toEqual(expected);
    // Not a vacuous match: the fixture has mapped, ambiguous, no-mapping, unknown and empty values.
    expect(new Set(got.map((g) => g[2]))).toEqual(new Set(to === 'nibrs' ? ['mapped', 'ambiguous', 'no-mapping', 'unknown', 'empty'] : [...new Set(expected.map((e) => e[2]))]));
    db.close();
  });

  it('the script is portable text: NULLs, doubled quotes, DECIMAL confidence, one table', async () => {
    db = new SQL.Database();
    const script = await exportSql(['--from', 'nibrs', '--to', 'srs', '--table', 'nibrs_srs']);
    db.exec(script);
    const [count] = db.exec("SELECT count(*), sum(selected), count(DISTINCT source_code), max(confidence) FROM nibrs_srs WHERE from_vocab = 'nibrs' AND to_vocab = 'srs'");
    const [n, selected, codes, conf] = count!.values[0]!;
    expect(Number(n)).toBeGreaterThan(100);
    expect(Number(selected)).toBeGreaterThan(0);
    expect(codes).toBe(85);
    expect(conf).toBe(1);
    // Conditions and validity travel as text; 90B's two SRS lines depend on the arrestee's age.
    const [rows] = db.exec("SELECT target_code, relation, conditions FROM nibrs_srs WHERE source_code = '90B' ORDER BY target_rank");
    expect(rows!.values.map((v) => v.join(' '))).toEqual(expect.arrayContaining([expect.stringMatching(/arrestee_age>=18/), expect.stringMatching(/arrestee_age<18/)]));
    expect(script).toMatch(/^DROP TABLE IF EXISTS nibrs_srs;$/m);
    expect(script).not.toMatch(/\\'/);
    db.close();
  });
});
