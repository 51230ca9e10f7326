/**
 * The translate stage: one code of vocabulary A → its counterparts in vocabulary B.
 *
 * In: a RegistryIndex, a code, options. Out: a TranslationResult. Pure: no I/O, no clock (the
 * date comes from the caller), no exceptions for expected outcomes; XwalkError only for a
 * request that cannot be answered at all (unknown vocabulary, ambiguous domain).
 *
 * Routes, in order of preference (the first that gives an answer wins):
 *   1. the crosswalk A→B (direct), or else B→A read backwards (inverse, marked unreviewed);
 *   2. chains through other vocabularies, shortest first, up to `maxHops`, never visiting a
 *      vocabulary twice, relations composed by the table in model/relation.ts.
 * A direct crosswalk that mentions the code (even with `no-match`) is never overruled by a chain.
 */

import { compose, invert, isPositive, restrict, STRENGTH, type Relation } from '../model/relation.js';
import type { Condition, Domain, IsoDate, Mapping, Term } from '../model/types.js';
import { NOT_RECORDED } from '../model/types.js';
import { XwalkError } from '../errors/errors.js';
import { conditionText } from '../read/values.js';
import { closest } from '../errors/closest.js';
import { noteText } from './notes.js';
import type { Edge, RegistryIndex } from '../indexes/index.js';
import type { FieldSpace, FieldValue, ValueTranslator } from '../indexes/facts.js';
import { rollUp } from './rollup.js';
import { formatDesignator, parseDesignator } from './designator.js';
import type { Candidate, ConditionState, Excluded, NoMappingReason, SourceTerm, Step, TranslationResult } from './result.js';
import { compareText, thousands } from '../model/order.js';

export interface TranslateOptions {
  from: string;
  to: string;
  /** Inferred when the two vocabularies share one domain, or the code is in only one of them. */
  domain?: Domain;
  /** Translate with the meanings valid on this date; without it validity is reported, not enforced. */
  asOf?: IsoDate;
  /** Longest chain tried (default 3). */
  maxHops?: number;
  /**
   * Facts of the record for conditional mappings (`weapon`, `attempted`, `report` ...): one value,
   * or several for a multi-valued field. Read in the codes of `from` first, then the field's own.
   */
  context?: ReadonlyMap<string, string | readonly string[]>;
  /**
   * Constant facts: they hold for every record of the run (`--fact report=offense` for a whole
   * offense file), so every incident the crosswalks speak of meets them. Unlike a record's own
   * facts they settle conditions on the way (an overlap survives a condition they imply) as a
   * code's facts do. A record fact for the same field is its own value.
   */
  facts?: ReadonlyMap<string, string | readonly string[]>;
  /** Splits one fact into several values for multi-valued fields (`12|40` with `|`); none by default. */
  valueSeparator?: string;
  /** Answer the common parent when the candidates lie under one and their branches cover every value. */
  rollUp?: boolean;
  /** Most route extensions one answer may try (default ROUTE_BUDGET). */
  maxRoutes?: number;
  /** Suggest near codes for an unknown code (default true; convert asks only for its report's top values). */
  suggest?: boolean;
}

export const DEFAULT_MAX_HOPS = 3;
/** Confidence kept for each step read backwards. */
export const INVERSE_FACTOR = 0.9;
/** Confidence kept for each hop after the first. */
export const HOP_FACTOR = 0.9;

/** Checks the vocabularies and picks the domain; throws XwalkError when it cannot. */
export function resolveDomain(index: RegistryIndex, from: string, to: string, domain?: Domain, code?: string): Domain {
  for (const id of [from, to]) {
    if (!index.vocabulary(id)) {
      const near = closest(id, [...index.registry.vocabularies.keys()]);
      throw new XwalkError(`unknown vocabulary "${id}"`, { hint: near ? `did you mean ${near}? ('xwalk list' shows them all)` : "'xwalk list' shows the vocabularies loaded" });
    }
  }
  const shared = index.sharedDomains(from, to);
  if (domain !== undefined) {
    if (!shared.includes(domain)) {
      const where = [from, to].filter((v) => !index.vocabulary(v)!.domains.has(domain));
      throw new XwalkError(`vocabulary ${where.join(' and ')} has no domain "${domain}"`, { hint: shared.length ? `domains both have: ${shared.join(', ')}` : `${from} and ${to} share no domain` });
    }
    return domain;
  }
  if (shared.length === 1) return shared[0]!;
  if (!shared.length) throw new XwalkError(`${from} and ${to} share no domain`, { hint: 'check the vocabularies with xwalk show' });
  if (code !== undefined) {
    const holding = shared.filter((d) => index.term(from, d, code) || (d === 'unit' && parseDesignator(index.table(from, d)!, code).length));
    if (holding.length === 1) return holding[0]!;
    // A code in none of them is an unknown code: answer in the domain that has look-alikes.
    if (!holding.length) return shared.find((d) => index.suggest(from, d, code, 1).length) ?? shared[0]!;
  }
  throw new XwalkError(`${from} and ${to} share several domains (${shared.join(', ')})${code !== undefined ? ` and "${code}" is a code in more than one` : ''}: say which with --domain`, { hint: `for example: --domain ${shared[0]}`, code: 'several-domains' });
}

/** A condition of a route, with the field space that reads it and the crosswalk that states it. */
interface RouteCondition {
  cond: Condition;
  space: FieldSpace;
}

