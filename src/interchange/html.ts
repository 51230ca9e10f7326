/**
 * A printable reference card for trainers: the codes of one vocabulary's domain and their
 * counterparts in the chosen vocabularies, side by side, grouped, with a search box. One
 * self-contained page: inline CSS and script, no network (a Content-Security-Policy forbids it),
 * print styles for A4 or Letter (the header row repeats on every page, rows are never cut).
 * Each cell is what `xwalk translate` answers for the code without record facts.
 */

import type { Domain, Term } from '../model/types.js';
import { SYMBOL } from '../model/relation.js';
import type { RegistryIndex } from '../indexes/index.js';
import { translateCode } from '../translate/translate.js';
import type { Candidate, TranslationResult } from '../translate/result.js';
import type { Condition } from '../model/types.js';
import { conditionsText } from './common.js';

export type Paper = 'a4' | 'letter';

export interface CardOptions {
  from: string;
  to: string[];
  domain: Domain;
  /** A prop of the source terms (or, failing that, of their first counterpart) to group rows by. */
  groupBy?: string;
  paper?: Paper;
  title?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = (paper: Paper) => `
:root { --ink: #1a1a1a; --muted: #5c5c5c; --rule: #c8c8c8; --band: #eef2f6; --accent: #1d4e89; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 16px; }
header h1 { font-size: 15pt; margin: 0 0 2px; color: var(--accent); }
header p { margin: 0 0 8px; color: var(--muted); font-size: 9pt; }
.tools { display: flex; gap: 12px; align-items: center; margin: 8px 0 10px; }
.tools input { font: inherit; padding: 4px 8px; width: 22em; max-width: 100%; border: 1px solid var(--rule); border-radius: 4px; }
.tools output { color: var(--muted); font-size: 9pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
thead th { background: var(--accent); color: #fff; font-size: 9.5pt; }
thead .why { color: #d6e2f0; }
tr.group th { background: var(--band); color: var(--accent); font-size: 9.5pt; padding-top: 6px; }
.code { font-weight: bold; font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
.rel { display: inline-block; min-width: 1.2em; color: var(--accent); font-weight: bold; }
.when, .why { color: var(--muted); font-size: 8.5pt; }
.none { color: #8a1c1c; font-size: 9pt; }
.alt { display: block; }
footer { margin-top: 10px; color: var(--muted); font-size: 8.5pt; }
[hidden] { display: none !important; }
@page { size: ${paper === 'letter' ? 'letter' : 'A4'} portrait; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  .tools { display: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  tr.group { break-after: avoid; page-break-after: avoid; }
  thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr.group th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

const SCRIPT = `
(function () {
  var input = document.getElementById('q');
  var out = document.getElementById('count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('tbody'));
  function fold(s) { return s.toLowerCase().normalize('NFD').replace(/[\\u0300-\\u036f]/g, ''); }
  rows.forEach(function (r) { r.dataset.text = fold(r.textContent || ''); });
  function apply() {
    var words = fold(input.value).split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (r) {
      var ok = words.every(function (w) { return r.dataset.text.indexOf(w) >= 0; });
      r.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('tr.row:not([hidden])'); });
    out.value = shown + ' of ' + rows.length + ' codes';
  }
  input.addEventListener('input', apply);
  apply();
})();
`;

const sameCondition = (a: Condition, b: Condition) => conditionsText([a]) === conditionsText([b]);

/**
 * The answers as the card lists them: answers naming the same code the same way (relation, label,
 * route) whose conditions differ only in the values of one `field=a|b` condition are one line with
 * the values together (`property_type=a|b; report=offense` says what the two lines said). A code
 * with many chained answers (one per property type) otherwise makes a row taller than a printed
 * page, which no print style can keep whole.
 */
function merged(candidates: readonly Candidate[]): { c: Candidate; conditions: Condition[] }[] {
  const out: { c: Candidate; conditions: Condition[] }[] = [];
  for (const c of candidates) {
    const into = out.find((o) => {
      if (o.c.relation !== c.relation || o.c.code !== c.code || o.c.label !== c.label || o.c.route !== c.route || o.conditions.length !== c.conditions.length) return false;
      const differ = o.conditions.flatMap((k, i) => (sameCondition(k, c.conditions[i]!) ? [] : [i]));
      if (differ.length !== 1) return false;
      const a = o.conditions[differ[0]!]!;
      const b = c.conditions[differ[0]!]!;
      return 'values' in a && 'values' in b && a.op === 'in' && b.op === 'in' && a.field === b.field;
    });
    if (!into) {
      out.push({ c, conditions: c.conditions });
      continue;
    }
    into.conditions = into.conditions.map((k, i) => {
      const n = c.conditions[i]!;
      if (sameCondition(k, n) || !('values' in k) || !('values' in n)) return k;
      return { field: k.field, op: 'in', values: [...k.values, ...n.values.filter((v) => !k.values.includes(v))] };
    });
  }
  return out;
}

function cell(r: TranslationResult): string {
  if (r.outcome === 'mapped' || r.outcome === 'ambiguous') {
    const shown = r.outcome === 'mapped' ? [{ c: r.best!, conditions: r.best!.conditions }] : merged(r.candidates);
    const parts = shown.map(({ c, conditions }) => {
      const when = conditions.length ? ` <span class="when">when ${esc(conditionsText(conditions))}</span>` : '';
      const how = c.route === 'direct' ? '' : ` <span class="why">(${c.route})</span>`;
      return `<span class="alt"><span class="rel" title="${esc(c.relation)}">${esc(SYMBOL[c.relation])}</span> <span class="code">${esc(c.code)}</span> ${esc(c.label)}${when}${how}</span>`;
    });
    return r.outcome === 'ambiguous' ? `<span class="why">one of:</span>${parts.join('')}` : parts.join('');
  }
  return `<span class="none">no mapping</span> <span class="why">${esc(r.reason ?? r.outcome)}</span>`;
}

function groupOf(index: RegistryIndex, opts: CardOptions, term: Term, first: TranslationResult | undefined, prop: { source: boolean; name: string } | undefined): string {
  if (!prop) return '';
  if (prop.source) return term.props.get(prop.name) ?? 'Other';
  const c = first?.best;
  if (!c) return 'Not mapped';
  return index.term(c.vocabulary, opts.domain, c.code)?.props.get(prop.name) ?? 'Other';
}

/** Which prop groups the rows: --group-by on the source terms, else `category` of the source or of the first target. */
function pickGroup(index: RegistryIndex, opts: CardOptions, terms: Term[]): { source: boolean; name: string } | undefined {
  const has = (vocab: string, name: string) => [...(index.table(vocab, opts.domain)?.terms.values() ?? [])].some((t) => t.props.has(name));
  const name = opts.groupBy ?? 'category';
  if (terms.some((t) => t.props.has(name))) return { source: true, name };
  if (opts.to[0] && has(opts.to[0], name)) return { source: false, name };
  return undefined;
}

export function exportHtml(index: RegistryIndex, opts: CardOptions): { text: string; groupedBy?: string } {
  const paper = opts.paper ?? 'a4';
  const source = index.vocabulary(opts.from)!;
  const terms = [...index.table(opts.from, opts.domain)!.terms.values()];
  const prop = pickGroup(index, opts, terms);
  const groups = new Map<string, string[]>();
  for (const t of terms) {
    const results = opts.to.map((to) => translateCode(index, t.code, { from: opts.from, to, domain: opts.domain }));
    const g = groupOf(index, opts, t, results[0], prop);
    const dates = t.validTo ? ` <span class="why">until ${esc(t.validTo)}</span>` : '';
    const row = `<tr class="row"><td><span class="code">${esc(t.code)}</span> ${esc(t.label)}${dates}</td>${results.map((r) => `<td>${cell(r)}</td>`).join('')}</tr>`;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(row);
  }
  const cols = 1 + opts.to.length;
  const names = [opts.from, ...opts.to].map((id) => `${esc(index.vocabulary(id)!.name)} <span class="why">(${esc(id)} ${esc(index.vocabulary(id)!.version)})</span>`);
  const title = opts.title ?? `${opts.from} → ${opts.to.join(', ')} · ${opts.domain}`;
  const order = [...groups.keys()].sort((a, b) => (a === 'Not mapped' || a === 'Other' ? 1 : 0) - (b === 'Not mapped' || b === 'Other' ? 1 : 0) || a.localeCompare(b));
  const bodies = order.map((g) => `<tbody>${g ? `<tr class="group"><th colspan="${cols}">${esc(g)}</th></tr>` : ''}\n${groups.get(g)!.join('\n')}\n</tbody>`);
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS(paper)}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p>${esc(source.name)}: ${terms.length} codes of the ${esc(opts.domain)} domain${prop ? `, grouped by ${esc(prop.name)}${prop.source ? '' : ` of the ${esc(opts.to[0]!)} code`}` : ''}. Made with xwalk from the vocabularies named in the columns.</p>
</header>
<div class="tools"><label>Search <input id="q" type="search" placeholder="code or words" autocomplete="off"></label> <output id="count">${terms.length} of ${terms.length} codes</output></div>
<table>
<colgroup><col style="width:${Math.round((100 / (cols + 0.5)) * 1.5)}%">${opts.to.map(() => '<col>').join('')}</colgroup>
<thead><tr>${names.map((n) => `<th>${n}</th>`).join('')}</tr></thead>
${bodies.join('\n')}
</table>
<footer>= equivalent · ⊂ the source code is narrower (part of the target) · ⊃ the source code is broader (only some of its records) · ◇ overlap · ~ related. "one of": the record's facts decide (conditions in grey). Inverse and chained answers were never reviewed in this direction.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
  return prop ? { text: html, groupedBy: prop.name } : { text: html };
}
