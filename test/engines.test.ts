/**
 * The engine harness of the SQL equality tests (issue 17): a CSV export reaches DuckDB, PostgreSQL
 * 15 and SQLite cell for cell as `convert` reads it, scripts of many statements run, results come
 * back as exact text. PostgreSQL is a private cluster this file starts (scripts/postgres.mjs).
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDifference, ident, OPENERS, readExport, readExportFile, type Engine, type EngineName } from './helpers/engines.js';
import { nibrsToSrs, shippedIndex } from './helpers/gen-export.js';
import { ensurePostgres, startPostgres } from '../scripts/postgres.mjs';

/** Every kind of cell an export holds that a loader could get wrong. */
const NASTY =
  '\uFEFF' +
  ['Code,Offense Desc,"Say ""Hi""",Ünïcödé,empty', '  13A  ,"Assault, aggravated",plain,é,', '"0460","line one\nline two","a ""quoted"" word",日本語 🚓,""', ',,,,', '', '"  ","tab\there",\'0460,4.6E+02,NULL', 'x,"crlf\r\ninside",12" pipe,~,   ', '\\N,a\\b,"{x,y}",\\,"\t"'].join('\r\n') +
  '\r\n';

const EXPECTED_HEADER = ['Code', 'Offense Desc', 'Say "Hi"', 'Ünïcödé', 'empty'];
const EXPECTED_ROWS = [
  ['  13A  ', 'Assault, aggravated', 'plain', 'é', ''],
  ['0460', 'line one\nline two', 'a "quoted" word', '日本語 🚓', ''],
  ['', '', '', '', ''],
  ['  ', 'tab\there', "'0460", '4.6E+02', 'NULL'],
  ['x', 'crlf\r\ninside', '12" pipe', '~', '   '],
  // What COPY, array literals and escapes would get wrong: \N, backslashes, braces, a tab.
  ['\\N', 'a\\b', '{x,y}', '\\', '\t'],
];

let dir: string;
let nasty: string;
let big: string;
let generated: string;
const BIG_ROWS = 100_000;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xwalk-engines-'));
  nasty = join(dir, 'nasty.csv');
  writeFileSync(nasty, NASTY);
  // 100,000 rows x 10 columns: the size the equality tests load.
  const lines = [Array.from({ length: 10 }, (_, j) => `col ${j}`).join(',')];
  for (let i = 0; i < BIG_ROWS; i++) lines.push(Array.from({ length: 10 }, (_, j) => (j === 3 ? `"v, ${i}"` : `r${i}c${j}`)).join(','));
  generated = join(dir, 'generated.csv');
  writeFileSync(generated, nibrsToSrs(shippedIndex(), 20_000, 17).csv);
  big = join(dir, 'big.csv');
  writeFileSync(big, lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readExport: the CSV as convert reads it', () => {
  it('keeps every cell as written (spaces, quotes, line breaks, unicode; empty is ""), drops the BOM and blank lines', () => {
    const t = readExportFile(nasty);
    expect(t.header).toEqual(EXPECTED_HEADER);
    expect(t.rows).toEqual(EXPECTED_ROWS);
  });
  it('firstDifference names the first row that differs, NULL apart from the empty string', () => {
    expect(firstDifference([['a', '']], [['a', '']])).toBeUndefined();
    expect(firstDifference([['a', null]], [['a', '']])).toEqual({ row: 1, got: ['a', null], want: ['a', ''] });
    expect(firstDifference([['a']], [['a'], ['b']])).toEqual({ row: 2, want: ['b'] });
  });
  it('drops one BOM, as convert does: a second one is data', () => {
    const f = join(dir, 'two-boms.csv');
    writeFileSync(f, '\uFEFF\uFEFFCode\n1\n');
    expect(readExportFile(f).header).toEqual(['\uFEFFCode']);
  });
  it('takes another delimiter, and refuses a record of the wrong width', () => {
    expect(readExport('a;b\n1;2,3\n', ';').rows).toEqual([['1', '2,3']]);
    expect(() => readExport('a,b\n1\n')).toThrow(/line 2: the record has 1 fields, the header has 2/);
  });
});

const SCRIPT = `
CREATE TABLE m (k TEXT, v TEXT);
INSERT INTO m VALUES ${Array.from({ length: 3000 }, (_, i) => `('k${i}', 'v''${i}')`).join(', ')};
CREATE VIEW mv AS SELECT k, v FROM m WHERE k IN ('k1', 'k2999');
CREATE TABLE d AS SELECT CAST('2013-01-01' AS DATE) AS day, CAST(NULL AS TEXT) AS absent, 42 AS n, 1.5 AS x, ' padded ' AS t;
`;

