/** What a validation rule is: a name and a pure function from the loaded registry to diagnostics. */

import type { Diagnostic } from '../errors/errors.js';
import type { RegistryIndex } from '../indexes/index.js';

export interface Rule {
  name: string;
  /** One line on what the rule catches, for `xwalk validate --rules`. */
  description: string;
  check(index: RegistryIndex): Diagnostic[];
}
