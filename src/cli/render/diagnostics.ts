/** Diagnostics for people (`xwalk: file:line:col: error: message [rule]` + hint) and for JSON. */

import type { ChalkInstance } from 'chalk';
import { formatLoc, type Diagnostic } from '../../errors/errors.js';

export function renderDiagnostic(d: Diagnostic, c: ChalkInstance): string {
  const loc = formatLoc(d.loc);
  const sev = d.severity === 'error' ? c.red('error') : c.yellow('warning');
  const lines = [`xwalk: ${loc ? `${loc}: ` : ''}${sev}: ${d.message} ${c.dim(`[${d.rule}]`)}`];
  if (d.hint) lines.push(`  ${c.dim('hint:')} ${d.hint}`);
  return lines.join('\n') + '\n';
}

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return { severity: d.severity, rule: d.rule, file: d.loc.file, line: d.loc.line, column: d.loc.col, message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
}
