// Builds the command (issue 18: start-up): dist/xwalk.cjs, the entry (the shim, `main`, commander
// and chalk), plus dist/chunks/*.cjs, loaded on demand: one per command, one for the shipped
// vocabularies, one for the YAML reader, fuse.js, the interchange code ... so that
// `xwalk translate` reads and compiles only what translate runs.
//
// esbuild splits code only for ES modules; bin/xwalk's code-cache runner (vm.Script) and the
// single executable serve only CommonJS `require`. So: (1) bundle as ESM with splitting, each
// `await import()` of the source becoming its own chunk, in memory; (2) turn every file into
// CommonJS: scripts/link-chunk.mjs makes the imports and exports between chunks plain values,
// and esbuild rewrites `import()` into `Promise.resolve().then(() => require(...))` and the
// imports of Node's modules into `require`. No `import()` is left in dist/ (test/bin.test.ts checks).
// Whitespace is minified and comments dropped (fewer bytes to read at each start); names are
// kept, so an internal error's stack trace still reads. Every file is pure ASCII, so bin/xwalk
// makes a pack's text from its bytes, one character a byte (latin1), with no decoding.
//
// The shipped vocabularies are not in the code: dist/shipped/index.json (ids, names, hashes) and
// dist/shipped/parts.json (each vocabulary's terms, each crosswalk's mappings, read by offset
// when needed), through src/shipped/files.ts in place of src/shipped/compiled.ts; and
// dist/shipped/readings.json and lookup.json (lookup-DOMAIN.json), `xwalk lookup`'s reading of
// every shipped text and its index with no --in (and no --domain, or each domain).
//
// `xwalk convert` on two threads (issue 18; src/convert/parallel.ts) starts a worker thread on
// dist/worker/convert-worker.cjs: one CommonJS file of its own, run by Node's `require` (not by
// bin/xwalk's runner, so it has no code cache), reading the vocabularies from dist/shipped/ as the
// chunks do. No command loads it; convert starts it only for a large file with a core free.
//
// The single executable cannot load files beside it: scripts/build-binary.ts bundles src/cli/bin.ts
// in one file for it, the vocabularies inside (`node scripts/build-cli.mjs --single OUT`, and
// `--entry src/cli/snapshot.ts` for its start-up snapshot).
import { build, transform } from 'esbuild';
import { checkLinked, linkChunk } from './link-chunk.mjs';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

const root = join(import.meta.dirname, '..');
const common = {
  entryPoints: { xwalk: join(root, 'src/cli/bin.ts') },
  bundle: true,
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

/**
 * What xwalk never uses of its dependencies, kept from loading Node modules at each start:
 * chalk's colour detection (it loads node:tty and node:os; xwalk picks the level itself, in
 * src/cli/io.ts, and always passes it), and commander's node:child_process (for executable
 * subcommands, which xwalk has none of: required on first use instead).
 */
const unused = {
  name: 'unused-at-start',
  setup(b) {
    // package.json is imported for its version only (src/cli/spec.ts, src/cache/cache.ts): not its
    // scripts and dependencies, an object of 2.5 KB built at every start.
    b.onLoad({ filter: /[\\/]package\.json$/ }, (args) => (args.path === join(root, 'package.json') ? { contents: JSON.stringify({ version: JSON.parse(readFileSync(args.path, 'utf8')).version }), loader: 'json' } : undefined));
    b.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'xwalk-stub' }));
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'xwalk-stub' } : undefined));
    b.onLoad({ filter: /^supports-color$/, namespace: 'xwalk-stub' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
    b.onLoad({ filter: /^child_process$/, namespace: 'xwalk-stub' }, () => ({ contents: "module.exports = { spawn: (...a) => require('child_process').spawn(...a) };", loader: 'js' }));
  },
};

async function single(outfile, entry) {
  await build({ ...common, plugins: [unused], entryPoints: [join(root, entry)], format: 'cjs', outfile });
}

/** JSON with every character outside ASCII written as \\uXXXX: the same value, one byte a character. */
const ascii = (json) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * src/cache/lines.ts, bundled in memory: its termLines and mappingLines write the parts in the
 * layout src/shipped/files.ts reads (one writer for the load cache and the shipped data).
 */
async function linesModule() {
  const { outputFiles } = await build({ ...common, entryPoints: [join(root, 'src/cache/lines.ts')], format: 'esm', write: false, minifyWhitespace: false });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
}

/**
 * `xwalk lookup`'s reading of every shipped text and its default index, made with the index's own
 * code (scripts/readings-entry.ts, bundled in memory): dist/shipped/readings.json, lookup.json and
 * lookup-DOMAIN.json.
 */
async function lookupModule() {
  const { outputFiles } = await build({ ...common, entryPoints: [join(root, 'scripts/readings-entry.ts')], format: 'esm', write: false, minifyWhitespace: false });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
}

/**
 * dist/shipped/index.json and parts.json, from src/shipped/embedded.generated.ts. A part is one
 * vocabulary domain's terms or one crosswalk's mappings: a header line (codes and offsets), then
 * a line each (src/cache/lines.ts).
 */
