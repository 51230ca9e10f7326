/**
 * Typed facts: what a condition field's values mean, and whether a condition holds for them.
 *
 * In: a crosswalk's field declarations, the registry (for field vocabularies), raw values as a
 * record, a command line or a code states them. Out: values as sets of leaf codes (a group such as
 * "any firearm" is the set of its leaves), numeric ranges, or plain text; and the three-valued
 * answer of a condition (holds, fails, unknown). Pure: no I/O.
 *
 * The set reading is what makes every answer checkable: a value stands for the codes the truth
 * lies in, a condition for the codes it accepts; it holds when the value lies inside, fails when
 * they share nothing, and is unknown otherwise. "Not recorded" is the token `~`: it meets a
 * condition that lists `~` and leaves every other one unknown (an unrecorded weapon may have been
 * anything).
 */

import type { Condition, Domain, DomainTable, FieldDecl, Term, Vocabulary } from '../model/types.js';
import { NOT_RECORDED } from '../model/types.js';
import { normalizeCode } from '../load/normalize.js';
import { closest } from '../errors/closest.js';

export type FieldValue =
  { kind: 'codes'; leaves: ReadonlySet<string>; text: string } | { kind: 'range'; lo: number; hi: number; text: string } | { kind: 'text'; value: string; text: string } | { kind: 'not-recorded'; text: string } | { kind: 'unknown'; text: string } | { kind: 'bad'; text: string; message: string };

export type Truth = 'holds' | 'fails' | 'unknown';

/** Translates a value of vocabulary `from` into codes of `to` (a field vocabulary), for agency codes. */
export type ValueTranslator = (value: string, from: string, to: string, domain: Domain) => { codes: string[]; sound: boolean } | undefined;

/** A field declaration resolved against the loaded vocabularies. */
export class FieldSpace {
  readonly table: DomainTable | undefined;
  readonly domain: Domain | undefined;
  /** Problem with the declaration itself (unknown vocabulary ...), reported by validate. */
  readonly problem: string | undefined;
  private readonly leavesOf = new Map<string, ReadonlySet<string>>();
  private readonly rank = new Map<string, number>();
  /** Terms by label and alias (lower case), built when a value is not a code: most runs never need it. */
  private labels: Map<string, Term> | undefined;

  constructor(
    readonly decl: FieldDecl,
    index: { vocabulary(id: string): Vocabulary | undefined } | undefined,
  ) {
    let table: DomainTable | undefined;
    let domain: Domain | undefined;
    let problem: string | undefined;
    if (decl.vocabulary !== undefined) {
      const v = index?.vocabulary(decl.vocabulary);
      if (!v) problem = `field ${decl.name} names the vocabulary "${decl.vocabulary}", which is not loaded`;
      else {
        domain = decl.domain ?? (v.domains.size === 1 ? [...v.domains.keys()][0] : undefined);
        if (domain === undefined) problem = `field ${decl.name}: vocabulary ${decl.vocabulary} has several domains (${[...v.domains.keys()].join(', ')}); say which with \`domain\``;
        else {
          table = v.domains.get(domain);
          if (!table) problem = `field ${decl.name}: vocabulary ${decl.vocabulary} has no domain "${domain}"`;
        }
      }
    }
    this.table = table;
    this.domain = domain;
    this.problem = problem;
    table?.precedence?.forEach((c, i) => this.rank.set(normalizeCode(c, table.normalize), i));
  }

  private byLabel(): Map<string, Term> {
    if (!this.labels) {
      this.labels = new Map();
      for (const t of this.table?.terms.values() ?? []) {
        for (const name of [t.label, ...t.aliases.map((a) => a.text)]) {
          const k = name.trim().toLowerCase();
          if (!this.labels.has(k)) this.labels.set(k, t);
        }
      }
    }
    return this.labels;
  }

  get type(): FieldDecl['type'] {
    return this.decl.type;
  }

  /** The finite set of values a record can have (leaf codes), when the field has one. */
  universe(): ReadonlySet<string> | undefined {
    if (this.table) {
      const all = new Set<string>();
      for (const t of this.table.terms.values()) if (!this.hasChildren(t.code)) all.add(this.key(t.code));
      return all;
    }
    if (this.decl.values) return new Set(this.decl.values.map((v) => v.trim().toLowerCase()));
    return undefined;
  }

  private key(code: string): string {
    return this.table ? normalizeCode(code, this.table.normalize) : code.trim().toLowerCase();
  }

