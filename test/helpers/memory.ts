/**
 * Small builders for in-memory registries: `load({ 'a.yaml': text })` loads the files through the
 * real loader (MemorySource), so tests exercise exactly what `xwalk` reads from disk.
 */

import type { Diagnostic } from '../../src/errors/errors.js';
import { loadRegistry, type Registry } from '../../src/load/registry.js';
import { MemorySource } from '../../src/read/source.js';
import { validateRegistry, type ValidationReport } from '../../src/validate/index.js';

export interface Loaded {
  registry: Registry;
  diagnostics: Diagnostic[];
}

/** Load files (path → text) from one in-memory source named `mem`. */
export function load(files: Record<string, string>, name = 'mem'): Loaded {
  const registry = loadRegistry([new MemorySource(name, new Map(Object.entries(files)))]);
  return { registry, diagnostics: registry.diagnostics };
}

/** Load several sources, in precedence order. */
export function loadSources(...sources: [string, Record<string, string>][]): Loaded {
  const registry = loadRegistry(sources.map(([name, files]) => new MemorySource(name, new Map(Object.entries(files)))));
  return { registry, diagnostics: registry.diagnostics };
}

/** Load and validate. */
export function check(files: Record<string, string>): ValidationReport & Loaded {
  const loaded = load(files);
  return { ...loaded, ...validateRegistry(loaded.registry) };
}

/** A vocabulary YAML file: header lines, then `domains:` followed by `body` (already indented). */
export function vocabYaml(id: string, body: string): string {
  return `id: ${id}\nname: Test ${id}\nkind: agency\nversion: "1"\ndomains:\n${body}`;
}

/** A vocabulary with one domain whose terms are given as YAML flow mappings, one per line. */
export function termsYaml(id: string, domain: string, terms: string[], extra = ''): string {
  return vocabYaml(id, `  ${domain}:\n${extra}    terms:\n${terms.map((t) => `      - ${t}\n`).join('')}`);
}

/** A crosswalk YAML file with mappings given as YAML flow mappings, one per line. */
export function crosswalkYaml(id: string, from: string, to: string, domain: string, mappings: string[]): string {
  return `id: ${id}\nfrom: ${from}\nto: ${to}\ndomain: ${domain}\nversion: "1"\nmappings:\n${mappings.map((m) => `  - ${m}\n`).join('')}`;
}

/** Diagnostics with a given rule name. */
export function byRule(diags: readonly Diagnostic[], rule: string): Diagnostic[] {
  return diags.filter((d) => d.rule === rule);
}

/** The one diagnostic of a load; fails (via the thrown error) when there is not exactly one. */
export function only(diags: readonly Diagnostic[]): Diagnostic {
  if (diags.length !== 1) throw new Error(`expected exactly one diagnostic, got ${diags.length}: ${JSON.stringify(diags, null, 2)}`);
  return diags[0]!;
}

/** The 1-based line and column where `needle` first occurs in `text` (to state expected locations). */
export function at(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}