async function writeShipped(dir) {
  const { termLines, mappingLines } = await linesModule();
  const source = readFileSync(join(root, 'src/shipped/embedded.generated.ts'), 'utf8');
  const literal = /export const SHIPPED_COMPILED: string = (".*");\s*$/s.exec(source);
  if (!literal) throw new Error('src/shipped/embedded.generated.ts: no SHIPPED_COMPILED string (run npm run embed)');
  const compiled = JSON.parse(JSON.parse(literal[1]));
  let parts = '';
  const place = ({ header, body }) => {
    const text = ascii(`${JSON.stringify(header)}\n${body}`);
    const at = [parts.length, text.length];
    parts += text;
    return at;
  };
  // The compiled JSON's pairs as the model's Maps, which termLines reads.
  const table = (t) => ({ ...t, terms: new Map(t.terms.map(([k, term]) => [k, { ...term, props: new Map(term.props) }])) });
  const index = {
    ...compiled,
    // Each domain apart: a run reads only the domains it uses (translate reads nibrs-elements' weapon list, not its 17 others).
    vocabularies: compiled.vocabularies.map(({ domainsJson, ...v }) => ({ ...v, domainsAt: JSON.parse(domainsJson).map(([d, t]) => [d, place(termLines(table(t)))]) })),
    crosswalks: compiled.crosswalks.map(({ mappingsJson, ...c }) => ({ ...c, mappingsAt: place(mappingLines(JSON.parse(mappingsJson), c.files[0])) })),
  };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.json'), ascii(JSON.stringify(index)));
  const lookup = await lookupModule();
  writeFileSync(join(dir, 'readings.json'), ascii(lookup.readingsText()));
  for (const [domain, json] of lookup.lookupJsons()) writeFileSync(join(dir, domain ? `lookup-${domain}.json` : 'lookup.json'), ascii(JSON.stringify(json)));
  writeFileSync(join(dir, 'parts.json'), parts);
}

/** The built CLI reads the shipped vocabularies from dist/shipped/, not from its code. */
const shippedFromFiles = {
  name: 'shipped-from-files',
  setup(b) {
    b.onResolve({ filter: /^\.\/compiled\.js$/ }, (args) => (args.importer.endsWith(join('src', 'shipped', 'index.ts')) ? { path: join(root, 'src/shipped/files.ts') } : undefined));
  },
};

async function split() {
  const out = join(root, 'dist');
  await writeShipped(join(out, 'shipped'));
  const result = await build({
    ...common,
    plugins: [shippedFromFiles, unused],
    format: 'esm',
    splitting: true,
    outdir: out,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    write: false,
    metafile: true,
  });
  // Old chunks would pile up (their names carry a hash): start from an empty folder.
  rmSync(join(out, 'chunks'), { recursive: true, force: true });
  for (const f of readdirSync(out)) if (/^xwalk\.cjs(\.cache)?$/.test(f)) rmSync(join(out, f));
  let total = 0;
  const codes = new Map();
  for (const file of result.outputFiles) {
    const { text, exported, locals } = linkChunk(file.text, relative(root, file.path));
    const { code: linked } = await transform(text, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      charset: 'ascii',
      legalComments: 'none',
      minifyWhitespace: true,
      // import() → Promise.resolve().then(() => require()): the runner serves require only.
      supported: { 'dynamic-import': false },
    });
    checkLinked(linked, locals, relative(root, file.path));
    const code = linked + exported;
    if (/[^\x00-\x7f]/.test(code)) throw new Error(`${file.path} is not pure ASCII; bin/xwalk reads it as one-byte text`);
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, code);
    codes.set(file.path, code);
    total += code.length;
  }
  writePacks(out, result.metafile, codes);
  // What each file holds, for a reader of the start-up (`XWALK_METAFILE=meta.json npm run build`).
  if (process.env.XWALK_METAFILE) writeFileSync(process.env.XWALK_METAFILE, JSON.stringify(result.metafile));
  return { files: result.outputFiles.length, total };
}

/**
 * dist/packs/ROOT.pack: every file a root loads before it runs, in one script, so that bin/xwalk
 * compiles one script (with one code cache) where it would compile twenty (issue 18: start-up; a
 * vm.Script per file costs about 0.1 ms more than its share of one). The roots are dist/xwalk.cjs
 * and every chunk that code loads on demand (an `import()` of the source); a root's pack holds the
 * files its static requires reach, less those of xwalk.cjs's pack (always loaded first). A pack is
 * an object literal: path in dist/ → the file's code wrapped as Node wraps a CommonJS module.
 *
 * And dist/packs/command-NAME.pack for each command (src/cli/commands/NAME.ts): xwalk.cjs's pack
 * and the command's in one script, which bin/xwalk loads in place of xwalk.cjs's pack when the
 * command line names that command: one file read and one code cache instead of two (measured on
 * translate, 61 interleaved rounds against node -e 0: 1.302x -> 1.257x). scripts/code-cache.cjs
 * removes those that no warm run caches; the command then starts from the two packs. It removes
 * the command's chunk's own pack when it keeps the command's (dist/packs/commands.json says which
 * is which): bin/xwalk reads that one only when it took a command line for the wrong command, and
 * then reads the chunk files instead.
 */
