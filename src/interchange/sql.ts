/**
 * The flat table (flat.ts) as a portable SQL script: `DROP TABLE IF EXISTS`, `CREATE TABLE`, and
 * multi-row `INSERT`s in batches. Written for the common subset of SQLite, DuckDB, PostgreSQL and
 * Spark SQL: VARCHAR text, INTEGER and DECIMAL(4,3) numbers, dates as ISO text (YYYY-MM-DD sorts
 * and compares as dates; CAST them where the engine wants a DATE), string literals with doubled
 * quotes only, NULL for absent cells.
 */

import { XwalkError } from '../errors/errors.js';
import { FLAT_COLUMNS, flatValue, type FlatRow } from './flat.js';

const TYPES: Record<(typeof FLAT_COLUMNS)[number][0], string> = {
  from_vocab: 'VARCHAR(64) NOT NULL',
  to_vocab: 'VARCHAR(64) NOT NULL',
  domain: 'VARCHAR(64) NOT NULL',
  source_code: 'VARCHAR(255) NOT NULL',
  source_key: 'VARCHAR(255) NOT NULL',
  source_label: 'VARCHAR(1000)',
  outcome: 'VARCHAR(16) NOT NULL',
  reason: 'VARCHAR(32)',
  target_rank: 'INTEGER',
  selected: 'INTEGER NOT NULL',
  target_code: 'VARCHAR(255)',
  target_label: 'VARCHAR(1000)',
  relation: 'VARCHAR(16)',
  relation_when: 'VARCHAR(16)',
  confidence: 'DECIMAL(4,3)',
  route: 'VARCHAR(8)',
  reviewed: 'INTEGER',
  conditions: 'VARCHAR(2000)',
  path: 'VARCHAR(2000)',
  valid_from: 'VARCHAR(10)',
  valid_to: 'VARCHAR(10)',
  note: 'VARCHAR(4000)',
};

const NUMERIC = new Set(['target_rank', 'selected', 'confidence', 'reviewed']);

export const DEFAULT_TABLE = 'xwalk_mapping';

/** A plain identifier: letters, digits, underscores, not starting with a digit. */
export function checkTableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new XwalkError(`--table "${name}" is not a plain SQL identifier`, { hint: 'use letters, digits and underscores, starting with a letter, e.g. xwalk_mapping' });
  return name;
}

function literal(v: string | number | undefined, numeric: boolean): string {
  if (v === undefined) return 'NULL';
  if (numeric) return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

export function sqlScript(rows: readonly FlatRow[], opts: { table?: string; header?: string[] } = {}): string {
  const table = checkTableName(opts.table ?? DEFAULT_TABLE);
  const out: string[] = [];
  for (const h of opts.header ?? []) out.push(`-- ${h}`);
  out.push(`DROP TABLE IF EXISTS ${table};`);
  out.push(`CREATE TABLE ${table} (`);
  out.push(FLAT_COLUMNS.map(([name]) => `  ${name} ${TYPES[name]}`).join(',\n'));
  out.push(');');
  const BATCH = 200;
  for (let i = 0; i < rows.length; i += BATCH) {
    out.push(`INSERT INTO ${table} (${FLAT_COLUMNS.map(([n]) => n).join(', ')}) VALUES`);
    const batch = rows.slice(i, i + BATCH);
    out.push(batch.map((row) => `  (${FLAT_COLUMNS.map(([name, key]) => literal(flatValue(row, key), NUMERIC.has(name))).join(', ')})`).join(',\n') + ';');
  }
  return out.join('\n') + '\n';
}
