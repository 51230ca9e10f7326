/**
 * `xwalk convert` beyond the golden cases: files (atomic output, rejects, reports), the row
 * invariant, byte-for-byte passthrough, and a differential property test against csv-parse.
 */

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { runMain } from './helpers/run.js';
import { convertStream, type StreamOptions } from '../src/convert/stream.js';
import { streamOptions } from './helpers/stream-options.js';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { parseAll } from '../src/records/csv-reader.js';

const FIX = ['--no-shipped', '--vocab-dir', 'fixtures/vocab'];
const tmp = () => mkdtempSync(join(tmpdir(), 'xwalk-convert-'));

const run = (args: string[], stdin?: string | Buffer) => runMain(args, stdin !== undefined ? { stdin } : {});

const INPUT = 'code,note,property\n0101,"a, b",\n0200,x,shoplifting\n0999,"multi\nline",\n0300,y,\nZZZ,z,\n';

describe('files', () => {
  it('writes -o, --reject and --report; rows in = rows out + rows rejected', async () => {
    const d = tmp();
    writeFileSync(join(d, 'in.csv'), INPUT);
    const r = await run([
      ...FIX,
      'convert',
      join(d, 'in.csv'),
      '--from',
      'alpha-pd',
      '--to',
      'hub',
      '--column',
      'code:offense',
      '--context',
      'property=property',
      '--unmapped',
      'error',
      '--ambiguous',
      'error',
      '-o',
      join(d, 'out.csv'),
      '--reject',
      join(d, 'rej.csv'),
      '--report',
      join(d, 'report.json'),
    ]);
    expect(r.exit).toBe(1); // rows were rejected
    const out = parse(readFileSync(join(d, 'out.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(out.map((o) => [o.code, o.code_hub, o.code_status])).toEqual([
      ['0101', 'H1', 'mapped'],
      ['0200', 'H3', 'mapped'],
    ]);
    const rej = parse(readFileSync(join(d, 'rej.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rej.map((x) => [x.code, x.note, x.xwalk_reject_line])).toEqual([
      ['0999', 'multi\nline', '4'],
      ['0300', 'y', '6'],
      ['ZZZ', 'z', '7'],
    ]);
    expect(rej[0]!.xwalk_reject_reason).toMatch(/no-mapping/);
    expect(rej[1]!.xwalk_reject_reason).toMatch(/ambiguous/);
    const report = JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'));
    expect(report.rows).toEqual({ read: 5, written: 2, rejected: 3, malformed: 0 });
    expect(report.invariant).toBe(true);
    const alpha = report.vocabularies.find((v: { id: string }) => v.id === 'alpha-pd');
    expect(alpha.version).toBe('2024.1');
    expect(alpha.files[0].sha256).toBe(createHash('sha256').update(readFileSync('fixtures/vocab/alpha.yaml')).digest('hex'));
    expect(report.crosswalks.map((c: { id: string }) => c.id)).toEqual(['alpha-pd--hub']);
    expect(report.columns[0].counts).toMatchObject({ mapped: 2, 'no-mapping': 1, ambiguous: 1, unknown: 1 });
    expect(readdirSync(d).filter((f) => f.includes('xwalk-tmp'))).toEqual([]);
  });

  it('refuses to write over its input, and leaves it untouched', async () => {
    const d = tmp();
    writeFileSync(join(d, 'in.csv'), INPUT);
    const r = await run([...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(d, 'in.csv')]);
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/never writes over its input/);
    expect(readFileSync(join(d, 'in.csv'), 'utf8')).toBe(INPUT);
  });

  it('refuses an output that is a directory, and a missing directory', async () => {
    const d = tmp();
    writeFileSync(join(d, 'in.csv'), INPUT);
    mkdirSync(join(d, 'dir'));
    expect((await run([...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(d, 'dir')])).stderr).toMatch(/is a directory/);
    expect((await run([...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-o', join(d, 'nope', 'out.csv')])).stderr).toMatch(/does not exist/);
  });

  it('a failed run leaves the previous output file whole, and no temporary file', async () => {
    const d = tmp();
    writeFileSync(join(d, 'in.csv'), INPUT);
    writeFileSync(join(d, 'out.csv'), 'previous run\n');
    const r = await run([...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '--unmapped', 'error', '-o', join(d, 'out.csv')]);
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/line 4: code "0999"/);
    expect(readFileSync(join(d, 'out.csv'), 'utf8')).toBe('previous run\n');
    expect(readdirSync(d).sort()).toEqual(['in.csv', 'out.csv']);
  });

  it('--skip-bad-rows sets malformed records aside with their line, and counts them', async () => {
    const d = tmp();
    writeFileSync(join(d, 'in.csv'), 'code,x\n0101,a\n0102\n0200,c,extra\n0101,d\n');
    const r = await run([...FIX, 'convert', join(d, 'in.csv'), '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '--skip-bad-rows', '--reject', join(d, 'rej.csv'), '--report', join(d, 'r.json'), '-o', join(d, 'out.csv')]);
    expect(r.exit).toBe(1);
    expect(readFileSync(join(d, 'out.csv'), 'utf8')).toBe('code,x,code_hub,code_status\n0101,a,H1,mapped\n0101,d,H1,mapped\n');
    // Issue 20: every reject row has the header's columns (a short one padded, a long one's extra fields in the reason).
    expect(readFileSync(join(d, 'rej.csv'), 'utf8')).toBe('code,x,xwalk_reject_line,xwalk_reject_reason\n0102,,3,"the record has 1 field, the header has 2"\n0200,c,4,"the record has 3 fields, the header has 2; the fields past the header\'s, as read: extra"\n');
    const report = JSON.parse(readFileSync(join(d, 'r.json'), 'utf8'));
    expect(report.rows).toEqual({ read: 4, written: 2, rejected: 2, malformed: 2 });
  });

  it('reads standard input and writes standard output', async () => {
    const r = await run([...FIX, 'convert', '-', '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-q'], 'code\n101\n');
    expect(r.stdout).toBe('code,code_hub,code_status\n101,H1,mapped\n');
    expect(r.exit).toBe(0);
  });
});

describe('progress', () => {
  it('shows rows and MB/s on stderr when it is a terminal, and clears the line', async () => {
    let stderr = '';
    const exit = await main([...FIX, 'convert', '-', '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense'], {
      stdin: (async function* () {
        yield Buffer.from('code\n0101\n');
      })(),
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      env: { NO_COLOR: '1' },
      cwd: process.cwd(),
      stdoutIsTTY: false,
      stderrIsTTY: true,
    });
    expect(exit).toBe(0);
    expect(stderr).toMatch(/^\r\u001b\[K {2}1 rows · [\d.]+ MB\/s/);
    // the bar's line is cleared before the report
    expect(stderr).toMatch(/\r\u001b\[Kxwalk convert: 1 row read/);
  });
  it('is silent when stderr is not a terminal', async () => {
    const r = await run([...FIX, 'convert', '-', '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-q'], 'code\n0101\n');
    expect(r.stderr).toBe('');
  });
});

describe('data survives', () => {
  it('columns that are not converted are written back byte for byte (append mode)', async () => {
    const input = 'a,code,"c"\r\n"x",0101,"with ""quotes"", commas"\r\n  spaced  ,NA,\r\n"",0460,"NULL"\r\n';
    const r = await run([...FIX, 'convert', '-', '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '-q'], input);
    const inLines = input.split('\r\n');
    const outLines = r.stdout.split('\r\n');
    inLines.forEach((l, i) => {
      if (l) expect(outLines[i]!.startsWith(l + ',')).toBe(true);
    });
  });
  it('leading zeros, NA and NULL stay as written in every format', async () => {
    const input = 'code,other\n0460,007\nNA,NULL\n';
    const jsonl = await run([...FIX, 'convert', '-', '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '--format', 'jsonl', '-q'], input);
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ code: '0460', other: '007' });
    // Issue 20: append mode leaves the target empty where nothing mapped (the source column is still there).
    expect(rows[1]).toMatchObject({ code: 'NA', other: 'NULL', code_hub: '', code_status: 'no-mapping' });
  });
  it('the same input gives byte-identical output', async () => {
    const args = [...FIX, 'convert', 'fixtures/exports/riverton-pd-rms.csv', '--from', 'alpha-pd', '--to', 'hub', '--column', 'OffenseCode:offense', '-q'];
    expect((await run(args)).stdout).toBe((await run(args)).stdout);
  });
  it('NULL in a context column means "not recorded" (configurable), never a fact', async () => {
    const input = 'code,property\n0200,NULL\n0200,shoplifting\n';
    const r = await run([...FIX, 'convert', '-', '--from', 'alpha-pd', '--to', 'hub', '--column', 'code:offense', '--context', 'property=property', '-q'], input);
    expect(r.stdout.split('\n')[1]).toMatch(/,ambiguous$/);
    expect(r.stdout.split('\n')[2]).toMatch(/,H3,mapped$/);
  });
});

// A registry where every code maps to itself: translation must leave every record as it was.
const identity = new RegistryIndex(loadRegistry([new DirSource('fixtures/vocab')]));

async function convertText(text: string, opts: Partial<StreamOptions>, chunk: number): Promise<string> {
  let out = '';
  const chunks = (async function* () {
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
  })();
  await convertStream(identity, streamOptions({ from: 'alpha-pd', to: 'alpha-pd', columns: [{ column: 'c0', domain: 'offense' }], mode: 'replace', ...opts }), chunks, { write: (s) => void (out += s) });
  return out;
}

const cell = fc.oneof(fc.constantFrom('', '0101', '0460', 'NA', 'NULL', ' ', '"', '""', ',', '\n', '\r', '\r\n', 'é', '👮', 'e\u0301', 'a,b', 'say "hi"', '=1+2'), fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', '"', '\n', '\r', ' ', 'é', '👮', '\t', ';'), maxLength: 12 }));

function toCsv(rows: string[][], eol: string): string {
  return rows.map((r) => r.map((v) => (/[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join(eol) + eol;
}

describe('differential: convert with an identity mapping vs csv-parse as the oracle', () => {
  it('every record parses back the same (quotes, delimiters and line breaks in fields, CR/LF/CRLF, BOM, Unicode, empty fields, any chunking)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }).chain((w) => fc.tuple(fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 0, maxLength: 12 }), fc.constant(w))),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async ([body, w], eol, bom, chunk) => {
          const header = Array.from({ length: w }, (_, i) => `c${i}`);
          const text = (bom ? '\uFEFF' : '') + toCsv([header, ...body], eol);
          const out = await convertText(text, {}, chunk);
          const expected = parse(text, { bom: true, relax_quotes: false });
          const got = parse(out, { bom: true });
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: Number(process.env.XWALK_FUZZ_RUNS ?? 300), seed: process.env.XWALK_FUZZ_SEED ? Number(process.env.XWALK_FUZZ_SEED) : 20261123 },
    );
  });
  it('the tokenizer agrees with csv-parse on every record, for any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r'), fc.integer({ min: 1, max: 50 }), (rows, eol, chunk) => {
        const text = toCsv(rows, eol);
        const expected = parse(text, { record_delimiter: eol === '\r' ? '\r' : undefined });
        const got = parseAll(text, { delimiter: ',', quote: '"' }, chunk).map((r) => r.raw.map((f) => (f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f)));
        expect(got).toEqual(expected);
      }),
      { numRuns: Number(process.env.XWALK_FUZZ_RUNS ?? 500), seed: 20261123 },
    );
  });
  it('line numbers count line breaks inside quoted fields', () => {
    const recs = parseAll('a,b\n"x\ny",1\n"p\r\nq\rr",2\nlast,3\n', { delimiter: ',', quote: '"' }, 3);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4, 7]);
  });
});

describe('short cells decided by their characters (issue 18: shortKey)', () => {
  // A cell whose value is up to 4 ASCII characters, quoted or not, finds its decision by a number
  // made of its characters. With a per-row date column (--as-of-column, left empty) every value
  // goes the usual way (its string). All three must agree, cell for cell, on every kind of short
  // value: codes, their prefixes, spaces, a quote inside, non-ASCII.
  const piece = fc.constantFrom('0', '4', '6', '13', '23', '99', ' ', '.', 'A', 'x', 'é', '"');
  const value = fc.oneof(
    fc.constantFrom('0460', '2399', '2610', '9401', '1301', '', 'NULL', '460', '0460 '),
    fc.array(piece, { maxLength: 3 }).map((p) => p.join('')),
  );
  it('a short cell, quoted or not, gets what the same value gets through its string', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 40 }), async (values) => {
        const ok = values.filter((v) => !v.startsWith('"') && !/[,\n\r]/.test(v));
        if (!ok.length) return;
        const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
        const body = (q: (v: string) => string) => 'id,offense\n' + ok.map((v, i) => `${i},${q(v)}`).join('\n') + '\n';
        const d = tmp();
        const args = (report: string) => ['convert', '-', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'offense:offense', '--unmapped', 'keep', '--ambiguous', 'all', '-q', '--report', join(d, report)];
        const plain = await run(
          args('plain.json'),
          body((v) => v),
        );
        const quotedRun = await run(args('quoted.json'), body(quoted));
        // No short keys at all: a date column (empty) makes every row's decision go by its string.
        const dated = (q: (v: string) => string) => 'id,offense,d\n' + ok.map((v, i) => `${i},${q(v)},`).join('\n') + '\n';
        const viaString = await run([...args('string.json'), '--as-of-column', 'd'], dated(quoted));
        expect(plain.exit).toBe(viaString.exit);
        expect(quotedRun.exit).toBe(viaString.exit);
        const cells = (out: string, from = 2) => (parse(out, { relax_quotes: true }) as string[][]).map((r) => r.slice(from));
        expect(cells(plain.stdout)).toEqual(cells(viaString.stdout, 3));
        expect(cells(quotedRun.stdout)).toEqual(cells(viaString.stdout, 3));
        // and the report counts every value alike (its count entries are found by the key too)
        const columns = (f: string) => (JSON.parse(readFileSync(join(d, f), 'utf8')) as { columns: { values?: unknown; counts?: unknown }[] }).columns;
        expect(columns('plain.json')).toEqual(columns('quoted.json'));
        expect(columns('plain.json')).toEqual(columns('string.json'));
      }),
      { numRuns: 40 },
    );
  });
  it('a quoted cell with a doubled quote is not taken for the unquoted cell of the same characters', async () => {
    // "a""b" is the value a"b; unquoted, a""b is the value a""b. Both 4 characters between the quotes or not.
    const r = await run(['convert', '-', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'offense:offense', '--unmapped', 'keep', '-q'], 'id,offense\n1,a""b\n2,"a""b"\n3,"0460"\n4,0460\n5,"x"\n6,x\n');
    expect(r.stdout.split('\n').slice(1, 7)).toEqual(['1,a""b,"a""""b",unknown', '2,"a""b","a""b",unknown', '3,"0460",13B,mapped', '4,0460,13B,mapped', '5,"x",x,unknown', '6,x,x,unknown']);
  });

  it('after the counts drop their least frequent half (over 65,536 distinct values), short cells are counted as their strings are', async () => {
    const d = tmp();
    const rows: string[] = [];
    // Long values twice each; short ones once early (so the drop takes them) and again at the end.
    const long = (i: number) => `UNKNOWN-${i}`;
    for (let i = 0; i < 66_000; i++) {
      rows.push(`${rows.length},${long(i)}`, `${rows.length + 1},${long(i)}`);
      if (i === 100) for (let k = 0; k < 100; k++) rows.push(`${rows.length},Q${k}`);
    }
    for (let k = 0; k < 100; k++) rows.push(`${rows.length},Q${k}`);
    const body = (q: boolean) => 'id,offense\n' + rows.map((r) => (q ? r.replace(/,(.*)$/, ',"$1"') : r)).join('\n') + '\n';
    const args = (report: string) => ['convert', '-', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'offense:offense', '--unmapped', 'keep', '-q', '-o', join(d, `${report}.csv`), '--report', join(d, report)];
    await run(args('plain.json'), body(false));
    await run(args('quoted.json'), body(true));
    const report = (f: string) => JSON.parse(readFileSync(join(d, f), 'utf8')) as { columns: { approximate?: boolean }[] };
    expect(JSON.stringify(report('plain.json'))).toMatch(/"topUnmappedApproximate":true/);
    expect(report('plain.json').columns).toEqual(report('quoted.json').columns);
  }, 60_000);
});
