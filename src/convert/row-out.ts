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
 * Copies up to this many bytes (a short record's, an appended cell's) go four bytes at a time
 * through DataViews rather than through a view made per copy (TypedArray.set of a subarray costs
 * about 60 ns whatever the length; a 25-byte copy four at a time 15-25 ns). On an export of
 * three short columns (5,000,000 rows of 23 bytes, one thread) the whole convert took 0.84-0.92x
 * the CPU byte by byte and 0.865x again four at a time; rows of 190 bytes keep the view for the
 * record (1.00-1.02x, noise). A loop for those too cost 1.38x.
 */
const SHORT_SPAN = 64;

/** A sink for one converter's rows: spans of the record's text, new text, line ends. */
export interface RowOut {
  /** `text.slice(a, b)`, where `text` is the text being tokenized. */
  span(text: string, a: number, b: number): void;
  text(s: string): void;
  /** Text written again and again: a byte writer keeps its bytes in `memo.suffixBytes` (and a view of them in `suffixView`). */
  memo(s: string, memo: { suffixBytes?: Uint8Array; suffixView?: DataView }): void;
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
 * Rows as bytes, copied from `src`: for text that is `src` read as latin1, one character a byte
 * (ASCII, or valid UTF-8 whose meaning the converter decodes where it needs it: RecordView.latin1Bytes),
 * so that its offsets are `src`'s byte offsets. Its buffer is its own (never pooled), so it can be
 * handed to another thread without a copy.
 */
export class ByteOut implements RowOut {
  private buf: Buffer;
  /** `buf` read and written four bytes at a time (short copies). */
  private bufView: DataView;
  private pos = 0;
  /** The source as a plain Uint8Array: its subarray is V8's own, where a Buffer's makes a FastBuffer (twice the cost a row). */
  private readonly src: Uint8Array;
  private readonly srcView: DataView;

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
    this.srcView = new DataView(src.buffer, src.byteOffset, src.byteLength);
    this.buf = into && into.byteLength >= capacity ? Buffer.from(into) : Buffer.allocUnsafeSlow(roomFor(capacity));
    this.bufView = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    this.bufView = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
  }

  /** Copies `from[a, b)` (viewed by `fromView` too) to the end of the output, which has room. */
  private copy(from: Uint8Array, fromView: DataView, a: number, b: number): void {
    let p = this.pos;
    if (b - a <= SHORT_SPAN) {
      // Four bytes at a time, then byte by byte: no view made (a row of a few short columns).
      const to = this.bufView;
      let i = a;
      for (; i + 4 <= b; i += 4, p += 4) to.setUint32(p, fromView.getUint32(i, true), true);
      const buf = this.buf;
      for (; i < b; i++) buf[p++] = from[i]!;
    } else {
      this.buf.set(from.subarray(a, b), p);
      p += b - a;
    }
    this.pos = p;
  }

  span(text: string, a: number, b: number): void {
    this.room(b - a);
    if (text === this.srcText) this.copy(this.src, this.srcView, a, b);
    else {
      // A tokenizer keeps an unfinished record as a slice of its own: offsets into that are not
      // src's, but its characters are src's bytes read as latin1 too, written back as those bytes.
      this.pos += this.buf.write(text.slice(a, b), this.pos, 'latin1');
    }
  }

  text(s: string): void {
    this.room(s.length * 3); // UTF-8: at most 3 bytes per UTF-16 unit
    this.pos += this.buf.write(s, this.pos);
  }

  memo(s: string, memo: { suffixBytes?: Uint8Array; suffixView?: DataView }): void {
    const b = (memo.suffixBytes ??= Buffer.from(s));
    const view = (memo.suffixView ??= new DataView(b.buffer, b.byteOffset, b.byteLength));
    this.room(b.length);
    this.copy(b, view, 0, b.length);
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
    this.bufView = new DataView(this.buf.buffer); // never the view of a buffer now handed on
    this.pos = 0;
    return out;
  }
}
