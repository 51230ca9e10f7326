// `npm test`'s runner (after the build and the type check): the fast suite, and at the same time,
// in a second vitest, the slow files (vitest.config.ts, SLOW: a headless browser, npm pack and
// install, the single executable), which mostly wait on other programs. The fast suite's output
// streams as it runs; the slow suite's is printed after it, whole. Each ends with vitest's own
// "Tests" line (.ci/run adds them up). Exits 1 if either failed.
// Arguments are handed to both: `npm test -- test/bin.test.ts` runs that file in whichever suite has it.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const args = process.argv.slice(2);
const run = (project, stdio, env = process.env) =>
  spawn(process.execPath, [vitest, 'run', '--project', project, '--passWithNoTests', ...args], { stdio, env });
const ended = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

const slow = run('slow', ['ignore', 'pipe', 'pipe'], { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) });
let slowOutput = '';
slow.stdout.on('data', (b) => (slowOutput += b));
slow.stderr.on('data', (b) => (slowOutput += b));
const slowEnd = ended(slow);
const fastCode = await ended(run('fast', 'inherit'));
let done = false;
void slowEnd.then(() => (done = true));
await new Promise((r) => setImmediate(r));
if (!done) process.stdout.write('\nThe slow suite (a browser, packaging) is still running ...\n');
const slowCode = await slowEnd;
// A file filter that matches only fast files leaves the slow suite nothing to run: no need to say so at length.
if (slowCode !== 0 || !/No test files found/.test(slowOutput)) process.stdout.write(`\n${slowOutput}`);
process.exitCode = fastCode || slowCode ? 1 : 0;
