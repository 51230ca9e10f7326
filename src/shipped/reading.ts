/**
 * `xwalk lookup`'s reading of a shipped text (src/lookup/search.ts, readText: its words and
 * forms), as the built command holds it and as dist/shipped/readings.json writes it. Apart from
 * ./compiled.ts and ./files.ts (the build swaps one for the other) so that both and ./index.ts
 * share it without the vocabularies compiled into the code.
 */

/** A text's reading by xwalk lookup's index (src/lookup/search.ts, readText), as the built command holds it. */
export interface ShippedReading {
  readonly words: readonly string[];
  readonly unique: readonly string[];
  readonly surface: ReadonlySet<string>;
  readonly compact: string;
  readonly initials: string;
}

/**
 * The same in dist/shipped/readings.json: `unique` and `surface` left out when they are the
 * words (they are for most texts: the file is a third smaller, and so is its parse).
 */
export interface ReadingJson {
  words: string[];
  unique?: string[];
  surface?: string[];
  compact: string;
  initials: string;
}

/** A reading as readings.json holds it. */
export function readingJson(r: ShippedReading): ReadingJson {
  const same = (xs: Iterable<string>) => {
    const a = [...xs];
    return a.length === r.words.length && a.every((x, i) => x === r.words[i]);
  };
  return { words: [...r.words], ...(same(r.unique) ? {} : { unique: [...r.unique] }), ...(same(r.surface) ? {} : { surface: [...r.surface] }), compact: r.compact, initials: r.initials };
}

/** A reading from readings.json. */
export function readingFromJson(j: ReadingJson): ShippedReading {
  return { words: j.words, unique: j.unique ?? j.words, surface: new Set(j.surface ?? j.words), compact: j.compact, initials: j.initials };
}
