/**
 * FHIR ConceptMap, R4 (`equivalence`) and R5 (`relationship`, `noMap`), both ways.
 *
 * Export: one group from the source vocabulary's code system to the target's
 * (`urn:xwalk:vocabulary:ID:DOMAIN`), one element per source code, one target per mapping.
 * Conditions become `dependsOn` (one record field = one value; a list of values becomes one
 * target per value, which import merges back). What FHIR cannot hold is kept in `urn:xwalk:fhir:*`
 * extensions so that xwalk reads it back unchanged, and reported as a warning, because other FHIR
 * tools ignore those extensions: a condition other than "field is one of", a confidence below 1,
 * validity dates, R5's lack of an `overlap` relationship (written as the weaker `related-to`).
 * Proposed (unreviewed) mappings are left out: FHIR has no place to say "not reviewed".
 *
 * Import: the same, in reverse; FHIR's names convert through model/relation.ts. Elements that
 * xwalk cannot hold (R5 `unmapped` defaults, `product`, value-set targets) are warnings; nothing
 * becomes a positive mapping that was not one.
 */

import type { Condition, Crosswalk, Mapping, SourceLoc } from '../model/types.js';
import { parseRelation, type Relation } from '../model/relation.js';
import { error, warning, type Diagnostic } from '../load/errors.js';
import { parseConditionText, parseFactText, parseIsoDate } from '../load/fields.js';
import { readYaml, type YNode } from '../load/yaml.js';
import { conditionsText, lossWarning, mappingName, parseVocabularyUrn, URN, type ExportMapping, type ExportSet, type Exported } from './common.js';

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
};

type Json = Record<string, unknown>;
type ListCondition = Extract<Condition, { values: string[] }>;

/** `riverton-pd--nibrs` → `RivertonPdNibrs` (R4/R5 cmd-0: a name usable as an identifier). */
function fhirName(id: string): string {
  const n = id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Z]/.test(n) ? n : `X${n}`;
}

/** Every combination of one value per `in` condition (a list of values is an "or"). */
function splitConditions(when: Condition[]): { depends: { field: string; value: string }[][]; rest: Condition[] } {
  const ins = when.filter((c): c is ListCondition => c.op === 'in');
  const rest = when.filter((c) => c.op !== 'in');
  let combos: { field: string; value: string }[][] = [[]];
  for (const c of ins) combos = combos.flatMap((combo) => c.values.map((value) => [...combo, { field: c.field, value }]));
  return { depends: combos, rest };
}

