/**
 * Issue 18 (start-up): a plain command line is read by src/cli/parse.ts, without commander. It
 * must read every line it accepts exactly as commander would (the same command, arguments, flags
 * and program options), and leave to commander every line commander would refuse or answer with
 * help. Checked here on generated command lines against the commander tree built from the same
 * declaration (src/cli/program.ts), and on the lines users type (the help examples).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Option, type CommanderError } from 'commander';
import { parseFlags, parseQuick } from '../src/cli/parse.js';
import { buildProgram } from '../src/cli/program.js';
import { commandAt, reportUnknownOptionFirst, unknownHelpTopic, unknownOptionAt, type Named } from '../src/cli/argv.js';
import { COMMAND_NAMES, commandSpec, commandSpecs, PROGRAM, type CommandSpec, type OptionSpec } from '../src/cli/spec.js';
import type { Io } from '../src/cli/io.js';
import { helpExamples } from './helpers/help-examples.js';
import { runMain } from './helpers/run.js';

type Reading = { command: string; operands: unknown[]; flags: unknown; globals: unknown } | { refused: string };

const io = (): Io => ({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd(), stdoutIsTTY: false, stderrIsTTY: false });

/** What commander makes of `argv`: the command's values as its action gets them, or why it stopped. */
async function viaCommander(argv: string[]): Promise<Reading> {
  let got: Reading | undefined;
  const program = buildProgram(argv, io(), async (spec, operands, flags, globals) => {
    got = { command: spec.name, operands, flags: { ...flags }, globals: { ...globals } };
  });
  try {
    // As runProgram reads a line: its own checks first (an unknown option before a missing one).
    if (unknownHelpTopic(program, argv)) return { refused: 'unknown help topic' };
    reportUnknownOptionFirst(program, argv);
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    return { refused: (e as CommanderError).code ?? (e as Error).message };
  }
  return got ?? { refused: 'no action' };
}

function viaQuick(argv: string[]): Reading | undefined {
  const q = parseQuick(argv);
  if (!q) return undefined;
  if ('version' in q) return { refused: 'commander.version' };
  return { command: q.command.name, operands: q.operands, flags: { ...q.flags }, globals: { ...q.globals } };
}

/** The names an option is written with. */
const names = (o: OptionSpec): string[] => o.flags.split(/[ ,]+/).filter((w) => w.startsWith('-'));
const takesValue = (o: OptionSpec): boolean => /<[^>]*>/.test(o.flags);

/** Values that trip a reader: choices and near misses, words that look like options, '=' and empty. */
const value = (o: OptionSpec): fc.Arbitrary<string> => fc.oneof(...(o.choices ? [fc.constantFrom(...o.choices), fc.constantFrom('UTF8', 'utf8', 'latin1', 'Csv', 'nope')] : []), fc.constantFrom('nibrs', 'srs', 'x.csv', '-', '-q', '--json', '--from', '', 'a=b', '12|40', '3', '-5', 'report=offense'));

/** One option as written on a command line: `--long v`, `--long=v`, `-s v`, or a flag alone. */
const optionWords = (o: OptionSpec): fc.Arbitrary<string[]> => {
  const [first, ...more] = names(o);
  const name = fc.constantFrom(first!, ...more);
  if (!takesValue(o))
    return fc.oneof(
      name.map((n) => [n]),
      name.map((n) => [`${n}=x`]),
    );
  return fc.oneof(
    fc.tuple(name, value(o)).map(([n, v]) => [n, v]),
    fc.tuple(name, value(o)).map(([n, v]) => (n.startsWith('--') ? [`${n}=${v}`] : [n, v])),
    name.map((n) => [n]),
  );
};

/** Words that are neither: operands, mistakes, and what only commander handles. */
const strayWords = fc.constantFrom('13A', 'fixtures/x.csv', '-', 'bash', 'fish', 'cmd', 'nibrs', '--form', '-z', '-qv', '--', '-h', '--help', '-V', 'help', '-5', '--json=1');

