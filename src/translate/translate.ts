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

import { compose, invert, isPositive, STRENGTH, type Relation } from '../model/relation.js';
import type { Condition, Domain, IsoDate, Term } from '../model/types.js';
import { XwalkError } from '../load/errors.js';
import { closest } from '../load/fields.js';
import type { Edge, RegistryIndex } from '../indexes/index.js';
import { formatDesignator, parseDesignator } from './designator.js';
import type { Candidate, ConditionState, Excluded, NoMappingReason, SourceTerm, Step, TranslationResult } from './result.js';
import { compareText } from '../model/order.js';

export interface TranslateOptions {
  from: string;
  to: string;
  /** Inferred when the two vocabularies share one domain, or the code is in only one of them. */
  domain?: Domain;
  /** Translate with the meanings valid on this date; without it validity is reported, not enforced. */
  asOf?: IsoDate;
  /** Longest chain tried (default 3). */
  maxHops?: number;
  /** Other facts of the record, for conditional mappings (`property`, `weapon`, `age` ...). */
  context?: ReadonlyMap<string, string>;
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
  throw new XwalkError(`${from} and ${to} share several domains (${shared.join(', ')})${code !== undefined ? ` and "${code}" is a code in more than one` : ''}: say which with --domain`, { hint: `for example: --domain ${shared[0]}` });
}

interface Partial {
  vocabulary: string;
  code: string;
  relation: Relation;
  confidence: number;
  when: Condition[];
  steps: Step[];
  notes: string[];
}

interface Found {
  raw: Partial[];
  noMatch: Step[];
  forbidden: { path: Step[]; detail: string }[];
}

function validAt(v: { validFrom?: string; validTo?: string }, asOf: IsoDate | undefined): boolean {
  if (!asOf) return true;
  return (!v.validFrom || v.validFrom <= asOf) && (!v.validTo || asOf < v.validTo);
}

function describeValidity(v: { validFrom?: string; validTo?: string }): string {
  if (v.validFrom && v.validTo) return `valid from ${v.validFrom} until ${v.validTo}`;
  if (v.validTo) return `valid until ${v.validTo}`;
  return `valid from ${v.validFrom}`;
}

/** Follow one path of edges from the source code; returns what reached its end. */
function follow(index: RegistryIndex, domain: Domain, path: Edge[], start: string, asOf: IsoDate | undefined, found: Found): void {
  let partials: Partial[] = [{ vocabulary: path[0]!.from, code: start, relation: 'equivalent', confidence: 1, when: [], steps: [], notes: [] }];
  path.forEach((edge, hop) => {
    const last = hop === path.length - 1;
    const next: Partial[] = [];
    for (const p of partials) {
      for (const m of index.mappingsFor(edge, p.code)) {
        if (m.status === 'proposed' || !validAt(m, asOf)) continue;
        if (edge.inverted && m.relation === 'no-match') continue;
        const stated = edge.inverted ? invert(m.relation)! : m.relation;
        const toCode = edge.inverted ? m.from : m.to!;
        const step: Step = {
          crosswalk: edge.crosswalk.id,
          from: { vocabulary: edge.from, code: p.code },
          to: { vocabulary: edge.to, code: stated === 'no-match' ? '' : toCode },
          relation: stated,
          inverted: edge.inverted,
        };
        const steps = [...p.steps, step];
        if (stated === 'no-match') {
          found.noMatch.push(step);
          continue;
        }
        const composed = compose(p.relation, stated);
        if (composed === undefined) {
          found.forbidden.push({ path: steps, detail: `${p.relation} then ${stated} allows no inference` });
          continue;
        }
        const notes = [...p.notes];
        if (m.note) notes.push(m.note);
        if (!last) {
          const mid = index.term(edge.to, domain, toCode);
          if (!mid || !validAt(mid, asOf)) continue;
        }
        next.push({
          vocabulary: edge.to,
          code: toCode,
          relation: composed,
          confidence: p.confidence * m.confidence * (edge.inverted ? INVERSE_FACTOR : 1) * (hop > 0 ? HOP_FACTOR : 1),
          when: [...p.when, ...m.when],
          steps,
          notes,
        });
      }
    }
    partials = next;
  });
  found.raw.push(...partials);
}

