import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/errors/errors.js';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import type { Condition } from '../src/model/types.js';
import { at, byRule, crosswalkYaml, load, loadSources, only, termsYaml, vocabYaml } from './helpers/memory.js';

/** Asserts the one diagnostic of a load that must contribute nothing, and returns it. */
function rejected(files: Record<string, string>): Diagnostic {
  const { registry, diagnostics } = load(files);
  expect(registry.vocabularies.size).toBe(0);
  expect(registry.crosswalks.size).toBe(0);
  return only(diagnostics);
}

function expectDiag(d: Diagnostic, want: { rule: string; file: string; line: number; col?: number; message: RegExp | string; hint?: RegExp | string }): void {
  expect(d.rule).toBe(want.rule);
  expect(d.severity).toBe('error');
  expect(d.loc.file).toBe(want.file);
  expect(d.loc.line).toBe(want.line);
  if (want.col !== undefined) expect(d.loc.col).toBe(want.col);
  if (typeof want.message === 'string') expect(d.message).toContain(want.message);
  else expect(d.message).toMatch(want.message);
  if (want.hint !== undefined) {
    if (typeof want.hint === 'string') expect(d.hint).toContain(want.hint);
    else expect(d.hint).toMatch(want.hint);
  }
}

/** A vocabulary with one offense term line, for field-level checks. */
const oneTerm = (term: string, domain = 'offense', extra = '') => termsYaml('a', domain, [term], extra);
const cw = (...mappings: string[]) => crosswalkYaml('a--b', 'a', 'b', 'offense', mappings);

describe('YAML syntax and shape', () => {
  it('reports a YAML syntax error with its line', () => {
    const text = 'id: a\nname: b: c\nkind: agency\n';
    expectDiag(rejected({ 'v/a.yaml': text }), { rule: 'yaml-syntax', file: 'v/a.yaml', line: 2, col: 7, message: 'compact mappings' });
  });

  it('reports an unclosed quote at a real line, not 0', () => {
    const d = rejected({ 'a.yaml': 'id: a\nname: "x\n' });
    expect(d.rule).toBe('yaml-syntax');
    expect(d.loc.line).toBeGreaterThan(0);
    expect(d.message).toMatch(/quote/i);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const text = 'id: a\nname: b\nid: c\n';
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'yaml-syntax', file: 'a.yaml', line: 3, col: 1, message: 'duplicate key' });
  });

  it('reports two documents in one file in plain words', () => {
    const d = rejected({ 'a.yaml': 'a: 1\n---\nb: 2\n' });
    expectDiag(d, { rule: 'yaml-syntax', file: 'a.yaml', line: 2, message: 'more than one YAML document' });
    expect(d.message).not.toContain('parseAllDocuments');
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'hello\n'],
    ['an empty file', ''],
  ])('rejects %s at the top level', (_what, text) => {
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'wrong-type', file: 'a.yaml', line: 1, message: 'must hold a YAML mapping' });
  });

  it('stops an alias bomb with yaml-too-large before expanding it', () => {
    // 10^30 nodes if expanded: only a refusal computed from the document as written can finish
    // (the test timeout is the bound; no wall-clock assertion).
    const levels = 'abcdefghijklmnopqrstuvwxyzABCD'.split('');
    const lines = [`a: &a ["x","x","x","x","x","x","x","x","x","x"]`];
    for (let i = 1; i < levels.length; i++)
      lines.push(
        `${levels[i]}: &${levels[i]} [${Array(10)
          .fill(`*${levels[i - 1]}`)
          .join(',')}]`,
      );
    const d = rejected({ 'a.yaml': lines.join('\n') + '\n' });
    expectDiag(d, { rule: 'yaml-too-large', file: 'a.yaml', line: 1, message: 'alias bomb', hint: 'anchors and aliases' });
  });
  it('accepts aliases that expand to a reasonable size', () => {
    const ok = load({ 'a.yaml': 'id: a\nname: A\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - &t { code: "1", label: one }\n      - { code: "2", label: two }\n' });
    expect(ok.diagnostics).toEqual([]);
  });

  it('rejects a self-referencing alias instead of recursing forever', () => {
    expect(rejected({ 'a.yaml': 'key: &a [*a]\n' }).rule).toBe('yaml-too-deep');
  });

  it('rejects nesting deeper than 64 levels, and accepts 60', () => {
    const deep = 'a: ' + '['.repeat(70) + ']'.repeat(70) + '\n';
    expectDiag(rejected({ 'a.yaml': deep }), { rule: 'yaml-too-deep', file: 'a.yaml', line: 1, message: 'deeper than 64' });
    const ok = load({ 'a.yaml': 'a: ' + '['.repeat(60) + ']'.repeat(60) + '\n' });
    expect(byRule(ok.diagnostics, 'yaml-too-deep')).toEqual([]);
  });

  it('rejects binary garbage (a NUL byte)', () => {
    expectDiag(rejected({ 'a.yaml': termsYaml('a', 'offense', ['{ code: A, label: "x\u0000y" }']) }), { rule: 'binary-file', file: 'a.yaml', line: 0, message: 'binary' });
  });
});

