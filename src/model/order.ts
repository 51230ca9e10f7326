/** Small helpers for the tables every stage builds: one ordering, and lists kept in a Map. */

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
