import { warning } from '../../load/errors.js';
import type { Rule } from '../rule.js';

/** A mapping that outlives its source or target term: it would translate to a retired code. */
export const expiredTarget: Rule = {
  name: 'expired-target',
  description: 'a mapping stays valid after its target (or source) code was retired',
  check(index) {
    const out = [];
    for (const cw of index.registry.crosswalks.values()) {
      for (const m of cw.mappings) {
        if (m.to === undefined) continue;
        const t = index.term(cw.to, cw.domain, m.to);
        if (t?.validTo && (!m.validTo || m.validTo > t.validTo)) {
          out.push(warning('expired-target', m.loc, `crosswalk ${cw.id}: "${m.from}" maps to ${t.code}, which is valid only until ${t.validTo}`, `add valid_to: ${t.validTo} to the mapping${t.replacedBy ? `, and map to ${t.replacedBy} from then on` : ''}`));
        }
      }
    }
    return out;
  },
};