describe('vocabulary fields', () => {
  it.each(['id', 'name', 'kind', 'version', 'domains'])('reports a missing `%s` at the top of the file', (field) => {
    const text = termsYaml('a', 'offense', ['{ code: A, label: L }'])
      .split('\n')
      .filter((l) => !l.startsWith(`${field}:`))
      .join('\n')
      .replace(/^ {2}.*\n?/gm, field === 'domains' ? '' : '$&');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'missing-field', file: 'a.yaml', line: 1, col: 1, message: `has no \`${field}\`` });
  });

  it('reports `terms` that is not a list at the value', () => {
    const text = vocabYaml('a', '  offense:\n    terms: { code: A, label: L }\n');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'wrong-type', file: 'a.yaml', ...at(text, '{ code'), message: '`terms` of domain `offense` must be a list' });
  });

  it('reports a label that is a mapping', () => {
    const text = oneTerm('{ code: A, label: { en: x } }');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'wrong-type', file: 'a.yaml', ...at(text, '{ en'), message: '`label` of the term must be text, not a mapping' });
  });

  it('reports a missing code and a missing label at the term', () => {
    const t1 = oneTerm('{ label: L }');
    expectDiag(rejected({ 'a.yaml': t1 }), { rule: 'missing-field', file: 'a.yaml', ...at(t1, '{ label'), message: 'has no `code`' });
    const t2 = oneTerm('{ code: A }');
    expectDiag(rejected({ 'a.yaml': t2 }), { rule: 'missing-field', file: 'a.yaml', ...at(t2, '{ code'), message: 'has no `label`' });
  });

  it('reports an unknown field with a did-you-mean at the key', () => {
    const text = oneTerm('{ code: A, label: L, valid_form: 2020-01-01 }');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'unknown-field', file: 'a.yaml', ...at(text, 'valid_form'), message: 'unknown field `valid_form`', hint: 'did you mean `valid_from`?' });
  });

  it('lists the known fields when an unknown one is not a typo', () => {
    const text = oneTerm('{ code: A, label: L, colour: red }');
    expect(rejected({ 'a.yaml': text }).hint).toContain('known fields: code, label');
  });

  it('reports a bad id with a suggestion', () => {
    const text = termsYaml('Alpha_PD', 'offense', ['{ code: A, label: L }']);
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-id', file: 'a.yaml', ...at(text, 'Alpha_PD'), message: '"Alpha_PD" must be lower-case', hint: 'alpha-pd' });
  });

  it('reports a bad kind', () => {
    const text = termsYaml('a', 'offense', ['{ code: A, label: L }']).replace('kind: agency', 'kind: city');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-value', file: 'a.yaml', ...at(text, 'city'), message: 'expected one of: agency, standard' });
  });

  it.each(['2024-13-01', '2024-02-30', '2024-1-1', '01/02/2024'])('reports the bad date %s', (date) => {
    const text = oneTerm(`{ code: A, label: L, valid_from: ${date} }`);
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-date', file: 'a.yaml', ...at(text, date), message: `"${date}", not a date`, hint: 'YYYY-MM-DD' });
  });

  it('accepts 2024-02-29 (a leap day)', () => {
    expect(load({ 'a.yaml': oneTerm('{ code: A, label: L, valid_from: 2024-02-29 }') }).diagnostics).toEqual([]);
  });

  it.each([
    ['before', '2020-01-01', '2010-01-01'],
    ['equal to', '2020-01-01', '2020-01-01'],
  ])('reports valid_to %s valid_from', (_w, from, to) => {
    const text = oneTerm(`{ code: A, label: L, valid_from: ${from}, valid_to: ${to} }`);
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-interval', file: 'a.yaml', ...at(text, '{ code'), message: 'the end must come after the start' });
  });

  it('reports an alias interval that ends before it starts', () => {
    const text = oneTerm('{ code: A, label: L, aliases: [{ text: Old, valid_from: 2013-01-01, valid_to: 2000-01-01 }] }');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-interval', file: 'a.yaml', ...at(text, '{ text'), message: 'an alias of term "A"' });
  });

  it('reports a bad certainty', () => {
    const text = oneTerm('{ code: A, label: L, certainty: sure }');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-value', file: 'a.yaml', ...at(text, 'sure'), message: 'expected one of: documented, inferred, unverified' });
  });

  it('reports an upper-case domain name', () => {
    const text = vocabYaml('a', '  Offense:\n    terms: []\n');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-domain', file: 'a.yaml', ...at(text, 'Offense'), message: 'must be lower-case' });
  });

  it('reports a bad normalize setting', () => {
    const text = oneTerm('{ code: A, label: L }', 'offense', '    normalize: { pad: many }\n');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-number', file: 'a.yaml', ...at(text, 'many'), message: 'whole number' });
  });
});

describe('duplicate codes', () => {
  it('reports a code defined twice, naming the first line', () => {
    const text = termsYaml('a', 'offense', ['{ code: "13A", label: One }', '{ code: "13A", label: Two }']);
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'duplicate-code', file: 'a.yaml', line: 9, col: 9, message: 'first at line 8 of a.yaml' });
  });

  it('reports "460" and "0460" as one code under pad: 4', () => {
    const text = termsYaml('a', 'offense', ['{ code: "0460", label: One }', '{ code: "460", label: Two }'], '    normalize: { pad: 4 }\n');
    const d = rejected({ 'a.yaml': text });
    expectDiag(d, { rule: 'duplicate-code', file: 'a.yaml', ...at(text, '{ code: "460"'), message: '"460" (the same as "0460" once normalized)' });
  });

  it('keeps "460" and "0460" apart without padding', () => {
    const { registry, diagnostics } = load({ 'a.yaml': termsYaml('a', 'offense', ['{ code: "0460", label: One }', '{ code: "460", label: Two }']) });
    expect(diagnostics).toEqual([]);
    expect([...registry.vocabularies.get('a')!.domains.get('offense')!.terms.values()].map((t) => t.code)).toEqual(['0460', '460']);
  });

  it('reports codes that differ only in case (default upper-case lookup)', () => {
    const text = termsYaml('a', 'offense', ['{ code: abc, label: One }', '{ code: ABC, label: Two }']);
    expect(rejected({ 'a.yaml': text }).message).toContain('"ABC" (the same as "abc" once normalized)');
  });

  it('keeps codes that differ in case apart under case: none', () => {
    const text = termsYaml('a', 'offense', ['{ code: abc, label: One }', '{ code: ABC, label: Two }'], '    normalize: { case: none }\n');
    expect(load({ 'a.yaml': text }).diagnostics).toEqual([]);
  });

  it('reports a duplicate between the YAML terms and the CSV term list of one domain', () => {
    const yaml = vocabYaml('a', '  offense:\n    terms:\n      - { code: A, label: One }\n    file: t.csv\n');
    const d = rejected({ 'a.yaml': yaml, 't.csv': 'code,label\nB,Two\na,Three\n' });
    expectDiag(d, { rule: 'duplicate-code', file: 't.csv', line: 3, message: 'first at line 8 of a.yaml' });
  });
});

