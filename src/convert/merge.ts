/**
 * Merging what several converters counted (issue 18: a file converted by two threads, each with
 * its own Converter over its own chunks). A `ConverterState` is the raw counting state of one
 * Converter, plain data that crosses a worker boundary; `mergeStates` adds states up so that the
 * report rendered from the sum is the one a single converter would have made over all the rows:
 * counts are summed, per-value counts are summed by value, and a value's outcome and reason are
 * those of its first row in the file (the smallest line), as a single pass would have kept.
 * Past the per-value bound (VALUE_COUNTS_CAP) the lists were approximate already and stay marked so.
 */

import type { Outcome } from '../translate/result.js';

/** A cell's outcome as the report counts it (convert.ts re-exports it; declared here so that merge.ts imports nothing of convert.ts: no import cycle). */
export type CellStatus = Outcome | 'empty' | 'bad-date';

/** An unmapped value's count, with the outcome and reason of its first row (`first`: its line). */
export interface ValueCount {
  count: number;
  status: CellStatus;
  reason: string;
  first: number;
}

export interface ColumnState {
  counts: Record<CellStatus, number>;
  substituted: number;
  repairedCount: number;
  badDatesIgnored: number;
  valueCounts: [string, ValueCount][];
  valueCountsApproximate: boolean;
  badFacts: [string, { field: string; value: string; message: string; count: number }][];
  repaired: [string, { code: string; count: number }][];
}

export interface ConverterState {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  badRows: number;
  cellsNeutralised: number;
  crosswalks: string[];
  columns: ColumnState[];
}

function mergeCounts<T extends { count: number }>(into: Map<string, T>, entries: [string, T][], pick?: (a: T, b: T) => boolean): void {
  for (const [k, v] of entries) {
    const e = into.get(k);
    if (!e) into.set(k, { ...v });
    else {
      const count = e.count + v.count;
      if (pick?.(v, e)) Object.assign(e, v);
      e.count = count;
    }
  }
}

/** The sum of several converters' states (the first one's column order; all have the same columns). */
export function mergeStates(states: readonly ConverterState[], cap: number): ConverterState {
  const [head, ...rest] = states;
  if (!head) throw new Error('mergeStates needs at least one state');
  if (!rest.length) return head;
  const columns = head.columns.map((c0, i) => {
    const values = new Map<string, ValueCount>();
    const badFacts = new Map<string, ColumnState['badFacts'][number][1]>();
    const repaired = new Map<string, ColumnState['repaired'][number][1]>();
    const counts = { ...c0.counts };
    let substituted = 0;
    let repairedCount = 0;
    let badDatesIgnored = 0;
    let approximate = false;
    for (const s of states) {
      const c = s.columns[i]!;
      if (s !== head) for (const k of Object.keys(counts) as CellStatus[]) counts[k] += c.counts[k];
      substituted += c.substituted;
      repairedCount += c.repairedCount;
      badDatesIgnored += c.badDatesIgnored;
      approximate ||= c.valueCountsApproximate;
      mergeCounts(values, c.valueCounts, (a, b) => a.first < b.first);
      mergeCounts(badFacts, c.badFacts);
      mergeCounts(repaired, c.repaired);
    }
    return { counts, substituted, repairedCount, badDatesIgnored, valueCounts: [...values], valueCountsApproximate: approximate || values.size > cap, badFacts: [...badFacts], repaired: [...repaired] };
  });
  const sum = (f: (s: ConverterState) => number) => states.reduce((n, s) => n + f(s), 0);
  return {
    rowsRead: sum((s) => s.rowsRead),
    rowsWritten: sum((s) => s.rowsWritten),
    rowsRejected: sum((s) => s.rowsRejected),
    badRows: sum((s) => s.badRows),
    cellsNeutralised: sum((s) => s.cellsNeutralised),
    crosswalks: [...new Set(states.flatMap((s) => s.crosswalks))],
    columns,
  };
}
