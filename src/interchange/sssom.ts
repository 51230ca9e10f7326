/**
 * SSSOM TSV (a `#`-prefixed YAML metadata block, then one mapping per row), both ways.
 *
 * Predicates follow DOMAIN.md: equivalent skos:exactMatch, source-narrower skos:broadMatch,
 * source-broader skos:narrowMatch, overlap skos:closeMatch, related skos:relatedMatch; disjoint is
 * skos:closeMatch with `predicate_modifier: Not` ("not even close": they share no record); no-match
 * is `object_id: sssom:NoTermFound` with skos:relatedMatch (no counterpart of any kind).
 * `mapping_justification`: semapv:ManualMappingCuration for reviewed mappings, LexicalMatching for
 * label-similarity proposals, MappingInversion / MappingChaining for results xwalk derived.
 *
 * SSSOM has no conditions: a predicate compares whole codes. A conditional mapping `S → T, R, when
 * C` states R of S restricted to C, so its row gets what R says of S as a whole
 * (model/relation.ts wholeCodeRelation: 13A when firearm = 4a is 13A skos:narrowMatch 4a, never
 * exactMatch); a conditional no-match says only "no broader match found" (skos:broadMatch
 * sssom:NoTermFound: any code containing S would contain S|C), a conditional disjoint only "Not
 * broadMatch". The condition, the stated relation, the product (facts about the target side),
 * validity dates go into the `other` column, the crosswalk's field declarations into the mapping
 * set's `other` (xwalk_fields, JSON); xwalk reads them back, and each is a warning, since other
 * SSSOM tools ignore `other`.
 *
 * Import never turns a negated row into a positive mapping: `Not` with closeMatch or relatedMatch
 * is disjoint; `Not` with exactMatch, broadMatch or narrowMatch says less than disjoint and has no
 * xwalk relation, so it is left out with a warning (unless `other` says it is xwalk's conditional
 * disjoint). An `xwalk_relation` its predicate contradicts is an error.
 */

import type { Crosswalk, Mapping, SourceLoc } from '../model/types.js';
import { isPositive, parseRelation, wholeCodeRelation, type Relation } from '../model/relation.js';
import { error, warning, type Diagnostic } from '../errors/errors.js';
import { parseConditionText, parseFactText, parseIsoDate } from '../read/values.js';
import { readYaml, type YNode } from '../read/yaml.js';
import { CsvSyntaxError, CsvTokenizer, fieldValue, type RecordView } from '../records/csv-reader.js';
import { conditionsText, factsText, fieldDeclsJson, lossWarning, mappingName, parseFieldDeclsJson, parseVocabularyUrn, setLossWarning, URN, type ExportMapping, type ExportSet, type Exported } from './common.js';
import type { Imported, ImportOptions } from './fhir.js';
import { noteText, withoutNote } from '../translate/notes.js';

export const SSSOM_PREDICATE: Record<Exclude<Relation, 'no-match' | 'disjoint'>, string> = {
  equivalent: 'skos:exactMatch',
  'source-narrower': 'skos:broadMatch',
  'source-broader': 'skos:narrowMatch',
  overlap: 'skos:closeMatch',
  related: 'skos:relatedMatch',
};

const FROM_PREDICATE = new Map<string, Relation>(Object.entries(SSSOM_PREDICATE).map(([r, p]) => [p, r as Relation]));

export const NO_TERM_FOUND = 'sssom:NoTermFound';
/** When the license is not known (SSSOM requires one). */
export const UNSPECIFIED_LICENSE = 'https://w3id.org/sssom/license/unspecified';

export const SSSOM_COLUMNS = ['subject_id', 'subject_label', 'predicate_id', 'predicate_modifier', 'object_id', 'object_label', 'mapping_justification', 'confidence', 'mapping_tool', 'comment', 'other'] as const;

const JUSTIFICATION = {
  manual: 'semapv:ManualMappingCuration',
  lexical: 'semapv:LexicalMatching',
  unspecified: 'semapv:UnspecifiedMatching',
  inversion: 'semapv:MappingInversion',
  chaining: 'semapv:MappingChaining',
};

const PREFIXES: Record<string, string> = {
  semapv: 'https://w3id.org/semapv/vocab/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  sssom: 'https://w3id.org/sssom/',
};

/** A CURIE prefix for a vocabulary id (NCName: a letter first; ids may start with a digit). */
function prefixFor(id: string): string {
  return /^[a-z]/.test(id) ? id : `x${id}`;
}

