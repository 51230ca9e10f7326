/**
 * The conversion plan of a column spelled out as tables, for engines that join instead of
 * translating (src/sql). Pure: the loaded vocabularies in, rows out.
 *
 * - keys: every normalized code of the source vocabulary (the cell's lookup key) → its code;
 * - sci: every scientific-notation spelling a spreadsheet gives a numeric code (`4.6E+02`) → the
 *   one code it stands for, or `*` when it stands for several (then nothing is repaired);
 * - tokens: per context field, every way a record can write a value (a code, a label, an allowed
 *   value) → its *profile*: three characters per atom of the field (H/F/U, and the precedence
 *   rank of the value when it holds, or `--`);
 * - decisions: per code, date class and signature pattern (the code's atoms as H/F/U plus rank,
 *   `___` for atoms of other codes) → the cells.
 * Every row is produced by the same ColumnPlan.signature and translator the streaming executor
 * uses, on a witness record of its class; a shape the tables cannot express exactly is refused
 * (XwalkError, exit 2), never approximated.
 */

import { XwalkError } from '../errors/errors.js';
import { normalizeCode } from '../load/normalize.js';
import type { FieldSpace } from '../indexes/facts.js';
import type { IsoDate } from '../model/types.js';
import { repairForms } from './repair.js';
import { ColumnPlan, dateMatters, type Atom, type CodeProfile } from './column.js';
import { answerCells, type AmbiguousPolicy, type AnswerCells } from './cells.js';
import { thousands } from '../model/order.js';

export interface FieldTable {
  field: string;
  /** Index into the plan's context fields. */
  contextIndex: number;
  /** The column's atoms on this field, in signature order. */
  atoms: Atom[];
  /** Which atoms carry a rank when several values meet them (multi-valued field with precedence). */
  ranked: boolean[];
  /** The field is split into values by the separator. */
  split: boolean;
  /** How a token's code form is normalized (undefined: the field has no code table). */
  normalize: { case: 'upper' | 'lower' | 'none'; trim: boolean; pad: number } | undefined;
  /** Code forms (`c`) and lower-case label or value forms (`l`) → profile. */
  tokens: { kind: 'c' | 'l'; form: string; profile: string }[];
  /** Profile of an empty or `~` value. */
  notRecorded: string;
  /** Profile of any other token. */
  other: string;
}

export interface DecisionRow extends AnswerCells {
  code: string;
  /** `*` any date; `N` no date; `B` unreadable date; `D` a date in [lo, hi). */
  dclass: '*' | 'N' | 'B' | 'D';
  lo?: IsoDate;
  hi?: IsoDate;
  pattern: string;
}

export interface ColumnTables {
  keys: { form: string; code: string }[];
  sci: { form: string; code: string }[];
  fields: FieldTable[];
  decisions: DecisionRow[];
  /** Translations the enumeration ran (for the report and the bench). */
  translations: number;
}

export interface EnumerateOptions {
  ambiguous: AmbiguousPolicy;
  /** How records are dated: none (every row undated), a fixed date, or a column of each row. */
  dating: { kind: 'none' } | { kind: 'fixed'; asOf: IsoDate } | { kind: 'column' };
  /** Context fields in the order the plan's records give them. */
  contextFields: readonly string[];
  /** Bound on decision rows of one column, so a plan never grows without saying so. */
  maxDecisions?: number;
}

const BAD_TOKEN = 'xwalk-not-a-value';
const OTHER_TOKEN = 'xwalk-other-value';

