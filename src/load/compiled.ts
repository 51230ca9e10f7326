/**
 * A loaded registry as plain JSON and back. The shipped vocabularies are compiled this way at
 * build time (scripts/embed-vocabularies.ts), so a run rehydrates objects instead of parsing YAML:
 * start-up does not grow with the YAML parser's cost. Maps become arrays of entries.
 */

import type { Crosswalk, DomainTable, Term, Vocabulary } from '../model/types.js';
import { error } from '../errors/errors.js';
import { withMappingLines, type MappingLines } from '../cache/lines.js';
import type { Override, Registry } from './registry.js';

/** Bump when the model's shape changes: a compiled registry of another version is refused. */
export const COMPILED_FORMAT = 2;

interface CompiledTerm extends Omit<Term, 'props'> {
  props: [string, string][];
}
interface CompiledDomain extends Omit<DomainTable, 'terms'> {
  terms: [string, CompiledTerm][];
}
/**
 * A vocabulary with its domains kept as JSON text, parsed the first time they are read; or (the
 * built command's dist/shipped/, src/shipped/files.ts) each domain's table made when it is first
 * read, its terms parsed one at a time (cache/lines.ts).
 */
export type CompiledVocabulary = Omit<Vocabulary, 'domains'> & ({ domainsJson: string; domainParts?: undefined } | { domainsJson?: undefined; domainParts: [string, () => DomainTable][] });
/** A crosswalk with its mappings kept as JSON text, parsed the first time they are read; or read one line at a time. */
export type CompiledCrosswalk = Omit<Crosswalk, 'mappings'> & ({ mappingsJson: string; mappingLines?: undefined } | { mappingsJson?: undefined; mappingLines: () => MappingLines });
export interface CompiledRegistry {
  format: number;
  vocabularies: CompiledVocabulary[];
  crosswalks: CompiledCrosswalk[];
  hashes: [string, string][];
  sources: string[];
}

/** How many vocabularies and crosswalks have been materialized (tests check laziness). */
export const materialized = { vocabularies: 0, crosswalks: 0 };

export function compileRegistry(r: Registry): CompiledRegistry {
  if (r.diagnostics.length) throw new Error(`cannot compile a registry with diagnostics: ${r.diagnostics.map((d) => `${d.loc.file}:${d.loc.line} ${d.message}`).join('; ')}`);
  return {
    format: COMPILED_FORMAT,
    vocabularies: [...r.vocabularies.values()].map(({ domains, ...rest }) => ({
      ...rest,
      domainsJson: JSON.stringify([...domains].map(([d, t]): [string, CompiledDomain] => [d, { ...t, terms: [...t.terms].map(([k, term]): [string, CompiledTerm] => [k, { ...term, props: [...term.props] }]) }])),
    })),
    crosswalks: [...r.crosswalks.values()].map(({ mappings, ...rest }) => ({ ...rest, mappingsJson: JSON.stringify(mappings) })),
    hashes: [...r.hashes],
    sources: r.sources,
  };
}

/** Defines `key` on `obj` as a value computed on first read, then kept. */
function lazy<T extends object, K extends string, V>(obj: T, key: K, make: () => V): T & Record<K, V> {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(obj, key, { value, enumerable: true, writable: false, configurable: false });
      return value;
    },
  });
  return obj as T & Record<K, V>;
}

/** A parsed domain table made into the model's in place (its pairs into Maps): no copies (issue 18: start-up). */
function rehydrate(t: CompiledDomain): DomainTable {
  for (const [, term] of t.terms) (term as unknown as Term).props = new Map(term.props);
  (t as unknown as DomainTable).terms = new Map(t.terms as unknown as [string, Term][]);
  return t as unknown as DomainTable;
}

/**
 * A vocabulary's domains, each parsed from its own JSON text the first time it is read (get, or
 * any iteration over the tables); `has`, `keys` and `size` parse nothing. Otherwise a Map.
 */
class LazyDomains extends Map<string, DomainTable> {
  private readonly pending = new Map<string, () => DomainTable>();

  constructor(parts: [string, () => DomainTable][]) {
    super();
    for (const [d, make] of parts) {
      super.set(d, undefined as unknown as DomainTable);
      this.pending.set(d, make);
    }
  }

