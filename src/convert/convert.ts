/**
 * The convert stage: records of an export → the same records in another vocabulary, plus a
 * report. Pure apart from the two sinks it is handed (output and rejects): no files, no console.
 *
 * Each distinct (value, context, date) of a column is translated once and cached. Every row is
 * either written or rejected, never dropped: rows in = rows out + rows rejected, and the report
 * counts every value by outcome. Columns that are not converted are written back exactly as they
 * were read (same bytes) when the output is CSV with the input's delimiter and quote.
 */

import { XwalkError } from '../errors/errors.js';
import { dateReader, type DateReader } from './dates.js';
import type { RegistryIndex } from '../indexes/index.js';
import { CsvSyntaxError, fieldValue, rawFields, recordText, type RecordView } from '../records/csv-reader.js';
import { ColumnPlan, dateMatters } from '../plan/column.js';
import { answerCells, unmappedOut } from '../plan/cells.js';

export { dateMatters };
import type { TranslationResult } from '../translate/result.js';
import { makePlan, type ConvertOptions, type Plan } from './plan.js';
import { ByteOut, TextOut, type RowOut } from './row-out.js';
import { rowWriter, tsvCell, type FormatOptions, type RowWriter, type WrittenCells } from './writers.js';
import { compareText } from '../model/order.js';
import { BoundedCache, BoundedCounts, keyOf } from '../plan/bounded.js';
import { mergeStates, type CellStatus, type ConverterState, type ValueCount } from './merge.js';

/** Distinct values whose translation is kept per column (two generations of this many; issue 15). */
export const DECISION_CACHE_CAP = 32_768;
/** Distinct unmapped values counted exactly per column before the rarest are dropped. */
export const VALUE_COUNTS_CAP = 65_536;
/** Values of each column's top list that get label suggestions in the report (unknown ones only). */
const SUGGESTED_VALUES = 10;

export type { CellStatus };

/** What one distinct value of a column becomes; cached. Its cells are written by the run's RowWriter (writers.ts). */
interface Decision extends WrittenCells {
  status: CellStatus;
  /** The value to write, or undefined when the row must be rejected. */
  out: string | undefined;
  /** Why it did not map; undefined until `reasonOf` is asked (see reasonText). */
  reason: string | undefined;
  reasonOf?: () => string;
  relation: string;
  confidence: string;
  path: string;
  /** --explain: the conditions the answer rests on (met, settled by codes, or left open per candidate). */
  conditions: string;
  /** Facts of the record its fields could not read (an unknown weapon code): counted in the report. */
  badFacts?: { field: string; value: string; message: string }[] | undefined;
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
  /** `write` is done with the bytes when it returns (a file written at once): their buffer may be used again. */
  writesAtOnce?: boolean;
  /** Rejected rows, in order: each is its raw text as read (without line end), its line and why. */
  reject?(rows: RejectedRow[], eol: string): Promise<void> | void;
}

export interface RejectedRow {
  raw: string;
  line: number;
  reason: string;
}

export type { FormatOptions };

const EMPTY_COUNTS = (): Record<CellStatus, number> => ({ mapped: 0, ambiguous: 0, 'no-mapping': 0, unknown: 0, expired: 0, empty: 0, 'bad-date': 0 });

/**
 * `counts[status]++`, each status by its name: the stores stay monomorphic. (The keyed increment
 * by the status string cost a tenth of the CPU of a convert of short rows: without it 0.90x, 8
 * interleaved rounds.)
 */
function tally(counts: Record<CellStatus, number>, status: CellStatus): void {
  switch (status) {
    case 'mapped':
      counts.mapped++;
      return;
    case 'empty':
      counts.empty++;
      return;
    case 'unknown':
      counts.unknown++;
      return;
    case 'no-mapping':
      counts['no-mapping']++;
      return;
    case 'ambiguous':
      counts.ambiguous++;
      return;
    case 'expired':
      counts.expired++;
      return;
    case 'bad-date':
      counts['bad-date']++;
      return;
    default: {
      const unknown: never = status; // a new status must be counted here
      throw new Error(`no count for the status ${String(unknown)}`);
    }
  }
}

const defaultDates = dateReader();

/** Dates as exports write them with the default readings (see dates.ts): ISO, 2023/01/05, 5-Jan-2023, 1/13/2021 12:00:00 AM. */
export function recordDate(v: string): string | undefined {
  return defaultDates(v);
}

/** A decision's reason, asked of the translator the first time it is needed. */
function reasonText(d: Decision): string {
  return d.reason ?? d.reasonOf?.() ?? '';
}

