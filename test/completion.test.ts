/**
 * Shell completion offers what each command takes (issue 18): the choices of each command's own
 * options (export's formats after `export --format`, not convert's), file names after -o,
 * --reject, --report and file arguments, in bash (run for real), zsh (the same function, through
 * bashcompinit) and fish (its `complete` lines). The choices a command takes are read from its
 * `--help`, which commander writes from the same declarations, so this compares two readings of
 * the command tree, not the script with itself.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './helpers/run.js';
import { CONVERT_FORMATS, ENCODINGS, EXPORT_FORMATS, IMPORT_FORMATS, SUMMARY_FORMATS } from '../src/cli/flags.js';

let bashScript = '';
let zshScript = '';
let fishScript = '';
let commands: string[] = [];
/** command → option → its choices, read from `xwalk COMMAND --help`. */
const helpChoices = new Map<string, Map<string, string[]>>();

beforeAll(async () => {
  bashScript = (await runMain(['completion', 'bash'])).stdout;
  zshScript = (await runMain(['completion', 'zsh'])).stdout;
  fishScript = (await runMain(['completion', 'fish'])).stdout;
  const top = (await runMain(['--help'])).stdout;
  commands = [...top.slice(top.indexOf('Commands:')).matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  for (const c of commands) {
    // One entry per option: its line and the more indented lines that continue it.
    const entries = (await runMain([c, '--help'])).stdout.split(/\n(?= {2}-)/).map((e) => e.replace(/\n\s+/g, ' '));
    const opts = new Map<string, string[]>();
    for (const e of entries) {
      const m = /^ {2}(?:-\w, )?(--[a-z-]+) <[^>]+>.*\(choices: ([^)]*?)(?:, default: [^)]*)?\)/.exec(e);
      if (m)
        opts.set(
          m[1]!,
          [...m[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!),
        );
    }
    helpChoices.set(c, opts);
  }
});

