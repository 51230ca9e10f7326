import type { StreamOptions } from '../../src/convert/stream.js';

/**
 * The options of a plain CSV conversion (append mode, unmapped and ambiguous values kept, `NULL`
 * missing, comma and double quote, UTF-8, a header), with what a test names on top.
 */
export function streamOptions(over: Pick<StreamOptions, 'from' | 'to' | 'columns'> & Partial<StreamOptions>): StreamOptions {
  return {
    mode: 'append',
    unmapped: { kind: 'keep' },
    ambiguous: 'all',
    explain: false,
    context: [],
    missing: ['NULL'],
    excelSafe: false,
    skipBadRows: false,
    header: true,
    format: 'csv',
    delimiter: ',',
    quote: '"',
    encoding: 'utf-8',
    ...over,
  };
}
