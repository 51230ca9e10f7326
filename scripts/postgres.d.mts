/** Types of scripts/postgres.mjs (a plain Node script, so `node scripts/postgres.mjs ensure` needs no build). */
export declare class PostgresUnavailable extends Error {}
export interface PostgresCluster {
  /** The folder of the server's unix socket (pg's `host`). */
  host: string;
  port: number;
  user: string;
  database: string;
  /** The cluster's temp folder, removed by stop(). */
  dir: string;
  /** Stops the server (immediate mode) and removes its folder; safe to call twice. */
  stop(): void;
}
export interface EnsureOptions {
  install?: boolean;
  bin?: string;
  debianBin?: string;
  root?: boolean;
  aptGet?: ((args: string[]) => boolean) | undefined;
  log?: (message: string) => void;
}
export declare function pgBin(): string;
export declare function ensurePostgres(opts?: EnsureOptions): string;
export declare function startPostgres(opts?: { port?: number; timeoutMs?: number }): Promise<PostgresCluster>;
