/**
 * Record dates as exports write them (issue 20): text in, an ISO date (YYYY-MM-DD) or undefined
 * out. Pure. Day-first and month-first are never guessed per row: the default reads slashed
 * numbers month-first (the US habit of the exports we see) and nothing else ambiguous; any other
 * reading is asked for with `--date-format`.
 *
 * The pattern language: `YYYY` `YY` (a two-digit year: 69-99 → 19xx, 00-68 → 20xx, as POSIX
 * strptime), `M` `MM` (month), `MMM` (month name, `Jan` or `January`), `D` `DD` (day); any other
 * character stands for itself. What follows the date (a time, a zone) is ignored: the date is the
 * one written, never shifted to another zone. Named formats: `iso` (YYYY-MM-DD), `us`
 * (M/D/YYYY and M/D/YY), `dmy` (D/M/YYYY, D.M.YYYY, D-M-YYYY and their YY forms), `mdy` (the same
 * month-first), `ymd` (YYYY/M/D, YYYY.M.D), `excel` (Excel serial day numbers, 1900 system).
 */

import { XwalkError } from '../errors/errors.js';
import { parseIsoDate } from '../read/values.js';

export type DateReader = (v: string) => string | undefined;

const FULL_MONTHS = 'january february march april may june july august september october november december'.split(' ');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The readings used when no --date-format is given: none of them ambiguous, or documented month-first. */
export const DEFAULT_DATE_FORMATS = ['iso', 'YYYY/M/D', 'D-MMM-YYYY', 'D MMM YYYY', 'MMM D, YYYY', 'M/D/YYYY', 'M/D/YY'];

const NAMED: Record<string, string[]> = {
  iso: ['YYYY-M-D'],
  us: ['M/D/YYYY', 'M/D/YY'],
  mdy: ['M/D/YYYY', 'M.D.YYYY', 'M-D-YYYY', 'M/D/YY', 'M.D.YY', 'M-D-YY'],
  dmy: ['D/M/YYYY', 'D.M.YYYY', 'D-M-YYYY', 'D/M/YY', 'D.M.YY', 'D-M-YY'],
  ymd: ['YYYY/M/D', 'YYYY.M.D', 'YYYY-M-D'],
};

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function fullYear(yy: number): number {
  return yy >= 69 ? 1900 + yy : 2000 + yy;
}

