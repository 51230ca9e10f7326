/**
 * `npm run bench`: throughput, memory and start-up, measured against baselines from the same run
 * (these machines are noisy, so ratios matter more than absolute numbers).
 *
 * - generates a CSV of ROWS rows × 8 columns (default 1,000,000, about 189 MB of long offense texts) in a temp dir;
 * - times csv-parse parse-only (the baseline parser), `xwalk convert` with 1 and with 3 mapped columns
 *   (on two threads and on one: XWALK_THREADS=2 and 1), DuckDB's LEFT JOIN (scripts/duckdb-baseline.mjs) and
 *   Miller's recode (`mlr -S --csv put` with a map) when they are installed, rounds interleaved;
 * - prints xwalk's rows/s as ratios to each (issue 18: at least 1.2x DuckDB, 3x Miller);
 * - peak RSS of each xwalk run, and of a run over 10x fewer rows (memory must stay flat);
 * - checks that two runs give byte-identical output;
 * - the same on a second data set, short unquoted rows (`id,offense,date`, BENCH_SHORT_ROWS, default
 *   5,000,000, about 117 MB), 1 column: per-row work rather than bytes;
 * - and on a third, a real city's export shape and codes (Chicago's crimes export, 22 columns, its
 *   411 IUCR codes and real crosswalk from fixtures/real, read from YAML: BENCH_CHICAGO_ROWS, default
 *   1,000,000, about 238 MB), and the same rows with every field quoted (about 280 MB);
 * - start-up: `node -e 0` vs `xwalk translate 13A --from nibrs --to srs` installed from the packed
 *   tarball, `xwalk --version`, `list`, `lookup`, the single executable (scripts/bench-startup.ts).
 *
 * Environment: BENCH_ROWS (default 1000000), BENCH_SHORT_ROWS (default 5000000; 0 skips the
 * second data set), BENCH_CHICAGO_ROWS (default 1000000; 0 skips the third), BENCH_RUNS (default 3;
 * medians reported).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { benchStartup } from './bench-startup.js';
import { generate, generateChicago, generateShort } from './bench-data.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SHORT_ROWS = Number(process.env.BENCH_SHORT_ROWS ?? 5_000_000);
const CHICAGO_ROWS = Number(process.env.BENCH_CHICAGO_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'xwalk-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(cmd: string, args: string[], opts: { stdoutTo?: string; env?: Record<string, string> } = {}): { secs: number; rssKb?: number; status: number | null } {
  const t0 = process.hrtime.bigint();
  // The load cache is off unless a run asks for it, so no run reads what another wrote.
  const env = { ...process.env, XWALK_CACHE: 'off', ...opts.env };
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', opts.stdoutTo ? 'pipe' : 'ignore', 'pipe'], env });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (opts.stdoutTo) writeFileSync(opts.stdoutTo, r.stdout ?? '');
  const m = /XWALK_BENCH_MAXRSS_KB (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 && r.status !== 1) console.error(`  (exit ${r.status}) ${(r.stderr ?? '').slice(0, 500)}`);
  return { secs, ...(m ? { rssKb: Number(m[1]) } : {}), status: r.status };
}

async function csvParseOnly(path: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  let n = 0;
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true }));
  for await (const _ of parser) n++;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** A Miller map literal of xwalk's flat mapping table: each source key to its selected targets (`|` between several). */
