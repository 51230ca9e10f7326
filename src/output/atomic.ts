/**
 * Output files that appear whole or not at all: written to a temporary file beside the target
 * and renamed over it only when everything succeeded. A failed or interrupted run leaves the
 * previous file (or nothing) at the target, never a partial one. Temporary files still open are
 * listed in `pendingTemporaryFiles` so that a signal handler can remove them.
 */

import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createWriteStream, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { XwalkError } from '../load/errors.js';

const pending = new Set<string>();

/** Remove every pending temporary file (for SIGINT/SIGTERM handlers); never throws. */
export function removePendingTemporaryFiles(): void {
  for (const p of pending) {
    try {
      unlinkSync(p);
    } catch {
      /* already gone */
    }
  }
  pending.clear();
}

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

/** Refuses targets that cannot be written safely, before any work is done. */
export function checkTarget(target: string, flag: string, inputs: string[]): void {
  try {
    if (statSync(target).isDirectory()) throw new XwalkError(`${flag} "${target}" is a directory`, { hint: 'name a file' });
  } catch (e) {
    if (e instanceof XwalkError) throw e;
  }
  for (const input of inputs) if (sameFile(target, input)) throw new XwalkError(`${flag} "${target}" is the input file; xwalk never writes over its input`, { hint: 'write to another file, then rename it yourself if you must' });
  try {
    if (!statSync(dirname(resolve(target))).isDirectory()) throw new Error();
  } catch {
    throw new XwalkError(`${flag} "${target}": the directory ${dirname(target)} does not exist`);
  }
}

export class AtomicFile {
  readonly temp: string;
  readonly stream: WriteStream;
  private failed: Error | undefined;

  /** Settles a pending wait for 'drain' when the stream fails instead. */
  private wake: (() => void) | undefined;

  constructor(readonly target: string) {
    this.temp = join(dirname(target), `.${basename(target)}.xwalk-tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    // Created synchronously, then registered: a signal handler never sees a temporary file that
    // the thread pool has yet to create (which would survive the clean-up).
    let fd: number;
    try {
      fd = openSync(this.temp, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new XwalkError(`cannot write ${target}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code === 'EROFS' ? 'the file system is read-only' : (e as Error).message}`);
    }
    pending.add(this.temp);
    this.stream = createWriteStream(this.temp, { fd, highWaterMark: 65536 });
    this.stream.on('error', (e) => {
      this.failed ??= e;
      this.wake?.();
    });
  }

  /** Writes with backpressure: resolves when the stream can take more. */
  async write(chunk: string): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.stream.once('drain', resolve);
      });
      this.wake = undefined;
      if (this.failed) throw this.error(this.failed);
    }
  }

  private error(e: Error): XwalkError {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : e.message;
    return new XwalkError(`cannot write ${this.target}: ${why}`, { hint: `nothing was written to ${this.target}` });
  }

  /** Flushes to disk and renames over the target. */
  async commit(): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    this.stream.end();
    await Promise.race([once(this.stream, 'finish'), once(this.stream, 'error').then(([e]) => Promise.reject(e as Error))]).catch((e: Error) => Promise.reject(this.error(e)));
    if (this.failed) throw this.error(this.failed);
    const fd = openSync(this.temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.temp, this.target);
    pending.delete(this.temp);
  }

  /** Removes the temporary file; the target is untouched. */
  abort(): void {
    this.stream.destroy();
    try {
      unlinkSync(this.temp);
    } catch {
      /* never created */
    }
    pending.delete(this.temp);
  }
}

/** Writes a small file atomically in one go (reports). */
export function writeFileAtomic(target: string, text: string): void {
  const temp = join(dirname(target), `.${basename(target)}.xwalk-tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  pending.add(temp);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    throw new XwalkError(`cannot write ${target}: ${(e as Error).message}`);
  } finally {
    pending.delete(temp);
  }
}