describe('designators', () => {
  const unit = (designators: string) => termsYaml('a', 'unit', [`{ code: E, label: Engine, designators: ${designators} }`]);
  it.each([
    ['no slot', '[ENG]', 'has no number slot'],
    ['two slots', '["E{n}{n}"]', 'more than one slot'],
    ['a digit before the slot', '["E1{n}"]', 'digits right next to the number slot'],
    ['a digit after the slot', '["{n}1"]', 'digits right next to the number slot'],
    ['an empty range', '["{n:94-91}"]', 'empty range'],
    ['an unknown slot', '["E{x}"]', 'unknown slot {x}'],
    ['padding beyond 12 digits', '["E{n:13}"]', 'more than 12 digits'],
  ])('reports %s at the template', (_w, list, message) => {
    const text = unit(list);
    const where = at(text, list);
    // the item starts right after the `[`
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-designator', file: 'a.yaml', line: where.line, col: where.col + 1, message });
  });

  it('reports a bad template in a CSV term list on its row', () => {
    const files = { 'a.yaml': vocabYaml('a', '  unit:\n    file: u.csv\n'), 'u.csv': 'code,label,designators\nE,Engine,E{n}|ENG{n}\nT,Truck,T|TRK{n}\n' };
    expectDiag(rejected(files), { rule: 'bad-designator', file: 'u.csv', line: 3, message: '"T" has no number slot' });
  });

  it('reports designators outside the unit domain', () => {
    const text = oneTerm('{ code: A, label: L, designators: ["A{n}"] }');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'bad-designator', file: 'a.yaml', ...at(text, '["A'), message: 'designators belong to unit kinds' });
  });

  it('reads good templates', () => {
    const { registry, diagnostics } = load({ 'a.yaml': unit('["E{n:2}", "Engine {n}", "{n:91-94}"]') });
    expect(diagnostics).toEqual([]);
    const ds = registry.vocabularies.get('a')!.domains.get('unit')!.terms.get('E')!.designators;
    expect(ds.map((d) => [d.prefix, d.suffix, d.pad, d.min, d.max])).toEqual([
      ['E', '', 2, undefined, undefined],
      ['Engine ', '', 0, undefined, undefined],
      ['', '', 0, 91, 94],
    ]);
  });
});

