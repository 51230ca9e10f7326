/**
 * `npm run build:binary`: dist/xwalk, one Linux executable with the shipped vocabularies inside,
 * that runs with no Node.js and no files beside it.
 *
 * Node's single executable application route, all offline (see ../shared/STACK.md): a main
 * script and its assets → a SEA blob (`node --experimental-sea-config`) → a copy of the running
 * `node` → the blob injected with postject's JS API. pkg and @yao-pkg/pkg download Node binaries
 * at build time, which fails on networks that only reach the npm registry.
 *
 * By default (`--start=packs`) the executable starts as bin/xwalk does: the main script is
 * bin/xwalk's own text, preceded by a `host` that reads dist/ from the executable's assets
 * (`node:sea`): the packs with their code caches, the chunks and dist/shipped/, exactly the files
 * `npm run build` wrote (this script builds them first only when they are missing, so that it
 * never rewrites dist/ under a test run that reads it). A single executable can require only
 * Node's built-in modules; bin/xwalk's loader serves the rest, as it does from the disk.
 */

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'postject';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/**
 * How the executable starts (issue 18): `packs` (the default) as bin/xwalk, from the packs and
 * their code caches written by warm runs of each command (above); `code-cache` compiles one
 * bundle of the whole command (dist/sea/xwalk.cjs, the vocabularies in its code) with the code
 * cache Node writes from a compile, not a run, so every function a command runs is compiled at
 * each start; `snapshot` restores a heap saved at build time with every module of that bundle
 * evaluated (src/cli/snapshot.ts). Measured interleaved against node -e 0 (README, Performance):
 * translate 1.65x-1.77x with `code-cache`; the snapshot was not faster than the code cache
 * (translate 1.43x and 1.69x against 1.50x and 1.47x, --version 1.48x and 1.35x against 1.20x
 * and 1.05x, before the packs): restoring the larger heap costs more than evaluating the modules.
 */
const startMode = arg('start') ?? 'packs';
if (startMode !== 'packs' && startMode !== 'snapshot' && startMode !== 'code-cache') throw new Error(`--start=${startMode}: use packs, snapshot or code-cache`);
const bundle = 'dist/sea/xwalk.cjs';
const out = arg('out') ?? 'dist/xwalk';
const blob = 'dist/xwalk.blob';
const config = 'dist/sea-config.json';

/** The folders and files of dist/ that bin/xwalk reads, as asset keys ('packs/command-translate.pack') → their paths. */
function distAssets(): Record<string, string> {
  const assets: Record<string, string> = { 'xwalk.cjs': 'dist/xwalk.cjs' };
  for (const dir of ['packs', 'chunks', 'shipped']) for (const f of readdirSync(join('dist', dir))) assets[`${dir}/${f}`] = join('dist', dir, f);
  return assets;
}

/**
 * The main script of `--start=packs`: a host that reads dist/ from the assets, under a folder
 * that is not on the disk (EXECUTABLE.assets/dist: a path bin/xwalk and the chunks join as usual,
 * and that convert's look for its worker bundle does not find), then bin/xwalk's text, run as
 * when node runs it.
 */
function packsMain(keys: string[]): string {
  const bin = readFileSync('bin/xwalk', 'utf8').replace(/^#!.*\n/, '');
  const guard = 'if (require.main === module) {';
  if (!bin.includes(guard)) throw new Error(`bin/xwalk no longer holds \`${guard}\`: the single executable's main cannot run it`);
  const host = `'use strict';
// The single executable's main (scripts/build-binary.ts): dist/ read from the assets, then bin/xwalk.
{
  const sea = require('node:sea');
  const { join, relative, sep } = require('node:path');
  const keys = new Set(${JSON.stringify(keys)});
  const dist = join(process.execPath + '.assets', 'dist');
  const key = (file) => relative(dist, file).split(sep).join('/');
  const bytes = new Map();
  globalThis[Symbol.for('xwalk.host')] = {
    dist,
    exists: (file) => keys.has(key(file)),
    text: (file) => sea.getAsset(key(file), 'utf8'),
    // The asset as it lies in the executable's memory, not a copy (read-only: V8 and the shipped parts only read it).
    bytes: (file) => {
      let b = bytes.get(file);
      if (!b) bytes.set(file, (b = Buffer.from(sea.getRawAsset(key(file)))));
      return b;
    },
  };
}
`;
  return host + bin.replace(guard, 'if (true) {');
}

async function main(): Promise<void> {
  let seaConfig: Record<string, unknown>;
  if (startMode === 'packs') {
    if (!existsSync('dist/packs/xwalk.cjs.pack') || !existsSync('dist/shipped/parts.json')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
    const assets = distAssets();
    mkdirSync('dist/sea', { recursive: true });
    writeFileSync('dist/sea/main.cjs', packsMain(Object.keys(assets)));
    seaConfig = { main: 'dist/sea/main.cjs', assets };
  } else {
    const entry = startMode === 'snapshot' ? 'src/cli/snapshot.ts' : 'src/cli/bin.ts';
    execFileSync(process.execPath, ['scripts/build-cli.mjs', '--single', bundle, '--entry', entry], { stdio: 'inherit' });
    seaConfig = { main: bundle, ...(startMode === 'snapshot' ? { useSnapshot: true } : { useCodeCache: true }) };
  }
  writeFileSync(config, JSON.stringify({ ...seaConfig, output: blob, disableExperimentalSEAWarning: true }, null, 2));
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
