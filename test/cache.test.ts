/**
 * The load cache (src/cache/cache.ts): a second load of a large file comes from the cache and gives
 * the same registry; any edit to the YAML file or to a list it reads is a miss; a corrupt entry is
 * a miss; files with problems are not cached; two processes writing at once leave a whole entry;
 * terms are parsed only when asked for.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_MIN_BYTES, cacheDirFor, LoadCache } from '../src/cache/cache.js';
import { LazyTerms } from '../src/cache/lines.js';
import { loadRegistry, type Registry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode } from '../src/translate/translate.js';
import { validateRegistry } from '../src/validate/index.js';
import { runMain } from './helpers/run.js';

function makeDir(n = 2000): string {
  const dir = mkdtempSync(join(tmpdir(), 'xwalk-cache-'));
  let terms = 'code,label,aliases,valid_to\n';
  let maps = 'from,to,relation,confidence,when\n';
  for (let i = 0; i < n; i++) {
    terms += `c${i},Label ${i},ALIAS${i}|Other ${i},${i === 7 ? '2020-01-01' : ''}\n`;
    maps += i % 10 === 9 ? `c${i},,no-match,,\n` : `c${i},T${i % 3},${i % 2 ? 'source-narrower' : 'equivalent'},0.9,${i % 5 === 0 ? 'age<18' : ''}\n`;
  }
  writeFileSync(join(dir, 'terms.csv'), terms);
  writeFileSync(join(dir, 'map.csv'), maps);
  writeFileSync(join(dir, 'big.yaml'), 'id: big\nname: Big\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    normalize: { case: upper, trim: true }\n    file: terms.csv\n');
  writeFileSync(join(dir, 'hub.yaml'), 'id: hub\nname: Hub\nkind: standard\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: T0, label: Zero }\n      - { code: T1, label: One }\n      - { code: T2, label: Two }\n');
  writeFileSync(join(dir, 'big--hub.yaml'), 'id: big--hub\nfrom: big\nto: hub\ndomain: offense\nversion: "1"\nfile: map.csv\n');
  return dir;
}

/** Small enough for the test's generated lists, large enough to leave the 3-term hub uncached. */
const TEST_MIN = 1000;
const load = (dir: string, cache?: LoadCache): Registry => loadRegistry([new DirSource(dir)], cache ? { cache } : {});
const plainTerms = (r: Registry) => [...r.vocabularies.get('big')!.domains.get('offense')!.terms.values()].map((t) => ({ ...t, props: [...t.props] }));
const answers = (r: Registry, codes: string[]) => {
  const index = new RegistryIndex(r);
  return codes.map((c) => translateCode(index, c, { from: 'big', to: 'hub', context: new Map([['age', '17']]) }));
};

