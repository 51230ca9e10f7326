/**
 * The flat table (typed.ts) as a SQL script: `DROP TABLE IF EXISTS`, `CREATE TABLE`, and
 * multi-row `INSERT`s in batches, in one of five dialects:
 * - `portable` (the default, as before dialects existed): the common subset of SQLite, DuckDB,
 *   PostgreSQL and Spark SQL: VARCHAR text, INTEGER and DECIMAL numbers, dates as ISO text
 *   (YYYY-MM-DD sorts and compares as dates), condition value lists as `|`-joined text, string
 *   literals with doubled quotes only, NULL for absent cells;
 * - `duckdb`, `postgres`, `spark`: dates as DATE (`DATE 'YYYY-MM-DD'` literals), value lists as
 *   arrays (`VARCHAR[]`, `text[]`, `ARRAY<STRING>`); Spark's text is STRING, its string literals
 *   escape with backslashes (its parser reads `\`), its table is `USING parquet`;
 * - `sqlite`: DATE columns holding ISO text (SQLite has no date type; its date functions read
 *   ISO text), lists as `|`-joined text, REAL bounds.
 */

import { XwalkError } from '../errors/errors.js';
import { LIST_SEPARATOR, type Cell, type FlatTable, type TableColumn } from './typed.js';

export const SQL_DIALECTS = ['portable', 'duckdb', 'postgres', 'spark', 'sqlite'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export const DEFAULT_TABLE = 'xwalk_mapping';

/** A plain identifier: letters, digits, underscores, not starting with a digit. */
export function checkTableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new XwalkError(`--table "${name}" is not a plain SQL identifier`, { hint: 'use letters, digits and underscores, starting with a letter, e.g. xwalk_mapping' });
  return name;
}

export function checkDialect(name: string): SqlDialect {
  if (!(SQL_DIALECTS as readonly string[]).includes(name)) throw new XwalkError(`--dialect "${name}" is not a SQL dialect xwalk writes`, { hint: `use ${SQL_DIALECTS.join(', ')} (portable, the default, runs in all four engines)` });
  return name as SqlDialect;
}

/** Whether the dialect has array columns (the typed value lists are arrays there). */
export function hasArrays(dialect: SqlDialect): boolean {
  return dialect === 'duckdb' || dialect === 'postgres' || dialect === 'spark';
}

function columnType(c: TableColumn, d: SqlDialect): string {
  const notNull = c.notNull && d !== 'spark' ? ' NOT NULL' : '';
  switch (c.type) {
    case 'text':
      return (d === 'spark' ? 'STRING' : `VARCHAR(${c.length ?? 255})`) + notNull;
    case 'integer':
      return 'INTEGER' + notNull;
    case 'decimal':
      return 'DECIMAL(4,3)' + notNull;
    case 'double':
      return d === 'postgres' ? 'DOUBLE PRECISION' : d === 'sqlite' ? 'REAL' : d === 'portable' ? 'DECIMAL(18,6)' : 'DOUBLE';
    case 'date':
      return d === 'portable' ? 'VARCHAR(10)' : 'DATE';
    case 'list':
      return d === 'duckdb' ? 'VARCHAR[]' : d === 'postgres' ? 'text[]' : d === 'spark' ? 'ARRAY<STRING>' : 'VARCHAR(4000)';
  }
}

function text(v: string, d: SqlDialect): string {
  // Spark SQL reads backslash escapes in string literals; the others take them as written.
  return d === 'spark' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : `'${v.replace(/'/g, "''")}'`;
}

function literal(v: Cell, c: TableColumn, d: SqlDialect): string {
  if (v === undefined) return 'NULL';
  if (typeof v === 'object') {
    if (!hasArrays(d)) return text(v.join(LIST_SEPARATOR), d);
    const items = v.map((x) => text(x, d)).join(', ');
    return d === 'duckdb' ? `[${items}]` : d === 'postgres' ? `ARRAY[${items}]` : `array(${items})`;
  }
  if (typeof v === 'number') return String(v);
  if (c.type === 'date' && d !== 'portable' && d !== 'sqlite') return `DATE ${text(v, d)}`;
  return text(v, d);
}

export function sqlScript(table: FlatTable, opts: { table?: string; header?: string[]; dialect?: SqlDialect } = {}): string {
  const name = checkTableName(opts.table ?? DEFAULT_TABLE);
  const d = opts.dialect ?? 'portable';
  const out: string[] = [];
  for (const h of opts.header ?? []) out.push(`-- ${h}`);
  out.push(`DROP TABLE IF EXISTS ${name};`);
  out.push(`CREATE TABLE ${name} (`);
  out.push(table.columns.map((c) => `  ${c.name} ${columnType(c, d)}`).join(',\n'));
  out.push(d === 'spark' ? ') USING parquet;' : ');');
  const BATCH = 200;
  const names = table.columns.map((c) => c.name).join(', ');
  for (let i = 0; i < table.rows.length; i += BATCH) {
    out.push(`INSERT INTO ${name} (${names}) VALUES`);
    const batch = table.rows.slice(i, i + BATCH);
    out.push(batch.map((row) => `  (${row.map((v, j) => literal(v, table.columns[j]!, d)).join(', ')})`).join(',\n') + ';');
  }
  return out.join('\n') + '\n';
}
