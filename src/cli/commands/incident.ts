/**
 * `xwalk convert --incident COLUMN`: flags → IncidentOptions, the CSV read and written here, the
 * marking itself in summarize/mark.ts. Output: every input row, then <column>_<to>,
 * <column>_status, <column>_counted (yes/no), <column>_scored (LINE=N;...), <column>_reason.
 */

import { createReadStream } from 'node:fs';
import { XwalkError } from '../../errors/errors.js';
import { closest } from '../../errors/closest.js';
import { RegistryIndex } from '../../indexes/index.js';
import { AtomicFile, checkTarget, commitAll } from '../../output/atomic.js';
import { quoteField } from '../../records/csv-writer.js';
import { readCsvRecords } from '../../summarize/csv.js';
import { checkInput } from './input.js';
import { markIncidents, type IncidentOptions, type IncidentReport, type MarkedRecord } from '../../summarize/mark.js';
import { writeOut, type Io } from '../io.js';
import { convertOptions, type ConvertFlags } from './convert-options.js';
import type { StreamOptions } from '../../convert/stream.js';
import { registryFor, type GlobalOptions } from './context.js';
import { thousands } from '../../model/order.js';

export interface IncidentFlags {
  incident?: string;
  victims?: string;
  premises?: string;
  location?: string;
  vehicles?: string;
  incidentsAdjacent?: boolean;
}

/** The report for people (stderr): the reconciliation, the counting units, memory, the reasons. */
export function renderIncidentReport(r: IncidentReport, column: string): string {
  const f = thousands;
  const out = [`xwalk convert --incident: ${f(r.rowsIn)} offense rows in ${f(r.incidents)} incidents = ${f(r.counted)} counted + ${f(r.notCounted)} not counted + ${f(r.unclassified)} unclassified`];
  if (!r.victimsColumn && r.victimsDefaulted) out.push(`  ${f(r.victimsDefaulted)} counted row${r.victimsDefaulted === 1 ? '' : 's'} of classes counted per victim (homicide, rape, assault) counted as one victim each: no --victims COLUMN`);
  else if (r.victimsDefaulted) out.push(`  ${f(r.victimsDefaulted)} counted row${r.victimsDefaulted === 1 ? '' : 's'} with no number in the --victims column counted as one victim each`);
  out.push(`  ${r.streamed ? 'incidents held one at a time (--incidents-adjacent)' : 'the whole file was held in memory (--incidents-adjacent streams when the rows of an incident are adjacent)'}; largest incident: ${f(r.largestIncident)} rows`);
  for (const x of r.reasons.filter((x) => x.status !== 'counted').slice(0, 8)) out.push(`  ${x.status === 'not-counted' ? 'not counted' : 'unclassified'}: ${f(x.count)} × ${x.reason}`);
  out.push(`  each row's mark is in ${column}_counted and ${column}_reason; xwalk summarize counts them`);
  return out.join('\n') + '\n';
}

export async function runIncidentConvert(input: string | undefined, flags: ConvertFlags & IncidentFlags, g: GlobalOptions, io: Io, args: string[], version: string): Promise<number> {
  const opts = convertOptions(flags);
  refuseUnsupported(opts, flags);
  const column = opts.columns[0]!.column;
  const inputPath = input === undefined || input === '-' ? undefined : input;
  const outputPath = flags.output === undefined || flags.output === '-' ? undefined : flags.output;
  checkInput(inputPath, io);
  if (outputPath) checkTarget(outputPath, '--output', inputPath ? [inputPath] : []);
  if (flags.report) checkTarget(flags.report, '--report', [...(inputPath ? [inputPath] : []), ...(outputPath ? [outputPath] : [])]);
  const registry = await registryFor(io, g);
  const index = new RegistryIndex(registry);
  const lines = new WeakMap<object, number>();
  const iopts = incidentOptions(opts, flags, column, (r) => `${inputPath ?? 'standard input'}, line ${lines.get(r) ?? '?'}`);
  const layout: Layout = { header: [], eol: '\n' };
  const source: AsyncIterable<Uint8Array | string> = inputPath ? createReadStream(inputPath, { highWaterMark: 65536 }) : io.stdin!;
  const rows = readCsvRecords(
    source,
    {
      delimiter: opts.delimiter,
      quote: opts.quote,
      encoding: opts.encoding,
      onHeader: (h, e) => {
        layout.header = h;
        layout.eol = e;
        checkHeader(h, opts, iopts, inputPath ?? 'standard input');
      },
    },
    inputPath ?? 'standard input',
  );
  const out = outputPath ? new AtomicFile(outputPath, '--output') : undefined;
  let rep: AtomicFile | undefined;
  const write = (s: string) => (out ? out.write(s) : writeOut(io.stdout, s));
  try {
    const marked = markIncidents(
      index,
      (async function* () {
        for await (const r of rows) {
          lines.set(r.values, r.line);
          yield r.values;
        }
      })(),
      iopts,
    );
    await writeMarked(marked.records, layout, opts, write);
    const report = marked.report();
    if (flags.report) {
      rep = new AtomicFile(flags.report, '--report');
      await rep.write(JSON.stringify({ xwalk: version, command: args, from: opts.from, to: opts.to, input: inputPath ?? '-', output: outputPath ?? '-', incident: report }, null, 2) + '\n');
    }
    await commitAll([out, rep]);
    if (!g.quiet) io.stderr.write(renderIncidentReport(report, column));
    return flags.strict && report.unclassified > 0 ? 1 : 0;
  } catch (e) {
    out?.abort();
    rep?.abort();
    throw e;
  }
}

