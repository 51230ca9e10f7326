/**
 * The library API as a user imports it: `from 'xwalk'` resolves through package.json `exports`
 * to the built ESM bundle and its type declarations (built by `npm run build`).
 */

import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { exportCrosswalk, importCrosswalk, loadRegistry, lookup, MemorySource, openRegistry, RegistryIndex, shippedRegistry, translateCode, translateRecords, validateRegistry, type TranslatedRecord, type TranslationResult } from 'xwalk';

describe("import { ... } from 'xwalk'", () => {
  it('loads in-memory vocabularies, translates and validates', () => {
    const files = new Map([
      ['a.yaml', 'id: a\nname: A\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: "0460", label: Theft }\n'],
      ['b.yaml', 'id: b\nname: B\nkind: standard\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: 23H, label: All Other Larceny }\n'],
      ['ab.yaml', 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nmappings:\n  - { from: "0460", to: 23H, relation: source-narrower }\n'],
    ]);
    const registry = loadRegistry([new MemorySource('mine', files)]);
    expect(validateRegistry(registry).errors).toEqual([]);
    const r: TranslationResult = translateCode(new RegistryIndex(registry), '0460', { from: 'a', to: 'b' });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: '23H', relation: 'source-narrower' });
  });
  it('opens directories the way the CLI does', () => {
    const registry = openRegistry({ shipped: false, dirs: ['fixtures/vocab'] });
    expect([...registry.vocabularies.keys()]).toContain('alpha-pd');
  });
  it('translates a stream of records: an array, an async iterable, or a Node object stream', async () => {
    const index = new RegistryIndex(shippedRegistry());
    const rows = [
      { id: '1', code: '1301', property: '' },
      { id: '2', code: '2399', property: 'shoplifting' },
      { id: '3', code: '', property: '' },
      { id: '4', code: '1301', property: '' },
    ];
    const opts = { from: 'riverton-pd', to: 'nibrs', columns: ['code'], context: { property_type: 'property' } };
    const collect = async (src: Iterable<(typeof rows)[number]> | AsyncIterable<(typeof rows)[number]>) => {
      const out: TranslatedRecord<(typeof rows)[number]>[] = [];
      for await (const r of translateRecords(index, src, opts)) out.push(r);
      return out;
    };
    for (const out of [await collect(rows), await collect(Readable.from(rows))]) {
      expect(out.map((r) => r.record.id)).toEqual(['1', '2', '3', '4']);
      expect(out[0]!.results.code).toMatchObject({ outcome: 'mapped', best: { code: '13A' } });
      expect(out[1]!.results.code).toMatchObject({ outcome: 'mapped', best: { code: '23C' } });
      expect(out[2]!.results).toEqual({});
      expect(out[3]!.results.code).toBe(out[0]!.results.code);
    }
    await expect(collect([])).resolves.toEqual([]);
    const dated = [];
    for await (const r of translateRecords(
      index,
      [
        { code: '1100', day: '2010-05-01' },
        { code: '1100', day: '31/31/2010' },
        { code: '1100', day: '' },
      ],
      { from: 'riverton-pd', to: 'nibrs', columns: ['code'], asOfField: 'day' },
    ))
      dated.push(r);
    expect(dated.map((r) => [r.results.code?.asOf, r.badDate])).toEqual([
      ['2010-05-01', undefined],
      [undefined, '31/31/2010'],
      [undefined, undefined],
    ]);
    expect(dated[1]!.results).toEqual({});
    await expect(async () => {
      for await (const _ of translateRecords(index, rows, { from: 'riverton-pd', to: 'metro-fire', columns: ['code'] })) void _;
    }).rejects.toThrow(/share several domains|share no domain/);
  });
  it('looks terms up, and exports and imports crosswalks', () => {
    const index = new RegistryIndex(shippedRegistry());
    expect(lookup(index, 'agg aslt', { in: ['nibrs'] }).opened).toMatchObject({ code: '13A' });
    const out = exportCrosswalk(index, { from: 'riverton-pd', to: ['nibrs'], domain: 'offense', format: 'fhir-r4' });
    const back = importCrosswalk(out.text, 'riverton.json', 'fhir-r4');
    expect(back.crosswalk!.mappings.length).toBeGreaterThan(10);
  });
});
