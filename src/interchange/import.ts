/**
 * Import: a FHIR ConceptMap, an SSSOM TSV file or a flat CSV table (as `export --format csv`
 * writes it) → a Crosswalk, and the crosswalk → YAML that xwalk loads (the shipped files' style:
 * one flow mapping per line, every code quoted). The factory refuses an unknown format.
 */

import type { Crosswalk, FactStatement, Mapping, SourceLoc } from '../model/types.js';
import { parseRelation } from '../model/relation.js';
import { error, warning, XwalkError, type Diagnostic } from '../errors/errors.js';
import { readCsvTable, cell } from '../read/csv.js';
import { parseConditionText, parseIsoDate } from '../read/values.js';
import { conditionsText, factsText, fieldDeclObject } from './common.js';
import { FLAT_COLUMNS } from './flat.js';
import { isTypedColumn } from './typed.js';
import { importFhir, type Imported, type ImportOptions } from './fhir.js';
import { importSssom } from './sssom.js';
import { withoutNote } from '../translate/notes.js';

export const IMPORT_FORMATS = ['fhir-r4', 'fhir-r5', 'sssom', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function importCrosswalk(text: string, file: string, format: string, opts: ImportOptions = {}): Imported {
  switch (format) {
    case 'fhir-r4':
      return importFhir(text, file, 'r4', opts);
    case 'fhir-r5':
      return importFhir(text, file, 'r5', opts);
    case 'sssom':
      return importSssom(text, file, opts);
    case 'csv':
      return importFlatCsv(text, file, opts);
    default:
      throw new XwalkError(`unknown import format "${format}"`, { hint: `use ${IMPORT_FORMATS.join(', ')}` });
  }
}

/**
 * The flat table back into a crosswalk: direct rows are the crosswalk's mappings (valid_from and
 * valid_to become the mapping's validity: they include the codes' own), with the relation stated
 * under their conditions (`relation_when`; `relation` is the whole code's, read only from tables
 * without that column), negative rows are disjoint, `explicit-no-match` rows are no-match (under
 * their conditions, if any); inverse and chained rows were never reviewed as A→B statements, so
 * they come in as `status: proposed`.
 */
export function importFlatCsv(text: string, file: string, opts: ImportOptions = {}): Imported {
  const diagnostics: Diagnostic[] = [];
  // The typed condition columns (typed.ts) repeat `conditions`, which is what import reads.
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const names = [
    ...FLAT_COLUMNS.map(([n]) => n),
    ...header
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(isTypedColumn),
  ];
  const { table, diagnostics: read } = readCsvTable(text, file, ['from_vocab', 'to_vocab', 'domain', 'source_code', 'outcome', 'target_code', 'relation'], names);
  if (!table) return { diagnostics: read };
  const fail = (loc: SourceLoc, msg: string, hint?: string): Imported => ({ diagnostics: [...diagnostics, error('csv-import', loc, msg, hint)] });
  const first = table.rows[0];
  if (!first) return fail({ file, line: 1, col: 0 }, 'the table has a header but no rows: nothing to import');
  const from = opts.from ?? cell(table, first, 'from_vocab');
  const to = opts.to ?? cell(table, first, 'to_vocab');
  const domain = opts.domain ?? cell(table, first, 'domain');
  const mappings: Mapping[] = [];
  for (const row of table.rows) {
    const c = (k: string) => cell(table, row, k).trim();
    if ((!opts.from && c('from_vocab') !== from) || (!opts.to && c('to_vocab') !== to) || (!opts.domain && c('domain') !== domain)) {
      return fail(row.loc, `this row is ${c('from_vocab')} → ${c('to_vocab')} (${c('domain')}), the first was ${from} → ${to} (${domain}); a crosswalk joins one pair`, 'import each pair from its own file (or filter the table first)');
    }
    const code = cell(table, row, 'source_code');
    const target = c('target_code');
    const loc = row.loc;
    let m: Mapping;
    if (!target) {
      // A no-match row: the crosswalk's statement (under `conditions`, when the row has them).
      if (c('reason') !== 'explicit-no-match') continue;
      m = { from: code, relation: 'no-match', confidence: 1, when: [], status: 'reviewed', loc };
    } else {
      const relation = parseRelation(c('relation_when') || c('relation'));
      if (!relation || relation === 'no-match') return fail(loc, `relation "${c('relation_when') || c('relation')}" of ${code} → ${target} is not an xwalk relation`, 'use equivalent, source-narrower, source-broader, overlap, related or disjoint');
      m = { from: code, to: cell(table, row, 'target_code'), relation, confidence: 1, when: [], status: 'reviewed', loc };
      const conf = c('confidence');
      if (conf) {
        const n = Number(conf);
        if (!(n > 0 && n <= 1)) return fail(loc, `confidence "${conf}" of ${code} → ${target} is not a number above 0 and at most 1`);
        m.confidence = n;
      }
      const route = c('route');
      if (route === 'inverse' || route === 'chained') {
        m.status = 'proposed';
        m.method = `xwalk ${route}`;
      } else if (route && route !== 'direct') return fail(loc, `route "${route}" is not direct, inverse or chained`);
    }
    const when = c('conditions');
    if (when) {
      const parsed = parseConditionText(when);
      if (typeof parsed === 'string') return fail(loc, parsed);
      m.when = parsed;
    }
    for (const [k, key] of [
      ['valid_from', 'validFrom'],
      ['valid_to', 'validTo'],
    ] as const) {
      const v = c(k);
      if (!v) continue;
      const d = parseIsoDate(v);
      if (!d) return fail(loc, `${k} "${v}" is not a date`, 'write dates as YYYY-MM-DD');
      m[key] = d;
    }
    const note = c('note');
    if (note && target) m.note = withoutNote(note, 'inverted');
    else if (note && !target) m.note = note;
    if (m.note === '') delete m.note;
    mappings.push(m);
  }
  if (!mappings.length) diagnostics.push(warning('csv-import', { file, line: 1, col: 0 }, 'no row of the table is a mapping (every code reaches nothing): the crosswalk is empty'));
  const cw: Crosswalk = { id: opts.id ?? `${from}--${to}`, from, to, domain, version: opts.version ?? '1', mappings, files: [file], loc: { file, line: 1, col: 0 } };
  return { crosswalk: cw, diagnostics };
}

const q = (s: string) => JSON.stringify(s);

/** Facts as a flow mapping (`{ weapon: "12", attempted: ["A", "C"] }`); the compact text when a field repeats. */
function productYaml(facts: readonly FactStatement[]): string {
  if (new Set(facts.map((f) => f.field)).size !== facts.length) return q(factsText(facts));
  return `{ ${facts.map((f) => `${f.field}: ${f.values.length === 1 ? q(f.values[0]!) : `[${f.values.map(q).join(', ')}]`}`).join(', ')} }`;
}

/** A crosswalk as YAML that xwalk loads: the header, then one flow mapping per line. */
export function crosswalkYaml(cw: Crosswalk, comment: string[] = []): string {
  const lines = comment.map((c) => `# ${c}`);
  lines.push(`id: ${q(cw.id)}`, `from: ${q(cw.from)}`, `to: ${q(cw.to)}`, `domain: ${q(cw.domain)}`, `version: ${q(cw.version)}`);
  if (cw.description !== undefined) lines.push(`description: ${q(cw.description)}`);
  if (cw.source !== undefined) lines.push(`source: ${q(cw.source)}`);
  if (cw.fields?.length) {
    lines.push('fields:');
    const value = (v: unknown) => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : typeof v === 'string' ? q(v) : String(v));
    for (const d of cw.fields)
      lines.push(
        `  ${d.name}: { ${Object.entries(fieldDeclObject(d))
          .map(([k, v]) => `${k}: ${value(v)}`)
          .join(', ')} }`,
      );
  }
  if (!cw.mappings.length) lines.push('mappings: []');
  else {
    lines.push('mappings:');
    for (const m of cw.mappings) {
      const parts = [`from: ${q(m.from)}`];
      if (m.to !== undefined) parts.push(`to: ${q(m.to)}`);
      parts.push(`relation: ${m.relation}`);
      if (m.confidence !== 1) parts.push(`confidence: ${m.confidence}`);
      if (m.when.length) parts.push(`when: ${q(conditionsText(m.when))}`);
      if (m.product?.length) parts.push(`product: ${productYaml(m.product)}`);
      if (m.status !== 'reviewed') parts.push(`status: ${m.status}`);
      if (m.method !== undefined) parts.push(`method: ${q(m.method)}`);
      if (m.validFrom !== undefined) parts.push(`valid_from: ${q(m.validFrom)}`);
      if (m.validTo !== undefined) parts.push(`valid_to: ${q(m.validTo)}`);
      if (m.note !== undefined) parts.push(`note: ${q(m.note)}`);
      lines.push(`  - { ${parts.join(', ')} }`);
    }
  }
  return lines.join('\n') + '\n';
}
