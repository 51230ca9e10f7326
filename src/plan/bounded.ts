/**
 * Bounded memory for per-value state of a conversion (issue 15, class 11): an export with
 * millions of distinct codes must not grow memory with them.
 *
 * - `BoundedCache`: two generations of at most `cap` entries each. A hit in the older one moves
 *   the entry to the newer; when the newer is full it becomes the older and the older is dropped.
 *   Values used again and again stay; one-off values leave. O(1) per use, no reordering on a hit.
 * - `keyOf`: a cache key for several strings that no two different lists share, whatever
 *   characters (NUL and other controls included) the strings hold.
 */

export class BoundedCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(readonly cap: number) {}

  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.cap) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Entries held now (at most twice the cap). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** One key for a list of strings: length-prefixed, so that no separator inside a value can forge another list. */
export function keyOf(parts: readonly string[]): string {
  let k = '';
  for (const p of parts) k += `${p.length}:${p}`;
  return k;
}

/**
 * Counts per value for the report's "most frequent" lists, in bounded memory: exact while fewer
 * than `cap` distinct values are seen; past that, the least frequent half is dropped (each time
 * it fills up again) and `approximate` is set, so a value's count may then be low.
 */
export class BoundedCounts<T extends { count: number }> {
  readonly map = new Map<string, T>();
  approximate = false;
  /** How many times the least frequent half was dropped: an entry held since then is still counted. */
  pruned = 0;

  constructor(readonly cap: number) {}

  get(key: string): T | undefined {
    return this.map.get(key);
  }

  add(key: string, value: T): void {
    if (this.map.size >= this.cap) {
      const keep = [...this.map].sort((a, b) => b[1].count - a[1].count).slice(0, this.cap >> 1);
      this.map.clear();
      for (const [k, v] of keep) this.map.set(k, v);
      this.pruned++;
      this.approximate = true;
    }
    this.map.set(key, value);
  }

  entries(): IterableIterator<[string, T]> {
    return this.map.entries();
  }
}
