/** The vocabularies shipped with xwalk, compiled into the code (see scripts/embed-vocabularies.ts). */

import { MemorySource } from '../load/source.js';
import { SHIPPED_FILES } from './embedded.generated.js';

export function shippedSource(): MemorySource {
  return new MemorySource('shipped', new Map(SHIPPED_FILES));
}
