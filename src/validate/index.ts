/**
 * The validate stage: a loaded registry → errors and warnings, each with a location and the
 * name of the rule that raised it. Rules are small pure functions, one file each, in rules/.
 * Load diagnostics (syntax, schema, duplicate ids and codes) come first, then the rules'.
 */

import type { Diagnostic } from '../errors/errors.js';
import type { Registry } from '../load/registry.js';
import { RegistryIndex } from '../indexes/index.js';
import type { Rule } from './rule.js';
import { conditions } from './rules/conditions.js';
import { conflictingMappings } from './rules/conflicting-mappings.js';
import { crosswalkEndpoints } from './rules/crosswalk-endpoints.js';
import { crosswalkPairs } from './rules/crosswalk-pairs.js';
import { expiredTarget } from './rules/expired-target.js';
import { proposed } from './rules/proposed.js';
import { replacedBy } from './rules/replaced-by.js';
import { unknownCode } from './rules/unknown-code.js';

export type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [crosswalkEndpoints, crosswalkPairs, unknownCode, conflictingMappings, conditions, expiredTarget, replacedBy, proposed];

export interface ValidationReport {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function validateRegistry(registry: Registry, rules: readonly Rule[] = RULES): ValidationReport {
  const index = new RegistryIndex(registry);
  const all = [...registry.diagnostics, ...rules.flatMap((r) => r.check(index))];
  return { errors: all.filter((d) => d.severity === 'error'), warnings: all.filter((d) => d.severity === 'warning') };
}
