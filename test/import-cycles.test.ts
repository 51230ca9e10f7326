/**
 * The arrows between src/ files, and between its folders, point one way (issue 18): nothing reaches
 * itself through its imports, type-only imports included. Imports are read with a regular expression (every import
 * in src/ is a relative `from '....js'` or a package name), so this needs no tool.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** file → the src/ files it imports (relative imports only; `.js` names the `.ts` source). */
export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const targets = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)].map((m) => resolve(dirname(f), m[1]!).replace(/\.js$/, '.ts')).filter((t) => t.startsWith(SRC) && t.endsWith('.ts'));
    graph.set(f, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the files along it (first file repeated last). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') found.push([...stack.slice(stack.indexOf(t)), t]);
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('import cycles in src/', () => {
  it('finds a planted cycle (the check itself works)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('src/ has none', () => {
    const graph = importGraph(tsFiles(SRC));
    expect(graph.size).toBeGreaterThan(50);
    const found = cycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' → '));
    expect(found).toEqual([]);
  });

  it('nor between its folders: src/X never imports src/Y when src/Y imports src/X, even through others', () => {
    const graph = importGraph(tsFiles(SRC));
    const folder = (f: string) => relative(SRC, f).split(/[\\/]/)[0]!.replace(/\.ts$/, '');
    const folders = new Map<string, string[]>();
    for (const [f, targets] of graph) {
      const from = folder(f);
      const to = new Set([...(folders.get(from) ?? []), ...targets.map(folder).filter((t) => t !== from)]);
      folders.set(from, [...to]);
    }
    expect(cycles(folders).map((c) => c.join(' → '))).toEqual([]);
  });

  it("follows README's Source layout: a folder imports only folders above it there", () => {
    const layout = [...readFileSync(resolve(SRC, '../README.md'), 'utf8').matchAll(/^\| `src\/([a-z]+)`(?:, `src\/([a-z]+)`)*(.*)$/gm)].flatMap((m) => [...m[0]!.split('|')[1]!.matchAll(/`src\/([a-z]+)`/g)].map((x) => x[1]!));
    expect(layout.length).toBeGreaterThan(15);
    const rank = (folder: string) => (folder === 'index' ? Infinity : layout.indexOf(folder));
    const graph = importGraph(tsFiles(SRC));
    const folder = (f: string) => relative(SRC, f).split(/[\\/]/)[0]!.replace(/\.ts$/, '');
    const problems = new Set<string>();
    for (const [f, targets] of graph) {
      const from = folder(f);
      if (rank(from) < 0) problems.add(`src/${from} is not in README's Source layout: add it there`);
      for (const t of targets.map(folder)) if (t !== from && rank(t) > rank(from)) problems.add(`src/${from} imports src/${t}, which is below it in README's Source layout`);
    }
    expect([...problems]).toEqual([]);
  });
});
