import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource, MemorySource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode, type TranslateOptions } from '../src/translate/translate.js';
import { XwalkError } from '../src/errors/errors.js';

const fixtures = loadRegistry([new DirSource('fixtures/vocab')]);
const index = new RegistryIndex(fixtures);
const t = (code: string, opts: TranslateOptions) => translateCode(index, code, opts);
const ctx = (o: Record<string, string>) => new Map(Object.entries(o));

/** A registry from in-memory YAML files, for scenarios the fixtures do not hold. */
function memory(files: Record<string, string>): RegistryIndex {
  const r = loadRegistry([new MemorySource('mem', new Map(Object.entries(files)))]);
  expect(r.diagnostics).toEqual([]);
  return new RegistryIndex(r);
}

const vocab = (id: string, codes: string[], extra = '') => `id: ${id}\nname: ${id}\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n${codes.map((c) => `      - { code: "${c}", label: "label ${c}"${extra} }`).join('\n')}\n`;
const crosswalk = (from: string, to: string, rows: string[]) => `id: ${from}--${to}\nfrom: ${from}\nto: ${to}\ndomain: offense\nversion: "1"\nmappings:\n${rows.map((r) => `  - ${r}`).join('\n')}\n`;

describe('fixtures load cleanly', () => {
  it('has no diagnostics', () => expect(fixtures.diagnostics).toEqual([]));
});

describe('direct', () => {
  it('maps an equivalent code', () => {
    const r = t('0101', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: 'H1', relation: 'equivalent', route: 'direct', reviewed: true, confidence: 1 });
    expect(r.best!.path).toEqual([{ crosswalk: 'alpha-pd--hub', from: { vocabulary: 'alpha-pd', code: '0101' }, to: { vocabulary: 'hub', code: 'H1' }, relation: 'equivalent', inverted: false }]);
  });
  it('finds a code written without its leading zero (normalize pad: 4)', () => {
    const r = t('101', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('mapped');
    expect(r.source!.code).toBe('0101');
  });
  it('keeps the confidence the crosswalk states (CSV mapping list)', () => {
    expect(t('ASLT-2', { from: 'beta-so', to: 'hub' }).best!.confidence).toBe(0.9);
  });
  it('reads SKOS names in a CSV mapping list as the canonical relation', () => {
    expect(t('SHOP', { from: 'beta-so', to: 'hub' }).best!.relation).toBe('equivalent');
  });
});

describe('inverse', () => {
  it('reads a crosswalk backwards, inverts the relation and marks it unreviewed', () => {
    const r = t('G-SHOP', { from: 'gamma-pd', to: 'hub' });
    expect(r.outcome).toBe('mapped');
    // hub H3 → gamma G-SHOP is `wider` (FHIR R4: target wider = source-narrower), so back it is source-broader.
    expect(r.best).toMatchObject({ code: 'H3', relation: 'source-broader', route: 'inverse', reviewed: false, confidence: 0.9 });
    expect(r.best!.path[0]!.inverted).toBe(true);
    expect(r.best!.notes.join()).toMatch(/never reviewed/);
  });
  it('returns every hit of a reverse look-up, not one', () => {
    const r = t('G-ASSAULT', { from: 'gamma-pd', to: 'hub' });
    expect(r.outcome).toBe('ambiguous');
    expect(r.candidates.map((c) => c.code).sort()).toEqual(['H1', 'H2']);
    for (const c of r.candidates) expect(c.relation).toBe('source-broader');
  });
  it('does not invert a no-match into anything', () => {
    // alpha-pd--hub says 0999 no-match; reading hub → alpha-pd must not produce 0999.
    const r = t('H1', { from: 'hub', to: 'alpha-pd' });
    expect(r.candidates.map((c) => c.code)).not.toContain('0999');
  });
});

