/**
 * The relation algebra: what a crosswalk entry says about a source code S and a target code T,
 * as sets of incidents, and how those statements invert and compose.
 *
 * Canonical names cannot be read backwards (see DOMAIN.md): `source-narrower` means S ⊂ T.
 * Files may use the FHIR R4/R5 and SKOS names; they are converted here, at the edge, and
 * nowhere else.
 */

export const RELATIONS = ['equivalent', 'source-narrower', 'source-broader', 'overlap', 'related', 'disjoint', 'no-match'] as const;

export type Relation = (typeof RELATIONS)[number];

/** A relation that states a link between two codes (usable to translate). */
export type PositiveRelation = Exclude<Relation, 'disjoint' | 'no-match'>;

export function isRelation(s: string): s is Relation {
  return (RELATIONS as readonly string[]).includes(s);
}

export function isPositive(r: Relation): r is PositiveRelation {
  return r !== 'disjoint' && r !== 'no-match';
}

/** One-character symbols used in tables: = ⊂ ⊃ ◇ ~ ∅ and ✕ for no-match. */
export const SYMBOL: Record<Relation, string> = {
  equivalent: '=',
  'source-narrower': '⊂',
  'source-broader': '⊃',
  overlap: '◇',
  related: '~',
  disjoint: '∅',
  'no-match': '✕',
};

/**
 * Input names accepted in files, mapped to the canonical relation. Keys are lower-case.
 * R4 `wider`/`subsumes` mean the *target* is wider: S ⊂ T. R4 `narrower`/`specializes`: S ⊃ T.
 */
const ALIASES: ReadonlyMap<string, Relation> = new Map<string, Relation>([
  // canonical
  ...RELATIONS.map((r) => [r, r] as [string, Relation]),
  // FHIR R5 ConceptMap relationship
  ['source-is-narrower-than-target', 'source-narrower'],
  ['source-is-broader-than-target', 'source-broader'],
  ['related-to', 'related'],
  ['not-related-to', 'disjoint'],
  // FHIR R4 ConceptMap equivalence
  ['equal', 'equivalent'],
  ['wider', 'source-narrower'],
  ['subsumes', 'source-narrower'],
  ['narrower', 'source-broader'],
  ['specializes', 'source-broader'],
  ['inexact', 'overlap'],
  ['relatedto', 'related'],
  ['unmatched', 'no-match'],
  // SKOS / SSSOM predicates, with and without prefix
  ['skos:exactmatch', 'equivalent'],
  ['exactmatch', 'equivalent'],
  ['skos:broadmatch', 'source-narrower'],
  ['broadmatch', 'source-narrower'],
  ['skos:narrowmatch', 'source-broader'],
  ['narrowmatch', 'source-broader'],
  ['skos:closematch', 'overlap'],
  ['closematch', 'overlap'],
  ['skos:relatedmatch', 'related'],
  ['relatedmatch', 'related'],
  // a common shorthand
  ['nomap', 'no-match'],
  ['no-map', 'no-match'],
]);

/** The canonical relation for a name found in a file, or undefined when the name is unknown. */
export function parseRelation(name: string): Relation | undefined {
  return ALIASES.get(name.trim().toLowerCase());
}

/**
 * The relation read in the other direction (T to S). `no-match` has no inverse: it says that S
 * has no counterpart, nothing about any T.
 */
export function invert(r: Relation): Relation | undefined {
  switch (r) {
    case 'source-narrower':
      return 'source-broader';
    case 'source-broader':
      return 'source-narrower';
    case 'no-match':
      return undefined;
    default:
      return r;
  }
}

type Composable = Exclude<Relation, 'no-match'>;

const E = 'equivalent';
const N = 'source-narrower';
const B = 'source-broader';
const O = 'overlap';
const R = 'related';
const D = 'disjoint';
const X = undefined;

/**
 * DOMAIN.md's composition table: rows are the first hop (A to M), columns the second (M to T).
 * Exported for the soundness test, which breaks one cell on purpose to show it would notice.
 * `undefined` means no inference may be drawn.
 */
export const COMPOSITION: Record<Composable, Record<Composable, Composable | undefined>> = {
  equivalent: { equivalent: E, 'source-narrower': N, 'source-broader': B, overlap: O, related: R, disjoint: D },
  'source-narrower': { equivalent: N, 'source-narrower': N, 'source-broader': X, overlap: X, related: X, disjoint: D },
  'source-broader': { equivalent: B, 'source-narrower': O, 'source-broader': B, overlap: O, related: X, disjoint: X },
  // ◇ then ⊂ is ◇: A ∩ M is not empty and lies inside T (an earlier version of this table said none).
  overlap: { equivalent: O, 'source-narrower': O, 'source-broader': X, overlap: X, related: X, disjoint: X },
  related: { equivalent: R, 'source-narrower': X, 'source-broader': X, overlap: X, related: X, disjoint: X },
  disjoint: { equivalent: D, 'source-narrower': X, 'source-broader': D, overlap: X, related: X, disjoint: X },
};

/**
 * What A→M (`first`) followed by M→T (`second`) lets us say about A→T, or undefined when the
 * table forbids any inference. `no-match` on either hop ends the chain: undefined.
 */
export function compose(first: Relation, second: Relation): Relation | undefined {
  if (first === 'no-match' || second === 'no-match') return undefined;
  return COMPOSITION[first][second];
}

/**
 * The first hop's relation once the second hop's condition C2 restricts both of its sides: A|C1 R M
 * gives (A|C1 ∩ C2) R' (M ∩ C2). Equality survives; ⊂ and ⊃ survive read as ⊆ and ⊇ (the part
 * that made them proper may fail C2); ∅ survives; ◇ survives only when C2 is already implied on A's
 * side (the shared part may fail it otherwise), and `related` never does.
 */
export function restrict(r: Relation, conditionImplied: boolean): Relation | undefined {
  if (conditionImplied) return r;
  if (r === 'overlap' || r === 'related' || r === 'no-match') return undefined;
  return r;
}

/**
 * What `S → T, R, when C` says of S as a whole (C not always true): the relation a format that
 * cannot carry the condition may state instead. 13A when firearm = 4a gives 13A ⊃ 4a, never =.
 * A conditional disjoint says nothing of S as a whole: undefined. A conditional no-match is
 * returned as itself, but of the whole code it only says "no code contains all of S" (no broader
 * match): interchange writes it so (SSSOM `skos:broadMatch sssom:NoTermFound`), never as a plain
 * no-match.
 */
export function wholeCodeRelation(r: Relation): Relation | undefined {
  switch (r) {
    case 'equivalent':
    case 'source-broader':
      return 'source-broader'; // T = S|C or T ⊆ S|C, and S|C ⊆ S
    case 'source-narrower':
    case 'overlap':
      return 'overlap'; // S|C ⊆ T or S|C ∩ T ≠ ∅: S and T share incidents
    case 'related':
    case 'no-match':
      return r;
    default:
      return undefined;
  }
}

/** Ranking strength of a positive relation: how much of S a translation to T preserves. */
export const STRENGTH: Record<Relation, number> = {
  equivalent: 5,
  'source-narrower': 4,
  'source-broader': 3,
  overlap: 2,
  related: 1,
  disjoint: 0,
  'no-match': 0,
};
