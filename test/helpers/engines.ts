/**
 * Three real SQL engines behind one small interface, for the tests that run generated SQL and
 * compare its cells with `xwalk convert` (issue 17): DuckDB (in memory, @duckdb/node-api),
 * PostgreSQL 15 (a private cluster per engine, scripts/postgres.mjs, through pg) and SQLite
 * (sql.js, WebAssembly).
 *
 * `loadCsv` reads the export with the project's own CSV tokenizer, as `convert` does (a BOM
 * dropped, blank lines skipped, every cell unquoted and otherwise untouched: spaces, quotes, line
 * breaks; an empty field is '' and never NULL), into a table of text columns named exactly as the
 * header, plus an INTEGER column (`_line`: the 1-based data record number) to order by. `query`
 * gives every value as text (numbers through String, booleans 'true'/'false', dates 'YYYY-MM-DD')
 * and NULL as null. Each test opens its engines and closes them; nothing is shared.
 */

import { readFileSync } from 'node:fs';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import pg from 'pg';
import initSqlJs from 'sql.js';
import { CsvTokenizer, fieldValue, type RecordView } from '../../src/records/csv-reader.js';
import { startPostgres } from '../../scripts/postgres.mjs';

export type EngineName = 'duckdb' | 'postgres' | 'sqlite';

export interface LoadCsvOptions {
  /** One character (default ','). */
  delimiter?: string;
  /** The record-number column added to the table (default `_line`). */
  lineColumn?: string;
}

export interface QueryResult {
  columns: string[];
  rows: (string | null)[][];
}

export interface Engine {
  name: EngineName;
  loadCsv(table: string, csvPath: string, opts?: LoadCsvOptions): Promise<{ columns: string[]; rows: number }>;
  /** A script of statements separated by `;`. */
  exec(script: string): Promise<void>;
  query(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}

/** A CSV export as `convert` reads it: the header's names and every record's cells. */
export interface ExportTable {
  header: string[];
  rows: string[][];
}

/** Reads a CSV text with the tokenizer `convert` uses (records/csv-reader.ts), the way convert does (convert/stream.ts): one leading BOM dropped. */
export function readExport(text: string, delimiter = ','): ExportTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tok = new CsvTokenizer({ delimiter, quote: '"' });
  let header: string[] | undefined;
  const rows: string[][] = [];
  const take = (v: RecordView) => {
    const cells = new Array<string>(v.count);
    for (let i = 0; i < v.count; i++) cells[i] = fieldValue(v.text.slice(v.fs[i]!, v.fe[i]!));
    if (!header) {
      header = cells;
      return;
    }
    if (v.count === 1 && v.start === v.end && header.length !== 1) return; // a blank line
    if (v.count !== header.length) throw new Error(`line ${v.line}: the record has ${v.count} fields, the header has ${header.length}`);
    rows.push(cells);
  };
  tok.push(body, take);
  tok.end(take);
  if (!header) throw new Error('the CSV is empty: no header row');
  return { header, rows };
}

/** Reads a CSV file as UTF-8 (refusing bad bytes, as convert does) into an ExportTable. */
export function readExportFile(path: string, delimiter = ','): ExportTable {
  // The BOM is kept here and dropped once by readExport: a second one is data, as in convert (issue 15).
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(path));
  return readExport(text, delimiter);
}

/**
 * The first row where two tables of cells differ, for a readable failure (undefined when equal):
 * an engine's rows against convert's, say. Rows are compared cell for cell, NULL apart from ''.
 */
export function firstDifference(got: readonly (readonly (string | null)[])[], want: readonly (readonly (string | null)[])[]): { row: number; got?: readonly (string | null)[]; want?: readonly (string | null)[] } | undefined {
  const n = Math.max(got.length, want.length);
  for (let i = 0; i < n; i++) {
    const g = got[i];
    const w = want[i];
    if (!g || !w || g.length !== w.length || g.some((c, j) => c !== w[j])) return { row: i + 1, ...(g ? { got: g } : {}), ...(w ? { want: w } : {}) };
  }
  return undefined;
}

