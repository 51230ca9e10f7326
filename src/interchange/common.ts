/**
 * The interchange stage: crosswalks ⇄ other formats (FHIR ConceptMap R4/R5, SSSOM TSV, flat
 * CSV/SQL tables, a printable HTML card). Pure: text or model in, text or model plus diagnostics
 * out; no I/O, no clock (nothing here writes a date unless the caller gives one).
 *
 * What must never happen here: a mapping written as something it is not. Relations convert
 * through DOMAIN.md's table (model/relation.ts holds the canonical names); whatever a format
 * cannot hold is a warning naming the mapping (vocabulary, code → code), never a silent drop and
 * never a stronger or positive statement in place of a weaker or negative one.
 */

import type { Condition, Crosswalk, FactStatement, FieldDecl, Mapping, SourceLoc } from '../model/types.js';
import { NOT_RECORDED } from '../model/types.js';
import { error, warning, type Diagnostic } from '../errors/errors.js';
import { readFieldDecls } from '../read/fields.js';
import { conditionText } from '../read/values.js';
import { readYaml } from '../read/yaml.js';

/** Code systems and resources are named by URN; import reads the same names back. */
export const URN = {
  vocabulary: (id: string, domain: string) => `urn:xwalk:vocabulary:${id}:${domain}`,
  crosswalk: (id: string) => `urn:xwalk:crosswalk:${id}`,
  extension: (name: string) => `urn:xwalk:fhir:${name}`,
};

/** `urn:xwalk:vocabulary:ID:DOMAIN` → its parts, or undefined for any other system. */
export function parseVocabularyUrn(uri: string): { id: string; domain: string } | undefined {
  const m = /^urn:xwalk:vocabulary:([a-z0-9]+(?:-[a-z0-9]+)*):([^:]+):?$/.exec(uri.trim());
  return m ? { id: m[1]!, domain: m[2]! } : undefined;
}

/** How a mapping of an export came to be: stated in the crosswalk, or derived by xwalk. */
export type Derivation = 'stated' | 'inverse' | 'chained';

/** A mapping to export: the crosswalk's own, or one resolved (read backwards or chained). */
export interface ExportMapping extends Mapping {
  derivation: Derivation;
  /** Chained and inverse results: the path that gives them, as text. */
  path?: string;
  fromLabel?: string;
  toLabel?: string;
}

/** What an exporter gets: the crosswalk's header and its mappings, with labels where known. */
export interface ExportSet {
  id: string;
  from: string;
  to: string;
  domain: string;
  version: string;
  description?: string;
  source?: string;
  fromVersion?: string;
  toVersion?: string;
  /** The condition fields the mappings use, as the crosswalk(s) declare them. */
  fields?: FieldDecl[];
  mappings: ExportMapping[];
  /** The crosswalk's file, for warnings about the set itself. */
  loc?: SourceLoc;
}

export interface Exported {
  text: string;
  warnings: Diagnostic[];
}

/** Rules of warnings about the set itself, not one mapping. */
export const SET_RULES: ReadonlySet<string> = new Set(['fhir-fields', 'sssom-fields']);

/** `A 0460 → 13B` (or `A 9999 → (no match)`): how warnings name a mapping. */
export function mappingName(set: { from: string }, m: Pick<Mapping, 'from' | 'to' | 'relation'>): string {
  return `${set.from} ${m.from} → ${m.to ?? '(no match)'}`;
}

/** One warning per mapping, listing everything the target format cannot hold. */
export function lossWarning(rule: string, set: { from: string }, m: Mapping, what: string[], format: string, hint?: string): Diagnostic {
  return warning(rule, m.loc, `${mappingName(set, m)} (${m.relation}): ${format} cannot hold ${what.join('; ')}`, hint);
}

/**
 * What a format cannot hold of the set itself (its field declarations): a warning naming the
 * crosswalk, under a rule of its own (`fhir-fields`, `sssom-fields`: see SET_RULES) so that a
 * count of mappings not fully expressible leaves it out.
 */
export function setLossWarning(rule: string, set: { from: string; to: string; domain: string; loc?: SourceLoc }, what: string, format: string, hint?: string): Diagnostic {
  return warning(rule, set.loc ?? NO_LOC, `${set.from} → ${set.to} (${set.domain}): ${format} cannot hold ${what}`, hint);
}

