/**
 * FHIR ConceptMap, R4 (`equivalence`) and R5 (`relationship`, `noMap`), both ways.
 *
 * Export: one group from the source vocabulary's code system to the target's
 * (`urn:xwalk:vocabulary:ID:DOMAIN`), one element per source code, one target per mapping.
 * Conditions become `dependsOn` (one record field = one value; a list of values becomes one
 * target per value, which import merges back); facts about the target side (a mapping's
 * `product`) become `product`. What FHIR cannot hold is kept in `urn:xwalk:fhir:*` extensions so
 * that xwalk reads it back unchanged, and reported as a warning, because other FHIR tools ignore
 * those extensions: a condition other than "field is one of" (not-in, a comparison, `~` "not
 * recorded"), a fact "one of several values", a confidence below 1, validity dates, R5's lack of
 * an `overlap` relationship (written as the weaker `related-to`), the crosswalk's condition field
 * declarations (`urn:xwalk:fhir:fields`, JSON). A no-match under a condition is an R4 target
 * `unmatched` with `dependsOn` ("under these, no match"); R5's `noMap` speaks for the whole
 * element and excludes targets, so such a no-match (or one beside targets) is the element's
 * `urn:xwalk:fhir:no-match` extension instead, never `noMap`. Proposed (unreviewed) mappings are
 * left out: FHIR has no place to say "not reviewed".
 *
 * Import: the same, in reverse; FHIR's names convert through model/relation.ts; field
 * declarations pass the crosswalk reader's own checks. Elements that xwalk cannot hold (R5
 * `unmapped` defaults, value-set targets) are warnings; nothing becomes a positive mapping that
 * was not one.
 */

import type { Condition, Crosswalk, FactStatement, Mapping, SourceLoc } from '../model/types.js';
import { parseRelation, type Relation } from '../model/relation.js';
import { error, warning, type Diagnostic } from '../errors/errors.js';
import { parseConditionText, parseFactText, parseIsoDate } from '../read/values.js';
import { readYaml, type YNode } from '../read/yaml.js';
import { conditionsText, factsText, fieldDeclsJson, isPlainIn, lossWarning, mappingName, parseFieldDeclsJson, parseVocabularyUrn, setLossWarning, URN, type ExportMapping, type ExportSet, type Exported } from './common.js';
import { noteText } from '../translate/notes.js';

export type FhirVersion = 'r4' | 'r5';

const R4_CODE: Record<Exclude<Relation, 'no-match'>, string> = {
  equivalent: 'equivalent',
  'source-narrower': 'wider',
  'source-broader': 'narrower',
  overlap: 'inexact',
  related: 'relatedto',
  disjoint: 'disjoint',
};

const R5_CODE: Record<Exclude<Relation, 'no-match'>, string> = {
  equivalent: 'equivalent',
  'source-narrower': 'source-is-narrower-than-target',
  'source-broader': 'source-is-broader-than-target',
  overlap: 'related-to',
  related: 'related-to',
  disjoint: 'not-related-to',
};

/** Comments FHIR requires (R4 cmd-1: narrower, inexact; R5 cmd-1: source-is-broader, not-related-to) when the mapping has no note. */
export const REQUIRED_COMMENT: Partial<Record<Relation, string>> = {
  'source-broader': 'xwalk: the source code is broader than the target: only some of its records belong here',
  overlap: 'xwalk: the codes overlap: some records are both, neither code contains the other',
  disjoint: 'xwalk: a negative statement: the two codes never describe the same record',
};

const EXT = {
  relation: URN.extension('relation'),
  when: URN.extension('when'),
  confidence: URN.extension('confidence'),
  validFrom: URN.extension('valid-from'),
  validTo: URN.extension('valid-to'),
  derivation: URN.extension('derivation'),
  path: URN.extension('path'),
  note: URN.extension('note'),
  source: URN.extension('source'),
  product: URN.extension('product'),
  /** R5: a no-match `noMap` cannot say (under a condition, or beside targets), one per mapping. */
  noMatch: URN.extension('no-match'),
  /** The crosswalk's condition field declarations, as JSON (field name → declaration). */
  fields: URN.extension('fields'),
};

type Json = Record<string, unknown>;
type ListCondition = Extract<Condition, { values: string[] }>;