describe('CSV term lists', () => {
  const yaml = vocabYaml('a', '  offense:\n    file: terms/t.csv\n');
  const withCsv = (csv: string) => ({ 'v/a.yaml': yaml, 'v/terms/t.csv': csv });

  it('reports a missing file at the `file` field, relative to the YAML', () => {
    expectDiag(rejected({ 'v/a.yaml': yaml }), { rule: 'missing-file', file: 'v/a.yaml', ...at(yaml, 'terms/t.csv'), message: 'looked for v/terms/t.csv', hint: 'relative to this YAML file' });
  });

  it.each(['code', 'label'])('reports a header without `%s`', (col) => {
    const header = ['code', 'label', 'group'].filter((c) => c !== col).join(',');
    expectDiag(rejected(withCsv(`${header}\nA,B\n`)), { rule: 'csv-header', file: 'v/terms/t.csv', line: 1, message: `no "${col}" column` });
  });

  it('reports a duplicate header', () => {
    expectDiag(rejected(withCsv('code,label,Label\nA,x,y\n')), { rule: 'csv-header', file: 'v/terms/t.csv', line: 1, message: 'names column "label" twice' });
  });

  it('reports a ragged row with its line number', () => {
    expectDiag(rejected(withCsv('code,label\nA,x\nB,y,z\nC,w\n')), { rule: 'csv-syntax', file: 'v/terms/t.csv', line: 3, message: 'different number of fields', hint: 'quote fields' });
  });

  it('counts lines inside quoted multi-line fields for a later ragged row', () => {
    expectDiag(rejected(withCsv('code,label\nA,"two\nlines"\nB,y,z\n')), { rule: 'csv-syntax', file: 'v/terms/t.csv', line: 4, message: 'different number of fields' });
  });

  it('reports an unclosed quote at the line where it opens', () => {
    expectDiag(rejected(withCsv('code,label\nA,x\nB,"y\nC,w\nD,v\n')), { rule: 'csv-syntax', file: 'v/terms/t.csv', line: 3, message: 'never closed' });
    // an escaped quote ("") inside the open field does not move the reported line
    expect(rejected(withCsv('code,label\nA,"x\n""y"" z\n')).loc.line).toBe(2);
  });

  it('reports an empty code with its line', () => {
    expectDiag(rejected(withCsv('code,label\nA,x\n  ,y\n')), { rule: 'empty-code', file: 'v/terms/t.csv', line: 3, message: 'empty code' });
  });

  it('reports a row without a label', () => {
    expectDiag(rejected(withCsv('code,label\nA,\n')), { rule: 'missing-field', file: 'v/terms/t.csv', line: 2, message: 'term "A" has no label' });
  });

  it('reports a bad date in a row with the row line', () => {
    expectDiag(rejected(withCsv('code,label,valid_from\nA,x,2020-01-01\nB,y,2024-02-30\n')), { rule: 'bad-date', file: 'v/terms/t.csv', line: 3, message: '"2024-02-30", not a date' });
  });

  it('reports a typo of a known column with a did-you-mean', () => {
    expectDiag(rejected(withCsv('code,label,lable\nA,x,y\n')), { rule: 'csv-header', file: 'v/terms/t.csv', line: 1, message: 'unknown column "lable"', hint: 'did you mean "label"?' });
  });

  it('keeps other columns as term props, as text', () => {
    const { registry, diagnostics } = load(withCsv('code,label,Group,crime_against\n13A,Aggravated Assault,A,Person\n90Z,All other,B,\n'));
    expect(diagnostics).toEqual([]);
    const terms = registry.vocabularies.get('a')!.domains.get('offense')!.terms;
    expect(Object.fromEntries(terms.get('13A')!.props)).toEqual({ group: 'A', crime_against: 'Person' });
    expect(Object.fromEntries(terms.get('90Z')!.props)).toEqual({ group: 'B' });
    expect(registry.vocabularies.get('a')!.files).toEqual(['v/a.yaml', 'v/terms/t.csv']);
  });

  it('keeps NA, NULL, 0460 and 1e3 as text, and accepts a UTF-8 BOM', () => {
    const { registry, diagnostics } = load(withCsv('\uFEFFcode,label,aliases\nNA,Not applicable,NULL|None\nNULL,Null code,\n0460,Leading zero,\n1e3,Exponent,\n'));
    expect(diagnostics).toEqual([]);
    const terms = registry.vocabularies.get('a')!.domains.get('offense')!.terms;
    expect([...terms.values()].map((t) => t.code)).toEqual(['NA', 'NULL', '0460', '1e3']);
    expect(terms.get('NA')!.aliases.map((a) => a.text)).toEqual(['NULL', 'None']);
  });

  it('reports a bad condition in a crosswalk CSV (text form) on its row', () => {
    const files = {
      'x.yaml': 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nfile: x.csv\n',
      'x.csv': 'from,to,relation,when\nA,B,equivalent,age>=18\nA,C,source-broader,age>=old\n',
    };
    expectDiag(rejected(files), { rule: 'bad-condition', file: 'x.csv', line: 3, message: 'not a number' });
  });

  it('rejects an unknown column in a crosswalk CSV', () => {
    const files = { 'x.yaml': 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nfile: x.csv\n', 'x.csv': 'from,to,relation,confidense\nA,B,equivalent,1\n' };
    expectDiag(rejected(files), { rule: 'csv-header', file: 'x.csv', line: 1, message: 'unknown column "confidense"' });
  });
});

describe('crosswalk fields', () => {
  it.each(['from', 'to', 'domain', 'version'])('reports a crosswalk without `%s`', (field) => {
    const text = cw('{ from: A, to: B, relation: equivalent }')
      .split('\n')
      .filter((l) => !l.startsWith(`${field}:`))
      .join('\n');
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'missing-field', file: 'x.yaml', line: 1, col: 1, message: `the crosswalk has no \`${field}\`` });
  });

  it('reports a crosswalk with neither mappings nor file', () => {
    expectDiag(rejected({ 'x.yaml': 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\n' }), { rule: 'missing-field', file: 'x.yaml', line: 1, message: 'neither `mappings` nor `file`' });
  });

  it('reports a crosswalk from a vocabulary to itself', () => {
    const text = crosswalkYaml('a--a', 'a', 'a', 'offense', ['{ from: A, to: B, relation: equivalent }']);
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'self-crosswalk', file: 'x.yaml', ...at(text, 'a\ndomain'), message: 'maps a to itself' });
  });

  it.each([
    ['from', '{ to: B, relation: equivalent }', 'has no `from` code'],
    ['relation', '{ from: A, to: B }', 'has no `relation`'],
    ['to', '{ from: A, relation: equivalent }', 'has no `to` code'],
  ])('reports a mapping without `%s` at the mapping', (_f, mapping, message) => {
    const text = cw(mapping);
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'missing-field', file: 'x.yaml', line: 7, col: 5, message });
  });

  it('reports an unknown relation at the relation value', () => {
    const text = cw('{ from: A, to: B, relation: same-as }');
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-relation', file: 'x.yaml', ...at(text, 'same-as'), message: 'unknown relation "same-as"', hint: 'FHIR and SKOS names' });
  });

  it('reports a no-match that names a target', () => {
    const text = cw('{ from: A, to: B, relation: no-match }');
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'no-match-with-target', file: 'x.yaml', line: 7, col: 5, message: 'names a target "B"', hint: 'use disjoint' });
  });

  it.each(['0', '1.5', 'high', '-0.5'])('reports confidence %s', (c) => {
    const text = cw(`{ from: A, to: B, relation: equivalent, confidence: ${c} }`);
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-number', file: 'x.yaml', line: 7, col: 5, message: `confidence of the mapping from "A" is "${c}"` });
  });

  it('accepts confidence 1 and 0.01, and defaults to 1', () => {
    const { registry, diagnostics } = load({ 'x.yaml': cw('{ from: A, to: B, relation: equivalent, confidence: 0.01 }', '{ from: C, to: B, relation: equivalent, confidence: 1 }', '{ from: D, to: B, relation: related }') });
    expect(diagnostics).toEqual([]);
    expect(registry.crosswalks.get('a--b')!.mappings.map((m) => m.confidence)).toEqual([0.01, 1, 1]);
  });

  it('reports a bad status', () => {
    const text = cw('{ from: A, to: B, relation: equivalent, status: approved }');
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-value', file: 'x.yaml', line: 7, col: 5, message: 'expected reviewed or proposed' });
  });

  it('reports an unknown mapping field with a did-you-mean', () => {
    const text = cw('{ from: A, to: B, relation: equivalent, valid_form: 2020-01-01 }');
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'unknown-field', file: 'x.yaml', ...at(text, 'valid_form'), hint: 'did you mean `valid_from`?', message: 'valid_form' });
  });

  it('reports a mapping valid_to before valid_from', () => {
    const text = cw('{ from: A, to: B, relation: equivalent, valid_from: 2020-01-01, valid_to: 2019-01-01 }');
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-interval', file: 'x.yaml', line: 7, col: 5, message: 'the end must come after the start' });
  });

  it('reports a bad crosswalk id', () => {
    const text = crosswalkYaml('A to B', 'a', 'b', 'offense', ['{ from: A, to: B, relation: equivalent }']);
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-id', file: 'x.yaml', ...at(text, 'A to B'), message: 'lower-case letters and digits' });
  });

  it('reports `mappings` that is not a list', () => {
    const text = 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nmappings: { from: A }\n';
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'wrong-type', file: 'x.yaml', ...at(text, '{ from'), message: '`mappings` must be a list' });
  });
});

