// PostgreSQL 15 for the SQL equality tests (issue 17): Debian's server binaries, never assumed
// present, and a private throwaway cluster per test file.
//
//   node scripts/postgres.mjs ensure   installs Debian's postgresql-15 when missing (root + apt-get), else says how
//   node scripts/postgres.mjs check    exit 0 when the binaries are there, 2 (with the install command) when not
//   node scripts/postgres.mjs start    starts a cluster, prints how to reach it, stops it on Ctrl-C (debugging)
//
// A cluster lives in a fresh temp folder, listens on a unix socket in that folder only (no TCP),
// runs with fsync off, and is stopped (`pg_ctl stop -m immediate`) and removed by stop(), or on
// process exit if a test crashed first. XWALK_PG_BIN names another folder of server binaries
// (default /usr/lib/postgresql/15/bin); pointing it at a wrong folder exercises the missing path.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DEFAULT_BIN = '/usr/lib/postgresql/15/bin';
const TOOLS = ['postgres', 'initdb', 'pg_ctl'];
const INSTALL = 'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15';

export class PostgresUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = 'PostgresUnavailable';
  }
}

/** The folder of server binaries (XWALK_PG_BIN or Debian's). */
export function pgBin() {
  return process.env.XWALK_PG_BIN || DEFAULT_BIN;
}