/** `riverton-pd--nibrs` → `RivertonPdNibrs` (R4/R5 cmd-0: a name usable as an identifier). */
function fhirName(id: string): string {
  const n = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Z]/.test(n) ? n : `X${n}`;
}

/**
 * Every combination of one value per plain `in` condition (a list of values is an "or"); the rest
 * (`not-in`, comparisons, a list holding `~` "not recorded") is what dependsOn cannot say.
 */
function splitConditions(when: Condition[]): { depends: { field: string; value: string }[][]; rest: Condition[] } {
  const ins = when.filter(isPlainIn);
  const rest = when.filter((c) => !isPlainIn(c));
  let combos: { field: string; value: string }[][] = [[]];
  for (const c of ins) combos = combos.flatMap((combo) => c.values.map((value) => [...combo, { field: c.field, value }]));
  return { depends: combos, rest };
}

/** Confidence and validity as xwalk extensions (`urls` gives their names), and the words for the loss warning. */
function detailExtensions(m: Mapping, urls: { confidence: string; validFrom: string; validTo: string }): { ext: Json[]; lost: string[] } {
  const ext: Json[] = [];
  const lost: string[] = [];
  if (m.confidence !== 1) {
    ext.push({ url: urls.confidence, valueDecimal: m.confidence });
    lost.push(`confidence ${m.confidence}`);
  }
  if (m.validFrom) ext.push({ url: urls.validFrom, valueDate: m.validFrom });
  if (m.validTo) ext.push({ url: urls.validTo, valueDate: m.validTo });
  if (m.validFrom || m.validTo) lost.push(`the validity ${m.validFrom ?? '…'} to ${m.validTo ?? '…'}`);
  return { ext, lost };
}

export function exportFhir(set: ExportSet, version: FhirVersion): Exported {
  const warnings: Diagnostic[] = [];
  const fmt = version === 'r4' ? 'FHIR R4' : 'FHIR R5';
  const fields = new Set<string>();
  const elements = new Map<string, Json>();
  // R5 says no-match per element (`noMap`), which excludes targets: decided once every target is known.
  const noMatches = new Map<string, ExportMapping[]>();
  for (const m of set.mappings) {
    if (m.status === 'proposed') {
      warnings.push(warning('not-exported', m.loc, `${mappingName(set, m)} (${m.relation}) is proposed, not reviewed: left out of the ${fmt} ConceptMap, which has no way to say so`, 'review it (set status: reviewed) to export it'));
      continue;
    }
    let el = elements.get(m.from);
    if (!el) {
      el = { code: m.from, ...(m.fromLabel ? { display: m.fromLabel } : {}) };
      elements.set(m.from, el);
    }
    if (m.relation === 'no-match' && version === 'r5') {
      noMatches.set(m.from, [...(noMatches.get(m.from) ?? []), m]);
      continue;
    }
    const { targets, lost } = fhirTargets(m, version, fields);
    for (const t of targets) el.target = [...((el.target as Json[]) ?? []), t];
    if (lost.length) warnings.push(lossWarning('fhir-loss', set, m, lost, fmt));
  }
  for (const [code, list] of noMatches) r5NoMatches(set, elements.get(code)!, list, warnings);
  const cm = conceptMapHeader(set, warnings, fmt);
  const src = URN.vocabulary(set.from, set.domain);
  const tgt = URN.vocabulary(set.to, set.domain);
  if (version === 'r5' && fields.size) cm.additionalAttribute = [...fields].sort().map((code) => ({ code, description: `the record's ${code} field`, type: 'code' }));
  const group: Json =
    version === 'r4' ? { source: src, ...(set.fromVersion ? { sourceVersion: set.fromVersion } : {}), target: tgt, ...(set.toVersion ? { targetVersion: set.toVersion } : {}) } : { source: set.fromVersion ? `${src}|${set.fromVersion}` : src, target: set.toVersion ? `${tgt}|${set.toVersion}` : tgt };
  group.element = [...elements.values()];
  cm.group = [group];
  return { text: JSON.stringify(cm, null, 2) + '\n', warnings };
}

