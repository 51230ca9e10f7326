/**
 * Bundled in memory by scripts/build-cli.mjs: `xwalk lookup`'s reading of every shipped text (a
 * label, an alias, a code's words: their words and forms), for dist/shipped/readings.json. The
 * built command's index takes them from there instead of reading each text at every start.
 */

import { shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { LookupIndex } from '../src/lookup/search.js';

export function readings(): ReturnType<LookupIndex['readings']> {
  const registry = shippedRegistry();
  // Every vocabulary, every domain, with the crosswalks' equivalents: every text an index reads.
  return new LookupIndex(registry.vocabularies.values(), undefined, new RegistryIndex(registry)).readings();
}
