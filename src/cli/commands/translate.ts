/** `xwalk translate CODE... --from A --to B`: flags → options → translateCode → renderer. */

import { XwalkError } from '../../load/errors.js';
import { parseIsoDate } from '../../load/fields.js';
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
  json?: boolean;
}

export function parseContext(pairs: string[] | undefined): Map<string, string> {
  const ctx = new Map<string, string>();
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new XwalkError(`--context "${p}" is not FIELD=VALUE`, { hint: 'for example: --context property=shoplifting --context arrestee_age=17' });
    ctx.set(p.slice(0, i).trim(), p.slice(i + 1));
  }
  return ctx;
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
  const context = parseContext(flags.context);
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
      context,
    }),
  );
  if (flags.json) io.stdout.write(translationsJson(results, { from: flags.from, to: flags.to, ...(asOf ? { asOf } : {}) }));
  else {
    const k = colorsFor(io, io.stdoutIsTTY, g.color);
    const domain = results[0]?.domain ?? flags.domain ?? '';
    if (!g.quiet) io.stdout.write(k.dim(`${flags.from} → ${flags.to} · ${domain}${asOf ? ` · as of ${asOf}` : ''}`) + '\n\n');
    io.stdout.write(results.map((r) => renderTranslation(r, k, g.verbose)).join('\n'));
  }
  return results.every((r) => r.outcome === 'mapped') ? 0 : 1;
}
