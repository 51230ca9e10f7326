/** `xwalk translate CODE... --from A --to B`: flags → options → translateCode → renderer. */

import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { resolveDomain, translateCode } from '../../translate/translate.js';
import type { Io } from '../io.js';
import { colorsFor } from '../io.js';
import { renderTranslation, translationsJson } from '../render/translation.js';
import { registryFor, type GlobalOptions } from './context.js';
import { checkFactNames, parseAsOf, parseFacts, parseMaxHops, parseValueSeparator } from '../flags.js';

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
  if (bad.length) throw new XwalkError(`--fact ${bad[0]!.field}=${bad[0]!.value}: ${bad[0]!.message}`, { hint: '\'xwalk show nibrs-elements\' lists the NIBRS code lists; an empty value says "not recorded"' });
  if (flags.json) io.stdout.write(translationsJson(results, { from: flags.from, to: flags.to, ...(asOf ? { asOf } : {}) }));
  else {
    const k = colorsFor(io, io.stdoutIsTTY, g.color);
    const domain = results[0]?.domain ?? flags.domain ?? '';
    if (!g.quiet) io.stdout.write(k.dim(`${flags.from} → ${flags.to} · ${domain}${asOf ? ` · as of ${asOf}` : ''}`) + '\n\n');
    io.stdout.write(results.map((r) => renderTranslation(r, k, g.verbose)).join('\n'));
  }
  return results.every((r) => r.outcome === 'mapped') ? 0 : 1;
}
