/**
 * The command layer: argv → exit code. A plain command line is read straight from the commands'
 * declaration (./parse.ts, ./spec.ts) and run; anything else goes through commander
 * (./program.ts, loaded only then): help, errors, completion. Each command turns flags into
 * options, calls one core function and renders its result; `main` never calls process.exit (the
 * bin shim sets process.exitCode), so piped output is never cut off.
 *
 * Exit codes: 0 done; 1 ran but found problems (a code did not map, validation errors);
 * 2 could not run (bad flags, unreadable or broken files, unknown vocabulary).
 */

import { XwalkError } from '../errors/errors.js';
import { colorsFor, loadColours, type Io } from './io.js';
import { renderDiagnostic } from './render/diagnostics.js';
import { parseQuick } from './parse.js';
import { VERSION } from './spec.js';

export async function main(argv: string[], io: Io): Promise<number> {
  await loadColours(io);
  try {
    const quick = parseQuick(argv);
    if (!quick) return await (await import('./program.js')).runProgram(argv, io);
    if ('version' in quick) {
      io.stdout.write(`${quick.version}\n`);
      return 0;
    }
    return await quick.command.run(quick.operands, quick.flags, quick.globals, io, argv);
  } catch (e) {
    return reportError(e, io);
  }
}

/** A thrown error → its message on stderr → the exit code: the XwalkError's own code, 2 for a bug (with a banner). */
function reportError(e: unknown, io: Io): number {
  if (e instanceof XwalkError) {
    const k = colorsFor(io, io.stderrIsTTY, undefined);
    io.stderr.write(`xwalk: ${e.message}\n`);
    for (const d of e.diagnostics.slice(0, 50)) io.stderr.write(renderDiagnostic(d, k));
    if (e.diagnostics.length > 50) io.stderr.write(`xwalk: ... and ${e.diagnostics.length - 50} more\n`);
    if (e.hint) io.stderr.write(`  ${k.dim('hint:')} ${e.hint}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr.write(`xwalk: internal error: this is a bug in xwalk ${VERSION}, not in your files.\nPlease report it with the command you ran and this text:\n${err?.stack ?? String(e)}\n`);
  return 2;
}
