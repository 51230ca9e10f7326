/**
 * The real executable: bin/xwalk running the esbuild bundle (built by `npm install` via
 * prepare, or here if missing). Proves the shim's exit codes, stdout/stderr split, and that a
 * closed pipe (`| head`) is a normal end.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const FIX = ['--no-shipped', '--vocab-dir', 'fixtures/vocab'];
const xwalk = (args: string[], env: Record<string, string> = {}) => spawnSync('node', ['bin/xwalk', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

beforeAll(() => {
  if (!existsSync('dist/xwalk.cjs')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
});

describe('bin/xwalk', () => {
  it('exit 0 when every code maps, result on stdout, nothing on stderr', () => {
    const r = xwalk([...FIX, 'translate', '0101', '--from', 'alpha-pd', '--to', 'hub']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/→ H1/);
    expect(r.stderr).toBe('');
  });
  it('exit 1 when a code does not map', () => {
    expect(xwalk([...FIX, 'translate', '0999', '--from', 'alpha-pd', '--to', 'hub']).status).toBe(1);
  });
  it('exit 2 with an xwalk: message on stderr when it cannot run', () => {
    const r = xwalk([...FIX, 'translate', '0101', '--from', 'nope', '--to', 'hub']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^xwalk: unknown vocabulary "nope"/);
    expect(r.stdout).toBe('');
  });
  it('--version prints the package version', () => {
    expect(xwalk(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('colour only when asked: FORCE_COLOR adds escapes, NO_COLOR and pipes do not', () => {
    const args = [...FIX, 'translate', '0101', '--from', 'alpha-pd', '--to', 'hub'];
    expect(xwalk(args).stdout).not.toMatch(/\u001b\[/);
    expect(xwalk(args, { FORCE_COLOR: '1' }).stdout).toMatch(/\u001b\[/);
    expect(xwalk(['--no-color', ...args], { FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
  });
  it('a closed pipe is a normal end: no EPIPE trace', () => {
    const codes = Array.from({ length: 3000 }, () => '0101');
    const r = spawnSync('bash', ['-c', `node bin/xwalk ${FIX.join(' ')} translate ${codes.join(' ')} --from alpha-pd --to hub | head -n 2; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/status=(0|1)\n$/);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
  it('interrupted convert (SIGINT): exit 130, the previous output file untouched, no temporary file left', async () => {
    const d = mkdtempSync(join(tmpdir(), 'xwalk-sigint-'));
    const rows = ['code,x'];
    for (let i = 0; i < 400_000; i++) rows.push(`0101,row ${i}`);
    writeFileSync(join(d, 'in.csv'), rows.join('\n') + '\n');
    writeFileSync(join(d, 'out.csv'), 'previous\n');
    const child = spawn('node', ['bin/xwalk', ...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(d, 'out.csv'), '-q'], { stdio: 'ignore' });
    // wait until the temporary file exists, then interrupt
    for (let i = 0; i < 200 && !readdirSync(d).some((f) => f.includes('xwalk-tmp')); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(readFileSync(join(d, 'out.csv'), 'utf8')).toBe('previous\n');
    expect(readdirSync(d).sort()).toEqual(['in.csv', 'out.csv']);
  });
  it('convert to a closed pipe is a normal end', () => {
    const r = spawnSync('bash', ['-c', `(echo code; for i in $(seq 1 20000); do echo 0101; done) | node bin/xwalk ${FIX.join(' ')} convert - --from alpha-pd --to hub --column code:offense -q | head -n 2; echo "status=\${PIPESTATUS[1]}"`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^code,code_hub,code_status\n0101,H1,mapped\nstatus=0\n$/);
    expect(r.stderr).toBe('');
  });
});

describe('shell completion', () => {
  it('bash: completes commands, options, and vocabulary ids after --from', () => {
    const script = xwalk(['completion', 'bash']).stdout;
    const probe = (words: string[]) =>
      spawnSync('bash', ['-c', `xwalk() { node bin/xwalk "$@"; }; ${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _xwalk; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(probe(['xwalk', 'conv'])).toBe('convert');
    expect(probe(['xwalk', 'translate', '--from', 'har'])).toBe('harbor-county-so');
    expect(probe(['xwalk', 'convert', '--as-of-'])).toBe('--as-of-column');
    expect(probe(['xwalk', 'convert', '--format', 'j'])).toBe('jsonl');
  });
});
