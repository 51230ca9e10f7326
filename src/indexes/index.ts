/**
 * The index stage: a loaded Registry → lookup structures built once and reused per code.
 * Pure: no I/O. Built lazily per domain and per crosswalk, so a command pays only for what
 * it touches.
 *
 * - `termIndex`: a vocabulary's terms of one domain by normalized code (already the DomainTable).
 * - `edgesFrom`: for one domain, the crosswalk edges leaving a vocabulary, forward or inverted.
 * - `mappingsFor`: the mappings of one crosswalk whose source (or, inverted, target) is a code.
 */

import type { Crosswalk, Domain, DomainTable, Mapping, Term, Vocabulary } from '../model/types.js';
import type { Registry } from '../load/registry.js';
import { normalizeCode } from '../load/normalize.js';
import { editDistance } from '../errors/closest.js';
import { compareText, push } from '../model/order.js';
import { lazyMappings } from '../cache/lazy.js';
import { FieldSpace, untypedDecl } from './facts.js';

/** A crosswalk as a directed edge of the vocabulary graph, possibly read backwards. */
export interface Edge {
  crosswalk: Crosswalk;
  from: string;
  to: string;
  inverted: boolean;
}

/** A crosswalk's mappings found by code: the codes as written, and the indexes over them built so far. */
interface CodeIndex {
  froms: readonly string[];
  tos: readonly (string | null)[];
  at: (i: number) => Mapping;
  forward?: Map<string, number[]>;
  backward?: Map<string, number[]>;
  found: Map<string, Mapping[]>;
}

export class RegistryIndex {
  private readonly edges = new Map<Domain, Map<string, Edge[]>>();
  private readonly byCode = new WeakMap<Crosswalk, CodeIndex>();

  private readonly spaces = new WeakMap<Crosswalk, Map<string, FieldSpace>>();

  constructor(readonly registry: Registry) {}

  /** The typed space of a condition field as a crosswalk declares it (text when it does not). */
  fieldSpace(cw: Crosswalk, field: string): FieldSpace {
    let byName = this.spaces.get(cw);
    if (!byName) this.spaces.set(cw, (byName = new Map()));
    let s = byName.get(field);
    if (!s) byName.set(field, (s = new FieldSpace(cw.fields?.find((f) => f.name === field) ?? untypedDecl(field), this)));
    return s;
  }

  /** Whether a crosswalk of the domain declares the field (no mapping is read). */
  declaresField(domain: Domain, field: string): boolean {
    for (const cw of this.registry.crosswalks.values()) if (cw.domain === domain && cw.fields?.some((f) => f.name === field)) return true;
    return false;
  }

  /** Every condition field the crosswalks of a domain declare or use, by name (reads every mapping). */
  fieldNames(domain: Domain): Set<string> {
    const names = new Set<string>();
    for (const cw of this.registry.crosswalks.values()) {
      if (cw.domain !== domain) continue;
      for (const f of cw.fields ?? []) names.add(f.name);
      for (const m of cw.mappings) for (const c of m.when) names.add(c.field);
    }
    return names;
  }

  vocabulary(id: string): Vocabulary | undefined {
    return this.registry.vocabularies.get(id);
  }

  table(vocab: string, domain: Domain): DomainTable | undefined {
    return this.registry.vocabularies.get(vocab)?.domains.get(domain);
  }

  term(vocab: string, domain: Domain, code: string): Term | undefined {
    const t = this.table(vocab, domain);
    return t?.terms.get(normalizeCode(code, t.normalize));
  }