/**
 * One mapping's ConceptMap targets (one per dependsOn combination), and what FHIR cannot say of it.
 * Every R4 mapping, an R4 no-match included (a target `unmatched`, with dependsOn when it has
 * a condition: "under these dependencies there is no match"), and every positive R5 mapping.
 * Adds the fields named in dependsOn and product to `fields`.
 */
function fhirTargets(m: ExportMapping, version: FhirVersion, fields: Set<string>): { targets: Json[]; lost: string[] } {
  const lost: string[] = [];
  const ext: Json[] = [];
  if (version === 'r5' && m.relation === 'overlap') {
    ext.push({ url: EXT.relation, valueCode: 'overlap' });
    lost.push('overlap (written as the weaker related-to)');
  }
  const { depends, rest } = splitConditions(m.when);
  if (rest.length) {
    // The whole condition, in its order (dependsOn repeats the part it can say): import keeps the order.
    ext.push({ url: EXT.when, valueString: conditionsText(m.when) });
    const notRecorded = rest.some((c) => c.op === 'in');
    lost.push(`the condition ${conditionsText(rest)} (dependsOn says only "field is value"${notRecorded ? ', never "not recorded"' : ''})`);
  }
  // Facts about the target side: FHIR `product`, one attribute = one value. A fact that is "one
  // of several values" has no product form: then the xwalk extension holds the whole product, in
  // its order, and `product` the facts it can say.
  const product = m.product ?? [];
  const products = product.filter((f) => f.values.length === 1);
  const oneOf = product.filter((f) => f.values.length !== 1);
  if (oneOf.length) {
    ext.push({ url: EXT.product, valueString: factsText(product) });
    lost.push(`the product ${factsText(oneOf)} (product says only "field is value")`);
  }
  const details = detailExtensions(m, EXT);
  ext.push(...details.ext);
  lost.push(...details.lost);
  if (m.derivation !== 'stated') {
    ext.push({ url: EXT.derivation, valueCode: m.derivation });
    if (m.path) ext.push({ url: EXT.path, valueString: m.path });
  }
  const base = targetBase(m, version);
  const targets: Json[] = [];
  for (const combo of depends) {
    const t: Json = ext.length ? { extension: ext, ...base } : { ...base };
    if (combo.length) {
      t.dependsOn = combo.map((d) => {
        fields.add(d.field);
        return version === 'r4' ? { property: `urn:xwalk:field:${d.field}`, value: d.value } : { attribute: d.field, valueString: d.value };
      });
    }
    if (products.length) {
      t.product = products.map((f) => {
        fields.add(f.field);
        return version === 'r4' ? { property: `urn:xwalk:field:${f.field}`, value: f.values[0] } : { attribute: f.field, valueString: f.values[0] };
      });
    }
    targets.push(t);
  }
  return { targets, lost };
}

/** A target's code, relationship (or R4 equivalence) and comment, shared by its dependsOn combinations. */
function targetBase(m: ExportMapping, version: FhirVersion): Json {
  let comment = m.note;
  if (m.derivation !== 'stated') comment = [m.derivation === 'inverse' ? noteText('inverted') : 'chained', m.path ? `path ${m.path}` : undefined, m.note].filter(Boolean).join('; ');
  const needsComment = version === 'r4' ? m.relation === 'source-broader' || m.relation === 'overlap' : m.relation === 'source-broader' || m.relation === 'disjoint';
  if (comment === undefined && needsComment) comment = REQUIRED_COMMENT[m.relation];
  let base: Json;
  if (m.relation === 'no-match') base = { equivalence: 'unmatched' };
  else {
    const rel = m.relation as Exclude<Relation, 'no-match'>;
    base = { code: m.to, ...(m.toLabel ? { display: m.toLabel } : {}) };
    if (version === 'r4') base.equivalence = R4_CODE[rel];
    else base.relationship = R5_CODE[rel];
  }
  if (comment !== undefined) base.comment = comment;
  return base;
}

