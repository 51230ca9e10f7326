/** Writing fields: quote only what needs it, and neutralise spreadsheet formulas on request. */

export function needsQuote(v: string, delimiter: string, quote: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === delimiter || c === quote || c === '\n' || c === '\r') return true;
  }
  return false;
}

export function quoteField(v: string, delimiter: string, quote: string): string {
  if (!needsQuote(v, delimiter, quote)) return v;
  return quote + v.split(quote).join(quote + quote) + quote;
}

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection), and their
 * full-width forms (＝ ＋ － ＠), which some spreadsheets fold to the ASCII ones (issue 15).
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20']);

/** True when a value would be run as a formula by a spreadsheet. */
export function isFormula(v: string): boolean {
  return v.length > 0 && FORMULA_START.has(v[0]!);
}

/** The value with a leading apostrophe when a spreadsheet would run it as a formula. */
export function excelSafe(v: string): string {
  return isFormula(v) ? `'${v}` : v;
}