function writePacks(out, metafile, codes) {
  const abs = (p) => join(root, p);
  const outputs = new Map(Object.entries(metafile.outputs).map(([p, o]) => [abs(p), o]));
  const closure = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const i of outputs.get(file)?.imports ?? []) if (i.kind !== 'dynamic-import' && outputs.has(abs(i.path))) closure(abs(i.path), seen);
    return seen;
  };
  // scripts/link-chunk.mjs hands out each chunk's exports once it has run: a chunk that a chunk
  // it imports imports back would read them before they are set.
  const state = new Map();
  const acyclic = (file, path) => {
    state.set(file, 'open');
    for (const i of outputs.get(file)?.imports ?? []) {
      const next = abs(i.path);
      if (i.kind === 'dynamic-import' || !outputs.has(next)) continue;
      if (state.get(next) === 'open') throw new Error(`chunks import each other in a cycle: ${[...path, file, next].map((f) => relative(out, f)).join(' -> ')}`);
      if (!state.has(next)) acyclic(next, [...path, file]);
    }
    state.set(file, 'done');
  };
  for (const f of outputs.keys()) if (!state.has(f)) acyclic(f, []);
  const entry = join(out, 'xwalk.cjs');
  const roots = new Set([entry]);
  for (const o of outputs.values()) for (const i of o.imports) if (i.kind === 'dynamic-import' && outputs.has(abs(i.path))) roots.add(abs(i.path));
  const base = closure(entry);
  const dir = join(out, 'packs');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pack = (files) =>
    padded(
      `({${files
        .map((f) => {
          const code = codes.get(f);
          if (code === undefined) throw new Error(`${f}: in the metafile but not built`);
          return `${JSON.stringify(relative(out, f).split(sep).join('/'))}: function (exports, require, module, __filename, __dirname) {${code}\n}`;
        })
        .join(',\n')}})`,
    );
  const commands = {};
  for (const r of roots) {
    const own = [...closure(r)].filter((f) => r === entry || !base.has(f));
    writeFileSync(join(dir, `${basename(r)}.pack`), pack(own));
    const command = /^src\/cli\/commands\/([a-z]+)\.ts$/.exec(outputs.get(r)?.entryPoint ?? '')?.[1];
    if (command) {
      writeFileSync(join(dir, `command-${command}.pack`), pack([...base, ...own]));
      commands[command] = `${basename(r)}.pack`;
    }
  }
  // For scripts/code-cache.cjs: a command whose own pack it keeps does not need the pack of its chunk.
  writeFileSync(join(dir, 'commands.json'), JSON.stringify(commands));
}

/**
 * A pack's text padded, with a comment, to more than 128 KiB when it is between 16 and 128 KiB.
 * bin/xwalk reads a pack into a string that the compiled code keeps; V8 puts a string of 128 KiB
 * or more in its large-object space, not in the young generation (1 MB at start), so it is
 * neither copied by the young collections a start runs nor the cause of one. Measured on translate
 * (its two packs, 126 and 70 KB, padded; 81 interleaved rounds against node -e 0): 1.285x ->
 * 1.263x, one young collection fewer. Smaller packs are left as they are: reading 128 KiB costs
 * more than they would.
 */
function padded(text) {
  // V8 accepts a code cache for any source of the length it was made for (it checks the length,
  // not the text): padding every pack to one length would let a cache meet the wrong pack
  // unnoticed. The padded length varies with the text (by up to 4 KiB) instead.
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  const LARGE = 128 * 1024 + 64 + ((h >>> 0) % 4096);
  return text.length < 16 * 1024 || text.length >= 128 * 1024 + 64 ? text : `${text}\n/*${' '.repeat(LARGE - text.length)}*/`;
}

/** dist/worker/convert-worker.cjs, the entry of convert's worker thread (src/cli/convert-worker.ts). */
async function worker() {
  const dir = join(root, 'dist', 'worker');
  rmSync(dir, { recursive: true, force: true });
  await build({ ...common, plugins: [shippedFromFiles, unused], entryPoints: [join(root, 'src/cli/convert-worker.ts')], format: 'cjs', outfile: join(dir, 'convert-worker.cjs') });
  if (/[^\x00-\x7f]/.test(readFileSync(join(dir, 'convert-worker.cjs'), 'latin1'))) throw new Error('dist/worker/convert-worker.cjs is not pure ASCII');
}

const i = process.argv.indexOf('--single');
const e = process.argv.indexOf('--entry');
if (i >= 0) await single(process.argv[i + 1], e >= 0 ? process.argv[e + 1] : 'src/cli/bin.ts');
else {
  const { files, total } = await split();
  await worker();
  if (process.argv.includes('--verbose')) console.log(`dist/xwalk.cjs and ${files - 1} chunks, ${(total / 1024).toFixed(0)} KiB in all`);
}
