/**
 * The quick parse (issue 18: start-up): a plain command line read straight from ./spec.ts, without
 * loading commander, which costs a run about 1.7 ms (a third of what `xwalk translate` adds to
 * Node's own start). It reads a command line as commander does, and only one that commander
 * would run without a word: anything else (help, the version among other words, an unknown or
 * misspelt option, even one commander would take as a value but ./argv.ts reports first, a
 * missing or refused value, `--`, grouped short flags, too many or too few arguments) gives
 * undefined, and ./program.ts reads it through commander, which says what is wrong as it always
 * has. test/cli-parse.test.ts checks the two against each other on generated command lines.
 *
 * Commander's reading, kept here: the program's options are taken from anywhere on the line first
 * (before or after the command's name, even as what looks like another option's value); then the
 * command's own options, in any order among its arguments; an option that takes a value takes the
 * next word whatever it is, or `--name=value`; a repeatable option collects its values; defaults
 * are filled in (`--no-x` defaults x to true); a `...` argument takes the remaining words ([] when
 * none are given).
 */

import { commandSpec, PROGRAM, VERSION, type CommandSpec, type Flags, type Operand, type OptionSpec } from './spec.js';
import type { GlobalOptions } from './commands/context.js';
import { commandAt, unknownOptionAt } from './argv.js';

export type Quick = { version: string } | { command: CommandSpec; operands: Operand[]; flags: Flags; globals: GlobalOptions };

export interface Parsed {
  spec: OptionSpec;
  short?: string;
  long: string;
  /** The flags' key: --as-of-column → asOfColumn, --no-header → header. */
  key: string;
  takesValue: boolean;
  negate: boolean;
}

/**
 * '-o, --output <file>' → its names, key and whether it takes a value (as commander's Option reads
 * them). Plain string work, no regular expression: each would be compiled at every start.
 */
export function parseFlags(spec: OptionSpec): Parsed {
  let short: string | undefined;
  let long = '';
  for (const w of spec.flags.split(' ')) {
    const name = w.endsWith(',') ? w.slice(0, -1) : w;
    if (name.startsWith('--')) long = name;
    else if (name.length === 2 && name[0] === '-') short = name;
  }
  const negate = long.startsWith('--no-');
  let key = '';
  const bare = long.slice(negate ? 5 : 2);
  for (let i = 0; i < bare.length; i++) key += bare[i] === '-' && i + 1 < bare.length ? bare[++i]!.toUpperCase() : bare[i];
  return { spec, ...(short ? { short } : {}), long, key, takesValue: spec.flags.includes('<'), negate };
}

const cache = new WeakMap<readonly OptionSpec[], Parsed[]>();
const parsedOptions = (specs: readonly OptionSpec[]): Parsed[] => {
  let p = cache.get(specs);
  if (!p) cache.set(specs, (p = specs.map(parseFlags)));
  return p;
};

/** The option `arg` names ('--from', '-o', '--from=x'), and the value it carries after '='. */
function find(options: Parsed[], arg: string): { o: Parsed; inline?: string } | undefined {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const o = options.find((x) => x.long === name || x.short === name);
  if (!o) return undefined;
  if (eq < 0) return { o };
  // --flag=x for an option without a value is an error of commander's.
  return o.takesValue ? { o, inline: arg.slice(eq + 1) } : undefined;
}

/**
 * Reads `args` with `options`: their values into `flags`, the other words into `rest`. False when
 * commander would not run it as it is (an unknown option, a value missing or refused).
 */
function readOptions(args: string[], options: Parsed[], flags: Flags, rest: string[], passUnknown: boolean): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || arg === '-h' || arg === '--help' || arg === '-V' || arg === '--version') return false;
    const isOption = arg.length > 1 && arg[0] === '-';
    // -abc (grouped short flags, or -ofile): commander's to read.
    if (isOption && arg[1] !== '-' && arg.length > 2) return false;
    const found = isOption ? find(options, arg) : undefined;
    if (!found) {
      if (isOption && !passUnknown) return false;
      rest.push(arg);
      continue;
    }
    const { o, inline } = found;
    if (!o.takesValue) {
      flags[o.key] = !o.negate;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) return false;
    const v = optionValue(o, value, flags[o.key]);
    if (v === undefined) return false;
    flags[o.key] = v;
  }
  return true;
}

/** An option's value as the command gets it, or undefined when commander would refuse it. */
function optionValue(o: Parsed, value: string, previous: Flags[string]): string | string[] | undefined {
  const { spec } = o;
  if (spec.repeatable) return [...(Array.isArray(previous) ? previous : []), value];
  if (!spec.choices) return value;
  if (spec.parse) {
    try {
      return spec.parse(value);
    } catch {
      return undefined;
    }
  }
  return spec.choices.includes(value) ? value : undefined;
}

/** Each option's default, as commander sets it when the option is declared. */
function defaults(options: Parsed[]): Flags {
  const flags: Flags = {};
  for (const o of options) {
    if (o.spec.default !== undefined) flags[o.key] = o.spec.default;
    else if (o.negate && !options.some((x) => x !== o && x.long === `--${o.long.slice(5)}`)) flags[o.key] = true;
  }
  return flags;
}

/** The command line as the command gets it, or undefined: commander's to read (see above). */
export function parseQuick(argv: readonly string[]): Quick | undefined {
  if (argv.length === 1 && (argv[0] === '-V' || argv[0] === '--version')) return { version: VERSION };
  const programOptions = parsedOptions(PROGRAM.options);
  const globals = defaults(programOptions);
  const rest: string[] = [];
  if (!readOptions([...argv], programOptions, globals, rest, true)) return undefined;
  // The command's name is the first word left: commander stops at an unknown word before it.
  const command = rest[0] === undefined ? undefined : commandSpec(rest[0]);
  if (!command) return undefined;
  const options = parsedOptions(command.options);
  const flags = defaults(options);
  const words: string[] = [];
  if (!readOptions(rest.slice(1), options, flags, words, false)) return undefined;
  if (options.some((o) => o.spec.required && flags[o.key] === undefined)) return undefined;
  // A line that the in-order reading would stop at (program.ts reports its unknown option first): commander's.
  const at = commandAt(argv, programOptions);
  if (argv[at] !== command.name || unknownOptionAt(argv, at + 1, [...options, ...programOptions]) !== undefined) return undefined;
  const operands = readArguments(command, words);
  if (!operands) return undefined;
  return { command, operands, flags, globals: { ...flags, ...globals } as GlobalOptions };
}

/** The words given to the command's arguments, or undefined when commander would refuse them (too few, too many, a refused choice). */
function readArguments(command: CommandSpec, words: string[]): Operand[] | undefined {
  const operands: Operand[] = [];
  let at = 0;
  for (const a of command.arguments) {
    const required = a.name.startsWith('<');
    if (a.name.endsWith('...>') || a.name.endsWith('...]')) {
      if (required && at >= words.length) return undefined;
      operands.push(words.slice(at));
      at = words.length;
      continue;
    }
    const w = words[at++];
    if (w === undefined && required) return undefined;
    if (w !== undefined && a.choices && !a.choices.includes(w)) return undefined;
    operands.push(w);
  }
  return at < words.length ? undefined : operands;
}
