/**
 * `xwalk lookup`: find a term by what people type, then show what it is in every other
 * vocabulary (the trainer's "what is our 1301 in the county's codes and in NIBRS?"), and, for a
 * code several vocabularies use (a ten-code), what it means in each of them.
 *
 * Pure: registry in, a LookupResult out. Equivalents are computed by the translator itself, so
 * lookup never shows a route `translate` would not take.
 */

import { XwalkError } from '../errors/errors.js';
import { closest } from '../errors/closest.js';
import type { RegistryIndex } from '../indexes/index.js';
import type { Domain, IsoDate, Vocabulary } from '../model/types.js';
import { translateCode } from '../translate/translate.js';
import type { TranslationResult } from '../translate/result.js';
import { LookupIndex, type Hit, type LookupIndexJson, type MatchKind } from './search.js';
import { shippedLookupJson } from '../shipped/index.js';
import { compareText } from '../model/order.js';
import { compact } from './text.js';

export interface LookupOptions {
  /** Search only these vocabularies (default: all loaded). */
  in?: readonly string[];
  /** Show equivalents only in these vocabularies (default: every other one with the domain). */
  to?: readonly string[];
  domain?: Domain;
  /** Most hits listed (default 10). */
  limit?: number;
  /** Judge validity, and translate, as of this date. */
  asOf?: IsoDate;
  maxHops?: number;
  /** Which hit to open (0-based; default the best). */
  open?: number;
}

export interface LookupHit {
  vocabulary: string;
  vocabularyName: string;
  domain: Domain;
  code: string;
  label: string;
  /** 0 < score ≤ 1, rounded to 2 decimals. */
  score: number;
  matchedBy: MatchKind;
  matchedText?: string;
  validFrom?: IsoDate;
  validTo?: IsoDate;
  replacedBy?: string;
  certainty?: string;
  /** With `asOf`: whether the term is valid on that date. */
  valid?: boolean;
  /** When the query was a unit designator: its number, and the designator as typed. */
  designator?: { number: number; input: string };
  /** The resource type the query stated ("Type 3 engine" → "3"), kept on the kind it names (issue 16). */
  type?: string;
  /** Score minus the best score of a hit that means something else (see judge); negative below the best. */
  margin: number;
  /** Hits that mean the same thing share this key (the hub term their mappings end at). */
  meaning: string;
}

/** The term's counterpart in one other vocabulary, as `translate` finds it. */
export interface EquivalentRow {
  vocabulary: string;
  vocabularyName: string;
  translation: TranslationResult;
  /** When a crosswalk on the way (not between the two) declares no counterpart: the vocabulary it has none in. */
  noMatchAt?: string;
}

/** One vocabulary's meaning of a code that several vocabularies use. */
export interface Meaning {
  vocabulary: string;
  code: string;
  label: string;
  /** The meaning in the domain's hub vocabulary, when it has a route there. */
  hub?: TranslationResult;
}

export interface LookupResult {
  query: string;
  in: string[];
  domain?: Domain;
  asOf?: IsoDate;
  hits: LookupHit[];
  /** The hit whose equivalents are shown (the best, or `open`). */
  opened?: LookupHit;
  equivalents: EquivalentRow[];
  /** Whether the best hit is an answer lookup stands behind (see judge); when not, nothing is opened. */
  confident: boolean;
  /** Why not: the best is weak, or others that mean something else are as good (ambiguous). */
  unsure?: 'weak' | 'ambiguous';
  /** Set when the query is a code found in two or more vocabularies of one domain. */
  meanings?: { code: string; domain: Domain; hub?: string; distinctLabels: number; rows: Meaning[] };
}

/** Checks `--in`/`--to`/`--domain` against the registry; throws XwalkError naming the fix. */
export function checkScope(index: RegistryIndex, opts: LookupOptions): void {
  const ids = [...index.registry.vocabularies.keys()];
  for (const [flag, list] of [
    ['--in', opts.in],
    ['--to', opts.to],
  ] as const) {
    for (const id of list ?? []) {
      if (!index.vocabulary(id)) {
        const near = closest(id, ids);
        throw new XwalkError(`${flag}: unknown vocabulary "${id}"`, { hint: near ? `did you mean ${near}? ('xwalk list' shows them all)` : "'xwalk list' shows the vocabularies loaded" });
      }
    }
  }
  if (opts.domain !== undefined) {
    const pool = vocabularies(index, opts.in);
    if (!pool.some((v) => v.domains.has(opts.domain!))) {
      const domains = [...new Set(pool.flatMap((v) => [...v.domains.keys()]))].sort();
      const near = closest(opts.domain, domains);
      throw new XwalkError(`no vocabulary ${opts.in?.length ? `of ${opts.in.join(', ')} ` : ''}has a domain "${opts.domain}"`, { hint: near ? `did you mean ${near}? (domains: ${domains.join(', ')})` : `domains: ${domains.join(', ')}` });
    }
  }
}

