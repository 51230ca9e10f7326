import { warning } from '../../errors/errors.js';
import type { Rule } from '../rule.js';

/** Proposed mappings (from `xwalk suggest`) are not used until a person marks them reviewed. */
export const proposed: Rule = {
  name: 'proposed-mapping',
  description: 'a mapping is still proposed: it is not used to translate until reviewed',
  check(index) {
    const out = [];
    for (const cw of index.registry.crosswalks.values()) {
      for (const m of cw.mappings) {
        if (m.status === 'proposed') out.push(warning('proposed-mapping', m.loc, `crosswalk ${cw.id}: "${m.from}" → "${m.to ?? ''}" is proposed${m.method ? ` (by ${m.method})` : ''} and not used to translate`, 'review it and set status: reviewed, or remove it'));
      }
    }
    return out;
  },
};