describe('chained through the hub', () => {
  it('composes relations and prefers the single equivalent', () => {
    const r = t('0101', { from: 'alpha-pd', to: 'beta-so', domain: 'offense' });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: 'ASLT-1', relation: 'equivalent', route: 'chained', reviewed: false });
    expect(r.best!.path.map((s) => s.to.code)).toEqual(['H1', 'ASLT-1']);
    // the weaker candidate is still reported
    expect(r.candidates.map((c) => `${c.code}:${c.relation}`)).toContain('ASLT-X:source-broader');
  });
  it('confidence falls with every hop and every inverted step', () => {
    const r = t('0101', { from: 'alpha-pd', to: 'beta-so', domain: 'offense' });
    expect(r.best!.confidence).toBeCloseTo(0.81, 5);
    expect(r.best!.confidence).toBeLessThan(t('0101', { from: 'alpha-pd', to: 'hub' }).best!.confidence);
  });
  it('stops a chain the composition table forbids (⊂ then ⊃)', () => {
    const r = t('0500', { from: 'alpha-pd', to: 'beta-so', domain: 'offense' });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: 'ASLT-1', relation: 'source-narrower' });
    expect(r.candidates.map((c) => c.code)).not.toContain('ASLT-X');
    expect(r.forbidden.some((f) => f.path.at(-1)!.to.code === 'ASLT-X')).toBe(true);
  });
  it('reports "forbidden-inference" when the table stops every route, never `related`', () => {
    const i = memory({
      'a.yaml': vocab('a', ['1']),
      'm.yaml': vocab('m', ['X']),
      'b.yaml': vocab('b', ['Y']),
      'am.yaml': crosswalk('a', 'm', ['{ from: "1", to: X, relation: overlap }']),
      'mb.yaml': crosswalk('m', 'b', ['{ from: X, to: Y, relation: overlap }']),
    });
    const r = translateCode(i, '1', { from: 'a', to: 'b' });
    expect(r.outcome).toBe('no-mapping');
    expect(r.reason).toBe('forbidden-inference');
    expect(r.candidates).toEqual([]);
  });
  it('respects --max-hops', () => {
    const r = t('0101', { from: 'alpha-pd', to: 'beta-so', domain: 'offense', maxHops: 1 });
    expect(r.outcome).toBe('no-mapping');
    expect(r.reason).toBe('no-path');
  });
  it('never visits a vocabulary twice on one path, and takes the shortest route', () => {
    // a→m→b exists in 2 hops; a→m→a→b would revisit a; a→n→m→b is longer.
    const i = memory({
      'a.yaml': vocab('a', ['1']),
      'm.yaml': vocab('m', ['X']),
      'n.yaml': vocab('n', ['N']),
      'b.yaml': vocab('b', ['Y', 'Z']),
      'am.yaml': crosswalk('a', 'm', ['{ from: "1", to: X, relation: equivalent }']),
      'an.yaml': crosswalk('a', 'n', ['{ from: "1", to: N, relation: equivalent }']),
      'nm.yaml': crosswalk('n', 'm', ['{ from: N, to: X, relation: equivalent }']),
      'mb.yaml': crosswalk('m', 'b', ['{ from: X, to: Y, relation: equivalent }']),
      'ma.yaml': crosswalk('m', 'a', ['{ from: X, to: "1", relation: equivalent }']),
    });
    const r = translateCode(i, '1', { from: 'a', to: 'b' });
    expect(r.outcome).toBe('mapped');
    expect(r.best!.path.map((s) => s.to.vocabulary)).toEqual(['m', 'b']);
    for (const c of r.candidates) {
      const vs = [c.path[0]!.from.vocabulary, ...c.path.map((s) => s.to.vocabulary)];
      expect(new Set(vs).size).toBe(vs.length);
    }
  });
  it('does not loop on a cycle of crosswalks', () => {
    const i = memory({
      'a.yaml': vocab('a', ['1']),
      'b.yaml': vocab('b', ['2']),
      'c.yaml': vocab('c', ['3']),
      'd.yaml': vocab('d', ['4']),
      'ab.yaml': crosswalk('a', 'b', ['{ from: "1", to: "2", relation: equivalent }']),
      'bc.yaml': crosswalk('b', 'c', ['{ from: "2", to: "3", relation: equivalent }']),
      'ca.yaml': crosswalk('c', 'a', ['{ from: "3", to: "1", relation: equivalent }']),
    });
    const r = translateCode(i, '1', { from: 'a', to: 'd', maxHops: 6 });
    expect(r.outcome).toBe('no-mapping');
    expect(r.reason).toBe('no-path');
  });
});

