/**
 * Where vocabulary files come from: a directory on disk, or an in-memory map of path → text
 * (the shipped vocabularies compiled into xwalk, or objects a library user passes in).
 * Readers only see this interface, so the same code loads both.
 */

import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { posix, isAbsolute, dirname, join } from 'node:path';

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
    return posix.normalize(posix.join(posix.dirname(from), rel));
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
    return isAbsolute(rel) ? rel : join(dirname(from), rel);
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
