/**
 * Seeded, realistic agency exports for the SQL equality tests (issue 17): the same seed gives the
 * same CSV text, byte for byte. Codes come from the source vocabulary's terms of the domain (codes
 * whose mappings have conditions, dates or several targets weighted up, so a large file exercises
 * them), mixed with what real exports hold: unknown codes, empty, whitespace-only and `NULL` cells,
 * codes in another case or with spaces around, spreadsheet-mangled numeric codes (`460.0`, `'0460`,
 * `=0460`, `4.6E+02`). Context cells come from the field's declared values or vocabulary (codes,
 * labels, groups, `|`-joined lists for multi-valued fields, empty, `NULL`, `~`, an unknown value);
 * dates in every format convert reads by default, clustered on the validity boundaries of the
 * terms and mappings involved, plus unreadable and empty ones; a free-text column with commas,
 * quotes, line breaks and unicode passes through.
 *
 * `nibrsToSrs`, `rivertonToNibrs` and `chicagoToSrs` give a ready export with the convert flags
 * that read it.
 */

import { loadRegistry } from '../../src/load/registry.js';
import { DirSource } from '../../src/read/source.js';
import { RegistryIndex } from '../../src/indexes/index.js';
import type { Crosswalk, FieldDecl, Mapping, Term } from '../../src/model/types.js';

export interface ContextColumn {
  /** The export's column. */
  column: string;
  /** The condition field it holds. */
  field: string;
  /** The crosswalk whose declaration of the field gives its values (default: the first of the domain that declares it). */
  crosswalk?: string;
}

export interface GenExportOptions {
  rows: number;
  seed: number;
  /** Source vocabulary. */
  from: string;
  domain: string;
  /** The code column (default `OffenseCode`). */
  codeColumn?: string;
  contextFields?: ContextColumn[];
  /** Adds `IncidentDate` (for --as-of-column). */
  dateColumn?: boolean;
  /** The date column's name (default `IncidentDate`). */
  dateColumnName?: string;
}

/** Every kind of cell the generator writes, by column role: the test checks each one occurs. */
export type CodeKind = 'code' | 'other-case' | 'spaces' | 'decimal' | 'quote-prefix' | 'formula' | 'scientific' | 'unknown' | 'empty' | 'blank' | 'null';
export type ContextKind = 'code' | 'label' | 'group' | 'joined' | 'other-case' | 'number' | 'empty' | 'null' | 'not-recorded' | 'unknown';
export type DateKind = 'iso' | 'slashed-ymd' | 'us-time' | 'd-mon-y' | 'boundary' | 'unreadable' | 'empty';

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Picks a key by weight; weights need not sum to 1. */
function weighted<K extends string>(r: Rand, table: readonly (readonly [K, number])[]): K {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [k, w] of table) {
    x -= w;
    if (x < 0) return k;
  }
  return table[table.length - 1]![0];
}

