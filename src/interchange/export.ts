/**
 * Export: the crosswalk A→B (or, with `resolved`, everything xwalk answers for A→B) in another
 * format. The one factory: picks the format and refuses an unknown one.
 *
 * FHIR and SSSOM export the crosswalk A→B as stated when there is one (so that import gives it
 * back unchanged); otherwise, or with `resolved`, the resolved answers, whose derived mappings say
 * so (semapv:MappingInversion / MappingChaining, or an xwalk extension and comment in FHIR).
 * CSV, SQL and Parquet always write the resolved table (flat.ts) with its conditions as typed
 * columns (typed.ts); HTML the reference card (html.ts). Parquet is binary and written by DuckDB
 * (output/parquet.ts): this stage hands over the DuckDB script that builds the table.
 */

import type { Domain } from '../model/types.js';
import { XwalkError, type Diagnostic } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';
import { normalizeCode } from '../load/normalize.js';
import { SET_RULES, stated, type ExportSet } from './common.js';
import { exportFhir } from './fhir.js';
import { resolveCrosswalk } from './flat.js';
import { flatCsv } from './typed.js';
import { exportHtml, type Paper } from './html.js';
import { checkDialect, DEFAULT_TABLE, sqlScript } from './sql.js';
import { flatTable } from './typed.js';
import { exportSssom } from './sssom.js';

export const EXPORT_FORMATS = ['fhir-r4', 'fhir-r5', 'sssom', 'csv', 'sql', 'parquet', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  from: string;
  /** One target; several only for the HTML card. */
  to: string[];
  domain: Domain;
  format: string;
  /** FHIR/SSSOM: export the resolved answers even when a crosswalk A→B exists. */
  resolved?: boolean;
  maxHops?: number;
  /** Constant facts for the resolved answers (`--fact report=offense`). */
  facts?: ReadonlyMap<string, readonly string[]>;
  table?: string;
  /** sql: portable (default), duckdb, postgres, spark or sqlite. */
  dialect?: string;
  license?: string;
  groupBy?: string;
  paper?: Paper;
  title?: string;
  /** csv: neutralise cells a spreadsheet would run as formulas (a leading '). */
  excelSafe?: boolean;
}

export interface ExportResult {
  text: string;
  warnings: Diagnostic[];
  /** For the summary line: what was exported. */
  what: string;
  /** How many of `warnings` name one mapping (the others are about the set: its field declarations). */
  lossyMappings: number;
  count: number;
  unit: string;
  /** parquet: `text` is empty; DuckDB runs `script` (which creates `table`) and copies the table to the file. */
  parquet?: { script: string; table: string };
}

function normalizeNote(index: RegistryIndex, from: string, domain: Domain): string {
  const n = index.table(from, domain)!.normalize;
  const parts = [n.trim ? 'trimmed' : '', n.case === 'upper' ? 'upper-cased' : n.case === 'lower' ? 'lower-cased' : '', n.pad ? `left-padded with zeros to ${n.pad} characters when they start with a digit` : ''].filter(Boolean);
  return parts.length ? `source_key is source_code as xwalk looks codes of ${from} up: ${parts.join(', ')}; normalize your column the same way before joining (e.g. ${example(n.pad)})` : 'source_key is source_code as written';
}

function example(pad: number): string {
  return pad ? `lpad(upper(trim(code)), ${pad}, '0') in DuckDB/Spark/PostgreSQL for codes that start with a digit` : 'upper(trim(code))';
}

