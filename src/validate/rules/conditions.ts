import { error, warning, type Diagnostic } from '../../errors/errors.js';
import { conditionText } from '../../read/values.js';
import { closest } from '../../errors/closest.js';
import { normalizeCode } from '../../load/normalize.js';
import type { Condition, Crosswalk, Mapping } from '../../model/types.js';
import { NOT_RECORDED } from '../../model/types.js';
import type { FieldSpace } from '../../indexes/facts.js';
import type { RegistryIndex } from '../../indexes/index.js';
import type { Rule } from '../rule.js';

/** The values a condition accepts on a field with a finite set of values, or undefined. */
function acceptedLeaves(space: FieldSpace, c: Condition): Set<string> | undefined {
  const acc = space.accepted(c);
  if (!('leaves' in acc)) return undefined;
  const universe = space.universe();
  if (!universe) return c.op === 'in' ? acc.leaves : undefined;
  if (c.op === 'in') return new Set([...acc.leaves].filter((l) => l !== NOT_RECORDED));
  return new Set([...universe].filter((l) => !acc.leaves.has(l)));
}

/** Whether one value of every field could meet both mappings' conditions (undecidable fields: yes). */
function canBothHold(index: RegistryIndex, cw: Crosswalk, a: Mapping, b: Mapping): boolean {
  const fields = new Set([...a.when, ...b.when].map((c) => c.field));
  for (const f of fields) {
    const space = index.fieldSpace(cw, f);
    const conds = [...a.when, ...b.when].filter((x) => x.field === f);
    // Numbers: the intersection of the intervals the comparisons accept.
    if (conds.every((c) => 'value' in c)) {
      let lo = -Infinity;
      let hi = Infinity;
      let loOpen = false;
      let hiOpen = false;
      for (const c of conds) {
        const r = space.accepted(c);
        if (!('lo' in r)) continue;
        if (r.lo > lo || (r.lo === lo && r.loOpen)) [lo, loOpen] = [r.lo, r.loOpen];
        if (r.hi < hi || (r.hi === hi && r.hiOpen)) [hi, hiOpen] = [r.hi, r.hiOpen];
      }
      if (lo > hi || (lo === hi && (loOpen || hiOpen))) return false;
      continue;
    }
    // Values: what every `in` allows, less what any `not-in` forbids (groups already expanded).
    let allowed: Set<string> | undefined;
    const forbidden = new Set<string>();
    for (const c of conds) {
      const acc = space.accepted(c);
      if (!('leaves' in acc)) continue;
      if (c.op === 'in') allowed = allowed ? new Set([...allowed].filter((x) => acc.leaves.has(x))) : new Set(acc.leaves);
      else for (const l of acc.leaves) forbidden.add(l);
    }
    if (allowed && [...allowed].every((x) => forbidden.has(x))) return false;
  }
  return true;
}

function periodsMeet(a: { validFrom?: string; validTo?: string }, b: { validFrom?: string; validTo?: string }): boolean {
  return (a.validFrom ?? '') < (b.validTo ?? '\uffff') && (b.validFrom ?? '') < (a.validTo ?? '\uffff');
}

/**
 * Conditions as types see them: a field the crosswalk does not declare, a value outside the
 * field's vocabulary, a declaration that names no loaded vocabulary; branches of one source code
 * that one record can meet at once (two answers where one was meant), and branches on a field
 * that leave some of its values with no target; facts of codes and mappings their fields cannot
 * read.
 */
export const conditions: Rule = {
  name: 'conditions',
  description: 'undeclared condition fields, values outside a field vocabulary, overlapping branches, values no branch covers, unreadable facts',
  check(index) {
    const out: Diagnostic[] = [];
    for (const cw of index.registry.crosswalks.values()) {
      const bySource = checkMappingConditions(index, cw, out);
      for (const list of bySource.values()) {
        const branches = list.filter((m) => m.when.length > 0);
        overlappingBranches(index, cw, branches, out);
        uncoveredValues(index, cw, branches, out);
      }
    }
    checkTermFacts(index, out);
    return out;
  },
};

