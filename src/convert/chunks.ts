/**
 * Pieces of an export for converting in parallel (issue 18): where a piece may end, and one
 * piece of whole records → its output, in the thread that holds the Converter.
 *
 * A piece always starts at a record's start and ends after a record's line end (or at the end of
 * the input), so each piece is tokenized alone, from a known line number: the lines, rejects and
 * errors it gives are those of the whole file. Pure: bytes and text in, text out.
 */

import { XwalkError } from '../errors/errors.js';
import { CsvTokenizer, type RecordView } from '../records/csv-reader.js';
import { Utf8Position } from '../records/utf8.js';
import type { Converter, RejectedRow } from './convert.js';
import { roomFor } from './spares.js';
import { isBlankLine } from './stream.js';
import { isUtf8 } from 'node:buffer';

const LF = 10;
const CR = 13;

/** Quoted fields whose spans the backward pass can look back on (lastRecordEnd); when it must look further, the spans are found again, all kept. */
const RING = 128;
const ringStarts = new Int32Array(RING);
const ringEnds = new Int32Array(RING);
/**
 * Quotes closer together than this on average (a file that quotes every field) are looked for by
 * a loop here: a call of Buffer.indexOf costs about what looking at this many bytes does.
 */
const NEAR = 24;
/** Bytes at a piece's start in which its quotes are counted, to choose how to look for them. */
const SAMPLE = 4096;

/** Are the quotes in `b` close together (judged on its first bytes)? */
export function quotesAreDense(b: Buffer, qc: number): boolean {
  const n = Math.min(b.length, SAMPLE);
  let q = 0;
  for (let i = 0; i < n; i++) if (b[i] === qc) q++;
  return q * NEAR > n;
}

/** The first `qc` in `b` at or after `from`, -1 if none: when `dense`, looked for by a loop over the next bytes first. */
function nextQuote(b: Buffer, qc: number, from: number, dense: boolean): number {
  if (dense) {
    const stop = Math.min(from + 2 * NEAR, b.length);
    for (let e = from; e < stop; e++) if (b[e] === qc) return e;
    if (stop === b.length) return -1;
    from = stop;
  }
  return b.indexOf(qc, from);
}

/**
 * The end (exclusive) of the last whole record in `b` (the input's bytes), read from its start as
 * the tokenizer reads it: a quote opens a quoted field only at a field's start (elsewhere it is a
 * character like any other), a line end inside quotes does not end the record. -1 when `b` holds
 * no line end outside quotes. A lone CR at the very end is not taken (it may be half a CRLF).
 * The delimiter and the quote are ASCII (one byte each): the bytes of a UTF-8 character never
 * match them.
 *
 * Forward, quote to quote, the spans of the quoted fields (the last RING of them kept); then
 * backward from the end, the last line end that none of them holds. `dense` (default: judged on
 * the first bytes) only chooses how quotes are looked for: every field quoted, a loop here is
 * 2x faster than a call of indexOf a quote (issue 18: a quote-all export of 22 columns).
 */
export function lastRecordEnd(b: Buffer, delimiter: string, quote: string, dense = quotesAreDense(b, quote.charCodeAt(0)), ring = RING): number {
  const n = b.length;
  const dc = delimiter.charCodeAt(0);
  const qc = quote.charCodeAt(0);
  const starts = ring <= RING ? ringStarts : new Int32Array(ring);
  const ends = ring <= RING ? ringEnds : new Int32Array(ring);
  let count = 0;
  let limit = n;
  let i = 0;
  for (;;) {
    const k = nextQuote(b, qc, i, dense);
    if (k < 0) break;
    const p = k === 0 ? LF : b[k - 1]!;
    if (p !== dc && p !== LF && p !== CR) {
      i = k + 1; // a quote inside an unquoted field: kept as written
      continue;
    }
    let j = k + 1;
    let closed = -1;
    for (;;) {
      const e = nextQuote(b, qc, j, dense);
      if (e < 0 || e + 1 >= n) break; // not closed within b (or maybe the first of a doubled quote)
      if (b[e + 1] === qc) {
        j = e + 2;
        continue;
      }
      closed = e + 1;
      break;
    }
    if (closed < 0) {
      limit = k;
      break;
    }
    starts[count % ring] = k;
    ends[count % ring] = closed;
    count++;
    i = closed;
  }
  // Backward from the limit: the last line end that no quoted field holds.
  const hasCr = b.indexOf(CR) >= 0;
  let x = limit;
  let sp = count - 1;
  const oldest = Math.max(0, count - ring); // the oldest span still held
  while (x > 0) {
    const lf = b.lastIndexOf(LF, x - 1);
    const cr = hasCr ? b.lastIndexOf(CR, x - 1) : -1;
    const c = Math.max(lf, cr);
    if (c < 0) return -1;
    while (sp >= oldest && starts[sp % ring]! > c) sp--;
    // The span that may hold c is no longer held: once more, holding them all.
    if (sp >= 0 && sp < oldest) return lastRecordEnd(b, delimiter, quote, dense, count);
    if (sp >= 0 && ends[sp % ring]! > c) {
      x = starts[sp % ring]!; // inside quotes: look before that field
      continue;
    }
    if (c === lf) return lf + 1;
    if (cr + 1 >= n) {
      x = cr; // a lone CR at the very end may be half a CRLF
      continue;
    }
    return cr + 1;
  }
  return -1;
}

