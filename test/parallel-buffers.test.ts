/**
 * Issue 18, memory: on two threads, the buffers that pieces are read into and written from go
 * round between the threads instead of being made new for every piece. Made new, each one
 * outlived a young collection in a queue and waited for a full one, which a run of small pieces
 * rarely has: peak memory grew with the input (126-157 MB on 189 MB, where it is now 85 MB).
 *
 * The driver (parallel.ts) and the worker's side (worker.ts) run here in one thread, joined by a
 * channel that moves buffers as worker_threads does (structuredClone with a transfer list, every
 * message delivered on a later turn), and every buffer the conversion makes is counted.
 */

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { convertParallel, readsInPieces, type WorkerLike } from '../src/convert/parallel.js';
import { ByteOut } from '../src/convert/row-out.js';
import { roomFor, Spares } from '../src/convert/spares.js';
import { convertStream, type StreamOptions } from '../src/convert/stream.js';
import { serveConversion, type FromWorker, type Port, type ToWorker } from '../src/convert/worker.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { streamOptions } from './helpers/stream-options.js';

const index = new RegistryIndex(shippedRegistry());

const OPTS = streamOptions({ from: 'riverton-pd', to: 'nibrs', columns: ['offense', 'offense2'].map((column) => ({ column, domain: 'offense' })) });

const CODES = ['0460', '1301', '2610', '0820', '1120', '', 'NULL', '9401'];

/** An export of `rows` records of varying length (so pieces differ by a few bytes); `accent` puts a non-ASCII note in every 50th. */
function exportText(rows: number, accent: boolean): string {
  let s = 'id,offense,offense2,note\n';
  for (let i = 0; i < rows; i++) {
    const word = accent && i % 50 === 7 ? 'café' : 'cafe';
    const note = i % 3 ? `"${word}, ""b"" ${'x'.repeat(100 + (i % 37))}"` : word.repeat(20 + (i % 5));
    s += `${i},${CODES[i % CODES.length]},${CODES[(i * 5) % CODES.length]},${note}\n`;
  }
  return s;
}

/** A worker thread in this thread: messages cloned with their transfer lists (the buffers move, the sender's are emptied) and delivered later. */
function inThread(opts = OPTS): WorkerLike {
  const toServer: ((m: ToWorker) => void)[] = [];
  const toDriver: ((m: FromWorker) => void)[] = [];
  const send = <M>(listeners: ((m: M) => void)[], m: M, transfer?: ArrayBuffer[], turns = 1) => {
    const copy = structuredClone(m, { transfer: transfer ?? [] });
    const later = (n: number): void => void setImmediate(() => (n > 1 ? later(n - 1) : listeners.forEach((l) => l(copy))));
    later(turns);
  };
  const port: Port = {
    // The worker answers some turns later: slower than this thread, which then converts pieces too, as on a real run.
    postMessage: (m, transfer) => send(toDriver, m, transfer, 8),
    on: (_event, l) => toServer.push(l),
  };
  serveConversion(port, Promise.resolve(index), opts);
  const worker: WorkerLike = {
    postMessage: (m, transfer) => send(toServer, m, transfer),
    on: (event: string, l: (m: never) => void) => (event === 'message' ? toDriver.push(l as (m: FromWorker) => void) : 0),
    terminate: async () => 0,
  };
  return worker;
}

type Run = { out: string; rejected: string[]; report: string } | { error: string };

/**
 * Converts `text` in pieces of `pieceBytes` on "two threads", reading at most `readMax` bytes at a
 * time: the output (latin1), the rejected rows and the report, or the error; how the pieces were
 * shared and the buffers of 1 KiB or more made meanwhile. Every chunk handed to a sink that does
 * not write at once (`atOnce` false) must stay as it was written.
 */
async function inPieces(text: Buffer, opts: StreamOptions, p: { pieceBytes: number; readMax?: number; atOnce?: boolean; depth?: number; noReject?: boolean }): Promise<{ run: Run; made: number; pieces: number; byWorker: number }> {
  const atOnce = p.atOnce ?? true;
  let at = 0;
  const read = (into: Uint8Array, offset: number, length: number) => {
    const n = Math.min(length, text.length - at, p.readMax ?? Infinity);
    into.set(text.subarray(at, at + n), offset);
    at += n;
    return n;
  };
  const parts: Buffer[] = [];
  const kept: { chunk: Uint8Array; copy: Buffer }[] = [];
  const rejected: string[] = [];
  const stats = { pieces: 0, byWorker: 0, fellBack: false };
  const spy = vi.spyOn(Buffer, 'allocUnsafeSlow');
  let run: Run;
  let made = 0;
  try {
    const sinks = {
      write: (s: string | Uint8Array) => {
        parts.push(Buffer.from(s));
        if (typeof s !== 'string' && !atOnce) kept.push({ chunk: s, copy: Buffer.from(s) });
      },
      writesAtOnce: atOnce,
      ...(p.noReject ? {} : { reject: (rows: { line: number; raw: string; reason: string }[]) => void rejected.push(...rows.map((x) => `${x.line}|${x.raw}|${x.reason}`)) }),
    };
    const r = await convertParallel(index, opts, read, sinks, { startWorker: () => inThread(opts), pieceBytes: p.pieceBytes, stats, ...(p.depth ? { depth: p.depth } : {}) });
    run = { out: Buffer.concat(parts).toString('latin1'), rejected, report: JSON.stringify(r.report) };
  } catch (e) {
    run = { error: (e as Error).message };
  } finally {
    made = spy.mock.calls.filter(([n]) => n >= 1024).length; // counted before the restore clears them
    spy.mockRestore();
  }
  for (const k of kept) expect(Buffer.from(k.chunk).equals(k.copy), 'a written chunk changed afterwards').toBe(true);
  return { run, made, pieces: stats.pieces, byWorker: stats.byWorker };
}

