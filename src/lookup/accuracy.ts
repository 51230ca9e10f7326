/**
 * The lookup accuracy measure: a set of queries people really type, each with the term(s) that
 * are right, scored top-1 and top-3. The suite fails below target (test/lookup.test.ts), and
 * `npm run lookup-accuracy` prints the figures and every miss. Kept in src so both use one
 * implementation; it is not part of the CLI.
 */

import type { RegistryIndex } from '../indexes/index.js';
import type { Domain } from '../model/types.js';
import { lookupIndex, searchTerms } from './lookup.js';
import type { LookupIndex } from './search.js';

export interface AccuracyCase {
  line: number;
  query: string;
  in?: string[];
  domain?: Domain;
  /** Acceptable answers as `vocabulary:code`. */
  expected: string[];
}

export interface AccuracyReport {
  cases: number;
  top1: number;
  top3: number;
  misses: { case: AccuracyCase; got: string[] }[];
}

/** Parses the TSV: query, scope (`in=a,b domain=d` or `-`), expected (`v:c | v:c`). */
export function parseCases(text: string): AccuracyCase[] {
  const out: AccuracyCase[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 3) throw new Error(`queries line ${i + 1}: expected 3 tab-separated columns, found ${cols.length}`);
    const [query, scope, expected] = cols as [string, string, string];
    const c: AccuracyCase = { line: i + 1, query, expected: expected.split('|').map((s) => s.trim()).filter(Boolean) };
    for (const part of scope.trim() === '-' ? [] : scope.trim().split(/\s+/)) {
      const [k, v] = part.split('=');
      if (k === 'in' && v) c.in = v.split(',');
      else if (k === 'domain' && v) c.domain = v;
      else throw new Error(`queries line ${i + 1}: bad scope "${part}"`);
    }
    if (!c.expected.length || c.expected.some((e) => !e.includes(':'))) throw new Error(`queries line ${i + 1}: expected answers look like vocabulary:code`);
    out.push(c);
  });
  return out;
}

export function measure(index: RegistryIndex, cases: readonly AccuracyCase[]): AccuracyReport {
  const indexes = new Map<string, LookupIndex>();
  const report: AccuracyReport = { cases: cases.length, top1: 0, top3: 0, misses: [] };
  for (const c of cases) {
    const key = `${c.in?.join(',') ?? ''}|${c.domain ?? ''}`;
    let search = indexes.get(key);
    if (!search) indexes.set(key, (search = lookupIndex(index, { ...(c.in ? { in: c.in } : {}), ...(c.domain !== undefined ? { domain: c.domain } : {}) })));
    const got = searchTerms(search, c.query, { limit: 3 }).map((h) => `${h.vocabulary}:${h.code}`);
    const ok = (k: number) => got.slice(0, k).some((g) => c.expected.includes(g));
    if (ok(1)) report.top1++;
    else report.misses.push({ case: c, got });
    if (ok(3)) report.top3++;
  }
  return report;
}
