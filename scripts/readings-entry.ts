/**
 * Bundled in memory by scripts/build-cli.mjs: `xwalk lookup`'s reading of every shipped text (a
 * label, an alias, a code's words: their words and forms), for dist/shipped/readings.json, and its
 * default index over the shipped vocabularies, for dist/shipped/lookup.json. The built command
 * takes them from there instead of reading every term and text at every start.
 */

import { shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { LookupIndex, type LookupIndexJson } from '../src/lookup/search.js';
import { lookupIndex } from '../src/lookup/lookup.js';

export function readings(): ReturnType<LookupIndex['readings']> {
  const registry = shippedRegistry();
  // Every vocabulary, every domain, with the crosswalks' equivalents: every text an index reads.
  return new LookupIndex(registry.vocabularies.values(), undefined, new RegistryIndex(registry)).readings();
}

/** The index of `xwalk lookup` with no --in and no --domain, over the shipped vocabularies. */
export function lookupJson(): LookupIndexJson {
  return lookupIndex(new RegistryIndex(shippedRegistry())).toJson();
}