export function exportFhir(set: ExportSet, version: FhirVersion): Exported {
  const warnings: Diagnostic[] = [];
  const fmt = version === 'r4' ? 'FHIR R4' : 'FHIR R5';
  const fields = new Set<string>();
  const elements = new Map<string, Json>();
  for (const m of set.mappings) {
    const lost: string[] = [];
    if (m.status === 'proposed') {
      warnings.push(warning('not-exported', m.loc, `${mappingName(set, m)} (${m.relation}) is proposed, not reviewed: left out of the ${fmt} ConceptMap, which has no way to say so`, 'review it (set status: reviewed) to export it'));
      continue;
    }
    let el = elements.get(m.from);
    if (!el) {
      el = { code: m.from, ...(m.fromLabel ? { display: m.fromLabel } : {}) };
      elements.set(m.from, el);
    }
    if (m.relation === 'no-match') {
      const note = m.note ?? (m.derivation !== 'stated' ? undefined : undefined);
      if (version === 'r5') {
        el.noMap = true;
        if (note) el.extension = [{ url: EXT.note, valueString: note }];
      } else {
        el.target = [...((el.target as Json[]) ?? []), { equivalence: 'unmatched', ...(note ? { comment: note } : {}) }];
      }
      continue;
    }
    const ext: Json[] = [];
    if (version === 'r5' && m.relation === 'overlap') {
      ext.push({ url: EXT.relation, valueCode: 'overlap' });
      lost.push('overlap (written as the weaker related-to)');
    }
    const { depends, rest } = splitConditions(m.when);
    if (rest.length) {
      ext.push({ url: EXT.when, valueString: conditionsText(rest) });
      lost.push(`the condition ${conditionsText(rest)} (dependsOn says only "field is value")`);
    }
    // Facts about the target side: FHIR `product`, one attribute = one value; a fact that is
    // "one of several values" has no product form and travels in the xwalk extension.
    const products = (m.product ?? []).filter((f) => f.values.length === 1);
    const oneOf = (m.product ?? []).filter((f) => f.values.length !== 1);
    if (oneOf.length) {
      ext.push({ url: EXT.product, valueString: oneOf.map((f) => `${f.field}=${f.values.join('|')}`).join(';') });
      lost.push(`the product ${oneOf.map((f) => `${f.field}=${f.values.join('|')}`).join('; ')} (product says only "field is value")`);
    }
    if (m.confidence !== 1) {
      ext.push({ url: EXT.confidence, valueDecimal: m.confidence });
      lost.push(`confidence ${m.confidence}`);
    }
    if (m.validFrom) ext.push({ url: EXT.validFrom, valueDate: m.validFrom });
    if (m.validTo) ext.push({ url: EXT.validTo, valueDate: m.validTo });
    if (m.validFrom || m.validTo) lost.push(`the validity ${m.validFrom ?? '…'} to ${m.validTo ?? '…'}`);
    if (m.derivation !== 'stated') {
      ext.push({ url: EXT.derivation, valueCode: m.derivation });
      if (m.path) ext.push({ url: EXT.path, valueString: m.path });
    }
    let comment = m.note;
    if (m.derivation !== 'stated') comment = [m.derivation === 'inverse' ? 'inverted: this direction was never reviewed' : 'chained', m.path ? `path ${m.path}` : undefined, m.note].filter(Boolean).join('; ');
    const needsComment = version === 'r4' ? m.relation === 'source-broader' || m.relation === 'overlap' : m.relation === 'source-broader' || m.relation === 'disjoint';
    if (comment === undefined && needsComment) comment = REQUIRED_COMMENT[m.relation];
    const rel = m.relation as Exclude<Relation, 'no-match'>;
    const base: Json = { code: m.to, ...(m.toLabel ? { display: m.toLabel } : {}) };
    if (version === 'r4') base.equivalence = R4_CODE[rel];
    else base.relationship = R5_CODE[rel];
    if (comment !== undefined) base.comment = comment;
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
      el.target = [...((el.target as Json[]) ?? []), t];
    }
    if (lost.length) warnings.push(lossWarning('fhir-loss', set, m, lost, fmt));
  }
  const cm: Json = { resourceType: 'ConceptMap', id: set.id.slice(0, 64) };
  if (set.source) cm.extension = [{ url: EXT.source, valueString: set.source }];
  Object.assign(cm, {
    url: URN.crosswalk(set.id),
    version: set.version,
    name: fhirName(set.id),
    title: `${set.from} → ${set.to} (${set.domain})`,
    status: 'active',
    ...(set.description ? { description: set.description } : {}),
  });
  const src = URN.vocabulary(set.from, set.domain);
  const tgt = URN.vocabulary(set.to, set.domain);
  if (version === 'r5' && fields.size) cm.additionalAttribute = [...fields].sort().map((code) => ({ code, description: `the record's ${code} field`, type: 'code' }));
  const group: Json =
    version === 'r4'
      ? { source: src, ...(set.fromVersion ? { sourceVersion: set.fromVersion } : {}), target: tgt, ...(set.toVersion ? { targetVersion: set.toVersion } : {}) }
      : { source: set.fromVersion ? `${src}|${set.fromVersion}` : src, target: set.toVersion ? `${tgt}|${set.toVersion}` : tgt };
  group.element = [...elements.values()];
  cm.group = [group];
  return { text: JSON.stringify(cm, null, 2) + '\n', warnings };
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
        const key = own
          ? JSON.stringify([m.from, m.to, m.relation, m.confidence, m.note, m.status, m.validFrom, m.validTo, m.when.map((c) => (c === own ? field : c))])
          : `\u0000${order.length}`;
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
      const elExt = extensions(el);
      if (version === 'r5' && str(el, 'noMap') === 'true') {
        const m: Mapping = { from: code, relation: 'no-match', confidence: 1, when: [], status: 'reviewed', loc: el.loc };
        const note = elExt.get(EXT.note);
        if (note) m.note = note;
        mappings.push(m);
      }
      for (const t of items(get(el, 'target'))) {
        const ext = extensions(t);
        const rawRel = version === 'r4' ? str(t, 'equivalence') : str(t, 'relationship');
        const field = version === 'r4' ? 'equivalence' : 'relationship';
        if (version === 'r5' && get(t, 'equivalence')) return fail(t.loc, 'this target has `equivalence`, an R4 element', 'import it with --format fhir-r4');
        if (version === 'r4' && get(t, 'relationship')) return fail(t.loc, 'this target has `relationship`, an R5 element', 'import it with --format fhir-r5');
        if (rawRel === undefined) return fail(t.loc, `the target of ${code} has no \`${field}\``, `every ${fmt} target says how it relates to the source`);
        let relation = parseRelation(rawRel);
        if (!relation || (version === 'r4' && !Object.values(R4_CODE).includes(rawRel) && !['equal', 'subsumes', 'specializes', 'unmatched'].includes(rawRel)) || (version === 'r5' && !Object.values(R5_CODE).includes(rawRel))) {
          return fail(get(t, field)!.loc, `"${rawRel}" is not a ${fmt} ${field} code`, version === 'r4' ? 'use equivalent, equal, wider, subsumes, narrower, specializes, inexact, relatedto, unmatched or disjoint' : 'use equivalent, source-is-narrower-than-target, source-is-broader-than-target, related-to or not-related-to');
        }
        // R5 has one code for overlap and related; xwalk's own extension says which it was.
        if (relation === 'related' && ext.get(EXT.relation) === 'overlap') relation = 'overlap';
        const to = str(t, 'code');
        if (relation === 'no-match') {
          if (to) return fail(t.loc, `the target ${to} of ${code} is "unmatched" yet names a code`, 'an unmatched target has no code');
        } else if (to === undefined || to === '') {
          diagnostics.push(warning('fhir-not-imported', t.loc, `${from} ${code}: a ${rawRel} target without a code (a value set?) cannot be imported: left out`));
          continue;
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
          const attr = version === 'r4' ? str(d, 'property')?.replace(/^urn:xwalk:field:/, '') : str(d, 'attribute');
          const value = version === 'r4' ? str(d, 'value') : (str(d, 'valueString') ?? str(d, 'valueCode') ?? str(get(d, 'valueCoding'), 'code') ?? str(d, 'valueBoolean'));
          if (!attr || value === undefined || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(attr)) {
            return fail(d.loc, `a dependsOn of ${code} → ${to ?? ''} that xwalk cannot read as "field is value"`, 'xwalk reads dependsOn with an attribute (R5) or property (R4) and a string or code value');
          }
          const existing = m.when.find((c): c is ListCondition => c.field === attr && c.op === 'in');
          // Two dependsOn on one field must both hold: a record has one value, so keep them as two conditions.
          if (existing && !existing.values.includes(value)) m.when.push({ field: attr, op: 'in', values: [value] });
          else if (!existing) m.when.push({ field: attr, op: 'in', values: [value] });
        }
        for (const d of items(get(t, 'product'))) {
          const attr = version === 'r4' ? str(d, 'property')?.replace(/^urn:xwalk:field:/, '') : str(d, 'attribute');
          const value = version === 'r4' ? str(d, 'value') : (str(d, 'valueString') ?? str(d, 'valueCode') ?? str(get(d, 'valueCoding'), 'code') ?? str(d, 'valueBoolean'));
          if (!attr || value === undefined || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(attr)) {
            diagnostics.push(warning('fhir-not-imported', d.loc, `${mappingName(set, m)}: a \`product\` xwalk cannot read as "field is value": left out of the mapping`));
            continue;
          }
          (m.product ??= []).push({ field: attr, values: [value] });
        }
        const productExt = ext.get(EXT.product);
        if (productExt) {
          const f = parseFactText(productExt);
          if (typeof f === 'string') return fail(t.loc, `the xwalk product extension "${productExt}": ${f}`);
          (m.product ??= []).push(...f);
        }
        const when = ext.get(EXT.when);
        if (when) {
          const c = parseConditionText(when);
          if (typeof c === 'string') return fail(t.loc, `the xwalk condition extension "${when}": ${c}`);
          m.when.push(...c);
        }
        const conf = ext.get(EXT.confidence);
        if (conf !== undefined) {
          const n = Number(conf);
          if (!(n > 0 && n <= 1)) return fail(t.loc, `the xwalk confidence extension is ${conf}; expected a number above 0 and at most 1`);
          m.confidence = n;
        }
        for (const [url, key] of [[EXT.validFrom, 'validFrom'], [EXT.validTo, 'validTo']] as const) {
          const v = ext.get(url);
          if (v === undefined) continue;
          const d = parseIsoDate(v);
          if (!d) return fail(t.loc, `the xwalk ${key} extension is "${v}", not a date`);
          m[key] = d;
        }
        mappings.push(m);
      }
    }
  }
  const rawId = opts.id ?? str(root, 'id');
  const id = rawId && /^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$/.test(rawId) ? rawId : `${from}--${to}`;
  const cw: Crosswalk = { id, from, to, domain, version: opts.version ?? str(root, 'version') ?? '1', mappings: mergeSplit(mappings), files: [file], loc: loc0 };
  const description = str(root, 'description');
  if (description) cw.description = description;
  const src = extensions(root).get(EXT.source);
  if (src) cw.source = src;
  return { crosswalk: cw, diagnostics };
}

export type { ExportMapping };
