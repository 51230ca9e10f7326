/**
 * The shipped vocabularies as compiled JSON, from the code (embedded.generated.ts). The built CLI
 * (scripts/build-cli.mjs) replaces this module with ./files.ts, which reads the same JSON from
 * dist/shipped/, a part at a time; the single executable keeps this one (it has no files beside it).
 */

import type { CompiledRegistry } from '../load/compiled.js';
import { SHIPPED_COMPILED } from './embedded.generated.js';

export function shippedCompiled(): CompiledRegistry {
  return JSON.parse(SHIPPED_COMPILED) as CompiledRegistry;
}

/** A text's reading by xwalk lookup's index (src/lookup/search.ts, readText), as the built command holds it. */
export interface ShippedReading {
  readonly words: readonly string[];
  readonly unique: readonly string[];
  readonly surface: ReadonlySet<string>;
  readonly compact: string;
  readonly initials: string;
}

/**
 * The same in dist/shipped/readings.json: `unique` and `surface` left out when they are the
 * words (they are for most texts: the file is a third smaller, and so is its parse).
 */
export interface ReadingJson {
  words: string[];
  unique?: string[];
  surface?: string[];
  compact: string;
  initials: string;
}

/** A reading as readings.json holds it. */
export function readingJson(r: ShippedReading): ReadingJson {
  const same = (xs: Iterable<string>) => {
    const a = [...xs];
    return a.length === r.words.length && a.every((x, i) => x === r.words[i]);
  };
  return { words: [...r.words], ...(same(r.unique) ? {} : { unique: [...r.unique] }), ...(same(r.surface) ? {} : { surface: [...r.surface] }), compact: r.compact, initials: r.initials };
}

/** A reading from readings.json. */
export function readingFromJson(j: ReadingJson): ShippedReading {
  return { words: j.words, unique: j.unique ?? j.words, surface: new Set(j.surface ?? j.words), compact: j.compact, initials: j.initials };
}

/** The readings of the shipped texts for lookup's index: the built CLI's (./files.ts), none here. */
export function shippedReadings(): Map<string, ShippedReading> | undefined {
  return undefined;
}
