/**
 * `xwalk convert [INPUT|-] --from A --to B --column COL[:DOMAIN] [-o OUTPUT|-]`: flags → options,
 * files and streams opened here, the conversion itself in convert/stream.ts.
 */

import { createReadStream } from 'node:fs';
import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { convertStream } from '../../convert/stream.js';
import type { Sinks } from '../../convert/convert.js';
import { AtomicFile, checkTarget, commitAll } from '../../output/atomic.js';
import { quoteField } from '../../records/csv-writer.js';
import { CLEAR_LINE, colorsFor, writeOut, type Io } from '../io.js';
import { renderReport, reportJson } from '../render/report.js';
import { registryFor, type GlobalOptions } from './context.js';
import { convertOptions, type ConvertFlags } from './convert-options.js';
import { runIncidentConvert, type IncidentFlags } from './incident.js';
import { checkInput } from './input.js';

function progressBar(io: Io, total: number | undefined): { tick(bytes: number, rows: number): void; done(): void } {
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    tick(bytes, rows) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const secs = Math.max(0.001, (now - start) / 1000);
      const mbs = bytes / 1e6 / secs;
      const eta = total && bytes ? Math.max(0, Math.round(((total - bytes) / bytes) * secs)) : undefined;
      const pct = total ? ` ${Math.min(100, Math.floor((100 * bytes) / total))}%` : '';
      io.stderr.write(`\r\u001b[K  ${rows.toLocaleString('en-US')} rows${pct} · ${mbs.toFixed(1)} MB/s${eta !== undefined ? ` · ${eta}s left` : ''}`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write(CLEAR_LINE);
    },
  };
}

export async function runConvert(input: string | undefined, flags: ConvertFlags & IncidentFlags, g: GlobalOptions, io: Io, args: string[], version: string): Promise<number> {
  // Issue 19: incident-level conversion (the Hierarchy Rule) is its own pipeline.
  if (flags.incident !== undefined) return runIncidentConvert(input, flags, g, io, args, version);
  for (const f of ['victims', 'premises', 'location', 'vehicles', 'incidentsAdjacent'] as const) if (flags[f] !== undefined) throw new XwalkError(`--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --incident COLUMN`, { hint: 'name the column that groups offense rows into incidents' });
  const opts = convertOptions(flags);
  const inputPath = input === undefined || input === '-' ? undefined : input;
  const outputPath = flags.output === undefined || flags.output === '-' ? undefined : flags.output;
  const inputs = inputPath ? [inputPath] : [];
  const size = checkInput(inputPath, io);
  // Waiting on a terminal says so (issue 20): otherwise it looks like a hang.
  if (!inputPath && io.stdinIsTTY && !g.quiet) io.stderr.write('xwalk: reading from standard input; Ctrl-D ends (or name a file: xwalk convert FILE ...)\n');
  if (outputPath) checkTarget(outputPath, '--output', inputs);
  const outputs = outputPath ? [{ path: outputPath, flag: '--output' }] : [];
  if (flags.reject) checkTarget(flags.reject, '--reject', inputs, outputs);
  if (flags.report) checkTarget(flags.report, '--report', inputs, [...outputs, ...(flags.reject ? [{ path: flags.reject, flag: '--reject' }] : [])]);
  if (outputPath && flags.reject && outputPath === flags.reject) throw new XwalkError('--output and --reject name the same file');

  const registry = await registryFor(io, g);
  const index = new RegistryIndex(registry);
  const out = outputPath ? new AtomicFile(outputPath, '--output') : undefined;
  const rej = flags.reject ? new AtomicFile(flags.reject, '--reject') : undefined;
  let rep: AtomicFile | undefined;
  let rejectHeaderDone = false;
  let headerRaw: string[] | undefined;
  const sinks: Sinks = {
    write: (s) => (out ? out.write(s) : writeOut(io.stdout, s)),
    ...(rej
      ? {
          reject: async (rows, eol) => {
            let text = '';
            if (!rejectHeaderDone) {
              rejectHeaderDone = true;
              if (headerRaw && opts.header) text += [...headerRaw, 'xwalk_reject_line', 'xwalk_reject_reason'].join(opts.delimiter) + eol;
            }
            for (const r of rows) text += r.raw + opts.delimiter + r.line + opts.delimiter + quoteField(r.reason, opts.delimiter, opts.quote) + eol;
            await rej.write(text);
          },
        }
      : {}),
  };
  const source: AsyncIterable<Uint8Array | string> = inputPath ? createReadStream(inputPath, { highWaterMark: 65536 }) : io.stdin!;
  const bar = io.stderrIsTTY && !g.quiet && flags.progress !== false ? progressBar(io, size) : undefined;
  try {
    const { report } = await convertStream(index, opts, source, sinks, bar?.tick, (h) => (headerRaw = h));
    bar?.done();
    if (rej && !rejectHeaderDone && headerRaw && opts.header) await rej.write([...headerRaw, 'xwalk_reject_line', 'xwalk_reject_reason'].join(opts.delimiter) + '\n');
    if (flags.report) {
      rep = new AtomicFile(flags.report, '--report');
      await rep.write(reportJson(report, { version, from: opts.from, to: opts.to, input: inputPath ?? '-', output: outputPath ?? '-', ...(flags.reject ? { reject: flags.reject } : {}), args }, registry));
    }
    // Every output of the run at once, or none (issue 15).
    await commitAll([out, rej, rep]);
    if (!g.quiet || report.rowsRejected) io.stderr.write(renderReport(report, { from: opts.from, to: opts.to }, colorsFor(io, io.stderrIsTTY, g.color)));
    const unmapped = report.columns.some((c) => c.counts.ambiguous + c.counts['no-mapping'] + c.counts.unknown + c.counts.expired + c.counts['bad-date'] > 0);
    return report.rowsRejected > 0 || (flags.strict && unmapped) ? 1 : 0;
  } catch (e) {
    bar?.done();
    out?.abort();
    rej?.abort();
    rep?.abort();
    throw e;
  }
}
