/** Runs the CLI's `main` in memory: captured stdout/stderr, optional stdin, colour off. */

import { main } from '../../src/cli/main.js';

export async function runMain(args: string[], opts: { stdin?: string | Buffer; env?: Record<string, string>; stderrIsTTY?: boolean } = {}): Promise<{ stdout: string; stderr: string; exit: number }> {
  let stdout = '';
  let stderr = '';
  const { stdin } = opts;
  const exit = await main(args, {
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
    stdoutIsTTY: false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
  });
  return { stdout, stderr, exit };
}
