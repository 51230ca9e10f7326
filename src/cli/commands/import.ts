/** `xwalk import FILE --format F [-o crosswalk.yaml]`: a FHIR ConceptMap, SSSOM or flat CSV → crosswalk YAML. */

import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { XwalkError } from '../../errors/errors.js';
import type { Registry } from '../../load/registry.js';
import { crosswalkYaml, importCrosswalk, type ImportFormat } from '../../interchange/import.js';
import { checkTarget, writeFileAtomic } from '../../output/atomic.js';
import { validateRegistry } from '../../validate/index.js';
import { colorsFor, type Io } from '../io.js';
import { renderDiagnostic } from '../render/diagnostics.js';
import { registryFor, type GlobalOptions } from './context.js';

export interface ImportFlags {
  format: ImportFormat;
  output?: string;
  from?: string;
  to?: string;
  domain?: string;
  id?: string;
  crosswalkVersion?: string;
  strict?: boolean;
}

export async function runImport(file: string, flags: ImportFlags, g: GlobalOptions, io: Io): Promise<number> {
  const toFile = flags.output !== undefined && flags.output !== '-';
  if (toFile) checkTarget(flags.output!, '--output', [resolve(io.cwd, file)]);
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XwalkError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
  const opts = { ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}), ...(flags.domain ? { domain: flags.domain } : {}), ...(flags.id ? { id: flags.id } : {}), ...(flags.crosswalkVersion ? { version: flags.crosswalkVersion } : {}) };
  const r = importCrosswalk(text, file, flags.format, opts);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.crosswalk) throw new XwalkError(`cannot import ${file} as ${flags.format}`, { diagnostics: errors });
  const cw = r.crosswalk;
  const k = colorsFor(io, io.stderrIsTTY, g.color);
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  // Check the result against the vocabularies loaded, as `xwalk validate` would (codes, conflicts).
  const registry = await registryFor(io, g, { tolerateErrors: true });
  const checks = registry.vocabularies.has(cw.from) && registry.vocabularies.has(cw.to) ? check(registry, cw, file) : undefined;
  for (const d of [...warnings, ...(checks?.errors ?? []), ...(checks?.warnings ?? [])]) io.stderr.write(renderDiagnostic(d, k));
  const yaml = crosswalkYaml(cw, [`Imported by xwalk from ${basename(file)} (${flags.format}); check it with: xwalk validate`]);
  if (toFile) writeFileAtomic(flags.output!, yaml);
  else io.stdout.write(yaml);
  const left = warnings.length;
  const proposed = cw.mappings.filter((m) => m.status === 'proposed').length;
  const bad = checks?.errors.length ?? 0;
  if (!g.quiet || left || bad) {
    const notes = [
      left ? `${left} left out or changed (warnings above)` : '',
      proposed ? `${proposed} imported as proposed (not reviewed as ${cw.from} → ${cw.to}: never used to translate until reviewed)` : '',
      checks ? `${bad} error${bad === 1 ? '' : 's'} against the loaded vocabularies` : `not checked: ${[cw.from, cw.to].filter((v) => !registry.vocabularies.has(v)).join(' and ')} not loaded (--vocab-dir)`,
    ].filter(Boolean);
    io.stderr.write(`xwalk import: ${file} → crosswalk ${cw.id} (${cw.from} → ${cw.to}, ${cw.domain}): ${cw.mappings.length} mapping${cw.mappings.length === 1 ? '' : 's'}${toFile ? `, written to ${flags.output}` : ''}; ${notes.join('; ')}\n`);
  }
  return bad || (flags.strict && (left || checks?.warnings.length)) ? 1 : 0;
}

/** Validation of the imported crosswalk alone, in place of any crosswalk of the same pair. */
function check(registry: Registry, cw: NonNullable<ReturnType<typeof importCrosswalk>['crosswalk']>, file: string) {
  const crosswalks = new Map([...registry.crosswalks].filter(([, c]) => !(c.from === cw.from && c.to === cw.to && c.domain === cw.domain) && c.id !== cw.id));
  crosswalks.set(cw.id, cw);
  const report = validateRegistry({ ...registry, diagnostics: [], crosswalks });
  const mine = (d: { loc: { file: string } }) => d.loc.file === file;
  return { errors: report.errors.filter(mine), warnings: report.warnings.filter(mine) };
}
