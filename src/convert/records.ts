/**
 * Translating a stream of records, for library users: objects in (an array, any iterable or async
 * iterable, or a Node object-mode stream), each record back with one TranslationResult per
 * column. The CSV `convert` command is the same translation with file handling around it.
 */

import type { RegistryIndex } from '../indexes/index.js';
import type { Domain } from '../model/types.js';
import { XwalkError } from '../errors/errors.js';
import { resolveDomain } from '../translate/translate.js';
import { ColumnPlan, dateMatters } from '../plan/column.js';
import type { TranslationResult } from '../translate/result.js';
import { dateReader } from './dates.js';
import { BoundedCache, keyOf } from '../plan/bounded.js';

export interface RecordTranslateOptions {
  from: string;
  to: string;
  /** The fields to translate: a name, or a name and its domain when the vocabularies share several. */
  columns: readonly (string | { name: string; domain?: Domain })[];
  /** Record facts for conditional mappings: condition field → the record's field that holds it. */
  context?: Readonly<Record<string, string>>;
  /** Translate with the meanings valid on this date (YYYY-MM-DD) ... */
  asOf?: string;
  /** ... or on each record's own date, read from this field (ISO, 2023/01/05, 5-Jan-2023, M/D/YYYY ...). */
  asOfField?: string;
  /** How `asOfField` dates are written, as convert's --date-format: `dmy`, `excel`, `D.M.YYYY` ... */
  dateFormat?: string;
  /** Values that mean "not recorded" (default `['NULL']`), in translated and context fields alike, as convert's --missing. */
  missing?: readonly string[];
  maxHops?: number;
  /** Facts of every record (`report: offense` for an offense file): settle conditions on the way. */
  facts?: Readonly<Record<string, string | readonly string[]>>;
  /** Splits one fact into several values for multi-valued fields (`12|40`). */
  valueSeparator?: string;
  /** Answer the common parent when the candidates lie under one and cover every value. */
  rollUp?: boolean;
}

export interface TranslatedRecord<R> {
  record: R;
  /** One result per requested field whose value is not empty (nor a `missing` word). */
  results: Record<string, TranslationResult>;
  /**
   * With `asOfField`: the record's date when it cannot be read. Fields whose answer does not
   * depend on the date are translated without it (convert counts them as a warning); those whose
   * answer does are listed in `dateNeeded` and have no result (convert's `bad-date`).
   */
  badDate?: string;
  dateNeeded?: string[];
  /** Fields whose value was a spreadsheet form of one code (`460.0`, `'0460`): field → the code translated. */
  repaired?: Record<string, string>;
}

type RecordLike = Readonly<Record<string, unknown>>;

/**
 * Each record with its translations, in input order. Values are translated once per distinct
 * (field, value, context, date) and the result shared. Throws XwalkError when a field's domain
 * cannot be decided, before reading any record.
 */
export async function* translateRecords<R extends RecordLike>(index: RegistryIndex, records: Iterable<R> | AsyncIterable<R>, opts: RecordTranslateOptions): AsyncGenerator<TranslatedRecord<R>> {
  const contextFields = Object.entries(opts.context ?? {});
  const facts = new Map(Object.entries(opts.facts ?? {}).map(([k, v]) => [k, typeof v === 'string' ? [v] : [...v]] as [string, string[]]));
  // One plan per field, as convert's: the same keys, facts, dates and classes (src/plan).
  const columns = opts.columns
    .map((c) => (typeof c === 'string' ? { name: c } : c))
    .map((c) => {
      const domain = resolveDomain(index, opts.from, opts.to, c.domain);
      const plan = new ColumnPlan(index, {
        from: opts.from,
        to: opts.to,
        domain,
        contextFields: contextFields.map(([f]) => f),
        ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}),
        ...(opts.valueSeparator !== undefined ? { valueSeparator: opts.valueSeparator } : {}),
        ...(opts.rollUp ? { rollUp: true } : {}),
        ...(facts.size ? { facts } : {}),
      });
      return { name: c.name, domain, plan };
    });
  if (!columns.length) throw new XwalkError('translateRecords needs at least one field in columns');
  const missing = new Set(['', ...(opts.missing ?? ['NULL']).map((m) => m.trim())]);
  const readDate = dateReader(opts.dateFormat);
  const memo = new BoundedCache<TranslationResult | 'needs-date'>(50_000);
  for await (const record of records) {
    // No prototype: a field named __proto__ or constructor is a field like any other (issue 15).
    const results = Object.create(null) as Record<string, TranslationResult>;
    // A context field's value is the record's own fact; empty, absent or a missing word says "not recorded" (as convert).
    const context = new Map(
      contextFields.map(([field, from]) => {
        const v = text(own(record, from));
        return [field, missing.has(v.trim()) ? '' : v] as [string, string];
      }),
    );
    let asOf = opts.asOf;
    let badDate: string | undefined;
    if (opts.asOfField !== undefined) {
      const raw = text(own(record, opts.asOfField));
      asOf = raw.trim() === '' ? undefined : readDate(raw);
      if (raw.trim() !== '' && asOf === undefined) badDate = raw;
    }
    const ctxParts = [...context.values()];
    const dateNeeded: string[] = [];
    let repaired: Record<string, string> | undefined;
    for (const col of columns) {
      const value = text(own(record, col.name));
      if (missing.has(value.trim())) continue;
      const key = col.domain === 'unit' ? undefined : col.plan.resolveKey(value);
      if (key?.repaired !== undefined) (repaired ??= Object.create(null) as Record<string, string>)[col.name] = key.repaired;
      const input = key?.repaired ?? value;
      // Length-prefixed parts: values that differ by a NUL or any other character never share a slot.
      const mk = keyOf([col.name, input, badDate !== undefined ? '?' : (asOf ?? ''), ...ctxParts]);
      let r = memo.get(mk);
      if (!r) {
        if (key && badDate !== undefined && col.plan.decide(key.code, context, undefined, true) === 'needs-date') r = 'needs-date';
        else if (!key && badDate !== undefined && dateMatters((d) => col.plan.translate(input, context, d))) r = 'needs-date';
        else r = col.plan.translate(input, context, badDate !== undefined ? undefined : asOf, true);
        memo.set(mk, r);
      }
      if (r === 'needs-date') dateNeeded.push(col.name);
      else results[col.name] = r;
    }
    yield { record, results, ...(badDate !== undefined ? { badDate, dateNeeded } : {}), ...(repaired ? { repaired } : {}) };
  }
}

/** A record's field: what Object.prototype would answer for `__proto__`, `constructor` ... is not a field. */
function own(record: RecordLike, name: string): unknown {
  return name in Object.prototype && !Object.prototype.hasOwnProperty.call(record, name) ? undefined : record[name];
}

function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}
