/**
 * Checks on the command line that commander makes in an unhelpful order (issue 20): an unknown
 * option (`--frm`) is reported, with its "did you mean", before a missing required one (which
 * it usually is, misspelt); `help NAME` for a command that does not exist is an error.
 */

import type { Command, Option } from 'commander';

/** Where the first word that is not a global option stands (the command's name), or -1. */
function firstWord(program: Command, argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    const opt = program.options.find((o) => o.long === a.split('=')[0] || o.short === a);
    if (opt && (opt.required || opt.optional) && !a.includes('=')) i++;
  }
  return -1;
}

/** The subcommand argv names, and where its own arguments start (after the global options). */
function findCommand(program: Command, argv: string[]): { cmd: Command; at: number } | undefined {
  const i = firstWord(program, argv);
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
  const known: Option[] = [...cmd.options, ...program.options];
  for (let i = at; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return;
    if (!a.startsWith('-') || a === '-') continue;
    if (a === '-h' || a === '--help') return;
    const name = a.startsWith('--') ? a.split('=')[0]! : a.slice(0, 2);
    const opt = known.find((o) => o.long === name || o.short === name || (o.negate && o.long === name));
    if (!opt) {
      (cmd as unknown as { unknownOption(flag: string): never }).unknownOption(name);
      return;
    }
    if ((opt.required || opt.optional) && !a.includes('=') && !(name.length === 2 && a.length > 2)) i++;
  }
}

/** `xwalk help NAME` for a NAME that is not a command: the message, or undefined. */
export function unknownHelpTopic(program: Command, argv: string[]): string | undefined {
  const i = firstWord(program, argv);
  if (i < 0 || argv[i] !== 'help') return undefined;
  const topic = argv[i + 1];
  if (topic === undefined || program.commands.some((c) => c.name() === topic)) return undefined;
  const names = program.commands.map((c) => c.name());
  return `xwalk: "${topic}" is not a command; the commands are: ${names.join(', ')}\n  hint: xwalk help COMMAND shows a command's options with examples\n`;
}
