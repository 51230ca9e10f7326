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
import { readingsText as text } from '../src/shipped/reading.js';

/** readings.json's text (src/shipped/reading.ts): every shipped text's reading. */
export function readingsText(): string {
  return text(readings());
}

function readings(): ReturnType<LookupIndex['readings']> {
  const registry = shippedRegistry();
  // Every vocabulary, every domain, with the crosswalks' equivalents: every text an index reads.
  return new LookupIndex(registry.vocabularies.values(), undefined, new RegistryIndex(registry)).readings();
}

/**
 * The indexes of `xwalk lookup` with no --in over the shipped vocabularies: with no --domain
 * ('' here), and with each domain the searched vocabularies have.
 */
export function lookupJsons(): [string, LookupIndexJson][] {
  const index = new RegistryIndex(shippedRegistry());
  const domains = new Set<string>();
  for (const v of index.registry.vocabularies.values()) if (v.kind !== 'code-list') for (const d of v.domains.keys()) domains.add(d);
  return [['', lookupIndex(index).toJson()], ...[...domains].sort().map((d): [string, LookupIndexJson] => [d, lookupIndex(index, { domain: d }).toJson()])];
}