describe('conditions', () => {
  const whenOf = (when: string): Condition[] => {
    const { registry, diagnostics } = load({ 'x.yaml': cw(`{ from: A, to: B, relation: source-broader, when: ${when} }`) });
    expect(diagnostics).toEqual([]);
    return registry.crosswalks.get('a--b')!.mappings[0]!.when;
  };

  it('reads the object and the text form to the same conditions', () => {
    const object = whenOf('{ age: { ge: 18 }, weapon: [a, b], x: { not: [y] } }');
    expect(object).toEqual([
      { field: 'age', op: 'ge', value: 18 },
      { field: 'weapon', op: 'in', values: ['a', 'b'] },
      { field: 'x', op: 'not-in', values: ['y'] },
    ]);
    expect(whenOf('"age>=18;weapon=a|b;x!=y"')).toEqual(object);
  });

  it('reads every comparison of the text form', () => {
    expect(whenOf('"a<1; b<=2; c>3; d>=4; e=x"')).toEqual([
      { field: 'a', op: 'lt', value: 1 },
      { field: 'b', op: 'le', value: 2 },
      { field: 'c', op: 'gt', value: 3 },
      { field: 'd', op: 'ge', value: 4 },
      { field: 'e', op: 'in', values: ['x'] },
    ]);
  });

  it.each([
    ['an unknown test', '{ age: { gte: 18 } }', '18', 'unknown test `gte`'],
    ['a non-number comparison', '{ age: { ge: adult } }', 'adult', 'needs a number'],
    ['a list of conditions', '[age, weapon]', '[age', 'must be a mapping'],
    ['a non-text `not` item', '{ x: { not: [y, { z: w }] } }', '[y', 'text value'],
    ['an empty value', '{ x: "" }', '""', 'has no value'],
  ])('reports %s in the object form at the value', (_w, when, needle, message) => {
    const text = cw(`{ from: A, to: B, relation: source-broader, when: ${when} }`);
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-condition', file: 'x.yaml', ...at(text, needle), message });
  });

  it.each([
    ['age>>18', 'not a number'],
    ['age>=', 'not a number'],
    ['weapon=', 'has no value'],
    ['18<age', 'cannot read'],
    ['age=>18', 'did you mean age>=18?'],
    ['age==18', 'did you mean age=18?'],
  ])('reports the text condition %s', (when, message) => {
    const text = cw(`{ from: A, to: B, relation: source-broader, when: "${when}" }`);
    expectDiag(rejected({ 'x.yaml': text }), { rule: 'bad-condition', file: 'x.yaml', ...at(text, `"${when}"`), message });
  });
});

