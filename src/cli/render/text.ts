/** Plain-text layout helpers shared by the renderers: fitted columns, truncation. */

export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...s];
  return chars.length <= width ? s : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

export function pad(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : s + ' '.repeat(width - n);
}

/**
 * Rows as aligned columns within `maxWidth`: every column takes its widest cell, and the column
 * marked `flex` gives up width (its cells truncated) so the line fits.
 */
export function table(rows: string[][], opts: { flex?: number; maxWidth?: number; indent?: string } = {}): string[] {
  if (!rows.length) return [];
  const maxWidth = opts.maxWidth ?? 80;
  const indent = opts.indent ?? '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const total = () => indent.length + widths.reduce((a, b) => a + b, 0) + 2 * (cols - 1);
  const flex = opts.flex ?? cols - 1;
  if (total() > maxWidth) widths[flex] = Math.max(8, widths[flex]! - (total() - maxWidth));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => (i === r.length - 1 ? truncate(c, widths[i]!) : pad(truncate(c, widths[i]!), widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}
