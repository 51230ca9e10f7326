/**
 * Summary renderers: a Summary in → text out (a terminal table in the form's shape, CSV, a
 * printable HTML report with an inline SVG bar chart). Pure: no I/O, no colour (the CLI adds it).
 */

import { quoteField } from '../records/csv-writer.js';
import type { Summary, SummaryLine } from './summarize.js';
import { thousands } from '../model/order.js';

const fmt = thousands;

function reconciliation(s: Summary): string {
  return `${fmt(s.rowsIn)} offense rows in = ${fmt(s.counted)} counted + ${fmt(s.notCounted)} not counted + ${fmt(s.unclassified)} unclassified`;
}

/** Notes under the table: the reconciliation and why rows were not counted or not classified. */
export function summaryNotes(s: Summary, limit = 10): string[] {
  const out = [reconciliation(s)];
  if (s.perOffense) out.push('no incident marks in the input (convert --incident): every classified row is counted, per offense, not per incident; these are not Summary (SRS) counts');
  for (const r of s.reasons.slice(0, limit)) out.push(`${r.status === 'not-counted' ? 'not counted' : 'unclassified'}: ${fmt(r.count)} × ${r.reason}`);
  if (s.reasons.length > limit) out.push(`… and ${s.reasons.length - limit} more reasons`);
  return out;
}

/** Words of a note on lines of at most `width` characters, the lines after the first indented. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = `    ${w}`;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

/** The terminal table: classes with their lines and totals, the exceptions apart, then the notes. */
export function renderSummaryTable(s: Summary, title: string, width = 100): string {
  const periods = s.periods.length > 1 ? [...s.periods, 'total'] : s.periods;
  const cellW = Math.max(6, ...periods.map((p) => p.length));
  const labelW = Math.max(30, Math.min(60, width - 12 - periods.length * (cellW + 2)));
  const cut = (t: string, w: number) => (t.length > w ? `${t.slice(0, w - 1)}…` : t.padEnd(w));
  const nums = (l: { counts: number[]; total: number }) => (s.periods.length > 1 ? [...l.counts, l.total] : l.counts).map((n) => fmt(n).padStart(cellW)).join('  ');
  const lines: string[] = [title, ''];
  lines.push(`${''.padEnd(10)}${''.padEnd(labelW)}  ${periods.map((p) => p.padStart(cellW)).join('  ')}`);
  const row = (l: SummaryLine) => `${(l.level === 'class' ? l.code : `  ${l.code}`).padEnd(10)}${cut(l.level === 'class' ? l.label : `  ${l.label}`, labelW)}  ${nums(l)}`;
  const ranked = s.lines.filter((l) => !l.besides);
  const besides = s.lines.filter((l) => l.besides);
  for (const l of ranked) lines.push(row(l));
  lines.push(`${'Total'.padEnd(10)}${cut('Part I offenses under the Hierarchy Rule', labelW)}  ${nums(s.rankedTotal)}`);
  if (besides.length) {
    lines.push('', 'Counted besides the Hierarchy Rule:');
    for (const l of besides) lines.push(row(l));
  }
  lines.push('', ...summaryNotes(s).flatMap((n) => wrap(n, width)));
  return lines.join('\n') + '\n';
}

