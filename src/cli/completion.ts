/**
 * Shell completion scripts, generated from the command definitions (so they cannot drift):
 * commands, their options, and vocabulary ids (asked of `xwalk list --ids` at completion time)
 * after --from / --to / --in / show.
 */

import type { Command } from 'commander';

interface Spec {
  commands: { name: string; options: string[] }[];
  globals: string[];
}

function spec(program: Command): Spec {
  const longs = (c: Command) => c.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x)));
  return {
    globals: [...longs(program), '--help'],
    commands: program.commands.map((c) => ({ name: c.name(), options: [...longs(c), '--help'] })),
  };
}

const DOMAINS = 'offense unit status';

export function completionScript(program: Command, shell: string): string | undefined {
  const s = spec(program);
  const names = s.commands.map((c) => c.name).join(' ');
  if (shell === 'bash' || shell === 'zsh') {
    const cases = s.commands.map((c) => `    ${c.name}) opts="${c.options.join(' ')}" ;;`).join('\n');
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
  case "$prev" in
    --from|--to|--in) COMPREPLY=($(compgen -W "$(xwalk list --ids 2>/dev/null)" -- "$cur")); return ;;
    --domain) COMPREPLY=($(compgen -W "${DOMAINS}" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "csv tsv jsonl" -- "$cur")); return ;;
    --mode) COMPREPLY=($(compgen -W "append replace" -- "$cur")); return ;;
    --unmapped) COMPREPLY=($(compgen -W "keep blank fixed: error" -- "$cur")); return ;;
    --ambiguous) COMPREPLY=($(compgen -W "all first blank error" -- "$cur")); return ;;
    --encoding) COMPREPLY=($(compgen -W "utf-8 windows-1252 latin1" -- "$cur")); return ;;
    --vocab-dir|-o|--output|--reject|--report) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${s.globals.join(' ')}" -- "$cur")); else COMPREPLY=($(compgen -W "${names}" -- "$cur")); fi
    return
  fi
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts ${s.globals.join(' ')}" -- "$cur"))
  elif [[ "$cmd" == "show" ]]; then COMPREPLY=($(compgen -W "$(xwalk list --ids 2>/dev/null)" -- "$cur"))
  else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _xwalk xwalk
`;
    return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
  }
  if (shell === 'fish') {
    const lines = [`# xwalk completion for fish. Install: xwalk completion fish > ~/.config/fish/completions/xwalk.fish`, 'complete -c xwalk -f'];
    for (const c of program.commands) lines.push(`complete -c xwalk -n '__fish_use_subcommand' -a ${c.name()} -d '${c.description().replace(/'/g, "\\'").slice(0, 60)}'`);
    for (const o of program.options) if (o.long) lines.push(`complete -c xwalk -l ${o.long.slice(2)} -d '${o.description.replace(/'/g, "\\'").slice(0, 60)}'`);
    for (const c of program.commands) {
      for (const o of c.options) {
        if (!o.long) continue;
        const arg = o.long === '--from' || o.long === '--to' || o.long === '--in' ? " -x -a '(xwalk list --ids 2>/dev/null)'" : o.long === '--domain' ? ` -x -a '${DOMAINS}'` : o.required || o.optional ? ' -r' : '';
        lines.push(`complete -c xwalk -n '__fish_seen_subcommand_from ${c.name()}' -l ${o.long.slice(2)}${arg} -d '${o.description.replace(/'/g, "\\'").slice(0, 60)}'`);
      }
    }
    lines.push(`complete -c xwalk -n '__fish_seen_subcommand_from show' -x -a '(xwalk list --ids 2>/dev/null)'`);
    return lines.join('\n') + '\n';
  }
  return undefined;
}
