/**
 * CSV text in → records (objects keyed by the header) out, streaming, for the incident and summary
 * stages. Decoding and tokenizing as `convert` does (same tokenizer, same errors with the line).
 */

import { XwalkError } from '../errors/errors.js';
import { CsvSyntaxError, CsvTokenizer, fieldValue, rawFields, type RecordView } from '../records/csv-reader.js';
import type { Encoding } from '../convert/stream.js';

export interface CsvRow {
  values: Record<string, string>;
  line: number;
}

export interface CsvReadOptions {
  delimiter: string;
  quote: string;
  encoding: Encoding;
  /** Called once with the header's names, before the first row. */
  onHeader?: (header: string[], eol: string) => void;
}

/** Records of a CSV source, one object per row (no prototype: any column name is a field). */
export async function* readCsvRecords(input: AsyncIterable<Uint8Array | string>, opts: CsvReadOptions, what = 'the input'): AsyncGenerator<CsvRow> {
  const decoder = new TextDecoder(opts.encoding === 'utf-8' ? 'utf-8' : 'windows-1252', { fatal: opts.encoding === 'utf-8' });
  const tok = new CsvTokenizer({ delimiter: opts.delimiter, quote: opts.quote });
  let header: string[] | undefined;
  let queue: CsvRow[] = [];
  let first = true;
  const onRecord = (v: RecordView) => {
    const fields = rawFields(v).map((f) => fieldValue(f, opts.quote));
    if (!header) {
      header = fields;
      if (header.length && header[0]!.charCodeAt(0) === 0xfeff && first) header[0] = header[0]!.slice(1);
      opts.onHeader?.(header, v.eol || '\n');
      return;
    }
    if (v.count === 1 && v.start === v.end && header.length !== 1) return; // a blank line
    if (v.count !== header.length) throw new CsvSyntaxError(`the record has ${v.count} field${v.count === 1 ? '' : 's'}, the header has ${header.length}`, v.line, '', 'width');
    const values = Object.create(null) as Record<string, string>;
    header.forEach((h, i) => (values[h] = fields[i]!));
    queue.push({ values, line: v.line });
  };
  try {
    for await (const chunk of input) {
      let text: string;
      try {
        text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      } catch {
        throw new XwalkError(`${what} is not valid UTF-8 (near line ${tok.currentLine})`, { hint: 'if it comes from an older system, try --encoding windows-1252 (or latin1)' });
      }
      first = false;
      tok.push(text, onRecord);
      const rows = queue;
      queue = [];
      yield* rows;
    }
    tok.push(decoder.decode(), onRecord);
    tok.end(onRecord);
    yield* queue;
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new XwalkError(`${what}, line ${e.line}: ${e.message}`, { hint: 'check the quoting and the number of fields of that record' });
    throw e;
  }
  if (!header) throw new XwalkError(`${what} is empty: no header row`, { hint: 'a CSV export starts with a header naming its columns' });
}
