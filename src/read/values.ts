/**
 * The text forms of model values, read and written: ISO dates, booleans, and conditions and facts
 * in their compact form (`property=a|b;age>=18`). Pure functions over strings, shared by the file
 * readers, the command line and the exporters; no YAML, no positions, no I/O.
 */

import type { Condition, FactStatement, IsoDate } from '../model/types.js';

export function parseIsoDate(v: string): IsoDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function parseBool(v: string): boolean | undefined {
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === 'yes') return true;
  if (s === 'false' || s === 'no') return false;
  return undefined;
}

/** One condition in the compact text form that parseConditionText reads (`property=a|b`, `age>=18`). */
export function conditionText(c: Condition): string {
  if ('values' in c) return `${c.field}${c.op === 'in' ? '=' : '!='}${c.values.join('|')}`;
  return `${c.field}${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[c.op]}${c.value}`;
}

/**
 * Conditions, in their compact text form: `field=value`, `field=a|b`, `field!=a|b`,
 * `field>=18`, `field<18` (also `>` and `<=`), several joined by `;`.
 * Returns the conditions, or an error message that calls them `what` (facts share the form).
 */
export function parseConditionText(text: string, what: 'condition' | 'fact' = 'condition'): Condition[] | string {
  const out: Condition[] = [];
  for (const part of text.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*(>=|<=|!=|=|>|<)\s*(.*)$/.exec(p);
    if (!m) return `cannot read the ${what} "${p}"; write field=value, field!=value, field>=N or field<N`;
    const field = m[1]!;
    const op = m[2]!;
    const rest = m[3]!.trim();
    if (op === '=' || op === '!=') {
      // `age=>18` or `age==18` is a mistyped comparison, not the value ">18".
      if (/^[<>=!]/.test(rest)) {
        const meant = /^[<>]/.test(rest) && op === '=' ? `${field}${rest[0]}=${rest.slice(1).trim()}` : `${field}${op}${rest.slice(1).trim()}`;
        return `cannot read the ${what} "${p}"; did you mean ${meant}?`;
      }
      const values = rest
        .split('|')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (!values.length) return `the ${what} "${p}" has no value`;
      out.push({ field, op: op === '=' ? 'in' : 'not-in', values });
    } else {
      const n = Number(rest);
      if (rest === '' || !Number.isFinite(n)) return `the ${what} "${p}" compares with "${rest}", which is not a number`;
      const opName = ({ '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const)[op as '<' | '<=' | '>' | '>='];
      out.push({ field, op: opName, value: n });
    }
  }
  return out;
}

/** Facts in their compact text form: `weapon=12`, `weapon=11|12;attempted=A`. */
export function parseFactText(text: string): FactStatement[] | string {
  const r = parseConditionText(text, 'fact');
  if (typeof r === 'string') return r;
  const facts: FactStatement[] = [];
  for (const c of r) {
    if (c.op !== 'in') return `a fact states values (field=value or field=a|b), not "${conditionText(c)}"`;
    facts.push({ field: c.field, values: c.values });
  }
  return facts;
}
