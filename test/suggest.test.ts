import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/load/registry.js';
import { MemorySource } from '../src/read/source.js';
import { mergeRegistries } from '../src/load/compiled.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { draftYaml, similarity, suggest, words } from '../src/suggest/suggest.js';
import { translateCode } from '../src/translate/translate.js';
import { validateRegistry } from '../src/validate/index.js';

describe('label similarity', () => {
  it('folds case, "&", punctuation, plurals and stop words', () => {
    expect(words('Weapon Law Violations')).toEqual(['weapon', 'law', 'violation']);
    expect(words('Drug/Narcotic Violations & Equipment')).toEqual(['drug', 'narcotic', 'violation', 'equipment']);
  });
  it('scores shared words, tolerating a one-letter typo in long words', () => {
    expect(similarity(words('Weapons Law Violations'), words('Weapon Law Violation'))).toBe(1);
    expect(similarity(words('Shoplifitng'), words('Shoplifting'))).toBe(1);
    expect(similarity(words('Arson'), words('Bribery'))).toBe(0);
  });
});

describe('xwalk suggest', () => {
  const index = new RegistryIndex(shippedRegistry());
  const opts = { from: 'bayview-pd', to: 'harbor-county-so', domain: 'offense', limit: 2, minScore: 0.3 };
  it('proposes only for codes without a mapping, best first, at most --limit each', () => {
    const { unmapped, proposals } = suggest(index, opts);
    expect(unmapped.length).toBeGreaterThan(0);
    for (const p of proposals) {
      expect(unmapped.map((u) => u.code)).toContain(p.from);
      expect(p.score).toBeGreaterThanOrEqual(0.3);
    }
    const per = new Map<string, number>();
    for (const p of proposals) per.set(p.from, (per.get(p.from) ?? 0) + 1);
    for (const n of per.values()) expect(n).toBeLessThanOrEqual(2);
  });
  it('writes a draft that loads, that validate flags as proposed, and that translation never uses', () => {
    const { unmapped, proposals } = suggest(index, opts);
    expect(proposals.length).toBeGreaterThan(0);
    const draft = loadRegistry([new MemorySource('draft', new Map([['draft.yaml', draftYaml(opts, proposals, unmapped)]]))]);
    expect(draft.diagnostics).toEqual([]);
    const merged = mergeRegistries(shippedRegistry(), draft);
    const report = validateRegistry(merged);
    expect(report.errors).toEqual([]);
    expect(report.warnings.filter((w) => w.rule === 'proposed-mapping')).toHaveLength(proposals.length);
    const p = proposals[0]!;
    const r = translateCode(new RegistryIndex(merged), p.from, { from: opts.from, to: opts.to, domain: 'offense' });
    expect(r.outcome).toBe('no-mapping');
  });
});
