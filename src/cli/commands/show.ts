/** `xwalk show VOCAB [CODE]`: a vocabulary's terms, or one term with its mappings in and out. */

import { XwalkError } from '../../errors/errors.js';
import { closest } from '../../errors/closest.js';
import { RegistryIndex } from '../../indexes/index.js';
import { invert, SYMBOL } from '../../model/relation.js';
import type { Mapping, Term, Vocabulary } from '../../model/types.js';
import { colorsFor, layoutWidth, type Io } from '../io.js';
import { conditionText } from '../../read/values.js';
import { table } from '../render/text.js';
import { registryFor, type GlobalOptions } from './context.js';

export interface ShowFlags {
  domain?: string;
  json?: boolean;
}

function validity(t: { validFrom?: string; validTo?: string }): string {
  if (t.validFrom && t.validTo) return `${t.validFrom}..${t.validTo}`;
  if (t.validTo) return `until ${t.validTo}`;
  if (t.validFrom) return `from ${t.validFrom}`;
  return '';
}

export function termJson(t: Term): Record<string, unknown> {
  return {
    code: t.code,
    label: t.label,
    aliases: t.aliases,
    ...(t.description ? { description: t.description } : {}),
    ...(t.note ? { note: t.note } : {}),
    ...(t.certainty ? { certainty: t.certainty } : {}),
    ...(t.validFrom ? { validFrom: t.validFrom } : {}),
    ...(t.validTo ? { validTo: t.validTo } : {}),
    ...(t.replacedBy ? { replacedBy: t.replacedBy } : {}),
    props: Object.fromEntries(t.props),
    ...(t.parent !== undefined ? { parent: t.parent } : {}),
    ...(t.facts?.length ? { facts: t.facts } : {}),
    ...(t.designators.length ? { designators: t.designators.map((d) => d.source) } : {}),
  };
}

interface Link {
  crosswalk: string;
  direction: 'out' | 'in';
  other: string;
  code: string;
  relation: string;
  when: string;
  note?: string;
}

