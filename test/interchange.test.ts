/**
 * Interchange (issue 6): FHIR ConceptMap R4/R5 and SSSOM round trips, the FHIR output against the
 * official JSON schema and ConceptMap invariants, the SSSOM output against the SSSOM column rules,
 * warnings for what a format cannot hold, and imports that never turn a negative into a match.
 */

import { describe, expect, it } from 'vitest';
import { loadRegistry, type Registry } from '../src/load/registry.js';
import { DirSource, MemorySource } from '../src/read/source.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { RegistryIndex } from '../src/indexes/index.js';
import type { Crosswalk } from '../src/model/types.js';
import { exportCrosswalk } from '../src/interchange/export.js';
import { crosswalkYaml, importCrosswalk } from '../src/interchange/import.js';
import { resolveCrosswalk } from '../src/interchange/flat.js';
import { validateRegistry } from '../src/validate/index.js';
import { translateCode } from '../src/translate/translate.js';
import { codeSystem, conceptMapValidator, invariants } from './helpers/fhir-schema.js';

const fixtures = new RegistryIndex(loadRegistry([new DirSource('fixtures/vocab')]));
const shipped = new RegistryIndex(shippedRegistry());

/**
 * Issue 14: the new model through every format: typed condition fields, facts about the target
 * side (product), conditional no-match and conditional disjoint, "not recorded" (`~`).
 */
const TYPED = `id: gamma-pd--hub
from: gamma-pd
to: hub
domain: offense
version: "1"
fields:
  weapon: { values: ["11", "12", "20", "40"], multi: true, description: "Up to three per offense." }
  attempted: { values: ["A", "C"] }
  age: { type: number }
mappings:
  - { from: G-AGG, to: H1, relation: equivalent, when: { weapon: ["11", "12"] }, product: { weapon: "12", attempted: ["A", "C"] } }
  - { from: G-AGG, to: H2, relation: source-narrower, when: { weapon: "40" }, product: { attempted: ["A", "C"], weapon: "40" } }
  - { from: G-AGG, to: H8, relation: source-narrower, when: { weapon: "20" }, product: { weapon: "20" } }
  - { from: G-AGG, relation: no-match, when: { weapon: ["~"] }, note: "No weapon recorded: no line." }
  - { from: G-ASSAULT, to: H3, relation: disjoint, when: { attempted: "A" } }
  - { from: G-SHOP, to: H3, relation: equivalent, when: { age: { ge: 18 }, attempted: ["A", "C"] } }
  - { from: G-SHOP, relation: no-match, when: { attempted: "C", age: { lt: 18 } }, confidence: 0.8, valid_to: "2020-01-01" }
`;
const typed = new RegistryIndex(loadRegistry([new DirSource('fixtures/vocab'), new MemorySource('typed', new Map([['gamma-pd--hub.yaml', TYPED]]))]));
const typedCrosswalk = () => typed.registry.crosswalks.get('gamma-pd--hub')!;
const typedExport = (format: string) => exportCrosswalk(typed, { from: 'gamma-pd', to: ['hub'], domain: 'offense', format });

/** A crosswalk without what a file format cannot be expected to keep (where it was read from). */
function essence(cw: Crosswalk) {
  const mappings = cw.mappings.map((m) => ({ ...m, loc: undefined })).map((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>);
  mappings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  // The condition field declarations, and each mapping's product (facts about its target side), explicitly.
  const fields = cw.fields?.map(({ loc: _loc, ...d }) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);
  const products = cw.mappings
    .filter((m) => m.product?.length)
    .map((m) => `${m.from} → ${m.to ?? '(no match)'}: ${JSON.stringify(m.product)}`)
    .sort();
  return { id: cw.id, from: cw.from, to: cw.to, domain: cw.domain, version: cw.version, description: cw.description, source: cw.source, fields, products, mappings };
}

/** The imported crosswalk, written as YAML and loaded again by xwalk's own loader. */
function reload(cw: Crosswalk): Crosswalk {
  const reg = loadRegistry([new MemorySource('imported', new Map([['imported.yaml', crosswalkYaml(cw)]]))]);
  expect(reg.diagnostics).toEqual([]);
  return reg.crosswalks.get(cw.id)!;
}

const CASES: [string, RegistryIndex, string, string, string][] = [
  ['alpha-pd → hub (conditions, not-in, validity, overlap, disjoint, no-match, NA)', fixtures, 'alpha-pd', 'hub', 'offense'],
  ['beta-so → hub (a CSV mapping list, SKOS names)', fixtures, 'beta-so', 'hub', 'offense'],
  ['riverton-pd → nibrs (shipped: confidence, 9-way conditions)', shipped, 'riverton-pd', 'nibrs', 'offense'],
  ['nibrs → srs (shipped: lists of values, numeric conditions)', shipped, 'nibrs', 'srs', 'offense'],
  ['metro-fire → unit-kinds (codes with spaces)', shipped, 'metro-fire', 'unit-kinds', 'unit'],
  ['apco-ten-codes → plain-status (no-match with notes, related)', shipped, 'apco-ten-codes', 'plain-status', 'status'],
  ['gamma-pd → hub (issue 14: typed fields, products, conditional no-match and disjoint, not recorded)', typed, 'gamma-pd', 'hub', 'offense'],
];

describe('round trip: xwalk → FHIR / SSSOM → xwalk gives back the same crosswalk', () => {
  for (const format of ['fhir-r4', 'fhir-r5', 'sssom'] as const) {
    it.each(CASES)(`${format}: %s`, (_name, index, from, to, domain) => {
      const original = [...index.registry.crosswalks.values()].find((c) => c.from === from && c.to === to && c.domain === domain)!;
      const out = exportCrosswalk(index, { from, to: [to], domain, format });
      const back = importCrosswalk(out.text, `x.${format}`, format);
      expect(back.diagnostics).toEqual([]);
      expect(essence(reload(back.crosswalk!))).toEqual(essence(original));
    });
  }
});

describe('round trip through the flat CSV table', () => {
  it("gives back the stated mappings; validity dates come back intersected with the codes' own", () => {
    const out = exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'csv' });
    const back = reload(importCrosswalk(out.text, 'x.csv', 'csv').crosswalk!);
    const original = fixtures.registry.crosswalks.get('alpha-pd--hub')!;
    const strip = (cw: Crosswalk) => essence({ ...cw, version: '', mappings: cw.mappings.map((m) => ({ ...m, validFrom: undefined, validTo: undefined })) as Crosswalk['mappings'] }).mappings;
    expect(strip(back)).toEqual(strip(original));
    // 0400 is valid 2000-01-01 to 2020-01-01 and so is its mapping's row; 0401 from 2020-01-01.
    expect(back.mappings.find((m) => m.from === '0400')).toMatchObject({ validFrom: '2000-01-01', validTo: '2020-01-01' });
  });
});

