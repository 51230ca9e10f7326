// Writes V8's compiled code for the packs of dist/packs/ and the loose files of dist/chunks/
// (FILE.cache beside FILE; issue 18). bin/xwalk hands each file's cache to vm.Script; V8 checks
// that it matches the file and its own version, and ignores it (compiling as usual) when it does
// not. Run by `npm run build`.
//
// A cache holds the functions that had been compiled when it was written, and a run deserializes
// all of it: a function no run of the command calls costs every start its share of the cache. So
// each command's caches come from warm runs of that command alone, in a process of its own (the
// WARM groups below): translate's pack holds what translate runs, not what convert also ran in
// the chunks they share. A command with a warm group starts from its own pack,
// dist/packs/command-NAME.pack (the entry's code and the command's in one script; bin/xwalk picks
// it from the command line), so its cache holds the entry functions that command runs too. The
// entry's pack alone (dist/xwalk.cjs: `main`, the commands' declaration, the quick parse) serves
// --version, help and the commands without a group; it is cached from --version. Commander
// (src/cli/program.ts) is a pack of its own, loaded for help, a mistyped command line and
// completion: its group runs those. A pack no group loads is compiled only (its top level), and a
// command's own pack that no group loads is removed. Measured: translate 1.209x -> 1.181x `node
// -e 0`, against one process running every command before the caches were written.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { entry, compile, load, loaded, packs } = require('../bin/xwalk');

const WARM = [
  // dist/xwalk.cjs's own pack, loaded alone by a run that names no command with a pack of its own.
  { name: 'entry', entry: true, runs: [['--version']] },
  {
    name: 'translate',
    runs: [
      ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest'],
      ['translate', '13A', '--from', 'nibrs', '--to', 'srs'],
    ],
  },
  {
    name: 'lookup',
    runs: [
      ['lookup', 'agg', 'assault'],
      ['lookup', '10-10'],
    ],
  },
  { name: 'list', runs: [['list']] },
  { name: 'show', runs: [['show', 'nibrs', '13A']] },
  { name: 'convert', runs: [['convert', 'fixtures/exports/riverton-pd-rms.csv', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '-q']] },
  { name: 'coverage', runs: [['coverage', '--from', 'riverton-pd', '--to', 'nibrs']] },
  { name: 'validate', runs: [['validate']] },
  { name: 'export', runs: [['export', '--from', 'nibrs', '--to', 'srs', '--format', 'csv']] },
  { name: 'suggest', runs: [['suggest', '--from', 'bayview-pd', '--to', 'harbor-county-so']] },
  { name: 'diff', runs: [['diff', 'vocabularies/nibrs--srs.yaml', 'vocabularies/nibrs--srs.yaml']] },
  { name: 'sql', runs: [['sql', 'fixtures/exports/riverton-pd-rms.csv', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '--order-by', 'line']] },
  { name: 'import', runs: [['import', 'fixtures/interchange/negated.sssom.tsv', '--format', 'sssom']] },
  {
    name: 'program',
    runs: [['--help'], ['translate', '--help'], ['translate', '13A', '--form', 'nibrs', '--to', 'srs'], ['completion', 'bash']],
    exits: [0, 2], // the misspelt option is refused
  },
];

const dist = join(__dirname, '..', 'dist');
const fs = require('node:fs');

/** Runs the commands in this process, their output dropped; resolves when the last is done, throws when one exits otherwise than `exits` (0 or 1) says. */
async function warm(runs, exits) {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const writeSync = fs.writeSync;
  const argv = process.argv;
  // bin.ts writes a file, a pipe or /dev/null with fs.writeSync, a terminal through process.stdout.
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  fs.writeSync = (fd, ...rest) => (fd === 1 || fd === 2 ? (typeof rest[0] === 'string' ? Buffer.byteLength(rest[0]) : (rest[2] ?? rest[0].length)) : writeSync(fd, ...rest));
  try {
    for (const args of runs) {
      process.argv = [argv[0], entry, ...args];
      process.exitCode = undefined;
      loaded.delete(entry); // the entry runs main at each load; the chunks stay loaded, as in one process
      load(entry);
      // bin.ts sets process.exitCode when main is done
      while (process.exitCode === undefined) await new Promise((r) => setTimeout(r, 5));
      // A run that could not run (a fixture moved) would cache its error path, silently.
      if (!(exits ?? [0, 1]).includes(process.exitCode)) throw new Error(`the warm run \`xwalk ${args.join(' ')}\` exited ${process.exitCode}; run it by hand to see why`);
    }
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    fs.writeSync = writeSync;
    process.argv = argv;
  }
}