/** The vocabularies named (unknown ids left out: checkScope reports them), or all loaded. */
function vocabularies(index: RegistryIndex, ids: readonly string[] | undefined): Vocabulary[] {
  // Code lists (the NIBRS data elements) are searched only when named: they would crowd offense searches.
  return ids?.length ? ids.map((id) => index.vocabulary(id)).filter((v): v is Vocabulary => v !== undefined) : [...index.registry.vocabularies.values()].filter((v) => v.kind !== 'code-list');
}

/** The search index for a scope; build once and reuse it for many queries (the interactive prompt). */
export function lookupIndex(index: RegistryIndex, opts: Pick<LookupOptions, 'in' | 'domain'> = {}): LookupIndex {
  // No --in, over the shipped vocabularies alone: the built command has that index (with no
  // --domain, or with each) from its build (dist/shipped/lookup.json, lookup-DOMAIN.json;
  // building it read every term, 20 ms of every lookup).
  const registry = index.registry;
  if (!opts.in?.length && registry.sources.length === 1 && registry.sources[0] === 'shipped' && !registry.overrides?.length) {
    const json = shippedLookupJson(opts.domain) as LookupIndexJson | undefined;
    const built = json && (json.domain ?? undefined) === opts.domain ? LookupIndex.fromJson(json, index) : undefined;
    if (built) return built;
  }
  return new LookupIndex(vocabularies(index, opts.in), opts.domain, index, (opts.in?.length ?? 0) > 0);
}

/** Search only: hits, best first. */
export function searchTerms(search: LookupIndex, query: string, opts: Pick<LookupOptions, 'limit' | 'asOf'> = {}): LookupHit[] {
  return withMargins(search.search(query, opts.limit ?? 10).map((h) => toHit(h, query, search, opts.asOf)));
}

/** Each hit's margin over the best hit that means something else (another hub term, and another label). */
function withMargins(hits: LookupHit[]): LookupHit[] {
  const label = hits.map((h) => compact(h.label));
  for (const [i, h] of hits.entries()) {
    const other = hits.find((x, j) => x.meaning !== h.meaning && label[j] !== label[i]);
    h.margin = Math.round((other ? h.score - other.score : h.score) * 100) / 100;
  }
  return hits;
}

/** Search, then open a hit: its equivalents and, for a shared code, its meanings everywhere. */
export function lookup(index: RegistryIndex, query: string, opts: LookupOptions = {}, search?: LookupIndex): LookupResult {
  checkScope(index, opts);
  const s = search ?? lookupIndex(index, opts);
  const limit = opts.limit ?? 10;
  let hits = s.search(query, opts.asOf !== undefined ? limit * 2 : limit).map((h) => toHit(h, query, s, opts.asOf));
  // As of a date, a term not valid then yields to one that is (by a tenth of a point).
  if (opts.asOf !== undefined)
    hits = hits
      .map((h, i) => ({ h, i, r: h.score - (h.valid === false ? 0.1 : 0) }))
      .sort((a, b) => b.r - a.r || a.i - b.i)
      .slice(0, limit)
      .map((x) => x.h);
  withMargins(hits);
  const verdict = judge(hits);
  const result: LookupResult = { query, in: [...(opts.in ?? [])], hits, equivalents: [], confident: verdict.confident };
  if (verdict.reason !== undefined) result.unsure = verdict.reason;
  if (opts.domain !== undefined) result.domain = opts.domain;
  if (opts.asOf !== undefined) result.asOf = opts.asOf;
  // Not sure: the candidates, and nothing opened unless asked for (issue 16).
  if (!verdict.confident && opts.open === undefined) return result;
  const which = opts.open ?? 0;
  const opened = hits[which];
  if (!opened) return result;
  result.opened = opened;
  result.equivalents = equivalents(index, opened, opts);
  const meanings = meaningsOf(index, opened, query, opts);
  if (meanings) result.meanings = meanings;
  return result;
}

function toHit(h: Hit, query: string, search: LookupIndex, asOf?: IsoDate): LookupHit {
  const t = h.entry.term;
  const hit: LookupHit = {
    vocabulary: h.entry.vocabulary.id,
    vocabularyName: h.entry.vocabulary.name,
    domain: h.entry.domain,
    code: t.code,
    label: t.label,
    score: Math.round(h.score * 100) / 100,
    matchedBy: h.matchedBy,
    margin: 0,
    meaning: search.meaningOf(h),
  };
  if (h.matchedText !== undefined && h.matchedText !== t.label) hit.matchedText = h.matchedText;
  if (t.validFrom !== undefined) hit.validFrom = t.validFrom;
  if (t.validTo !== undefined) hit.validTo = t.validTo;
  if (t.replacedBy !== undefined) hit.replacedBy = t.replacedBy;
  if (t.certainty !== undefined && t.certainty !== 'documented') hit.certainty = t.certainty;
  if (asOf !== undefined) hit.valid = (t.validFrom === undefined || t.validFrom <= asOf) && (t.validTo === undefined || asOf < t.validTo);
  if (h.designator) hit.designator = { number: h.designator.number, input: query.trim() };
  if (h.type !== undefined) hit.type = h.type;
  return hit;
}

