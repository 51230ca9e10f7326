/**
 * The shipped vocabularies for the built CLI (issue 18: start-up): instead of half a megabyte of
 * JSON in the code, read and compiled at every start, dist/shipped/index.json holds what every
 * run needs (ids, names, versions, file hashes) and dist/shipped/parts.json each vocabulary's
 * terms and each crosswalk's mappings, read from the disk, by offset, the first time they are
 * needed, each domain of a vocabulary apart (`xwalk translate 13A --from nibrs --to srs` reads 3
 * vocabularies' offense or weapon lists and one crosswalk). scripts/build-cli.mjs writes
 * both from embedded.generated.ts and swaps this module in for ./compiled.ts.
 */

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledCrosswalk, CompiledRegistry, CompiledVocabulary } from '../load/compiled.js';

/** Where a part lies in parts.json: [offset, length] in bytes (the file is ASCII). */
type At = [number, number];

/** index.json: the compiled registry with each JSON text replaced by where it lies. */
export interface ShippedIndex extends Omit<CompiledRegistry, 'vocabularies' | 'crosswalks'> {
  vocabularies: (Omit<CompiledVocabulary, 'domainsJson'> & { domainsAt: [string, At][] })[];
  crosswalks: (Omit<CompiledCrosswalk, 'mappingsJson'> & { mappingsAt: At })[];
}

function readPart(file: string, [offset, length]: At): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, offset + done);
      if (n === 0) throw new Error(`${file} ends before byte ${offset + length}: rebuild xwalk (npm run build)`);
      done += n;
    }
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** The compiled registry of `dir` (dist/shipped), its JSON texts read on first access. */
export function shippedCompiledFrom(dir: string): CompiledRegistry {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'latin1')) as ShippedIndex;
  const parts = join(dir, 'parts.json');
  const text = <T extends object>(obj: T, key: string, at: At) => Object.defineProperty(obj, key, { enumerable: true, get: () => readPart(parts, at) });
  return {
    ...index,
    vocabularies: index.vocabularies.map(({ domainsAt, ...v }): CompiledVocabulary => {
      // Each domain's JSON apart, read when the domain is first used; all of them as one text for whoever asks.
      const domainParts = domainsAt.map(([d, at]): [string, () => string] => [d, () => readPart(parts, at)]);
      return Object.defineProperty({ ...v, domainParts }, 'domainsJson', { enumerable: true, get: () => `[${domainParts.map(([d, json]) => `[${JSON.stringify(d)},${json()}]`).join(',')}]` }) as CompiledVocabulary;
    }),
    crosswalks: index.crosswalks.map(({ mappingsAt, ...c }) => text(c, 'mappingsJson', mappingsAt) as CompiledCrosswalk),
  };
}

export function shippedCompiled(): CompiledRegistry {
  // In the built CLI this module is in dist/chunks/; the data is in dist/shipped/.
  return shippedCompiledFrom(join(__dirname, '..', 'shipped'));
}
