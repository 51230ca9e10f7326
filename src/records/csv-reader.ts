/**
 * The record reader: text chunks of a delimited export → records, streaming, with bounded memory.
 *
 * In: decoded text chunks (any split, even inside a quoted field or a CRLF). Out: one `CsvRecord`
 * per record, holding each field's *raw* text exactly as written (quotes included), so columns
 * that are not converted can be written back byte for byte; `fieldValue` unquotes on demand.
 *
 * Accepts RFC 4180 and what real exports do: CRLF, LF or lone CR line ends, quoted fields with
 * delimiters, quotes and line breaks inside, a quote inside an unquoted field (`12" pipe`, kept
 * as written). Refuses, with the record's line number: a quoted field never closed, text after a
 * closing quote, a field longer than `maxFieldBytes`. Never type-infers anything.
 */

export interface CsvRecord {
  /** Raw text of each field, as in the input. */
  raw: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** The line end that closed it ('' for the last record without one). */
  eol: string;
}

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

/**
 * Parses chunks as they come. `push` returns the records completed by the chunk; `end` returns
 * the last one. The unfinished tail is kept between chunks (at most one record, bounded by
 * maxField per field).
 */
export class CsvTokenizer {
  private buf = '';
  private line = 1;
  /** Do not rescan an unfinished record until the buffer reaches this length (keeps it linear). */
  private rescanAt = 0;
  private readonly d: number;
  private readonly q: number;
  private readonly maxField: number;
  private readonly quote: string;

  constructor(opts: ReaderOptions) {
    if (opts.delimiter.length !== 1 || opts.quote.length !== 1) throw new Error('delimiter and quote must be one character each');
    this.d = opts.delimiter.charCodeAt(0);
    this.q = opts.quote.charCodeAt(0);
    this.quote = opts.quote;
    this.maxField = opts.maxField ?? 64 * 1024 * 1024;
  }

  push(chunk: string): CsvRecord[] {
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    if (this.buf.length < this.rescanAt) return [];
    const out = this.scan(false);
    this.rescanAt = this.buf.length > 65536 ? this.buf.length * 2 : 0;
    return out;
  }

  end(): CsvRecord[] {
    return this.scan(true);
  }

  /** Lines consumed so far (for messages). */
  get currentLine(): number {
    return this.line;
  }

  private scan(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const s = this.buf;
    const n = s.length;
    const d = this.d;
    const q = this.q;
    let pos = 0;
    // Each pass of this loop reads one record starting at `pos`.
    outer: while (pos < n) {
      const raw: string[] = [];
      const startLine = this.line;
      let lines = 0;
      let i = pos;
      for (;;) {
        // one field starting at i
        if (i < n && s.charCodeAt(i) === q) {
          const from = i;
          let j = i + 1;
          for (;;) {
            const k = s.indexOf(this.quote, j);
            if (k < 0) {
              if (n - i > this.maxField) throw new CsvSyntaxError(`a quoted field is longer than ${this.maxField} characters (an unclosed quote?)`, startLine, s.slice(pos, pos + 200));
              if (!final) break outer;
              throw new CsvSyntaxError('a quoted field is never closed', startLine + lines, s.slice(pos, pos + 200));
            }
            // count line breaks inside the quoted part
            for (let x = j; x < k; x++) {
              const c = s.charCodeAt(x);
              if (c === LF || (c === CR && s.charCodeAt(x + 1) !== LF)) lines++;
            }
            if (k + 1 < n && s.charCodeAt(k + 1) === q) {
              j = k + 2;
              continue;
            }
            if (k + 1 >= n && !final) break outer; // might be a doubled quote split by the chunk
            i = k + 1;
            raw.push(s.slice(from, i));
            break;
          }
          if (i < n) {
            const c = s.charCodeAt(i);
            if (c !== d && c !== LF && c !== CR) throw new CsvSyntaxError(`text after a closing quote in field ${raw.length}`, startLine + lines, s.slice(pos, Math.min(n, i + 40)));
          }
        } else {
          // unquoted: up to the next delimiter or line end
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          if (j - i > this.maxField) throw new CsvSyntaxError(`a field is longer than ${this.maxField} characters`, startLine + lines, s.slice(i, i + 200));
          if (j >= n && !final) break outer;
          raw.push(s.slice(i, j));
          i = j;
        }
        if (i >= n) {
          // end of input: last record without a line end
          out.push({ raw, line: startLine, eol: '' });
          this.line = startLine + lines;
          pos = n;
          break outer;
        }
        const c = s.charCodeAt(i);
        if (c === d) {
          i++;
          if (i >= n && !final) break outer;
          if (i >= n) {
            raw.push('');
            out.push({ raw, line: startLine, eol: '' });
            this.line = startLine + lines;
            pos = n;
            break outer;
          }
          continue;
        }
        // line end
        let eol: string;
        if (c === CR) {
          if (i + 1 >= n && !final) break outer; // CR at chunk end: maybe CRLF
          eol = s.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
        } else eol = '\n';
        out.push({ raw, line: startLine, eol });
        this.line = startLine + lines + 1;
        pos = i + eol.length;
        continue outer;
      }
    }
    this.buf = pos >= n ? '' : s.slice(pos);
    return out;
  }
}
