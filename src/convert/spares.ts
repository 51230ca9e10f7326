/**
 * Buffers used again (issue 18: memory). A conversion on two threads reads pieces into buffers
 * and writes their output from buffers; the buffers go round between the threads instead of being
 * made new for every piece. A buffer left to the garbage collector is freed only by a full
 * collection once it has outlived a young one (every buffer waiting in a queue does), and a run
 * of small pieces rarely has one. Made new per piece, buffers grew with the input (40 MB and more
 * on a 189 MB file); kept and used again, they stay a few dozen.
 */

/** Buffers kept for use again: at most `limit`, the last kept taken first. */
export class Spares {
  private readonly list: ArrayBuffer[] = [];

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.list.length;
  }

  /** Keeps `b` for use again, unless `limit` are kept already (then it is dropped). */
  keep(b: ArrayBuffer): void {
    if (this.list.length < this.limit) this.list.push(b);
  }

  /** The buffer kept last, if any. */
  take(): ArrayBuffer | undefined {
    return this.list.pop();
  }

  /** Up to `n` buffers, the longest kept first (to hand to the other thread). */
  give(n: number): ArrayBuffer[] {
    return this.list.splice(0, n);
  }
}

/**
 * The size to make a buffer asked to hold `n` bytes: a sixteenth more, rounded up to 4 KiB, so
 * that it is large enough again for the next piece, a few bytes longer (made to the byte, such
 * buffers were too small for the next piece about half of the time, and dropped).
 */
export function roomFor(n: number): number {
  return Math.ceil((n + n / 16) / 4096) * 4096; // arithmetic, not 32-bit bit operations: any size
}
