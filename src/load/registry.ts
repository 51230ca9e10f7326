/**
 * The load stage's entry: file sources → a Registry of vocabularies and crosswalks, plus every
 * diagnostic found while reading. A file with errors contributes nothing; an id defined twice is
 * an error naming both files, and the first definition (in source order) is kept.
 */

import type { Crosswalk, Vocabulary } from '../model/types.js';
import { readCrosswalk } from './crosswalk.js';
import { error, warning, type Diagnostic } from '../errors/errors.js';
import { asMap } from '../read/fields.js';
import { DirSource, OutsideFolderError, type FileSource } from '../read/source.js';
import { readVocabulary } from './vocabulary.js';
import { readYaml } from '../read/yaml.js';
import { sha256, type LoadCache, type Loaded } from '../cache/cache.js';

export interface Registry {
  vocabularies: ReadonlyMap<string, Vocabulary>;
  /** SHA-256 (hex) of every file read, by the path used in messages: a run can be reproduced. */
  hashes: ReadonlyMap<string, string>;
  crosswalks: ReadonlyMap<string, Crosswalk>;
  /** Problems found while loading; errors here mean some file was not loaded. */
  diagnostics: Diagnostic[];
  /** The sources, in precedence order, for messages. */
  sources: string[];
  /** Shipped vocabularies and crosswalks replaced by a user's file with the same id (issue 20). */
  overrides?: Override[];
}

/** A user's file that replaced a shipped one with the same id. */
export interface Override {
  kind: 'vocabulary' | 'crosswalk';
  id: string;
  /** The user's file, which is used. */
  file: string;
  /** The shipped file it replaced. */
  replaced: string;
}

export interface LoadOptions {
  /** Cache large files' compiled form here (see cache/cache.ts); only files of directory sources. */
  cache?: LoadCache;
}

export function loadRegistry(sources: FileSource[], opts: LoadOptions = {}): Registry {
  const vocabularies = new Map<string, Vocabulary>();
  const crosswalks = new Map<string, Crosswalk>();
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  for (const plain of sources) {
    const source = hashing(plain, hashes);
    let paths: string[];
    try {
      paths = source.listYaml();
    } catch (e) {
      diagnostics.push(error('unreadable', { file: source.name, line: 0, col: 0 }, `cannot list the directory: ${(e as Error).message}`));
      continue;
    }
    if (plain instanceof DirSource) for (const s of plain.skipped) diagnostics.push(error('unreadable', { file: s.path, line: 0, col: 0 }, `skipped: ${s.reason}`));
    const cache = plain instanceof DirSource ? opts.cache : undefined;
    for (const path of paths) loadFile(source, path, vocabularies, crosswalks, diagnostics, cache && { cache, hashes });
  }
  // Damaged cache entries were ignored and rebuilt: one warning for the run, whatever their number.
  const damaged = opts.cache?.damaged ?? [];
  if (damaged.length) {
    const d = damaged[0]!;
    diagnostics.push(
      warning(
        'cache-rebuilt',
        { file: opts.cache!.dir, line: 0, col: 0 },
        `ignored ${damaged.length === 1 ? 'a damaged cache entry' : `${damaged.length} damaged cache entries`} (${d.path}: ${d.why}${damaged.length > 1 ? ', ...' : ''}); the files were read instead and the entries rebuilt`,
        'nothing to do; if it happens again, remove the cache directory or set XWALK_CACHE=off',
      ),
    );
  }
  return { vocabularies, crosswalks, hashes, diagnostics, sources: sources.map((s) => s.name) };
}

/** The same source, recording the hash of every file it hands out. */
function hashing(source: FileSource, hashes: Map<string, string>): FileSource {
  return {
    name: source.name,
    resolve: (from, rel) => source.resolve(from, rel),
    listYaml: () => source.listYaml(),
    read(path) {
      const text = source.read(path);
      if (text !== undefined) hashes.set(path, sha256(text));
      return text;
    },
  };
}

export function loadFile(source: FileSource, path: string, vocabularies: Map<string, Vocabulary>, crosswalks: Map<string, Crosswalk>, diagnostics: Diagnostic[], caching?: { cache: LoadCache; hashes: Map<string, string> }): void {
  let text: string | undefined;
  try {
    text = source.read(path);
  } catch (e) {
    diagnostics.push(error('unreadable', { file: path, line: 0, col: 0 }, `cannot read the file: ${(e as Error).message}`));
    return;
  }
  if (text === undefined) {
    diagnostics.push(error('missing-file', { file: path, line: 0, col: 0 }, 'the file does not exist'));
    return;
  }
  if (text.includes('\u0000')) {
    diagnostics.push(error('binary-file', { file: path, line: 0, col: 0 }, 'the file holds binary data, not YAML text'));
    return;
  }
  const cached = caching?.cache.get(path, text, source, caching.hashes);
  const loaded = cached ?? parseFile(text, path, source, diagnostics, caching?.cache);
  if (!loaded) return;
  if (loaded.kind === 'crosswalk') {
    const cw = loaded.value;
    const prev = crosswalks.get(cw.id);
    if (prev) diagnostics.push(error('duplicate-id', cw.loc, `the crosswalk id "${cw.id}" is defined twice: in ${prev.files[0]} and in ${path}`, 'rename one of them, or remove the copy from one of the directories'));
    else crosswalks.set(cw.id, cw);
  } else {
    const v = loaded.value;
    const prev = vocabularies.get(v.id);
    if (prev) diagnostics.push(error('duplicate-id', v.loc, `the vocabulary id "${v.id}" is defined twice: in ${prev.files[0]} and in ${path}`, 'rename one of them, or remove the copy from one of the directories'));
    else vocabularies.set(v.id, v);
  }
}