/** An R5 element's no-match statements: R5's own noMap when the whole code has none, else xwalk extensions. */
function r5NoMatches(set: ExportSet, el: Json, list: readonly ExportMapping[], warnings: Diagnostic[]): void {
  const fmt = 'FHIR R5';
  const only = list.length === 1 && !list[0]!.when.length && !(el.target as Json[] | undefined)?.length ? list[0]! : undefined;
  if (only && !only.product?.length) {
    // The code as a whole has no counterpart: R5's own noMap.
    el.noMap = true;
    const details = detailExtensions(only, EXT);
    const ext = [...(only.note ? [{ url: EXT.note, valueString: only.note }] : []), ...details.ext];
    if (ext.length) el.extension = ext;
    if (details.lost.length) warnings.push(lossWarning('fhir-loss', set, only, details.lost, fmt));
    return;
  }
  // noMap would say it of the whole code, and excludes the code's targets: each no-match is an
  // xwalk extension on the element instead (FHIR tools that ignore it see no statement at all).
  for (const m of list) {
    const details = detailExtensions(m, { confidence: 'confidence', validFrom: 'valid-from', validTo: 'valid-to' });
    const parts: Json[] = [...(m.when.length ? [{ url: 'when', valueString: conditionsText(m.when) }] : []), ...(m.product?.length ? [{ url: 'product', valueString: factsText(m.product) }] : []), ...(m.note ? [{ url: 'note', valueString: m.note }] : []), ...details.ext];
    el.extension = [...((el.extension as Json[]) ?? []), parts.length ? { url: EXT.noMatch, extension: parts } : { url: EXT.noMatch, valueBoolean: true }];
    const what = m.when.length ? `a no-match under a condition (when ${conditionsText(m.when)}): noMap speaks for the whole code` : 'a no-match beside other statements of the code: noMap excludes targets';
    warnings.push(lossWarning('fhir-loss', set, m, [what, ...details.lost], fmt, `kept in the ${EXT.noMatch} extension, which other FHIR tools ignore`));
  }
}

/** The ConceptMap resource without its group: id, xwalk extensions (source, field declarations), url, version, names. */
function conceptMapHeader(set: ExportSet, warnings: Diagnostic[], fmt: string): Json {
  const cm: Json = { resourceType: 'ConceptMap', id: set.id.slice(0, 64) };
  const cmExt: Json[] = [];
  if (set.source) cmExt.push({ url: EXT.source, valueString: set.source });
  if (set.fields?.length) {
    cmExt.push({ url: EXT.fields, valueString: fieldDeclsJson(set.fields) });
    warnings.push(setLossWarning('fhir-fields', set, `the declarations of the condition fields ${set.fields.map((f) => f.name).join(', ')} (their code lists and how many values a record has)`, fmt, `kept in the ${EXT.fields} extension, which other FHIR tools ignore`));
  }
  if (cmExt.length) cm.extension = cmExt;
  Object.assign(cm, {
    url: URN.crosswalk(set.id),
    version: set.version,
    name: fhirName(set.id),
    title: `${set.from} → ${set.to} (${set.domain})`,
    status: 'active',
    ...(set.description ? { description: set.description } : {}),
  });
  return cm;
}

// ---------------------------------------------------------------------------------------------
// Import

export interface ImportOptions {
  /** Overrides for what the file does not say in xwalk's terms (systems that are not xwalk URNs). */
  from?: string;
  to?: string;
  domain?: string;
  id?: string;
  version?: string;
}

export interface Imported {
  crosswalk?: Crosswalk;
  /** Errors (nothing imported) and warnings (something left out, named). */
  diagnostics: Diagnostic[];
}

const get = (n: YNode | undefined, k: string): YNode | undefined => (n?.kind === 'map' ? n.entries.get(k)?.value : undefined);
const text = (n: YNode | undefined): string | undefined => (n?.kind === 'scalar' ? n.value : undefined);
const items = (n: YNode | undefined): YNode[] => (n?.kind === 'seq' ? n.items : n === undefined ? [] : [n]);
const str = (n: YNode | undefined, k: string): string | undefined => text(get(n, k));

/** The extension values of a node, by URL (first one wins). */
function extensions(n: YNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of items(get(n, 'extension'))) {
    const url = str(e, 'url');
    if (!url || out.has(url)) continue;
    for (const k of ['valueString', 'valueCode', 'valueDecimal', 'valueDate']) {
      const v = str(e, k);
      if (v !== undefined) out.set(url, v);
    }
  }
  return out;
}