/** Every other vocabulary with the hit's domain (or `to`), standards first, then by id. */
function targets(index: RegistryIndex, hit: LookupHit, to?: readonly string[]): Vocabulary[] {
  return vocabularies(index, to)
    .filter((v) => v.id !== hit.vocabulary && v.domains.has(hit.domain))
    .sort((a, b) => Number(a.kind !== 'standard') - Number(b.kind !== 'standard') || compareText(a.id, b.id));
}

function equivalents(index: RegistryIndex, hit: LookupHit, opts: LookupOptions): EquivalentRow[] {
  const input = hit.designator?.input ?? hit.code;
  return targets(index, hit, opts.to).map((v) => {
    const translation = translateCode(index, input, {
      from: hit.vocabulary,
      to: v.id,
      domain: hit.domain,
      ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
      ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}),
    });
    const row: EquivalentRow = { vocabulary: v.id, vocabularyName: v.name, translation };
    const cw = translation.noMatchBy !== undefined ? index.registry.crosswalks.get(translation.noMatchBy) : undefined;
    if (cw && !(new Set([cw.from, cw.to]).has(v.id) && new Set([cw.from, cw.to]).has(hit.vocabulary))) row.noMatchAt = cw.from === hit.vocabulary ? cw.to : cw.from;
    return row;
  });
}

/**
 * The vocabulary most crosswalks of a domain touch, among standards: the natural place to say
 * what a code means in plain terms (plain-status for ten-codes, NIBRS for offenses).
 */
export function hubOf(index: RegistryIndex, domain: Domain): string | undefined {
  const degree = new Map<string, number>();
  for (const cw of index.registry.crosswalks.values()) {
    if (cw.domain !== domain) continue;
    for (const id of [cw.from, cw.to]) if (index.vocabulary(id)?.kind === 'standard') degree.set(id, (degree.get(id) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [id, n] of degree) if (best === undefined || n > degree.get(best)! || (n === degree.get(best) && id < best)) best = id;
  return best;
}

function meaningsOf(index: RegistryIndex, hit: LookupHit, query: string, opts: LookupOptions): LookupResult['meanings'] {
  if (hit.matchedBy !== 'code') return undefined;
  const rows: Meaning[] = [];
  const hub = hubOf(index, hit.domain);
  for (const v of vocabularies(index, opts.in)) {
    const term = index.term(v.id, hit.domain, query.trim());
    if (!term) continue;
    const row: Meaning = { vocabulary: v.id, code: term.code, label: term.label };
    if (hub !== undefined && hub !== v.id) {
      row.hub = translateCode(index, term.code, { from: v.id, to: hub, domain: hit.domain, ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}), ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}) });
    }
    rows.push(row);
  }
  if (rows.length < 2) return undefined;
  rows.sort((a, b) => compareText(a.vocabulary, b.vocabulary));
  const distinctLabels = new Set(
    rows.map((r) =>
      r.label
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim(),
    ),
  ).size;
  return { code: query.trim(), domain: hit.domain, ...(hub !== undefined ? { hub } : {}), distinctLabels, rows };
}

/** Below this the best hit is too weak to answer with (issue 16). Tuned on test/lookup/queries.tsv. */
export const CONFIDENT_SCORE = 0.55;
/** The best must beat any hit that means something else by this much (issue 16). */
export const CONFIDENT_MARGIN = 0.02;

/**
 * Whether the best hit is an answer lookup stands behind (issue 16): strong enough, and ahead of
 * every hit that means something else by a margin. Otherwise lookup says "no confident match"
 * (weak) or "ambiguous" (readings as good as each other) and lists the candidates.
 */
export function judge(hits: readonly LookupHit[]): { confident: boolean; reason?: 'weak' | 'ambiguous' } {
  const best = hits[0];
  if (!best) return { confident: false };
  // A code typed as it is written is that code, in every vocabulary that has it (a ten-code's
  // meanings are listed side by side instead).
  if (best.matchedBy === 'code' && best.score === 1) return { confident: true };
  if (best.score < CONFIDENT_SCORE) return { confident: false, reason: 'weak' };
  if (best.margin < CONFIDENT_MARGIN) return { confident: false, reason: 'ambiguous' };
  return { confident: true };
}