/** What holds for every incident a route carries: code facts, mapping products, its conditions. */
interface Known {
  field: string;
  /** Raw values (one of them holds), stated in `statedIn`'s codes; or a condition of the route. */
  values?: string[];
  statedIn?: string;
  cond?: RouteCondition;
  /** Where it came from, for explanations. */
  by: 'code' | 'mapping' | 'condition' | 'fact';
}

interface Partial {
  vocabulary: string;
  code: string;
  relation: Relation;
  confidence: number;
  /** The route's conditions that nothing the route knows settles: the residual condition. */
  when: RouteCondition[];
  /** Conditions the route's own facts settle (shown, never asked of the record). */
  implied: Condition[];
  known: Known[];
  steps: Step[];
  notes: string[];
}

interface Found {
  raw: Partial[];
  noMatch: Step[];
  forbidden: { path: Step[]; detail: string }[];
  /** Routes dropped because what the codes state contradicts a condition on the way. */
  contradicted: { path: Step[]; detail: string }[];
}

/** Bounds on one answer's search (issue 15, class 9): routes extended, and the routes kept. */
export const ROUTE_BUDGET = 20000;

export function validAt(v: { validFrom?: string; validTo?: string }, asOf: IsoDate | undefined): boolean {
  if (!asOf) return true;
  return (!v.validFrom || v.validFrom <= asOf) && (!v.validTo || asOf < v.validTo);
}

function describeValidity(v: { validFrom?: string; validTo?: string }): string {
  if (v.validFrom && v.validTo) return `valid from ${v.validFrom} until ${v.validTo}`;
  if (v.validTo) return `valid until ${v.validTo}`;
  return `valid from ${v.validFrom}`;
}

/** The search's shared state for one answer: the budget and the value translator for facts. */
interface Search {
  index: RegistryIndex;
  domain: Domain;
  asOf: IsoDate | undefined;
  budget: number;
  exhausted: boolean;
  translateValue: ValueTranslator;
  /** The run's constant facts, known of every incident. */
  constant: Known[];
}

function termFacts(index: RegistryIndex, vocab: string, domain: Domain, code: string): Known[] {
  const t = index.term(vocab, domain, code);
  return (t?.facts ?? []).map((f) => ({ field: f.field, values: f.values, statedIn: vocab, by: 'code' as const }));
}

/**
 * What a route knows of a field, read in `space`: the intersection of every fact and (for a
 * single-valued field) every condition of the route on it, or undefined when it knows nothing.
 */
function knownValue(s: Search, space: FieldSpace, field: string, known: readonly Known[]): FieldValue | undefined {
  let leaves: Set<string> | undefined;
  let range: { lo: number; hi: number } | undefined;
  for (const k of known) {
    if (k.field !== field) continue;
    let kl: Set<string> | undefined;
    if (k.values) {
      kl = new Set<string>();
      for (const raw of k.values) {
        const v = space.read(raw, k.statedIn, s.translateValue);
        if (v.kind === 'codes') for (const l of v.leaves) kl.add(l);
        else if (v.kind === 'text') kl.add(v.value);
        else if (v.kind === 'range' && k.values.length === 1) {
          range = range ? { lo: Math.max(range.lo, v.lo), hi: Math.min(range.hi, v.hi) } : { lo: v.lo, hi: v.hi };
          kl = undefined;
          break;
        } else {
          kl = undefined;
          break;
        }
      }
    } else if (k.cond && !space.decl.multi && k.cond.space.decl === space.decl && k.cond.cond.op === 'in') {
      const acc = space.accepted(k.cond.cond);
      if ('leaves' in acc && !acc.leaves.has(NOT_RECORDED)) kl = acc.leaves;
    }
    if (kl) leaves = leaves ? new Set([...leaves].filter((l) => kl!.has(l))) : kl;
  }
  if (leaves) return { kind: 'codes', leaves, text: [...leaves].join('|') };
  if (range) return { kind: 'range', ...range, text: `${range.lo}..${range.hi}` };
  return undefined;
}

/**
 * A mapping's conditions against what the route already knows: each is implied (dropped), or
 * contradicted (the route ends), or left for the record to answer.
 */
function settle(s: Search, edge: Edge, when: readonly Condition[], known: readonly Known[]): { residual: RouteCondition[]; implied: Condition[]; contradiction?: string } {
  const residual: RouteCondition[] = [];
  const implied: Condition[] = [];
  for (const cond of when) {
    const space = s.index.fieldSpace(edge.crosswalk, cond.field);
    const k = knownValue(s, space, cond.field, known);
    const t = k ? space.truth(cond, k) : 'unknown';
    if (t === 'fails') return { residual, implied, contradiction: `${conditionText(cond)} cannot hold: ${describeKnown(cond.field, known)}` };
    if (t === 'holds') implied.push(cond);
    else residual.push({ cond, space });
  }
  return { residual, implied };
}

function describeKnown(field: string, known: readonly Known[]): string {
  const parts = known.filter((k) => k.field === field).map((k) => (k.values ? `${k.by === 'code' ? `${k.statedIn} states` : k.by === 'fact' ? 'the run states (--fact)' : 'the mapping states'} ${field}=${k.values.join('|')}` : `the route already requires ${conditionText(k.cond!.cond)}`));
  return parts.join('; ');
}

/**
 * The relation an inverted conditional mapping gives. `S|C R T` read from T: T's incidents against
 * all of S, with C becoming a fact of the incidents carried (they met it).
 */