/**
 * One crosswalk's field declarations and each reviewed mapping's conditions and product: bad
 * declarations, unknown values, undeclared fields. Returns the mappings that may branch, by source code.
 */
function checkMappingConditions(index: RegistryIndex, cw: Crosswalk, out: Diagnostic[]): Map<string, Mapping[]> {
  for (const d of cw.fields ?? []) {
    const space = index.fieldSpace(cw, d.name);
    if (space.problem) out.push(error('bad-field', d.loc, `crosswalk ${cw.id}: ${space.problem}`, "declare a vocabulary that is loaded ('xwalk list' shows them)"));
  }
  const undeclared = new Map<string, Mapping>();
  const bySource = new Map<string, Mapping[]>();
  const fn = index.table(cw.from, cw.domain)?.normalize;
  for (const m of cw.mappings) {
    if (m.status === 'proposed') continue;
    for (const c of m.when) {
      const space = index.fieldSpace(cw, c.field);
      // A crosswalk without `fields` is untyped (all text); once it declares some, an
      // undeclared one is most likely a typo.
      if (cw.fields?.length && space.type === 'text' && !cw.fields.some((d) => d.name === c.field) && !undeclared.has(c.field)) undeclared.set(c.field, m);
      const acc = space.accepted(c);
      if ('unknownValues' in acc && acc.unknownValues.length && space.type !== 'text')
        out.push(
          warning(
            'unknown-condition-value',
            m.loc,
            `crosswalk ${cw.id}: "${m.from}" → "${m.to ?? ''}": ${conditionText(c)} names ${acc.unknownValues.map((v) => `"${v}"`).join(', ')}, not ${space.decl.vocabulary ? `a ${space.domain} code of ${space.decl.vocabulary}` : `one of ${(space.decl.values ?? []).join(', ')}`}`,
            'a condition that names an unknown value never holds: correct the value, or add it to the field',
          ),
        );
    }
    for (const f of m.product ?? []) checkFact(index, cw, f.field, f.values, cw.to, m.loc, `crosswalk ${cw.id}: the product of "${m.from}" → "${m.to ?? ''}"`, out);
    if (m.relation === 'disjoint' || (m.relation === 'no-match' && !m.when.length)) continue;
    const key = fn ? normalizeCode(m.from, fn) : m.from;
    bySource.set(key, [...(bySource.get(key) ?? []), m]);
  }
  for (const [field, m] of undeclared) {
    const near = closest(
      field,
      (cw.fields ?? []).map((d) => d.name),
    );
    out.push(
      warning('undeclared-field', m.loc, `crosswalk ${cw.id}: conditions use the field "${field}", which its \`fields\` do not declare; its values are compared as text`, near ? `did you mean ${near}?` : `declare it: fields: { ${field}: { values: [...] } } or { vocabulary: ..., domain: ... }`),
    );
  }
  return bySource;
}

/**
 * Two branches to different targets that one record can meet at once (typed crosswalks:
 * an untyped one keeps the older reading, where overlapping branches are its business).
 */
function overlappingBranches(index: RegistryIndex, cw: Crosswalk, branches: Mapping[], out: Diagnostic[]): void {
  for (let i = 0; i < (cw.fields?.length ? branches.length : 0); i++)
    for (let j = i + 1; j < branches.length; j++) {
      const a = branches[i]!;
      const b = branches[j]!;
      if (a.to === b.to || a.relation === 'no-match' || b.relation === 'no-match' || !periodsMeet(a, b)) continue;
      const ta = index.term(cw.to, cw.domain, a.to!);
      const tb = index.term(cw.to, cw.domain, b.to!);
      if (ta && tb && !periodsMeet(ta, tb)) continue;
      if (!canBothHold(index, cw, a, b)) continue;
      // A multi-valued field with a precedence decides between branches that only overlap on it.
      out.push(
        warning(
          'overlapping-branches',
          b.loc,
          `crosswalk ${cw.id}: "${b.from}" → "${a.to}" (line ${a.loc.line}, when ${a.when.map(conditionText).join(', ')}) and → "${b.to}" (when ${b.when.map(conditionText).join(', ')}) can both hold for one record`,
          'make the conditions exclusive, or say in a note why a record belongs to both',
        ),
      );
    }
}

