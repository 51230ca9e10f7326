import { error } from '../../errors/errors.js';
import { closest } from '../../errors/closest.js';
import type { Rule } from '../rule.js';

/** A crosswalk names vocabularies and a domain that are loaded. */
export const crosswalkEndpoints: Rule = {
  name: 'unknown-vocabulary',
  description: 'a crosswalk names a vocabulary that is not loaded, or a domain the vocabulary lacks',
  check(index) {
    const out = [];
    const ids = [...index.registry.vocabularies.keys()];
    for (const cw of index.registry.crosswalks.values()) {
      for (const side of ['from', 'to'] as const) {
        const v = index.vocabulary(cw[side]);
        if (!v) {
          const near = closest(cw[side], ids);
          out.push(error('unknown-vocabulary', cw.loc, `crosswalk ${cw.id}: \`${side}: ${cw[side]}\` is not a loaded vocabulary`, near ? `did you mean ${near}?` : 'add the vocabulary, or pass its directory with --vocab-dir'));
        } else if (!v.domains.has(cw.domain)) {
          out.push(error('unknown-domain', cw.loc, `crosswalk ${cw.id}: vocabulary ${v.id} has no domain "${cw.domain}"`, `its domains: ${[...v.domains.keys()].join(', ')}`));
        }
      }
    }
    return out;
  },
};
