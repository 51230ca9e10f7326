/**
 * `xwalk sql EXPORT --from A --to B --column C --dialect D --input-table T --order-by O`: the
 * conversion as one SQL script (src/sql/compile.ts) for an engine to run over the export loaded
 * as a table. Reads only the export's header (its column names).
 */

import { createReadStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { CsvTokenizer, fieldValue, rawFields, type RecordView } from '../../records/csv-reader.js';
import { quoteField } from '../../records/csv-writer.js';
import { compileSql, TABLE_COLUMNS } from '../../sql/compile.js';
import { DIALECTS, type DialectName } from '../../sql/dialect.js';
import { AtomicFile, checkTarget, commitAll } from '../../output/atomic.js';
import { writeOut, type Io } from '../io.js';
import { registryFor, type GlobalOptions } from './context.js';
import { convertOptions, type ConvertFlags } from './convert-options.js';
import { checkInput } from './input.js';
import { thousands } from '../../model/order.js';

export interface SqlFlags extends Pick<ConvertFlags, 'from' | 'to' | 'column' | 'mode' | 'unmapped' | 'ambiguous' | 'explain' | 'context' | 'fact' | 'valueSeparator' | 'rollUp' | 'missing' | 'asOf' | 'asOfColumn' | 'dateFormat' | 'maxHops' | 'delimiter' | 'quote' | 'encoding'> {
  dialect: string;
  inputTable?: string;
  orderBy?: string;
  data: boolean;
  tables?: string;
  output?: string;
}

/** A table name as written: a plain identifier, or schema.table. */
function checkTableName(v: string, flag: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(v)) throw new XwalkError(`${flag} "${v}" is not a plain SQL table name`, { hint: 'letters, digits and underscores, optionally schema.table; load the export under such a name' });
  return v;
}

/** The export's header: its first record. */
async function readHeader(path: string, delimiter: string, quote: string): Promise<string[]> {
  const tok = new CsvTokenizer({ delimiter, quote });
  let header: string[] | undefined;
  const on = (v: RecordView) => {
    if (!header) header = rawFields(v).map((f) => fieldValue(f, quote));
  };
  const stream = createReadStream(path, { encoding: 'utf-8', highWaterMark: 65536 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      tok.push(header ? '' : chunk.replace(/^\uFEFF/, ''), on);
      if (header) break;
    }
    if (!header) tok.end(on);
  } finally {
    stream.destroy();
  }
  if (!header) throw new XwalkError(`the input "${path}" is empty: no header row`, { hint: "xwalk sql reads the column names from the export's header" });
  return header;
}

export async function runSql(input: string | undefined, flags: SqlFlags, g: GlobalOptions, io: Io): Promise<number> {
  const dialect = DIALECTS.find((d) => d === flags.dialect);
  if (!dialect) throw new XwalkError(`--dialect "${flags.dialect}" is not one of ${DIALECTS.join(', ')}`);
  if (flags.orderBy === undefined) throw new XwalkError('--order-by COLUMN is required: a table has no order of its own', { hint: "name the column that keeps the export's row order (a line number or an id), e.g. --order-by line" });
  const inputTable = checkTableName(flags.inputTable ?? 'export', '--input-table');
  if (input === undefined || input === '-') throw new XwalkError('xwalk sql needs the export file (it reads the column names from its header)', { hint: 'e.g. xwalk sql rms.csv --from riverton-pd --to nibrs --column OffenseCode --order-by line' });
  checkInput(input, io);
  const opts = convertOptions({ ...flags, format: 'csv', header: true, encoding: 'utf-8', output: undefined } as ConvertFlags);
  const header = await readHeader(input, opts.delimiter, opts.quote);
  const outputPath = flags.output === undefined || flags.output === '-' ? undefined : flags.output;
  if (outputPath) checkTarget(outputPath, '--output', [input]);
  const registry = await registryFor(io, g);
  const index = new RegistryIndex(registry);
  const compiled = compileSql(index, opts, header, { dialect: dialect as DialectName, inputTable, orderBy: flags.orderBy, data: flags.data });
  const files: AtomicFile[] = [];
  try {
    if (flags.tables !== undefined) {
      mkdirSync(flags.tables, { recursive: true });
      for (const [name, t] of Object.entries(compiled.tables)) {
        const f = new AtomicFile(join(flags.tables, `xwalk_${name}.csv`), '--tables');
        files.push(f);
        const spec = TABLE_COLUMNS[name]!;
        let text = spec.map(([c]) => c).join(',') + '\n';
        for (const r of t.rows) text += r.map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : v === '' ? '""' : quoteField(v, ',', '"'))).join(',') + '\n';
        await f.write(text);
      }
    }
    const out = outputPath ? new AtomicFile(outputPath, '--output') : undefined;
    if (out) {
      files.push(out);
      await out.write(compiled.script);
    } else await writeOut(io.stdout, compiled.script);
    await commitAll(files);
  } catch (e) {
    for (const f of files) f.abort();
    throw e;
  }
  const s = compiled.stats;
  if (!g.quiet)
    io.stderr.write(
      `xwalk sql: ${dialect} script${outputPath ? ` written to ${outputPath}` : ''}: ${thousands(s.decisions)} decision rows, ${thousands(s.keys)} keys, ${thousands(s.tokens)} fact forms (${thousands(s.translations)} translations)${flags.tables !== undefined ? `; tables written to ${flags.tables} as CSV` : ''}\n`,
    );
  return 0;
}
