/**
 * The real-city check of issue 14: a real city's offense codes (Chicago IUCR, fixtures/real/)
 * chained through NIBRS to SRS lines with the facts each code's description states, compared
 * with an oracle built independently from the FBI rules (fixtures/real/oracle.py). Prints the
 * agreement and every disagreement; `npm run real-city-check`. The test suite asserts the same.
 */

import { compareRealCity } from '../test/helpers/real-city.js';

const r = compareRealCity();
console.log(`chicago-iucr → nibrs → srs (report=offense), ${r.rows.length} codes against fixtures/real/chicago-expected-srs.csv`);
for (const [k, v] of Object.entries(r.summary)) console.log(`  ${k}: ${v}`);
for (const d of r.rows.filter((x) => x.verdict !== 'agree')) console.log(`  ${d.verdict}: ${d.code} expected ${d.expected} ${d.expectedLines} got ${d.outcome} ${d.got} — ${d.note}`);
