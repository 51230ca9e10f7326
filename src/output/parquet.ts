/**
 * Parquet files, written by DuckDB itself (`COPY table TO 'file' (FORMAT parquet)`), through the
 * optional package `@duckdb/node-api` (issue 17). In: the DuckDB script that builds the table
 * (interchange/sql.ts, dialect duckdb) and the target path. Out: the file, whole or not at all
 * (through a temporary file and a rename, output/atomic.ts).
 *
 * DuckDB is a native addon: loaded only here, only when Parquet is asked for, so that every other
 * command runs without it. Where it cannot load (not installed, or inside the single executable,
 * which cannot load native addons) the run stops with an XwalkError that says how to get it.
 */

import { createRequire } from 'node:module';
import { XwalkError } from '../errors/errors.js';
import { writeAtomicWith } from './atomic.js';

/** The part of `@duckdb/node-api` this file uses. */
export interface DuckDbModule {
  DuckDBInstance: {
    create(
      path?: string,
      options?: Record<string, string>,
    ): Promise<{
      connect(): Promise<{ run(sql: string): Promise<unknown>; closeSync(): void }>;
      closeSync(): void;
    }>;
  };
}

/** How DuckDB is found: injectable, so that the refusals can be tested where DuckDB is installed. */
export interface DuckDbLoader {
  /** Whether this process is Node's single executable (which cannot load native addons). */
  isSea(): Promise<boolean>;
  /** The module, or a thrown error when it cannot be loaded. */
  load(): Promise<DuckDbModule>;
}

export const DUCKDB_PACKAGE = '@duckdb/node-api';

/**
 * The CJS bundle's require, made from its own file: bin/xwalk runs the bundle in a vm script
 * without dynamic import(), and the single executable's own require loads built-in modules only.
 * Undefined in ESM (the library build, the tests), which import(). Not `typeof require`: the ESM
 * build turns that into a shim that throws.
 */
function bundleRequire(): NodeJS.Require | undefined {
  return typeof __filename === 'string' ? createRequire(__filename) : undefined;
}

/**
 * The real loader. `moduleName` is the package to load (`XWALK_DUCKDB_MODULE` in the CLI; the
 * tests name a missing one to check the refusal through bin/xwalk).
 */
export function nodeDuckDbLoader(moduleName: string = DUCKDB_PACKAGE): DuckDbLoader {
  return {
    async isSea() {
      try {
        const req = bundleRequire();
        const sea = (req ? req('node:sea') : await import('node:sea')) as { isSea?: () => boolean };
        return typeof sea.isSea === 'function' && sea.isSea();
      } catch {
        return false; // Node without node:sea: not a single executable
      }
    },
    async load() {
      // Never bundled: the specifier is not a literal, and the package stays outside dist/.
      const req = bundleRequire();
      const mod = (req ? req(moduleName) : await import(moduleName)) as DuckDbModule & { default?: DuckDbModule };
      const api = mod.DuckDBInstance ? mod : mod.default;
      if (!api?.DuckDBInstance) throw new Error(`${moduleName} has no DuckDBInstance`);
      return api;
    },
  };
}

const HOW = `install it beside xwalk (npm install ${DUCKDB_PACKAGE}), or export --format csv and load that into your engine`;

async function duckdb(loader: DuckDbLoader): Promise<DuckDbModule> {
  if (await loader.isSea()) throw new XwalkError(`--format parquet needs DuckDB (${DUCKDB_PACKAGE}, a native addon), which the single executable cannot load`, { hint: `run xwalk from npm (npm install xwalk ${DUCKDB_PACKAGE}), or export --format csv and load that into your engine` });
  try {
    return await loader.load();
  } catch (e) {
    const missing = ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((e as NodeJS.ErrnoException).code ?? '');
    throw new XwalkError(missing ? `--format parquet needs the optional package ${DUCKDB_PACKAGE}, which is not installed` : `--format parquet needs ${DUCKDB_PACKAGE}, which did not load: ${(e as Error).message.split('\n')[0]}`, { hint: HOW });
  }
}

function quote(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}

/** Runs `script` in an in-memory DuckDB and writes `table` to `target` as Parquet. */
export async function writeParquet(target: string, script: string, table: string, loader: DuckDbLoader = nodeDuckDbLoader()): Promise<void> {
  const { DuckDBInstance } = await duckdb(loader);
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const c = await db.connect();
    try {
      await c.run(script);
      await writeAtomicWith(target, async (path) => {
        await c.run(`COPY ${table} TO ${quote(path)} (FORMAT parquet)`);
      });
    } finally {
      c.closeSync();
    }
  } finally {
    db.closeSync();
  }
}