/** A cell for a CSV written with `,` and `"`: quoted when it must be, or (as some exporters do) always. */
function csvCell(v: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function otherCase(r: Rand, s: string): string {
  if (s.toLowerCase() === s.toUpperCase()) return s;
  const lower = s.toLowerCase();
  if (lower !== s) return lower;
  // Mixed case: flip a random letter.
  const i = s.search(/[a-z]/i);
  return r() < 0.5 ? s.toUpperCase() : s.slice(0, i) + s[i]!.toUpperCase() + s.slice(i + 1);
}

function spaced(r: Rand, s: string): string {
  const left = pick(r, [' ', '  ', '\t', '']);
  return left + s + (left ? pick(r, [' ', '   ', '']) : pick(r, [' ', '   ']));
}

/** The crosswalks of a domain that start or end at a vocabulary. */
function crosswalksOf(index: RegistryIndex, vocab: string, domain: string): Crosswalk[] {
  return [...index.registry.crosswalks.values()].filter((cw) => cw.domain === domain && (cw.from === vocab || cw.to === vocab));
}

function interesting(ms: readonly Mapping[]): boolean {
  return ms.length > 1 || ms.some((m) => m.when.length > 0 || m.validFrom !== undefined || m.validTo !== undefined);
}

/** Codes of the source vocabulary, the ones with conditional, dated or several mappings apart. */
function sourceCodes(index: RegistryIndex, from: string, domain: string): { all: Term[]; hard: Term[]; boundaries: string[] } {
  const table = index.table(from, domain);
  if (!table) throw new Error(`genExport: vocabulary ${from} has no domain ${domain}`);
  const all = [...table.terms.values()];
  const edges = index.edgesFrom(from, domain);
  const hard = all.filter((t) => edges.some((e) => interesting(index.mappingsFor(e, t.code))) || t.validFrom !== undefined || t.validTo !== undefined);
  const boundaries = new Set<string>();
  for (const t of all) {
    if (t.validFrom) boundaries.add(t.validFrom);
    if (t.validTo) boundaries.add(t.validTo);
  }
  // Mappings of every crosswalk of the domain (a chain reaches beyond the first edge), and the terms of the vocabularies they reach.
  for (const cw of [...index.registry.crosswalks.values()].filter((c) => c.domain === domain)) {
    for (const m of cw.mappings) {
      if (m.validFrom) boundaries.add(m.validFrom);
      if (m.validTo) boundaries.add(m.validTo);
    }
  }
  for (const v of index.registry.vocabularies.values()) {
    for (const t of v.domains.get(domain)?.terms.values() ?? []) {
      if (t.validFrom) boundaries.add(t.validFrom);
      if (t.validTo) boundaries.add(t.validTo);
    }
  }
  return { all, hard: hard.length ? hard : all, boundaries: [...boundaries].sort() };
}

function unknownCode(r: Rand, known: (c: string) => boolean, numeric: boolean): string {
  for (;;) {
    const c = numeric ? String(1000 + Math.floor(r() * 9000)) : `${Math.floor(r() * 10)}${Math.floor(r() * 10)}${pick(r, ['Q', 'X', 'W'])}`;
    const typo = pick(r, [c, 'XX99', 'N/A', 'UNK', '9999Z']);
    if (!known(typo)) return typo;
  }
}

/** A code cell, and the kind it is. */
function codeCell(r: Rand, codes: { all: Term[]; hard: Term[] }, known: (c: string) => boolean): [string, CodeKind] {
  const t = r() < 0.65 ? pick(r, codes.hard) : pick(r, codes.all);
  const code = t.code;
  const numeric = /^\d+$/.test(code);
  const kind = weighted<CodeKind>(r, [
    ['code', 55],
    ['other-case', /[a-z]/i.test(code) ? 6 : 0],
    ['spaces', 6],
    ['decimal', numeric ? 4 : 0],
    ['quote-prefix', numeric ? 3 : 0],
    ['formula', numeric ? 2 : 0],
    ['scientific', numeric && code.replace(/^0+/, '').length >= 2 ? 3 : 0],
    ['unknown', 6],
    ['empty', 4],
    ['blank', 2],
    ['null', 3],
  ]);
  switch (kind) {
    case 'code':
      return [code, kind];
    case 'other-case':
      return [otherCase(r, code), kind];
    case 'spaces':
      return [spaced(r, code), kind];
    case 'decimal':
      return [`${Number(code)}.0`, kind];
    case 'quote-prefix':
      return [`'${code}`, kind];
    case 'formula':
      return [r() < 0.5 ? `=${code}` : `="${code}"`, kind];
    case 'scientific': {
      const n = Number(code);
      return [
        n
          .toExponential(1)
          .toUpperCase()
          .replace('E+', 'E+0')
          .replace(/E\+0(\d\d)/, 'E+$1'),
        kind,
      ];
    }
    case 'unknown':
      return [unknownCode(r, known, numeric), kind];
    case 'empty':
      return ['', kind];
    case 'blank':
      return [pick(r, [' ', '   ', '\t']), kind];
    case 'null':
      return ['NULL', kind];
  }
}

/** What a context field's values are drawn from. */
interface FieldValues {
  decl: FieldDecl;
  codes: string[];
  labels: string[];
  groups: string[];
  ranges: string[];
}

function fieldValues(index: RegistryIndex, from: string, domain: string, c: ContextColumn): FieldValues {
  const cws = c.crosswalk ? [index.registry.crosswalks.get(c.crosswalk)].filter((x): x is Crosswalk => x !== undefined) : crosswalksOf(index, from, domain);
  if (c.crosswalk && !cws.length) throw new Error(`genExport: no crosswalk ${c.crosswalk}`);
  let decl: FieldDecl | undefined;
  let cw: Crosswalk | undefined;
  for (const x of cws) {
    decl = x.fields?.find((f) => f.name === c.field);
    if (decl) {
      cw = x;
      break;
    }
  }
  if (!decl || !cw) {
    // Not declared: the values its conditions name.
    const vals = new Set<string>();
    for (const x of [...index.registry.crosswalks.values()].filter((y) => y.domain === domain)) for (const m of x.mappings) for (const k of m.when) if (k.field === c.field && 'values' in k) k.values.forEach((v) => vals.add(v));
    if (!vals.size) throw new Error(`genExport: no crosswalk of ${domain} declares or uses the field ${c.field}`);
    const codes = [...vals].filter((v) => v !== '~');
    return { decl: { name: c.field, type: 'text', multi: false, loc: { file: '', line: 0, col: 0 } }, codes, labels: [], groups: [], ranges: [] };
  }
  const space = index.fieldSpace(cw, c.field);
  const table = space.table;
  if (table) {
    const terms = [...table.terms.values()];
    const parents = new Set(terms.map((t) => t.parent).filter((p): p is string => p !== undefined));
    return {
      decl,
      codes: terms.filter((t) => !parents.has(t.code)).map((t) => t.code),
      labels: terms.map((t) => t.label),
      groups: [...parents],
      ranges: decl.type === 'number' ? ['0', '9', '17', '18', '21', '35', '64', '65', '99'] : [],
    };
  }
  const values = decl.values ?? [];
  return { decl, codes: values, labels: [], groups: [], ranges: decl.type === 'number' ? ['0', '9', '17', '18', '21', '35', '64', '65', '99'] : [] };
}

function contextCell(r: Rand, f: FieldValues): [string, ContextKind] {
  const kind = weighted<ContextKind>(r, [
    ['code', 40],
    ['label', f.labels.length ? 6 : 0],
    ['group', f.groups.length ? 5 : 0],
    ['joined', f.decl.multi && f.codes.length > 1 ? 10 : 0],
    ['other-case', f.codes.some((c) => /[a-z]/i.test(c)) ? 4 : 0],
    ['number', f.ranges.length ? 10 : 0],
    ['empty', 12],
    ['null', 4],
    ['not-recorded', 3],
    ['unknown', 4],
  ]);
  switch (kind) {
    case 'code':
      return [f.codes.length ? pick(r, f.codes) : pick(r, f.ranges), kind];
    case 'label':
      return [pick(r, f.labels), kind];
    case 'group':
      return [pick(r, f.groups), kind];
    case 'joined': {
      const n = 2 + Math.floor(r() * 2);
      const vs = Array.from({ length: n }, () => (f.groups.length && r() < 0.2 ? pick(r, f.groups) : pick(r, f.codes)));
      return [vs.join(r() < 0.8 ? '|' : ' | '), kind];
    }
    case 'other-case':
      return [
        otherCase(
          r,
          pick(
            r,
            f.codes.filter((c) => /[a-z]/i.test(c)),
          ),
        ),
        kind,
      ];
    case 'number':
      return [pick(r, f.ranges), kind];
    case 'empty':
      return ['', kind];
    case 'null':
      return ['NULL', kind];
    case 'not-recorded':
      return ['~', kind];
    case 'unknown':
      return [pick(r, ['ZZ', 'unknown-value', 'Other (see narrative)', '77Q']), kind];
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date written in one of the formats convert reads by default. */
function formatDate(r: Rand, iso: string): [string, DateKind] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const kind = weighted<DateKind>(r, [
    ['iso', 4],
    ['slashed-ymd', 2],
    ['us-time', 4],
    ['d-mon-y', 2],
  ]);
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (kind) {
    case 'iso':
      return [r() < 0.3 ? `${iso}T${pad(Math.floor(r() * 24))}:${pad(Math.floor(r() * 60))}:00` : iso, kind];
    case 'slashed-ymd':
      return [`${y}/${pad(m)}/${pad(d)}`, kind];
    case 'us-time': {
      // 1/13/2021 3:20:00 PM (Riverton's RMS) or 01/13/2021 03:20:00 PM (Chicago's portal).
      const h = Math.floor(r() * 12) + 1;
      const two = r() < 0.5;
      const p = (n: number) => (two ? pad(n) : String(n));
      return [`${p(m)}/${p(d)}/${y} ${p(h)}:${pad(Math.floor(r() * 60))}:00 ${r() < 0.5 ? 'AM' : 'PM'}`, kind];
    }
    default:
      return [`${d}-${MONTHS[m - 1]}-${y}`, kind];
  }
}

function dateCell(r: Rand, boundaries: string[]): [string, DateKind] {
  const kind = weighted<'any' | 'boundary' | 'unreadable' | 'empty'>(r, [
    ['any', 55],
    ['boundary', boundaries.length ? 30 : 0],
    ['unreadable', 8],
    ['empty', 7],
  ]);
  if (kind === 'empty') return [pick(r, ['', '', ' ', 'NULL']), 'empty'];
  if (kind === 'unreadable') return [pick(r, ['31.02.2023', '2023-02-30', '13/45/2020', 'N/A', 'TBD', '2023-13-01', '00/00/0000']), 'unreadable'];
  if (kind === 'boundary') {
    const iso = addDays(pick(r, boundaries), pick(r, [-1, 0, 0, 1, -365, 365]));
    return [formatDate(r, iso)[0], 'boundary'];
  }
  const day = Math.floor(r() * (365 * 21)); // 2005-01-01 .. 2025-12-31
  return formatDate(r, addDays('2005-01-01', day));
}

const WORDS = ['victim', 'reported', 'suspect', 'fled', 'on foot', 'vehicle', 'near', 'the', 'store', "O'Brien", 'café', 'señora', 'Zoë', '北京', '🚓', 'knife', '$750', '12" pipe', '"quoted"', 'a, b', 'n/a'];

function narrative(r: Rand): string {
  const n = Math.floor(r() * 8);
  let s = Array.from({ length: n }, () => pick(r, WORDS)).join(' ');
  if (r() < 0.03) s += '\nsecond line';
  if (r() < 0.05) s = ` ${s} `;
  return s;
}

/** A seeded, deterministic CSV export (header + `rows` records, LF line ends). */
export function genExport(index: RegistryIndex, opts: GenExportOptions): string {
  return genExportDetailed(index, opts).csv;
}

/** genExport with the kind of every generated cell, by column (for tests of the generator). */
export function genExportDetailed(index: RegistryIndex, opts: GenExportOptions): { csv: string; kinds: Record<string, string[]> } {
  const r = rng(opts.seed);
  const codeColumn = opts.codeColumn ?? 'OffenseCode';
  const dateColumn = opts.dateColumnName ?? 'IncidentDate';
  const codes = sourceCodes(index, opts.from, opts.domain);
  const known = (c: string) => index.term(opts.from, opts.domain, c) !== undefined;
  const contexts = (opts.contextFields ?? []).map((c) => ({ c, values: fieldValues(index, opts.from, opts.domain, c) }));
  const header = ['IncidentNum', ...(opts.dateColumn ? [dateColumn] : []), codeColumn, ...contexts.map((x) => x.c.column), 'Narrative'];
  if (new Set(header).size !== header.length) throw new Error(`genExport: two columns named alike in ${header.join(', ')}`);
  const kinds: Record<string, string[]> = Object.fromEntries(header.map((h) => [h, []]));
  const quoteAll = r() < 0.5;
  const lines = [header.map((h) => csvCell(h, quoteAll)).join(',')];
  for (let i = 0; i < opts.rows; i++) {
    const cells: string[] = [`${String(24 + (i % 2)).padStart(2, '0')}-${String(i + 1).padStart(6, '0')}`];
    kinds.IncidentNum!.push('id');
    if (opts.dateColumn) {
      const [v, k] = dateCell(r, codes.boundaries);
      cells.push(v);
      kinds[dateColumn]!.push(k);
    }
    const [code, ck] = codeCell(r, codes, known);
    cells.push(code);
    kinds[codeColumn]!.push(ck);
    for (const x of contexts) {
      const [v, k] = contextCell(r, x.values);
      cells.push(v);
      kinds[x.c.column]!.push(k);
    }
    cells.push(narrative(r));
    kinds.Narrative!.push('text');
    lines.push(cells.map((c) => csvCell(c, quoteAll)).join(','));
  }
  return { csv: lines.join('\n') + '\n', kinds };
}

/** An export and the `xwalk` arguments that read it: `xwalk ...globalArgs convert FILE ...convertArgs`. */
export interface Scenario {
  csv: string;
  globalArgs: string[];
  convertArgs: string[];
}

/** The shipped vocabularies, plus the Chicago fixture when asked (chicago-iucr). */
export function shippedIndex(withChicago = false): RegistryIndex {
  return new RegistryIndex(loadRegistry([new DirSource('vocabularies'), ...(withChicago ? [new DirSource('fixtures/real')] : [])]));
}

/** NIBRS offenses to SRS lines with the conversion's fields (weapon, attempted, victim sex, entry, property), dated. */
export function nibrsToSrs(index: RegistryIndex, rows: number, seed: number): Scenario {
  const ctx: ContextColumn[] = [
    { column: 'Weapon', field: 'weapon' },
    { column: 'Attempted', field: 'attempted' },
    { column: 'VictimSex', field: 'victim_sex' },
    { column: 'EntryMethod', field: 'method_of_entry' },
    { column: 'PropertyDesc', field: 'property_description' },
  ];
  return {
    csv: genExport(index, { rows, seed, from: 'nibrs', domain: 'offense', codeColumn: 'NIBRS', contextFields: ctx, dateColumn: true }),
    globalArgs: [],
    convertArgs: ['--from', 'nibrs', '--to', 'srs', '--column', 'NIBRS:offense', '--fact', 'report=offense', ...ctx.flatMap((c) => ['--context', `${c.field}=${c.column}`]), '--value-separator', '|', '--as-of-column', 'IncidentDate'],
  };
}

/** Riverton PD's RMS to NIBRS, as `npm run demo` converts it (property_type decides 2399). */
export function rivertonToNibrs(index: RegistryIndex, rows: number, seed: number): Scenario {
  return {
    csv: genExport(index, { rows, seed, from: 'riverton-pd', domain: 'offense', codeColumn: 'OffenseCode', contextFields: [{ column: 'property_type', field: 'property_type' }], dateColumn: true }),
    globalArgs: [],
    convertArgs: ['--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '--context', 'property_type=property_type', '--as-of-column', 'IncidentDate'],
  };
}

/** Chicago IUCR codes chained through NIBRS to SRS (fixtures/real; needs shippedIndex(true) and `--vocab-dir fixtures/real`). */
export function chicagoToSrs(index: RegistryIndex, rows: number, seed: number): Scenario {
  return {
    csv: genExport(index, { rows, seed, from: 'chicago-iucr', domain: 'offense', codeColumn: 'IUCR', dateColumn: true, dateColumnName: 'Date' }),
    globalArgs: ['--vocab-dir', 'fixtures/real'],
    convertArgs: ['--from', 'chicago-iucr', '--to', 'srs', '--column', 'IUCR:offense', '--fact', 'report=offense', '--as-of-column', 'Date'],
  };
}
