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
import { conditionText } from '../load/fields.js';
import { dateReader, type DateReader } from './dates.js';
import { repairCode } from './repair.js';
import type { RegistryIndex } from '../indexes/index.js';
import { CsvSyntaxError, fieldValue, rawFields, type RecordView } from '../records/csv-reader.js';
import { excelSafe, isFormula, quoteField } from '../records/csv-writer.js';
import { translateCode } from '../translate/translate.js';
import type { Outcome, TranslationResult } from '../translate/result.js';
import { makePlan, type ConvertOptions, type Plan } from './plan.js';
import { compareText } from '../model/order.js';
import { BoundedCache, BoundedCounts, keyOf } from './bounded.js';
import { mergeStates, type ConverterState, type ValueCount } from './merge.js';

/** Distinct values whose translation is kept per column (two generations of this many; issue 15). */
export const DECISION_CACHE_CAP = 32_768;
/** Distinct unmapped values counted exactly per column before the rarest are dropped. */
export const VALUE_COUNTS_CAP = 65_536;
/** Values of each column's top list that get label suggestions in the report (unknown ones only). */
const SUGGESTED_VALUES = 10;

export type CellStatus = Outcome | 'empty' | 'bad-date';

/** What one distinct value of a column becomes; cached. */
interface Decision {
  /** The appended cells as written in CSV/TSV (delimiter first), rendered once per decision. */
  suffix?: string;
  status: CellStatus;
  /** The value to write, or undefined when the row must be rejected. */
  out: string | undefined;
  reason: string;
  relation: string;
  confidence: string;
  path: string;
  /** --explain: the conditions the answer rests on (met, settled by codes, or left open per candidate). */
  conditions: string;
  /** Facts of the record its fields could not read (an unknown weapon code): counted in the report. */
  badFacts?: { field: string; value: string; message: string }[];
  /** The code a spreadsheet-mangled value stood for (`460.0` → 0460; issue 20). */
  repaired?: string;
  /** The row's date could not be read, and the answer does not depend on it (issue 20). */
  dateIgnored?: boolean;
}

export interface ColumnReport {
  column: string;
  domain: string;
  counts: Record<CellStatus, number>;
  /** Values written as something other than their translation (kept, blanked, fixed, first of several). */
  substituted: number;
  /** The most frequent values that did not map, with their outcome and count. */
  topUnmapped: { value: string; status: CellStatus; count: number; reason: string; suggestions?: { code: string; label: string }[] }[];
  /** Distinct values that did not map (at least the length of topUnmapped). */
  distinctUnmapped: number;
  /** True when more distinct unmapped values were seen than are counted exactly (counts of the top list may then be low). */
  topUnmappedApproximate?: boolean;
  /** Facts (context cells, --fact values) a condition field could not read, with how many rows had each (the most frequent). */
  badFacts: { field: string; value: string; message: string; count: number }[];
  /** Spreadsheet-mangled values read as the one code they stand for (`460.0`, `'0460`): how many, and the most frequent. */
  repairedCount: number;
  repaired: { value: string; code: string; count: number }[];
  /** Cells translated without their row's date, which could not be read but which the answer does not depend on. */
  badDatesIgnored: number;
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
  /** Output, in order (text, or UTF-8 bytes from the two-thread path); awaiting it is the backpressure. */
  write(chunk: string | Uint8Array): Promise<void> | void;
  /** Rejected rows, in order: each is its raw text as read (without line end), its line and why. */
  reject?(rows: RejectedRow[], eol: string): Promise<void> | void;
}

export interface RejectedRow {
  raw: string;
  line: number;
  reason: string;
}

export interface FormatOptions {
  delimiter: string;
  quote: string;
}

const EMPTY_COUNTS = (): Record<CellStatus, number> => ({ mapped: 0, ambiguous: 0, 'no-mapping': 0, unknown: 0, expired: 0, empty: 0, 'bad-date': 0 });

const defaultDates = dateReader();

/** Dates as exports write them with the default readings (see dates.ts): ISO, 2023/01/05, 5-Jan-2023, 1/13/2021 12:00:00 AM. */
export function recordDate(v: string): string | undefined {
  return defaultDates(v);
}