/** CSV: code, label, level, one column per period, total; then the reconciliation rows. */
export function renderSummaryCsv(s: Summary): string {
  const q = (v: string) => quoteField(v, ',', '"');
  const out = [['code', 'label', 'level', ...s.periods, 'total'].map(q).join(',')];
  for (const l of s.lines) out.push([l.code, l.label, l.besides ? `${l.level} (counted besides)` : l.level, ...l.counts.map(String), String(l.total)].map(q).join(','));
  out.push(['Total', 'Part I offenses under the Hierarchy Rule', 'total', ...s.rankedTotal.counts.map(String), String(s.rankedTotal.total)].map(q).join(','));
  const blank = s.periods.map(() => '');
  out.push(['rows', 'offense rows in', 'rows', ...blank, String(s.rowsIn)].map(q).join(','));
  out.push(['rows', 'counted', 'rows', ...blank, String(s.counted)].map(q).join(','));
  out.push(['rows', 'not counted', 'rows', ...blank, String(s.notCounted)].map(q).join(','));
  out.push(['rows', 'unclassified', 'rows', ...blank, String(s.unclassified)].map(q).join(','));
  return out.join('\n') + '\n';
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Colour-blind-safe palette (Okabe-Ito), one per class. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000', '#999999', '#882255', '#44AA99', '#332288'];

/** The bar chart: per period, one bar per class (stacked), as inline SVG. */
function chart(s: Summary): string {
  // A class keeps its colour whatever else was counted: the colour is its place on the form.
  const all = s.lines.filter((l) => l.level === 'class');
  const colour = new Map(all.map((l, k) => [l.code, PALETTE[k % PALETTE.length]!]));
  const classes = all.filter((l) => l.total > 0);
  if (!classes.length || !s.periods.length) return '<p class="empty">No offense was counted: no chart.</p>';
  const totals = s.periods.map((_, i) => classes.reduce((a, c) => a + c.counts[i]!, 0));
  const max = Math.max(1, ...totals);
  const W = 680;
  const H = 260;
  const left = 40;
  const bottom = 40;
  const slot = (W - left - 10) / s.periods.length;
  const bw = Math.max(4, Math.min(48, slot * 0.7));
  const y = (v: number) => H - bottom - (v / max) * (H - bottom - 10);
  const parts: string[] = [];
  const ticks = [0, Math.ceil(max / 2), max];
  for (const t of ticks) parts.push(`<line x1="${left}" x2="${W - 10}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${t}</text>`);
  s.periods.forEach((p, i) => {
    const x = left + i * slot + (slot - bw) / 2;
    let acc = 0;
    classes.forEach((c) => {
      const v = c.counts[i]!;
      if (!v) return;
      const y0 = y(acc + v);
      const h = y(acc) - y0;
      acc += v;
      parts.push(`<rect class="bar" data-class="${esc(c.code)}" data-period="${esc(p)}" x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(1, h).toFixed(1)}" fill="${colour.get(c.code)}"><title>${esc(`${p} · ${c.code} ${c.label}: ${v}`)}</title></rect>`);
    });
    parts.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle" font-size="11">${esc(p)}</text>`);
  });
  const legend = classes.map((c) => `<span class="key"><i style="background:${colour.get(c.code)}"></i>${esc(c.code)} ${esc(c.label)}</span>`).join(' ');
  return `<svg role="img" aria-label="Counted offenses per class and period" viewBox="0 0 ${W} ${H}" width="100%">${parts.join('')}</svg><div class="legend">${legend}</div>`;
}

/** A printable HTML report: title, the chart, the table, the notes. No network, no script. */
export function renderSummaryHtml(s: Summary, meta: { title: string; subtitle?: string }): string {
  const head = ['', '', ...s.periods, ...(s.periods.length > 1 ? ['total'] : [])];
  const nums = (l: { counts: number[]; total: number }) => (s.periods.length > 1 ? [...l.counts, l.total] : l.counts).map((n) => `<td class="n">${fmt(n)}</td>`).join('');
  const tr = (l: SummaryLine) => `<tr class="${l.level}${l.besides ? ' besides' : ''}"><td class="code">${esc(l.code)}</td><td>${esc(l.label)}</td>${nums(l)}</tr>`;
  const ranked = s.lines
    .filter((l) => !l.besides)
    .map(tr)
    .join('');
  const besides = s.lines.filter((l) => l.besides);
  const notes = summaryNotes(s, 20)
    .map((n) => `<li>${esc(n)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(meta.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111}
h1{font-size:20px;margin:0 0 4px} .sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse;margin:16px 0;width:100%} td,th{padding:3px 8px;border-bottom:1px solid #e5e5e5;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} tr.class td{font-weight:600;background:#f6f6f6} tr.line td:nth-child(2){padding-left:24px}
tr.total td{font-weight:700;border-top:2px solid #333} .legend{font-size:12px;margin:4px 0 12px} .key{display:inline-block;margin-right:12px}
.key i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
@page{size:auto;margin:12mm} @media print{body{margin:0} tr{break-inside:avoid}}
</style></head><body>
<h1>${esc(meta.title)}</h1>${meta.subtitle ? `<p class="sub">${esc(meta.subtitle)}</p>` : ''}
<section class="chart">${chart(s)}</section>
<table><thead><tr>${head.map((h, i) => `<th${i > 1 ? ' class="n"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${ranked}<tr class="total"><td>Total</td><td>Part I offenses under the Hierarchy Rule</td>${nums(s.rankedTotal)}</tr>
${besides.length ? `<tr><td colspan="${head.length}"><em>Counted besides the Hierarchy Rule</em></td></tr>${besides.map(tr).join('')}` : ''}
</tbody></table>
<ul class="notes">${notes}</ul>
</body></html>
`;
}
