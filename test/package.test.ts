/**
 * What users install: the single executable (npm run build:binary) run from an empty directory
 * with an empty environment, and the npm package (npm pack) installed into an empty project and
 * used both as a command and as a typed library.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');

describe('single executable (dist/xwalk)', () => {
  const bin = join(ROOT, 'dist', 'xwalk');
  let dir: string;
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build:binary'], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'xwalk-bin-'));
  }, 120_000);
  // env -i: no PATH, no HOME, no Node.js; an empty working directory: nothing beside the binary.
  const run = (args: string[], input?: string) => spawnSync('env', ['-i', bin, ...args], { cwd: dir, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });

  it('translate, with the shipped vocabularies inside', () => {
    const r = run(['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/→ ASR 04 +=/);
    expect(r.status).toBe(0);
  });
  it('convert, standard input to standard output', () => {
    const r = run(['convert', '-', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'code:offense', '-q'], 'code,x\n0460,a\n9401,b\n');
    // Issue 20: append mode leaves the target empty where nothing mapped.
    expect(r.stdout).toBe('code,x,code_nibrs,code_status\n0460,a,13B,mapped\n9401,b,,no-mapping\n');
    expect(r.status).toBe(0);
  });
  it('validate', () => {
    const r = run(['validate']);
    expect(r.stdout).toMatch(/^0 errors, 0 warnings in 33 files/);
    expect(r.status).toBe(0);
  });
  // Issue 15: every command once through the binary, so that one that works only in the test
  // harness (as `diff` did, with a dynamic import the binary cannot serve) cannot pass.
  const fx = (p: string) => join(ROOT, 'fixtures', p);
  const smoke: [string, string[], number][] = [
    ['translate', ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest'], 0],
    ['convert', ['convert', fx('exports/riverton-pd-rms.csv'), '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '-q', '--unmapped', 'keep', '--ambiguous', 'first'], 0],
    ['validate', ['validate'], 0],
    ['coverage', ['--no-shipped', '--vocab-dir', fx('vocab'), 'coverage', '--from', 'alpha-pd', '--to', 'beta-so', '--domain', 'offense'], 0],
    ['diff', ['diff', fx('vocab/alpha.yaml'), fx('vocab/alpha.yaml')], 0],
    ['suggest', ['suggest', '--from', 'bayview-pd', '--to', 'harbor-county-so', '--limit', '2'], 0],
    ['lookup', ['lookup', 'agg', 'assault'], 0],
    ['export', ['export', '--from', 'riverton-pd', '--to', 'nibrs', '--format', 'csv'], 0],
    ['import', ['--vocab-dir', fx('vocab'), '--no-shipped', 'import', fx('interchange/alpha--hub.r4.json'), '--format', 'fhir-r4'], 0],
    ['list', ['list'], 0],
    ['show', ['show', 'nibrs', '13A'], 0],
    ['completion', ['completion', 'bash'], 0],
  ];
  it.each(smoke)('smoke: %s', (_, args, status) => {
    const r = run(args);
    expect(r.stderr).not.toMatch(/internal error|ERR_VM|    at /);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.status).toBe(status);
  });
  it('runs alone: copied into an empty folder, it reads its code and vocabularies from itself (issue 18: packs as assets)', () => {
    const alone = mkdtempSync(join(tmpdir(), 'xwalk-alone-'));
    copyFileSync(bin, join(alone, 'xwalk'));
    chmodSync(join(alone, 'xwalk'), 0o755);
    const r = spawnSync('env', ['-i', join(alone, 'xwalk'), 'translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest'], { cwd: alone, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/→ ASR 04 +=/);
    expect(readdirSync(alone)).toEqual(['xwalk']);
  });
  it('the same exit codes as under Node', () => {
    for (const args of [['translate', '9401', '--from', 'riverton-pd', '--to', 'nibrs'], ['translate', '1', '--from', 'nope', '--to', 'nibrs'], ['--version']]) {
      const node = spawnSync('node', [join(ROOT, 'bin', 'xwalk'), ...args], { cwd: dir, encoding: 'utf8' });
      const exe = run(args);
      expect([exe.status, exe.stdout, exe.stderr]).toEqual([node.status, node.stdout, node.stderr]);
    }
  });
  it('issue 17: export --format parquet is refused (a native addon cannot load here), saying how to get it, and writes nothing', () => {
    const r = run(['export', '--from', 'nibrs', '--to', 'srs', '--format', 'parquet', '-o', 'x.parquet']);
    expect(r.stderr).toBe('xwalk: --format parquet needs DuckDB (@duckdb/node-api, a native addon), which the single executable cannot load\n  hint: run xwalk from npm (npm install xwalk @duckdb/node-api), or export --format csv and load that into your engine\n');
    expect(r.status).toBe(2);
    expect(readdirSync(dir)).not.toContain('x.parquet');
  });
});

describe('npm package', () => {
  let project: string;
  beforeAll(() => {
    const packDir = mkdtempSync(join(tmpdir(), 'xwalk-pack-'));
    // --ignore-scripts: `prepare` would rebuild dist/ while the fast suite runs from it (the suites run side by side); npm test has just built it.
    execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, stdio: 'ignore' });
    const tgz = readdirSync(packDir).find((f) => f.endsWith('.tgz'))!;
    project = mkdtempSync(join(tmpdir(), 'xwalk-project-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-xwalk', version: '1.0.0', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tgz)], { cwd: project, stdio: 'ignore' });
  }, 240_000);

  it('does not carry the single executable (it is a separate download)', () => {
    const files = execFileSync('npm', ['pack', '--dry-run', '--json', '--silent', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const list = (JSON.parse(files) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(list).toContain('dist/xwalk.cjs');
    // issue 18: the command's chunks, their code caches, the shipped vocabularies it reads, and
    // bin/package.json (bin/xwalk is CommonJS)
    expect(list.filter((f) => /^dist\/chunks\/.*\.cjs$/.test(f)).length).toBeGreaterThan(10);
    // read from packs (a file and all it loads before it runs, in one script), each with its code cache
    expect(list).toEqual(expect.arrayContaining(['dist/packs/xwalk.cjs.pack', 'dist/packs/xwalk.cjs.pack.cache']));
    // a command starts from its own pack: the entry's code and the command's, with its code cache;
    // its chunk's own pack is left out (read only for a command line taken for another command)
    expect(list).toEqual(expect.arrayContaining(['dist/packs/command-translate.pack', 'dist/packs/command-translate.pack.cache']));
    expect(list.filter((f) => /^dist\/packs\/translate-\w+\.cjs\.pack(\.cache)?$/.test(f))).toEqual([]);
    // summarize has no pack of its own (scripts/code-cache.cjs): its chunk's pack stays
    expect(list.filter((f) => /^dist\/packs\/summarize-\w+\.cjs\.pack(\.cache)?$/.test(f))).toHaveLength(2);
    expect(list).not.toContain('dist/packs/commands.json');
    // issue 18: convert's worker thread runs its own bundle, beside the chunks
    expect(list).toContain('dist/worker/convert-worker.cjs');
    expect(list).toEqual(expect.arrayContaining(['dist/shipped/index.json', 'dist/shipped/parts.json', 'bin/package.json']));
    expect(list).not.toContain('dist/xwalk');
    expect(list.filter((f) => f.startsWith('dist/sea/'))).toEqual([]);
  });
  it('exposes the xwalk command', () => {
    const r = spawnSync(join(project, 'node_modules', '.bin', 'xwalk'), ['translate', 'E07', '--from', 'metro-fire', '--to', 'county-fire', '--domain', 'unit', '-q'], { cwd: project, encoding: 'utf8' });
    expect(r.stdout).toMatch(/→ Engine 7/);
    expect(r.status).toBe(0);
  });
  it('converts on two threads as installed (the worker bundle is found and gives the same bytes)', () => {
    const args = ['convert', join(ROOT, 'fixtures/exports/riverton-pd-rms.csv'), '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '-q'];
    const run = (threads: string, extra: Record<string, string> = {}) =>
      spawnSync(join(project, 'node_modules', '.bin', 'xwalk'), args, { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', XWALK_THREADS: threads, XWALK_PARALLEL_MIN_BYTES: '0', XWALK_PARALLEL_PIECE_BYTES: '200', XWALK_DEBUG_THREADS: '1', ...extra } });
    const two = run('2');
    const one = run('1');
    const stream = run('1', { XWALK_STREAM: '1' });
    expect(two.stderr).toMatch(/xwalk: debug: \d+ pieces, [1-9]\d* by the worker/);
    expect(one.stderr).toMatch(/xwalk: debug: \d+ pieces, one thread/);
    expect(stream.stderr).toMatch(/xwalk: debug: one thread, as a stream/);
    expect(two.stdout).toBe(stream.stdout);
    expect(one.stdout).toBe(stream.stdout);
    expect([two.status, one.status, stream.status]).toEqual([0, 0, 0]);
  });
  it('exposes a typed library: a TypeScript program type-checks and runs', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { openRegistry, RegistryIndex, translateCode, type TranslationResult } from 'xwalk';
const index = new RegistryIndex(openRegistry());
const r: TranslationResult = translateCode(index, '90B', { from: 'nibrs', to: 'srs', context: new Map([['report', 'arrest'], ['arrestee_age', '17']]) });
const code: string | undefined = r.best?.code;
console.log(r.outcome, code);
`,
    );
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['use.ts'] }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const js = join(project, 'use.mjs');
    writeFileSync(js, `import { openRegistry, RegistryIndex, translateCode } from 'xwalk';\nconst r = translateCode(new RegistryIndex(openRegistry()), '90B', { from: 'nibrs', to: 'srs', context: new Map([['report', 'arrest'], ['arrestee_age', '17']]) });\nconsole.log(r.outcome, r.best?.code);\n`);
    const out = spawnSync('node', [js], { cwd: project, encoding: 'utf8' });
    expect(out.stdout.trim()).toBe('mapped ASR 28');
  });
});
