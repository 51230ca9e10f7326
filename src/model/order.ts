/**
 * One ordering for ids and codes everywhere: by UTF-16 code units. Deterministic on every machine
 * (no locale), and cheap: `localeCompare` initializes ICU's collator on first use, which cost
 * about 20 ms of every start-up.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