/** Merges targets that differ only in the value of one `in` condition (export split them). */
function mergeSplit(list: Mapping[]): Mapping[] {
  let changed = true;
  let out = list;
  while (changed) {
    changed = false;
    const fields = new Set(out.flatMap((m) => m.when.filter((c) => c.op === 'in').map((c) => c.field)));
    for (const field of fields) {
      const groups = new Map<string, Mapping[]>();
      const order: string[] = [];
      for (const m of out) {
        const own = m.when.find((c) => c.field === field && c.op === 'in');
        const key = own ? JSON.stringify([m.from, m.to, m.relation, m.confidence, m.note, m.status, m.method, m.validFrom, m.validTo, m.product, m.when.map((c) => (c === own ? field : c))]) : `\u0000${order.length}`;
        if (!groups.has(key)) {
          groups.set(key, []);
          order.push(key);
        }
        groups.get(key)!.push(m);
      }
      const next: Mapping[] = [];
      for (const key of order) {
        const g = groups.get(key)!;
        if (g.length === 1 || key.startsWith('\u0000')) {
          next.push(...g);
          continue;
        }
        const values = [...new Set(g.flatMap((m) => m.when.filter((c): c is ListCondition => c.field === field && c.op === 'in').flatMap((c) => c.values)))];
        const first = g[0]!;
        next.push({ ...first, when: first.when.map((c) => (c.field === field && c.op === 'in' ? { field, op: 'in', values } : c)) });
        changed = true;
      }
      out = next;
      if (changed) break;
    }
  }
  return out;
}

const STRIP_COMMENTS = new Set(Object.values(REQUIRED_COMMENT));

/** Parses JSON through the positioned YAML reader (JSON is YAML), so errors carry lines. */
export function readJsonTree(textIn: string, file: string): { root?: YNode; diagnostics: Diagnostic[] } {
  // Tabs cannot occur inside JSON strings (they must be escaped), and YAML refuses them as indentation.
  const r = readYaml(textIn.replace(/\t/g, ' '), file);
  if (r.diagnostics.length || !r.root) return { diagnostics: r.diagnostics.map((d) => ({ ...d, rule: 'json-syntax', message: d.message.replace(/YAML/g, 'JSON') })) };
  return { root: r.root, diagnostics: [] };
}

function systemOf(uri: string | undefined): string | undefined {
  return uri?.split('|')[0];
}

/** Confidence and validity from xwalk extensions (named by `urls`) onto `m`; a message when one is unreadable. */
function readDetails(m: Mapping, ext: Map<string, string>, urls: { confidence: string; validFrom: string; validTo: string }): string | undefined {
  const conf = ext.get(urls.confidence);
  if (conf !== undefined) {
    const n = Number(conf);
    if (!(n > 0 && n <= 1)) return `the xwalk confidence extension is ${conf}; expected a number above 0 and at most 1`;
    m.confidence = n;
  }
  for (const [url, key] of [
    [urls.validFrom, 'validFrom'],
    [urls.validTo, 'validTo'],
  ] as const) {
    const v = ext.get(url);
    if (v === undefined) continue;
    const d = parseIsoDate(v);
    if (!d) return `the xwalk ${key} extension is "${v}", not a date`;
    m[key] = d;
  }
  return undefined;
}

