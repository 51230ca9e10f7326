/** The part of sql.js (SQLite in WebAssembly, a dev dependency) the SQL export test uses. */
declare module 'sql.js' {
  export interface QueryExecResult {
    columns: string[];
    values: (string | number | null | Uint8Array)[][];
  }
  export interface Database {
    run(sql: string, params?: (string | number | null)[]): Database;
    exec(sql: string): QueryExecResult[];
    prepare(sql: string): { run(params: (string | number | null)[]): void; free(): void };
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new () => Database;
  }
  export default function initSqlJs(config?: Record<string, unknown>): Promise<SqlJsStatic>;
}
