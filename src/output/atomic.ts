/**
 * Output files that appear whole or not at all: written to a temporary file beside the target
 * and renamed over it only when everything succeeded. A failed or interrupted run leaves the
 * previous file (or nothing) at the target, never a partial one. Temporary files still open are
 * listed in ./pending.ts so that a signal handler can remove them.
 *
 * What a target may be (issue 15, class 6):
 * - a regular file, or nothing yet: temporary file and rename;
 * - a symbolic link: the file it points to is written the same way (temporary file in *that*
 *   file's folder), so the link stays a link; a link that points nowhere is refused;
 * - a FIFO or a character device (`/dev/null`, a terminal): written directly, no temporary file,
 *   since there is nothing to replace;
 * - anything else (directory, socket, block device): refused. Nothing is ever renamed over a file
 *   that is not a regular one (checked again just before the rename).
 *
 * The outputs of one run (`-o`, `--reject`, `--report`) are committed together by `commitAll`:
 * all are written and flushed first, then renamed; if a rename fails, those already renamed are
 * put back (issue 15, class 5).
 */

import { closeSync, fdatasync, fsyncSync, linkSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createWriteStream, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { XwalkError } from '../errors/errors.js';
import { pending } from './pending.js';

/**
 * Output buffered before a write waits for the disk (backpressure). 1 MiB, not 64 KiB: with 64 KiB
 * nearly every write of a converted piece waited for the one before it (issue 18).
 */
const WRITE_BUFFER = 1 << 20;

/** Bytes written between two flushes to disk of an output file (see AtomicFile.write). */
const SYNC_EVERY = 32 << 20;

/** The same file, whether or not it exists yet, as far as paths can tell. */
export function sameFile(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  if (real(a) === real(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** How a target is written: through a temporary file renamed over `path`, or directly. */
type Plan = { mode: 'replace'; path: string } | { mode: 'direct'; path: string };

/** Decides how `target` can be written, or refuses it with an XwalkError. */
export function planTarget(target: string, flag = 'the output'): Plan {
  let st;
  try {
    st = lstatSync(target);
  } catch {
    return { mode: 'replace', path: target };
  }
  let path = target;
  if (st.isSymbolicLink()) {
    try {
      st = statSync(target);
    } catch {
      throw new XwalkError(`${flag} "${target}" is a symbolic link to a file that does not exist`, { hint: 'name the file itself, or create the file the link points to first' });
    }
    // A link to a pipe or a terminal (/dev/stdout is /proc/self/fd/1): written through the link.
    if (st.isFIFO() || st.isCharacterDevice()) return { mode: 'direct', path: target };
    path = realpathSync(target);
  }
  if (st.isFile()) return { mode: 'replace', path };
  if (st.isFIFO() || st.isCharacterDevice()) return { mode: 'direct', path };
  if (st.isDirectory()) throw new XwalkError(`${flag} "${target}" is a directory`, { hint: 'name a file' });
  throw new XwalkError(`${flag} "${target}" is not a regular file (a ${st.isSocket() ? 'socket' : st.isBlockDevice() ? 'block device' : 'special file'}); xwalk does not write over it`, { hint: 'name a regular file, a FIFO or a character device' });
}

/** Refuses targets that cannot be written safely, before any work is done. */
export function checkTarget(target: string, flag: string, inputs: string[], outputs: { path: string; flag: string }[] = []): void {
  planTarget(target, flag);
  for (const input of inputs) if (sameFile(target, input)) throw new XwalkError(`${flag} "${target}" is the input file; xwalk never writes over its input`, { hint: 'write to another file, then rename it yourself if you must' });
  // Another output of the same run (issue 20: it was called the input).
  for (const o of outputs) if (sameFile(target, o.path) || resolve(target) === resolve(o.path)) throw new XwalkError(`${flag} "${target}" is also the ${o.flag} file; each output of a run needs its own file`, { hint: `name another file for ${flag}` });
  try {
    if (!statSync(dirname(resolve(target))).isDirectory()) throw new Error();
  } catch {
    throw new XwalkError(`${flag} "${target}": the directory ${dirname(target)} does not exist`);
  }
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : (e as Error).message;
}

function tempBeside(path: string, kind = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.xwalk-${kind}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

/** Just before a rename: the target must still be a regular file, or absent. */
function stillRegular(path: string, target: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isFile()) throw new XwalkError(`cannot write ${target}: it is no longer a regular file; xwalk does not write over it`, { hint: `nothing was written to ${target}` });
}

export class AtomicFile {
  /** The temporary file ('' when the target is written directly). */
  readonly temp: string;
  readonly stream: WriteStream;
  private readonly plan: Plan;
  private failed: Error | undefined;
  private backup: string | undefined;
  private published = false;

  /** Settles a pending wait for 'drain' when the stream fails instead. */
  private wake: (() => void) | undefined;
  /** The temporary file's descriptor, flushed to disk every SYNC_EVERY bytes while it is written. */
  private fd: number | undefined;
  private unsynced = 0;
  private syncing: Promise<void> | undefined;

  constructor(
    readonly target: string,
    flag?: string,
  ) {
    this.plan = planTarget(target, flag);
    if (this.plan.mode === 'direct') {
      // A FIFO or a device: nothing to replace, so no temporary file. Opened by the stream (a
      // FIFO's open waits for a reader, which must not block the process).
      this.temp = '';
      this.stream = createWriteStream(this.plan.path, { flags: 'w', highWaterMark: WRITE_BUFFER });
    } else {
      this.temp = tempBeside(this.plan.path);
      // Created synchronously, then registered: a signal handler never sees a temporary file that
      // the thread pool has yet to create (which would survive the clean-up).
      let fd: number;
      try {
        fd = openSync(this.temp, 'wx');
      } catch (e) {
        throw new XwalkError(`cannot write ${target}: ${why(e)}`);
      }
      pending.add(this.temp);
      this.fd = fd;
      this.stream = createWriteStream(this.temp, { fd, highWaterMark: WRITE_BUFFER });
    }
    this.stream.on('error', (e) => {
      this.failed ??= e;
      this.wake?.();
    });
  }

  /** A chunk is written before write returns (a temporary file), not queued in a stream (a FIFO, a device). */
  get writesAtOnce(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Writes a chunk. A temporary file (a regular file) is written at once, into the page cache: a
   * write stream's thread-pool round trips cost the converting thread more than the copy (issue
   * 18). A FIFO or a device goes through the stream, with backpressure: resolves when it can take more.
   */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    if (this.fd === undefined) {
      if (!this.stream.write(chunk)) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.stream.once('drain', resolve);
        });
        this.wake = undefined;
        if (this.failed) throw this.error(this.failed);
      }
      return;
    }
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    try {
      for (let at = 0; at < buf.length;) at += writeSync(this.fd, buf, at, buf.length - at);
    } catch (e) {
      this.failed ??= e as Error;
      throw this.error(e as Error);
    }
    // Flushed to disk as the file grows, on the thread pool, so that the final fsync (prepare) is
    // short instead of waiting for the whole file at the end (issue 18: 0.2-0.3 s of 260 MB).
    this.unsynced += buf.length;
    if (this.unsynced >= SYNC_EVERY && !this.syncing) {
      this.unsynced = 0;
      const fd = this.fd;
      this.syncing = new Promise<void>((resolve) =>
        fdatasync(fd, (e) => {
          if (e) this.failed ??= e;
          this.syncing = undefined;
          resolve();
        }),
      );
    }
  }

  private error(e: Error): XwalkError {
    return new XwalkError(`cannot write ${this.target}: ${why(e)}`, { hint: `nothing was written to ${this.target}` });
  }

  /** Ends the stream and flushes the temporary file to disk; the target is not touched yet. */
  async prepare(): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    await this.syncing; // before the stream closes the descriptor
    this.stream.end();
    await Promise.race([once(this.stream, 'finish'), once(this.stream, 'error').then(([e]) => Promise.reject(e as Error))]).catch((e: Error) => Promise.reject(this.error(e)));
    if (this.failed) throw this.error(this.failed);
    if (this.plan.mode === 'direct') return;
    const fd = openSync(this.temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Renames the temporary file over the target, keeping the previous file (as a hard link) until `settle`. */
  publish(): void {
    if (this.plan.mode === 'direct') return;
    const path = this.plan.path;
    stillRegular(path, this.target);
    try {
      const b = tempBeside(path, 'old');
      linkSync(path, b);
      this.backup = b;
      pending.add(b);
    } catch {
      // No previous file (or no hard links here): nothing to put back.
    }
    try {
      renameSync(this.temp, path);
    } catch (e) {
      throw new XwalkError(`cannot write ${this.target}: ${why(e)}`, { hint: `nothing was written to ${this.target}` });
    }
    pending.delete(this.temp);
    this.published = true;
  }

  /** Undoes `publish`: the previous file (or none) is back at the target. Never throws. */
  rollback(): void {
    if (!this.published || this.plan.mode === 'direct') return;
    try {
      if (this.backup) renameSync(this.backup, this.plan.path);
      else unlinkSync(this.plan.path);
    } catch {
      /* as good as it gets */
    }
    if (this.backup) pending.delete(this.backup);
    this.backup = undefined;
    this.published = false;
  }

  /** Drops the kept previous file once every output of the run is in place. */
  settle(): void {
    if (!this.backup) return;
    try {
      unlinkSync(this.backup);
    } catch {
      /* already gone */
    }
    pending.delete(this.backup);
    this.backup = undefined;
  }

  /** Flushes to disk and renames over the target (a run with one output). */
  async commit(): Promise<void> {
    await commitAll([this]);
  }

  /** Removes the temporary file; the target is untouched (a FIFO or device has had what was written). */
  abort(): void {
    this.stream.destroy();
    if (this.plan.mode === 'direct') return;
    try {
      unlinkSync(this.temp);
    } catch {
      /* never created */
    }
    pending.delete(this.temp);
  }
}

/**
 * Commits the outputs of one run together: all flushed first, then renamed in order; when one
 * fails, those renamed already are put back and the rest removed, so a failure leaves every
 * earlier file as it was. (Files written directly, FIFOs and devices, cannot be taken back.)
 */
export async function commitAll(files: readonly (AtomicFile | undefined)[]): Promise<void> {
  const all = files.filter((f): f is AtomicFile => f !== undefined);
  try {
    for (const f of all) await f.prepare();
    for (const f of all) f.publish();
  } catch (e) {
    for (const f of [...all].reverse()) f.rollback();
    for (const f of all) f.abort();
    throw e;
  }
  for (const f of all) f.settle();
}

/** Writes a small file atomically in one go (reports, exports), through a symlink or directly to a FIFO or device. */
export function writeFileAtomic(target: string, text: string): void {
  const plan = planTarget(target);
  if (plan.mode === 'direct') {
    try {
      writeFileSync(plan.path, text);
    } catch (e) {
      throw new XwalkError(`cannot write ${target}: ${why(e)}`);
    }
    return;
  }
  const temp = tempBeside(plan.path);
  pending.add(temp);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    stillRegular(plan.path, target);
    renameSync(temp, plan.path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    if (e instanceof XwalkError) throw e;
    throw new XwalkError(`cannot write ${target}: ${why(e)}`);
  } finally {
    pending.delete(temp);
  }
}

/**
 * Writes a file atomically through a writer that needs a path, not bytes (DuckDB's `COPY ... TO`):
 * `write` fills a temporary file beside the target, which is flushed and renamed over it only when
 * `write` succeeded. A FIFO or a device is handed to `write` directly.
 */
export async function writeAtomicWith(target: string, write: (path: string) => Promise<void>): Promise<void> {
  const plan = planTarget(target);
  if (plan.mode === 'direct') {
    await write(plan.path);
    return;
  }
  const temp = tempBeside(plan.path);
  pending.add(temp);
  try {
    await write(temp);
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    stillRegular(plan.path, target);
    renameSync(temp, plan.path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    if (e instanceof XwalkError) throw e;
    throw new XwalkError(`cannot write ${target}: ${why(e)}`);
  } finally {
    pending.delete(temp);
  }
}
