/**
 * The resolved crosswalk A→B as one flat table: every code of A's domain translated exactly as
 * `xwalk translate`/`convert` do (translateCode: direct, inverse, chained), one row per target,
 * plus a row for each code that reaches nothing (with the reason), each negative statement, and
 * each conditional no-match of the direct crosswalk (no target, reason explicit-no-match, the
 * condition in `conditions`: the records that meet it reach nothing; never selected).
 * `relation` is the source code's as a whole, `relation_when` the one stated under `conditions`.
 * This is what `--format csv|sql|parquet` write (with typed condition columns, typed.ts), and what
 * `--resolved` FHIR/SSSOM exports are made of.
 *
 * `selected` marks the rows `xwalk convert` writes for the code when the record gives no facts
 * (the best target when mapped, every target when ambiguous), so a SQL join over
 * `selected = 1` gives what convert gives.
 */

import type { Condition, Domain, FieldDecl, IsoDate, Mapping, Term } from '../model/types.js';
import { invert, wholeCodeRelation, type Relation } from '../model/relation.js';
import type { Edge, RegistryIndex } from '../indexes/index.js';
import { normalizeCode } from '../load/normalize.js';
import { translateCode } from '../translate/translate.js';
import { noteText } from '../translate/notes.js';
import type { Candidate, Outcome, Step } from '../translate/result.js';
import { conditionsText, URN, type ExportMapping, type ExportSet } from './common.js';

/** One row of the flat table. `undefined` cells are NULL in SQL, empty in CSV. */
export interface FlatRow {
  fromVocab: string;
  toVocab: string;
  domain: Domain;
  sourceCode: string;
  /** The lookup key: the code as xwalk normalizes input before looking it up. */
  sourceKey: string;
  sourceLabel: string;
  outcome: Outcome;
  /** no-mapping; or explicit-no-match on a row without a target: the records that meet `conditions` reach nothing. */
  reason?: string;
  /** Position among the code's usable targets (1 = best); undefined for other rows. */
  rank?: number;
  /** 1 when convert writes this target for the code (without record facts). */
  selected: 0 | 1;
  targetCode?: string;
  targetLabel?: string;
  /** The relation of the source code as a whole to the target (13A ⊃ 4a even where 13A|firearm = 4a). */
  relation?: Relation;
  /** The relation that holds under `conditions`: of the source restricted to them, to the target. */
  relationWhen?: Relation;
  confidence?: number;
  route?: Candidate['route'];
  reviewed?: 0 | 1;
  conditions?: string;
  /** The conditions `conditions` writes, for the typed columns (typed.ts); not a column itself. */
  when?: Condition[];
  path?: string;
  /** When the row applies: the source code's, the target code's and every mapping's validity, intersected. */
  validFrom?: IsoDate;
  validTo?: IsoDate;
  note?: string;
}

export const FLAT_COLUMNS = [
  ['from_vocab', 'fromVocab'],
  ['to_vocab', 'toVocab'],
  ['domain', 'domain'],
  ['source_code', 'sourceCode'],
  ['source_key', 'sourceKey'],
  ['source_label', 'sourceLabel'],
  ['outcome', 'outcome'],
  ['reason', 'reason'],
  ['target_rank', 'rank'],
  ['selected', 'selected'],
  ['target_code', 'targetCode'],
  ['target_label', 'targetLabel'],
  ['relation', 'relation'],
  ['relation_when', 'relationWhen'],
  ['confidence', 'confidence'],
  ['route', 'route'],
  ['reviewed', 'reviewed'],
  ['conditions', 'conditions'],
  ['path', 'path'],
  ['valid_from', 'validFrom'],
  ['valid_to', 'validTo'],
  ['note', 'note'],
] as const satisfies readonly (readonly [string, keyof FlatRow])[];

interface Period {
  validFrom?: IsoDate;
  validTo?: IsoDate;
}

function intersect(periods: Period[]): Period {
  const out: Period = {};
  for (const p of periods) {
    if (p.validFrom && (!out.validFrom || p.validFrom > out.validFrom)) out.validFrom = p.validFrom;
    if (p.validTo && (!out.validTo || p.validTo < out.validTo)) out.validTo = p.validTo;
  }
  return out;
}

