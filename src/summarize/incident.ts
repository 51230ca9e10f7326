/**
 * The Hierarchy Rule over one incident (issue 19): the offense rows of an incident, each already
 * translated to a target code, in → one mark per row out: counted (with what it scores on which
 * line), not counted (with the reason), or unclassified (with why). Pure: no I/O, no translation.
 *
 * Every row gets exactly one mark, so rows in = counted + not counted + unclassified.
 */

import type { CodeRule, HierarchyRules } from './rules.js';

/** One offense row of an incident, as the rules need it. */
export interface OffenseRow {
  /** The source code as written (for reasons: "lower in hierarchy than 120"). */
  source: string;
  /** The translated target code, when the row was classified. */
  target?: string;
  /** Why the row has no target: `no-line` when the crosswalk says it has none (09C, Part II offenses), else unclassified. */
  missing?: { kind: 'no-line' | 'unclassified'; reason: string };
  /** Victims of the offense (Data Element 24); undefined = not given (counted as one). */
  victims?: number;
  /** Burglary: number of premises entered (Data Element 10) and the location type (Data Element 9). */
  premises?: number;
  location?: string;
  /** Motor vehicle theft: number of vehicles stolen (Data Element 18) and the property descriptions (Data Element 15). */
  vehicles?: number;
  property?: readonly string[];
  /** Attempted (Data Element 7 = A): an attempted motor vehicle theft counts one on the autos line. */
  attempted?: boolean;
}

export type MarkStatus = 'counted' | 'not-counted' | 'unclassified';

/** What one row scores: a count on a line (a motor vehicle theft may score on several lines). */
export interface Score {
  code: string;
  count: number;
}

const IN_THIS_INCIDENT = 'in this incident';
const SAME_CLASS_TAIL = 'in this incident: one offense per incident';

/**
 * A reason as written in a <column>_reason cell, with the incident's own codes left out (what
 * RowMark.general holds when the mark is made): for summarize, which reads the cells back.
 */
export function generalReason(reason: string): string {
  const same = /^same class as .* in this incident: one offense per incident$/.test(reason);
  if (same) return `same class as the counted offense of ${SAME_CLASS_TAIL.slice(3)}`;
  if (reason.startsWith('lower in hierarchy than ') && reason.endsWith(` ${IN_THIS_INCIDENT}`)) return `lower in hierarchy than another offense ${IN_THIS_INCIDENT}`;
  return reason;
}

export interface RowMark {
  status: MarkStatus;
  reason: string;
  /** The reason without the incident's own codes ("lower in hierarchy than another offense"), when `reason` names them: what the report counts. */
  general?: string;
  /** Counted rows only. */
  scores: Score[];
  /** Counted by victims but the number of victims was not given: one was counted. */
  victimsDefaulted?: boolean;
}

const n = (v: number | undefined): number | undefined => (v !== undefined && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);

/** The units one counted row scores, per its class's counting unit. */
export function scoreRow(row: OffenseRow, rule: CodeRule, rules: HierarchyRules): { scores: Score[]; victimsDefaulted?: boolean } {
  const code = rule.code;
  switch (rule.unit) {
    case 'victims': {
      const v = n(row.victims);
      return v === undefined || v === 0 ? { scores: [{ code, count: 1 }], victimsDefaulted: v === undefined } : { scores: [{ code, count: v }] };
    }
    case 'premises': {
      const p = n(row.premises);
      const at = row.location?.trim().padStart(2, '0');
      return { scores: [{ code, count: p && at && rule.premisesLocations.includes(at) ? p : 1 }] };
    }
    case 'vehicles': {
      // Attempts: one on the line the translation gave (7a: "include all attempts on Line 7a").
      if (row.attempted) return { scores: [{ code, count: 1 }] };
      const lines = rules.codes.filter((r) => r.classCode === rule.classCode && r.vehicleProperty.length);
      const props = (row.property ?? []).map((p) => p.trim().padStart(2, '0'));
      const per = new Map<string, number>();
      let typed = 0;
      for (const l of lines) {
        if (l.code === lines[0]?.code) continue; // the first line (autos) takes the remainder
        const c = props.filter((p) => l.vehicleProperty.includes(p)).length;
        if (c) per.set(l.code, c);
        typed += c;
      }
      const autos = lines[0];
      const vehicleEntries = props.filter((p) => lines.some((l) => l.vehicleProperty.includes(p))).length;
      const total = n(row.vehicles) ?? vehicleEntries;
      if (total === 0 || !autos) return { scores: [{ code, count: 1 }] };
      const rest = Math.max(0, total - typed);
      const scores: Score[] = [];
      if (rest) scores.push({ code: autos.code, count: rest });
      for (const [c, k] of per) scores.push({ code: c, count: k });
      return { scores };
    }
    default:
      return { scores: [{ code, count: 1 }] };
  }
}

/** Marks every row of one incident. */
export function markIncident(rows: readonly OffenseRow[], rules: HierarchyRules): RowMark[] {
  const marks: (RowMark | undefined)[] = rows.map(() => undefined);
  const rulesOf = rows.map((r) => (r.target !== undefined ? rules.rule(r.target) : undefined));
  let best = -1;
  rows.forEach((row, i) => {
    const rule = rulesOf[i];
    if (row.target === undefined) {
      const m = row.missing ?? { kind: 'unclassified', reason: 'no offense code' };
      marks[i] = m.kind === 'no-line' ? { status: 'not-counted', reason: `no ${rules.vocabulary} offense line: ${m.reason}`, scores: [] } : { status: 'unclassified', reason: m.reason, scores: [] };
      return;
    }
    if (!rule) {
      marks[i] = { status: 'not-counted', reason: `${row.target} is not an offense line the Hierarchy Rule counts`, scores: [] };
      return;
    }
    if (rule.kind === 'counted-besides') return;
    const b = best >= 0 ? rulesOf[best]! : undefined;
    if (!b || rule.classRank < b.classRank || (rule.classRank === b.classRank && rule.rank < b.rank)) best = i;
  });
  const top = best >= 0 ? rulesOf[best]! : undefined;
  rows.forEach((row, i) => {
    if (marks[i]) return;
    const rule = rulesOf[i]!;
    if (rule.kind === 'counted-besides') {
      const s = scoreRow(row, rule, rules);
      marks[i] = { status: 'counted', reason: `counted besides the Hierarchy Rule (${rules.term(rule.classCode)?.label ?? rule.classCode} is an exception)`, ...s };
    } else if (i === best) {
      const s = scoreRow(row, rule, rules);
      marks[i] = { status: 'counted', reason: rows.length > 1 ? 'most serious offense of the incident' : 'only offense of the incident', ...s };
    } else {
      const first = rows[best]!;
      const sameClass = rule.classCode === top!.classCode;
      marks[i] = {
        status: 'not-counted',
        reason: sameClass ? `same class as ${first.source} (${top!.code}) ${SAME_CLASS_TAIL}` : `lower in hierarchy than ${first.source} ${IN_THIS_INCIDENT}`,
        general: sameClass ? `same class as the counted offense of ${SAME_CLASS_TAIL.slice(3)}` : `lower in hierarchy than another offense ${IN_THIS_INCIDENT}`,
        scores: [],
      };
    }
  });
  return marks as RowMark[];
}
