/** The small positioned tree a YAML text is read into (./yaml.ts, ./yaml-plain.ts), and the file readers walk. */

import type { SourceLoc } from '../model/types.js';

export type YNode = { kind: 'map'; entries: Map<string, { key: SourceLoc; value: YNode }>; loc: SourceLoc } | { kind: 'seq'; items: YNode[]; loc: SourceLoc } | { kind: 'scalar'; value: string; loc: SourceLoc };
