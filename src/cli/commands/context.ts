/** Options every command shares, and turning them into a loaded, checked registry. */

import { XwalkError } from '../../load/errors.js';
import { openRegistry } from '../../load/open.js';
import type { Registry } from '../../load/registry.js';
import type { Io } from '../io.js';

export interface GlobalOptions {
  vocabDir?: string[];
  shipped?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** The registry a command works on; load errors stop the run (validate reports them instead). */
export function registryFor(io: Io, g: GlobalOptions, opts: { tolerateErrors?: boolean; extraDirs?: string[] } = {}): Registry {
  const registry = openRegistry({
    shipped: g.shipped !== false,
    dirs: [...(g.vocabDir ?? []), ...(opts.extraDirs ?? [])],
    xwalkPath: io.env.XWALK_PATH,
  });
  const errors = registry.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length && !opts.tolerateErrors) {
    throw new XwalkError(`${errors.length} problem${errors.length === 1 ? '' : 's'} in the vocabulary files`, { diagnostics: errors, hint: "fix them (xwalk validate lists everything), or leave the broken directory out of --vocab-dir / XWALK_PATH" });
  }
  return registry;
}
