/**
 * The SQL executor of a conversion plan: `xwalk sql` writes one script that creates the plan's
 * tables and ends with a SELECT over the input table giving exactly convert's output columns and
 * cells, in convert's order (ORDER BY the column named). Pure: plan in, text out.
 *
 * The script's parts, each the SQL spelling of one step of src/plan:
 *   key     the cell trimmed, cased and padded as the source vocabulary normalizes codes, looked up in
 *           xwalk_keys; else the spreadsheet forms (`="0460"`, `'0460`, `460.0`, `4.6E+02` via xwalk_sci)
 *           when they name exactly one code;
 *   date    the as-of column read with convert's date readings (regular expressions, calendar checks);
 *   facts   each context cell split into values, each value's profile from xwalk_tokens, the profiles
 *           aggregated per atom (any holds, all fail, least rank) into the field's signature;
 *   answer  xwalk_decisions joined on (column, code, date class and interval, signature LIKE pattern);
 *   cells   empty, unknown and unmapped policies as convert writes them.
 */

import { XwalkError } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';
import { makePlan, type ConvertOptions } from '../convert/plan.js';
import { ColumnPlan } from '../plan/column.js';
import { enumerateColumn, type ColumnTables, type DecisionRow } from '../plan/enumerate.js';
import { dateReadings, patternRegex, FULL_MONTHS, MONTHS } from '../convert/dates.js';
import { dialect as dialectOf, type Dialect, type DialectName } from './dialect.js';
import type { Normalize } from '../model/types.js';

export interface SqlOptions {
  dialect: DialectName;
  /** The table (or view) holding the export, every column text. */
  inputTable: string;
  /** The column that orders the rows as the file had them (a table has no order of its own). */
  orderBy: string;
  /** Write the tables' CREATE and INSERT (default), or expect them loaded (`--no-data`). */
  data: boolean;
  /** Prefix of the plan's tables (default `xwalk_`). */
  prefix?: string;
}

export interface CompiledSql {
  script: string;
  /** The plan's tables as rows, for loading them otherwise (`xwalk sql --tables DIR`). */
  tables: Record<string, { columns: string[]; rows: (string | number | null)[][] }>;
  stats: { decisions: number; keys: number; tokens: number; translations: number };
}

const BATCH = 500;

export function compileSql(index: RegistryIndex, opts: ConvertOptions, header: string[], sql: SqlOptions): CompiledSql {
  if (opts.unmapped.kind === 'error') throw new XwalkError('--unmapped error rejects rows, which a SELECT cannot do', { hint: 'use --unmapped keep, blank or fixed:VALUE, and filter on the status column' });
  if (opts.ambiguous === 'error') throw new XwalkError('--ambiguous error rejects rows, which a SELECT cannot do', { hint: 'use --ambiguous all, first or blank, and filter on the status column' });
  const d = dialectOf(sql.dialect);
  const plan = makePlan(index, { ...opts, format: 'csv' }, header);
  const names = new Set<string>();
  for (const h of header) {
    if (h === '') throw new XwalkError('a header field has no name, which a table column cannot have', { hint: 'name every column in the input' });
    if (names.has(h)) throw new XwalkError(`the header names column "${h}" twice, which a table cannot hold`, { hint: 'rename one of them in the input' });
    names.add(h);
  }
  if (plan.asOfIndex !== undefined && d.name === 'sqlite') throw new XwalkError('--as-of-column is not compiled for sqlite: it has no regular expressions to read dates with', { hint: 'use --dialect duckdb or postgres, or --as-of for one date' });
  const prefix = sql.prefix ?? 'xwalk_';
  const contextFields = plan.context.map((c) => c.field);
  const dating = plan.asOfIndex !== undefined ? ({ kind: 'column' } as const) : opts.asOf !== undefined ? ({ kind: 'fixed', asOf: opts.asOf } as const) : ({ kind: 'none' } as const);
  const columns = plan.columns.map((c) => {
    const cp = new ColumnPlan(index, {
      from: opts.from,
      to: opts.to,
      domain: c.domain,
      contextFields,
      ...(opts.maxHops !== undefined ? { maxHops: opts.maxHops } : {}),
      ...(opts.valueSeparator !== undefined ? { valueSeparator: opts.valueSeparator } : {}),
      ...(opts.rollUp ? { rollUp: true } : {}),
      ...(opts.facts?.size ? { facts: opts.facts } : {}),
    });
    const tables = enumerateColumn(cp, { ambiguous: opts.ambiguous, dating, contextFields });
    const normalize = index.table(opts.from, c.domain)!.normalize;
    return { ...c, tables, normalize };
  });
  const tables = tableRows(columns.map((c) => c.tables));
  const out: string[] = [];
  out.push(`-- xwalk sql: ${opts.from} → ${opts.to}, ${columns.map((c) => `${c.name} (${c.domain})`).join(', ')}; dialect ${d.name}`);
  out.push(`-- Every cell as xwalk convert writes it; rows in the order of ${sql.orderBy}.`);
  if (sql.data) out.push(...createTables(d, prefix, tables));
  else
    out.push(
      `-- The tables ${Object.keys(tables)
        .map((t) => prefix + t)
        .join(', ')} are expected loaded (xwalk sql --tables DIR writes them).`,
    );
  out.push(
    selectSql(
      d,
      prefix,
      opts,
      plan.inHeader,
      columns,
      plan.context.map((c) => header[c.index]!),
      plan.asOfIndex !== undefined ? header[plan.asOfIndex]! : undefined,
      sql,
    ) + ';',
  );
  return {
    script: out.join('\n') + '\n',
    tables,
    stats: {
      decisions: columns.reduce((n, c) => n + c.tables.decisions.length, 0),
      keys: columns.reduce((n, c) => n + c.tables.keys.length, 0),
      tokens: columns.reduce((n, c) => n + c.tables.fields.reduce((m, f) => m + f.tokens.length, 0), 0),
      translations: columns.reduce((n, c) => n + c.tables.translations, 0),
    },
  };
}

