import { describe, expect, it } from 'vitest';
import { compose, invert, isPositive, parseRelation, RELATIONS, type Relation } from '../src/model/relation.js';

// DOMAIN.md's composition table, copied as text so that a change to either side shows up here.
// Rows: first hop (A→M); columns: second hop (M→T). "none" = no inference may be drawn.
const DOC_TABLE = `
first\\second | =  | ⊂    | ⊃    | ◇    | ~    | ∅
=             | =  | ⊂    | ⊃    | ◇    | ~    | ∅
⊂             | ⊂  | ⊂    | none | none | none | ∅
⊃             | ⊃  | ◇    | ⊃    | ◇    | none | none
◇             | ◇  | ◇    | none | none | none | none
~             | ~  | none | none | none | none | none
∅             | ∅  | none | ∅    | none | none | none
`;

const BY_SYMBOL: Record<string, Relation> = { '=': 'equivalent', '⊂': 'source-narrower', '⊃': 'source-broader', '◇': 'overlap', '~': 'related', '∅': 'disjoint' };

function docTable(): { first: Relation; second: Relation; expected: Relation | undefined }[] {
  const lines = DOC_TABLE.trim()
    .split('\n')
    .map((l) => l.split('|').map((c) => c.trim()));
  const header = lines[0]!.slice(1).map((s) => BY_SYMBOL[s]!);
  return lines.slice(1).flatMap((row) => row.slice(1).map((cell, j) => ({ first: BY_SYMBOL[row[0]!]!, second: header[j]!, expected: cell === 'none' ? undefined : BY_SYMBOL[cell] })));
}

describe('composition (every cell of DOMAIN.md)', () => {
  const cells = docTable();
  it('has all 36 cells', () => expect(cells).toHaveLength(36));
  it.each(cells)('$first then $second → $expected', ({ first, second, expected }) => {
    expect(compose(first, second)).toBe(expected);
  });
  it.each(RELATIONS)('no-match on either hop ends the chain (%s)', (r) => {
    expect(compose('no-match', r)).toBeUndefined();
    expect(compose(r, 'no-match')).toBeUndefined();
  });
  it('never turns a chain into `related` where the table says none', () => {
    for (const c of cells) if (c.expected === undefined) expect(compose(c.first, c.second)).not.toBe('related');
  });
  it('never makes a negative assertion positive, nor a positive one negative from positive hops', () => {
    for (const c of cells) {
      const r = compose(c.first, c.second);
      if (r === undefined) continue;
      const anyNegative = c.first === 'disjoint' || c.second === 'disjoint';
      expect(isPositive(r)).toBe(!anyNegative);
    }
  });
});

describe('inverse', () => {
  const expected: [Relation, Relation | undefined][] = [
    ['equivalent', 'equivalent'],
    ['source-narrower', 'source-broader'],
    ['source-broader', 'source-narrower'],
    ['overlap', 'overlap'],
    ['related', 'related'],
    ['disjoint', 'disjoint'],
    ['no-match', undefined],
  ];
  it.each(expected)('%s reads back as %s', (r, inv) => expect(invert(r)).toBe(inv));
  it('covers every relation', () => expect(expected.map(([r]) => r).sort()).toEqual([...RELATIONS].sort()));
  it.each(RELATIONS.filter((r) => r !== 'no-match'))('is its own inverse twice (%s)', (r) => expect(invert(invert(r)!)).toBe(r));
  it('never claims equivalent for a pair that was not equivalent', () => {
    for (const r of RELATIONS) if (r !== 'equivalent') expect(invert(r)).not.toBe('equivalent');
  });
});

describe('relation names accepted in files', () => {
  it.each([
    ['equivalent', 'equivalent'],
    ['Equivalent', 'equivalent'],
    ['source-is-narrower-than-target', 'source-narrower'],
    ['source-is-broader-than-target', 'source-broader'],
    ['related-to', 'related'],
    ['not-related-to', 'disjoint'],
    ['equal', 'equivalent'],
    ['wider', 'source-narrower'],
    ['subsumes', 'source-narrower'],
    ['narrower', 'source-broader'],
    ['specializes', 'source-broader'],
    ['inexact', 'overlap'],
    ['relatedto', 'related'],
    ['disjoint', 'disjoint'],
    ['unmatched', 'no-match'],
    ['skos:exactMatch', 'equivalent'],
    ['skos:broadMatch', 'source-narrower'],
    ['skos:narrowMatch', 'source-broader'],
    ['skos:closeMatch', 'overlap'],
    ['skos:relatedMatch', 'related'],
    [' no-match ', 'no-match'],
  ])('%s → %s', (name, rel) => expect(parseRelation(name)).toBe(rel));
  it.each(['broader', 'same', '', 'source-wider', 'skos:fooMatch'])('rejects "%s"', (name) => expect(parseRelation(name)).toBeUndefined());
});
