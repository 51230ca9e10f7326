/** The `Examples:` lines of the commands' help texts, read from their declaration (src/cli/spec.ts). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './shell.js';

/** The example command lines of src/cli/spec.ts's help texts, in order. */
export function helpExamples(): string[] {
  const src = readFileSync(join(REPO, 'src/cli/spec.ts'), 'utf8');
  const out: string[] = [];
  for (const text of src.split('Examples:\\n').slice(1)) {
    for (const line of text.split('\\n')) {
      if (!line.startsWith('  ') || !line.includes('xwalk')) break;
      out.push(
        line
          .slice(2)
          .replace(/\s{2,}\(.*\)$/, '')
          .replace(/`.*$/, '')
          .trim(),
      );
    }
  }
  return out;
}
