/** The conversion report: a summary for people on stderr, and the JSON one for machines. */

import type { ChalkInstance } from 'chalk';
import type { ConvertReport } from '../../convert/convert.js';
import type { Registry } from '../../load/registry.js';
import { truncate } from './text.js';
import { thousands } from '../../model/order.js';

/** A count as people read it: 1,234,567 (issue 20). */
const num = thousands;

export function renderReport(r: ConvertReport, meta: { from: string; to: string }, k: ChalkInstance): string {
  const lines: string[] = [];
  const rej = r.rowsRejected ? k.red(`${num(r.rowsRejected)} rejected`) : '0 rejected';
  lines.push(`xwalk convert: ${num(r.rowsRead)} row${r.rowsRead === 1 ? '' : 's'} read, ${num(r.rowsWritten)} written, ${rej}${r.badRows ? ` (${num(r.badRows)} malformed)` : ''}`);
  for (const c of r.columns) {
    const n = c.counts;
    const parts = [
      k.green(`${num(n.mapped)} mapped`),
      n.ambiguous ? k.yellow(`${num(n.ambiguous)} ambiguous`) : '',
      n['no-mapping'] ? k.red(`${num(n['no-mapping'])} no mapping`) : '',
      n.unknown ? k.red(`${num(n.unknown)} unknown`) : '',
      n.expired ? k.red(`${num(n.expired)} expired`) : '',
      n['bad-date'] ? k.red(`${num(n['bad-date'])} bad date`) : '',
      n.empty ? `${num(n.empty)} empty` : '',
    ].filter(Boolean);
    lines.push(`  ${c.column} (${c.domain}, ${meta.from} → ${meta.to}): ${parts.join(', ')}`);
    if (c.substituted) lines.push(k.dim(`    ${num(c.substituted)} value${c.substituted === 1 ? '' : 's'} written by the --unmapped/--ambiguous policy`));
    if (c.repairedCount) {
      lines.push(
        `    ${num(c.repairedCount)} value${c.repairedCount === 1 ? '' : 's'} repaired (spreadsheet forms read as the one code they stand for): ${c.repaired
          .slice(0, 5)
          .map((x) => `${JSON.stringify(x.value)} → ${x.code} ×${num(x.count)}`)
          .join(', ')}${c.repaired.length > 5 ? ', …' : ''}`,
      );
    }
    if (c.badDatesIgnored) lines.push(k.yellow(`    warning: ${num(c.badDatesIgnored)} row${c.badDatesIgnored === 1 ? '' : 's'} with a date that could not be read, translated without it (no answer depends on the date; --date-format says how dates are written)`));
    if (c.badFacts.length) {
      const n = c.badFacts.reduce((s, b) => s + b.count, 0);
      lines.push(k.yellow(`    ${num(n)} row${n === 1 ? '' : 's'} with facts the conditions could not read (their conditions stay unanswered):`));
      for (const b of c.badFacts.slice(0, 5)) lines.push(k.dim(truncate(`      ${b.field}=${JSON.stringify(b.value)} ×${num(b.count)}  ${b.message}`, 100)));
    }
    if (c.topUnmapped.length) {
      lines.push('    not mapped, most frequent first:');
      const shown = c.topUnmapped.slice(0, 5);
      for (const u of shown) {
        lines.push(k.dim(truncate(`      ${JSON.stringify(u.value)} ×${num(u.count)}  ${u.status}${u.reason ? `: ${u.reason}` : ''}`, 100)));
        if (u.suggestions?.length) lines.push(k.dim(truncate(`        did you mean ${u.suggestions.map((s) => `${s.code} (${s.label})`).join(', ')}?`, 100)));
      }
      const more = Math.max(c.distinctUnmapped, c.topUnmapped.length) - shown.length;
      if (more > 0) lines.push(k.dim(`      and ${num(more)} more value${more === 1 ? '' : 's'} (--report FILE lists the ${c.topUnmapped.length} most frequent)`));
      if (c.topUnmappedApproximate) lines.push(k.dim('    (so many distinct values did not map that the counts above may be low)'));
    }
  }
  if (r.cellsNeutralised) lines.push(`  ${num(r.cellsNeutralised)} cell${r.cellsNeutralised === 1 ? '' : 's'} prefixed with ' by --excel-safe`);
  return lines.join('\n') + '\n';
}

/** Everything needed to reproduce the run: versions and hashes of every file that answered. */
export function reportJson(r: ConvertReport, meta: { version: string; from: string; to: string; input: string; output: string; reject?: string; args: string[] }, registry: Registry): string {
  const vocabIds = new Set([meta.from, meta.to]);
  const crosswalks = r.crosswalksUsed.map((id) => registry.crosswalks.get(id)!).filter(Boolean);
  for (const c of crosswalks) {
    vocabIds.add(c.from);
    vocabIds.add(c.to);
  }
  const files = (paths: string[]) => paths.map((p) => ({ path: p, sha256: registry.hashes.get(p) ?? null }));
  return (
    JSON.stringify(
      {
        xwalk: 1,
        xwalkVersion: meta.version,
        arguments: meta.args,
        input: meta.input,
        output: meta.output,
        ...(meta.reject ? { reject: meta.reject } : {}),
        rows: { read: r.rowsRead, written: r.rowsWritten, rejected: r.rowsRejected, malformed: r.badRows },
        invariant: r.rowsRead === r.rowsWritten + r.rowsRejected,
        cellsNeutralised: r.cellsNeutralised,
        columns: r.columns,
        vocabularies: [...vocabIds].sort().map((id) => {
          const v = registry.vocabularies.get(id)!;
          return { id, version: v.version, files: files(v.files) };
        }),
        crosswalks: crosswalks.map((c) => ({ id: c.id, version: c.version, files: files(c.files) })),
      },
      null,
      2,
    ) + '\n'
  );
}
