/**
 * xwalk's answers for a real city's codes against the independent oracle (fixtures/real/README.md).
 * Verdicts: agree (same outcome and lines); safe (xwalk is ambiguous where the oracle decides, its
 * candidates including the oracle's line: less decisive, never wrong); wrong (a line the oracle
 * does not allow, or mapped where the oracle says ambiguous or no line).
 */

import { readFileSync } from 'node:fs';
import { loadRegistry } from '../../src/load/registry.js';
import { DirSource } from '../../src/read/source.js';
import { RegistryIndex } from '../../src/indexes/index.js';
import { translateCode } from '../../src/translate/translate.js';
import { cell, readCsvTable } from '../../src/read/csv.js';

export interface RealCityRow {
  code: string;
  expected: string;
  expectedLines: string;
  outcome: string;
  got: string;
  verdict: 'agree' | 'safe' | 'wrong';
  note: string;
}

export function compareRealCity(dir = 'fixtures/real'): { rows: RealCityRow[]; summary: Record<string, number> } {
  const index = new RegistryIndex(loadRegistry([new DirSource('vocabularies'), new DirSource(dir)]));
  const file = `${dir}/chicago-expected-srs.csv`;
  const { table, diagnostics } = readCsvTable(readFileSync(file, 'utf8'), file, ['code', 'expected', 'expected_lines', 'reason'], null);
  if (!table) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  const expected = table.rows.map((row) => Object.fromEntries(table.header.map((h) => [h, cell(table, row, h)])));
  const rows: RealCityRow[] = [];
  for (const e of expected) {
    const r = translateCode(index, e.code!, { from: 'chicago-iucr', to: 'srs', facts: new Map([['report', 'offense']]) });
    const got = r.outcome === 'mapped' ? [r.best!.code] : r.outcome === 'ambiguous' ? [...new Set(r.candidates.map((c) => c.code))] : [];
    const want = e.expected_lines ? e.expected_lines.split('|') : [];
    const same = got.length === want.length && got.every((g) => want.includes(g));
    let verdict: RealCityRow['verdict'];
    if (r.outcome === e.expected && same) verdict = 'agree';
    else if (r.outcome === 'mapped')
      verdict = 'wrong'; // a confident line the oracle does not give
    else if (r.outcome === 'ambiguous' && e.expected === 'mapped' && want.every((w) => got.includes(w))) verdict = 'safe';
    else if (r.outcome === 'ambiguous' && e.expected === 'ambiguous' && want.every((w) => got.includes(w))) verdict = 'safe';
    else if (r.outcome === 'no-mapping' && e.expected === 'ambiguous' && /or no SRS offense line/.test(e.reason ?? '')) verdict = 'safe';
    // The algebra may refuse a chain the oracle reads as a list of possible lines (an overlap
    // restricted by a condition allows no inference): less informative, never wrong.
    else if (r.outcome === 'no-mapping' && e.expected === 'ambiguous' && (r.reason === 'forbidden-inference' || r.forbidden.length > 0)) verdict = 'safe';
    else verdict = 'wrong';
    rows.push({ code: e.code!, expected: e.expected!, expectedLines: e.expected_lines!, outcome: r.outcome, got: got.join('|'), verdict, note: r.message });
  }
  const summary = { codes: rows.length, agree: 0, safe: 0, wrong: 0, 'oracle mapped': 0, 'xwalk mapped right': 0 };
  for (const x of rows) {
    summary[x.verdict]++;
    if (x.expected === 'mapped') summary['oracle mapped']++;
    if (x.expected === 'mapped' && x.verdict === 'agree') summary['xwalk mapped right']++;
  }
  return { rows, summary };
}
