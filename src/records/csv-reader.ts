/**
 * The record reader: text chunks of a delimited export → records, streaming, with bounded memory.
 *
 * In: decoded text chunks (any split, even inside a quoted field or a CRLF). Out: a `RecordView`
 * per record, handed to a callback: the record's span in the current text and each field's raw
 * span (quotes included). Nothing is copied unless the consumer slices it, so columns that are not
 * converted can be written back byte for byte at the cost of one slice per record. The view is
 * reused: a consumer copies what it keeps before returning.
 *
 * Accepts RFC 4180 and what real exports do: CRLF, LF or lone CR line ends, quoted fields with
 * delimiters, quotes and line breaks inside, a quote inside an unquoted field (`12" pipe`, kept as
 * written). Refuses, with the record's line number: a quoted field never closed, text after a
 * closing quote, a field longer than `maxField`. Never type-infers anything.
 */

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly rawText: string,
    /** `width`: a record with a different number of fields than the header. */
    readonly kind: 'syntax' | 'width' = 'syntax',
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface ReaderOptions {
  delimiter: string;
  quote: string;
  /** Longest field accepted, in characters (default 64 Mi). */
  maxField?: number;
  /** Line number of the first record (default 1): a chunk of a file read in parallel starts further on. */
  firstLine?: number;
  /** The text is UTF-8 bytes read as latin1, one character a byte (RecordView.latin1Bytes). */
  latin1Bytes?: boolean;
}

/** One record, as spans of `text`. Valid only during the callback. */
export interface RecordView {
  text: string;
  /** The record without its line end: text.slice(start, end). */
  start: number;
  end: number;
  count: number;
  /** Raw span of field i: text.slice(fs[i], fe[i]). */
  fs: Int32Array;
  fe: Int32Array;
  /** 1-based line where the record starts. */
  line: number;
  /** The line end that closed it ('' for a last record without one). */
  eol: string;
  /**
   * `text` is UTF-8 bytes read as latin1, one character a byte (convert reads valid UTF-8 pieces
   * so, to copy their bytes by position): what a slice means is recordText's, not the slice.
   */
  latin1Bytes?: boolean;
}

/** A record copied out of a view: raw field texts. */
export interface CsvRecord {
  raw: string[];
  line: number;
  eol: string;
}

const CR = 13;
const LF = 10;

/** The value of a raw field: unquoted, with doubled quotes made single. */
export function fieldValue(raw: string, quote = '"'): string {
  if (raw.length >= 2 && raw.charCodeAt(0) === quote.charCodeAt(0)) {
    const inner = raw.slice(1, -1);
    return inner.includes(quote) ? inner.split(quote + quote).join(quote) : inner;
  }
  return raw;
}

export function rawFields(v: RecordView): string[] {
  const out = new Array<string>(v.count);
  for (let i = 0; i < v.count; i++) out[i] = recordText(v, v.fs[i]!, v.fe[i]!);
  return out;
}

const NOT_ASCII = /[^\u0000-\u007f]/;

