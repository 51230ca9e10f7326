/**
 * `convert` of a file in pieces (issue 18): the same conversion as stream.ts, with the file's
 * bytes cut into pieces of whole records, converted on this thread, or by this thread and a worker
 * thread side by side.
 *
 * This thread reads the file into buffers that become the pieces, finds where each may end
 * (chunks.ts: a line end outside quotes, read as the tokenizer reads), counts their lines,
 * converts the header and every piece the worker has no room for (all of them without a worker),
 * and writes the results in input order. The worker (convert/worker.ts) holds its own Converter
 * over the same registry and converts the pieces it is sent. Output bytes, rejects and their line
 * numbers, errors (the first in input order wins) and the report (merged exactly, merge.ts) are
 * those of stream.ts. A record that no line end closes within `fallbackBytes` (a huge quoted
 * field) sends the rest of the input through one tokenizer here, as stream.ts would.
 */

import { XwalkError } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';
import { CsvTokenizer, type RecordView } from '../records/csv-reader.js';
import { Utf8Position } from '../records/utf8.js';
import { Converter, type RejectedRow, type Sinks } from './convert.js';
import { countLines, lastRecordEnd, PieceConverter, pieceText, type Piece, type PieceResult } from './chunks.js';
import type { ConverterState } from './merge.js';
import { Spares } from './spares.js';
import { isAscii } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { decodeEnd, invalidUtf8, isBlankLine, readError, startConversion, type StreamOptions, type StreamResult } from './stream.js';
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
  /** Starts the worker thread; called once, before the input is read, so that it loads while this thread reads. Absent: every piece is converted on this thread. */
  startWorker?: () => WorkerLike;
  /** A record longer than this (bytes) with no line end: the rest of the input goes through one thread. Default 16 MiB. */
  fallbackBytes?: number;
  /** Bytes in a piece (default PIECE_BYTES). */
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
  /** A worker thread took part (set when the run starts). */
  twoThreads?: boolean;
  /** Share of the run each thread's event loop was busy (which of the two bounds the speed). */
  busy?: { main: number; worker: number };
}

const BOM = [0xef, 0xbb, 0xbf];

/** Pieces the worker may hold at once: enough that it never waits for this thread, busy reading and writing. */
const WORKER_DEPTH = 8;

/**
 * Bytes in a piece: 112 KiB, so that a piece's text (one character a byte) stays under V8's
 * large-object size (128 KiB), which costs more per byte. Against 64 KiB: 3 columns, two threads,
 * 3 runs each, 1.13-1.19 s against 1.19-1.22 s (fewer reads, messages and pieces).
 */
export const PIECE_BYTES = 112 << 10;

/**
 * Pieces converted or converting but not yet written: bounds memory when the output is slow.
 * Also how far this thread may run ahead of the oldest piece at the worker, converting pieces
 * itself: at 12 it waited for the worker (busy 53-83% against the worker's 100% on short rows);
 * at 32 (about 8 MB more at most), interleaved runs, 14 rounds each, took 0.96x the time on the
 * 189 MB file (3 columns) and 0.92x on 5,000,000 short rows; peak RSS 86 -> 88 MB.
 */
const MAX_QUEUE = 32;

/** Buffers kept for use again (pieces read, output written): more would only wait. */
const SPARES = 24;

interface Slot {
  done: boolean;
  result?: PieceResult;
  error?: unknown;
  wait?: Promise<void>;
}

/**
 * Whether an input in these options can be read in pieces: UTF-8 (a piece's end is found in its
 * bytes) with a delimiter and a quote in ASCII (one byte each, never part of a character's bytes).
 * Anything else goes through the stream path (stream.ts).
 */
export function readsInPieces(opts: Pick<StreamOptions, 'encoding' | 'delimiter' | 'quote'>): boolean {
  return opts.encoding === 'utf-8' && opts.delimiter.charCodeAt(0) < 0x80 && opts.quote.charCodeAt(0) < 0x80;
}

export async function convertParallel(index: RegistryIndex, opts: StreamOptions, read: ReadInto, sinks: Sinks, par: ParallelOptions, onProgress?: (bytes: number, rows: number) => void, onHeader?: (raw: string[]) => void): Promise<StreamResult> {
  const run = new PieceRun(index, opts, sinks, par, onHeader);
  try {
    await run.readAll(read, onProgress);
    return await run.finish();
  } catch (e) {
    throw readError(e);
  } finally {
    run.stop();
  }
}

