/**
 * Diagnostics and the few errors that stop a run.
 *
 * A diagnostic is data: a severity, the name of the rule that raised it, where, and a message
 * a person can act on. Loaders and validation rules return them; only the CLI prints them.
 * `XwalkError` is thrown for what stops the run (a file that cannot be read, a bad flag); its
 * `exitCode` follows the contract: 1 ran but found problems, 2 could not run.
 */

import type { SourceLoc } from '../model/types.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Rule name, kebab-case, stable: scripts may filter on it. */
  rule: string;
  loc: SourceLoc;
  message: string;
  /** What to do about it, when there is something useful to say. */
  hint?: string;
}

export function error(rule: string, loc: SourceLoc, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { severity: 'error', rule, loc, message } : { severity: 'error', rule, loc, message, hint };
}

export function warning(rule: string, loc: SourceLoc, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { severity: 'warning', rule, loc, message } : { severity: 'warning', rule, loc, message, hint };
}

export function formatLoc(loc: SourceLoc): string {
  if (!loc.file) return '';
  if (!loc.line) return loc.file;
  return loc.col ? `${loc.file}:${loc.line}:${loc.col}` : `${loc.file}:${loc.line}`;
}

/**
 * What went wrong, for code that reacts to an error rather than prints it (never match the
 * message text): `several-domains` the two vocabularies share more than one domain and none was
 * named; `bad-choice` a flag's value is not one of its choices.
 */
export type ErrorCode = 'several-domains' | 'bad-choice';

/** An error that ends the run with a message for the user (not a bug). */
export class XwalkError extends Error {
  readonly exitCode: 1 | 2;
  readonly diagnostics: Diagnostic[];
  readonly hint: string | undefined;
  /** Set where a caller may need to tell this error apart from others. */
  readonly code: ErrorCode | undefined;
  constructor(message: string, opts: { exitCode?: 1 | 2; diagnostics?: Diagnostic[]; hint?: string; code?: ErrorCode } = {}) {
    super(message);
    this.name = 'XwalkError';
    this.code = opts.code;
    this.exitCode = opts.exitCode ?? 2;
    this.diagnostics = opts.diagnostics ?? [];
    this.hint = opts.hint;
  }
}
