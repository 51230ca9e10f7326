/**
 * Where invalid UTF-8 is (issue 15, class 14): the decoder only says that a chunk of 64 KiB holds
 * a bad byte somewhere. `Utf8Position` follows the line and byte column of every byte decoded
 * so far, and on a failure finds the first bad byte of the failed chunk itself, so the message
 * names the real line and byte column, not the first line of the chunk.
 *
 * Lines end at LF, CRLF or a lone CR, as the CSV tokenizer counts them; columns count bytes
 * from 1.
 */

export interface BytePosition {
  line: number;
  /** 1-based byte column in the line. */
  column: number;
  /** The first bad byte and up to three after it, as hex. */
  bytes: string;
}

export class Utf8Position {
  /** `line`: the line the first byte is on (a chunk of a file read in parallel starts further on, at a line's start). */
  constructor(private line = 1) {}
  private column = 1;
  private lastCR = false;
  /** The bytes at the end of the previous chunk that start a character not yet complete. */
  private carry: Uint8Array = new Uint8Array(0);

  /** Records a chunk the decoder accepted. */
  advance(chunk: Uint8Array): void {
    // Line ends found with the native indexOf: this runs over every byte of every export.
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = buf.length;
    if (!len) return;
    let lastEnd = -1;
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
      if (!(i > 0 ? buf[i - 1] === 0x0d : this.lastCR)) this.line++;
      lastEnd = i;
    }
    for (let i = buf.indexOf(0x0d); i >= 0; i = buf.indexOf(0x0d, i + 1)) {
      this.line++;
      if (i > lastEnd) lastEnd = i;
    }
    this.column = lastEnd < 0 ? this.column + len : len - lastEnd;
    this.lastCR = buf[len - 1] === 0x0d;
    const all = this.carry.length ? concat(this.carry, chunk) : chunk;
    this.carry = all.subarray(all.length - incompleteTail(all));
  }

  /** The position of the first bad byte of a chunk the decoder refused (undefined if none is found). */
  locate(chunk: Uint8Array): BytePosition | undefined {
    const all = this.carry.length ? concat(this.carry, chunk) : chunk;
    const bad = firstInvalid(all);
    if (bad < 0) return undefined;
    // The carried bytes were counted already (they hold no line end): step back over them.
    let line = this.line;
    let column = this.column - this.carry.length;
    let lastCR = this.lastCR;
    for (let i = 0; i < bad; i++) {
      const b = all[i]!;
      if (b === 0x0a) {
        if (!lastCR) line++;
        column = 1;
      } else if (b === 0x0d) {
        line++;
        column = 1;
      } else column++;
      lastCR = b === 0x0d;
    }
    const bytes = [...all.subarray(bad, bad + 4)].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    return { line, column, bytes };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Length of a UTF-8 sequence from its lead byte, or 0 for a byte that cannot start one. */
function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** How many bytes at the end of `buf` begin a character that is not complete yet (0 to 3). */
function incompleteTail(buf: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, buf.length); k++) {
    const b = buf[buf.length - k]!;
    if (b >= 0x80 && b < 0xc0) continue; // a continuation byte: look further back
    const n = seqLength(b);
    return n > k ? k : 0;
  }
  return 0;
}

/**
 * Offset of the first byte that makes `buf` invalid UTF-8 (WHATWG rules: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or -1. A character cut off by the end of `buf` is not an
 * error here (the next chunk may complete it).
 */
export function firstInvalid(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const n = seqLength(b);
    if (n === 0) return i;
    if (n === 1) {
      i++;
      continue;
    }
    let lo = 0x80;
    let hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
    else if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
    for (let k = 1; k < n; k++) {
      if (i + k >= buf.length) return -1;
      const c = buf[i + k]!;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n;
  }
  return -1;
}