/** Every simple path of `length` edges from `from` to `to` in the domain's graph. */
function pathsOfLength(index: RegistryIndex, domain: Domain, from: string, to: string, length: number): Edge[][] {
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

function checkConditions(conds: Condition[], context: ReadonlyMap<string, string> | undefined): { state: ConditionState; needs: string[]; failed: string[] } {
  if (!conds.length) return { state: 'none', needs: [], failed: [] };
  const needs: string[] = [];
  const failed: string[] = [];
  for (const c of conds) {
    const raw = context?.get(c.field);
    if (raw === undefined || raw.trim() === '') {
      if (!needs.includes(c.field)) needs.push(c.field);
      continue;
    }
    const v = raw.trim();
    let ok: boolean;
    if ('values' in c) {
      const hit = c.values.some((x) => x.toLowerCase() === v.toLowerCase());
      ok = c.op === 'in' ? hit : !hit;
    } else {
      const n = Number(v);
      const limit = c.value;
      ok = Number.isFinite(n) && (c.op === 'lt' ? n < limit : c.op === 'le' ? n <= limit : c.op === 'gt' ? n > limit : n >= limit);
    }
    if (!ok) failed.push(`${c.field} is "${v}"`);
  }
  return { state: failed.length ? 'failed' : needs.length ? 'unknown' : 'met', needs, failed };
}

const STATE_RANK: Record<ConditionState, number> = { met: 0, none: 1, unknown: 2, failed: 3 };

export function rankCandidates(a: Candidate, b: Candidate): number {
  return (
    STATE_RANK[a.conditionState] - STATE_RANK[b.conditionState] ||
    STRENGTH[b.relation] - STRENGTH[a.relation] ||
    b.confidence - a.confidence ||
    a.path.length - b.path.length ||
    compareText(a.code, b.code)
  );
}

function resolveSource(index: RegistryIndex, from: string, domain: Domain, input: string): { term: Term; number?: number } | undefined {
  const term = index.term(from, domain, input);
  if (term) return { term };
  if (domain !== 'unit') return undefined;
  const hit = parseDesignator(index.table(from, domain)!, input)[0];
  return hit && { term: hit.term, number: hit.number };
}

export function translateCode(index: RegistryIndex, input: string, opts: TranslateOptions): TranslationResult {
  const domain = resolveDomain(index, opts.from, opts.to, opts.domain, input);
  const maxHops = opts.maxHops ?? DEFAULT_MAX_HOPS;
  const base = { input, from: opts.from, to: opts.to, domain, candidates: [] as Candidate[], excluded: [] as Excluded[], suggestions: [] as { code: string; label: string }[], forbidden: [] as { path: Step[]; detail: string }[] };
  const result: TranslationResult = { ...base, outcome: 'unknown', message: '' };
  if (opts.asOf) result.asOf = opts.asOf;

  const src = resolveSource(index, opts.from, domain, input);
  if (!src) {
    result.suggestions = index.suggest(opts.from, domain, input).map((t) => ({ code: t.code, label: t.label }));
    const table = index.table(opts.from, domain)!;
    const kinds = domain === 'unit' ? [...table.terms.values()].flatMap((t) => t.designators.map((d) => d.source)) : [];
    result.message = `"${input}" is not a code of ${opts.from} (${domain})` + (kinds.length ? ` and matches none of its designator templates (${kinds.slice(0, 6).join(', ')})` : '');
    return result;
  }
  const { term } = src;
  const source: SourceTerm = { code: term.code, label: term.label };
  for (const k of ['validFrom', 'validTo', 'replacedBy', 'certainty', 'note'] as const) if (term[k] !== undefined) source[k] = term[k];
  if (src.number !== undefined) source.number = src.number;
  result.source = source;

  if (!validAt(term, opts.asOf)) {
    result.outcome = 'expired';
    result.message = `${term.code} (${term.label}) is not valid on ${opts.asOf}: ${describeValidity(term)}` + (term.replacedBy ? `; replaced by ${term.replacedBy}` : '');
    return result;
  }

  if (opts.from === opts.to) {
    const c = makeCandidate(index, domain, { vocabulary: opts.to, code: term.code, relation: 'equivalent', confidence: 1, when: [], steps: [], notes: [] }, src.number);
    return finish(result, [c], [], [], []);
  }

  // Route 1: the edge between the two vocabularies, forward or backward.
  const edge = index.edgesFrom(opts.from, domain).find((e) => e.to === opts.to);
  const allForbidden: Found['forbidden'] = [];
  const allExcluded: Excluded[] = [];
  let sawNoMatch: Step[] = [];
  if (edge) {
    const found: Found = { raw: [], noMatch: [], forbidden: [] };
    follow(index, domain, [edge], term.code, opts.asOf, found);
    const positive = found.raw.filter((p) => isPositive(p.relation));
    if (positive.length || found.noMatch.length) {
      const { viable, excluded } = classify(index, domain, found.raw, opts, src.number);
      return finish(result, viable, excluded, found.noMatch, found.forbidden);
    }
    allExcluded.push(...classify(index, domain, found.raw, opts, src.number).excluded);
  }
  // Route 2: chains, shortest first.
  for (let len = 2; len <= maxHops; len++) {
    const found: Found = { raw: [], noMatch: [], forbidden: [] };
    for (const path of pathsOfLength(index, domain, opts.from, opts.to, len)) follow(index, domain, path, term.code, opts.asOf, found);
    const { viable, excluded } = classify(index, domain, found.raw, opts, src.number);
    allForbidden.push(...found.forbidden);
    allExcluded.push(...excluded);
    sawNoMatch = sawNoMatch.concat(found.noMatch);
    if (viable.length) return finish(result, viable, allExcluded, [], allForbidden);
  }
  return finish(result, [], allExcluded, sawNoMatch, allForbidden, !edge);
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
    conditions: p.when,
    conditionState: 'none',
    needs: [],
    path: p.steps,
    notes: [...p.notes],
  };
  if (!c.reviewed) c.notes.push('inverted: this direction was never reviewed');
  if (target?.certainty && target.certainty !== 'documented') c.notes.push(`target is ${target.certainty}`);
  if (number !== undefined && target) {
    const d = formatDesignator(target, number);
    if (d !== undefined) c.designator = d;
    else c.notes.push(`${p.vocabulary} has no designator template for ${target.code} that can hold ${number}`);
  }
  return c;
}