/** Codes are CURIE local parts: anything outside a safe set is percent-encoded (spaces, `:`, `%`, `|`). */
export function encodeLocal(code: string): string {
  return code.replace(/[^A-Za-z0-9._~-]/g, (ch) => encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

function clean(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

const yamlStr = (s: string) => JSON.stringify(s);

/** `other`: xwalk's own details as `key=value` pairs joined by `|`, values percent-encoded. */
function otherCell(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('|');
}

export function exportSssom(set: ExportSet, opts: { license?: string; mappingDate?: string } = {}): Exported {
  const warnings: Diagnostic[] = [];
  const sp = prefixFor(set.from);
  const op = prefixFor(set.to) === sp ? `${prefixFor(set.to)}2` : prefixFor(set.to);
  const curie = { ...PREFIXES, [sp]: `${URN.vocabulary(set.from, set.domain)}:`, [op]: `${URN.vocabulary(set.to, set.domain)}:` };
  const meta = metadataLines(set, opts, curie);
  if (set.fields?.length) warnings.push(setLossWarning('sssom-fields', set, `the declarations of the condition fields ${set.fields.map((f) => f.name).join(', ')}`, 'SSSOM', "kept in the mapping set's `other` (xwalk_fields), which other SSSOM tools ignore"));
  const rows: string[][] = [];
  for (const m of set.mappings) {
    const { cells, lost } = rowCells(m, sp, op);
    rows.push(cells);
    if (lost.length) warnings.push(lossWarning('sssom-loss', set, m, lost, 'SSSOM'));
  }
  const body = [SSSOM_COLUMNS.join('\t'), ...rows.map((r) => r.join('\t'))];
  return { text: meta.map((l) => `#${l}`).join('\n') + '\n' + body.join('\n') + '\n', warnings };
}

/** The metadata block's lines (without their `#`): curie_map, the set's id, version, title, license, sources. */
function metadataLines(set: ExportSet, opts: { license?: string; mappingDate?: string }, curie: Record<string, string>): string[] {
  return [
    'curie_map:',
    ...Object.keys(curie)
      .sort()
      .map((k) => `  ${k}: ${yamlStr(curie[k]!)}`),
    `mapping_set_id: ${yamlStr(URN.crosswalk(set.id))}`,
    `mapping_set_version: ${yamlStr(set.version)}`,
    `mapping_set_title: ${yamlStr(`${set.from} → ${set.to} (${set.domain})`)}`,
    ...(set.description ? [`mapping_set_description: ${yamlStr(set.description)}`] : []),
    `license: ${yamlStr(opts.license ?? UNSPECIFIED_LICENSE)}`,
    `subject_source: ${yamlStr(URN.vocabulary(set.from, set.domain))}`,
    ...(set.fromVersion ? [`subject_source_version: ${yamlStr(set.fromVersion)}`] : []),
    `object_source: ${yamlStr(URN.vocabulary(set.to, set.domain))}`,
    ...(set.toVersion ? [`object_source_version: ${yamlStr(set.toVersion)}`] : []),
    ...(opts.mappingDate ? [`mapping_date: ${yamlStr(opts.mappingDate)}`] : []),
    ...(set.source ? [`comment: ${yamlStr(set.source)}`] : []),
    ...(set.fields?.length ? [`other: ${yamlStr(otherCell([['xwalk_fields', fieldDeclsJson(set.fields)]]))}`] : []),
  ];
}

/** One mapping's row: its cells in SSSOM_COLUMNS order, and what SSSOM cannot say of it. */
function rowCells(m: ExportMapping, sp: string, op: string): { cells: string[]; lost: string[] } {
  const lost: string[] = [];
  const other: [string, string][] = [];
  const conditional = m.when.length > 0;
  const { predicate, modifier, object } = predicateOf(m, op, conditional);
  if (conditional) {
    other.push(['xwalk_when', conditionsText(m.when)]);
    if (m.relation !== 'no-match') other.push(['xwalk_relation', m.relation]);
    const whole = m.relation === 'no-match' ? 'no broader match found' : m.relation === 'disjoint' ? 'Not broadMatch' : wholeCodeRelation(m.relation);
    lost.push(`the condition ${conditionsText(m.when)}${whole !== m.relation ? ` (written as the whole code's ${whole}, not ${m.relation})` : ''}`);
  }
  if (m.product?.length) {
    other.push(['xwalk_product', factsText(m.product)]);
    lost.push(`the product ${factsText(m.product)}`);
  }
  if (m.validFrom) other.push(['xwalk_valid_from', m.validFrom]);
  if (m.validTo) other.push(['xwalk_valid_to', m.validTo]);
  if (m.validFrom || m.validTo) lost.push(`the validity ${m.validFrom ?? '…'} to ${m.validTo ?? '…'}`);
  if (m.status === 'proposed') other.push(['xwalk_status', 'proposed']);
  if (m.method) other.push(['xwalk_method', m.method]);
  const justification = m.derivation === 'inverse' ? JUSTIFICATION.inversion : m.derivation === 'chained' ? JUSTIFICATION.chaining : m.status === 'proposed' ? (m.method?.startsWith('label-similarity') ? JUSTIFICATION.lexical : JUSTIFICATION.unspecified) : JUSTIFICATION.manual;
  const comment = [m.derivation === 'inverse' ? noteText('inverted') : undefined, m.path ? `path ${m.path}` : undefined, m.note].filter(Boolean).join('; ');
  if (/[\t\r\n]/.test(comment) || /[\t\r\n]/.test(m.fromLabel ?? '') || /[\t\r\n]/.test(m.toLabel ?? '')) lost.push('tabs or line breaks in its note or labels (written as spaces)');
  const cells = [
    `${sp}:${encodeLocal(m.from)}`,
    clean(m.fromLabel ?? ''),
    predicate,
    modifier,
    object,
    m.relation === 'no-match' ? '' : clean(m.toLabel ?? ''),
    justification,
    m.confidence === 1 && m.derivation === 'stated' ? '' : String(m.confidence),
    m.derivation === 'stated' ? '' : 'xwalk',
    clean(comment),
    otherCell(other),
  ];
  return { cells, lost };
}

/** The predicate, modifier and object that say of the whole code what the mapping states (under its condition, if any). */
function predicateOf(m: ExportMapping, op: string, conditional: boolean): { predicate: string; modifier: string; object: string } {
  let predicate: string;
  let modifier = '';
  let object: string;
  if (m.relation === 'no-match') {
    // A no-match under a condition says of the whole code only that no code contains it (any
    // broader-or-equal T would hold S|C too): "no broader match found", never "no term at all".
    predicate = conditional ? SSSOM_PREDICATE['source-narrower'] : 'skos:relatedMatch';
    object = NO_TERM_FOUND;
  } else if (m.relation === 'disjoint') {
    object = `${op}:${encodeLocal(m.to!)}`;
    modifier = 'Not';
    // S|C shares nothing with T: of the whole code only "T does not contain S" follows.
    predicate = conditional ? SSSOM_PREDICATE['source-narrower'] : 'skos:closeMatch';
  } else {
    object = `${op}:${encodeLocal(m.to!)}`;
    // A condition SSSOM cannot carry: the predicate states what holds of the whole code
    // (13A when firearm = 4a gives 13A narrowMatch 4a, the target narrower, never exactMatch);
    // the stated relation travels in `other` for xwalk to read back.
    const whole = conditional ? wholeCodeRelation(m.relation) : m.relation;
    predicate = SSSOM_PREDICATE[(whole ?? m.relation) as Exclude<Relation, 'disjoint' | 'no-match'>];
  }
  return { predicate, modifier, object };
}

// ---------------------------------------------------------------------------------------------
// Import

interface TsvRow {
  cells: Map<string, string>;
  loc: SourceLoc;
}

function parseOther(v: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of v.split('|')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1)));
    } catch {
      out.set(part.slice(0, i).trim(), part.slice(i + 1));
    }
  }
  return out;
}

