/**
 * The shipped vocabularies for the built command (issue 18: start-up): instead of half a megabyte
 * of JSON in the code, read and compiled at every start, dist/shipped/index.json holds what every
 * run needs (ids, names, versions, file hashes) and dist/shipped/parts.json each vocabulary
 * domain's terms and each crosswalk's mappings, one per line behind a header of codes and offsets
 * (../cache/lines.ts). A part is read from the disk, by offset, the first time its domain or
 * crosswalk is used, and a term or mapping is parsed when it is asked for: `xwalk translate 13A
 * --from nibrs --to srs` parses 13A, the five mappings that start from it and their five targets,
 * not the three tables and the crosswalk. scripts/build-cli.mjs writes both files from
 * embedded.generated.ts and swaps this module in for ./compiled.ts.
 */

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { CompiledCrosswalk, CompiledRegistry, CompiledVocabulary } from '../load/compiled.js';
import { mappingsFromLines, termTable, type Lines, type MappingLines, type MappingsHeader, type TermsHeader } from '../cache/lines.js';
import type { DomainTable } from '../model/types.js';
import { XwalkError } from '../errors/errors.js';
import type { ReadingJson, ReadingsTable } from './reading.js';

/** Where a part lies in parts.json: [offset, length] in bytes (the file is ASCII). */
type At = [number, number];

/** index.json: the compiled registry with each domain's and crosswalk's lines replaced by where they lie. */
export interface ShippedIndex extends Omit<CompiledRegistry, 'vocabularies' | 'crosswalks'> {
  vocabularies: (Omit<CompiledVocabulary, 'domainsJson' | 'domainParts'> & { domainsAt: [string, At][] })[];
  crosswalks: (Omit<CompiledCrosswalk, 'mappingsJson' | 'mappingLines'> & { mappingsAt: At })[];
}

/**
 * How bin/xwalk reads dist/ when the single executable set it (scripts/build-binary.ts: dist/
 * is in the executable's assets, under a folder that is not on the disk); absent, the files are
 * read from the disk.
 */
interface Host {
  text(file: string): string;
  bytes(file: string): Uint8Array;
}
const host = (globalThis as { [k: symbol]: Host | undefined })[Symbol.for('xwalk.host')];

/** A damaged or half-copied install: say which file and what to do, not "internal error". */
const damaged = (file: string, e: unknown): XwalkError => new XwalkError(`the shipped vocabularies in ${file} cannot be read (${(e as Error).message})`, { hint: 'reinstall xwalk, or run `npm run build` in its folder' });

/** A file of dist/shipped/ as text (ASCII: read as UTF-8, Node's one-call path), from the disk or the executable's assets. */
const textOf = (file: string): string => (host ? host.text(file) : readFileSync(file, 'utf8'));

/** How much of parts.json this process has read, and how many of its bytes it made text to parse (tests check that translate parses little). */
export const shippedReads = { parts: 0, bytes: 0, parsed: 0 };

/**
 * Bytes as text, one character a byte (parts.json is ASCII): Node's own latin1 slice, called on
 * the bytes as they are. Buffer's toString and indexOf are JavaScript that V8 compiles at their
 * first call in a process; with this and Uint8Array's own indexOf, reading translate's four parts
 * takes 0.5-0.7 ms where it took 0.7-1.0 (a process reading them alone, 6 runs each).
 */
const latin1: (bytes: Uint8Array, from: number, to: number) => string = (() => {
  const slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, from: number, to: number) => string }).latin1Slice;
  return slice ? (bytes, from, to) => slice.call(bytes, from, to) : (bytes, from, to) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1', from, to);
})();

/**
 * A part of parts.json: its header (the first line) and its lines. The bytes stay outside V8's
 * heap; only the lines asked for become strings.
 */
function readPart<H>(file: string, [offset, length]: At): { header: H; lines: Lines } {
  let buf: Uint8Array;
  let header: H;
  let body: number;
  try {
    if (host) {
      // The executable's asset, as it lies in memory: a view, no copy.
      const all = host.bytes(file);
      if (all.length < offset + length) throw new Error(`it ends before byte ${offset + length}`);
      buf = all.subarray(offset, offset + length);
    } else {
      buf = new Uint8Array(length);
      const fd = openSync(file, 'r');
      try {
        let done = 0;
        while (done < length) {
          const n = readSync(fd, buf, done, length - done, offset + done);
          if (n === 0) throw new Error(`it ends before byte ${offset + length}`);
          done += n;
        }
      } finally {
        closeSync(fd);
      }
    }
    body = Uint8Array.prototype.indexOf.call(buf, 10) + 1;
    header = JSON.parse(latin1(buf, 0, body)) as H;
  } catch (e) {
    throw damaged(file, e);
  }
  shippedReads.parts++;
  shippedReads.bytes += length;
  return {
    header,
    lines: (from, to) => {
      shippedReads.parsed += to - from;
      return latin1(buf, body + from, body + to);
    },
  };
}

