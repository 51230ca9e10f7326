/**
 * Start-up does not grow with the number of vocabularies shipped: the compiled shipped registry
 * materializes a vocabulary's terms and a crosswalk's mappings only when a command reads them;
 * and the built command loads only the code a command runs (issue 18).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { XwalkError } from '../src/errors/errors.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledRegistry } from '../src/load/compiled.js';
import type { Registry } from '../src/load/registry.js';
import type { DomainTable } from '../src/model/types.js';
import { SHIPPED_COMPILED } from '../src/shipped/embedded.generated.js';
import { shippedCompiledFrom, shippedLookupJsonFrom, shippedReadingsFrom, shippedReads } from '../src/shipped/files.js';
import { loadCompiled, materialized } from '../src/load/compiled.js';
import { readingFromJson, shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode } from '../src/translate/translate.js';
import { LookupIndex, readText } from '../src/lookup/search.js';
import { lookupIndex } from '../src/lookup/lookup.js';
import { validateRegistry } from '../src/validate/index.js';

describe('lazy shipped vocabularies', () => {
  it('translate materializes only what its route reads', () => {
    const registry = shippedRegistry();
    expect(registry.vocabularies.size).toBe(15);
    expect(materialized).toEqual({ vocabularies: 0, crosswalks: 0 });
    const r = translateCode(new RegistryIndex(registry), '90B', {
      from: 'nibrs',
      to: 'srs',
      context: new Map([
        ['report', 'arrest'],
        ['arrestee_age', '17'],
      ]),
    });
    expect(r.best?.code).toBe('ASR 28');
    // nibrs, srs and nibrs-elements (the code list that reads the arrestee_age field)
    expect(materialized).toEqual({ vocabularies: 3, crosswalks: 1 });
  });
  it('everything is still there when asked for (validate reads all of it)', () => {
    const report = validateRegistry(shippedRegistry());
    expect(report.errors).toEqual([]);
    expect(materialized).toEqual({ vocabularies: 15, crosswalks: 16 });
  });
});

describe('each domain of a shipped vocabulary parsed apart (dist/shipped/; issue 18)', () => {
  const compiled = JSON.parse(SHIPPED_COMPILED) as CompiledRegistry;
  const cv = compiled.vocabularies.find((v) => v.id === 'nibrs-elements')!;
  // Made in the tests, after the counts of materialized vocabularies above are checked.
  const wholeDomains = () => loadCompiled({ ...compiled, vocabularies: [cv] }).vocabularies.get('nibrs-elements')!.domains;
  /** The vocabulary as dist/shipped/ gives it: each domain's table made apart, and which were made. */
  const lazy = () => {
    const read: string[] = [];
    const whole = wholeDomains();
    const domainParts = [...whole.keys()].map((d): [string, () => DomainTable] => [d, () => (read.push(d), whole.get(d)!)]);
    const { domainsJson: _, ...meta } = cv;
    const domains = loadCompiled({ ...compiled, vocabularies: [{ ...meta, domainParts }] }).vocabularies.get('nibrs-elements')!.domains;
    return { domains, read };
  };

  it('names, size and membership read no text; get reads that domain only, once', () => {
    const whole = wholeDomains();
    const { domains, read } = lazy();
    expect([...domains.keys()]).toEqual([...whole.keys()]);
    expect(domains.size).toBe(whole.size);
    expect(domains.has('weapon') && !domains.has('offense')).toBe(true);
    expect(read).toEqual([]);
    expect(domains.get('weapon')).toEqual(whole.get('weapon'));
    expect(domains.get('weapon')).toBe(domains.get('weapon'));
    expect(read).toEqual(['weapon']);
  });
  it('every way of going through the tables gives what the whole text gives', () => {
    const whole = wholeDomains();
    for (const go of [
      (m: Map<string, unknown>) => [...m],
      (m: Map<string, unknown>) => [...m.entries()],
      (m: Map<string, unknown>) => [...m.keys()].map((k, i) => [k, [...m.values()][i]]),
      (m: Map<string, unknown>) => {
        const out: unknown[] = [];
        m.forEach((v, k) => out.push([k, v]));
        return out;
      },
    ]) {
      const { domains, read } = lazy();
      expect(go(domains)).toEqual(go(whole));
      expect(read.sort()).toEqual([...whole.keys()].sort());
    }
  });
});

