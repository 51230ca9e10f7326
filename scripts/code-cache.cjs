// Writes V8's compiled code for dist/xwalk.cjs and every chunk it loads (FILE.cache beside
// FILE), taken after warm runs of the commands whose start-up matters (translate, lookup, list,
// and --version, help) so that the functions they run are in it. bin/xwalk hands each file's
// cache to vm.Script; V8 checks that it matches the file and its own version, and ignores it
// (compiling as usual) when it does not. Chunks that none of these runs loads get no cache.
// Run by `npm run build`.
const { writeFileSync } = require('node:fs');
const { entry, load, loaded } = require('../bin/xwalk');

const runs = [
  ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest'],
  ['translate', '13A', '--from', 'nibrs', '--to', 'srs'],
  ['lookup', 'agg', 'assault'],
  ['lookup', '10-10'],
  ['list'],
  ['--version'],
  ['help', 'translate'],
];
const out = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true; // the warm runs' output is not wanted
const argv = process.argv;
function next(i) {
  if (i === runs.length) {
    process.stdout.write = out;
    process.argv = argv;
    for (const [file, { script }] of loaded) writeFileSync(`${file}.cache`, script.createCachedData());
    process.exitCode = 0;
    return;
  }
  process.argv = [argv[0], entry, ...runs[i]];
  loaded.delete(entry); // the entry runs main at each load; the chunks stay loaded, as in one process
  load(entry);
  setTimeout(() => next(i + 1), 50);
}
next(0);
