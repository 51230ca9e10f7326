/**
 * The vocabularies shipped with xwalk, compiled at build time (scripts/embed-vocabularies.ts):
 * JSON, rehydrated once per process. Where the JSON comes from is ./compiled.ts: the code itself
 * here and in the single executable; files beside the built CLI (dist/shipped/), read as they are
 * needed, in the npm package (issue 18: start-up).
 */

import { loadCompiled } from '../load/compiled.js';
import type { Registry } from '../load/registry.js';
import { shippedCompiled, shippedReadings } from './compiled.js';
import { readingFromJson, type ShippedReading } from './reading.js';

export { readingFromJson, readingJson, readingsText, type ReadingJson, type ReadingsTable, type ShippedReading } from './reading.js';

let cached: Registry | undefined;

export function shippedRegistry(): Registry {
  cached ??= loadCompiled(shippedCompiled());
  return cached;
}

/** The paths of the shipped files (as vocabularies/NAME), for `validate` of the checkout itself. */
export function shippedFiles(): string[] {
  return [...shippedRegistry().hashes.keys()];
}

/** The readings made so far (each on first use: an index from its JSON reads only the texts a query touches). */
const made = new Map<string, ShippedReading>();

/**
 * The reading of a shipped text (`lookup`'s index: its words and forms), made when xwalk was built,
 * or undefined: the built command has them (dist/shipped/readings.json); the library and the tests
 * read every text themselves, as they do any other.
 */
export function shippedReading(key: string): ShippedReading | undefined {
  let r = made.get(key);
  if (!r) {
    const json = shippedReadings()?.get(key);
    if (!json) return undefined;
    made.set(key, (r = readingFromJson(json)));
  }
  return r;
}

/**
 * lookup's index over the shipped vocabularies (with no --in; with no --domain, or one) as JSON,
 * made when xwalk was built, or undefined: the built command has them (dist/shipped/lookup.json,
 * lookup-DOMAIN.json); the library and the tests build theirs (src/lookup/lookup.ts).
 */
export { shippedLookupJson } from './compiled.js';
