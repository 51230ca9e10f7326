import { error, warning, type Diagnostic } from '../../errors/errors.js';
import type { Condition, Mapping } from '../../model/types.js';
import { isPositive } from '../../model/relation.js';
import { normalizeCode } from '../../load/normalize.js';
import type { Rule } from '../rule.js';

/** The conditions of a mapping as a key that does not depend on the order they were written in. */
function whenKey(when: readonly Condition[]): string {
  const parts = when.map((c) => JSON.stringify('values' in c ? [c.field, c.op, [...c.values].sort()] : [c.field, c.op, c.value]));
  return JSON.stringify(parts.sort());
}

/** Whether two half-open validity periods [from, to) share at least one day. */
function overlaps(a: Mapping, b: Mapping): boolean {
  return (a.validFrom ?? '') < (b.validTo ?? '\uffff') && (b.validFrom ?? '') < (a.validTo ?? '\uffff');
}

/**
 * One pair of codes, one statement: two different relations on the same pair (an `equivalent` and
 * a `source-narrower`), a negative and a positive assertion mixed, or a no-match beside mappings.
 * Mappings with different conditions, or whose validity periods do not overlap, do not conflict.
 */
export const conflictingMappings: Rule = {
  name: 'conflicting-mappings',
  description: 'two relations on one pair, negative and positive assertions mixed, no-match beside mappings, duplicates',
  check(index) {
    const out: Diagnostic[] = [];
    for (const cw of index.registry.crosswalks.values()) {
      const fn = index.table(cw.from, cw.domain)?.normalize;
      const tn = index.table(cw.to, cw.domain)?.normalize;
      const nf = (c: string) => (fn ? normalizeCode(c, fn) : c);
      const nt = (c: string) => (tn ? normalizeCode(c, tn) : c);
      // Mappings of one source code under the same conditions, in file order.
      const groups = new Map<string, Mapping[]>();
      for (const m of cw.mappings) {
        if (m.status === 'proposed') continue;
        const key = `${nf(m.from)}\u0000${whenKey(m.when)}`;
        groups.set(key, [...(groups.get(key) ?? []), m]);
      }
      for (const list of groups.values()) {
        list.forEach((m, i) => {
          if (m.to === undefined) return;
          const prev = list.slice(0, i).find((p) => p.to !== undefined && nt(p.to) === nt(m.to!) && overlaps(p, m));
          if (!prev) return;
          const where = `crosswalk ${cw.id}: "${m.from}" → "${m.to}"`;
          if (prev.relation === m.relation) out.push(warning('duplicate-mapping', m.loc, `${where} is stated twice (also line ${prev.loc.line})`, 'remove one'));
          else if (isPositive(prev.relation) !== isPositive(m.relation)) out.push(error('mixed-assertion', m.loc, `${where} is both ${prev.relation} (line ${prev.loc.line}) and ${m.relation}`, 'a pair is either related or disjoint; keep the one that is true'));
          else out.push(error('conflicting-relations', m.loc, `${where} is both ${prev.relation} (line ${prev.loc.line}) and ${m.relation}`, 'keep one relation per pair, or add conditions (when) that tell them apart'));
        });
        for (const noMatch of list.filter((m) => m.relation === 'no-match')) {
          const positive = list.find((m) => isPositive(m.relation) && overlaps(m, noMatch));
          if (positive) out.push(error('mixed-assertion', noMatch.loc, `crosswalk ${cw.id}: "${noMatch.from}" is declared no-match but also maps to "${positive.to}" (line ${positive.loc.line})`, 'remove the no-match, or the mapping'));
        }
        const eqs = list.filter((m) => m.relation === 'equivalent' && !m.when.length);
        const clash = eqs.filter((a) => eqs.some((b) => nt(b.to!) !== nt(a.to!) && overlaps(a, b)));
        const targets = [...new Set(clash.map((m) => nt(m.to!)))];
        if (clash[0] && targets.length > 1) out.push(warning('equivalent-fanout', clash[0].loc, `crosswalk ${cw.id}: "${clash[0].from}" is equivalent to ${targets.length} different codes (${targets.join(', ')})`, 'two codes cannot both equal one; use source-broader, or add conditions'));
      }
    }
    return out;
  },
};
