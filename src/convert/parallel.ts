/**
 * `convert` on two cores (issue 18): the same conversion as stream.ts, with the records cut into
 * pieces of whole records that this thread and a worker thread convert side by side.
 *
 * The input's chunks are copied (or read as text) before the next is asked for: a reader may
 * use one buffer for all. This thread reads, finds where pieces may end (chunks.ts: a line end outside quotes, read as the
 * tokenizer reads), counts their lines, converts the header and every piece the worker has no
 * room for, and writes the results in input order. The worker (convert/worker.ts) holds its own
 * Converter over the same registry and converts the pieces it is sent. Output bytes, rejects and
 * their line numbers, errors (the first in input order wins) and the report (merged exactly,
 * merge.ts) are those of the one-thread path. A record that no line end closes within
 * `fallbackBytes` (a huge quoted field) sends the rest of the input through one tokenizer here,
 * as stream.ts would.
 */

import { XwalkError } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';
import { CsvTokenizer, fieldValue, rawFields, type RecordView } from '../records/csv-reader.js';
import { Utf8Position } from '../records/utf8.js';
import { Converter, type RejectedRow, type Sinks } from './convert.js';
import { countLines, lastRecordEnd, PieceConverter, pieceText, type Piece, type PieceResult } from './chunks.js';
import type { ConverterState } from './merge.js';
import { isAscii } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { readError, type StreamOptions, type StreamResult } from './stream.js';
import { fromWire, type FromWorker, type ToWorker } from './worker.js';

/** What the driver needs of a worker thread (a worker_threads Worker running convert-worker). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (m: FromWorker) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  terminate(): Promise<number>;
  /** How busy the worker's event loop was (worker_threads: worker.performance). */
  performance?: { eventLoopUtilization(): { utilization: number } };
}

/**
 * Reads the input's next bytes into `into` at `offset`, at most `length` of them; 0 at the end.
 * Synchronous: from the page cache a read costs less than a thread-pool round trip, and this
 * thread is the busier of the two.
 */
export type ReadInto = (into: Uint8Array, offset: number, length: number) => number;

export interface ParallelOptions {
  /** Starts the worker thread; called once, before the input is read, so that it loads while this thread reads. */
  startWorker(): WorkerLike;
  /** A record longer than this (bytes) with no line end: the rest of the input goes through one thread. Default 16 MiB. */
  fallbackBytes?: number;
  /** Bytes in a piece (default 64 KiB: every string stays out of V8's large-object space, which costs more per byte). */
  pieceBytes?: number;
  /** Bytes asked of `read` at a time (default: a piece). */
  readBytes?: number;
  /** Pieces the worker may hold at once (default 8). */
  depth?: number;
  /** Filled in as the run goes (also when it fails): how the pieces were shared. */
  stats?: ThreadStats;
}

/** How the pieces were shared (tests check that both threads converted some). */
export interface ThreadStats {
  pieces: number;
  byWorker: number;
  /** The rest of the input went through one tokenizer here (a record longer than fallbackBytes). */
  fellBack: boolean;
  /** Share of the run each thread's event loop was busy (which of the two bounds the speed). */
  busy?: { main: number; worker: number };
}

const BOM = [0xef, 0xbb, 0xbf];

/** Pieces the worker may hold at once: enough that it never waits for this thread, busy reading and writing. */
const WORKER_DEPTH = 8;

/** Pieces converted but not yet written: bounds memory when the output is slow. */
const MAX_QUEUE = 12;

/** Buffers kept for use again (pieces read, output written): more would only wait. */
const SPARES = 24;

interface Slot {
  done: boolean;
  result?: PieceResult;
  error?: unknown;
  wait?: Promise<void>;
}

