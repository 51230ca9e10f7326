/**
 * Proposals for codes of A that reach nothing in B: the codes of B whose labels (and aliases)
 * read most like theirs. Every proposal is `status: proposed` with the method and score that made
 * it; proposals are never used to translate until a person reviews them. Pure.
 *
 * Similarity: labels are folded (case, "&" → "and", punctuation, a trailing plural "s", a few
 * stop words) into word sets; the score is the Dice coefficient of the word sets, with near-equal
 * words (edit distance 1 in words of 5+ letters) counted as equal. Transparent, so a reviewer can
 * see why a pair was proposed.
 */

import type { Domain, Term } from '../model/types.js';
import type { RegistryIndex } from '../indexes/index.js';
import { editDistance } from '../errors/closest.js';
import { translateCode } from '../translate/translate.js';
import { compareText } from '../model/order.js';

export interface Proposal {
  from: string;
  fromLabel: string;
  to: string;
  toLabel: string;
  score: number;
}

export const METHOD = 'label-similarity';
const STOP = new Set(['of', 'the', 'a', 'an', 'or', 'and', 'to', 'in', 'on', 'by', 'for', 'with', 'etc']);

export function words(label: string): string[] {
  return label
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

export function similarity(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const used = new Set<number>();
  let common = 0;
  for (const w of a) {
    const j = b.findIndex((x, i) => !used.has(i) && (x === w || (w.length >= 5 && x.length >= 5 && editDistance(w, x) <= 1)));
    if (j >= 0) {
      used.add(j);
      common++;
    }
  }
  return (2 * common) / (a.length + b.length);
}

function termWords(t: Term): string[][] {
  return [t.label, ...t.aliases.map((a) => a.text)].map(words);
}

/** Codes of A with no reviewed route to B (explicit no-matches are decisions: not re-proposed). */
export function unmappedCodes(index: RegistryIndex, from: string, to: string, domain: Domain): Term[] {
  const table = index.table(from, domain)!;
  return [...table.terms.values()].filter((t) => {
    const r = translateCode(index, t.code, { from, to, domain });
    return r.outcome === 'no-mapping' && r.reason !== 'explicit-no-match' && r.reason !== 'only-negative';
  });
}

export function suggest(index: RegistryIndex, opts: { from: string; to: string; domain: Domain; limit: number; minScore: number }): { unmapped: Term[]; proposals: Proposal[] } {
  const targets = [...index.table(opts.to, opts.domain)!.terms.values()].map((t) => ({ t, ws: termWords(t) }));
  const unmapped = unmappedCodes(index, opts.from, opts.to, opts.domain);
  const proposals: Proposal[] = [];
  for (const s of unmapped) {
    const sw = termWords(s);
    const scored = targets
      .map(({ t, ws }) => ({ t, score: Math.max(...sw.flatMap((a) => ws.map((b) => similarity(a, b)))) }))
      .filter((x) => x.score >= opts.minScore)
      .sort((x, y) => y.score - x.score || compareText(x.t.code, y.t.code))
      .slice(0, opts.limit);
    for (const { t, score } of scored) proposals.push({ from: s.code, fromLabel: s.label, to: t.code, toLabel: t.label, score: Math.round(score * 100) / 100 });
  }
  return { unmapped, proposals };
}

const q = (s: string) => JSON.stringify(s);

/** A draft crosswalk file: every mapping proposed, relation `related` (the weakest claim). */
export function draftYaml(opts: { from: string; to: string; domain: Domain }, proposals: Proposal[], unmapped: Term[]): string {
  const lines = [
    `# Draft written by xwalk suggest. Every mapping is proposed and is not used to translate: review`,
    '# each one, set the relation that is true (equivalent, source-narrower, ...), and change its',
    '# status to reviewed, or delete it. xwalk validate lists the ones still proposed.',
    `id: ${opts.from}--${opts.to}--draft`,
    `from: ${opts.from}`,
    `to: ${opts.to}`,
    `domain: ${opts.domain}`,
    'version: "draft"',
  ];
  if (!proposals.length) lines.push('mappings: []');
  else {
    lines.push('mappings:');
    for (const p of proposals) lines.push(`  - { from: ${q(p.from)}, to: ${q(p.to)}, relation: related, status: proposed, method: ${q(`${METHOD} ${p.score}`)}, note: ${q(`${p.fromLabel} ~ ${p.toLabel}`)} }`);
  }
  const none = unmapped.filter((u) => !proposals.some((p) => p.from === u.code));
  if (none.length) lines.push(`# No proposal for: ${none.map((u) => u.code).join(', ')}`);
  return lines.join('\n') + '\n';
}
