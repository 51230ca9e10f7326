/** The part of sql.js (SQLite in WebAssembly, a dev dependency) the SQL export test and test/helpers/engines.ts use. */
declare module 'sql.js' {
  export interface QueryExecResult {
    columns: string[];
    values: (string | number | null | Uint8Array)[][];
  }
  export interface Database {
    run(sql: string, params?: (string | number | null)[]): Database;
    exec(sql: string): QueryExecResult[];
    prepare(sql: string): Statement;
    close(): void;
  }
  export interface Statement {
    run(params: (string | number | null)[]): void;
    step(): boolean;
    get(): (string | number | null | Uint8Array)[];
    getColumnNames(): string[];
    free(): void;
  }
  export interface SqlJsStatic {
    Database: new () => Database;
  }
  export default function initSqlJs(config?: Record<string, unknown>): Promise<SqlJsStatic>;
}
