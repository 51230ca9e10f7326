/**
 * How a converted record is written: one writer per output format, chosen by `rowWriter`
 * (issue 18). Rendering only; the Converter decides each cell and counts.
 *
 * - PassthroughCsv: CSV with the input's delimiter and quote, without --excel-safe: the record's
 *   own text (the same bytes), the converted cells spliced in (replace) and appended.
 * - CellWriter: CSV with another delimiter, or --excel-safe, or TSV: every cell written again
 *   (quoted, made safe for spreadsheets, or checked for what TSV cannot carry).
 * - JsonLines: one JSON object per record, named by the output header.
 *
 * A writer writes into a RowOut (row-out.ts): text, or bytes copied from the input.
 */

import { XwalkError } from '../errors/errors.js';
import { fieldValue, rawFields, type RecordView } from '../records/csv-reader.js';
import { excelSafe, isFormula, quoteField } from '../records/csv-writer.js';
import type { CellStatus } from './merge.js';
import type { ConvertOptions, Plan } from './plan.js';
import type { RowOut } from './row-out.js';

export interface FormatOptions {
  delimiter: string;
  quote: string;
}

/** The cells one converted column writes for a record (a cached decision of the Converter). */
export interface WrittenCells {
  status: CellStatus;
  /** The value to write (always set for a row that is written). */
  out: string | undefined;
  relation: string;
  confidence: string;
  path: string;
  conditions: string;
  /** The appended cells as written (delimiter first), rendered once per decision. */
  suffix?: string;
  /** The suffix's bytes, once a byte writer has written it (row-out.ts), and a view of them for short copies. */
  suffixBytes?: Uint8Array;
  suffixView?: DataView;
}

export interface RowWriter {
  /** The header line to write, or undefined (JSON lines, or no header). */
  header(eol: string, rawHeader?: string[]): string | undefined;
  /** Writes one record, with the cells of each converted column (plan order), and its line end. */
  row(out: RowOut, v: RecordView, cells: readonly WrittenCells[], eol: string): void;
}

/** What a writer needs: the options, the column plan, the input's format, and a counter of cells made safe for spreadsheets. */
export interface WriterContext {
  opts: ConvertOptions;
  plan: Plan;
  input: FormatOptions;
  neutralised(): void;
}

/** The writer for the run's output format. */
export function rowWriter(ctx: WriterContext): RowWriter {
  const { opts, input } = ctx;
  if (opts.format === 'jsonl') return new JsonLines(ctx);
  if (opts.format === 'csv' && input.delimiter === outputDelimiter(opts, input) && !opts.excelSafe) return new PassthroughCsv(ctx);
  return new CellWriter(ctx);
}

/** The output's delimiter: tab for TSV, the input's for CSV. */
export function outputDelimiter(opts: ConvertOptions, input: FormatOptions): string {
  return opts.format === 'tsv' ? '\t' : opts.format === 'csv' ? input.delimiter : ',';
}

/**
 * A TSV cell (issue 20): IANA TSV has no quoting, so a tab or a line break cannot be written; it
 * stops the run (exit 2, naming the record and column) unless --tsv-escape writes `\t` `\n` `\r`
 * (and `\` as `\\`).
 */
export function tsvCell(s: string, escape: boolean, at?: { line: number; column: string }): string {
  if (escape) return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
  if (/[\t\n\r]/.test(s)) {
    const where = at ? `line ${at.line}, column ${at.column}` : 'the header';
    throw new XwalkError(`${where}: the cell holds a ${s.includes('\t') ? 'tab' : 'line break'}, which TSV output cannot carry (TSV has no quoting)`, { hint: 'write CSV (--format csv), or pass --tsv-escape to write tabs and line breaks as \\t, \\n, \\r (and \\ as \\\\)' });
  }
  return s;
}

/** CSV or TSV: cells joined by a delimiter; the converted columns' appended cells rendered once per decision. */
abstract class Delimited implements RowWriter {
  protected readonly d: string;
  protected readonly q: string;
  /** Where the cell being written stands, for a TSV cell that cannot be written (issue 20). */
  protected at: { line: number; column: string } | undefined;

  constructor(protected readonly ctx: WriterContext) {
    this.d = outputDelimiter(ctx.opts, ctx.input);
    this.q = ctx.input.quote;
  }

  abstract row(out: RowOut, v: RecordView, cells: readonly WrittenCells[], eol: string): void;

  /** The input's header as read (passthrough), or its names written again. */
  protected baseHeader(rawHeader: string[] | undefined): string[] {
    void rawHeader;
    return this.ctx.plan.inHeader.map((h) => this.cell(h));
  }

  header(eol: string, rawHeader?: string[]): string | undefined {
    if (!this.ctx.opts.header) return undefined;
    const plan = this.ctx.plan;
    const extra = plan.outHeader.slice(plan.inHeader.length).map((h) => this.cell(h));
    return [...this.baseHeader(rawHeader), ...extra].join(this.d) + eol;
  }

