/**
 * `xwalk convert [INPUT|-] --from A --to B --column COL[:DOMAIN] [-o OUTPUT|-]`: flags → options,
 * files and streams opened here, the conversion itself in convert/stream.ts.
 */

import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { XwalkError } from '../../errors/errors.js';
import { RegistryIndex } from '../../indexes/index.js';
import { convertStream, type StreamOptions } from '../../convert/stream.js';
import { convertParallel, PIECE_BYTES, readsInPieces, type ParallelOptions, type ThreadStats } from '../../convert/parallel.js';
import type { Sinks } from '../../convert/convert.js';
import { AtomicFile, checkTarget, commitAll } from '../../output/atomic.js';
import { quoteField } from '../../records/csv-writer.js';
import { CLEAR_LINE, colorsFor, writeOut, type Io } from '../io.js';
import { renderReport, reportJson } from '../render/report.js';
import { registryFor, type GlobalOptions } from './context.js';
import { convertOptions, type ConvertFlags } from './convert-options.js';
import { runIncidentConvert, type IncidentFlags } from './incident.js';
import { checkInput } from './input.js';
import { thousands } from '../../model/order.js';

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
      io.stderr.write(`\r\u001b[K  ${thousands(rows)} rows${pct} · ${mbs.toFixed(1)} MB/s${eta !== undefined ? ` · ${eta}s left` : ''}`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write(CLEAR_LINE);
    },
  };
}

/**
 * Inputs from this size on are converted on two threads (issue 18). Below it the worker costs
 * more than it saves: a worker thread's own start (a bare one adds 50-60 ms to a run here), its
 * bundle, its registry and its code warming up, while one thread reading in pieces has grown fast.
 * Measured on 2026-12-07 (2 cores, interleaved runs of XWALK_THREADS=1 and 2, paired ratios of
 * two threads' time over one's): the bench file's rows cut to 9 MB 1.34, 19 MB 1.26, 94 MB 0.98,
 * 142 MB 0.78, 189 MB 0.80; the Chicago-shaped export with its YAML vocabulary 59 MB 1.26, 238 MB
 * 0.78. It was 8 MiB, when one thread was slower.
 */
export const PARALLEL_MIN_BYTES = 96 << 20;

/**
 * How this run reads a regular UTF-8 file with an ASCII delimiter and quote: in pieces of whole records (convert/parallel.ts; the
 * rows written as the input's own bytes), and on two threads (`startWorker`) when the file has
 * at least PARALLEL_MIN_BYTES, there are two cores or more, the load average is no higher than
 * the cores, and the worker's bundle is beside this one (not in the single executable, which can
 * load only what it holds). Undefined: the stream path (convert/stream.ts: standard input, other
 * encodings). Environment, for tests and measurements: XWALK_THREADS=1 keeps one thread, 2 uses two
 * whatever the load; XWALK_STREAM=1 reads a file as a stream too (the path the others are checked
 * against); XWALK_PARALLEL_MIN_BYTES, XWALK_PARALLEL_READ_BYTES, XWALK_PARALLEL_PIECE_BYTES,
 * XWALK_PARALLEL_FALLBACK_BYTES and XWALK_PARALLEL_DEPTH set the threshold, the read size, the
 * size of a piece, the longest record looked through before the rest goes through one tokenizer,
 * and how many pieces the worker may hold; XWALK_WORKER_YOUNG_MB the worker's young generation
 * (default 8 MB: 16 cost about 8 MB more peak memory for no speed); XWALK_DEBUG_THREADS=1 prints
 * how the pieces were shared.
 */
