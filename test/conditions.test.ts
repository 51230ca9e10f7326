/**
 * Conditional chains that answer (issue 14): conditions restrict the source, facts flow along the
 * chain, typed facts, precedence, roll-up — on the shipped data and on small in-memory files.
 */

import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource, MemorySource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode, type TranslateOptions } from '../src/translate/translate.js';

const shipped = new RegistryIndex(loadRegistry([new DirSource('vocabularies')]));
const facts = (o: Record<string, string | string[]>) => new Map(Object.entries(o));
const t = (code: string, opts: TranslateOptions, index = shipped) => translateCode(index, code, opts);

describe('agency → NIBRS → SRS through the FBI conditional rules', () => {
  it('1301 (aggravated assault - firearm) with the report and weapon 12 answers 4a through the chain', () => {
    const r = t('1301', { from: 'riverton-pd', to: 'srs', context: facts({ report: 'offense', weapon: '12' }) });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: '4a', relation: 'source-narrower', route: 'chained' });
    expect(r.best!.path.map((s) => s.to.code)).toEqual(['13A', '4a']);
  });
  it('13A with the same facts answers 4a directly', () => {
    const r = t('13A', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', weapon: '12' }) });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: '4a', relation: 'equivalent', route: 'direct', conditionState: 'met' });
  });
  it("1301's own fact (weapon: any firearm) answers 4a with only the report given, the weapon condition settled by the code", () => {
    const r = t('1301', { from: 'riverton-pd', to: 'srs', context: facts({ report: 'offense' }) });
    expect(r.outcome).toBe('mapped');
    expect(r.best!.code).toBe('4a');
    expect(r.best!.implied).toEqual([{ field: 'weapon', op: 'in', values: ['FIREARM'] }]);
    expect(r.best!.conditions).toEqual([{ field: 'report', op: 'in', values: ['offense'] }]);
  });
  it('a code fact that contradicts a branch drops it: armed robbery is never strong-arm (3d)', () => {
    const r = t('1200', { from: 'riverton-pd', to: 'srs', context: facts({ report: 'offense' }) });
    expect(r.outcome).toBe('ambiguous');
    expect(r.candidates.map((c) => c.code).sort()).toEqual(['3a', '3b', '3c']);
    expect(r.excluded.some((e) => e.reason === 'conditions-not-met' && e.candidate.code === '3d')).toBe(true);
  });
  it('without facts the branches are candidates with their conditions', () => {
    const r = t('13A', { from: 'nibrs', to: 'srs' });
    expect(r.outcome).toBe('ambiguous');
    expect(r.candidates.map((c) => c.code)).toEqual(['4a', '4b', '4c', '4d', 'ASR 04']);
    expect(r.candidates[0]!.needs).toEqual(['report', 'weapon']);
  });
  it('the 2400 auto theft code states property 03: 7a with the report only', () => {
    expect(t('2400', { from: 'riverton-pd', to: 'srs', context: facts({ report: 'offense' }) }).best?.code).toBe('7a');
  });
});

