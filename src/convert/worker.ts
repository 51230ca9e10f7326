/**
 * The worker side of a conversion on two cores (parallel.ts): messages in, messages out.
 * The header comes first (the worker makes its own Converter from it), then pieces of whole
 * records, each answered with its output or its error; `finish` is answered with what the
 * Converter counted, for the report. Errors cross the thread boundary as plain data and are
 * made again as the same classes on the other side, with the same message, hint and exit code.
 */

import { XwalkError } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';
import { CsvSyntaxError } from '../records/csv-reader.js';
import { Converter } from './convert.js';
import { PieceConverter, type Piece, type PieceResult } from './chunks.js';
import type { ConverterState } from './merge.js';
import { Spares } from './spares.js';
import type { StreamOptions } from './stream.js';

/**
 * A piece may come with buffers the other thread has written and gives back for output (`spare`);
 * a result gives back the piece's own buffer (`input`), for the reader to use again. Buffers go
 * round instead of piling up until a garbage collection frees them (issue 18: memory).
 */
export type ToWorker = { type: 'header'; header: string[]; eol: string; width: number; canReject: boolean } | { type: 'piece'; piece: Piece; spare?: ArrayBuffer[] } | { type: 'finish' };

export type FromWorker = { type: 'result'; seq: number; result: PieceResult; input?: ArrayBuffer } | { type: 'error'; seq: number; error: WireError } | { type: 'state'; state: ConverterState } | { type: 'fatal'; error: WireError };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  hint?: string;
  exitCode?: 1 | 2;
  line?: number;
  rawText?: string;
  kind?: 'syntax' | 'width';
}

export function toWire(e: unknown): WireError {
  if (e instanceof CsvSyntaxError) return { name: 'CsvSyntaxError', message: e.message, line: e.line, rawText: e.rawText, kind: e.kind };
  if (e instanceof XwalkError) return { name: 'XwalkError', message: e.message, exitCode: e.exitCode, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) };
}

export function fromWire(w: WireError): Error {
  if (w.name === 'CsvSyntaxError') return new CsvSyntaxError(w.message, w.line!, w.rawText ?? '', w.kind ?? 'syntax');
  if (w.name === 'XwalkError') return new XwalkError(w.message, { exitCode: w.exitCode ?? 2, ...(w.hint !== undefined ? { hint: w.hint } : {}) });
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return e;
}

export interface Port {
  postMessage(m: FromWorker, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (m: ToWorker) => void): unknown;
}

/**
 * Output buffers the worker keeps for use again: a piece uses one and comes with one, so a few
 * are enough. (Kept without a bound, the buffers this thread was given piled up here while the
 * other made new ones: 40 MB and more on a 189 MB file, growing with the input.)
 */
const KEEP_SPARES = 4;

/** Answers the driver's messages on `port`, once `ready` gives the registry index. */
export function serveConversion(port: Port, ready: Promise<RegistryIndex>, opts: StreamOptions): void {
  let pieces: PieceConverter | undefined;
  let converter: Converter | undefined;
  const spares = new Spares(KEEP_SPARES);
  let chain: Promise<unknown> = ready.catch((e: unknown) => port.postMessage({ type: 'fatal', error: toWire(e) }));
  const handle = (index: RegistryIndex, m: ToWorker) => {
    if (m.type === 'header') {
      converter = new Converter(index, opts, m.header, { delimiter: opts.delimiter, quote: opts.quote }, m.canReject);
      pieces = new PieceConverter(converter, { delimiter: opts.delimiter, quote: opts.quote, ...(opts.maxField !== undefined ? { maxField: opts.maxField } : {}) }, m.width, m.eol);
    } else if (m.type === 'piece') {
      try {
        for (const b of m.spare ?? []) spares.keep(b);
        // The output's bytes have a buffer of their own, handed over without a copy (the other
        // thread only writes them, then gives the buffer back); the piece's buffer goes back too.
        const r = pieces!.run(m.piece, spares.take());
        const input = m.piece.bytes.buffer as ArrayBuffer;
        port.postMessage({ type: 'result', seq: m.piece.seq, result: r, input }, [r.out.buffer as ArrayBuffer, input]);
      } catch (e) {
        port.postMessage({ type: 'error', seq: m.piece.seq, error: toWire(e) });
      }
    } else port.postMessage({ type: 'state', state: converter!.state() });
  };
  port.on('message', (m) => {
    chain = chain.then(async () => handle(await ready, m)).catch((e: unknown) => port.postMessage({ type: 'fatal', error: toWire(e) }));
  });
}