/**
 * Issue 18: the built command loads only what a command runs. bin/xwalk serves dist/xwalk.cjs and
 * the chunks it requires (dist/chunks/); these tests ask it which files a run loaded.
 */
describe('the built command (bin/xwalk) loads only what the command needs', () => {
  beforeAll(() => {
    if (!existsSync('dist/shipped/index.json')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
  }, 120_000);

  /** The files of dist/ that `xwalk ARGS` loaded, and their text. */
  const loadedBy = (args: string[]): Map<string, string> => {
    const probe = `const b = require('./bin/xwalk'); process.argv = [process.argv[0], b.entry, ...${JSON.stringify(args)}];
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify([...b.loaded.keys()])));
b.load(b.entry);`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', XWALK_CACHE: 'off' } });
    const files = JSON.parse(/LOADED (.*)$/.exec(r.stderr)![1]!) as string[];
    return new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  };
  const has = (files: Map<string, string>, text: string) => [...files.values()].some((s) => s.includes(text));
  // What translate must not load: the YAML reader, fuse.js, the interchange formats, the HTML
  // card and summary, convert's stream, commander (read only for help and errors: src/cli/parse.ts)
  // (their marks in the built code; names are kept).
  const UNNEEDED = { commander: 'CommanderError', yaml: 'YAMLParseError=class', 'fuse.js': 'Fuse=class', 'html card': 'function exportHtml', 'summary html': 'function renderSummaryHtml', export: 'function exportCrosswalk', import: 'function importCrosswalk', convert: 'function convertStream' };

  it('every mark is in some chunk (else the test below proves nothing)', () => {
    const all = new Map(
      readdirSync('dist/chunks')
        .filter((f) => f.endsWith('.cjs'))
        .map((f) => [f, readFileSync(join('dist/chunks', f), 'utf8')]),
    );
    for (const [what, mark] of Object.entries(UNNEEDED)) expect([what, has(all, mark)]).toEqual([what, true]);
  });
  it('translate loads none of commander, the YAML reader, fuse.js, the interchange code, convert, the HTML reports', () => {
    const files = loadedBy(['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--fact', 'report=arrest']);
    // nor convert's worker thread's bundle (dist/worker/: started only by a two-thread convert)
    expect([...files.keys()].filter((f) => /[\\/]dist[\\/]worker[\\/]/.test(f))).toEqual([]);
    for (const [what, mark] of Object.entries(UNNEEDED)) expect([what, has(files, mark)]).toEqual([what, false]);
    // dist/ holds about 700 KB of code; translate reads under a third of it
    expect([...files.values()].reduce((n, s) => n + s.length, 0)).toBeLessThan(240_000);
  });
  /** The packs of dist/packs/ that `xwalk ARGS` read, by file name. */
  const packsBy = (args: string[]): string[] => {
    const probe = `const b = require('./bin/xwalk'); process.argv = [process.argv[0], b.entry, ...${JSON.stringify(args)}];
process.on('exit', () => process.stderr.write('\\nPACKS ' + JSON.stringify([...b.packs.keys()].map((p) => require('node:path').basename(p)))));
b.load(b.entry);`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', XWALK_CACHE: 'off' } });
    return JSON.parse(/PACKS (.*)$/.exec(r.stderr)![1]!) as string[];
  };
  it('a command starts from its own pack (the entry and the command in one script), found past program options', () => {
    expect(packsBy(['translate', '13A', '--from', 'nibrs', '--to', 'srs'])).toEqual(['command-translate.pack']);
    expect(packsBy(['-q', '--vocab-dir', 'fixtures/vocab', 'translate', '0101', '--from', 'alpha-pd', '--to', 'hub'])[0]).toBe('command-translate.pack');
    expect(packsBy(['lookup', '10-10'])).toEqual(['command-lookup.pack']);
    // No command: the entry's pack alone; a word that is no command changes nothing.
    expect(packsBy(['--version'])).toEqual(['xwalk.cjs.pack']);
    expect(packsBy(['../x', '--version'])[0]).toBe('xwalk.cjs.pack');
    // Every command's pack was run while its code cache was written (else scripts/code-cache.cjs removes it).
    for (const f of readdirSync('dist/packs').filter((f) => f.startsWith('command-') && f.endsWith('.pack'))) expect([f, existsSync(join('dist/packs', `${f}.cache`))]).toEqual([f, true]);
  });
  it('--vocab-dir loads the YAML reader, lookup loads fuse.js, export --format html the card', () => {
    expect(has(loadedBy(['--vocab-dir', 'fixtures/vocab', 'list']), UNNEEDED.yaml)).toBe(true);
    expect(has(loadedBy(['lookup', 'agg', 'assault']), UNNEEDED['fuse.js'])).toBe(true);
    expect(has(loadedBy(['export', '--from', 'nibrs', '--to', 'srs', '--format', 'html', '-o', join(mkdtempSync(join(tmpdir(), 'xwalk-card-')), 'c.html')]), UNNEEDED['html card'])).toBe(true);
  });
  it('dist/shipped/ holds the same vocabularies as the code (the built command reads them there)', () => {
    // Every field of every vocabulary, domain table, term and mapping, as plain data.
    const plain = (r: Registry) => ({
      ...r,
      vocabularies: [...r.vocabularies.values()].map((v) => ({ ...v, domains: [...v.domains.values()].map((t) => ({ ...t, terms: [...t.terms].map(([k, term]) => [k, { ...term, props: [...term.props] }]) })) })),
      crosswalks: [...r.crosswalks.values()].map((x) => ({ ...x, mappings: x.mappings })),
      hashes: [...r.hashes],
    });
    expect(plain(loadCompiled(shippedCompiledFrom('dist/shipped')))).toEqual(plain(loadCompiled(JSON.parse(SHIPPED_COMPILED) as CompiledRegistry)));
  });
  it("dist/shipped/readings.json holds lookup's reading of every shipped text, as the source reads it", () => {
    const table = shippedReadingsFrom('dist/shipped');
    const built = new Map(table.keys().map((k) => [k, readingFromJson(table.get(k)!)]));
    // every text an index over all shipped vocabularies reads (labels, aliases, codes' words, equivalents)
    const registry = shippedRegistry();
    const fresh = new LookupIndex(registry.vocabularies.values(), undefined, new RegistryIndex(registry)).readings();
    expect(fresh.length).toBeGreaterThan(1000);
    expect(new Set(built.keys())).toEqual(new Set(fresh.map(([k]) => k)));
    for (const [key, r] of built) {
      expect([key, r]).toEqual([key, readText(key.slice(1), key[0] === 'c')]);
    }
  });
  it('dist/shipped/lookup.json is the default lookup index the source builds (test/lookup.test.ts: one made from it finds the same)', () => {
    const index = new RegistryIndex(shippedRegistry());
    const fresh = (domain?: string) => JSON.parse(JSON.stringify(lookupIndex(index, domain === undefined ? {} : { domain }).toJson())) as unknown;
    expect(shippedLookupJsonFrom('dist/shipped')).toEqual(fresh());
    // and with --domain, one for each domain of the searched vocabularies (none for another)
    const domains = readdirSync('dist/shipped').flatMap((f) => /^lookup-(.+)\.json$/.exec(f)?.[1] ?? []);
    expect(domains.sort()).toEqual(['offense', 'status', 'unit']);
    for (const d of domains) expect([d, shippedLookupJsonFrom('dist/shipped', d)]).toEqual([d, fresh(d)]);
    expect(shippedLookupJsonFrom('dist/shipped', 'weapon')).toBeUndefined();
  });
  it("a damaged or missing lookup.json is an xwalk: error naming it; a domain's missing file is none (built afresh); a domain is never a path", () => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-lookup-json-'));
    expect(() => shippedLookupJsonFrom(dir)).toThrow(/the shipped vocabularies in .*lookup\.json cannot be read/);
    expect(shippedLookupJsonFrom(dir, 'unit')).toBeUndefined();
    for (const f of ['lookup.json', 'lookup-unit.json']) writeFileSync(join(dir, f), readFileSync(join('dist/shipped', f), 'utf8').slice(0, 1000));
    expect(() => shippedLookupJsonFrom(dir)).toThrow(XwalkError);
    expect(() => shippedLookupJsonFrom(dir, 'unit')).toThrow(/the shipped vocabularies in .*lookup-unit\.json cannot be read/);
    // a name that would walk to lookup-unit.json through lookup-x/.. is refused, not read
    mkdirSync(join(dir, 'lookup-x'));
    expect(shippedLookupJsonFrom(dir, 'x/../lookup-unit')).toBeUndefined();
    expect(shippedLookupJsonFrom('dist/shipped', 'Unit')).toBeUndefined();
  });
  it('a damaged dist/shipped/readings.json is an xwalk: error naming the file and what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-readings-'));
    writeFileSync(join(dir, 'readings.json'), readFileSync('dist/shipped/readings.json', 'utf8').slice(0, 1000));
    expect(() => shippedReadingsFrom(dir)).toThrow(XwalkError);
    expect(() => shippedReadingsFrom(dir)).toThrow(/the shipped vocabularies in .*readings\.json cannot be read/);
  });
  it('a missing or damaged dist/shipped/index.json is an xwalk: error naming the file and what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-index-'));
    expect(() => shippedCompiledFrom(dir)).toThrow(/the shipped vocabularies in .*index\.json cannot be read \(ENOENT/);
    writeFileSync(join(dir, 'index.json'), readFileSync('dist/shipped/index.json', 'utf8').slice(0, 1000));
    expect(() => shippedCompiledFrom(dir)).toThrow(XwalkError);
    expect(() => shippedCompiledFrom(dir)).toThrow(/the shipped vocabularies in .*index\.json cannot be read/);
  });
  it('a damaged dist/shipped/parts.json is an xwalk: error naming the file and what to do, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xwalk-parts-'));
    for (const f of ['index.json', 'parts.json']) copyFileSync(join('dist/shipped', f), join(dir, f));
    const whole = readFileSync(join(dir, 'parts.json'));
    // nibrs' offense part, which translate reads first: cut off inside it, or its header garbled.
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'latin1')) as { vocabularies: { id: string; domainsAt: [string, [number, number]][] }[] };
    const [at] = index.vocabularies.find((v) => v.id === 'nibrs')!.domainsAt.find(([d]) => d === 'offense')![1];
    const garbled = Buffer.from(whole);
    garbled.write('{oops', at, 'latin1');
    for (const damaged of [whole.subarray(0, at + 10), garbled]) {
      writeFileSync(join(dir, 'parts.json'), damaged);
      const registry = loadCompiled(shippedCompiledFrom(dir));
      // Reading the index is fine; the first vocabulary domain read from the damaged part is not.
      expect(() => translateCode(new RegistryIndex(registry), '13A', { from: 'nibrs', to: 'srs' })).toThrow(XwalkError);
      expect(() => translateCode(new RegistryIndex(registry), '13A', { from: 'nibrs', to: 'srs' })).toThrow(/the shipped vocabularies in .*parts\.json cannot be read/);
    }
  });
  it('translate parses the lines its route reaches, not the tables (dist/shipped/, one JSON line a term or mapping)', () => {
    const registry = loadCompiled(shippedCompiledFrom('dist/shipped'));
    const before = { ...shippedReads };
    const r = translateCode(new RegistryIndex(registry), '13A', { from: 'nibrs', to: 'srs' });
    expect(r.candidates.map((c) => c.code)).toEqual(['4a', '4b', '4c', '4d', 'ASR 04']);
    expect(r.candidates.map((c) => c.label)).toContain('Aggravated Assault - Firearm');
    // nibrs' and srs' offense tables, the crosswalk, the weapon list that its conditions read
    expect(shippedReads.parts - before.parts).toBe(4);
    // 13A, its five mappings and five targets, and the weapon list (read whole: its field's values
    // are checked against it): a tenth of the bytes read, where parsing the parts whole is all of them.
    const read = shippedReads.bytes - before.bytes;
    const parsed = shippedReads.parsed - before.parsed;
    expect(read).toBeGreaterThan(50_000);
    expect(parsed).toBeLessThan(read / 10);
    const nibrs = registry.vocabularies.get('nibrs')!.domains.get('offense')!.terms;
    expect(nibrs.size).toBeGreaterThan(50);
  });
});
