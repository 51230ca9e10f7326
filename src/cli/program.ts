/**
 * The command line through commander, for what ./parse.ts leaves to it: help, every error with
 * its did-you-mean, --version among other words, shell completion. The command tree is built
 * from ./spec.ts, the one declaration of the commands, so help, validation and completion are
 * read from the same table as the quick parse. Loaded only when a run needs it (issue 18).
 */

import { Argument, Command, CommanderError, Option } from 'commander';
import type { Io } from './io.js';
import { completionScript } from './completion.js';
import { collect, type SHELLS } from './flags.js';
import { choiceArgument, choiceOption, suggestOption } from './options.js';
import { commandIndex, reportUnknownOptionFirst, unknownHelpTopic } from './argv.js';
import type { GlobalOptions } from './commands/context.js';
import { COMMAND_NAMES, commandSpecs, EXIT_CODES_HELP, PROGRAM, VERSION, type CommandSpec, type Flags, type OptionSpec, type Operand } from './spec.js';

/** What a command's action hands on: the command, its arguments, its flags and the program's (commander's `optsWithGlobals`). */
export type OnAction = (spec: CommandSpec, operands: Operand[], flags: Flags, globals: GlobalOptions) => Promise<void>;

/**
 * Runs a command line through commander: the exit code, or a thrown error (an XwalkError of a
 * command, for main to report); commander's own errors are reported here (2), help and the
 * version are 0.
 */
export async function runProgram(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(argv, io, async (spec, operands, flags, globals) => {
    exitCode = await spec.run(operands, flags, globals, io, argv);
  });
  try {
    if (!argv.length) {
      program.outputHelp();
      return 2;
    }
    const badTopic = unknownHelpTopic(program, argv);
    if (badTopic) {
      io.stderr.write(badTopic);
      return 2;
    }
    reportUnknownOptionFirst(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
  }
}

/** `xwalk completion SHELL`: the script, read from the whole command tree. */
export async function runCompletion(shell: (typeof SHELLS)[number], io: Io): Promise<number> {
  io.stdout.write(
    completionScript(
      buildProgram(['completion'], io, async () => undefined),
      shell,
    ),
  );
  return 0;
}

/**
 * The commands a run needs declared: the one it names first, when it is one of xwalk's and the run
 * asks for nothing about the others; none for the version alone; else every one.
 */
function commandsToDeclare(program: Command, argv: readonly string[]): ReadonlySet<string> | 'all' {
  // The command's name past the program's options and their values (--vocab-dir DIR: DIR may be named `list`).
  const first = commandIndex(program, argv);
  const end = first >= 0 ? first : argv.includes('--') ? argv.indexOf('--') : argv.length;
  const before = argv.slice(0, end);
  if (before.some((a) => a === '-h' || a === '--help')) return 'all';
  // -V prints the version and stops, whatever follows: no command is reached.
  if (before.some((a) => a === '-V' || a === '--version')) return new Set();
  const name = first >= 0 ? argv[first] : undefined;
  if (name === undefined || !COMMAND_NAMES.includes(name) || name === 'completion') return 'all';
  return new Set([name]);
}

/**
 * The command tree from ./spec.ts: the program-level options and help, then each wanted command
 * (a run of one command declares only that one; help, completion, a mistyped command and no
 * command at all declare them all). Each action hands its values to `onAction`.
 */
export function buildProgram(argv: string[], io: Io, onAction: OnAction): Command {
  const program = new Command();
  program.name(PROGRAM.name).description(PROGRAM.description).version(VERSION, PROGRAM.version.flags, PROGRAM.version.description);
  for (const o of PROGRAM.options) program.addOption(commanderOption(o));
  program
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`xwalk: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText('after', EXIT_CODES_HELP);
  const only = commandsToDeclare(program, argv);
  for (const spec of commandSpecs()) if (only === 'all' || only.has(spec.name)) declare(program, spec, onAction);
  return program;
}

function declare(program: Command, spec: CommandSpec, onAction: OnAction): void {
  const cmd = program.command(spec.name).description(spec.description);
  for (const a of spec.arguments) cmd.addArgument(a.choices && a.refuse ? choiceArgument(a.name, a.description, a.choices, a.refuse) : new Argument(a.name, a.description));
  for (const o of spec.options) cmd.addOption(commanderOption(o));
  cmd.addHelpText('after', spec.helpAfter).action(async (...args: unknown[]) => {
    const c = args[args.length - 1] as Command;
    await onAction(spec, args.slice(0, -2) as Operand[], c.opts<Flags>(), c.optsWithGlobals<GlobalOptions>());
  });
}

/** An option of the spec as commander's `Option`. */
function commanderOption(o: OptionSpec): Option {
  const opt = o.choices ? choiceOption(o.flags, o.description, o.choices, o.parse) : o.suggest ? suggestOption(o.flags, o.description, o.suggest) : new Option(o.flags, o.description);
  if (o.repeatable) opt.argParser(collect);
  if (o.default !== undefined) opt.default(o.default);
  if (o.required) opt.makeOptionMandatory();
  return opt;
}
