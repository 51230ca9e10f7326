/**
 * Crosswalk files (YAML, with an optional CSV mapping list beside them) → Crosswalk.
 * Relation names are converted to the canonical ones here (FHIR and SKOS names accepted).
 */

import type { Crosswalk, Mapping, MappingStatus, SourceLoc } from '../model/types.js';
import { parseRelation, type Relation } from '../model/relation.js';
import { cell, dateCell, readCsvTable } from '../read/csv.js';
import { error, type Diagnostic } from '../errors/errors.js';
import { asMap, Fields, readConditions, readFacts, readFieldDecls, readReferencedFile, type YMap } from '../read/fields.js';
import { parseConditionText, parseFactText } from '../read/values.js';
import type { FileSource } from '../read/source.js';
import { assignOptional, ID_PATTERN } from './vocabulary.js';
import type { YNode } from '../read/yaml.js';

const CROSSWALK_FIELDS = ['id', 'from', 'to', 'domain', 'version', 'description', 'source', 'fields', 'mappings', 'file'] as const;
const MAPPING_FIELDS = ['from', 'to', 'relation', 'confidence', 'note', 'when', 'status', 'method', 'valid_from', 'valid_to', 'product'] as const;
export const MAPPING_CSV_COLUMNS = MAPPING_FIELDS;

export function readCrosswalk(root: YMap, file: string, files: FileSource, out: Diagnostic[]): Crosswalk | undefined {
  const before = out.length;
  const f = new Fields(root, 'the crosswalk', out);
  const id = f.text('id', { required: true });
  if (id !== undefined && !ID_PATTERN.test(id.replace(/--/g, '-'))) out.push(error('bad-id', f.loc('id'), `the id "${id}" must be lower-case letters and digits joined by hyphens`));
  const from = f.text('from', { required: true });
  const to = f.text('to', { required: true });
  const domain = f.text('domain', { required: true });
  const version = f.text('version', { required: true });
  const cw: Crosswalk = { id: id ?? '', from: from ?? '', to: to ?? '', domain: domain ?? '', version: version ?? '', mappings: [], files: [file], loc: root.loc };
  assignOptional(cw, { description: f.text('description'), source: f.text('source') });
  if (from !== undefined && from === to) out.push(error('self-crosswalk', f.loc('to'), `the crosswalk maps ${from} to itself`));
  const fieldsNode = f.raw('fields');
  if (fieldsNode !== undefined) cw.fields = readFieldDecls(fieldsNode, out);
  const list = f.raw('mappings');
  if (list !== undefined) {
    if (list.kind !== 'seq') out.push(error('wrong-type', list.loc, '`mappings` must be a list'));
    else
      for (const item of list.items) {
        const m = readMapping(item, out);
        if (m) cw.mappings.push(m);
      }
  }
  const csv = readReferencedFile(f, file, files, 'mapping list');
  if (csv) {
    cw.files.push(csv.path);
    for (const m of readMappingCsv(csv.text, csv.path, out)) cw.mappings.push(m);
  }
  if (list === undefined && f.text('file') === undefined) out.push(error('missing-field', root.loc, 'the crosswalk has neither `mappings` nor `file`'));
  f.reportUnknown(CROSSWALK_FIELDS);
  return out.length > before ? undefined : cw;
}

interface RawMapping {
  from?: string;
  to?: string;
  relation?: string;
  confidence?: string;
  status?: string;
}

/** Checks shared by the YAML and CSV forms; returns the relation, confidence and status. */
function checkMapping(raw: RawMapping, loc: SourceLoc, relLoc: SourceLoc, out: Diagnostic[]): { relation: Relation; confidence: number; status: MappingStatus } | undefined {
  const before = out.length;
  const what = raw.from === undefined ? 'the mapping' : `the mapping from "${raw.from}"`;
  if (raw.from === undefined || raw.from.trim() === '') out.push(error('missing-field', loc, `${what} has no \`from\` code`));
  let relation: Relation | undefined;
  if (raw.relation === undefined || raw.relation.trim() === '') out.push(error('missing-field', loc, `${what} has no \`relation\``, 'use equivalent, source-narrower, source-broader, overlap, related, disjoint or no-match'));
  else {
    relation = parseRelation(raw.relation);
    if (!relation) out.push(error('bad-relation', relLoc, `${what} has an unknown relation "${raw.relation}"`, 'use equivalent, source-narrower, source-broader, overlap, related, disjoint or no-match (FHIR and SKOS names are accepted too)'));
  }
  const hasTo = raw.to !== undefined && raw.to.trim() !== '';
  if (relation === 'no-match' && hasTo) out.push(error('no-match-with-target', loc, `${what} says no-match but names a target "${raw.to}"`, 'a no-match has no `to`; use disjoint to say two codes never overlap'));
  if (relation && relation !== 'no-match' && !hasTo) out.push(error('missing-field', loc, `${what} has no \`to\` code`, 'add `to`, or use relation: no-match when the code has no counterpart'));
  let confidence = 1;
  if (raw.confidence !== undefined && raw.confidence.trim() !== '') {
    const n = Number(raw.confidence);
    if (!Number.isFinite(n) || n <= 0 || n > 1) out.push(error('bad-number', loc, `confidence of ${what} is "${raw.confidence}"; expected a number above 0 and at most 1`));
    else confidence = n;
  }
  let status: MappingStatus = 'reviewed';
  if (raw.status !== undefined && raw.status.trim() !== '') {
    if (raw.status !== 'reviewed' && raw.status !== 'proposed') out.push(error('bad-value', loc, `status of ${what} is "${raw.status}"; expected reviewed or proposed`));
    else status = raw.status;
  }
  if (out.length > before || !relation) return undefined;
  return { relation, confidence, status };
}

