/** Runs the CLI's `main` in memory: captured stdout/stderr, optional stdin, colour off. */

import { main } from '../../src/cli/main.js';

export interface RunOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  stderrIsTTY?: boolean;
  /** A terminal session: stdin and stdout are TTYs, and stdin delivers these chunks (keys) one by one. */
  tty?: { keys: string[]; columns?: number; rows?: number; rawMode?: boolean[] };
}

export async function runMain(args: string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string; exit: number }> {
  let stdout = '';
  let stderr = '';
  const { stdin, tty } = opts;
  const exit = await main(args, {
    ...(tty
      ? {
          stdin: (async function* () {
            for (const k of tty.keys) yield Buffer.from(k);
          })(),
          stdinIsTTY: true,
          setRawMode: (on: boolean) => tty.rawMode?.push(on),
          columns: tty.columns ?? 80,
          rows: tty.rows ?? 40,
        }
      : {}),
    ...(stdin !== undefined
      ? {
          stdin: (async function* () {
            yield typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
          })(),
        }
      : {}),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: '1', ...opts.env },
    cwd: process.cwd(),
    stdoutIsTTY: tty !== undefined,
    stderrIsTTY: opts.stderrIsTTY ?? false,
  });
  return { stdout, stderr, exit };
}
