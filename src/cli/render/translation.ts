/** Translation results for people (a readable block per code) and as stable JSON. */

import type { ChalkInstance } from 'chalk';
import { SYMBOL } from '../../model/relation.js';
import { conditionText } from '../../read/values.js';
import type { Candidate, Step, TranslationResult } from '../../translate/result.js';
import { table, truncate } from './text.js';

export function pathText(path: Step[]): string {
  if (!path.length) return '';
  const parts = [`${path[0]!.from.vocabulary}:${path[0]!.from.code}`];
  for (const s of path) parts.push(`${SYMBOL[s.relation]}${s.inverted ? '(inv)' : ''} ${s.to.vocabulary}:${s.to.code}`);
  return parts.join(' ');
}

function candidateRows(cands: Candidate[]): string[][] {
  return cands.map((c) => [c.designator ?? c.code, `${SYMBOL[c.relation]} ${c.relation}`, c.label]);
}

/** Candidates as aligned lines, each followed by its conditions on a line of their own. */
function candidateLines(cands: Candidate[], indent: string, k: ChalkInstance, verbose: boolean): string[] {
  const rows = table(candidateRows(cands), { flex: 2, indent });
  return cands.flatMap((c, i) => [
    rows[i]!,
    ...(c.conditions.length ? [k.dim(truncate(`${indent}    when ${c.conditions.map(conditionText).join(', ')}`, 80))] : []),
    ...(c.implied?.length ? [k.dim(truncate(`${indent}    settled by the facts: ${c.implied.map(conditionText).join(', ')}`, 80))] : []),
    ...(verbose ? [detail(c, k, `${indent}    `)] : []),
  ]);
}

function detail(c: Candidate, k: ChalkInstance, indent: string): string {
  const head = `${indent}${c.route} · confidence ${c.confidence}`;
  if (!c.path.length) return k.dim(head);
  if (c.route === 'direct') return k.dim(`${head} · ${c.path[0]!.crosswalk}`);
  return k.dim(`${head}\n${indent}path ${pathText(c.path)}`);
}

const OUTCOME_WORD = { mapped: 'mapped', ambiguous: 'ambiguous', 'no-mapping': 'no mapping', unknown: 'unknown code', expired: 'expired' } as const;

export function renderTranslation(r: TranslationResult, k: ChalkInstance, verbose = false): string {
  const lines: string[] = [];
  const head = r.source ? `${k.bold(r.input)}  ${r.source.label}` : k.bold(r.input);
  lines.push(truncate(head, 80 + (head.length - r.input.length - (r.source ? r.source.label.length + 2 : 0))));
  if (r.source && r.input !== r.source.code) lines.push(k.dim(`  (${r.from} ${r.source.code}${r.source.number !== undefined ? ` number ${r.source.number}` : ''})`));
  if (r.source?.facts?.length) lines.push(k.dim(`  facts of ${r.source.code}: ${r.source.facts.map((f) => `${f.field}=${f.values.join('|')}`).join(', ')}`));
  if (r.factsUsed?.length) lines.push(k.dim(`  facts: ${r.factsUsed.map((f) => `${f.field}=${f.values.map((v) => (v === '' ? '(not recorded)' : v)).join('|')}`).join(', ')}`));
  if (r.source?.validTo && r.outcome !== 'expired') lines.push(k.dim(`  note: valid until ${r.source.validTo}${r.source.replacedBy ? `, replaced by ${r.source.replacedBy}` : ''}`));
  const colour = r.outcome === 'mapped' ? k.green : r.outcome === 'ambiguous' ? k.yellow : k.red;
  if (r.outcome === 'mapped' && r.best) {
    const [row, ...when] = candidateLines([r.best], '  → ', k, false);
    lines.push(colour(row!), ...when.map((l) => l.replace('  →     ', '      ')));
    lines.push(detail(r.best, k, '    '));
    for (const n of r.best.notes) lines.push(k.dim(`    note: ${n}`));
    const others = r.candidates.slice(1);
    if (others.length) {
      lines.push(k.dim(others.some((c) => c.conditionState === 'unknown') ? '    other candidates (if the record says so):' : '    other candidates (weaker):'));
      lines.push(...candidateLines(others, '      ', k, verbose).map((l) => k.dim(l)));
    }
  } else {
    lines.push(`  ${colour(OUTCOME_WORD[r.outcome] + ':')} ${r.message}`);
    if (r.outcome === 'ambiguous') lines.push(...candidateLines(r.candidates, '    ', k, verbose));
    if (r.suggestions.length) lines.push(`  did you mean: ${r.suggestions.map((s) => `${s.code} (${truncate(s.label, 30)})`).join(', ')}?`);
  }
  if (verbose) {
    for (const e of r.excluded) lines.push(k.dim(`    not used: ${e.candidate.code} — ${e.reason}: ${e.detail}`));
    for (const f of r.forbidden) lines.push(k.dim(`    no inference: ${pathText(f.path)} (${f.detail})`));
  }
  return lines.join('\n') + '\n';
}

export function translationsJson(results: TranslationResult[], meta: { from: string; to: string; asOf?: string }): string {
  const summary = { mapped: 0, ambiguous: 0, 'no-mapping': 0, unknown: 0, expired: 0 };
  for (const r of results) summary[r.outcome]++;
  return JSON.stringify({ xwalk: 1, from: meta.from, to: meta.to, ...(meta.asOf ? { asOf: meta.asOf } : {}), summary, results }, null, 2) + '\n';
}
