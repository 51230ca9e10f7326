/**
 * Runs documented command lines as a user would type them (issue 20): through `sh -c`, with an
 * `xwalk` on PATH that is `node bin/xwalk` (the bundle, as installed), in a scratch directory
 * holding the files the examples name (rms.csv, calls.csv, my-agency/, old/ ...).
 */

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll } from 'vitest';

export const REPO = resolve(import.meta.dirname, '..', '..');

export function ensureBuilt(): void {
  if (!existsSync(join(REPO, 'dist/xwalk.cjs'))) execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'ignore' });
}

/** A scratch directory with `xwalk` on PATH and the files the examples use; `repoLinks` work as in a checkout. */
export function scratch(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'xwalk-examples-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xwalk'), `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, 'bin/xwalk')}" "$@"\n`);
  chmodSync(join(bin, 'xwalk'), 0o755);
  // What a checkout holds (the README's paths), and the files the help examples name.
  for (const d of ['fixtures', 'vocabularies', 'bin', 'dist', 'package.json', 'node_modules']) symlinkSync(join(REPO, d), join(dir, d));
  cpSync(join(REPO, 'fixtures/exports/riverton-pd-rms.csv'), join(dir, 'rms.csv'));
  cpSync(join(REPO, 'fixtures/exports/metro-fire-calls.csv'), join(dir, 'calls.csv'));
  cpSync(join(REPO, 'fixtures/exports/nibrs-incidents.csv'), join(dir, 'export.csv'));
  mkdirSync(join(dir, 'my-agency'));
  cpSync(join(REPO, 'vocabularies/riverton-pd.yaml'), join(dir, 'my-agency/riverton-pd.yaml'));
  mkdirSync(join(dir, 'old'));
  cpSync(join(REPO, 'vocabularies/riverton-pd.yaml'), join(dir, 'old/riverton-pd.yaml'));
  cpSync(join(REPO, 'vocabularies/riverton-pd--nibrs.yaml'), join(dir, 'old/riverton-pd--nibrs.yaml'));
  mkdirSync(join(dir, 'vocab'));
  mkdirSync(join(dir, 'home/.config/fish/completions'), { recursive: true });
  return { dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: join(dir, 'home'), NO_COLOR: '1', XWALK_CACHE: 'off' } };
}

export function sh(line: string, cwd: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; exit: number | null }> {
  return new Promise((res) => {
    const p = spawn('/bin/sh', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (exit) => res({ stdout, stderr, exit }));
  });
}

/**
 * For a describe block whose tests run shell lines: builds xwalk once and makes a scratch
 * directory before them; `run(line)` runs a line there.
 */
export function useScratch(): { run: (line: string) => ReturnType<typeof sh> } {
  let box: { dir: string; env: Record<string, string> } | undefined;
  beforeAll(() => {
    ensureBuilt();
    box = scratch();
  }, 120_000);
  return { run: (line) => sh(line, box!.dir, box!.env) };
}
