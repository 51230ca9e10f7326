/**
 * Convert's flags → the options of a conversion (StreamOptions): every check of the flags
 * alone, done before any file is opened. Shared by `convert` and `convert --incident`.
 */

import { XwalkError } from '../../errors/errors.js';
import { parseColumnRequest, parseUnmapped, type ConvertOptions, type OutputFormat } from '../../convert/plan.js';
import { dateReader } from '../../convert/dates.js';
import type { StreamOptions } from '../../convert/stream.js';
import { type AMBIGUOUS_POLICIES, type MODES, oneChar, parseAsOf, parseContextColumns, parseEncoding, parseFacts, parseMaxHops, parseValueSeparator } from '../flags.js';

export interface ConvertFlags {
  from: string;
  to: string;
  column?: string[];
  output?: string;
  mode: (typeof MODES)[number];
  unmapped?: string;
  ambiguous: (typeof AMBIGUOUS_POLICIES)[number];
  explain?: boolean;
  reject?: string;
  strict?: boolean;
  context?: string[];
  fact?: string[];
  valueSeparator?: string;
  rollUp?: boolean;
  missing: string;
  asOf?: string;
  asOfColumn?: string;
  dateFormat?: string;
  maxHops?: string;
  report?: string;
  delimiter: string;
  quote: string;
  header: boolean;
  encoding: string;
  format: OutputFormat;
  excelSafe?: boolean;
  tsvEscape?: boolean;
  skipBadRows?: boolean;
  progress?: boolean;
}

export function convertOptions(flags: ConvertFlags): StreamOptions {
  // --mode, --format, --ambiguous and --encoding were checked against their choices by commander.
  const { mode, format } = flags;
  const context = parseContextColumns(flags.context);
  if (flags.asOf !== undefined && flags.asOfColumn !== undefined) throw new XwalkError('--as-of and --as-of-column exclude each other', { hint: 'use --as-of-column for a date per record, --as-of for one date for all' });
  const asOf = parseAsOf(flags.asOf);
  const maxHops = parseMaxHops(flags.maxHops);
  if (flags.dateFormat !== undefined) {
    if (flags.asOfColumn === undefined) throw new XwalkError('--date-format says how --as-of-column dates are written, and there is no --as-of-column', { hint: 'add --as-of-column COLUMN, or leave --date-format out' });
    dateReader(flags.dateFormat); // an unusable pattern stops here, before any input is read
  }
  const delimiter = oneChar(flags.delimiter, '--delimiter');
  const quote = oneChar(flags.quote, '--quote');
  if (delimiter === quote) throw new XwalkError('--delimiter and --quote must differ');
  const opts: ConvertOptions = {
    from: flags.from,
    to: flags.to,
    columns: (flags.column ?? []).map(parseColumnRequest),
    mode,
    // Append mode keeps the source column: the target column stays empty where nothing mapped (issue 20).
    unmapped: parseUnmapped(flags.unmapped ?? (mode === 'append' ? 'blank' : 'keep')),
    ambiguous: flags.ambiguous,
    explain: Boolean(flags.explain),
    context,
    facts: parseFacts(flags.fact),
    ...(flags.valueSeparator !== undefined ? { valueSeparator: parseValueSeparator(flags.valueSeparator)! } : {}),
    ...(flags.rollUp ? { rollUp: true } : {}),
    missing: flags.missing.split(',').map((s) => s.trim()),
    excelSafe: Boolean(flags.excelSafe),
    skipBadRows: Boolean(flags.skipBadRows),
    header: flags.header,
    format,
    ...(flags.tsvEscape ? { tsvEscape: true } : {}),
    ...(asOf !== undefined ? { asOf } : {}),
    ...(flags.asOfColumn !== undefined ? { asOfColumn: flags.asOfColumn } : {}),
    ...(flags.dateFormat !== undefined ? { dateFormat: flags.dateFormat } : {}),
    ...(maxHops !== undefined ? { maxHops } : {}),
  };
  if (flags.tsvEscape && format !== 'tsv') throw new XwalkError('--tsv-escape applies to TSV output only', { hint: 'add --format tsv, or leave --tsv-escape out' });
  if (opts.skipBadRows && !flags.reject) throw new XwalkError('--skip-bad-rows needs --reject FILE', { hint: 'malformed records are set aside there, so that no row is lost' });
  return { ...opts, delimiter, quote, encoding: parseEncoding(flags.encoding) };
}
