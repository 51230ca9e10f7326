/** Small helpers for the tables every stage builds: one ordering, lists kept in a Map, counts written for people. */

/**
 * One ordering for ids and codes everywhere: by UTF-16 code units. Deterministic on every machine
 * (no locale), and cheap: `localeCompare` initializes ICU's collator on first use, which cost
 * about 20 ms of every start-up.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Appends `v` to the list under `k`, starting the list when there is none. */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * A count with thousands separators, as `toLocaleString('en-US')` writes it (1,234,567), without
 * ICU: the first `toLocaleString` of a process loads ICU's number formats, 16-20 ms, which every
 * code that did not map paid at the start of `translate`, `lookup` and `convert` (issue 18).
 */
export function thousands(n: number): string {
  // Beyond 1e21 toFixed writes an exponent: ICU then, for a count no file reaches.
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return n.toLocaleString('en-US');
  // At most three decimals, trailing zeros dropped, as en-US numbers are written.
  const [whole, fraction] = Math.abs(n)
    .toFixed(Number.isInteger(n) ? 0 : 3)
    .split('.') as [string, string | undefined];
  let out = '';
  for (let i = 0; i < whole.length; i++) out += (i > 0 && (whole.length - i) % 3 === 0 ? ',' : '') + whole[i];
  const decimals = fraction?.replace(/0+$/, '');
  return `${n < 0 || Object.is(n, -0) ? '-' : ''}${out}${decimals ? `.${decimals}` : ''}`;
}

/** A reason counted under its status, with how many rows gave it. */
export interface ReasonCount<S extends string> {
  status: S;
  reason: string;
  count: number;
}

/**
 * Counts `reason` under `status` in `reasons`, keeping at most `cap` distinct reasons apart: past
 * that, a row's new reason is counted in one "other reasons" line of its status, so the counts
 * still add up to the rows (a file of endless distinct reasons cannot grow the table).
 */
export function countReason<S extends string>(reasons: Map<string, ReasonCount<S>>, status: S, reason: string, cap: number): void {
  const e = reasons.get(`${status}\u0000${reason}`);
  if (e) e.count++;
  else if (reasons.size < cap) reasons.set(`${status}\u0000${reason}`, { status, reason, count: 1 });
  else {
    const key = `${status}\u0000`;
    const other = reasons.get(key);
    if (other) other.count++;
    else reasons.set(key, { status, reason: `other reasons (past the first ${thousands(cap)} distinct ones, not listed apart)`, count: 1 });
  }
}
