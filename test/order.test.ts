/** src/model/order.ts: counts written for people without ICU (issue 18: the first toLocaleString of a process costs 16-20 ms), reasons counted with a cap. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countReason, thousands, type ReasonCount } from '../src/model/order.js';

describe('thousands', () => {
  it("writes a number as toLocaleString('en-US') does", () => {
    for (const n of [0, -0, 7, 999, 1000, 1234567, -1234, 1.5, 1234.5678, 0.0004, -0.0004, 12.3, 999999999999999999, 1e21, Infinity, NaN]) expect([n, thousands(n)]).toEqual([n, n.toLocaleString('en-US')]);
    fc.assert(fc.property(fc.integer({ min: -1e15, max: 1e15 }), (n) => thousands(n) === n.toLocaleString('en-US')));
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 999 }), (i, f) => {
        const n = i + f / 1000;
        return thousands(n) === n.toLocaleString('en-US');
      }),
    );
  });
});

describe('countReason', () => {
  it('keeps the first reasons apart and the rest in one line per status: the counts add up to the rows', () => {
    const reasons = new Map<string, ReasonCount<'not-counted' | 'unclassified'>>();
    const rows: ['not-counted' | 'unclassified', string][] = [];
    for (let i = 0; i < 50; i++) rows.push(['not-counted', `reason ${i % 7}`], ['unclassified', `odd ${i}`], ['not-counted', 'lower in hierarchy']);
    for (const [status, reason] of rows) countReason(reasons, status, reason, 10);
    const all = [...reasons.values()];
    expect(all.reduce((n, r) => n + r.count, 0)).toBe(rows.length);
    // 10 apart, then one "other reasons" line for each status that overflowed
    expect(all.filter((r) => !r.reason.startsWith('other reasons')).length).toBe(10);
    const other = all.filter((r) => r.reason.startsWith('other reasons'));
    expect(other.map((r) => r.status).sort()).toEqual(['not-counted', 'unclassified']);
    expect(other[0]!.reason).toBe('other reasons (past the first 10 distinct ones, not listed apart)');
    // a reason seen before the cap keeps counting apart
    expect(reasons.get('not-counted\u0000lower in hierarchy')!.count).toBe(50);
  });
});
