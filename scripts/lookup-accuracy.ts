/** Prints lookup's top-1 / top-3 accuracy on test/lookup/${process.argv[2] ?? "queries.tsv"}, per domain, and every miss. */
import { readFileSync } from 'node:fs';
import { RegistryIndex } from '../src/indexes/index.js';
import { measure, parseCases } from '../src/lookup/accuracy.js';
import { shippedRegistry } from '../src/shipped/index.js';

const index = new RegistryIndex(shippedRegistry());
for (const file of process.argv.length > 2 ? process.argv.slice(2) : ['queries.tsv', 'heldout.tsv', 'dispatch.tsv']) {
  const cases = parseCases(readFileSync(new URL(`../test/lookup/${file}`, import.meta.url), 'utf8'));
  const r = measure(index, cases);
  console.log(`== ${file}`);
  for (const m of r.misses)
    console.log(
      `miss line ${m.case.line}: "${m.case.query}" ${m.case.in ? `in=${m.case.in.join(',')} ` : ''}${m.case.domain ? `domain=${m.case.domain} ` : ''}want ${m.case.expected.join(' | ') || 'no confident match'}; got ${m.got.join(', ') || 'nothing'}${m.confident && m.got.length ? ' (CONFIDENT)' : ' (not confident)'}`,
    );
  const pct = (n: number, of: number) => ((100 * n) / of).toFixed(1);
  console.log(`lookup accuracy over ${r.cases} queries: top-1 ${r.top1}/${r.cases} (${pct(r.top1, r.cases)}%), top-3 ${r.top3}/${r.cases} (${pct(r.top3, r.cases)}%), confident wrong ${r.confidentWrong}`);
  if (r.byDomain.size > 1 || !r.byDomain.has('-')) {
    for (const [d, x] of [...r.byDomain].sort()) console.log(`  ${d}: top-1 ${x.top1}/${x.cases} (${pct(x.top1, x.cases)}%), confident wrong ${x.confidentWrong}`);
  }
}
