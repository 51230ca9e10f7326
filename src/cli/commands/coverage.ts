/** `xwalk coverage --from A --to B [--weights EXPORT.csv --column COL]`: flags → coverage() → table. */

import { createReadStream, statSync } from 'node:fs';
import { coverage, type CoverageReport, type WeightedValue } from '../../coverage/coverage.js';
import { XwalkError } from '../../errors/errors.js';
import { closest } from '../../errors/closest.js';
import { RegistryIndex } from '../../indexes/index.js';
import { SYMBOL } from '../../model/relation.js';
import { CsvSyntaxError, CsvTokenizer, fieldValue, type RecordView } from '../../records/csv-reader.js';
import { resolveDomain } from '../../translate/translate.js';
import { colorsFor, type Io } from '../io.js';
import { table, truncate } from '../render/text.js';
import { registryFor, type GlobalOptions } from './context.js';
import { checkFactNames, parseAsOf, parseContextColumns, parseFacts, parseMaxHops } from '../flags.js';
import { compareText } from '../../model/order.js';

export interface CoverageFlags {
  from: string;
  to: string;
  domain?: string;
  weights?: string;
  column?: string;
  asOf?: string;
  maxHops?: string;
  fact?: string[];
  context?: string[];
  missing?: string;
  json?: boolean;
}

/**
 * Rows per value of one column of a CSV export, streamed (the file is never held whole); with
 * context columns, per value and combination of their cells.
 */
export async function countColumn(path: string, column: string, context: { field: string; column: string }[] = [], missing: ReadonlySet<string> = new Set()): Promise<WeightedValue[]> {
  try {
    if (statSync(path).isDirectory()) throw new XwalkError(`--weights "${path}" is a directory`);
  } catch (e) {
    if (e instanceof XwalkError) throw e;
    throw new XwalkError(`cannot read --weights "${path}": no such file`);
  }
  const counts = new Map<string, WeightedValue>();
  let ctxIndex: number[] = [];
  const tok = new CsvTokenizer({ delimiter: ',', quote: '"' });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let index: number | undefined;
  const onRecord = (v: RecordView) => {
    if (index === undefined) {
      const header = Array.from({ length: v.count }, (_, i) => fieldValue(v.text.slice(v.fs[i]!, v.fe[i]!)).replace(/^\uFEFF/, ''));
      index = header.indexOf(column);
      if (index < 0) {
        const near = closest(column, header);
        throw new XwalkError(`--column "${column}" is not a column of ${path}`, { hint: near ? `did you mean "${near}"?` : `the columns are: ${header.join(', ')}` });
      }
      ctxIndex = context.map((c) => {
        const i = header.indexOf(c.column);
        if (i < 0) {
          const near = closest(c.column, header);
          throw new XwalkError(`--context ${c.field}=${c.column}: "${c.column}" is not a column of ${path}`, { hint: near ? `did you mean "${near}"?` : `the columns are: ${header.join(', ')}` });
        }
        return i;
      });
      return;
    }
    if (v.count === 1 && v.start === v.end) return;
    const cell = (i: number) => (i < v.count ? fieldValue(v.text.slice(v.fs[i]!, v.fe[i]!)) : '');
    const value = cell(index);
    const cells = ctxIndex.map((i) => {
      const c = cell(i);
      return missing.has(c.trim()) ? '' : c;
    });
    const key = JSON.stringify([value, ...cells]);
    const e = counts.get(key);
    if (e) e.rows++;
    else counts.set(key, { value, facts: new Map(context.map((c, i) => [c.field, cells[i]!])), rows: 1 });
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 65536 })) tok.push(decoder.decode(chunk as Buffer, { stream: true }), onRecord);
    tok.push(decoder.decode(), onRecord);
    tok.end(onRecord);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new XwalkError(`${path}: line ${e.line}: ${e.message}`);
    if (e instanceof TypeError) throw new XwalkError(`${path} is not valid UTF-8`);
    throw e;
  }
  if (index === undefined) throw new XwalkError(`--weights "${path}" is empty: no header row`);
  return [...counts.values()];
}

const pct = (n: number, d: number) => (d ? `${Math.round((1000 * n) / d) / 10}%` : '-');

