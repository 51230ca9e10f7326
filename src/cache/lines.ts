/**
 * A domain's terms, or a crosswalk's mappings, one JSON value a line behind a header that lists
 * their codes and where each line starts: the layout the load cache (./cache.ts) and the shipped
 * vocabularies of the built command (src/shipped/files.ts, written by scripts/build-cli.mjs) share.
 * A run reads the header and parses a line when its term or mapping is asked for: translating one
 * code parses the few lines its route reaches, not the tables (issue 18: start-up). Going through
 * every term, or reading a crosswalk's `mappings`, parses them all in one go.
 *
 * A line's `loc` is `[line, col]` in the file the header names (the one most of them come from), or
 * `[line, col, file]`. Lines are ASCII (any other character written as \uXXXX), so an offset counts
 * bytes and characters alike: a reader may slice a Buffer or a string. Pure: the text comes from
 * the caller, as `Lines`.
 */

import type { DomainTable, Mapping, SourceLoc, Term } from '../model/types.js';
import { LAZY_MAPPINGS, type LazyMappings } from './lazy.js';

/** A domain table's header: the table without its terms, their codes, and where each line starts. */
export interface TermsHeader extends Omit<DomainTable, 'terms'> {
  /** The file most terms came from (a term from another one carries its own). */
  file: string;
  keys: string[];
  /** Where each term's line starts in the body, and where the last one ends. */
  offsets: number[];
}

export interface MappingsHeader {
  file: string;
  /** Each mapping's `from` and `to` as written (null for no-match), in file order. */
  froms: string[];
  tos: (string | null)[];
  offsets: number[];
}

/** The text of the body from one offset to another (offsets as the header gives them). */
export type Lines = (from: number, to: number) => string;

/** A crosswalk's mappings from their lines: one at a time by index, or all of them. */
export interface MappingLines extends LazyMappings {
  /** Every mapping, in file order (one parse; the ones already handed out are kept). */
  all(): Mapping[];
}

type Loc = [number, number, string?];
const packLoc = (loc: SourceLoc, file: string): Loc => (loc.file === file ? [loc.line, loc.col] : [loc.line, loc.col, loc.file]);
const unpackLoc = (loc: Loc, file: string): SourceLoc => ({ file: loc[2] ?? file, line: loc[0], col: loc[1] });

