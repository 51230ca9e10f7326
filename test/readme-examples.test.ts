/**
 * Issue 20: the README's console examples run as written. Each ```console block's `$ ` lines
 * (with `\` continuations) run through `sh -c` with `xwalk` being `node bin/xwalk`, in a scratch
 * directory that looks like a checkout; the output shown must be what the command prints
 * (standard output and error together). A line `...` skips lines; `...` inside a line skips text.
 * Exit codes are 0 unless an HTML comment before the block says otherwise:
 * `<!-- exit: 1 -->` (one per command, comma-separated, for blocks of several commands).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, useScratch } from './helpers/shell.js';

export interface Example {
  line: number;
  command: string;
  expected: string[];
  exit: number;
}

export function readmeExamples(text: string): Example[] {
  const lines = text.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```console') continue;
    const exits =
      /^<!-- exit: ([\d, ]+) -->$/
        .exec(lines[i - 1] ?? '')?.[1]
        ?.split(',')
        .map((s) => Number(s.trim())) ?? [];
    let cur: Example | undefined;
    let n = 0;
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      const l = lines[i]!;
      if (l.startsWith('$ ')) {
        let command = l.slice(2);
        while (command.endsWith('\\') && i + 1 < lines.length) command = command.slice(0, -1) + ' ' + lines[++i]!.trim();
        cur = { line: i + 1, command, expected: [], exit: exits[n++] ?? 0 };
        out.push(cur);
      } else cur?.expected.push(l);
    }
  }
  return out;
}

/** Whether the output shows the expected lines, with `...` as a gap (a whole line) or any text (inside one). */
export function shows(actual: string[], expected: string[]): boolean {
  const exp = expected.map((l) => l.trimEnd());
  while (exp.length && exp[exp.length - 1] === '') exp.pop();
  if (!exp.length) return true;
  const act = actual.map((l) => l.trimEnd());
  while (act.length && act[act.length - 1] === '') act.pop();
  const re = (l: string) =>
    new RegExp(
      `^${l
        .split('...')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
  const pats = exp.map((l) => (l.trim() === '...' ? undefined : re(l)));
  // Match with backtracking over gaps: pats[k] against act[j].
  const memo = new Map<string, boolean>();
  const go = (k: number, j: number): boolean => {
    const key = `${k} ${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (k === pats.length) r = j === act.length;
    else if (pats[k] === undefined) {
      r = false;
      for (let t = j; t <= act.length && !r; t++) r = go(k + 1, t);
    } else r = j < act.length && pats[k]!.test(act[j]!) && go(k + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe('issue 20: the README examples run as written', () => {
  const examples = readmeExamples(readFileSync(join(REPO, 'README.md'), 'utf8'));
  const { run } = useScratch();
  it('finds them', () => expect(examples.length).toBeGreaterThan(10));
  it('matches gaps and elisions', () => {
    expect(shows(['a', 'b', 'c'], ['a', '...'])).toBe(true);
    expect(shows(['a', 'b', 'c'], ['a', 'c'])).toBe(false);
    expect(shows(['a', 'bxyz', 'c'], ['a', 'b...', 'c'])).toBe(true);
  });
  // In order, in one directory: later examples read what earlier ones wrote (head riverton-nibrs.csv).
  for (const ex of examples) {
    it(`README.md:${ex.line}: ${ex.command}`, async () => {
      const r = await run(`${ex.command} 2>&1`);
      const got = r.stdout.split('\n');
      expect({ exit: r.exit, output: shows(got, ex.expected) ? ex.expected : r.stdout }).toEqual({ exit: ex.exit, output: ex.expected });
    }, 60_000);
  }
});