/** The crosswalk mapping a path step came from (matching its conditions to the candidate's). */
function stepMapping(index: RegistryIndex, step: Step, conditions: Candidate['conditions']): Mapping | undefined {
  const cw = index.registry.crosswalks.get(step.crosswalk);
  if (!cw) return undefined;
  const edge: Edge = { crosswalk: cw, from: step.from.vocabulary, to: step.to.vocabulary, inverted: step.inverted };
  const table = index.table(step.to.vocabulary, cw.domain);
  const key = (c: string) => (table ? normalizeCode(c, table.normalize) : c);
  const want = key(step.to.code);
  const held = new Set(conditions.map((c) => JSON.stringify(c)));
  return index.mappingsFor(edge, step.from.code).find((m) => {
    const to = step.inverted ? m.from : m.to;
    const rel = step.inverted ? invert(m.relation) : m.relation;
    return to !== undefined && key(to) === want && rel === step.relation && m.status !== 'proposed' && m.when.every((c) => held.has(JSON.stringify(c)));
  });
}

/** `riverton-pd--nibrs > nibrs--srs(inverse)`: as `convert --explain` writes a path. */
export function pathText(path: readonly Step[]): string {
  return path.map((s) => `${s.crosswalk}${s.inverted ? '(inverse)' : ''}`).join(' > ');
}

export interface Resolved {
  rows: FlatRow[];
  /** The condition fields of the crosswalks the conditional rows come from, as they declare them. */
  fields: FieldDecl[];
  /** The same answers as mappings, for FHIR/SSSOM exports of the resolved crosswalk. */
  set: ExportSet;
}

/** Every code of A's domain, translated to B; rows in the vocabulary's order, targets best first. */
export function resolveCrosswalk(index: RegistryIndex, opts: { from: string; to: string; domain: Domain; maxHops?: number; facts?: ReadonlyMap<string, readonly string[]> }): Resolved {
  const { from, to, domain } = opts;
  const table = index.table(from, domain)!;
  // The condition fields of every crosswalk an answer goes through, as each declares them (the first wins a name).
  const fields = new Map<string, FieldDecl>();
  const cx: Resolving = {
    index,
    from,
    to,
    domain,
    rows: [],
    mappings: [],
    useFields: (crosswalk: string) => {
      for (const d of index.registry.crosswalks.get(crosswalk)?.fields ?? []) if (!fields.has(d.name)) fields.set(d.name, d);
    },
  };
  const { rows } = cx;
  for (const term of table.terms.values()) {
    const r = translateCode(index, term.code, { from, to, domain, ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}), ...(opts.facts?.size ? { facts: opts.facts } : {}) });
    const base: RowBase = { fromVocab: from, toVocab: to, domain, sourceCode: term.code, sourceKey: normalizeCode(term.code, table.normalize), sourceLabel: term.label, outcome: r.outcome };
    // The direct crosswalk's no-match statements of this code (a conditional one speaks only for
    // the records that meet its condition: "11A completed, victim of unknown sex: no line").
    const direct = index.edgesFrom(from, domain).find((e) => e.to === to && !e.inverted);
    const noMatches = direct ? index.mappingsFor(direct, term.code).filter((m) => m.relation === 'no-match') : [];
    if (r.outcome === 'mapped' || r.outcome === 'ambiguous') {
      r.candidates.forEach((c, i) => rows.push(candidateRow(cx, term, base, c, i + 1, r.outcome === 'ambiguous' || i === 0 ? 1 : 0)));
      for (const stmt of noMatches) if (stmt.when.length && stmt.status !== 'proposed') noMatchRow(cx, term, base, direct, stmt, 'explicit-no-match', stmt.note);
    } else {
      // The crosswalk's own no-match statement, when it has one: its note is the row's note.
      const stmt = r.reason === 'explicit-no-match' ? noMatches[0] : undefined;
      noMatchRow(cx, term, base, direct, stmt, r.reason, stmt ? stmt.note : r.message);
    }
    for (const e of r.excluded) if (e.reason === 'negative') rows.push(candidateRow(cx, term, base, e.candidate, undefined, 0));
  }
  const set = resolvedSet(index, from, to, domain, cx.mappings, fields);
  return { rows, fields: [...fields.values()], set };
}

/** One resolution's state: the rows and mappings so far, and how to note the condition fields an answer uses. */
interface Resolving {
  index: RegistryIndex;
  from: string;
  to: string;
  domain: Domain;
  rows: FlatRow[];
  mappings: ExportMapping[];
  useFields: (crosswalk: string) => void;
}

/** The cells every row of one source code shares. */
type RowBase = Pick<FlatRow, 'fromVocab' | 'toVocab' | 'domain' | 'sourceCode' | 'sourceKey' | 'sourceLabel' | 'outcome'>;