  private childrenIndex: Map<string, string[]> | undefined;
  private hasChildren(code: string): boolean {
    return (this.children().get(this.key(code))?.length ?? 0) > 0;
  }
  private children(): Map<string, string[]> {
    if (!this.childrenIndex) {
      this.childrenIndex = new Map();
      if (this.table)
        for (const t of this.table.terms.values()) {
          if (t.parent === undefined) continue;
          const pk = this.key(t.parent);
          const list = this.childrenIndex.get(pk) ?? [];
          list.push(this.key(t.code));
          this.childrenIndex.set(pk, list);
        }
    }
    return this.childrenIndex;
  }

  /** The leaf codes under a code (itself when it has no children). */
  leaves(code: string): ReadonlySet<string> {
    const k = this.key(code);
    let s = this.leavesOf.get(k);
    if (!s) {
      const out = new Set<string>();
      const stack = [k];
      const seen = new Set<string>();
      while (stack.length) {
        const c = stack.pop()!;
        if (seen.has(c)) continue;
        seen.add(c);
        const kids = this.children().get(c);
        if (kids?.length) stack.push(...kids);
        else out.add(c);
      }
      this.leavesOf.set(k, (s = out));
    }
    return s;
  }

  /** The term a written value names: a code (normalized), or a label or alias (any case). */
  termFor(value: string): Term | undefined {
    if (!this.table) return undefined;
    return this.table.terms.get(normalizeCode(value, this.table.normalize)) ?? this.byLabel().get(value.trim().toLowerCase());
  }

  /** Precedence rank of a leaf (0 = most serious), or undefined when the field has no order. */
  rankOf(leaf: string): number | undefined {
    return this.rank.get(leaf);
  }

  get hasPrecedence(): boolean {
    return this.rank.size > 0;
  }

  /** A condition's accepted values as leaves (`~` kept as itself), or a range for numbers. */
  accepted(c: Condition): { leaves: Set<string>; unknownValues: string[] } | { lo: number; hi: number; loOpen: boolean; hiOpen: boolean } {
    if (!('values' in c)) {
      const v = c.value;
      return c.op === 'lt' ? { lo: -Infinity, hi: v, loOpen: true, hiOpen: true } : c.op === 'le' ? { lo: -Infinity, hi: v, loOpen: true, hiOpen: false } : c.op === 'gt' ? { lo: v, hi: Infinity, loOpen: true, hiOpen: true } : { lo: v, hi: Infinity, loOpen: false, hiOpen: true };
    }
    const leaves = new Set<string>();
    const unknownValues: string[] = [];
    for (const raw of c.values) {
      if (raw === NOT_RECORDED) {
        leaves.add(NOT_RECORDED);
        continue;
      }
      if (this.table) {
        const t = this.termFor(raw);
        if (t) for (const l of this.leaves(t.code)) leaves.add(l);
        else {
          unknownValues.push(raw);
          leaves.add(this.key(raw));
        }
      } else {
        const k = raw.trim().toLowerCase();
        if (this.decl.values && !this.decl.values.some((v) => v.trim().toLowerCase() === k)) unknownValues.push(raw);
        leaves.add(k);
      }
    }
    return { leaves, unknownValues };
  }

