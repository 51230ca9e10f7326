/**
 * What a translation returns. Every expected outcome is a variant here, not an exception:
 * mapped, ambiguous, no-mapping (with its reason), unknown (with suggestions), expired.
 * This is also the shape of `xwalk translate --json` (see README, "JSON output").
 */

import type { Condition, Domain, FactStatement, IsoDate } from '../model/types.js';
import type { Relation } from '../model/relation.js';

export type Outcome = 'mapped' | 'ambiguous' | 'no-mapping' | 'unknown' | 'expired';

export type NoMappingReason = 'explicit-no-match' | 'no-path' | 'forbidden-inference' | 'only-negative' | 'conditions-not-met' | 'target-not-valid' | 'target-unknown' | 'too-many-routes';

/** One hop of a translation path. */
export interface Step {
  crosswalk: string;
  from: { vocabulary: string; code: string };
  to: { vocabulary: string; code: string };
  /** The relation as the crosswalk states it, in the direction travelled. */
  relation: Relation;
  /** True when the crosswalk was read backwards: nobody reviewed this direction. */
  inverted: boolean;
  /** The mapping's condition: the relation holds between the source restricted to it and the target. */
  when?: Condition[];
}

export type Route = 'direct' | 'inverse' | 'chained';

/** The state of a candidate's conditions against the record's context. */
export type ConditionState = 'none' | 'met' | 'unknown' | 'failed';

export interface Candidate {
  vocabulary: string;
  code: string;
  label: string;
  /** The relation of the source code to this code, composed along the path. */
  relation: Relation;
  confidence: number;
  route: Route;
  /** False when any step was read backwards. */
  reviewed: boolean;
  /** The residual condition: what the record must meet for this answer (nothing on the route settles it). */
  conditions: Condition[];
  /** Conditions on the route that the codes' own facts settle. */
  implied?: Condition[];
  /** Facts the route's mappings state about the target side (FHIR `product`), in the order met. */
  product?: FactStatement[];
  conditionState: ConditionState;
  /** Context fields the conditions need that the caller did not give. */
  needs: string[];
  path: Step[];
  notes: string[];
  /** Unit domain: the designator written with the target's template, when it has one. */
  designator?: string;
}

export interface Excluded {
  candidate: Candidate;
  reason: 'negative' | 'conditions-not-met' | 'target-not-valid' | 'target-unknown' | 'superseded' | 'outranked';
  detail: string;
}

export interface SourceTerm {
  code: string;
  label: string;
  validFrom?: IsoDate;
  validTo?: IsoDate;
  replacedBy?: string;
  certainty?: string;
  note?: string;
  /** Facts the code states for every incident of it. */
  facts?: FactStatement[];
  /** Unit domain: the designator's number, when the input was a designator. */
  number?: number;
}

export interface TranslationResult {
  input: string;
  from: string;
  to: string;
  domain: Domain;
  asOf?: IsoDate;
  outcome: Outcome;
  /** Set when outcome is no-mapping. */
  reason?: NoMappingReason;
  /** With reason explicit-no-match: the crosswalk that declares it (maybe on the way, to a hub). */
  noMatchBy?: string;
  /** One sentence for people: why this outcome. */
  message: string;
  source?: SourceTerm;
  /** The answer when mapped; the first-ranked candidate when ambiguous. */
  best?: Candidate;
  /** Usable candidates, best first. */
  candidates: Candidate[];
  /** Candidates found but not usable, each with why (negative assertions among them). */
  excluded: Excluded[];
  /** Unknown codes: codes the user may have meant. */
  suggestions: { code: string; label: string }[];
  /** Chains the composition table stopped, for the curious. */
  forbidden: { path: Step[]; detail: string }[];
  /** The facts given: those of the run, and the record's own that conditions consulted. */
  factsUsed?: { field: string; values: string[] }[];
  /** Facts that could not be read (an unknown weapon code ...): conditions on them stay unanswered. */
  badFacts?: { field: string; value: string; message: string }[];
  /** The search stopped at its bound (too many routes): the answer may be incomplete. */
  truncated?: boolean;
  /** With roll-up: the codes whose common parent is the answer. */
  rolledUp?: string[];
}
