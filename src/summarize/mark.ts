/**
 * Incident-level conversion over records (issue 19): records of an offense export (one row per
 * offense, several per incident) in → each record with its translation and its mark under the
 * Hierarchy Rule out, in input order. The CLI's `convert --incident` is this with CSV around it.
 *
 * Grouping: with `adjacent`, the rows of an incident must follow each other; one incident is held
 * at a time (memory: the largest incident, plus one key per incident seen, to catch a file that is
 * not grouped after all). Without it every record is held until the end (memory grows with the
 * file: the records themselves plus about 200 bytes of marks per row).
 *
 * Facts the rules need are taken from the incident's rows: a row that records no value for a field
 * with an order of seriousness (weapon) takes the most serious value recorded on any row of its
 * incident (inferred: the conversion document takes the weapon per offense; exports often record it
 * once per incident).
 */

import type { RegistryIndex } from '../indexes/index.js';
import { XwalkError } from '../errors/errors.js';
import { normalizeCode } from '../load/normalize.js';
import type { Domain, DomainTable } from '../model/types.js';
import { recordDate } from '../convert/convert.js';
import { BoundedCache } from '../plan/bounded.js';
import { resolveDomain, translateCode } from '../translate/translate.js';
import type { Outcome, TranslationResult } from '../translate/result.js';
import { markIncident, type OffenseRow, type RowMark } from './incident.js';
import { hierarchyRules, type HierarchyRules } from './rules.js';
import { countReason, type ReasonCount } from '../model/order.js';

export interface IncidentOptions {
  from: string;
  to: string;
  /** The field that holds the offense code. */
  column: string;
  /** The field that groups offense rows into incidents. */
  incident: string;
  /** Condition field → the record field that holds it (weapon, attempted, property_description ...). */
  context?: Readonly<Record<string, string>>;
  /** Facts of every record (`report: offense`). */
  facts?: Readonly<Record<string, string | readonly string[]>>;
  /** Fields with the number of victims, premises entered, location type, vehicles stolen. */
  victims?: string;
  premises?: string;
  location?: string;
  vehicles?: string;
  /** Splits one cell into several values for multi-valued fields (`12|40`). */
  valueSeparator?: string;
  /** Translate with the meanings valid on each record's date, read from this field. */
  asOfField?: string;
  /** Words that mean "not recorded" in a context cell (besides the empty cell). */
  missing?: readonly string[];
  /** The rows of an incident are adjacent: stream, holding one incident at a time. */
  adjacent?: boolean;
  /** Where a record is, for messages ("file.csv, line 31"); default "record N". */
  where?: (record: Readonly<Record<string, unknown>>, n: number) => string;
}

export interface MarkedRecord<R> {
  record: R;
  incident: string;
  /** The translated code (rolled up to the class when the line is not decided), if any. */
  target?: string;
  outcome: Outcome | 'empty';
  mark: RowMark;
}

export interface IncidentReport {
  rowsIn: number;
  incidents: number;
  counted: number;
  notCounted: number;
  unclassified: number;
  /** Counted rows whose class counts victims but whose victims were not given (one each). */
  victimsDefaulted: number;
  victimsColumn: boolean;
  /** The most frequent reasons, per status. */
  reasons: ReasonCount<RowMark['status']>[];
  /** Held one incident at a time (adjacent rows) or the whole file. */
  streamed: boolean;
  largestIncident: number;
  /** Units scored per target code. */
  scored: Record<string, number>;
}

type RecordLike = Readonly<Record<string, unknown>>;

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const own = (r: RecordLike, name: string): unknown => (Object.prototype.hasOwnProperty.call(r, name) ? r[name] : undefined);
const num = (v: string): number | undefined => (/^\s*\d+\s*$/.test(v) ? Number(v) : undefined);

/** A message without its parenthesized asides (the conditions that failed): short enough for a reason column. */
function withoutAsides(m: string): string {
  let s = m;
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/ \([^()]*\)/g, '');
  }
  return s;
}