export function importFhir(source: string, file: string, version: FhirVersion, opts: ImportOptions = {}): Imported {
  const diagnostics: Diagnostic[] = [];
  const { root, diagnostics: parse } = readJsonTree(source, file);
  if (!root) return { diagnostics: parse };
  const loc0: SourceLoc = root.loc;
  const fail = (loc: SourceLoc, msg: string, hint?: string): Imported => ({ diagnostics: [...diagnostics, error('fhir-import', loc, msg, hint)] });
  if (str(root, 'resourceType') !== 'ConceptMap') return fail(loc0, `the file is not a FHIR ConceptMap (resourceType is ${JSON.stringify(str(root, 'resourceType') ?? null)})`, 'export a ConceptMap resource as JSON');
  const fmt = version === 'r4' ? 'FHIR R4' : 'FHIR R5';
  const groups = items(get(root, 'group'));
  if (!groups.length) return fail(loc0, 'the ConceptMap has no group: nothing to import');
  const firstGroup = groups[0]!;
  const srcSys = systemOf(str(firstGroup, 'source'));
  const tgtSys = systemOf(str(firstGroup, 'target'));
  const srcUrn = srcSys ? parseVocabularyUrn(srcSys) : undefined;
  const tgtUrn = tgtSys ? parseVocabularyUrn(tgtSys) : undefined;
  const from = opts.from ?? srcUrn?.id;
  const to = opts.to ?? tgtUrn?.id;
  const domain = opts.domain ?? srcUrn?.domain ?? tgtUrn?.domain;
  const gloc = firstGroup.loc;
  if (!from) return fail(gloc, `the group's source system ${JSON.stringify(srcSys ?? null)} is not an xwalk vocabulary`, 'name the source vocabulary with --from ID');
  if (!to) return fail(gloc, `the group's target system ${JSON.stringify(tgtSys ?? null)} is not an xwalk vocabulary`, 'name the target vocabulary with --to ID');
  if (!domain) return fail(gloc, 'the systems do not say which domain the codes belong to', 'name it with --domain (offense, unit, status ...)');
  const mappings: Mapping[] = [];
  const set = { from };
  const ctx: TargetContext = { version, fmt, from };
  for (const g of groups) {
    if (systemOf(str(g, 'source')) !== srcSys || systemOf(str(g, 'target')) !== tgtSys) {
      return fail(g.loc, `the ConceptMap has groups for several pairs of code systems (${srcSys} → ${tgtSys}, ${systemOf(str(g, 'source'))} → ${systemOf(str(g, 'target'))}); an xwalk crosswalk joins one pair`, 'split the ConceptMap, one group per file');
    }
    const unmapped = get(g, 'unmapped');
    if (unmapped) diagnostics.push(warning('fhir-not-imported', unmapped.loc, `the group's default for unmapped codes (unmapped.mode ${str(unmapped, 'mode') ?? '?'}) has no xwalk equivalent: not imported`, 'state a mapping (or no-match) for each code instead'));
    for (const el of items(get(g, 'element'))) {
      const code = str(el, 'code');
      if (code === undefined || code === '') {
        diagnostics.push(warning('fhir-not-imported', el.loc, `an element without a code (a value set of source codes?) cannot be imported: left out`));
        continue;
      }
      const noMatches = elementNoMatches(el, code, version, set);
      if (!Array.isArray(noMatches)) return { diagnostics: [...diagnostics, noMatches] };
      mappings.push(...noMatches);
      for (const t of items(get(el, 'target'))) {
        const r = fhirTarget(t, code, ctx, diagnostics);
        if (r === 'left-out') continue;
        if ('severity' in r) return { diagnostics: [...diagnostics, r] };
        mappings.push(r);
      }
    }
  }
  return importedCrosswalk(root, file, { from, to, domain }, mergeSplit(mappings), opts, diagnostics);
}

/** An element's no-match statements: R5's noMap, and the xwalk no-match extensions (one statement each); a Diagnostic for a bad one. */
function elementNoMatches(el: YNode, code: string, version: FhirVersion, set: { from: string }): Mapping[] | Diagnostic {
  const out: Mapping[] = [];
  const elExt = extensions(el);
  if (version === 'r5' && str(el, 'noMap') === 'true') {
    const m: Mapping = { from: code, relation: 'no-match', confidence: 1, when: [], status: 'reviewed', loc: el.loc };
    const note = elExt.get(EXT.note);
    if (note) m.note = note;
    const bad = readDetails(m, elExt, EXT);
    if (bad) return error('fhir-import', el.loc, `${mappingName(set, m)}: ${bad}`);
    out.push(m);
  }
  // No-match statements noMap cannot make (under a condition, or beside targets), one extension each.
  for (const e of items(get(el, 'extension'))) {
    if (str(e, 'url') !== EXT.noMatch) continue;
    const m = noMatchExtension(e, code);
    if ('severity' in m) return m;
    out.push(m);
  }
  return out;
}

