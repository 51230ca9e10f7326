/** `xwalk diff OLD NEW`: two versions of one vocabulary or crosswalk file → what changed. */

import { existsSync } from 'node:fs';
import { XwalkError } from '../../errors/errors.js';
import { diffCrosswalks, diffVocabularies, isEmpty, type CrosswalkDiff, type VocabularyDiff } from '../../diff/diff.js';
import type { Registry } from '../../load/registry.js';
import { colorsFor, type Io } from '../io.js';
import type { GlobalOptions } from './context.js';

// node:fs is imported statically: bin/xwalk runs the bundle in a vm.Script, which cannot serve a
// dynamic import() of anything outside the bundle (issue 15: `xwalk diff` crashed in every
// installed form). The loader's own modules are in the bundle: esbuild turns their import() into
// a lazy call, as context.ts does, so start-up does not pay for them.
async function loadOne(path: string): Promise<Registry> {
  const [{ loadRegistry }, { DirSource }] = await Promise.all([import('../../load/registry.js'), import('../../read/source.js')]);
  if (!existsSync(path)) throw new XwalkError(`"${path}" does not exist`, { hint: 'name two versions of a vocabulary or crosswalk file' });
  const r = loadRegistry([new DirSource(path)]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new XwalkError(`${path} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, { diagnostics: errors, hint: `xwalk validate ${path} lists them` });
  if (r.vocabularies.size + r.crosswalks.size !== 1) throw new XwalkError(`"${path}" holds ${r.vocabularies.size} vocabularies and ${r.crosswalks.size} crosswalks; diff compares one file with one file`, { hint: 'name a single YAML file for each version' });
  return r;
}

export function renderDiff(d: VocabularyDiff | CrosswalkDiff, k: ReturnType<typeof colorsFor>): string {
  const lines: string[] = [];
  const change = (c: Record<string, [string, string]>) =>
    Object.entries(c)
      .map(([f, [o, n]]) => `${f}: ${JSON.stringify(o)} → ${JSON.stringify(n)}`)
      .join('; ');
  const idPart = d.old.id === d.new.id ? d.new.id : `${d.old.id} → ${d.new.id}`;
  lines.push(k.bold(`${d.kind} ${idPart}: version ${d.old.version} → ${d.new.version}`));
  if (d.kind === 'vocabulary') {
    for (const dom of d.domainsAdded) lines.push(k.green(`  + domain ${dom}`));
    for (const dom of d.domainsRemoved) lines.push(k.red(`  - domain ${dom}`));
    lines.push(`  ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`);
    for (const t of d.added) lines.push(k.green(`  + ${t.domain} ${t.code}  ${t.label}`));
    for (const t of d.removed) lines.push(k.red(`  - ${t.domain} ${t.code}  ${t.label}`));
    for (const t of d.changed) lines.push(k.yellow(`  ~ ${t.domain} ${t.code}  ${change(t.changes)}`));
  } else {
    if (d.old.from !== d.new.from || d.old.to !== d.new.to || d.old.domain !== d.new.domain) lines.push(k.yellow(`  now ${d.new.from} → ${d.new.to} (${d.new.domain}), was ${d.old.from} → ${d.old.to} (${d.old.domain})`));
    lines.push(`  ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.retargeted.length} retargeted`);
    const m = (r: { from: string; to: string; relation: string; when: string }) => `${r.from} → ${r.to || '(none)'}  ${r.relation}${r.when ? `  when ${r.when}` : ''}`;
    for (const r of d.added) lines.push(k.green(`  + ${m(r)}`));
    for (const r of d.removed) lines.push(k.red(`  - ${m(r)}`));
    for (const r of d.changed) lines.push(k.yellow(`  ~ ${m(r)}  ${change(r.changes)}`));
    for (const r of d.retargeted) lines.push(k.yellow(`  > ${r.from}${r.when ? ` when ${r.when}` : ''}: ${r.oldTo} → ${r.to}  ${r.relation}`));
  }
  return lines.join('\n') + '\n';
}

export async function runDiff(oldPath: string, newPath: string, flags: { json?: boolean }, g: GlobalOptions, io: Io): Promise<number> {
  const [a, b] = [await loadOne(oldPath), await loadOne(newPath)];
  const va = [...a.vocabularies.values()][0];
  const vb = [...b.vocabularies.values()][0];
  const ca = [...a.crosswalks.values()][0];
  const cb = [...b.crosswalks.values()][0];
  let d: VocabularyDiff | CrosswalkDiff;
  if (va && vb) d = diffVocabularies(va, vb);
  else if (ca && cb) d = diffCrosswalks(ca, cb);
  else throw new XwalkError(`${oldPath} and ${newPath} are not the same kind of file (one is a vocabulary, the other a crosswalk)`);
  if (flags.json) io.stdout.write(JSON.stringify({ xwalk: 1, ...d, same: isEmpty(d) }, null, 2) + '\n');
  else io.stdout.write(renderDiff(d, colorsFor(io, io.stdoutIsTTY, g.color)));
  return isEmpty(d) ? 0 : 1;
}
