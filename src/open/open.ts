/**
 * Which vocabularies a run sees: the shipped ones (unless turned off), then every directory
 * given (`--vocab-dir`, repeatable), then every directory of XWALK_PATH (colon-separated).
 */

import { existsSync, statSync } from 'node:fs';
import { XwalkError } from '../errors/errors.js';
import { loadRegistry, type Registry } from '../load/registry.js';
import { DirSource, type FileSource } from '../read/source.js';
import { shippedRegistry } from '../shipped/index.js';
import { mergeRegistries } from '../load/compiled.js';
import { LoadCache } from '../cache/cache.js';

export interface OpenOptions {
  /** Include the vocabularies shipped with xwalk (default true). */
  shipped?: boolean;
  /** Directories (or single YAML files) of vocabularies and crosswalks. */
  dirs?: readonly string[];
  /** A colon-separated list of directories, as in the XWALK_PATH environment variable. */
  xwalkPath?: string;
  /** In-memory sources, e.g. `new MemorySource('mine', new Map([[path, text]]))`. */
  sources?: readonly FileSource[];
  /**
   * Cache large files' compiled form in this directory (see `cacheDirFor(process.env)`); off when
   * absent. Keyed by the files' SHA-256, so an edit is never missed.
   */
  cacheDir?: string;
}

/** The directory sources a run reads (the shipped vocabularies come compiled, not from here). */
export function openSources(opts: OpenOptions = {}): FileSource[] {
  const sources: FileSource[] = [];
  const dirs = [...(opts.dirs ?? []), ...(opts.xwalkPath ?? '').split(':').filter((d) => d.trim() !== '')];
  const seen = new Set<string>();
  for (const d of dirs) {
    if (seen.has(d)) continue;
    seen.add(d);
    if (!existsSync(d)) throw new XwalkError(`the vocabulary directory "${d}" does not exist`, { hint: 'check --vocab-dir and XWALK_PATH' });
    if (!statSync(d).isDirectory() && !/\.ya?ml$/i.test(d)) throw new XwalkError(`"${d}" is neither a directory nor a YAML file`, { hint: 'pass a directory of vocabularies and crosswalks' });
    sources.push(new DirSource(d));
  }
  sources.push(...(opts.sources ?? []));
  return sources;
}

export function openRegistry(opts: OpenOptions = {}): Registry {
  const sources = openSources(opts);
  const own = loadRegistry(sources, opts.cacheDir !== undefined ? { cache: new LoadCache(opts.cacheDir) } : {});
  return opts.shipped === false ? own : sources.length ? mergeRegistries(shippedRegistry(), own) : shippedRegistry();
}
