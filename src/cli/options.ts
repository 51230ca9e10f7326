/**
 * Commander's Option and Argument for the choices of ./spec.ts, with xwalk's refusals and
 * did-you-means (./flags.ts): used only when commander reads the line (./program.ts), so
 * ./flags.ts, which the quick parse loads, does not load commander.
 */

import { Argument, Option } from 'commander';
import type { XwalkError } from '../errors/errors.js';
import { badChoice } from './flags.js';

/** Values offered by shell completion for options that take more than a fixed list (`--unmapped fixed:X`). */
export const completionValues = new WeakMap<Option, readonly string[]>();

/**
 * An option whose value is one of `choices`: commander lists them in the help and shell completion
 * offers them; a value outside them is refused while the command line is read, by `badChoice`.
 * `parse` replaces the exact-match test for options that also take aliases (--encoding).
 */
export function choiceOption(flags: string, description: string, choices: readonly string[], parse?: (v: string) => string): Option {
  const o = new Option(flags, description).choices(choices);
  const name = o.long ?? o.short ?? flags;
  return o.argParser((v: string) => {
    if (parse) return parse(v);
    if (!choices.includes(v)) throw badChoice(name, v, choices);
    return v;
  });
}

/** An option offered with `values` in shell completion, whose value is checked by the command. */
export function suggestOption(flags: string, description: string, values: readonly string[]): Option {
  const o = new Option(flags, description);
  completionValues.set(o, values);
  return o;
}

/** An argument whose value is one of `choices`, refused as `choiceOption` does. */
export function choiceArgument(name: string, description: string, choices: readonly string[], message: (v: string) => XwalkError): Argument {
  return new Argument(name, description).choices(choices).argParser((v: string) => {
    if (!choices.includes(v)) throw message(v);
    return v;
  });
}
