/**
 * Golden CLI cases: each folder under test/golden holds `cmd` (the arguments, one line, shell-style
 * quoting), and the expected `stdout`, `stderr` and `exit`. `npm run test:update` (vitest -u)
 * rewrites the expectations; review them as a diff. Runs `main` in memory with colour off, and
 * then every case again through the installed entry point, `node bin/xwalk` running the bundle
 * (issue 15: a command that only works in the harness must not pass).
 */

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './helpers/run.js';

const ROOT = join(import.meta.dirname, 'golden');

export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of line.trim()) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) out.push(cur);
  return out;
}

const run = (args: string[], env: Record<string, string>, stdin?: Buffer) => runMain(args, { env, ...(stdin !== undefined ? { stdin } : {}) });

/** A case's arguments, environment and standard input. */
function readCase(name: string): { dir: string; args: string[]; env: Record<string, string>; stdin: Buffer | undefined } {
  const dir = join(ROOT, name);
  const args = splitArgs(readFileSync(join(dir, 'cmd'), 'utf8'));
  const envFile = join(dir, 'env');
  const env = existsSync(envFile)
    ? Object.fromEntries(
        readFileSync(envFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      )
    : {};
  const stdinFile = join(dir, 'stdin');
  return { dir, args, env, stdin: existsSync(stdinFile) ? readFileSync(stdinFile) : undefined };
}

const cases = readdirSync(ROOT)
  .filter((d) => existsSync(join(ROOT, d, 'cmd')))
  .sort();

describe('golden CLI cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  it.each(cases)('%s', async (name) => {
    const { dir, args, env, stdin } = readCase(name);
    const r = await run(args, env, stdin);
    await expect(r.stdout).toMatchFileSnapshot(join(dir, 'stdout'));
    await expect(r.stderr).toMatchFileSnapshot(join(dir, 'stderr'));
    await expect(`${r.exit}\n`).toMatchFileSnapshot(join(dir, 'exit'));
  });
});

describe('golden CLI cases through bin/xwalk (the bundle, as installed)', () => {
  beforeAll(() => {
    if (!existsSync('dist/xwalk.cjs')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
  }, 120_000);
  const spawnBin = (args: string[], env: Record<string, string>, stdin?: Buffer) =>
    new Promise<{ stdout: string; stderr: string; exit: number | null }>((resolve) => {
      const p = spawn(process.execPath, ['bin/xwalk', ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: [stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
      p.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      p.on('close', (exit) => resolve({ stdout, stderr, exit }));
      if (stdin !== undefined) p.stdin!.end(stdin);
    });
  // Four processes at a time: each is a cold start of node.
  it.concurrent.for(cases)('%s', async (name, { expect }) => {
    const { dir, args, env, stdin } = readCase(name);
    const r = await spawnBin(args, env, stdin);
    expect({ stdout: r.stdout, stderr: r.stderr, exit: r.exit }).toEqual({ stdout: readFileSync(join(dir, 'stdout'), 'utf8'), stderr: readFileSync(join(dir, 'stderr'), 'utf8'), exit: Number(readFileSync(join(dir, 'exit'), 'utf8')) });
  });
});