describe('roll-up to parent codes', () => {
  it('13A on an offense report with no weapon rolls up to class 4, equivalent (its branches cover every weapon)', () => {
    const r = t('13A', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense' }), rollUp: true });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: '4', relation: 'equivalent' });
    expect(r.rolledUp).toEqual(['4a', '4b', '4c', '4d']);
  });
  it('does not roll up when the report is unknown (ASR 04 is not under class 4)', () => {
    const r = t('13A', { from: 'nibrs', to: 'srs', rollUp: true });
    expect(r.outcome).toBe('ambiguous');
    expect(r.rolledUp).toBeUndefined();
  });
  it('does not roll up when the branches leave values uncovered (240: a completed theft of an aircraft has no line)', () => {
    const r = t('240', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense' }), rollUp: true });
    expect(r.outcome).toBe('ambiguous');
    expect(r.rolledUp).toBeUndefined();
  });
  it('rolls 220 up to class 5 once the record says the entry was forced or not (5a-5c)', () => {
    const r = t('220', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense' }), rollUp: true });
    expect(r.best).toMatchObject({ code: '5', relation: 'equivalent' });
  });
  it('a chained agency code rolls up with a narrower relation (1304 ⊂ 13A, hands → 4d anyway)', () => {
    const r = t('1303', { from: 'riverton-pd', to: 'srs', context: facts({ report: 'offense' }), rollUp: true });
    expect(r.best).toMatchObject({ code: '4c', relation: 'source-narrower' });
  });
});

describe('typed facts', () => {
  it.each([['3'], ['03'], [' 03 ']])('property description %j is code 03', (v) => {
    const r = t('240', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', attempted: 'C', property_description: v }) });
    expect(r.best?.code).toBe('7a');
  });
  it.each([['A'], ['a'], ['attempted'], ['yes']])('attempted %j is A', (v) => {
    expect(t('220', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', attempted: v, method_of_entry: 'F' }) }).best?.code).toBe('5c');
  });
  it.each([['C'], ['completed'], ['no']])('attempted %j is C', (v) => {
    expect(t('220', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', attempted: v, method_of_entry: 'N' }) }).best?.code).toBe('5b');
  });
  it('rejects a value its field does not know, never silently unmet', () => {
    const r = t('13A', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', weapon: 'Q' }) });
    expect(r.outcome).toBe('ambiguous');
    expect(r.badFacts).toEqual([{ field: 'weapon', value: 'Q', message: expect.stringMatching(/unknown value "Q" for weapon/) }]);
  });
  it('several weapons: the most serious decides (knife and handgun → firearm line)', () => {
    const r = t('13A', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', weapon: ['20', '12'] }) });
    expect(r.outcome).toBe('mapped');
    expect(r.best!.code).toBe('4a');
    expect(r.excluded.find((e) => e.reason === 'outranked')?.candidate.code).toBe('4b');
  });
  it('a value separator splits one cell into several values', () => {
    const r = t('120', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', weapon: '40|20' }), valueSeparator: '|' });
    expect(r.best?.code).toBe('3b');
  });
  it('a single-valued field with two values is a bad fact, not a guess', () => {
    const r = t('220', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', attempted: ['A', 'C'] }) });
    expect(r.badFacts?.[0]?.message).toMatch(/single-valued/);
  });
  it('a weapon not recorded meets 13B → 4e (the ~ branch); a missing fact leaves it open', () => {
    expect(t('13B', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense', weapon: '' }) }).outcome).toBe('mapped');
    expect(t('13B', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense' }) }).outcome).toBe('ambiguous');
    expect(t('13C', { from: 'nibrs', to: 'srs', context: facts({ report: 'offense' }) }).best?.code).toBe('4e');
  });
  it('arrestee age: numbers and the age codes (00 unknown leaves it open)', () => {
    const age = (v: string) => t('90B', { from: 'nibrs', to: 'srs', context: facts({ report: 'arrest', arrestee_age: v }) });
    expect(age('17').best?.code).toBe('ASR 28');
    expect(age('18').best?.code).toBe('ASR 25');
    expect(age('99').best?.code).toBe('ASR 25');
    expect(age('00').outcome).toBe('ambiguous');
    expect(age('seventeen').badFacts?.[0]?.message).toMatch(/not a number/);
  });
});

/** An agency with its own weapon codes, translated into NIBRS weapon codes before the conditions read them. */
function agencyWithWeapons(): RegistryIndex {
  const files = new Map(
    Object.entries({
      'county.yaml': `id: county\nname: County\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: "AGG", label: "Aggravated assault" }\n      - { code: "AGGH", label: "Aggravated assault: handgun", facts: { weapon: "12" } }\n  weapon:\n    terms:\n      - { code: "GUN", label: "Gun" }\n      - { code: "BLADE", label: "Blade" }\n      - { code: "THING", label: "Something" }\n`,
      'county--nibrs.yaml': `id: county--nibrs\nfrom: county\nto: nibrs\ndomain: offense\nversion: "1"\nmappings:\n  - { from: AGG, to: 13A, relation: equivalent }\n  - { from: AGGH, to: 13A, relation: source-narrower }\n`,
      'county--nibrs-elements.yaml': `id: county--nibrs-elements\nfrom: county\nto: nibrs-elements\ndomain: weapon\nversion: "1"\nmappings:\n  - { from: GUN, to: FIREARM, relation: source-narrower }\n  - { from: BLADE, to: "20", relation: equivalent }\n  - { from: THING, to: "30", relation: source-broader }\n`,
    }),
  );
  const r = loadRegistry([new DirSource('vocabularies'), new MemorySource('mem', files)]);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new RegistryIndex(r);
}

describe("an agency's own codes for facts", () => {
  const index = agencyWithWeapons();
  it('translates the record value GUN (⊂ any firearm) before the conditions read it', () => {
    const r = t('AGG', { from: 'county', to: 'srs', context: facts({ report: 'offense', weapon: 'GUN' }) }, index);
    expect(r.outcome).toBe('mapped');
    expect(r.best!.code).toBe('4a');
  });
  it('BLADE = 20 gives the knife line', () => {
    expect(t('AGG', { from: 'county', to: 'srs', context: facts({ report: 'offense', weapon: 'BLADE' }) }, index).best?.code).toBe('4b');
  });
  it('a value whose translation does not bound it (THING ⊃ 30) is not understood, said so', () => {
    const r = t('AGG', { from: 'county', to: 'srs', context: facts({ report: 'offense', weapon: 'THING' }) }, index);
    expect(r.outcome).toBe('ambiguous');
    expect(r.badFacts?.[0]?.message).toMatch(/no translation into nibrs-elements that bounds it/);
  });
  it('an agency code declared ⊂ 13A with the code fact weapon 12 answers 4a with no record facts but the report', () => {
    const r = t('AGGH', { from: 'county', to: 'srs', context: facts({ report: 'offense' }) }, index);
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: '4a', relation: 'source-narrower' });
  });
});

describe('route bounds (issue 15, class 9)', () => {
  it('a dense graph stops at the route budget with an honest answer, fast', () => {
    // 5 vocabularies of 30 codes, each code overlapping every code of every other: no chain composes
    // (◇ then ◇ allows no inference), so the search walks 30^3 routes per path of three.
    const ids = ['v0', 'v1', 'v2', 'v3', 'v4'];
    const codes = Array.from({ length: 30 }, (_, i) => `C${i}`);
    const files = new Map<string, string>();
    for (const id of ids) files.set(`${id}.yaml`, `id: ${id}\nname: ${id}\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n${codes.map((c) => `      - { code: "${c}", label: "${c}" }`).join('\n')}\n`);
    for (const a of ids)
      for (const b of ids) {
        if (a >= b || (a === 'v0' && b === 'v4')) continue;
        files.set(`${a}--${b}.yaml`, `id: ${a}--${b}\nfrom: ${a}\nto: ${b}\ndomain: offense\nversion: "1"\nmappings:\n${codes.flatMap((x) => codes.map((y) => `  - { from: "${x}", to: "${y}", relation: overlap }`)).join('\n')}\n`);
      }
    const r = loadRegistry([new MemorySource('dense', files)]);
    const index = new RegistryIndex(r);
    const res = t('C0', { from: 'v0', to: 'v4', maxHops: 4, maxRoutes: 5000 }, index);
    expect(res.truncated).toBe(true);
    expect(res.outcome).not.toBe('mapped');
    // the bound the caller set, not the default (20,000)
    expect(res.message).toMatch(/bound of 5,000 route steps/);
  });
});

describe('mapping products (facts of the target side) along a chain', () => {
  const files = new Map(
    Object.entries({
      'local.yaml': `id: local\nname: Local\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: "AGG-H", label: "Aggravated assault (handgun, per the RMS form)" }\n`,
      'local--nibrs.yaml': `id: local--nibrs\nfrom: local\nto: nibrs\ndomain: offense\nversion: "1"\nfields:\n  weapon: { vocabulary: nibrs-elements, domain: weapon, multi: true }\nmappings:\n  - { from: AGG-H, to: 13A, relation: source-narrower, product: { weapon: "12" } }\n`,
    }),
  );
  const index = new RegistryIndex(loadRegistry([new DirSource('vocabularies'), new MemorySource('mem', files)]));
  it("a mapping's product settles a later condition (→ 4a with the report only) and travels with the answer", () => {
    const r = t('AGG-H', { from: 'local', to: 'srs', facts: facts({ report: 'offense' }) }, index);
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: '4a', relation: 'source-narrower', product: [{ field: 'weapon', values: ['12'] }] });
    expect(r.best!.implied).toContainEqual({ field: 'weapon', op: 'in', values: ['FIREARM'] });
  });
});