/** Excel's 1900 date system: serial 1 is 1900-01-01; 60 is the 1900-02-29 Excel wrongly has. */
export function excelSerialDate(s: string): string | undefined {
  if (!/^\d{1,6}(?:\.\d+)?$/.test(s)) return undefined;
  const n = Math.floor(Number(s));
  if (n < 1 || n === 60 || n > 2_958_465) return undefined;
  const days = n < 60 ? n : n - 1;
  const d = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function compile(pattern: string): DateReader {
  let re = '^';
  const order: ('Y' | 'y' | 'M' | 'N' | 'D')[] = [];
  for (let i = 0; i < pattern.length;) {
    const rest = pattern.slice(i);
    const tok = /^(YYYY|YY|MMM|MM|M|DD|D)/.exec(rest)?.[1];
    if (tok) {
      if (tok === 'YYYY') ((re += '(\\d{4})'), order.push('Y'));
      else if (tok === 'YY') ((re += '(\\d{2})'), order.push('y'));
      else if (tok === 'MMM') ((re += '([A-Za-z]{3,9})'), order.push('N'));
      else if (tok[0] === 'M') ((re += tok === 'MM' ? '(\\d{2})' : '(\\d{1,2})'), order.push('M'));
      else ((re += tok === 'DD' ? '(\\d{2})' : '(\\d{1,2})'), order.push('D'));
      i += tok.length;
    } else {
      const ch = pattern[i]!;
      re += ch === ' ' ? '\\s+' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      i++;
    }
  }
  if (!order.some((o) => o === 'Y' || o === 'y') || !order.some((o) => o === 'M' || o === 'N') || !order.includes('D')) {
    throw new XwalkError(`--date-format "${pattern}" needs a year (YYYY or YY), a month (M, MM or MMM) and a day (D or DD)`, { hint: 'for example --date-format D.M.YYYY, or a named format: iso, us, dmy, mdy, ymd, excel' });
  }
  const rx = new RegExp(`${re}(?:$|[T\\s])`, 'i');
  return (v) => {
    const m = rx.exec(v.trim());
    if (!m) return undefined;
    let y = 0;
    let mo = 0;
    let d = 0;
    order.forEach((o, k) => {
      const g = m[k + 1]!;
      if (o === 'Y') y = Number(g);
      else if (o === 'y') y = fullYear(Number(g));
      else if (o === 'M') mo = Number(g);
      else if (o === 'N') {
        const g3 = g.toLowerCase();
        const i = MONTHS.indexOf(g3.slice(0, 3));
        mo = i >= 0 && (g3.length === 3 || g3 === 'sept' || FULL_MONTHS[i] === g3) ? i + 1 : 0;
      } else d = Number(g);
    });
    if (mo < 1) return undefined;
    return parseIsoDate(`${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`);
  };
}

/**
 * A reader for `--date-format` (comma-separated names or patterns, tried in order), or the
 * default readings. Throws XwalkError (exit 2) for a pattern it cannot use.
 */
export function dateReader(spec?: string): DateReader {
  const readers: DateReader[] = dateReadings(spec).map((r) => (r.kind === 'excel' ? (v: string) => excelSerialDate(v.trim()) : compile(r.pattern)));
  return (v) => {
    for (const r of readers) {
      const d = r(v);
      if (d !== undefined) return d;
    }
    return undefined;
  };
}

/**
 * The readings a --date-format gives, in the order they are tried (ISO first unless named):
 * patterns in the language above, or Excel serial numbers. Shared with the SQL compiler, which
 * writes the same readings as SQL. Throws XwalkError for a spec it cannot use.
 */
export function dateReadings(spec?: string): ({ kind: 'pattern'; pattern: string } | { kind: 'excel' })[] {
  const parts =
    spec === undefined
      ? DEFAULT_DATE_FORMATS
      : spec
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (!parts.length) throw new XwalkError('--date-format is empty', { hint: 'name a format: iso, us, dmy, mdy, ymd, excel, or a pattern such as D.M.YYYY' });
  const out: ({ kind: 'pattern'; pattern: string } | { kind: 'excel' })[] = [];
  for (const p of parts) {
    const lower = p.toLowerCase();
    if (lower === 'excel') out.push({ kind: 'excel' });
    else if (NAMED[lower]) out.push(...NAMED[lower]!.map((pattern) => ({ kind: 'pattern' as const, pattern })));
    else if (/^[a-z]+$/.test(p) && !/[YMD]/.test(p)) throw new XwalkError(`--date-format "${p}" is not a named format`, { hint: 'use iso, us, dmy, mdy, ymd or excel, or a pattern such as D.M.YYYY' });
    else {
      compile(p); // an unusable pattern stops here
      out.push({ kind: 'pattern', pattern: p });
    }
  }
  // ISO (with a time and zone) is always read: it cannot be mistaken for another order.
  if (!parts.some((p) => p.toLowerCase() === 'iso')) out.unshift({ kind: 'pattern', pattern: 'YYYY-M-D' });
  return out;
}

/** A pattern as a regular expression (without flags) and the order of its groups: for the SQL compiler. */
export function patternRegex(pattern: string): { source: string; order: ('Y' | 'y' | 'M' | 'N' | 'D')[] } {
  let re = '^';
  const order: ('Y' | 'y' | 'M' | 'N' | 'D')[] = [];
  for (let i = 0; i < pattern.length;) {
    const tok = /^(YYYY|YY|MMM|MM|M|DD|D)/.exec(pattern.slice(i))?.[1];
    if (tok) {
      if (tok === 'YYYY') ((re += '([0-9]{4})'), order.push('Y'));
      else if (tok === 'YY') ((re += '([0-9]{2})'), order.push('y'));
      else if (tok === 'MMM') ((re += '([A-Za-z]{3,9})'), order.push('N'));
      else if (tok[0] === 'M') ((re += tok === 'MM' ? '([0-9]{2})' : '([0-9]{1,2})'), order.push('M'));
      else ((re += tok === 'DD' ? '([0-9]{2})' : '([0-9]{1,2})'), order.push('D'));
      i += tok.length;
    } else {
      const ch = pattern[i]!;
      re += ch === ' ' ? '\\s+' : /[A-Za-z0-9]/.test(ch) ? ch : `[${ch === '\\' || ch === ']' || ch === '^' ? `\\${ch}` : ch}]`;
      i++;
    }
  }
  return { source: `${re}($|[Tt\\s])`, order };
}

export { FULL_MONTHS, MONTHS };
