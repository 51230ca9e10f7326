/**
 * The flat table (flat.ts) with its conditions as typed columns, for SQL engines and Parquet
 * (issue 17, "flat exports for engines"). In: the resolved rows and the condition fields their
 * crosswalks declare. Out: one table of named, typed columns and cells, which the CSV, SQL and
 * Parquet writers render each in their own way. Pure: no I/O.
 *
 * Per condition field F (in the order the crosswalk declares them; fields a condition names but no
 * crosswalk declares come last, typed as text):
 * - `when_F`: the values the row's condition on F accepts, as leaf codes (a group such as FIREARM
 *   is written as the codes under it; `~` is "not recorded"); NULL when the row puts no condition
 *   on F. A list: an array where the engine has them, else `|`-joined text.
 * - `when_F_op`: `in` (the record's value must be one of them) or `not-in` (must be none of them);
 *   NULL with `when_F`.
 * - number fields also `when_F_lt`, `when_F_le`, `when_F_gt`, `when_F_ge`: the record's number
 *   must be below / at most / above / at least this (NULL: no such bound).
 * And `conditions_typed`: 1 when these columns say everything `conditions` says, 0 when some
 * condition could not be put in them exactly (then read `conditions`), NULL when the row has none.
 * (Not exactly: two conditions on one multi-valued field, `in` and `not-in` on one field, a
 * comparison on a field not typed as a number, a value holding the list separator `|`.)
 */

import type { Condition, FieldDecl } from '../model/types.js';
import { NOT_RECORDED } from '../model/types.js';
import { FieldSpace, untypedDecl } from '../indexes/facts.js';
import type { RegistryIndex } from '../indexes/index.js';
import { normalizeCode } from '../load/normalize.js';
import { csvCell, FLAT_COLUMNS, flatValue, LIST_SEPARATOR, type FlatRow } from './flat.js';
import { excelSafe } from '../records/csv-writer.js';

export { LIST_SEPARATOR } from './flat.js';

/** How a column's cells are typed; every writer maps these to its own types. */
export type ColumnType = 'text' | 'integer' | 'decimal' | 'date' | 'list' | 'double';

export interface TableColumn {
  name: string;
  type: ColumnType;
  /** Portable SQL's VARCHAR length (text columns). */
  length?: number;
  notNull?: boolean;
}

/** A cell: text, a number, an ISO date (type `date`), a list of text, or absent (NULL). */
export type Cell = string | number | readonly string[] | undefined;

export interface FlatTable {
  columns: TableColumn[];
  rows: Cell[][];
}

const BASE_TYPES: Record<(typeof FLAT_COLUMNS)[number][0], Omit<TableColumn, 'name'>> = {
  from_vocab: { type: 'text', length: 64, notNull: true },
  to_vocab: { type: 'text', length: 64, notNull: true },
  domain: { type: 'text', length: 64, notNull: true },
  source_code: { type: 'text', length: 255, notNull: true },
  source_key: { type: 'text', length: 255, notNull: true },
  source_label: { type: 'text', length: 1000 },
  outcome: { type: 'text', length: 16, notNull: true },
  reason: { type: 'text', length: 32 },
  target_rank: { type: 'integer' },
  selected: { type: 'integer', notNull: true },
  target_code: { type: 'text', length: 255 },
  target_label: { type: 'text', length: 1000 },
  relation: { type: 'text', length: 16 },
  relation_when: { type: 'text', length: 16 },
  confidence: { type: 'decimal' },
  route: { type: 'text', length: 8 },
  reviewed: { type: 'integer' },
  conditions: { type: 'text', length: 2000 },
  path: { type: 'text', length: 2000 },
  valid_from: { type: 'date' },
  valid_to: { type: 'date' },
  note: { type: 'text', length: 4000 },
};

const BOUNDS = ['lt', 'le', 'gt', 'ge'] as const;
type Bound = (typeof BOUNDS)[number];

