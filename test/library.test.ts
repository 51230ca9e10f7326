/**
 * The library API as a user imports it: `from 'xwalk'` resolves through package.json `exports`
 * to the built ESM bundle and its type declarations (built by `npm run build`).
 */

import { describe, expect, it } from 'vitest';
import { loadRegistry, MemorySource, openRegistry, RegistryIndex, translateCode, validateRegistry, type TranslationResult } from 'xwalk';

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
});
