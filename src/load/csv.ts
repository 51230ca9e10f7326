/**
 * Small CSV tables (term lists, crosswalk mapping lists) → header-keyed rows with their line
 * numbers. These files are vocabulary data a person edits in a spreadsheet, so they are read whole;
 * record exports go through the streaming converter instead, never through here.
 *
 * Every cell is text; nothing is type-inferred. A UTF-8 BOM is accepted.
 */

import { parse } from 'csv-parse/sync';
import type { SourceLoc } from '../model/types.js';
import { error, type Diagnostic } from './errors.js';

export interface CsvRow {
  /** Cells by lower-cased, trimmed header name. */
  cells: Map<string, string>;
  loc: SourceLoc;
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export function readCsvTable(text: string, file: string, required: readonly string[], known: readonly string[] | null): { table?: CsvTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    const reason = err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? 'this row has a different number of fields than the header' : err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : err.message.replace(/^[A-Za-z ]+: /, '');
    // csv-parse reports an unclosed quote at the end of the file; point at the line that opened it.
    const line = err.code === 'CSV_QUOTE_NOT_CLOSED' ? (openQuoteLine(text) ?? err.lines ?? 0) : (err.lines ?? 0);
    diagnostics.push(error('csv-syntax', { file, line, col: 0 }, reason, 'fix the row; quote fields that contain commas, quotes or line breaks'));
    return { diagnostics };
  }
  const first = records[0];
  if (!first) {
    diagnostics.push(error('csv-empty', { file, line: 1, col: 0 }, 'the file is empty', `the first line must be a header: ${required.join(',')}`));
    return { diagnostics };
  }
  const header = first.record.map((h) => h.trim().toLowerCase());
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (seen.has(h)) diagnostics.push(error('csv-header', { file, line: 1, col: 0 }, `the header names column "${h}" twice`));
    seen.add(h);
    if (known && !known.includes(h)) diagnostics.push(error('csv-header', { file, line: 1, col: 0 }, `unknown column "${first.record[i]}" in the header`, `known columns: ${known.join(', ')}`));
  });
  for (const r of required) {
    if (!seen.has(r)) diagnostics.push(error('csv-header', { file, line: 1, col: 0 }, `the header has no "${r}" column`, `the first line must name at least: ${required.join(',')}`));
  }
  if (diagnostics.length) return { diagnostics };
  const rows: CsvRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!;
    const newlines = record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    const cells = new Map<string, string>();
    header.forEach((h, j) => cells.set(h, record[j] ?? ''));
    rows.push({ cells, loc: { file, line: info.lines - newlines, col: 0 } });
  }
  return { table: { header, rows }, diagnostics };
}

/** The line on which the last quoted field that is still open at the end of `text` began. */
function openQuoteLine(text: string): number | undefined {
  let line = 1;
  let openedAt: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    else if (ch !== '"') continue;
    else if (openedAt === undefined) openedAt = line;
    else if (text[i + 1] === '"') i++; // an escaped quote inside the field
    else openedAt = undefined;
  }
  return openedAt;
}
