/**
 * A cache of large user vocabularies and crosswalks in a compiled form, so that a 100,000-term
 * table costs its parse once, not at every run.
 *
 * - **Keyed by content**: an entry is named after the YAML file's path, the SHA-256 of its text and
 *   the xwalk version, and lists every file it was read from (the CSV term and mapping lists) with
 *   their SHA-256. A run re-reads and re-hashes every one of those files, always (size and mtime
 *   are never trusted: an edit within the same second, `cp -p`, `rsync -t`, `git checkout` or a
 *   restored backup keeps them; issue 15), and uses the entry only when all of them match: any
 *   edit is a miss, and the file is parsed (and the entry rewritten). Hashing costs a fraction of
 *   parsing.
 * - **Verified**: an entry's first line is the SHA-256 of the rest. An entry that fails it
 *   (truncated, damaged, edited), that cannot be read back, or that names another format, version
 *   or file is ignored and rebuilt, and the run warns once (`cache-rebuilt`); it never answers.
 * - **Lazy**: the terms of a domain are stored one per line behind a table of codes and offsets;
 *   a run reads the table, and parses a term only when it is asked for (translating one code reads
 *   one term). Iterating the terms (validate, lookup, list) parses them all. A crosswalk's mappings
 *   are parsed as a whole, the first time they are read.
 * - **Safe**: an entry is written to a temporary file in the cache directory and renamed into
 *   place, so a reader sees a whole entry or none, and two processes writing the same entry at
 *   once both succeed (they write the same bytes). The cache is an optimization only: any
 *   failure to read or write it costs a parse, never a wrong answer or a crash.
 * - **Only what is worth it**: files with diagnostics are never cached (they are re-read, and
 *   re-reported, until fixed), nor files whose text and lists total under CACHE_MIN_BYTES.
 *
 * Where: `XWALK_CACHE_DIR`, else `$XDG_CACHE_HOME/xwalk`, else `~/.cache/xwalk`;
 * `XWALK_CACHE=off` turns it off.
 */

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Crosswalk, DomainTable, Mapping, SourceLoc, Term, Vocabulary } from '../model/types.js';
import type { FileSource } from '../read/source.js';
import { LAZY_MAPPINGS, type LazyMappings } from './lazy.js';
import pkg from '../../package.json' with { type: 'json' };

/** Bump when the stored shape changes: entries of another format are misses. */
export const CACHE_FORMAT = 2;
/** Entries are per xwalk version: another version may read the same files differently. */
const VERSION: string = pkg.version;
/** Files smaller than this (YAML text plus the lists it reads) parse fast enough uncached. */
export const CACHE_MIN_BYTES = 256 * 1024;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The cache directory for an environment, or undefined when caching is off or has no home. */
export function cacheDirFor(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const off = env.XWALK_CACHE?.trim().toLowerCase();
  if (off === 'off' || off === '0' || off === 'false' || off === 'no') return undefined;
  if (env.XWALK_CACHE_DIR?.trim()) return env.XWALK_CACHE_DIR;
  if (env.XDG_CACHE_HOME?.trim()) return join(env.XDG_CACHE_HOME, 'xwalk');
  if (env.HOME?.trim()) return join(env.HOME, '.cache', 'xwalk');
  return undefined;
}

/** What loading one YAML file produced, as the loader hands it over. */
export type Loaded = { kind: 'vocabulary'; value: Vocabulary } | { kind: 'crosswalk'; value: Crosswalk };

interface DomainHeader {
  domain: string;
  normalize: DomainTable['normalize'];
  loc: SourceLoc;
  /** The file most terms came from (a term from another one carries its own). */
  file: string;
  keys: string[];
  /** Where each term's line starts in the body, and where the last one ends. */
  offsets: number[];
}

interface MappingsHeader {
  file: string;
  /** Each mapping's `from` and `to` as written (null for no-match), in file order. */
  froms: string[];
  tos: (string | null)[];
  offsets: number[];
}

interface Header {
  format: number;
  path: string;
  version: string;
  /** Every file read: path and SHA-256. */
  deps: [string, string][];
  kind: Loaded['kind'];
  meta: Record<string, unknown>;
  domains?: DomainHeader[];
  mappings?: MappingsHeader;
}

