/**
 * Vocabulary files (YAML, with optional CSV term lists beside them) → Vocabulary.
 *
 * Reads, never guesses: every field is checked and every problem comes back as a diagnostic with
 * file, line and column. A file with errors yields no vocabulary, so nothing half-read is used.
 */

import type { Alias, DesignatorTemplate, Domain, DomainTable, Normalize, SourceLoc, Term, Vocabulary } from '../model/types.js';
import { DEFAULT_NORMALIZE } from '../model/types.js';
import { cell, dateCell, readCsvTable } from '../read/csv.js';
import { parseDesignatorTemplate } from './designator.js';
import { error, type Diagnostic } from '../errors/errors.js';
import { asMap, Fields, readFacts, readReferencedFile, type YMap } from '../read/fields.js';
import { parseFactText } from '../read/values.js';
import { closest } from '../errors/closest.js';
import { normalizeCode } from './normalize.js';
import type { FileSource } from '../read/source.js';
import type { YNode } from '../read/yaml.js';

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const VOCAB_FIELDS = ['id', 'name', 'kind', 'version', 'description', 'source', 'domains'] as const;
const DOMAIN_FIELDS = ['normalize', 'terms', 'file', 'precedence'] as const;
const TERM_FIELDS = ['code', 'label', 'aliases', 'description', 'note', 'certainty', 'valid_from', 'valid_to', 'replaced_by', 'props', 'designators', 'parent', 'facts'] as const;
export const TERM_CSV_COLUMNS = ['code', 'label', 'aliases', 'description', 'note', 'certainty', 'valid_from', 'valid_to', 'replaced_by', 'designators', 'parent', 'facts'] as const;

export function readVocabulary(root: YMap, file: string, files: FileSource, out: Diagnostic[]): Vocabulary | undefined {
  const before = out.length;
  const f = new Fields(root, 'the vocabulary', out);
  const id = f.text('id', { required: true });
  if (id !== undefined && !ID_PATTERN.test(id))
    out.push(
      error(
        'bad-id',
        f.loc('id'),
        `the id "${id}" must be lower-case letters and digits joined by single hyphens`,
        `for example: ${id
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')}`,
      ),
    );
  const name = f.text('name', { required: true });
  const kind = f.oneOf('kind', ['agency', 'standard', 'code-list'] as const, { required: true });
  const version = f.text('version', { required: true });
  const description = f.text('description');
  const source = f.text('source');
  const domainsNode = f.raw('domains');
  const domains = new Map<Domain, DomainTable>();
  const allFiles = [file];
  if (domainsNode === undefined) out.push(error('missing-field', root.loc, 'the vocabulary has no `domains`', 'add domains: { offense: { terms: [...] } }'));
  else if (domainsNode.kind !== 'map') out.push(error('wrong-type', domainsNode.loc, '`domains` must map a domain name (offense, unit, status ...) to its terms'));
  else {
    for (const [domain, { key, value }] of domainsNode.entries) {
      if (!/^[a-z][a-z0-9-]*$/.test(domain)) {
        out.push(error('bad-domain', key, `the domain name "${domain}" must be lower-case (offense, unit, status ...)`));
        continue;
      }
      const table = readDomain(domain, value, file, files, out, allFiles);
      if (table) domains.set(domain, table);
    }
  }
  f.reportUnknown(VOCAB_FIELDS);
  if (out.length > before || id === undefined || name === undefined || kind === undefined || version === undefined) return undefined;
  const v: Vocabulary = { id, name, kind, version, domains, files: allFiles, loc: root.loc };
  if (description !== undefined) v.description = description;
  if (source !== undefined) v.source = source;
  return v;
}

