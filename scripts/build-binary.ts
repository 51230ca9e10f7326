/**
 * `npm run build:binary`: dist/xwalk, one Linux executable with the shipped vocabularies inside,
 * that runs with no Node.js and no files beside it.
 *
 * Node's single executable application route, all offline (see ../shared/STACK.md): one esbuild
 * CJS bundle of the whole command with the vocabularies inside (dist/sea/xwalk.cjs: a single
 * executable can require only Node's built-in modules, so not the chunks and dist/shipped/ files
 * that `npm run build` writes for bin/xwalk) → a SEA blob
 * (`node --experimental-sea-config`) → a copy of the running `node` → the blob injected with
 * postject's JS API. pkg and @yao-pkg/pkg download Node binaries at build time, which fails on
 * networks that only reach the npm registry.
 */

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { inject } from 'postject';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/**
 * How the executable starts (issue 18): `code-cache` (the default) compiles the bundle with V8's
 * code cache; `snapshot` restores a heap saved at build time with every module evaluated
 * (src/cli/snapshot.ts). Measured interleaved against node -e 0 (two runs, medians of 21 rounds),
 * the snapshot was not faster: translate 1.43x and 1.69x (code cache 1.50x and 1.47x), --version
 * 1.48x and 1.35x (code cache 1.20x and 1.05x): restoring the larger heap costs more than
 * evaluating the modules (README, Performance).
 */
const startMode = arg('start') ?? 'code-cache';
if (startMode !== 'snapshot' && startMode !== 'code-cache') throw new Error(`--start=${startMode}: use snapshot or code-cache`);
const bundle = 'dist/sea/xwalk.cjs';
const out = arg('out') ?? 'dist/xwalk';
const blob = 'dist/xwalk.blob';
const config = 'dist/sea-config.json';

async function main(): Promise<void> {
  const entry = startMode === 'snapshot' ? 'src/cli/snapshot.ts' : 'src/cli/bin.ts';
  execFileSync(process.execPath, ['scripts/build-cli.mjs', '--single', bundle, '--entry', entry], { stdio: 'inherit' });
  const start = startMode === 'snapshot' ? { useSnapshot: true } : { useCodeCache: true };
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, ...start }, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  rmSync(out, { force: true });
  copyFileSync(process.execPath, out);
  chmodSync(out, 0o755);
  // Smaller file; optional, and only where `strip` is installed.
  try {
    execFileSync('strip', [out], { stdio: 'ignore' });
  } catch {
    /* keep the unstripped copy */
  }
  await inject(out, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
  rmSync(blob, { force: true });
  rmSync(config, { force: true });
  console.log(`wrote ${out} (${(statSync(out).size / 1024 / 1024).toFixed(0)} MiB)`);
}

main().catch((e) => {
  console.error(`xwalk: building the executable failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
