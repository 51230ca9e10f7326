/**
 * Command-line values, declared once: the choice lists of the options (formats, policies,
 * encodings, shells), the `Option` builders that give commander those lists (so that help,
 * validation and shell completion all read them from commander's command tree), and the parsers
 * of flag values that several commands share. Flag text → typed values; a bad value is an
 * XwalkError (exit 2) naming the flag and what it accepts.
 *
 * The lists are checked against the core's types at compile time (`Same<...>` below), so a format
 * added to the core and not here (or the reverse) is a type error, not a silent gap. Only types
 * are imported from the core: declaring the options loads no command's code.
 */

import { XwalkError } from '../errors/errors.js';
import { closest } from '../errors/closest.js';
import { parseIsoDate } from '../read/values.js';
import type { AmbiguousPolicy, OutputFormat } from '../convert/plan.js';
import type { Encoding } from '../convert/stream.js';
import type { ExportFormat } from '../interchange/export.js';
import type { ImportFormat } from '../interchange/import.js';
import type { Paper } from '../interchange/html.js';
import type { RegistryIndex } from '../indexes/index.js';

/** True when A and B are the same union of literals (the choice lists cover the core's types). */
import type { DialectName } from '../sql/dialect.js';
import type { SqlDialect } from '../interchange/sql.js';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T): void => undefined;

export const CONVERT_FORMATS = ['csv', 'tsv', 'jsonl'] as const;
export const SUMMARY_FORMATS = ['table', 'csv', 'html'] as const;
export const EXPORT_FORMATS = ['fhir-r4', 'fhir-r5', 'sssom', 'csv', 'sql', 'parquet', 'html'] as const;
/** `xwalk sql --dialect`: the engines the conversion plan is compiled for (src/sql/dialect.ts). */
export const SQL_ENGINES = ['duckdb', 'postgres', 'spark', 'sqlite'] as const;
/** `export --format sql --dialect` (src/interchange/sql.ts). */
export const EXPORT_SQL_DIALECTS = ['portable', 'duckdb', 'postgres', 'spark', 'sqlite'] as const;
export const IMPORT_FORMATS = ['fhir-r4', 'fhir-r5', 'sssom', 'csv'] as const;
export const MODES = ['append', 'replace'] as const;
export const AMBIGUOUS_POLICIES = ['all', 'first', 'blank', 'error'] as const;
/** The canonical names; `parseEncoding` also takes utf8, latin-1, iso-8859-1, cp1252, win1252. */
export const ENCODINGS = ['utf-8', 'latin1', 'windows-1252'] as const;
export const PAPERS = ['a4', 'letter'] as const;
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
/** What `--unmapped` takes: these, and fixed:VALUE (so offered in completion, not enforced as choices). */
export const UNMAPPED_POLICIES = ['keep', 'blank', 'fixed:', 'error'] as const;
/** Summarize's `--by`: these, or a column of the input. */
export const PERIODS = ['month', 'year', 'none'] as const;

same<Same<(typeof CONVERT_FORMATS)[number], OutputFormat>>(true);
same<Same<(typeof EXPORT_FORMATS)[number], ExportFormat>>(true);
same<Same<(typeof IMPORT_FORMATS)[number], ImportFormat>>(true);
same<Same<(typeof AMBIGUOUS_POLICIES)[number], AmbiguousPolicy>>(true);
same<Same<(typeof ENCODINGS)[number], Encoding>>(true);
same<Same<(typeof PAPERS)[number], Paper>>(true);
same<Same<(typeof SQL_ENGINES)[number], DialectName>>(true);
same<Same<(typeof EXPORT_SQL_DIALECTS)[number], SqlDialect>>(true);

/** "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The one message for a value that is not among an option's (or argument's) choices. */
export function badChoice(flag: string, value: string, choices: readonly string[]): XwalkError {
  const near = closest(value, choices);
  return new XwalkError(`${flag} "${value}" is not ${orList(choices)}`, { code: 'bad-choice', ...(near ? { hint: `did you mean ${flag} ${near}?` } : {}) });
}