/**
 * One conversion of a file in pieces: this thread's reading, cutting and writing in input order,
 * and, on two threads, the worker's answers and the buffers that go round between them (issue 18:
 * memory; left to the garbage collector they piled up as external memory, 60 MB and more, before
 * one ran). Without a worker every piece is converted here.
 */
class PieceRun {
  private readonly depth: number;
  private readonly pieceBytes: number;
  private readonly readBytes: number;
  private readonly fallbackBytes: number;
  private readonly threads: ThreadStats;
  private readonly reader: { delimiter: string; quote: string; maxField?: number };
  private readonly worker: WorkerLike | undefined;
  private readonly mainStart = performance.eventLoopUtilization();
  /** Pieces at the worker, by seq. */
  private readonly waiting = new Map<number, Slot & { settle: () => void }>();
  private stateWait: { resolve: (s: ConverterState) => void; reject: (e: unknown) => void } | undefined;
  private workerError: unknown;
  private workerHasHeader = false;
  private converter: Converter | undefined;
  private local: PieceConverter | undefined;
  private eol = '\n';
  private width = 0;
  private bom = false;
  private headerOut = '';
  private seq = 0;
  private line = 1;
  private bytes = 0;
  private rows = 0;
  /** Converted or converting pieces, in input order, not yet written. */
  private readonly queue: Slot[] = [];
  /** Buffers to read pieces into again (back from the worker, or converted here). */
  private readonly inSpares = new Spares(SPARES);
  /** Buffers of written output (the sink done with them at once), for the next outputs. */
  private readonly outSpares = new Spares(SPARES);
  /** The rest of the input through one tokenizer (a record with no line end for fallbackBytes). */
  private tail: { tok: CsvTokenizer; decoder: TextDecoder; position: Utf8Position } | undefined;

  constructor(
    private readonly index: RegistryIndex,
    private readonly opts: StreamOptions,
    private readonly sinks: Sinks,
    par: ParallelOptions,
    private readonly onHeader?: (raw: string[]) => void,
  ) {
    this.depth = par.depth ?? WORKER_DEPTH;
    this.pieceBytes = par.pieceBytes ?? PIECE_BYTES;
    this.readBytes = Math.max(1, par.readBytes ?? this.pieceBytes);
    this.fallbackBytes = par.fallbackBytes ?? 16 << 20;
    this.threads = par.stats ?? { pieces: 0, byWorker: 0, fellBack: false };
    this.reader = { delimiter: opts.delimiter, quote: opts.quote, ...(opts.maxField !== undefined ? { maxField: opts.maxField } : {}) };
    this.worker = par.startWorker?.();
    this.threads.twoThreads = this.worker !== undefined;
    this.worker?.on('message', (m) => this.answer(m));
    this.worker?.on('error', (e) => this.failWorker(e));
  }

  /** A message from the worker: a piece's result or error, the final state, or its end. */
  private answer(m: FromWorker): void {
    if (m.type === 'state') return this.stateWait?.resolve(m.state);
    if (m.type === 'fatal') return this.failWorker(fromWire(m.error));
    const s = this.waiting.get(m.seq);
    if (!s) return;
    this.waiting.delete(m.seq);
    if (m.type === 'result') {
      s.result = m.result;
      if (m.input) this.inSpares.keep(m.input);
    } else s.error = fromWire(m.error);
    s.done = true;
    s.settle();
  }

  /** The worker failed: every piece it holds fails with it (the first in input order is reported). */
  private failWorker(e: unknown): void {
    this.workerError ??= e;
    for (const s of this.waiting.values()) {
      s.error = e;
      s.done = true;
      s.settle();
    }
    this.waiting.clear();
    this.stateWait?.reject(e);
  }