describe('FHIR output against the official FHIR JSON schema and ConceptMap invariants', () => {
  for (const version of ['r4', 'r5'] as const) {
    it.each([...CASES.map((c) => [c[0], c[1], c[2], c[3], c[4], false] as const), ['riverton-pd → srs, resolved (chained)', shipped, 'riverton-pd', 'srs', 'offense', true] as const])(`fhir-${version}: %s`, (_name, index, from, to, domain, resolved) => {
      const out = exportCrosswalk(index, { from, to: [to], domain, format: `fhir-${version}`, resolved });
      const cm = JSON.parse(out.text) as Record<string, unknown>;
      const validate = conceptMapValidator(version);
      expect(validate(cm) ? [] : validate.errors).toEqual([]);
      expect(invariants(cm, version)).toEqual([]);
    });
  }
  it('relation codes come from the official code systems, direction included', () => {
    const r4 = JSON.parse(exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r4' }).text);
    const r5 = JSON.parse(exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r5' }).text);
    const rel = (cm: { group: { element: { code: string; noMap?: boolean; target?: { code?: string; equivalence?: string; relationship?: string }[] }[] }[] }, from: string, to?: string) =>
      cm.group[0]!.element.find((e) => e.code === from)!
        .target?.filter((t) => t.code === to)
        .map((t) => t.equivalence ?? t.relationship);
    // 0500 ⊂ H1: the target is wider (R4), the source is narrower (R5).
    expect(rel(r4, '0500', 'H1')).toEqual(['wider']);
    expect(rel(r5, '0500', 'H1')).toEqual(['source-is-narrower-than-target']);
    expect(rel(r4, '0200', 'H3')).toEqual(['narrower']);
    expect(rel(r5, '0200', 'H3')).toEqual(['source-is-broader-than-target']);
    expect(rel(r4, '0600', 'H1')).toEqual(['disjoint']);
    expect(rel(r5, '0600', 'H1')).toEqual(['not-related-to']);
    expect(rel(r4, '0999', undefined)).toEqual(['unmatched']);
    expect(r5.group[0].element.find((e: { code: string }) => e.code === '0999')).toMatchObject({ noMap: true });
    expect(codeSystem('r4').has('wider') && codeSystem('r5').has('source-is-narrower-than-target')).toBe(true);
  });
  it('conditions are dependsOn; a list of values is one target per value', () => {
    const cm = JSON.parse(exportCrosswalk(shipped, { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'fhir-r5' }).text);
    const a11 = cm.group[0].element.find((e: { code: string }) => e.code === '11A').target.filter((t: { code: string }) => t.code === '2a');
    expect(a11.map((t: { dependsOn: unknown }) => t.dependsOn)).toEqual([
      [
        { attribute: 'report', valueString: 'offense' },
        { attribute: 'attempted', valueString: 'C' },
        { attribute: 'victim_sex', valueString: 'F' },
      ],
      [
        { attribute: 'report', valueString: 'offense' },
        { attribute: 'attempted', valueString: 'C' },
        { attribute: 'victim_sex', valueString: 'M' },
      ],
    ]);
  });
});

describe('what a format cannot hold is a warning naming the mapping', () => {
  it('SSSOM: each conditional or dated mapping (a condition in SSSOM)', () => {
    const out = exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'sssom' });
    expect(out.warnings.map((w) => w.message)).toEqual([
      'alpha-pd 0200 → H3 (source-broader): SSSOM cannot hold the condition property=shoplifting',
      'alpha-pd 0200 → H4 (source-broader): SSSOM cannot hold the condition location=building',
      'alpha-pd 0200 → H5 (source-broader): SSSOM cannot hold the condition property!=shoplifting; location!=building',
      'alpha-pd 0400 → H6 (equivalent): SSSOM cannot hold the validity … to 2020-01-01',
    ]);
  });
  it('FHIR R5: overlap is written as the weaker related-to and said so; R4 has inexact', () => {
    const r5 = exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r5' });
    expect(r5.warnings.map((w) => w.message)).toContain('alpha-pd 0300 → H4 (overlap): FHIR R5 cannot hold overlap (written as the weaker related-to)');
    const r4 = exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r4' });
    expect(r4.warnings.map((w) => w.message).filter((m) => m.includes('0300'))).toEqual([]);
    expect(r4.warnings.map((w) => w.message)).toContain('alpha-pd 0200 → H5 (source-broader): FHIR R4 cannot hold the condition property!=shoplifting; location!=building (dependsOn says only "field is value")');
  });
  it('FHIR: proposed mappings are left out, with a warning (FHIR cannot say "not reviewed")', () => {
    const reg = loadRegistry([
      new DirSource('fixtures/vocab'),
      new MemorySource('m', new Map([['d.yaml', 'id: gamma-pd--hub\nfrom: gamma-pd\nto: hub\ndomain: offense\nversion: "1"\nmappings:\n  - { from: G-SHOP, to: H3, relation: related, status: proposed, method: "label-similarity 0.5" }\n  - { from: G-AGG, to: H1, relation: equivalent }\n']])),
    ]);
    const out = exportCrosswalk(new RegistryIndex(reg), { from: 'gamma-pd', to: ['hub'], domain: 'offense', format: 'fhir-r4' });
    expect(out.warnings.map((w) => w.message)).toEqual(['gamma-pd G-SHOP → H3 (related) is proposed, not reviewed: left out of the FHIR R4 ConceptMap, which has no way to say so']);
    expect(out.text).not.toContain('G-SHOP');
    const sssom = exportCrosswalk(new RegistryIndex(reg), { from: 'gamma-pd', to: ['hub'], domain: 'offense', format: 'sssom' });
    expect(sssom.text).toMatch(/gamma-pd:G-SHOP\t.*\tskos:relatedMatch\t\thub:H3\t.*\tsemapv:LexicalMatching\t/);
  });
});

