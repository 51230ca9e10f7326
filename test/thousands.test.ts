/** Counts written for people without ICU (issue 18: the first toLocaleString of a process costs 16-20 ms). */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thousands } from '../src/model/order.js';

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