describe('data that YAML would type', () => {
  const codes = ['0460', '1e3', 'yes', 'no', 'NA', 'NULL', 'null', 'true', 'off', '2024-01-01', '0x1F', '.inf', '-.inf', '.nan', '012', '1_000', '0o17', '+12', '1.50'];

  it('loads unquoted codes exactly as written', () => {
    const { registry, diagnostics } = load({
      'a.yaml': termsYaml(
        'a',
        'offense',
        codes.map((c, i) => `{ code: ${c}, label: L${i} }`),
        '    normalize: { case: none }\n',
      ),
    });
    expect(diagnostics).toEqual([]);
    expect([...registry.vocabularies.get('a')!.domains.get('offense')!.terms.values()].map((t) => t.code)).toEqual(codes);
  });

  it('keeps unquoted version, label and mapping codes as text', () => {
    const { registry, diagnostics } = load({
      'a.yaml': 'id: a\nname: 1e3\nkind: agency\nversion: 2.10\ndomains:\n  offense:\n    terms:\n      - { code: A, label: no }\n',
      'x.yaml': cw('{ from: 0460, to: 1e3, relation: equivalent }', '{ from: NA, relation: no-match }'),
    });
    expect(diagnostics).toEqual([]);
    const v = registry.vocabularies.get('a')!;
    expect([v.name, v.version, v.domains.get('offense')!.terms.get('A')!.label]).toEqual(['1e3', '2.10', 'no']);
    expect(registry.crosswalks.get('a--b')!.mappings.map((m) => [m.from, m.to])).toEqual([
      ['0460', '1e3'],
      ['NA', undefined],
    ]);
  });

  it('keeps `~` as the code "~" (codes are never null), and reports an empty code', () => {
    const ok = load({ 'a.yaml': oneTerm('{ code: ~, label: Tilde }') });
    expect(ok.diagnostics).toEqual([]);
    expect([...ok.registry.vocabularies.get('a')!.domains.get('offense')!.terms.keys()]).toEqual(['~']);
    const text = oneTerm('{ code: , label: Empty }');
    expectDiag(rejected({ 'a.yaml': text }), { rule: 'empty-code', file: 'a.yaml', line: 8, message: '`code` of the term is empty' });
  });

  it('keeps replaced_by: NULL as a code (it is not an empty value)', () => {
    const { registry } = load({ 'a.yaml': termsYaml('a', 'offense', ['{ code: A, label: L, valid_to: 2020-01-01, replaced_by: NULL }', '{ code: NULL, label: N }']) });
    expect(registry.vocabularies.get('a')!.domains.get('offense')!.terms.get('A')!.replacedBy).toBe('NULL');
  });

  it('treats __proto__, constructor and toString as ordinary codes without polluting prototypes', () => {
    const text = termsYaml('a', 'offense', ['{ code: __proto__, label: Proto, props: { __proto__: x, polluted: yes } }', '{ code: constructor, label: Ctor }', '{ code: toString, label: ToStr }', '{ code: hasOwnProperty, label: Own }'], '    normalize: { case: none }\n');
    const { registry, diagnostics } = load({ 'a.yaml': text, 'x.yaml': crosswalkYaml('a--b', 'a', 'b', 'offense', ['{ from: __proto__, to: constructor, relation: equivalent, when: { __proto__: { polluted: 1 } } }']) });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // the `when` above has an unknown test; what matters is that nothing leaked, and the vocabulary loaded
    expect(byRule(diagnostics, 'bad-condition')).toHaveLength(1);
    const terms = registry.vocabularies.get('a')!.domains.get('offense')!.terms;
    expect([...terms.keys()]).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(terms.get('__proto__')!.label).toBe('Proto');
    expect([...terms.get('__proto__')!.props]).toEqual([
      ['__proto__', 'x'],
      ['polluted', 'yes'],
    ]);
  });
});

describe('aliases and relation names', () => {
  it('loads dated aliases with their dates, and plain ones without', () => {
    const { registry, diagnostics } = load({ 'a.yaml': oneTerm('{ code: 11A, label: Rape, aliases: [{ text: Forcible Rape, valid_to: 2013-01-01 }, Rape (legacy)] }') });
    expect(diagnostics).toEqual([]);
    expect(registry.vocabularies.get('a')!.domains.get('offense')!.terms.get('11A')!.aliases).toEqual([{ text: 'Forcible Rape', validTo: '2013-01-01' }, { text: 'Rape (legacy)' }]);
  });

  it.each([
    ['wider', 'source-narrower'],
    ['subsumes', 'source-narrower'],
    ['narrower', 'source-broader'],
    ['specializes', 'source-broader'],
    ['source-is-narrower-than-target', 'source-narrower'],
    ['source-is-broader-than-target', 'source-broader'],
    ['skos:exactMatch', 'equivalent'],
    ['skos:broadMatch', 'source-narrower'],
    ['skos:narrowMatch', 'source-broader'],
    ['not-related-to', 'disjoint'],
    ['disjoint', 'disjoint'],
    ['inexact', 'overlap'],
    ['Equivalent', 'equivalent'],
  ])('loads relation %s as %s (YAML and CSV)', (name, canonical) => {
    const { registry, diagnostics } = load({
      'x.yaml': cw(`{ from: A, to: B, relation: "${name}" }`),
      'y.yaml': 'id: b--a\nfrom: b\nto: a\ndomain: offense\nversion: "1"\nfile: y.csv\n',
      'y.csv': `from,to,relation\nB,A,${name}\n`,
    });
    expect(diagnostics).toEqual([]);
    expect(registry.crosswalks.get('a--b')!.mappings[0]!.relation).toBe(canonical);
    expect(registry.crosswalks.get('b--a')!.mappings[0]!.relation).toBe(canonical);
  });

  it('loads unmatched as no-match without a target', () => {
    const { registry, diagnostics } = load({ 'x.yaml': cw('{ from: A, relation: unmatched }') });
    expect(diagnostics).toEqual([]);
    expect(registry.crosswalks.get('a--b')!.mappings[0]).toMatchObject({ from: 'A', relation: 'no-match' });
    expect(registry.crosswalks.get('a--b')!.mappings[0]).not.toHaveProperty('to');
  });
});