/** Repeatable options collect their values in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `--fact FIELD=VALUE` (repeatable; a field given twice has several values, for multi-valued
 * fields such as weapon). `flag` names the option in messages (`--context` is its alias on translate).
 */
export function parseFacts(pairs: string[] | undefined, flag = '--fact'): Map<string, string[]> {
  const facts = new Map<string, string[]>();
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new XwalkError(`${flag} "${p}" is not FIELD=VALUE`, { hint: `for example: ${flag} report=offense ${flag} weapon=12 (an empty value says "not recorded")` });
    const field = p.slice(0, i).trim();
    facts.set(field, [...(facts.get(field) ?? []), p.slice(i + 1)]);
  }
  return facts;
}

/** `--context FIELD=COLUMN` of convert and coverage: a condition field read from a column. */
export function parseContextColumns(pairs: string[] | undefined): { field: string; column: string }[] {
  return (pairs ?? []).map((p) => {
    const i = p.indexOf('=');
    if (i <= 0 || i === p.length - 1) throw new XwalkError(`--context "${p}" is not FIELD=COLUMN`, { hint: 'for example: --context property=PropertyType (the condition field property reads the column PropertyType)' });
    return { field: p.slice(0, i), column: p.slice(i + 1) };
  });
}

/** Fact names must be condition fields some crosswalk of the domain uses: a typo is an error. */
export function checkFactNames(index: RegistryIndex, domain: string, names: Iterable<string>, flag: string): void {
  let known: Set<string> | undefined;
  for (const n of names) {
    if (index.declaresField(domain, n)) continue;
    known ??= index.fieldNames(domain);
    if (known.has(n)) continue;
    const near = closest(n, [...known]);
    throw new XwalkError(`${flag} names the field "${n}", which no ${domain} crosswalk uses`, { hint: near ? `did you mean ${near}?` : known.size ? `fields: ${[...known].sort().join(', ')}` : `no ${domain} crosswalk has conditions` });
  }
}

export function parseValueSeparator(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length !== 1) throw new XwalkError(`--value-separator must be one character, not "${v}"`, { hint: 'for example --value-separator "|"' });
  return v;
}

export function parseAsOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = parseIsoDate(v);
  if (!d) throw new XwalkError(`--as-of "${v}" is not a date`, { hint: 'write it as YYYY-MM-DD, e.g. --as-of 2016-05-01' });
  return d;
}

export function parseMaxHops(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 6) throw new XwalkError(`--max-hops "${v}" must be a whole number from 1 to 6`);
  return n;
}

/** `--delimiter` / `--quote`: one character, never a line end; `tab` and `\t` name the tab. */
export function oneChar(v: string, flag: string): string {
  const s = v === '\\t' || v.toLowerCase() === 'tab' ? '\t' : v;
  if (s.length !== 1) throw new XwalkError(`${flag} must be one character, not "${v}"`, { hint: flag === '--delimiter' ? 'for example --delimiter ";" or --delimiter tab' : undefined });
  if (s === '\n' || s === '\r') throw new XwalkError(`${flag} cannot be a line end (CR or LF): records end there`, { hint: flag === '--delimiter' ? 'for example --delimiter ";" or --delimiter tab' : 'the usual quote is "' });
  return s;
}

/** `--encoding`: one of ENCODINGS, or a common alias of one (case and _ ignored). */
export function parseEncoding(v: string): Encoding {
  const s = v.toLowerCase().replace(/_/g, '-');
  if (s === 'utf-8' || s === 'utf8') return 'utf-8';
  if (s === 'latin1' || s === 'latin-1' || s === 'iso-8859-1') return 'latin1';
  if (s === 'windows-1252' || s === 'cp1252' || s === 'win1252') return 'windows-1252';
  throw new XwalkError(`--encoding "${v}" is not supported`, { hint: 'use utf-8 (the default, BOM or not), latin1 or windows-1252' });
}