/** Whether a translation depends on the date: an early or a late one changes the answer (issue 20). */
export function dateMatters(at: (asOf: string | undefined) => TranslationResult): boolean {
  const sig = (r: TranslationResult) => `${r.outcome} ${r.candidates.map((c) => c.designator ?? c.code).join('|')}`;
  const none = sig(at(undefined));
  return sig(at('0001-01-01')) !== none || sig(at('9999-12-31')) !== none;
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

/**
 * The conditions an answer rests on, for --explain: a mapped value's conditions (met by the record,
 * or settled by the facts of the run, the codes or the mappings); an ambiguous value's candidates each with what would pick it.
 */
function conditionsText(r: TranslationResult, best: NonNullable<TranslationResult['best']>): string {
  const one = (c: NonNullable<TranslationResult['best']>) => [...c.conditions.map(conditionText), ...(c.implied ?? []).map((x) => `${conditionText(x)} (settled by the facts)`)].join(', ');
  if (r.outcome !== 'ambiguous') return one(best);
  return r.candidates.map((c) => `${c.designator ?? c.code}${c.conditions.length ? ` if ${c.conditions.filter((x) => c.needs.includes(x.field)).map(conditionText).join(', ')}` : ''}`).join('; ');
}

class ColumnState {
  readonly cache = new BoundedCache<Decision>(DECISION_CACHE_CAP);
  readonly counts = EMPTY_COUNTS();
  readonly valueCounts = new BoundedCounts<ValueCount>(VALUE_COUNTS_CAP);
  readonly badFacts = new BoundedCounts<{ field: string; value: string; message: string; count: number }>(VALUE_COUNTS_CAP);
  readonly repaired = new BoundedCounts<{ code: string; count: number }>(VALUE_COUNTS_CAP);
  /** Whether a (value, context)'s answer depends on the date: asked once, however many unreadable dates it meets. */
  readonly dateDependent = new BoundedCache<boolean>(DECISION_CACHE_CAP);
  repairedCount = 0;
  badDatesIgnored = 0;
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
  private readonly readDate: DateReader;
  /** The input's delimiter: a ragged rejected row is padded with it (issue 20). */
  private readonly inDelim: string;
  /** Where the cell being written stands, for a TSV cell that cannot be written (issue 20). */
  private at: { line: number; column: string } | undefined;
  /** Converted columns' indexes into plan.columns, in the order they stand in a record. */
  private readonly byPosition: number[];

  constructor(
    private readonly index: RegistryIndex,
    private readonly opts: ConvertOptions,
    inHeader: string[],
    input: FormatOptions,
    private readonly canReject: boolean,
  ) {
    this.plan = makePlan(index, opts, inHeader);
    this.states = this.plan.columns.map((c) => new ColumnState(c.name, c.domain));
    this.d = opts.format === 'tsv' ? '\t' : opts.format === 'csv' ? input.delimiter : ',';
    this.q = input.quote;
    this.missing = new Set(['', ...opts.missing]);
    this.readDate = opts.dateFormat !== undefined ? dateReader(opts.dateFormat) : defaultDates;
    this.inDelim = input.delimiter;
    // TSV is always written cell by cell: IANA TSV has no quoting, so every cell is checked (issue 20).
    this.passthrough = opts.format === 'csv' && this.d === input.delimiter && !opts.excelSafe;
    this.byPosition = this.plan.columns.map((_, i) => i).sort((a, b) => this.plan.columns[a]!.index - this.plan.columns[b]!.index);
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
    if (this.opts.format === 'tsv') return tsvCell(s, this.opts.tsvEscape === true, this.at);
    return quoteField(s, this.d, this.q);
  }

  private field(v: RecordView, i: number): string {
    return fieldValue(v.text.slice(v.fs[i]!, v.fe[i]!), this.q);
  }

  private decide(state: ColumnState, value: string, v: RecordView): Decision {
    const ctx = this.plan.context.length ? this.plan.context.map((c) => this.field(v, c.index)) : [];
    let asOf = this.opts.asOf;
    let dateRaw = '';
    if (this.plan.asOfIndex !== undefined) {
      dateRaw = this.field(v, this.plan.asOfIndex);
      asOf = dateRaw.trim() === '' ? undefined : this.readDate(dateRaw);
    }
    const key = ctx.length || this.plan.asOfIndex !== undefined ? keyOf([value, ...ctx, asOf !== undefined ? `d${asOf}` : `r${dateRaw}`]) : value;
    let d = state.cache.get(key);
    if (d) return d;
    if (value.trim() === '' || this.missing.has(value.trim())) {
      // Blank, whitespace-only or a --missing word (NULL): nothing recorded, not a code (issue 20).
      // Written back as it was; in append mode the target cell stays empty.
      d = { status: 'empty', out: value.trim() === '' || this.opts.mode === 'replace' ? value : '', reason: '', relation: '', confidence: '', path: '', conditions: '' };
    } else {
      // A column's value is the record's own fact (the run's --fact values go as `facts`). An
      // empty cell or a --missing word says "not recorded".
      const context = new Map<string, string | readonly string[]>();
      this.plan.context.forEach((c, i) => context.set(c.field, this.missing.has(ctx[i]!.trim()) ? '' : ctx[i]!));
      // A spreadsheet-mangled code (460.0, '0460, 4.6E+02) is read as the one code it stands for.
      const table = this.index.table(this.opts.from, state.domain);
      const repaired = table && !this.index.term(this.opts.from, state.domain, value) ? repairCode(value, (f) => this.index.term(this.opts.from, state.domain, f)?.code) : undefined;
      const code = repaired ?? value;
      // No label suggestions per value: the report computes them once, for its top values (issue 15).
      const at = (date: string | undefined) =>
        translateCode(this.index, code, {
          suggest: false,
          from: this.opts.from,
          to: this.opts.to,
          domain: state.domain,
          ...(date !== undefined ? { asOf: date } : {}),
          ...(this.opts.maxHops !== undefined ? { maxHops: this.opts.maxHops } : {}),
          ...(this.opts.valueSeparator !== undefined ? { valueSeparator: this.opts.valueSeparator } : {}),
          ...(this.opts.rollUp ? { rollUp: true } : {}),
          ...(this.opts.facts?.size ? { facts: this.opts.facts } : {}),
          context,
        });
      const badDate = this.plan.asOfIndex !== undefined && dateRaw.trim() !== '' && asOf === undefined;
      // An unreadable date matters only when the answer depends on the date (issue 20).
      let dependent: boolean | undefined;
      if (badDate) {
        const k = keyOf([value, ...ctx]);
        dependent = state.dateDependent.get(k);
        if (dependent === undefined) state.dateDependent.set(k, (dependent = dateMatters(at)));
      }
      if (dependent) d = this.unmapped('bad-date', value, `the date "${dateRaw}" in column ${this.plan.inHeader[this.plan.asOfIndex!]} cannot be read, and the answer depends on it`);
      else {
        const r = at(asOf);
        d = this.fromResult(r, value);
        if (r.badFacts?.length) d.badFacts = r.badFacts;
        if (badDate) d.dateIgnored = true;
      }
      if (repaired !== undefined) d.repaired = repaired;
    }
    state.cache.set(key, d);
    return d;
  }

  private unmapped(status: CellStatus, value: string, reason: string): Decision {
    const p = this.opts.unmapped;
    const out = p.kind === 'keep' ? value : p.kind === 'blank' ? '' : p.kind === 'fixed' ? p.value : undefined;
    return { status, out, reason, relation: '', confidence: '', path: '', conditions: '' };
  }

  private fromResult(r: TranslationResult, value: string): Decision {
    const explain = (c: NonNullable<TranslationResult['best']>) => ({
      relation: c.relation,
      confidence: String(c.confidence),
      path: c.path.map((s) => `${s.crosswalk}${s.inverted ? '(inverse)' : ''}`).join(' > '),
      conditions: conditionsText(r, c),
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

  /** Output text of the rows converted since the last take. */
  private out: string[] = [];
  private rejected: RejectedRow[] = [];

  /** Takes the pending output and rejected rows (the driver writes them, with backpressure). */
  take(): { out: string; rejected: RejectedRow[] } {
    const r = { out: this.out.join(''), rejected: this.rejected };
    this.out = [];
    this.rejected = [];
    return r;
  }

  /** Converts one record into the pending output, or sets it aside as rejected. Synchronous. */
  row(v: RecordView, eol: string, width: number): void {
    this.report.rowsRead++;
    if (v.count !== width) {
      const reason = `the record has ${v.count} field${v.count === 1 ? '' : 's'}, the header has ${width}`;
      if (!this.opts.skipBadRows) throw new CsvSyntaxError(reason, v.line, v.text.slice(v.start, Math.min(v.end, v.start + 200)), 'width');
      this.report.badRows++;
      // The reject file keeps the header's columns (issue 20): a short record is padded with empty
      // fields; a long one keeps the header's number, the rest goes in the reason as read.
      const fields = rawFields(v);
      if (v.count < width) return this.rejectRow(v, reason, v.text.slice(v.start, v.end) + this.inDelim.repeat(width - v.count));
      return this.rejectRow(v, `${reason}; the fields past the header's, as read: ${fields.slice(width).join(this.inDelim)}`, fields.slice(0, width).join(this.inDelim));
    }
    const n = this.states.length;
    const decisions = this.decisions;
    let rejectReason: string | undefined;
    for (let i = 0; i < n; i++) {
      const st = this.states[i]!;
      const col = this.plan.columns[i]!;
      const value = this.field(v, col.index);
      const d = this.decide(st, value, v);
      st.counts[d.status]++;
      if (d.dateIgnored) st.badDatesIgnored++;
      if (d.repaired !== undefined) {
        st.repairedCount++;
        const e = st.repaired.get(value);
        if (e) e.count++;
        else st.repaired.add(value, { code: d.repaired, count: 1 });
      }
      if (d.badFacts) {
        for (const b of d.badFacts) {
          const key = keyOf([b.field, b.value]);
          const e = st.badFacts.get(key);
          if (e) e.count++;
          else st.badFacts.add(key, { ...b, count: 1 });
        }
      }
      if (d.status !== 'mapped' && d.status !== 'empty') {
        const vc = st.valueCounts.get(value);
        if (vc) vc.count++;
        else st.valueCounts.add(value, { count: 1, status: d.status, reason: d.reason, first: v.line });
        if (d.out !== undefined) st.substituted++;
      }
      if (d.out === undefined && rejectReason === undefined) rejectReason = `${col.name} "${value}": ${d.status}${d.reason ? ` (${d.reason})` : ''}`;
      decisions[i] = d;
    }
    if (rejectReason !== undefined) {
      if (!this.canReject) throw new XwalkError(`line ${v.line}: ${rejectReason}`, { exitCode: 1, hint: '--reject FILE sets such rows aside and goes on; --unmapped keep|blank|fixed:VALUE and --ambiguous first|blank|all write them instead' });
      return this.rejectRow(v, rejectReason);
    }
    this.report.rowsWritten++;
    this.out.push(this.render(v, decisions, eol));
  }

  private readonly decisions: Decision[] = [];

  private rejectRow(v: RecordView, reason: string, raw = v.text.slice(v.start, v.end)): void {
    this.report.rowsRejected++;
    if (!this.canReject) throw new XwalkError(`line ${v.line}: ${reason}`, { hint: '--reject FILE sets such rows aside' });
    this.rejected.push({ raw, line: v.line, reason });
  }

  private render(v: RecordView, decisions: Decision[], eol: string): string {
    const cols = this.plan.columns;
    const explain = this.opts.explain;
    const append = this.opts.mode === 'append';
    if (this.opts.format === 'jsonl') {
      // No prototype: a column named __proto__ or constructor is a column like any other (issue 15).
      const obj = Object.create(null) as Record<string, string>;
      const names = this.plan.outHeader;
      const values = rawFields(v).map((f) => fieldValue(f, this.q));
      if (!append) cols.forEach((c, i) => (values[c.index] = decisions[i]!.out!));
      values.forEach((x, i) => (obj[names[i]!] = x));
      let k = v.count;
      cols.forEach((_, i) => {
        const d = decisions[i]!;
        if (append) {
          obj[names[k++]!] = d.out!;
          obj[names[k++]!] = d.status;
        } else if (explain) obj[names[k++]!] = d.status;
        if (explain) {
          obj[names[k++]!] = d.relation;
          obj[names[k++]!] = d.confidence;
          obj[names[k++]!] = d.path;
          obj[names[k++]!] = d.conditions;
        }
      });
      return JSON.stringify(obj) + '\n';
    }
    let line: string;
    if (this.passthrough) {
      // The record's own text, with the replaced fields spliced in (columns in file order).
      if (append) line = v.text.slice(v.start, v.end);
      else {
        line = '';
        let at = v.start;
        for (const i of this.byPosition) {
          const c = cols[i]!;
          line += v.text.slice(at, v.fs[c.index]!) + this.cell(decisions[i]!.out!);
          at = v.fe[c.index]!;
        }
        line += v.text.slice(at, v.end);
      }
    } else {
      const names = this.plan.inHeader;
      const at = (i: number) => (this.at = { line: v.line, column: names[i] ?? String(i + 1) });
      const out = rawFields(v).map((f, i) => (at(i), this.cell(fieldValue(f, this.q))));
      if (!append) cols.forEach((c, i) => (at(c.index), (out[c.index] = this.cell(decisions[i]!.out!))));
      line = out.join(this.d);
    }
    for (let i = 0; i < cols.length; i++) {
      this.at = { line: v.line, column: this.plan.columns[i]!.outName };
      line += this.suffix(decisions[i]!);
    }
    this.at = undefined;
    return line + eol;
  }

  /** The cells a decision appends, rendered once and kept with the cached decision. */
  private suffix(d: Decision): string {
    if (d.suffix !== undefined) return d.suffix;
    let s = '';
    if (this.opts.mode === 'append') s += this.d + this.cell(d.out!) + this.d + d.status;
    else if (this.opts.explain) s += this.d + d.status;
    if (this.opts.explain) s += this.d + this.cell(d.relation) + this.d + d.confidence + this.d + this.cell(d.path) + this.d + this.cell(d.conditions);
    // --excel-safe counts neutralised cells: render every time then, so the count is per cell.
    if (!this.opts.excelSafe) d.suffix = s;
    return s;
  }

  /** What this converter has counted, as plain data (for a converter in another thread; see merge.ts). */
  state(): ConverterState {
    return {
      rowsRead: this.report.rowsRead,
      rowsWritten: this.report.rowsWritten,
      rowsRejected: this.report.rowsRejected,
      badRows: this.report.badRows,
      cellsNeutralised: this.report.cellsNeutralised,
      crosswalks: [...this.crosswalks],
      columns: this.states.map((st) => ({
        counts: { ...st.counts },
        substituted: st.substituted,
        repairedCount: st.repairedCount,
        badDatesIgnored: st.badDatesIgnored,
        valueCounts: [...st.valueCounts.entries()],
        valueCountsApproximate: st.valueCounts.approximate,
        badFacts: [...st.badFacts.entries()],
        repaired: [...st.repaired.entries()],
      })),
    };
  }

  /** The report: of this converter's rows, plus those of converters in other threads (`others`, merged exactly). */
  finish(others: readonly ConverterState[] = []): ConvertReport {
    const all = mergeStates([this.state(), ...others], VALUE_COUNTS_CAP);
    Object.assign(this.report, { rowsRead: all.rowsRead, rowsWritten: all.rowsWritten, rowsRejected: all.rowsRejected, badRows: all.badRows, cellsNeutralised: all.cellsNeutralised });
    this.report.columns = this.states.map((st, i) => {
      const c = all.columns[i]!;
      const top = c.valueCounts
        .sort((a, b) => b[1].count - a[1].count || compareText(a[0], b[0]))
        .slice(0, 10)
        .map(([value, { count, status, reason }]) => ({ value, count, status, reason }));
      for (const u of top.slice(0, SUGGESTED_VALUES)) {
        if (u.status !== 'unknown') continue;
        const s = this.index.suggest(this.opts.from, st.domain, u.value).map((t) => ({ code: t.code, label: t.label }));
        if (s.length) Object.assign(u, { suggestions: s });
      }
      const badFacts = c.badFacts.map(([, b]) => b).sort((a, b) => b.count - a.count || compareText(a.field, b.field) || compareText(a.value, b.value)).slice(0, 20);
      const repaired = c.repaired.map(([value, e]) => ({ value, ...e })).sort((a, b) => b.count - a.count || compareText(a.value, b.value)).slice(0, 20);
      return { column: st.name, domain: st.domain, counts: c.counts, substituted: c.substituted, topUnmapped: top, distinctUnmapped: c.valueCounts.length, ...(c.valueCountsApproximate ? { topUnmappedApproximate: true } : {}), badFacts, repairedCount: c.repairedCount, repaired, badDatesIgnored: c.badDatesIgnored };
    });
    this.report.crosswalksUsed = [...new Set(all.crosswalks)].sort();
    return this.report;
  }
}
