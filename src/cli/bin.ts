/**
 * The executable shim: the only code that touches `process` directly. Runs `main` and sets
 * process.exitCode (never process.exit, which can cut off piped output). A closed stdout
 * (EPIPE, as in `xwalk ... | head`) is a normal end.
 */

import { main } from './main.js';
import { CLEAR_LINE } from './io.js';
import { removePendingTemporaryFiles } from '../output/atomic.js';

for (const [stream, name] of [
  [process.stdout, 'standard output'],
  [process.stderr, 'standard error'],
] as const) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a closed descriptor: say so and stop (2: could not run), no stack trace.
    removePendingTemporaryFiles();
    if (name === 'standard output') process.stderr.write(`xwalk: cannot write to ${name}: ${e.code === 'ENOSPC' ? 'no space left on the device' : (e.code ?? e.message)}\n`);
    process.exit(2);
  });
}

// Interrupted: remove temporary output files, then end as the signal would (130 / 143).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    removePendingTemporaryFiles();
    // A progress bar on the terminal is cleared, so the prompt comes back on a clean line (issue 20).
    if (process.stderr.isTTY) process.stderr.write(CLEAR_LINE);
    process.exit(code);
  });
}

main(process.argv.slice(2), {
  // process.stdin is created on first use (it costs a few milliseconds): only commands that read it pay.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  // node:tty (and node:net with it) only for the commands that ask: loading them costs a few ms.
  get stdinIsTTY() {
    return process.getBuiltinModule('node:tty').isatty(0);
  },
  setRawMode: (on: boolean) => {
    if (process.stdin.isTTY) process.stdin.setRawMode(on);
  },
  ...(process.stdout.isTTY ? { columns: process.stdout.columns, rows: process.stdout.rows } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`xwalk: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
