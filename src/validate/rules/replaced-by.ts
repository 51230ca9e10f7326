import { error } from '../../errors/errors.js';
import { normalizeCode } from '../../load/normalize.js';
import type { Rule } from '../rule.js';

/** `replaced_by` names another code of the same domain. */
export const replacedBy: Rule = {
  name: 'replaced-by',
  description: 'replaced_by names a code that does not exist, or the term itself',
  check(index) {
    const out = [];
    for (const v of index.registry.vocabularies.values()) {
      for (const table of v.domains.values()) {
        for (const [key, t] of table.terms) {
          if (t.replacedBy === undefined) continue;
          const target = normalizeCode(t.replacedBy, table.normalize);
          if (target === key) out.push(error('replaced-by', t.loc, `${v.id} ${t.code} is replaced by itself`));
          else if (!table.terms.has(target)) out.push(error('replaced-by', t.loc, `${v.id} ${t.code} is replaced by "${t.replacedBy}", which is not a code of ${v.id} (${table.domain})`, 'add the new code to the vocabulary'));
        }
      }
    }
    return out;
  },
};
