/**
 * Start-up, process start to exit, against `node -e 0` (issue 18: `xwalk translate` installed from
 * npm within 1.2x of it). `npm run bench:startup` alone, and the last part of `npm run bench`.
 *
 * - xwalk as a user installs it: `npm pack`, then the tarball installed into a temporary prefix
 *   (`npm install -g --prefix`), run as `node PREFIX/lib/node_modules/xwalk/bin/xwalk ...`;
 * - the checkout's bin/xwalk, for `--version`, `list` and `lookup`;
 * - the single executable dist/xwalk when it has been built (`npm run build:binary`).
 *
 * Interleaved: each round runs every command once, in an order that rotates from round to round,
 * so a busy moment of the machine falls on all of them alike; the figure is the median over the
 * rounds of each command's time divided by `node -e 0`'s in the same round. Output goes to
 * /dev/null. Environment: BENCH_STARTUP_ROUNDS (default 61: at 21 rounds the ratios moved by ±0.03 from run to run on a 2-core machine).
 *
 * NODE_EXTRA_CA_CERTS is removed from every run's environment: with it Node parses a certificate
 * bundle at every start (about 38 ms on the development machine, whose environment sets it), which
 * `node -e 0` pays too and which would shrink every ratio; without it the ratios are those of a
 * machine that does not set it.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Cmd {
  label: string;
  file: string;
  args: string[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Every run's environment: the load cache off, and no extra certificates for Node to parse at start. */
const ENV: NodeJS.ProcessEnv = { ...process.env, XWALK_CACHE: 'off' };
delete ENV.NODE_EXTRA_CA_CERTS;

function timeOnce(c: Cmd): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.file, c.args, { stdio: 'ignore', env: ENV });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${c.label}: exit ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Installs the packed tarball into a temporary prefix; returns the installed bin/xwalk. */
function installPacked(dir: string): string {
  const root = resolve('.');
  // dist/ is built (npm run bench builds first): packing it as it is, without `prepare`'s rebuild.
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  const prefix = join(dir, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--silent', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tgz)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(prefix, 'lib', 'node_modules', 'xwalk', 'bin', 'xwalk');
}

export function benchStartup(rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 61)): void {
  const dir = mkdtempSync(join(tmpdir(), 'xwalk-startup-'));
  try {
    const installed = installPacked(dir);
    const node = process.execPath;
    const tr = ['translate', '13A', '--from', 'nibrs', '--to', 'srs'];
    const cmds: Cmd[] = [
      { label: 'node -e 0', file: node, args: ['-e', '0'] },
      { label: 'xwalk translate 13A --from nibrs --to srs (installed from the packed tarball)', file: node, args: [installed, ...tr] },
      { label: 'xwalk translate 13A --from nibrs --to srs (checkout, node bin/xwalk)', file: node, args: ['bin/xwalk', ...tr] },
      { label: 'xwalk --version', file: node, args: ['bin/xwalk', '--version'] },
      { label: 'xwalk list', file: node, args: ['bin/xwalk', 'list'] },
      { label: 'xwalk lookup agg assault', file: node, args: ['bin/xwalk', 'lookup', 'agg', 'assault'] },
      { label: 'xwalk lookup 10-10', file: node, args: ['bin/xwalk', 'lookup', '10-10'] },
    ];
    if (existsSync('dist/xwalk')) cmds.push({ label: 'dist/xwalk translate 13A --from nibrs --to srs (single executable)', file: resolve('dist/xwalk'), args: tr });
    for (const c of cmds) for (let i = 0; i < 2; i++) timeOnce(c); // warm the disk cache
    const times = cmds.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < cmds.length; k++) {
        const i = (k + r) % cmds.length;
        times[i]!.push(timeOnce(cmds[i]!));
      }
    }
    const base = times[0]!;
    console.log(`\nstart-up, process start to exit: medians of ${rounds} interleaved rounds (${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at the end)`);
    if (process.env.NODE_EXTRA_CA_CERTS) console.log('  (NODE_EXTRA_CA_CERTS is set here and removed for these runs: with it node -e 0 parses a certificate bundle at every start)');
    const w = Math.max(...cmds.map((c) => c.label.length));
    for (const [i, c] of cmds.entries()) {
      const ratio = median(times[i]!.map((t, r) => t / base[r]!));
      const goal = i === 1 ? '  (goal of issue 18: at most 1.20x)' : '';
      console.log(`  ${c.label.padEnd(w)}  ${median(times[i]!).toFixed(0).padStart(5)} ms  ${i === 0 ? '      ' : `${ratio.toFixed(2)}x`}${goal}`);
    }
    if (!existsSync('dist/xwalk')) console.log('  (the single executable: npm run build:binary, then run this again)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-startup.ts')) {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  benchStartup();
}
