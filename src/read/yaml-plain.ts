/**
 * A fast reader for the plain subset of YAML that vocabulary and crosswalk files are written in:
 * block mappings and sequences indented with spaces, keys and scalars on one line each (plain,
 * 'single' or "double" quoted), one-line flow collections (`{ a: b, c: [d, e] }`), comments and
 * blank lines, LF or CRLF line ends.
 *
 * Anything else (anchors, aliases, tags, block scalars `|` `>`, a scalar or flow collection over
 * several lines, `?` keys, document markers and directives, tabs, control characters, a duplicate
 * key, an indentation it does not expect, an empty document, any doubt at all) and it answers
 * `undefined`, and the full YAML parser (./yaml.ts, the `yaml` package) reads the text, with its
 * diagnostics. So this reader never decides that a file is wrong, and what it answers is exactly
 * the tree the full reader gives for the same text, positions included (test/yaml-plain.test.ts
 * checks both over every YAML file in the repository and thousands of generated and damaged texts).
 *
 * Why (issue 18): the `yaml` package reads about 0.5 MB/s on a cold start. A real agency's table of
 * 411 codes (fixtures/real/chicago-offense.yaml, 98 KB, plus its 68 KB crosswalk) took 0.4 s to
 * read, at every `translate` and in both threads of a two-thread `convert`; this reads it in a few
 * milliseconds.
 */

import type { SourceLoc } from '../model/types.js';
import type { YNode } from './ynode.js';

/** Thrown (one object, never seen outside this file) when the text leaves the subset. */
const OUTSIDE: unique symbol = Symbol('outside the plain subset');

/** Characters the subset never holds: controls (tab included), BOM, Unicode line separators, surrogates, a CR not before LF. */
const UNSUPPORTED = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufeff]|\r(?!\n)|^(?:---|\.\.\.)(?:[ \r\n]|$)/m;
/** A plain scalar may not start with one of these (YAML's indicators). */
const INDICATOR = new Set([...',[]{}#&*!|>\'"%@`?:']);
/** Deeper than this, or more nodes than this: let the full reader apply its limits. */
const MAX_DEPTH = 48;
const MAX_NODES = 600_000;
/** The full reader refuses implicit keys over 1024 characters. */
const MAX_KEY = 1000;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const CR = 13;
const COMMA = 44;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;

/** A quoted scalar starts with this character. */
const isQuote = (c: number) => c === DQUOTE || c === SQUOTE;
/** A flow collection starts with this character. */
const opensFlow = (c: number) => c === LBRACE || c === LBRACKET;

/** The tree of `text` when it is in the plain subset; undefined when the full reader must decide. */
export function readPlainYaml(text: string, file: string): YNode | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new PlainReader(text, file).document();
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

function outside(): never {
  throw OUTSIDE;
}

