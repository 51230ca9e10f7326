/**
 * The plain-subset YAML reader (src/read/yaml-plain.ts) held to the full one (the `yaml` package):
 * wherever it answers, it answers exactly the tree the full reader gives, positions included, and
 * only for texts the full reader accepts. Checked on every YAML file of the repository, on texts
 * generated from the subset's grammar (all of which it must read itself), and on those texts and
 * the real files damaged at random (where it must either agree or leave the text to the full reader).
 */

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPlainYaml } from '../src/read/yaml-plain.js';
import { readFullYaml, readYaml, type YNode } from '../src/read/yaml.js';

/** A tree with its maps as entry lists, so that order counts in comparisons. */
function flat(n: YNode | undefined): unknown {
  if (!n) return n;
  if (n.kind === 'scalar') return ['s', n.value, n.loc.line, n.loc.col];
  if (n.kind === 'seq') return ['q', n.loc.line, n.loc.col, n.items.map(flat)];
  return ['m', n.loc.line, n.loc.col, [...n.entries].map(([k, e]) => [k, e.key.line, e.key.col, flat(e.value)])];
}

/** Fast answer (or undefined) and the full reader's, for one text. */
function both(text: string) {
  return { fast: readPlainYaml(text, 'f.yaml'), full: readFullYaml(text, 'f.yaml') };
}

