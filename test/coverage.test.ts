import { describe, expect, it } from 'vitest';
import { coverage } from '../src/coverage/coverage.js';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';

const index = new RegistryIndex(loadRegistry([new DirSource('fixtures/vocab')]));

describe('coverage', () => {
  it('counts codes by outcome, route and relation', () => {
    const r = coverage(index, { from: 'alpha-pd', to: 'hub', domain: 'offense' });
    expect(r.codes).toHaveLength(10);
    expect(r.byOutcome).toEqual({ mapped: 5, ambiguous: 2, 'no-mapping': 3, unknown: 0, expired: 0 });
    expect(r.byRoute).toEqual({ direct: { equivalent: 4, 'source-narrower': 1 } });
    expect(r.codes.find((c) => c.code === '0999')).toMatchObject({ outcome: 'no-mapping', reason: expect.stringMatching(/^explicit-no-match/) });
  });
  it('weights codes by the rows of an export: the share of incidents, not of codes', () => {
    // alpha-pd pads codes to 4 digits, so the export's "101" counts for 0101.
    const rows = new Map([
      ['0101', 60],
      ['101', 20],
      ['0200', 10],
      ['0999', 5],
      ['9999', 4],
      ['', 1],
    ]);
    const r = coverage(index, { from: 'alpha-pd', to: 'hub', domain: 'offense' }, rows);
    expect(r.weights!.rows).toBe(100);
    expect(r.weights!.byOutcome).toEqual({ mapped: 80, ambiguous: 10, 'no-mapping': 5, unknown: 5, expired: 0 });
    expect(r.weights!.unknownValues).toEqual([
      { value: '9999', rows: 4 },
      { value: '', rows: 1 },
    ]);
    expect(r.codes.find((c) => c.code === '0101')!.rows).toBe(80);
  });
  it('as of a date, a retired code counts as expired', () => {
    const r = coverage(index, { from: 'alpha-pd', to: 'hub', domain: 'offense', asOf: '2022-01-01' });
    expect(r.byOutcome.expired).toBe(1);
  });
});
