/**
 * The conversion plan of one column: what decides a value's answer, as data. Pure.
 *
 * A value's answer is a function of three things, and of nothing else in the record:
 *   1. its **code** (the cell's normalized key, or the one code a spreadsheet-mangled cell stands for);
 *   2. its **date class**: which of the code's validity breakpoints (of the code, the mappings on
 *      its routes and the codes they reach) the record's date lies between, or "no date";
 *   3. its **signature**: for each condition on the code's routes whose field the record gives
 *      (an *atom*), whether the record's value meets it (H), fails it (F) or leaves it open (U),
 *      with the precedence rank of the values that met it when several did.
 * Two records that agree on all three get the same cells. The streaming executor (convert,
 * translateRecords) decides once per (code, date class, signature) and the SQL compiler enumerates
 * every such triple into tables an engine joins against, so both give the same cells.
 * `test/plan.test.ts` checks the claim against the translator on every distinct record it meets.
 */

import type { Condition, Domain, IsoDate } from '../model/types.js';
import type { RegistryIndex, Edge } from '../indexes/index.js';
import type { FieldSpace, FieldValue } from '../indexes/facts.js';
import { pathsOfLength, translateCode, valueTranslator, DEFAULT_MAX_HOPS, type TranslateOptions } from '../translate/translate.js';
import type { TranslationResult } from '../translate/result.js';
import { repairCode } from './repair.js';
import { BoundedCache } from './bounded.js';

/** One condition of the code's routes, on a field the record gives. */
export interface Atom {
  /** Stable across codes of a column: field, the space's declaration and the condition. */
  key: string;
  field: string;
  space: FieldSpace;
  cond: Condition;
}

/** What a code's answers depend on. */
export interface CodeProfile {
  code: string;
  /** Relevant atoms, sorted by key. */
  atoms: Atom[];
  /** Validity breakpoints (ISO dates, sorted): the answer is the same between two of them. */
  dates: IsoDate[];
  /** The route walk stopped at its bound: answers are decided value by value, never by class. */
  incomplete: boolean;
  /** A record field is read in the source vocabulary's own codes (translated on the record's date). */
  statedIn: boolean;
}

export interface ColumnPlanOptions {
  from: string;
  to: string;
  domain: Domain;
  maxHops?: number;
  valueSeparator?: string;
  rollUp?: boolean;
  /** Facts of every record (--fact). */
  facts?: ReadonlyMap<string, readonly string[]>;
  /** The fields records give (--context): the only ones a signature reads. */
  contextFields: readonly string[];
}

/** Whether a translation depends on the date: an early or a late one changes the answer (issue 20). */
export function dateMatters(at: (asOf: string | undefined) => TranslationResult): boolean {
  const sig = (r: TranslationResult) => `${r.outcome} ${r.candidates.map((c) => c.designator ?? c.code).join('|')}`;
  const none = sig(at(undefined));
  return sig(at('0001-01-01')) !== none || sig(at('9999-12-31')) !== none;
}

/** Classes whose answer is kept per column (two generations of this many). */
export const CLASS_CACHE_CAP = 32_768;

/** Steps the route walk of one code may take before its profile is marked incomplete. */
const EXPLORE_BUDGET = 50_000;

export class ColumnPlan {
  private readonly profiles = new Map<string, CodeProfile>();
  private readonly context: ReadonlySet<string>;
  private readonly paths: Edge[][];

  constructor(
    readonly index: RegistryIndex,
    readonly opts: ColumnPlanOptions,
  ) {
    this.context = new Set(opts.contextFields);
    const { domain, from, to } = opts;
    const paths: Edge[][] = [];
    if (from !== to) {
      const direct = index.edgesFrom(from, domain).find((e) => e.to === to);
      if (direct) paths.push([direct]);
      for (let len = 2; len <= (opts.maxHops ?? DEFAULT_MAX_HOPS); len++) paths.push(...pathsOfLength(index, domain, from, to, len));
    }
    this.paths = paths;
  }

  /** The source code a cell names: its own code, or the one code a mangled spreadsheet form stands for. */
  resolveKey(value: string): { code: string; repaired?: string } | undefined {
    const { index, opts } = this;
    const t = index.term(opts.from, opts.domain, value);
    if (t) return { code: t.code };
    const repaired = repairCode(value, (f) => index.term(opts.from, opts.domain, f)?.code);
    return repaired !== undefined ? { code: repaired, repaired } : undefined;
  }