function invertConditional(r: Relation): Relation | undefined {
  switch (r) {
    case 'equivalent':
    case 'source-broader':
      return 'source-narrower'; // T = S|C or T ⊆ S|C: T ⊆ S
    case 'source-narrower':
    case 'overlap':
      return 'overlap'; // S|C ⊆ T or S|C ∩ T ≠ ∅: T and S share incidents
    case 'related':
      return 'related';
    default:
      return undefined; // T ∩ S|C = ∅ says nothing of T against all of S
  }
}

/** Follow one path of edges from the source code; returns what reached its end. */
function follow(s: Search, path: Edge[], start: string, found: Found): void {
  const { index, domain, asOf } = s;
  let partials: Partial[] = [{ vocabulary: path[0]!.from, code: start, relation: 'equivalent', confidence: 1, when: [], implied: [], known: [...s.constant, ...termFacts(index, path[0]!.from, domain, start)], steps: [], notes: [] }];
  for (let hop = 0; hop < path.length; hop++) {
    const edge = path[hop]!;
    const last = hop === path.length - 1;
    const next: Partial[] = [];
    for (const p of partials) {
      for (const m of index.mappingsFor(edge, p.code)) {
        if (m.status === 'proposed' || !validAt(m, asOf)) continue;
        if (edge.inverted && m.relation === 'no-match') continue;
        if (--s.budget < 0) {
          s.exhausted = true;
          break;
        }
        const q = extend(s, edge, hop, last, p, m, found);
        if (q) next.push(q);
      }
      if (s.exhausted) break;
    }
    partials = next;
    if (s.exhausted) break;
  }
  // One at a time: a dense graph can leave more partials than a spread may pass as arguments.
  for (const p of partials) if (!s.exhausted || p.steps.length === path.length) found.raw.push(p);
}

/**
 * One mapping `m` of `edge` taken from partial route `p`: the longer partial route, or undefined
 * when the step ends there (a no-match, a contradiction, a relation that allows no inference ...,
 * recorded in `found`) or leads through a code not valid on the date.
 */
function extend(s: Search, edge: Edge, hop: number, last: boolean, p: Partial, m: Mapping, found: Found): Partial | undefined {
  const { index, domain, asOf } = s;
  const toCode = edge.inverted ? m.from : m.to!;
  const conditional = m.when.length > 0;
  const stated = edge.inverted ? (conditional ? invertConditional(m.relation) : invert(m.relation)) : m.relation;
  const step: Step = {
    crosswalk: edge.crosswalk.id,
    from: { vocabulary: edge.from, code: p.code },
    to: { vocabulary: edge.to, code: m.relation === 'no-match' ? '' : toCode },
    relation: edge.inverted ? (invert(m.relation) ?? m.relation) : m.relation,
    inverted: edge.inverted,
  };
  if (conditional) step.when = m.when;
  const steps = [...p.steps, step];
  if (m.relation === 'no-match') {
    found.noMatch.push(step);
    return undefined;
  }
  if (stated === undefined) {
    found.forbidden.push({ path: steps, detail: `${m.relation} under a condition, read backwards, says nothing of ${edge.to} ${toCode} as a whole` });
    return undefined;
  }
  const known = [...p.known, ...termFacts(index, edge.from, domain, p.code).filter(() => hop > 0)];
  let residual: RouteCondition[] = [];
  let implied: Condition[] = [];
  if (conditional && !edge.inverted) {
    const settled = settle(s, edge, m.when, known);
    if (settled.contradiction) {
      found.contradicted.push({ path: steps, detail: settled.contradiction });
      return undefined;
    }
    residual = settled.residual;
    implied = settled.implied;
  }
  // The first hop's relation, once this hop's condition restricts it (model/relation.ts).
  const restricted = restrict(p.relation, residual.length === 0);
  if (restricted === undefined) {
    found.forbidden.push({ path: steps, detail: `${p.relation} restricted by ${residual.map((r) => conditionText(r.cond)).join(', ')} allows no inference` });
    return undefined;
  }
  const composed = compose(restricted, stated);
  if (composed === undefined) {
    found.forbidden.push({ path: steps, detail: `${p.relation} then ${stated} allows no inference` });
    return undefined;
  }
  if (!last) {
    const mid = index.term(edge.to, domain, toCode);
    if (!mid || !validAt(mid, asOf)) return undefined;
  }
  const notes = m.note ? [...p.notes, m.note] : p.notes;
  const nextKnown: Known[] = [...known, ...residual.map((r) => ({ field: r.cond.field, cond: r, by: 'condition' as const }))];
  for (const f of m.product ?? []) nextKnown.push({ field: f.field, values: f.values, statedIn: edge.inverted ? edge.to : edge.crosswalk.to, by: 'mapping' });
  if (conditional && edge.inverted) for (const c of m.when) if ('values' in c && c.op === 'in' && !c.values.includes(NOT_RECORDED)) nextKnown.push({ field: c.field, values: c.values, statedIn: undefined, by: 'mapping' });
  return {
    vocabulary: edge.to,
    code: toCode,
    relation: composed,
    confidence: p.confidence * m.confidence * (edge.inverted ? INVERSE_FACTOR : 1) * (hop > 0 ? HOP_FACTOR : 1),
    when: [...p.when, ...residual],
    implied: [...p.implied, ...implied],
    known: nextKnown,
    steps,
    notes,
  };
}

