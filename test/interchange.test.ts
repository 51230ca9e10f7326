/**
 * Interchange (issue 6): FHIR ConceptMap R4/R5 and SSSOM round trips, the FHIR output against the
 * official JSON schema and ConceptMap invariants, the SSSOM output against the SSSOM column rules,
 * warnings for what a format cannot hold, and imports that never turn a negative into a match.
 */

import { describe, expect, it } from 'vitest';
import { loadRegistry, type Registry } from '../src/load/registry.js';
import { DirSource, MemorySource } from '../src/load/source.js';
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

/** A crosswalk without what a file format cannot be expected to keep (where it was read from). */
function essence(cw: Crosswalk) {
  const mappings = cw.mappings.map((m) => ({ ...m, loc: undefined })).map((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>);
  mappings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { id: cw.id, from: cw.from, to: cw.to, domain: cw.domain, version: cw.version, description: cw.description, source: cw.source, mappings };
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
  it('gives back the stated mappings; validity dates come back intersected with the codes\' own', () => {
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
    it.each([...CASES.map((c) => [c[0], c[1], c[2], c[3], c[4], false] as const), ['riverton-pd → srs, resolved (chained)', shipped, 'riverton-pd', 'srs', 'offense', true] as const])(
      `fhir-${version}: %s`,
      (_name, index, from, to, domain, resolved) => {
        const out = exportCrosswalk(index, { from, to: [to], domain, format: `fhir-${version}`, resolved });
        const cm = JSON.parse(out.text) as Record<string, unknown>;
        const validate = conceptMapValidator(version);
        expect(validate(cm) ? [] : validate.errors).toEqual([]);
        expect(invariants(cm, version)).toEqual([]);
      },
    );
  }
  it('relation codes come from the official code systems, direction included', () => {
    const r4 = JSON.parse(exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r4' }).text);
    const r5 = JSON.parse(exportCrosswalk(fixtures, { from: 'alpha-pd', to: ['hub'], domain: 'offense', format: 'fhir-r5' }).text);
    const rel = (cm: { group: { element: { code: string; noMap?: boolean; target?: { code?: string; equivalence?: string; relationship?: string }[] }[] }[] }, from: string, to?: string) =>
      cm.group[0]!.element.find((e) => e.code === from)!.target?.filter((t) => t.code === to).map((t) => t.equivalence ?? t.relationship);
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
      [{ attribute: 'report', valueString: 'offense' }, { attribute: 'attempted', valueString: 'C' }, { attribute: 'victim_sex', valueString: 'F' }],
      [{ attribute: 'report', valueString: 'offense' }, { attribute: 'attempted', valueString: 'C' }, { attribute: 'victim_sex', valueString: 'M' }],
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
  const SLOTS = new Set('subject_id subject_label subject_category subject_type subject_source subject_source_version subject_match_field subject_preprocessing predicate_id predicate_label predicate_modifier predicate_type object_id object_label object_category object_type object_source object_source_version object_match_field object_preprocessing mapping_justification author_id author_label reviewer_id reviewer_label creator_id creator_label license mapping_provider mapping_tool mapping_tool_version mapping_date publication_date confidence curation_rule curation_rule_text match_string semantic_similarity_score semantic_similarity_measure see_also issue_tracker_item other comment mapping_cardinality similarity_score similarity_measure'.split(' '));
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
    expect(chained).toMatch(/riverton-pd:0110\t[^\n]*\tskos:broadMatch\t\tsrs:1a\t[^\n]*\tsemapv:MappingChaining\t/);
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
    const text = SSSOM_HEAD + 'a:0600\tskos:exactMatch\tNot\thub:H1\tsemapv:ManualMappingCuration\na:0600\tskos:closeMatch\tNot\thub:H2\tsemapv:ManualMappingCuration\na:0600\tskos:relatedMatch\tNot\thub:H3\tsemapv:ManualMappingCuration\na:0101\tskos:exactMatch\t\thub:H1\tsemapv:ManualMappingCuration\n';
    const r = importCrosswalk(text, 'neg.sssom.tsv', 'sssom');
    expect(r.crosswalk!.mappings.map((m) => [m.from, m.to, m.relation])).toEqual([
      ['0600', 'H2', 'disjoint'],
      ['0600', 'H3', 'disjoint'],
      ['0101', 'H1', 'equivalent'],
    ]);
    expect(r.diagnostics.map((d) => `${d.loc.line} ${d.severity} ${d.message}`)).toEqual([
      '11 warning alpha-pd 0600 → H1: "Not skos:exactMatch" is a negative statement weaker than disjoint (the codes may still share records); xwalk has no such relation and never reads it as a mapping: left out',
    ]);
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
