/**
 * Drives a conversion over a byte stream: decode → tokenize → header → Converter → batched
 * output. Bytes in, text out through the sinks; the caller owns files and the console.
 * Memory stays flat: one chunk, one unfinished record and one output batch at a time, plus the
 * per-column translation caches (one entry per distinct value).
 */

import { XwalkError } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';
import { CsvSyntaxError, CsvTokenizer, fieldValue, rawFields, type RecordView } from '../records/csv-reader.js';
import { Converter, type ConvertReport, type Sinks } from './convert.js';
import type { ConvertOptions } from './plan.js';
import { Utf8Position } from '../records/utf8.js';

export type Encoding = 'utf-8' | 'latin1' | 'windows-1252';

export interface StreamOptions extends ConvertOptions {
  delimiter: string;
  quote: string;
  encoding: Encoding;
  /** Longest field accepted, in characters (default 64 Mi): a bound on memory for hostile input. */
  maxField?: number;
}

/** A tokenizer's error as the user sees it (line, message, hint); other errors as they are. */
export function readError(e: unknown): unknown {
  if (e instanceof CsvSyntaxError)
    return new XwalkError(`line ${e.line}: ${e.message}`, {
      hint: e.kind === 'width' ? 'fix the record, or pass --skip-bad-rows --reject FILE to set malformed records aside' : 'check the quoting of that record; a field with the delimiter, a quote or a line break in it must be quoted, and its quotes doubled',
    });
  return e;
}

/** Bytes that are not UTF-8: the line and byte column of the first bad one when `position` can tell (issue 15), else near `line`. */
export function invalidUtf8(position: Utf8Position | undefined, chunk: Uint8Array, line: number): XwalkError {
  const at = position?.locate(chunk);
  return new XwalkError(at ? `line ${at.line}, byte ${at.column}: the input is not valid UTF-8 (${at.bytes})` : `the input is not valid UTF-8 (near line ${line})`, { hint: 'if it comes from an older system, try --encoding windows-1252 (or latin1)' });
}

/** The decoder's last characters; an input that ends inside a UTF-8 character is refused. */
export function decodeEnd(decoder: TextDecoder): string {
  try {
    return decoder.decode();
  } catch {
    throw new XwalkError('the input ends in the middle of a UTF-8 character (truncated file?)', { hint: 'check that the file was copied whole' });
  }
}

/**
 * A conversion's start, from the first record: the header (or the columns' numbers when the input
 * has none), the Converter made from it, the line end every row is written with, and the header
 * line to write first (after a byte order mark when the input began with one; not JSON lines).
 */
export function startConversion(index: RegistryIndex, opts: StreamOptions, first: RecordView, canReject: boolean, bom: boolean): { converter: Converter; raw: string[]; header: string[]; eol: string; width: number; headerOut: string } {
  const eol = first.eol || '\n';
  const raw = rawFields(first);
  const header = opts.header ? raw.map((f) => fieldValue(f, opts.quote)) : raw.map((_, i) => String(i + 1));
  const converter = new Converter(index, opts, header, { delimiter: opts.delimiter, quote: opts.quote }, canReject);
  const headerOut = (bom && opts.format !== 'jsonl' ? '\uFEFF' : '') + (converter.headerLine(eol, raw) ?? '');
  return { converter, raw, header, eol, width: header.length, headerOut };
}

/** A blank line (one empty field, where the header has more): skipped, as CSV readers do. */
export function isBlankLine(v: RecordView, width: number): boolean {
  return v.count === 1 && v.start === v.end && width !== 1;
}

export interface StreamResult {
  report: ConvertReport;
  /** Line end used for output (the input's first one, or \n). */
  eol: string;
}

export async function convertStream(index: RegistryIndex, opts: StreamOptions, input: AsyncIterable<Uint8Array | string>, sinks: Sinks, onProgress?: (bytes: number, rows: number) => void, onHeader?: (raw: string[]) => void): Promise<StreamResult> {
  // latin1 is decoded as windows-1252 by the WHATWG decoder, as browsers do; the two differ only
  // in bytes 0x80-0x9F (C1 controls in ISO-8859-1), which no export contains on purpose.
  const decoder = new TextDecoder(opts.encoding === 'utf-8' ? 'utf-8' : 'windows-1252', { fatal: opts.encoding === 'utf-8' });
  const tok = new CsvTokenizer({ delimiter: opts.delimiter, quote: opts.quote, ...(opts.maxField !== undefined ? { maxField: opts.maxField } : {}) });
  let converter: Converter | undefined;
  let width = 0;
  let eol = '\n';
  let bytes = 0;
  let first = true;
  let pending = '';
  /** The input began with a byte order mark: the output begins with one too (issue 20; not JSON lines). */
  let bom = false;
  const position = opts.encoding === 'utf-8' ? new Utf8Position() : undefined;
  const onRecord = (v: RecordView) => {
    if (!converter) {
      const start = startConversion(index, opts, v, Boolean(sinks.reject), bom);
      ({ converter, eol, width } = start);
      pending = start.headerOut;
      onHeader?.(start.raw);
      if (opts.header) return;
    }
    if (isBlankLine(v, width)) return;
    converter.row(v, eol, width);
  };
  // Write what the chunk produced before reading the next one: this is the backpressure.
  const drain = async () => {
    if (pending) {
      const p = sinks.write(pending);
      pending = '';
      if (p) await p;
    }
    if (!converter) return;
    const { out, rejected } = converter.take();
    if (out) {
      const p = sinks.write(out);
      if (p) await p;
    }
    if (rejected.length) {
      const p = sinks.reject!(rejected, eol);
      if (p) await p;
    }
  };
  try {
    for await (const chunk of input) {
      let text: string;
      if (typeof chunk === 'string') text = chunk;
      else {
        if (first && opts.encoding === 'utf-8' && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bom = true;
        bytes += chunk.byteLength;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw invalidUtf8(position, chunk, tok.currentLine);
        }
        position?.advance(chunk);
      }
      if (first && text.length) {
        // A BOM in text input. Bytes were decoded by a TextDecoder, which has removed a UTF-8 BOM
        // already: a second U+FEFF is data, kept (issue 15: a doubled BOM is stripped once).
        if (typeof chunk === 'string' && text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
          bom = true;
        }
        first = false;
      }
      tok.push(text, onRecord);
      await drain();
      onProgress?.(bytes, converter?.report.rowsRead ?? 0);
    }
    const tail = decodeEnd(decoder);
    if (tail) tok.push(tail, onRecord);
    tok.end(onRecord);
    await drain();
  } catch (e) {
    throw readError(e);
  }
  if (!converter) throw new XwalkError('the input is empty: no header row', { hint: 'a CSV export starts with a header naming its columns' });
  return { report: converter.finish(), eol };
}