describe('SSSOM output against the SSSOM column rules', () => {
  // Mapping slots of the SSSOM schema (mapping-commons/sssom, sssom_schema.yaml) and semapv justifications.
  const SLOTS = new Set(
    'subject_id subject_label subject_category subject_type subject_source subject_source_version subject_match_field subject_preprocessing predicate_id predicate_label predicate_modifier predicate_type object_id object_label object_category object_type object_source object_source_version object_match_field object_preprocessing mapping_justification author_id author_label reviewer_id reviewer_label creator_id creator_label license mapping_provider mapping_tool mapping_tool_version mapping_date publication_date confidence curation_rule curation_rule_text match_string semantic_similarity_score semantic_similarity_measure see_also issue_tracker_item other comment mapping_cardinality similarity_score similarity_measure'.split(
      ' ',
    ),
  );
  const JUSTIFICATIONS = new Set('ManualMappingCuration LogicalReasoning LexicalMatching CompositeMatching UnspecifiedMatching SemanticSimilarityThresholdMatching LexicalSimilarityThresholdMatching MappingChaining MappingReview MappingInversion'.split(' ').map((j) => `semapv:${j}`));
  const SET_SLOTS = new Set('curie_map mapping_set_id mapping_set_version mapping_set_title mapping_set_description license subject_source subject_source_version object_source object_source_version mapping_date comment creator_id mapping_provider see_also other'.split(' '));

  function check(text: string): string[] {
    const problems: string[] = [];
    const lines = text.replace(/\n$/, '').split('\n');
    const meta = lines.filter((l) => l.startsWith('#')).map((l) => l.slice(1));
    const keys = meta.filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
    for (const k of keys) if (!SET_SLOTS.has(k)) problems.push(`unknown metadata slot ${k}`);
    for (const k of ['mapping_set_id', 'license', 'curie_map']) if (!keys.includes(k)) problems.push(`missing ${k}`);
    const prefixes = new Set(meta.filter((l) => /^ {2}[A-Za-z_][\w.-]*:/.test(l)).map((l) => l.trim().split(':')[0]!));
    const body = lines.filter((l) => !l.startsWith('#'));
    const header = body[0]!.split('\t');
    for (const h of header) if (!SLOTS.has(h)) problems.push(`unknown column ${h}`);
    for (const k of ['subject_id', 'predicate_id', 'object_id', 'mapping_justification']) if (!header.includes(k)) problems.push(`missing column ${k}`);
    for (const [i, line] of body.slice(1).entries()) {
      const cells = line.split('\t');
      if (cells.length !== header.length) problems.push(`row ${i + 1}: ${cells.length} cells`);
      const get = (k: string) => cells[header.indexOf(k)] ?? '';
      for (const k of ['subject_id', 'predicate_id', 'object_id', 'mapping_justification']) if (!get(k)) problems.push(`row ${i + 1}: empty ${k}`);
      for (const k of ['subject_id', 'predicate_id', 'object_id', 'mapping_justification']) {
        const m = /^([A-Za-z_][\w.-]*):(\S+)$/.exec(get(k));
        if (!m || !prefixes.has(m[1]!)) problems.push(`row ${i + 1}: ${k} "${get(k)}" is not a CURIE with a declared prefix`);
      }
      if (get('predicate_modifier') && get('predicate_modifier') !== 'Not') problems.push(`row ${i + 1}: predicate_modifier ${get('predicate_modifier')}`);
      if (!JUSTIFICATIONS.has(get('mapping_justification'))) problems.push(`row ${i + 1}: justification ${get('mapping_justification')}`);
      const c = get('confidence');
      if (c && !(Number(c) >= 0 && Number(c) <= 1)) problems.push(`row ${i + 1}: confidence ${c}`);
      if (/[\r]/.test(line)) problems.push(`row ${i + 1}: CR`);
    }
    return problems;
  }

  it.each([...CASES.map((c) => [c[0], c[1], c[2], c[3], c[4], false] as const), ['riverton-pd → srs, resolved (chained)', shipped, 'riverton-pd', 'srs', 'offense', true] as const])('%s', (_n, index, from, to, domain, resolved) => {
    expect(check(exportCrosswalk(index, { from, to: [to], domain, format: 'sssom', resolved }).text)).toEqual([]);
  });

  it('chained results are semapv:MappingChaining, inverted ones semapv:MappingInversion', () => {
    const chained = exportCrosswalk(shipped, { from: 'riverton-pd', to: ['srs'], domain: 'offense', format: 'sssom' }).text;
    // 0110 ⊂ 09A, and 09A restricted to report=offense = 1a: the chain states 0110|report=offense ⊂ 1a
    // (source-narrower, kept in `other`). Of 0110 as a whole that gives only overlap (its arrest and
    // SHR records are not 1a), so the predicate is closeMatch; broadMatch would claim all of 0110 is 1a.
    expect(chained).toMatch(/riverton-pd:0110\t[^\n]*\tskos:closeMatch\t\tsrs:1a\t[^\n]*\tsemapv:MappingChaining\t[^\n]*\txwalk_when=report%3Doffense\|xwalk_relation=source-narrower\n/);
    expect(chained).not.toMatch(/riverton-pd:0110\t[^\n]*\tskos:(broadMatch|exactMatch)\t\tsrs:1a\t/);
    const inverted = exportCrosswalk(fixtures, { from: 'gamma-pd', to: ['hub'], domain: 'offense', format: 'sssom' }).text;
    // hub H1 ⊂ G-ASSAULT read backwards: G-ASSAULT ⊃ H1.
    expect(inverted).toMatch(/gamma-pd:G-ASSAULT\t[^\n]*\tskos:narrowMatch\t\thub:H1\t[^\n]*\tsemapv:MappingInversion\t0\.9\t/);
    // Read back, derived mappings are proposals: never used to translate until someone reviews them.
    const back = importCrosswalk(inverted, 'inv.sssom.tsv', 'sssom').crosswalk!;
    expect(back.mappings.every((m) => m.status === 'proposed')).toBe(true);
  });
});