/** Condition fields whose values have an order of seriousness: the incident's most serious value fills a row's blank. */
function rankedFields(index: RegistryIndex, opts: IncidentOptions): Map<string, DomainTable> {
  const out = new Map<string, DomainTable>();
  for (const cw of index.registry.crosswalks.values()) {
    if (cw.to !== opts.to) continue;
    for (const f of cw.fields ?? []) {
      if (!f.vocabulary || !opts.context?.[f.name]) continue;
      const vocab = index.registry.vocabularies.get(f.vocabulary);
      const table = f.domain ? vocab?.domains.get(f.domain) : vocab && vocab.domains.size === 1 ? [...vocab.domains.values()][0] : undefined;
      if (table?.precedence?.length) out.set(f.name, table);
    }
  }
  return out;
}

/** A report being built. */
export class IncidentTally {
  readonly report: IncidentReport;
  private readonly reasons = new Map<string, ReasonCount<RowMark['status']>>();
  constructor(streamed: boolean, victimsColumn: boolean) {
    this.report = { rowsIn: 0, incidents: 0, counted: 0, notCounted: 0, unclassified: 0, victimsDefaulted: 0, victimsColumn, reasons: [], streamed, largestIncident: 0, scored: {} };
  }
  add(m: RowMark): void {
    const r = this.report;
    r.rowsIn++;
    if (m.status === 'counted') r.counted++;
    else if (m.status === 'not-counted') r.notCounted++;
    else r.unclassified++;
    if (m.victimsDefaulted) r.victimsDefaulted++;
    for (const s of m.scores) r.scored[s.code] = (r.scored[s.code] ?? 0) + s.count;
    // "lower in hierarchy than 120" and "... than 13A" are one reason in the report.
    const general = m.general ?? m.reason;
    countReason(this.reasons, m.status, general, 1000);
  }
  incident(size: number): void {
    this.report.incidents++;
    if (size > this.report.largestIncident) this.report.largestIncident = size;
  }
  finish(): IncidentReport {
    const order = { counted: 0, 'not-counted': 1, unclassified: 2 };
    this.report.reasons = [...this.reasons.values()].sort((a, b) => order[a.status] - order[b.status] || b.count - a.count || (a.reason < b.reason ? -1 : 1)).slice(0, 30);
    return this.report;
  }
}

/** What marking one run's records needs: the options and everything derived from them once. */
interface Marking {
  index: RegistryIndex;
  opts: IncidentOptions;
  rules: HierarchyRules;
  domain: Domain;
  ranked: ReadonlyMap<string, DomainTable>;
  rankMaps: ReadonlyMap<string, { table: DomainTable; rank: ReadonlyMap<string, number> }>;
  facts: ReadonlyMap<string, string | readonly string[]>;
  memo: BoundedCache<TranslationResult>;
  tally: IncidentTally;
  split: (v: string) => string[];
}

/** One record's translation, as the Hierarchy Rule sees it. */
interface RecordTranslation {
  target?: string;
  outcome: Outcome | 'empty';
  result?: TranslationResult;
  badDate?: string;
}

/**
 * Marks records by incident. Yields every record, in input order, with its mark; `tally.finish()`
 * (the returned object's `report()`) gives the reconciliation. Throws XwalkError for bad options
 * (a vocabulary with no Hierarchy Rule, an undecidable domain) before reading a record, and with
 * `adjacent` when an incident's rows turn out not to be adjacent.
 */
export function markIncidents<R extends RecordLike>(index: RegistryIndex, records: Iterable<R> | AsyncIterable<R>, opts: IncidentOptions): { records: AsyncGenerator<MarkedRecord<R>>; report: () => IncidentReport; rules: HierarchyRules } {
  const rules = hierarchyRules(index.registry, opts.to);
  const domain = resolveDomain(index, opts.from, opts.to, rules.domain);
  const ranked = rankedFields(index, opts);
  const rankMaps = new Map([...ranked].map(([f, table]) => [f, { table, rank: new Map(table.precedence!.map((c, i) => [normalizeCode(c, table.normalize), i])) }]));
  const missing = new Set(['', ...(opts.missing ?? [])].map((s) => s.trim()));
  const facts = new Map(Object.entries(opts.facts ?? {}));
  const memo = new BoundedCache<TranslationResult>(50_000);
  const tally = new IncidentTally(Boolean(opts.adjacent), opts.victims !== undefined);
  const sep = opts.valueSeparator;
  const split = (v: string): string[] => (sep !== undefined ? v.split(sep) : [v]).map((s) => s.trim()).filter((s) => !missing.has(s));
  const cx: Marking = { index, opts, rules, domain, ranked, rankMaps, facts, memo, tally, split };
  return { records: opts.adjacent ? markAdjacent(cx, records) : markHeld(cx, records), report: () => tally.finish(), rules };
}