/** The input's header and line ending, known once the first line is read. */
interface Layout {
  header: string[];
  eol: string;
}

/** Throws for flags that --incident does not take (or not yet): not one --column, JSON lines, --reject ... */
function refuseUnsupported(opts: StreamOptions, flags: ConvertFlags & IncidentFlags): void {
  if (opts.columns.length !== 1) throw new XwalkError(`--incident needs exactly one --column (the offense code), not ${opts.columns.length}`, { hint: 'for example: --column NIBRS --incident IncidentNum' });
  if (opts.format === 'jsonl') throw new XwalkError('--incident writes CSV or TSV, not JSON lines', { hint: 'use --format csv' });
  for (const [flag, on] of [
    ['--reject', flags.reject],
    ['--explain', flags.explain],
    ['--skip-bad-rows', flags.skipBadRows],
    ['--mode replace', flags.mode === 'replace'],
    ['--as-of', flags.asOf],
  ] as const) {
    if (on) throw new XwalkError(`${flag} does not work with --incident yet`, { hint: 'every row is written with its mark; leave the flag out' });
  }
}

/** The convert options and the incident flags → the marking's options. */
function incidentOptions(opts: StreamOptions, flags: IncidentFlags, column: string, where: IncidentOptions['where']): IncidentOptions {
  return {
    from: opts.from,
    to: opts.to,
    column,
    incident: flags.incident!,
    context: Object.fromEntries(opts.context.map((c) => [c.field, c.column])),
    facts: Object.fromEntries([...(opts.facts ?? new Map())].map(([k, v]) => [k, v])),
    missing: opts.missing,
    ...(opts.valueSeparator !== undefined ? { valueSeparator: opts.valueSeparator } : {}),
    ...(opts.asOfColumn !== undefined ? { asOfField: opts.asOfColumn } : {}),
    ...(flags.victims !== undefined ? { victims: flags.victims } : {}),
    ...(flags.premises !== undefined ? { premises: flags.premises } : {}),
    ...(flags.location !== undefined ? { location: flags.location } : {}),
    ...(flags.vehicles !== undefined ? { vehicles: flags.vehicles } : {}),
    adjacent: Boolean(flags.incidentsAdjacent),
    where,
  };
}

/** Throws when a flag names a column that the input's header does not have. */
function checkHeader(h: string[], opts: StreamOptions, iopts: IncidentOptions, inputName: string): void {
  const need: [string, string | undefined][] = [
    ['--column', iopts.column],
    ['--incident', iopts.incident],
    ['--victims', iopts.victims],
    ['--premises', iopts.premises],
    ['--location', iopts.location],
    ['--vehicles', iopts.vehicles],
    ['--as-of-column', iopts.asOfField],
    ...opts.context.map((c) => ['--context', c.column] as [string, string]),
  ];
  for (const [flag, name] of need) {
    if (name !== undefined && !h.includes(name)) {
      const near = closest(name, h);
      throw new XwalkError(`${inputName}, line 1: ${flag} names a column "${name}" that the header does not have`, { hint: near ? `did you mean "${near}"? The columns are: ${h.join(', ')}` : `the columns are: ${h.join(', ')}` });
    }
  }
}

/** Writes the header and every marked row (the input's cells, then the mark's five columns), 1000 rows a write. */
async function writeMarked(records: AsyncIterable<MarkedRecord<Record<string, string>>>, layout: Layout, opts: StreamOptions, write: (s: string) => Promise<void> | void): Promise<void> {
  const column = opts.columns[0]!.column;
  const d = opts.format === 'tsv' ? '\t' : opts.delimiter;
  const q = (v: string) => quoteField(v, d, opts.quote);
  const headerLine = () => [...layout.header, `${column}_${opts.to}`, `${column}_status`, `${column}_counted`, `${column}_scored`, `${column}_reason`].map(q).join(d) + layout.eol;
  let buf = '';
  let started = false;
  let n = 0;
  for await (const m of records) {
    if (!started) {
      started = true;
      buf += headerLine();
    }
    const status = m.mark.status;
    const cells = [...layout.header.map((h) => m.record[h] ?? ''), m.target ?? '', m.outcome, status === 'counted' ? 'yes' : 'no', m.mark.scores.map((s) => `${s.code}=${s.count}`).join(';'), status === 'unclassified' ? `unclassified: ${m.mark.reason}` : m.mark.reason];
    buf += cells.map(q).join(d) + layout.eol;
    if (++n % 1000 === 0) {
      const p = write(buf);
      buf = '';
      if (p) await p;
    }
  }
  if (!started && layout.header.length) buf += headerLine();
  if (buf) {
    const p = write(buf);
    if (p) await p;
  }
}