/** Every simple path of `length` edges from `from` to `to` in the domain's graph. */
export function pathsOfLength(index: RegistryIndex, domain: Domain, from: string, to: string, length: number): Edge[][] {
  const out: Edge[][] = [];
  const visit = (v: string, path: Edge[], seen: Set<string>) => {
    if (path.length === length) {
      if (v === to) out.push([...path]);
      return;
    }
    for (const e of index.edgesFrom(v, domain)) {
      if (seen.has(e.to) || (e.to === to && path.length + 1 !== length)) continue;
      seen.add(e.to);
      path.push(e);
      visit(e.to, path, seen);
      path.pop();
      seen.delete(e.to);
    }
  };
  visit(from, [], new Set([from]));
  return out;
}

/** The record's facts, read once per field space. */
class RecordFacts {
  private readonly cache = new Map<FieldSpace, Map<string, FieldValue[]>>();
  readonly bad: { field: string; value: string; message: string }[] = [];
  readonly used = new Map<string, string[]>();
  constructor(
    private readonly facts: ReadonlyMap<string, readonly string[]>,
    private readonly statedIn: string,
    private readonly translateValue: ValueTranslator,
    private readonly separator: string | undefined,
  ) {}

  values(space: FieldSpace, field: string): FieldValue[] | undefined {
    const raw = this.facts.get(field);
    if (raw === undefined) return undefined;
    let bySpace = this.cache.get(space);
    if (!bySpace) this.cache.set(space, (bySpace = new Map()));
    let vs = bySpace.get(field);
    if (!vs) {
      const parts = raw.flatMap((r) => (this.separator !== undefined && space.decl.multi ? r.split(this.separator) : [r]));
      vs = parts.map((p) => space.read(p, this.statedIn, this.translateValue));
      for (const v of vs) if (v.kind === 'bad' && !this.bad.some((b) => b.field === field && b.value === v.text)) this.bad.push({ field, value: v.text, message: v.message });
      if (!space.decl.multi && vs.length > 1) {
        const msg = `${field} is single-valued but has ${vs.length} values (${parts.join(', ')})`;
        if (!this.bad.some((b) => b.field === field && b.message === msg)) this.bad.push({ field, value: parts.join('|'), message: msg });
        vs = [{ kind: 'bad', text: parts.join('|'), message: msg }];
      }
      bySpace.set(field, vs);
      this.used.set(field, raw.slice());
    }
    return vs;
  }
}

function checkConditions(conds: readonly RouteCondition[], facts: RecordFacts): { state: ConditionState; needs: string[]; failed: string[]; rank: number | undefined } {
  if (!conds.length) return { state: 'none', needs: [], failed: [], rank: undefined };
  const needs: string[] = [];
  const failed: string[] = [];
  let unknown = false;
  let rank: number | undefined;
  for (const { cond, space } of conds) {
    const values = facts.values(space, cond.field);
    if (values === undefined) {
      if (!needs.includes(cond.field)) needs.push(cond.field);
      continue;
    }
    const { truth, met } = space.truthOfAll(cond, values);
    if (truth === 'fails') failed.push(`${cond.field} is "${values.map((v) => v.text.trim()).join('|')}"`);
    else if (truth === 'unknown') {
      unknown = true;
      if (!needs.includes(cond.field)) needs.push(cond.field);
    } else if (space.decl.multi && space.hasPrecedence && values.length > 1) {
      const r = space.bestRank(met);
      if (r !== undefined && (rank === undefined || r < rank)) rank = r;
    }
  }
  return { state: failed.length ? 'failed' : needs.length || unknown ? 'unknown' : 'met', needs, failed, rank };
}

const STATE_RANK: Record<ConditionState, number> = { met: 0, none: 1, unknown: 2, failed: 3 };

export function rankCandidates(a: Candidate, b: Candidate): number {
  return STATE_RANK[a.conditionState] - STATE_RANK[b.conditionState] || STRENGTH[b.relation] - STRENGTH[a.relation] || b.confidence - a.confidence || a.path.length - b.path.length || compareText(a.code, b.code);
}

function resolveSource(index: RegistryIndex, from: string, domain: Domain, input: string): { term: Term; number?: number } | undefined {
  const term = index.term(from, domain, input);
  if (term) return { term };
  if (domain !== 'unit') return undefined;
  const hit = parseDesignator(index.table(from, domain)!, input)[0];
  return hit && { term: hit.term, number: hit.number };
}

/**
 * How a fact written in an agency's own codes is read (a record's weapon in the source vocabulary's
 * weapon codes): translated into the field's vocabulary on the date given. Shared with the
 * conversion plan, which reads record facts the same way.
 */
export function valueTranslator(index: RegistryIndex, asOf: IsoDate | undefined): ValueTranslator {
  return (value, from, to, d) => {
    if (!index.vocabulary(from)?.domains.has(d) || !index.term(from, d, value)) return undefined;
    const r = translateCode(index, value, { from, to, domain: d, ...(asOf ? { asOf } : {}) });
    const usable = r.outcome === 'mapped' ? [r.best!] : r.outcome === 'ambiguous' ? r.candidates : [];
    // Only a code that contains the value bounds it: equivalent, or the value narrower than it.
    return { codes: usable.map((c) => c.code), sound: usable.length > 0 && usable.every((c) => c.relation === 'equivalent' || c.relation === 'source-narrower') };
  };
}

