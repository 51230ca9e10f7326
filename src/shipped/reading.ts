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

/** The readings of the shipped texts, each parsed when it is asked for. */
export interface ReadingsTable {
  get(key: string): ReadingJson | undefined;
  keys(): readonly string[];
}

/**
 * readings.json's text: a header line (every key, and where each reading's line starts after it),
 * then a line of JSON for each reading, so that a run parses the keys and only the readings it
 * asks for (a lookup touches a few dozen of 1,163).
 */
export function readingsText(readings: [string, ReadingJson][]): string {
  // One byte a character, as every file of dist/ (an offset counts characters and bytes alike).
  const ascii = (json: string) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const lines = readings.map(([, r]) => ascii(JSON.stringify(r)));
  const offsets: number[] = [];
  let at = 0;
  for (const l of lines) {
    offsets.push(at);
    at += l.length + 1;
  }
  return `${ascii(JSON.stringify({ keys: readings.map(([k]) => k), offsets }))}\n${lines.join('\n')}\n`;
}