  /** A record of the first piece or of the tail: the header (first record) makes this thread's Converter, and the worker gets it to make its own. */
  private readonly onRecord = (v: RecordView): void => {
    if (!this.converter) {
      const start = startConversion(this.index, this.opts, v, Boolean(this.sinks.reject), this.bom);
      ({ converter: this.converter, eol: this.eol, width: this.width, headerOut: this.headerOut } = start);
      this.onHeader?.(start.raw);
      this.local = new PieceConverter(this.converter, this.reader, this.width, this.eol);
      if (this.worker && !this.workerError) {
        this.worker.postMessage({ type: 'header', header: start.header, eol: this.eol, width: this.width, canReject: Boolean(this.sinks.reject) });
        this.workerHasHeader = true;
      }
      if (this.opts.header) return;
    }
    if (isBlankLine(v, this.width)) return;
    this.converter.row(v, this.eol, this.width);
  };

  /** Converts a piece on this thread (the first one, with the header, always). */
  private runHere(p: Piece): Slot {
    const slot: Slot = { done: true };
    try {
      if (this.local) {
        slot.result = this.local.run(p, this.outSpares.take());
        this.inSpares.keep(p.bytes.buffer as ArrayBuffer); // read into again: this thread is done with it
      } else {
        const tok = new CsvTokenizer({ ...this.reader, firstLine: p.firstLine });
        tok.push(pieceText(p), this.onRecord);
        tok.end(this.onRecord);
        if (!this.converter) return slot; // no record at all
        slot.result = { seq: p.seq, ...this.converter.take(), rows: this.converter.report.rowsRead };
      }
    } catch (e) {
      slot.error = e;
    }
    return slot;
  }

  /** Hands a piece to the worker (its buffer moves, with a written output buffer to use again). */
  private toWorker(p: Piece): Slot {
    let settle!: () => void;
    const slot: Slot = { done: false };
    slot.wait = new Promise<void>((resolve) => (settle = resolve));
    this.waiting.set(p.seq, Object.assign(slot, { settle }));
    const given = this.outSpares.give(1);
    this.worker!.postMessage({ type: 'piece', piece: p, ...(given.length ? { spare: given } : {}) }, [p.bytes.buffer as ArrayBuffer, ...given]);
    return slot;
  }

  /** A piece of whole records: numbered, its lines counted, to the worker when it has room, else converted here. */
  private cut(bytes: Buffer): void {
    const p: Piece = { seq: this.seq++, bytes, ascii: isAscii(bytes), firstLine: this.line };
    this.line += countLines(bytes);
    this.threads.pieces++;
    if (this.local && this.workerHasHeader && !this.workerError && this.waiting.size < this.depth) {
      this.threads.byWorker++;
      this.queue.push(this.toWorker(p));
    } else this.queue.push(this.runHere(p));
  }

  /** Writes a piece's output (the header line first) and its rejected rows. */
  private async write(r: { out: string | Uint8Array; rejected: RejectedRow[]; rows: number }): Promise<void> {
    const sinks = this.sinks;
    if (this.headerOut) {
      const h = this.headerOut;
      this.headerOut = '';
      const p = sinks.write(h);
      if (p) await p;
    }
    if (r.out.length) {
      const p = sinks.write(r.out);
      if (p) await p;
      if (typeof r.out !== 'string' && sinks.writesAtOnce && r.out.byteOffset === 0) this.outSpares.keep(r.out.buffer as ArrayBuffer);
    }
    if (r.rejected.length) {
      const p = sinks.reject!(r.rejected, this.eol);
      if (p) await p;
    }
    this.rows += r.rows;
  }

  /** Writes the converted pieces in input order; waits for the worker only when `all`, or when too many are pending. */
  private async flush(all: boolean): Promise<void> {
    const queue = this.queue;
    while (queue.length) {
      const s = queue[0]!;
      if (!s.done) {
        if (!all && queue.length < MAX_QUEUE) return;
        await s.wait;
      }
      queue.shift();
      if (s.error) throw s.error;
      if (s.result) await this.write(s.result);
    }
  }

  /** A buffer of at least `n` bytes, used again when one is free. */
  private bufferOf(n: number): Buffer {
    const b = this.inSpares.take();
    return b && b.byteLength >= n ? Buffer.from(b) : Buffer.allocUnsafeSlow(n);
  }

