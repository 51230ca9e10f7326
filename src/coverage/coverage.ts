/**
 * Crosswalk coverage: how many of A's codes reach B, by outcome, route and relation, which do
 * not and why; with the row counts of a real export, what share of its rows that represents
 * (90% of codes can be 60% of incidents). Pure: the caller counts the export's rows.
 */

import type { Relation } from '../model/relation.js';
import type { Domain } from '../model/types.js';
import type { RegistryIndex } from '../indexes/index.js';
import { normalizeCode } from '../load/normalize.js';
import { translateCode } from '../translate/translate.js';
import type { Outcome, Route } from '../translate/result.js';
import { compareText } from '../model/order.js';

export interface CodeCoverage {
  code: string;
  label: string;
  outcome: Outcome;
  /** For mapped and ambiguous: the best candidate's route and relation. */
  route?: Route;
  relation?: Relation;
  target?: string;
  /** Not mapped: why, as `kind: message` (the kind of NoMappingReason first, when there is one). */
  reason?: string;
  /** Not mapped: why, in words alone (what `reason` says after its kind). */
  message?: string;
  /** Ambiguous only for want of facts: the record fields that would decide (the code reaches B under some facts). */
  needs?: string[];
  /** Rows of the weighting export with this code (0 without --weights). */
  rows: number;
}

/** Rows of an export with one value of the code column and one combination of context values. */
export interface WeightedValue {
  value: string;
  /** The row's facts (condition field → cell); empty without --context. */
  facts: ReadonlyMap<string, string>;
  rows: number;
}

export interface CoverageReport {
  from: string;
  to: string;
  domain: Domain;
  codes: CodeCoverage[];
  byOutcome: Record<Outcome, number>;
  /** Ambiguous codes whose every candidate waits on a fact of the record: they reach B under some facts. */
  conditional: number;
  /** Mapped codes by route and relation, e.g. { direct: { equivalent: 12 } }. */
  byRoute: Partial<Record<Route, Partial<Record<Relation, number>>>>;
  weights?: {
    rows: number;
    byOutcome: Record<Outcome, number>;
    /** Values of the export that are not codes of A, most frequent first. */
    unknownValues: { value: string; rows: number }[];
  };
}

const EMPTY = (): Record<Outcome, number> => ({ mapped: 0, ambiguous: 0, 'no-mapping': 0, unknown: 0, expired: 0 });

/**
 * `rowCounts`: rows per raw value of the export's column (undefined: no weighting). Values are
 * matched to A's codes with A's normalization (so `460` counts for `0460`).
 */
export function coverage(index: RegistryIndex, opts: { from: string; to: string; domain: Domain; asOf?: string; maxHops?: number; facts?: ReadonlyMap<string, readonly string[]> }, rowCounts?: ReadonlyMap<string, number> | readonly WeightedValue[]): CoverageReport {
  const table = index.table(opts.from, opts.domain)!;
  const rowsByCode = new Map<string, number>();
  const unknown = new Map<string, number>();
  let totalRows = 0;
  const weighted: WeightedValue[] | undefined = rowCounts === undefined ? undefined : rowCounts instanceof Map ? [...rowCounts].map(([value, rows]) => ({ value, rows, facts: new Map() })) : [...(rowCounts as readonly WeightedValue[])];
  for (const { value, rows: n } of weighted ?? []) {
    totalRows += n;
    const key = normalizeCode(value, table.normalize);
    if (table.terms.has(key)) rowsByCode.set(key, (rowsByCode.get(key) ?? 0) + n);
    else unknown.set(value, (unknown.get(value) ?? 0) + n);
  }
  const base = { from: opts.from, to: opts.to, domain: opts.domain, ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.maxHops ? { maxHops: opts.maxHops } : {}) };
  const report: CoverageReport = { from: opts.from, to: opts.to, domain: opts.domain, codes: [], byOutcome: EMPTY(), conditional: 0, byRoute: {} };
  for (const [key, term] of table.terms) {
    const r = translateCode(index, term.code, { ...base, ...(opts.facts?.size ? { facts: opts.facts } : {}) });
    const c: CodeCoverage = { code: term.code, label: term.label, outcome: r.outcome, rows: rowsByCode.get(key) ?? 0 };
    if (r.best) {
      c.route = r.best.route;
      c.relation = r.best.relation;
      c.target = r.outcome === 'mapped' ? (r.best.designator ?? r.best.code) : r.candidates.map((x) => x.code).join('|');
    }
    if (r.outcome !== 'mapped') {
      c.reason = r.reason ? `${r.reason}: ${r.message}` : r.message;
      c.message = r.message;
    }
    if (r.outcome === 'ambiguous' && r.candidates.every((x) => x.needs.length > 0)) {
      c.needs = [...new Set(r.candidates.flatMap((x) => x.needs))];
      report.conditional++;
    }
    report.byOutcome[r.outcome]++;
    if (r.outcome === 'mapped' && c.route && c.relation) {
      const byRel = (report.byRoute[c.route] ??= {});
      byRel[c.relation] = (byRel[c.relation] ?? 0) + 1;
    }
    report.codes.push(c);
  }
  if (weighted) {
    const byOutcome = EMPTY();
    const withFacts = weighted.some((w) => w.facts.size > 0);
    if (!withFacts) for (const c of report.codes) byOutcome[c.outcome] += c.rows;
    else {
      // Each row with its own facts: the outcome the row gets in convert with --context.
      for (const w of weighted) {
        if (!table.terms.has(normalizeCode(w.value, table.normalize))) continue;
        byOutcome[translateCode(index, w.value, { ...base, ...(opts.facts?.size ? { facts: opts.facts } : {}), context: w.facts }).outcome] += w.rows;
      }
    }
    byOutcome.unknown += [...unknown.values()].reduce((a, b) => a + b, 0);
    report.weights = { rows: totalRows, byOutcome, unknownValues: [...unknown].map(([value, rows]) => ({ value, rows })).sort((a, b) => b.rows - a.rows || compareText(a.value, b.value)) };
  }
  return report;
}
