/**
 * Issue 20: real exports, real habits. The pure pieces (dates, spreadsheet-mangled codes, TSV
 * cells, the report's wording), the library's translateRecords in step with convert, shipped
 * files overridden, and the CLI's small rough edges that golden cases cannot reach (a terminal).
 */

import { describe, expect, it } from 'vitest';
import { dateReader, excelSerialDate } from '../src/convert/dates.js';
import { repairCode, repairForms } from '../src/plan/repair.js';
import { tsvCell, type ConvertReport } from '../src/convert/convert.js';
import { translateRecords } from '../src/convert/records.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { loadRegistry } from '../src/load/registry.js';
import { MemorySource } from '../src/read/source.js';
import { mergeRegistries } from '../src/load/compiled.js';
import { renderReport } from '../src/cli/render/report.js';
import { Chalk } from 'chalk';
import { runMain } from './helpers/run.js';

const index = new RegistryIndex(shippedRegistry());

describe('issue 20: dates as exports write them', () => {
  const def = dateReader();
  it.each([
    ['2023-01-05', '2023-01-05'],
    ['2023-01-05T23:40:00-05:00', '2023-01-05'],
    ['2023-01-05T10:00:00Z', '2023-01-05'],
    ['2023/01/05', '2023-01-05'],
    ['5-Jan-2023', '2023-01-05'],
    ['05 January 2023', '2023-01-05'],
    ['Jan 5, 2023', '2023-01-05'],
    ['1/13/2021 12:00:00 AM', '2021-01-13'],
    ['1/5/23', '2023-01-05'],
    ['1/5/69', '1969-01-05'],
  ])('reads %s by default', (v, d) => expect(def(v)).toBe(d));
  it.each(['05.01.2023', '44931', '2023-02-30', '13/13/2023', 'soon', '5-Jux-2023'])('does not guess %s by default', (v) => expect(def(v)).toBeUndefined());
  it('day-first or month-first only when asked, never per row', () => {
    expect(dateReader('dmy')('05.01.2023')).toBe('2023-01-05');
    expect(dateReader('dmy')('13/01/2023')).toBe('2023-01-13');
    expect(dateReader('dmy')('01/13/2023')).toBeUndefined();
    expect(dateReader('D.M.YYYY')('05.01.2023 22:10')).toBe('2023-01-05');
    expect(dateReader('mdy')('01-13-2023')).toBe('2023-01-13');
    expect(dateReader('YYYYMMDD')('20230105')).toBe('2023-01-05');
    // ISO is read whatever the format: it cannot be mistaken for another order.
    expect(dateReader('dmy')('2023-01-05')).toBe('2023-01-05');
  });
  it('Excel serial numbers only when declared, with the 1900 system and its phantom 29 February', () => {
    expect(excelSerialDate('44927')).toBe('2023-01-01');
    expect(excelSerialDate('44931.75')).toBe('2023-01-05');
    expect(excelSerialDate('1')).toBe('1900-01-01');
    expect(excelSerialDate('59')).toBe('1900-02-28');
    expect(excelSerialDate('60')).toBeUndefined();
    expect(excelSerialDate('61')).toBe('1900-03-01');
    expect(dateReader('excel')('44931')).toBe('2023-01-05');
  });
  it('refuses a pattern it cannot use (exit 2)', () => {
    expect(() => dateReader('DD.QQ')).toThrow(/needs a year/);
    expect(() => dateReader('european')).toThrow(/not a named format/);
  });
});

describe('issue 20: codes mangled by spreadsheets', () => {
  const codes = new Set(['0460', '1301', '0560']);
  const codeOf = (s: string) => [...codes].find((c) => c === s.padStart(4, '0'));
  it.each([
    ['460.0', '0460'],
    ['=0460', '0460'],
    ['="0460"', '0460'],
    ["'0460", '0460'],
    ['4.6E+02', '0460'],
    ['1.301E+03', '1301'],
  ])('%s stands for %s', (v, c) => expect(repairCode(v, codeOf)).toBe(c));
  it('nothing when no code or several codes match', () => {
    expect(repairCode('0460', codeOf)).toBeUndefined(); // not mangled: no forms
    expect(repairCode('9.9E+02', codeOf)).toBeUndefined();
    // 4.6E+02 is what a spreadsheet shows for 455 to 464: with 0460 and 0461 both codes, it is neither.
    expect(repairForms('4.6E+02')).toEqual(expect.arrayContaining(['455', '460', '464']));
    const two = (s: string) => ['0460', '0461'].find((c) => c === s.padStart(4, '0'));
    expect(repairCode('4.6E+02', two)).toBeUndefined();
    expect(repairCode('460.0', two)).toBe('0460');
  });
});

