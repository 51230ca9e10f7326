/**
 * The executable shim: the only code that touches `process` directly. Runs `main` and sets
 * process.exitCode (never process.exit, which can cut off piped output). A closed stdout
 * (EPIPE, as in `xwalk ... | head`) is a normal end.
 */

import { main } from './main.js';
import { fstatSync, readlinkSync, statSync, writeSync } from 'node:fs';
import { CLEAR_LINE, type Out } from './io.js';
import { removePendingTemporaryFiles } from '../output/pending.js';

/** A stream's trouble: a closed reader (EPIPE, as in `xwalk ... | head`) is a normal end; anything else stops the run (2). */
function streamFailed(e: NodeJS.ErrnoException, name: string): never {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  // A full disk or a closed descriptor: say so and stop (2: could not run), no stack trace.
  removePendingTemporaryFiles();
  if (name === 'standard output') stderr.write(`xwalk: cannot write to ${name}: ${e.code === 'ENOSPC' ? 'no space left on the device' : (e.code ?? e.message)}\n`);
  process.exit(2);
}

/**
 * Standard output or error (fd 1 or 2). A file, a pipe or /dev/null is written with
 * fs.writeSync, which is what Node's own stream does for a file: creating process.stdout loads
 * Node's stream code, a few milliseconds of every start (issue 18). A terminal (or anything
 * this cannot tell, and every stream on Windows) goes through process.stdout / process.stderr.
 */
function stdio(fd: 1 | 2): { out: Out; isTTY: boolean; stream?: NodeJS.WriteStream } {
  const name = fd === 1 ? 'standard output' : 'standard error';
  if (process.platform !== 'win32' && !maybeTerminal(fd)) {
    const write = (chunk: string | Uint8Array): boolean => {
      try {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        for (let at = 0; at < b.length;) {
          try {
            at += writeSync(fd, b, at, b.length - at);
          } catch (e) {
            // A descriptor left non-blocking by another process: wait a moment and go on.
            if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
            Atomics.wait(PAUSE, 0, 0, 1);
          }
        }
      } catch (e) {
        streamFailed(e as NodeJS.ErrnoException, name);
      }
      return true;
    };
    return { out: { write, writesAtOnce: true }, isTTY: false };
  }
  const stream = fd === 1 ? process.stdout : process.stderr;
  stream.on('error', (e: NodeJS.ErrnoException) => streamFailed(e, name));
  return { out: stream, isTTY: Boolean(stream.isTTY), stream };
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

let devNull: number | undefined;

/**
 * Whether fd may be a terminal: a character device other than /dev/null (which a file, a pipe or
 * a socket is not). On Linux, what /proc says the descriptor is settles the usual cases first: a
 * pipe, a socket, /dev/null or a file outside /dev is no terminal. fstat's Stats cost a first
 * call 0.13-0.16 ms of every start, reading the link 0.06 (a process doing only that, 3 runs each).
 */
function maybeTerminal(fd: number): boolean {
  if (process.platform === 'linux') {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === '/dev/null' || !target.startsWith('/dev/')) return false;
    } catch {
      // no /proc here: fstat decides
    }
  }
  try {
    const s = fstatSync(fd);
    if (!s.isCharacterDevice()) return false;
    devNull ??= statSync('/dev/null').rdev;
    return s.rdev !== devNull;
  } catch {
    return true; // closed, or unknown: Node's stream decides (and reports)
  }
}

const out = stdio(1);
const err = stdio(2);
const stderr = err.out;

// Interrupted: remove temporary output files, then end as the signal would (130 / 143).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    removePendingTemporaryFiles();
    // A progress bar on the terminal is cleared, so the prompt comes back on a clean line (issue 20).
    if (err.isTTY) stderr.write(CLEAR_LINE);
    process.exit(code);
  });
}

main(process.argv.slice(2), {
  // process.stdin is created on first use (it costs a few milliseconds): only commands that read it pay.
  get stdin() {
    return process.stdin;
  },
  stdout: out.out,
  stderr,
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: out.isTTY,
  stderrIsTTY: err.isTTY,
  // node:tty (and node:net with it) only for the commands that ask: loading them costs a few ms.
  get stdinIsTTY() {
    return process.getBuiltinModule('node:tty').isatty(0);
  },
  setRawMode: (on: boolean) => {
    if (process.stdin.isTTY) process.stdin.setRawMode(on);
  },
  ...(out.stream?.isTTY ? { columns: out.stream.columns, rows: out.stream.rows } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    stderr.write(`xwalk: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