describe('a direct mapping always wins', () => {
  it('uses the direct crosswalk even though the hub route exists', () => {
    const r = t('10-97', { from: 'alpha-pd', to: 'beta-so' });
    expect(r.best).toMatchObject({ code: '10-23', route: 'direct' });
  });
  it('an explicit no-match in the direct crosswalk is not chained around', () => {
    // via the hub, alpha 10-8 (AVAILABLE) would reach beta 10-41 (⊃); the direct crosswalk says no.
    const r = t('10-8', { from: 'alpha-pd', to: 'beta-so' });
    expect(r.outcome).toBe('no-mapping');
    expect(r.reason).toBe('explicit-no-match');
  });
  it('falls back to the chain for a code the direct crosswalk does not mention', () => {
    const r = t('10-7', { from: 'alpha-pd', to: 'beta-so' });
    expect(r.best).toMatchObject({ code: '10-8', route: 'chained' });
  });
  it('ten-code meanings differ by agency: alpha 10-8 (in service) is not beta 10-8 (out of service)', () => {
    expect(t('10-7', { from: 'alpha-pd', to: 'beta-so' }).best!.code).toBe('10-8');
  });
});

describe('conditions', () => {
  it('is ambiguous without the record facts, and says which facts decide', () => {
    const r = t('0200', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('ambiguous');
    expect(r.candidates.map((c) => c.code).sort()).toEqual(['H3', 'H4', 'H5']);
    expect(r.message).toMatch(/property/);
    expect(r.message).toMatch(/location/);
  });
  it('is decided by the context', () => {
    expect(t('0200', { from: 'alpha-pd', to: 'hub', context: ctx({ property: 'Shoplifting' }) }).best).toMatchObject({ code: 'H3', conditionState: 'met' });
    expect(t('0200', { from: 'alpha-pd', to: 'hub', context: ctx({ location: 'building', property: 'tools' }) }).best!.code).toBe('H4');
    const other = t('0200', { from: 'alpha-pd', to: 'hub', context: ctx({ location: 'street', property: 'bicycle' }) });
    expect(other.outcome).toBe('mapped');
    expect(other.best!.code).toBe('H5');
    expect(
      other.excluded
        .filter((e) => e.reason === 'conditions-not-met')
        .map((e) => e.candidate.code)
        .sort(),
    ).toEqual(['H3', 'H4']);
  });
  it('numeric conditions compare numbers (90B-style age split)', () => {
    const i = memory({
      'n.yaml': vocab('n', ['90B']),
      's.yaml': vocab('s', ['VAG', 'CURFEW']),
      'ns.yaml': crosswalk('n', 's', ['{ from: 90B, to: VAG, relation: source-broader, when: { arrestee_age: { ge: 18 } } }', '{ from: 90B, to: CURFEW, relation: source-broader, when: "arrestee_age<18" }']),
    });
    expect(translateCode(i, '90B', { from: 'n', to: 's', context: ctx({ arrestee_age: '17' }) }).best!.code).toBe('CURFEW');
    expect(translateCode(i, '90B', { from: 'n', to: 's', context: ctx({ arrestee_age: '18' }) }).best!.code).toBe('VAG');
    const bad = translateCode(i, '90B', { from: 'n', to: 's', context: ctx({ arrestee_age: 'unknown' }) });
    expect(bad.outcome).toBe('no-mapping');
    expect(bad.reason).toBe('conditions-not-met');
    expect(translateCode(i, '90B', { from: 'n', to: 's' }).outcome).toBe('ambiguous');
  });
});

describe('ambiguous with no condition to decide', () => {
  it('lists every candidate', () => {
    const r = t('0300', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('ambiguous');
    expect(r.candidates.map((c) => `${c.code}:${c.relation}`).sort()).toEqual(['H4:overlap', 'H5:overlap']);
    expect(r.message).toMatch(/no condition decides/);
  });
});

describe('validity dates', () => {
  it('an expired source code is expired at --as-of, with its replacement', () => {
    const r = t('0400', { from: 'alpha-pd', to: 'hub', asOf: '2022-01-01' });
    expect(r.outcome).toBe('expired');
    expect(r.message).toMatch(/replaced by 0401/);
    expect(r.source).toMatchObject({ validTo: '2020-01-01', replacedBy: '0401' });
  });
  it('is valid on a date inside its interval', () => {
    expect(t('0400', { from: 'alpha-pd', to: 'hub', asOf: '2019-12-31' }).best!.code).toBe('H6');
  });
  it('valid_to is exclusive: the first day no longer valid', () => {
    expect(t('0400', { from: 'alpha-pd', to: 'hub', asOf: '2020-01-01' }).outcome).toBe('expired');
    expect(t('0401', { from: 'alpha-pd', to: 'hub', asOf: '2019-12-31' }).outcome).toBe('expired');
  });
  it('without --as-of, validity is reported, not enforced', () => {
    const r = t('0400', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('mapped');
    expect(r.source!.validTo).toBe('2020-01-01');
  });
  it('a target not valid on the date is not used', () => {
    const r = t('VAGR', { from: 'beta-so', to: 'hub', asOf: '2022-06-01' });
    expect(r.outcome).toBe('expired'); // VAGR itself ended 2021-01-01
    const i = memory({
      'a.yaml': vocab('a', ['1']),
      'b.yaml': `id: b\nname: b\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: OLD, label: old, valid_to: 2021-01-01 }\n`,
      'ab.yaml': crosswalk('a', 'b', ['{ from: "1", to: OLD, relation: equivalent }']),
    });
    const late = translateCode(i, '1', { from: 'a', to: 'b', asOf: '2022-01-01' });
    expect(late.outcome).toBe('no-mapping');
    expect(late.reason).toBe('target-not-valid');
    expect(translateCode(i, '1', { from: 'a', to: 'b', asOf: '2020-01-01' }).outcome).toBe('mapped');
  });
  it('a mapping valid only for a period applies only then', () => {
    const i = memory({
      'a.yaml': vocab('a', ['1']),
      'b.yaml': vocab('b', ['X', 'Y']),
      'ab.yaml': crosswalk('a', 'b', ['{ from: "1", to: X, relation: equivalent, valid_to: 2013-01-01 }', '{ from: "1", to: Y, relation: equivalent, valid_from: 2013-01-01 }']),
    });
    expect(translateCode(i, '1', { from: 'a', to: 'b', asOf: '2012-06-01' }).best!.code).toBe('X');
    expect(translateCode(i, '1', { from: 'a', to: 'b', asOf: '2016-05-01' }).best!.code).toBe('Y');
  });
});

describe('no mapping, with the reason', () => {
  it('explicit no-match', () => {
    const r = t('0999', { from: 'alpha-pd', to: 'hub' });
    expect(r).toMatchObject({ outcome: 'no-mapping', reason: 'explicit-no-match' });
  });
  it('NA is a code like any other', () => {
    const r = t('NA', { from: 'alpha-pd', to: 'hub' });
    expect(r.source!.code).toBe('NA');
    expect(r.reason).toBe('explicit-no-match');
  });
  it('a negative assertion is never used as a mapping', () => {
    const r = t('0600', { from: 'alpha-pd', to: 'hub' });
    expect(r).toMatchObject({ outcome: 'no-mapping', reason: 'only-negative' });
    expect(r.candidates).toEqual([]);
    expect(r.excluded.map((e) => [e.candidate.code, e.reason])).toEqual([['H1', 'negative']]);
  });
  it('proposed mappings are never used', () => {
    const i = memory({
      'a.yaml': vocab('a', ['1']),
      'b.yaml': vocab('b', ['X']),
      'ab.yaml': crosswalk('a', 'b', ['{ from: "1", to: X, relation: equivalent, status: proposed, method: label-similarity }']),
    });
    expect(translateCode(i, '1', { from: 'a', to: 'b' }).outcome).toBe('no-mapping');
  });
});

describe('unknown codes', () => {
  it('suggests near codes', () => {
    const r = t('0110', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('unknown');
    expect(r.suggestions.map((s) => s.code)).toContain('0101');
  });
  it('suggests a code whose label was typed', () => {
    const r = t('simple assault', { from: 'alpha-pd', to: 'hub' });
    expect(r.outcome).toBe('unknown');
    expect(r.suggestions[0]!.code).toBe('0102');
  });
});

describe('unit designators', () => {
  it('parses with the source template, maps the kind, writes with the target template', () => {
    const r = t('E07', { from: 'alpha-pd', to: 'beta-so', domain: 'unit' });
    expect(r.outcome).toBe('mapped');
    expect(r.best).toMatchObject({ code: 'ENG', designator: 'Engine 7' });
    expect(r.source).toMatchObject({ code: 'E', number: 7 });
  });
  it('bare numbers in a range are a kind (medic 91-94)', () => {
    expect(t('92', { from: 'alpha-pd', to: 'beta-so', domain: 'unit' }).best!.designator).toBe('Medic 92');
    expect(t('95', { from: 'alpha-pd', to: 'beta-so', domain: 'unit' }).outcome).toBe('unknown');
  });
  it('pads on output and accepts the other templates on input', () => {
    expect(t('ENG7', { from: 'beta-so', to: 'alpha-pd', domain: 'unit' }).best!.designator).toBe('E07');
    expect(t('engine 12', { from: 'beta-so', to: 'alpha-pd', domain: 'unit' }).best!.designator).toBe('E12');
    expect(t('Ladder 3', { from: 'beta-so', to: 'alpha-pd', domain: 'unit' }).best!.designator).toBe('T03');
  });
  it('a designator that fits no template is unknown and names the templates', () => {
    const r = t('X9', { from: 'alpha-pd', to: 'beta-so', domain: 'unit' });
    expect(r.outcome).toBe('unknown');
    expect(r.message).toMatch(/E\{n:2\}/);
  });
  it('to the hub the number is dropped, and that is said', () => {
    const r = t('E07', { from: 'alpha-pd', to: 'hub', domain: 'unit' });
    expect(r.best!.code).toBe('ENGINE');
    expect(r.best!.designator).toBeUndefined();
    expect(r.best!.notes.join()).toMatch(/no designator template/);
  });
});

describe('requests that cannot be answered', () => {
  it('unknown vocabulary, with did-you-mean', () => {
    expect(() => t('1', { from: 'alpha', to: 'hub' })).toThrow(XwalkError);
    try {
      t('1', { from: 'alpha-p', to: 'hub' });
    } catch (e) {
      expect((e as XwalkError).hint).toMatch(/alpha-pd/);
      expect((e as XwalkError).exitCode).toBe(2);
    }
  });
  it('several shared domains and a code found in more than one: asks for --domain', () => {
    const two = (id: string) => `id: ${id}\nname: ${id}\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms: [{ code: "10", label: ten }]\n  status:\n    terms: [{ code: "10", label: ten }]\n`;
    const i = memory({ 'a.yaml': two('a'), 'b.yaml': two('b') });
    expect(() => translateCode(i, '10', { from: 'a', to: 'b' })).toThrow(/--domain/);
    expect(translateCode(i, '10', { from: 'a', to: 'b', domain: 'status' }).domain).toBe('status');
  });
  it('a code in none of the shared domains is an unknown code, not an error', () => {
    const r = t('ZZZ', { from: 'alpha-pd', to: 'beta-so' });
    expect(r.outcome).toBe('unknown');
  });
  it('infers the domain from the code when only one domain holds it', () => {
    expect(t('10-97', { from: 'alpha-pd', to: 'beta-so' }).domain).toBe('status');
    expect(t('E07', { from: 'alpha-pd', to: 'beta-so' }).domain).toBe('unit');
  });
  it('a domain one side lacks', () => {
    expect(() => t('G-AGG', { from: 'gamma-pd', to: 'hub', domain: 'unit' })).toThrow(/no domain "unit"/);
  });
});
