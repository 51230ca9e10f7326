/**
 * What an answer writes: the cells of one converted value, from the translator's answer and the
 * run's policies. Pure; shared by the streaming executor (convert) and the SQL compiler, so both
 * write the same text for the same answer.
 */

import { conditionText } from '../read/values.js';
import type { Outcome, TranslationResult } from '../translate/result.js';

export type UnmappedPolicy = { kind: 'keep' } | { kind: 'blank' } | { kind: 'fixed'; value: string } | { kind: 'error' };
export type AmbiguousPolicy = 'first' | 'blank' | 'all' | 'error';

export interface AnswerCells {
  status: Outcome;
  /** The value written; undefined for an unmapped status (the unmapped policy decides) or a rejected ambiguous one. */
  out: string | undefined;
  relation: string;
  confidence: string;
  path: string;
  /** --explain: the conditions the answer rests on (met, settled by the facts, or left open per candidate). */
  conditions: string;
}

/**
 * The conditions an answer rests on, for --explain: a mapped value's conditions (met by the record,
 * or settled by the facts of the run, the codes or the mappings); an ambiguous value's candidates each with what would pick it.
 */
export function conditionsText(r: TranslationResult, best: NonNullable<TranslationResult['best']>): string {
  const one = (c: NonNullable<TranslationResult['best']>) => [...c.conditions.map(conditionText), ...(c.implied ?? []).map((x) => `${conditionText(x)} (settled by the facts)`)].join(', ');
  if (r.outcome !== 'ambiguous') return one(best);
  return r.candidates
    .map(
      (c) =>
        `${c.designator ?? c.code}${
          c.conditions.length
            ? ` if ${c.conditions
                .filter((x) => c.needs.includes(x.field))
                .map(conditionText)
                .join(', ')}`
            : ''
        }`,
    )
    .join('; ');
}

/** The cells of an answer under the ambiguous policy; unmapped outcomes leave `out` to the unmapped policy. */
export function answerCells(r: TranslationResult, ambiguous: AmbiguousPolicy): AnswerCells {
  if (r.outcome === 'mapped' || r.outcome === 'ambiguous') {
    const b = r.best!;
    const explain = { relation: b.relation, confidence: String(b.confidence), path: b.path.map((s) => `${s.crosswalk}${s.inverted ? '(inverse)' : ''}`).join(' > '), conditions: conditionsText(r, b) };
    if (r.outcome === 'mapped') return { status: 'mapped', out: b.designator ?? b.code, ...explain };
    const codes = r.candidates.map((c) => c.designator ?? c.code);
    const out = ambiguous === 'first' ? codes[0]! : ambiguous === 'blank' ? '' : ambiguous === 'all' ? [...new Set(codes)].join('|') : undefined;
    return { status: 'ambiguous', out, ...explain };
  }
  return { status: r.outcome, out: undefined, relation: '', confidence: '', path: '', conditions: '' };
}

/** The value an unmapped cell is written as: kept, blanked, a fixed value, or undefined (rejected). */
export function unmappedOut(p: UnmappedPolicy, value: string): string | undefined {
  return p.kind === 'keep' ? value : p.kind === 'blank' ? '' : p.kind === 'fixed' ? p.value : undefined;
}
