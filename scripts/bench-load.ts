/**
 * `npm run bench:load`: the size bounds of the README's reliability table (issue 15), measured.
 *
 * - a vocabulary of N terms and a crosswalk of N mappings (default 1,000,000 each, term and
 *   mapping lists in CSV): `xwalk translate` without the load cache, with an empty cache (the
 *   run that writes it) and with a warm one; and `xwalk validate` of the same folder;
 * - `xwalk convert` over an export of D distinct unknown codes (default 2,000,000), where memory
 *   must stay flat (the per-value caches are bounded), against a tenth of it.
 *
 * Each figure is wall time and peak RSS (VmHWM, via scripts/rss-probe.cjs) of one `node bin/xwalk`
 * process. Environment: BENCH_LOAD_N, BENCH_DISTINCT. Builds xwalk first.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.env.BENCH_LOAD_N ?? 1_000_000);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 2_000_000);
const dir = mkdtempSync(join(tmpdir(), 'xwalk-bench-load-'));

async function lines(path: string, header: string, n: number, row: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(header);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += row(i);
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

function run(args: string[], env: Record<string, string> = {}): { ms: number; rssMb: number; status: number | null; stdout: string; stderr: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync('node', ['-r', './scripts/rss-probe.cjs', 'bin/xwalk', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { PATH: process.env.PATH ?? '', ...env } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const kb = Number(/XWALK_BENCH_MAXRSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms, rssMb: kb / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\nXWALK_BENCH_MAXRSS_KB \d+\n/, '') };
}

function show(what: string, r: ReturnType<typeof run>): void {
  console.log(`${what.padEnd(58)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.rssMb.toFixed(0).padStart(6)} MB  exit ${r.status}`);
  if (r.status === 2 || /internal error/.test(r.stderr)) console.log(r.stderr.slice(0, 600));
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const vocab = join(dir, 'vocab');
  execFileSync('mkdir', ['-p', vocab]);
  await lines(join(vocab, 'terms.csv'), 'code,label,aliases\n', N, (i) => `C${i},Offense number ${i},ALIAS ${i}\n`);
  await lines(join(vocab, 'map.csv'), 'from,to,relation,confidence\n', N, (i) => `C${i},T${i % 1000},${i % 3 ? 'equivalent' : 'source-narrower'},0.9\n`);
  let hub = 'code,label\n';
  for (let i = 0; i < 1000; i++) hub += `T${i},Target ${i}\n`;
  writeFileSync(join(vocab, 'hub.csv'), hub);
  writeFileSync(join(vocab, 'big.yaml'), 'id: big\nname: Big\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    file: terms.csv\n');
  writeFileSync(join(vocab, 'hub.yaml'), 'id: hub\nname: Hub\nkind: standard\nversion: "1"\ndomains:\n  offense:\n    file: hub.csv\n');
  writeFileSync(join(vocab, 'big--hub.yaml'), 'id: big--hub\nfrom: big\nto: hub\ndomain: offense\nversion: "1"\nfile: map.csv\n');
  const cache = join(dir, 'cache');
  const fx = ['--no-shipped', '--vocab-dir', vocab];
  console.log(`node ${process.version}; ${N.toLocaleString('en-US')} terms and ${N.toLocaleString('en-US')} mappings; ${DISTINCT.toLocaleString('en-US')} distinct codes\n`);
  show(`translate, no cache`, run([...fx, 'translate', `C${N - 1}`, '--from', 'big', '--to', 'hub'], { XWALK_CACHE: 'off' }));
  show(`translate, empty cache (writes it)`, run([...fx, 'translate', `C${N - 1}`, '--from', 'big', '--to', 'hub'], { XWALK_CACHE_DIR: cache }));
  show(`translate, warm cache`, run([...fx, 'translate', `C${N - 1}`, '--from', 'big', '--to', 'hub'], { XWALK_CACHE_DIR: cache }));
  show(`validate, no cache`, run([...fx, 'validate'], { XWALK_CACHE: 'off' }));

  // Distinct values: every code unknown (the costliest path), one column, the small fixtures.
  for (const n of [Math.round(DISTINCT / 10), DISTINCT]) {
    const csv = join(dir, `distinct-${n}.csv`);
    await lines(csv, 'code,x\n', n, (i) => `U${i},${i % 7}\n`);
    show(`convert, ${n.toLocaleString('en-US')} distinct unknown codes`, run(['--no-shipped', '--vocab-dir', 'fixtures/vocab', 'convert', csv, '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(dir, 'out.csv'), '-q'], { XWALK_CACHE: 'off' }));
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