/** A group's process: its runs, then a cache for each file they compiled that has none yet (the first group to load a pack writes it). */
async function group(name) {
  const g = WARM.find((w) => w.name === name);
  if (!g) throw new Error(`no warm group ${name}`);
  await warm(g.runs, g.exits);
  for (const [file, script] of packs) {
    // The entry's pack is cached by the group that says so; any other by the first group that loads it.
    const ours = file === join(dist, 'packs', 'xwalk.cjs.pack') ? g.entry === true : !existsSync(`${file}.cache`);
    if (ours) writeFileSync(`${file}.cache`, script.createCachedData());
  }
  for (const [file, { script }] of loaded) if (script && !existsSync(`${file}.cache`)) writeFileSync(`${file}.cache`, script.createCachedData());
  process.exitCode = 0; // the runs' own exit codes (1: a code did not map) are not this script's
}

/** Every group in a process of its own, in order; then the top level of every file none of them loaded. */
function all() {
  for (const dir of ['packs', 'chunks']) for (const f of readdirSync(join(dist, dir))) if (f.endsWith('.cache')) rmSync(join(dist, dir, f));
  for (const g of WARM) {
    const r = spawnSync(process.execPath, [__filename, '--group', g.name], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`code-cache: the ${g.name} runs failed (exit ${r.status ?? r.signal})`);
  }
  // A command's own pack (the entry's and the command's code in one, scripts/build-cli.mjs) that no
  // group ran would start with its top level compiled only: slower than the entry's cached pack
  // and the command's. Removed: bin/xwalk then loads those two.
  for (const f of readdirSync(join(dist, 'packs'))) if (/^command-.*\.pack$/.test(f) && !existsSync(join(dist, 'packs', `${f}.cache`))) rmSync(join(dist, 'packs', f));
  // A command that keeps its own pack never starts from its chunk's pack (bin/xwalk picks the
  // command's from the command line; a wrong guess reads the chunk files): 130 KB of padded text
  // each in the package, for nothing. scripts/build-cli.mjs says which chunk is which command's.
  // (Run again after a build, it finds the list gone and those packs with it.)
  const commands = join(dist, 'packs', 'commands.json');
  if (existsSync(commands)) {
    for (const [command, pack] of Object.entries(JSON.parse(readFileSync(commands, 'utf8')))) if (existsSync(join(dist, 'packs', `command-${command}.pack`))) for (const f of [pack, `${pack}.cache`]) rmSync(join(dist, 'packs', f), { force: true });
    rmSync(commands);
  }
  const inPacks = new Set();
  for (const f of readdirSync(join(dist, 'packs'))) {
    if (!f.endsWith('.pack')) continue;
    const file = join(dist, 'packs', f);
    const script = compile(file, false);
    // A file in a pack is read from it; only a file in none would be read alone, with a cache of its own.
    for (const rel of Object.keys(script.runInThisContext())) inPacks.add(join(dist, rel));
    if (!existsSync(`${file}.cache`)) writeFileSync(`${file}.cache`, script.createCachedData());
  }
  for (const f of readdirSync(join(dist, 'chunks'))) {
    const file = join(dist, 'chunks', f);
    if (f.endsWith('.cjs') && !inPacks.has(file) && !existsSync(`${file}.cache`)) writeFileSync(`${file}.cache`, compile(file).createCachedData());
  }
}

const at = process.argv.indexOf('--group');
if (at > 0)
  group(process.argv[at + 1]).catch((e) => {
    process.stderr.write(`code-cache: ${e.stack}\n`);
    process.exitCode = 1;
  });
else {
  try {
    all();
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  }
}