describe.each(['duckdb', 'postgres', 'sqlite'] as EngineName[])('%s', (name) => {
  let e: Engine;
  beforeAll(async () => {
    e = await OPENERS[name]();
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  it('loads the nasty CSV cell for cell as the project reader sees it, with _line in record order', async () => {
    const loaded = await e.loadCsv('rms', nasty);
    expect(loaded).toEqual({ columns: [...EXPECTED_HEADER, '_line'], rows: EXPECTED_ROWS.length });
    const r = await e.query(`SELECT * FROM rms ORDER BY _line DESC`);
    expect(r.columns).toEqual([...EXPECTED_HEADER, '_line']);
    expect(r.rows).toEqual(EXPECTED_ROWS.map((row, i) => [...row, String(i + 1)]).reverse());
    // Empty cells are '' (not NULL), and a quoted header name is addressable.
    const n = await e.query(`SELECT count(*) AS n FROM rms WHERE ${ident('empty')} = '' AND ${ident('Say "Hi"')} IS NOT NULL`);
    expect(n.rows).toEqual([['3']]);
  });

  it('names the line column as asked, and refuses a header that already has it', async () => {
    await e.loadCsv('rms2', nasty, { lineColumn: 'rec' });
    expect((await e.query(`SELECT ${ident('Code')} FROM rms2 WHERE rec = 4`)).rows).toEqual([['  ']]);
    await expect(e.loadCsv('rms3', nasty, { lineColumn: 'Code' })).rejects.toThrow(/already has a column "Code"/);
  });

  it('runs a script of many statements and reads dates, NULL and numbers back as text', async () => {
    await e.exec(SCRIPT);
    expect((await e.query('SELECT count(*) FROM m')).rows).toEqual([['3000']]);
    expect((await e.query('SELECT k, v FROM mv ORDER BY k')).rows).toEqual([
      ['k1', "v'1"],
      ['k2999', "v'2999"],
    ]);
    const d = await e.query('SELECT day, absent, n, x, t FROM d');
    expect(d.columns).toEqual(['day', 'absent', 'n', 'x', 't']);
    // SQLite has no DATE type: CAST('2013-01-01' AS DATE) is the number 2013 there.
    expect(d.rows).toEqual([[name === 'sqlite' ? '2013' : '2013-01-01', null, '42', '1.5', ' padded ']]);
    const empty = await e.query("SELECT k FROM m WHERE k = 'none'");
    expect(empty).toEqual({ columns: ['k'], rows: [] });
  });

  it('loads a generated 20,000-row export cell for cell as the project reader sees it', async () => {
    const t = readExportFile(generated);
    await e.loadCsv('gen', generated);
    const r = await e.query(`SELECT * FROM gen ORDER BY _line`);
    expect(r.columns).toEqual([...t.header, '_line']);
    expect(r.rows.length).toBe(t.rows.length);
    expect(
      firstDifference(
        r.rows,
        t.rows.map((row, i) => [...row, String(i + 1)]),
      ),
    ).toBeUndefined();
  }, 60_000);

  it('loads 100,000 rows x 10 columns in a few seconds', async () => {
    const t = performance.now();
    const loaded = await e.loadCsv('big', big);
    const ms = performance.now() - t;
    expect(loaded.rows).toBe(BIG_ROWS);
    const r = await e.query(`SELECT ${ident('col 3')}, ${ident('col 9')}, _line FROM big WHERE _line IN (1, ${BIG_ROWS}) ORDER BY _line`);
    expect(r.rows).toEqual([
      ['v, 0', 'r0c9', '1'],
      [`v, ${BIG_ROWS - 1}`, `r${BIG_ROWS - 1}c9`, String(BIG_ROWS)],
    ]);
    console.log(`${name}: loaded ${BIG_ROWS} rows x 10 columns in ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(15_000);
  }, 60_000);
});

/** Whether a process runs (a zombie waiting for a slow init to reap it has stopped). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('scripts/postgres.mjs', () => {
  it('names the install command when the server binaries are missing (XWALK_PG_BIN at a wrong folder)', () => {
    const r = spawnSync(process.execPath, ['scripts/postgres.mjs', 'ensure'], { encoding: 'utf8', env: { ...process.env, XWALK_PG_BIN: join(dir, 'no-such-bin') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^xwalk: PostgreSQL 15 server not found: .*no-such-bin has no postgres, initdb, pg_ctl/);
    expect(r.stderr).toMatch(/hint: unset XWALK_PG_BIN/);
    expect(spawnSync(process.execPath, ['scripts/postgres.mjs', 'check'], { encoding: 'utf8' }).status).toBe(0);
  });

  it('says which command installs it when it may not install (not root)', () => {
    const bin = join(dir, 'debian-bin');
    expect(() => ensurePostgres({ bin, debianBin: bin, root: false, aptGet: () => true, log: () => {} })).toThrow(/not root, so not installing it\)\nhint: install Debian's package as root: DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15/);
  });

  it('installs with apt-get as root, running apt-get update only when the install fails', () => {
    const bin = join(dir, 'debian-bin2');
    const calls: string[] = [];
    const aptGet = (args: string[]) => {
      calls.push(args.join(' '));
      if (args[0] === 'install' && !calls.includes('update')) return false; // stale package lists
      if (args[0] === 'install') {
        mkdirSync(bin, { recursive: true });
        for (const t of ['postgres', 'initdb', 'pg_ctl']) writeFileSync(join(bin, t), '');
      }
      return true;
    };
    expect(ensurePostgres({ bin, debianBin: bin, root: true, aptGet, log: () => {} })).toBe(bin);
    expect(calls).toEqual(['install -y --no-install-recommends postgresql-15', 'update', 'install -y --no-install-recommends postgresql-15']);
  });

  it('stop() stops the server and removes its folder', async () => {
    const c = await startPostgres();
    expect(existsSync(join(c.host, `.s.PGSQL.${c.port}`))).toBe(true);
    const pid = Number(readFileSync(join(c.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(pid)).toBe(true);
    c.stop();
    expect(existsSync(c.dir)).toBe(false);
    expect(alive(pid)).toBe(false);
    c.stop(); // twice is harmless
  }, 60_000);

  it('leaves no server behind when the process that started it is killed outright', async () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', "import { startPostgres } from './scripts/postgres.mjs'; const c = await startPostgres(); console.log(c.dir); process.kill(process.pid, 'SIGKILL');"], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const clusterDir = child.stdout.trim();
    expect(clusterDir).toMatch(/xwalk-pg-/);
    const pid = Number(readFileSync(join(clusterDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    // The watchdog polls every second.
    for (let i = 0; i < 100 && existsSync(clusterDir); i++) await new Promise((res) => setTimeout(res, 100));
    expect(existsSync(clusterDir)).toBe(false);
    expect(alive(pid)).toBe(false);
  }, 60_000);
});