/** XWALK_PLAN_CHECK=1: every class answer is checked against the record's own (tests). */
const PLAN_CHECK = typeof process !== 'undefined' && process.env.XWALK_PLAN_CHECK === '1';

function checkSameCells(own: Decision, d: Decision, value: string): void {
  for (const k of ['status', 'out', 'relation', 'confidence', 'path', 'conditions'] as const) {
    if (own[k] !== d[k]) throw new Error(`plan check: "${value}" ${k} is "${String(d[k])}" by its class, "${String(own[k])}" by its own facts`);
  }
}

export { tsvCell };

/** Short cells (a value of up to 4 ASCII characters, quoted or not) whose decision is kept by their characters' number (shortKey). */
const SHORT_CAP = 4096;

/**
 * A number for a cell whose value is at most 4 characters below 0x80, read straight from the
 * record's text (base 128 behind a leading 1, so that lengths differ), or -1. A small integer:
 * looking it up costs no string for the cell and no string hashing, the bulk of a short row's
 * cost (issue 18). A quoted cell (`"0820"`, an export that quotes every field) is its value
 * between the quotes, the same number as unquoted: decisions and counts go by value. One with a
 * quote inside (a doubled one) is -1.
 */
function shortKey(text: string, s: number, e: number, quote: number): number {
  if (e > s && text.charCodeAt(s) === quote) {
    if (e - s < 2 || e - s > 6 || text.charCodeAt(e - 1) !== quote) return -1;
    s++;
    e--;
    for (let i = s; i < e; i++) if (text.charCodeAt(i) === quote) return -1;
  } else if (e - s > 4) return -1;
  let k = 1;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    k = k * 128 + c;
  }
  return k;
}

/**
 * One column's short cells by shortKey (-1: not short, nothing kept): each one's decision (when a
 * value's decision is the value's alone), and an unmapped one's entry in the column's value
 * counts, valid while those have not dropped entries since (BoundedCounts.pruned). At most
 * SHORT_CAP of each.
 */
class ShortCells {
  private readonly decisions = new Map<number, Decision>();
  private readonly counts = new Map<number, ValueCount>();
  private pruned = 0;

  decision(key: number): Decision | undefined {
    return key >= 0 ? this.decisions.get(key) : undefined;
  }

  keep(key: number, d: Decision): void {
    if (key >= 0 && this.decisions.size < SHORT_CAP) this.decisions.set(key, d);
  }

  count(key: number, all: BoundedCounts<ValueCount>): ValueCount | undefined {
    return key >= 0 && this.pruned === all.pruned ? this.counts.get(key) : undefined;
  }

  keepCount(key: number, entry: ValueCount, all: BoundedCounts<ValueCount>): void {
    if (key < 0) return;
    if (this.pruned !== all.pruned) {
      this.counts.clear();
      this.pruned = all.pruned;
    }
    if (this.counts.size < SHORT_CAP) this.counts.set(key, entry);
  }
}

class ColumnState {
  readonly cache = new BoundedCache<Decision>(DECISION_CACHE_CAP);
  readonly short = new ShortCells();
  /** Each distinct cell's code (null: not a code of the source vocabulary). */
  readonly keys = new BoundedCache<{ code: string; repaired?: string } | null>(DECISION_CACHE_CAP);
  /** Signatures per code and context cells. */
  readonly sigs = new BoundedCache<{ sig: string; bad: { field: string; value: string; message: string }[] }>(DECISION_CACHE_CAP);
  readonly counts = EMPTY_COUNTS();
  readonly valueCounts = new BoundedCounts<ValueCount>(VALUE_COUNTS_CAP);
  readonly badFacts = new BoundedCounts<{ field: string; value: string; message: string; count: number }>(VALUE_COUNTS_CAP);
  readonly repaired = new BoundedCounts<{ code: string; count: number }>(VALUE_COUNTS_CAP);
  repairedCount = 0;
  badDatesIgnored = 0;
  substituted = 0;
  constructor(
    readonly name: string,
    readonly domain: string,
    readonly plan: ColumnPlan,
  ) {}
}

export class Converter {
  readonly plan: Plan;
  private readonly states: ColumnState[];
  private readonly crosswalks = new Set<string>();
  readonly report: ConvertReport;
  /** The input's quote: a cell's value is read with it. */
  private readonly q: string;
  private readonly qc: number;
  /** No facts and no dates per record: a value's decision is the value's alone (cached by value). */
  private readonly byValue: boolean;
  /** Writes each converted record in the output format (writers.ts). */
  private readonly writer: RowWriter;
  private readonly missing: Set<string>;
  private readonly readDate: DateReader;
  /** Each distinct date cell read: the ISO date, '' for none, '?' when it cannot be read. */
  private readonly dates = new BoundedCache<string>(DECISION_CACHE_CAP);
  /** The input's delimiter: a ragged rejected row is padded with it (issue 20). */
  private readonly inDelim: string;