/** One xwalk no-match extension of an element → its no-match statement (condition, product, note, details). */
function noMatchExtension(e: YNode, code: string): Mapping | Diagnostic {
  const parts = extensions(e);
  const m: Mapping = { from: code, relation: 'no-match', confidence: 1, when: [], status: 'reviewed', loc: e.loc };
  const when = parts.get('when');
  if (when !== undefined) {
    const c = parseConditionText(when);
    if (typeof c === 'string') return error('fhir-import', e.loc, `the xwalk no-match extension of ${code}: ${c}`);
    m.when = c;
  }
  const product = parts.get('product');
  if (product !== undefined) {
    const f = parseFactText(product);
    if (typeof f === 'string') return error('fhir-import', e.loc, `the xwalk no-match extension of ${code}: ${f}`);
    if (f.length) m.product = f;
  }
  const note = parts.get('note');
  if (note) m.note = note;
  const bad = readDetails(m, parts, { confidence: 'confidence', validFrom: 'valid-from', validTo: 'valid-to' });
  if (bad) return error('fhir-import', e.loc, `the xwalk no-match extension of ${code}: ${bad}`);
  return m;
}

/** The imported crosswalk around its mappings: id, version, description, source and field declarations from the ConceptMap. */
function importedCrosswalk(root: YNode, file: string, { from, to, domain }: { from: string; to: string; domain: string }, mappings: Mapping[], opts: ImportOptions, diagnostics: Diagnostic[]): Imported {
  const rawId = opts.id ?? str(root, 'id');
  const id = rawId && /^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$/.test(rawId) ? rawId : `${from}--${to}`;
  const cw: Crosswalk = { id, from, to, domain, version: opts.version ?? str(root, 'version') ?? '1', mappings, files: [file], loc: root.loc };
  const description = str(root, 'description');
  if (description) cw.description = description;
  const src = extensions(root).get(EXT.source);
  if (src) cw.source = src;
  const fieldsExt = items(get(root, 'extension')).find((e) => str(e, 'url') === EXT.fields);
  const fieldsJson = str(fieldsExt, 'valueString');
  if (fieldsExt && fieldsJson !== undefined) {
    const r = parseFieldDeclsJson(fieldsJson, get(fieldsExt, 'valueString')!.loc, 'the xwalk fields extension');
    if (!r.fields) return { diagnostics: [...diagnostics, ...r.diagnostics] };
    cw.fields = r.fields;
  }
  return { crosswalk: cw, diagnostics };
}

export type { ExportMapping };

/** What every target of a ConceptMap is read against. */
interface TargetContext {
  version: FhirVersion;
  fmt: string;
  from: string;
}

