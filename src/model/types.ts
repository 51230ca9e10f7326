/**
 * The model: plain data types shared by every stage. No logic lives here beyond type guards;
 * loaders build these values, validation and translation read them, nothing mutates them after
 * loading.
 *
 * Codes are strings, always. Every term table is a Map keyed by the *normalized* code, so codes
 * such as `__proto__` or `constructor` are ordinary keys.
 */

import type { Relation } from './relation.js';

/** Where a value came from: a file and a 1-based line and column (0 when unknown). */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

/** The subject areas xwalk knows by name; a vocabulary may declare others. */
export type Domain = string;

/** An ISO calendar date, `YYYY-MM-DD`; compared as strings. */
export type IsoDate = string;

/** How sure the source of a fact is; anything other than `documented` is shown to users. */
export type Certainty = 'documented' | 'inferred' | 'unverified';
export const CERTAINTIES: readonly Certainty[] = ['documented', 'inferred', 'unverified'];

/** A half-open validity interval [from, to): `to` is the first day the term is no longer valid. */
export interface Validity {
  validFrom?: IsoDate;
  validTo?: IsoDate;
}

/** Another name for a term, optionally only for a period (11A was "Forcible Rape" before 2013). */
export interface Alias extends Validity {
  text: string;
}

/** A designator template of a unit kind, e.g. `E{n:2}` (see translate/designator.ts). */
export interface DesignatorTemplate {
  source: string;
  prefix: string;
  suffix: string;
  /** Pad the number to this many digits on output (0 = no padding). */
  pad: number;
  /** Inclusive numeric range a number must fall in to match, if any. */
  min?: number;
  max?: number;
  loc: SourceLoc;
}

/** One code of a vocabulary domain. */
export interface Term extends Validity {
  code: string;
  label: string;
  aliases: Alias[];
  description?: string;
  note?: string;
  certainty?: Certainty;
  /** The code that took this one's place when it was retired. */
  replacedBy?: string;
  /** Further facts about the term (group, crime against, category ...), all text. */
  props: Map<string, string>;
  /** Unit domain only: the designators that name units of this kind; the first is used to write. */
  designators: DesignatorTemplate[];
  /**
   * The code of the same domain this one rolls up to (SRS line 4a → class 4). A parent's incidents
   * are exactly the union of its children's.
   */
  parent?: string;
  /** Facts that hold for every incident of this code ("aggravated battery: handgun": weapon 12). */
  facts?: FactStatement[];
  loc: SourceLoc;
}

/**
 * A fact: the field has one of `values` (one value, or a set the truth lies in). Values are
 * written in the codes of the field's vocabulary, or of the vocabulary that states the fact.
 */
export interface FactStatement {
  field: string;
  values: string[];
}

/** Rules applied to lookup keys only; the codes themselves are kept as written. */
export interface Normalize {
  case: 'upper' | 'lower' | 'none';
  trim: boolean;
  /** Left-pad codes that start with a digit with zeros to this width (0 = off). */
  pad: number;
}

export const DEFAULT_NORMALIZE: Normalize = { case: 'upper', trim: true, pad: 0 };

export interface DomainTable {
  domain: Domain;
  normalize: Normalize;
  /** Keyed by normalized code, in file order. */
  terms: Map<string, Term>;
  /**
   * An order of seriousness over the codes, most serious first: decides between branches when a
   * multi-valued fact meets several (NIBRS: the most serious weapon), and the Hierarchy Rule.
   */
  precedence?: string[];
  loc: SourceLoc;
}

/**
 * `code-list`: a supporting list, not a vocabulary people translate between: the values of condition
 * fields and facts (weapon, attempted ...) or groupings of another vocabulary's codes (NIBRS offense
 * categories). Lookup searches it only when named.
 */
export type VocabularyKind = 'agency' | 'standard' | 'code-list';

export interface Vocabulary {
  id: string;
  name: string;
  kind: VocabularyKind;
  version: string;
  description?: string;
  source?: string;
  domains: Map<Domain, DomainTable>;
  /** The files it was read from (the YAML file first, then any CSV term lists). */
  files: string[];
  loc: SourceLoc;
}

/**
 * One test on a record field; a mapping's `when` holds all of them (they must all pass). In a value
 * list, `~` stands for "not recorded" (the record has no value for the field).
 */
export type Condition = { field: string; op: 'in' | 'not-in'; values: string[] } | { field: string; op: 'lt' | 'le' | 'gt' | 'ge'; value: number };

/** The value list token for "the record has no value for this field". */
export const NOT_RECORDED = '~';

/**
 * A condition field a crosswalk declares: where its values come from and how many a record has.
 * `vocabulary` (+ `domain`, default the field vocabulary's only domain) types the values as codes
 * with groups (parent terms) and precedence; `values` is an inline list; `number` compares numbers.
 */
export interface FieldDecl {
  name: string;
  type: 'code' | 'number' | 'text';
  vocabulary?: string;
  domain?: string;
  /** Inline allowed values (type code without a vocabulary). */
  values?: string[];
  /** Several values per record (weapon: up to three per offense). */
  multi: boolean;
  description?: string;
  loc: SourceLoc;
}

/** Whether a mapping has been reviewed by a person; proposed ones are never used to translate. */
export type MappingStatus = 'reviewed' | 'proposed';

export interface Mapping extends Validity {
  from: string;
  /** Absent exactly when relation is `no-match`. */
  to?: string;
  relation: Relation;
  /** 0 < confidence <= 1; 1 when the file says nothing. */
  confidence: number;
  note?: string;
  when: Condition[];
  /** Facts about the target side of this mapping (FHIR `product`): later conditions use them. */
  product?: FactStatement[];
  status: MappingStatus;
  /** How a proposed mapping was proposed (suggest's method), if known. */
  method?: string;
  loc: SourceLoc;
}

export interface Crosswalk {
  id: string;
  from: string;
  to: string;
  domain: Domain;
  version: string;
  description?: string;
  source?: string;
  /** The condition fields its mappings use, declared with their types. */
  fields?: FieldDecl[];
  mappings: Mapping[];
  files: string[];
  loc: SourceLoc;
}
