import { error, warning, type Diagnostic } from '../../load/errors.js';
import type { Mapping } from '../../model/types.js';
import { isPositive } from '../../model/relation.js';
import { normalizeCode } from '../../load/normalize.js';
import type { Rule } from '../rule.js';

function scope(m: Mapping): string {
  return `${JSON.stringify(m.when)}|${m.validFrom ?? ''}|${m.validTo ?? ''}`;
}

/**
 * One pair of codes, one statement: two different relations on the same pair (an `equivalent` and
 * a `source-narrower`), a negative and a positive assertion mixed, or a no-match beside mappings.
 * Mappings with different conditions or validity periods do not conflict.
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
      const pairs = new Map<string, Mapping>();
      const byFrom = new Map<string, Mapping[]>();
      for (const m of cw.mappings) {
        if (m.status === 'proposed') continue;
        const fk = `${nf(m.from)}\u0000${scope(m)}`;
        byFrom.set(fk, [...(byFrom.get(fk) ?? []), m]);
        if (m.to === undefined) continue;
        const key = `${nf(m.from)}\u0000${nt(m.to)}\u0000${scope(m)}`;
        const prev = pairs.get(key);
        if (!prev) {
          pairs.set(key, m);
          continue;
        }
        const where = `crosswalk ${cw.id}: "${m.from}" → "${m.to}"`;
        if (prev.relation === m.relation) out.push(warning('duplicate-mapping', m.loc, `${where} is stated twice (also line ${prev.loc.line})`, 'remove one'));
        else if (isPositive(prev.relation) !== isPositive(m.relation)) out.push(error('mixed-assertion', m.loc, `${where} is both ${prev.relation} (line ${prev.loc.line}) and ${m.relation}`, 'a pair is either related or disjoint; keep the one that is true'));
        else out.push(error('conflicting-relations', m.loc, `${where} is both ${prev.relation} (line ${prev.loc.line}) and ${m.relation}`, 'keep one relation per pair, or add conditions (when) that tell them apart'));
      }
      for (const list of byFrom.values()) {
        const noMatch = list.find((m) => m.relation === 'no-match');
        const positive = list.find((m) => isPositive(m.relation));
        if (noMatch && positive) out.push(error('mixed-assertion', noMatch.loc, `crosswalk ${cw.id}: "${noMatch.from}" is declared no-match but also maps to "${positive.to}" (line ${positive.loc.line})`, 'remove the no-match, or the mapping'));
        const eq = [...new Set(list.filter((m) => m.relation === 'equivalent' && !m.when.length).map((m) => nt(m.to!)))];
        if (eq.length > 1) out.push(warning('equivalent-fanout', list.find((m) => m.relation === 'equivalent')!.loc, `crosswalk ${cw.id}: "${list[0]!.from}" is equivalent to ${eq.length} different codes (${eq.join(', ')})`, 'two codes cannot both equal one; use source-broader, or add conditions'));
      }
    }
    return out;
  },
};
