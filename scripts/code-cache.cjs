// Writes dist/xwalk.cjs.cache: V8's compiled code for the bundle, taken after warm runs of the
// commands whose start-up matters (translate, lookup, list) so that the functions they need are
// in it. bin/xwalk hands it to vm.Script; V8 checks that it matches the bundle and its own
// version, and ignores it (compiling as usual) when it does not. Run by `npm run build`.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'xwalk.cjs');
const source = readFileSync(bundle, 'utf8');
const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new vm.Script(wrapper, { filename: bundle });
const runs = [
  ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--context', 'report=arrest'],
  ['lookup', 'agg', 'assault'],
  ['lookup', '10-10'],
  ['list'],
];
const out = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true; // the warm runs' output is not wanted
const fn = script.runInThisContext();
function next(i) {
  if (i === runs.length) {
    process.stdout.write = out;
    writeFileSync(`${bundle}.cache`, script.createCachedData());
    process.exitCode = 0;
    return;
  }
  process.argv = [process.argv[0], bundle, ...runs[i]];
  const mod = { exports: {} };
  fn(mod.exports, createRequire(bundle), mod, bundle, join(bundle, '..'));
  setTimeout(() => next(i + 1), 50);
}
next(0);
