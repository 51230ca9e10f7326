/**
 * The incident stage's rules, read from a vocabulary's data (issue 19): the Hierarchy Rule is the
 * target domain's `precedence` (most serious first) plus term props `hierarchy` (`ranked`, or
 * `counted-besides` for the exceptions), `count_unit` (victims, offense, premises, vehicles),
 * `premises_locations`, `vehicle_property`, `rule_source` and `rule_certainty`. No rule is written
 * in code: a vocabulary without them cannot be used with `--incident`.
 */

import { XwalkError } from '../errors/errors.js';
import { normalizeCode } from '../load/normalize.js';
import type { Registry } from '../load/registry.js';
import type { DomainTable, Term } from '../model/types.js';

export type CountUnit = 'victims' | 'offense' | 'premises' | 'vehicles';
export type HierarchyKind = 'ranked' | 'counted-besides';

/** The rules of one target code (a line or a class), as its vocabulary states them. */
export interface CodeRule {
  code: string;
  label: string;
  /** The class it counts under: its parent, or itself. */
  classCode: string;
  kind: HierarchyKind;
  /** Rank of its class, then of the code itself, in the precedence (0 = most serious). */
  classRank: number;
  rank: number;
  unit: CountUnit;
  /** Burglary: the location codes where the premises entered are counted. */
  premisesLocations: string[];
  /** Motor vehicle theft: property descriptions scored one each on this line. */
  vehicleProperty: string[];
  source: string;
  certainty: string;
}

export interface HierarchyRules {
  vocabulary: string;
  domain: string;
  table: DomainTable;
  /** The rule of a target code; undefined when the code is not counted by the incident rules (an arrest line, the SHR). */
  rule(code: string): CodeRule | undefined;
  /** Every code with a rule, in the vocabulary's term order (the form's order: 4e after 4d). */
  codes: CodeRule[];
  term(code: string): Term | undefined;
}

const UNITS: readonly CountUnit[] = ['victims', 'offense', 'premises', 'vehicles'];

/** The rules of `vocabulary`'s `domain` (default its only domain, or `offense`). Throws XwalkError when it declares none. */
export function hierarchyRules(registry: Registry, vocabulary: string, domain?: string): HierarchyRules {
  const vocab = registry.vocabularies.get(vocabulary);
  if (!vocab) throw new XwalkError(`no vocabulary "${vocabulary}"`, { hint: 'xwalk list shows the vocabularies' });
  const name = domain ?? (vocab.domains.size === 1 ? [...vocab.domains.keys()][0]! : 'offense');
  const table = vocab.domains.get(name);
  if (!table) throw new XwalkError(`vocabulary "${vocabulary}" has no domain "${name}"`, { hint: `its domains: ${[...vocab.domains.keys()].join(', ')}` });
  const precedence = table.precedence ?? [];
  const ranked = [...table.terms.values()].filter((t) => t.props.get('hierarchy') !== undefined);
  if (!precedence.length || !ranked.length) {
    throw new XwalkError(`vocabulary "${vocabulary}" (domain ${name}) declares no Hierarchy Rule: --incident needs its domain's \`precedence\` and the term props \`hierarchy\` and \`count_unit\``, {
      hint: 'convert into srs (the shipped Summary vocabulary declares them), or add them to your vocabulary (see README, "Incidents and the Hierarchy Rule")',
    });
  }
  const key = (c: string) => normalizeCode(c, table.normalize);
  const rankOf = new Map(precedence.map((c, i) => [key(c), i]));
  const rules = new Map<string, CodeRule>();
  const words = (v: string | undefined) => (v ?? '').split(/\s+/).filter(Boolean);
  for (const t of ranked) {
    const kind = t.props.get('hierarchy');
    const unit = t.props.get('count_unit') as CountUnit | undefined;
    const where = `${t.loc.file}${t.loc.line ? `:${t.loc.line}` : ''}`;
    if (kind !== 'ranked' && kind !== 'counted-besides') throw new XwalkError(`${where}: term ${t.code} has hierarchy "${kind}", which is not ranked or counted-besides`);
    if (!unit || !UNITS.includes(unit)) throw new XwalkError(`${where}: term ${t.code} has count_unit "${unit ?? ''}", which is not one of ${UNITS.join(', ')}`);
    const classCode = t.parent ?? t.code;
    const rank = rankOf.get(key(t.code));
    const classRank = rankOf.get(key(classCode)) ?? rank;
    if (kind === 'ranked' && (rank === undefined || classRank === undefined)) throw new XwalkError(`${where}: term ${t.code} is ranked by the Hierarchy Rule but not in the domain's precedence`, { hint: 'add it to `precedence`, or mark it counted-besides' });
    rules.set(key(t.code), {
      code: t.code,
      label: t.label,
      classCode,
      kind,
      classRank: classRank ?? Number.MAX_SAFE_INTEGER,
      rank: rank ?? Number.MAX_SAFE_INTEGER,
      unit,
      premisesLocations: words(t.props.get('premises_locations')),
      vehicleProperty: words(t.props.get('vehicle_property')),
      source: t.props.get('rule_source') ?? '',
      certainty: t.props.get('rule_certainty') ?? 'documented',
    });
  }
  const order = [...table.terms.values()].map((t) => rules.get(key(t.code))).filter((r): r is CodeRule => r !== undefined);
  return {
    vocabulary,
    domain: name,
    table,
    rule: (code) => rules.get(key(code)),
    codes: order,
    term: (code) => table.terms.get(key(code)),
  };
}