function readMapping(node: YNode, out: Diagnostic[]): Mapping | undefined {
  const map = asMap(node);
  if (!map) {
    out.push(error('wrong-type', node.loc, 'each mapping must be a mapping like { from: "1301", to: "13A", relation: equivalent }'));
    return undefined;
  }
  const before = out.length;
  const f = new Fields(map, 'the mapping', out);
  const raw: RawMapping = {};
  assignOptional(raw, {
    from: f.text('from', { code: true }),
    to: f.has('to') ? f.text('to', { code: true }) : undefined,
    relation: f.text('relation'),
    confidence: f.text('confidence'),
    status: f.text('status'),
  });
  const checked = checkMapping(raw, map.loc, f.loc('relation'), out);
  const whenNode = f.raw('when');
  const when = whenNode === undefined ? [] : readConditions(whenNode, `the mapping from "${raw.from ?? ''}"`, out);
  const productNode = f.raw('product');
  const product = productNode === undefined ? [] : readFacts(productNode, `the mapping from "${raw.from ?? ''}"`, out);
  const m: Mapping | undefined = checked && { from: raw.from!, relation: checked.relation, confidence: checked.confidence, status: checked.status, when, loc: map.loc };
  if (m && product.length) m.product = product;
  const extra = { to: raw.to, note: f.text('note'), method: f.text('method'), validFrom: f.date('valid_from'), validTo: f.date('valid_to') };
  f.reportUnknown(MAPPING_FIELDS);
  if (!m || out.length > before) return undefined;
  assignOptional(m, extra);
  if (m.validFrom && m.validTo && m.validFrom >= m.validTo) {
    out.push(error('bad-interval', map.loc, `the mapping from "${m.from}" is valid from ${m.validFrom} to ${m.validTo}: the end must come after the start`));
    return undefined;
  }
  return m;
}

/** Mapping lists in CSV: `from,to,relation[,confidence,note,when,status,method,valid_from,valid_to]`. */
export function readMappingCsv(text: string, file: string, out: Diagnostic[]): Mapping[] {
  const { table, diagnostics } = readCsvTable(text, file, ['from', 'to', 'relation'], MAPPING_CSV_COLUMNS);
  for (const d of diagnostics) out.push(d);
  if (!table) return [];
  const mappings: Mapping[] = [];
  // Conditions repeat across rows: parse each distinct text once.
  const conditionCache = new Map<string, Mapping['when'] | string>();
  for (const row of table.rows) {
    const get = (k: string): string | undefined => {
      const v = cell(table, row, k);
      return v.trim() === '' ? undefined : v;
    };
    const before = out.length;
    const raw: RawMapping = { from: cell(table, row, 'from') };
    const to = get('to');
    if (to !== undefined) raw.to = to;
    const relation = get('relation');
    if (relation !== undefined) raw.relation = relation;
    const confidence = get('confidence');
    if (confidence !== undefined) raw.confidence = confidence;
    const status = get('status');
    if (status !== undefined) raw.status = status;
    const checked = checkMapping(raw, row.loc, row.loc, out);
    let when: Mapping['when'] = [];
    const w = get('when');
    if (w !== undefined) {
      let r = conditionCache.get(w);
      if (r === undefined) {
        r = parseConditionText(w);
        conditionCache.set(w, r);
      }
      if (typeof r === 'string') out.push(error('bad-condition', row.loc, r));
      else when = r;
    }
    const validFrom = dateCell(get('valid_from'), row.loc, 'valid_from', out);
    const validTo = dateCell(get('valid_to'), row.loc, 'valid_to', out);
    if (!checked || out.length > before) continue;
    const m: Mapping = { from: raw.from!, relation: checked.relation, confidence: checked.confidence, status: checked.status, when, loc: row.loc };
    if (raw.to !== undefined) m.to = raw.to;
    const product = get('product');
    if (product !== undefined) {
      const r = parseFactText(product);
      if (typeof r === 'string') {
        out.push(error('bad-fact', row.loc, r));
        continue;
      }
      if (r.length) m.product = r;
    }
    const note = get('note');
    if (note !== undefined) m.note = note;
    const method = get('method');
    if (method !== undefined) m.method = method;
    if (validFrom !== undefined) m.validFrom = validFrom;
    if (validTo !== undefined) m.validTo = validTo;
    mappings.push(m);
  }
  return mappings;
}
