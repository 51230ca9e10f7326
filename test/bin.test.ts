/**
 * The real executable: bin/xwalk running the esbuild bundle (built by `npm install` via
 * prepare, or here if missing). Proves the shim's exit codes, stdout/stderr split, and that a
 * closed pipe (`| head`) is a normal end.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
});
