/**
 * What a conversion will do, settled before the first row: which columns, in which domain,
 * which columns feed conditions and dates, and how unmapped and ambiguous values are written.
 * Built from the header and the options; every mistake in them is an XwalkError (exit 2)
 * raised here, before any output is written.
 */

import { XwalkError } from '../errors/errors.js';
import { closest } from '../errors/closest.js';
import type { RegistryIndex } from '../indexes/index.js';
import { resolveDomain } from '../translate/translate.js';

import type { UnmappedPolicy, AmbiguousPolicy } from '../plan/cells.js';
export type { UnmappedPolicy, AmbiguousPolicy };
export type OutputFormat = 'csv' | 'tsv' | 'jsonl';

export interface ColumnRequest {
  column: string;
  domain?: string;
}

export interface ConvertOptions {
  from: string;
  to: string;
  columns: ColumnRequest[];
  mode: 'append' | 'replace';
  unmapped: UnmappedPolicy;
  ambiguous: AmbiguousPolicy;
  explain: boolean;
  /** Record facts for conditional mappings: condition field ← column. */
  context: { field: string; column: string }[];
  /** Facts that hold for every record (`--fact report=offense`). */
  facts?: ReadonlyMap<string, readonly string[]>;
  /** Splits a context cell into several values for multi-valued fields (`12|40`). */
  valueSeparator?: string;
  /** Answer the common parent when the candidates lie under one and cover every value. */
  rollUp?: boolean;
  /** Cells that mean "not recorded" (default NULL), in context and code columns alike: a condition is then unanswered, a code cell counts as empty (issue 20). */
  missing: string[];
  asOf?: string;
  asOfColumn?: string;
  /** How the --as-of-column dates are written (dates.ts: named formats or a pattern); default: the unambiguous forms and M/D/YYYY. */
  dateFormat?: string;
  maxHops?: number;
  excelSafe: boolean;
  skipBadRows: boolean;
  /** Input has a header row (default true); without one, columns are named 1, 2, 3 ... */
  header: boolean;
  format: OutputFormat;
  /** TSV output: write tabs, line breaks and backslashes in cells as \t \n \r \\ instead of refusing them (issue 20). */
  tsvEscape?: boolean;
}

export interface PlannedColumn {
  name: string;
  index: number;
  domain: string;
  /** Suffix of the appended columns: `<name>_<to>`. */
  outName: string;
}

export interface Plan {
  columns: PlannedColumn[];
  context: { field: string; index: number }[];
  asOfIndex: number | undefined;
  /** Header of the output, in order. */
  outHeader: string[];
  inHeader: string[];
}

export function parseUnmapped(v: string): UnmappedPolicy {
  if (v === 'keep' || v === 'blank' || v === 'error') return { kind: v };
  if (v.startsWith('fixed:')) return { kind: 'fixed', value: v.slice(6) };
  throw new XwalkError(`--unmapped "${v}" is not keep, blank, fixed:VALUE or error`);
}

export function parseAmbiguous(v: string): AmbiguousPolicy {
  if (v === 'first' || v === 'blank' || v === 'all' || v === 'error') return v;
  throw new XwalkError(`--ambiguous "${v}" is not first, blank, all or error`);
}

/** `offense_code:offense` or `offense_code` → a request. */
export function parseColumnRequest(v: string): ColumnRequest {
  const i = v.lastIndexOf(':');
  if (i > 0 && /^[a-z][a-z0-9-]*$/.test(v.slice(i + 1))) return { column: v.slice(0, i), domain: v.slice(i + 1) };
  if (!v.trim()) throw new XwalkError('--column needs a column name, like --column offense_code:offense');
  return { column: v };
}

