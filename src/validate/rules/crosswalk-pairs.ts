import { error, warning, type Diagnostic } from '../../errors/errors.js';
import type { Crosswalk } from '../../model/types.js';
import { invert } from '../../model/relation.js';
import { normalizeCode } from '../../load/normalize.js';
import type { Rule } from '../rule.js';

/**
 * One crosswalk per ordered pair of vocabularies and domain (translation would use only the
 * first), and, where both directions exist, the two agree once one is inverted.
 */
export const crosswalkPairs: Rule = {
  name: 'crosswalk-pairs',
  description: 'two crosswalks for the same direction; A→B and B→A that disagree',
  check(index) {
    const out: Diagnostic[] = [];
    const byPair = new Map<string, Crosswalk>();
    for (const cw of index.registry.crosswalks.values()) {
      const key = `${cw.domain}\u0000${cw.from}\u0000${cw.to}`;
      const prev = byPair.get(key);
      if (prev) out.push(error('duplicate-crosswalk', cw.loc, `crosswalks ${prev.id} (${prev.files[0]}) and ${cw.id} both map ${cw.from} to ${cw.to} in domain ${cw.domain}; only ${prev.id} would be used`, 'merge them into one crosswalk'));
      else byPair.set(key, cw);
    }
    for (const cw of byPair.values()) {
      const back = byPair.get(`${cw.domain}\u0000${cw.to}\u0000${cw.from}`);
      if (!back || cw.id > back.id) continue;
      const fn = index.table(cw.from, cw.domain)?.normalize;
      const tn = index.table(cw.to, cw.domain)?.normalize;
      if (!fn || !tn) continue;
      const stated = new Map<string, string>();
      for (const m of cw.mappings) if (m.to !== undefined && !m.when.length) stated.set(`${normalizeCode(m.from, fn)}\u0000${normalizeCode(m.to, tn)}`, m.relation);
      for (const m of back.mappings) {
        if (m.to === undefined || m.when.length) continue;
        const key = `${normalizeCode(m.to, fn)}\u0000${normalizeCode(m.from, tn)}`;
        const fwd = stated.get(key);
        const inv = invert(m.relation);
        if (fwd !== undefined && inv !== fwd) out.push(warning('inverse-disagrees', m.loc, `crosswalk ${back.id} says ${m.from} → ${m.to} is ${m.relation}, so ${m.to} → ${m.from} would be ${inv}; crosswalk ${cw.id} says ${fwd}`, 'one of the two is wrong'));
      }
    }
    return out;
  },
};