  /**
   * A value as written by a record, the command line or a code, read in the codes of `statedIn`
   * first (an agency's own weapon codes, translated by `translate`), then of the field itself.
   */
  read(raw: string, statedIn: string | undefined, translate: ValueTranslator | undefined): FieldValue {
    const text = raw;
    const v = raw.trim();
    if (v === '' || v === NOT_RECORDED) return { kind: 'not-recorded', text };
    if (this.decl.type === 'text') return { kind: 'text', value: v.toLowerCase(), text };
    if (this.decl.type === 'number') {
      if (this.table) {
        const t = this.termFor(v);
        if (t) {
          const lo = Number(t.props.get('min'));
          const hi = Number(t.props.get('max'));
          if (t.props.has('min') && t.props.has('max') && Number.isFinite(lo) && Number.isFinite(hi)) return { kind: 'range', lo, hi, text };
          return { kind: 'unknown', text };
        }
      }
      const n = Number(v);
      if (!Number.isFinite(n)) return { kind: 'bad', text, message: `"${v}" is not a number${this.table ? ` nor a code of ${this.decl.vocabulary}` : ''}` };
      return { kind: 'range', lo: n, hi: n, text };
    }
    if (!this.table) {
      const k = v.toLowerCase();
      const allowed = this.decl.values ?? [];
      if (!allowed.some((a) => a.trim().toLowerCase() === k)) {
        const near = closest(v, allowed);
        return { kind: 'bad', text, message: `unknown value "${v}" for ${this.decl.name}; expected ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}` };
      }
      return { kind: 'codes', leaves: new Set([k]), text };
    }
    if (statedIn !== undefined && statedIn !== this.decl.vocabulary && translate && this.domain !== undefined) {
      const r = translate(v, statedIn, this.decl.vocabulary!, this.domain);
      if (r) {
        if (!r.sound || !r.codes.length) return { kind: 'bad', text, message: `${statedIn} ${this.domain} "${v}" has no translation into ${this.decl.vocabulary} that bounds it (an equivalent or a broader code)` };
        const leaves = new Set<string>();
        for (const c of r.codes) for (const l of this.leaves(c)) leaves.add(l);
        return { kind: 'codes', leaves, text };
      }
    }
    const t = this.termFor(v);
    if (!t) {
      const near = closest(
        v,
        [...this.table.terms.values()].map((x) => x.code),
      );
      return { kind: 'bad', text, message: `unknown value "${v}" for ${this.decl.name} (${this.decl.vocabulary} ${this.domain} codes${near ? `; did you mean ${near}?` : ''})` };
    }
    return { kind: 'codes', leaves: this.leaves(t.code), text };
  }

  /** Whether a condition holds for one value. */
  truth(c: Condition, value: FieldValue): Truth {
    if (value.kind === 'bad' || value.kind === 'unknown') return 'unknown';
    const acc = this.accepted(c);
    if (value.kind === 'not-recorded') {
      if ('lo' in acc) return 'unknown';
      if (!acc.leaves.has(NOT_RECORDED)) return 'unknown';
      return c.op === 'in' ? 'holds' : 'fails';
    }
    if ('lo' in acc) {
      if (value.kind === 'text') {
        // An undeclared field compared with a number: the text must read as one.
        const n = Number(value.value);
        return Number.isFinite(n) ? this.truth(c, { kind: 'range', lo: n, hi: n, text: value.text }) : 'fails';
      }
      if (value.kind !== 'range') return 'unknown';
      const inside = (x: number) => (acc.loOpen ? x > acc.lo : x >= acc.lo) && (acc.hiOpen ? x < acc.hi : x <= acc.hi);
      const allIn = inside(value.lo) && inside(value.hi);
      const noneIn = value.hi < acc.lo || value.lo > acc.hi || (value.hi === acc.lo && acc.loOpen) || (value.lo === acc.hi && acc.hiOpen);
      return allIn ? 'holds' : noneIn ? 'fails' : 'unknown';
    }
    const leaves = value.kind === 'codes' ? value.leaves : value.kind === 'text' ? new Set([value.value]) : new Set<string>();
    let inside = 0;
    for (const l of leaves) if (acc.leaves.has(l)) inside++;
    const within = inside === leaves.size && leaves.size > 0;
    const apart = inside === 0;
    if (c.op === 'in') return within ? 'holds' : apart ? 'fails' : 'unknown';
    return within ? 'fails' : apart ? 'holds' : 'unknown';
  }

  /**
   * Whether a condition holds for a fact with several values (a multi-valued field: a condition
   * holds for a value that meets it), and which values met it.
   */
  truthOfAll(c: Condition, values: readonly FieldValue[]): { truth: Truth; met: FieldValue[] } {
    if (!values.length) return { truth: 'unknown', met: [] };
    const truths = values.map((v) => this.truth(c, v));
    const met = values.filter((_, i) => truths[i] === 'holds');
    if (!this.decl.multi || values.length === 1) return { truth: truths[0]!, met };
    if (met.length) return { truth: 'holds', met };
    return { truth: truths.every((t) => t === 'fails') ? 'fails' : 'unknown', met };
  }

  /** The best (lowest) precedence rank among the leaves of the values given. */
  bestRank(values: readonly FieldValue[]): number | undefined {
    let best: number | undefined;
    for (const v of values) {
      if (v.kind !== 'codes') continue;
      for (const l of v.leaves) {
        const r = this.rank.get(l);
        if (r !== undefined && (best === undefined || r < best)) best = r;
      }
    }
    return best;
  }
}

/** An undeclared field: values are compared as text, any case, as before fields had types. */
export function untypedDecl(name: string): FieldDecl {
  return { name, type: 'text', multi: false, loc: { file: '', line: 0, col: 0 } };
}
