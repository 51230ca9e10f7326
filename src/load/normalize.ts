/** Lookup-key normalization of codes (a domain's `normalize:` rules). */

import type { Normalize } from '../model/types.js';

export function normalizeCode(code: string, n: Normalize): string {
  let s = n.trim ? code.trim() : code;
  if (n.case === 'upper') s = s.toUpperCase();
  else if (n.case === 'lower') s = s.toLowerCase();
  if (n.pad > 0 && s.length < n.pad && /^\d/.test(s)) s = s.padStart(n.pad, '0');
  return s;
}