describe('load cache', () => {
  it('a second load is served from the cache and answers exactly as a fresh parse', () => {
    const dir = makeDir();
    const cache = new LoadCache(join(dir, '.cache'), TEST_MIN);
    const fresh = load(dir);
    const first = load(dir, cache);
    expect(cache.stats).toMatchObject({ hits: 0, writes: 2 });
    const second = load(dir, new LoadCache(join(dir, '.cache'), TEST_MIN));
    expect(second.diagnostics).toEqual([]);
    expect([...second.hashes]).toEqual([...fresh.hashes]);
    const codes = ['c0', 'C1', 'c7', 'c9', 'c10', 'c1999', 'nope'];
    expect(answers(second, codes)).toEqual(answers(fresh, codes));
    expect(answers(first, codes)).toEqual(answers(fresh, codes));
    expect(plainTerms(second)).toEqual(plainTerms(fresh));
    expect(second.crosswalks.get('big--hub')!.mappings).toEqual(fresh.crosswalks.get('big--hub')!.mappings);
    expect(validateRegistry(second)).toEqual(validateRegistry(fresh));
  });

  it("keeps every field of a domain table besides its terms (precedence, the Hierarchy Rule's order)", () => {
    const dir = makeDir();
    // Format 2 wrote a domain's normalize and loc only: a cached vocabulary lost its precedence.
    writeFileSync(join(dir, 'big.yaml'), readFileSync(join(dir, 'big.yaml'), 'utf8') + '    precedence: [c3, c1, c2]\n');
    const fresh = load(dir).vocabularies.get('big')!.domains.get('offense')!;
    expect(fresh.precedence).toEqual(['c3', 'c1', 'c2']);
    load(dir, new LoadCache(join(dir, '.cache'), TEST_MIN));
    const cache = new LoadCache(join(dir, '.cache'), TEST_MIN);
    const cached = load(dir, cache).vocabularies.get('big')!.domains.get('offense')!;
    expect(cache.stats.hits).toBe(2);
    const { terms: _f, ...freshRest } = fresh;
    const { terms: _c, ...cachedRest } = cached;
    expect(cachedRest).toEqual(freshRest);
  });

  it('parses only the terms a run asks for', () => {
    const dir = makeDir();
    load(dir, new LoadCache(join(dir, '.cache'), TEST_MIN));
    const r = load(dir, new LoadCache(join(dir, '.cache'), TEST_MIN));
    const terms = r.vocabularies.get('big')!.domains.get('offense')!.terms;
    expect(terms).toBeInstanceOf(LazyTerms);
    expect(terms.size).toBe(2000);
    expect(terms.has('C5')).toBe(true);
    const t = terms.get('C5')!;
    expect(t).toMatchObject({ code: 'c5', label: 'Label 5' });
    expect(terms.get('C5')).toBe(t);
    expect((terms as unknown as { parsed: Map<number, unknown> }).parsed.size).toBe(1);
    expect([...terms.keys()].length).toBe(2000);
    expect(terms.get('C5')).toBe(t);
  });

  it('misses when the YAML file or a list it reads changes, even with the same size', () => {
    const dir = makeDir();
    const at = join(dir, '.cache');
    load(dir, new LoadCache(at, TEST_MIN));
    const csv = join(dir, 'map.csv');
    const before = readFileSync(csv, 'utf8');
    const edited = before.replace('c0,T0,equivalent', 'c0,T2,equivalent');
    expect(edited.length).toBe(before.length);
    writeFileSync(csv, edited);
    // Same size; an mtime differing from the recorded one sends it to the hash, which differs.
    const c = new LoadCache(at, TEST_MIN);
    const r = load(dir, c);
    expect(c.stats.misses).toBeGreaterThanOrEqual(1);
    expect(answers(r, ['c0'])[0]!.best!.code).toBe('T2');
    writeFileSync(join(dir, 'big.yaml'), readFileSync(join(dir, 'big.yaml'), 'utf8').replace('name: Big', 'name: Bigger'));
    const c2 = new LoadCache(at, TEST_MIN);
    expect(load(dir, c2).vocabularies.get('big')!.name).toBe('Bigger');
    expect(c2.stats.hits).toBe(1);
  });

  it('re-hashes a file changed just before or after its entry was written, even with the same size and mtime', () => {
    const dir = makeDir();
    const at = join(dir, '.cache');
    load(dir, new LoadCache(at, TEST_MIN));
    const csv = join(dir, 'map.csv');
    const { mtime } = statSync(csv);
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('c0,T0,equivalent', 'c0,T1,equivalent'));
    utimesSync(csv, mtime, mtime);
    expect(answers(load(dir, new LoadCache(at, TEST_MIN)), ['c0'])[0]!.best!.code).toBe('T1');
  });

  it('re-hashes a file whose time changed, and keeps using the entry when its content did not', () => {
    const dir = makeDir();
    const at = join(dir, '.cache');
    load(dir, new LoadCache(at, TEST_MIN));
    utimesSync(join(dir, 'terms.csv'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const c = new LoadCache(at, TEST_MIN);
    load(dir, c);
    expect(c.stats.hits).toBe(2);
  });

  it('treats a corrupt or truncated entry as a miss, and rewrites it', () => {
    const dir = makeDir();
    const at = join(dir, '.cache');
    load(dir, new LoadCache(at, TEST_MIN));
    for (const f of readdirSync(at)) writeFileSync(join(at, f), readFileSync(join(at, f), 'utf8').slice(0, 200));
    const c = new LoadCache(at, TEST_MIN);
    const r = load(dir, c);
    expect(r.diagnostics.map((d) => [d.severity, d.rule])).toEqual([['warning', 'cache-rebuilt']]);
    expect(answers(r, ['c0'])[0]!.best!.code).toBe('T0');
    expect(c.stats.writes).toBe(2);
  });

  it('does not cache files with problems, nor small files', () => {
    const dir = makeDir(50);
    writeFileSync(join(dir, 'terms.csv'), readFileSync(join(dir, 'terms.csv'), 'utf8') + 'c1,Duplicate,,\n');
    const c = new LoadCache(join(dir, '.cache'), 0);
    expect(load(dir, c).diagnostics.some((d) => d.rule === 'duplicate-code')).toBe(true);
    // The hub and the crosswalk are written; the vocabulary with the duplicate is not.
    expect(c.stats.writes).toBe(2);
    // The real threshold: 50 terms are far under it, 20,000 over it.
    const small = makeDir(50);
    const c50 = new LoadCache(join(small, '.cache'));
    load(small, c50);
    expect(c50.stats.writes).toBe(0);
    const large = makeDir(20000);
    const c20k = new LoadCache(join(large, '.cache'));
    load(large, c20k);
    expect(c20k.stats.writes).toBe(2);
    expect(readFileSync(join(large, 'terms.csv')).length).toBeGreaterThan(CACHE_MIN_BYTES);
    // A real agency's table (411 codes, 98 KB of YAML, and its 68 KB crosswalk): cached, and the same registry read back.
    const real = mkdtempSync(join(tmpdir(), 'xwalk-cache-real-'));
    for (const f of ['chicago-offense.yaml', 'chicago-offense--nibrs.yaml']) writeFileSync(join(real, f), readFileSync(join('fixtures/real', f)));
    const cReal = new LoadCache(join(real, '.cache'));
    const first = loadRegistry([new DirSource(real)], { cache: cReal });
    expect(cReal.stats).toMatchObject({ writes: 2, hits: 0 });
    const again = loadRegistry([new DirSource(real)], { cache: cReal });
    expect(cReal.stats).toMatchObject({ writes: 2, hits: 2 });
    const codes = (r: Registry) => [...r.vocabularies.get('chicago-iucr')!.domains.get('offense')!.terms.keys()];
    expect(codes(again)).toEqual(codes(first));
    expect(codes(again)).toHaveLength(411);
    expect(again.crosswalks.get('chicago-iucr--nibrs')!.mappings).toEqual(first.crosswalks.get('chicago-iucr--nibrs')!.mappings);
  });

  it('ignores a cache directory it cannot write', () => {
    const dir = makeDir(100);
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const c = new LoadCache(join(dir, 'not-a-dir', 'cache'), TEST_MIN);
    expect(load(dir, c).diagnostics).toEqual([]);
    expect(c.stats).toMatchObject({ writes: 0, errors: 2 });
  });

  it('finds its directory from the environment, and can be turned off', () => {
    expect(cacheDirFor({ XWALK_CACHE_DIR: '/x' })).toBe('/x');
    expect(cacheDirFor({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe(join('/c', 'xwalk'));
    expect(cacheDirFor({ HOME: '/h' })).toBe(join('/h', '.cache', 'xwalk'));
    expect(cacheDirFor({ HOME: '/h', XWALK_CACHE: 'off' })).toBeUndefined();
    expect(cacheDirFor({})).toBeUndefined();
  });

  it('is used by the CLI, and gives the same output as without it', async () => {
    const dir = makeDir(10000);
    const env = { XWALK_CACHE_DIR: join(dir, '.cache') };
    const args = ['--no-shipped', '--vocab-dir', dir, 'translate', 'c1', 'c5', 'c9', 'c5999', '--from', 'big', '--to', 'hub', '--context', 'age=17'];
    const off = await runMain(args);
    const one = await runMain(args, { env });
    const two = await runMain(args, { env });
    expect(readdirSync(join(dir, '.cache')).filter((f) => f.endsWith('.xwc'))).toHaveLength(2);
    expect(one).toEqual(off);
    expect(two).toEqual(off);
  });

  it('two processes writing the same entries at once leave whole, usable entries', async () => {
    const dir = makeDir(20000);
    const at = join(dir, '.cache');
    const run = () =>
      new Promise<number | null>((resolve) => {
        const p = spawn('node', ['bin/xwalk', '--no-shipped', '--vocab-dir', dir, 'translate', 'c11', '--from', 'big', '--to', 'hub'], { env: { PATH: process.env.PATH ?? '', XWALK_CACHE_DIR: at }, stdio: 'ignore' });
        p.on('close', resolve);
      });
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
    expect(readdirSync(at).sort()).toHaveLength(2);
    const c = new LoadCache(at);
    const r = load(dir, c);
    expect(c.stats).toMatchObject({ hits: 2, errors: 0 });
    expect(answers(r, ['c11'])[0]!.best!.code).toBe('T2');
  }, 60_000);
});