function readDomain(domain: Domain, node: YNode, file: string, files: FileSource, out: Diagnostic[], allFiles: string[]): DomainTable | undefined {
  const map = asMap(node);
  if (!map) {
    out.push(error('wrong-type', node.loc, `domain \`${domain}\` must be a mapping with \`terms\` or \`file\``));
    return undefined;
  }
  const f = new Fields(map, `domain \`${domain}\``, out);
  const normalize = readNormalize(f.raw('normalize'), domain, out);
  const table: DomainTable = { domain, normalize, terms: new Map(), loc: map.loc };
  const add = (t: Term) => {
    const key = normalizeCode(t.code, normalize);
    const prev = table.terms.get(key);
    if (prev) {
      const same = prev.code === t.code ? `"${t.code}"` : `"${t.code}" (the same as "${prev.code}" once normalized)`;
      out.push(error('duplicate-code', t.loc, `the code ${same} is defined twice in domain \`${domain}\`; first at line ${prev.loc.line} of ${prev.loc.file}`, 'keep one term per code; use valid_from/valid_to and replaced_by for codes that changed'));
      return;
    }
    table.terms.set(key, t);
  };
  const termsNode = f.raw('terms');
  if (termsNode !== undefined) {
    if (termsNode.kind !== 'seq') out.push(error('wrong-type', termsNode.loc, `\`terms\` of domain \`${domain}\` must be a list`));
    else
      for (const item of termsNode.items) {
        const t = readTerm(item, domain, out);
        if (t) add(t);
      }
  }
  const csv = readReferencedFile(f, file, files, 'term list');
  if (csv) {
    allFiles.push(csv.path);
    for (const t of readTermCsv(csv.text, csv.path, domain, out)) add(t);
  }
  if (termsNode === undefined && f.text('file') === undefined) out.push(error('missing-field', map.loc, `domain \`${domain}\` has neither \`terms\` nor \`file\``));
  const precedence = f.list('precedence');
  if (precedence.length) {
    const seen = new Set<string>();
    table.precedence = [];
    for (const p of precedence) {
      const key = normalizeCode(p.value, normalize);
      if (!table.terms.has(key)) out.push(error('unknown-code', p.loc, `\`precedence\` of domain \`${domain}\` names "${p.value}", which is not a code of this domain`));
      else if (seen.has(key)) out.push(error('duplicate-code', p.loc, `\`precedence\` of domain \`${domain}\` names "${p.value}" twice`));
      else {
        seen.add(key);
        table.precedence.push(table.terms.get(key)!.code);
      }
    }
  }
  checkParents(table, domain, out);
  f.reportUnknown(DOMAIN_FIELDS);
  return table;
}

/** Every `parent` names a code of the same domain, and no code is its own ancestor. */
function checkParents(table: DomainTable, domain: string, out: Diagnostic[]): void {
  const reported = new Set<string>();
  for (const t of table.terms.values()) {
    if (t.parent === undefined || reported.has(t.code)) continue;
    const parent = table.terms.get(normalizeCode(t.parent, table.normalize));
    if (!parent) {
      out.push(error('unknown-parent', t.loc, `term "${t.code}" has parent "${t.parent}", which is not a code of domain \`${domain}\``, 'a parent is a code of the same vocabulary and domain'));
      continue;
    }
    const seen = new Set([t.code]);
    for (let p: Term | undefined = parent; p; p = p.parent === undefined ? undefined : table.terms.get(normalizeCode(p.parent, table.normalize))) {
      if (seen.has(p.code)) {
        // One error per cycle, at the first of its terms in file order.
        for (const c of seen) reported.add(c);
        out.push(error('parent-cycle', t.loc, `the parent links from term "${t.code}" go round in a cycle (${[...seen].join(' → ')} → ${p.code})`, 'a parent chain must end at a code with no parent'));
        break;
      }
      seen.add(p.code);
    }
  }
}

