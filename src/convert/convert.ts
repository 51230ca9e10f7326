/**
 * The convert stage: records of an export → the same records in another vocabulary, plus a
 * report. Pure apart from the two sinks it is handed (output and rejects): no files, no console.
 *
 * Each distinct (value, context, date) of a column is translated once and cached. Every row is
 * either written or rejected, never dropped: rows in = rows out + rows rejected, and the report
 * counts every value by outcome. Columns that are not converted are written back exactly as they
 * were read (same bytes) when the output is CSV with the input's delimiter and quote.
 */

import { XwalkError } from '../load/errors.js';
import { parseIsoDate } from '../load/fields.js';
import type { RegistryIndex } from '../indexes/index.js';
import type { CsvRecord } from '../records/csv-reader.js';
import { CsvSyntaxError, fieldValue } from '../records/csv-reader.js';
import { excelSafe, isFormula, quoteField } from '../records/csv-writer.js';
import { translateCode } from '../translate/translate.js';
import type { Outcome, TranslationResult } from '../translate/result.js';
import { makePlan, type ConvertOptions, type Plan } from './plan.js';

export type CellStatus = Outcome | 'empty' | 'bad-date';

/** What one distinct value of a column becomes; cached. */
interface Decision {
  status: CellStatus;
  /** The value to write, or undefined when the row must be rejected. */
  out: string | undefined;
  reason: string;
  relation: string;
  confidence: string;
  path: string;
}

export interface ColumnReport {
  column: string;
  domain: string;
  counts: Record<CellStatus, number>;
  /** Values written as something other than their translation (kept, blanked, fixed, first of several). */
  substituted: number;
  /** The most frequent values that did not map, with their outcome and count. */
  topUnmapped: { value: string; status: CellStatus; count: number; reason: string }[];
}

export interface ConvertReport {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  /** Malformed records set aside with --skip-bad-rows (also counted in rowsRejected). */
  badRows: number;
  /** Cells prefixed with ' by --excel-safe. */
  cellsNeutralised: number;
  columns: ColumnReport[];
  /** Crosswalks that answered at least one value. */
  crosswalksUsed: string[];
}

export interface Sinks {
  /** Output text, in order; awaiting it is the backpressure. */
  write(chunk: string): Promise<void> | void;
  /** A rejected row: its raw text as read, and why. */
  reject?(raw: string[], eol: string, reason: string, line: number): Promise<void> | void;
}

export interface FormatOptions {
  delimiter: string;
  quote: string;
}

const EMPTY_COUNTS = (): Record<CellStatus, number> => ({ mapped: 0, ambiguous: 0, 'no-mapping': 0, unknown: 0, expired: 0, empty: 0, 'bad-date': 0 });

/** Dates as exports write them: ISO (2021-01-13, 2021-01-13T10:00) or US (1/13/2021 12:00:00 AM). */
export function recordDate(v: string): string | undefined {
  const s = v.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/.exec(s);
  if (iso) return parseIsoDate(iso[1]!);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(s);
  if (us) return parseIsoDate(`${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`);
  return undefined;
}

class ColumnState {
  readonly cache = new Map<string, Decision>();
  readonly counts = EMPTY_COUNTS();
  readonly valueCounts = new Map<string, { count: number; status: CellStatus; reason: string }>();
  substituted = 0;
  constructor(
    readonly name: string,
    readonly domain: string,
  ) {}
}

export class Converter {
  readonly plan: Plan;
  private readonly states: ColumnState[];
  private readonly crosswalks = new Set<string>();
  private readonly passthrough: boolean;
  readonly report: ConvertReport;
  private readonly q: string;
  private readonly d: string;
  private readonly missing: Set<string>;