/** The same conversion through the stream path (convert/stream.ts), which the pieces are checked against. */
async function asStream(text: Buffer, opts: StreamOptions, noReject = false): Promise<Run> {
  const parts: Buffer[] = [];
  const rejected: string[] = [];
  try {
    const r = await convertStream(
      index,
      opts,
      (async function* () {
        yield text;
      })(),
      { write: (s) => void parts.push(Buffer.from(s)), ...(noReject ? {} : { reject: (rows: { line: number; raw: string; reason: string }[]) => void rejected.push(...rows.map((x) => `${x.line}|${x.raw}|${x.reason}`)) }) },
    );
    return { out: Buffer.concat(parts).toString('latin1'), rejected, report: JSON.stringify(r.report) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

afterEach(() => vi.restoreAllMocks());

describe('buffers go round between the threads (issue 18: memory)', () => {
  it('a few dozen buffers for hundreds of pieces, however long the input: the same output as one stream', async () => {
    for (const accent of [false, true]) {
      const text = Buffer.from(exportText(12000, accent));
      const small = await inPieces(Buffer.from(exportText(3000, accent)), OPTS, { pieceBytes: 8192 });
      const big = await inPieces(text, OPTS, { pieceBytes: 8192 });
      expect(big.run, accent ? 'with non-ASCII pieces' : 'ASCII').toEqual(await asStream(text, OPTS));
      expect(big.pieces).toBeGreaterThan(100);
      expect(big.byWorker).toBeGreaterThan(big.pieces / 2);
      expect(big.byWorker, 'this thread converted pieces too').toBeLessThan(big.pieces - 10);
      // Pieces in flight (8 at the worker, up to 32 waiting to be written) and the spares: bounded, not one per piece.
      expect(big.made, 'buffers counted').toBeGreaterThan(0);
      expect(big.made, `${big.pieces} pieces${accent ? ', some not ASCII' : ''}`).toBeLessThan(40);
      expect(big.made, 'four times the input: no more buffers').toBeLessThanOrEqual(small.made + 2);
    }
  });
});

describe('readsInPieces: pieces are cut by bytes', () => {
  it('UTF-8 with an ASCII delimiter and quote; anything else the stream way', () => {
    expect(readsInPieces({ encoding: 'utf-8', delimiter: ',', quote: '"' })).toBe(true);
    expect(readsInPieces({ encoding: 'utf-8', delimiter: '\t', quote: "'" })).toBe(true);
    expect(readsInPieces({ encoding: 'utf-8', delimiter: '§', quote: '"' })).toBe(false);
    expect(readsInPieces({ encoding: 'utf-8', delimiter: ',', quote: '«' })).toBe(false);
    expect(readsInPieces({ encoding: 'latin1', delimiter: ',', quote: '"' })).toBe(false);
  });
});

describe('Spares', () => {
  it('keeps at most its limit, takes the last kept, gives the longest kept', () => {
    const s = new Spares(3);
    const bs = Array.from({ length: 5 }, (_, i) => new ArrayBuffer(i + 1));
    for (const b of bs) s.keep(b);
    expect(s.size).toBe(3);
    expect(s.give(1)).toEqual([bs[0]]);
    expect(s.take()).toBe(bs[2]);
    expect(s.take()).toBe(bs[1]);
    expect(s.take()).toBeUndefined();
  });
  it('roomFor: a sixteenth more, in 4 KiB steps, so that a buffer fits a piece a few bytes longer', () => {
    expect(roomFor(1)).toBe(4096);
    expect(roomFor(4096)).toBe(8192);
    const n = Math.ceil(114_000 * 1.25) + 1024;
    expect(roomFor(n) % 4096).toBe(0);
    expect(roomFor(n)).toBeGreaterThanOrEqual(n + 300);
    expect(roomFor(n)).toBeLessThan(n * 1.07 + 4096);
    expect(roomFor(2_030_000_000)).toBeGreaterThan(2_030_000_000); // no 32-bit overflow
  });
  it('ByteOut: what take handed on stays as it was while the writer goes on (short and long copies)', () => {
    const text = 'id,offense\n' + 'x'.repeat(100) + '\n';
    const out = new ByteOut(Buffer.from(text, 'latin1'), text, undefined, 8);
    out.span(text, 0, 10);
    out.memo(',13A', {});
    out.end('\n');
    const first = out.take();
    const kept = Buffer.from(first);
    out.span(text, 11, 111);
    out.span(text, 0, 2);
    out.end('\n');
    expect(Buffer.from(first).equals(kept)).toBe(true);
    expect(kept.toString('latin1')).toBe('id,offense,13A\n');
    expect(Buffer.from(out.take()).toString('latin1')).toBe('x'.repeat(100) + 'id\n');
  });
});

describe('a whole run in pieces on "two threads" is the stream path (issue 18)', () => {
  const CELLS = ['0460', '1301', '2610', '', 'NULL', '9401', 'zz', 'é', 'x'.repeat(70)];

  it('delimiters, line ends, blank and ragged rows, rejects, non-ASCII, formats, modes, pieces of any size, sinks that keep chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(',', '\t', ';'),
        fc.array(fc.tuple(fc.nat(8), fc.nat(8), fc.nat(25)), { minLength: 40, maxLength: 200 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 150 }),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        fc.record({ replace: fc.boolean(), skip: fc.boolean(), explain: fc.boolean(), format: fc.constantFrom('csv', 'csv', 'jsonl', 'tsv') }),
        async (d, rows, lastEol, pieceBytes, atOnce, eol, o) => {
          // a row: blank, one field short, one field long, or whole
          const lines = rows.map(([a, b, k], i) => (k === 0 ? '' : k === 1 ? [i, CELLS[a]].join(d) : k === 2 ? [i, CELLS[a], CELLS[b], 'extra'].join(d) : [i, CELLS[a], CELLS[b]].join(d)));
          const text = Buffer.from(['id', 'offense', 'note'].join(d) + eol + lines.join(eol) + (lastEol ? eol : ''));
          const opts: StreamOptions = { ...OPTS, columns: [{ column: 'offense', domain: 'offense' }], delimiter: d, ...(o.replace ? { mode: 'replace' } : {}), skipBadRows: o.skip, explain: o.explain, format: o.format as StreamOptions['format'] };
          const { run } = await inPieces(text, opts, { pieceBytes, readMax: 13, atOnce, depth: 2 });
          expect(run, JSON.stringify(text.toString())).toEqual(await asStream(text, opts));
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('non-ASCII pieces are read as their bytes, to what the stream path gives (issue 18)', () => {
  // Cells of one to four bytes a character, in the mapped column too; a quoted one with a doubled quote; one a few hundred bytes long.
  const CELLS = ['0460', 'é', '日本', '😀', 'Peña 0460', '"Muñoz, ""J"""', '0820', '', 'ü'.repeat(150), 'zz'];

  it('values, rejects, every writer, errors (an unclosed quote, an unmapped value with no reject file), a field limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(9), fc.nat(9), fc.nat(12)), { minLength: 30, maxLength: 150 }),
        fc.integer({ min: 40, max: 400 }),
        fc.record({ format: fc.constantFrom('csv', 'csv', 'jsonl', 'tsv'), delimiter: fc.constantFrom(',', ';'), replace: fc.boolean(), skip: fc.boolean(), noReject: fc.boolean(), unclosed: fc.boolean(), maxField: fc.boolean() }),
        async (rows, pieceBytes, o) => {
          const d = o.delimiter;
          const cell = (k: number) => (d === ';' ? CELLS[k]!.replace(/,/g, ';') : CELLS[k]!);
          const lines = rows.map(([a, b, k], i) => (k === 0 ? [i, cell(a)].join(d) : [i, cell(a), cell(b)].join(d)));
          if (o.unclosed) lines.splice(Math.floor(lines.length / 2), 0, `x${d}"é unclosed${d}0460`);
          const text = Buffer.from(['id', 'offense', 'note'].join(d) + '\n' + lines.join('\n') + '\n');
          const opts: StreamOptions = {
            ...OPTS,
            columns: [{ column: 'offense', domain: 'offense' }],
            delimiter: d,
            format: o.format as StreamOptions['format'],
            skipBadRows: o.skip,
            ...(o.replace ? { mode: 'replace' } : {}),
            ...(o.maxField ? { maxField: 200 } : {}),
          };
          const { run } = await inPieces(text, opts, { pieceBytes, readMax: 97, noReject: o.noReject });
          expect(run, text.toString()).toEqual(await asStream(text, opts, o.noReject));
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
