/**
 * The real executable: bin/xwalk running the esbuild bundle (built by `npm install` via
 * prepare, or here if missing). Proves the shim's exit codes, stdout/stderr split, and that a
 * closed pipe (`| head`) is a normal end.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
  it('without its packs, or with damaged code caches, the command runs the same from its chunk files (issue 18)', () => {
    // A copy of bin/ and dist/ whose packs are gone, then one whose every cache is garbage.
    const d = mkdtempSync(join(tmpdir(), 'xwalk-packs-'));
    cpSync('bin', join(d, 'bin'), { recursive: true });
    cpSync('dist', join(d, 'dist'), { recursive: true, filter: (f) => !f.includes(`${join('dist', 'sea')}`) && !/dist[\\/]xwalk$/.test(f) });
    const args = ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--json'];
    const run = () => spawnSync('node', [join(d, 'bin', 'xwalk'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', XWALK_CACHE: 'off' } });
    const want = xwalk(args, { XWALK_CACHE: 'off' });
    expect(want.stdout).toContain('"13A"');
    // translate's own pack gone: the entry's pack, then translate's chunk files (its chunk has no pack)
    rmSync(join(d, 'dist', 'packs', 'command-translate.pack'));
    expect(run()).toMatchObject({ status: want.status, stdout: want.stdout, stderr: want.stderr });
    for (const f of readdirSync(join(d, 'dist', 'packs'))) if (f.endsWith('.cache')) writeFileSync(join(d, 'dist', 'packs', f), 'not a code cache');
    expect(run()).toMatchObject({ status: want.status, stdout: want.stdout, stderr: want.stderr });
    rmSync(join(d, 'dist', 'packs'), { recursive: true });
    expect(run()).toMatchObject({ status: want.status, stdout: want.stdout, stderr: want.stderr });
  });
  it('the built command has no import() of anything outside it, in any chunk (bin/xwalk and the binary cannot serve one; issues 15, 18)', () => {
    const files = [
      'dist/xwalk.cjs',
      ...readdirSync('dist/chunks')
        .filter((f) => f.endsWith('.cjs'))
        .map((f) => `dist/chunks/${f}`),
    ];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect([f, readFileSync(f, 'utf8').match(/\bimport\(/g) ?? []]).toEqual([f, []]);
  });
  it("the chunks hand each other plain values, not esbuild's getters (scripts/link-chunk.mjs; issue 18: start-up)", () => {
    const files = readdirSync('dist/chunks').filter((f) => f.endsWith('.cjs'));
    for (const f of files) expect([f, readFileSync(`dist/chunks/${f}`, 'utf8').match(/__toCommonJS|__export\(/g) ?? []]).toEqual([f, []]);
    // and they still work together: a command that runs through a dozen of them
    const r = xwalk(['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest', '--json'], { XWALK_CACHE: 'off' });
    expect(JSON.parse(r.stdout).results[0].candidates.map((c: { code: string }) => c.code)).toEqual(['ASR 04']);
  });
  it('-o naming a link to standard output (as /dev/stdout is), a pipe: written through the link, never replaced (issue 15)', () => {
    // A link of our own, not /dev/stdout itself: the old code renamed over the link. Through a
    // shell pipe: spawnSync's own pipes are sockets, which cannot be opened by path.
    const d = mkdtempSync(join(tmpdir(), 'xwalk-stdout-'));
    const link = join(d, 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    const r = spawnSync('bash', ['-c', `printf 'code\\n0101\\n' | node bin/xwalk ${FIX.join(' ')} convert - --from alpha-pd --to hub --column code:offense -o ${link} -q | cat`], { encoding: 'utf8' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('code,code_hub,code_status\n0101,H1,mapped\n');
    expect(r.status).toBe(0);
  });
  it('diff runs through bin/xwalk (it crashed in every installed form; issue 15)', () => {
    const r = xwalk(['diff', 'fixtures/vocab/alpha.yaml', 'fixtures/vocab/alpha.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/0 added, 0 removed, 0 changed/);
    expect(r.status).toBe(0);
  });
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
    // A run that asks for the version declares no command (start-up): the version, whatever follows.
    for (const args of [
      ['-V', 'translate', '13A'],
      ['--no-color', '--version', 'nosuchcommand'],
    ]) {
      const r = xwalk(args);
      expect([args, r.status, r.stdout.trim()]).toEqual([args, 0, xwalk(['--version']).stdout.trim()]);
    }
    // Help names every command, still.
    expect(xwalk(['--help']).stdout).toMatch(/translate[\s\S]*convert[\s\S]*completion/);
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
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    for (let i = 0; i < 200 && !readdirSync(d).some((f) => f.includes('xwalk-tmp')); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(readFileSync(join(d, 'out.csv'), 'utf8')).toBe('previous\n');
    expect(readdirSync(d).sort()).toEqual(['in.csv', 'out.csv']);
  });
  it('killed at random points (SIGTERM, SIGINT, SIGKILL): the output holds the previous file, never a partial one', async () => {
    const d = mkdtempSync(join(tmpdir(), 'xwalk-kill-'));
    const rows = ['code,x'];
    for (let i = 0; i < 1_000_000; i++) rows.push(`0101,row ${i}`);
    writeFileSync(join(d, 'in.csv'), rows.join('\n') + '\n');
    let interrupted = 0;
    // A fixed sequence of delays (deterministic): early, during the run, and late.
    const cases: [NodeJS.Signals, number, number | null][] = [
      ['SIGTERM', 40, 143],
      ['SIGINT', 150, 130],
      ['SIGTERM', 400, 143],
      ['SIGKILL', 120, null],
      ['SIGKILL', 350, null],
    ];
    for (const [signal, delay, expectedCode] of cases) {
      writeFileSync(join(d, 'out.csv'), 'previous\n');
      const child = spawn('node', ['bin/xwalk', ...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(d, 'out.csv'), '-q'], { stdio: 'ignore' });
      // Listen before waiting: a run that ends before the signal must not be missed.
      const exited = new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
      await new Promise((r) => setTimeout(r, delay));
      child.kill(signal);
      const [code, sig] = await exited;
      const out = readFileSync(join(d, 'out.csv'), 'utf8');
      // Either the previous file, or (the signal came after the rename) the complete new one.
      const complete = out.split('\n').length === 1_000_002 && out.endsWith('0101,row 999999,H1,mapped\n');
      expect(out === 'previous\n' || complete).toBe(true);
      if (out === 'previous\n') {
        interrupted++;
        // Before xwalk installs its handlers (the first ~100 ms) a signal ends node by default.
        if (expectedCode !== null) expect(code === expectedCode || sig === signal).toBe(true);
        else expect(sig).toBe('SIGKILL');
      }
      // SIGTERM/SIGINT remove the temporary file; SIGKILL cannot be caught and leaves it, hidden
      // (.out.csv.xwalk-tmp-PID-*), never at the output path.
      const temps = readdirSync(d).filter((f) => f.includes('xwalk-tmp'));
      if (signal !== 'SIGKILL') expect(temps).toEqual([]);
      for (const t of temps) expect(t.startsWith('.out.csv.xwalk-tmp-')).toBe(true);
    }
    // The test proves something only if runs were really cut short.
    expect(interrupted).toBeGreaterThanOrEqual(3);
  });
  it('standard output on a full disk: a clear error and exit 2', () => {
    const r = spawnSync('bash', ['-c', `printf 'code\\n0101\\n' | node bin/xwalk ${FIX.join(' ')} convert - --from alpha-pd --to hub --column code:offense -q > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('xwalk: cannot write to standard output: no space left on the device\n');
  });
  it('an output file on a full disk: a clear error, exit 2, the previous file intact, no temporary file', (ctx) => {
    // A real full file system: a 256 KiB tmpfs (needs root, as on the project's machines).
    const mnt = mkdtempSync(join(tmpdir(), 'xwalk-full-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]).status !== 0) {
      ctx.skip(); // cannot mount here: the ENOSPC path stays covered by stdout on /dev/full
      return;
    }
    try {
      writeFileSync(join(mnt, 'out.csv'), 'previous\n');
      const input = join(tmpdir(), `xwalk-full-in-${process.pid}.csv`);
      writeFileSync(input, 'code,x\n' + '0101,some text to fill the disk\n'.repeat(40_000));
      const r = spawnSync('node', ['bin/xwalk', ...FIX, 'convert', input, '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(mnt, 'out.csv'), '-q'], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^xwalk: cannot write ${join(mnt, 'out.csv')}: the disk is full`));
      expect(readFileSync(join(mnt, 'out.csv'), 'utf8')).toBe('previous\n');
      expect(readdirSync(mnt)).toEqual(['out.csv']);
    } finally {
      spawnSync('umount', [mnt]);
    }
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
    const probe = (words: string[]) => spawnSync('bash', ['-c', `xwalk() { node bin/xwalk "$@"; }; ${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _xwalk; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(probe(['xwalk', 'conv'])).toBe('convert');
    expect(probe(['xwalk', 'translate', '--from', 'har'])).toBe('harbor-county-so');
    expect(probe(['xwalk', 'convert', '--as-of-'])).toBe('--as-of-column');
    expect(probe(['xwalk', 'convert', '--format', 'j'])).toBe('jsonl');
  });
});

describe('bin/xwalk lookup in a real terminal (a pseudo-terminal through script(1))', () => {
  it('raw keys in, screens out, the terminal restored at the end', async () => {
    // script(1) (util-linux, on every Debian system) gives the process a pty: stdin.isTTY,
    // setRawMode and the alternate screen are the real ones. Each key is sent once the screen
    // it answers is drawn, so no timing is assumed.
    const child = spawn('script', ['-qfec', 'stty cols 80 rows 30; exec node bin/xwalk lookup', '/dev/null'], { env: { PATH: process.env.PATH ?? '', TERM: 'xterm' } });
    let out = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    const plain = () => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      for (const w of waiters.splice(0))
        if (plain().includes(w.text)) w.resolve();
        else waiters.push(w);
    });
    const seen = (text: string) => new Promise<void>((resolve) => (plain().includes(text) ? resolve() : waiters.push({ text, resolve })));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await seen('lookup>');
    child.stdin.write('agg assault');
    await seen('Aggravated Assault');
    child.stdin.write('\x1b[B');
    child.stdin.write('2');
    await seen('Esc back');
    child.stdin.write('\x1b');
    child.stdin.write('q');
    await seen('lookup> agg assaultq');
    child.stdin.write('\x03');
    expect(await exited).toBe(0);
    expect(plain()).toMatch(/2 +srs +4 +Aggravated Assault/);
    expect(plain()).toMatch(/srs 4 {2}Aggravated Assault/);
    expect(plain()).toMatch(/match 2 of 10/);
    expect(out.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
  }, 30_000);
});
