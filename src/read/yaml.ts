/**
 * YAML text → a small positioned tree (`YNode`) that the file readers walk.
 *
 * Parsed with YAML's failsafe schema: every scalar is its source text, so `0460`, `1e3`, `yes`,
 * `NA` and `2024-01-01` stay exactly as written. Readers convert the few non-text fields
 * (numbers, dates, booleans) themselves and report what they cannot convert. Aliases are
 * resolved with an expansion budget (a "billion laughs" file is an error, not an out-of-memory).
 */

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node } from 'yaml';
import type { SourceLoc } from '../model/types.js';
import { error, type Diagnostic } from '../errors/errors.js';
import { thousands } from '../model/order.js';
import { readPlainYaml } from './yaml-plain.js';
import type { YNode } from './ynode.js';

export type { YNode } from './ynode.js';

export interface YamlResult {
  root: YNode | undefined;
  diagnostics: Diagnostic[];
}

/** Largest number of nodes one document may expand to, aliases included. */
const NODE_BUDGET = 2_000_000;
/**
 * What aliases may add to a document's text, in characters of scalars (keys and values) once
 * expanded: an alias bomb made of one long string has few nodes but a huge expanded size
 * (issue 15). A document without aliases expands to at most its own length.
 */
export const ALIAS_EXPANSION_BYTES = 32 * 1024 * 1024;
/** Deepest nesting accepted; real vocabularies use five or six levels. */
const MAX_DEPTH = 64;

/**
 * The tree of a YAML text, or its diagnostics. A text in the plain subset that vocabularies are
 * written in is read by ./yaml-plain.ts (the same tree, about 14 times faster on a cold start);
 * any other text by the `yaml` package.
 */
export function readYaml(text: string, file: string): YamlResult {
  const root = readPlainYaml(text, file);
  return root ? { root, diagnostics: [] } : readFullYaml(text, file);
}

/** readYaml by the `yaml` package alone (exported for the tests that hold yaml-plain.ts to it). */
export function readFullYaml(text: string, file: string): YamlResult {
  const lineCounter = new LineCounter();
  const parsed = parse(text, file, lineCounter);
  if (!parsed.doc) return { root: undefined, diagnostics: parsed.diagnostics };
  const resolve = aliasResolver(parsed.doc);
  const tooLarge = expansionProblem(parsed.doc, text, file, resolve);
  if (tooLarge) return { root: undefined, diagnostics: [tooLarge] };
  return positionedTree(parsed.doc, file, lineCounter, resolve);
}

type Resolve = (a: Alias) => unknown;

/** Strict failsafe parse; YAML's own errors become diagnostics with their line. */
function parse(text: string, file: string, lineCounter: LineCounter): { doc?: Document.Parsed; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      schema: 'failsafe',
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
    });
  } catch (e) {
    return { diagnostics: [error('yaml-syntax', { file, line: 0, col: 0 }, `cannot parse YAML: ${(e as Error).message}`)] };
  }
  for (const e of doc.errors) {
    // prettyErrors is off, so linePos is not filled in: find the line from the offset.
    const pos = e.linePos?.[0] ?? (e.pos ? lineCounter.linePos(e.pos[0]) : undefined);
    const first = e.message.split('\n')[0] ?? e.message;
    const msg = e.code === 'DUPLICATE_KEY' ? 'duplicate key: a key may appear once in a mapping' : e.code === 'MULTIPLE_DOCS' ? 'the file holds more than one YAML document (a `---` line); put each vocabulary or crosswalk in a file of its own' : first.replace(/ at line \d+, column \d+:?$/, '');
    diagnostics.push(error('yaml-syntax', { file, line: pos?.line ?? 0, col: pos?.col ?? 0 }, msg));
  }
  return diagnostics.length ? { diagnostics } : { doc, diagnostics };
}

/** Alias.resolve walks the whole document on each call: cache it. */
function aliasResolver(doc: Document.Parsed): Resolve {
  const resolved = new Map<Alias, unknown>();
  return (a) => {
    let target = resolved.get(a);
    if (target === undefined) {
      target = a.resolve(doc);
      resolved.set(a, target);
    }
    return target;
  };
}

/**
 * Refuse an alias bomb before expanding anything: the expanded size, memoized per node, costs one
 * walk of the document as written. (A cycle is left to the depth check of positionedTree.)
 */
