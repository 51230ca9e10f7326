/**
 * The shipped vocabularies as compiled JSON, from the code (embedded.generated.ts): the library's,
 * the tests' and the single executable built `--start=code-cache` or `--start=snapshot`. The built
 * CLI (scripts/build-cli.mjs), and the single executable built from its packs, have ./files.ts in
 * its place, which reads the same JSON from dist/shipped/ a part at a time, with what lookup takes
 * from the build.
 */

import type { CompiledRegistry } from '../load/compiled.js';
import type { ReadingsTable } from './reading.js';
import { SHIPPED_COMPILED } from './embedded.generated.js';

export function shippedCompiled(): CompiledRegistry {
  return JSON.parse(SHIPPED_COMPILED) as CompiledRegistry;
}

/** The readings of the shipped texts for lookup's index: the built CLI's (./files.ts), none here. */
export function shippedReadings(): ReadingsTable | undefined {
  return undefined;
}

/** The default lookup index over the shipped vocabularies, as JSON: the built CLI's (./files.ts), none here. */
export function shippedLookupJson(_domain?: string): unknown {
  return undefined;
}
