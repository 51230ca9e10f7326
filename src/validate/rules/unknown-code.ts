import { error } from '../../errors/errors.js';
import type { Rule } from '../rule.js';

/** Every code a crosswalk uses is a code of its vocabulary (catches pseudo-codes such as 23U, 99Z). */
export const unknownCode: Rule = {
  name: 'unknown-code',
  description: 'a mapping uses a code that is not in the source or target vocabulary (pseudo-codes, typos)',
  check(index) {
    const out = [];
    for (const cw of index.registry.crosswalks.values()) {
      const fromTable = index.table(cw.from, cw.domain);
      const toTable = index.table(cw.to, cw.domain);
      for (const m of cw.mappings) {
        if (fromTable && !index.term(cw.from, cw.domain, m.from)) {
          const near = index.suggest(cw.from, cw.domain, m.from, 1)[0];
          out.push(error('unknown-source-code', m.loc, `crosswalk ${cw.id}: "${m.from}" is not a code of ${cw.from} (${cw.domain})`, near ? `did you mean ${near.code} (${near.label})?` : 'add the term to the vocabulary, or fix the code'));
        }
        if (toTable && m.to !== undefined && !index.term(cw.to, cw.domain, m.to)) {
          const near = index.suggest(cw.to, cw.domain, m.to, 1)[0];
          out.push(error('unknown-target-code', m.loc, `crosswalk ${cw.id}: "${m.to}" is not a code of ${cw.to} (${cw.domain})`, near ? `did you mean ${near.code} (${near.label})?` : 'a target must be a real code of the target vocabulary'));
        }
      }
    }
    return out;
  },
};
