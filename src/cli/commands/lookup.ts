/** `xwalk lookup [QUERY...]`: find a term however it is typed, and its equivalents everywhere. */

import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { checkScope, lookup, lookupIndex, searchTerms, type LookupOptions } from '../../lookup/lookup.js';
import { colorsFor, loadColours, terminalWidth, type Io } from '../io.js';
import { lookupJson, noMatchMessage, renderLookup } from '../render/lookup.js';
import { registryFor, type GlobalOptions } from './context.js';
import { parseAsOf, parseMaxHops } from '../flags.js';

export interface LookupFlags {
  in?: string;
  to?: string;
  domain?: string;
  limit: string;
  open?: string;
  asOf?: string;
  maxHops?: string;
  json?: boolean;
}

function list(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.length) throw new XwalkError(`${flag} needs vocabulary ids, comma-separated`, { hint: `for example: ${flag} nibrs,srs` });
  return ids;
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new XwalkError(`${flag} "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}

export async function runLookup(words: string[], flags: LookupFlags, g: GlobalOptions, io: Io): Promise<number> {
  const opts: LookupOptions = { limit: wholeNumber('--limit', flags.limit, 1, 50) };
  const inList = list('--in', flags.in);
  const toList = list('--to', flags.to);
  if (inList) opts.in = inList;
  if (toList) opts.to = toList;
  if (flags.domain !== undefined) opts.domain = flags.domain;
  if (flags.open !== undefined) opts.open = wholeNumber('--open', flags.open, 1, opts.limit!) - 1;
  const maxHops = parseMaxHops(flags.maxHops);
  const asOf = parseAsOf(flags.asOf);
  if (maxHops !== undefined) opts.maxHops = maxHops;
  if (asOf !== undefined) opts.asOf = asOf;
  const query = words.join(' ').trim();
  if (!query && !(io.stdinIsTTY && io.stdoutIsTTY && !flags.json)) {
    throw new XwalkError('lookup needs something to look up', { hint: 'xwalk lookup "agg assault" (the interactive prompt, without a query, needs a terminal)' });
  }
  const index = new RegistryIndex(await registryFor(io, g));
  checkScope(index, opts);
  const search = lookupIndex(index, opts);
  const width = terminalWidth(io);

  if (!query) {
    const { runPrompt } = await import('../prompt.js');
    await loadColours(io, true);
    await runPrompt(io, { search: (q) => searchTerms(search, q, opts), open: (q, which) => lookup(index, q, { ...opts, open: which }, search) }, colorsFor(io, true, g.color));
    return 0;
  }
  const result = lookup(index, query, opts, search);
  if (opts.open !== undefined && result.hits.length && !result.opened) throw new XwalkError(`--open ${flags.open}: there ${result.hits.length === 1 ? 'is only 1 match' : `are only ${result.hits.length} matches`} for "${query}"`);
  if (flags.json) io.stdout.write(lookupJson(result));
  else io.stdout.write(renderLookup(result, colorsFor(io, io.stdoutIsTTY, g.color), width));
  // Nothing found, or nothing confidently (and no hit opened on request): exit 1 (issue 16).
  if (!result.hits.length || (!result.confident && !result.opened)) {
    if (!g.quiet && !flags.json) io.stderr.write(noMatchMessage(result));
    return 1;
  }
  return 0;
}