const SSSOM_HEAD = `#curie_map:
#  a: "urn:xwalk:vocabulary:alpha-pd:offense:"
#  hub: "urn:xwalk:vocabulary:hub:offense:"
#  skos: "http://www.w3.org/2004/02/skos/core#"
#  semapv: "https://w3id.org/semapv/vocab/"
#mapping_set_id: "https://example.org/negated"
#license: "https://creativecommons.org/publicdomain/zero/1.0/"
#subject_source: "urn:xwalk:vocabulary:alpha-pd:offense"
#object_source: "urn:xwalk:vocabulary:hub:offense"
subject_id\tpredicate_id\tpredicate_modifier\tobject_id\tmapping_justification
`;

describe('issue 6: a negated SSSOM row is never imported as a match', () => {
  it('Not exactMatch is left out with a warning; Not closeMatch/relatedMatch is disjoint', () => {
    const text =
      SSSOM_HEAD + 'a:0600\tskos:exactMatch\tNot\thub:H1\tsemapv:ManualMappingCuration\na:0600\tskos:closeMatch\tNot\thub:H2\tsemapv:ManualMappingCuration\na:0600\tskos:relatedMatch\tNot\thub:H3\tsemapv:ManualMappingCuration\na:0101\tskos:exactMatch\t\thub:H1\tsemapv:ManualMappingCuration\n';
    const r = importCrosswalk(text, 'neg.sssom.tsv', 'sssom');
    expect(r.crosswalk!.mappings.map((m) => [m.from, m.to, m.relation])).toEqual([
      ['0600', 'H2', 'disjoint'],
      ['0600', 'H3', 'disjoint'],
      ['0101', 'H1', 'equivalent'],
    ]);
    expect(r.diagnostics.map((d) => `${d.loc.line} ${d.severity} ${d.message}`)).toEqual(['11 warning alpha-pd 0600 → H1: "Not skos:exactMatch" is a negative statement weaker than disjoint (the codes may still share records); xwalk has no such relation and never reads it as a mapping: left out']);
    // And the crosswalk imported says "not" for 0600: translating it gives no mapping.
    const reg = loadRegistry([new DirSource('fixtures/vocab')]);
    const crosswalks = new Map([...reg.crosswalks].filter(([id]) => id !== 'alpha-pd--hub'));
    crosswalks.set('neg', { ...r.crosswalk!, id: 'neg' });
    const t = translateCode(new RegistryIndex({ ...reg, crosswalks } as Registry), '0600', { from: 'alpha-pd', to: 'hub' });
    expect(t.outcome).toBe('no-mapping');
    expect(t.reason).toBe('only-negative');
  });
  it('NoTermFound with a predicate narrower than "any counterpart" is left out, not a no-match', () => {
    const r = importCrosswalk(SSSOM_HEAD + 'a:0999\tskos:exactMatch\t\tsssom:NoTermFound\tsemapv:ManualMappingCuration\na:NA\tskos:relatedMatch\t\tsssom:NoTermFound\tsemapv:ManualMappingCuration\n', 'n.tsv', 'sssom');
    expect(r.crosswalk!.mappings.map((m) => [m.from, m.relation])).toEqual([['NA', 'no-match']]);
    expect(r.diagnostics).toHaveLength(1);
  });
  it('machine-made rows (not manual curation) come in as proposed', () => {
    const r = importCrosswalk(SSSOM_HEAD + 'a:0101\tskos:exactMatch\t\thub:H1\tsemapv:LexicalMatching\n', 'n.tsv', 'sssom');
    expect(r.crosswalk!.mappings[0]).toMatchObject({ status: 'proposed', method: 'LexicalMatching' });
  });
});