export async function convertParallel(index: RegistryIndex, opts: StreamOptions, read: ReadInto, sinks: Sinks, par: ParallelOptions, onProgress?: (bytes: number, rows: number) => void, onHeader?: (raw: string[]) => void): Promise<StreamResult> {
  const depth = par.depth ?? WORKER_DEPTH;
  const pieceBytes = par.pieceBytes ?? 1 << 16;
  const readBytes = Math.max(1, par.readBytes ?? pieceBytes);
  const threads: ThreadStats = par.stats ?? { pieces: 0, byWorker: 0, fellBack: false };
  const reader = { delimiter: opts.delimiter, quote: opts.quote, ...(opts.maxField !== undefined ? { maxField: opts.maxField } : {}) };
  const fallbackBytes = par.fallbackBytes ?? 16 << 20;
  const worker = par.startWorker();
  const mainStart = performance.eventLoopUtilization();
  const waiting = new Map<number, Slot & { settle: () => void }>();
  let stateWait: { resolve: (s: ConverterState) => void; reject: (e: unknown) => void } | undefined;
  let workerError: unknown;
  const failWorker = (e: unknown) => {
    workerError ??= e;
    for (const s of waiting.values()) {
      s.error = e;
      s.done = true;
      s.settle();
    }
    waiting.clear();
    stateWait?.reject(e);
  };
  worker.on('message', (m) => {
    if (m.type === 'state') return stateWait?.resolve(m.state);
    if (m.type === 'fatal') return failWorker(fromWire(m.error));
    const s = waiting.get(m.seq);
    if (!s) return;
    waiting.delete(m.seq);
    inflight--;
    if (m.type === 'result') {
      s.result = m.result;
      if (m.input) spare(inSpares, m.input);
    } else s.error = fromWire(m.error);
    s.done = true;
    s.settle();
  });
  worker.on('error', failWorker);

  let converter: Converter | undefined;
  let local: PieceConverter | undefined;
  let eol = '\n';
  let width = 0;
  let bom = false;
  let headerOut = '';
  let workerHasHeader = false;
  let inflight = 0;
  let seq = 0;
  let line = 1;
  let bytes = 0;
  let rows = 0;
  const queue: Slot[] = [];
  // Buffers that go round (issue 18: memory): a piece's, back from the worker or converted here,
  // is read into again; an output's, once written (when the sink is done with it at once), goes
  // to the worker, or to this thread's converter, for the next output. Left to the garbage
  // collector they piled up (external memory) to 60 MB and more before one ran.
  const inSpares: ArrayBuffer[] = [];
  const outSpares: ArrayBuffer[] = [];
  const spare = (list: ArrayBuffer[], b: ArrayBuffer) => {
    if (list.length < SPARES) list.push(b);
  };
  /** A buffer of at least `n` bytes, used again when one is free. */
  const bufferOf = (n: number): Buffer => {
    const b = inSpares.pop();
    return b && b.byteLength >= n ? Buffer.from(b) : Buffer.allocUnsafeSlow(n);
  };

  // The header (first record) makes this thread's Converter; the worker gets it to make its own.
  const onRecord = (v: RecordView) => {
    if (!converter) {
      eol = v.eol || '\n';
      const raw = rawFields(v);
      const header = opts.header ? raw.map((f) => fieldValue(f, opts.quote)) : raw.map((_, i) => String(i + 1));
      width = header.length;
      onHeader?.(raw);
      converter = new Converter(index, opts, header, { delimiter: opts.delimiter, quote: opts.quote }, Boolean(sinks.reject));
      headerOut = (bom && opts.format !== 'jsonl' ? '\uFEFF' : '') + (converter.headerLine(eol, raw) ?? '');
      local = new PieceConverter(converter, reader, width, eol);
      if (!workerError) {
        worker.postMessage({ type: 'header', header, eol, width, canReject: Boolean(sinks.reject) });
        workerHasHeader = true;
      }
      if (opts.header) return;
    }
    if (v.count === 1 && v.start === v.end && width !== 1) return; // a blank line
    converter.row(v, eol, width);
  };

  const runHere = (p: Piece): Slot => {
    const slot: Slot = { done: true };
    try {
      if (local) {
        slot.result = local.run(p, outSpares.pop());
        spare(inSpares, p.bytes.buffer as ArrayBuffer); // read into again: this thread is done with it
      } else {
        // The first piece, with the header: tokenized here, header first.
        const tok = new CsvTokenizer({ ...reader, firstLine: p.firstLine });
        tok.push(pieceText(p), onRecord);
        tok.end(onRecord);
        if (!converter) return slot; // no record at all
        slot.result = { seq: p.seq, ...converter.take(), rows: converter.report.rowsRead };
      }
    } catch (e) {
      slot.error = e;
    }
    return slot;
  };

  const toWorker = (p: Piece): Slot => {
    inflight++;
    let settle!: () => void;
    const slot: Slot = { done: false };
    slot.wait = new Promise<void>((resolve) => (settle = resolve));
    waiting.set(p.seq, Object.assign(slot, { settle }));
    const given = outSpares.splice(0, 2);
    worker.postMessage({ type: 'piece', piece: p, ...(given.length ? { spare: given } : {}) }, [p.bytes.buffer as ArrayBuffer, ...given]);
    return slot;
  };

  const cut = (bytes: Buffer) => {
    const p: Piece = { seq: seq++, bytes, ascii: isAscii(bytes), firstLine: line };
    line += countLines(bytes);
    threads.pieces++;
    if (local && workerHasHeader && !workerError && inflight < depth) {
      threads.byWorker++;
      queue.push(toWorker(p));
    } else queue.push(runHere(p));
  };

  const write = async (r: { out: string | Uint8Array; rejected: RejectedRow[]; rows: number }) => {
    if (headerOut) {
      const h = headerOut;
      headerOut = '';
      const p = sinks.write(h);
      if (p) await p;
    }
    if (r.out.length) {
      const p = sinks.write(r.out);
      if (p) await p;
      if (typeof r.out !== 'string' && sinks.writesAtOnce && r.out.byteOffset === 0) spare(outSpares, r.out.buffer as ArrayBuffer);
    }
    if (r.rejected.length) {
      const p = sinks.reject!(r.rejected, eol);
      if (p) await p;
    }
    rows += r.rows;
  };

  // Writes the converted pieces in input order; waits for the worker only when `all`, or when too many are pending.
  const flush = async (all: boolean) => {
    while (queue.length) {
      const s = queue[0]!;
      if (!s.done) {
        if (!all && queue.length < MAX_QUEUE) return;
        await s.wait;
      }
      queue.shift();
      if (s.error) throw s.error;
      if (s.result) await write(s.result);
    }
  };

  try {
    // The rest of the input through one tokenizer (a record with no line end for fallbackBytes).
    let tail: { tok: CsvTokenizer; decoder: TextDecoder; position: Utf8Position } | undefined;
    const feedTail = async (chunk: Uint8Array) => {
      const t = tail!;
      let text: string;
      try {
        text = t.decoder.decode(chunk, { stream: true });
      } catch {
        const at = t.position.locate(chunk);
        throw new XwalkError(at ? `line ${at.line}, byte ${at.column}: the input is not valid UTF-8 (${at.bytes})` : `the input is not valid UTF-8 (near line ${t.tok.currentLine})`, { hint: 'if it comes from an older system, try --encoding windows-1252 (or latin1)' });
      }
      t.position.advance(chunk);
      t.tok.push(text, onRecord);
      if (converter) await write({ ...converter.take(), rows: 0 });
    };
    // The bytes read but not yet cut, at the start of a buffer that becomes the next piece: the
    // bytes after its last record end are copied to a new buffer, and the piece goes to the worker
    // whole, without a copy. A piece is cut when the buffer is full; a record longer than the
    // buffer doubles it (looked through again only when it has doubled: linear time).
    const size = Math.max(16, pieceBytes);
    let buf: Buffer = Buffer.allocUnsafeSlow(size);
    let len = 0;
    let scanAt = size;
    let first = true;
    for (;;) {
      if (len === buf.length) {
        const bigger = Buffer.allocUnsafeSlow(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = read(buf, len, Math.min(readBytes, buf.length - len));
      if (n === 0) break;
      bytes += n;
      if (tail) {
        await feedTail(buf.subarray(0, n)); // decoded at once: the buffer is used again
        onProgress?.(bytes, rows + (converter?.report.rowsRead ?? 0));
        continue;
      }
      len += n;
      if (first) {
        // A byte order mark, however the first reads are cut: the first three bytes decide.
        if (len < 3 && buf.subarray(0, len).every((x, i) => x === BOM[i])) continue;
        if (buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) {
          buf.copyWithin(0, 3, len);
          len -= 3;
          bom = true;
        }
        first = false;
      }
      if (len < scanAt) continue;
      const end = lastRecordEnd(buf.subarray(0, len), opts.delimiter, opts.quote);
      if (end <= 0) {
        scanAt = len * 2;
        if (len > fallbackBytes) {
          await flush(true);
          threads.fellBack = true;
          tail = { tok: new CsvTokenizer({ ...reader, firstLine: line }), decoder: new TextDecoder('utf-8', { fatal: true }), position: new Utf8Position(line) };
          await feedTail(buf.subarray(0, len));
          len = 0;
        }
        continue;
      }
      const next = bufferOf(Math.max(size, (len - end) * 2));
      buf.copy(next, 0, end, len);
      cut(buf.subarray(0, end));
      buf = next;
      len -= end;
      scanAt = Math.max(size, len + 1);
      await flush(false);
      // Let the worker's answers in (they are events, which a loop of resolved promises never
      // reaches), so that the worker is kept busy rather than this thread converting more.
      if (inflight) await new Promise<void>((resolve) => setImmediate(resolve));
      onProgress?.(bytes, rows);
    }
    if (tail) {
      let text: string;
      try {
        text = tail.decoder.decode();
      } catch {
        throw new XwalkError('the input ends in the middle of a UTF-8 character (truncated file?)', { hint: 'check that the file was copied whole' });
      }
      if (text) tail.tok.push(text, onRecord);
      tail.tok.end(onRecord);
      if (converter) await write({ ...converter.take(), rows: 0 });
    } else if (len) cut(buf.subarray(0, len));
    await flush(true);
    if (!converter) throw new XwalkError('the input is empty: no header row', { hint: 'a CSV export starts with a header naming its columns' });
    if (headerOut) await write({ out: '', rejected: [], rows: 0 });
    const others: ConverterState[] = [];
    if (workerHasHeader) {
      if (workerError) throw workerError;
      others.push(
        await new Promise<ConverterState>((resolve, reject) => {
          stateWait = { resolve, reject };
          worker.postMessage({ type: 'finish' });
        }),
      );
    }
    threads.busy = { main: performance.eventLoopUtilization(mainStart).utilization, worker: worker.performance?.eventLoopUtilization().utilization ?? 0 };
    return { report: converter.finish(others), eol };
  } catch (e) {
    throw readError(e);
  } finally {
    void worker.terminate();
  }
}