/** A double-quoted SQL identifier (the three engines all accept this form). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function prepareLoad(csvPath: string, opts: LoadCsvOptions | undefined): { table: ExportTable; line: string } {
  const table = readExportFile(csvPath, opts?.delimiter ?? ',');
  const line = opts?.lineColumn ?? '_line';
  if (table.header.includes(line)) throw new Error(`${csvPath}: the header already has a column "${line}"; pass another lineColumn`);
  const seen = new Set<string>();
  for (const h of table.header) {
    if (seen.has(h)) throw new Error(`${csvPath}: the header names column "${h}" twice; a table cannot hold it`);
    seen.add(h);
  }
  return { table, line };
}

function createTableSql(name: string, header: string[], line: string, text: string): string {
  return `CREATE TABLE ${ident(name)} (${[...header.map((h) => `${ident(h)} ${text}`), `${ident(line)} INTEGER`].join(', ')})`;
}

// --- DuckDB ---------------------------------------------------------------------------------

function duckText(v: DuckDBValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  return String(v); // numbers, bigints, booleans; DATE values print as YYYY-MM-DD
}

/** DuckDB in memory, 2 threads (the machine's cores). */
export async function openDuckDB(): Promise<Engine> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await db.connect();
  return {
    name: 'duckdb',
    async loadCsv(name, csvPath, opts) {
      const { table, line } = prepareLoad(csvPath, opts);
      await c.run(createTableSql(name, table.header, line, 'VARCHAR'));
      const app = await c.createAppender(name);
      table.rows.forEach((row, i) => {
        for (const cell of row) app.appendVarchar(cell);
        app.appendInteger(i + 1);
        app.endRow();
      });
      app.closeSync();
      return { columns: [...table.header, line], rows: table.rows.length };
    },
    async exec(script) {
      await c.run(script);
    },
    async query(sql) {
      const r = await c.runAndReadAll(sql);
      return { columns: r.columnNames(), rows: r.getRows().map((row) => row.map(duckText)) };
    },
    async close() {
      c.closeSync();
      db.closeSync();
    },
  };
}

// --- PostgreSQL -----------------------------------------------------------------------------

const PG_BOOL = 16;
/** Every value as the server's text, except booleans ('t'/'f' → 'true'/'false', as DuckDB and String print them). */
const rawTypes = {
  getTypeParser: (oid: number) => (oid === PG_BOOL ? (v: string) => (v === 't' ? 'true' : 'false') : (v: string) => v),
} as unknown as pg.CustomTypesConfig;

/** Rows per INSERT when loading: one array parameter per column, so no parameter limit applies. */
const PG_BATCH = 20_000;

/** A private PostgreSQL 15 cluster (started here, stopped by close()) and a pg client on its socket. */
export async function openPostgres(): Promise<Engine> {
  const cluster = await startPostgres();
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database, types: rawTypes });
  try {
    await client.connect();
    await client.query("SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'");
  } catch (e) {
    cluster.stop();
    throw e;
  }
  return {
    name: 'postgres',
    async loadCsv(name, csvPath, opts) {
      const { table, line } = prepareLoad(csvPath, opts);
      await client.query(createTableSql(name, table.header, line, 'TEXT'));
      const n = table.header.length;
      const cols = [...table.header, line].map(ident).join(', ');
      const arrays = [...table.header.map((_, j) => `$${j + 1}::text[]`), `$${n + 1}::int[]`].join(', ');
      const sql = `INSERT INTO ${ident(name)} (${cols}) SELECT * FROM unnest(${arrays})`;
      for (let start = 0; start < table.rows.length; start += PG_BATCH) {
        const batch = table.rows.slice(start, start + PG_BATCH);
        const params: unknown[] = table.header.map((_, j) => batch.map((row) => row[j]!));
        params.push(batch.map((_, i) => start + i + 1));
        await client.query(sql, params);
      }
      return { columns: [...table.header, line], rows: table.rows.length };
    },
    async exec(script) {
      await client.query(script); // no parameters: the simple protocol, which runs many statements
    },
    async query(sql) {
      const r = await client.query({ text: sql, rowMode: 'array' });
      return { columns: r.fields.map((f) => f.name), rows: (r.rows as unknown[][]).map((row) => row.map((v) => (v === null ? null : String(v)))) };
    },
    async close() {
      try {
        await client.end();
      } finally {
        cluster.stop();
      }
    },
  };
}

// --- SQLite (sql.js) ------------------------------------------------------------------------

let sqlJs: ReturnType<typeof initSqlJs> | undefined;

/** SQLite in WebAssembly, in memory. */
export async function openSqlite(): Promise<Engine> {
  sqlJs ??= initSqlJs();
  const db = new (await sqlJs).Database();
  return {
    name: 'sqlite',
    async loadCsv(name, csvPath, opts) {
      const { table, line } = prepareLoad(csvPath, opts);
      db.run(createTableSql(name, table.header, line, 'TEXT'));
      const st = db.prepare(`INSERT INTO ${ident(name)} VALUES (${[...table.header, line].map(() => '?').join(', ')})`);
      db.run('BEGIN');
      try {
        table.rows.forEach((row, i) => st.run([...row, i + 1]));
        db.run('COMMIT');
      } catch (e) {
        db.run('ROLLBACK');
        throw e;
      } finally {
        st.free();
      }
      return { columns: [...table.header, line], rows: table.rows.length };
    },
    async exec(script) {
      db.exec(script);
    },
    async query(sql) {
      const st = db.prepare(sql);
      try {
        const columns = st.getColumnNames();
        const rows: (string | null)[][] = [];
        while (st.step()) rows.push(st.get().map((v) => (v === null ? null : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v))));
        return { columns, rows };
      } finally {
        st.free();
      }
    },
    async close() {
      db.close();
    },
  };
}

export const OPENERS: Record<EngineName, () => Promise<Engine>> = { duckdb: openDuckDB, postgres: openPostgres, sqlite: openSqlite };