describe('ids across files and sources', () => {
  const a = termsYaml('a', 'offense', ['{ code: A, label: L }']);

  it('reports a vocabulary id defined in two sources, naming both files, and keeps the first', () => {
    const { registry, diagnostics } = loadSources(['shipped', { 'one/a.yaml': a }], ['mine', { 'two/a.yaml': a.replace('Test a', 'Other') }]);
    expectDiag(only(diagnostics), { rule: 'duplicate-id', file: 'two/a.yaml', line: 1, col: 1, message: 'the vocabulary id "a" is defined twice: in one/a.yaml and in two/a.yaml' });
    expect(registry.vocabularies.get('a')!.name).toBe('Test a');
  });

  it('reports a crosswalk id defined twice', () => {
    const x = cw('{ from: A, to: B, relation: equivalent }');
    const { registry, diagnostics } = load({ 'x1.yaml': x, 'x2.yaml': x });
    expectDiag(only(diagnostics), { rule: 'duplicate-id', file: 'x2.yaml', line: 1, message: 'the crosswalk id "a--b" is defined twice: in x1.yaml and in x2.yaml' });
    expect(registry.crosswalks.size).toBe(1);
  });

  it('loads the good files beside a broken one', () => {
    const { registry, diagnostics } = load({ 'a.yaml': a, 'b.yaml': 'id: b\nname: [\n' });
    expect(diagnostics.map((d) => d.loc.file)).toEqual(['b.yaml']);
    expect([...registry.vocabularies.keys()]).toEqual(['a']);
  });
});

describe('DirSource on disk', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'xwalk-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) {
      chmodSync(d, 0o700);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('reads nested directories, resolves CSV beside the YAML and skips dotfiles', () => {
    const root = tmp();
    mkdirSync(join(root, 'agency', 'terms'), { recursive: true });
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, 'agency', 'a.yaml'), vocabYaml('a', '  offense:\n    file: terms/a.csv\n'));
    writeFileSync(join(root, 'agency', 'terms', 'a.csv'), 'code,label\n0460,Leading zero\n');
    writeFileSync(join(root, 'b.yml'), termsYaml('b', 'offense', ['{ code: B, label: L }']));
    writeFileSync(join(root, '.hidden.yaml'), 'this: [is broken\n');
    writeFileSync(join(root, '.git', 'c.yaml'), 'broken: [\n');
    writeFileSync(join(root, 'notes.txt'), 'not yaml: [\n');
    const registry = loadRegistry([new DirSource(root)]);
    expect(registry.diagnostics).toEqual([]);
    expect([...registry.vocabularies.keys()].sort()).toEqual(['a', 'b']);
    expect(registry.vocabularies.get('a')!.files).toEqual([join(root, 'agency', 'a.yaml'), join(root, 'agency', 'terms', 'a.csv')]);
    expect([...registry.vocabularies.get('a')!.domains.get('offense')!.terms.keys()]).toEqual(['0460']);
  });

  it('does not hang on a symlink loop, and reads each file once', () => {
    const root = tmp();
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'a.yaml'), termsYaml('a', 'offense', ['{ code: A, label: L }']));
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'sub'), join(root, 'again'));
    const registry = loadRegistry([new DirSource(root)]);
    expect(registry.diagnostics).toEqual([]);
    expect([...registry.vocabularies.keys()]).toEqual(['a']);
  });

  it('reports a broken symlink', () => {
    const root = tmp();
    symlinkSync(join(root, 'gone.yaml'), join(root, 'link.yaml'));
    const registry = loadRegistry([new DirSource(root)]);
    expectDiag(only(registry.diagnostics), { rule: 'unreadable', file: join(root, 'link.yaml'), line: 0, message: 'broken link' });
  });

  it('reports a referenced CSV that is missing on disk', () => {
    const root = tmp();
    writeFileSync(join(root, 'a.yaml'), vocabYaml('a', '  offense:\n    file: nope.csv\n'));
    const registry = loadRegistry([new DirSource(root)]);
    expectDiag(only(registry.diagnostics), { rule: 'missing-file', file: join(root, 'a.yaml'), line: 7, message: `looked for ${join(root, 'nope.csv')}` });
  });

  it('reports an unreadable file', () => {
    const root = tmp();
    const file = join(root, 'a.yaml');
    writeFileSync(file, termsYaml('a', 'offense', ['{ code: A, label: L }']));
    chmodSync(file, 0o000);
    const registry = loadRegistry([new DirSource(root)]);
    if (process.getuid?.() === 0) {
      // root reads a mode-000 file anyway, so there is nothing to report; it simply loads.
      expect([...registry.vocabularies.keys()]).toEqual(['a']);
    } else {
      expectDiag(only(registry.diagnostics), { rule: 'unreadable', file, line: 0, message: 'cannot read the file' });
      expect(registry.vocabularies.size).toBe(0);
    }
  });

  it('loads a single YAML file given as the source', () => {
    const root = tmp();
    const file = join(root, 'a.yaml');
    writeFileSync(file, termsYaml('a', 'offense', ['{ code: A, label: L }']));
    writeFileSync(join(root, 'b.yaml'), termsYaml('b', 'offense', ['{ code: B, label: L }']));
    expect([...loadRegistry([new DirSource(file)]).vocabularies.keys()]).toEqual(['a']);
  });

  it('reports a source directory that does not exist', () => {
    const root = tmp();
    const registry = loadRegistry([new DirSource(join(root, 'nope'))]);
    expect(only(registry.diagnostics).rule).toBe('unreadable');
  });
});