/** The compiled registry of `dir` (dist/shipped): each domain and crosswalk read on first use. */
export function shippedCompiledFrom(dir: string): CompiledRegistry {
  // ASCII (scripts/build-cli.mjs writes it so): read as UTF-8, Node's one-call path.
  // Paths joined by hand: path.join is JavaScript V8 compiles at its first call, which a start
  // otherwise never makes.
  const indexFile = `${dir}${sep}index.json`;
  let index: ShippedIndex;
  try {
    index = JSON.parse(textOf(indexFile)) as ShippedIndex;
  } catch (e) {
    throw damaged(indexFile, e);
  }
  const file = `${dir}${sep}parts.json`;
  return {
    ...index,
    // Rest copies and an added property: V8's own copy, no second spread (issue 18: start-up).
    vocabularies: index.vocabularies.map(({ domainsAt, ...v }): CompiledVocabulary => {
      const parts = domainsAt.map(([d, at]): [string, () => DomainTable] => [
        d,
        () => {
          const { header, lines } = readPart<TermsHeader>(file, at);
          return termTable(header, lines);
        },
      ]);
      return Object.assign(v, { domainParts: parts });
    }),
    crosswalks: index.crosswalks.map(({ mappingsAt, ...c }): CompiledCrosswalk =>
      Object.assign(c, {
        mappingLines: (): MappingLines => {
          const { header, lines } = readPart<MappingsHeader>(file, mappingsAt);
          return mappingsFromLines(header, lines);
        },
      }),
    ),
  };
}

export function shippedCompiled(): CompiledRegistry {
  // In the built command this module is in dist/chunks/; the data is in dist/shipped/.
  return shippedCompiledFrom(`${dirname(__dirname)}${sep}shipped`);
}

let readings: ReadingsTable | undefined;

/**
 * lookup's readings of the shipped texts in `dir` (dist/shipped/readings.json, written by the build
 * with the index's own reading). A missing or damaged file is an xwalk error naming it, as for the
 * vocabularies.
 */
export function shippedReadingsFrom(dir: string): ReadingsTable {
  const file = `${dir}${sep}readings.json`;
  let text: string;
  let header: { keys: string[]; offsets: number[] };
  try {
    text = textOf(file);
    header = JSON.parse(text.slice(0, text.indexOf('\n'))) as { keys: string[]; offsets: number[] };
    if (!Array.isArray(header.keys) || !Array.isArray(header.offsets) || header.keys.length !== header.offsets.length) throw new Error('its header is not the keys and offsets of its lines');
  } catch (e) {
    throw damaged(file, e);
  }
  const body = text.indexOf('\n') + 1;
  const index = new Map(header.keys.map((k, i) => [k, i]));
  return {
    keys: () => header.keys,
    get(key) {
      const i = index.get(key);
      if (i === undefined) return undefined;
      const from = body + header.offsets[i]!;
      try {
        return JSON.parse(text.slice(from, text.indexOf('\n', from))) as ReadingJson;
      } catch (e) {
        throw damaged(file, e);
      }
    },
  };
}

/** lookup's readings of the shipped texts, read on the first lookup of the process. */
export function shippedReadings(): ReadingsTable {
  readings ??= shippedReadingsFrom(`${dirname(__dirname)}${sep}shipped`);
  return readings;
}

const lookupJsons = new Map<string, unknown>();

/**
 * `xwalk lookup`'s default index over the shipped vocabularies, as JSON (dist/shipped/lookup.json,
 * written by the build with the index's own code): read on the first lookup that can use it.
 */
export function shippedLookupJsonFrom(dir: string, domain?: string): unknown {
  // A domain is a name (checkScope refused any other before); never a piece of a path.
  if (domain !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(domain)) return undefined;
  const file = `${dir}${sep}${domain === undefined ? 'lookup.json' : `lookup-${domain}.json`}`;
  let text: string;
  try {
    text = textOf(file);
  } catch (e) {
    // A domain's index is written for every domain of the searched vocabularies: none for another.
    const code = (e as NodeJS.ErrnoException).code;
    if (domain !== undefined && (code === 'ENOENT' || code === 'ERR_SINGLE_EXECUTABLE_APPLICATION_ASSET_NOT_FOUND')) return undefined;
    throw damaged(file, e);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw damaged(file, e);
  }
}

/** The same with `--domain` (dist/shipped/lookup-DOMAIN.json), or undefined for a domain the build wrote none for. */
export function shippedLookupJson(domain?: string): unknown {
  const key = domain ?? '';
  if (!lookupJsons.has(key)) lookupJsons.set(key, shippedLookupJsonFrom(`${dirname(__dirname)}${sep}shipped`, domain));
  return lookupJsons.get(key);
}
