/**
 * Issue 20: every `Examples:` line of `xwalk help COMMAND` runs as written and succeeds (exit 0),
 * in a directory holding the files the examples name. An example that is ambiguous or names a
 * column the file does not have teaches the wrong thing.
 */

import { describe, expect, it } from 'vitest';
import { useScratch } from './helpers/shell.js';
import { helpExamples } from './helpers/help-examples.js';

describe('issue 20: the help examples run and map', () => {
  const examples = helpExamples();
  const { run } = useScratch();
  it('finds the examples', () => expect(examples.length).toBeGreaterThan(25));
  // In order: the import examples read what the export examples wrote.
  for (const line of examples) {
    it.skipIf(line === 'xwalk lookup')(
      line,
      async () => {
        const r = await run(line);
        expect({ exit: r.exit, stderr: r.exit === 0 ? '' : r.stderr }).toEqual({ exit: 0, stderr: '' });
      },
      60_000,
    );
  }
});