describe('facts, parents, precedence and field declarations (issue 14)', () => {
  const file = 'a.yaml';
  it('reads facts, parent and precedence', () => {
    const { registry, diagnostics } = load({
      'a.yaml': termsYaml('a', 'offense', ['{ code: G, label: Group }', '{ code: "12", label: Handgun, parent: G, facts: { weapon: ["11", "12"], attempted: C } }', '{ code: "20", label: Knife, parent: G, facts: "weapon=20;attempted=A" }'], '    precedence: ["12", "20"]\n'),
    });
    expect(diagnostics).toEqual([]);
    const t = registry.vocabularies.get('a')!.domains.get('offense')!;
    expect(t.precedence).toEqual(['12', '20']);
    expect(t.terms.get('12')).toMatchObject({
      parent: 'G',
      facts: [
        { field: 'weapon', values: ['11', '12'] },
        { field: 'attempted', values: ['C'] },
      ],
    });
    expect(t.terms.get('20')!.facts).toEqual([
      { field: 'weapon', values: ['20'] },
      { field: 'attempted', values: ['A'] },
    ]);
  });
  it('refuses a parent that is not a code of the domain, naming both', () => {
    const d = rejected({ 'a.yaml': oneTerm('{ code: "4a", label: Line, parent: "9" }') });
    expectDiag(d, { rule: 'unknown-parent', file, line: d.loc.line, message: 'term "4a" has parent "9", which is not a code of domain `offense`' });
    expect(d.loc.line).toBeGreaterThan(1);
  });
  it('refuses a parent cycle', () => {
    const d = rejected({ 'a.yaml': termsYaml('a', 'offense', ['{ code: A, label: A, parent: B }', '{ code: B, label: B, parent: A }']) });
    expect(d.rule).toBe('parent-cycle');
    expect(d.message).toBe('the parent links from term "A" go round in a cycle (A → B → A)');
  });
  it('refuses a precedence naming an unknown or repeated code', () => {
    expect(rejected({ 'a.yaml': oneTerm('{ code: "12", label: Handgun }', 'offense', '    precedence: ["12", "99"]\n') }).message).toMatch(/`precedence` of domain `offense` names "99", which is not a code of this domain/);
    expect(rejected({ 'a.yaml': oneTerm('{ code: "12", label: Handgun }', 'offense', '    precedence: ["12", "12"]\n') }).message).toMatch(/names "12" twice/);
  });
  it('refuses facts that are not field=value', () => {
    expect(rejected({ 'a.yaml': oneTerm('{ code: "12", label: Handgun, facts: [weapon] }') }).rule).toBe('bad-fact');
    expect(rejected({ 'a.yaml': oneTerm('{ code: "12", label: Handgun, facts: "weapon>=12" }') }).message).toMatch(/a fact states values/);
    expect(rejected({ 'a.yaml': oneTerm('{ code: "12", label: Handgun, facts: { weapon: [] } }') }).message).toMatch(/fact `weapon` of term "12" needs a value/);
  });
  const B = termsYaml('b', 'offense', ['{ code: X, label: X }']);
  const A = termsYaml('a', 'offense', ['{ code: "1", label: One }']);
  const withFields = (fields: string, mapping = '{ from: "1", to: X, relation: equivalent }') => crosswalkYaml('a--b', 'a', 'b', 'offense', [mapping]).replace('mappings:\n', `fields:\n${fields}mappings:\n`);
  it('reads field declarations: code lists, inline values, numbers, several values', () => {
    const { registry, diagnostics } = load({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': withFields('  weapon: { vocabulary: w, domain: weapon, multi: true }\n  report: { values: [offense, arrest] }\n  age: { type: number }\n  note: { type: text }\n') });
    expect(diagnostics).toEqual([]);
    expect(registry.crosswalks.get('a--b')!.fields!.map(({ loc: _l, ...d }) => d)).toEqual([
      { name: 'weapon', type: 'code', vocabulary: 'w', domain: 'weapon', multi: true },
      { name: 'report', type: 'code', values: ['offense', 'arrest'], multi: false },
      { name: 'age', type: 'number', multi: false },
      { name: 'note', type: 'text', multi: false },
    ]);
  });
  it.each([
    ['  weapon: { type: code }\n', /names neither a `vocabulary` nor `values`/],
    ['  weapon: { vocabulary: w, values: [a] }\n', /names both a `vocabulary` and `values`/],
    ['  weapon: { type: text, vocabulary: w }\n', /is of type text/],
    ['  age: { type: number, values: ["1"] }\n', /is of type number; `values` belong to code fields/],
    ['  weapon: { vocabulary: w, multi: maybe }\n', /expected true or false/],
    ['  weapon: { vocabulary: w, vocab: x }\n', /unknown field `vocab`/],
    ['  weapon: w\n', /must be a mapping like/],
  ])('refuses a bad field declaration %j', (fields, message) => {
    const { registry, diagnostics } = load({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': withFields(fields) });
    expect(registry.crosswalks.size).toBe(0);
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(message);
  });
  it('reads a product and a conditional no-match, and ~ as "not recorded" in a condition list', () => {
    const { registry, diagnostics } = load({ 'a.yaml': A, 'b.yaml': B, 'x.yaml': crosswalkYaml('a--b', 'a', 'b', 'offense', ['{ from: "1", to: X, relation: equivalent, product: { weapon: "12" }, when: { weapon: ["40", ~] } }', '{ from: "1", relation: no-match, when: { weapon: "20" } }']) });
    expect(diagnostics).toEqual([]);
    const [m, n] = registry.crosswalks.get('a--b')!.mappings;
    expect(m).toMatchObject({ product: [{ field: 'weapon', values: ['12'] }], when: [{ field: 'weapon', op: 'in', values: ['40', '~'] }] });
    expect(n).toMatchObject({ relation: 'no-match', when: [{ field: 'weapon', op: 'in', values: ['20'] }] });
  });
});
