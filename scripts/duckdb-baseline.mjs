// The DuckDB baseline of `npm run bench` (issue 18): the same recode as `xwalk convert` done by
// DuckDB as a data engineer would write it, a LEFT JOIN of the export with xwalk's flat mapping
// table, written back to CSV. Arguments: INPUT MAP OUTPUT COLUMN...; prints the peak RSS like
// scripts/rss-probe.cjs. Codes stay text (all_varchar); 2 threads (the machine's cores).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [input, map, output, ...columns] = process.argv.slice(2);
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const id = (s) => `"${s.replace(/"/g, '""')}"`;
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
await c.run(`CREATE TABLE m AS SELECT source_key, string_agg(target_code, '|' ORDER BY CAST(target_rank AS INTEGER)) AS code FROM read_csv(${q(map)}, all_varchar = true) WHERE selected = '1' GROUP BY source_key`);
const joins = columns.map((col, i) => `LEFT JOIN m m${i} ON m${i}.source_key = lpad(upper(trim(r.${id(col)})), 4, '0')`).join(' ');
const extra = columns.map((col, i) => `coalesce(m${i}.code, r.${id(col)}) AS ${id(`${col}_nibrs`)}`).join(', ');
await c.run(`COPY (SELECT r.*, ${extra} FROM read_csv(${q(input)}, all_varchar = true) r ${joins}) TO ${q(output)} (HEADER, DELIMITER ',')`);
const status = readFileSync('/proc/self/status', 'utf8');
const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
if (hwm) process.stderr.write(`XWALK_BENCH_MAXRSS_KB ${hwm[1]}\n`);