export function translateCode(index: RegistryIndex, input: string, opts: TranslateOptions): TranslationResult {
  const domain = resolveDomain(index, opts.from, opts.to, opts.domain, input);
  const base = { input, from: opts.from, to: opts.to, domain, candidates: [] as Candidate[], excluded: [] as Excluded[], suggestions: [] as { code: string; label: string }[], forbidden: [] as { path: Step[]; detail: string }[] };
  const result: TranslationResult = { ...base, outcome: 'unknown', message: '' };
  if (opts.asOf) result.asOf = opts.asOf;

  const src = resolveSource(index, opts.from, domain, input);
  if (!src) return notACode(index, opts, domain, input, result);
  const { term } = src;
  result.source = sourceTerm(term, src.number);

  if (!validAt(term, opts.asOf)) {
    result.outcome = 'expired';
    result.message = `${term.code} (${term.label}) is not valid on ${opts.asOf}: ${describeValidity(term)}` + (term.replacedBy ? `; replaced by ${term.replacedBy}` : '');
    return result;
  }

  const translateValue = valueTranslator(index, opts.asOf);
  const constant = factMap(opts.facts);
  const record = factMap(opts.context);
  const facts = new RecordFacts(new Map([...constant, ...record]), opts.from, translateValue, opts.valueSeparator);
  // A constant fact a record overrides is that record's own: only the others are known of all.
  const known: Known[] = [...constant].filter(([f]) => !record.has(f)).map(([field, values]) => ({ field, values: opts.valueSeparator !== undefined ? values.flatMap((v) => v.split(opts.valueSeparator!)) : [...values], statedIn: opts.from, by: 'fact' as const }));
  const search: Search = { index, domain, asOf: opts.asOf, budget: opts.maxRoutes ?? ROUTE_BUDGET, exhausted: false, translateValue, constant: known };
  let routes: Routes;
  if (opts.from === opts.to) {
    const c = makeCandidate(index, domain, { vocabulary: opts.to, code: term.code, relation: 'equivalent', confidence: 1, when: [], implied: [], known: [], steps: [], notes: [] }, src.number);
    routes = { viable: [c], excluded: [], noMatch: [], forbidden: [] };
  } else routes = findRoutes(search, opts, term.code, src.number, facts);
  return conclude(result, opts, search, constant, facts, routes);
}

/** What the route search found: the viable candidates and what was set aside, as `finish` takes them. */
interface Routes {
  viable: Candidate[];
  excluded: Excluded[];
  noMatch: Step[];
  forbidden: TranslationResult['forbidden'];
  noCrosswalk?: boolean;
}

/** The answer for an input that is no code (nor designator) of the source vocabulary: suggestions, and why. */
function notACode(index: RegistryIndex, opts: TranslateOptions, domain: Domain, input: string, result: TranslationResult): TranslationResult {
  if (opts.suggest !== false) result.suggestions = index.suggest(opts.from, domain, input).map((t) => ({ code: t.code, label: t.label }));
  const table = index.table(opts.from, domain)!;
  const kinds = domain === 'unit' ? [...table.terms.values()].flatMap((t) => t.designators.map((d) => d.source)) : [];
  result.message = `"${input}" is not a code of ${opts.from} (${domain})` + (kinds.length ? ` and matches none of its designator templates (${kinds.slice(0, 6).join(', ')})` : '');
  return result;
}

/** The source term as the result shows it. */
function sourceTerm(term: Term, number: number | undefined): SourceTerm {
  const source: SourceTerm = { code: term.code, label: term.label };
  for (const k of ['validFrom', 'validTo', 'replacedBy', 'certainty', 'note'] as const) if (term[k] !== undefined) source[k] = term[k];
  if (term.facts?.length) source.facts = term.facts;
  if (number !== undefined) source.number = number;
  return source;
}

/**
 * A no-match under a condition ("11A completed, victim of unknown sex: no line") speaks only for
 * records whose facts do not contradict it: the steps that apply.
 */
function applicable(index: RegistryIndex, facts: RecordFacts, steps: Step[]): Step[] {
  const out: Step[] = [];
  for (const step of steps) {
    const cw = step.when?.length ? index.registry.crosswalks.get(step.crosswalk) : undefined;
    if (
      !cw ||
      checkConditions(
        step.when!.map((cond) => ({ cond, space: index.fieldSpace(cw, cond.field) })),
        facts,
      ).state !== 'failed'
    )
      out.push(step);
  }
  return out;
}

/** Route 1, the edge between the two vocabularies (forward or backward), then route 2, chains, shortest first. */
function findRoutes(search: Search, opts: TranslateOptions, code: string, number: number | undefined, facts: RecordFacts): Routes {
  const { index, domain } = search;
  const maxHops = opts.maxHops ?? DEFAULT_MAX_HOPS;
  const edge = index.edgesFrom(opts.from, domain).find((e) => e.to === opts.to);
  const allForbidden: Found['forbidden'] = [];
  const allExcluded: Excluded[] = [];
  let sawNoMatch: Step[] = [];
  if (edge) {
    const found: Found = { raw: [], noMatch: [], forbidden: [], contradicted: [] };
    follow(search, [edge], code, found);
    found.noMatch = applicable(index, facts, found.noMatch);
    const positive = found.raw.filter((p) => isPositive(p.relation));
    const { viable, excluded } = classify(index, domain, found, opts, number, facts);
    if (positive.length || found.noMatch.length) return { viable, excluded, noMatch: found.noMatch, forbidden: found.forbidden };
    for (const e of excluded) allExcluded.push(e);
  }
  for (let len = 2; len <= maxHops && !search.exhausted; len++) {
    const found: Found = { raw: [], noMatch: [], forbidden: [], contradicted: [] };
    for (const path of pathsOfLength(index, domain, opts.from, opts.to, len)) {
      follow(search, path, code, found);
      if (search.exhausted) break;
    }
    found.noMatch = applicable(index, facts, found.noMatch);
    const { viable, excluded } = classify(index, domain, found, opts, number, facts);
    for (const f of found.forbidden) allForbidden.push(f);
    for (const e of excluded) allExcluded.push(e);
    sawNoMatch = sawNoMatch.concat(found.noMatch);
    if (viable.length) return { viable, excluded: allExcluded, noMatch: [], forbidden: allForbidden };
  }
  return { viable: [], excluded: allExcluded, noMatch: sawNoMatch, forbidden: allForbidden, noCrosswalk: !edge };
}