export function makePlan(index: RegistryIndex, opts: ConvertOptions, inHeader: string[]): Plan {
  const find = (name: string, flag: string): number => {
    let i = inHeader.indexOf(name);
    if (i < 0) i = inHeader.findIndex((h) => h.trim() === name.trim());
    if (i < 0 && !opts.header && /^\d+$/.test(name)) i = Number(name) - 1;
    if (i < 0 || i >= inHeader.length) {
      const near = closest(name, inHeader.filter(Boolean));
      // One header field holding ; or tabs: the file is delimited otherwise (issue 20).
      const other = inHeader.length === 1 ? [';', '\t', '|'].find((c) => inHeader[0]!.includes(c)) : undefined;
      if (other) throw new XwalkError(`${flag} names a column "${name}" that the input does not have: its header is one field, "${inHeader[0]!.slice(0, 60)}"`, { hint: `the file looks ${other === '\t' ? 'tab' : other}-delimited: try --delimiter ${other === '\t' ? 'tab' : `"${other}"`}` });
      throw new XwalkError(`${flag} names a column "${name}" that the input does not have`, { hint: near ? `did you mean "${near}"? The columns are: ${inHeader.join(', ')}` : `the columns are: ${inHeader.join(', ')}` });
    }
    const dup = inHeader.indexOf(inHeader[i]!, i + 1);
    if (dup >= 0 && opts.header) throw new XwalkError(`the header names column "${name}" twice (fields ${i + 1} and ${dup + 1})`, { hint: 'rename one of them in the input' });
    return i;
  };
  if (!opts.columns.length) throw new XwalkError('no column to convert', { hint: 'name one with --column COLUMN[:DOMAIN], e.g. --column offense_code:offense' });
  const seen = new Set<number>();
  const columns = opts.columns.map((c) => {
    const idx = find(c.column, '--column');
    if (seen.has(idx)) throw new XwalkError(`--column "${c.column}" is named twice`);
    seen.add(idx);
    let domain: string;
    try {
      domain = resolveDomain(index, opts.from, opts.to, c.domain);
    } catch (e) {
      if (e instanceof XwalkError && c.domain === undefined && e.code === 'several-domains') {
        const shared = index.sharedDomains(opts.from, opts.to);
        throw new XwalkError(`${opts.from} and ${opts.to} share several domains (${shared.join(', ')}): say which one column "${c.column}" holds`, { hint: `for example: --column ${c.column}:${shared[0]}` });
      }
      throw e;
    }
    return { name: inHeader[idx]!, index: idx, domain, outName: `${inHeader[idx]}_${opts.to}` };
  });
  const context = opts.context.map((c) => ({ field: c.field, index: find(c.column, '--context') }));
  const asOfIndex = opts.asOfColumn !== undefined ? find(opts.asOfColumn, '--as-of-column') : undefined;
  const extra: string[] = [];
  for (const c of columns) {
    if (opts.mode === 'append') extra.push(c.outName, `${c.name}_status`);
    else if (opts.explain) extra.push(`${c.name}_status`);
    if (opts.explain) extra.push(`${c.name}_relation`, `${c.name}_confidence`, `${c.name}_path`, `${c.name}_conditions`);
  }
  if (opts.format === 'jsonl') {
    // JSON objects need unique names: a repeated or empty header name would lose a value.
    const seenNames = new Map<string, number>();
    inHeader.forEach((h, i) => {
      if (h.trim() === '') throw new XwalkError(`field ${i + 1} of the header has no name, which JSON lines output cannot carry`, { hint: 'name the column in the input, or write CSV (--format csv)' });
      const prev = seenNames.get(h);
      if (prev !== undefined) throw new XwalkError(`the header names column "${h}" twice (fields ${prev + 1} and ${i + 1}), which JSON lines output cannot carry`, { hint: 'rename one of them in the input, or write CSV (--format csv)' });
      seenNames.set(h, i);
    });
  }
  for (const e of extra) if (inHeader.includes(e)) throw new XwalkError(`the output column "${e}" already exists in the input`, { hint: 'use --mode replace, or rename the input column' });
  return { columns, context, asOfIndex, outHeader: [...inHeader, ...extra], inHeader };
}
