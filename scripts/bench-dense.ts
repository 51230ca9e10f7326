/**
 * Chains over a dense graph of crosswalks (issue 15, class 9): 8 vocabularies of 30 codes, each
 * code mapped to all 30 codes of the next vocabulary (and, in a second graph, of every other one),
 * translated end to end at the default hop limit and at 6. Prints the time, the outcome and whether
 * the route bound was hit. `npm run bench:dense`.
 */

import { loadRegistry } from '../src/load/registry.js';
import { MemorySource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode } from '../src/translate/translate.js';

function graph(all: boolean, relation: string): RegistryIndex {
  const ids = Array.from({ length: 8 }, (_, i) => `v${i}`);
  const codes = Array.from({ length: 30 }, (_, i) => `C${i}`);
  const files = new Map<string, string>();
  for (const id of ids) files.set(`${id}.yaml`, `id: ${id}\nname: ${id}\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n${codes.map((c) => `      - { code: "${c}", label: "${c}" }`).join('\n')}\n`);
  ids.forEach((a, i) =>
    ids.forEach((b, j) => {
      if (all ? i >= j || (i === 0 && j === ids.length - 1) : j !== i + 1) return;
      files.set(`${a}--${b}.yaml`, `id: ${a}--${b}\nfrom: ${a}\nto: ${b}\ndomain: offense\nversion: "1"\nmappings:\n${codes.flatMap((x) => codes.map((y) => `  - { from: "${x}", to: "${y}", relation: ${relation} }`)).join('\n')}\n`);
    }),
  );
  return new RegistryIndex(loadRegistry([new MemorySource('dense', files)]));
}

for (const [name, all, relation, to] of [
  ['chain v0→v1→…→v7, 30×30 per hop, source-narrower', false, 'source-narrower', 'v3'],
  ['every pair but v0–v7 linked, 30×30, overlap (nothing composes)', true, 'overlap', 'v7'],
  ['every pair but v0–v7 linked, 30×30, source-narrower', true, 'source-narrower', 'v7'],
] as const) {
  const index = graph(all, relation);
  for (const maxHops of [3, 6]) {
    const t0 = performance.now();
    const r = translateCode(index, 'C0', { from: 'v0', to, maxHops });
    const ms = performance.now() - t0;
    console.log(`${name}; to ${to}, --max-hops ${maxHops}: ${ms.toFixed(0)} ms, ${r.outcome}${r.reason ? ` (${r.reason})` : ''}, ${r.candidates.length} candidates${r.truncated ? ', route bound hit' : ''}`);
  }
}