function classify(index: RegistryIndex, domain: Domain, raw: Partial[], opts: TranslateOptions, number: number | undefined): { viable: Candidate[]; excluded: Excluded[] } {
  const viable: Candidate[] = [];
  const excluded: Excluded[] = [];
  for (const p of raw) {
    const c = makeCandidate(index, domain, p, number);
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
    const cs = checkConditions(c.conditions, opts.context);
    c.conditionState = cs.state;
    c.needs = cs.needs;
    if (cs.state === 'failed') {
      excluded.push({ candidate: c, reason: 'conditions-not-met', detail: cs.failed.join('; ') });
      continue;
    }
    viable.push(c);
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

function finish(result: TranslationResult, viable: Candidate[], excluded: Excluded[], noMatch: Step[], forbidden: TranslationResult['forbidden'], noCrosswalk = false): TranslationResult {
  result.candidates = viable;
  result.excluded = excluded;
  result.forbidden = forbidden;
  const code = result.source!.number !== undefined ? result.input : result.source!.code;
  if (!viable.length) {
    result.outcome = 'no-mapping';
    const reason: NoMappingReason = noMatch.some((s) => s.from.vocabulary === result.from)
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
    const via = noMatch[0] ? ` (crosswalk ${noMatch[0].crosswalk})` : '';
    result.message = {
      'explicit-no-match': `${code} has no counterpart in ${result.to}: the crosswalk says no-match${via}`,
      'conditions-not-met': `${code} maps to ${result.to} only under conditions this record does not meet: ${excluded.filter((e) => e.reason === 'conditions-not-met').map((e) => `${e.candidate.code} (${e.detail})`).join(', ')}`,
      'target-not-valid': `${code} maps only to codes not valid on ${result.asOf}: ${excluded.filter((e) => e.reason === 'target-not-valid').map((e) => e.candidate.code).join(', ')}`,
      'only-negative': `the crosswalks only say what ${code} is not: ${excluded.filter((e) => e.reason === 'negative').map((e) => `∅ ${e.candidate.code}`).join(', ')}`,
      'forbidden-inference': `the only routes to ${result.to} chain relations that allow no inference (${forbidden.map((f) => f.path.map((s) => `${s.from.vocabulary}→${s.to.vocabulary}`).join(' ')).slice(0, 2).join('; ')})`,
      'target-unknown': `${code} maps only to codes missing from ${result.to}: ${excluded.filter((e) => e.reason === 'target-unknown').map((e) => e.candidate.code).join(', ')}`,
      'no-path': noCrosswalk && !excluded.length ? `no crosswalk route leads from ${result.from} to ${result.to} for ${code}` : `${code} is not mapped to ${result.to} by any crosswalk`,
    }[reason] + alsoForbidden;
    return result;
  }
  // Most specific first: candidates whose conditions the record meets beat unconditional ones;
  // among those, a single `equivalent` beats weaker relations (the others are still listed).
  let specific = viable.some((c) => c.conditionState === 'met') ? viable.filter((c) => c.conditionState === 'met') : viable;
  const equivalents = new Set(specific.filter((c) => c.relation === 'equivalent' && c.conditionState !== 'unknown').map((c) => c.code));
  if (equivalents.size === 1) specific = specific.filter((c) => equivalents.has(c.code));
  const codes = new Set(specific.map((c) => c.code));
  result.best = specific[0]!;
  result.candidates = [...specific, ...viable.filter((c) => !specific.includes(c))];
  // One target whose conditions the record has not answered is not an answer either: the code
  // maps there only if the facts hold, and to nothing otherwise.
  if (codes.size === 1 && result.best.conditionState !== 'unknown') {
    result.outcome = 'mapped';
    result.message = `${result.input} → ${result.best.designator ?? result.best.code} (${result.best.relation}${result.best.route === 'direct' ? '' : `, ${result.best.route}`})`;
  } else {
    result.outcome = 'ambiguous';
    const needs = [...new Set(specific.flatMap((c) => c.needs))];
    result.message =
      (codes.size === 1 ? `${code} maps to ${result.to} ${[...codes][0]} only under conditions` : `${code} maps to ${codes.size} codes of ${result.to} (${[...codes].join(', ')})`) +
      (needs.length ? `; the record's ${needs.join(', ')} would decide` : '; no condition decides between them');
  }
  return result;
}