/** Values of a finite field that no branch of one source code splitting on it covers. */
function uncoveredValues(index: RegistryIndex, cw: Crosswalk, branches: Mapping[], out: Diagnostic[]): void {
  const fields = new Set(branches.flatMap((m) => m.when.map((c) => c.field)));
  for (const f of fields) {
    const space = index.fieldSpace(cw, f);
    // Fields typed by a code list, one value per record: a report kind (inline values) is a
    // choice of count, not a fact every code must cover; several values combine.
    const universe = space.decl.vocabulary !== undefined && !space.decl.multi ? space.universe() : undefined;
    const splitting = branches.filter((m) => m.when.some((c) => c.field === f));
    if (!universe || splitting.length < 2) continue;
    const covered = new Set<string>();
    let decidable = true;
    for (const m of splitting) {
      let s: Set<string> | undefined;
      for (const c of m.when.filter((x) => x.field === f)) {
        const a = acceptedLeaves(space, c);
        if (!a) decidable = false;
        else s = s ? new Set([...s].filter((x) => a.has(x))) : a;
      }
      for (const x of s ?? []) covered.add(x);
    }
    const missing = [...universe].filter((x) => !covered.has(x));
    if (!decidable || !missing.length) continue;
    const shown = missing.slice(0, 8).join(', ') + (missing.length > 8 ? ` and ${missing.length - 8} more` : '');
    out.push(warning('uncovered-values', splitting[0]!.loc, `crosswalk ${cw.id}: the branches of "${splitting[0]!.from}" split on ${f} but none covers ${shown}: a record with such a value maps nowhere`, 'add a branch (or a no-match with a note) for them, or accept the gap knowingly'));
  }
}

/** Facts stated by terms, checked against every crosswalk that declares their field (or warned as unused). */
function checkTermFacts(index: RegistryIndex, out: Diagnostic[]): void {
  for (const v of index.registry.vocabularies.values()) {
    for (const [domain, table] of v.domains) {
      for (const t of table.terms.values()) {
        for (const f of t.facts ?? []) {
          const readers = [...index.registry.crosswalks.values()].filter((cw) => cw.domain === domain && cw.fields?.some((d) => d.name === f.field));
          if (!readers.length) {
            out.push(warning('unused-fact', t.loc, `${v.id} ${t.code} states the fact ${f.field}, which no ${domain} crosswalk declares as a field`, "check the field name against the crosswalks' `fields`"));
            continue;
          }
          for (const cw of readers) checkFact(index, cw, f.field, f.values, v.id, t.loc, `${v.id} ${t.code}`, out);
        }
      }
    }
  }
}

function checkFact(index: RegistryIndex, cw: Crosswalk, field: string, values: readonly string[], statedIn: string, loc: Mapping['loc'], what: string, out: Diagnostic[]): void {
  const space = index.fieldSpace(cw, field);
  if (space.type === 'text' || space.problem) return;
  // Values in the stating vocabulary's own codes are translated at run time; not checked here.
  if (space.domain !== undefined && statedIn !== space.decl.vocabulary && index.vocabulary(statedIn)?.domains.has(space.domain)) return;
  for (const raw of values) {
    const v = space.read(raw, statedIn, undefined);
    if (v.kind === 'bad') out.push(warning('unreadable-fact', loc, `${what}: the fact ${field}=${raw} cannot be read by crosswalk ${cw.id}: ${v.message}`, `write it in the codes of ${space.decl.vocabulary ?? 'the field'}`));
  }
}
