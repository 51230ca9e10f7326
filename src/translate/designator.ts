/**
 * Unit designators: parse one with a vocabulary's templates (`E07` → engine, 7) and write one
 * with another's (engine, 7 → `Engine 7`). Prefix/suffix comparisons and a digit run: linear in
 * the input, whatever the templates say.
 */

import type { DesignatorTemplate, DomainTable, Term } from '../model/types.js';

export interface ParsedDesignator {
  term: Term;
  number: number;
  /** The number as written, with any leading zeros. */
  digits: string;
  template: DesignatorTemplate;
}

function squash(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Every kind whose template matches `input`, most specific template first. */
export function parseDesignator(table: DomainTable, input: string): ParsedDesignator[] {
  const s = squash(input);
  const hits: ParsedDesignator[] = [];
  for (const term of table.terms.values()) {
    for (const t of term.designators) {
      const p = matchTemplate(t, s);
      if (p !== undefined) {
        hits.push({ term, number: Number(p), digits: p, template: t });
        break;
      }
    }
  }
  return hits.sort((a, b) => literalLength(b.template) - literalLength(a.template) || rangeWidth(a.template) - rangeWidth(b.template));
}

function literalLength(t: DesignatorTemplate): number {
  return t.prefix.length + t.suffix.length;
}

function rangeWidth(t: DesignatorTemplate): number {
  return t.min !== undefined && t.max !== undefined ? t.max - t.min : Number.MAX_SAFE_INTEGER;
}

/** The digits in the slot when `s` (already squashed) fits the template. */
export function matchTemplate(t: DesignatorTemplate, s: string): string | undefined {
  const prefix = squash(t.prefix).trimEnd();
  const suffix = squash(t.suffix).trimStart();
  if (!s.startsWith(prefix)) return undefined;
  let rest = s.slice(prefix.length);
  // "Engine 7" and "ENGINE7" both fit "Engine {n}": the space next to the slot is optional.
  if (t.prefix.endsWith(' ')) rest = rest.trimStart();
  if (!rest.endsWith(suffix)) return undefined;
  let digits = rest.slice(0, rest.length - suffix.length);
  if (t.suffix.startsWith(' ')) digits = digits.trimEnd();
  if (!/^\d{1,12}$/.test(digits)) return undefined;
  const n = Number(digits);
  if (t.min !== undefined && (n < t.min || n > (t.max ?? Infinity))) return undefined;
  return digits;
}

/** `number` written with the first of `term`'s templates that can hold it. */
export function formatDesignator(term: Term, number: number): string | undefined {
  for (const t of term.designators) {
    if (t.min !== undefined && (number < t.min || number > (t.max ?? Infinity))) continue;
    return `${t.prefix}${String(number).padStart(t.pad, '0')}${t.suffix}`;
  }
  return undefined;
}
