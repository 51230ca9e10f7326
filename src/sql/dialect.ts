/**
 * What differs between the SQL engines xwalk writes for: quoting, string functions, splitting a
 * cell into values, regular expressions, dates. Everything else in src/sql is common SQL.
 * Spark is written to documented Spark SQL 3.5 constructs and is not run here.
 */

export type DialectName = 'duckdb' | 'postgres' | 'spark' | 'sqlite';
export const DIALECTS: readonly DialectName[] = ['duckdb', 'postgres', 'spark', 'sqlite'];

/** The characters JavaScript's String.prototype.trim removes (whitespace and line terminators). */
export const JS_WHITESPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

export interface Dialect {
  name: DialectName;
  ident(name: string): string;
  str(s: string): string;
  /** Trim as JavaScript does. */
  trim(x: string): string;
  concat(...xs: string[]): string;
  lpad(x: string, n: number): string;
  instr(x: string, s: string): string;
  allDigits(x: string): string;
  /** Whether `x` matches a regular expression (RE2/ARE/Java subset: classes, groups, anchors). */
  matches(x: string, re: string, caseless: boolean): string;
  /** Group `g` of the match, or NULL/'' when none (only used where `matches` holds). */
  group(x: string, re: string, g: number, caseless: boolean): string;
  int(x: string): string;
  text(x: string): string;
  /** `days` after 1899-12-31 as YYYY-MM-DD. */
  excelDate(days: string): string;
  /** SELECT cell, tok FROM cells, one row per value of the cell split by `sep` (JS split semantics). */
  splitRows(cellsCte: string, sep: string): string;
  /** Column type for text in CREATE TABLE. */
  textType: string;
  intType: string;
  /** Spark cannot hold tables it does not own: inline data as temporary views. */
  inlineTables: boolean;
}

const sqlStr = (s: string) => `'${s.replace(/'/g, "''")}'`;
const dq = (s: string) => `"${s.replace(/"/g, '""')}"`;

const common = {
  trim: (x: string) => `trim(${x}, ${sqlStr(JS_WHITESPACE)})`,
  concat: (...xs: string[]) => `(${xs.join(' || ')})`,
  int: (x: string) => `CAST(${x} AS INTEGER)`,
  text: (x: string) => `CAST(${x} AS VARCHAR)`,
  textType: 'VARCHAR',
  intType: 'INTEGER',
  inlineTables: false,
};

function recursiveSplit(d: { concat: (...xs: string[]) => string; instr: (x: string, s: string) => string; str: (s: string) => string }, cells: string, sep: string): string {
  const s = d.str(sep);
  const n = sep.length;
  return `WITH RECURSIVE xw_sp(cell, tok, rest) AS (SELECT cell, NULL, ${d.concat('cell', s)} FROM ${cells} UNION ALL SELECT cell, substr(rest, 1, ${d.instr('rest', s)} - 1), substr(rest, ${d.instr('rest', s)} + ${n}) FROM xw_sp WHERE rest <> '') SELECT cell, tok FROM xw_sp WHERE tok IS NOT NULL`;
}

const duckdb: Dialect = {
  ...common,
  name: 'duckdb',
  ident: dq,
  str: sqlStr,
  lpad: (x, n) => `lpad(${x}, ${n}, '0')`,
  instr: (x, s) => `instr(${x}, ${s})`,
  allDigits: (x) => `regexp_full_match(${x}, '[0-9]+')`,
  matches: (x, re, ci) => `regexp_matches(${x}, ${sqlStr(re)}${ci ? ", 'i'" : ''})`,
  group: (x, re, g, ci) => `regexp_extract(${x}, ${sqlStr(re)}, ${g}${ci ? ", 'i'" : ''})`,
  excelDate: (days) => `strftime(DATE '1899-12-31' + CAST(${days} AS INTEGER), '%Y-%m-%d')`,
  splitRows: (cells, sep) => `SELECT cell, unnest(string_split(cell, ${sqlStr(sep)})) AS tok FROM ${cells}`,
};

const postgres: Dialect = {
  ...common,
  name: 'postgres',
  ident: dq,
  str: sqlStr,
  trim: (x) => `btrim(${x}, ${sqlStr(JS_WHITESPACE)})`,
  lpad: (x, n) => `lpad(${x}, ${n}, '0')`,
  instr: (x, s) => `strpos(${x}, ${s})`,
  allDigits: (x) => `(${x} ~ '^[0-9]+$')`,
  matches: (x, re, ci) => `(${x} ${ci ? '~*' : '~'} ${sqlStr(re)})`,
  group: (x, re, g, ci) => `(regexp_match(${x}, ${sqlStr(re)}${ci ? ", 'i'" : ''}))[${g}]`,
  text: (x) => `CAST(${x} AS TEXT)`,
  textType: 'TEXT',
  excelDate: (days) => `to_char(DATE '1899-12-31' + CAST(${days} AS INTEGER), 'YYYY-MM-DD')`,
  splitRows: (cells, sep) => `SELECT cell, tok FROM ${cells} CROSS JOIN LATERAL unnest(CASE WHEN cell = '' THEN ARRAY[''] ELSE string_to_array(cell, ${sqlStr(sep)}) END) AS xw_t(tok)`,
};

const sparkStr = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const spark: Dialect = {
  ...common,
  name: 'spark',
  ident: (s) => `\`${s.replace(/`/g, '``')}\``,
  str: sparkStr,
  trim: (x) => `trim(BOTH ${sparkStr(JS_WHITESPACE)} FROM ${x})`,
  concat: (...xs) => `concat(${xs.join(', ')})`,
  lpad: (x, n) => `lpad(${x}, ${n}, '0')`,
  instr: (x, s) => `instr(${x}, ${s})`,
  allDigits: (x) => `(${x} RLIKE '^[0-9]+$')`,
  matches: (x, re, ci) => `(${x} RLIKE ${sparkStr((ci ? '(?i)' : '') + re)})`,
  group: (x, re, g, ci) => `regexp_extract(${x}, ${sparkStr((ci ? '(?i)' : '') + re)}, ${g})`,
  text: (x) => `CAST(${x} AS STRING)`,
  textType: 'STRING',
  excelDate: (days) => `date_format(date_add(DATE'1899-12-31', CAST(${days} AS INT)), 'yyyy-MM-dd')`,
  splitRows: (cells, sep) => `SELECT cell, tok FROM ${cells} LATERAL VIEW explode(split(cell, ${sparkStr(sep.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&'))}, -1)) xw_t AS tok`,
  inlineTables: true,
};

const sqlite: Dialect = {
  ...common,
  name: 'sqlite',
  ident: dq,
  str: sqlStr,
  lpad: (x, n) => `substr(${sqlStr('0'.repeat(n))} || ${x}, -${n})`,
  instr: (x, s) => `instr(${x}, ${s})`,
  allDigits: (x) => `(${x} <> '' AND ${x} NOT GLOB '*[^0-9]*')`,
  matches: () => {
    throw new Error('sqlite has no regular expressions');
  },
  group: () => {
    throw new Error('sqlite has no regular expressions');
  },
  text: (x) => `CAST(${x} AS TEXT)`,
  textType: 'TEXT',
  excelDate: (days) => `date('1899-12-31', '+' || CAST(${days} AS INTEGER) || ' days')`,
  splitRows: (cells, sep) => recursiveSplit(sqlite, cells, sep),
};

export function dialect(name: DialectName): Dialect {
  return { duckdb, postgres, spark, sqlite }[name];
}