function readNormalize(node: YNode | undefined, domain: string, out: Diagnostic[]): Normalize {
  if (node === undefined) return DEFAULT_NORMALIZE;
  const map = asMap(node);
  if (!map) {
    out.push(error('wrong-type', node.loc, `\`normalize\` of domain \`${domain}\` must be a mapping, like { case: upper, trim: true, pad: 4 }`));
    return DEFAULT_NORMALIZE;
  }
  const f = new Fields(map, '`normalize`', out);
  const n: Normalize = {
    case: f.oneOf('case', ['upper', 'lower', 'none'] as const) ?? DEFAULT_NORMALIZE.case,
    trim: f.bool('trim') ?? DEFAULT_NORMALIZE.trim,
    pad: f.number('pad', { min: 0, max: 32, integer: true }) ?? 0,
  };
  f.reportUnknown(['case', 'trim', 'pad']);
  return n;
}

function checkInterval(t: { validFrom?: string; validTo?: string }, loc: SourceLoc, what: string, out: Diagnostic[]): void {
  if (t.validFrom && t.validTo && t.validFrom >= t.validTo) out.push(error('bad-interval', loc, `${what} is valid from ${t.validFrom} to ${t.validTo}: the end must come after the start`, 'valid_to is the first day the code is no longer valid'));
}

function readTerm(node: YNode, domain: string, out: Diagnostic[]): Term | undefined {
  const map = asMap(node);
  if (!map) {
    out.push(error('wrong-type', node.loc, `each term of domain \`${domain}\` must be a mapping with at least code and label`));
    return undefined;
  }
  const before = out.length;
  const f = new Fields(map, 'the term', out);
  const code = f.text('code', { required: true, code: true });
  const what = code === undefined ? 'the term' : `term "${code}"`;
  const label = f.text('label', { required: true });
  const term: Term = { code: code ?? '', label: label ?? '', aliases: [], props: new Map(), designators: [], loc: map.loc };
  const aliasesNode = f.raw('aliases');
  if (aliasesNode !== undefined) term.aliases = readAliases(aliasesNode, what, out);
  assignOptional(term, {
    description: f.text('description'),
    note: f.text('note'),
    certainty: f.certainty('certainty'),
    validFrom: f.date('valid_from'),
    validTo: f.date('valid_to'),
    replacedBy: f.text('replaced_by', { literal: true }),
    parent: f.text('parent', { literal: true }),
  });
  const factsNode = f.raw('facts');
  if (factsNode !== undefined) {
    const facts = readFacts(factsNode, what, out);
    if (facts.length) term.facts = facts;
  }
  const props = f.raw('props');
  if (props !== undefined) {
    if (props.kind !== 'map') out.push(error('wrong-type', props.loc, `\`props\` of ${what} must map names to text`));
    else
      for (const [k, { value }] of props.entries) {
        if (value.kind !== 'scalar') out.push(error('wrong-type', value.loc, `prop \`${k}\` of ${what} must be text`));
        else term.props.set(k, value.value);
      }
  }
  for (const d of f.list('designators')) {
    const t = parseDesignatorTemplate(d.value, d.loc);
    if (typeof t === 'string') out.push(error('bad-designator', d.loc, t));
    else term.designators.push(t);
  }
  if (term.designators.length && domain !== 'unit') out.push(error('bad-designator', f.loc('designators'), `designators belong to unit kinds; ${what} is in domain \`${domain}\``));
  checkInterval(term, map.loc, what, out);
  f.reportUnknown(TERM_FIELDS);
  return out.length > before ? undefined : term;
}

function readAliases(node: YNode, what: string, out: Diagnostic[]): Alias[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const aliases: Alias[] = [];
  for (const item of items) {
    if (item.kind === 'scalar') {
      if (item.value.trim()) aliases.push({ text: item.value });
      continue;
    }
    if (item.kind === 'map') {
      const f = new Fields(item, `an alias of ${what}`, out);
      const text = f.text('text', { required: true });
      const a: Alias = { text: text ?? '' };
      assignOptional(a, { validFrom: f.date('valid_from'), validTo: f.date('valid_to') });
      checkInterval(a, item.loc, `an alias of ${what}`, out);
      f.reportUnknown(['text', 'valid_from', 'valid_to']);
      if (text !== undefined) aliases.push(a);
      continue;
    }
    out.push(error('wrong-type', item.loc, `aliases of ${what} must be text or { text, valid_from, valid_to }`));
  }
  return aliases;
}