describe('import errors name the file and line and say what to do', () => {
  it('FHIR: an unknown equivalence code', () => {
    const cm = exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r4' }).text.replace('"equivalence": "wider"', '"equivalence": "broader"');
    const r = importCrosswalk(cm, 'cm.json', 'fhir-r4');
    const line = cm.split('\n').findIndex((l) => l.includes('"broader"')) + 1;
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', loc: expect.objectContaining({ file: 'cm.json', line }), message: '"broader" is not a FHIR R4 equivalence code' })]);
  });
  it('FHIR: an R4 file read as R5', () => {
    const cm = exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r4' }).text;
    const r = importCrosswalk(cm, 'cm.json', 'fhir-r5');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', message: 'this target has `equivalence`, an R4 element', hint: 'import it with --format fhir-r4' });
  });
  it('FHIR: malformed JSON', () => {
    const r = importCrosswalk('{\n  "resourceType": "ConceptMap",\n  "group": [\n}\n', 'bad.json', 'fhir-r4');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', loc: expect.objectContaining({ file: 'bad.json', line: 4 }) });
  });
  it('FHIR: code systems that are not xwalk vocabularies need --from/--to/--domain', () => {
    const cm = JSON.stringify({ resourceType: 'ConceptMap', status: 'active', group: [{ source: 'http://example.org/cs/a', target: 'http://example.org/cs/b', element: [{ code: '1', target: [{ code: 'x', equivalence: 'equivalent' }] }] }] }, null, 2);
    expect(importCrosswalk(cm, 'cm.json', 'fhir-r4').diagnostics[0]).toMatchObject({ loc: expect.objectContaining({ line: 5 }), hint: 'name the source vocabulary with --from ID' });
    const r = importCrosswalk(cm, 'cm.json', 'fhir-r4', { from: 'alpha-pd', to: 'hub', domain: 'offense' });
    expect(r.crosswalk!.mappings.map((m) => [m.from, m.to, m.relation])).toEqual([['1', 'x', 'equivalent']]);
  });
  it('SSSOM: a subject outside the subject source', () => {
    const r = importCrosswalk(SSSOM_HEAD + 'hub:H1\tskos:exactMatch\t\thub:H1\tsemapv:ManualMappingCuration\n', 'x.tsv', 'sssom');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', loc: { file: 'x.tsv', line: 11, col: 0 } });
  });
});

describe('the flat table is what translate answers', () => {
  it('one row per target, selected = what convert writes, a row for codes that reach nothing', () => {
    const { rows } = resolveCrosswalk(shipped, { from: 'riverton-pd', to: 'srs', domain: 'offense' });
    const codes = [...shipped.table('riverton-pd', 'offense')!.terms.values()];
    for (const t of codes) {
      const r = translateCode(shipped, t.code, { from: 'riverton-pd', to: 'srs', domain: 'offense' });
      const mine = rows.filter((x) => x.sourceCode === t.code && x.relation !== 'disjoint');
      if (r.outcome === 'mapped' || r.outcome === 'ambiguous') expect(mine.map((x) => x.targetCode)).toEqual(r.candidates.map((c) => c.code));
      else expect(mine.map((x) => [x.targetCode, x.reason])).toEqual([[undefined, r.reason]]);
    }
    expect(rows.some((x) => x.route === 'chained')).toBe(true);
  });
});

describe('imported crosswalks validate', () => {
  it('an SSSOM export of nibrs → srs, imported, passes xwalk validate in place of the original', () => {
    const out = exportCrosswalk(shipped, { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'sssom' });
    const cw = reload(importCrosswalk(out.text, 'x.tsv', 'sssom').crosswalk!);
    const crosswalks = new Map(shipped.registry.crosswalks);
    crosswalks.set('nibrs--srs', cw);
    const report = validateRegistry({ ...shipped.registry, crosswalks });
    expect(report.errors).toEqual([]);
  });
});