/** Translates one record's offense code with its context (blanks filled from the incident), memoized. */
function translateRecord(cx: Marking, record: RecordLike, fill: Map<string, string>): RecordTranslation {
  const { opts, rules, memo, facts } = cx;
  const value = text(own(record, opts.column));
  if (value.trim() === '') return { outcome: 'empty' };
  const context = new Map<string, string | readonly string[]>();
  for (const [field, from] of Object.entries(opts.context ?? {})) {
    const raw = text(own(record, from));
    const vals = cx.split(raw);
    // An empty cell (or a --missing word) says "not recorded", unless another row of the incident records it.
    if (vals.length) context.set(field, vals.length === 1 ? vals[0]! : vals);
    else context.set(field, fill.get(field) ?? '');
  }
  let asOf: string | undefined;
  if (opts.asOfField !== undefined) {
    const raw = text(own(record, opts.asOfField));
    asOf = raw.trim() === '' ? undefined : recordDate(raw);
    if (raw.trim() !== '' && asOf === undefined) return { outcome: 'empty', badDate: raw };
  }
  let key = `${value.length}:${value}\u0000${asOf ?? ''}`;
  for (const [f, v] of context) key += `\u0000${f}=${typeof v === 'string' ? v : v.join('\u0001')}`;
  let r = memo.get(key);
  if (!r) {
    r = translateCode(cx.index, value, { from: opts.from, to: opts.to, domain: cx.domain, context, rollUp: true, suggest: false, ...(facts.size ? { facts } : {}), ...(asOf !== undefined ? { asOf } : {}) });
    memo.set(key, r);
  }
  if (r.outcome === 'mapped') return { target: r.best!.code, outcome: r.outcome, result: r };
  // The Hierarchy Rule needs the class only: candidates that all lie in one class count there
  // ("line not decided"), as --roll-up would answer had their branches covered every value.
  if (r.outcome === 'ambiguous') {
    const classes = new Set(r.candidates.map((c) => rules.rule(c.code)?.classCode ?? `\u0000${c.code}`));
    if (classes.size === 1) {
      const cls = [...classes][0]!;
      if (!cls.startsWith('\u0000')) return { target: cls, outcome: r.outcome, result: r };
    }
  }
  return { outcome: r.outcome, result: r };
}

/** The facts of one record that the Hierarchy Rule reads: its class (or why it has none), victims, premises, property. */
function offenseRow(cx: Marking, record: RecordLike, t: RecordTranslation): OffenseRow {
  const { opts } = cx;
  const value = text(own(record, opts.column));
  const row: OffenseRow = { source: value.trim() };
  if (t.target !== undefined) row.target = t.target;
  else if (t.badDate !== undefined) row.missing = { kind: 'unclassified', reason: `the date "${t.badDate}" in column ${opts.asOfField} cannot be read` };
  else if (t.outcome === 'empty') row.missing = { kind: 'unclassified', reason: `no offense code in column ${opts.column}` };
  else if (t.outcome === 'no-mapping') row.missing = { kind: 'no-line', reason: withoutAsides(t.result!.message) };
  else row.missing = { kind: 'unclassified', reason: `${value.trim()}: ${t.outcome}${t.result ? ` (${t.result.message})` : ''}` };
  const cell = (f: string | undefined) => (f === undefined ? '' : text(own(record, f)));
  if (opts.victims !== undefined) row.victims = num(cell(opts.victims));
  if (opts.premises !== undefined) row.premises = num(cell(opts.premises));
  if (opts.location !== undefined) row.location = cell(opts.location);
  if (opts.vehicles !== undefined) row.vehicles = num(cell(opts.vehicles));
  const prop = opts.context?.['property_description'];
  if (prop !== undefined) row.property = cx.split(cell(prop));
  const att = opts.context?.['attempted'];
  if (att !== undefined) row.attempted = /^(a|attempted|attempt|yes|y|true)$/i.test(cell(att).trim());
  return row;
}