describe('issue 20: TSV cells', () => {
  it('refuses a tab or line break, naming record and column', () => {
    expect(() => tsvCell('a\tb', false, { line: 7, column: 'Narrative' })).toThrow(/line 7, column Narrative: the cell holds a tab/);
    expect(() => tsvCell('a\r\nb', false, { line: 3, column: 'N' })).toThrow(/line break/);
  });
  it('--tsv-escape writes \\t \\n \\r and doubles backslashes; quotes are data', () => {
    expect(tsvCell('a\tb\nc\\d', true)).toBe('a\\tb\\nc\\\\d');
    expect(tsvCell('say "hi"', false)).toBe('say "hi"');
  });
});

describe('issue 20: the report for people', () => {
  const col = {
    column: 'OffenseCode',
    domain: 'offense',
    counts: { mapped: 1234567, ambiguous: 0, 'no-mapping': 0, unknown: 12, expired: 0, empty: 0, 'bad-date': 0 },
    substituted: 12,
    topUnmapped: Array.from({ length: 10 }, (_, i) => ({ value: `X${i}`, status: 'unknown' as const, count: 1, reason: '' })),
    distinctUnmapped: 12,
    badFacts: [],
    repairedCount: 0,
    repaired: [],
    badDatesIgnored: 0,
  };
  const r: ConvertReport = { rowsRead: 1234579, rowsWritten: 1234579, rowsRejected: 0, badRows: 0, cellsNeutralised: 0, columns: [col], crosswalksUsed: [] };
  const text = renderReport(r, { from: 'riverton-pd', to: 'nibrs' }, new Chalk({ level: 0 }));
  it('thousands separators', () => {
    expect(text).toContain('1,234,579 rows read, 1,234,579 written');
    expect(text).toContain('1,234,567 mapped');
  });
  it('"and N more" after the top unmapped values', () => expect(text).toContain('and 7 more values'));
});

describe('issue 20: translateRecords in step with convert', () => {
  const rows = [
    { Date: 'not a date', Code: '0460' },
    { Date: 'not a date', Code: '1100' },
    { Date: '05.01.2023', Code: '460.0' },
    { Date: '2012/01/13', Code: 'NULL' },
    { Date: '', Code: "'1301" },
  ];
  const all = async (opts: Partial<Parameters<typeof translateRecords>[2]> = {}) => {
    const out = [];
    for await (const r of translateRecords(index, rows, { from: 'riverton-pd', to: 'nibrs', columns: ['Code'], asOfField: 'Date', ...opts })) out.push(r);
    return out;
  };
  it('a bad date matters only where the answer depends on it; mangled codes repaired; NULL is nothing recorded', async () => {
    const [a, b, c, d, e] = await all();
    expect(a!.badDate).toBe('not a date');
    expect(a!.results.Code?.best?.code).toBe('13B');
    expect(b!.dateNeeded).toEqual(['Code']);
    expect(b!.results.Code).toBeUndefined();
    expect(c!.repaired).toEqual({ Code: '0460' });
    expect(c!.badDate).toBe('05.01.2023');
    expect(d!.results.Code).toBeUndefined();
    expect(d!.badDate).toBeUndefined();
    expect(e!.results.Code?.best?.code).toBe('13A');
  });
  it('dateFormat and missing as convert has them', async () => {
    const [, , c] = await all({ dateFormat: 'dmy' });
    expect(c!.badDate).toBeUndefined();
    const [, , , d] = await all({ missing: [] });
    expect(d!.results.Code?.outcome).toBe('unknown');
  });
});

describe('issue 20: a user file overrides a shipped one', () => {
  const mine = (id: string) => loadRegistry([new MemorySource('mine', new Map([[`${id}.yaml`, `id: ${id}\nname: Mine\nkind: standard\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: 13A, label: Aggravated Assault }\n`]]))]);
  it('replaces it, and says so', () => {
    const r = mergeRegistries(shippedRegistry(), mine('nibrs'));
    expect(r.vocabularies.get('nibrs')!.name).toBe('Mine');
    expect(r.overrides).toEqual([{ kind: 'vocabulary', id: 'nibrs', file: 'nibrs.yaml', replaced: 'vocabularies/nibrs.yaml' }]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('issue 20: the terminal', () => {
  it('convert waiting on a terminal says how to end', async () => {
    const r = await runMain(['convert', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'Code', '-q'], { tty: { keys: ['Code\n0460\n'] } });
    expect(r.stderr).toBe('');
    const loud = await runMain(['convert', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'Code'], { tty: { keys: ['Code\n0460\n'] } });
    expect(loud.stderr).toContain('xwalk: reading from standard input; Ctrl-D ends');
    expect(loud.stdout).toContain('0460,13B,mapped');
  });
  it('list and show use the terminal width, and never cut when not a terminal', async () => {
    const piped = await runMain(['show', 'nibrs', '11A']);
    expect(piped.stdout).toContain('harbor-county-so:566.030');
    const narrow = await runMain(['show', 'nibrs', '11A'], { tty: { keys: [], columns: 60 } });
    expect(narrow.stdout).not.toContain('harbor-county-so:566.030');
    expect(narrow.stdout).toContain('…');
    const wide = await runMain(['show', 'nibrs', '11A'], { tty: { keys: [], columns: 200 } });
    expect(wide.stdout).toContain('harbor-county-so:566.030');
  });
});
