/** `xwalk list`: the vocabularies and crosswalks loaded, with term counts and coverage. */

import type { Registry } from '../../load/registry.js';
import { RegistryIndex } from '../../indexes/index.js';
import { isPositive } from '../../model/relation.js';
import { colorsFor, layoutWidth, type Io } from '../io.js';
import { table } from '../render/text.js';
import { registryFor, type GlobalOptions } from './context.js';
import { compareText, thousands } from '../../model/order.js';
import { normalizeCode } from '../../load/normalize.js';

export interface CrosswalkCoverage {
  id: string;
  from: string;
  to: string;
  domain: string;
  mappings: number;
  sourceCodes: number;
  /** Source codes with at least one reviewed positive mapping. */
  mapped: number;
  /** Source codes declared to have no counterpart. */
  noMatch: number;
  /** False when the target vocabulary is not loaded: coverage then says nothing (issue 20). */
  targetLoaded: boolean;
}

export function coverageOf(registry: Registry): CrosswalkCoverage[] {
  const index = new RegistryIndex(registry);
  return [...registry.crosswalks.values()].map((cw) => {
    const table = index.table(cw.from, cw.domain);
    const mapped = new Set<string>();
    const noMatch = new Set<string>();
    // Codes are counted by their normalized key: the terms themselves need not be read (a
    // cached 100,000-term table stays unparsed).
    for (const m of cw.mappings) {
      if (m.status === 'proposed' || !table) continue;
      const key = normalizeCode(m.from, table.normalize);
      if (!table.terms.has(key)) continue;
      if (isPositive(m.relation)) mapped.add(key);
      else if (m.relation === 'no-match') noMatch.add(key);
    }
    for (const c of mapped) noMatch.delete(c);
    return { id: cw.id, from: cw.from, to: cw.to, domain: cw.domain, mappings: cw.mappings.length, sourceCodes: table?.terms.size ?? 0, mapped: mapped.size, noMatch: noMatch.size, targetLoaded: index.table(cw.to, cw.domain) !== undefined };
  });
}

function pct(n: number, d: number): string {
  return d ? `${Math.round((1000 * n) / d) / 10}%` : '-';
}

export async function runList(flags: { json?: boolean; ids?: boolean }, g: GlobalOptions, io: Io): Promise<number> {
  const registry = await registryFor(io, g);
  if (flags.ids) {
    io.stdout.write(
      [...registry.vocabularies.keys()]
        .sort()
        .map((id) => id + '\n')
        .join(''),
    );
    return 0;
  }
  const coverage = coverageOf(registry);
  const vocabs = [...registry.vocabularies.values()].sort((a, b) => compareText(a.id, b.id));
  // Shipped files a user's file replaced (issue 20): marked in both outputs.
  const replaced = new Map((registry.overrides ?? []).map((o) => [`${o.kind} ${o.id}`, o.replaced]));
  const mark = (kind: string, id: string) => (replaced.has(`${kind} ${id}`) ? `${id} *` : id);
  if (flags.json) {
    io.stdout.write(
      JSON.stringify(
        {
          xwalk: 1,
          vocabularies: vocabs.map((v) => ({
            id: v.id,
            name: v.name,
            kind: v.kind,
            version: v.version,
            file: v.files[0],
            ...(replaced.has(`vocabulary ${v.id}`) ? { replacesShipped: replaced.get(`vocabulary ${v.id}`) } : {}),
            domains: Object.fromEntries([...v.domains].map(([d, t]) => [d, t.terms.size])),
          })),
          crosswalks: coverage.sort((a, b) => compareText(a.id, b.id)).map((c) => (replaced.has(`crosswalk ${c.id}`) ? { ...c, replacesShipped: replaced.get(`crosswalk ${c.id}`) } : c)),
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const k = colorsFor(io, io.stdoutIsTTY, g.color);
  io.stdout.write(k.bold(`Vocabularies (${vocabs.length})`) + '\n');
  // TERMS last: a vocabulary with many domains makes it long, and the last column is never padded.
  const vrows = [['ID', 'KIND', 'VERSION', 'NAME', 'TERMS'], ...vocabs.map((v) => [mark('vocabulary', v.id), v.kind, v.version, v.name, [...v.domains].map(([d, t]) => `${d} ${thousands(t.terms.size)}`).join(', ')])];
  io.stdout.write(table(vrows, { flex: 3, indent: '  ', maxWidth: layoutWidth(io) }).join('\n') + '\n\n');
  io.stdout.write(k.bold(`Crosswalks (${coverage.length})`) + '\n');
  const crows = [
    ['ID', 'DOMAIN', 'MAPPINGS', 'COVERAGE', 'NO-MATCH'],
    ...coverage.sort((a, b) => compareText(a.id, b.id)).map((c) => [mark('crosswalk', c.id), c.domain, String(c.mappings), c.targetLoaded ? `${c.mapped}/${c.sourceCodes} ${pct(c.mapped, c.sourceCodes)}` : `? (${c.to} not loaded)`, String(c.noMatch)]),
  ];
  io.stdout.write(table(crows, { flex: 0, indent: '  ', maxWidth: layoutWidth(io) }).join('\n') + '\n');
  if (replaced.size) io.stdout.write(`\n* your file, in place of the shipped one\n`);
  if (!g.quiet) io.stdout.write(k.dim('\ncoverage: source codes with at least one reviewed mapping; no-match: codes declared to have no counterpart') + '\n');
  return 0;
}
