/**
 * Where vocabulary files come from: a directory on disk, or an in-memory map of path → text
 * (the shipped vocabularies compiled into xwalk, or objects a library user passes in).
 * Readers only see this interface, so the same code loads both.
 */

import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { posix, isAbsolute, dirname, join, relative, resolve as resolvePath, sep } from 'node:path';

export interface FileSource {
  /** The file's text, or undefined when it does not exist. */
  read(path: string): string | undefined;
  /** `rel` as seen from the file `from` (both as this source names them). */
  resolve(from: string, rel: string): string;
  /** The vocabulary and crosswalk YAML files below this source's root, sorted. */
  listYaml(): string[];
  /** A short name for messages: a directory path, or `shipped`. */
  readonly name: string;
}

const YAML_RE = /\.ya?ml$/i;

/**
 * A `file:` that names a file outside the folder of the YAML file naming it (issue 15): such a
 * list is never read. Thrown by `resolve`; the loader turns it into a `file-outside` error.
 */
export class OutsideFolderError extends Error {
  constructor(
    readonly from: string,
    readonly rel: string,
  ) {
    super(`"${rel}" is outside the folder of ${from}`);
  }
}

/** True when `child` is `parent` or below it (both absolute, same separator). */
function within(parent: string, child: string, separator: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(separator) ? parent : parent + separator);
}

/** Largest vocabulary file read, to fail clearly on a mistaken path to a huge file. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export class MemorySource implements FileSource {
  constructor(
    readonly name: string,
    private readonly files: ReadonlyMap<string, string>,
  ) {}
  read(path: string): string | undefined {
    return this.files.get(path);
  }
  resolve(from: string, rel: string): string {
    const p = posix.normalize(posix.join(posix.dirname(from), rel));
    const up = posix.relative(posix.dirname(from), p);
    if (posix.isAbsolute(rel) || up === '..' || up.startsWith('../')) throw new OutsideFolderError(from, rel);
    return p;
  }
  listYaml(): string[] {
    return [...this.files.keys()].filter((p) => YAML_RE.test(p)).sort();
  }
}

export class DirSource implements FileSource {
  readonly skipped: { path: string; reason: string }[] = [];
  constructor(readonly name: string) {}
  read(path: string): string | undefined {
    try {
      const st = statSync(path);
      if (!st.isFile()) return undefined;
      if (st.size > MAX_FILE_BYTES) throw new Error(`${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
      return readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }
  resolve(from: string, rel: string): string {
    // Relative stays relative, so messages name files the way the user wrote the directory.
    const p = isAbsolute(rel) ? rel : join(dirname(from), rel);
    // Confined to the YAML file's folder and below, as written and once links are followed: a
    // vocabulary from elsewhere must not make xwalk read (and echo) any file of the machine.
    const base = resolvePath(dirname(from));
    if (!within(base, resolvePath(p), sep) || relative(base, resolvePath(p)).split(sep)[0] === '..') throw new OutsideFolderError(from, rel);
    let realBase: string | undefined;
    let real: string | undefined;
    try {
      realBase = realpathSync(base);
      real = realpathSync(p);
    } catch {
      // Missing: reported as a missing file by the reader.
    }
    if (realBase !== undefined && real !== undefined && !within(realBase, real, sep)) throw new OutsideFolderError(from, rel);
    return p;
  }
  listYaml(): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const walk = (dir: string, depth: number) => {
      let real: string;
      try {
        real = realpathSync(dir);
      } catch {
        this.skipped.push({ path: dir, reason: 'cannot be resolved (a broken link?)' });
        return;
      }
      if (seen.has(real) || depth > 16) return;
      seen.add(real);
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch (e) {
        this.skipped.push({ path: dir, reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
        return;
      }
      for (const n of names) {
        if (n.startsWith('.') || n === 'node_modules') continue;
        const p = join(dir, n);
        let st;
        try {
          st = lstatSync(p).isSymbolicLink() ? statSync(p) : lstatSync(p);
        } catch {
          this.skipped.push({ path: p, reason: 'a broken link' });
          continue;
        }
        if (st.isDirectory()) walk(p, depth + 1);
        else if (st.isFile() && YAML_RE.test(n)) out.push(p);
      }
    };
    try {
      if (statSync(this.name).isFile()) return [this.name];
    } catch {
      /* reported by walk */
    }
    walk(this.name, 0);
    return out;
  }
}
