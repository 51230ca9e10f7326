/** `xwalk lookup` for people (fits 80 columns) and as stable JSON. */

import type { ChalkInstance } from 'chalk';
import { SYMBOL } from '../../model/relation.js';
import type { EquivalentRow, LookupHit, LookupResult } from '../../lookup/lookup.js';
import type { Candidate, TranslationResult } from '../../translate/result.js';
import { conditionText } from '../../read/values.js';
import { table, truncate } from './text.js';

/** Candidates shown per vocabulary before "+N more". */
const MAX_CANDIDATES = 4;

export const LEGEND = '= same ⊂ narrower ⊃ broader ◇ overlaps ~ related ✕ none';

function validityText(h: Pick<LookupHit, 'validFrom' | 'validTo' | 'valid' | 'replacedBy'>): string {
  const parts: string[] = [];
  if (h.valid === false) parts.push('not valid on that date');
  if (h.validFrom !== undefined) parts.push(`valid from ${h.validFrom}`);
  if (h.validTo !== undefined) parts.push(`${h.validFrom !== undefined ? '' : 'valid '}until ${h.validTo}${h.replacedBy !== undefined ? `, replaced by ${h.replacedBy}` : ''}`);
  return parts.join(', ');
}

/** The numbered hit list; `selected` (0-based) is highlighted. Validity and certainty go on a line below. */
export function hitLines(hits: readonly LookupHit[], k: ChalkInstance, width: number, selected?: number): string[] {
  const rows = [['#', 'VOCABULARY', 'CODE', 'LABEL', 'SCORE'], ...hits.map((h, i) => [String(i + 1), h.vocabulary, h.code, h.label + (h.matchedText !== undefined ? ` (${h.matchedText})` : ''), h.score.toFixed(2)])];
  const lines = table(rows, { flex: 3, maxWidth: width, indent: '  ' });
  const out = [k.dim(lines[0]!)];
  hits.forEach((h, i) => {
    const line = lines[i + 1]!;
    out.push(i === selected ? k.inverse(line) : h.valid === false ? k.dim(line) : line);
    const note = [h.type !== undefined ? `type ${h.type}` : '', validityText(h), h.certainty !== undefined ? `${h.certainty} in its source` : ''].filter(Boolean).join('; ');
    if (note) out.push(k.dim(truncate(`${' '.repeat(lines[0]!.indexOf('VOCABULARY'))}${note}`, width)));
  });
  return out;
}

const NONE_REASON: Partial<Record<string, string>> = {
  'no-path': 'no crosswalk route to',
  'forbidden-inference': 'no safe inference (the chain of relations allows none) to',
  'conditions-not-met': 'only under conditions, to',
  'target-not-valid': 'only to codes not valid on that date, in',
  'only-negative': 'only negative mappings (what it is not), to',
  'target-unknown': 'only to codes missing from',
};

function routeText(c: Candidate): string {
  if (c.route !== 'chained') return c.route;
  const via = c.path.slice(0, -1).map((s) => s.to.vocabulary);
  return `via ${via.join(', ')}`;
}

function candidateRows(vocab: string, cands: readonly Candidate[]): string[][] {
  const shown = cands.slice(0, MAX_CANDIDATES);
  const rows = shown.map((c, i) => [i === 0 ? vocab : '', c.designator ?? c.code, SYMBOL[c.relation], c.label + (c.conditions.length ? ` [if ${c.conditions.map(conditionText).join(', ')}]` : ''), routeText(c)]);
  if (cands.length > MAX_CANDIDATES) rows.push(['', `+${cands.length - MAX_CANDIDATES} more`, '', '', '']);
  return rows;
}

/** The equivalents of the opened hit: a row per vocabulary, then the ones with none. */
export function equivalentLines(result: LookupResult, k: ChalkInstance, width: number): string[] {
  const h = result.opened;
  if (!h) return [];
  const lines: string[] = [];
  const title = `${h.vocabulary} ${h.designator ? `${h.designator.input} (${h.code} number ${h.designator.number})` : h.code}  ${h.label}`;
  lines.push(k.bold(truncate(title, width)));
  const extra = [h.domain, h.type !== undefined ? `type ${h.type}` : '', validityText(h), h.certainty].filter(Boolean).join(' · ');
  lines.push(k.dim(truncate(`  ${extra}`, width)));
  const rows: string[][] = [];
  const none = new Map<string, string[]>();
  const declared: EquivalentRow[] = [];
  for (const e of result.equivalents) {
    const t = e.translation;
    if (t.candidates.length) rows.push(...candidateRows(e.vocabulary, t.candidates));
    else if (t.reason === 'explicit-no-match') declared.push(e);
    else {
      const why = t.outcome === 'expired' ? 'not valid on that date, so nothing' : (NONE_REASON[t.reason ?? 'no-path'] ?? 'nothing');
      none.set(why, [...(none.get(why) ?? []), e.vocabulary]);
    }
  }
  for (const e of declared) rows.push([e.vocabulary, '—', SYMBOL['no-match'], e.noMatchAt === undefined ? 'no counterpart' : `no counterpart (none in ${e.noMatchAt})`, 'declared']);
  if (rows.length) {
    lines.push('');
    lines.push(...table([['IN', 'CODE', '', 'LABEL', 'ROUTE'], ...rows], { flex: 3, maxWidth: width, indent: '  ' }).map((l, i) => (i === 0 ? k.dim(l) : l)));
  }
  if (none.size) lines.push('');
  for (const [why, ids] of none) lines.push(...wrap(`${why}: ${ids.join(', ')}`, width - 2).map((l, i) => k.dim(`${i ? '    ' : '  '}${l}`)));
  if (rows.length) lines.push('', k.dim(truncate(`  ${h.code} is to each: ${LEGEND}`, width)));
  return lines;
}

