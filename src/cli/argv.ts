/**
 * The command line read in order, each option's value the word after it (issue 20): where the
 * command's name stands, and the first unknown option after it. Commander reads otherwise (the
 * program's options first, from anywhere), which reports a misspelt option late or not at all;
 * so ./program.ts reports an unknown option this way first, with its "did you mean", before a
 * missing required one (which it usually is, misspelt), and ./parse.ts leaves to commander any
 * line this reading would report. `help NAME` for a command that does not exist is an error.
 * Plain functions over option names: the quick parse uses them without loading commander.
 */

import type { Command, Option } from 'commander';

/** An option as the in-order reading needs it: its names, and whether the next word is its value. */
export interface Named {
  long?: string | undefined;
  short?: string | undefined;
  takesValue: boolean;
}

/** Where the first word that is not a program option (or its value) stands: the command's name; -1 when there is none before `--`. */
export function commandAt(argv: readonly string[], program: readonly Named[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    const opt = program.find((o) => o.long === a.split('=')[0] || o.short === a);
    if (opt?.takesValue && !a.includes('=')) i++;
  }
  return -1;
}

/** The first option from `from` on that none of `known` names ('--frm', '-z'); undefined when there is none before help or `--`. */
export function unknownOptionAt(argv: readonly string[], from: number, known: readonly Named[]): string | undefined {
  for (let i = from; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || a === '-h' || a === '--help') return undefined;
    if (!a.startsWith('-') || a === '-') continue;
    const name = a.startsWith('--') ? a.split('=')[0]! : a.slice(0, 2);
    const opt = known.find((o) => o.long === name || o.short === name);
    if (!opt) return name;
    // -ofile carries its value; --name=value too
    if (opt.takesValue && !a.includes('=') && !(name.length === 2 && a.length > 2)) i++;
  }
  return undefined;
}

const named = (o: Option): Named => ({ long: o.long, short: o.short, takesValue: o.required || o.optional });

/** `commandAt` with the program's options as commander holds them. */
export function commandIndex(program: Command, argv: readonly string[]): number {
  return commandAt(argv, program.options.map(named));
}

/** The subcommand argv names, and where its own arguments start (after the global options). */
function findCommand(program: Command, argv: string[]): { cmd: Command; at: number } | undefined {
  const i = commandIndex(program, argv);
  const cmd = i < 0 ? undefined : program.commands.find((c) => c.name() === argv[i] || c.aliases().includes(argv[i]!));
  return cmd ? { cmd, at: i + 1 } : undefined;
}

/**
 * The first unknown option of the subcommand's arguments, reported as commander reports it
 * (it throws through exitOverride); nothing when every option is known.
 */
export function reportUnknownOptionFirst(program: Command, argv: string[]): void {
  const found = findCommand(program, argv);
  if (!found) return;
  const { cmd, at } = found;
  const unknown = unknownOptionAt(argv, at, [...cmd.options, ...program.options].map(named));
  if (unknown !== undefined) (cmd as unknown as { unknownOption(flag: string): never }).unknownOption(unknown);
}

/** `xwalk help NAME` for a NAME that is not a command: the message, or undefined. */
export function unknownHelpTopic(program: Command, argv: string[]): string | undefined {
  const i = commandIndex(program, argv);
  if (i < 0 || argv[i] !== 'help') return undefined;
  const topic = argv[i + 1];
  if (topic === undefined || program.commands.some((c) => c.name() === topic)) return undefined;
  const names = program.commands.map((c) => c.name());
  return `xwalk: "${topic}" is not a command; the commands are: ${names.join(', ')}\n  hint: xwalk help COMMAND shows a command's options with examples\n`;
}