describe('issue 14: fields, products and conditional no-match round trip through every format', () => {
  it('the fixture loads as written', () => {
    expect(typed.registry.diagnostics).toEqual([]);
    expect(typedCrosswalk().fields!.map((f) => [f.name, f.type, f.multi])).toEqual([
      ['weapon', 'code', true],
      ['attempted', 'code', false],
      ['age', 'number', false],
    ]);
  });
  it.each(['fhir-r4', 'fhir-r5', 'sssom'] as const)('%s: the same crosswalk comes back (fields, products in order, conditional no-match and disjoint)', (format) => {
    const back = importCrosswalk(typedExport(format).text, `x.${format}`, format);
    expect(back.diagnostics).toEqual([]);
    const reloaded = reload(back.crosswalk!);
    expect(essence(reloaded)).toEqual(essence(typedCrosswalk()));
    expect(reloaded.mappings.filter((m) => m.relation === 'no-match').map((m) => [m.from, conditionsOf(m.when)])).toEqual([
      ['G-AGG', 'weapon=~'],
      ['G-SHOP', 'attempted=C; age<18'],
    ]);
  });
  it('fhir-r4: a conditional no-match is an `unmatched` target with dependsOn; what dependsOn cannot say is the xwalk condition extension', () => {
    const out = typedExport('fhir-r4');
    const cm = JSON.parse(out.text);
    const el = (code: string) => cm.group[0].element.find((e: { code: string }) => e.code === code);
    expect(el('G-SHOP').target.find((t: { equivalence: string }) => t.equivalence === 'unmatched')).toEqual({
      extension: [
        { url: 'urn:xwalk:fhir:when', valueString: 'attempted=C; age<18' },
        { url: 'urn:xwalk:fhir:confidence', valueDecimal: 0.8 },
        { url: 'urn:xwalk:fhir:valid-to', valueDate: '2020-01-01' },
      ],
      equivalence: 'unmatched',
      dependsOn: [{ property: 'urn:xwalk:field:attempted', value: 'C' }],
    });
    // The extension holds the whole condition in its order (dependsOn repeats what it can say), so
    // import gives back `age >= 18` before `attempted`; "not recorded" is no value dependsOn could
    // name: that condition is only in the extension, and said so.
    expect(
      el('G-SHOP')
        .target.filter((t: { code?: string }) => t.code === 'H3')
        .map((t: { extension: unknown; dependsOn: unknown }) => [t.extension, t.dependsOn]),
    ).toEqual(['A', 'C'].map((v) => [[{ url: 'urn:xwalk:fhir:when', valueString: 'age>=18; attempted=A|C' }], [{ property: 'urn:xwalk:field:attempted', value: v }]]));
    expect(el('G-AGG').target.find((t: { equivalence: string }) => t.equivalence === 'unmatched')).toMatchObject({ extension: [{ url: 'urn:xwalk:fhir:when', valueString: 'weapon=~' }], comment: 'No weapon recorded: no line.' });
    expect(out.warnings.map((w) => w.message)).toContain('gamma-pd G-AGG → (no match) (no-match): FHIR R4 cannot hold the condition weapon=~ (dependsOn says only "field is value", never "not recorded")');
    expect(out.warnings.map((w) => w.message)).toContain('gamma-pd G-SHOP → (no match) (no-match): FHIR R4 cannot hold the condition age<18 (dependsOn says only "field is value"); confidence 0.8; the validity … to 2020-01-01');
  });
  it('fhir-r5: noMap cannot carry a condition: the element gets the xwalk no-match extension instead, and a warning names the mapping', () => {
    const out = typedExport('fhir-r5');
    const cm = JSON.parse(out.text);
    const el = cm.group[0].element.find((e: { code: string }) => e.code === 'G-SHOP');
    expect(el.noMap).toBeUndefined();
    expect(el.extension).toEqual([
      {
        url: 'urn:xwalk:fhir:no-match',
        extension: [
          { url: 'when', valueString: 'attempted=C; age<18' },
          { url: 'confidence', valueDecimal: 0.8 },
          { url: 'valid-to', valueDate: '2020-01-01' },
        ],
      },
    ]);
    expect(out.warnings.map((w) => w.message)).toContain('gamma-pd G-SHOP → (no match) (no-match): FHIR R5 cannot hold a no-match under a condition (when attempted=C; age<18): noMap speaks for the whole code; confidence 0.8; the validity … to 2020-01-01');
    expect(out.warnings.find((w) => w.message.startsWith('gamma-pd G-AGG → (no match)'))).toMatchObject({
      message: 'gamma-pd G-AGG → (no match) (no-match): FHIR R5 cannot hold a no-match under a condition (when weapon=~): noMap speaks for the whole code',
      hint: 'kept in the urn:xwalk:fhir:no-match extension, which other FHIR tools ignore',
    });
  });
  it('FHIR: product is `product` where each fact has one value; a fact with several values puts the whole product, in order, in the xwalk extension', () => {
    for (const version of ['r4', 'r5'] as const) {
      const out = typedExport(`fhir-${version}`);
      const cm = JSON.parse(out.text);
      const targets = cm.group[0].element.find((e: { code: string }) => e.code === 'G-AGG').target;
      const h2 = targets.find((t: { code: string }) => t.code === 'H2');
      expect(h2.extension).toEqual([{ url: 'urn:xwalk:fhir:product', valueString: 'attempted=A|C; weapon=40' }]);
      expect(h2.product).toEqual([version === 'r4' ? { property: 'urn:xwalk:field:weapon', value: '40' } : { attribute: 'weapon', valueString: '40' }]);
      expect(targets.find((t: { code: string }) => t.code === 'H8')).not.toHaveProperty('extension');
      expect(out.warnings.map((w) => w.message)).toContain(`gamma-pd G-AGG → H2 (source-narrower): FHIR ${version.toUpperCase()} cannot hold the product attempted=A|C (product says only "field is value")`);
    }
  });
  it('FHIR: the field declarations are a ConceptMap extension (JSON, without locations), and a warning says other tools ignore it', () => {
    for (const version of ['r4', 'r5'] as const) {
      const out = typedExport(`fhir-${version}`);
      const cm = JSON.parse(out.text);
      const ext = cm.extension.find((e: { url: string }) => e.url === 'urn:xwalk:fhir:fields');
      expect(JSON.parse(ext.valueString)).toEqual({ weapon: { values: ['11', '12', '20', '40'], multi: true, description: 'Up to three per offense.' }, attempted: { values: ['A', 'C'] }, age: { type: 'number' } });
      expect(out.warnings.map((w) => w.message)).toContain(`gamma-pd → hub (offense): FHIR ${version.toUpperCase()} cannot hold the declarations of the condition fields weapon, attempted, age (their code lists and how many values a record has)`);
    }
  });
  it('fhir-r5: an unconditional no-match beside targets of the same code (cmd-4) goes to the extension too', () => {
    const yaml = 'id: gamma-pd--hub\nfrom: gamma-pd\nto: hub\ndomain: offense\nversion: "1"\nmappings:\n  - { from: G-AGG, relation: no-match, valid_to: "2013-01-01", note: "none before 2013" }\n  - { from: G-AGG, to: H1, relation: equivalent, valid_from: "2013-01-01" }\n';
    const index = new RegistryIndex(loadRegistry([new DirSource('fixtures/vocab'), new MemorySource('m', new Map([['c.yaml', yaml]]))]));
    const out = exportCrosswalk(index, { from: 'gamma-pd', to: ['hub'], domain: 'offense', format: 'fhir-r5' });
    const cm = JSON.parse(out.text);
    expect(invariants(cm, 'r5')).toEqual([]);
    expect(out.warnings.map((w) => w.message)).toContain('gamma-pd G-AGG → (no match) (no-match): FHIR R5 cannot hold a no-match beside other statements of the code: noMap excludes targets; the validity … to 2013-01-01');
    const back = importCrosswalk(out.text, 'x.json', 'fhir-r5');
    expect(essence(reload(back.crosswalk!))).toEqual(essence(index.registry.crosswalks.get('gamma-pd--hub')!));
  });
  it('SSSOM: a conditional no-match says of the whole code only "no broader match found"; a conditional disjoint only "Not broadMatch"', () => {
    const out = typedExport('sssom');
    const row = (subject: string, object: string) =>
      out.text
        .split('\n')
        .filter((l) => l.startsWith(`gamma-pd:${subject}\t`) && l.split('\t')[4] === object)
        .map((l) => l.split('\t'));
    const [shop] = row('G-SHOP', 'sssom:NoTermFound');
    expect([shop![2], shop![3], shop![10]]).toEqual(['skos:broadMatch', '', 'xwalk_when=attempted%3DC%3B%20age%3C18|xwalk_valid_to=2020-01-01']);
    const [disjoint] = row('G-ASSAULT', 'hub:H3');
    expect([disjoint![2], disjoint![3], disjoint![10]]).toEqual(['skos:broadMatch', 'Not', 'xwalk_when=attempted%3DA|xwalk_relation=disjoint']);
    const [h1] = row('G-AGG', 'hub:H1');
    expect([h1![2], h1![10]]).toEqual(['skos:narrowMatch', 'xwalk_when=weapon%3D11%7C12|xwalk_relation=equivalent|xwalk_product=weapon%3D12%3B%20attempted%3DA%7CC']);
    expect(out.text).toContain(`#other: "xwalk_fields=${encodeURIComponent(fieldJson())}"\n`);
    expect(out.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        'gamma-pd → hub (offense): SSSOM cannot hold the declarations of the condition fields weapon, attempted, age',
        "gamma-pd G-SHOP → (no match) (no-match): SSSOM cannot hold the condition attempted=C; age<18 (written as the whole code's no broader match found, not no-match); the validity … to 2020-01-01",
        "gamma-pd G-ASSAULT → H3 (disjoint): SSSOM cannot hold the condition attempted=A (written as the whole code's Not broadMatch, not disjoint)",
        "gamma-pd G-AGG → H1 (equivalent): SSSOM cannot hold the condition weapon=11|12 (written as the whole code's source-broader, not equivalent); the product weapon=12; attempted=A|C",
      ]),
    );
    // Without xwalk's `other`, a tool reads only what holds of the whole codes: no no-match or
    // disjoint of a whole code, and G-SHOP ≥ 18 = H3 as G-SHOP ⊃ H3.
    const bare = out.text.replace(/\txwalk_when=[^\n]*/g, '\t');
    const r = importCrosswalk(bare, 'bare.sssom.tsv', 'sssom');
    expect(r.crosswalk!.mappings.filter((m) => m.from === 'G-SHOP' || m.from === 'G-ASSAULT').map((m) => [m.from, m.to, m.relation, m.when])).toEqual([['G-SHOP', 'H3', 'source-broader', []]]);
    expect(r.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('G-SHOP → (no match): "skos:broadMatch sssom:NoTermFound" says only that no such match was found'), expect.stringContaining('G-ASSAULT → H3: "Not skos:broadMatch" is a negative statement weaker than disjoint')]),
    );
  });
  it('SSSOM: 13A → 4a when the weapon is a firearm (equivalent) is skos:narrowMatch of 13A as a whole, never exactMatch; read back as equivalent', () => {
    const text = exportCrosswalk(shipped, { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'sssom' }).text;
    // In xwalk source-broader (S ⊃ T) is skos:narrowMatch: the target 4a is narrower than all of 13A.
    const line = text
      .split('\n')
      .find((l) => l.startsWith('nibrs:13A\t') && l.split('\t')[4] === 'srs:4a')!
      .split('\t');
    expect(line[2]).toBe('skos:narrowMatch');
    expect(line[10]).toBe('xwalk_when=report%3Doffense%3B%20weapon%3DFIREARM|xwalk_relation=equivalent');
    expect(text).not.toMatch(/^nibrs:13A\t[^\n]*\tskos:exactMatch\t/m);
    const back = importCrosswalk(text, 'x.tsv', 'sssom').crosswalk!;
    expect(back.mappings.find((m) => m.from === '13A' && m.to === '4a')).toMatchObject({
      relation: 'equivalent',
      when: [
        { field: 'report', op: 'in', values: ['offense'] },
        { field: 'weapon', op: 'in', values: ['FIREARM'] },
      ],
    });
  });
  it('SSSOM: an xwalk_relation that the predicate contradicts is an error, not a guess', () => {
    const text = exportCrosswalk(shipped, { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'sssom' }).text;
    const edited = text.replace(/^(nibrs:13A\t[^\t]*\t)skos:narrowMatch(\t\tsrs:4a\t)/m, '$1skos:exactMatch$2');
    expect(edited).not.toBe(text);
    const r = importCrosswalk(edited, 'x.tsv', 'sssom');
    expect(r.crosswalk).toBeUndefined();
    expect(r.diagnostics.at(-1)).toMatchObject({ severity: 'error', message: 'xwalk_relation equivalent in `other` does not agree with the predicate skos:exactMatch: under a condition, equivalent says skos:narrowMatch of the whole code' });
  });
  it("field declarations read back pass the crosswalk reader's own rules (a refused declaration is an import error at the carrier)", () => {
    const bad = JSON.stringify({ weapon: { type: 'text', vocabulary: 'nibrs-elements' } });
    const r4 = JSON.parse(typedExport('fhir-r4').text);
    r4.extension.find((e: { url: string }) => e.url === 'urn:xwalk:fhir:fields').valueString = bad;
    const text = JSON.stringify(r4, null, 2);
    const r = importCrosswalk(text, 'cm.json', 'fhir-r4');
    expect(r.crosswalk).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', rule: 'bad-field', loc: expect.objectContaining({ file: 'cm.json', line: text.split('\n').findIndex((l) => l.includes('"valueString": "{')) + 1 }) })]);
    expect(r.diagnostics[0]!.message).toMatch(/^the xwalk fields extension: field `weapon` is of type text/);
    const sssom = typedExport('sssom').text.replace(/^#other: "[^"]*"$/m, `#other: "xwalk_fields=${encodeURIComponent(JSON.stringify({ 'bad name': {} }))}"`);
    const s = importCrosswalk(sssom, 'x.tsv', 'sssom');
    expect(s.crosswalk).toBeUndefined();
    expect(s.diagnostics[0]).toMatchObject({ severity: 'error', rule: 'bad-field', message: 'xwalk_fields in the metadata `other`: the field name "bad name" must start with a letter and hold letters, digits, _ . -' });
    const notJson = importCrosswalk(typedExport('sssom').text.replace(/^#other: "[^"]*"$/m, '#other: "xwalk_fields=%5B1%5D"'), 'x.tsv', 'sssom');
    expect(notJson.diagnostics[0]).toMatchObject({ severity: 'error', message: 'xwalk_fields in the metadata `other` is not a JSON object of field declarations' });
  });
  it('crosswalkYaml writes fields and products the loader reads back', () => {
    const yaml = crosswalkYaml(typedCrosswalk());
    expect(yaml).toContain('fields:\n  weapon: { values: ["11", "12", "20", "40"], multi: true, description: "Up to three per offense." }\n  attempted: { values: ["A", "C"] }\n  age: { type: "number" }\n');
    expect(yaml).toContain('product: { weapon: "12", attempted: ["A", "C"] }');
    expect(essence(reload(typedCrosswalk()))).toEqual(essence(typedCrosswalk()));
  });
});

function conditionsOf(when: Crosswalk['mappings'][number]['when']): string {
  return when.map((c) => ('values' in c ? `${c.field}${c.op === 'in' ? '=' : '!='}${c.values.join('|')}` : `${c.field}${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[c.op]}${c.value}`)).join('; ');
}

function fieldJson(): string {
  return JSON.stringify({ weapon: { values: ['11', '12', '20', '40'], multi: true, description: 'Up to three per offense.' }, attempted: { values: ['A', 'C'] }, age: { type: 'number' } });
}

describe('issue 14: the flat table carries the relation under the condition and the conditional no-match', () => {
  it('nibrs → srs as CSV and back: 13A → 4a is equivalent when the weapon is a firearm (relation_when), 11A completed with victim sex U is a no-match', () => {
    const out = exportCrosswalk(shipped, { from: 'nibrs', to: ['srs'], domain: 'offense', format: 'csv' });
    const rows = out.text.split('\n');
    // The conditional no-match is a row of its own: no target, reason explicit-no-match, the condition, never selected.
    expect(rows.filter((l) => l.startsWith('nibrs,srs,offense,11A,') && l.includes('explicit-no-match'))).toEqual([expect.stringMatching(/^nibrs,srs,offense,11A,11A,Rape,ambiguous,explicit-no-match,,0,,,,,,,,report=offense; attempted=C; victim_sex=U,/)]);
    const original = shipped.registry.crosswalks.get('nibrs--srs')!;
    const back = reload(importCrosswalk(out.text, 'x.csv', 'csv').crosswalk!);
    const pick = (cw: Crosswalk) =>
      cw.mappings
        .filter((m) => (m.from === '13A' && m.to === '4a') || (m.from.startsWith('11') && m.relation === 'no-match'))
        .map((m) => [m.from, m.to, m.relation, m.when, m.note])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(pick(back)).toEqual(pick(original));
    expect(pick(back)).toContainEqual([
      '13A',
      '4a',
      'equivalent',
      [
        { field: 'report', op: 'in', values: ['offense'] },
        { field: 'weapon', op: 'in', values: ['FIREARM'] },
      ],
      'Conversion rule: weapon 11-15 or 11A-15A.',
    ]);
  });
});