export function renderCoverage(r: CoverageReport, k: ReturnType<typeof colorsFor>, weights?: { path: string; column: string }): string {
  const n = r.codes.length;
  const lines = [k.bold(`${r.from} → ${r.to} · ${r.domain}: ${n} code${n === 1 ? '' : 's'}`)];
  const routes = (['direct', 'inverse', 'chained'] as const)
    .map((route) => {
      const rel = r.byRoute[route];
      return rel
        ? `${route} ${Object.entries(rel)
            .map(([x, c]) => `${SYMBOL[x as keyof typeof SYMBOL]}${c}`)
            .join(' ')}`
        : '';
    })
    .filter(Boolean)
    .join('; ');
  const rows = [
    ['mapped', String(r.byOutcome.mapped), pct(r.byOutcome.mapped, n), routes],
    ['ambiguous', String(r.byOutcome.ambiguous), pct(r.byOutcome.ambiguous, n), r.conditional ? `${r.conditional} decided by record facts` : ''],
    ['no mapping', String(r.byOutcome['no-mapping']), pct(r.byOutcome['no-mapping'], n), ''],
    ...(r.byOutcome.expired ? [['expired', String(r.byOutcome.expired), pct(r.byOutcome.expired, n), '']] : []),
  ];
  lines.push(...table(rows, { indent: '  ', flex: 3 }));
  if (r.weights && weights) {
    const w = r.weights;
    lines.push('', k.bold(`weighted by ${weights.path}, column ${weights.column}: ${w.rows} row${w.rows === 1 ? '' : 's'}`));
    lines.push(
      ...table(
        [
          ['mapped', String(w.byOutcome.mapped), pct(w.byOutcome.mapped, w.rows)],
          ['ambiguous', String(w.byOutcome.ambiguous), pct(w.byOutcome.ambiguous, w.rows)],
          ['no mapping', String(w.byOutcome['no-mapping']), pct(w.byOutcome['no-mapping'], w.rows)],
          ['not a code', String(w.byOutcome.unknown), pct(w.byOutcome.unknown, w.rows)],
        ],
        { indent: '  ' },
      ),
    );
    if (w.unknownValues.length)
      lines.push(
        k.dim(
          truncate(
            `  values that are not codes of ${r.from}: ${w.unknownValues
              .slice(0, 6)
              .map((u) => `${u.value === '' ? '(empty)' : JSON.stringify(u.value)} ×${u.rows}`)
              .join(', ')}`,
            100,
          ),
        ),
      );
  }
  const missing = r.codes.filter((c) => c.outcome !== 'mapped').sort((a, b) => b.rows - a.rows || compareText(a.code, b.code));
  if (missing.length) {
    lines.push('', k.bold('not mapped') + (r.weights ? k.dim(' (most rows first)') : ''));
    const rowsT = missing.map((c) => [c.code, truncate(c.label, 28), c.outcome + (r.weights ? ` ×${c.rows}` : ''), c.outcome === 'ambiguous' ? `${c.target ?? ''}${c.needs ? ` (by ${c.needs.join(', ')})` : ''}` : (c.message ?? '')]);
    lines.push(...table(rowsT, { indent: '  ', flex: 3, maxWidth: 100 }));
  }
  return lines.join('\n') + '\n';
}

export async function runCoverage(flags: CoverageFlags, g: GlobalOptions, io: Io): Promise<number> {
  const asOf = parseAsOf(flags.asOf);
  const maxHops = parseMaxHops(flags.maxHops);
  if ((flags.weights === undefined) !== (flags.column === undefined)) throw new XwalkError('--weights and --column go together', { hint: 'for example: --weights export.csv --column OffenseCode' });
  const index = new RegistryIndex(await registryFor(io, g));
  const domain = resolveDomain(index, flags.from, flags.to, flags.domain);
  const facts = parseFacts(flags.fact);
  const context = parseContextColumns(flags.context);
  if (context.length && flags.weights === undefined) throw new XwalkError('--context reads columns of the --weights export', { hint: 'give --weights EXPORT --column COL with it, or use --fact FIELD=VALUE for a fact of every record' });
  checkFactNames(index, domain, [...facts.keys(), ...context.map((c) => c.field)], '--fact/--context');
  const missing = new Set(['', ...(flags.missing ?? 'NULL').split(',').map((s) => s.trim())]);
  const counts = flags.weights !== undefined ? await countColumn(flags.weights, flags.column!, context, missing) : undefined;
  const report = coverage(index, { from: flags.from, to: flags.to, domain, ...(asOf ? { asOf } : {}), ...(maxHops ? { maxHops } : {}), ...(facts.size ? { facts } : {}) }, counts);
  if (flags.json) io.stdout.write(JSON.stringify({ xwalk: 1, ...report }, null, 2) + '\n');
  else io.stdout.write(renderCoverage(report, colorsFor(io, io.stdoutIsTTY, g.color), flags.weights !== undefined ? { path: flags.weights, column: flags.column! } : undefined));
  return 0;
}