export function exportCrosswalk(index: RegistryIndex, opts: ExportOptions): ExportResult {
  if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw new XwalkError(`unknown export format "${opts.format}"`, { hint: `use ${EXPORT_FORMATS.join(', ')}` });
  const format = opts.format as ExportFormat;
  if (format !== 'html' && opts.to.length !== 1) throw new XwalkError(`--format ${format} exports one pair of vocabularies: give --to once`, { hint: 'several --to are for the HTML reference card (--format html)' });
  const { from, domain } = opts;
  const to = opts.to[0]!;
  if (opts.dialect !== undefined && format !== 'sql') throw new XwalkError(`--dialect applies to --format sql, not ${format}`, { hint: 'leave it out, or export --format sql' });
  const dialect = opts.dialect !== undefined ? checkDialect(opts.dialect) : 'portable';
  if (opts.excelSafe && format !== 'csv') throw new XwalkError(`--excel-safe applies to --format csv, not ${format}`, { hint: 'leave it out, or export --format csv' });
  if (format === 'html') {
    const card = exportHtml(index, { from, to: opts.to, domain, ...(opts.groupBy ? { groupBy: opts.groupBy } : {}), ...(opts.paper ? { paper: opts.paper } : {}), ...(opts.title ? { title: opts.title } : {}) });
    const count = index.table(from, domain)!.terms.size;
    return { text: card.text, warnings: [], lossyMappings: 0, what: `reference card ${from} → ${opts.to.join(', ')} (${domain})${card.groupedBy ? `, grouped by ${card.groupedBy}` : ''}`, count, unit: 'code' };
  }
  const hops = { ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}), ...(opts.facts?.size ? { facts: opts.facts } : {}) };
  if (format === 'csv' || format === 'sql' || format === 'parquet') {
    const { rows, fields } = resolveCrosswalk(index, { from, to, domain, ...hops });
    const table = flatTable(rows, fields, index);
    const typed = table.columns.some((c) => c.name === 'conditions_typed');
    const header = [
      `xwalk export: ${from} → ${to} (${domain}), resolved as xwalk translate does (direct, inverse, chained); one row per target`,
      normalizeNote(index, from, domain),
      `selected = 1: the targets xwalk convert writes when the record gives no facts${opts.facts?.size ? ` but ${[...opts.facts].map(([k, v]) => `${k}=${v.join('|')}`).join(', ')}` : ''} (the best when mapped, all when ambiguous)`,
      'relation: of the source code as a whole to the target; relation_when: under `conditions` (the source restricted to them)',
      ...(typed
        ? [
            `when_F: the values the condition on field F accepts (leaf codes; ~ = not recorded${format === 'sql' && dialect !== 'portable' && dialect !== 'sqlite' ? '' : "; joined with '|'"}), when_F_op: in or not-in; when_F_lt/_le/_gt/_ge: bounds on a number; NULL: no condition on F; conditions_typed = 0: read conditions`,
          ]
        : []),
    ];
    const what = `${from} → ${to} (${domain}), resolved`;
    const result = { warnings: [], lossyMappings: 0, what, count: rows.length, unit: 'row' };
    if (format === 'parquet') {
      const name = opts.table ?? DEFAULT_TABLE;
      return { ...result, text: '', parquet: { script: sqlScript(table, { table: name, dialect: 'duckdb' }), table: name } };
    }
    const text = format === 'csv' ? flatCsv(table, { excelSafe: Boolean(opts.excelSafe) }) : sqlScript(table, { ...(opts.table ? { table: opts.table } : {}), header, dialect });
    return { ...result, text };
  }
  const cw = opts.resolved ? undefined : [...index.registry.crosswalks.values()].find((c) => c.from === from && c.to === to && c.domain === domain);
  const label = (vocab: string, code: string) => index.term(vocab, domain, code)?.label;
  let set: ExportSet;
  if (cw) set = stated(cw, label, { ...(index.vocabulary(from) ? { from: index.vocabulary(from)!.version } : {}), ...(index.vocabulary(to) ? { to: index.vocabulary(to)!.version } : {}) });
  else set = resolveCrosswalk(index, { from, to, domain, ...hops }).set;
  // Codes are written as the vocabulary writes them, even when the crosswalk wrote `460` for `0460`.
  const table = index.table(from, domain);
  if (table) for (const m of set.mappings) m.from = table.terms.get(normalizeCode(m.from, table.normalize))?.code ?? m.from;
  const out = format === 'sssom' ? exportSssom(set, opts.license ? { license: opts.license } : {}) : exportFhir(set, format === 'fhir-r4' ? 'r4' : 'r5');
  return { ...out, lossyMappings: out.warnings.filter((w) => !SET_RULES.has(w.rule)).length, what: cw ? `crosswalk ${cw.id}` : `${from} → ${to} (${domain}), resolved`, count: set.mappings.length, unit: 'mapping' };
}