  protected cell(v: string): string {
    const opts = this.ctx.opts;
    let s = v;
    if (opts.excelSafe && isFormula(s)) {
      s = excelSafe(s);
      this.ctx.neutralised();
    }
    if (opts.format === 'tsv') return tsvCell(s, opts.tsvEscape === true, this.at);
    return quoteField(s, this.d, this.q);
  }

  /** The appended cells of every converted column, then the line end. */
  protected end(out: RowOut, cells: readonly WrittenCells[], line: number, eol: string): void {
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const s = this.suffix(c, line, i);
      if (c.suffix !== undefined) out.memo(s, c);
      else out.text(s);
    }
    this.at = undefined;
    out.end(eol);
  }

  /** The cells a decision appends, rendered once and kept with the cached decision. */
  private suffix(c: WrittenCells, line: number, i: number): string {
    if (c.suffix !== undefined) return c.suffix;
    const opts = this.ctx.opts;
    const d = this.d;
    this.at = { line, column: this.ctx.plan.columns[i]!.outName };
    let s = '';
    if (opts.mode === 'append') s += d + this.cell(c.out!) + d + c.status;
    else if (opts.explain) s += d + c.status;
    if (opts.explain) s += d + this.cell(c.relation) + d + c.confidence + d + this.cell(c.path) + d + this.cell(c.conditions);
    // --excel-safe counts neutralised cells: render every time then, so the count is per cell.
    if (!opts.excelSafe) c.suffix = s;
    return s;
  }
}

/** CSV in the input's own dialect: the record's text as read, converted fields spliced in (columns in file order). */
class PassthroughCsv extends Delimited {
  /** Converted columns' indexes into plan.columns, in the order they stand in a record. */
  private readonly byPosition: number[];

  constructor(ctx: WriterContext) {
    super(ctx);
    const cols = ctx.plan.columns;
    this.byPosition = cols.map((_, i) => i).sort((a, b) => cols[a]!.index - cols[b]!.index);
  }

  protected override baseHeader(rawHeader: string[] | undefined): string[] {
    return rawHeader ?? super.baseHeader(rawHeader);
  }

  row(out: RowOut, v: RecordView, cells: readonly WrittenCells[], eol: string): void {
    if (this.ctx.opts.mode === 'append') out.span(v.text, v.start, v.end);
    else {
      const cols = this.ctx.plan.columns;
      let at = v.start;
      for (const i of this.byPosition) {
        const c = cols[i]!;
        out.span(v.text, at, v.fs[c.index]!);
        out.text(this.cell(cells[i]!.out!));
        at = v.fe[c.index]!;
      }
      out.span(v.text, at, v.end);
    }
    this.end(out, cells, v.line, eol);
  }
}

/** Every cell written again: another delimiter, --excel-safe, or TSV. */
class CellWriter extends Delimited {
  row(out: RowOut, v: RecordView, cells: readonly WrittenCells[], eol: string): void {
    const { plan, opts } = this.ctx;
    const names = plan.inHeader;
    const at = (i: number) => (this.at = { line: v.line, column: names[i] ?? String(i + 1) });
    const written = rawFields(v).map((f, i) => (at(i), this.cell(fieldValue(f, this.q))));
    if (opts.mode !== 'append') plan.columns.forEach((c, i) => (at(c.index), (written[c.index] = this.cell(cells[i]!.out!))));
    out.text(written.join(this.d));
    this.end(out, cells, v.line, eol);
  }
}

/** One JSON object per record, keys the output header's names. */
class JsonLines implements RowWriter {
  constructor(private readonly ctx: WriterContext) {}

  header(): undefined {
    return undefined;
  }

  row(out: RowOut, v: RecordView, cells: readonly WrittenCells[]): void {
    const { opts, plan, input } = this.ctx;
    const append = opts.mode === 'append';
    const explain = opts.explain;
    // No prototype: a column named __proto__ or constructor is a column like any other (issue 15).
    const obj = Object.create(null) as Record<string, string>;
    const names = plan.outHeader;
    const values = rawFields(v).map((f) => fieldValue(f, input.quote));
    if (!append) plan.columns.forEach((c, i) => (values[c.index] = cells[i]!.out!));
    values.forEach((x, i) => (obj[names[i]!] = x));
    let k = v.count;
    for (const c of cells) {
      if (append) {
        obj[names[k++]!] = c.out!;
        obj[names[k++]!] = c.status;
      } else if (explain) obj[names[k++]!] = c.status;
      if (explain) {
        obj[names[k++]!] = c.relation;
        obj[names[k++]!] = c.confidence;
        obj[names[k++]!] = c.path;
        obj[names[k++]!] = c.conditions;
      }
    }
    out.text(JSON.stringify(obj));
    out.end('\n');
  }
}