/** Runs the bash function at the last word of `words` in `cwd`; the replies, sorted. */
function bashComplete(script: string, words: string[], cwd = process.cwd()): string[] {
  const r = spawnSync('bash', ['-c', `xwalk() { :; }\n${script}\nCOMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _xwalk; printf '%s\\n' "\${COMPREPLY[@]}"`, '_', ...words], { encoding: 'utf8', cwd });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).sort();
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('completion: choices per command', () => {
  it('reads the commands and their choices from the help', () => {
    expect(commands).toEqual(expect.arrayContaining(['convert', 'export', 'import', 'summarize', 'completion']));
    expect(helpChoices.get('export')?.get('--format')).toEqual([...EXPORT_FORMATS]);
    expect(helpChoices.get('import')?.get('--format')).toEqual([...IMPORT_FORMATS]);
    expect(helpChoices.get('convert')?.get('--format')).toEqual([...CONVERT_FORMATS]);
    expect(helpChoices.get('summarize')?.get('--format')).toEqual([...SUMMARY_FORMATS]);
  });

  it("bash: every option with choices offers exactly its own command's", () => {
    let n = 0;
    for (const [cmd, opts] of helpChoices) {
      for (const [opt, choices] of opts) {
        expect(bashComplete(bashScript, ['xwalk', cmd, opt, '']), `${cmd} ${opt}`).toEqual(sorted(choices));
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(9);
  });

  it("bash: export --format and import --format are not convert's", () => {
    expect(bashComplete(bashScript, ['xwalk', 'export', '--from', 'nibrs', '--format', ''])).toEqual(sorted(EXPORT_FORMATS));
    expect(bashComplete(bashScript, ['xwalk', 'import', 'x.json', '--format', 'fhir'])).toEqual(['fhir-r4', 'fhir-r5']);
    expect(bashComplete(bashScript, ['xwalk', 'convert', '--format', ''])).toEqual(sorted(CONVERT_FORMATS));
    expect(bashComplete(bashScript, ['xwalk', 'summarize', '--format', ''])).toEqual(sorted(SUMMARY_FORMATS));
    expect(bashComplete(bashScript, ['xwalk', 'summarize', '--encoding', ''])).toEqual(sorted(ENCODINGS));
    expect(bashComplete(bashScript, ['xwalk', 'convert', '--unmapped', ''])).toEqual(sorted(['keep', 'blank', 'fixed:', 'error']));
    expect(bashComplete(bashScript, ['xwalk', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
  });

  it('bash: file names after -o, --output, --reject, --report, --weights and file arguments; nothing after free text', () => {
    const d = mkdtempSync(join(tmpdir(), 'xwalk-completion-'));
    writeFileSync(join(d, 'rows.csv'), 'a\n');
    mkdirSync(join(d, 'sub'));
    for (const words of [
      ['xwalk', 'convert', 'in.csv', '-o', ''],
      ['xwalk', 'convert', '--output', ''],
      ['xwalk', 'convert', '--reject', ''],
      ['xwalk', 'convert', '--report', ''],
      ['xwalk', 'export', '-o', ''],
      ['xwalk', 'summarize', '-o', ''],
      ['xwalk', 'coverage', '--weights', ''],
      ['xwalk', 'convert', ''],
      ['xwalk', 'import', ''],
      ['xwalk', 'diff', ''],
    ]) {
      expect(bashComplete(bashScript, words, d), words.join(' ')).toEqual(['rows.csv', 'sub']);
    }
    expect(bashComplete(bashScript, ['xwalk', '--vocab-dir', ''], d)).toEqual(['sub']);
    expect(bashComplete(bashScript, ['xwalk', 'export', '--title', ''], d)).toEqual([]);
    expect(bashComplete(bashScript, ['xwalk', 'translate', '13A', '--as-of', ''], d)).toEqual([]);
    expect(bashComplete(bashScript, ['xwalk', 'translate', ''], d)).toEqual([]);
  });

  it("bash: commands, and each command's own options", () => {
    expect(bashComplete(bashScript, ['xwalk', 'exp'])).toEqual(['export']);
    expect(bashComplete(bashScript, ['xwalk', 'export', '--pa'])).toEqual(['--paper']);
    expect(bashComplete(bashScript, ['xwalk', 'convert', '--pa'])).toEqual([]);
  });

  it('zsh: the same function through bashcompinit', () => {
    const [first, ...rest] = zshScript.split('\n');
    expect(first).toBe('autoload -U +X bashcompinit && bashcompinit');
    const body = rest.join('\n');
    const afterComment = (t: string) => t.slice(t.indexOf('\n'));
    expect(afterComment(body)).toBe(afterComment(bashScript));
    expect(bashComplete(body, ['xwalk', 'export', '--format', ''])).toEqual(sorted(EXPORT_FORMATS));
  });

  it("fish: each command's choices, files for -o/--reject/--report and file arguments", () => {
    const lines = fishScript.split('\n');
    const option = (cmd: string, long: string) => lines.filter((l) => l.includes(`__fish_seen_subcommand_from ${cmd}'`) && l.includes(` -l ${long} `));
    for (const [cmd, opts] of helpChoices) {
      for (const [opt, choices] of opts) {
        const l = option(cmd, opt.slice(2));
        expect(l, `${cmd} ${opt}`).toHaveLength(1);
        expect(/ -x -a '([^']*)'/.exec(l[0]!)?.[1]?.split(' '), `${cmd} ${opt}`).toEqual(choices);
      }
    }
    for (const [cmd, long] of [
      ['convert', 'output'],
      ['convert', 'reject'],
      ['convert', 'report'],
      ['export', 'output'],
      ['import', 'output'],
      ['summarize', 'output'],
      ['suggest', 'output'],
    ] as const) {
      const l = option(cmd, long);
      expect(l, `${cmd} --${long}`).toHaveLength(1);
      expect(l[0], `${cmd} --${long}`).toMatch(/ -r -F /);
    }
    expect(option('convert', 'output')[0]).toMatch(/ -l output -s o /);
    for (const cmd of ['convert', 'import', 'diff', 'summarize', 'validate']) expect(lines, cmd).toContain(`complete -c xwalk -n '__fish_seen_subcommand_from ${cmd}' -F`);
    expect(lines).toContain(`complete -c xwalk -n '__fish_seen_subcommand_from show' -x -a '(xwalk list --ids 2>/dev/null)'`);
    expect(option('translate', 'from')[0]).toContain(`-x -a '(xwalk list --ids 2>/dev/null)'`);
  });
});