/** The facts the answer used, the roll-up (with --roll-up), then `finish`. */
function conclude(result: TranslationResult, opts: TranslateOptions, search: Search, constant: Map<string, readonly string[]>, facts: RecordFacts, routes: Routes): TranslationResult {
  const { viable, excluded, noMatch, forbidden, noCrosswalk = false } = routes;
  const given = new Map<string, string[]>([...constant].map(([k, v]) => [k, [...v]]));
  for (const [k, v] of facts.used) given.set(k, v);
  if (given.size) result.factsUsed = [...given].map(([field, values]) => ({ field, values }));
  if (facts.bad.length) result.badFacts = facts.bad;
  if (search.exhausted) result.truncated = true;
  let v = viable;
  if (opts.rollUp) {
    const r = rollUp(search.index, search.domain, opts.to, viable, {
      open: (c) => conditionSpaces(c).filter(({ cond }) => c.needs.includes(cond.field)),
      known: (space, field) => facts.values(space, field),
    });
    if (r) {
      v = [r.candidate, ...viable.filter((c) => c.code !== r.candidate.code)];
      result.rolledUp = r.children;
    }
  }
  return finish(result, v, excluded, noMatch, forbidden, noCrosswalk, opts.maxRoutes ?? ROUTE_BUDGET);
}

function factMap(context: TranslateOptions['context']): Map<string, readonly string[]> {
  const m = new Map<string, readonly string[]>();
  for (const [k, v] of context ?? []) m.set(k, typeof v === 'string' ? [v] : v);
  return m;
}

function makeCandidate(index: RegistryIndex, domain: Domain, p: Partial, number: number | undefined): Candidate {
  const target = index.term(p.vocabulary, domain, p.code);
  const route = p.steps.length > 1 ? 'chained' : p.steps[0]?.inverted ? 'inverse' : 'direct';
  const c: Candidate = {
    vocabulary: p.vocabulary,
    code: target?.code ?? p.code,
    label: target?.label ?? '',
    relation: p.relation,
    confidence: Math.round(p.confidence * 1000) / 1000,
    route,
    reviewed: !p.steps.some((s) => s.inverted),
    conditions: p.when.map((r) => r.cond),
    conditionState: 'none',
    needs: [],
    path: p.steps,
    notes: [...p.notes],
  };
  if (p.implied.length) c.implied = p.implied;
  const product = p.known.filter((k) => k.by === 'mapping' && k.values).map((k) => ({ field: k.field, values: k.values! }));
  if (product.length) c.product = product;
  if (!c.reviewed) c.notes.push(noteText('inverted'));
  if (target?.certainty && target.certainty !== 'documented') c.notes.push(`target is ${target.certainty}`);
  if (number !== undefined && target) {
    const d = formatDesignator(target, number);
    if (d !== undefined) c.designator = d;
    else c.notes.push(`${p.vocabulary} has no designator template for ${target.code} that can hold ${number}`);
  }
  return c;
}

/** Route conditions kept beside each candidate (the public Candidate holds plain conditions). */
const routeConditions = new WeakMap<Candidate, RouteCondition[]>();

/** The conditions of a candidate with the spaces that read them (for roll-up). */
export function conditionSpaces(c: Candidate): readonly { cond: Condition; space: FieldSpace }[] {
  return routeConditions.get(c) ?? [];
}