/** The property: the fast reader answers the full reader's tree, or nothing. */
function agrees(text: string): 'fast' | 'full' {
  const { fast, full } = both(text);
  if (fast === undefined) return 'full';
  if (full.diagnostics.length || flat(full.root) === undefined) throw new Error(`the fast reader accepted a text the full reader refuses (${full.diagnostics.map((d) => d.message).join('; ')}):\n${text}`);
  expect(flat(fast), text).toEqual(flat(full.root));
  return 'fast';
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** A small seeded generator (mulberry32): the same texts on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

type R = ReturnType<typeof rng>;

const WORDS = ['code', 'label', 'HOMICIDE / FIRST DEGREE', '0110', '13A', 'null', '~', 'true', '-5', '1e3', '2024-01-01', 'a:b', 'C#', 'x-y', 'Ünïcödé', 'ROBBERY, ARMED', 'http://x.org/a?b=c', 'it is 50%', 'a [b] {c}', 'x?', 'y:', '-z', 'AT&T', 'a*b', 'x!'];

/** A plain scalar for a block context (may hold spaces, commas, brackets inside). */
function blockPlain(r: R): string {
  return r.pick(WORDS);
}
/** A scalar for a flow context: no `,[]{}` and no `: ` inside when plain. */
function flowScalar(r: R): string {
  const w = r.pick(WORDS.filter((x) => !/[,[\]{}:]/.test(x)));
  return r.int(3) === 0 ? quote(r, w) : w;
}
function quote(r: R, s: string): string {
  if (r.int(2) === 0) return `'${s.replace(/'/g, "''")}'`;
  const escapes = ['\\n', '\\t', '\\"', '\\\\', '\\u00e9', '\\x41', '\\/', '\\U0001F600'];
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}${r.int(3) === 0 ? r.pick(escapes) : ''}"`;
}
function scalar(r: R): string {
  const k = r.int(10);
  if (k < 2) return quote(r, r.pick([...WORDS, "it's", 'say "hi"', 'a: b', '# not a comment', '']));
  if (k < 4) return flow(r, 0);
  return blockPlain(r);
}
function flow(r: R, depth: number): string {
  const n = r.int(4);
  const sp = r.pick(['', ' ']);
  const item = () => (depth < 2 && r.int(4) === 0 ? flow(r, depth + 1) : flowScalar(r));
  if (r.int(2) === 0) return `[${sp}${Array.from({ length: n }, item).join(r.pick([', ', ',']))}${sp}]`;
  const keys = new Set<string>();
  const pairs: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.pick(['a', 'b', 'weapon', 'primary', '"q k"', "'s'"]);
    if (keys.has(k.replace(/['"]/g, ''))) continue;
    keys.add(k.replace(/['"]/g, ''));
    pairs.push(`${k}: ${item()}`);
  }
  return `{${sp}${pairs.join(', ')}${sp}}`;
}
function comment(r: R): string {
  return r.int(5) === 0 ? `  # ${r.pick(['note', 'x: y', '- z', '"q'])}` : r.int(6) === 0 ? '   ' : '';
}

/** A block mapping or sequence at `indent`, as lines. */
function block(r: R, indent: number, depth: number, lines: string[], step: number): void {
  const pad = ' '.repeat(indent);
  const n = 1 + r.int(4);
  if (r.int(3) === 0 || depth > 3) {
    for (let i = 0; i < n; i++) {
      const k = r.int(6);
      if (k === 0 && depth < 4) {
        // `- key: value` with more keys below, lined up
        const inner = ' '.repeat(1 + r.int(2));
        const first = lines.length;
        mapping(r, indent + 1 + inner.length, depth + 1, lines, step);
        lines[first] = `${pad}-${inner}${lines[first]!.trimStart()}`;
      } else if (k === 1) lines.push(`${pad}-${r.pick(['', ' '])}${comment(r)}`);
      else lines.push(`${pad}- ${scalar(r)}${comment(r)}`);
      if (r.int(8) === 0) lines.push(r.pick(['', '# between', `${pad}  # indented comment`]));
    }
    return;
  }
  mapping(r, indent, depth, lines, step);
}
function mapping(r: R, indent: number, depth: number, lines: string[], step: number): void {
  const pad = ' '.repeat(indent);
  const n = 1 + r.int(4);
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let key = r.pick(['id', 'code', 'label', 'terms', 'props', 'facts', 'aliases', 'note', 'to', '"0460"', "'from'", 'key with spaces', 'a-b']);
    const bare = key.replace(/^["']|["']$/g, '');
    if (used.has(bare)) continue;
    used.add(bare);
    if (r.int(5) === 0) key += ' ';
    const k = r.int(8);
    if (k < 4 || depth > 4) lines.push(`${pad}${key}: ${scalar(r)}${comment(r)}`);
    else if (k === 4) lines.push(`${pad}${key}:${r.pick(['', ' ', '  '])}${comment(r)}`);
    else if (k === 5) {
      lines.push(`${pad}${key}:${comment(r)}`);
      block(r, indent, depth + 1, lines, step); // a sequence at the same indentation, or a (duplicate-prone) mapping: both must agree
      if (!lines.at(-1)!.trimStart().startsWith('-')) return; // a mapping there merged into this one: stop this mapping
    } else {
      lines.push(`${pad}${key}:${comment(r)}`);
      block(r, indent + step, depth + 1, lines, step);
    }
  }
}
function document(r: R): string {
  const lines: string[] = [];
  if (r.int(3) === 0) lines.push('# a vocabulary', '');
  mapping(r, 0, 0, lines, 1 + r.int(4));
  const nl = r.int(4) === 0 ? '\r\n' : '\n';
  return lines.join(nl) + (r.int(5) === 0 ? '' : nl);
}

/** One random edit: a YAML-significant character in, a character out, a line doubled, moved or re-indented. */
function damage(r: R, text: string): string {
  const at = r.int(text.length + 1);
  switch (r.int(6)) {
    case 0:
      return text.slice(0, at) + r.pick([...':#-\'"{}[],&*!|>?%@`\\ \n\t\r', 'a', 'é', '---\n', '- ', ': ', ' #', '  ']) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + r.int(3));
    case 2: {
      const lines = text.split('\n');
      const i = r.int(lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const i = r.int(lines.length);
      lines[i] = r.int(2) ? ` ${lines[i]}` : lines[i]!.replace(/^ /, '');
      return lines.join('\n');
    }
    case 4: {
      const lines = text.split('\n');
      const [line] = lines.splice(r.int(lines.length), 1);
      lines.splice(r.int(lines.length + 1), 0, line!);
      return lines.join('\n');
    }
    default:
      return text.replace(/: /, r.pick([':', ' : ', ':  ', ':\t']));
  }
}

describe('the plain-subset YAML reader', () => {
  const files = yamlFiles('.');

  it('reads every YAML file of the repository as the full reader does (or leaves it to it)', () => {
    expect(files.length).toBeGreaterThan(40);
    const byFast = files.filter((f) => agrees(readFileSync(f, 'utf8')) === 'fast');
    // Every shipped vocabulary and crosswalk, and the real-data fixtures, are in the subset.
    for (const f of files.filter((x) => /^(vocabularies|fixtures\/real)\//.test(x))) expect(byFast, f).toContain(f);
  });

  it('reads every text generated from the subset, exactly as the full reader does', () => {
    const r = rng(18);
    let fast = 0;
    const n = 2500;
    for (let i = 0; i < n; i++) {
      const text = document(r);
      const full = readFullYaml(text, 'f.yaml');
      if (full.diagnostics.length) continue; // the generator can write a duplicate key through a merged mapping
      expect(agrees(text), text).toBe('fast');
      fast++;
    }
    expect(fast).toBeGreaterThan(n * 0.8);
  });

  it('on damaged texts, answers the full reader’s tree or leaves the text to it; never accepts what the full reader refuses', () => {
    const r = rng(15);
    const real = files.filter((f) => /^(vocabularies|fixtures)\//.test(f) && statSync(f).size < 20_000).map((f) => readFileSync(f, 'utf8'));
    const tally = { fast: 0, full: 0 };
    for (let i = 0; i < 4000; i++) {
      let text = i % 4 === 0 && real.length ? r.pick(real) : document(r);
      for (let k = 1 + r.int(3); k > 0; k--) text = damage(r, text);
      tally[agrees(text)]++;
    }
    // Both ways are exercised: some damage stays inside the subset, most leaves it.
    expect(tally.fast).toBeGreaterThan(300);
    expect(tally.full).toBeGreaterThan(300);
  });

  it('leaves what is outside the subset to the full reader, which reports it', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !tag 1\n',
      'a: |\n  text\n',
      'a: >\n  text\n',
      'a: b\n  c\n',
      '? a\n: b\n',
      '---\na: 1\n',
      '%YAML 1.2\n---\na: 1\n',
      '%YAML 1.2\na: 1\n',
      '%TAG !e! tag:x.org,2000:\na: 1\n',
      'a:\tb\n',
      'a: 1\na: 2\n',
      'a: "x\n  y"\n',
      'a: [1,\n  2]\n',
      '',
      '# only a comment\n',
      '  a: 1\n',
      'a: b: c\n',
      '\ufeffa: 1\n',
      'a: {b}\n',
      'a: [a, ]\n',
    ]) {
      expect(readPlainYaml(text, 'f.yaml'), JSON.stringify(text)).toBeUndefined();
    }
    // Through readYaml, the full reader's verdict: a duplicate key is a diagnostic with its line.
    const dup = readYaml('a: 1\na: 2\n', 'f.yaml');
    expect(dup.root).toBeUndefined();
    expect(dup.diagnostics[0]).toMatchObject({ loc: { line: 2 } });
  });

  it('keeps Unicode spaces YAML keeps, and counts a quoted key to its colon (found by review)', () => {
    const spaces = ['\u00a0', '\u1680', '\u2007', '\u202f', '\u205f', '\u3000'];
    for (const sp of spaces) {
      for (const text of [`a: b${sp}\n`, `a${sp}: b\n`, `a: ${sp}\n`, `- b${sp}\n`, `- k${sp}: v\n`, `a: b ${sp}\n`, `a: b${sp} # c\n`, `a: [b${sp}, c]\n`, `a: {k${sp}: v}\n`]) agrees(text);
    }
    expect(flat(readPlainYaml('a: b\u00a0\n', 'f.yaml'))).toEqual(['m', 1, 1, [['a', 1, 1, ['s', 'b\u00a0', 1, 4]]]]);
    for (const n of [1000, 1021, 1022, 1023, 1100]) for (const key of ['"a"', "'a'", 'a']) for (const pre of ['', '- ']) agrees(`${pre}${key}${' '.repeat(n)}: 1\n`);
  });
});
