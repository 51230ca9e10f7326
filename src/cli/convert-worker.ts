/**
 * The worker thread of `xwalk convert` on two cores (convert/parallel.ts): the entry of its own
 * bundle (dist/convert-worker.cjs). It loads the same registry as the command (the same
 * --vocab-dir, XWALK_PATH and cache, from the data the command hands over) and answers pieces of
 * records (convert/worker.ts). It writes nothing: no console, no files.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { RegistryIndex } from '../indexes/index.js';
import { serveConversion } from '../convert/worker.js';
import type { StreamOptions } from '../convert/stream.js';
import { registryFor, type GlobalOptions } from './commands/context.js';
import type { Io } from './io.js';

const data = workerData as { opts: StreamOptions; globals: GlobalOptions; env: Record<string, string | undefined>; cwd: string };
const silent = { write: () => true };
const io: Io = { stdout: silent, stderr: silent, env: data.env, cwd: data.cwd, stdoutIsTTY: false, stderrIsTTY: false };
const ready = registryFor(io, { ...data.globals, quiet: true }).then((r) => new RegistryIndex(r));
serveConversion(parentPort!, ready, data.opts);
