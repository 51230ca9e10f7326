/** Prints lookup's top-1 / top-3 accuracy on test/lookup/${process.argv[2] ?? "queries.tsv"}, and every miss. */
import { readFileSync } from 'node:fs';
import { RegistryIndex } from '../src/indexes/index.js';
import { measure, parseCases } from '../src/lookup/accuracy.js';
import { shippedRegistry } from '../src/shipped/index.js';

const cases = parseCases(readFileSync(new URL(`../test/lookup/${process.argv[2] ?? 'queries.tsv'}`, import.meta.url), 'utf8'));
const r = measure(new RegistryIndex(shippedRegistry()), cases);
for (const m of r.misses) console.log(`miss line ${m.case.line}: "${m.case.query}" ${m.case.in ? `in=${m.case.in.join(',')} ` : ''}${m.case.domain ? `domain=${m.case.domain} ` : ''}want ${m.case.expected.join(' | ')}; got ${m.got.join(', ') || 'nothing'}`);
const pct = (n: number) => ((100 * n) / r.cases).toFixed(1);
console.log(`lookup accuracy over ${r.cases} queries: top-1 ${r.top1}/${r.cases} (${pct(r.top1)}%), top-3 ${r.top3}/${r.cases} (${pct(r.top3)}%)`);
