/**
 * Small and large CSV tables of vocabulary data (term lists, mapping lists) → rows with their
 * line numbers. Read whole (they are vocabulary files, not exports), with the same tokenizer as
 * `convert` (records/csv-reader.ts): 100,000-row lists load in a fraction of a second.
 *
 * Every cell is text; nothing is type-inferred. A UTF-8 BOM is accepted.
 */

import type { IsoDate, SourceLoc } from '../model/types.js';
import { parseIsoDate } from './values.js';
import { CsvSyntaxError, CsvTokenizer, fieldValue, type RecordView } from '../records/csv-reader.js';
import { error, type Diagnostic } from '../errors/errors.js';

export interface CsvTable {
  /** Lower-cased, trimmed header names. */
  header: string[];
  /** Column index by header name. */
  index: Map<string, number>;
  rows: CsvRow[];
}

export interface CsvRow {
  values: string[];
  loc: SourceLoc;
}

/** A date cell (YYYY-MM-DD), undefined when blank; a bad date is a diagnostic naming `what`. */
export function dateCell(value: string | undefined, loc: SourceLoc, what: string, out: Diagnostic[]): IsoDate | undefined {
  if (value === undefined) return undefined;
  const d = parseIsoDate(value);
  if (!d) out.push(error('bad-date', loc, `${what} is "${value}", not a date`, 'write dates as YYYY-MM-DD'));
  return d;
}

/** The cell of `row` under column `name` ('' when the table has no such column). */
export function cell(table: CsvTable, row: CsvRow, name: string): string {
  const i = table.index.get(name);
  return i === undefined ? '' : (row.values[i] ?? '');
}

export function readCsvTable(text: string, file: string, required: readonly string[], known: readonly string[] | null): { table?: CsvTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { values: string[]; line: number }[] = [];
  const tok = new CsvTokenizer({ delimiter: ',', quote: '"' });
  const take = (v: RecordView) => {
    if (v.count === 1 && v.start === v.end) return; // a blank line
    const values = new Array<string>(v.count);
    for (let i = 0; i < v.count; i++) values[i] = fieldValue(v.text.slice(v.fs[i]!, v.fe[i]!));
    records.push({ values, line: v.line });
  };
  try {
    tok.push(body, take);
    tok.end(take);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    diagnostics.push(error('csv-syntax', { file, line: e.line, col: 0 }, e.message, 'fix the row; quote fields that contain commas, quotes or line breaks, and double the quotes inside them'));
    return { diagnostics };
  }
  const first = records[0];
  if (!first) {
    diagnostics.push(error('csv-empty', { file, line: 1, col: 0 }, 'the file is empty', `the first line must be a header: ${required.join(',')}`));
    return { diagnostics };
  }
  const header = first.values.map((h) => h.trim().toLowerCase());
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (index.has(h)) diagnostics.push(error('csv-header', { file, line: first.line, col: 0 }, `the header names column "${h}" twice`));
    else index.set(h, i);
    if (known && !known.includes(h)) diagnostics.push(error('csv-header', { file, line: first.line, col: 0 }, `unknown column "${first.values[i]}" in the header`, `known columns: ${known.join(', ')}`));
  });
  for (const r of required) {
    if (!index.has(r)) diagnostics.push(error('csv-header', { file, line: first.line, col: 0 }, `the header has no "${r}" column`, `the first line must name at least: ${required.join(',')}`));
  }
  if (diagnostics.length) return { diagnostics };
  const rows: CsvRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    if (r.values.length !== header.length) {
      diagnostics.push(error('csv-syntax', { file, line: r.line, col: 0 }, `this row has a different number of fields than the header (${r.values.length}, the header has ${header.length})`, 'fix the row; quote fields that contain commas, quotes or line breaks'));
      continue;
    }
    rows.push({ values: r.values, loc: { file, line: r.line, col: 0 } });
  }
  return { table: { header, index, rows }, diagnostics };
}
