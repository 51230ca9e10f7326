/**
 * Shell completion scripts, read from commander's command tree (so they cannot drift from the
 * commands): each command's options; after an option, what its value can be, decided per command
 * (`export --format` offers export's formats, `convert --format` convert's); file names after
 * options and arguments whose value is a file; vocabulary ids (asked of `xwalk list --ids` at
 * completion time) after --from / --to / --in and for `show`.
 *
 * What a value can be comes from the declaration alone: an option's `.choices()` (or the values
 * given to `suggestOption`), else its value name: <file>, <export.csv> a file; <dir> a directory;
 * <vocab>, <vocabs> vocabulary ids; <domain> the domains. Anything else is free text: nothing offered.
 */

import type { Argument, Command, Option } from 'commander';
import type { SHELLS } from './flags.js';
import { completionValues } from './options.js';

const DOMAINS = ['offense', 'unit', 'status'];

/** What completes a value. */
export type ValueKind = { kind: 'words'; words: readonly string[] } | { kind: 'file' } | { kind: 'dir' } | { kind: 'vocab' } | { kind: 'none' };

function kindOfName(name: string, choices: readonly string[] | undefined): ValueKind {
  if (choices?.length) return { kind: 'words', words: choices };
  const n = name.toLowerCase();
  if (n === 'file' || n.endsWith('.csv') || n === 'old' || n === 'new' || n === 'input' || n === 'paths') return { kind: 'file' };
  if (n === 'dir') return { kind: 'dir' };
  if (n === 'vocab' || n === 'vocabs') return { kind: 'vocab' };
  if (n === 'domain') return { kind: 'words', words: DOMAINS };
  return { kind: 'none' };
}

/** What an option's value can be; undefined for a flag that takes no value. */
export function optionValueKind(o: Option): ValueKind | undefined {
  if (!o.required && !o.optional) return undefined;
  const name = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? '';
  return kindOfName(name, o.argChoices ?? completionValues.get(o));
}

/** What a command's positional arguments can be (the first that completes to something). */
export function argumentsKind(c: Command): ValueKind {
  for (const a of c.registeredArguments as readonly Argument[]) {
    const k = kindOfName(a.name(), a.argChoices);
    if (k.kind !== 'none') return k;
  }
  return { kind: 'none' };
}

const optionNames = (o: Option): string[] => [o.long, o.short].filter((x): x is string => Boolean(x));

function bashReply(k: ValueKind): string {
  switch (k.kind) {
    case 'words':
      return `COMPREPLY=($(compgen -W "${k.words.join(' ')}" -- "$cur"))`;
    case 'file':
      return 'COMPREPLY=($(compgen -f -- "$cur"))';
    case 'dir':
      return 'COMPREPLY=($(compgen -d -- "$cur"))';
    case 'vocab':
      return 'COMPREPLY=($(compgen -W "$(xwalk list --ids 2>/dev/null)" -- "$cur"))';
    case 'none':
      return 'COMPREPLY=()';
  }
}

function bash(program: Command, shell: 'bash' | 'zsh'): string {
  const names = program.commands.map((c) => c.name()).join(' ');
  const globals = [...program.options.flatMap(optionNames), '--help'].join(' ');
  // After an option that takes a value: per command first ("export --format"), then the global ones.
  const valueCases: string[] = [];
  for (const c of program.commands) {
    for (const o of c.options) {
      const k = optionValueKind(o);
      if (k)
        valueCases.push(
          `    ${optionNames(o)
            .map((n) => `"${c.name()} ${n}"`)
            .join('|')}) ${bashReply(k)}; return ;;`,
        );
    }
  }
  for (const o of program.options) {
    const k = optionValueKind(o);
    if (k)
      valueCases.push(
        `    ${optionNames(o)
          .map((n) => `*" ${n}"`)
          .join('|')}) ${bashReply(k)}; return ;;`,
      );
  }
  const optionCases = program.commands.map((c) => `    ${c.name()}) opts="${[...c.options.flatMap(optionNames), '--help'].join(' ')}" ;;`).join('\n');
  const argumentCases = program.commands.map((c) => `    ${c.name()}) ${bashReply(argumentsKind(c))} ;;`).join('\n');
  const body = `# xwalk completion for ${shell}. Install: xwalk completion ${shell} > ~/.xwalk-completion.${shell}; source it from ~/.${shell}rc
_xwalk() {
  local cur prev cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) if [[ " ${names} " == *" \${COMP_WORDS[i]} "* ]]; then cmd="\${COMP_WORDS[i]}"; break; fi ;;
    esac
  done
  case "$cmd $prev" in
${valueCases.join('\n')}
  esac
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${globals}" -- "$cur")); else COMPREPLY=($(compgen -W "${names}" -- "$cur")); fi
    return
  fi
  case "$cmd" in
${optionCases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts ${globals}" -- "$cur")); return; fi
  case "$cmd" in
${argumentCases}
  esac
}
complete -F _xwalk xwalk
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
}

const fishText = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").slice(0, 60)}'`;

function fishValue(k: ValueKind): string {
  switch (k.kind) {
    case 'words':
      return ` -x -a ${fishText(k.words.join(' '))}`;
    case 'file':
      return ' -r -F';
    case 'dir':
      return " -r -x -a '(__fish_complete_directories)'";
    case 'vocab':
      return " -x -a '(xwalk list --ids 2>/dev/null)'";
    case 'none':
      return ' -x';
  }
}

function fishOption(o: Option, condition: string): string | undefined {
  if (!o.long) return undefined;
  const k = optionValueKind(o);
  const short = o.short ? ` -s ${o.short.slice(1)}` : '';
  return `complete -c xwalk${condition} -l ${o.long.slice(2)}${short}${k ? fishValue(k) : ''} -d ${fishText(o.description)}`;
}

function fish(program: Command): string {
  const lines = ['# xwalk completion for fish. Install: xwalk completion fish > ~/.config/fish/completions/xwalk.fish', 'complete -c xwalk -f'];
  for (const c of program.commands) lines.push(`complete -c xwalk -n '__fish_use_subcommand' -a ${c.name()} -d ${fishText(c.description())}`);
  for (const o of program.options) lines.push(...[fishOption(o, '')].filter((l): l is string => l !== undefined));
  for (const c of program.commands) {
    const when = ` -n '__fish_seen_subcommand_from ${c.name()}'`;
    for (const o of c.options) lines.push(...[fishOption(o, when)].filter((l): l is string => l !== undefined));
    const k = argumentsKind(c);
    if (k.kind !== 'none') lines.push(`complete -c xwalk${when}${k.kind === 'file' ? ' -F' : fishValue(k)}`);
  }
  return lines.join('\n') + '\n';
}

export function completionScript(program: Command, shell: (typeof SHELLS)[number]): string {
  return shell === 'fish' ? fish(program) : bash(program, shell);
}