/** Expands a CURIE with the curie_map; returns the vocabulary code when the prefix is the given one. */
function localCode(curie: string, prefix: string): string | undefined {
  if (!curie.startsWith(`${prefix}:`)) return undefined;
  try {
    return decodeURIComponent(curie.slice(prefix.length + 1));
  } catch {
    return curie.slice(prefix.length + 1);
  }
}

export function importSssom(source: string, file: string, opts: ImportOptions = {}): Imported {
  const diagnostics: Diagnostic[] = [];
  const fail = (loc: SourceLoc, msg: string, hint?: string): Imported => ({ diagnostics: [...diagnostics, error('sssom-import', loc, msg, hint)] });
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = text.split('\n');
  let metaEnd = 0;
  while (metaEnd < lines.length && lines[metaEnd]!.startsWith('#')) metaEnd++;
  // The metadata block keeps its line numbers: each `#` becomes a space.
  const metaText = lines
    .slice(0, metaEnd)
    .map((l) => l.replace(/^#/, ''))
    .join('\n');
  let meta: YNode | undefined;
  if (metaText.trim()) {
    const r = readYaml(metaText, file);
    if (r.diagnostics.length) return { diagnostics: [...diagnostics, ...r.diagnostics.map((d) => ({ ...d, rule: 'sssom-metadata', message: `in the metadata block: ${d.message}` }))] };
    meta = r.root;
  }
  const at = (line: number): SourceLoc => ({ file, line, col: 0 });
  if (!meta || meta.kind !== 'map') return fail(at(1), 'the file has no SSSOM metadata block (lines starting with #)', 'SSSOM TSV starts with #curie_map:, #mapping_set_id: and #license: lines');
  const metaStr = (k: string) => {
    const n = meta.kind === 'map' ? meta.entries.get(k)?.value : undefined;
    return n?.kind === 'scalar' ? n.value : undefined;
  };
  for (const k of ['mapping_set_id', 'license']) if (!metaStr(k)) return fail(at(1), `the metadata block has no \`${k}\`, which SSSOM requires`);
  const curieNode = meta.entries.get('curie_map')?.value;
  const curieMap = new Map<string, string>();
  if (curieNode?.kind === 'map') for (const [k, v] of curieNode.entries) if (v.value.kind === 'scalar') curieMap.set(k, v.value.value);
  const subjectSource = metaStr('subject_source');
  const objectSource = metaStr('object_source');
  const su = subjectSource ? parseVocabularyUrn(subjectSource) : undefined;
  const ou = objectSource ? parseVocabularyUrn(objectSource) : undefined;
  const from = opts.from ?? su?.id;
  const to = opts.to ?? ou?.id;
  const domain = opts.domain ?? su?.domain ?? ou?.domain;
  if (!from) return fail(at(1), `subject_source ${JSON.stringify(subjectSource ?? null)} is not an xwalk vocabulary`, 'name the source vocabulary with --from ID');
  if (!to) return fail(at(1), `object_source ${JSON.stringify(objectSource ?? null)} is not an xwalk vocabulary`, 'name the target vocabulary with --to ID');
  if (!domain) return fail(at(1), 'the metadata does not say which domain the codes belong to', 'name it with --domain (offense, unit, status ...)');
  // The prefixes whose expansion is the subject / object source (or, failing that, the only other prefixes).
  const prefixOf = (src: string | undefined) => [...curieMap].find(([, v]) => src !== undefined && v.replace(/[:/#]$/, '') === src.replace(/[:/#]$/, ''))?.[0];
  const sp = prefixOf(subjectSource);
  const op = prefixOf(objectSource);
  const records = readTsvBody(lines, metaEnd);
  if (records instanceof CsvSyntaxError) return fail(at(records.line + metaEnd), records.message);
  const header = records.shift();
  if (!header) return fail(at(metaEnd + 1), 'the file has a metadata block but no header row');
  const names = header.values.map((h) => h.trim());
  for (const k of ['subject_id', 'predicate_id', 'object_id', 'mapping_justification']) if (!names.includes(k)) return fail(at(header.line), `the header has no \`${k}\` column, which SSSOM requires`);
  const rows: TsvRow[] = records.map((r) => ({ cells: new Map(names.map((n, i) => [n, r.values[i] ?? ''])), loc: at(r.line) }));
  const mappings: Mapping[] = [];
  const ctx: RowContext = { from, sp, op, subjectSource, objectSource };
  for (const row of rows) {
    const r = sssomRow(row, ctx, diagnostics);
    if (r === 'left-out') continue;
    if ('severity' in r) return { diagnostics: [...diagnostics, r] };
    mappings.push(r);
  }
  return sssomCrosswalk(metaStr, lines, file, at, { from, to, domain }, mappings, opts, diagnostics);
}

/** The TSV body after the metadata block's `metaEnd` lines, with the shared tokenizer (quotes as in CSV), line numbers kept; or the syntax error. */
function readTsvBody(lines: string[], metaEnd: number): { values: string[]; line: number }[] | CsvSyntaxError {
  const records: { values: string[]; line: number }[] = [];
  const tok = new CsvTokenizer({ delimiter: '\t', quote: '"' });
  const take = (v: RecordView) => {
    if (v.count === 1 && v.start === v.end) return;
    const values = new Array<string>(v.count);
    for (let i = 0; i < v.count; i++) values[i] = fieldValue(v.text.slice(v.fs[i]!, v.fe[i]!));
    records.push({ values, line: v.line + metaEnd });
  };
  try {
    tok.push(lines.slice(metaEnd).join('\n'), take);
    tok.end(take);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return e;
  }
  return records;
}

/** The imported crosswalk around its mappings: id, version, description, source and field declarations from the metadata. */
function sssomCrosswalk(metaStr: (k: string) => string | undefined, lines: string[], file: string, at: (line: number) => SourceLoc, { from, to, domain }: { from: string; to: string; domain: string }, mappings: Mapping[], opts: ImportOptions, diagnostics: Diagnostic[]): Imported {
  const setId = metaStr('mapping_set_id')!;
  const fromUrn = /^urn:xwalk:crosswalk:([a-z0-9-]+)$/.exec(setId)?.[1];
  const cw: Crosswalk = { id: opts.id ?? fromUrn ?? `${from}--${to}`, from, to, domain, version: opts.version ?? metaStr('mapping_set_version') ?? '1', mappings, files: [file], loc: at(1) };
  const description = metaStr('mapping_set_description');
  if (description) cw.description = description;
  const comment = metaStr('comment');
  if (comment) cw.source = comment;
  const fieldsJson = parseOther(metaStr('other') ?? '').get('xwalk_fields');
  if (fieldsJson !== undefined) {
    const line = lines.findIndex((l) => /^#other\s*:/.test(l)) + 1;
    const r = parseFieldDeclsJson(fieldsJson, at(line || 1), 'xwalk_fields in the metadata `other`');
    if (!r.fields) return { diagnostics: [...diagnostics, ...r.diagnostics] };
    cw.fields = r.fields;
  }
  return { crosswalk: cw, diagnostics };
}

/** What every row of an SSSOM file is read against: the source vocabulary and the CURIE prefixes of both sides. */
interface RowContext {
  from: string;
  sp: string | undefined;
  op: string | undefined;
  subjectSource: string | undefined;
  objectSource: string | undefined;
}

/** One TSV row → a mapping; 'left-out' with a warning pushed for what xwalk cannot hold; a diagnostic stops the import. */
function sssomRow(row: TsvRow, ctx: RowContext, diagnostics: Diagnostic[]): Mapping | 'left-out' | Diagnostic {
  const fail = (loc: SourceLoc, msg: string, hint?: string): Diagnostic => error('sssom-import', loc, msg, hint);
  const c = (k: string) => (row.cells.get(k) ?? '').trim();
  const subject = c('subject_id');
  const object = c('object_id');
  const predicate = c('predicate_id');
  const modifier = c('predicate_modifier');
  const code = ctx.sp ? localCode(subject, ctx.sp) : undefined;
  if (code === undefined) return fail(row.loc, `subject_id "${subject}" is not a code of ${ctx.subjectSource ?? 'the subject source'}`, `subject ids are CURIEs with the prefix the curie_map gives ${ctx.subjectSource ?? 'subject_source'}`);
  if (modifier && modifier !== 'Not') return fail(row.loc, `predicate_modifier "${modifier}" is not an SSSOM modifier`, 'the only modifier is Not');
  const named = (to?: string) => mappingName({ from: ctx.from }, { from: code, to, relation: 'related' });
  // xwalk's own details first: a condition changes what the predicate says (of the whole code).
  const other = parseOther(c('other'));
  const when = other.get('xwalk_when') || undefined;
  const stated = parseRelation(other.get('xwalk_relation') ?? '');
  let relation: Relation | undefined;
  let target: string | undefined;
  if (object === NO_TERM_FOUND) {
    const conditional = when !== undefined && !modifier && predicate === SSSOM_PREDICATE['source-narrower'];
    if (!conditional && (modifier || predicate !== 'skos:relatedMatch')) {
      diagnostics.push(
        warning(
          'sssom-not-imported',
          row.loc,
          `${named()}: "${modifier ? `${modifier} ` : ''}${predicate} sssom:NoTermFound" says only that no such match was found; xwalk's no-match (no counterpart of any kind) would claim more: left out`,
          'write skos:relatedMatch sssom:NoTermFound for a code with no counterpart',
        ),
      );
      return 'left-out';
    }
    relation = 'no-match';
  } else {
    target = ctx.op ? localCode(object, ctx.op) : undefined;
    if (target === undefined) return fail(row.loc, `object_id "${object}" is not a code of ${ctx.objectSource ?? 'the object source'}`, `object ids are CURIEs with the prefix the curie_map gives ${ctx.objectSource ?? 'object_source'}`);
    const positive = FROM_PREDICATE.get(predicate);
    if (!positive) {
      diagnostics.push(warning('sssom-not-imported', row.loc, `${named(target)}: the predicate ${predicate} has no xwalk relation: left out`, 'xwalk reads skos:exactMatch, broadMatch, narrowMatch, closeMatch and relatedMatch'));
      return 'left-out';
    }
    if (modifier === 'Not') {
      if (positive === 'overlap' || positive === 'related') relation = 'disjoint';
      // xwalk's conditional disjoint: of the whole code it says only "Not broadMatch".
      else if (when !== undefined && stated === 'disjoint' && positive === 'source-narrower') relation = 'disjoint';
      else {
        diagnostics.push(warning('sssom-not-imported', row.loc, `${named(target)}: "Not ${predicate}" is a negative statement weaker than disjoint (the codes may still share records); xwalk has no such relation and never reads it as a mapping: left out`));
        return 'left-out';
      }
    } else relation = positive;
  }
  const m: Mapping = { from: code, relation, confidence: 1, when: [], status: 'reviewed', loc: row.loc };
  if (target !== undefined) m.to = target;
  const justification = c('mapping_justification');
  const derived = justification === JUSTIFICATION.inversion || justification === JUSTIFICATION.chaining;
  if (other.get('xwalk_status') === 'proposed' || derived || (justification !== JUSTIFICATION.manual && justification !== 'semapv:MappingReview')) m.status = 'proposed';
  const method = other.get('xwalk_method') ?? (m.status === 'proposed' ? justification.replace(/^semapv:/, '') : undefined);
  if (method) m.method = method;
  const conf = c('confidence');
  if (conf) {
    const n = Number(conf);
    if (!(n > 0 && n <= 1)) return fail(row.loc, `confidence is "${conf}"; expected a number above 0 and at most 1`);
    m.confidence = n;
  }
  let comment = c('comment');
  if (derived) comment = withoutNote(comment, 'inverted');
  if (comment) m.note = comment;
  const bad = readOtherDetails(m, other, when, stated, relation, predicate, row.loc);
  if (bad) return bad;
  return m;
}

/** xwalk's details in a row's `other` onto its mapping: the condition (and the relation stated under it), the product, the validity; a Diagnostic for a bad one. */
function readOtherDetails(m: Mapping, other: Map<string, string>, when: string | undefined, stated: Relation | undefined, relation: Relation, predicate: string, loc: SourceLoc): Diagnostic | undefined {
  if (when) {
    const parsed = parseConditionText(when);
    if (typeof parsed === 'string') return error('sssom-import', loc, `the condition in \`other\` (xwalk_when): ${parsed}`);
    m.when = parsed;
    // The relation the mapping states under its condition; the predicate must be what it says of the whole code.
    if (stated && isPositive(stated)) {
      const whole = wholeCodeRelation(stated);
      if (whole !== relation)
        return error('sssom-import', loc, `xwalk_relation ${stated} in \`other\` does not agree with the predicate ${predicate}: under a condition, ${stated} says ${SSSOM_PREDICATE[whole as Exclude<Relation, 'disjoint' | 'no-match'>]} of the whole code`, 'correct the predicate or xwalk_relation');
      m.relation = stated;
    }
  }
  const product = other.get('xwalk_product');
  if (product) {
    const parsed = parseFactText(product);
    if (typeof parsed === 'string') return error('sssom-import', loc, `the product in \`other\` (xwalk_product): ${parsed}`);
    if (parsed.length) m.product = parsed;
  }
  for (const [k, key] of [
    ['xwalk_valid_from', 'validFrom'],
    ['xwalk_valid_to', 'validTo'],
  ] as const) {
    const v = other.get(k);
    if (v === undefined) continue;
    const d = parseIsoDate(v);
    if (!d) return error('sssom-import', loc, `${k} in \`other\` is "${v}", not a date`);
    m[key] = d;
  }
  return undefined;
}
