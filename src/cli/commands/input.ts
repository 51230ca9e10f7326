/** The input file of convert, convert --incident and summarize, checked one way. */

import { statSync } from 'node:fs';
import { XwalkError } from '../../errors/errors.js';
import type { Io } from '../io.js';

/**
 * The input file a command names: its size, after checking it exists and is not a directory;
 * undefined for standard input (which must then be there). Shared by convert, convert --incident
 * and summarize, so a missing file reads the same everywhere.
 */
export function checkInput(inputPath: string | undefined, io: Io): number | undefined {
  if (!inputPath) {
    if (!io.stdin) throw new XwalkError('no input: name a file, or pipe one in with -');
    return undefined;
  }
  try {
    const st = statSync(inputPath);
    if (st.isDirectory()) throw new XwalkError(`the input "${inputPath}" is a directory`, { hint: 'name a CSV file, or - for standard input' });
    return st.size;
  } catch (e) {
    if (e instanceof XwalkError) throw e;
    throw new XwalkError(`cannot read the input "${inputPath}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