function missing(bin) {
  return TOOLS.filter((t) => !existsSync(join(bin, t)));
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function apt(args) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

/**
 * Makes sure the server binaries exist; installs Debian's postgresql-15 when they do not and this
 * process may (root, apt-get, the default folder). Returns the binaries' folder; throws
 * PostgresUnavailable with the command to run otherwise. `root`, `aptGet` and `debianBin` are
 * there for the tests, which cannot uninstall the server to see the install path run.
 */
export function ensurePostgres({
  install = true,
  bin = pgBin(),
  debianBin = DEFAULT_BIN,
  root = isRoot(),
  aptGet = hasAptGet() ? apt : undefined,
  log = (m) => process.stderr.write(`${m}\n`),
} = {}) {
  let lack = missing(bin);
  if (!lack.length) return bin;
  const where = `${bin} has no ${lack.join(', ')}`;
  if (bin !== debianBin) throw new PostgresUnavailable(`xwalk: PostgreSQL 15 server not found: ${where} (XWALK_PG_BIN=${bin})\nhint: unset XWALK_PG_BIN to use Debian's ${debianBin}, or point it at a folder holding postgres, initdb and pg_ctl`);
  if (!install || !root || !aptGet) {
    const why = !install ? '' : !root ? ' (not root, so not installing it)' : ' (no apt-get here)';
    throw new PostgresUnavailable(`xwalk: PostgreSQL 15 server not found: ${where}${why}\nhint: install Debian's package as root: ${INSTALL}`);
  }
  log(`PostgreSQL 15 is missing (${where}); installing Debian's postgresql-15`);
  const args = ['install', '-y', '--no-install-recommends', 'postgresql-15'];
  if (!aptGet(args)) {
    log('apt-get install failed; running apt-get update and trying again');
    if (!aptGet(['update']) || !aptGet(args)) throw new PostgresUnavailable(`xwalk: could not install postgresql-15 with apt-get\nhint: run as root: apt-get update && ${INSTALL}`);
  }
  lack = missing(bin);
  if (lack.length) throw new PostgresUnavailable(`xwalk: postgresql-15 installed but ${bin} has no ${lack.join(', ')}\nhint: check the package with: dpkg -L postgresql-15`);
  return bin;
}

/** The uid/gid to run the server as: `postgres` when we are root (the server refuses root). */
function serverUser() {
  if (!isRoot()) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new PostgresUnavailable("xwalk: running as root, but there is no 'postgres' OS user to run the server as\nhint: reinstall postgresql-15 (it creates the user), or run the tests as an ordinary user");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(bin, tool, args, user) {
  const r = spawnSync(join(bin, tool), args, { encoding: 'utf8', ...(user ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout;
}

const WATCHDOG = `
const [ppid, pgCtl, data, dir, ids] = process.argv.slice(1);
const { spawnSync } = require('node:child_process');
const { existsSync, rmSync } = require('node:fs');
const user = ids ? { uid: Number(ids.split(':')[0]), gid: Number(ids.split(':')[1]) } : {};
const alive = () => { try { process.kill(Number(ppid), 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (alive()) return;
  clearInterval(timer);
  if (existsSync(data + '/postmaster.pid')) spawnSync(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w'], { stdio: 'ignore', ...user });
  rmSync(dir, { recursive: true, force: true });
}, 1000);
process.on('SIGTERM', () => process.exit(0));
`;

const live = new Set();
let hooked = false;
function stopAllSync() {
  for (const c of [...live]) c.stop();
}
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.once('exit', stopAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      stopAllSync();
      process.kill(process.pid, sig);
    });
  }
}

/**
 * Starts a private cluster: initdb in a fresh temp folder, the server on a unix socket in that
 * folder, fsync off. Resolves once it accepts connections.
 * @returns {Promise<{ host: string, port: number, user: string, database: string, dir: string, stop(): void }>}
 */
export async function startPostgres({ port = 5432, timeoutMs = 30000 } = {}) {
  const bin = ensurePostgres();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'xwalk-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const dbUser = 'xwalk';
  let stopped = false;
  const cluster = {
    host: dir,
    port,
    user: dbUser,
    database: 'postgres',
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      live.delete(cluster);
      try {
        if (watchdog.pid) process.kill(watchdog.pid);
      } catch {
        /* already gone */
      }
      if (existsSync(join(data, 'postmaster.pid'))) spawnSync(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], { stdio: 'ignore', ...(user ?? {}) });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(cluster);
  hookExit();
  // A process killed outright (SIGKILL, a worker torn down) runs no exit hook: a detached watchdog
  // stops the server and removes the folder once this process is gone.
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), join(bin, 'pg_ctl'), data, dir, user ? `${user.uid}:${user.gid}` : ''], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  try {
    run(bin, 'initdb', ['-D', data, '-U', dbUser, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'], user);
    // -k: the socket in our folder; -h '': no TCP at all; -F: fsync off.
    run(bin, 'pg_ctl', ['start', '-D', data, '-s', '-l', join(dir, 'server.log'), '-o', `-k ${dir} -h '' -F -p ${port}`, '-w', '-t', String(Math.ceil(timeoutMs / 1000))], user);
  } catch (e) {
    let logText = '';
    try {
      logText = spawnSync('cat', [join(dir, 'server.log')], { encoding: 'utf8' }).stdout ?? '';
    } catch {
      /* no log */
    }
    cluster.stop();
    throw new Error(`xwalk: could not start a private PostgreSQL cluster: ${e.message}${logText ? `\nserver log:\n${logText}` : ''}`);
  }
  return cluster;
}

async function cli(cmd) {
  try {
    if (cmd === 'ensure') {
      const bin = ensurePostgres();
      process.stdout.write(`PostgreSQL server binaries: ${bin}\n`);
      return 0;
    }
    if (cmd === 'check') {
      const bin = ensurePostgres({ install: false });
      process.stdout.write(`PostgreSQL server binaries: ${bin}\n`);
      return 0;
    }
    if (cmd === 'start') {
      const c = await startPostgres();
      process.stdout.write(`PostgreSQL running: psql -h ${c.host} -p ${c.port} -U ${c.user} ${c.database}   (Ctrl-C stops it)\n`);
      await new Promise(() => {});
    }
    process.stderr.write(`xwalk: unknown command ${cmd === undefined ? '(none)' : `"${cmd}"`}\nhint: node scripts/postgres.mjs ensure|check|start\n`);
    return 2;
  } catch (e) {
    process.stderr.write(`${e instanceof PostgresUnavailable ? e.message : `xwalk: ${e.message}`}\n`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await cli(process.argv[2]);