function mostCommon(files: Iterable<string>, fallback: string): string {
  const count = new Map<string, number>();
  for (const f of files) count.set(f, (count.get(f) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
}

/** A value as one line of JSON in ASCII. */
const line = (value: unknown): string => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';

/** Lines of JSON values (one per line, as written here) from `from` to `to`, in one parse. */
function parseAll(lines: Lines, from: number, to: number): unknown[] {
  if (to <= from) return [];
  return JSON.parse(`[${lines(from, to - 1).replaceAll('\n', ',')}]`) as unknown[];
}

/** A domain table as a header and its body (every line ends in a newline). */
export function termLines(table: DomainTable): { header: TermsHeader; body: string } {
  const { terms, ...rest } = table;
  const file = mostCommon(
    [...terms.values()].map((t) => t.loc.file),
    table.loc.file,
  );
  const parts: string[] = [];
  const keys: string[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const [key, t] of terms) {
    const text = line({ ...t, props: [...t.props], loc: packLoc(t.loc, file) });
    keys.push(key);
    offsets.push(at);
    parts.push(text);
    at += text.length;
  }
  offsets.push(at);
  return { header: { ...rest, file, keys, offsets }, body: parts.join('') };
}

/** A crosswalk's mappings as a header and their body; `file` is where they came from when there are none. */
export function mappingLines(mappings: readonly Mapping[], file: string): { header: MappingsHeader; body: string } {
  const common = mostCommon(
    mappings.map((m) => m.loc.file),
    file,
  );
  const parts: string[] = [];
  const h: MappingsHeader = { file: common, froms: [], tos: [], offsets: [] };
  let at = 0;
  for (const m of mappings) {
    const text = line({ ...m, loc: packLoc(m.loc, common) });
    h.froms.push(m.from);
    h.tos.push(m.to ?? null);
    h.offsets.push(at);
    parts.push(text);
    at += text.length;
  }
  h.offsets.push(at);
  return { header: h, body: parts.join('') };
}

/** The domain table a header and its lines describe; a term is parsed when it is asked for. */
export function termTable(h: TermsHeader, lines: Lines): DomainTable {
  const { file, keys, offsets, ...table } = h;
  type Raw = Omit<Term, 'props' | 'loc'> & { props: [string, string][]; loc: Loc };
  const revive = (raw: Raw): Term => ({ ...raw, props: new Map(raw.props), loc: unpackLoc(raw.loc, file) });
  const one = (i: number): Term => revive(JSON.parse(lines(offsets[i]!, offsets[i + 1]!)) as Raw);
  const every = (): Term[] => (parseAll(lines, offsets[0]!, offsets[keys.length]!) as Raw[]).map(revive);
  return { ...table, terms: new LazyTerms(keys, one, every) };
}

/** The mappings a header and its lines describe, each parsed when it is asked for. */
export function mappingsFromLines(h: MappingsHeader, lines: Lines): MappingLines {
  type Raw = Omit<Mapping, 'loc'> & { loc: Loc };
  const revive = (raw: Raw): Mapping => ({ ...raw, loc: unpackLoc(raw.loc, h.file) });
  const parsed = new Map<number, Mapping>();
  let mappings: Mapping[] | undefined;
  return {
    froms: h.froms,
    tos: h.tos,
    at(i: number): Mapping {
      if (mappings) return mappings[i]!;
      let m = parsed.get(i);
      if (!m) parsed.set(i, (m = revive(JSON.parse(lines(h.offsets[i]!, h.offsets[i + 1]!)) as Raw)));
      return m;
    },
    all(): Mapping[] {
      mappings ??= (parseAll(lines, h.offsets[0]!, h.offsets[h.froms.length]!) as Raw[]).map((raw, i) => parsed.get(i) ?? revive(raw));
      return mappings;
    },
  };
}

/**
 * `cw` with its mappings read from lines: `mappings` parses them all on first read, and
 * RegistryIndex finds a code's mappings by their codes alone (LAZY_MAPPINGS). `read` runs once,
 * on the first use of either.
 */
export function withMappingLines<T extends object>(cw: T, read: () => MappingLines): T {
  let m: MappingLines | undefined;
  const lines = (): MappingLines => (m ??= read());
  Object.defineProperty(cw, 'mappings', { enumerable: true, configurable: true, get: () => lines().all() });
  Object.defineProperty(cw, LAZY_MAPPINGS, { enumerable: false, get: lines });
  return cw;
}

/**
 * A term table that parses a term when it is asked for: `get`, `has` and `size` read only the
 * code table; iterating parses every term (once; the same objects are returned after).
 */
export class LazyTerms extends Map<string, Term> {
  private readonly index = new Map<string, number>();
  private readonly parsed = new Map<number, Term>();
  private full = false;

  constructor(
    private readonly codes: readonly string[],
    private readonly parse: (i: number) => Term,
    private readonly parseAll?: () => Term[],
  ) {
    super();
    codes.forEach((k, i) => this.index.set(k, i));
  }

  private at(i: number): Term {
    let t = this.parsed.get(i);
    if (!t) this.parsed.set(i, (t = this.parse(i)));
    return t;
  }

  private all(): void {
    if (this.full) return;
    this.full = true;
    const every = this.parseAll?.();
    this.codes.forEach((k, i) => super.set(k, this.parsed.get(i) ?? every?.[i] ?? this.at(i)));
  }

  override get(key: string): Term | undefined {
    if (this.full) return super.get(key);
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    // A run that reads many terms one by one (coverage, a big convert) is better served by one
    // parse of them all.
    if (!this.parsed.has(i) && this.parsed.size >= Math.max(256, this.codes.length >> 5)) {
      this.all();
      return super.get(key);
    }
    return this.at(i);
  }
  override has(key: string): boolean {
    return this.full ? super.has(key) : this.index.has(key);
  }
  override get size(): number {
    return this.full ? super.size : this.codes.length;
  }
  override set(key: string, value: Term): this {
    this.all();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.all();
    return super.delete(key);
  }
  override clear(): void {
    this.all();
    super.clear();
  }
  override keys(): MapIterator<string> {
    this.all();
    return super.keys();
  }
  override values(): MapIterator<Term> {
    this.all();
    return super.values();
  }
  override entries(): MapIterator<[string, Term]> {
    this.all();
    return super.entries();
  }
  override forEach(fn: (value: Term, key: string, map: Map<string, Term>) => void, thisArg?: unknown): void {
    this.all();
    super.forEach(fn, thisArg);
  }
  override [Symbol.iterator](): MapIterator<[string, Term]> {
    this.all();
    return super[Symbol.iterator]();
  }
}
