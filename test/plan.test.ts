/**
 * The conversion plan's claim (src/plan/column.ts): a value's answer depends on its code, date
 * class and signature only. Checked as a property against the translator on records drawn from the
 * shipped vocabularies' own values (codes, labels, groups, several values, not recorded, unknown),
 * and the enumeration that the SQL tables are made of checked the same way.
 */

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { ColumnPlan } from '../src/plan/column.js';
import { answerCells } from '../src/plan/cells.js';
import { enumerateColumn } from '../src/plan/enumerate.js';
import { translateRecords } from '../src/convert/records.js';

const index = new RegistryIndex(loadRegistry([new DirSource('vocabularies'), new DirSource('fixtures/real')]));
const FIELDS = ['weapon', 'attempted', 'victim_sex', 'method_of_entry', 'property_description'];
const plan = new ColumnPlan(index, { from: 'nibrs', to: 'srs', domain: 'offense', contextFields: FIELDS, valueSeparator: '|', facts: new Map([['report', ['offense']]]) });

/** The ways a record writes a field's value: every code and label of its vocabulary, and what is not a value. */
function tokens(domain: string): string[] {
  const t = index.table('nibrs-elements', domain)!;
  return [...[...t.terms.values()].flatMap((x) => [x.code, x.label.toUpperCase()]), '', '~', 'NULL', 'zz-unknown'];
}
const codes = [...index.table('nibrs', 'offense')!.terms.values()].map((t) => t.code);
const cell = (domain: string, multi: boolean) => (multi ? fc.array(fc.constantFrom(...tokens(domain)), { minLength: 1, maxLength: 3 }).map((v) => v.join('|')) : fc.constantFrom(...tokens(domain)));
const record = fc.record({
  code: fc.constantFrom(...codes),
  weapon: cell('weapon', true),
  attempted: cell('attempted', false),
  victim_sex: cell('sex', false),
  method_of_entry: cell('method-of-entry', false),
  property_description: cell('property-description', true),
  date: fc.constantFrom(undefined, '2012-06-30', '2013-01-01', '2020-12-31', '2021-01-01', '2024-05-01'),
});

describe('the conversion plan: one answer per class', () => {
  it("a class answer is the record's own answer (nibrs → srs, every condition field, multi-valued facts, dates)", () => {
    fc.assert(
      fc.property(record, (r) => {
        const context = new Map(FIELDS.map((f) => [f, (r as Record<string, string>)[f]!]));
        const decided = plan.decide(r.code, context, r.date);
        if (decided === 'needs-date') throw new Error('no bad date here');
        const own = plan.translate(r.code, context, r.date);
        expect(answerCells(decided.result, 'all')).toEqual(answerCells(own, 'all'));
        expect(answerCells(decided.result, 'first')).toEqual(answerCells(own, 'first'));
      }),
      { numRuns: 3000, seed: 17 },
    );
  });

  it('records that differ only in ways the conditions do not read share a class', () => {
    const p = plan.profile('13A');
    const a = plan.signature(
      p,
      new Map([
        ['weapon', '12'],
        ['attempted', 'C'],
      ]),
      undefined,
    ).sig;
    const b = plan.signature(
      p,
      new Map([
        ['weapon', '11'],
        ['attempted', 'C'],
      ]),
      undefined,
    ).sig;
    const c = plan.signature(
      p,
      new Map([
        ['weapon', '40'],
        ['attempted', 'C'],
      ]),
      undefined,
    ).sig;
    expect(p.atoms.length).toBeGreaterThan(0);
    expect(a).toBe(b); // both firearms: the SRS line reads "firearm"
    expect(a).not.toBe(c); // hands, fists, feet: another line
  });

  it("the enumerated tables hold one decision per class, each the translator's answer for a witness", () => {
    const t = enumerateColumn(plan, { ambiguous: 'all', dating: { kind: 'column' }, contextFields: FIELDS });
    expect(t.decisions.length).toBeGreaterThan(codes.length);
    expect(t.keys.map((k) => k.code).sort()).toEqual([...codes].sort());
    // Patterns of one code and date class never overlap: exactly one decision matches a record.
    const seen = new Set<string>();
    for (const d of t.decisions) {
      const k = `${d.code} ${d.dclass} ${d.lo ?? ''} ${d.pattern}`;
      expect(seen.has(k), k).toBe(false);
      seen.add(k);
    }
    // A weapon of 13A shows up as a field table with its codes' profiles.
    const weapon = t.fields.find((f) => f.field === 'weapon')!;
    expect(weapon.split).toBe(true);
    expect(weapon.tokens.some((x) => x.kind === 'c' && x.form === '12')).toBe(true);
  });

  it('translateRecords reads records as convert does: an empty or NULL fact is "not recorded", a mangled code its code', async () => {
    const recs = [
      { NIBRS: '11A', Attempted: 'C', VictimSex: 'NULL' },
      { NIBRS: '11A', Attempted: 'C', VictimSex: '' },
      { NIBRS: ' 13a ', Attempted: 'C', VictimSex: 'F' },
    ];
    const out = [];
    for await (const x of translateRecords(index, recs, { from: 'nibrs', to: 'srs', columns: ['NIBRS'], context: { attempted: 'Attempted', victim_sex: 'VictimSex' }, facts: { report: 'offense' } })) out.push(x);
    expect(out[0]!.results.NIBRS!.outcome).toBe(out[1]!.results.NIBRS!.outcome);
    expect(out[2]!.results.NIBRS!.source?.code).toBe('13A');
  });
});