export const TABLE_COLUMNS: Record<string, [string, 'int' | 'text'][]> = {
  keys: [
    ['col', 'int'],
    ['form', 'text'],
    ['code', 'text'],
  ],
  sci: [
    ['col', 'int'],
    ['form', 'text'],
    ['code', 'text'],
  ],
  tokens: [
    ['col', 'int'],
    ['field', 'int'],
    ['kind', 'text'],
    ['form', 'text'],
    ['profile', 'text'],
  ],
  decisions: [
    ['col', 'int'],
    ['code', 'text'],
    ['dclass', 'text'],
    ['date_lo', 'text'],
    ['date_hi', 'text'],
    ['pattern', 'text'],
    ['status', 'text'],
    ['has_out', 'int'],
    ['out', 'text'],
    ['relation', 'text'],
    ['confidence', 'text'],
    ['path', 'text'],
    ['conditions', 'text'],
  ],
};

function tableRows(cols: ColumnTables[]): CompiledSql['tables'] {
  const t: CompiledSql['tables'] = {};
  for (const [name, spec] of Object.entries(TABLE_COLUMNS)) t[name] = { columns: spec.map(([c]) => c), rows: [] };
  cols.forEach((c, i) => {
    for (const k of c.keys) t.keys!.rows.push([i, k.form, k.code]);
    for (const s of c.sci) t.sci!.rows.push([i, s.form, s.code]);
    c.fields.forEach((f, j) => {
      for (const tok of f.tokens) t.tokens!.rows.push([i, j, tok.kind, tok.form, f.split ? tok.profile : stripRanks(tok.profile)]);
    });
    for (const r of c.decisions) t.decisions!.rows.push(decisionRow(i, r));
  });
  return t;
}

function decisionRow(i: number, r: DecisionRow): (string | number | null)[] {
  return [i, r.code, r.dclass, r.lo ?? null, r.hi ?? null, r.pattern, r.status, r.out === undefined ? 0 : 1, r.out ?? null, r.relation, r.confidence, r.path, r.conditions];
}

function stripRanks(profile: string): string {
  let s = '';
  for (let i = 0; i < profile.length; i += 3) s += profile[i] + '--';
  return s;
}

function literal(d: Dialect, v: string | number | null): string {
  return v === null ? 'NULL' : typeof v === 'number' ? String(v) : d.str(v);
}

