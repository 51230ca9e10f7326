/** `xwalk validate [PATH...]`: load → validateRegistry → diagnostics. */

import { resolve } from 'node:path';
import { shippedFiles } from '../../shipped/index.js';
import { validateRegistry } from '../../validate/index.js';
import { colorsFor, type Io } from '../io.js';
import { diagnosticJson, renderDiagnostic } from '../render/diagnostics.js';
import { registryFor, type GlobalOptions } from './context.js';

export interface ValidateFlags {
  json?: boolean;
  strict?: boolean;
}

export async function runValidate(paths: string[], flags: ValidateFlags, g: GlobalOptions, io: Io): Promise<number> {
  const roots = paths.map((p) => resolve(io.cwd, p));
  const under = (file: string) => roots.some((r) => resolve(io.cwd, file) === r || resolve(io.cwd, file).startsWith(r + '/'));
  // Validating the shipped files themselves (from a checkout): do not load them twice.
  const shipped = g.shipped !== false && !shippedFiles().some(under);
  const registry = await registryFor(io, { ...g, shipped }, { tolerateErrors: true, extraDirs: paths });
  const report = validateRegistry(registry);
  // With paths, report what lies in them; the rest of the registry is context for references.
  const inScope = (file: string) => !roots.length || under(file);
  const errors = report.errors.filter((d) => inScope(d.loc.file));
  const warnings = report.warnings.filter((d) => inScope(d.loc.file));
  const files = new Set<string>();
  for (const v of registry.vocabularies.values()) for (const f of v.files) if (inScope(f)) files.add(f);
  for (const c of registry.crosswalks.values()) for (const f of c.files) if (inScope(f)) files.add(f);
  // Files that failed to load are files too (issue 20: the summary counted only those that loaded).
  const loaded = files.size;
  for (const d of [...errors, ...warnings]) if (d.loc.file && d.loc.line >= 0 && d.rule !== 'cache-rebuilt' && /\.(ya?ml|csv|tsv)$/i.test(d.loc.file)) files.add(d.loc.file);
  const notLoaded = files.size - loaded;
  if (flags.json) {
    io.stdout.write(JSON.stringify({ xwalk: 1, ok: errors.length === 0, files: files.size, errors: errors.map(diagnosticJson), warnings: warnings.map(diagnosticJson) }, null, 2) + '\n');
  } else {
    const k = colorsFor(io, io.stderrIsTTY, g.color);
    for (const d of [...errors, ...warnings]) io.stderr.write(renderDiagnostic(d, k));
    if (!g.quiet || errors.length) {
      const vocabs = [...registry.vocabularies.values()].filter((v) => inScope(v.files[0]!)).length;
      const cws = [...registry.crosswalks.values()].filter((c) => inScope(c.files[0]!)).length;
      const lists = loaded - vocabs - cws;
      const parts = [`${vocabs} vocabular${vocabs === 1 ? 'y' : 'ies'}`, `${cws} crosswalk${cws === 1 ? '' : 's'}`, lists ? `${lists} term or mapping list${lists === 1 ? '' : 's'}` : '', notLoaded ? `${notLoaded} not loaded` : ''].filter(Boolean);
      const summary = `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'} (${parts.join(', ')})`;
      io.stdout.write((errors.length ? k.red(summary) : k.green(summary)) + '\n');
    }
  }
  return errors.length || (flags.strict && warnings.length) ? 1 : 0;
}