export class LoadCache {
  /** Entries used and written in this run (for tests and --verbose). */
  readonly stats = { hits: 0, misses: 0, writes: 0, errors: 0 };
  /** Entries found damaged in this run (ignored, and rewritten when their file is clean). */
  readonly damaged: { path: string; entry: string; why: string }[] = [];

  constructor(
    readonly dir: string,
    private readonly minBytes = CACHE_MIN_BYTES,
  ) {}

  private entryPath(path: string, yamlText: string): string {
    return join(this.dir, `${sha256(`${CACHE_FORMAT}\u0000${VERSION}\u0000${resolve(path)}\u0000${path}\u0000${sha256(yamlText)}`).slice(0, 40)}.xwc`);
  }

  /**
   * The cached result for `path` when the entry is whole and every file it was read from has the
   * same SHA-256 now (each re-read through `source`). The files' hashes go to `hashes` as if they
   * had been read. A damaged entry is recorded in `damaged` and is a miss.
   */
  get(path: string, yamlText: string, source: FileSource, hashes: Map<string, string>): Loaded | undefined {
    const entry = this.entryPath(path, yamlText);
    let text: string;
    try {
      text = readFileSync(entry, 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    let header: Header;
    let start: number;
    try {
      // Line 1: SHA-256 of the rest; line 2: the header; then the body.
      const sumEnd = text.indexOf('\n');
      if (sumEnd !== 64 || text.slice(0, 64) !== sha256(text.slice(65))) throw new Error('its checksum does not match (truncated or changed)');
      const nl = text.indexOf('\n', 65);
      if (nl < 0) throw new Error('it has no header');
      header = JSON.parse(text.slice(65, nl)) as Header;
      start = nl + 1;
      if (header.format !== CACHE_FORMAT || header.version !== VERSION || header.path !== path || !Array.isArray(header.deps)) throw new Error('it was written for another file or version');
    } catch (e) {
      return this.bad(path, entry, (e as Error).message);
    }
    for (const [dep, hash] of header.deps) {
      const t = dep === path ? yamlText : source.read(dep);
      if (t === undefined || sha256(t) !== hash) {
        this.stats.misses++;
        return undefined;
      }
    }
    let loaded: Loaded;
    try {
      loaded = revive(header, text, start);
    } catch (e) {
      return this.bad(path, entry, (e as Error).message);
    }
    for (const [dep, hash] of header.deps) hashes.set(dep, hash);
    this.stats.hits++;
    return loaded;
  }

  private bad(path: string, entry: string, why: string): undefined {
    this.stats.errors++;
    this.damaged.push({ path, entry, why });
    return undefined;
  }

  /** Stores a clean result; `deps` are the files it was read from, with their text. */
  put(path: string, yamlText: string, deps: ReadonlyMap<string, string>, loaded: Loaded): void {
    let bytes = 0;
    for (const t of deps.values()) bytes += t.length;
    if (bytes < this.minBytes) return;
    const target = this.entryPath(path, yamlText);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const { header, body } = serialize(
        path,
        [...deps].map(([p, t]) => [p, sha256(t)]),
        loaded,
      );
      const rest = `${JSON.stringify(header)}\n${body}`;
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, `${sha256(rest)}\n${rest}`);
      renameSync(temp, target);
      this.stats.writes++;
    } catch {
      this.stats.errors++;
      try {
        rmSync(temp, { force: true });
      } catch {
        // nothing to clean up
      }
    }
  }
}