/** One target of an element (source `code`) → a mapping; 'left-out' with a warning pushed for what xwalk cannot hold; a diagnostic stops the import. */
function fhirTarget(t: YNode, code: string, ctx: TargetContext, diagnostics: Diagnostic[]): Mapping | 'left-out' | Diagnostic {
  const fail = (loc: SourceLoc, msg: string, hint?: string): Diagnostic => error('fhir-import', loc, msg, hint);
  const ext = extensions(t);
  const rawRel = ctx.version === 'r4' ? str(t, 'equivalence') : str(t, 'relationship');
  const field = ctx.version === 'r4' ? 'equivalence' : 'relationship';
  if (ctx.version === 'r5' && get(t, 'equivalence')) return fail(t.loc, 'this target has `equivalence`, an R4 element', 'import it with --format fhir-r4');
  if (ctx.version === 'r4' && get(t, 'relationship')) return fail(t.loc, 'this target has `relationship`, an R5 element', 'import it with --format fhir-r5');
  if (rawRel === undefined) return fail(t.loc, `the target of ${code} has no \`${field}\``, `every ${ctx.fmt} target says how it relates to the source`);
  let relation = parseRelation(rawRel);
  if (!relation || (ctx.version === 'r4' && !Object.values(R4_CODE).includes(rawRel) && !['equal', 'subsumes', 'specializes', 'unmatched'].includes(rawRel)) || (ctx.version === 'r5' && !Object.values(R5_CODE).includes(rawRel))) {
    return fail(
      get(t, field)!.loc,
      `"${rawRel}" is not a ${ctx.fmt} ${field} code`,
      ctx.version === 'r4' ? 'use equivalent, equal, wider, subsumes, narrower, specializes, inexact, relatedto, unmatched or disjoint' : 'use equivalent, source-is-narrower-than-target, source-is-broader-than-target, related-to or not-related-to',
    );
  }
  // R5 has one code for overlap and related; xwalk's own extension says which it was.
  if (relation === 'related' && ext.get(EXT.relation) === 'overlap') relation = 'overlap';
  const to = str(t, 'code');
  if (relation === 'no-match') {
    if (to) return fail(t.loc, `the target ${to} of ${code} is "unmatched" yet names a code`, 'an unmatched target has no code');
  } else if (to === undefined || to === '') {
    diagnostics.push(warning('fhir-not-imported', t.loc, `${ctx.from} ${code}: a ${rawRel} target without a code (a value set?) cannot be imported: left out`));
    return 'left-out';
  }
  const m: Mapping = { from: code, relation, confidence: 1, when: [], status: 'reviewed', loc: t.loc };
  if (to && relation !== 'no-match') m.to = to;
  const comment = str(t, 'comment');
  const derivation = ext.get(EXT.derivation);
  if (comment !== undefined && !STRIP_COMMENTS.has(comment)) m.note = comment;
  if (derivation === 'inverse' || derivation === 'chained') {
    m.status = 'proposed';
    m.method = `xwalk ${derivation}`;
  }
  for (const d of items(get(t, 'dependsOn'))) {
    const attr = ctx.version === 'r4' ? str(d, 'property')?.replace(/^urn:xwalk:field:/, '') : str(d, 'attribute');
    const value = ctx.version === 'r4' ? str(d, 'value') : (str(d, 'valueString') ?? str(d, 'valueCode') ?? str(get(d, 'valueCoding'), 'code') ?? str(d, 'valueBoolean'));
    if (!attr || value === undefined || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(attr)) {
      return fail(d.loc, `a dependsOn of ${code} → ${to ?? ''} that xwalk cannot read as "field is value"`, 'xwalk reads dependsOn with an attribute (R5) or property (R4) and a string or code value');
    }
    const existing = m.when.find((c): c is ListCondition => c.field === attr && c.op === 'in');
    // Two dependsOn on one field must both hold: a record has one value, so keep them as two conditions.
    if (existing && !existing.values.includes(value)) m.when.push({ field: attr, op: 'in', values: [value] });
    else if (!existing) m.when.push({ field: attr, op: 'in', values: [value] });
  }
  const product: FactStatement[] = [];
  for (const d of items(get(t, 'product'))) {
    const attr = ctx.version === 'r4' ? str(d, 'property')?.replace(/^urn:xwalk:field:/, '') : str(d, 'attribute');
    const value = ctx.version === 'r4' ? str(d, 'value') : (str(d, 'valueString') ?? str(d, 'valueCode') ?? str(get(d, 'valueCoding'), 'code') ?? str(d, 'valueBoolean'));
    if (!attr || value === undefined || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(attr)) {
      diagnostics.push(warning('fhir-not-imported', d.loc, `${mappingName({ from: ctx.from }, m)}: a \`product\` xwalk cannot read as "field is value": left out of the mapping`));
      continue;
    }
    product.push({ field: attr, values: [value] });
  }
  // The extension holds the whole product in its order (export writes it when a fact has
  // several values); a product element it does not state is added after it.
  const productExt = ext.get(EXT.product);
  if (productExt) {
    const f = parseFactText(productExt);
    if (typeof f === 'string') return fail(t.loc, `the xwalk product extension "${productExt}": ${f}`);
    const stated = new Set(f.map((x) => JSON.stringify(x)));
    product.splice(0, product.length, ...f, ...product.filter((x) => !stated.has(JSON.stringify(x))));
  }
  if (product.length) m.product = product;
  const when = ext.get(EXT.when);
  if (when) {
    const c = parseConditionText(when);
    if (typeof c === 'string') return fail(t.loc, `the xwalk condition extension "${when}": ${c}`);
    // The whole condition when it states every dependsOn (as xwalk writes it now); else (older
    // exports) only what dependsOn could not say, after it.
    const whole = m.when.every((d) => d.op === 'in' && d.values.every((v) => c.some((x) => x.field === d.field && x.op === 'in' && x.values.includes(v))));
    if (whole) m.when = c;
    else m.when.push(...c);
  }
  const bad = readDetails(m, ext, EXT);
  if (bad) return fail(t.loc, bad);
  return m;
}