/** For a code several vocabularies use: what it means in each (conflicts at a glance). */
export function meaningLines(result: LookupResult, k: ChalkInstance, width: number): string[] {
  const m = result.meanings;
  if (!m) return [];
  const head = m.distinctLabels === 1 ? `${m.code} means the same in ${m.rows.length} vocabularies:` : `${m.code} has ${m.distinctLabels} different meanings in ${m.rows.length} vocabularies:`;
  const rows = m.rows.map((r) => [r.vocabulary, r.label, r.vocabulary === m.hub ? '(the hub)' : hubText(r.hub)]);
  const lines = [m.distinctLabels > 1 ? k.yellow(truncate(head, width)) : truncate(head, width)];
  lines.push(...table([['VOCABULARY', `${m.domain.toUpperCase()} LABEL`, m.hub !== undefined ? `IN ${m.hub}` : ''], ...rows], { flex: 1, maxWidth: width, indent: '  ' }).map((l, i) => (i === 0 ? k.dim(l) : l)));
  return lines;
}

function hubText(t: TranslationResult | undefined): string {
  if (!t) return '';
  const c = t.candidates[0];
  if (c) return `${SYMBOL[c.relation]} ${c.label}${t.candidates.length > 1 ? ` (+${t.candidates.length - 1})` : ''}`;
  if (t.reason === 'explicit-no-match') return `${SYMBOL['no-match']} no counterpart`;
  return '— no route';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && [...line].length + 1 + [...word].length > width - 2) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** What the search was limited to (the date too, when asked: it ranks, it does not filter). */
function scopeParts(result: LookupResult, withDate: boolean): string[] {
  return [result.in.length ? `in ${result.in.join(', ')}` : '', result.domain !== undefined ? `domain ${result.domain}` : '', withDate && result.asOf !== undefined ? `as of ${result.asOf}` : ''].filter(Boolean);
}

/** The line on standard error when nothing matched, or nothing confidently, with what to try. */
export function noMatchMessage(result: LookupResult): string {
  const scope = scopeParts(result, false).join(', ');
  if (result.hits.length && result.unsure === 'ambiguous') {
    return `xwalk: "${result.query}" is ambiguous${scope ? ` (${scope})` : ''}: the readings above are as good as each other; name the agency with --in, or open one with --open N\n`;
  }
  if (result.hits.length) return `xwalk: no confident match for "${result.query}"${scope ? ` (${scope})` : ''}: the candidates above are weak; try other words, or open one with --open N\n`;
  return `xwalk: no match for "${result.query}"${scope ? ` (${scope})` : ''}; try other or fewer words${scope ? ', or a wider scope' : ''}\n`;
}

export function renderLookup(result: LookupResult, k: ChalkInstance, width = 80): string {
  const lines: string[] = [];
  const scope = scopeParts(result, true).join(' · ');
  if (!result.hits.length) return '';
  const count = `${result.hits.length} ${result.confident || result.opened ? `match${result.hits.length === 1 ? '' : 'es'}` : result.unsure === 'ambiguous' ? 'readings, none ahead (ambiguous),' : `candidate${result.hits.length === 1 ? '' : 's'}, no confident match,`}`;
  lines.push(truncate(`${count} for "${result.query}"${scope ? ` · ${scope}` : ''}`, width));
  lines.push(...hitLines(result.hits, k, width));
  const meanings = meaningLines(result, k, width);
  if (meanings.length) lines.push('', ...meanings);
  if (result.opened) lines.push('', ...equivalentLines(result, k, width));
  return lines.join('\n') + '\n';
}

/** Stable JSON (documented in the README): hits, then the opened hit's equivalents. */
export function lookupJson(result: LookupResult): string {
  const out = {
    xwalk: 1,
    query: result.query,
    in: result.in,
    ...(result.domain !== undefined ? { domain: result.domain } : {}),
    ...(result.asOf !== undefined ? { asOf: result.asOf } : {}),
    confident: result.confident,
    ...(result.unsure !== undefined ? { unsure: result.unsure } : {}),
    hits: result.hits.map(({ meaning: _m, ...h }) => h),
    ...(result.opened ? { opened: (({ meaning: _m, ...h }) => h)(result.opened) } : {}),
    equivalents: result.equivalents.map((e) => ({
      vocabulary: e.vocabulary,
      outcome: e.translation.outcome,
      ...(e.translation.reason !== undefined ? { reason: e.translation.reason } : {}),
      message: e.translation.message,
      candidates: e.translation.candidates,
    })),
    ...(result.meanings
      ? {
          meanings: {
            ...result.meanings,
            rows: result.meanings.rows.map((r) => ({
              vocabulary: r.vocabulary,
              code: r.code,
              label: r.label,
              ...(r.hub ? { hub: { outcome: r.hub.outcome, ...(r.hub.reason !== undefined ? { reason: r.hub.reason } : {}), candidates: r.hub.candidates.map((c) => ({ code: c.code, label: c.label, relation: c.relation, route: c.route })) } } : {}),
            })),
          },
        }
      : {}),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
