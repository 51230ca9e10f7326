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
 * - **Lazy**: the terms of a domain (a crosswalk's mappings) are stored one per line behind a
 *   table of codes and offsets (./lines.ts, the layout the shipped vocabularies use too); a run
 *   reads the table, and parses a term only when it is asked for (translating one code reads one
 *   term and the mappings it starts). Iterating the terms (validate, lookup, list) or reading a
 *   crosswalk's `mappings` parses them all.
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
import type { Crosswalk, DomainTable, Vocabulary } from '../model/types.js';
import type { FileSource } from '../read/source.js';
import { mappingLines, mappingsFromLines, termLines, termTable, withMappingLines, type Lines, type MappingsHeader, type TermsHeader } from './lines.js';
import pkg from '../../package.json' with { type: 'json' };

/** Bump when the stored shape changes: entries of another format are misses. */
export const CACHE_FORMAT = 3;
/** Entries are per xwalk version: another version may read the same files differently. */
const VERSION: string = pkg.version;
/**
 * Files smaller than this (YAML text plus the lists it reads) parse fast enough uncached. A real
 * agency table of 166 KB (fixtures/real) took 3.0x `node -e 0` to translate one code uncached,
 * 1.7x cached (issue 18); the cache costs a write on the first run and a file in the cache directory.
 */
export const CACHE_MIN_BYTES = 64 * 1024;

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

interface Header {
  format: number;
  path: string;
  version: string;
  /** Every file read: path and SHA-256. */
  deps: [string, string][];
  kind: Loaded['kind'];
  meta: Record<string, unknown>;
  domains?: TermsHeader[];
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

function serialize(path: string, deps: Header['deps'], loaded: Loaded): { header: Header; body: string } {
  if (loaded.kind === 'crosswalk') {
    const { mappings, ...meta } = loaded.value;
    const { header, body } = mappingLines(mappings, path);
    return { header: { format: CACHE_FORMAT, version: VERSION, path, deps, kind: 'crosswalk', meta, mappings: header }, body };
  }
  const { domains, ...meta } = loaded.value;
  let body = '';
  const headers: TermsHeader[] = [];
  for (const table of domains.values()) {
    const part = termLines(table);
    // Each domain's offsets count from the start of the whole body.
    headers.push({ ...part.header, offsets: part.header.offsets.map((o) => o + body.length) });
    body += part.body;
  }
  return { header: { format: CACHE_FORMAT, version: VERSION, path, deps, kind: 'vocabulary', meta, domains: headers }, body };
}

function revive(header: Header, text: string, start: number): Loaded {
  const lines: Lines = (from, to) => text.slice(start + from, start + to);
  if (header.kind === 'crosswalk') {
    const cw = withMappingLines({ ...header.meta } as unknown as Crosswalk, () => mappingsFromLines(header.mappings!, lines));
    return { kind: 'crosswalk', value: cw };
  }
  const domains = new Map<string, DomainTable>();
  for (const d of header.domains ?? []) domains.set(d.domain, termTable(d, lines));
  return { kind: 'vocabulary', value: { ...(header.meta as unknown as Omit<Vocabulary, 'domains'>), domains } };
}
