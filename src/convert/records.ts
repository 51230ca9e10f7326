/**
 * Translating a stream of records, for library users: objects in (an array, any iterable or async
 * iterable, or a Node object-mode stream), each record back with one TranslationResult per
 * column. The CSV `convert` command is the same translation with file handling around it.
 */

import type { RegistryIndex } from '../indexes/index.js';
import type { Domain } from '../model/types.js';
import { XwalkError } from '../load/errors.js';
import { resolveDomain, translateCode } from '../translate/translate.js';
import type { TranslationResult } from '../translate/result.js';
import { recordDate } from './convert.js';

export interface RecordTranslateOptions {
  from: string;
  to: string;
  /** The fields to translate: a name, or a name and its domain when the vocabularies share several. */
  columns: readonly (string | { name: string; domain?: Domain })[];
  /** Record facts for conditional mappings: condition field → the record's field that holds it. */
  context?: Readonly<Record<string, string>>;
  /** Translate with the meanings valid on this date (YYYY-MM-DD) ... */
  asOf?: string;
  /** ... or on each record's own date, read from this field (ISO or M/D/YYYY). */
  asOfField?: string;
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
  /** One result per requested field whose value is not empty. */
  results: Record<string, TranslationResult>;
  /**
   * With `asOfField`: the record's date when it cannot be read. Nothing of the record is then
   * translated (results is empty), as `convert` marks such cells `bad-date`; an empty date
   * translates without one.
   */
  badDate?: string;
}

type RecordLike = Readonly<Record<string, unknown>>;

/**
 * Each record with its translations, in input order. Values are translated once per distinct
 * (field, value, context, date) and the result shared. Throws XwalkError when a field's domain
 * cannot be decided, before reading any record.
 */
export async function* translateRecords<R extends RecordLike>(index: RegistryIndex, records: Iterable<R> | AsyncIterable<R>, opts: RecordTranslateOptions): AsyncGenerator<TranslatedRecord<R>> {
  const columns = opts.columns.map((c) => (typeof c === 'string' ? { name: c } : c)).map((c) => ({ name: c.name, domain: resolveDomain(index, opts.from, opts.to, c.domain) }));
  if (!columns.length) throw new XwalkError('translateRecords needs at least one field in columns');
  const contextFields = Object.entries(opts.context ?? {});
  const memo = new Map<string, TranslationResult>();
  const facts = new Map(Object.entries(opts.facts ?? {}));
  const extra = { ...(facts.size ? { facts } : {}), ...(opts.valueSeparator !== undefined ? { valueSeparator: opts.valueSeparator } : {}), ...(opts.rollUp ? { rollUp: true } : {}) };
  for await (const record of records) {
    const results: Record<string, TranslationResult> = {};
    const context = new Map(contextFields.map(([field, from]) => [field, text(record[from])] as [string, string]).filter(([, v]) => v !== ''));
    let asOf = opts.asOf;
    if (opts.asOfField !== undefined) {
      const raw = text(record[opts.asOfField]);
      asOf = raw.trim() === '' ? undefined : recordDate(raw);
      if (raw.trim() !== '' && asOf === undefined) {
        yield { record, results, badDate: raw };
        continue;
      }
    }
    const ctxKey = [...context].map(([k, v]) => `${k}=${v}`).join('\u0001');
    for (const col of columns) {
      const value = text(record[col.name]);
      if (value.trim() === '') continue;
      const key = `${col.name}\u0000${value}\u0000${ctxKey}\u0000${asOf ?? ''}`;
      let r = memo.get(key);
      if (!r) {
        r = translateCode(index, value, { from: opts.from, to: opts.to, domain: col.domain, context, ...extra, ...(asOf !== undefined ? { asOf } : {}), ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}) });
        if (memo.size >= 100_000) memo.clear();
        memo.set(key, r);
      }
      results[col.name] = r;
    }
    yield { record, results };
  }
}

function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}