/** Term lists in CSV: `code,label[,aliases,description,...]`; other columns become props. */
export function readTermCsv(text: string, file: string, domain: string, out: Diagnostic[]): Term[] {
  const { table, diagnostics } = readCsvTable(text, file, ['code', 'label'], null);
  for (const d of diagnostics) out.push(d); // not push(...): a list of 1,000,000 rows may have as many
  if (!table) return [];
  const propColumns: [string, number][] = [];
  table.header.forEach((h, i) => {
    if ((TERM_CSV_COLUMNS as readonly string[]).includes(h)) return;
    const near = closest(h, TERM_CSV_COLUMNS);
    if (near) out.push(error('csv-header', { file, line: 1, col: 0 }, `unknown column "${h}"`, `did you mean "${near}"? (columns xwalk does not know become term props)`));
    else propColumns.push([h, i]);
  });
  const terms: Term[] = [];
  for (const row of table.rows) {
    const get = (k: string): string | undefined => {
      const v = cell(table, row, k);
      return v.trim() === '' ? undefined : v;
    };
    const code = cell(table, row, 'code');
    const before = out.length;
    if (code.trim() === '') out.push(error('empty-code', row.loc, 'this row has an empty code'));
    const label = get('label');
    if (label === undefined) out.push(error('missing-field', row.loc, `term "${code}" has no label`));
    const term: Term = { code, label: label ?? '', aliases: [], props: new Map(), designators: [], loc: row.loc };
    const aliases = get('aliases');
    if (aliases !== undefined)
      term.aliases = aliases
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((text) => ({ text }));
    const date = (k: string) => dateCell(get(k), row.loc, `${k} of term "${code}"`, out);
    const certainty = get('certainty');
    if (certainty !== undefined) {
      if (certainty === 'documented' || certainty === 'inferred' || certainty === 'unverified') term.certainty = certainty;
      else out.push(error('bad-value', row.loc, `certainty of term "${code}" is "${certainty}"; expected documented, inferred or unverified`));
    }
    const description = get('description');
    if (description !== undefined) term.description = description;
    const note = get('note');
    if (note !== undefined) term.note = note;
    const validFrom = date('valid_from');
    if (validFrom !== undefined) term.validFrom = validFrom;
    const validTo = date('valid_to');
    if (validTo !== undefined) term.validTo = validTo;
    const replacedBy = get('replaced_by');
    if (replacedBy !== undefined) term.replacedBy = replacedBy;
    const parent = get('parent');
    if (parent !== undefined) term.parent = parent;
    const facts = get('facts');
    if (facts !== undefined) {
      const r = parseFactText(facts);
      if (typeof r === 'string') out.push(error('bad-fact', row.loc, `facts of term "${code}": ${r}`));
      else if (r.length) term.facts = r;
    }
    const designators = get('designators');
    if (designators !== undefined) {
      for (const d of designators
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean)) {
        const t = parseDesignatorTemplate(d, row.loc);
        if (typeof t === 'string') out.push(error('bad-designator', row.loc, t));
        else term.designators.push(t as DesignatorTemplate);
      }
      if (term.designators.length && domain !== 'unit') out.push(error('bad-designator', row.loc, `designators belong to unit kinds; term "${code}" is in domain \`${domain}\``));
    }
    for (const [h, i] of propColumns) {
      const v = row.values[i];
      if (v !== undefined && v !== '') term.props.set(h, v);
    }
    checkInterval(term, row.loc, `term "${code}"`, out);
    if (out.length === before) terms.push(term);
  }
  return terms;
}

/** Copy the defined values of `values` onto `target` (keeps optional fields truly absent). */
export function assignOptional<T extends object>(target: T, values: Partial<T>): void {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
}