function expansionProblem(doc: Document.Parsed, text: string, file: string, resolve: Resolve): Diagnostic | undefined {
  const top: SourceLoc = { file, line: 1, col: 1 };
  // Nodes and characters of scalars, both capped just past their budget (no overflow to Infinity).
  const byteBudget = text.length + ALIAS_EXPANSION_BYTES;
  const sizes = new Map<unknown, { n: number; b: number }>();
  const scalarLength = (node: unknown): number => (isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value).length : 0);
  const sizeOf = (node: unknown, depth: number): { n: number; b: number } => {
    if (node === null || node === undefined || depth > MAX_DEPTH) return { n: 1, b: 0 };
    if (isAlias(node)) return sizeOf(resolve(node), depth + 1);
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let n = 1;
    let b = scalarLength(node);
    const add = (s: { n: number; b: number }, extraNodes: number, extraBytes: number) => {
      n = Math.min(NODE_BUDGET + 1, n + extraNodes + s.n);
      b = Math.min(byteBudget + 1, b + extraBytes + s.b);
    };
    if (isSeq(node)) for (const item of node.items) add(sizeOf(item, depth + 1), 0, 0);
    else if (isMap(node)) for (const pair of node.items) add(sizeOf(pair.value, depth + 1), 1, scalarLength(pair.key));
    const size = { n, b };
    sizes.set(node, size);
    return size;
  };
  const size = sizeOf(doc.contents, 0);
  if (size.n > NODE_BUDGET) {
    return error('yaml-too-large', top, `the document expands to more than ${thousands(NODE_BUDGET)} nodes (alias bomb?)`, 'remove the anchors and aliases that repeat large parts of the file');
  }
  if (size.b > byteBudget) {
    return error('yaml-too-large', top, `the document's aliases expand it by more than ${ALIAS_EXPANSION_BYTES / 1024 / 1024} MiB of text (alias bomb?)`, 'remove the anchors and aliases that repeat large parts of the file');
  }
  return undefined;
}

/** The parsed document → YNode, aliases expanded, within the node budget and the depth limit. */
function positionedTree(doc: Document.Parsed, file: string, lineCounter: LineCounter, resolve: Resolve): YamlResult {
  const top: SourceLoc = { file, line: 1, col: 1 };
  const locAt = (offset: number): SourceLoc => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  let budget = NODE_BUDGET;
  let failed: Diagnostic | undefined;
  const convert = (node: unknown, depth: number, fallback: SourceLoc): YNode | undefined => {
    if (failed) return undefined;
    if (--budget < 0) {
      failed = error('yaml-too-large', fallback, `the document expands to more than ${thousands(NODE_BUDGET)} nodes (alias bomb?)`, 'remove the anchors and aliases that repeat large parts of the file');
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      failed = error('yaml-too-deep', fallback, `the document nests deeper than ${MAX_DEPTH} levels`);
      return undefined;
    }
    if (node === null || node === undefined) return { kind: 'scalar', value: '', loc: fallback };
    if (isAlias(node)) return convert(resolve(node), depth + 1, fallback);
    const n = node as Node;
    const loc = n.range ? locAt(n.range[0]) : fallback;
    if (isScalar(n)) {
      const v = n.value;
      return { kind: 'scalar', value: v === null || v === undefined ? '' : String(v), loc };
    }
    if (isSeq(n)) {
      const items: YNode[] = [];
      for (const item of n.items) {
        const c = convert(item, depth + 1, loc);
        if (!c) return undefined;
        items.push(c);
      }
      return { kind: 'seq', items, loc };
    }
    if (isMap(n)) {
      const entries = new Map<string, { key: SourceLoc; value: YNode }>();
      for (const pair of n.items) {
        const keyNode = pair.key as Node | null;
        const keyLoc = keyNode?.range ? locAt(keyNode.range[0]) : loc;
        if (!isScalar(keyNode)) {
          failed = error('yaml-syntax', keyLoc, 'a mapping key must be plain text');
          return undefined;
        }
        const key = String(keyNode.value ?? '');
        const value = convert(pair.value, depth + 1, keyLoc);
        if (!value) return undefined;
        entries.set(key, { key: keyLoc, value });
      }
      return { kind: 'map', entries, loc };
    }
    failed = error('yaml-syntax', loc, 'unsupported YAML node');
    return undefined;
  };
  const root = convert(doc.contents, 0, top);
  if (failed) return { root: undefined, diagnostics: [failed] };
  return { root, diagnostics: [] };
}