function classify(index: RegistryIndex, domain: Domain, found: Found, opts: TranslateOptions, number: number | undefined, facts: RecordFacts): { viable: Candidate[]; excluded: Excluded[] } {
  const viable: Candidate[] = [];
  const excluded: Excluded[] = [];
  const ranks = new Map<Candidate, number | undefined>();
  for (const x of found.contradicted) {
    const last = x.path[x.path.length - 1]!;
    const c = makeCandidate(index, domain, { vocabulary: last.to.vocabulary, code: last.to.code, relation: 'related', confidence: 0, when: [], implied: [], known: [], steps: x.path, notes: [] }, number);
    excluded.push({ candidate: c, reason: 'conditions-not-met', detail: x.detail });
  }
  for (const p of found.raw) {
    const c = makeCandidate(index, domain, p, number);
    routeConditions.set(c, p.when);
    const target = index.term(p.vocabulary, domain, p.code);
    if (!isPositive(c.relation)) {
      excluded.push({ candidate: c, reason: 'negative', detail: `${opts.from} ${p.steps[0]!.from.code} and ${p.vocabulary} ${c.code} are stated to be disjoint` });
      continue;
    }
    if (!target) {
      excluded.push({ candidate: c, reason: 'target-unknown', detail: `${c.code} is not a code of ${p.vocabulary} (run xwalk validate)` });
      continue;
    }
    if (!validAt(target, opts.asOf)) {
      excluded.push({ candidate: c, reason: 'target-not-valid', detail: `${c.code} is ${describeValidity(target)}, not on ${opts.asOf}` });
      continue;
    }
    const cs = checkConditions(p.when, facts);
    // Conditions the facts settled on the way are met conditions, as a record's would be.
    c.conditionState = cs.state === 'none' && p.implied.length ? 'met' : cs.state;
    c.needs = cs.needs;
    ranks.set(c, cs.rank);
    if (cs.state === 'failed') {
      excluded.push({ candidate: c, reason: 'conditions-not-met', detail: cs.failed.join('; ') });
      continue;
    }
    viable.push(c);
  }
  // A multi-valued fact that meets several branches: the field's precedence keeps the branches
  // met by its most serious value (NIBRS: the most serious weapon); without one they stay ambiguous.
  const metRanks = viable
    .filter((c) => c.conditionState === 'met')
    .map((c) => ranks.get(c))
    .filter((r): r is number => r !== undefined);
  if (metRanks.length) {
    const best = Math.min(...metRanks);
    for (let i = viable.length - 1; i >= 0; i--) {
      const c = viable[i]!;
      const r = ranks.get(c);
      if (c.conditionState === 'met' && r !== undefined && r > best) {
        viable.splice(i, 1);
        excluded.push({ candidate: c, reason: 'outranked', detail: 'another branch is met by a more serious value of the same fact (precedence)' });
      }
    }
  }
  viable.sort(rankCandidates);
  // One candidate per target code: the best-ranked route; the others are reported as superseded.
  const seen = new Set<string>();
  const unique: Candidate[] = [];
  for (const c of viable) {
    const key = `${c.code}\u0000${c.conditions.map((x) => JSON.stringify(x)).join()}`;
    if (seen.has(key)) excluded.push({ candidate: c, reason: 'superseded', detail: 'the same target by a better route' });
    else {
      seen.add(key);
      unique.push(c);
    }
  }
  return { viable: unique, excluded };
}
function finish(result: TranslationResult, viable: Candidate[], excluded: Excluded[], noMatch: Step[], forbidden: TranslationResult['forbidden'], noCrosswalk = false, bound = ROUTE_BUDGET): TranslationResult {
  result.candidates = viable;
  result.excluded = excluded;
  result.forbidden = forbidden;
  const code = result.source!.number !== undefined ? result.input : result.source!.code;
  if (!viable.length) return noMapping(result, excluded, noMatch, forbidden, noCrosswalk, code, bound);
  // Most specific first: candidates whose conditions the record meets beat unconditional ones;
  // among those, a single `equivalent` beats weaker relations (the others are still listed).
  let specific = result.rolledUp ? viable.slice(0, 1) : viable.some((c) => c.conditionState === 'met') ? viable.filter((c) => c.conditionState === 'met') : viable;
  // The preference holds only between candidates under the same conditions: two met branches
  // under different conditions (the revised and the legacy rape line) both hold for the record.
  const sameConditions = new Set(specific.map((c) => JSON.stringify(c.conditions))).size === 1;
  const equivalents = new Set(specific.filter((c) => c.relation === 'equivalent' && c.conditionState !== 'unknown').map((c) => c.code));
  if (equivalents.size === 1 && sameConditions) specific = specific.filter((c) => equivalents.has(c.code));
  const codes = new Set(specific.map((c) => c.code));
  result.best = specific[0]!;
  result.candidates = [...specific, ...viable.filter((c) => !specific.includes(c))];
  // One target whose conditions the record has not answered is not an answer either: the code
  // maps there only if the facts hold, and to nothing otherwise.
  // A target that holds only part of the source (⊃, ◇, ~) while other routes from it were cut
  // (their conditions fail, or they end in a no-match): the record may be one that reaches no
  // code at all. Saying "mapped" would hide that part.
  // On a chain, branches are the codes a route reaches first: a branch none of whose routes gives a
  // usable answer holds incidents of the source that go nowhere. (A direct answer keeps the older
  // reading: the crosswalk's only counterpart of the code, with its relation shown.)
  const partial = !specific.some((c) => c.relation === 'equivalent' || c.relation === 'source-narrower');
  const lost = lostBranches(result, viable, excluded, noMatch, forbidden);
  const cut = lost.size;
  const elsewhere = partial && cut > 0 && !result.rolledUp && result.best.route === 'chained';
  if (codes.size === 1 && result.best.conditionState !== 'unknown' && !result.truncated && !elsewhere) {
    result.outcome = 'mapped';
    result.message = `${result.input} → ${result.best.designator ?? result.best.code} (${result.best.relation}${result.best.route === 'direct' ? '' : `, ${result.best.route}`})`;
  } else {
    result.outcome = 'ambiguous';
    const needs = [...new Set(specific.flatMap((c) => c.needs))];
    result.message =
      (elsewhere && codes.size === 1 && result.best.conditionState !== 'unknown'
        ? `${code} shares only some incidents with ${result.to} ${[...codes][0]} (${result.best.relation}); its other branches (${[...lost].join(', ')}) reach no code of ${result.to} under these facts, so a record may have no counterpart`
        : codes.size === 1
          ? `${code} maps to ${result.to} ${[...codes][0]} only under conditions`
          : `${code} maps to ${codes.size} codes of ${result.to} (${[...codes].join(', ')})`) +
      (needs.length ? `; the record's ${needs.join(', ')} would decide` : elsewhere ? '' : '; no condition decides between them') +
      (result.truncated ? `; the search stopped at its bound of ${thousands(bound)} route steps, so other routes may lead elsewhere` : '');
  }
  if (result.badFacts?.length) result.message += `; facts not understood: ${result.badFacts.map((b) => b.message).join('; ')}`;
  return result;
}

