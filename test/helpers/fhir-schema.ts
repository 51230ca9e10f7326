/**
 * The official FHIR JSON schemas (from HL7's core packages on the npm registry: hl7.fhir.r4b.core
 * for R4, whose ConceptMap is R4's, and hl7.fhir.r5.core), pruned to the definitions a
 * ConceptMap reaches so that Ajv compiles them in a moment, plus the ConceptMap invariants
 * (cmd-*) and the code systems the schema leaves as plain `code`.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

type Schema = { definitions: Record<string, unknown> } & Record<string, unknown>;

function reachable(schema: Schema, start: string): Record<string, unknown> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const text = JSON.stringify(schema.definitions[name]);
    for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) queue.push(m[1]!);
  }
  return Object.fromEntries([...seen].sort().map((n) => [n, schema.definitions[n]]));
}

const PACKAGE = { r4: 'hl7.fhir.r4b.core', r5: 'hl7.fhir.r5.core' } as const;

function loadJson(pkg: string, file: string): unknown {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/${file}`), 'utf8'));
}

const cache = new Map<string, ValidateFunction>();

/** A validator for ConceptMap resources against the official schema of that FHIR version. */
export function conceptMapValidator(version: 'r4' | 'r5'): ValidateFunction {
  let v = cache.get(version);
  if (!v) {
    const full = loadJson(PACKAGE[version], 'openapi/fhir.schema.json') as Schema;
    const pruned = { $schema: 'http://json-schema.org/draft-07/schema#', $ref: '#/definitions/ConceptMap', definitions: reachable(full, 'ConceptMap') };
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }); // the official decimal pattern has a stray `}` that only the u flag rejects;
    v = ajv.compile(pruned);
    cache.set(version, v);
  }
  return v;
}

/** The codes of an official code system (concept-map-equivalence for R4, concept-map-relationship for R5). */
export function codeSystem(version: 'r4' | 'r5'): Set<string> {
  const cs = loadJson(PACKAGE[version], version === 'r4' ? 'CodeSystem-concept-map-equivalence.json' : 'CodeSystem-concept-map-relationship.json') as { concept: { code: string; concept?: { code: string }[] }[] };
  const out = new Set<string>();
  const walk = (list: { code: string; concept?: { code: string }[] }[]) => {
    for (const c of list) {
      out.add(c.code);
      if (c.concept) walk(c.concept);
    }
  };
  walk(cs.concept);
  return out;
}

type J = Record<string, unknown>;

/** The ConceptMap invariants of the version (the schema cannot state them): failures, as text. */
export function invariants(cm: J, version: 'r4' | 'r5'): string[] {
  const out: string[] = [];
  if (typeof cm.name === 'string' && !/^[A-Z]([A-Za-z0-9_]){0,254}$/.test(cm.name)) out.push(`cmd-0: name ${cm.name}`);
  const codes = codeSystem(version);
  for (const g of (cm.group as J[]) ?? []) {
    for (const el of (g.element as J[]) ?? []) {
      const targets = (el.target as J[]) ?? [];
      if (version === 'r5' && el.noMap === true && targets.length) out.push(`cmd-4: ${el.code as string} has noMap and targets`);
      if (!el.code) out.push('cmd-5: element without code');
      for (const t of targets) {
        const rel = (version === 'r4' ? t.equivalence : t.relationship) as string;
        if (!codes.has(rel)) out.push(`${el.code as string}: "${rel}" is not in the official code system`);
        if (version === 'r4' && (rel === 'narrower' || rel === 'inexact') && !t.comment) out.push(`cmd-1: ${el.code as string} → ${t.code as string} (${rel}) without comment`);
        if (version === 'r5' && (rel === 'source-is-broader-than-target' || rel === 'not-related-to') && !t.comment && cm.status !== 'draft') out.push(`cmd-1: ${el.code as string} → ${t.code as string} (${rel}) without comment`);
        if (version === 'r5' && !t.code) out.push(`cmd-7: a target of ${el.code as string} without code`);
        for (const d of (t.dependsOn as J[]) ?? []) {
          if (version === 'r5') {
            const values = Object.keys(d).filter((k) => k.startsWith('value') && k !== 'valueSet');
            if (values.length !== 1) out.push(`cmd-6: dependsOn of ${el.code as string}`);
            if (!((cm.additionalAttribute as J[]) ?? []).some((a) => a.code === d.attribute)) out.push(`dependsOn.attribute ${d.attribute as string} not declared in additionalAttribute`);
          }
        }
      }
    }
  }
  return out;
}