/** A field name as a column name part: lower case, letters, digits and underscores. */
export function columnPart(field: string): string {
  return field.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** Whether a CSV header name is one of the typed condition columns (for import). */
export function isTypedColumn(name: string): boolean {
  return name === 'conditions_typed' || /^when_[a-z0-9_]+$/.test(name);
}

interface FieldColumns {
  space: FieldSpace;
  values: string;
  op: string;
  bounds?: Record<Bound, string>;
  /** Leaf order: the field vocabulary's term order (`~` last), else as listed. */
  order: Map<string, number> | undefined;
}

/** Every field the rows' conditions name, declared ones first in declaration order. */
function fieldsOf(rows: readonly FlatRow[], declared: readonly FieldDecl[]): FieldDecl[] {
  const out = new Map<string, FieldDecl>();
  for (const d of declared) if (!out.has(d.name)) out.set(d.name, d);
  for (const r of rows) for (const c of r.when ?? []) if (!out.has(c.field)) out.set(c.field, untypedDecl(c.field));
  return [...out.values()];
}

function layout(fields: readonly FieldDecl[], index: RegistryIndex): { columns: TableColumn[]; byField: Map<string, FieldColumns> } {
  const columns: TableColumn[] = [];
  const byField = new Map<string, FieldColumns>();
  for (const decl of fields) {
    const space = new FieldSpace(decl, index);
    const p = columnPart(decl.name);
    const fc: FieldColumns = { space, values: `when_${p}`, op: `when_${p}_op`, order: undefined };
    columns.push({ name: fc.values, type: 'list' }, { name: fc.op, type: 'text', length: 8 });
    if (decl.type === 'number') {
      fc.bounds = { lt: `when_${p}_lt`, le: `when_${p}_le`, gt: `when_${p}_gt`, ge: `when_${p}_ge` };
      for (const b of BOUNDS) columns.push({ name: fc.bounds[b], type: 'double' });
    }
    if (space.table) {
      const table = space.table;
      fc.order = new Map([...table.terms.values()].map((t, i) => [normalizeCode(t.code, table.normalize), i]));
    }
    byField.set(decl.name, fc);
  }
  if (fields.length) columns.push({ name: 'conditions_typed', type: 'integer' });
  return { columns, byField };
}

function sortLeaves(leaves: Iterable<string>, order: Map<string, number> | undefined): string[] {
  const list = [...leaves];
  if (!order) return list;
  const pos = (l: string) => (l === NOT_RECORDED ? Number.MAX_SAFE_INTEGER : (order.get(l) ?? Number.MAX_SAFE_INTEGER - 1));
  return list.sort((a, b) => pos(a) - pos(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The typed cells of one row's conditions, and whether they say all the conditions say. */
function typedCells(when: readonly Condition[], byField: Map<string, FieldColumns>): { cells: Map<string, Cell>; exact: boolean } {
  const cells = new Map<string, Cell>();
  let exact = true;
  const seen = new Map<string, { op: 'in' | 'not-in'; leaves: Set<string> }>();
  const bounds = new Map<string, number>();
  for (const c of when) {
    const fc = byField.get(c.field)!;
    if (!('values' in c)) {
      if (!fc.bounds) {
        // A comparison on a field not typed as a number: only the text says it.
        exact = false;
        continue;
      }
      const col = fc.bounds[c.op];
      const prev = bounds.get(col);
      // Several bounds of one kind: all must hold, so the tightest one is the condition.
      const tighter = prev === undefined ? c.value : c.op === 'lt' || c.op === 'le' ? Math.min(prev, c.value) : Math.max(prev, c.value);
      bounds.set(col, tighter);
      continue;
    }
    const acc = fc.space.accepted(c);
    const leaves = 'leaves' in acc ? acc.leaves : new Set<string>();
    const prev = seen.get(c.field);
    if (!prev) {
      seen.set(c.field, { op: c.op, leaves });
      continue;
    }
    // Two conditions on one field fold into one exactly only for a single-valued field with the
    // same operator: in A and in B = in A∩B; not-in A and not-in B = not-in A∪B.
    if (prev.op !== c.op || fc.space.decl.multi) {
      exact = false;
      continue;
    }
    prev.leaves = c.op === 'in' ? new Set([...prev.leaves].filter((l) => leaves.has(l))) : new Set([...prev.leaves, ...leaves]);
  }
  for (const [field, s] of seen) {
    const fc = byField.get(field)!;
    // A value holding the separator cannot be told apart where lists are |-joined text.
    if ([...s.leaves].some((l) => l.includes(LIST_SEPARATOR))) exact = false;
    cells.set(fc.values, sortLeaves(s.leaves, fc.order));
    cells.set(fc.op, s.op);
  }
  for (const [col, v] of bounds) cells.set(col, v);
  return { cells, exact };
}

/** The flat table with typed condition columns after the existing ones. */
export function flatTable(rows: readonly FlatRow[], fields: readonly FieldDecl[], index: RegistryIndex): FlatTable {
  const { columns: typed, byField } = layout(fieldsOf(rows, fields), index);
  const columns: TableColumn[] = [...FLAT_COLUMNS.map(([name]) => ({ name, ...BASE_TYPES[name] })), ...typed];
  const out: Cell[][] = rows.map((row) => {
    const base: Cell[] = FLAT_COLUMNS.map(([, key]) => flatValue(row, key));
    if (!typed.length) return base;
    const when = row.when ?? [];
    const { cells, exact } = typedCells(when, byField);
    const rest: Cell[] = typed.map((c) => (c.name === 'conditions_typed' ? (when.length ? (exact ? 1 : 0) : undefined) : cells.get(c.name)));
    return [...base, ...rest];
  });
  return { columns, rows: out };
}

/**
 * The flat table as CSV (RFC 4180, LF line ends, header first). `excelSafe`: a cell a spreadsheet
 * would run as a formula gets a leading ' (as convert --excel-safe does). Lists are joined with
 * `|` (LIST_SEPARATOR), dates are ISO (YYYY-MM-DD).
 */
export function flatCsv(table: FlatTable, opts: { excelSafe?: boolean } = {}): string {
  const lines = [table.columns.map((c) => c.name).join(',')];
  for (const row of table.rows)
    lines.push(
      row
        .map((v) => {
          if (v === undefined) return '';
          const text = typeof v === 'object' ? v.join(LIST_SEPARATOR) : String(v);
          return csvCell(opts.excelSafe ? excelSafe(text) : text);
        })
        .join(','),
    );
  return lines.join('\n') + '\n';
}