/** The answer when no candidate is viable: why (the reason), and a message that says it. */
function noMapping(result: TranslationResult, excluded: Excluded[], noMatch: Step[], forbidden: TranslationResult['forbidden'], noCrosswalk: boolean, code: string, bound: number): TranslationResult {
  result.outcome = 'no-mapping';
  const reason: NoMappingReason = result.truncated
    ? 'too-many-routes'
    : noMatch.some((s) => s.from.vocabulary === result.from)
      ? 'explicit-no-match'
      : excluded.some((e) => e.reason === 'conditions-not-met')
        ? 'conditions-not-met'
        : excluded.some((e) => e.reason === 'target-not-valid')
          ? 'target-not-valid'
          : excluded.some((e) => e.reason === 'negative')
            ? 'only-negative'
            : forbidden.length
              ? 'forbidden-inference'
              : excluded.some((e) => e.reason === 'target-unknown')
                ? 'target-unknown'
                : 'no-path';
  result.reason = reason;
  if (reason === 'explicit-no-match' && noMatch[0]) result.noMatchBy = noMatch[0].crosswalk;
  const alsoForbidden = reason !== 'forbidden-inference' && forbidden.length ? `; other routes compose to no inference (${forbidden.length})` : '';
  result.message = noMappingMessage(reason, result, excluded, noMatch, forbidden, noCrosswalk, code, bound) + alsoForbidden;
  return result;
}

/** What `noMapping` says for its reason: only that message is built. */
function noMappingMessage(reason: NoMappingReason, result: TranslationResult, excluded: Excluded[], noMatch: Step[], forbidden: TranslationResult['forbidden'], noCrosswalk: boolean, code: string, bound: number): string {
  const codesOf = (why: Excluded['reason']) => excluded.filter((e) => e.reason === why).map((e) => e.candidate.code);
  switch (reason) {
    case 'explicit-no-match': {
      const via = noMatch[0] ? ` (crosswalk ${noMatch[0].crosswalk}${noMatch[0].when?.length ? `, when ${noMatch[0].when.map(conditionText).join(', ')}` : ''})` : '';
      return `${code} has no counterpart in ${result.to}: the crosswalk says no-match${via}`;
    }
    case 'conditions-not-met':
      return `${code} maps to ${result.to} only under conditions this record does not meet: ${[...new Set(excluded.filter((e) => e.reason === 'conditions-not-met').map((e) => `${e.candidate.code} (${e.detail})`))].join(', ')}`;
    case 'target-not-valid':
      return `${code} maps only to codes not valid on ${result.asOf}: ${codesOf('target-not-valid').join(', ')}`;
    case 'only-negative':
      return `the crosswalks only say what ${code} is not: ${codesOf('negative')
        .map((c) => `∅ ${c}`)
        .join(', ')}`;
    case 'forbidden-inference':
      return `the only routes to ${result.to} chain relations that allow no inference (${forbidden
        .map((f) => f.path.map((s) => `${s.from.vocabulary}→${s.to.vocabulary}`).join(' '))
        .slice(0, 2)
        .join('; ')})`;
    case 'target-unknown':
      return `${code} maps only to codes missing from ${result.to}: ${codesOf('target-unknown').join(', ')}`;
    case 'too-many-routes':
      return `the search for routes to ${result.to} stopped at its bound of ${thousands(bound)} route steps before any answer (a dense crosswalk graph); try --max-hops 1 or 2`;
    case 'no-path':
      return noCrosswalk && !excluded.length ? `no crosswalk route leads from ${result.from} to ${result.to} for ${code}` : `${code} is not mapped to ${result.to} by any crosswalk`;
  }
}

/**
 * On a chain, the branches (the codes a route reaches first) none of whose routes gives a usable
 * answer: cut by failed conditions, by relations that allow no inference, or by a no-match.
 */
function lostBranches(result: TranslationResult, viable: Candidate[], excluded: Excluded[], noMatch: Step[], forbidden: TranslationResult['forbidden']): Set<string> {
  const branch = (path: readonly Step[]) => path[0]?.to.code ?? '';
  const reached = new Set([...viable.map((c) => branch(c.path)), ...excluded.filter((e) => e.reason === 'superseded' || e.reason === 'outranked').map((e) => branch(e.candidate.path))]);
  const lost = new Set<string>();
  for (const e of excluded) if (e.reason === 'conditions-not-met' && e.candidate.path.length > 1 && !reached.has(branch(e.candidate.path))) lost.add(branch(e.candidate.path));
  for (const f of forbidden) if (f.path.length > 1 && !reached.has(branch(f.path))) lost.add(branch(f.path));
  for (const s of noMatch) if (s.from.vocabulary !== result.from && !reached.has(s.from.code)) lost.add(s.from.code);
  return lost;
}
