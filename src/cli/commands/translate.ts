/** `xwalk translate CODE... --from A --to B`: flags → options → translateCode → renderer. */

import { XwalkError } from '../../load/errors.js';
import { closest, parseIsoDate } from '../../load/fields.js';
import { RegistryIndex } from '../../indexes/index.js';
import { resolveDomain, translateCode } from '../../translate/translate.js';
import type { Io } from '../io.js';
import { colorsFor } from '../io.js';
import { renderTranslation, translationsJson } from '../render/translation.js';
import { registryFor, type GlobalOptions } from './context.js';

export interface TranslateFlags {
  from: string;
  to: string;
  domain?: string;
  asOf?: string;
  maxHops?: string;
  context?: string[];
  fact?: string[];
  valueSeparator?: string;
  rollUp?: boolean;
  json?: boolean;
}

/**
 * `--fact FIELD=VALUE` (repeatable; a field given twice has several values, for multi-valued
 * fields such as weapon). `flag` names the option in messages (`--context` is its alias on translate).
 */
export function parseFacts(pairs: string[] | undefined, flag = '--fact'): Map<string, string[]> {
  const facts = new Map<string, string[]>();
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new XwalkError(`${flag} "${p}" is not FIELD=VALUE`, { hint: `for example: ${flag} report=offense ${flag} weapon=12 (an empty value says "not recorded")` });
    const field = p.slice(0, i).trim();
    facts.set(field, [...(facts.get(field) ?? []), p.slice(i + 1)]);
  }
  return facts;
}

/** `--context FIELD=COLUMN` of convert and coverage: a condition field read from a column. */
export function parseContextColumns(pairs: string[] | undefined): { field: string; column: string }[] {
  return (pairs ?? []).map((p) => {
    const i = p.indexOf('=');
    if (i <= 0 || i === p.length - 1) throw new XwalkError(`--context "${p}" is not FIELD=COLUMN`, { hint: 'for example: --context property=PropertyType (the condition field property reads the column PropertyType)' });
    return { field: p.slice(0, i), column: p.slice(i + 1) };
  });
}

/** Fact names must be condition fields some crosswalk of the domain uses: a typo is an error. */
export function checkFactNames(index: RegistryIndex, domain: string, names: Iterable<string>, flag: string): void {
  let known: Set<string> | undefined;
  for (const n of names) {
    if (index.declaresField(domain, n)) continue;
    known ??= index.fieldNames(domain);
    if (known.has(n)) continue;
    const near = closest(n, [...known]);
    throw new XwalkError(`${flag} names the field "${n}", which no ${domain} crosswalk uses`, { hint: near ? `did you mean ${near}?` : known.size ? `fields: ${[...known].sort().join(', ')}` : `no ${domain} crosswalk has conditions` });
  }
}

export function parseValueSeparator(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length !== 1) throw new XwalkError(`--value-separator must be one character, not "${v}"`, { hint: 'for example --value-separator "|"' });
  return v;
}

export function parseAsOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = parseIsoDate(v);
  if (!d) throw new XwalkError(`--as-of "${v}" is not a date`, { hint: 'write it as YYYY-MM-DD, e.g. --as-of 2016-05-01' });
  return d;
}

export function parseMaxHops(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 6) throw new XwalkError(`--max-hops "${v}" must be a whole number from 1 to 6`);
  return n;
}

export async function runTranslate(codes: string[], flags: TranslateFlags, g: GlobalOptions, io: Io): Promise<number> {
  const asOf = parseAsOf(flags.asOf);
  const maxHops = parseMaxHops(flags.maxHops);
  const context = parseFacts([...(flags.context ?? []), ...(flags.fact ?? [])]);
  const valueSeparator = parseValueSeparator(flags.valueSeparator);
  const index = new RegistryIndex(await registryFor(io, g));
  // Check the vocabularies once, before any code, so a typo in --from is one clear error.
  if (flags.domain !== undefined || codes.length === 0) resolveDomain(index, flags.from, flags.to, flags.domain);
  const results = codes.map((code) =>
    translateCode(index, code, {
      from: flags.from,
      to: flags.to,
      ...(flags.domain !== undefined ? { domain: flags.domain } : {}),
      ...(asOf !== undefined ? { asOf } : {}),
      ...(maxHops !== undefined ? { maxHops } : {}),
      ...(valueSeparator !== undefined ? { valueSeparator } : {}),
      ...(flags.rollUp ? { rollUp: true } : {}),
      // On translate there are no rows: --fact (and its alias --context) states the facts of the run.
      facts: context,
    }),
  );
  if (context.size && results[0]) checkFactNames(index, results[0].domain, context.keys(), '--fact');
  // A fact the command line gives that its field cannot read is a usage error, never silently unmet.
  const bad = results.flatMap((r) => r.badFacts ?? []);
  if (bad.length) throw new XwalkError(`--fact ${bad[0]!.field}=${bad[0]!.value}: ${bad[0]!.message}`, { hint: "'xwalk show nibrs-elements' lists the NIBRS code lists; an empty value says \"not recorded\"" });
  if (flags.json) io.stdout.write(translationsJson(results, { from: flags.from, to: flags.to, ...(asOf ? { asOf } : {}) }));
  else {
    const k = colorsFor(io, io.stdoutIsTTY, g.color);
    const domain = results[0]?.domain ?? flags.domain ?? '';
    if (!g.quiet) io.stdout.write(k.dim(`${flags.from} → ${flags.to} · ${domain}${asOf ? ` · as of ${asOf}` : ''}`) + '\n\n');
    io.stdout.write(results.map((r) => renderTranslation(r, k, g.verbose)).join('\n'));
  }
  return results.every((r) => r.outcome === 'mapped') ? 0 : 1;
}
