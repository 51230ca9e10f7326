/**
 * What the CLI touches of the outside world, passed in so that tests run `main` in memory:
 * output streams, the environment, the working directory, whether streams are terminals.
 */

import type { ChalkInstance } from 'chalk';

export interface Out {
  write(chunk: string | Uint8Array): unknown;
  /** Present on real streams: used to wait for 'drain' (backpressure). */
  once?(event: 'drain', listener: () => void): unknown;
  /** The chunk is written before write returns (fs.writeSync), not queued. */
  readonly writesAtOnce?: boolean;
}

/** Moves to the start of the line and clears it (a progress bar's line). */
export const CLEAR_LINE = '\r\u001b[K';

/** Write to an Out, waiting for 'drain' when a real stream asks us to. */
export function writeOut(out: Out, chunk: string | Uint8Array): Promise<void> | void {
  const ok = out.write(chunk);
  if (ok === false && out.once) return new Promise((resolve) => out.once!('drain', resolve));
}

export interface Io {
  /** Standard input, read by `convert -`; absent in tests that do not need it. */
  stdin?: AsyncIterable<Uint8Array | string>;
  stdout: Out;
  stderr: Out;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Standard input is a terminal (the interactive `lookup` prompt needs one). */
  stdinIsTTY?: boolean;
  /** Switch the terminal on standard input to raw mode (key by key, no echo) and back. */
  setRawMode?: (on: boolean) => void;
  /** The terminal's width and height, when standard output is one. */
  columns?: number;
  rows?: number;
  /** Today's date (YYYY-MM-DD), for messages only: translation never reads the clock. */
  today?: string;
}

/** chalk, once loaded (loadColours): a run that writes no colour never loads it (issue 18: start-up). */
let chalk: typeof import('chalk') | undefined;

/** Loads chalk when this run may write colour: a terminal, or FORCE_COLOR. `main` calls it before any command runs. */
export async function loadColours(io: Io, terminal = io.stdoutIsTTY || io.stderrIsTTY): Promise<void> {
  if (!chalk && (terminal || forced(io) !== undefined)) chalk = await import('chalk');
}

function forced(io: Io): 1 | 2 | 3 | undefined {
  const force = io.env.FORCE_COLOR;
  if (force === undefined || force === '0' || force === 'false') return undefined;
  return force === '2' ? 2 : force === '3' ? 3 : 1;
}

/** No colour: every style gives the text as it is (what chalk at level 0 gives). */
const PLAIN: ChalkInstance = (() => {
  const plain = (...text: unknown[]) => text.join(' ');
  return new Proxy(plain, { get: (_, key) => (key === 'level' ? 0 : plain) }) as unknown as ChalkInstance;
})();

/** Colour for a stream: off for `--no-color`, `NO_COLOR`, or a pipe; on for `FORCE_COLOR`. */
export function colorsFor(io: Io, isTTY: boolean, flag: boolean | undefined): ChalkInstance {
  const force = forced(io);
  let level: 0 | 1 | 2 | 3 = 0;
  if (flag === false) level = 0;
  else if (force !== undefined) level = force;
  else if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') level = 0;
  else if (isTTY && io.env.TERM !== 'dumb') level = 1;
  // chalk is loaded whenever a level above 0 is possible (loadColours); plain text otherwise.
  return level && chalk ? new chalk.Chalk({ level }) : PLAIN;
}

/** The width tables may take: the terminal's whole width, or no limit when output is not a terminal (never cut for a pipe; issue 20). */
export function layoutWidth(io: Io): number {
  return io.stdoutIsTTY ? Math.max(40, io.columns || 80) : Number.POSITIVE_INFINITY;
}

/** The width to lay out for: the terminal's (40 to 120 columns), or 80 when it is not one. */
export function terminalWidth(io: Io): number {
  return Math.max(40, Math.min(io.columns || 80, 120));
}