/** A command line for `spec`: its required options mostly present, others at random, in any order, program options anywhere. */
function commandLine(spec: CommandSpec): fc.Arbitrary<string[]> {
  const required = spec.options.filter((o) => o.required);
  const optional = spec.options.filter((o) => !o.required);
  const operandCount = spec.arguments.length + 1;
  return fc
    .tuple(
      fc.tuple(...required.map((o) => fc.option(optionWords(o), { freq: 8, nil: [] as string[] }))),
      fc.array(optional.length ? fc.constantFrom(...optional).chain(optionWords) : fc.constant([] as string[]), { maxLength: 4 }),
      fc.array(fc.constantFrom(...PROGRAM.options).chain(optionWords), { maxLength: 2 }),
      fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('13A', '14B', 'in.csv', 'nibrs', 'bash', 'zsh', 'old.yaml') }, { weight: 1, arbitrary: strayWords }), { maxLength: operandCount }),
      fc.nat(),
      fc.nat(),
    )
    .chain(([req, opt, prog, operands, cut, seed]) => {
      const groups = [...req.filter((w) => w.length), ...opt, ...operands.map((w) => [w])];
      return fc.shuffledSubarray(groups, { minLength: groups.length, maxLength: groups.length }).map((shuffled) => {
        // Program options before the command's name or among its words.
        const at = prog.length ? cut % (prog.length + 1) : 0;
        const words = shuffled.flat();
        const after = prog.slice(at);
        const pos = words.length ? seed % (words.length + 1) : 0;
        return [...prog.slice(0, at).flat(), spec.name, ...words.slice(0, pos), ...after.flat(), ...words.slice(pos)];
      });
    });
}

describe('the commands declared once, each made when first asked for (spec.ts; issue 18)', () => {
  it('lists every command in help order, each made once, named as asked', () => {
    expect(commandSpecs().map((c) => c.name)).toEqual(COMMAND_NAMES);
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['translate', 'convert', 'lookup', 'completion']));
    expect(commandSpec('translate')).toBe(commandSpec('translate'));
    expect(commandSpec('translate')).toBe(commandSpecs()[COMMAND_NAMES.indexOf('translate')]);
    for (const name of ['nope', '', 'Translate', 'constructor', '__proto__']) expect(commandSpec(name)).toBeUndefined();
  });
});

