/**
 * Typed reads of a positioned YAML map, each failure a diagnostic with the field's location.
 * Shared by the vocabulary and crosswalk readers so that every field error reads alike.
 */

import type { Certainty, Condition, FactStatement, FieldDecl, IsoDate, SourceLoc } from '../model/types.js';
import { CERTAINTIES, NOT_RECORDED } from '../model/types.js';
import { error, type Diagnostic } from '../errors/errors.js';
import type { FileSource } from './source.js';
import { closest } from '../errors/closest.js';
import { parseBool, parseConditionText, parseFactText, parseIsoDate } from './values.js';
import type { YNode } from './yaml.js';

export type YMap = Extract<YNode, { kind: 'map' }>;

/** Words that mean "no value" in an optional field (never in a code). */
const EMPTY = new Set(['', '~', 'null', 'Null', 'NULL']);

export class Fields {
  readonly seen = new Set<string>();
  constructor(
    readonly node: YMap,
    readonly what: string,
    readonly out: Diagnostic[],
  ) {}

  has(key: string): boolean {
    return this.node.entries.has(key);
  }

  loc(key?: string): SourceLoc {
    if (key === undefined) return this.node.loc;
    return this.node.entries.get(key)?.value.loc ?? this.node.loc;
  }

  raw(key: string): YNode | undefined {
    this.seen.add(key);
    return this.node.entries.get(key)?.value;
  }

  /**
   * A text field; codes keep every character (`NA`, `0460`, `NULL` are values). `literal` keeps an
   * optional field's `~`/`null`/`NULL` as text too (an optional code such as replaced_by).
   */
  text(key: string, opts: { required?: boolean; code?: boolean; literal?: boolean } = {}): string | undefined {
    const v = this.raw(key);
    if (v === undefined || (v.kind === 'scalar' && v.value === '' && !opts.code)) {
      if (opts.required) this.out.push(error('missing-field', this.node.loc, `${this.what} has no \`${key}\``, `add \`${key}: ...\``));
      return undefined;
    }
    if (v.kind !== 'scalar') {
      this.out.push(error('wrong-type', v.loc, `\`${key}\` of ${this.what} must be text, not a ${v.kind === 'map' ? 'mapping' : 'list'}`));
      return undefined;
    }
    if (opts.code) {
      if (v.value.trim() === '') {
        this.out.push(error('empty-code', v.loc, `\`${key}\` of ${this.what} is empty`, 'write the code, quoted if it has leading zeros'));
        return undefined;
      }
      return v.value;
    }
    if (!opts.required && !opts.literal && EMPTY.has(v.value)) return undefined;
    return v.value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const v = this.text(key, opts);
    if (v === undefined) return undefined;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.out.push(error('bad-value', this.loc(key), `\`${key}\` of ${this.what} is "${v}"; expected one of: ${allowed.join(', ')}`));
    return undefined;
  }

  date(key: string): IsoDate | undefined {
    const v = this.text(key);
    if (v === undefined) return undefined;
    const d = parseIsoDate(v);
    if (!d) this.out.push(error('bad-date', this.loc(key), `\`${key}\` of ${this.what} is "${v}", not a date`, 'write dates as YYYY-MM-DD'));
    return d;
  }