/** Spell out a column's plan. Throws XwalkError where the plan cannot be written as tables. */
export function enumerateColumn(plan: ColumnPlan, opts: EnumerateOptions): ColumnTables {
  const { index } = plan;
  const { from, domain } = plan.opts;
  const table = index.table(from, domain);
  if (!table) throw new XwalkError(`${from} has no ${domain} codes`);
  if (domain === 'unit') throw new XwalkError('unit designators (E12, Engine 12 ...) are not compiled to SQL: their numbers are parsed by templates', { hint: 'convert unit columns with xwalk convert' });
  let translations = 0;
  const keys = [...table.terms.entries()].map(([form, t]) => ({ form, code: t.code }));
  const sci = sciForms(plan);

  // Profiles and the column's atoms, by field.
  const profiles = [...table.terms.values()].map((t) => plan.profile(t.code));
  const atomsByField = new Map<string, Map<string, Atom>>();
  for (const p of profiles) {
    if (p.incomplete) throw new XwalkError(`the routes from ${from} ${p.code} are too many to spell out (a dense crosswalk graph)`, { hint: 'use a smaller --max-hops, or convert with xwalk convert' });
    if (p.statedIn && p.atoms.length) throw new XwalkError(`a condition field of ${p.code}'s routes is read in ${from}'s own codes, translated on each record's date, which the SQL tables do not spell out`, { hint: "give the field in the field vocabulary's codes, or convert with xwalk convert" });
    if (plan.opts.rollUp && p.atoms.length) throw new XwalkError('--roll-up with record facts (--context) is not compiled to SQL: the roll-up reads the values themselves', { hint: 'drop --roll-up or --context, or convert with xwalk convert' });
    for (const a of p.atoms) {
      if (a.space.type === 'number') throw new XwalkError(`condition field ${a.field} is a number, which the SQL tables do not compare yet`, { hint: `drop --context ${a.field}=..., or convert with xwalk convert` });
      let m = atomsByField.get(a.field);
      if (!m) atomsByField.set(a.field, (m = new Map()));
      m.set(a.key, a);
    }
  }
  const fields: FieldTable[] = [];
  for (const [j, field] of opts.contextFields.entries()) {
    const atoms = [...(atomsByField.get(field)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (!atoms.length) continue;
    const spaces = new Set(atoms.map((a) => a.space.decl));
    if (spaces.size > 1) throw new XwalkError(`condition field ${field} is declared differently by two crosswalks on the routes, which the SQL tables do not spell out`, { hint: 'convert with xwalk convert' });
    fields.push(fieldTable(plan, field, j, atoms));
  }
  const fieldOf = new Map(fields.map((f) => [f.field, f]));

  const decisions: DecisionRow[] = [];
  const cap = opts.maxDecisions ?? 500_000;
  for (const p of profiles) {
    const combos = signatures(plan, p, fieldOf);
    for (const combo of combos) {
      const pattern = patternOf(fields, p, combo.sig);
      const at = (date: IsoDate | undefined) => {
        translations++;
        return plan.translate(p.code, combo.context, date);
      };
      const cells = (date: IsoDate | undefined) => answerCells(at(date), opts.ambiguous);
      if (opts.dating.kind === 'none') decisions.push({ code: p.code, dclass: '*', pattern, ...cells(undefined) });
      else if (opts.dating.kind === 'fixed') decisions.push({ code: p.code, dclass: '*', pattern, ...cells(opts.dating.asOf) });
      else {
        const none = cells(undefined);
        const intervals = [undefined, ...p.dates].map((lo, i) => ({ lo, hi: p.dates[i], cells: cells(lo ?? '0001-01-01') }));
        const same = intervals.every((x) => sameCells(x.cells, none));
        if (same) decisions.push({ code: p.code, dclass: '*', pattern, ...none });
        else {
          decisions.push({ code: p.code, dclass: 'N', pattern, ...none });
          translations += 3;
          const needsDate = dateMatters((d) => plan.translate(p.code, combo.context, d));
          decisions.push({ code: p.code, dclass: 'B', pattern, ...(needsDate ? { status: 'bad-date', out: undefined, relation: '', confidence: '', path: '', conditions: '' } : none) } as DecisionRow);
          for (const x of intervals) decisions.push({ code: p.code, dclass: 'D', ...(x.lo !== undefined ? { lo: x.lo } : {}), ...(x.hi !== undefined ? { hi: x.hi } : {}), pattern, ...x.cells });
        }
      }
      if (decisions.length > cap) throw new XwalkError(`the plan for ${from} → ${plan.opts.to} needs more than ${thousands(cap)} decision rows`, { hint: 'name fewer --context fields, or convert with xwalk convert' });
    }
  }
  return { keys, sci, fields, decisions, translations };
}

function sameCells(a: AnswerCells, b: AnswerCells): boolean {
  return a.status === b.status && a.out === b.out && a.relation === b.relation && a.confidence === b.confidence && a.path === b.path && a.conditions === b.conditions;
}

/** The representative tokens of a field: one per way a value can read. */
function representatives(space: FieldSpace, atoms: Atom[]): string[] {
  const reps = new Set<string>(['']);
  if (space.type === 'text') {
    for (const a of atoms) if ('values' in a.cond) for (const v of a.cond.values) reps.add(v.trim());
    reps.add(OTHER_TOKEN);
    return [...reps];
  }
  if (space.table) for (const t of space.table.terms.values()) reps.add(t.code);
  else for (const v of space.decl.values ?? []) reps.add(v.trim());
  reps.add(BAD_TOKEN);
  return [...reps];
}

/** A field's token table: the profile of each form a record may write. */
function fieldTable(plan: ColumnPlan, field: string, contextIndex: number, atoms: Atom[]): FieldTable {
  const space = atoms[0]!.space;
  const sep = plan.opts.valueSeparator;
  const split = sep !== undefined && space.decl.multi;
  // A token's raw profile over the field's atoms: its truth, and its own rank when it holds a ranked atom.
  const profileOf = (token: string): string => {
    const values = [space.read(token, undefined, undefined)];
    let s = '';
    for (const a of atoms) {
      const t = space.truth(a.cond, values[0]!);
      const rank = t === 'holds' && space.decl.multi && space.hasPrecedence ? space.bestRank(values) : undefined;
      s += (t === 'holds' ? 'H' : t === 'fails' ? 'F' : 'U') + (rank === undefined ? '--' : rankText(rank, field));
    }
    return s;
  };
  const tokens: FieldTable['tokens'] = [];
  if (space.type === 'text') {
    const seen = new Set<string>();
    for (const a of atoms) {
      if (!('values' in a.cond)) continue;
      for (const v of a.cond.values) {
        const k = v.trim().toLowerCase();
        if (v === '~' || seen.has(k)) continue;
        seen.add(k);
        tokens.push({ kind: 'l', form: k, profile: profileOf(v) });
      }
    }
  } else if (space.table) {
    const seenL = new Set<string>();
    for (const [form, t] of space.table.terms) tokens.push({ kind: 'c', form, profile: profileOf(t.code) });
    for (const t of space.table.terms.values()) {
      for (const name of [t.label, ...t.aliases.map((a) => a.text)]) {
        const k = name.trim().toLowerCase();
        if (seenL.has(k)) continue;
        seenL.add(k);
        tokens.push({ kind: 'l', form: k, profile: profileOf(t.code) });
      }
    }
  } else {
    for (const v of space.decl.values ?? []) {
      const k = v.trim().toLowerCase();
      if (!tokens.some((x) => x.form === k)) tokens.push({ kind: 'l', form: k, profile: profileOf(v) });
    }
  }
  return {
    field,
    contextIndex,
    atoms,
    ranked: atoms.map(() => space.decl.multi && space.hasPrecedence),
    split,
    normalize: space.table && space.type !== 'text' ? space.table.normalize : undefined,
    tokens,
    notRecorded: profileOf(''),
    other: profileOf(space.type === 'text' ? OTHER_TOKEN : BAD_TOKEN),
  };
}

function rankText(rank: number, field: string): string {
  if (rank > 99) throw new XwalkError(`condition field ${field} ranks more than 100 values by precedence, more than the SQL signature holds`, { hint: 'convert with xwalk convert' });
  return String(rank).padStart(2, '0');
}

/**
 * Every signature a record can give a code, with a witness record for each: per field, the single
 * values, and (multi-valued fields split by the separator) every combination's aggregate, found by
 * extending combinations one value at a time until nothing new appears.
 */
function signatures(plan: ColumnPlan, p: CodeProfile, fieldOf: ReadonlyMap<string, FieldTable>): { sig: string; context: Map<string, string> }[] {
  if (!p.atoms.length) return [{ sig: '', context: new Map(plan.opts.contextFields.map((f) => [f, ''])) }];
  const byField = new Map<string, number[]>();
  p.atoms.forEach((a, i) => byField.set(a.field, [...(byField.get(a.field) ?? []), i]));
  const perField: { field: string; positions: number[]; options: { part: string; cell: string }[] }[] = [];
  for (const [field, positions] of byField) {
    const ft = fieldOf.get(field)!;
    const space = p.atoms[positions[0]!]!.space;
    const part = (cell: string) => {
      const { sig } = plan.signature(p, new Map([[field, cell]]), undefined);
      return positions.map((i) => sig.slice(3 * i, 3 * i + 3)).join('');
    };
    const reps = representatives(space, ft.atoms);
    const options = new Map<string, string>();
    for (const r of reps) if (!options.has(part(r))) options.set(part(r), r);
    if (ft.split) {
      const sep = plan.opts.valueSeparator!;
      // Distinct raw profiles (a value repeated: truth and its own rank).
      const raw = new Map<string, string>();
      for (const r of reps) {
        const k = part(r + sep + r);
        if (!raw.has(k)) raw.set(k, r);
      }
      const states = new Map<string, string>([...raw].map(([k, r]) => [k, r + sep + r]));
      let frontier = [...states.entries()];
      while (frontier.length) {
        const next: [string, string][] = [];
        for (const [, cell] of frontier) {
          for (const r of raw.values()) {
            const c = cell + sep + r;
            const k = part(c);
            if (!states.has(k)) {
              states.set(k, c);
              next.push([k, c]);
            }
          }
        }
        frontier = next;
        if (states.size > 5000) throw new XwalkError(`field ${field} combines into more than 5,000 signatures for ${p.code}`, { hint: 'convert with xwalk convert' });
      }
      for (const [k, c] of states) if (!options.has(k)) options.set(k, c);
    }
    perField.push({ field, positions, options: [...options].map(([part, cell]) => ({ part, cell })) });
  }
  let combos: { parts: Map<string, string>; context: Map<string, string> }[] = [{ parts: new Map(), context: new Map(plan.opts.contextFields.map((f) => [f, ''])) }];
  for (const f of perField) {
    const next: typeof combos = [];
    for (const c of combos) for (const o of f.options) next.push({ parts: new Map([...c.parts, [f.field, o.part]]), context: new Map([...c.context, [f.field, o.cell]]) });
    combos = next;
  }
  return combos.map((c) => {
    const chars: string[] = new Array(p.atoms.length);
    for (const f of perField) {
      const part = c.parts.get(f.field)!;
      f.positions.forEach((pos, k) => (chars[pos] = part.slice(3 * k, 3 * k + 3)));
    }
    const sig = chars.join('');
    // The witness must give the signature it stands for.
    const check = plan.signature(p, c.context, undefined).sig;
    if (check !== sig) throw new Error(`plan enumeration: witness of ${p.code} gives ${check}, not ${sig}`);
    return { sig, context: c.context };
  });
}

/** A code's signature as a LIKE pattern over the column's atoms (`___` for another code's). */
function patternOf(fields: readonly FieldTable[], p: CodeProfile, sig: string): string {
  const at = new Map(p.atoms.map((a, i) => [a.key, sig.slice(3 * i, 3 * i + 3)]));
  let out = '';
  for (const f of fields) for (const a of f.atoms) out += at.get(a.key) ?? '___';
  return out;
}

/**
 * Scientific-notation spellings of the numeric codes (`4.6E+02` for 0460), keyed as the SQL
 * writes them: the mantissa's digits, `e`, the exponent (`46e2`); each checked with repairForms.
 */
function sciForms(plan: ColumnPlan): { form: string; code: string }[] {
  const { index } = plan;
  const { from, domain } = plan.opts;
  const table = index.table(from, domain)!;
  const out = new Map<string, string>();
  for (const t of table.terms.values()) {
    const key = normalizeCode(t.code, table.normalize);
    if (!/^\d{1,7}$/.test(key)) continue;
    const n = Number(key);
    for (let shift = 0; shift <= 3; shift++) {
      const q = n / 10 ** shift;
      for (const m of new Set([Math.floor(q), Math.round(q), Math.ceil(q)])) {
        if (m <= 0) continue;
        const digits = String(m);
        const exp = shift + digits.length - 1;
        if (exp > 99) continue;
        const text = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}E+${String(exp).padStart(2, '0')}`;
        const forms = repairForms(text);
        const codes = new Set<string>();
        for (const f of forms) {
          const c = index.term(from, domain, f)?.code;
          if (c !== undefined) codes.add(c);
        }
        if (codes.size) out.set(`${digits}e${exp}`, codes.size === 1 ? [...codes][0]! : '*');
      }
    }
  }
  return [...out].map(([form, code]) => ({ form, code }));
}
