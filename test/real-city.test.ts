/**
 * Issue 14, on real data: Chicago's IUCR offense codes (fixtures/real/, public) chained through
 * NIBRS to SRS lines with the facts each code's description states, against an oracle built from
 * the FBI conversion rules independently of xwalk (fixtures/real/oracle.py). None may be wrong;
 * where xwalk is less decisive than the oracle it must say so (ambiguous or no inference).
 */

import { describe, expect, it } from 'vitest';
import { compareRealCity } from './helpers/real-city.js';

describe('a real city chained to SRS (Chicago IUCR → NIBRS → SRS, report=offense)', () => {
  const r = compareRealCity();
  it('answers no code wrongly', () => {
    expect(r.rows.filter((x) => x.verdict === 'wrong').map((x) => `${x.code}: expected ${x.expected} ${x.expectedLines}, got ${x.outcome} ${x.got}`)).toEqual([]);
  });
  it('agrees with the oracle on at least 96% of the codes, and maps at least 90 of the 95 it determines', () => {
    expect(r.summary.codes).toBe(411);
    expect(r.summary.agree).toBeGreaterThanOrEqual(395);
    expect(r.summary['xwalk mapped right']).toBeGreaterThanOrEqual(90);
  });
  it('says why wherever it is less decisive than the oracle', () => {
    for (const x of r.rows.filter((y) => y.verdict === 'safe')) expect(x.note, x.code).toMatch(/would decide|no counterpart|no inference|does not meet/);
  });
});