  number(key: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = this.text(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    const ok = v.trim() !== '' && Number.isFinite(n) && (!opts.integer || Number.isInteger(n)) && (opts.min === undefined || n >= opts.min) && (opts.max === undefined || n <= opts.max);
    if (!ok) {
      const range = opts.min !== undefined && opts.max !== undefined ? ` from ${opts.min} to ${opts.max}` : opts.min !== undefined ? ` of at least ${opts.min}` : '';
      this.out.push(error('bad-number', this.loc(key), `\`${key}\` of ${this.what} is "${v}"; expected ${opts.integer ? 'a whole number' : 'a number'}${range}`));
      return undefined;
    }
    return n;
  }

  bool(key: string): boolean | undefined {
    const v = this.text(key);
    if (v === undefined) return undefined;
    const b = parseBool(v);
    if (b === undefined) this.out.push(error('bad-value', this.loc(key), `\`${key}\` of ${this.what} is "${v}"; expected true or false`));
    return b;
  }

  certainty(key: string): Certainty | undefined {
    return this.oneOf(key, CERTAINTIES);
  }

  /** A list of text values; a single scalar is accepted as a one-item list. */
  list(key: string): { value: string; loc: SourceLoc }[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (v.kind === 'scalar') return v.value === '' ? [] : [{ value: v.value, loc: v.loc }];
    if (v.kind === 'map') {
      this.out.push(error('wrong-type', v.loc, `\`${key}\` of ${this.what} must be a list`));
      return [];
    }
    const items: { value: string; loc: SourceLoc }[] = [];
    for (const item of v.items) {
      if (item.kind !== 'scalar') {
        this.out.push(error('wrong-type', item.loc, `each item of \`${key}\` must be text`));
        continue;
      }
      items.push({ value: item.value, loc: item.loc });
    }
    return items;
  }

  /** Report keys this reader never asked for: usually a typo (`valid_form`). */
  reportUnknown(allowed: readonly string[]): void {
    for (const [key, entry] of this.node.entries) {
      if (this.seen.has(key) || allowed.includes(key)) continue;
      const near = closest(key, allowed);
      this.out.push(error('unknown-field', entry.key, `${this.what} has an unknown field \`${key}\``, near ? `did you mean \`${near}\`?` : `known fields: ${allowed.join(', ')}`));
    }
  }
}

export function asMap(node: YNode | undefined): YMap | undefined {
  return node?.kind === 'map' ? node : undefined;
}

/**
 * Conditions in YAML: a mapping of field to a value, a list of values, or an object with one of
 * `not`, `lt`, `le`, `gt`, `ge`; or the compact text form as one string.
 */
export function readConditions(node: YNode, what: string, out: Diagnostic[]): Condition[] {
  if (node.kind === 'scalar') {
    const r = parseConditionText(node.value);
    if (typeof r === 'string') {
      out.push(error('bad-condition', node.loc, r));
      return [];
    }
    return r;
  }
  if (node.kind === 'seq') {
    out.push(error('bad-condition', node.loc, `\`when\` of ${what} must be a mapping of field to value(s)`, 'write when: { property: shoplifting }'));
    return [];
  }
  const conds: Condition[] = [];
  for (const [field, { value }] of node.entries) {
    if (value.kind === 'scalar') {
      if (value.value === '') {
        out.push(error('bad-condition', value.loc, `condition \`${field}\` has no value`));
        continue;
      }
      conds.push({ field, op: 'in', values: [value.value] });
    } else if (value.kind === 'seq') {
      // An empty item (`~`, `null`) is the "not recorded" token.
      const values = value.items.filter((i): i is Extract<YNode, { kind: 'scalar' }> => i.kind === 'scalar').map((i) => (i.value === '' ? NOT_RECORDED : i.value));
      if (values.length !== value.items.length || !values.length) {
        out.push(error('bad-condition', value.loc, `condition \`${field}\` must list text values`));
        continue;
      }
      conds.push({ field, op: 'in', values });
    } else {
      for (const [op, { value: v }] of value.entries) {
        if (op === 'not') {
          const items = v.kind === 'scalar' ? [v] : v.kind === 'seq' ? v.items : [];
          const values = items.flatMap((i) => (i.kind === 'scalar' && i.value !== '' ? [i.value] : []));
          if (!values.length || values.length !== items.length) out.push(error('bad-condition', v.loc, `condition \`${field}: { not: ... }\` needs a text value or a list of text values`));
          else conds.push({ field, op: 'not-in', values });
        } else if (op === 'lt' || op === 'le' || op === 'gt' || op === 'ge') {
          const n = v.kind === 'scalar' ? Number(v.value) : NaN;
          if (v.kind !== 'scalar' || v.value.trim() === '' || !Number.isFinite(n)) out.push(error('bad-condition', v.loc, `condition \`${field}: { ${op}: ... }\` needs a number`));
          else conds.push({ field, op, value: n });
        } else {
          out.push(error('bad-condition', v.loc, `condition \`${field}\` has an unknown test \`${op}\``, 'use not, lt, le, gt or ge'));
        }
      }
    }
  }
  return conds;
}

/** Facts in YAML: `{ weapon: "12" }`, `{ weapon: ["11", "12"] }`, or the compact text form. */
export function readFacts(node: YNode, what: string, out: Diagnostic[]): FactStatement[] {
  if (node.kind === 'scalar') {
    const r = parseFactText(node.value);
    if (typeof r === 'string') {
      out.push(error('bad-fact', node.loc, r));
      return [];
    }
    return r;
  }
  if (node.kind === 'seq') {
    out.push(error('bad-fact', node.loc, `\`facts\` of ${what} must map fields to values`, 'write facts: { weapon: "12" }'));
    return [];
  }
  const facts: FactStatement[] = [];
  for (const [field, { value }] of node.entries) {
    const items = value.kind === 'scalar' ? [value] : value.kind === 'seq' ? value.items : [];
    const values = items.flatMap((i) => (i.kind === 'scalar' && i.value.trim() !== '' ? [i.value] : []));
    if (!values.length || values.length !== items.length) out.push(error('bad-fact', value.loc, `fact \`${field}\` of ${what} needs a value or a list of values`));
    else facts.push({ field, values });
  }
  return facts;
}

const FIELD_DECL_KEYS = ['vocabulary', 'domain', 'values', 'type', 'multi', 'description'] as const;

/**
 * A crosswalk's `fields`: `{ weapon: { vocabulary: nibrs-elements, domain: weapon, multi: true },
 * report: { values: [offense, arrest] }, arrestee_age: { type: number } }`.
 */
export function readFieldDecls(node: YNode, out: Diagnostic[]): FieldDecl[] {
  const map = asMap(node);
  if (!map) {
    out.push(error('wrong-type', node.loc, '`fields` must map each condition field to its declaration', 'write fields: { weapon: { vocabulary: nibrs-elements, domain: weapon } }'));
    return [];
  }
  const decls: FieldDecl[] = [];
  for (const [name, { key, value }] of map.entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      out.push(error('bad-field', key, `the field name "${name}" must start with a letter and hold letters, digits, _ . -`));
      continue;
    }
    const fm = asMap(value);
    if (!fm) {
      out.push(error('wrong-type', value.loc, `field \`${name}\` must be a mapping like { vocabulary: nibrs-elements, domain: weapon }`));
      continue;
    }
    const f = new Fields(fm, `field \`${name}\``, out);
    const vocabulary = f.text('vocabulary');
    const domain = f.text('domain');
    const values = f.has('values') ? f.list('values').map((v) => v.value) : undefined;
    const declared = f.oneOf('type', ['code', 'number', 'text'] as const);
    const multi = f.bool('multi') ?? false;
    const description = f.text('description');
    f.reportUnknown(FIELD_DECL_KEYS);
    const type = declared ?? (vocabulary !== undefined || values !== undefined ? 'code' : 'text');
    if (type === 'code' && vocabulary === undefined && values === undefined) out.push(error('bad-field', fm.loc, `field \`${name}\` is of type code but names neither a \`vocabulary\` nor \`values\``));
    if (type === 'text' && (vocabulary !== undefined || values !== undefined)) out.push(error('bad-field', fm.loc, `field \`${name}\` is of type text; \`vocabulary\` and \`values\` belong to code fields (and a number field may name a vocabulary of coded values)`));
    if (type === 'number' && values !== undefined) out.push(error('bad-field', fm.loc, `field \`${name}\` is of type number; \`values\` belong to code fields`));
    if (vocabulary !== undefined && values !== undefined) out.push(error('bad-field', fm.loc, `field \`${name}\` names both a \`vocabulary\` and \`values\`; keep one`));
    const d: FieldDecl = { name, type, multi, loc: fm.loc };
    if (vocabulary !== undefined) d.vocabulary = vocabulary;
    if (domain !== undefined) d.domain = domain;
    if (values !== undefined) d.values = values;
    if (description !== undefined) d.description = description;
    decls.push(d);
  }
  return decls;
}

/**
 * The CSV file a YAML file names in its `file:` field: its path (as the source names it) and
 * text, or undefined (with a diagnostic) when it is missing. `what` names it in the message.
 */
export function readReferencedFile(f: Fields, yamlFile: string, files: FileSource, what: string): { path: string; text: string } | undefined {
  const name = f.text('file');
  if (name === undefined) return undefined;
  const path = files.resolve(yamlFile, name);
  const text = files.read(path);
  if (text === undefined) {
    f.out.push(error('missing-file', f.loc('file'), `the ${what} "${name}" does not exist (looked for ${path})`, 'the path is relative to this YAML file'));
    return undefined;
  }
  return { path, text };
}
