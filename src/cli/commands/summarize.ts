/**
 * `xwalk summarize [INPUT|-] --column NAME`: the marked output of `convert --incident` (or a plain
 * `convert` output, counted per offense) → counts by target code and period, as a Return A-shaped
 * table, CSV, or a printable HTML report. The counting is summarize/summarize.ts.
 */

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { XwalkError } from '../../errors/errors.js';
import { closest } from '../../errors/closest.js';
import { AtomicFile, checkTarget } from '../../output/atomic.js';
import { readCsvRecords } from '../../summarize/csv.js';
import { hierarchyRules } from '../../summarize/rules.js';
import { periodOf, summarize, SummaryBuilder, type PeriodBy } from '../../summarize/summarize.js';
import { renderSummaryCsv, renderSummaryHtml, renderSummaryTable } from '../../summarize/render.js';
import type { MarkStatus, Score } from '../../summarize/incident.js';
import { parseEncoding, type SUMMARY_FORMATS } from '../flags.js';
import { terminalWidth, writeOut, type Io } from '../io.js';
import { registryFor, type GlobalOptions } from './context.js';
import { checkInput } from './input.js';

export interface SummarizeFlags {
  column: string;
  to: string;
  by?: string;
  dateColumn?: string;
  format: (typeof SUMMARY_FORMATS)[number];
  output?: string;
  delimiter: string;
  quote: string;
  encoding: string;
  title?: string;
  strict?: boolean;
}

/** LINE=N;LINE=N → scores; throws with the line when a part is not that. */
function parseScored(v: string, line: number, column: string): Score[] {
  if (v.trim() === '') return [];
  return v.split(';').map((part) => {
    const m = /^\s*([^=]+?)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m) throw new XwalkError(`line ${line}: column ${column} holds "${v}", which is not LINE=COUNT;LINE=COUNT`, { hint: 'summarize reads the output of xwalk convert --incident unchanged' });
    return { code: m[1]!, count: Number(m[2]) };
  });
}

export async function runSummarize(input: string | undefined, flags: SummarizeFlags, g: GlobalOptions, io: Io): Promise<number> {
  const format = flags.format; // checked against its choices by commander
  const by: PeriodBy = flags.by === undefined ? (flags.dateColumn ? { kind: 'month' } : { kind: 'none' }) : flags.by === 'month' || flags.by === 'year' ? { kind: flags.by } : flags.by === 'none' ? { kind: 'none' } : { kind: 'column', column: flags.by };
  if ((by.kind === 'month' || by.kind === 'year') && !flags.dateColumn) throw new XwalkError(`--by ${by.kind} needs --date-column COLUMN`, { hint: 'name the column with the incident date, e.g. --date-column IncidentDate' });
  const delimiter = flags.delimiter === 'tab' || flags.delimiter === '\\t' ? '\t' : flags.delimiter;
  if (delimiter.length !== 1 || flags.quote.length !== 1) throw new XwalkError('--delimiter and --quote must be one character each');
  const inputPath = input === undefined || input === '-' ? undefined : input;
  checkInput(inputPath, io);
  const outputPath = flags.output === undefined || flags.output === '-' ? undefined : flags.output;
  if (outputPath) checkTarget(outputPath, '--output', inputPath ? [inputPath] : []);
  const registry = await registryFor(io, g);
  const rules = hierarchyRules(registry, flags.to);
  const what = inputPath ?? 'standard input';
  const col = flags.column;
  const names = { target: `${col}_${flags.to}`, status: `${col}_status`, counted: `${col}_counted`, scored: `${col}_scored`, reason: `${col}_reason` };
  let marked = true;
  const rows = new SummaryBuilder();
  const source: AsyncIterable<Uint8Array | string> = inputPath ? createReadStream(inputPath, { highWaterMark: 65536 }) : io.stdin!;
  const records = readCsvRecords(
    source,
    {
      delimiter,
      quote: flags.quote,
      encoding: parseEncoding(flags.encoding),
      onHeader: (h) => {
        const need = (name: string, flag: string, hint: string) => {
          if (h.includes(name)) return;
          const near = closest(name, h);
          throw new XwalkError(`${what}, line 1: ${flag} needs a column "${name}", which the header does not have`, { hint: `${near ? `did you mean "${near}"? ` : ''}${hint}` });
        };
        need(names.target, '--column', `summarize reads the output of xwalk convert --column ${col} --to ${flags.to} (with --incident for Summary counts); the columns are: ${h.join(', ')}`);
        if (flags.dateColumn) need(flags.dateColumn, '--date-column', `the columns are: ${h.join(', ')}`);
        if (by.kind === 'column') need(by.column, '--by', 'use --by month, --by year, or a column of the input');
        marked = h.includes(names.counted) && h.includes(names.scored) && h.includes(names.reason);
      },
    },
    what,
  );
  for await (const { values, line } of records) {
    const period = periodOf(by, by.kind === 'column' ? values[by.column]! : flags.dateColumn ? values[flags.dateColumn]! : '');
    if (marked) {
      const reason = values[names.reason]!;
      const counted = values[names.counted]!.trim().toLowerCase();
      if (counted !== 'yes' && counted !== 'no') throw new XwalkError(`${what}, line ${line}: ${names.counted} is "${values[names.counted]}", not yes or no`, { hint: 'summarize reads the output of xwalk convert --incident unchanged' });
      const status: MarkStatus = counted === 'yes' ? 'counted' : reason.startsWith('unclassified: ') ? 'unclassified' : 'not-counted';
      rows.add({ period, status, scores: status === 'counted' ? parseScored(values[names.scored]!, line, names.scored) : [], reason: reason.replace(/^unclassified: /, '') });
    } else {
      const target = values[names.target]!.trim();
      const ok = target !== '' && (values[names.status] === undefined || values[names.status] === 'mapped');
      rows.add({ period, status: ok ? 'counted' : 'unclassified', scores: ok ? [{ code: target, count: 1 }] : [], reason: ok ? '' : `${values[names.status] ?? 'no code'}` });
    }
  }
  const s = summarize(rows, rules, !marked);
  const title = flags.title ?? `${rules.vocabulary === 'srs' ? 'Return A: offenses known' : `Counts in ${rules.vocabulary}`}${by.kind === 'none' ? '' : ` by ${by.kind === 'column' ? by.column : by.kind}`} (${inputPath ? basename(inputPath) : 'standard input'})`;
  const text =
    format === 'csv'
      ? renderSummaryCsv(s)
      : format === 'html'
        ? renderSummaryHtml(s, { title, subtitle: `${s.rowsIn} offense rows; ${s.counted} counted, ${s.notCounted} not counted, ${s.unclassified} unclassified. Rules: ${rules.vocabulary} vocabulary (precedence and hierarchy props).` })
        : renderSummaryTable(s, title, terminalWidth(io));
  if (outputPath) {
    const f = new AtomicFile(outputPath, '--output');
    try {
      await f.write(text);
      await f.commit();
    } catch (e) {
      f.abort();
      throw e;
    }
  } else {
    const p = writeOut(io.stdout, text);
    if (p) await p;
  }
  return flags.strict && s.unclassified > 0 ? 1 : 0;
}
