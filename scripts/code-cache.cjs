// Writes V8's compiled code for dist/xwalk.cjs and every chunk of dist/chunks/ (FILE.cache beside
// FILE; issue 18). The files are first run by warm runs of the commands, one after the other in
// this process, so that the functions they run are in their caches (translate, lookup and list,
// whose start-up matters most, and the other commands on the fixtures); a chunk that no run
// loads is compiled only (its top level). bin/xwalk hands each file's cache to vm.Script; V8
// checks that it matches the file and its own version, and ignores it (compiling as usual) when
// it does not. Run by `npm run build`.
const { readdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { entry, compile, load, loaded, packs } = require('../bin/xwalk');

const runs = [
  ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest'],
  ['translate', '13A', '--from', 'nibrs', '--to', 'srs'],
  ['lookup', 'agg', 'assault'],
  ['lookup', '10-10'],
  ['list'],
  ['--version'],
  ['help', 'translate'],
  ['show', 'nibrs', '13A'],
  ['convert', 'fixtures/exports/riverton-pd-rms.csv', '--from', 'riverton-pd', '--to', 'nibrs', '--column', 'OffenseCode:offense', '-q'],
  ['coverage', '--from', 'riverton-pd', '--to', 'nibrs'],
  ['validate'],
];
const fs = require('node:fs');
const out = process.stdout.write.bind(process.stdout);
const err = process.stderr.write.bind(process.stderr);
const writeSync = fs.writeSync;
const argv = process.argv;

async function main() {
  // The warm runs' output is not wanted: bin.ts writes a file, a pipe or /dev/null with fs.writeSync, a terminal through process.stdout.
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
    }
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    fs.writeSync = writeSync;
    process.argv = argv;
  }
  // The packs (dist/packs/) the runs read, then every other pack: compiled only (their top level).
  // A file in a pack is read from it; only a file in none would be read alone, with a cache of its own.
  const dist = join(__dirname, '..', 'dist');
  const inPacks = new Set();
  for (const f of readdirSync(join(dist, 'packs'))) {
    const file = join(dist, 'packs', f);
    if (!f.endsWith('.pack')) continue;
    const script = packs.get(file) ?? compile(file, false);
    for (const rel of Object.keys(script.runInThisContext())) inPacks.add(join(dist, rel));
    writeFileSync(`${file}.cache`, script.createCachedData());
  }
  for (const [file, { script }] of loaded) if (script && !inPacks.has(file)) writeFileSync(`${file}.cache`, script.createCachedData());
  for (const f of readdirSync(join(dist, 'chunks'))) {
    const file = join(dist, 'chunks', f);
    if (f.endsWith('.cjs') && !loaded.has(file) && !inPacks.has(file)) writeFileSync(`${file}.cache`, compile(file).createCachedData());
  }
  process.exitCode = 0;
}
main().catch((e) => {
  process.stderr.write(`code-cache: ${e.stack}\n`);
  process.exitCode = 1;
});
