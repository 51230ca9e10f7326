/**
 * The generated exports of the SQL equality tests (issue 17, test/helpers/gen-export.ts): the same
 * seed gives the same text, every kind of messy cell occurs, the CSV reads back as convert reads
 * it, and each scenario's arguments run `xwalk convert` to the end.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chicagoToSrs, genExport, genExportDetailed, nibrsToSrs, rivertonToNibrs, shippedIndex, type CodeKind, type ContextKind, type DateKind } from './helpers/gen-export.js';
import { readExport } from './helpers/engines.js';
import { runMain } from './helpers/run.js';

const index = shippedIndex(true);
const dir = mkdtempSync(join(tmpdir(), 'xwalk-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALL_CODE_KINDS: CodeKind[] = ['code', 'other-case', 'spaces', 'decimal', 'quote-prefix', 'formula', 'scientific', 'unknown', 'empty', 'blank', 'null'];
const ALL_DATE_KINDS: DateKind[] = ['iso', 'slashed-ymd', 'us-time', 'd-mon-y', 'boundary', 'unreadable', 'empty'];

describe('genExport', () => {
  it('is deterministic: the same seed gives the same text, another seed another', () => {
    const a = nibrsToSrs(index, 500, 42).csv;
    expect(nibrsToSrs(index, 500, 42).csv).toBe(a);
    expect(nibrsToSrs(index, 500, 43).csv).not.toBe(a);
    expect(rivertonToNibrs(index, 300, 1).csv).toBe(rivertonToNibrs(shippedIndex(), 300, 1).csv);
  });

  const opts = {
    rows: 4000,
    seed: 9,
    from: 'nibrs',
    domain: 'offense',
    codeColumn: 'NIBRS',
    dateColumn: true,
    contextFields: [
      { column: 'Weapon', field: 'weapon' },
      { column: 'Attempted', field: 'attempted' },
      { column: 'Age', field: 'arrestee_age' },
      { column: 'Report', field: 'report' },
    ],
  };
  const { csv, kinds } = genExportDetailed(index, opts);
  const table = readExport(csv);
  const col = (name: string) => table.rows.map((r) => r[table.header.indexOf(name)]!);

  it('reads back as convert reads it: the header and one record per row', () => {
    expect(table.header).toEqual(['IncidentNum', 'IncidentDate', 'NIBRS', 'Weapon', 'Attempted', 'Age', 'Report', 'Narrative']);
    expect(table.rows).toHaveLength(4000);
    expect(new Set(col('IncidentNum')).size).toBe(4000);
  });

  it('writes every kind of code cell, each as it should look', () => {
    const codes = col('NIBRS');
    const k = kinds.NIBRS!;
    expect(new Set(k)).toEqual(new Set(ALL_CODE_KINDS));
    const known = (c: string) => index.term('nibrs', 'offense', c) !== undefined;
    k.forEach((kind, i) => {
      const v = codes[i]!;
      if (kind === 'code') expect(known(v) && v === v.trim(), v).toBe(true);
      if (kind === 'other-case') expect(known(v) && v !== v.toUpperCase(), v).toBe(true);
      if (kind === 'spaces') expect(v !== v.trim() && known(v.trim()), v).toBe(true);
      if (kind === 'decimal') expect(v).toMatch(/^\d+\.0$/);
      if (kind === 'quote-prefix') expect(v).toMatch(/^'\d+$/);
      if (kind === 'formula') expect(v).toMatch(/^="?\d+"?$/);
      if (kind === 'scientific') expect(v).toMatch(/^\d\.\dE\+\d\d$/);
      if (kind === 'unknown') expect(known(v), v).toBe(false);
      if (kind === 'empty') expect(v).toBe('');
      if (kind === 'blank') expect(v).toMatch(/^\s+$/);
      if (kind === 'null') expect(v).toBe('NULL');
    });
    expect(codes).toContain('4.6E+02'.replace('4.6', '1.2')); // 120 (robbery) as a spreadsheet shows it
  });

  it('writes context cells of every kind the field allows', () => {
    expect(new Set(kinds.Weapon)).toEqual(new Set<ContextKind>(['code', 'label', 'group', 'joined', 'other-case', 'empty', 'null', 'not-recorded', 'unknown']));
    expect(col('Weapon')).toContain('FIREARM');
    expect(col('Weapon').some((v) => /^[^|]+( ?\| ?[^|]+)+$/.test(v))).toBe(true);
    expect(new Set(kinds.Age)).toContain('number');
    const report = new Set(col('Report'));
    for (const v of ['offense', 'arrest', 'shr', '', 'NULL', '~']) expect(report, v).toContain(v);
    expect([...report].filter((v) => !['offense', 'arrest', 'shr'].includes(v.toLowerCase())).sort()).toEqual(['', '77Q', 'NULL', 'Other (see narrative)', 'ZZ', 'unknown-value', '~']);
    expect([...report].some((v) => ['OFFENSE', 'Offense', 'ARREST', 'Arrest', 'SHR', 'Shr'].includes(v))).toBe(true);
    // A single-valued field is never joined.
    expect(col('Attempted').some((v) => v.includes('|'))).toBe(false);
  });

  it('writes dates in every format convert reads, on the validity boundaries, and unreadable ones', () => {
    expect(new Set(kinds.IncidentDate)).toEqual(new Set(ALL_DATE_KINDS));
    const dates = col('IncidentDate');
    for (const re of [/^\d{4}-\d\d-\d\d$/, /^\d{4}\/\d\d\/\d\d$/, /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:00 [AP]M$/, /^\d{1,2}-[A-Z][a-z]{2}-\d{4}$/])
      expect(
        dates.some((d) => re.test(d)),
        String(re),
      ).toBe(true);
    // SRS's legacy rape lines end on 2013-01-01: the day before, the day and the day after occur.
    for (const day of ['2012-12-31', '2013-01-01', '2013-01-02']) {
      const [y, m, d] = day.split('-');
      const forms = [day, `${y}/${m}/${d}`, `${Number(m)}/${Number(d)}/${y} `, `${m}/${d}/${y} `, `${Number(d)}-${['Dec', 'Jan'][Number(m) % 12]}-${y}`];
      expect(
        dates.some((x) => forms.some((f) => x.startsWith(f))),
        day,
      ).toBe(true);
    }
  });

  it('passes a free-text column with commas, quotes, line breaks and unicode', () => {
    const text = col('Narrative');
    for (const needle of [',', '"', '\n', 'é', '北京', '🚓'])
      expect(
        text.some((t) => t.includes(needle)),
        JSON.stringify(needle),
      ).toBe(true);
  });

  it('refuses a field no crosswalk of the domain knows', () => {
    expect(() => genExport(index, { rows: 1, seed: 1, from: 'nibrs', domain: 'offense', contextFields: [{ column: 'X', field: 'no_such_field' }] })).toThrow(/no crosswalk of offense declares or uses the field no_such_field/);
  });
});

describe.each([
  ['nibrs → srs', nibrsToSrs, ['expired']],
  ['riverton-pd → nibrs', rivertonToNibrs, ['expired']],
  ['chicago-iucr → srs', chicagoToSrs, []], // no Chicago code has a validity period
] as const)('the %s scenario', (name, make, more) => {
  it('runs through xwalk convert to the end, with mapped, ambiguous, no-mapping, unknown, empty and bad-date rows', async () => {
    const s = make(index, 1500, 3);
    const file = join(dir, `${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(file, s.csv);
    const report = join(dir, 'report.json');
    const r = await runMain([...s.globalArgs, 'convert', file, ...s.convertArgs, '-q', '-o', join(dir, 'out.csv'), '--report', report]);
    expect(r.exit, r.stderr).toBe(0);
    const counts = (JSON.parse(readFileSync(report, 'utf8')) as { columns: { counts: Record<string, number> }[] }).columns[0]!.counts;
    for (const outcome of ['mapped', 'ambiguous', 'no-mapping', 'unknown', 'empty', 'bad-date', ...more]) expect(counts[outcome], outcome).toBeGreaterThan(0);
  });
});