class PlainReader {
  /** Where each line starts, and where its content ends (before LF or CRLF). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The line being read. */
  private li = 0;
  private nodes = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      this.starts.push(start);
      this.ends.push(end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end);
      if (nl < 0) break;
      start = nl + 1;
    }
  }

  document(): YNode {
    const li = this.nextContent();
    // (Document markers are refused by UNSUPPORTED; a directive starts with `%`, an indicator.)
    if (li === this.starts.length || this.indentOf(li) !== 0) outside();
    const root = this.block(0, 0);
    if (this.nextContent() !== this.starts.length) outside();
    return root;
  }

  private loc(li: number, at: number): SourceLoc {
    return { file: this.file, line: li + 1, col: at - this.starts[li]! + 1 };
  }

  private count(depth: number): void {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) outside();
  }

  private indentOf(li: number): number {
    const s = this.starts[li]!;
    let p = s;
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p - s;
  }

  /** The next line from the current one that holds more than spaces and a comment (the line count at the end). */
  private nextContent(): number {
    const n = this.starts.length;
    while (this.li < n) {
      const p = this.starts[this.li]! + this.indentOf(this.li);
      if (p < this.ends[this.li]! && this.text.charCodeAt(p) !== HASH) break;
      this.li++;
    }
    return this.li;
  }

  /** Does line `li` hold a sequence entry at `at` (`-` then a space or the line's end)? */
  private isEntry(li: number, at: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === this.ends[li] || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** A block collection whose first line (the current one) is indented by `indent`. */
  private block(indent: number, depth: number): YNode {
    const at = this.starts[this.li]! + indent;
    return this.isEntry(this.li, at) ? this.sequence(indent, depth) : this.mapping(indent, at, depth);
  }

  /** A block mapping whose keys sit at column `indent`; its first key starts at `at` on the current line. */
  private mapping(indent: number, at: number, depth: number): YNode {
    this.count(depth);
    const li0 = this.li;
    const entries = new Map<string, { key: SourceLoc; value: YNode }>();
    for (;;) {
      const li = this.li;
      const key = this.key(li, at, this.ends[li]!);
      if (!key || entries.has(key.value)) outside();
      this.count(depth + 1);
      const keyLoc = this.loc(li, at);
      const p = this.skipSpaces(key.end, this.ends[li]!);
      let value: YNode;
      if (p < this.ends[li]! && this.text.charCodeAt(p) !== HASH) {
        value = this.inline(li, p, depth + 1);
        this.li++;
      } else {
        // Nothing after the colon: a block below (more indented, or a sequence at the same indentation), else an empty value.
        const empty = this.loc(li, p);
        this.li++;
        const next = this.nextContent();
        const nextIndent = next < this.starts.length ? this.indentOf(next) : -1;
        if (nextIndent > indent) value = this.block(nextIndent, depth + 1);
        else if (nextIndent === indent && this.isEntry(next, this.starts[next]! + indent)) value = this.sequence(indent, depth + 1);
        else {
          this.count(depth + 1);
          value = { kind: 'scalar', value: '', loc: empty };
        }
      }
      entries.set(key.value, { key: keyLoc, value });
      const next = this.nextContent();
      if (next === this.starts.length) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      // A line more indented continues a scalar or is out of place; a sequence entry here is out of place.
      if (nextIndent > indent || this.isEntry(next, this.starts[next]! + indent)) outside();
      at = this.starts[next]! + indent;
    }
    return { kind: 'map', entries, loc: this.loc(li0, this.starts[li0]! + indent) };
  }

  /** A block sequence whose `-` sit at column `indent`, the first on the current line. */
  private sequence(indent: number, depth: number): YNode {
    this.count(depth);
    const li0 = this.li;
    const items: YNode[] = [];
    for (;;) {
      const li = this.li;
      const end = this.ends[li]!;
      const p = this.skipSpaces(this.starts[li]! + indent + 1, end);
      if (p === end || this.text.charCodeAt(p) === HASH) {
        // An empty entry, unless a block follows below it (not in the subset).
        this.count(depth + 1);
        items.push({ kind: 'scalar', value: '', loc: this.loc(li, p) });
        this.li++;
        const next = this.nextContent();
        if (next < this.starts.length && this.indentOf(next) > indent) outside();
      } else if (this.isEntry(li, p)) {
        outside(); // `- - a`
      } else if (this.key(li, p, end)) {
        // `- key: value`: a mapping whose keys line up with this first one.
        items.push(this.mapping(p - this.starts[li]!, p, depth + 1));
      } else {
        items.push(this.inline(li, p, depth + 1));
        this.li++;
      }
      const next = this.nextContent();
      if (next === this.starts.length) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent) outside();
      if (!this.isEntry(next, this.starts[next]! + indent)) break; // the next key of a mapping at this indentation
    }
    return { kind: 'seq', items, loc: this.loc(li0, this.starts[li0]! + indent) };
  }

  /** Where text [from, to) ends without its trailing spaces: ASCII spaces only, as YAML trims (not String.trimEnd's Unicode spaces, which a no-break space in a label is). */
  private trimSpaces(from: number, to: number): number {
    while (to > from && this.text.charCodeAt(to - 1) === SPACE) to--;
    return to;
  }

  private skipSpaces(p: number, end: number): number {
    while (p < end && this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** The rest of the line after a value: spaces, then nothing or a comment. */
  private lineEnd(li: number, p: number): void {
    const end = this.ends[li]!;
    const q = this.skipSpaces(p, end);
    if (q < end && (this.text.charCodeAt(q) !== HASH || q === p)) outside();
  }

  /**
   * A block mapping key at `at` (plain or quoted, then `:` and a space or the line's end): its text
   * and where its colon ends; undefined when the line holds no key there.
   */
  private key(li: number, at: number, end: number): { value: string; end: number } | undefined {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (isQuote(c)) {
      const q = this.quoted(li, at);
      const p = this.skipSpaces(q.end, end);
      if (t.charCodeAt(p) !== COLON) return undefined;
      if (p + 1 < end && t.charCodeAt(p + 1) !== SPACE) outside();
      if (p - at > MAX_KEY) outside(); // counted to the colon, as the full reader counts
      return { value: q.value, end: p + 1 };
    }
    if (opensFlow(c)) return undefined; // a flow collection: a value (as a key, not in the subset: see inline)
    for (let p = at; p < end; p++) {
      const ch = t.charCodeAt(p);
      if (ch === HASH && p > at && t.charCodeAt(p - 1) === SPACE) return undefined;
      if (ch === COLON && (p + 1 === end || t.charCodeAt(p + 1) === SPACE)) {
        this.plainStart(at, end);
        const value = t.slice(at, this.trimSpaces(at, p));
        if (value === '' || value === '<<' || p - at > MAX_KEY) outside();
        return { value, end: p + 1 };
      }
    }
    return undefined;
  }

  /** A plain scalar may start at `at`: not with an indicator (`?` and `:` included), nor with `-` before a space or a flow indicator. */
  private plainStart(at: number, end: number): void {
    const t = this.text;
    const c = t[at]!;
    if (INDICATOR.has(c)) outside();
    if (c === '-' && (at + 1 === end || ' ,[]{}'.includes(t[at + 1]!))) outside();
  }

  /** A value on the rest of line `li` from `p`: a quoted or plain scalar, or a flow collection. */
  private inline(li: number, p: number, depth: number): YNode {
    const t = this.text;
    const c = t.charCodeAt(p);
    const end = this.ends[li]!;
    if (isQuote(c)) {
      const q = this.quoted(li, p);
      this.count(depth);
      const after = this.skipSpaces(q.end, end);
      if (t.charCodeAt(after) === COLON) outside(); // a key: a mapping here is not in the subset
      this.lineEnd(li, q.end);
      return { kind: 'scalar', value: q.value, loc: this.loc(li, p) };
    }
    if (opensFlow(c)) {
      const f = this.flow(li, p, depth);
      const after = this.skipSpaces(f.end, end);
      if (t.charCodeAt(after) === COLON) outside();
      this.lineEnd(li, f.end);
      return f.node;
    }
    this.plainStart(p, end);
    this.count(depth);
    // A plain scalar runs to a comment or the line's end; `: ` inside it would make it a key.
    let stop = end;
    for (let q = p; q < end; q++) {
      const ch = t.charCodeAt(q);
      if (ch === HASH && t.charCodeAt(q - 1) === SPACE) {
        stop = q;
        break;
      }
      if (ch === COLON && (q + 1 === end || t.charCodeAt(q + 1) === SPACE)) outside();
    }
    return { kind: 'scalar', value: t.slice(p, this.trimSpaces(p, stop)), loc: this.loc(li, p) };
  }

  /** A quoted scalar starting at `at` and closed on the same line: its value and the offset after its closing quote. */
  private quoted(li: number, at: number): { value: string; end: number } {
    const t = this.text;
    const end = this.ends[li]!;
    if (t.charCodeAt(at) === SQUOTE) {
      let value = '';
      let from = at + 1;
      for (;;) {
        const q = t.indexOf("'", from);
        if (q < 0 || q >= end) outside();
        value += t.slice(from, q);
        if (t.charCodeAt(q + 1) === SQUOTE && q + 1 < end) {
          value += "'";
          from = q + 2;
        } else return { value, end: q + 1 };
      }
    }
    let value = '';
    let from = at + 1;
    for (let p = from; ; p++) {
      if (p >= end) outside();
      const ch = t.charCodeAt(p);
      if (ch === DQUOTE) return { value: value + t.slice(from, p), end: p + 1 };
      if (ch !== BACKSLASH) continue;
      value += t.slice(from, p);
      const e = t[p + 1];
      const simple = e === undefined || p + 1 >= end ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        p += 1;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = t.slice(p + 2, p + 2 + digits);
        if (p + 2 + digits > end || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) outside();
        const code = parseInt(hex, 16);
        if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) outside();
        value += String.fromCodePoint(code);
        p += 1 + digits;
      } else outside();
      from = p + 1;
    }
  }

  /** A flow collection (`{...}` or `[...]`) starting at `at` and closed on the same line. */
  private flow(li: number, at: number, depth: number): { node: YNode; end: number } {
    this.count(depth);
    const t = this.text;
    const end = this.ends[li]!;
    const isMap = t.charCodeAt(at) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const loc = this.loc(li, at);
    const entries = new Map<string, { key: SourceLoc; value: YNode }>();
    const items: YNode[] = [];
    let p = this.skipSpaces(at + 1, end);
    if (t.charCodeAt(p) === close) return { node: isMap ? { kind: 'map', entries, loc } : { kind: 'seq', items, loc }, end: p + 1 };
    for (;;) {
      if (p >= end) outside();
      if (isMap) {
        const k = this.flowScalar(li, p, depth + 1);
        if (entries.has(k.node.value)) outside();
        const colon = this.skipSpaces(k.end, end);
        if (t.charCodeAt(colon) !== COLON || t.charCodeAt(colon + 1) !== SPACE) outside();
        const v = this.flowNode(li, this.skipSpaces(colon + 1, end), depth + 1);
        entries.set(k.node.value, { key: k.node.loc, value: v.node });
        p = v.end;
      } else {
        const v = this.flowNode(li, p, depth + 1);
        items.push(v.node);
        p = v.end;
      }
      p = this.skipSpaces(p, end);
      const ch = t.charCodeAt(p);
      if (ch === close) return { node: isMap ? { kind: 'map', entries, loc } : { kind: 'seq', items, loc }, end: p + 1 };
      if (ch !== COMMA) outside();
      p = this.skipSpaces(p + 1, end);
      if (t.charCodeAt(p) === close) outside(); // a trailing comma
    }
  }

  /** A value inside a flow collection: a nested collection or a scalar, not followed by `:` (a pair: not in the subset). */
  private flowNode(li: number, p: number, depth: number): { node: YNode; end: number } {
    const c = this.text.charCodeAt(p);
    const r = opensFlow(c) ? this.flow(li, p, depth) : this.flowScalar(li, p, depth);
    if (this.text.charCodeAt(this.skipSpaces(r.end, this.ends[li]!)) === COLON) outside();
    return r;
  }

  /** A quoted or plain scalar inside a flow collection; a plain one ends before `,` `[` `]` `{` `}` or `: `. */
  private flowScalar(li: number, p: number, depth: number): { node: YNode & { kind: 'scalar' }; end: number } {
    const t = this.text;
    const end = this.ends[li]!;
    this.count(depth);
    const c = t.charCodeAt(p);
    if (isQuote(c)) {
      const q = this.quoted(li, p);
      return { node: { kind: 'scalar', value: q.value, loc: this.loc(li, p) }, end: q.end };
    }
    if (p >= end) outside();
    this.plainStart(p, end);
    let q = p;
    for (; q < end; q++) {
      const ch = t.charCodeAt(q);
      if (ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) break;
      if (ch === COLON) {
        const next = t.charCodeAt(q + 1);
        if (q + 1 === end || next === SPACE) break;
        outside(); // `a:b` in a flow collection: read differently by YAML versions; not in the subset
      }
      if (ch === HASH && t.charCodeAt(q - 1) === SPACE) outside();
    }
    const value = t.slice(p, this.trimSpaces(p, q));
    if (value === '') outside();
    return { node: { kind: 'scalar', value, loc: this.loc(li, p) }, end: p + value.length };
  }
}

/** Double-quoted escapes of one character. */
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };
