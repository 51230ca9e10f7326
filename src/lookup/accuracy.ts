/**
 * The lookup accuracy measure: a set of queries people really type, each with the term(s) that
 * are right, scored top-1 and top-3. The suite fails below target (test/lookup.test.ts), and
 * `npm run lookup-accuracy` prints the figures and every miss. Kept in src so both use one
 * implementation; it is not part of the CLI.
 *
 * A case may also be judged on confidence (test/lookup/dispatch.tsv, issue 16): an answer lookup
 * gives confidently and that is wrong is counted apart, because a trainer believes it.
 */

import type { RegistryIndex } from '../indexes/index.js';
import type { Domain } from '../model/types.js';
import { judge, lookupIndex, searchTerms } from './lookup.js';
import type { LookupIndex } from './search.js';

export interface AccuracyCase {
  line: number;
  query: string;
  in?: string[];
  domain?: Domain;
  /**
   * Acceptable answers as `vocabulary:code`; a trailing `+` also accepts the terms a shipped
   * crosswalk calls equivalent to it, `*` also narrower ones. Empty: no term is right (`none`).
   */
  expected: string[];
  /** Where the case comes from (the optional fourth column). */
  source?: string;
}

export interface AccuracyReport {
  cases: number;
  top1: number;
  top3: number;
  misses: { case: AccuracyCase; got: string[]; confident: boolean }[];
  /** Wrong best answers that lookup gave as confident. */
  confidentWrong: number;
  /** Per domain (the case's `domain=`, or `-`): cases, top-1, confident wrong. */
  byDomain: Map<string, { cases: number; top1: number; confidentWrong: number }>;
}

/** Parses the TSV: query, scope (`in=a,b domain=d` or `-`), expected (`v:c | v:c` or `none`), and an optional source. */
export function parseCases(text: string): AccuracyCase[] {
  const out: AccuracyCase[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 3 && cols.length !== 4) throw new Error(`queries line ${i + 1}: expected 3 or 4 tab-separated columns, found ${cols.length}`);
    const [query, scope, expected, source] = cols as [string, string, string, string | undefined];
    const c: AccuracyCase = {
      line: i + 1,
      query,
      expected:
        expected.trim() === 'none'
          ? []
          : expected
              .split('|')
              .map((s) => s.trim())
              .filter(Boolean),
    };
    if (source !== undefined && source.trim()) c.source = source.trim();
    for (const part of scope.trim() === '-' ? [] : scope.trim().split(/\s+/)) {
      const [k, v] = part.split('=');
      if (k === 'in' && v) c.in = v.split(',');
      else if (k === 'domain' && v) c.domain = v;
      else throw new Error(`queries line ${i + 1}: bad scope "${part}"`);
    }
    if ((!c.expected.length && expected.trim() !== 'none') || c.expected.some((e) => !e.includes(':'))) throw new Error(`queries line ${i + 1}: expected answers look like vocabulary:code (or none)`);
    out.push(c);
  });
  return out;
}

/** Every `vocabulary:code` an expected answer accepts (its `+`/`*` widened through the shipped crosswalks). */
function accepted(index: RegistryIndex, expected: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const e of expected) {
    const mode = e.endsWith('+') ? 'equivalent' : e.endsWith('*') ? 'narrower' : 'exact';
    const key = mode === 'exact' ? e : e.slice(0, -1);
    out.add(key);
    if (mode === 'exact') continue;
    const at = key.lastIndexOf(':');
    const [vocab, code] = [key.slice(0, at), key.slice(at + 1)];
    for (const cw of index.registry.crosswalks.values()) {
      for (const m of cw.mappings) {
        if (m.to === undefined) continue;
        const narrower = mode === 'narrower';
        if (cw.to === vocab && m.to === code && (m.relation === 'equivalent' || (narrower && m.relation === 'source-narrower'))) out.add(`${cw.from}:${m.from}`);
        if (cw.from === vocab && m.from === code && (m.relation === 'equivalent' || (narrower && m.relation === 'source-broader'))) out.add(`${cw.to}:${m.to}`);
      }
    }
  }
  return out;
}

export function measure(index: RegistryIndex, cases: readonly AccuracyCase[]): AccuracyReport {
  const indexes = new Map<string, LookupIndex>();
  const report: AccuracyReport = { cases: cases.length, top1: 0, top3: 0, misses: [], confidentWrong: 0, byDomain: new Map() };
  for (const c of cases) {
    const key = `${c.in?.join(',') ?? ''}|${c.domain ?? ''}`;
    let search = indexes.get(key);
    if (!search) indexes.set(key, (search = lookupIndex(index, { ...(c.in ? { in: c.in } : {}), ...(c.domain !== undefined ? { domain: c.domain } : {}) })));
    const hits = searchTerms(search, c.query, { limit: 10 });
    const verdict = judge(hits);
    const got = hits.slice(0, 3).map((h) => `${h.vocabulary}:${h.code}`);
    const right = accepted(index, c.expected);
    // Two readings (T = truck or tanker) are right only when lookup says it is not sure.
    const twoReadings = c.expected.length > 1 && c.expected.every((e) => /[+*]$/.test(e)) && /\bvs\b/.test(c.source ?? '');
    const ok = (k: number) => (c.expected.length === 0 ? !verdict.confident : got.slice(0, k).some((g) => right.has(g)) && !(twoReadings && verdict.confident && k === 1));
    const d = report.byDomain.get(c.domain ?? '-') ?? { cases: 0, top1: 0, confidentWrong: 0 };
    report.byDomain.set(c.domain ?? '-', d);
    d.cases++;
    if (ok(1)) {
      report.top1++;
      d.top1++;
    } else {
      report.misses.push({ case: c, got, confident: verdict.confident });
      if (verdict.confident && hits.length) {
        report.confidentWrong++;
        d.confidentWrong++;
      }
    }
    if (ok(3)) report.top3++;
  }
  return report;
}
