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

import type { Condition, Crosswalk, Mapping, SourceLoc } from '../model/types.js';
import { warning, type Diagnostic } from '../load/errors.js';
import { conditionText } from '../load/fields.js';

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
  mappings: ExportMapping[];
}

export interface Exported {
  text: string;
  warnings: Diagnostic[];
}

/** `A 0460 → 13B` (or `A 9999 → (no match)`): how warnings name a mapping. */
export function mappingName(set: { from: string }, m: Pick<Mapping, 'from' | 'to' | 'relation'>): string {
  return `${set.from} ${m.from} → ${m.to ?? '(no match)'}`;
}

/** One warning per mapping, listing everything the target format cannot hold. */
export function lossWarning(rule: string, set: { from: string }, m: Mapping, what: string[], format: string, hint?: string): Diagnostic {
  return warning(rule, m.loc, `${mappingName(set, m)} (${m.relation}): ${format} cannot hold ${what.join('; ')}`, hint);
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
  if (versions.from !== undefined) set.fromVersion = versions.from;
  if (versions.to !== undefined) set.toVersion = versions.to;
  return set;
}

export const NO_LOC: SourceLoc = { file: '', line: 0, col: 0 };