  /** What the answers of a (resolved) source code depend on. */
  profile(code: string): CodeProfile {
    let p = this.profiles.get(code);
    if (!p) this.profiles.set(code, (p = this.explore(code)));
    return p;
  }

  private explore(code: string): CodeProfile {
    const { index, opts } = this;
    const { domain } = opts;
    const atoms = new Map<string, Atom>();
    const dates = new Set<string>();
    const addDates = (v: { validFrom?: string; validTo?: string } | undefined) => {
      if (v?.validFrom) dates.add(v.validFrom);
      if (v?.validTo) dates.add(v.validTo);
    };
    const fieldDomains = new Set<string>();
    const addAtom = (edge: Edge, cond: Condition) => {
      const space = index.fieldSpace(edge.crosswalk, cond.field);
      if (space.domain !== undefined) fieldDomains.add(space.domain);
      if (!this.context.has(cond.field)) return;
      const key = atomKey(space, cond);
      if (!atoms.has(key)) atoms.set(key, { key, field: cond.field, space, cond });
    };
    addDates(index.term(opts.from, domain, code));
    let budget = EXPLORE_BUDGET;
    for (const path of this.paths) {
      let frontier = [code];
      for (const edge of path) {
        const next = new Set<string>();
        for (const c of frontier) {
          for (const m of index.mappingsFor(edge, c)) {
            if (--budget < 0) break;
            addDates(m);
            for (const cond of m.when) addAtom(edge, cond);
            if (m.relation === 'no-match') continue;
            const toCode = edge.inverted ? m.from : m.to!;
            addDates(index.term(edge.to, domain, toCode));
            next.add(toCode);
          }
        }
        frontier = [...next];
      }
    }
    // Facts read in another vocabulary's codes, or through a field vocabulary, depend on the date too.
    let statedIn = false;
    for (const a of atoms.values()) {
      if (a.space.domain !== undefined && index.vocabulary(opts.from)?.domains.has(a.space.domain) && a.space.decl.vocabulary !== opts.from) statedIn = true;
    }
    for (const f of opts.facts?.keys() ?? []) for (const d of this.factDomains(f)) fieldDomains.add(d);
    // Facts in codes of another vocabulary (a record's, the run's, a code's own) are translated on the date.
    for (const d of fieldDomains) this.domainDates(d, addDates);
    return { code, atoms: [...atoms.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), dates: [...dates].sort(), incomplete: budget < 0, statedIn };
  }

  private factDomains(field: string): string[] {
    const out: string[] = [];
    for (const cw of this.index.registry.crosswalks.values()) {
      if (cw.domain !== this.opts.domain) continue;
      const d = cw.fields?.find((f) => f.name === field)?.domain ?? this.index.fieldSpace(cw, field).domain;
      if (d !== undefined) out.push(d);
    }
    return out;
  }

  /** Every validity date of a domain: its terms and the mappings of its crosswalks. */
  private domainDates(domain: string, add: (v: { validFrom?: string; validTo?: string }) => void): void {
    for (const v of this.index.registry.vocabularies.values()) for (const t of v.domains.get(domain)?.terms.values() ?? []) add(t);
    for (const cw of this.index.registry.crosswalks.values()) if (cw.domain === domain) for (const m of cw.mappings) add(m);
  }

  /** The date class of a record date for a code: `N` without a date, else the number of breakpoints on or before it. */
  dateClass(p: CodeProfile, asOf: IsoDate | undefined): string {
    if (asOf === undefined) return 'N';
    let n = 0;
    for (const d of p.dates) if (d <= asOf) n++;
    return String(n);
  }

