/**
 * The temporary files of ./atomic.ts not yet renamed or removed, for the interrupt handlers of
 * the command (src/cli/bin.ts). Apart from atomic.ts so that every start does not load the writer
 * to have them (issue 18: start-up): a command that writes no file never loads it.
 */

import { unlinkSync } from 'node:fs';

export const pending = new Set<string>();

/** Remove every pending temporary file (for SIGINT/SIGTERM handlers); never throws. */
export function removePendingTemporaryFiles(): void {
  for (const p of pending) {
    try {
      unlinkSync(p);
    } catch {
      /* already gone */
    }
  }
  pending.clear();
}
