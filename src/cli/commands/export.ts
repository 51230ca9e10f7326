/** `xwalk export --from A --to B --format F [-o FILE]`: a crosswalk in another format. */

import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { exportCrosswalk, type ExportFormat } from '../../interchange/export.js';
import type { Paper } from '../../interchange/html.js';
import { checkTarget, writeFileAtomic } from '../../output/atomic.js';
import { nodeDuckDbLoader, writeParquet } from '../../output/parquet.js';
import { resolveDomain } from '../../translate/translate.js';
import { colorsFor, type Io } from '../io.js';
import { renderDiagnostic } from '../render/diagnostics.js';
import { registryFor, type GlobalOptions } from './context.js';
import { parseFacts, parseMaxHops } from '../flags.js';

export interface ExportFlags {
  from: string;
  to: string[];
  format: ExportFormat;
  domain?: string;
  output?: string;
  resolved?: boolean;
  maxHops?: string;
  fact?: string[];
  table?: string;
  dialect?: string;
  license?: string;
  groupBy?: string;
  paper: Paper;
  title?: string;
  strict?: boolean;
  excelSafe?: boolean;
}

export async function runExport(flags: ExportFlags, g: GlobalOptions, io: Io): Promise<number> {
  // --format and --paper were checked against their choices by commander.
  const maxHops = parseMaxHops(flags.maxHops);
  const to = flags.to
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const toFile = flags.output !== undefined && flags.output !== '-';
  if (flags.format === 'parquet' && !toFile) throw new XwalkError('--format parquet writes a binary file: give it with -o FILE', { hint: 'e.g. xwalk export --from nibrs --to srs --format parquet -o nibrs-srs.parquet' });
  if (toFile) checkTarget(flags.output!, '--output', []);
  const index = new RegistryIndex(await registryFor(io, g));
  const domains = to.map((t) => resolveDomain(index, flags.from, t, flags.domain));
  const domain = domains[0]!;
  if (domains.some((d) => d !== domain)) throw new XwalkError(`the vocabularies share different domains with ${flags.from} (${[...new Set(domains)].join(', ')})`, { hint: 'say which with --domain' });
  const r = exportCrosswalk(index, {
    from: flags.from,
    to,
    domain,
    format: flags.format,
    ...(flags.resolved ? { resolved: true } : {}),
    ...(maxHops !== undefined ? { maxHops } : {}),
    ...(flags.fact?.length ? { facts: parseFacts(flags.fact) } : {}),
    ...(flags.table !== undefined ? { table: flags.table } : {}),
    ...(flags.dialect !== undefined ? { dialect: flags.dialect } : {}),
    ...(flags.license !== undefined ? { license: flags.license } : {}),
    ...(flags.groupBy !== undefined ? { groupBy: flags.groupBy } : {}),
    ...(flags.title !== undefined ? { title: flags.title } : {}),
    paper: flags.paper,
    ...(flags.excelSafe ? { excelSafe: true } : {}),
  });
  if (r.parquet) await writeParquet(flags.output!, r.parquet.script, r.parquet.table, nodeDuckDbLoader(io.env.XWALK_DUCKDB_MODULE || undefined));
  else if (toFile) writeFileAtomic(flags.output!, r.text);
  else io.stdout.write(r.text);
  const k = colorsFor(io, io.stderrIsTTY, g.color);
  for (const d of r.warnings) io.stderr.write(renderDiagnostic(d, k));
  // Warnings about the set (its field declarations) are not mappings: counted apart.
  const n = r.lossyMappings;
  const setLevel = r.warnings.length - n;
  if (!g.quiet || r.warnings.length) {
    io.stderr.write(
      `xwalk export: ${r.what} as ${flags.format}: ${r.count} ${r.unit}${r.count === 1 ? '' : 's'}${toFile ? `, written to ${flags.output}` : ''}` +
        (setLevel ? `; the field declarations are kept only where xwalk reads them back` : '') +
        (n
          ? `; ${n} mapping${n === 1 ? '' : 's'} not fully expressible in ${flags.format} (warnings above${flags.format === 'sssom' ? '; kept in the `other` column, which xwalk reads back and other SSSOM tools ignore' : flags.format.startsWith('fhir') ? '; kept in urn:xwalk:fhir extensions, which xwalk reads back and other FHIR tools ignore' : ''})`
          : '') +
        '\n',
    );
  }
  return flags.strict && r.warnings.length ? 1 : 0;
}