describe('the quick parse reads a command line as commander does (issue 18)', () => {
  it('on generated command lines of every command: the same reading when it reads one, else commander does', async () => {
    let accepted = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commandSpecs()).chain(commandLine), async (argv) => {
        total++;
        const quick = viaQuick(argv);
        if (!quick) return;
        accepted++;
        expect([argv, quick]).toEqual([argv, await viaCommander(argv)]);
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the lines are read without commander.
    expect(accepted / total).toBeGreaterThan(0.1);
  });

  it('reads every help example without commander, as commander does', async () => {
    const lines = helpExamples()
      .map((l) => l.replace(/^cat \S+ \| /, '').replace(/\s*(>|&&).*$/, ''))
      .filter((l) => l.startsWith('xwalk '))
      .map((l) => [...l.slice(6).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
    expect(lines.length).toBeGreaterThan(25);
    for (const argv of lines) {
      const quick = viaQuick(argv);
      expect([argv, quick === undefined]).toEqual([argv, false]);
      expect([argv, quick]).toEqual([argv, await viaCommander(argv)]);
    }
  });

  it("reads every option's names as commander's Option does", () => {
    for (const spec of [...PROGRAM.options, ...commandSpecs().flatMap((c) => c.options)]) {
      const o = new Option(spec.flags, spec.description);
      const p = parseFlags(spec);
      expect([spec.flags, p.long, p.short, p.key, p.takesValue, p.negate]).toEqual([spec.flags, o.long, o.short, o.attributeName(), o.required, o.negate]);
    }
  });

  it("no command's option has a name of the program's: commander reads those as the program's anywhere on the line", async () => {
    const programNames = new Set([...PROGRAM.options.flatMap(names), ...PROGRAM.version.flags.split(', '), '-h', '--help']);
    for (const c of commandSpecs()) for (const o of c.options) for (const n of names(o)) expect([c.name, n, programNames.has(n)]).toEqual([c.name, n, false]);
    // import's crosswalk version was once `--version`, which printed xwalk's version instead.
    const r = await runMain(['import', 'fixtures/interchange/negated.sssom.tsv', '--format', 'sssom', '--crosswalk-version', '2.0']);
    expect(r.stdout).toMatch(/^version: "2\.0"$/m);
  });

  it('reports as before what the two readers would read apart: a misspelt option taken as a value, a directory named like a command', async () => {
    // In order, --to takes -q and --jsn is an unknown option (a typo of --json): commander alone would take -q out first.
    const typo = await runMain(['translate', '13A', '--from', 'nibrs', '--to', '-q', '--jsn']);
    expect([typo.exit, typo.stderr]).toEqual([2, expect.stringMatching(/unknown option '--jsn'[\s\S]*--json/)]);
    // --vocab-dir's value is not the command, for help and errors too.
    expect((await runMain(['--vocab-dir', 'list', 'convert', '--help'])).stdout).toMatch(/^Usage: xwalk convert /);
    const hops = await runMain(['--vocab-dir', 'list', 'translate', '13A', '--from', 'nibrs', '--to', 'srs', '--max-hops', '-12']);
    expect([hops.exit, hops.stderr]).toEqual([2, expect.stringContaining('--max-hops "-12"')]);
  });

  it('fills defaults and collects repeated options as commander does', async () => {
    const argv = ['--vocab-dir', 'a', 'convert', 'in.csv', '--from', 'x', '--to', 'y', '--column', 'A', '--vocab-dir', 'b', '--column=B:offense', '--no-header', '-q'];
    const quick = viaQuick(argv);
    expect(quick).toMatchObject({
      command: 'convert',
      operands: ['in.csv'],
      flags: { from: 'x', to: 'y', column: ['A', 'B:offense'], header: false, mode: 'append', encoding: 'utf-8', progress: true, missing: 'NULL' },
      globals: { vocabDir: ['a', 'b'], quiet: true, shipped: true, color: true },
    });
    expect(quick).toEqual(await viaCommander(argv));
    // --encoding's aliases are read into the one name the command gets.
    const enc = ['convert', '--from', 'x', '--to', 'y', '--encoding', 'UTF8'];
    expect(viaQuick(enc)).toEqual(await viaCommander(enc));
  });

  it('leaves to commander what it would refuse or answer with help, so its messages stay', () => {
    for (const argv of [
      [],
      ['translate', '13A', '--form', 'nibrs', '--to', 'srs'], // a misspelt option
      ['translate', '13A', '--from', 'nibrs'], // a required option missing
      ['translate', '--from', 'nibrs', '--to', 'srs'], // no code
      ['translate', '13A', '--from', 'nibrs', '--to'], // a value missing
      ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '--json=1'], // a value given to a flag
      ['transl8', '13A'], // a mistyped command
      ['help', 'translate'],
      ['translate', '--help'],
      ['translate', '13A', '--from', 'nibrs', '--to', 'srs', '-h'],
      ['-V', 'translate'],
      ['convert', 'in.csv', '--from', 'x', '--to', 'y', '--mode', 'rewrite'], // a refused choice
      ['convert', 'a.csv', 'b.csv', '--from', 'x', '--to', 'y'], // too many arguments
      ['completion', 'tcsh'],
      ['show', 'nibrs', '--', '13A'],
      ['translate', '-qz', '13A', '--from', 'nibrs', '--to', 'srs'], // grouped short flags
      ['--from', 'nibrs', 'translate', '13A', '--to', 'srs'], // a command's option before its name
    ])
      expect([argv, parseQuick(argv)]).toEqual([argv, undefined]);
    // --version alone is the only line answered without a command.
    expect(parseQuick(['--version'])).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe("the command line read in order (argv.ts: shared by the quick parse and commander's checks)", () => {
  const program: Named[] = [
    { long: '--vocab-dir', takesValue: true },
    { long: '--quiet', short: '-q', takesValue: false },
  ];
  const known: Named[] = [...program, { long: '--to', takesValue: true }, { long: '--output', short: '-o', takesValue: true }, { long: '--json', takesValue: false }];
  it("finds the command's name past the program's options and their values", () => {
    expect(commandAt(['--vocab-dir', 'list', 'translate', '13A'], program)).toBe(2);
    expect(commandAt(['--vocab-dir=list', 'translate'], program)).toBe(1);
    expect(commandAt(['-q', 'translate'], program)).toBe(1);
    // an unknown option does not take a value: the next word is the command's name
    expect(commandAt(['--from', 'nibrs', 'translate'], program)).toBe(1);
    expect(commandAt(['--', 'translate'], program)).toBe(-1);
    expect(commandAt(['-q'], program)).toBe(-1);
    expect(commandAt([], program)).toBe(-1);
  });
  it('finds the first unknown option, each value the word after its option', () => {
    expect(unknownOptionAt(['13A', '--to', '-q', '--jsn'], 0, known)).toBe('--jsn');
    expect(unknownOptionAt(['13A', '--to', '--jsn'], 0, known)).toBeUndefined();
    expect(unknownOptionAt(['--to=x', '--jsn=1'], 0, known)).toBe('--jsn');
    expect(unknownOptionAt(['-ofile', '-z'], 0, known)).toBe('-z');
    expect(unknownOptionAt(['-o', '-z'], 0, known)).toBeUndefined();
    expect(unknownOptionAt(['-', '13A', '--json'], 0, known)).toBeUndefined();
    // help and '--' end the reading: what follows is commander's
    expect(unknownOptionAt(['--help', '--jsn'], 0, known)).toBeUndefined();
    expect(unknownOptionAt(['--', '--jsn'], 0, known)).toBeUndefined();
    expect(unknownOptionAt(['--jsn', '--help'], 0, known)).toBe('--jsn');
  });
});