function createTables(d: Dialect, prefix: string, tables: CompiledSql['tables']): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(TABLE_COLUMNS)) {
    const t = `${prefix}${name}`;
    const rows = tables[name]!.rows;
    const cols = spec.map(([c]) => c);
    if (d.inlineTables) {
      // Spark: a temporary view over inline VALUES (documented Spark SQL 3.5); an empty table as a typed empty SELECT.
      const typed = spec.map(([c, k]) => `CAST(NULL AS ${k === 'int' ? 'INT' : 'STRING'}) AS ${c}`).join(', ');
      if (!rows.length) out.push(`CREATE OR REPLACE TEMPORARY VIEW ${t} AS SELECT ${typed} WHERE 1 = 0;`);
      else out.push(`CREATE OR REPLACE TEMPORARY VIEW ${t} AS SELECT * FROM VALUES\n${rows.map((r) => `  (${r.map((v) => literal(d, v)).join(', ')})`).join(',\n')}\nAS ${t}(${cols.join(', ')});`);
      continue;
    }
    out.push(`DROP TABLE IF EXISTS ${t};`);
    out.push(`CREATE TABLE ${t} (${spec.map(([c, k]) => `${c} ${k === 'int' ? d.intType : d.textType}`).join(', ')});`);
    for (let i = 0; i < rows.length; i += BATCH) {
      out.push(
        `INSERT INTO ${t} (${cols.join(', ')}) VALUES\n${rows
          .slice(i, i + BATCH)
          .map((r) => `  (${r.map((v) => literal(d, v)).join(', ')})`)
          .join(',\n')};`,
      );
    }
  }
  return out;
}

/** The cell normalized as a code of a table with these rules (normalize.ts). */
function normalizeSql(d: Dialect, x: string, n: Normalize): string {
  let s = n.trim ? d.trim(x) : x;
  if (n.case === 'upper') s = `upper(${s})`;
  else if (n.case === 'lower') s = `lower(${s})`;
  if (n.pad > 0) s = `(CASE WHEN length(${s}) < ${n.pad} AND substr(${s}, 1, 1) IN ('0','1','2','3','4','5','6','7','8','9') THEN ${d.lpad(s, n.pad)} ELSE ${s} END)`;
  return s;
}

/**
 * The CTEs that read each distinct date cell (`raw`) as convert does: per reading, its groups
 * extracted once (xw_dg), then checked against the calendar (xw_dt: raw, xw_date, xw_dc).
 */