/** Parses one YAML file (and the lists it names); a clean result of some size goes to the cache. */
function parseFile(text: string, path: string, source: FileSource, diagnostics: Diagnostic[], cache?: LoadCache): Loaded | undefined {
  const deps = new Map<string, string>([[path, text]]);
  const recording: FileSource = cache
    ? {
        name: source.name,
        resolve: (from, rel) => source.resolve(from, rel),
        listYaml: () => source.listYaml(),
        read(p) {
          const t = source.read(p);
          if (t !== undefined) deps.set(p, t);
          return t;
        },
      }
    : source;
  const mine: Diagnostic[] = [];
  let loaded: Loaded | undefined;
  try {
    loaded = parseYamlFile(text, path, recording, mine);
  } catch (e) {
    if (e instanceof RangeError) {
      // A reader that recursed or spread a list too long for the stack: a clear refusal of this
      // file, never a crash of the run (issue 15, class 8).
      mine.push(error('file-too-large', { file: path, line: 0, col: 0 }, `this file (or a list it names) is too large for xwalk to load: ${e.message}`, 'split it into several files, and report it: xwalk is meant to load lists of 1,000,000 rows'));
      loaded = undefined;
      for (const d of mine) diagnostics.push(excerpted(d));
      return undefined;
    }
    if (!(e instanceof OutsideFolderError)) throw e;
    mine.push(
      error(
        'file-outside',
        { file: path, ...lineOf(text, e.rel) },
        `file: "${e.rel}" is outside the folder of this file; xwalk reads term and mapping lists only from the folder of the YAML file that names them, or below`,
        'move the list beside the YAML file (or into a folder below it) and name it by a relative path',
      ),
    );
    loaded = undefined;
  }
  for (const d of mine) diagnostics.push(excerpted(d));
  if (loaded && cache && !mine.length) cache.put(path, text, deps, loaded);
  return loaded;
}

/** Quoted text of a file in a message longer than this is cut (issue 15: a file that fails to parse is never echoed). */
const EXCERPT_CHARS = 40;
const MESSAGE_CHARS = 300;

/**
 * A loader's diagnostic as it may be shown: control, bidirectional and other invisible characters
 * escaped (\u001b ...), each quoted piece of the file cut to a short excerpt, the whole message
 * bounded. A file's bytes never reach the terminal beyond that, whatever the file holds.
 */
export function excerpted(d: Diagnostic): Diagnostic {
  // eslint-disable-next-line no-control-regex
  const escape = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
  const message = cut(
    escape(d.message).replace(/"([^"]{41,})"/g, (_, q: string) => `"${cut(q, EXCERPT_CHARS)}"`),
    MESSAGE_CHARS,
  );
  const hint =
    d.hint === undefined
      ? undefined
      : cut(
          escape(d.hint).replace(/"([^"]{41,})"/g, (_, q: string) => `"${cut(q, EXCERPT_CHARS)}"`),
          MESSAGE_CHARS,
        );
  return message === d.message && hint === d.hint ? d : { ...d, message, ...(hint !== undefined ? { hint } : {}) };
}

/** Where `file: <name>` is written in a YAML text (line 0 when it cannot be found). */
function lineOf(text: string, name: string): { line: number; col: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s*file\s*:/.test(l) && l.includes(name));
  return i < 0 ? { line: 0, col: 0 } : { line: i + 1, col: lines[i]!.indexOf('file') + 1 };
}

function parseYamlFile(text: string, path: string, source: FileSource, diagnostics: Diagnostic[]): Loaded | undefined {
  const { root, diagnostics: yd } = readYaml(text, path);
  for (const d of yd) diagnostics.push(d);
  if (!root) return undefined;
  const map = asMap(root);
  if (!map) {
    diagnostics.push(error('wrong-type', root.loc, 'the file must hold a YAML mapping: a vocabulary (id, name, kind, version, domains) or a crosswalk (id, from, to, domain, mappings)'));
    return undefined;
  }
  if (map.entries.has('from') || map.entries.has('to') || map.entries.has('mappings')) {
    const cw = readCrosswalk(map, path, source, diagnostics);
    return cw ? { kind: 'crosswalk', value: cw } : undefined;
  }
  const v = readVocabulary(map, path, source, diagnostics);
  return v ? { kind: 'vocabulary', value: v } : undefined;
}