  /**
   * Edges leaving `vocab` in `domain`. For each neighbour, the forward crosswalk is used when
   * one exists; the inverse of the opposite crosswalk only when none does.
   */
  edgesFrom(vocab: string, domain: Domain): Edge[] {
    let byVocab = this.edges.get(domain);
    if (!byVocab) {
      byVocab = new Map();
      const forward = new Map<string, Edge>();
      const backward = new Map<string, Edge>();
      for (const cw of this.registry.crosswalks.values()) {
        if (cw.domain !== domain) continue;
        const fk = `${cw.from}\u0000${cw.to}`;
        if (!forward.has(fk)) forward.set(fk, { crosswalk: cw, from: cw.from, to: cw.to, inverted: false });
        const bk = `${cw.to}\u0000${cw.from}`;
        if (!backward.has(bk)) backward.set(bk, { crosswalk: cw, from: cw.to, to: cw.from, inverted: true });
      }
      for (const [k, e] of backward) if (!forward.has(k)) forward.set(k, e);
      for (const e of forward.values()) {
        const list = byVocab.get(e.from) ?? [];
        list.push(e);
        byVocab.set(e.from, list);
      }
      for (const list of byVocab.values()) list.sort((a, b) => Number(a.inverted) - Number(b.inverted) || compareText(a.to, b.to));
      this.edges.set(domain, byVocab);
    }
    return byVocab.get(vocab) ?? [];
  }

  /** The mappings of `edge` that start at `code` (normalized with the edge's source vocabulary). */
  mappingsFor(edge: Edge, code: string): readonly Mapping[] {
    const cw = edge.crosswalk;
    let idx = this.byCode.get(cw);
    if (!idx) {
      // A crosswalk from the load cache or the shipped parts is indexed by its codes alone: only
      // the mappings a lookup reaches are parsed.
      const lazy = lazyMappings(cw);
      const all = lazy ? undefined : cw.mappings;
      idx = { froms: lazy?.froms ?? all!.map((m) => m.from), tos: lazy?.tos ?? all!.map((m) => m.to ?? null), at: lazy?.at ?? ((i) => all![i]!), found: new Map() };
      this.byCode.set(cw, idx);
    }
    const norm = this.table(edge.from, cw.domain)?.normalize;
    const key = `${edge.inverted ? '<' : '>'}${norm ? normalizeCode(code, norm) : code}`;
    let found = idx.found.get(key);
    if (!found) idx.found.set(key, (found = (this.codeIndex(cw, idx, edge.inverted).get(key.slice(1)) ?? []).map(idx.at)));
    return found;
  }

  /** A crosswalk's mapping indexes by normalized source code (or target code, read backwards), each built on first use. */
  private codeIndex(cw: Crosswalk, idx: CodeIndex, backward: boolean): Map<string, number[]> {
    const built = backward ? idx.backward : idx.forward;
    if (built) return built;
    const norm = this.table(backward ? cw.to : cw.from, cw.domain)?.normalize;
    const map = new Map<string, number[]>();
    (backward ? idx.tos : idx.froms).forEach((c, i) => {
      if (c !== null) push(map, norm ? normalizeCode(c, norm) : c, i);
    });
    if (backward) idx.backward = map;
    else idx.forward = map;
    return map;
  }

  /** Domains both vocabularies have, in the order of the source vocabulary's file. */
  sharedDomains(from: string, to: string): Domain[] {
    const a = this.registry.vocabularies.get(from);
    const b = this.registry.vocabularies.get(to);
    if (!a || !b) return [];
    return [...a.domains.keys()].filter((d) => b.domains.has(d));
  }

  /**
   * Codes a person may have meant: near by edit distance on the normalized code, or whose label
   * or an alias reads like the input. Best first, at most `limit`.
   */
  suggest(vocab: string, domain: Domain, input: string, limit = 3): Term[] {
    const table = this.table(vocab, domain);
    if (!table) return [];
    const key = normalizeCode(input, table.normalize);
    const lower = input.trim().toLowerCase();
    const scored: { t: Term; s: number }[] = [];
    for (const [code, t] of table.terms) {
      let s = Infinity;
      const d = editDistance(key, code);
      if (d <= Math.max(1, Math.min(2, Math.floor(code.length / 2)))) s = d;
      if (lower.length >= 3) {
        if (t.label.toLowerCase() === lower || t.aliases.some((a) => a.text.toLowerCase() === lower)) s = Math.min(s, 0.5);
        else if (t.label.toLowerCase().includes(lower) || t.aliases.some((a) => a.text.toLowerCase().includes(lower))) s = Math.min(s, 1.5);
      }
      if (s < Infinity) scored.push({ t, s });
    }
    scored.sort((a, b) => a.s - b.s || compareText(a.t.code, b.t.code));
    return scored.slice(0, limit).map((x) => x.t);
  }
}