export async function runShow(vocabId: string, code: string | undefined, flags: ShowFlags, g: GlobalOptions, io: Io): Promise<number> {
  const registry = await registryFor(io, g);
  const index = new RegistryIndex(registry);
  const vocab = registry.vocabularies.get(vocabId);
  if (!vocab) {
    const near = closest(vocabId, [...registry.vocabularies.keys()]);
    throw new XwalkError(`unknown vocabulary "${vocabId}"`, { hint: near ? `did you mean ${near}?` : "'xwalk list' shows the vocabularies loaded" });
  }
  if (flags.domain !== undefined && !vocab.domains.has(flags.domain)) throw new XwalkError(`${vocabId} has no domain "${flags.domain}"`, { hint: `its domains: ${[...vocab.domains.keys()].join(', ')}` });
  const domains = flags.domain !== undefined ? [flags.domain] : [...vocab.domains.keys()];
  const k = colorsFor(io, io.stdoutIsTTY, g.color);
  if (code === undefined) return showVocabulary(vocab, domains, flags, io, k);

  const hits = domains.flatMap((d) => {
    const t = index.term(vocabId, d, code);
    return t ? [{ domain: d, term: t }] : [];
  });
  if (!hits.length) {
    const sugg = domains.flatMap((d) => index.suggest(vocabId, d, code, 3));
    throw new XwalkError(`"${code}" is not a code of ${vocabId}`, { exitCode: 1, hint: sugg.length ? `did you mean ${sugg.map((s) => s.code).join(', ')}?` : `'xwalk show ${vocabId}' lists its codes` });
  }
  const out = hits.map(({ domain, term }) => {
    const links: Link[] = [];
    for (const cw of registry.crosswalks.values()) {
      if (cw.domain !== domain) continue;
      const add = (m: Mapping, direction: 'out' | 'in') => {
        const rel = direction === 'out' ? m.relation : (invert(m.relation) ?? m.relation);
        const link: Link = { crosswalk: cw.id, direction, other: direction === 'out' ? cw.to : cw.from, code: direction === 'out' ? (m.to ?? '') : m.from, relation: rel, when: m.when.map(conditionText).join(', ') };
        if (m.note) link.note = m.note;
        links.push(link);
      };
      if (cw.from === vocabId) for (const m of cw.mappings) if (index.term(vocabId, domain, m.from) === term) add(m, 'out');
      if (cw.to === vocabId) for (const m of cw.mappings) if (m.to !== undefined && index.term(vocabId, domain, m.to) === term) add(m, 'in');
    }
    return { domain, term, links };
  });
  if (flags.json) {
    io.stdout.write(JSON.stringify({ xwalk: 1, vocabulary: vocabId, terms: out.map((o) => ({ domain: o.domain, ...termJson(o.term), mappings: o.links })) }, null, 2) + '\n');
    return 0;
  }
  for (const { domain, term, links } of out) {
    io.stdout.write(`${k.bold(term.code)}  ${term.label}\n`);
    const facts: string[][] = [['vocabulary', `${vocab.name} (${vocabId}), ${domain}`]];
    if (term.aliases.length) facts.push(['aliases', term.aliases.map((a) => a.text + (a.validFrom || a.validTo ? ` (${validity(a)})` : '')).join('; ')]);
    if (validity(term)) facts.push(['valid', validity(term)]);
    if (term.replacedBy) facts.push(['replaced by', term.replacedBy]);
    if (term.certainty) facts.push(['certainty', term.certainty]);
    if (term.parent !== undefined) facts.push(['parent', term.parent]);
    if (term.facts?.length) facts.push(['facts', term.facts.map((f) => `${f.field}=${f.values.join('|')}`).join(', ')]);
    for (const [p, v] of term.props) facts.push([p, v]);
    if (term.designators.length) facts.push(['designators', term.designators.map((d) => d.source).join(', ')]);
    if (term.description) facts.push(['description', term.description]);
    if (term.note) facts.push(['note', term.note]);
    io.stdout.write(table(facts, { flex: 1, indent: '  ', maxWidth: layoutWidth(io) }).join('\n') + '\n');
    if (links.length) {
      io.stdout.write(`\n  ${k.bold('mappings')}\n`);
      const rows = table(
        links.map((l) => [l.direction === 'out' ? '→' : '←', `${SYMBOL[l.relation as keyof typeof SYMBOL]} ${l.relation}`, `${l.other}:${l.code || '(none)'}`, l.crosswalk + (l.direction === 'in' ? ' (read backwards)' : '')]),
        { flex: 2, indent: '  ', maxWidth: layoutWidth(io) },
      );
      links.forEach((l, i) => {
        io.stdout.write(rows[i] + '\n');
        if (l.when) io.stdout.write(k.dim(`       when ${l.when}`) + '\n');
      });
    } else io.stdout.write(k.dim('\n  no crosswalk mentions this code\n'));
  }
  return 0;
}

function showVocabulary(vocab: Vocabulary, domains: string[], flags: ShowFlags, io: Io, k: ReturnType<typeof colorsFor>): number {
  if (flags.json) {
    io.stdout.write(
      JSON.stringify({ xwalk: 1, id: vocab.id, name: vocab.name, kind: vocab.kind, version: vocab.version, ...(vocab.source ? { source: vocab.source } : {}), domains: Object.fromEntries(domains.map((d) => [d, [...vocab.domains.get(d)!.terms.values()].map(termJson)])) }, null, 2) + '\n',
    );
    return 0;
  }
  io.stdout.write(`${k.bold(vocab.name)} (${vocab.id}, ${vocab.kind}, version ${vocab.version})\n`);
  if (vocab.source) io.stdout.write(k.dim(`source: ${vocab.source}`) + '\n');
  for (const d of domains) {
    const t = vocab.domains.get(d)!;
    io.stdout.write(`\n${k.bold(d)} (${t.terms.size} terms)\n`);
    const rows = [...t.terms.values()].map((term) => [term.code, term.label + (term.certainty && term.certainty !== 'documented' ? ` [${term.certainty}]` : ''), validity(term)]);
    io.stdout.write(table(rows, { flex: 1, indent: '  ', maxWidth: layoutWidth(io) }).join('\n') + '\n');
  }
  return 0;
}