  override get(d: string): DomainTable | undefined {
    const make = this.pending.get(d);
    if (make) {
      // Made before it stops being pending: a read that fails (a damaged install) fails again
      // at the next get, never leaving the domain looking empty.
      super.set(d, make());
      this.pending.delete(d);
    }
    return super.get(d);
  }

  override set(d: string, t: DomainTable): this {
    this.pending.delete(d);
    return super.set(d, t);
  }

  override delete(d: string): boolean {
    this.pending.delete(d);
    return super.delete(d);
  }

  override *entries(): MapIterator<[string, DomainTable]> {
    for (const d of this.keys()) yield [d, this.get(d)!];
  }

  override *values(): MapIterator<DomainTable> {
    for (const d of this.keys()) yield this.get(d)!;
  }

  override [Symbol.iterator](): MapIterator<[string, DomainTable]> {
    return this.entries();
  }

  override forEach(f: (t: DomainTable, d: string, map: Map<string, DomainTable>) => void, self?: unknown): void {
    for (const [d, t] of this.entries()) f.call(self, t, d, this);
  }
}

export function loadCompiled(c: CompiledRegistry): Registry {
  if (c.format !== COMPILED_FORMAT) {
    return {
      vocabularies: new Map(),
      crosswalks: new Map(),
      hashes: new Map(),
      sources: c.sources,
      diagnostics: [error('compiled-format', { file: 'shipped', line: 0, col: 0 }, `the compiled vocabularies have format ${c.format}, this xwalk reads ${COMPILED_FORMAT}`, 'rebuild xwalk (npm run build)')],
    };
  }
  const vocabularies = new Map<string, Vocabulary>();
  // Each object copied once, by V8's own rest copy (issue 18: start-up; a loop of keyed stores and
  // a second copy took 0.3 ms of every start for the 31 shipped objects, this 0.1).
  for (const cv of c.vocabularies) {
    const { domainsJson, domainParts, ...meta } = cv;
    const v = lazy(meta, 'domains', () => {
      materialized.vocabularies++;
      if (domainParts) return new LazyDomains(domainParts);
      const domains = new Map<string, DomainTable>();
      for (const [d, t] of JSON.parse(domainsJson!) as [string, CompiledDomain][]) domains.set(d, rehydrate(t));
      return domains;
    });
    vocabularies.set(v.id, v);
  }
  const crosswalks = new Map<string, Crosswalk>();
  for (const cx of c.crosswalks) {
    const { mappingsJson: json, mappingLines: read, ...meta } = cx;
    const cw = read
      ? withMappingLines(meta as Crosswalk, () => {
          materialized.crosswalks++;
          return read();
        })
      : lazy(meta, 'mappings', () => {
          materialized.crosswalks++;
          return JSON.parse(json!) as Crosswalk['mappings'];
        });
    crosswalks.set(cw.id, cw);
  }
  return { vocabularies, crosswalks, hashes: new Map(c.hashes), diagnostics: [], sources: c.sources };
}

/**
 * `extra` added to `base`: an id defined in both is an error naming both files, and the first
 * definition is kept (the same rule as within one load).
 */
export function mergeRegistries(base: Registry, extra: Registry): Registry {
  const vocabularies = new Map(base.vocabularies);
  const crosswalks = new Map(base.crosswalks);
  const diagnostics = [...base.diagnostics, ...extra.diagnostics];
  // A user's file with the id of a base (shipped) one replaces it (issue 20: a corrected copy
  // takes precedence); two user files with one id are still an error, reported by loadRegistry.
  const overrides: Override[] = [...(base.overrides ?? []), ...(extra.overrides ?? [])];
  for (const v of extra.vocabularies.values()) {
    const prev = vocabularies.get(v.id);
    if (prev) overrides.push({ kind: 'vocabulary', id: v.id, file: v.files[0] ?? '', replaced: prev.files[0] ?? '' });
    vocabularies.set(v.id, v);
  }
  for (const x of extra.crosswalks.values()) {
    const prev = crosswalks.get(x.id);
    if (prev) overrides.push({ kind: 'crosswalk', id: x.id, file: x.files[0] ?? '', replaced: prev.files[0] ?? '' });
    crosswalks.set(x.id, x);
  }
  return { vocabularies, crosswalks, hashes: new Map([...base.hashes, ...extra.hashes]), diagnostics, sources: [...base.sources, ...extra.sources], ...(overrides.length ? { overrides } : {}) };
}
