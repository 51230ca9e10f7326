/**
 * The per-line access a crosswalk read from the load cache offers (see cache/cache.ts), in a module
 * of its own: RegistryIndex checks for it on every run, and this costs no import of the cache's
 * file and hashing code.
 */

import type { Crosswalk, Mapping } from '../model/types.js';

export interface LazyMappings {
  /** Each mapping's `from` and `to` as written (null for no-match), in file order. */
  froms: readonly string[];
  tos: readonly (string | null)[];
  /** The i-th mapping, parsed on first use. */
  at(i: number): Mapping;
}

export const LAZY_MAPPINGS: unique symbol = Symbol('xwalk.lazyMappings');

export function lazyMappings(cw: Crosswalk): LazyMappings | undefined {
  return (cw as Crosswalk & { [LAZY_MAPPINGS]?: LazyMappings })[LAZY_MAPPINGS];
}
