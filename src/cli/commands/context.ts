/** Options every command shares, and turning them into a loaded, checked registry. */

import { XwalkError } from '../../errors/errors.js';
import type { Registry } from '../../load/registry.js';
import { shippedRegistry } from '../../shipped/index.js';
import { colorsFor, type Io } from '../io.js';
import { renderDiagnostic } from '../render/diagnostics.js';

export interface GlobalOptions {
  vocabDir?: string[];
  shipped?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * The registry a command works on; load errors stop the run (validate reports them instead).
 * With only the shipped vocabularies (compiled in), no file is read and the YAML and CSV readers
 * are never loaded: they are imported on demand, which keeps start-up short.
 */
export async function registryFor(io: Io, g: GlobalOptions, opts: { tolerateErrors?: boolean; extraDirs?: string[] } = {}): Promise<Registry> {
  const dirs = [...(g.vocabDir ?? []), ...(opts.extraDirs ?? [])];
  const xwalkPath = io.env.XWALK_PATH;
  let registry: Registry;
  if (!dirs.length && !xwalkPath?.trim() && g.shipped !== false) registry = shippedRegistry();
  else {
    const [{ openRegistry }, { cacheDirFor }] = await Promise.all([import('../../open/open.js'), import('../../cache/cache.js')]);
    const cacheDir = cacheDirFor(io.env);
    registry = openRegistry({ shipped: g.shipped !== false, dirs, ...(xwalkPath !== undefined ? { xwalkPath } : {}), ...(cacheDir !== undefined ? { cacheDir } : {}) });
  }
  // A damaged cache entry was ignored and rebuilt: say so once (validate lists it with the rest).
  if (!opts.tolerateErrors) for (const d of registry.diagnostics) if (d.rule === 'cache-rebuilt') io.stderr.write(renderDiagnostic(d, colorsFor(io, io.stderrIsTTY, g.color)));
  // A user's file replacing a shipped one: one line each, so the choice is never silent (issue 20).
  for (const o of registry.overrides ?? []) if (!g.quiet) io.stderr.write(`xwalk: note: ${o.file} replaces the shipped ${o.kind} "${o.id}"\n`);
  const errors = registry.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length && !opts.tolerateErrors) {
    throw new XwalkError(`${errors.length} problem${errors.length === 1 ? '' : 's'} in the vocabulary files`, { diagnostics: errors, hint: 'fix them (xwalk validate lists everything), or leave the broken directory out of --vocab-dir / XWALK_PATH' });
  }
  return registry;
}
