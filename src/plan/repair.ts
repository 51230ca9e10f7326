/**
 * Codes mangled by spreadsheets (issue 20): a cell that is not a code of the source vocabulary
 * as written, but whose spreadsheet forms stand for exactly one code. Pure: a value and a way
 * to ask whether a string is a code in, the one code it stands for (or undefined) out.
 *
 * Forms read: a number written with a decimal part (`460.0`), a formula or text prefix (`=0460`,
 * `="0460"`, `'0460`), and scientific notation (`4.6E+02`, which stands for every whole number
 * that displays so: 455 to 464). Never more than one code: when two codes match, nothing is
 * repaired and the value stays unknown.
 */

/** Most whole numbers a scientific-notation cell is tried as. */
const MAX_SPAN = 1000;

/** The strings a spreadsheet-mangled cell may stand for, most literal first. */
export function repairForms(value: string): string[] {
  const s = value.trim();
  const out = new Set<string>();
  let t = s;
  const formula = /^="(.*)"$/.exec(t);
  if (formula) t = formula[1]!;
  else if (t.startsWith('=') || t.startsWith("'")) t = t.slice(1);
  t = t.trim();
  if (t !== s && t) out.add(t);
  const dec = /^(\d+)\.0+$/.exec(t);
  if (dec) out.add(dec[1]!);
  const sci = /^(\d)(?:\.(\d+))?[eE]\+?(\d{1,2})$/.exec(t);
  if (sci) {
    const digits = sci[1]! + (sci[2] ?? '');
    const exp = Number(sci[3]);
    const shift = exp - (digits.length - 1);
    if (shift >= 0 && shift <= 6) {
      // The displayed digits are rounded: every whole number that rounds to them.
      const base = Number(digits) * 10 ** shift;
      const half = shift === 0 ? 0 : 10 ** shift / 2;
      if (2 * half + 1 <= MAX_SPAN) for (let n = base - half; n < base + half || n === base; n++) if (n >= 0) out.add(String(n));
    }
  }
  return [...out];
}

/**
 * The one code a mangled value stands for: `codeOf` answers a string's code in the source
 * vocabulary (after its normalization), or undefined. Undefined when none or several match.
 */
export function repairCode(value: string, codeOf: (s: string) => string | undefined): string | undefined {
  const forms = repairForms(value);
  if (!forms.length) return undefined;
  const found = new Set<string>();
  for (const f of forms) {
    const c = codeOf(f);
    if (c !== undefined) found.add(c);
    if (found.size > 1) return undefined;
  }
  return found.size === 1 ? [...found][0] : undefined;
}