  constructor(
    private readonly index: RegistryIndex,
    private readonly opts: ConvertOptions,
    inHeader: string[],
    input: FormatOptions,
    private readonly canReject: boolean,
  ) {
    this.plan = makePlan(index, opts, inHeader);
    this.states = this.plan.columns.map(
      (c) =>
        new ColumnState(
          c.name,
          c.domain,
          new ColumnPlan(index, {
            from: opts.from,
            to: opts.to,
            domain: c.domain,
            contextFields: this.plan.context.map((x) => x.field),
            ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}),
            ...(opts.valueSeparator !== undefined ? { valueSeparator: opts.valueSeparator } : {}),
            ...(opts.rollUp ? { rollUp: true } : {}),
            ...(opts.facts?.size ? { facts: opts.facts } : {}),
          }),
        ),
    );
    this.q = input.quote;
    this.qc = input.quote.charCodeAt(0);
    this.byValue = this.plan.context.length === 0 && this.plan.asOfIndex === undefined;
    this.missing = new Set(['', ...opts.missing]);
    this.readDate = opts.dateFormat !== undefined ? dateReader(opts.dateFormat) : defaultDates;
    this.inDelim = input.delimiter;
    this.report = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, badRows: 0, cellsNeutralised: 0, columns: [], crosswalksUsed: [] };
    this.writer = rowWriter({ opts, plan: this.plan, input, neutralised: () => this.report.cellsNeutralised++ });
  }

  /** The header line to write (CSV/TSV), or undefined for JSON lines. */
  headerLine(eol: string, rawHeader?: string[]): string | undefined {
    return this.writer.header(eol, rawHeader);
  }

  private field(v: RecordView, i: number): string {
    return fieldValue(recordText(v, v.fs[i]!, v.fe[i]!), this.q);
  }

  private decide(state: ColumnState, value: string, v: RecordView): Decision {
    // No facts and no dates per record: a value's class is the value itself.
    if (this.byValue) {
      let d = state.cache.get(value);
      if (!d) state.cache.set(value, (d = this.decideFresh(state, value, v)));
      return d;
    }
    return this.decideFresh(state, value, v);
  }

  private decideFresh(state: ColumnState, value: string, v: RecordView): Decision {
    const t = value.trim();
    if (t === '' || this.missing.has(t)) {
      // Blank, whitespace-only or a --missing word (NULL): nothing recorded, not a code (issue 20).
      // Written back as it was; in append mode the target cell stays empty.
      return { status: 'empty', out: t === '' || this.opts.mode === 'replace' ? value : '', reason: '', relation: '', confidence: '', path: '', conditions: '' };
    }
    let asOf = this.opts.asOf;
    let dateRaw = '';
    let badDate = false;
    if (this.plan.asOfIndex !== undefined) {
      dateRaw = this.field(v, this.plan.asOfIndex);
      let read = this.dates.get(dateRaw);
      if (read === undefined) this.dates.set(dateRaw, (read = dateRaw.trim() === '' ? '' : (this.readDate(dateRaw) ?? '?')));
      asOf = read === '' || read === '?' ? undefined : read;
      badDate = read === '?';
    }
    const ctx = this.plan.context.length ? this.plan.context.map((c) => this.field(v, c.index)) : [];
    // The value's class (src/plan): its code, date class and signature; decisions are kept per value and class.
    let key = state.keys.get(value);
    if (key === undefined) state.keys.set(value, (key = state.domain === 'unit' ? null : (state.plan.resolveKey(value) ?? null)));
    let classKey: string;
    let bad: Decision['badFacts'];
    if (key === null) classKey = keyOf(['v', value, ...ctx, asOf !== undefined ? `d${asOf}` : `r${dateRaw}`]);
    else {
      const p = state.plan.profile(key.code);
      let sig = '';
      if (p.atoms.length) {
        const sk = keyOf([key.code, ...ctx, p.statedIn ? (asOf ?? '') : '']);
        let s = state.sigs.get(sk);
        if (!s) state.sigs.set(sk, (s = state.plan.signature(p, this.contextOf(ctx), asOf)));
        sig = s.sig;
        if (s.bad.length) bad = s.bad;
      }
      classKey = keyOf(['c', value, badDate ? 'B' : state.plan.dateClass(p, asOf), sig]);
    }
    let d = this.byValue ? undefined : state.cache.get(classKey);
    if (!d) {
      d = this.decideValue(state, value, this.contextOf(ctx), asOf, badDate, dateRaw);
      if (!this.byValue) state.cache.set(classKey, d);
    }
    // Facts not understood are the record's own (two unknown weapon codes share a class).
    if (key !== null) {
      if (bad) return { ...d, badFacts: bad };
      if (d.badFacts) return { ...d, badFacts: undefined };
    }
    return d;
  }

  /** A record's context cells as the facts of its fields: an empty cell or a --missing word says "not recorded". */
  private contextOf(ctx: readonly string[]): Map<string, string> {
    const context = new Map<string, string>();
    this.plan.context.forEach((c, i) => context.set(c.field, this.missing.has(ctx[i]!.trim()) ? '' : ctx[i]!));
    return context;
  }

  /**
   * A value's decision through the column's plan (src/plan): the cells come from the answer for its
   * class (code, date class, signature), decided once per class; the reason and the facts not
   * understood are the record's own. A value that is not a code is answered as itself.
   */
  private decideValue(state: ColumnState, value: string, context: ReadonlyMap<string, string>, asOf: string | undefined, badDate: boolean, dateRaw: string): Decision {
    const plan = state.plan;
    const key = state.domain === 'unit' ? undefined : plan.resolveKey(value);
    if (!key) {
      // Not a code (or a unit designator, whose number the answer carries): its own answer.
      const at = (date: string | undefined) => plan.translate(value, context, date);
      if (badDate && dateMatters(at)) return this.unmapped('bad-date', value, this.badDateReason(dateRaw));
      const r = at(asOf);
      const d = this.fromResult(r, value);
      if (r.badFacts?.length) d.badFacts = r.badFacts;
      if (badDate) d.dateIgnored = true;
      return d;
    }
    const decided = plan.decide(key.code, context, badDate ? undefined : asOf, badDate);
    let d: Decision;
    if (decided === 'needs-date') d = this.unmapped('bad-date', value, this.badDateReason(dateRaw));
    else {
      d = this.fromResult(decided.result, value);
      if (decided.bad.length) d.badFacts = decided.bad;
      // The reason names the record's own facts, which a class answer found for another record
      // would not: asked of the translator when the report or a rejected row needs it.
      const date = badDate ? undefined : asOf;
      if (d.status !== 'mapped') {
        const d0 = d;
        d.reason = undefined;
        d.reasonOf = () => {
          const own = plan.translate(key.repaired ?? value, context, date);
          return (d0.reason = own.reason ? `${own.reason}: ${own.message}` : own.message);
        };
      }
      if (PLAN_CHECK) checkSameCells(this.fromResult(plan.translate(key.repaired ?? value, context, date), value), d, value);
      if (badDate) d.dateIgnored = true;
    }
    if (key.repaired !== undefined) d.repaired = key.repaired;
    return d;
  }

  private badDateReason(dateRaw: string): string {
    return `the date "${dateRaw}" in column ${this.plan.inHeader[this.plan.asOfIndex!]} cannot be read, and the answer depends on it`;
  }

  private unmapped(status: CellStatus, value: string, reason: string): Decision {
    return { status, out: unmappedOut(this.opts.unmapped, value), reason, relation: '', confidence: '', path: '', conditions: '' };
  }

  private fromResult(r: TranslationResult, value: string): Decision {
    for (const c of r.candidates) for (const s of c.path) this.crosswalks.add(s.crosswalk);
    const cells = answerCells(r, this.opts.ambiguous);
    if (r.outcome === 'mapped') return { ...cells, reason: '' };
    if (r.outcome === 'ambiguous') return { ...cells, reason: r.message };
    return this.unmapped(r.outcome, value, r.reason ? `${r.reason}: ${r.message}` : r.message);
  }

  /** The rows converted since the last take: text, or bytes spliced from the input (spliceFrom). */
  private rows: RowOut = new TextOut();
  private rejected: RejectedRow[] = [];

  /**
   * The next rows are tokenized from `text`, which is `bytes` read as latin1 with every byte
   * below 0x80: they are written as bytes, copying the records' own (row-out.ts), into `into`
   * when it holds `capacity` bytes. Undefined goes back to text. Call it with nothing pending (after take).
   */
  spliceFrom(source?: { bytes: Uint8Array; text: string; into?: ArrayBuffer | undefined; capacity?: number }): void {
    this.rows = source ? new ByteOut(source.bytes, source.text, source.into, source.capacity) : new TextOut();
  }

  /** Takes the pending output and rejected rows (the driver writes them, with backpressure). */
  take(): { out: string | Uint8Array; rejected: RejectedRow[] } {
    const r = { out: this.rows.take(), rejected: this.rejected };
    this.rejected = [];
    return r;
  }

  /** Converts one record into the pending output, or sets it aside as rejected. Synchronous. */
  row(v: RecordView, eol: string, width: number): void {
    this.report.rowsRead++;
    if (v.count !== width) {
      const reason = `the record has ${v.count} field${v.count === 1 ? '' : 's'}, the header has ${width}`;
      if (!this.opts.skipBadRows) throw new CsvSyntaxError(reason, v.line, recordText(v, v.start, Math.min(v.end, v.start + 200)), 'width');
      this.report.badRows++;
      // The reject file keeps the header's columns (issue 20): a short record is padded with empty
      // fields; a long one keeps the header's number, the rest goes in the reason as read.
      const fields = rawFields(v);
      if (v.count < width) return this.rejectRow(v, reason, recordText(v, v.start, v.end) + this.inDelim.repeat(width - v.count));
      return this.rejectRow(v, `${reason}; the fields past the header's, as read: ${fields.slice(width).join(this.inDelim)}`, fields.slice(0, width).join(this.inDelim));
    }
    const n = this.states.length;
    const decisions = this.decisions;
    let rejectReason: string | undefined;
    for (let i = 0; i < n; i++) {
      const st = this.states[i]!;
      const col = this.plan.columns[i]!;
      // A short cell's decision by its characters, without making its string (shortKey); else by its value.
      const key = this.byValue ? shortKey(v.text, v.fs[col.index]!, v.fe[col.index]!, this.qc) : -1;
      let value: string | undefined;
      let d = st.short.decision(key);
      if (d === undefined) {
        value = this.field(v, col.index);
        d = this.decide(st, value, v);
        st.short.keep(key, d);
      }
      tally(st.counts, d.status);
      if (d.dateIgnored) st.badDatesIgnored++;
      if (d.repaired !== undefined) {
        value ??= this.field(v, col.index);
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
        // A short cell's count entry by its key too (no string, no second lookup by string), while the counts have not been pruned since.
        let vc = st.short.count(key, st.valueCounts);
        if (vc) vc.count++;
        else {
          value ??= this.field(v, col.index);
          vc = st.valueCounts.get(value);
          if (vc) vc.count++;
          else st.valueCounts.add(value, (vc = { count: 1, status: d.status, reason: reasonText(d), first: v.line }));
          st.short.keepCount(key, vc, st.valueCounts);
        }
        if (d.out !== undefined) st.substituted++;
      }
      if (d.out === undefined && rejectReason === undefined) rejectReason = `${col.name} "${(value ??= this.field(v, col.index))}": ${d.status}${reasonText(d) ? ` (${reasonText(d)})` : ''}`;
      decisions[i] = d;
    }
    if (rejectReason !== undefined) {
      if (!this.canReject) throw new XwalkError(`line ${v.line}: ${rejectReason}`, { exitCode: 1, hint: '--reject FILE sets such rows aside and goes on; --unmapped keep|blank|fixed:VALUE and --ambiguous first|blank|all write them instead' });
      return this.rejectRow(v, rejectReason);
    }
    this.report.rowsWritten++;
    this.writer.row(this.rows, v, decisions, eol);
  }

  private readonly decisions: Decision[] = [];

  private rejectRow(v: RecordView, reason: string, raw = recordText(v, v.start, v.end)): void {
    this.report.rowsRejected++;
    if (!this.canReject) throw new XwalkError(`line ${v.line}: ${reason}`, { hint: '--reject FILE sets such rows aside' });
    this.rejected.push({ raw, line: v.line, reason });
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
      const badFacts = c.badFacts
        .map(([, b]) => b)
        .sort((a, b) => b.count - a.count || compareText(a.field, b.field) || compareText(a.value, b.value))
        .slice(0, 20);
      const repaired = c.repaired
        .map(([value, e]) => ({ value, ...e }))
        .sort((a, b) => b.count - a.count || compareText(a.value, b.value))
        .slice(0, 20);
      return {
        column: st.name,
        domain: st.domain,
        counts: c.counts,
        substituted: c.substituted,
        topUnmapped: top,
        distinctUnmapped: c.valueCounts.length,
        ...(c.valueCountsApproximate ? { topUnmappedApproximate: true } : {}),
        badFacts,
        repairedCount: c.repairedCount,
        repaired,
        badDatesIgnored: c.badDatesIgnored,
      };
    });
    this.report.crosswalksUsed = [...new Set(all.crosswalks)].sort();
    return this.report;
  }
}
