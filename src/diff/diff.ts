/**
 * What changed between two versions of a vocabulary or of a crosswalk: codes added, removed,
 * relabelled, re-dated or otherwise changed; mappings added, removed, with a changed relation
 * (or confidence, validity, status) or a changed target. Pure: the caller loads both files.
 */

import type { Condition, Crosswalk, Mapping, Term, Vocabulary } from '../model/types.js';
import { normalizeCode } from '../load/normalize.js';

export interface TermChange {
  domain: string;
  code: string;
  /** Field name → [old, new], as text. */
  changes: Record<string, [string, string]>;
}

export interface VocabularyDiff {
  kind: 'vocabulary';
  old: { id: string; version: string };
  new: { id: string; version: string };
  domainsAdded: string[];
  domainsRemoved: string[];
  added: { domain: string; code: string; label: string }[];
  removed: { domain: string; code: string; label: string }[];
  changed: TermChange[];
}

export interface MappingRef {
  from: string;
  to: string;
  relation: string;
  when: string;
}

export interface CrosswalkDiff {
  kind: 'crosswalk';
  old: { id: string; version: string; from: string; to: string; domain: string };
  new: { id: string; version: string; from: string; to: string; domain: string };
  added: MappingRef[];
  removed: MappingRef[];
  /** Same source code, conditions and target; relation, confidence, validity or status changed. */
  changed: (MappingRef & { changes: Record<string, [string, string]> })[];
  /** Same source code and conditions, one target replaced by another. */
  retargeted: (MappingRef & { oldTo: string })[];
}

const validity = (v: { validFrom?: string; validTo?: string }) => `${v.validFrom ?? ''}..${v.validTo ?? ''}`;

function termFields(t: Term): Record<string, string> {
  return {
    label: t.label,
    validity: validity(t),
    aliases: t.aliases.map((a) => a.text + (a.validFrom || a.validTo ? ` (${validity(a)})` : '')).join('; '),
    replaced_by: t.replacedBy ?? '',
    certainty: t.certainty ?? '',
    description: t.description ?? '',
    note: t.note ?? '',
    props: [...t.props].map(([k, v]) => `${k}=${v}`).join('; '),
    designators: t.designators.map((d) => d.source).join('; '),
  };
}

export function diffVocabularies(a: Vocabulary, b: Vocabulary): VocabularyDiff {
  const d: VocabularyDiff = { kind: 'vocabulary', old: { id: a.id, version: a.version }, new: { id: b.id, version: b.version }, domainsAdded: [], domainsRemoved: [], added: [], removed: [], changed: [] };
  for (const dom of a.domains.keys()) if (!b.domains.has(dom)) d.domainsRemoved.push(dom);
  for (const dom of b.domains.keys()) if (!a.domains.has(dom)) d.domainsAdded.push(dom);
  for (const [dom, tb] of b.domains) {
    const ta = a.domains.get(dom);
    // Compare by the new table's normalization, so "460" → "0460" with pad 4 is not a change.
    const key = (code: string) => normalizeCode(code, tb.normalize);
    const oldByKey = new Map<string, Term>();
    for (const t of ta?.terms.values() ?? []) oldByKey.set(key(t.code), t);
    for (const t of tb.terms.values()) {
      const o = oldByKey.get(key(t.code));
      if (!o) {
        d.added.push({ domain: dom, code: t.code, label: t.label });
        continue;
      }
      oldByKey.delete(key(t.code));
      const fo = termFields(o);
      const fn = termFields(t);
      const changes: Record<string, [string, string]> = {};
      if (o.code !== t.code) changes.code = [o.code, t.code];
      for (const f of Object.keys(fn)) if (fo[f] !== fn[f]) changes[f] = [fo[f]!, fn[f]!];
      if (Object.keys(changes).length) d.changed.push({ domain: dom, code: t.code, changes });
    }
    for (const t of oldByKey.values()) d.removed.push({ domain: dom, code: t.code, label: t.label });
  }
  for (const dom of d.domainsRemoved) for (const t of a.domains.get(dom)!.terms.values()) d.removed.push({ domain: dom, code: t.code, label: t.label });
  return d;
}

function whenText(w: Condition[]): string {
  return w
    .map((c) => ('values' in c ? `${c.field}${c.op === 'in' ? '=' : '!='}${[...c.values].sort().join('|')}` : `${c.field}${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[c.op]}${c.value}`))
    .sort()
    .join(';');
}

function ref(m: Mapping): MappingRef {
  return { from: m.from, to: m.to ?? '', relation: m.relation, when: whenText(m.when) };
}

export function diffCrosswalks(a: Crosswalk, b: Crosswalk): CrosswalkDiff {
  const head = (c: Crosswalk) => ({ id: c.id, version: c.version, from: c.from, to: c.to, domain: c.domain });
  const d: CrosswalkDiff = { kind: 'crosswalk', old: head(a), new: head(b), added: [], removed: [], changed: [], retargeted: [] };
  const key = (m: Mapping) => `${m.from}\u0000${m.to ?? ''}\u0000${whenText(m.when)}`;
  const olds = new Map<string, Mapping>();
  for (const m of a.mappings) olds.set(key(m), m);
  const added: Mapping[] = [];
  for (const m of b.mappings) {
    const o = olds.get(key(m));
    if (!o) {
      added.push(m);
      continue;
    }
    olds.delete(key(m));
    const changes: Record<string, [string, string]> = {};
    if (o.relation !== m.relation) changes.relation = [o.relation, m.relation];
    if (o.confidence !== m.confidence) changes.confidence = [String(o.confidence), String(m.confidence)];
    if (validity(o) !== validity(m)) changes.validity = [validity(o), validity(m)];
    if (o.status !== m.status) changes.status = [o.status, m.status];
    if ((o.note ?? '') !== (m.note ?? '')) changes.note = [o.note ?? '', m.note ?? ''];
    if (Object.keys(changes).length) d.changed.push({ ...ref(m), changes });
  }
  // A source code (with the same conditions) that lost exactly one target and gained exactly one
  // was retargeted; everything else is plainly added or removed.
  const removed = [...olds.values()];
  const group = (ms: Mapping[]) => {
    const g = new Map<string, Mapping[]>();
    for (const m of ms) {
      const k = `${m.from}\u0000${whenText(m.when)}`;
      g.set(k, [...(g.get(k) ?? []), m]);
    }
    return g;
  };
  const gAdded = group(added);
  const gRemoved = group(removed);
  for (const [k, rs] of gRemoved) {
    const as = gAdded.get(k);
    if (rs.length === 1 && as?.length === 1 && rs[0]!.to !== undefined && as[0]!.to !== undefined) {
      d.retargeted.push({ ...ref(as[0]!), oldTo: rs[0]!.to });
      gAdded.delete(k);
      gRemoved.delete(k);
    }
  }
  for (const ms of gAdded.values()) d.added.push(...ms.map(ref));
  for (const ms of gRemoved.values()) d.removed.push(...ms.map(ref));
  return d;
}

export function isEmpty(d: VocabularyDiff | CrosswalkDiff): boolean {
  if (d.kind === 'vocabulary') return !d.added.length && !d.removed.length && !d.changed.length && !d.domainsAdded.length && !d.domainsRemoved.length && d.old.version === d.new.version;
  return !d.added.length && !d.removed.length && !d.changed.length && !d.retargeted.length && d.old.version === d.new.version;
}
