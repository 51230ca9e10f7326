/** `xwalk suggest --from A --to B [--limit 3] [-o draft.yaml]`: proposals as a draft crosswalk. */

import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { checkTarget, writeFileAtomic } from '../../output/atomic.js';
import { draftYaml, suggest } from '../../suggest/suggest.js';
import { resolveDomain } from '../../translate/translate.js';
import type { Io } from '../io.js';
import { registryFor, type GlobalOptions } from './context.js';

export interface SuggestFlags {
  from: string;
  to: string;
  domain?: string;
  limit: string;
  minScore: string;
  output?: string;
}

export async function runSuggest(flags: SuggestFlags, g: GlobalOptions, io: Io): Promise<number> {
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 20) throw new XwalkError(`--limit "${flags.limit}" must be a whole number from 1 to 20`);
  const minScore = Number(flags.minScore);
  if (!Number.isFinite(minScore) || minScore <= 0 || minScore > 1) throw new XwalkError(`--min-score "${flags.minScore}" must be a number above 0 and at most 1`);
  if (flags.output !== undefined && flags.output !== '-') checkTarget(flags.output, '--output', []);
  const index = new RegistryIndex(await registryFor(io, g));
  const domain = resolveDomain(index, flags.from, flags.to, flags.domain);
  const { unmapped, proposals } = suggest(index, { from: flags.from, to: flags.to, domain, limit, minScore });
  const yaml = draftYaml({ from: flags.from, to: flags.to, domain }, proposals, unmapped);
  if (flags.output === undefined || flags.output === '-') io.stdout.write(yaml);
  else writeFileAtomic(flags.output, yaml);
  if (!g.quiet)
    io.stderr.write(
      `xwalk suggest: ${unmapped.length} code${unmapped.length === 1 ? '' : 's'} of ${flags.from} without a mapping to ${flags.to}; ${proposals.length} proposal${proposals.length === 1 ? '' : 's'} for ${new Set(proposals.map((p) => p.from)).size} of them${flags.output && flags.output !== '-' ? `, written to ${flags.output}` : ''}\n`,
    );
  return 0;
}
