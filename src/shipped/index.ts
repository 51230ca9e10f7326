/**
 * The vocabularies shipped with xwalk, compiled into the code at build time
 * (scripts/embed-vocabularies.ts): JSON, rehydrated once per process.
 */

import { loadCompiled, type CompiledRegistry } from '../load/compiled.js';
import type { Registry } from '../load/registry.js';
import { SHIPPED_COMPILED } from './embedded.generated.js';

let cached: Registry | undefined;

export function shippedRegistry(): Registry {
  cached ??= loadCompiled(JSON.parse(SHIPPED_COMPILED) as CompiledRegistry);
  return cached;
}

/** The paths of the shipped files (as vocabularies/NAME), for `validate` of the checkout itself. */
export function shippedFiles(): string[] {
  return [...shippedRegistry().hashes.keys()];
}