function mostCommon(files: Iterable<string>, fallback: string): string {
  const count = new Map<string, number>();
  for (const f of files) count.set(f, (count.get(f) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
}

function serialize(path: string, deps: Header['deps'], loaded: Loaded): { header: Header; body: string } {
  if (loaded.kind === 'crosswalk') {
    const { mappings, ...meta } = loaded.value;
    const file = mostCommon(
      mappings.map((m) => m.loc.file),
      path,
    );
    const parts: string[] = [];
    const h: MappingsHeader = { file, froms: [], tos: [], offsets: [] };
    let at = 0;
    for (const m of mappings) {
      const { loc, ...rest } = m;
      const line = JSON.stringify({ ...rest, loc: loc.file === file ? [loc.line, loc.col] : [loc.line, loc.col, loc.file] }) + '\n';
      h.froms.push(m.from);
      h.tos.push(m.to ?? null);
      h.offsets.push(at);
      parts.push(line);
      at += line.length;
    }
    h.offsets.push(at);
    return { header: { format: CACHE_FORMAT, version: VERSION, path, deps, kind: 'crosswalk', meta, mappings: h }, body: parts.join('') };
  }
  const { domains, ...meta } = loaded.value;
  const parts: string[] = [];
  let at = 0;
  const headers: DomainHeader[] = [];
  for (const table of domains.values()) {
    const file = mostCommon(
      [...table.terms.values()].map((t) => t.loc.file),
      table.loc.file,
    );
    const keys: string[] = [];
    const offsets: number[] = [];
    for (const [key, t] of table.terms) {
      const { props, loc, ...rest } = t;
      const line = JSON.stringify({ ...rest, props: [...props], loc: loc.file === file ? [loc.line, loc.col] : [loc.line, loc.col, loc.file] }) + '\n';
      keys.push(key);
      offsets.push(at);
      parts.push(line);
      at += line.length;
    }
    offsets.push(at);
    headers.push({ domain: table.domain, normalize: table.normalize, loc: table.loc, file, keys, offsets });
  }
  return { header: { format: CACHE_FORMAT, version: VERSION, path, deps, kind: 'vocabulary', meta, domains: headers }, body: parts.join('') };
}

function revive(header: Header, text: string, start: number): Loaded {
  if (header.kind === 'crosswalk') {
    const h = header.mappings!;
    const cw = { ...header.meta } as unknown as Crosswalk;
    const parsed = new Map<number, Mapping>();
    type Raw = Omit<Mapping, 'loc'> & { loc: [number, number, string?] };
    const revive = (raw: Raw): Mapping => ({ ...raw, loc: { file: raw.loc[2] ?? h.file, line: raw.loc[0], col: raw.loc[1] } });
    let mappings: Mapping[] | undefined;
    const at = (i: number): Mapping => {
      if (mappings) return mappings[i]!;
      let m = parsed.get(i);
      if (!m) parsed.set(i, (m = revive(JSON.parse(text.slice(start + h.offsets[i]!, start + h.offsets[i + 1]!)) as Raw)));
      return m;
    };
    // All of them: one parse of the whole list, keeping the objects already handed out.
    const every = (): Mapping[] => (parseLines(text, start + h.offsets[0]!, start + h.offsets[h.froms.length]!) as Raw[]).map((raw, i) => parsed.get(i) ?? revive(raw));
    Object.defineProperty(cw, 'mappings', { enumerable: true, get: () => (mappings ??= every()) });
    Object.defineProperty(cw, LAZY_MAPPINGS, { enumerable: false, value: { froms: h.froms, tos: h.tos, at } satisfies LazyMappings });
    return { kind: 'crosswalk', value: cw };
  }
  const domains = new Map<string, DomainTable>();
  for (const d of header.domains ?? []) {
    type Raw = Omit<Term, 'props' | 'loc'> & { props: [string, string][]; loc: [number, number, string?] };
    const revive = (raw: Raw): Term => ({ ...raw, props: new Map(raw.props), loc: { file: raw.loc[2] ?? d.file, line: raw.loc[0], col: raw.loc[1] } });
    const one = (i: number): Term => revive(JSON.parse(text.slice(start + d.offsets[i]!, start + d.offsets[i + 1]!)) as Raw);
    const every = (): Term[] => (parseLines(text, start + d.offsets[0]!, start + d.offsets[d.keys.length]!) as Raw[]).map(revive);
    domains.set(d.domain, { domain: d.domain, normalize: d.normalize, loc: d.loc, terms: new LazyTerms(d.keys, one, every) });
  }
  return { kind: 'vocabulary', value: { ...(header.meta as unknown as Omit<Vocabulary, 'domains'>), domains } };
}

/** Lines of JSON values (one per line, as written here) from `from` to `to`, in one parse. */
function parseLines(text: string, from: number, to: number): unknown[] {
  if (to <= from) return [];
  return JSON.parse(`[${text.slice(from, to - 1).replaceAll('\n', ',')}]`) as unknown[];
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
