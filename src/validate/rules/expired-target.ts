import { warning } from '../../errors/errors.js';
import type { Rule } from '../rule.js';

/**
 * A mapping that outlives its target term: it would translate to a retired code. A mapping ends
 * at its own valid_to or when its source code is retired, whichever comes first.
 */
export const expiredTarget: Rule = {
  name: 'expired-target',
  description: 'a mapping stays valid after its target code was retired (and its source code was not)',
  check(index) {
    const out = [];
    for (const cw of index.registry.crosswalks.values()) {
      for (const m of cw.mappings) {
        if (m.to === undefined) continue;
        const t = index.term(cw.to, cw.domain, m.to);
        if (!t?.validTo) continue;
        const sourceEnd = index.term(cw.from, cw.domain, m.from)?.validTo;
        const ends = [m.validTo, sourceEnd].filter((d): d is string => d !== undefined).sort();
        const end = ends[0];
        if (end === undefined || end > t.validTo) {
          out.push(warning('expired-target', m.loc, `crosswalk ${cw.id}: "${m.from}" maps to ${t.code}, which is valid only until ${t.validTo}`, `add valid_to: ${t.validTo} to the mapping${t.replacedBy ? `, and map to ${t.replacedBy} from then on` : ''}`));
        }
      }
    }
    return out;
  },
};