/** Facts in their compact text form (`weapon=12; attempted=A|C`), as parseFactText reads them. */
export function factsText(facts: readonly FactStatement[]): string {
  return facts.map((f) => `${f.field}=${f.values.join('|')}`).join('; ');
}

/** Whether a condition is "field is one of these values" with recorded values only: what FHIR dependsOn says. */
export function isPlainIn(c: Condition): c is Extract<Condition, { values: string[] }> {
  return c.op === 'in' && !c.values.includes(NOT_RECORDED);
}

/**
 * A field declaration in the shape a crosswalk file writes it (`{ vocabulary, domain, multi }`),
 * without its location: what the FHIR and SSSOM exports carry as JSON and crosswalkYaml writes.
 * `type` is written only where the reader would not infer it, `multi` only when true.
 */
export function fieldDeclObject(d: FieldDecl): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const inferred = d.vocabulary !== undefined || d.values !== undefined ? 'code' : 'text';
  if (d.type !== inferred) o.type = d.type;
  if (d.vocabulary !== undefined) o.vocabulary = d.vocabulary;
  if (d.domain !== undefined) o.domain = d.domain;
  if (d.values !== undefined) o.values = d.values;
  if (d.multi) o.multi = true;
  if (d.description !== undefined) o.description = d.description;
  return o;
}

/** The declarations as one JSON object, field name → declaration, in the crosswalk's order. */
export function fieldDeclsJson(fields: readonly FieldDecl[]): string {
  return JSON.stringify(Object.fromEntries(fields.map((d) => [d.name, fieldDeclObject(d)])));
}

/**
 * Field declarations read back from an export's JSON, through the crosswalk reader's own rules
 * (read/fields.ts readFieldDecls): a declaration xwalk would refuse in a crosswalk file is refused
 * here, with the export's location (`loc`) and `what` names the carrier.
 */
export function parseFieldDeclsJson(text: string, loc: SourceLoc, what: string): { fields?: FieldDecl[]; diagnostics: Diagnostic[] } {
  const at = (d: Diagnostic): Diagnostic => ({ ...d, loc, message: `${what}: ${d.message}` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { diagnostics: [error('bad-field', loc, `${what} is not a JSON object of field declarations`, 'write {"weapon": {"vocabulary": "nibrs-elements", "domain": "weapon", "multi": true}}')] };
  const r = readYaml(text, loc.file);
  if (r.diagnostics.length || !r.root) return { diagnostics: r.diagnostics.map(at) };
  const out: Diagnostic[] = [];
  const fields = readFieldDecls(r.root, out);
  if (out.length) return { diagnostics: out.map(at) };
  return { fields: fields.map((d) => ({ ...d, loc })), diagnostics: [] };
}

/** Conditions in xwalk's compact text form (`property=a|b; age>=18`), as CSV crosswalks write them. */
export function conditionsText(when: readonly Condition[]): string {
  return when.map(conditionText).join('; ');
}

/** A crosswalk as an export set (its stated mappings, labels from the registry when known). */
export function stated(cw: Crosswalk, label: (vocab: string, code: string) => string | undefined, versions: { from?: string; to?: string } = {}): ExportSet {
  const set: ExportSet = {
    id: cw.id,
    from: cw.from,
    to: cw.to,
    domain: cw.domain,
    version: cw.version,
    mappings: cw.mappings.map((m) => {
      const e: ExportMapping = { ...m, derivation: 'stated' };
      const fl = label(cw.from, m.from);
      if (fl !== undefined) e.fromLabel = fl;
      const tl = m.to === undefined ? undefined : label(cw.to, m.to);
      if (tl !== undefined) e.toLabel = tl;
      return e;
    }),
  };
  if (cw.description !== undefined) set.description = cw.description;
  if (cw.source !== undefined) set.source = cw.source;
  if (cw.fields?.length) set.fields = cw.fields;
  set.loc = cw.loc;
  if (versions.from !== undefined) set.fromVersion = versions.from;
  if (versions.to !== undefined) set.toVersion = versions.to;
  return set;
}

export const NO_LOC: SourceLoc = { file: '', line: 0, col: 0 };