function mlrMapOf(mapCsv: string): string {
  const rows = parseSync(readFileSync(mapCsv), { columns: true }) as Record<string, string>[];
  const m: Record<string, string> = {};
  for (const r of rows) if (r.selected === '1') m[r.source_key!] = m[r.source_key!] ? `${m[r.source_key!]}|${r.target_code}` : r.target_code!;
  return JSON.stringify(m);
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function main() {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const input = join(dir, 'big.csv');
  const small = join(dir, 'small.csv');
  await generate(input, ROWS);
  await generate(small, Math.max(1000, Math.floor(ROWS / 10)));
  const mb = statSync(input).size / 1e6;
  console.log(`input: ${ROWS.toLocaleString('en-US')} rows × 8 columns, ${mb.toFixed(1)} MB; ${RUNS} runs each, medians\n`);
  const rows: string[][] = [['what', 'seconds', 'rows/s', 'MB/s', 'peak RSS (median)', 'vs csv-parse']];
  const add = (what: string, secs: number, rss: number | undefined, base: number) => rows.push([what, secs.toFixed(2), `${(ROWS / secs / 1e6).toFixed(3)} M`, (mb / secs).toFixed(1), rss ? `${Math.round(rss / 1024)} MB` : '-', `${(base / secs).toFixed(2)}x`]);

  const parseSecs = median(
    await Promise.all(Array.from({ length: 1 }, () => 0)).then(async () => {
      const xs = [];
      for (let i = 0; i < RUNS; i++) xs.push(await csvParseOnly(input));
      return xs;
    }),
  );
  add('csv-parse, parse only', parseSecs, undefined, parseSecs);

  // DuckDB (issue 18's baseline): the flat mapping table from xwalk, joined in SQL, 2 threads.
  const mapCsv = join(dir, 'map.csv');
  execFileSync('node', ['bin/xwalk', 'export', '--from', 'riverton-pd', '--to', 'nibrs', '--format', 'csv', '-o', mapCsv, '-q']);
  let hasDuck = true;
  try {
    await import('@duckdb/node-api');
  } catch {
    hasDuck = false;
  }
  if (!hasDuck) console.log('@duckdb/node-api is not installed (npm ci installs it as an optional dependency): no DuckDB baseline');
  const hasMlr = spawnSync('mlr', ['--version']).status === 0;
  if (!hasMlr) console.log('Miller (mlr) is not installed (apt-get install miller): no Miller baseline');
  // The same recode in Miller: a map literal from riverton code to NIBRS code, applied to 1 and 3 columns.
  const mlrMap = '{"0460":"13B","1301":"13A","0610":"220","0820":"23F","1120":"240","0910":"09A","1811":"35A","2610":"26A","1100":"90Z"}';

  /** Where the codes come from: the vocabulary (and the directory it is in, when not shipped), xwalk's flat mapping table for DuckDB, the same as a Miller map literal. */
  interface Codes {
    from: string;
    vocabDir?: string;
    map: string;
    mlrMap: string;
  }
  const riverton: Codes = { from: 'riverton-pd', map: mapCsv, mlrMap };

  // Every tool once per round, rounds interleaved, so that a busy moment of the machine hits all alike.
  const xwalk = (file: string, cols: readonly string[], out: string, codes: Codes = riverton) => [
    '-r',
    './scripts/rss-probe.cjs',
    'bin/xwalk',
    ...(codes.vocabDir ? ['--vocab-dir', codes.vocabDir] : []),
    'convert',
    file,
    '--from',
    codes.from,
    '--to',
    'nibrs',
    ...cols.flatMap((c) => ['--column', `${c}:offense`]),
    '-o',
    out,
    '-q',
    '--no-progress',
  ];
  type Timed = ReturnType<typeof time>;
  const secs = (rs: Timed[]) => median(rs.map((r) => r.secs));
  const rss = (rs: Timed[]) => median(rs.map((r) => r.rssKb ?? 0));
  const megabytes = (kb: number) => `${Math.round(kb / 1024)} MB`;

  /** RUNS rounds of xwalk on two threads and one, DuckDB and Miller over `file`; then once through the stream path: are all outputs the same, did any run fail. */
  function measure(file: string, cols: readonly string[], tag: string, codes: Codes = riverton) {
    const runs: Record<'two' | 'one' | 'duck' | 'mlr', Timed[]> = { two: [], one: [], duck: [], mlr: [] };
    const outs: string[] = [];
    const xwalkRun = (name: string, env: Record<string, string>) => {
      outs.push(join(dir, `${tag}-${name}.csv`));
      return time('node', xwalk(file, cols, outs.at(-1)!, codes), { env });
    };
    for (let i = 0; i < RUNS; i++) {
      // Two threads whatever the size (the default sets are over the 96 MiB threshold; a smaller BENCH_*_ROWS would otherwise run one).
      runs.two.push(xwalkRun(`two-${i}`, { XWALK_THREADS: '2', XWALK_PARALLEL_MIN_BYTES: '0' }));
      runs.one.push(xwalkRun(`one-${i}`, { XWALK_THREADS: '1' }));
      if (hasDuck) runs.duck.push(time('node', ['scripts/duckdb-baseline.mjs', file, codes.map, join(dir, 'duck-out.csv'), ...cols]));
      if (hasMlr) {
        // The map is built once (begin), not at every record: a 400-code map literal rebuilt per record made Miller 8x slower.
        const expr = `begin { @m = ${codes.mlrMap} } ` + cols.map((c) => `$${c}_nibrs = haskey(@m, $${c}) ? @m[$${c}] : $${c}`).join('; ');
        runs.mlr.push(time('mlr', ['-S', '--csv', 'put', expr, file], { stdoutTo: join(dir, 'mlr-out.csv') }));
      }
      for (const f of ['duck-out.csv', 'mlr-out.csv']) rmSync(join(dir, f), { force: true });
    }
    // Once through the stream path too (the path the pieces are checked against), and every run's exit status.
    const stream = xwalkRun('stream', { XWALK_THREADS: '1', XWALK_STREAM: '1' });
    const failed = [...runs.two, ...runs.one, stream].filter((r) => r.status !== 0).length;
    const same = new Set(outs.map(sha)).size === 1;
    for (const f of outs) rmSync(f, { force: true });
    const check = (same ? 'byte-identical output across runs, one thread or two, and the stream path' : 'OUTPUT DIFFERS BETWEEN RUNS') + (failed ? `; ${failed} RUNS EXITED WITH AN ERROR` : '');
    return { ...runs, check };
  }

  /** xwalk's rows/s over each baseline's, its peak RSS, and two threads over one. */
  function ratios(label: string, r: ReturnType<typeof measure>): string[] {
    // Paired by round (each round runs every tool once, back to back): the median of the rounds' ratios, steadier than a ratio of medians on a machine whose speed drifts.
    const ratio = (x: Timed[], base: Timed[]) => median(x.map((r, i) => base[i]!.secs / r.secs)).toFixed(2);
    const lines = (
      [
        ['two threads', r.two],
        ['one thread', r.one],
      ] as const
    ).map(
      ([what, x]) =>
        `${label}, xwalk on ${what}: ` + (hasDuck ? `${ratio(x, r.duck)}x DuckDB's rows/s (issue 18: at least 1.2x); ` : '') + (hasMlr ? `${ratio(x, r.mlr)}x Miller's (at least 3x); ` : '') + `peak RSS ${megabytes(rss(x))} (at most 150 MB)` + (hasDuck ? `, DuckDB ${megabytes(rss(r.duck))}` : ''),
    );
    return [...lines, `${label}: two threads ${ratio(r.two, r.one)}x one thread's rows/s`];
  }

  /** Each tool's median seconds (and xwalk's peak RSS) on a data set. */
  const seconds = (r: ReturnType<typeof measure>) => {
    const line = (what: string, rs: Timed[]) => `${what} ${secs(rs).toFixed(2)} s${rs[0]?.rssKb ? `, ${megabytes(rss(rs))}` : ''}`;
    return [line('xwalk two threads', r.two), line('one thread', r.one), ...(hasDuck ? [line('DuckDB', r.duck)] : []), ...(hasMlr ? [line('Miller', r.mlr)] : [])].join('; ');
  };
  const summary: string[] = [];
  for (const [label, cols] of [
    ['1 column', ['offense']],
    ['3 columns', ['offense', 'offense2', 'offense3']],
  ] as const) {
    const r = measure(input, cols, `out-${cols.length}`);
    add(`xwalk convert, ${label} (XWALK_THREADS=2)`, secs(r.two), rss(r.two), parseSecs);
    add(`xwalk convert, ${label} (XWALK_THREADS=1)`, secs(r.one), rss(r.one), parseSecs);
    if (hasDuck) add(`DuckDB LEFT JOIN, ${label}`, secs(r.duck), rss(r.duck), parseSecs);
    if (hasMlr) add(`Miller 6 put, ${label}`, secs(r.mlr), undefined, parseSecs);
    console.log(`xwalk convert, ${label}: ${r.check}; peak RSS of each run ${r.two.map((x) => megabytes(x.rssKb ?? 0)).join(', ')}`);
    summary.push(...ratios(label, r));
  }
  // The second data set: short unquoted rows, 1 column, the same tools, rounds interleaved.
  if (SHORT_ROWS > 0) {
    const shortInput = join(dir, 'short.csv');
    await generateShort(shortInput, SHORT_ROWS);
    const mbShort = statSync(shortInput).size / 1e6;
    const r = measure(shortInput, ['offense'], 'short');
    rmSync(shortInput, { force: true });
    summary.push(`short rows (${SHORT_ROWS.toLocaleString('en-US')} rows of id,offense,date, ${mbShort.toFixed(0)} MB), 1 column: ${seconds(r)}; ${r.check}`, ...ratios('short rows', r));
  }
  // The third data set: a real city's export shape and codes (Chicago, fixtures/real), 1 column.
  if (CHICAGO_ROWS > 0) {
    const chicagoInput = join(dir, 'chicago.csv');
    await generateChicago(chicagoInput, CHICAGO_ROWS);
    const chicagoMap = join(dir, 'chicago-map.csv');
    execFileSync('node', ['bin/xwalk', '--vocab-dir', 'fixtures/real', 'export', '--from', 'chicago-iucr', '--to', 'nibrs', '--format', 'csv', '-o', chicagoMap, '-q']);
    const chicago: Codes = { from: 'chicago-iucr', vocabDir: 'fixtures/real', map: chicagoMap, mlrMap: mlrMapOf(chicagoMap) };
    // As the city exports it, then the same rows with every field quoted, as some systems export them.
    for (const quoteAll of [false, true]) {
      if (quoteAll) await generateChicago(chicagoInput, CHICAGO_ROWS, true);
      const mb = statSync(chicagoInput).size / 1e6;
      const r = measure(chicagoInput, ['IUCR'], quoteAll ? 'chicago-quoted' : 'chicago', chicago);
      rmSync(chicagoInput, { force: true });
      const label = quoteAll ? 'Chicago export, every field quoted' : 'Chicago export';
      summary.push(`${label} (${CHICAGO_ROWS.toLocaleString('en-US')} rows × 22 columns, ${mb.toFixed(0)} MB; the city's 411 IUCR codes, its real crosswalk to NIBRS read from YAML, no load cache), 1 column: ${seconds(r)}; ${r.check}`, ...ratios(label, r));
    }
  }
  // Flat memory: a tenth of the rows (18.9 MB), both ways.
  for (const [what, threads] of [
    ['one thread', '1'],
    ['two threads', '2'],
  ] as const) {
    // Two threads on 18.9 MB only when asked past the size threshold (96 MiB): here memory, not speed, is measured.
    const smallRun = time('node', xwalk(small, ['offense'], join(dir, 'small-out.csv')), { env: { XWALK_THREADS: threads, XWALK_PARALLEL_MIN_BYTES: '0' } });
    summary.push(`peak RSS at 1/10 of the rows, 1 column, ${what}: ${Math.round((smallRun.rssKb ?? 0) / 1024)} MB (flat memory: about the same as the full run)`);
  }
  console.log("\nratios, medians over the rounds of each round's ratio (every tool once a round, back to back):\n  " + summary.join('\n  '));

  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('\n' + rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ')).join('\n'));

  // A large user vocabulary: 100,000 terms in a CSV term list and a 100,000-mapping crosswalk.
  const big = join(dir, 'vocab100k');
  mkdirSync(big);
  let terms = 'code,label,aliases\n';
  let maps = 'from,to,relation\n';
  for (let i = 0; i < 100_000; i++) {
    const code = `C${String(i).padStart(6, '0')}`;
    terms += `${code},Label number ${i},ALIAS${i}\n`;
    maps += `${code},${['13A', '13B', '23C', '09A'][i % 4]},${i % 2 ? 'source-narrower' : 'equivalent'}\n`;
  }
  writeFileSync(join(big, 'terms.csv'), terms);
  writeFileSync(join(big, 'map.csv'), maps);
  writeFileSync(join(big, 'big.yaml'), 'id: big-agency\nname: Big\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    file: terms.csv\n');
  writeFileSync(join(big, 'big--nibrs.yaml'), 'id: big--nibrs\nfrom: big-agency\nto: nibrs\ndomain: offense\nversion: "1"\nfile: map.csv\n');

  // Start-up: process start to exit.
  const start = (args: string[], env?: Record<string, string>) => median(Array.from({ length: Math.max(5, RUNS * 3) }, () => time('node', args, env ? { env } : {}).secs));
  const base = start(['-e', '0']);
  const bigRun = start(['bin/xwalk', '--vocab-dir', big, 'translate', 'C000123', '--from', 'big-agency', '--to', 'nibrs']);
  const listRun = start(['bin/xwalk', '--vocab-dir', big, 'list', '-q']);
  const cache = { XWALK_CACHE: 'on', XWALK_CACHE_DIR: join(dir, 'cache') };
  const firstRun = time('node', ['bin/xwalk', '--vocab-dir', big, 'translate', 'C000123', '--from', 'big-agency', '--to', 'nibrs'], { env: cache }).secs;
  const cachedRun = start(['bin/xwalk', '--vocab-dir', big, 'translate', 'C000123', '--from', 'big-agency', '--to', 'nibrs'], cache);
  const cachedList = start(['bin/xwalk', '--vocab-dir', big, 'list', '-q'], cache);
  console.log(`\n100,000-term vocabulary + 100,000-mapping crosswalk (CSV lists), process start to exit (node -e 0 ${(base * 1000).toFixed(0)} ms included):`);
  console.log(`  no cache:   translate one code ${(bigRun * 1000).toFixed(0)} ms, xwalk list ${(listRun * 1000).toFixed(0)} ms`);
  console.log(`  load cache: first run (parses, writes the cache) ${(firstRun * 1000).toFixed(0)} ms; then translate one code ${(cachedRun * 1000).toFixed(0)} ms (${(bigRun / cachedRun).toFixed(1)}x faster), xwalk list ${(cachedList * 1000).toFixed(0)} ms`);
  rmSync(dir, { recursive: true, force: true });
  // Start-up against node -e 0, interleaved, as installed from the packed tarball (issue 18).
  benchStartup();
}

main().catch((e) => {
  console.error(e);
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = 1;
});
