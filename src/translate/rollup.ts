/**
 * Roll-up: when every candidate of an answer lies under one parent code and their branches cover
 * every value of the fields that split them, the source maps to that parent whatever the record
 * says of those fields (13A on an offense report, weapon unknown: 4a–4d cover every weapon, so
 * class 4). Pure: candidates and the index in, one candidate out (or none).
 *
 * Why it is sound: each branch says A|Ci R Ti with Ti under P. The Ci cover every value, so the
 * A|Ci together are all of A. With every R ∈ {=, ⊂}, A ⊆ ∪Ti ⊆ P. With every R = `=` and the Ti
 * being all of P's children (a parent is exactly the union of its children), A = P. With every
 * R ∈ {=, ⊃} and all children, A ⊇ P. Otherwise A and P share incidents (◇).
 */

import type { Relation } from '../model/relation.js';
import type { Condition, Domain, DomainTable, Term } from '../model/types.js';
import { normalizeCode } from '../load/normalize.js';
import type { RegistryIndex } from '../indexes/index.js';
import type { FieldSpace, FieldValue } from '../indexes/facts.js';
import type { Candidate } from './result.js';

/** Points of one field's space: its leaf codes, or sample numbers for every region of the tests. */
type Points = { space: FieldSpace; field: string; values: FieldValue[] };

/** Most points of the joint space tried before giving up (no roll-up, the answer stays ambiguous). */
const MAX_POINTS = 50000;

export interface RollUpInput {
  /** The open (unanswered) conditions of a candidate, with the spaces that read them. */
  open(c: Candidate): readonly { cond: Condition; space: FieldSpace }[];
  /** What the record says of a field, when it says something (restricts the points). */
  known(space: FieldSpace, field: string): FieldValue[] | undefined;
}

function ancestry(table: DomainTable, code: string): string[] {
  const out: string[] = [];
  let t: Term | undefined = table.terms.get(normalizeCode(code, table.normalize));
  while (t && !out.includes(t.code)) {
    out.push(t.code);
    t = t.parent === undefined ? undefined : table.terms.get(normalizeCode(t.parent, table.normalize));
  }
  return out;
}

function pointsOf(space: FieldSpace, field: string, conds: Condition[], known: FieldValue[] | undefined): Points | undefined {
  if (space.type === 'number') {
    const bs = [...new Set(conds.flatMap((c) => ('value' in c ? [c.value] : [])))].sort((a, b) => a - b);
    if (!bs.length) return undefined;
    const xs = [bs[0]! - 1, ...bs.flatMap((b, i) => (i + 1 < bs.length ? [b, (b + bs[i + 1]!) / 2] : [b])), bs[bs.length - 1]! + 1];
    const inKnown = (x: number) => !known || known.some((k) => k.kind === 'range' && x >= k.lo && x <= k.hi);
    return { space, field, values: xs.filter(inKnown).map((x) => ({ kind: 'range', lo: x, hi: x, text: String(x) })) };
  }
  const universe = space.universe();
  if (!universe) return undefined;
  let leaves = [...universe];
  if (known) {
    const allowed = new Set<string>();
    for (const k of known) if (k.kind === 'codes') for (const l of k.leaves) allowed.add(l);
    if (allowed.size) leaves = leaves.filter((l) => allowed.has(l));
  }
  return { space, field, values: leaves.map((l) => ({ kind: 'codes', leaves: new Set([l]), text: l })) };
}

export function rollUp(index: RegistryIndex, domain: Domain, to: string, viable: readonly Candidate[], input: RollUpInput): { candidate: Candidate; children: string[] } | undefined {
  const codes = [...new Set(viable.map((c) => c.code))];
  if (codes.length < 2 || viable.some((c) => c.relation === 'related' || c.relation === 'disjoint')) return undefined;
  const table = index.table(to, domain);
  if (!table) return undefined;
  const chains = codes.map((c) => ancestry(table, c));
  const parent = chains[0]!.find((a) => chains.every((ch) => ch.includes(a)));
  if (parent === undefined) return undefined;

  // The joint space of the fields the candidates leave open, and every point of it covered.
  const open = new Map<Candidate, readonly { cond: Condition; space: FieldSpace }[]>(viable.map((c) => [c, input.open(c)]));
  const byField = new Map<string, { space: FieldSpace; conds: Condition[] }>();
  for (const list of open.values()) {
    for (const { cond, space } of list) {
      const f = byField.get(cond.field);
      if (f && f.space.decl !== space.decl) return undefined; // two readings of one field: no common space
      if (f) f.conds.push(cond);
      else byField.set(cond.field, { space, conds: [cond] });
    }
  }
  const dims: Points[] = [];
  let size = 1;
  for (const [field, { space, conds }] of byField) {
    const p = pointsOf(space, field, conds, input.known(space, field));
    if (!p || !p.values.length) return undefined;
    size *= p.values.length;
    if (size > MAX_POINTS) return undefined;
    dims.push(p);
  }
  const point: FieldValue[] = dims.map((d) => d.values[0]!);
  const covered = (): boolean =>
    viable.some((c) =>
      open.get(c)!.every(({ cond, space }) => {
        const i = dims.findIndex((d) => d.field === cond.field);
        return space.truth(cond, point[i]!) === 'holds';
      }),
    );
  const walk = (i: number): boolean => {
    if (i === dims.length) return covered();
    for (const v of dims[i]!.values) {
      point[i] = v;
      if (!walk(i + 1)) return false;
    }
    return true;
  };
  if (!walk(0)) return undefined;

  const children = [...table.terms.values()].filter((t) => t.parent !== undefined && normalizeCode(t.parent, table.normalize) === normalizeCode(parent, table.normalize)).map((t) => t.code);
  const allChildren = children.length > 0 && children.every((c) => codes.includes(c)) && codes.every((c) => children.includes(c));
  const rels = new Set(viable.map((c) => c.relation));
  const only = (...rs: Relation[]) => [...rels].every((r) => rs.includes(r));
  const relation: Relation = only('equivalent') && allChildren ? 'equivalent' : only('equivalent', 'source-narrower') ? 'source-narrower' : only('equivalent', 'source-broader') && allChildren ? 'source-broader' : 'overlap';

  const best = viable[0]!;
  const term = table.terms.get(normalizeCode(parent, table.normalize))!;
  const openFields = new Set(byField.keys());
  const kept = best.conditions.filter((c) => !openFields.has(c.field));
  const candidate: Candidate = {
    ...best,
    code: term.code,
    label: term.label,
    relation,
    conditions: kept,
    conditionState: kept.length ? 'met' : 'none',
    needs: [],
    notes: [`rolled up from ${codes.join(', ')}: under ${term.code}, and their branches cover every value of ${[...openFields].join(', ') || 'the fields that split them'}`],
  };
  delete candidate.designator;
  return { candidate, children: codes };
}