  /**
   * Reads the input and cuts it into pieces. The bytes read but not yet cut stand at the start of
   * a buffer that becomes the next piece: the bytes after its last record end are copied to a new
   * buffer, and the piece goes to the worker whole, without a copy. A piece is cut when the buffer
   * is full; a record longer than the buffer doubles it (looked through again only when it has
   * doubled: linear time), and one longer than fallbackBytes sends the rest through one tokenizer.
   */
  async readAll(read: ReadInto, onProgress?: (bytes: number, rows: number) => void): Promise<void> {
    const size = Math.max(16, this.pieceBytes);
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
      const n = read(buf, len, Math.min(this.readBytes, buf.length - len));
      if (n === 0) break;
      this.bytes += n;
      if (this.tail) {
        await this.feedTail(buf.subarray(0, n)); // decoded at once: the buffer is used again
        onProgress?.(this.bytes, this.rows + (this.converter?.report.rowsRead ?? 0));
        continue;
      }
      len += n;
      if (first) {
        // A byte order mark, however the first reads are cut: the first three bytes decide.
        if (len < 3 && buf.subarray(0, len).every((x, i) => x === BOM[i])) continue;
        if (buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) {
          buf.copyWithin(0, 3, len);
          len -= 3;
          this.bom = true;
        }
        first = false;
      }
      if (len < scanAt) continue;
      const end = lastRecordEnd(buf.subarray(0, len), this.opts.delimiter, this.opts.quote);
      if (end <= 0) {
        scanAt = len * 2;
        if (len > this.fallbackBytes) {
          await this.startTail(buf.subarray(0, len));
          len = 0;
        }
        continue;
      }
      const next = this.bufferOf(Math.max(size, (len - end) * 2));
      buf.copy(next, 0, end, len);
      this.cut(buf.subarray(0, end));
      buf = next;
      len -= end;
      scanAt = Math.max(size, len + 1);
      await this.flush(false);
      // Let events in at every piece (a loop of resolved promises never reaches them): the
      // worker's answers, so that it is kept busy rather than this thread converting more, and a
      // signal (Ctrl-C must stop the run before it renames its output into place).
      await new Promise<void>((resolve) => setImmediate(resolve));
      onProgress?.(this.bytes, this.rows);
    }
    if (this.tail) await this.endTail();
    else if (len) this.cut(buf.subarray(0, len));
  }

  /** A record with no line end for fallbackBytes: what is written so far goes out, the rest of the input through one tokenizer here. */
  private async startTail(held: Uint8Array): Promise<void> {
    await this.flush(true);
    this.threads.fellBack = true;
    this.tail = { tok: new CsvTokenizer({ ...this.reader, firstLine: this.line }), decoder: new TextDecoder('utf-8', { fatal: true }), position: new Utf8Position(this.line) };
    await this.feedTail(held);
  }

  private async feedTail(chunk: Uint8Array): Promise<void> {
    const t = this.tail!;
    let text: string;
    try {
      text = t.decoder.decode(chunk, { stream: true });
    } catch {
      throw invalidUtf8(t.position, chunk, t.tok.currentLine);
    }
    t.position.advance(chunk);
    t.tok.push(text, this.onRecord);
    if (this.converter) await this.write({ ...this.converter.take(), rows: 0 });
  }

  private async endTail(): Promise<void> {
    const t = this.tail!;
    const text = decodeEnd(t.decoder);
    if (text) t.tok.push(text, this.onRecord);
    t.tok.end(this.onRecord);
    if (this.converter) await this.write({ ...this.converter.take(), rows: 0 });
  }

  /** Writes what is left, then merges the worker's counts into the report. */
  async finish(): Promise<StreamResult> {
    await this.flush(true);
    const converter = this.converter;
    if (!converter) throw new XwalkError('the input is empty: no header row', { hint: 'a CSV export starts with a header naming its columns' });
    if (this.headerOut) await this.write({ out: '', rejected: [], rows: 0 });
    const others: ConverterState[] = [];
    if (this.workerHasHeader) {
      if (this.workerError) throw this.workerError;
      others.push(
        await new Promise<ConverterState>((resolve, reject) => {
          this.stateWait = { resolve, reject };
          this.worker!.postMessage({ type: 'finish' });
        }),
      );
    }
    if (this.worker) this.threads.busy = { main: performance.eventLoopUtilization(this.mainStart).utilization, worker: this.worker.performance?.eventLoopUtilization().utilization ?? 0 };
    return { report: converter.finish(others), eol: this.eol };
  }

  stop(): void {
    void this.worker?.terminate();
  }
}