/** One candidate of a source code → its row, and its mapping (for FHIR/SSSOM) added to `cx.mappings`. */
function candidateRow(cx: Resolving, term: Term, base: RowBase, c: Candidate, rank: number | undefined, selected: 0 | 1): FlatRow {
  const { index, from } = cx;
  const used = c.path.map((s) => stepMapping(index, s, [...c.conditions, ...(c.implied ?? [])]));
  if (c.conditions.length) for (const s of c.path) cx.useFields(s.crosswalk);
  const target = index.term(cx.to, cx.domain, c.code);
  const period = intersect([term, ...(target ? [target] : []), ...used.filter((m): m is Mapping => m !== undefined)]);
  const notes = used.map((m) => m?.note).filter((n): n is string => !!n);
  if (!c.reviewed) notes.push(noteText('inverted'));
  const whole = c.conditions.length ? wholeCodeRelation(c.relation) : c.relation;
  const row: FlatRow = { ...base, selected, targetCode: c.code, targetLabel: c.label, relation: whole ?? 'related', relationWhen: c.relation, confidence: c.confidence, route: c.route, reviewed: c.reviewed ? 1 : 0, path: pathText(c.path), ...period };
  if (rank !== undefined) row.rank = rank;
  if (c.conditions.length) {
    row.conditions = conditionsText(c.conditions);
    row.when = c.conditions;
  }
  if (notes.length) row.note = notes.join('; ');
  // The mapping itself, for FHIR/SSSOM: its own validity (not the codes'), the path as evidence.
  const own = intersect(used.filter((m): m is Mapping => m !== undefined));
  const m: ExportMapping = { from: term.code, to: c.code, relation: c.relation, confidence: c.confidence, when: c.conditions, status: 'reviewed', loc: used[0]?.loc ?? term.loc, derivation: c.route === 'direct' ? 'stated' : c.route, fromLabel: term.label, toLabel: c.label, ...own };
  if (c.product?.length) m.product = c.product;
  const mappingNotes = used.map((u) => u?.note).filter((n): n is string => !!n);
  if (mappingNotes.length) m.note = mappingNotes.join('; ');
  if (c.route !== 'direct') m.path = `${from}:${term.code} ` + c.path.map((s) => `${s.relation}${s.inverted ? '(inverse)' : ''} ${s.to.vocabulary}:${s.to.code}`).join(' ');
  cx.mappings.push(m);
  return row;
}

/** A row without a target (no mapping, or the direct crosswalk's no-match statement `stmt`), added to `cx.rows`. */
function noMatchRow(cx: Resolving, term: Term, base: RowBase, direct: Edge | undefined, stmt: Mapping | undefined, reason: string | undefined, note: string | undefined): void {
  const row: FlatRow = { ...base, selected: 0, ...intersect([term, ...(stmt ? [stmt] : [])]) };
  if (reason) row.reason = reason;
  if (stmt?.when.length) {
    row.conditions = conditionsText(stmt.when);
    row.when = stmt.when;
  }
  if (note) row.note = note;
  cx.rows.push(row);
  if (stmt) cx.mappings.push({ ...stmt, derivation: 'stated', fromLabel: term.label });
  if (stmt?.when.length && direct) cx.useFields(direct.crosswalk.id);
}

/** The resolved answers as a mapping set, for FHIR/SSSOM exports. */
function resolvedSet(index: RegistryIndex, from: string, to: string, domain: Domain, mappings: ExportMapping[], fields: Map<string, FieldDecl>): ExportSet {
  const set: ExportSet = {
    id: `${from}--${to}--resolved`,
    from,
    to,
    domain,
    version: [index.vocabulary(from)?.version, index.vocabulary(to)?.version].join('+'),
    description: `The crosswalk ${from} → ${to} (${domain}) as xwalk resolves it: direct, read backwards, or chained through other vocabularies (${URN.vocabulary(from, domain)} → ${URN.vocabulary(to, domain)}).`,
    mappings,
  };
  const fv = index.vocabulary(from)?.version;
  const tv = index.vocabulary(to)?.version;
  if (fields.size) set.fields = [...fields.values()];
  if (fv) set.fromVersion = fv;
  if (tv) set.toVersion = tv;
  return set;
}

/** The list separator of typed `when_F` cells where the engine has no arrays (CSV, SQLite, portable SQL). */
export const LIST_SEPARATOR = '|';

export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A cell's text; numbers as written by JSON (0.81), absent as ''. */
export function flatValue(row: FlatRow, key: Exclude<keyof FlatRow, 'when'>): string | number | undefined {
  return row[key];
}
