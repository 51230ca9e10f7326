/**
 * Issue 18: `convert` on two threads gives what one thread gives, byte for byte: output, rejects
 * with their line numbers, the report (merged from two converters), errors and exit codes. The
 * two-thread path is forced on small inputs (XWALK_PARALLEL_MIN_BYTES=0) with tiny reads, so
 * that pieces end everywhere: inside quoted fields, between CR and LF, at a BOM. Every case runs
 * through bin/xwalk both ways and checks that the worker converted some pieces.
 */

import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const dirs: string[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/worker/convert-worker.cjs'))) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

/** Runs `convert input.csv ARGS` in a fresh folder holding `input` (bytes or text), with the environment given. */
function run(input: string | Buffer, args: string[], env: Record<string, string>): Run {
  const dir = mkdtempSync(join(tmpdir(), 'xwalk-par-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'input.csv'), input);
  const r = spawnSync('node', [join(ROOT, 'bin/xwalk'), 'convert', 'input.csv', ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', XWALK_CACHE: 'off', ...env } });
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f !== 'input.csv') files[f] = readFileSync(join(dir, f), 'latin1');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, files };
}

/** The stream path (convert/stream.ts), which the pieces are checked against. */
const ONE = { XWALK_THREADS: '1', XWALK_STREAM: '1', XWALK_DEBUG_THREADS: '1' };
/** Pieces on this thread alone (the default for a file too small for two threads). */
const onePieces = (readBytes: number) => ({ XWALK_THREADS: '1', XWALK_PARALLEL_READ_BYTES: String(readBytes), XWALK_PARALLEL_PIECE_BYTES: String(Math.max(1, readBytes >> 1)), XWALK_DEBUG_THREADS: '1' });
const two = (readBytes: number, extra: Record<string, string> = {}) => ({ XWALK_THREADS: '2', XWALK_PARALLEL_MIN_BYTES: '0', XWALK_PARALLEL_READ_BYTES: String(readBytes), XWALK_PARALLEL_PIECE_BYTES: String(Math.max(1, readBytes >> 1)), XWALK_DEBUG_THREADS: '1', ...extra });
const debugLine = /^xwalk: debug: .*\n/m;

/** The same run on one thread and on two (several read sizes): everything equal, and the worker took part. */
function same(input: string | Buffer, args: string[], reads = [1, 7, 64, 1000], extra: Record<string, string> = {}): Run {
  const one = run(input, args, ONE);
  expect(one.stderr).toMatch(/xwalk: debug: one thread, as a stream/);
  for (const rb of reads) {
    const par = run(input, args, two(rb, extra));
    const stats = /xwalk: debug: (\d+) pieces, (\d+) by the worker/.exec(par.stderr);
    expect(stats, par.stderr).not.toBeNull();
    if (Number(stats![1]) > 2) expect(Number(stats![2]), `read size ${rb}: the worker converted nothing`).toBeGreaterThan(0);
    expect({ ...par, stderr: par.stderr.replace(debugLine, '') }, `read size ${rb}`).toEqual({ ...one, stderr: one.stderr.replace(debugLine, '') });
    const alone = run(input, args, onePieces(rb));
    expect(alone.stderr, `read size ${rb}, one thread`).toMatch(/xwalk: debug: \d+ pieces, one thread/);
    expect({ ...alone, stderr: alone.stderr.replace(debugLine, '') }, `read size ${rb}, one thread`).toEqual({ ...one, stderr: one.stderr.replace(debugLine, '') });
  }
  return one;
}

const ARGS = ['--from', 'riverton-pd', '--to', 'nibrs', '--column', 'offense:offense', '--report', 'report.json', '-o', 'out.csv'];
const CODES = ['0460', '1301', '2610', '0820', '1120', '', 'NULL', '460.0', '9401'];

/** An export with quoted fields holding delimiters, doubled quotes, LF and CRLF, and a quote inside an unquoted field. */
function exportText(rows: number, eol = '\n'): string {
  let s = `id,offense,offense2,note${eol}`;
  for (let i = 0; i < rows; i++) {
    const note = i % 5 === 0 ? `"two\nlines, ""quoted"""` : i % 5 === 1 ? `"crlf\r\ninside"` : i % 5 === 2 ? `12" pipe` : i % 5 === 3 ? `"a,b"` : `plain`;
    s += `${i},${CODES[i % CODES.length]},${CODES[(i * 7) % CODES.length]},${note}${eol}`;
  }
  return s;
}

describe('convert on two threads (issue 18)', () => {
  it('quoted line breaks, doubled quotes and a quote in an unquoted field, pieces ending anywhere', () => {
    const r = same(exportText(300), [...ARGS, '--column', 'offense2:offense']);
    expect(r.status).toBe(0);
    expect(r.files['out.csv']).toContain('"two\nlines, ""quoted"""');
    expect(JSON.parse(r.files['report.json']!).rows.read).toBe(300);
  });

  it('CRLF line ends, and a last record without one', () => {
    const text = exportText(200, '\r\n');
    same(text.slice(0, -2), ARGS);
  });

  it('lone CR line ends', () => {
    same(exportText(120, '\r').replace(/\r\n/g, ' '), ARGS, [1, 13, 200]);
  });

  it('a byte order mark, and non-ASCII text in passthrough columns', () => {
    const text = exportText(150).replace(/plain/g, 'café «Zürich» 東京');
    const r = same(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), ARGS);
    expect(r.files['out.csv']!.startsWith('\xef\xbb\xbf')).toBe(true);
  });

  it('rejects keep their line numbers and order; exit 1', () => {
    const r = same(exportText(250), [...ARGS, '--unmapped', 'error', '--ambiguous', 'error', '--reject', 'rejects.csv']);
    expect(r.status).toBe(1);
    const lines = r.files['rejects.csv']!.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(50);
  });

  it('malformed rows set aside with --skip-bad-rows', () => {
    let text = exportText(200);
    text = text.replace('\n17,', '\n17,extra,').replace('\n40,', '\n40\n41,') + '99,only\n';
    const r = same(text, [...ARGS, '--skip-bad-rows', '--reject', 'rejects.csv']);
    expect(JSON.parse(r.files['report.json']!).rows.malformed).toBeGreaterThan(1);
  });

  it('errors name the same line: a ragged record, an unclosed quote, invalid UTF-8, an unmapped value without --reject', () => {
    const ragged = exportText(200).replace('\n150,', '\n150,x,');
    expect(same(ragged, ARGS).stderr).toMatch(/line \d+: the record has 5 fields/);
    const unclosed = exportText(200) + '200,0460,0460,"never closed\n201,0460,0460,x\n';
    expect(same(unclosed, ARGS).stderr).toMatch(/line \d+: a quoted field is never closed/);
    const bad = Buffer.concat([Buffer.from(exportText(180)), Buffer.from('180,0460,0460,bad \xff byte\n', 'latin1'), Buffer.from(exportText(20).split('\n').slice(1).join('\n'))]);
    const r = same(bad, ARGS);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line \d+, byte \d+: the input is not valid UTF-8/);
    const unmapped = same(exportText(200), [...ARGS, '--unmapped', 'error']);
    expect(unmapped.status).toBe(1);
    expect(unmapped.stderr).toMatch(/line \d+: offense "0820"/);
  });

  it('many distinct values: the report merges counts and the most frequent lists exactly', () => {
    let s = 'id,offense\n';
    for (let i = 0; i < 4000; i++) s += `${i},X${(i * i) % 997}\n`;
    const r = same(s, ARGS, [64, 4096]);
    const rep = JSON.parse(r.files['report.json']!);
    expect(rep.columns[0].distinctUnmapped).toBe(new Set(Array.from({ length: 4000 }, (_, i) => (i * i) % 997)).size);
    expect(rep.columns[0].topUnmapped).toHaveLength(10);
  });

  it('JSON lines, replace mode with --explain, --excel-safe', () => {
    const text = exportText(120).replace(/plain/g, '=SUM(A1)');
    same(text, [...ARGS.slice(0, -2), '-o', 'out.jsonl', '--format', 'jsonl', '--explain'], [5, 300]);
    same(text, [...ARGS, '--mode', 'replace', '--explain', '--excel-safe'], [5, 300]);
  });

  it("rows written as the input's own bytes: mixed line ends, blank lines, replace mode, a semicolon delimiter", () => {
    // The first record's line end is written for every row: a CRLF row among LF rows is not copied as it stood.
    const mixed = exportText(200)
      .split('\n')
      .map((l, i) => (i % 7 === 3 ? l + '\r' : i % 11 === 5 ? l + '\n' : l))
      .join('\n');
    const r = same(mixed, [...ARGS, '--column', 'offense2:offense', '--mode', 'replace'], [7, 64, 1000]);
    expect(r.files['out.csv']).not.toContain('\r\n1');
    same(mixed.replace(/,/g, ';'), [...ARGS, '--delimiter', ';', '--column', 'offense2:offense'], [7, 1000]);
    // to standard output (a pipe, written at once: the output buffers go round between the threads)
    const piped = same(exportText(3000), ARGS.slice(0, 6), [4096, 65536]);
    expect(piped.stdout.match(/^\d+,/gm)).toHaveLength(3000);
  });

  it('a record longer than the fallback size: the rest goes through one thread, the same output', () => {
    const text = exportText(100) + `100,0460,0460,"${'long\n'.repeat(400)}"\n` + exportText(100).split('\n').slice(1).join('\n');
    const one = run(text, ARGS, ONE);
    const par = run(text, ARGS, two(50, { XWALK_PARALLEL_FALLBACK_BYTES: '500' }));
    expect(par.stderr).toMatch(/then one thread/);
    expect({ ...par, stderr: par.stderr.replace(debugLine, '') }).toEqual({ ...one, stderr: one.stderr.replace(debugLine, '') });
  });

  it('a delimiter or quote outside ASCII goes the stream way (pieces are cut by bytes); a line end as either is refused', () => {
    const text = exportText(300).replace(/,/g, '§');
    const one = run(text, [...ARGS, '--delimiter', '§'], ONE);
    expect(one.status).toBe(0);
    const par = run(text, [...ARGS, '--delimiter', '§'], two(64));
    expect(par.stderr).toMatch(/xwalk: debug: one thread, as a stream/);
    expect(par.files['out.csv']).toBe(one.files['out.csv']);
    expect(Buffer.from(par.files['out.csv']!, 'latin1').toString('utf8')).toMatch(/§0460§.*§13B§mapped$/m);
    for (const [flag, v] of [
      ['--delimiter', '\n'],
      ['--quote', '\r'],
    ]) {
      const bad = run(exportText(3), [...ARGS, flag!, v!], ONE);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(`xwalk: ${flag} cannot be a line end (CR or LF)`);
    }
  });

  it('a header alone, and an empty input', () => {
    same('id,offense\n', ARGS, [1, 3]);
    const empty = run('', ARGS, two(1));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/the input is empty/);
  });
});
