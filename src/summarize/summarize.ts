/**
 * Summary counts (issue 19): marked offense rows (the output of the incident stage, or of
 * `convert --incident` read back) in → counts per target code and period, in the shape of the
 * target's form (Return A for SRS: classes with their lines, class totals, the exceptions apart),
 * with the reconciliation rows in = counted + not counted + unclassified. Pure: no I/O.
 */

import { recordDate } from '../convert/convert.js';
import { generalReason, type MarkStatus, type Score } from './incident.js';
import type { HierarchyRules } from './rules.js';
import { countReason, type ReasonCount } from '../model/order.js';

/** One offense row as the summary needs it. */
export interface SummaryRow {
  period: string;
  status: MarkStatus;
  scores: readonly Score[];
  reason: string;
}

export type PeriodBy = { kind: 'month' } | { kind: 'year' } | { kind: 'column'; column: string } | { kind: 'none' };

/** A line of the summary table: a class (with its total), a line of it, or a code counted apart. */
export interface SummaryLine {
  code: string;
  label: string;
  level: 'class' | 'line';
  /** Counted besides the Hierarchy Rule (arson, human trafficking). */
  besides: boolean;
  counts: number[];
  total: number;
}

export interface Summary {
  vocabulary: string;
  periods: string[];
  lines: SummaryLine[];
  /** Sum of the ranked classes (Part I without 4e and the exceptions), per period, and overall. */
  rankedTotal: { counts: number[]; total: number };
  rowsIn: number;
  counted: number;
  notCounted: number;
  unclassified: number;
  /** Why rows were not counted or not classified, most frequent first. */
  reasons: ReasonCount<MarkStatus>[];
  /** True when no row carried a mark: every classified row was counted (per offense, not per incident). */
  perOffense: boolean;
}

export const NO_PERIOD = '(no date)';

/** The period of a record's date cell: YYYY-MM, YYYY, or NO_PERIOD when it cannot be read. */
export function periodOf(by: PeriodBy, cell: string): string {
  if (by.kind === 'none') return 'all';
  if (by.kind === 'column') return cell.trim() === '' ? '(blank)' : cell.trim();
  const d = cell.trim() === '' ? undefined : recordDate(cell);
  if (!d) return NO_PERIOD;
  return by.kind === 'year' ? d.slice(0, 4) : d.slice(0, 7);
}

const LEGACY = /-legacy$/;

/** Counts rows one at a time (memory: one cell per code and period, one entry per distinct reason). */
export class SummaryBuilder {
  readonly cells = new Map<string, Map<string, number>>();
  readonly periodSet = new Set<string>();
  rowsIn = 0;
  counted = 0;
  notCounted = 0;
  unclassified = 0;
  readonly reasons = new Map<string, ReasonCount<MarkStatus>>();
  add(r: SummaryRow): void {
    this.rowsIn++;
    this.periodSet.add(r.period);
    if (r.status === 'counted') this.counted++;
    else if (r.status === 'not-counted') this.notCounted++;
    else this.unclassified++;
    if (r.status !== 'counted') {
      const general = generalReason(r.reason);
      countReason(this.reasons, r.status, general, 10_000);
    }
    for (const s of r.scores) {
      const m = this.cells.get(s.code) ?? this.cells.set(s.code, new Map()).get(s.code)!;
      m.set(r.period, (m.get(r.period) ?? 0) + s.count);
    }
  }
}

/** Counts marked rows into the form's shape. */
export function summarize(rows: Iterable<SummaryRow> | SummaryBuilder, rules: HierarchyRules, perOffense = false): Summary {
  let b: SummaryBuilder;
  if (rows instanceof SummaryBuilder) b = rows;
  else {
    b = new SummaryBuilder();
    for (const r of rows) b.add(r);
  }
  const { periodSet, rowsIn, counted, notCounted, unclassified, reasons } = b;
  // Codes written in the input's own spelling are merged onto the vocabulary's code.
  const cells = new Map<string, Map<string, number>>();
  const unknownCodes = new Map<string, string>();
  for (const [raw, m] of b.cells) {
    const rule = rules.rule(raw);
    const code = rule?.code ?? raw;
    if (!rule) unknownCodes.set(code, code);
    const into = cells.get(code) ?? cells.set(code, new Map()).get(code)!;
    for (const [p, n] of m) into.set(p, (into.get(p) ?? 0) + n);
  }
  const periods = [...periodSet].sort((a, b) => (a === NO_PERIOD ? 1 : b === NO_PERIOD ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const row = (code: string) => periods.map((p) => cells.get(code)?.get(p) ?? 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const lines: SummaryLine[] = [];
  const rankedCounts = periods.map(() => 0);
  for (const c of rules.codes) {
    if (c.classCode !== c.code) continue; // lines come under their class
    const members = rules.codes.filter((l) => l.classCode === c.code && l.code !== c.code);
    const own = row(c.code);
    const classCounts = members.reduce((acc, l) => acc.map((v, i) => v + row(l.code)[i]!), own);
    const besides = c.kind === 'counted-besides';
    if (LEGACY.test(c.code) && !sum(classCounts)) continue;
    lines.push({ code: c.code, label: c.label, level: 'class', besides, counts: classCounts, total: sum(classCounts) });
    // The Part I total: the ranked classes the vocabulary calls Part I (4e, simple assault, is Part II).
    if (!besides && rules.term(c.code)?.props.get('part') === 'Part I') rankedCounts.forEach((_, i) => (rankedCounts[i]! += classCounts[i]!));
    for (const l of members) {
      const counts = row(l.code);
      if (LEGACY.test(l.code) && !sum(counts)) continue;
      lines.push({ code: l.code, label: l.label, level: 'line', besides, counts, total: sum(counts) });
    }
    // Counted in the class when the record did not decide the line (13A with no weapon recorded).
    if (members.length && sum(own)) lines.push({ code: c.code, label: 'line not decided', level: 'line', besides, counts: own, total: sum(own) });
  }
  for (const code of unknownCodes.keys()) {
    const counts = row(code);
    lines.push({ code, label: '(not a line of the form)', level: 'class', besides: false, counts, total: sum(counts) });
  }
  return {
    vocabulary: rules.vocabulary,
    periods,
    lines,
    rankedTotal: { counts: rankedCounts, total: sum(rankedCounts) },
    rowsIn,
    counted,
    notCounted,
    unclassified,
    reasons: [...reasons.values()].sort((a, b) => (a.status === b.status ? 0 : a.status === 'not-counted' ? -1 : 1) || b.count - a.count || (a.reason < b.reason ? -1 : 1)),
    perOffense,
  };
}

/** The library's one call: marked records (markIncidents' output) → the summary, by period of a date field or a field's value. */
export async function summarizeMarked<R extends Readonly<Record<string, unknown>>>(
  marked: Iterable<{ record: R; mark: { status: MarkStatus; scores: readonly Score[]; reason: string } }> | AsyncIterable<{ record: R; mark: { status: MarkStatus; scores: readonly Score[]; reason: string } }>,
  rules: HierarchyRules,
  opts: { by?: PeriodBy; dateField?: string } = {},
): Promise<Summary> {
  const by = opts.by ?? (opts.dateField ? { kind: 'month' as const } : { kind: 'none' as const });
  const field = by.kind === 'column' ? by.column : opts.dateField;
  const rows: SummaryRow[] = [];
  for await (const m of marked) {
    const v = field === undefined ? '' : m.record[field];
    rows.push({ period: periodOf(by, v === undefined || v === null ? '' : String(v)), status: m.mark.status, scores: m.mark.scores, reason: m.mark.reason });
  }
  return summarize(rows, rules);
}
