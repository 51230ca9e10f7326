/**
 * Start-up does not grow with the number of vocabularies shipped: the compiled shipped registry
 * materializes a vocabulary's terms and a crosswalk's mappings only when a command reads them.
 */

import { describe, expect, it } from 'vitest';
import { materialized } from '../src/load/compiled.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode } from '../src/translate/translate.js';
import { validateRegistry } from '../src/validate/index.js';

describe('lazy shipped vocabularies', () => {
  it('translate materializes only what its route reads', () => {
    const registry = shippedRegistry();
    expect(registry.vocabularies.size).toBe(15);
    expect(materialized).toEqual({ vocabularies: 0, crosswalks: 0 });
    const r = translateCode(new RegistryIndex(registry), '90B', { from: 'nibrs', to: 'srs', context: new Map([['report', 'arrest'], ['arrestee_age', '17']]) });
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