  /**
   * The record's signature for a code: three characters per relevant atom, in key order (H, F or
   * U, then the precedence rank of the values that met it, or `--`), and the facts it could not read.
   */
  signature(p: CodeProfile, context: ReadonlyMap<string, string>, asOf: IsoDate | undefined): { sig: string; bad: { field: string; value: string; message: string }[] } {
    const bad: { field: string; value: string; message: string }[] = [];
    if (!p.atoms.length) return { sig: '', bad };
    const read = new Map<FieldSpace, FieldValue[] | undefined>();
    const translate = p.statedIn ? valueTranslator(this.index, asOf) : undefined;
    let sig = '';
    for (const a of p.atoms) {
      let values = read.get(a.space);
      if (!read.has(a.space)) {
        const raw = context.get(a.field);
        if (raw !== undefined) {
          const parts = this.opts.valueSeparator !== undefined && a.space.decl.multi ? raw.split(this.opts.valueSeparator) : [raw];
          values = parts.map((x) => a.space.read(x, this.opts.from, translate));
          for (const v of values) if (v.kind === 'bad' && !bad.some((b) => b.field === a.field && b.value === v.text)) bad.push({ field: a.field, value: v.text, message: v.message });
        }
        read.set(a.space, values);
      }
      if (values === undefined) {
        sig += 'N--';
        continue;
      }
      const { truth, met } = a.space.truthOfAll(a.cond, values);
      const rank = truth === 'holds' && a.space.decl.multi && a.space.hasPrecedence && values.length > 1 ? a.space.bestRank(met) : undefined;
      sig += (truth === 'holds' ? 'H' : truth === 'fails' ? 'F' : 'U') + (rank === undefined ? '--' : String(rank).padStart(2, '0'));
      // Roll-up reads the values themselves (which codes a parent's branches must cover).
      if (this.opts.rollUp) sig += `{${values.map((v) => (v.kind === 'codes' ? [...v.leaves].sort().join(',') : v.kind)).join(';')}}`;
    }
    return { sig, bad };
  }

  private readonly classes = new BoundedCache<TranslationResult>(CLASS_CACHE_CAP);
  private readonly dateDependent = new BoundedCache<boolean>(CLASS_CACHE_CAP);

  /** The class a record falls in for a code: `code NUL date class NUL signature`. */
  classKey(p: CodeProfile, sig: string, asOf: IsoDate | undefined): string {
    return `${p.code}\u0000${this.dateClass(p, asOf)}\u0000${sig}`;
  }

  /**
   * The answer for a code under a record's facts and date, decided once per class. With
   * `badDate` (the record's date cannot be read) the answer is the undated one, or `needs-date`
   * when the date would change it.
   */
  decide(code: string, context: ReadonlyMap<string, string>, asOf: IsoDate | undefined, badDate = false): { result: TranslationResult; bad: { field: string; value: string; message: string }[]; key: string } | 'needs-date' {
    const p = this.profile(code);
    const { sig, bad } = this.signature(p, context, badDate ? undefined : asOf);
    const at = (date: string | undefined) => this.translate(code, context, date);
    if (badDate) {
      const k = `${code}\u0000${sig}`;
      let dep = p.incomplete ? undefined : this.dateDependent.get(k);
      if (dep === undefined) {
        dep = dateMatters(at);
        if (!p.incomplete) this.dateDependent.set(k, dep);
      }
      if (dep) return 'needs-date';
      asOf = undefined;
    }
    const key = this.classKey(p, sig, asOf);
    if (p.incomplete) return { result: at(asOf), bad, key };
    let result = this.classes.get(key);
    if (!result) this.classes.set(key, (result = at(asOf)));
    return { result, bad, key };
  }

  /** The translator's answer for a cell under a record's facts and date. */
  translate(input: string, context: ReadonlyMap<string, string>, asOf: IsoDate | undefined, suggest = false): TranslationResult {
    const o = this.opts;
    const t: TranslateOptions = { from: o.from, to: o.to, domain: o.domain, suggest, context };
    if (asOf !== undefined) t.asOf = asOf;
    if (o.maxHops !== undefined) t.maxHops = o.maxHops;
    if (o.valueSeparator !== undefined) t.valueSeparator = o.valueSeparator;
    if (o.rollUp) t.rollUp = true;
    if (o.facts?.size) t.facts = o.facts;
    return translateCode(this.index, input, t);
  }
}

export function atomKey(space: FieldSpace, cond: Condition): string {
  const d = space.decl;
  return `${cond.field}\u0001${d.type}\u0001${d.vocabulary ?? ''}\u0001${d.domain ?? space.domain ?? ''}\u0001${d.multi ? 'm' : 's'}\u0001${(d.values ?? []).join('\u0002')}\u0001${JSON.stringify(cond)}`;
}