/** The most serious value of each ranked field over an incident's rows. */
function incidentFill(cx: Marking, rows: readonly RecordLike[]): Map<string, string> {
  const fill = new Map<string, string>();
  for (const [field, { table, rank }] of cx.rankMaps) {
    let best: string | undefined;
    let bestRank = Infinity;
    for (const r of rows) {
      for (const v of cx.split(text(own(r, cx.opts.context![field]!)))) {
        const k = rank.get(normalizeCode(v, table.normalize));
        if (k !== undefined && k < bestRank) {
          bestRank = k;
          best = v;
        }
      }
    }
    if (best !== undefined) fill.set(field, best);
  }
  return fill;
}

/** Marks one incident's rows (id '' : rows with no incident id) and yields them, tallied, in their order. */
function* settle<R extends RecordLike>(cx: Marking, id: string, rows: readonly R[]): Generator<MarkedRecord<R>> {
  const { opts, tally } = cx;
  const fill = cx.ranked.size ? incidentFill(cx, rows) : new Map<string, string>();
  const ts = rows.map((r) => translateRecord(cx, r, fill));
  const marks =
    id === ''
      ? rows.map((): RowMark => ({ status: 'unclassified', reason: `no incident id in column ${opts.incident}`, scores: [] }))
      : markIncident(
          rows.map((r, i) => offenseRow(cx, r, ts[i]!)),
          cx.rules,
        );
  if (id !== '') tally.incident(rows.length);
  for (let i = 0; i < rows.length; i++) {
    tally.add(marks[i]!);
    const t = ts[i]!;
    yield { record: rows[i]!, incident: id, ...(t.target !== undefined ? { target: t.target } : {}), outcome: t.outcome, mark: marks[i]! };
  }
}

/** The record's incident id. */
const incidentOf = (opts: IncidentOptions, r: RecordLike): string => text(own(r, opts.incident)).trim();

/** Adjacent rows: holds one incident at a time; throws when an incident comes back after another. */
async function* markAdjacent<R extends RecordLike>(cx: Marking, records: Iterable<R> | AsyncIterable<R>): AsyncGenerator<MarkedRecord<R>> {
  const { opts } = cx;
  const done = new Set<string>();
  let cur: R[] = [];
  let curId: string | undefined;
  let n = 0;
  for await (const r of records) {
    n++;
    const id = incidentOf(opts, r);
    if (id === '') {
      yield* settle(cx, '', [r]);
      continue;
    }
    if (id !== curId) {
      if (curId !== undefined) {
        yield* settle(cx, curId, cur);
        done.add(curId);
      }
      if (done.has(id)) {
        throw new XwalkError(`${opts.where ? opts.where(r, n) : `record ${n}`}: incident "${id}" appears again after other incidents, so the rows of an incident are not adjacent`, {
          hint: `sort the file by ${opts.incident}, or leave out --incidents-adjacent (the whole file is then held in memory)`,
        });
      }
      cur = [];
      curId = id;
    }
    cur.push(r);
  }
  if (curId !== undefined) yield* settle(cx, curId, cur);
}

/** Rows in any order: holds every record, groups them by incident, yields them in input order. */
async function* markHeld<R extends RecordLike>(cx: Marking, records: Iterable<R> | AsyncIterable<R>): AsyncGenerator<MarkedRecord<R>> {
  const all: R[] = [];
  const groups = new Map<string, number[]>();
  for await (const r of records) {
    const id = incidentOf(cx.opts, r);
    const g = groups.get(id) ?? groups.set(id, []).get(id)!;
    g.push(all.length);
    all.push(r);
  }
  const out: (MarkedRecord<R> | undefined)[] = new Array(all.length);
  for (const [id, idx] of groups) {
    if (id === '') {
      for (const i of idx) for (const m of settle(cx, '', [all[i]!])) out[i] = m;
      continue;
    }
    let k = 0;
    for (const m of settle(
      cx,
      id,
      idx.map((i) => all[i]!),
    ))
      out[idx[k++]!] = m;
  }
  for (const m of out) yield m!;
}
