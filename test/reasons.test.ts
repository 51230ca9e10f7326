/**
 * Reasons are typed values, rendered to text in one place (issue 18): code that reacts to an error
 * or a note reads its kind, never its wording, so rewording a message cannot change behaviour.
 */

import { describe, expect, it } from 'vitest';
import { XwalkError } from '../src/errors/errors.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { makePlan } from '../src/convert/plan.js';
import { resolveDomain } from '../src/translate/translate.js';
import { noteText, withoutNote } from '../src/translate/notes.js';
import { parseConditionText, parseFactText } from '../src/read/values.js';
import { generalReason, markIncident } from '../src/summarize/incident.js';
import { hierarchyRules } from '../src/summarize/rules.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { badChoice } from '../src/cli/flags.js';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';

const fixtureRegistry = () => loadRegistry([new DirSource('fixtures/vocab')]);

const thrown = (f: () => unknown): XwalkError => {
  try {
    f();
  } catch (e) {
    if (e instanceof XwalkError) return e;
    throw e;
  }
  throw new Error('nothing thrown');
};

describe('XwalkError.code', () => {
  it('several shared domains is told apart by its code, and convert rewords it per column', () => {
    const index = new RegistryIndex(fixtureRegistry());
    expect(thrown(() => resolveDomain(index, 'alpha-pd', 'hub', undefined)).code).toBe('several-domains');
    const e = thrown(() =>
      makePlan(index, { from: 'alpha-pd', to: 'hub', columns: [{ column: 'code' }], mode: 'append', unmapped: { kind: 'blank' }, ambiguous: 'all', explain: false, context: [], facts: new Map(), missing: [''], excelSafe: false, skipBadRows: false, header: true, format: 'csv' }, ['code']),
    );
    expect(e.message).toMatch(/say which one column "code" holds/);
  });
  it('a bad choice says so', () => {
    const e = badChoice('--format', 'xml', ['csv', 'tsv']);
    expect(e.code).toBe('bad-choice');
    expect(e.message).toBe('--format "xml" is not csv or tsv');
  });
});

describe('notes by kind', () => {
  it('a note xwalk wrote comes back out of a joined note, wherever it stands', () => {
    const inv = noteText('inverted');
    expect(withoutNote(`${inv}; path a>b; reviewed by J`, 'inverted')).toBe('path a>b; reviewed by J');
    expect(withoutNote(`reviewed by J; ${inv}`, 'inverted')).toBe('reviewed by J');
    expect(withoutNote(inv, 'inverted')).toBe('');
    expect(withoutNote('inverted by hand; kept', 'inverted')).toBe('inverted by hand; kept');
  });
});

describe('condition and fact messages name what was read', () => {
  it('a fact is called a fact, a condition a condition', () => {
    expect(parseFactText('weapon')).toMatch(/^cannot read the fact "weapon"/);
    expect(parseConditionText('weapon')).toMatch(/^cannot read the condition "weapon"/);
    expect(parseFactText('age>=x')).toMatch(/^the fact "age>=x" compares with/);
  });
});

describe('incident reasons', () => {
  const rules = hierarchyRules(shippedRegistry(), 'srs');
  it('the general reason is made with the mark, and reading a written reason back gives the same', () => {
    for (const rows of [
      [
        { source: '11A', target: '2a' },
        { source: '11B', target: '2a' },
      ],
      [
        { source: '09A', target: '1a' },
        { source: '13A 1', target: '4a' },
      ],
    ]) {
      const marks = markIncident(rows, rules);
      const outranked = marks.find((m) => m.status === 'not-counted')!;
      expect(outranked.general).toBeDefined();
      expect(outranked.general).not.toContain(rows[0]!.source);
      expect(generalReason(outranked.reason)).toBe(outranked.general);
    }
  });
});