function piecesFor(opts: StreamOptions, size: number | undefined, io: Io, g: GlobalOptions): (ParallelOptions & { stats: ThreadStats }) | undefined {
  const env = io.env;
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  if (env.XWALK_STREAM === '1' || size === undefined || !readsInPieces(opts)) return undefined;
  const pieces = {
    readBytes: Math.max(1, num(env.XWALK_PARALLEL_READ_BYTES, PIECE_BYTES)),
    pieceBytes: Math.max(1, num(env.XWALK_PARALLEL_PIECE_BYTES, PIECE_BYTES)),
    fallbackBytes: num(env.XWALK_PARALLEL_FALLBACK_BYTES, 16 << 20),
    depth: Math.max(1, num(env.XWALK_PARALLEL_DEPTH, 8)),
    stats: { pieces: 0, byWorker: 0, fellBack: false },
  };
  const script = workerScript();
  if (!script || !twoThreads(env, size, num(env.XWALK_PARALLEL_MIN_BYTES, PARALLEL_MIN_BYTES))) return pieces;
  return { ...pieces, startWorker: () => new Worker(script, { workerData: { opts, globals: g, env: { ...env }, cwd: io.cwd }, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: num(env.XWALK_WORKER_YOUNG_MB, 8) } }) };
}

/** Whether a file of `size` bytes is worth a second thread on this machine now. */
function twoThreads(env: Io['env'], size: number, minBytes: number): boolean {
  if (env.XWALK_THREADS === '1' || size < minBytes) return false;
  if (env.XWALK_THREADS === '2') return true;
  // A second core that is free: on a busy machine the worker only adds its own cost (npm run
  // bench at a load of 5 on 2 cores: two threads 0.75x one thread; idle: 1.2x). The 1-minute
  // load average lags: after other work (a benchmark's previous command, a build) it stays over 1
  // for a minute while the cores are idle. Only a load over the cores (the machine
  // oversubscribed) keeps one thread. (/proc/loadavg's runnable count, tried instead, counts this
  // process's own V8 threads at start and said busy on an idle machine.)
  const cores = availableParallelism();
  return cores >= 2 && loadavg()[0]! <= cores;
}

/** convert's worker bundle, dist/worker/convert-worker.cjs, when this code runs from dist/chunks/ and it is there (never in the single executable). */
function workerScript(): string | undefined {
  if (insideSingleExecutable()) return undefined;
  const script = typeof __dirname === 'string' ? join(__dirname, '..', 'worker', 'convert-worker.cjs') : undefined;
  return script && existsSync(script) ? script : undefined;
}

/** Inside the single executable (scripts/build-binary.ts), which holds one bundle: the worker's is not there. */
function insideSingleExecutable(): boolean {
  try {
    return typeof require === 'function' && (require('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}

/** For tests and measurements (XWALK_DEBUG_THREADS): how the pieces were shared between the threads. */
function debugThreads(io: Io, t: ThreadStats | undefined): void {
  if (io.env.XWALK_DEBUG_THREADS) io.stderr.write(`xwalk: debug: ${threadsLine(t)}\n`);
}

function threadsLine(t: ThreadStats | undefined): string {
  if (!t) return 'one thread, as a stream';
  if (!t.twoThreads) return `${t.pieces} pieces, one thread${t.fellBack ? ', then one tokenizer' : ''}`;
  const busy = t.busy ? `; busy: this thread ${Math.round(t.busy.main * 100)}%, the worker ${Math.round(t.busy.worker * 100)}%` : '';
  return `${t.pieces} pieces, ${t.byWorker} by the worker${t.fellBack ? ', then one thread' : ''}${busy}`;
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
    writesAtOnce: out ? out.writesAtOnce : io.stdout.writesAtOnce === true,
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
  const par = inputPath ? piecesFor(opts, size, io, g) : undefined;
  const bar = io.stderrIsTTY && !g.quiet && flags.progress !== false ? progressBar(io, size) : undefined;
  // A file in pieces is read synchronously (parallel.ts), into buffers that become the pieces.
  const fd = par && inputPath ? openSync(inputPath, 'r') : undefined;
  try {
    const onHeader = (h: string[]) => (headerRaw = h);
    const { report } =
      fd !== undefined ? await convertParallel(index, opts, (into, at, n) => readSync(fd, into, at, n, null), sinks, par!, bar?.tick, onHeader) : await convertStream(index, opts, inputPath ? createReadStream(inputPath, { highWaterMark: 65536 }) : io.stdin!, sinks, bar?.tick, onHeader);
    debugThreads(io, par?.stats);
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
    debugThreads(io, par?.stats);
    out?.abort();
    rej?.abort();
    rep?.abort();
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