/** The number of lines `b` ends (LF, CRLF or a lone CR), as the tokenizer counts them. */
export function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(LF); i >= 0; i = b.indexOf(LF, i + 1)) n++;
  for (let i = b.indexOf(CR); i >= 0; i = b.indexOf(CR, i + 1)) if (b[i + 1] !== LF) n++;
  return n;
}

/**
 * A piece to convert: whole records, as the input's bytes (a buffer of their own, handed to the
 * worker without a copy); `ascii` when every byte is below 0x80, which makes the bytes read as
 * latin1 the text itself, one character per byte.
 */
export interface Piece {
  seq: number;
  bytes: Uint8Array;
  ascii: boolean;
  firstLine: number;
}

export interface PieceResult {
  seq: number;
  /** Text, or UTF-8 bytes. */
  out: string | Uint8Array;
  rejected: RejectedRow[];
  rows: number;
}

/** The text of a piece: ASCII read as latin1, anything else decoded as UTF-8 (refused, with its line and byte, when invalid). */
export function pieceText(p: Piece): string {
  const b = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
  if (p.ascii) return b.toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    const at = new Utf8Position(p.firstLine).locate(b);
    if (at) throw new XwalkError(`line ${at.line}, byte ${at.column}: the input is not valid UTF-8 (${at.bytes})`, { hint: 'if it comes from an older system, try --encoding windows-1252 (or latin1)' });
    throw new XwalkError('the input ends in the middle of a UTF-8 character (truncated file?)', { hint: 'check that the file was copied whole' });
  }
}

/** Converts pieces of whole records with one Converter (one per thread). */
export class PieceConverter {
  /** Output bytes per input byte of the last piece written as bytes (short rows with long appended cells grow more; at least 1.25). */
  private growth = 1.25;

  constructor(
    readonly converter: Converter,
    private readonly reader: { delimiter: string; quote: string; maxField?: number },
    private readonly width: number,
    private readonly eol: string,
  ) {}

  /**
   * The piece's output as UTF-8 bytes in a buffer of their own (never Node's shared pool), so
   * that it can be handed to another thread and used again once written; `into`: such a buffer,
   * used when it is large enough.
   */
  run(p: Piece, into?: ArrayBuffer): PieceResult & { out: Uint8Array } {
    // Valid UTF-8 that is not all ASCII is read as its bytes too (RecordView.latin1Bytes), and
    // written by copying them, unless a field limit is set (it counts characters, not bytes).
    // Errors read the same either way: a line and a reason (the record's text they hold, bytes
    // read as latin1 here, is not shown: stream.ts's readError).
    const asBytes = p.ascii || (this.reader.maxField === undefined && isUtf8(p.bytes));
    return this.convert(p, into, asBytes);
  }

  /** The piece converted from its bytes read as latin1 (`asBytes`: ASCII, or valid UTF-8), or from its text. */
  private convert(p: Piece, into: ArrayBuffer | undefined, asBytes: boolean): PieceResult & { out: Uint8Array } {
    const before = this.converter.report.rowsRead;
    const tok = new CsvTokenizer({ ...this.reader, firstLine: p.firstLine, latin1Bytes: asBytes && !p.ascii });
    const onRecord = (v: RecordView) => {
      if (isBlankLine(v, this.width)) return;
      this.converter.row(v, this.eol, this.width);
    };
    const text = asBytes ? Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('latin1') : pieceText(p);
    // As large as the last piece's output was for its input (a buffer that must grow is copied).
    const capacity = Math.ceil(p.bytes.length * this.growth) + 1024;
    // As bytes: the rows are written by copying the piece's own bytes (row-out.ts); else as text, encoded at the end.
    this.converter.spliceFrom(asBytes ? { bytes: p.bytes, text, into, capacity } : undefined);
    // A piece is whole records: what push leaves, end reads as the last one (or an error). A piece
    // without quotes or CR (an export of short unquoted rows) is read the plainer way, to the
    // same records.
    if (text.indexOf(this.reader.quote) < 0 && text.indexOf('\r') < 0) tok.plain(text, onRecord);
    else {
      tok.push(text, onRecord);
      tok.end(onRecord);
    }
    const { out, rejected } = this.converter.take();
    this.converter.spliceFrom(undefined); // nothing kept of this piece's buffers, which go on to be read into and written
    if (typeof out !== 'string' && p.bytes.length) this.growth = Math.max(1.25, (out.length / p.bytes.length) * 1.05);
    return { seq: p.seq, out: typeof out === 'string' ? utf8Into(out, into, capacity) : out, rejected, rows: this.converter.report.rowsRead - before };
  }
}

/** `s` as UTF-8: in `into` when it is large enough, else in a new buffer with room for `capacity` bytes (the size of the other outputs, so that it serves them too). */
function utf8Into(s: string, into: ArrayBuffer | undefined, capacity: number): Uint8Array {
  const n = Buffer.byteLength(s);
  const b = into && into.byteLength >= n ? Buffer.from(into, 0, n) : Buffer.allocUnsafeSlow(roomFor(Math.max(n, capacity))).subarray(0, n);
  b.write(s);
  return b;
}
