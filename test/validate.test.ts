import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/errors/errors.js';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import { RULES, validateRegistry } from '../src/validate/index.js';
import { at, check, crosswalkYaml, termsYaml } from './helpers/memory.js';

const A = termsYaml(
  'a',
  'offense',
  ['{ code: "0101", label: Assault }', '{ code: "0102", label: Simple assault }', '{ code: "0200", label: Theft }', '{ code: "0300", label: Vagrancy, valid_to: 2020-01-01, replaced_by: "0301" }', '{ code: "0301", label: Loitering, valid_from: 2020-01-01 }'],
  '    normalize: { pad: 4 }\n',
);
const B = termsYaml('b', 'offense', ['{ code: 13A, label: Aggravated Assault }', '{ code: 13B, label: Simple Assault }', '{ code: 23H, label: All Other Larceny }', '{ code: 90I, label: Runaway, valid_to: 2011-01-01 }', '{ code: 90Z, label: All Other Offenses }']);

/** Validate vocabularies a and b plus one crosswalk a→b (file x.yaml) with these mappings. */
function withMappings(...mappings: string[]) {
  const x = crosswalkYaml('a--b', 'a', 'b', 'offense', mappings);
  return { x, ...check({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': x }) };
}

function all(r: { errors: Diagnostic[]; warnings: Diagnostic[] }): Diagnostic[] {
  return [...r.errors, ...r.warnings];
}

/** Exactly one diagnostic in the whole report, with this rule and severity; returns it. */
function one(r: { errors: Diagnostic[]; warnings: Diagnostic[] }, rule: string, severity: 'error' | 'warning'): Diagnostic {
  const ds = all(r);
  expect(ds.map((d) => `${d.severity} ${d.rule}`)).toEqual([`${severity} ${rule}`]);
  return ds[0]!;
}

function clean(r: { errors: Diagnostic[]; warnings: Diagnostic[] }): void {
  expect(all(r)).toEqual([]);
}

/** Location of the n-th mapping (0-based) of a crosswalkYaml file: its `{`. */
const mappingAt = (n: number) => ({ file: 'x.yaml', line: 7 + n, col: 5 });

describe('the fixtures', () => {
  it('fixtures/vocab loads and validates with no errors and no warnings', () => {
    const registry = loadRegistry([new DirSource('fixtures/vocab')]);
    expect(registry.vocabularies.size).toBeGreaterThanOrEqual(4);
    expect(registry.crosswalks.size).toBeGreaterThanOrEqual(5);
    const report = validateRegistry(registry);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('the base test vocabularies are clean', () => {
    clean(withMappings('{ from: "0101", to: 13A, relation: equivalent }'));
  });

  it('every rule has a name and a description', () => {
    for (const r of RULES) {
      expect(r.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.description.length).toBeGreaterThan(10);
    }
  });
});

describe('unknown-vocabulary and unknown-domain', () => {
  it('reports a crosswalk to a vocabulary that is not loaded, with a did-you-mean', () => {
    const x = crosswalkYaml('a--bb', 'a', 'bb', 'offense', ['{ from: "0101", to: 13A, relation: equivalent }']);
    const d = one(check({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': x }), 'unknown-vocabulary', 'error');
    expect(d.loc).toEqual({ file: 'x.yaml', line: 1, col: 1 });
    expect(d.message).toContain('`to: bb` is not a loaded vocabulary');
    expect(d.hint).toBe('did you mean b?');
  });

  it('reports a domain the vocabulary lacks, listing its domains', () => {
    const x = crosswalkYaml('a--b', 'a', 'b', 'status', ['{ from: "10-8", to: AV, relation: equivalent }']);
    const r = check({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': x });
    expect(all(r).map((d) => d.rule)).toEqual(['unknown-domain', 'unknown-domain']);
    expect(r.errors[0]!.loc).toEqual({ file: 'x.yaml', line: 1, col: 1 });
    expect(r.errors[0]!.message).toContain('vocabulary a has no domain "status"');
    expect(r.errors[0]!.hint).toBe('its domains: offense');
  });
});

describe('duplicate-crosswalk and inverse-disagrees', () => {
  const y = (id: string, from: string, to: string, ...m: string[]) => crosswalkYaml(id, from, to, 'offense', m);

  it('reports two crosswalks for the same direction', () => {
    const r = check({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': y('a--b', 'a', 'b', '{ from: "0101", to: 13A, relation: equivalent }'), 'z.yaml': y('a--b-2', 'a', 'b', '{ from: "0102", to: 13B, relation: equivalent }') });
    const d = one(r, 'duplicate-crosswalk', 'error');
    expect(d.loc).toEqual({ file: 'z.yaml', line: 1, col: 1 });
    expect(d.message).toContain('a--b (x.yaml) and a--b-2 both map a to b');
  });

  it('does not report a→b and b→a, or a→b in two domains, as duplicates', () => {
    const a2 = A.replace('domains:\n', 'domains:\n  status:\n    terms: [{ code: "10-8", label: In service }]\n');
    const b2 = B.replace('domains:\n', 'domains:\n  status:\n    terms: [{ code: AV, label: Available }]\n');
    clean(
      check({
        'a.yaml': a2,
        'b.yaml': b2,
        'x.yaml': y('a--b', 'a', 'b', '{ from: "0101", to: 13A, relation: source-narrower }'),
        'w.yaml': y('b--a', 'b', 'a', '{ from: 13A, to: "101", relation: source-broader }'),
        's.yaml': crosswalkYaml('a--b--status', 'a', 'b', 'status', ['{ from: "10-8", to: AV, relation: equivalent }']),
      }),
    );
  });

  it('reports b→a that is not the inverse of a→b, at the b→a mapping', () => {
    const w = y('b--a', 'b', 'a', '{ from: 13B, to: "0102", relation: equivalent }', '{ from: 13A, to: "101", relation: source-narrower }');
    const r = check({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': y('a--b', 'a', 'b', '{ from: "0101", to: 13A, relation: source-narrower }'), 'w.yaml': w });
    const d = one(r, 'inverse-disagrees', 'warning');
    expect(d.loc).toEqual({ file: 'w.yaml', line: 8, col: 5 });
    expect(d.message).toContain('13A → 101 is source-narrower, so 101 → 13A would be source-broader; crosswalk a--b says source-narrower');
  });

  it('does not compare conditional mappings across directions', () => {
    const r = check({
      'a.yaml': A,
      'b.yaml': B,
      'x.yaml': y('a--b', 'a', 'b', '{ from: "0101", to: 13A, relation: source-narrower }'),
      'w.yaml': y('b--a', 'b', 'a', '{ from: 13A, to: "0101", relation: source-narrower, when: { weapon: gun } }'),
    });
    clean(r);
  });
});

describe('unknown-source-code and unknown-target-code', () => {
  it('reports a source code that is not in the source vocabulary, with a did-you-mean', () => {
    const r = withMappings('{ from: "0103", to: 13A, relation: equivalent }');
    const d = one(r, 'unknown-source-code', 'error');
    expect(d.loc).toEqual(mappingAt(0));
    expect(d.message).toContain('"0103" is not a code of a (offense)');
    expect(d.hint).toMatch(/did you mean 010[12]/);
  });

  it.each(['23U', '99Z'])('reports the pseudo-code %s as a target', (code) => {
    const r = withMappings(`{ from: "0200", to: ${code}, relation: source-narrower }`);
    const d = one(r, 'unknown-target-code', 'error');
    expect(d.loc).toEqual(mappingAt(0));
    expect(d.message).toContain(`"${code}" is not a code of b (offense)`);
  });

  it('finds codes through the vocabulary normalization (pad 4, case)', () => {
    clean(withMappings('{ from: 101, to: 13a, relation: equivalent }', '{ from: "0102", to: " 13B ", relation: equivalent }'));
  });

  it('checks the source code of a no-match too', () => {
    const d = one(withMappings('{ from: "9999", relation: no-match }'), 'unknown-source-code', 'error');
    expect(d.loc).toEqual(mappingAt(0));
  });
});

describe('duplicate-mapping, conflicting-relations, mixed-assertion, equivalent-fanout', () => {
  it('warns about a pair stated twice, even when written differently', () => {
    const r = withMappings('{ from: "0101", to: 13A, relation: equivalent }', '{ from: 101, to: 13a, relation: skos:exactMatch }');
    const d = one(r, 'duplicate-mapping', 'warning');
    expect(d.loc).toEqual(mappingAt(1));
    expect(d.message).toContain('stated twice (also line 7)');
  });

  it('reports equivalent and source-narrower on one pair', () => {
    const r = withMappings('{ from: "0101", to: 13A, relation: equivalent }', '{ from: "0101", to: 13A, relation: source-narrower }');
    const d = one(r, 'conflicting-relations', 'error');
    expect(d.loc).toEqual(mappingAt(1));
    expect(d.message).toContain('is both equivalent (line 7) and source-narrower');
  });

  it('does not report two relations on one pair under different conditions', () => {
    clean(withMappings('{ from: "0200", to: 23H, relation: source-broader, when: { property: shoplifting } }', '{ from: "0200", to: 23H, relation: equivalent, when: { property: other } }'));
  });

  it('does not report two relations on one pair with validity periods that do not overlap', () => {
    clean(withMappings('{ from: "0101", to: 13A, relation: source-narrower, valid_to: 2013-01-01 }', '{ from: "0101", to: 13A, relation: equivalent, valid_from: 2013-01-01 }'));
  });

  it('reports two relations on one pair whose validity periods overlap', () => {
    const r = withMappings('{ from: "0101", to: 13A, relation: equivalent }', '{ from: "0101", to: 13A, relation: source-narrower, valid_from: 2013-01-01 }');
    expect(one(r, 'conflicting-relations', 'error').loc).toEqual(mappingAt(1));
  });

  it('treats the same conditions written in another order as the same conditions', () => {
    const r = withMappings('{ from: "0200", to: 23H, relation: equivalent, when: { a: x, b: [p, q] } }', '{ from: "0200", to: 23H, relation: overlap, when: { b: [q, p], a: x } }');
    expect(one(r, 'conflicting-relations', 'error').loc).toEqual(mappingAt(1));
  });

  it('reports disjoint beside a positive relation on one pair', () => {
    const r = withMappings('{ from: "0101", to: 13A, relation: source-narrower }', '{ from: "0101", to: 13A, relation: disjoint }');
    const d = one(r, 'mixed-assertion', 'error');
    expect(d.loc).toEqual(mappingAt(1));
    expect(d.message).toContain('is both source-narrower (line 7) and disjoint');
  });

  it('does not report disjoint on one pair beside a positive relation on another', () => {
    clean(withMappings('{ from: "0101", to: 13A, relation: equivalent }', '{ from: "0101", to: 13B, relation: disjoint }'));
  });

  it('reports a no-match beside a mapping of the same code, at the no-match', () => {
    const r = withMappings('{ from: "0200", to: 23H, relation: source-narrower }', '{ from: "0200", relation: no-match }');
    const d = one(r, 'mixed-assertion', 'error');
    expect(d.loc).toEqual(mappingAt(1));
    expect(d.message).toContain('"0200" is declared no-match but also maps to "23H" (line 7)');
  });

  it('does not report a no-match that ends before the mapping starts', () => {
    clean(withMappings('{ from: "0200", relation: no-match, valid_to: 2010-01-01 }', '{ from: "0200", to: 23H, relation: source-narrower, valid_from: 2010-01-01 }'));
  });

  it('does not report a no-match beside a disjoint', () => {
    clean(withMappings('{ from: "0200", relation: no-match }', '{ from: "0200", to: 13A, relation: disjoint }'));
  });

  it('warns about one code equivalent to two codes', () => {
    const r = withMappings('{ from: "0101", to: 13A, relation: equivalent }', '{ from: "0101", to: 13B, relation: equivalent }');
    const d = one(r, 'equivalent-fanout', 'warning');
    expect(d.loc).toEqual(mappingAt(0));
    expect(d.message).toContain('"0101" is equivalent to 2 different codes (13A, 13B)');
  });

  it('does not warn about equivalents under different conditions or in different periods', () => {
    clean(withMappings('{ from: "0101", to: 13A, relation: equivalent, when: { weapon: gun } }', '{ from: "0101", to: 13B, relation: equivalent, when: { weapon: none } }'));
    clean(withMappings('{ from: "0101", to: 13B, relation: equivalent, valid_to: 2013-01-01 }', '{ from: "0101", to: 13A, relation: equivalent, valid_from: 2013-01-01 }'));
  });

  it('ignores proposed mappings in these checks (they are reported as proposed)', () => {
    const r = withMappings('{ from: "0101", to: 13A, relation: equivalent }', '{ from: "0101", to: 13A, relation: disjoint, status: proposed }');
    one(r, 'proposed-mapping', 'warning');
  });
});

describe('expired-target', () => {
  it('warns about a mapping that outlives its target', () => {
    const r = withMappings('{ from: "0200", to: 90I, relation: related }');
    const d = one(r, 'expired-target', 'warning');
    expect(d.loc).toEqual(mappingAt(0));
    expect(d.message).toContain('maps to 90I, which is valid only until 2011-01-01');
    expect(d.hint).toContain('add valid_to: 2011-01-01');
  });

  it('warns when the mapping ends after the target does', () => {
    expect(one(withMappings('{ from: "0200", to: 90I, relation: related, valid_to: 2012-01-01 }'), 'expired-target', 'warning').loc).toEqual(mappingAt(0));
  });

  it('is quiet when the mapping ends when the target does, or earlier', () => {
    clean(withMappings('{ from: "0200", to: 90I, relation: related, valid_to: 2011-01-01 }', '{ from: "0101", to: 90I, relation: disjoint, valid_to: 2005-01-01 }'));
  });

  it('is quiet when the source code is retired no later than the target (fixtures: beta VAGR → hub H6)', () => {
    const a = A.replace('{ code: "0200", label: Theft }', '{ code: "0200", label: Theft, valid_to: 2010-01-01 }');
    const x = crosswalkYaml('a--b', 'a', 'b', 'offense', ['{ from: "0200", to: 90I, relation: related }']);
    clean(check({ 'a.yaml': a, 'b.yaml': B, 'x.yaml': x }));
  });

  it('warns when the source code outlives the target', () => {
    const a = A.replace('{ code: "0200", label: Theft }', '{ code: "0200", label: Theft, valid_to: 2015-01-01 }');
    const x = crosswalkYaml('a--b', 'a', 'b', 'offense', ['{ from: "0200", to: 90I, relation: related }']);
    one(check({ 'a.yaml': a, 'b.yaml': B, 'x.yaml': x }), 'expired-target', 'warning');
  });

  it('names the replacement in its hint', () => {
    const x = crosswalkYaml('b--a', 'b', 'a', 'offense', ['{ from: 90Z, to: "0300", relation: source-broader }']);
    const r = check({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': x });
    expect(one(r, 'expired-target', 'warning').hint).toContain('map to 0301 from then on');
  });
});

describe('replaced-by', () => {
  it('reports replaced_by naming a code that does not exist, at the term', () => {
    const text = termsYaml('c', 'offense', ['{ code: A, label: Old, valid_to: 2020-01-01, replaced_by: Z }']);
    const d = one(check({ 'c.yaml': text }), 'replaced-by', 'error');
    expect(d.loc).toEqual({ file: 'c.yaml', ...at(text, '{ code: A') });
    expect(d.message).toContain('c A is replaced by "Z", which is not a code of c (offense)');
  });

  it('reports a term replaced by itself, also after normalization', () => {
    const text = termsYaml('c', 'offense', ['{ code: "0460", label: Old, replaced_by: "460" }'], '    normalize: { pad: 4 }\n');
    expect(one(check({ 'c.yaml': text }), 'replaced-by', 'error').message).toContain('replaced by itself');
  });

  it('finds the replacement through normalization', () => {
    clean(check({ 'c.yaml': termsYaml('c', 'offense', ['{ code: old, label: Old, replaced_by: NEW }', '{ code: new, label: New }']) }));
  });
});

describe('proposed-mapping', () => {
  it('warns about a proposed mapping, naming its method', () => {
    const d = one(withMappings('{ from: "0200", to: 23H, relation: source-narrower, status: proposed, method: label-match }'), 'proposed-mapping', 'warning');
    expect(d.loc).toEqual(mappingAt(0));
    expect(d.message).toContain('"0200" → "23H" is proposed (by label-match) and not used to translate');
  });

  it('is quiet for reviewed mappings', () => {
    clean(withMappings('{ from: "0200", to: 23H, relation: source-narrower, status: reviewed }'));
  });
});

describe('load diagnostics', () => {
  it('come first in the report', () => {
    const r = check({ 'a.yaml': A, 'bad.yaml': 'id: [\n', 'b.yaml': B, 'x.yaml': crosswalkYaml('a--b', 'a', 'b', 'offense', ['{ from: "0200", to: 23U, relation: equivalent }']) });
    expect(r.errors.map((d) => d.rule)).toEqual(['yaml-syntax', 'unknown-target-code']);
  });
});

describe('conditions (issue 14)', () => {
  const W = termsYaml('w', 'weapon', ['{ code: GUN, label: Any gun }', '{ code: "12", label: Handgun, parent: GUN }', '{ code: "13", label: Rifle, parent: GUN }', '{ code: "20", label: Knife }', '{ code: "40", label: Hands }']);
  /** Vocabularies a, b, w and one crosswalk a→b with these `fields` and mappings. */
  function typed(fields: string, ...mappings: string[]) {
    const x = crosswalkYaml('a--b', 'a', 'b', 'offense', mappings).replace('mappings:\n', `fields:\n${fields}mappings:\n`);
    return check({ 'a.yaml': A, 'b.yaml': B, 'w.yaml': W, 'x.yaml': x });
  }
  const WEAPON = '  weapon: { vocabulary: w }\n';
  it('warns once per field a typed crosswalk does not declare, with the near miss', () => {
    const r = typed(WEAPON, '{ from: "0101", to: 13A, relation: equivalent, when: { waepon: "12" } }', '{ from: "0102", to: 13B, relation: equivalent, when: { waepon: "20" } }');
    const d = one(r, 'undeclared-field', 'warning');
    expect(d.message).toMatch(/"waepon"/);
    expect(d.hint).toBe('did you mean weapon?');
  });
  it('leaves an untyped crosswalk (no `fields`) alone: its conditions compare text', () => {
    clean(withMappings('{ from: "0101", to: 13A, relation: equivalent, when: { colour: red } }'));
  });
  it('warns on a condition value outside the field vocabulary', () => {
    const r = typed(WEAPON, '{ from: "0101", to: 13A, relation: equivalent, when: { weapon: "99" } }');
    expect(one(r, 'unknown-condition-value', 'warning').message).toMatch(/"99", not a weapon code of w/);
  });
  it('is an error when a field names a vocabulary that is not loaded', () => {
    const r = typed('  weapon: { vocabulary: nope }\n', '{ from: "0101", to: 13A, relation: equivalent, when: { weapon: "12" } }');
    expect(one(r, 'bad-field', 'error').message).toMatch(/"nope", which is not loaded/);
  });
  it('warns when two branches to different targets can hold for one record (a group overlaps its member)', () => {
    const r = typed(WEAPON, '{ from: "0101", to: 13A, relation: equivalent, when: { weapon: GUN } }', '{ from: "0101", to: 13B, relation: equivalent, when: { weapon: ["12", "20", "40"] } }');
    const ws = all(r).filter((d) => d.rule === 'overlapping-branches');
    expect(ws).toHaveLength(1);
    expect(ws[0]!.message).toMatch(/can both hold/);
  });
  it('does not call numeric branches that exclude each other overlapping', () => {
    const r = typed('  age: { type: number }\n', '{ from: "0300", to: 90Z, relation: equivalent, when: { age: { ge: 18 } } }', '{ from: "0300", to: 90I, relation: equivalent, when: { age: { lt: 18 } } }');
    expect(all(r).filter((d) => d.rule === 'overlapping-branches')).toEqual([]);
  });
  it('warns when the branches on a field leave some of its values with no target', () => {
    const r = typed(WEAPON, '{ from: "0101", to: 13A, relation: source-narrower, when: { weapon: GUN } }', '{ from: "0101", to: 13B, relation: source-narrower, when: { weapon: "20" } }');
    expect(one(r, 'uncovered-values', 'warning').message).toMatch(/none covers 40/);
  });
  it('counts a conditional no-match as covering its values', () => {
    const r = typed(WEAPON, '{ from: "0101", to: 13A, relation: source-narrower, when: { weapon: GUN } }', '{ from: "0101", to: 13B, relation: source-narrower, when: { weapon: "20" } }', '{ from: "0101", relation: no-match, when: { weapon: "40" } }');
    clean(r);
  });
  it('warns on a code fact its field cannot read, and on a fact no crosswalk declares', () => {
    const A2 = A.replace('{ code: "0101", label: Assault }', '{ code: "0101", label: Assault, facts: { weapon: "77" } }').replace('{ code: "0102", label: Simple assault }', '{ code: "0102", label: Simple assault, facts: { mood: angry } }');
    const x = crosswalkYaml('a--b', 'a', 'b', 'offense', ['{ from: "0101", to: 13A, relation: equivalent }']).replace('mappings:\n', `fields:\n${WEAPON}mappings:\n`);
    const r = check({ 'a.yaml': A2, 'b.yaml': B, 'w.yaml': W, 'x.yaml': x });
    expect(
      all(r)
        .map((d) => d.rule)
        .sort(),
    ).toEqual(['unreadable-fact', 'unused-fact']);
  });
  it('the shipped vocabularies validate clean under the new rule', () => {
    const r = validateRegistry(loadRegistry([new DirSource('vocabularies')]));
    expect([...r.errors, ...r.warnings].map((d) => `${d.rule}: ${d.message}`)).toEqual([]);
  });
});
