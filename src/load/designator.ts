/**
 * Designator templates (`E{n:2}`, `ENG{n}`, `Engine {n}`, `{n:91-94}`) → DesignatorTemplate.
 *
 * A template is literal text around exactly one number slot. Matching is a prefix/suffix test and
 * a digit run, never a user-supplied regular expression, so no template can be slow to match.
 * Slot forms: `{n}` any number; `{n:3}` written padded to 3 digits; `{n:91-94}` only 91 to 94.
 */

import type { DesignatorTemplate, SourceLoc } from '../model/types.js';

export function parseDesignatorTemplate(source: string, loc: SourceLoc): DesignatorTemplate | string {
  const open = source.indexOf('{');
  const close = source.indexOf('}', open);
  if (open < 0 || close < 0) return `the designator template "${source}" has no number slot; write it like E{n:2} or "Engine {n}"`;
  if (source.indexOf('{', open + 1) >= 0) return `the designator template "${source}" has more than one slot; one {n} is allowed`;
  const slot = source.slice(open + 1, close).trim();
  const prefix = source.slice(0, open);
  const suffix = source.slice(close + 1);
  if (/\d$/.test(prefix) || /^\d/.test(suffix)) return `the designator template "${source}" puts digits right next to the number slot, so the number's end cannot be found`;
  const m = /^n(?::(\d+)(?:-(\d+))?)?$/.exec(slot);
  if (!m) return `the designator template "${source}" has an unknown slot {${slot}}; use {n}, {n:2} (padded) or {n:91-94} (a range)`;
  const t: DesignatorTemplate = { source, prefix, suffix, pad: 0, loc };
  if (m[2] !== undefined) {
    t.min = Number(m[1]);
    t.max = Number(m[2]);
    if (t.min > t.max) return `the designator template "${source}" has an empty range`;
  } else if (m[1] !== undefined) {
    t.pad = Number(m[1]);
    if (t.pad > 12) return `the designator template "${source}" pads to more than 12 digits`;
  }
  return t;
}
