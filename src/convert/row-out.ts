/**
 * Where a Converter's output rows go (issue 18): text joined at the end, or bytes spliced from
 * the input.
 *
 * A passthrough CSV row is the record's own bytes with cells appended (or spliced in), so when
 * the text being tokenized is the input's bytes one for one (ASCII, read as latin1), the row is
 * built by copying byte ranges of the input and writing the few new cells: no string per row, no
 * UTF-8 encoding of the whole output. Measured on 1,000,000 rows of 190 bytes: about 0.11 s
 * against 0.6-0.9 s for concatenating the rows and encoding the result.
 */

import { roomFor } from './spares.js';

/**
 * Spans up to this many bytes are copied in a loop rather than through a view: on an export of
 * three short columns (5,000,000 rows of 23 bytes) 8-16% less CPU for the whole convert; on rows
 * of 190 bytes, which keep the view, no change (interleaved runs, 5-10 each).
 */
const SHORT_SPAN = 64;

/** A sink for one converter's rows: spans of the record's text, new text, line ends. */
export interface RowOut {
  /** `text.slice(a, b)`, where `text` is the text being tokenized. */
  span(text: string, a: number, b: number): void;
  text(s: string): void;
  /** Text written again and again: a byte writer keeps its bytes in `memo.suffixBytes`. */
  memo(s: string, memo: { suffixBytes?: Uint8Array }): void;
  /** Ends the row with its line end. */
  end(eol: string): void;
  /** Everything written since the last take. */
  take(): string | Uint8Array;
}

/** Rows as strings, joined when taken. */
export class TextOut implements RowOut {
  private parts: string[] = [];
  private line = '';

  span(text: string, a: number, b: number): void {
    this.line += text.slice(a, b);
  }

  text(s: string): void {
    this.line += s;
  }

  memo(s: string): void {
    this.line += s;
  }

  end(eol: string): void {
    this.parts.push(this.line + eol);
    this.line = '';
  }

  take(): string {
    if (this.line) {
      this.parts.push(this.line);
      this.line = '';
    }
    const s = this.parts.join('');
    this.parts = [];
    return s;
  }
}

/**
 * Rows as bytes, copied from `src`: only for text whose offsets are `src`'s byte offsets (every
 * byte below 0x80, read as latin1). Its buffer is its own (never pooled), so it can be handed to
 * another thread without a copy.
 */
export class ByteOut implements RowOut {
  private buf: Buffer;
  private pos = 0;
  /** The source as a plain Uint8Array: its subarray is V8's own, where a Buffer's makes a FastBuffer (twice the cost a row). */
  private readonly src: Uint8Array;

  /**
   * `srcText`: `src` read as latin1, the text the tokenizer was given; `into`: a buffer to use
   * again, when it is large enough; `capacity`: the bytes expected (the buffer grows past them,
   * at the cost of a copy).
   */
  constructor(
    src: Uint8Array,
    private readonly srcText: string,
    into?: ArrayBuffer,
    capacity = src.length + (src.length >> 2) + 256,
  ) {
    this.src = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    this.buf = into && into.byteLength >= capacity ? Buffer.from(into) : Buffer.allocUnsafeSlow(roomFor(capacity));
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  span(text: string, a: number, b: number): void {
    // A tokenizer keeps an unfinished record as a slice of its own: offsets into that are not src's.
    if (text !== this.srcText) return this.text(text.slice(a, b));
    const n = b - a;
    this.room(n);
    if (n <= SHORT_SPAN) {
      // A short span byte by byte: no view made (a row of an export of a few short columns).
      const buf = this.buf;
      const src = this.src;
      let p = this.pos;
      for (let i = a; i < b; i++) buf[p++] = src[i]!;
    } else this.buf.set(this.src.subarray(a, b), this.pos);
    this.pos += n;
  }

  text(s: string): void {
    this.room(s.length * 3); // UTF-8: at most 3 bytes per UTF-16 unit
    this.pos += this.buf.write(s, this.pos);
  }

  memo(s: string, memo: { suffixBytes?: Uint8Array }): void {
    const b = (memo.suffixBytes ??= Buffer.from(s));
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  end(eol: string): void {
    if (eol.length === 1) {
      this.room(1);
      this.buf[this.pos++] = eol.charCodeAt(0);
    } else this.text(eol);
  }

  /** The bytes written, in a buffer of their own; this writer starts again empty. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafeSlow(0);
    this.pos = 0;
    return out;
  }
}