/** The characters `v.text.slice(a, b)` stands for: the slice itself, or its bytes decoded when the view holds UTF-8 bytes as latin1. */
export function recordText(v: RecordView, a: number, b: number): string {
  const s = v.text.slice(a, b);
  return v.latin1Bytes && NOT_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/**
 * Parses chunks as they come. `push` calls `onRecord` for every record the chunk completes;
 * `end` for the last one. The unfinished tail is kept between chunks, and rescanned only when
 * the buffer has doubled, so a huge record costs linear time.
 */
export class CsvTokenizer {
  private buf = '';
  private line = 1;
  private rescanAt = 0;
  private readonly d: string;
  private readonly q: string;
  private readonly dc: number;
  private readonly qc: number;
  private readonly maxField: number;
  private readonly view: RecordView = { text: '', start: 0, end: 0, count: 0, fs: new Int32Array(64), fe: new Int32Array(64), line: 1, eol: '' };

  constructor(opts: ReaderOptions) {
    if (opts.delimiter.length !== 1 || opts.quote.length !== 1) throw new Error('delimiter and quote must be one character each');
    this.d = opts.delimiter;
    this.q = opts.quote;
    this.dc = opts.delimiter.charCodeAt(0);
    this.qc = opts.quote.charCodeAt(0);
    this.maxField = opts.maxField ?? 64 * 1024 * 1024;
    this.line = opts.firstLine ?? 1;
    if (opts.latin1Bytes) this.view.latin1Bytes = true;
  }

  push(chunk: string, onRecord: (r: RecordView) => void): void {
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    // Defer rescanning an unfinished record until the buffer doubles (linear time), but never past
    // the field limit: a field that outgrows it is then refused at once, bounding memory.
    if (this.buf.length < this.rescanAt && this.buf.length <= this.maxField) return;
    this.scan(false, onRecord);
    this.rescanAt = this.buf.length > 1 << 20 ? this.buf.length * 2 : 0;
  }

  end(onRecord: (r: RecordView) => void): void {
    this.scan(true, onRecord);
  }

  /**
   * The records of a whole text that holds no quote and no CR (the caller checks), ended as `end`
   * ends them: a record ends at LF, fields at the delimiter. The same records as push then end,
   * found with less work (no quotes to look for, one kind of line end; issue 18: exports of short
   * unquoted rows). Needs nothing pushed before; a text longer than the field limit goes through
   * push instead (its fields are not measured here).
   */
  plain(s: string, onRecord: (r: RecordView) => void): void {
    if (this.buf.length || s.length > this.maxField) {
      this.push(s, onRecord);
      this.end(onRecord);
      return;
    }
    const n = s.length;
    const d = this.d;
    const v = this.view;
    v.text = s;
    let pos = 0;
    let nd = -2; // the next delimiter at or after the field's start (-1: none left)
    while (pos < n) {
      let e = s.indexOf('\n', pos);
      v.eol = e < 0 ? '' : '\n';
      if (e < 0) e = n;
      v.start = pos;
      v.end = e;
      v.count = 0;
      v.line = this.line;
      for (let i = pos; ;) {
        if (nd !== -1 && nd < i) nd = s.indexOf(d, i);
        const j = nd < 0 || nd > e ? e : nd;
        this.addField(v, i, j);
        if (j === e) break;
        i = j + 1;
      }
      if (e < n) this.line++;
      pos = e + 1;
      onRecord(v);
    }
  }

  /** The line the next record starts on (for messages). */
  get currentLine(): number {
    return this.line;
  }

  private addField(v: RecordView, s: number, e: number): void {
    const n = v.count;
    if (n === v.fs.length) {
      const fs = new Int32Array(n * 2);
      const fe = new Int32Array(n * 2);
      fs.set(v.fs);
      fe.set(v.fe);
      v.fs = fs;
      v.fe = fe;
    }
    v.fs[n] = s;
    v.fe[n] = e;
    v.count = n + 1;
  }

  private scan(final: boolean, onRecord: (r: RecordView) => void): void {
    const s = this.buf;
    const n = s.length;
    const d = this.d;
    const q = this.q;
    const dc = this.dc;
    const qc = this.qc;
    const v = this.view;
    v.text = s;
    let pos = 0;
    // Next LF and CR at or after the scan point: found once per line, not once per field.
    let nextLf = -2;
    let nextCr = -2;
    outer: while (pos < n) {
      v.count = 0;
      v.start = pos;
      const startLine = this.line;
      let lines = 0;
      let i = pos;
      for (;;) {
        let fieldEnd: number;
        if (i < n && s.charCodeAt(i) === qc) {
          const from = i;
          const openLine = startLine + lines; // where this quote opens, for the error below
          let j = i + 1;
          for (;;) {
            const k = s.indexOf(q, j);
            if (k < 0) {
              if (n - from > this.maxField) throw new CsvSyntaxError(`a quoted field is longer than ${this.maxField} characters (an unclosed quote?)`, startLine + lines, s.slice(pos, pos + 200));
              if (!final) break outer;
              throw new CsvSyntaxError('a quoted field is never closed', openLine, s.slice(pos, pos + 200));
            }
            // Line breaks inside the quotes (for line numbers): only when the next one is before k.
            if (nextLf === -2 || (nextLf !== -1 && nextLf < j)) nextLf = s.indexOf('\n', j);
            if (nextLf !== -1 && nextLf < k) for (let x = nextLf; x >= 0 && x < k; x = s.indexOf('\n', x + 1)) lines++;
            if (nextCr === -2 || (nextCr !== -1 && nextCr < j)) nextCr = s.indexOf('\r', j);
            if (nextCr !== -1 && nextCr < k) for (let x = nextCr; x >= 0 && x < k; x = s.indexOf('\r', x + 1)) if (s.charCodeAt(x + 1) !== LF) lines++;
            if (k + 1 < n && s.charCodeAt(k + 1) === qc) {
              j = k + 2;
              continue;
            }
            if (k + 1 >= n && !final) break outer; // may be the first of a doubled quote
            fieldEnd = k + 1;
            if (fieldEnd - from > this.maxField) throw new CsvSyntaxError(`a quoted field is longer than ${this.maxField} characters`, openLine, s.slice(pos, pos + 200));
            break;
          }
          this.addField(v, from, fieldEnd);
          i = fieldEnd;
          if (i < n) {
            const c = s.charCodeAt(i);
            if (c !== dc && c !== LF && c !== CR) throw new CsvSyntaxError(`text after a closing quote in field ${v.count}`, startLine + lines, s.slice(pos, Math.min(n, i + 40)));
          }
          // line-end positions cached before this field may be stale (inside the quotes)
          if (nextLf !== -1 && nextLf < i) nextLf = -2;
          if (nextCr !== -1 && nextCr < i) nextCr = -2;
        } else {
          if (nextLf === -2 || (nextLf !== -1 && nextLf < i)) nextLf = s.indexOf('\n', i);
          if (nextCr === -2 || (nextCr !== -1 && nextCr < i)) nextCr = s.indexOf('\r', i);
          let j = s.indexOf(d, i);
          if (j < 0) j = n;
          if (nextLf >= 0 && nextLf < j) j = nextLf;
          if (nextCr >= 0 && nextCr < j) j = nextCr;
          if (j - i > this.maxField) throw new CsvSyntaxError(`a field is longer than ${this.maxField} characters`, startLine + lines, s.slice(i, i + 200));
          if (j >= n && !final) break outer;
          this.addField(v, i, j);
          i = j;
        }
        if (i >= n) {
          v.end = n;
          v.line = startLine;
          v.eol = '';
          this.line = startLine + lines;
          pos = n;
          onRecord(v);
          break outer;
        }
        const c = s.charCodeAt(i);
        if (c === dc) {
          i++;
          if (i >= n) {
            if (!final) break outer;
            this.addField(v, n, n);
            v.end = n;
            v.line = startLine;
            v.eol = '';
            this.line = startLine + lines;
            pos = n;
            onRecord(v);
            break outer;
          }
          continue;
        }
        let eol: string;
        if (c === CR) {
          if (i + 1 >= n && !final) break outer; // a CR at the chunk's end may be half a CRLF
          eol = s.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
        } else eol = '\n';
        v.end = i;
        v.line = startLine;
        v.eol = eol;
        this.line = startLine + lines + 1;
        pos = i + eol.length;
        onRecord(v);
        continue outer;
      }
    }
    this.buf = pos >= n ? '' : s.slice(pos);
  }
}

/** Every record of a whole text, copied out (tests and small inputs). */
export function parseAll(text: string, opts: ReaderOptions, chunkSize = Infinity): CsvRecord[] {
  const tok = new CsvTokenizer(opts);
  const out: CsvRecord[] = [];
  const take = (v: RecordView) => out.push({ raw: rawFields(v), line: v.line, eol: v.eol });
  if (chunkSize === Infinity) tok.push(text, take);
  else for (let i = 0; i < text.length; i += chunkSize) tok.push(text.slice(i, i + chunkSize), take);
  tok.end(take);
  return out;
}
