/**
 * Start-up does not grow with the number of vocabularies shipped: the compiled shipped registry
 * materializes a vocabulary's terms and a crosswalk's mappings only when a command reads them;
 * and the built command loads only the code a command runs (issue 18).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledRegistry } from '../src/load/compiled.js';
import { SHIPPED_COMPILED } from '../src/shipped/embedded.generated.js';
import { shippedCompiledFrom } from '../src/shipped/files.js';
import { loadCompiled, materialized } from '../src/load/compiled.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode } from '../src/translate/translate.js';
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
  /** The vocabulary as dist/shipped/ gives it: each domain's text apart, and which texts were read. */
  const lazy = () => {
    const read: string[] = [];
    const domainParts = (JSON.parse(cv.domainsJson) as [string, unknown][]).map(([d, t]): [string, () => string] => [d, () => (read.push(d), JSON.stringify(t))]);
    const domains = loadCompiled({ ...compiled, vocabularies: [{ ...cv, domainParts }] }).vocabularies.get('nibrs-elements')!.domains;
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
  // card and summary, convert's stream (their marks in the built code; names are kept).
  const UNNEEDED = { yaml: 'YAMLParseError=class', 'fuse.js': 'Fuse=class', 'html card': 'function exportHtml', 'summary html': 'function renderSummaryHtml', export: 'function exportCrosswalk', import: 'function importCrosswalk', convert: 'function convertStream' };

  it('every mark is in some chunk (else the test below proves nothing)', () => {
    const all = new Map(
      readdirSync('dist/chunks')
        .filter((f) => f.endsWith('.cjs'))
        .map((f) => [f, readFileSync(join('dist/chunks', f), 'utf8')]),
    );
    for (const [what, mark] of Object.entries(UNNEEDED)) expect([what, has(all, mark)]).toEqual([what, true]);
  });
  it('translate loads none of the YAML reader, fuse.js, the interchange code, convert, the HTML reports', () => {
    const files = loadedBy(['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--fact', 'report=arrest']);
    // nor convert's worker thread's bundle (dist/worker/: started only by a two-thread convert)
    expect([...files.keys()].filter((f) => /[\\/]dist[\\/]worker[\\/]/.test(f))).toEqual([]);
    for (const [what, mark] of Object.entries(UNNEEDED)) expect([what, has(files, mark)]).toEqual([what, false]);
    // dist/ holds about 700 KB of code; translate reads under a third of it
    expect([...files.values()].reduce((n, s) => n + s.length, 0)).toBeLessThan(240_000);
  });
  it('--vocab-dir loads the YAML reader, lookup loads fuse.js, export --format html the card', () => {
    expect(has(loadedBy(['--vocab-dir', 'fixtures/vocab', 'list']), UNNEEDED.yaml)).toBe(true);
    expect(has(loadedBy(['lookup', 'agg', 'assault']), UNNEEDED['fuse.js'])).toBe(true);
    expect(has(loadedBy(['export', '--from', 'nibrs', '--to', 'srs', '--format', 'html', '-o', join(mkdtempSync(join(tmpdir(), 'xwalk-card-')), 'c.html')]), UNNEEDED['html card'])).toBe(true);
  });
  it('dist/shipped/ holds the same vocabularies as the code (the built command reads them there)', () => {
    // The JSON texts are compared parsed: the files write characters outside ASCII as \uXXXX.
    const parsed = (c: CompiledRegistry) => ({
      ...c,
      // dist/shipped/ gives each domain's text apart (parsed when the domain is read); domainsJson joins them.
      vocabularies: c.vocabularies.map(({ domainParts: _, ...v }) => ({ ...v, domainsJson: JSON.parse(v.domainsJson) as unknown })),
      crosswalks: c.crosswalks.map((x) => ({ ...x, mappingsJson: JSON.parse(x.mappingsJson) as unknown })),
    });
    expect(parsed(shippedCompiledFrom('dist/shipped'))).toEqual(parsed(JSON.parse(SHIPPED_COMPILED) as CompiledRegistry));
  });
});