function dateCtes(d: Dialect, spec: string | undefined): string[] {
  const v = 'v';
  const groups: string[] = [];
  const parts: string[] = [];
  const valid = (y: string, m: string, dd: string) => {
    const leap = `(${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0))`;
    const dim = `(CASE WHEN ${m} = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
    return `${y} >= 100 AND ${y} <= 9999 AND ${m} BETWEEN 1 AND 12 AND ${dd} >= 1 AND ${dd} <= ${dim}`;
  };
  dateReadings(spec).forEach((r, k) => {
    if (r.kind === 'excel') {
      const dot = d.instr(v, "'.'");
      const whole = `(CASE WHEN ${dot} > 0 THEN substr(${v}, 1, ${dot} - 1) ELSE ${v} END)`;
      const frac = `(CASE WHEN ${dot} > 0 THEN substr(${v}, ${dot} + 1) ELSE '0' END)`;
      groups.push(`(CASE WHEN ${d.allDigits(whole)} AND length(${whole}) <= 6 AND ${d.allDigits(frac)} THEN ${d.int(whole)} END) AS x${k}`);
      parts.push(`(CASE WHEN x${k} >= 1 AND x${k} <> 60 AND x${k} <= 2958465 THEN ${d.excelDate(`(CASE WHEN x${k} < 60 THEN x${k} ELSE x${k} - 1 END)`)} END)`);
      return;
    }
    const { source, order } = patternRegex(r.pattern);
    const hit = d.matches(v, source, true);
    let y = '0';
    let m = '0';
    let dd = '0';
    order.forEach((o, g) => {
      const col = `g${k}_${g}`;
      const val = d.group(v, source, g + 1, true);
      if (o === 'N') {
        const names: string[] = [];
        MONTHS.forEach((abbr, i) => {
          names.push(`WHEN ${d.str(abbr)} THEN ${i + 1}`);
          if (FULL_MONTHS[i] !== abbr) names.push(`WHEN ${d.str(FULL_MONTHS[i]!)} THEN ${i + 1}`);
        });
        names.push(`WHEN 'sept' THEN 9`);
        groups.push(`(CASE WHEN ${hit} THEN (CASE lower(${val}) ${names.join(' ')} ELSE 0 END) END) AS ${col}`);
      } else if (o === 'y') groups.push(`(CASE WHEN ${hit} THEN (CASE WHEN ${d.int(val)} >= 69 THEN 1900 + ${d.int(val)} ELSE 2000 + ${d.int(val)} END) END) AS ${col}`);
      else groups.push(`(CASE WHEN ${hit} THEN ${d.int(val)} END) AS ${col}`);
      if (o === 'Y' || o === 'y') y = col;
      else if (o === 'M' || o === 'N') m = col;
      else dd = col;
    });
    const iso = d.concat(d.lpad(d.text(y), 4), "'-'", d.lpad(d.text(m), 2), "'-'", d.lpad(d.text(dd), 2));
    parts.push(`(CASE WHEN ${y} IS NOT NULL AND ${valid(y, m, dd)} THEN ${iso} END)`);
  });
  return [
    `xw_dr AS (SELECT DISTINCT xw_draw AS raw FROM xw_in)`,
    `xw_dv AS (SELECT raw, ${d.trim('raw')} AS v FROM xw_dr)`,
    `xw_dg AS (SELECT raw, v, ${groups.join(',\n    ')} FROM xw_dv)`,
    `xw_dp AS (SELECT raw, v, COALESCE(${parts.join(',\n      ')}) AS xw_date FROM xw_dg)`,
    `xw_dt AS (SELECT raw, xw_date, (CASE WHEN v = '' THEN 'N' WHEN xw_date IS NULL THEN 'B' ELSE 'D' END) AS xw_dc FROM xw_dp)`,
  ];
}

interface CompiledColumn {
  name: string;
  index: number;
  outName: string;
  tables: ColumnTables;
  normalize: Normalize;
}

function selectSql(d: Dialect, prefix: string, opts: ConvertOptions, inHeader: string[], columns: CompiledColumn[], contextColumns: string[], asOfColumn: string | undefined, sql: SqlOptions): string {
  const q = d.ident;
  const T = (n: string) => `${prefix}${n}`;
  const ctes: string[] = [];
  // 1. The input, with each converted cell, context cell and date as text ('' for NULL).
  ctes.push(inputCte(d, opts, columns, contextColumns, asOfColumn, sql));
  // 2. Keys, per distinct cell: trimmed, normalized, the spreadsheet forms, the code (xw_k{i}: v, xw_s, xw_empty, code).
  columns.forEach((c, i) => ctes.push(...keyCtes(d, T, opts, c, i)));
  if (asOfColumn !== undefined) ctes.push(...dateCtes(d, opts.dateFormat));
  // 3. Facts: per column and field, each distinct cell's signature.
  columns.forEach((c, i) => ctes.push(...factCtes(d, T, opts, c, i)));
  // 4. The answer per converted cell, and the cells written.
  const joins: string[] = [];
  if (asOfColumn !== undefined) joins.push('LEFT JOIN xw_dt dt ON dt.raw = r.xw_draw');
  const cellsOf: AnswerCells[] = [];
  columns.forEach((c, i) => cellsOf.push(answerCells(d, T, opts, c, i, asOfColumn, joins)));
  const select = selectList(d, opts, inHeader, columns, cellsOf);
  return `WITH\n${ctes.join(',\n')}\nSELECT\n  ${select.join(',\n  ')}\nFROM xw_in r\n${joins.join('\n')}\nORDER BY r.${q(sql.orderBy)}`;
}

/** The SQL expressions of one converted column's written cells. */
interface AnswerCells {
  out: string;
  status: string;
  relation: string;
  confidence: string;
  path: string;
  conditions: string;
}

/** Step 1: the input, with each converted cell, context cell and date as text ('' for NULL). */
function inputCte(d: Dialect, opts: ConvertOptions, columns: CompiledColumn[], contextColumns: string[], asOfColumn: string | undefined, sql: SqlOptions): string {
  const q = d.ident;
  const missing = ['', ...opts.missing].map((m) => d.str(m)).join(', ');
  const base: string[] = ['t.*'];
  columns.forEach((c, i) => base.push(`COALESCE(t.${q(c.name)}, '') AS xw_v${i}`));
  contextColumns.forEach((c, j) => base.push(`(CASE WHEN ${d.trim(`COALESCE(t.${q(c)}, '')`)} IN (${missing}) THEN '' ELSE COALESCE(t.${q(c)}, '') END) AS xw_f${j}`));
  if (asOfColumn !== undefined) base.push(`COALESCE(t.${q(asOfColumn)}, '') AS xw_draw`);
  return `xw_in AS (SELECT ${base.join(', ')} FROM ${sql.inputTable} t)`;
}

/** Step 2 for column i: its distinct cells, trimmed, normalized, the spreadsheet forms, and the code they find. */
function keyCtes(d: Dialect, T: (n: string) => string, opts: ConvertOptions, c: CompiledColumn, i: number): string[] {
  const ctes: string[] = [];
  const missingList = opts.missing.map((m) => d.str(m)).join(', ') || "''";
  ctes.push(`xw_k${i}a AS (SELECT DISTINCT xw_v${i} AS v FROM xw_in)`);
  ctes.push(`xw_k${i}b AS (SELECT v, ${d.trim('v')} AS xw_s, ${normalizeSql(d, 'v', c.normalize)} AS xw_n FROM xw_k${i}a)`);
  const s0 = 'xw_s';
  const len = `length(${s0})`;
  const inner = `substr(${s0}, 3, ${len} - 3)`;
  const noBreak = ['\n', '\r', '\u2028', '\u2029'].map((ch) => `${d.instr(inner, d.str(ch))} = 0`).join(' AND ');
  const stripped = `(CASE WHEN substr(${s0}, 1, 2) = '="' AND ${len} >= 3 AND substr(${s0}, ${len}, 1) = '"' AND ${noBreak} THEN ${inner} WHEN substr(${s0}, 1, 1) IN ('=', ${d.str("'")}) THEN substr(${s0}, 2) ELSE ${s0} END)`;
  ctes.push(`xw_k${i}c AS (SELECT v, xw_s, xw_n, ${d.trim(stripped)} AS xw_t FROM xw_k${i}b)`);
  const t = 'xw_t';
  const dot = d.instr(t, "'.'");
  const intPart = `substr(${t}, 1, ${dot} - 1)`;
  const frac = `substr(${t}, ${dot} + 1)`;
  const low = `lower(${t})`;
  const e = d.instr(low, "'e'");
  const mant = `substr(${low}, 1, ${e} - 1)`;
  const ex = `substr(${low}, ${e} + 1)`;
  const ex2 = `(CASE WHEN substr(${ex}, 1, 1) = '+' THEN substr(${ex}, 2) ELSE ${ex} END)`;
  const mantOk = `((length(${mant}) = 1 AND ${d.allDigits(mant)}) OR (length(${mant}) > 2 AND substr(${mant}, 2, 1) = '.' AND ${d.allDigits(`substr(${mant}, 1, 1)`)} AND ${d.allDigits(`substr(${mant}, 3)`)}))`;
  // Scientific notation: d[.ddd]e[+]x or E, exponent of one or two digits → digits 'e' exponent.
  ctes.push(
    `xw_k${i}d AS (SELECT v, xw_s, xw_n,` +
      ` (CASE WHEN ${t} <> xw_s AND ${t} <> '' THEN ${normalizeSql(d, t, c.normalize)} END) AS xw_kt,` +
      ` (CASE WHEN ${dot} > 1 AND ${d.allDigits(intPart)} AND ${frac} <> '' AND replace(${frac}, '0', '') = '' THEN ${normalizeSql(d, intPart, c.normalize)} END) AS xw_kd,` +
      ` (CASE WHEN ${e} > 1 AND ${mantOk} AND length(${ex2}) BETWEEN 1 AND 2 AND ${d.allDigits(ex2)} THEN ${d.concat(`replace(${mant}, '.', '')`, "'e'", d.text(d.int(ex2)))} END) AS xw_ks FROM xw_k${i}c)`,
  );
  const [x, y, z] = ['kt.code', 'kd.code', 'ks.code'];
  const repaired = `(CASE WHEN ${z} = '*' THEN NULL WHEN ${x} IS NULL AND ${y} IS NULL THEN ${z} WHEN ${x} IS NULL AND ${z} IS NULL THEN ${y} WHEN ${y} IS NULL AND ${z} IS NULL THEN ${x} WHEN ${x} IS NULL THEN (CASE WHEN ${y} = ${z} THEN ${y} END) WHEN ${y} IS NULL THEN (CASE WHEN ${x} = ${z} THEN ${x} END) WHEN ${z} IS NULL THEN (CASE WHEN ${x} = ${y} THEN ${x} END) WHEN ${x} = ${y} AND ${y} = ${z} THEN ${x} END)`;
  ctes.push(
    `xw_k${i} AS (SELECT q.v, q.xw_s, (CASE WHEN q.xw_s = '' OR q.xw_s IN (${missingList}) THEN 1 ELSE 0 END) AS xw_empty, COALESCE(k.code, ${repaired}) AS code FROM xw_k${i}d q` +
      ` LEFT JOIN ${T('keys')} k ON k.col = ${i} AND k.form = q.xw_n LEFT JOIN ${T('keys')} kt ON kt.col = ${i} AND kt.form = q.xw_kt` +
      ` LEFT JOIN ${T('keys')} kd ON kd.col = ${i} AND kd.form = q.xw_kd LEFT JOIN ${T('sci')} ks ON ks.col = ${i} AND ks.form = q.xw_ks)`,
  );
  return ctes;
}

/** Step 3 for column i: per condition field, each distinct cell's signature (its values' profiles). */
function factCtes(d: Dialect, T: (n: string) => string, opts: ConvertOptions, c: CompiledColumn, i: number): string[] {
  const ctes: string[] = [];
  c.tables.fields.forEach((f, j) => {
    const cells = `xw_cells_${i}_${j}`;
    ctes.push(`${cells} AS (SELECT DISTINCT xw_f${f.contextIndex} AS cell FROM xw_in)`);
    const toks = `xw_tok_${i}_${j}`;
    ctes.push(`${toks} AS (${f.split ? d.splitRows(cells, opts.valueSeparator!) : `SELECT cell, cell AS tok FROM ${cells}`})`);
    const tt = d.trim('x.tok');
    const code = f.normalize ? `LEFT JOIN ${T('tokens')} kc ON kc.col = ${i} AND kc.field = ${j} AND kc.kind = 'c' AND kc.form = ${normalizeSql(d, tt, f.normalize)}` : '';
    const profile = `(CASE WHEN ${tt} IN ('', '~') THEN ${d.str(f.split ? f.notRecorded : stripRanks(f.notRecorded))} ELSE COALESCE(${f.normalize ? 'kc.profile, ' : ''}kl.profile, ${d.str(f.split ? f.other : stripRanks(f.other))}) END)`;
    ctes.push(`xw_prof_${i}_${j} AS (SELECT x.cell, ${profile} AS p FROM ${toks} x ${code} LEFT JOIN ${T('tokens')} kl ON kl.col = ${i} AND kl.field = ${j} AND kl.kind = 'l' AND kl.form = lower(${tt}))`);
    let sig: string;
    if (!f.split) sig = 'max(p)';
    else {
      const parts = f.atoms.map((_, k) => {
        const o = 3 * k + 1;
        const ch = `substr(p, ${o}, 1)`;
        const anyH = `max(CASE WHEN ${ch} = 'H' THEN 1 ELSE 0 END) = 1`;
        const allF = `min(CASE WHEN ${ch} = 'F' THEN 1 ELSE 0 END) = 1`;
        const rank = f.ranked[k] ? `COALESCE(min(CASE WHEN ${ch} = 'H' AND substr(p, ${o + 1}, 2) <> '--' THEN substr(p, ${o + 1}, 2) END), '--')` : `'--'`;
        return `(CASE WHEN count(*) = 1 THEN ${d.concat(`max(${ch})`, "'--'")} WHEN ${anyH} THEN ${d.concat("'H'", rank)} WHEN ${allF} THEN 'F--' ELSE 'U--' END)`;
      });
      sig = parts.length === 1 ? parts[0]! : d.concat(...parts);
    }
    ctes.push(`xw_sig_${i}_${j} AS (SELECT cell, ${sig} AS sig FROM xw_prof_${i}_${j} GROUP BY cell)`);
  });
  return ctes;
}

/** Step 4 for column i: the joins that find its answer (pushed onto `joins`), and the cells it writes. */
function answerCells(d: Dialect, T: (n: string) => string, opts: ConvertOptions, c: CompiledColumn, i: number, asOfColumn: string | undefined, joins: string[]): AnswerCells {
  joins.push(`LEFT JOIN xw_k${i} k${i} ON k${i}.v = r.xw_v${i}`);
  c.tables.fields.forEach((f, j) => joins.push(`LEFT JOIN xw_sig_${i}_${j} s${i}_${j} ON s${i}_${j}.cell = r.xw_f${f.contextIndex}`));
  const code = `k${i}.code`;
  const sig = c.tables.fields.length ? (c.tables.fields.length === 1 ? `s${i}_0.sig` : d.concat(...c.tables.fields.map((_, j) => `s${i}_${j}.sig`))) : "''";
  const dateCond = asOfColumn === undefined ? `dd${i}.dclass = '*'` : `(dd${i}.dclass = '*' OR (dd${i}.dclass = dt.xw_dc AND (dd${i}.dclass <> 'D' OR ((dd${i}.date_lo IS NULL OR dt.xw_date >= dd${i}.date_lo) AND (dd${i}.date_hi IS NULL OR dt.xw_date < dd${i}.date_hi)))))`;
  joins.push(`LEFT JOIN ${T('decisions')} dd${i} ON dd${i}.col = ${i} AND dd${i}.code = ${code} AND ${dateCond} AND ${sig} LIKE COALESCE(dd${i}.pattern, '')`);
  const empty = `k${i}.xw_empty = 1`;
  const unmapped = opts.unmapped.kind === 'keep' ? `r.xw_v${i}` : opts.unmapped.kind === 'blank' ? "''" : d.str(opts.unmapped.kind === 'fixed' ? opts.unmapped.value : '');
  const emptyOut = opts.mode === 'replace' ? `r.xw_v${i}` : `(CASE WHEN k${i}.xw_s = '' THEN r.xw_v${i} ELSE '' END)`;
  const known = `${code} IS NOT NULL`;
  // COALESCE: tables loaded from CSV (--no-data) may read an empty cell as NULL.
  const explain = (col: string) => `(CASE WHEN ${empty} OR ${code} IS NULL THEN '' ELSE COALESCE(dd${i}.${col}, '') END)`;
  return {
    out: `(CASE WHEN ${empty} THEN ${emptyOut} WHEN ${known} AND dd${i}.has_out = 1 THEN COALESCE(dd${i}.out, '') ELSE ${unmapped} END)`,
    status: `(CASE WHEN ${empty} THEN 'empty' WHEN ${known} THEN COALESCE(dd${i}.status, 'xwalk-plan-miss') ELSE 'unknown' END)`,
    relation: explain('relation'),
    confidence: explain('confidence'),
    path: explain('path'),
    conditions: explain('conditions'),
  };
}

/** The SELECT list: the input's columns (replaced in place with --mode replace), then each column's added cells. */
function selectList(d: Dialect, opts: ConvertOptions, inHeader: string[], columns: CompiledColumn[], cellsOf: AnswerCells[]): string[] {
  const q = d.ident;
  const select: string[] = [];
  const converted = new Map(columns.map((c, i) => [c.index, i]));
  inHeader.forEach((h, k) => {
    const i = converted.get(k);
    select.push(opts.mode === 'replace' && i !== undefined ? `${cellsOf[i]!.out} AS ${q(h)}` : `r.${q(h)}`);
  });
  columns.forEach((c, i) => {
    const x = cellsOf[i]!;
    if (opts.mode === 'append') select.push(`${x.out} AS ${q(c.outName)}`, `${x.status} AS ${q(`${c.name}_status`)}`);
    else if (opts.explain) select.push(`${x.status} AS ${q(`${c.name}_status`)}`);
    if (opts.explain) select.push(`${x.relation} AS ${q(`${c.name}_relation`)}`, `${x.confidence} AS ${q(`${c.name}_confidence`)}`, `${x.path} AS ${q(`${c.name}_path`)}`, `${x.conditions} AS ${q(`${c.name}_conditions`)}`);
  });
  return select;
}