  constructor(
    private readonly index: RegistryIndex,
    private readonly opts: ConvertOptions,
    inHeader: string[],
    private readonly input: FormatOptions,
  ) {
    this.plan = makePlan(index, opts, inHeader);
    this.states = this.plan.columns.map((c) => new ColumnState(c.name, c.domain));
    this.d = opts.format === 'tsv' ? '\t' : opts.format === 'csv' ? input.delimiter : ',';
    this.q = input.quote;
    this.missing = new Set(['', ...opts.missing]);
    this.passthrough = opts.format !== 'jsonl' && this.d === input.delimiter && !opts.excelSafe;
    this.report = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, badRows: 0, cellsNeutralised: 0, columns: [], crosswalksUsed: [] };
  }

  /** The header line to write (CSV/TSV), or undefined for JSON lines. */
  headerLine(eol: string, rawHeader?: string[]): string | undefined {
    if (this.opts.format === 'jsonl' || !this.opts.header) return undefined;
    const extra = this.plan.outHeader.slice(this.plan.inHeader.length).map((h) => this.cell(h));
    const base = this.passthrough && rawHeader ? rawHeader : this.plan.inHeader.map((h) => this.cell(h));
    return [...base, ...extra].join(this.d) + eol;
  }

  private cell(v: string): string {
    let s = v;
    if (this.opts.excelSafe && isFormula(s)) {
      s = excelSafe(s);
      this.report.cellsNeutralised++;
    }
    return quoteField(s, this.d, this.q);
  }

  private decide(state: ColumnState, value: string, row: string[]): Decision {
    const ctx = this.plan.context.length ? this.plan.context.map((c) => fieldValue(row[c.index] ?? '', this.q)) : [];
    let asOf = this.opts.asOf;
    let dateRaw = '';
    if (this.plan.asOfIndex !== undefined) {
      dateRaw = fieldValue(row[this.plan.asOfIndex] ?? '', this.q);
      asOf = dateRaw.trim() === '' ? undefined : recordDate(dateRaw);
    }
    const key = ctx.length || this.plan.asOfIndex !== undefined ? `${value}\u0000${ctx.join('\u0000')}\u0000${asOf ?? dateRaw}` : value;
    let d = state.cache.get(key);
    if (d) return d;
    if (this.plan.asOfIndex !== undefined && dateRaw.trim() !== '' && asOf === undefined) {
      d = this.unmapped('bad-date', value, `the date "${dateRaw}" in column ${this.plan.inHeader[this.plan.asOfIndex]} cannot be read`);
    } else if (value.trim() === '') {
      d = { status: 'empty', out: '', reason: '', relation: '', confidence: '', path: '' };
    } else {
      const context = new Map<string, string>();
      this.plan.context.forEach((c, i) => {
        if (!this.missing.has(ctx[i]!.trim())) context.set(c.field, ctx[i]!);
      });
      const r = translateCode(this.index, value, {
        from: this.opts.from,
        to: this.opts.to,
        domain: state.domain,
        ...(asOf !== undefined ? { asOf } : {}),
        ...(this.opts.maxHops !== undefined ? { maxHops: this.opts.maxHops } : {}),
        context,
      });
      d = this.fromResult(r, value);
    }
    state.cache.set(key, d);
    return d;
  }

  private unmapped(status: CellStatus, value: string, reason: string): Decision {
    const p = this.opts.unmapped;
    const out = p.kind === 'keep' ? value : p.kind === 'blank' ? '' : p.kind === 'fixed' ? p.value : undefined;
    return { status, out, reason, relation: '', confidence: '', path: '' };
  }

  private fromResult(r: TranslationResult, value: string): Decision {
    const explain = (c: NonNullable<TranslationResult['best']>) => ({
      relation: c.relation,
      confidence: String(c.confidence),
      path: c.path.map((s) => `${s.crosswalk}${s.inverted ? '(inverse)' : ''}`).join(' > '),
    });
    for (const c of r.candidates) for (const s of c.path) this.crosswalks.add(s.crosswalk);
    if (r.outcome === 'mapped') {
      const b = r.best!;
      return { status: 'mapped', out: b.designator ?? b.code, reason: '', ...explain(b) };
    }
    if (r.outcome === 'ambiguous') {
      const codes = r.candidates.map((c) => c.designator ?? c.code);
      const p = this.opts.ambiguous;
      const out = p === 'first' ? codes[0]! : p === 'blank' ? '' : p === 'all' ? [...new Set(codes)].join('|') : undefined;
      return { status: 'ambiguous', out, reason: r.message, ...explain(r.best!) };
    }
    return this.unmapped(r.outcome, value, r.reason ? `${r.reason}: ${r.message}` : r.message);
  }

  /** Converts one record; writes it or rejects it. */
  async row(rec: CsvRecord, eol: string, sinks: Sinks, width: number): Promise<void> {
    this.report.rowsRead++;
    const raw = rec.raw;
    if (raw.length !== width) {
      const reason = `the record has ${raw.length} field${raw.length === 1 ? '' : 's'}, the header has ${width}`;
      if (!this.opts.skipBadRows) throw new CsvSyntaxError(reason, rec.line, raw.join(this.input.delimiter), 'width');
      this.report.badRows++;
      return this.rejectRow(rec, reason, sinks);
    }
    const decisions: (Decision | undefined)[] = [];
    let rejectReason: string | undefined;
    for (let i = 0; i < this.states.length; i++) {
      const st = this.states[i]!;
      const col = this.plan.columns[i]!;
      const value = fieldValue(raw[col.index]!, this.q);
      const d = this.decide(st, value, raw);
      st.counts[d.status]++;
      if (d.status !== 'mapped' && d.status !== 'empty') {
        const vc = st.valueCounts.get(value);
        if (vc) vc.count++;
        else st.valueCounts.set(value, { count: 1, status: d.status, reason: d.reason });
        if (d.out !== undefined) st.substituted++;
      }
      if (d.out === undefined && rejectReason === undefined) rejectReason = `${col.name} "${value}": ${d.status}${d.reason ? ` (${d.reason})` : ''}`;
      decisions.push(d);
    }
    if (rejectReason !== undefined) {
      if (!sinks.reject) throw new XwalkError(`line ${rec.line}: ${rejectReason}`, { exitCode: 1, hint: '--reject FILE sets such rows aside and goes on; --unmapped keep|blank|fixed:VALUE and --ambiguous first|blank|all write them instead' });
      return this.rejectRow(rec, rejectReason, sinks);
    }
    this.report.rowsWritten++;
    await sinks.write(this.render(raw, decisions as Decision[], eol));
  }

  private async rejectRow(rec: CsvRecord, reason: string, sinks: Sinks): Promise<void> {
    this.report.rowsRejected++;
    if (!sinks.reject) throw new XwalkError(`line ${rec.line}: ${reason}`, { hint: '--reject FILE sets such rows aside' });
    await sinks.reject(rec.raw, rec.eol, reason, rec.line);
  }

  private render(raw: string[], decisions: Decision[], eol: string): string {
    const cols = this.plan.columns;
    const explain = this.opts.explain;
    if (this.opts.format === 'jsonl') {
      const obj: Record<string, string> = {};
      const names = this.plan.outHeader;
      const values = raw.map((f) => fieldValue(f, this.q));
      cols.forEach((c, i) => {
        if (this.opts.mode === 'replace') values[c.index] = decisions[i]!.out!;
      });
      values.forEach((v, i) => (obj[names[i]!] = v));
      let k = raw.length;
      cols.forEach((_, i) => {
        const d = decisions[i]!;
        if (this.opts.mode === 'append') {
          obj[names[k++]!] = d.out!;
          obj[names[k++]!] = d.status;
        } else if (explain) obj[names[k++]!] = d.status;
        if (explain) {
          obj[names[k++]!] = d.relation;
          obj[names[k++]!] = d.confidence;
          obj[names[k++]!] = d.path;
        }
      });
      return JSON.stringify(obj) + '\n';
    }
    const out = this.passthrough ? raw.slice() : raw.map((f) => this.cell(fieldValue(f, this.q)));
    if (this.opts.mode === 'replace') cols.forEach((c, i) => (out[c.index] = this.cell(decisions[i]!.out!)));
    cols.forEach((_, i) => {
      const d = decisions[i]!;
      if (this.opts.mode === 'append') out.push(this.cell(d.out!), d.status);
      else if (explain) out.push(d.status);
      if (explain) out.push(this.cell(d.relation), d.confidence, this.cell(d.path));
    });
    return out.join(this.d) + eol;
  }

  finish(): ConvertReport {
    this.report.columns = this.states.map((st) => {
      const top = [...st.valueCounts.entries()]
        .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([value, v]) => ({ value, ...v }));
      return { column: st.name, domain: st.domain, counts: { ...st.counts }, substituted: st.substituted, topUnmapped: top };
    });
    this.report.crosswalksUsed = [...this.crosswalks].sort();
    return this.report;
  }
}
