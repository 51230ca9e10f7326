/**
 * The shipped vocabularies (vocabularies/, written by scripts/generate-vocabularies.ts) load
 * without errors and hold the facts of ../shared/reference as designed.
 */

import { describe, it, expect } from 'vitest';
import { loadRegistry } from '../src/load/registry.js';
import { DirSource } from '../src/read/source.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { translateCode } from '../src/translate/translate.js';
import { lookupIndex, searchTerms } from '../src/lookup/lookup.js';

const registry = loadRegistry([new DirSource('vocabularies')]);
const index = new RegistryIndex(registry);

function vocab(id: string) {
  const v = registry.vocabularies.get(id);
  if (!v) throw new Error(`vocabulary ${id} is not loaded`);
  return v;
}

function term(id: string, domain: string, code: string) {
  const t = index.term(id, domain, code);
  if (!t) throw new Error(`${id} has no ${domain} code ${code}`);
  return t;
}

describe('shipped vocabularies load', () => {
  it('has no error diagnostics', () => {
    const errors = registry.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.loc.file}:${d.loc.line} ${d.message}`)).toEqual([]);
  });

  it('loads every vocabulary and crosswalk', () => {
    expect([...registry.vocabularies.keys()].sort()).toEqual(
      ['apco-ten-codes', 'bayview-pd', 'county-fire', 'designator-conventions', 'harbor-county-so', 'metro-fire', 'neris-unit-types', 'nfirs-apparatus', 'nibrs', 'nibrs-category', 'nibrs-elements', 'plain-status', 'riverton-pd', 'srs', 'unit-kinds'].sort(),
    );
    for (const id of [
      'nibrs--srs',
      'apco-ten-codes--plain-status',
      'riverton-pd--nibrs',
      'riverton-pd--plain-status',
      'riverton-pd--unit-kinds',
      'harbor-county-so--nibrs',
      'harbor-county-so--plain-status',
      'metro-fire--unit-kinds',
      'metro-fire--plain-status',
      'county-fire--unit-kinds',
      'county-fire--plain-status',
      'bayview-pd--nibrs',
      'neris-unit-types--unit-kinds',
      'nfirs-apparatus--unit-kinds',
      'designator-conventions--unit-kinds',
    ]) {
      expect(registry.crosswalks.has(id), id).toBe(true);
    }
  });

  it('every crosswalk names codes that exist on both sides', () => {
    const missing: string[] = [];
    for (const cw of registry.crosswalks.values()) {
      for (const m of cw.mappings) {
        if (!index.term(cw.from, cw.domain, m.from)) missing.push(`${cw.id}: from ${m.from}`);
        if (m.to !== undefined && !index.term(cw.to, cw.domain, m.to)) missing.push(`${cw.id}: to ${m.to}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('nibrs', () => {
  const offense = vocab('nibrs').domains.get('offense')!;

  it('holds all 85 codes of the reference (71 Group A, 13 Group B, retired 90I)', () => {
    expect(offense.terms.size).toBe(85);
    const groups = [...offense.terms.values()].map((t) => t.props.get('group'));
    expect(groups.filter((g) => g === 'A')).toHaveLength(71);
    expect(groups.filter((g) => g === 'B')).toHaveLength(13);
  });

  it('has the official names and props', () => {
    expect(term('nibrs', 'offense', '09A').label).toBe('Murder and Nonnegligent Manslaughter');
    expect(term('nibrs', 'offense', '09A').aliases.map((a) => a.text)).toContain('Murder and Non-negligent Manslaughter');
    expect(term('nibrs', 'offense', '520').aliases.map((a) => a.text)).toContain('Weapons Law Violations');
    const t = term('nibrs', 'offense', '13A');
    expect(t.label).toBe('Aggravated Assault');
    expect(t.props.get('crime_against')).toBe('Person');
    expect(t.props.get('category')).toBe('Assault Offenses');
  });

  it('keeps the pre-2013 name of 11A as a dated alias', () => {
    const t = term('nibrs', 'offense', '11A');
    expect(t.label).toBe('Rape');
    expect(t.aliases).toContainEqual({ text: 'Forcible Rape', validTo: '2013-01-01' });
  });

  it('dates retired and added codes, marking inferred facts', () => {
    const t90i = term('nibrs', 'offense', '90I');
    expect(t90i.validTo).toBe('2019-01-01');
    expect(t90i.props.get('status')).toBe('retired');
    for (const code of ['90A', '90E', '90H']) {
      const t = term('nibrs', 'offense', code);
      expect(t.validTo).toBe('2021-01-01');
      expect(t.certainty).toBe('inferred');
    }
    expect(term('nibrs', 'offense', '64A').validFrom).toBe('2013-01-01');
    expect(term('nibrs', 'offense', '360').certainty).toBe('unverified');
    expect(term('nibrs', 'offense', '90F').props.get('crime_against_alt')).toMatch(/Society/);
  });
});

describe('srs and nibrs--srs', () => {
  const cw = registry.crosswalks.get('nibrs--srs')!;

  it('splits 90B by arrestee age: vagrancy 18 and over, curfew under 18', () => {
    const m90b = cw.mappings.filter((m) => m.from === '90B');
    const vagrancy = m90b.find((m) => m.to === 'ASR 25')!;
    const curfew = m90b.find((m) => m.to === 'ASR 28')!;
    expect(term('srs', 'offense', 'ASR 25').label).toBe('Vagrancy');
    expect(term('srs', 'offense', 'ASR 28').label).toBe('Curfew and Loitering Law Violations');
    // The relation is of 90B restricted to the condition: adult 90B arrests are exactly line 25.
    expect(vagrancy.relation).toBe('equivalent');
    expect(vagrancy.when).toContainEqual({ field: 'arrestee_age', op: 'ge', value: 18 });
    expect(curfew.when).toContainEqual({ field: 'arrestee_age', op: 'lt', value: 18 });
  });

  it('translates 90B by the arrestee age', () => {
    const ctx = (age: string) =>
      new Map([
        ['arrestee_age', age],
        ['report', 'arrest'],
      ]);
    expect(translateCode(index, '90B', { from: 'nibrs', to: 'srs', context: ctx('17') }).best?.code).toBe('ASR 28');
    expect(translateCode(index, '90B', { from: 'nibrs', to: 'srs', context: ctx('34') }).best?.code).toBe('ASR 25');
  });

  it('marks the codes the conversion does not cover as no-match, never inventing a line', () => {
    for (const code of ['26F', '26G', '720', '30A', '90M']) {
      const ms = cw.mappings.filter((m) => m.from === code);
      expect(ms, code).toHaveLength(1);
      expect(ms[0]!.relation).toBe('no-match');
      expect(ms[0]!.note).toMatch(/NOT documented/);
    }
  });

  it('splits robbery by weapon', () => {
    const firearm = cw.mappings.find((m) => m.from === '120' && m.to === '3a')!;
    expect(firearm.when).toContainEqual({ field: 'weapon', op: 'in', values: ['FIREARM'] });
    // FIREARM is the group of 11-15 with or without the automatic indicator.
    const space = index.fieldSpace(cw, 'weapon');
    expect([...space.leaves('FIREARM')].sort()).toEqual(['11', '11A', '12', '12A', '13', '13A', '14', '14A', '15', '15A']);
  });
});

describe('NIBRS and SRS facts checked against the FBI sources (issue 14)', () => {
  const cw = registry.crosswalks.get('nibrs--srs')!;
  const to = (from: string, line: string) => cw.mappings.filter((m) => m.from === from && m.to === line);
  it('dates: human trafficking from 2013, animal cruelty from 2016, the revised rape lines from 2013', () => {
    expect(term('nibrs', 'offense', '64A').validFrom).toBe('2013-01-01');
    expect(term('nibrs', 'offense', '64B').validFrom).toBe('2013-01-01');
    expect(term('nibrs', 'offense', '720').validFrom).toBe('2016-01-01');
    expect(term('srs', 'offense', '2a').validFrom).toBe('2013-01-01');
    expect(term('srs', 'offense', '2b').validFrom).toBe('2013-01-01');
  });
  it('crime against Society for 90F and 90H (the technical specification)', () => {
    expect(term('nibrs', 'offense', '90F').props.get('crime_against')).toBe('Society');
    expect(term('nibrs', 'offense', '90H').props.get('crime_against')).toBe('Society');
  });
  it('former names of 11B and 11D, until 2013', () => {
    expect(term('nibrs', 'offense', '11B').aliases).toContainEqual({ text: 'Forcible Sodomy', validTo: '2013-01-01' });
    expect(term('nibrs', 'offense', '11D').aliases).toContainEqual({ text: 'Forcible Fondling', validTo: '2013-01-01' });
  });
  it('keeps the inferred 90A/90E/90H retirement marked inferred', () => {
    for (const c of ['90A', '90E', '90H']) expect(term('nibrs', 'offense', c)).toMatchObject({ validTo: '2021-01-01', certainty: 'inferred' });
  });
  it('has the legacy 2b line and feeds it attempted 11A with a female victim', () => {
    expect(term('srs', 'offense', '2b-legacy').label).toMatch(/Attempts/);
    expect(to('11A', '2b-legacy')[0]!.when).toEqual(
      expect.arrayContaining([
        { field: 'attempted', op: 'in', values: ['A'] },
        { field: 'victim_sex', op: 'in', values: ['F'] },
      ]),
    );
  });
  it('SHR 1a takes 09A and 09C, never 09B', () => {
    expect(to('09A', 'SHR 1a')).toHaveLength(1);
    expect(to('09C', 'SHR 1a')).toHaveLength(1);
    expect(cw.mappings.filter((m) => m.from === '09B' && m.to?.startsWith('SHR'))).toEqual([]);
  });
  it('13B goes to 4e with weapon 40, 90, 95, 99 or none recorded; 13C (no weapon element) always', () => {
    expect(to('13B', '4e')[0]!.when).toContainEqual({ field: 'weapon', op: 'in', values: ['40', '90', '95', '99', '~'] });
    expect(to('13C', '4e')[0]!.when).toEqual([{ field: 'report', op: 'in', values: ['offense'] }]);
  });
  it('parents: 4a-4d under class 4; 4e (simple assault, Part II) under none', () => {
    for (const c of ['4a', '4b', '4c', '4d']) expect(term('srs', 'offense', c).parent).toBe('4');
    expect(term('srs', 'offense', '4e').parent).toBeUndefined();
    expect(term('srs', 'offense', '7c').parent).toBe('7');
  });
  it('every condition of nibrs--srs names a declared field and values its vocabulary knows', () => {
    for (const m of cw.mappings)
      for (const c of m.when) {
        const space = index.fieldSpace(cw, c.field);
        expect(space.decl.type, `${m.from} → ${m.to}: ${c.field}`).not.toBe('text');
        const acc = space.accepted(c);
        if ('unknownValues' in acc) expect(acc.unknownValues, `${m.from} → ${m.to}: ${c.field}`).toEqual([]);
      }
  });
});

describe('status and unit hubs', () => {
  it('has the APCO list 10-0..10-99 and the plain-language hub', () => {
    expect(vocab('apco-ten-codes').domains.get('status')!.terms.size).toBe(100);
    expect(term('apco-ten-codes', 'status', '10-10').label).toBe('Fight in progress');
    expect(term('plain-status', 'status', 'ON_SCENE').label).toBe('On scene');
  });

  it('marks NFIRS numeric codes unverified', () => {
    const nfirs = vocab('nfirs-apparatus').domains.get('unit')!;
    expect([...nfirs.terms.values()].every((t) => t.certainty === 'unverified')).toBe(true);
  });
});

describe('issue 16: dispatch vocabularies', () => {
  it('flags no no-match whose label a term of the target vocabulary reads the same (NERIS DOZER, CREW, AIR_TANKER ...)', () => {
    const flagged: string[] = [];
    for (const cw of registry.crosswalks.values()) {
      const search = lookupIndex(index, { in: [cw.to], domain: cw.domain });
      for (const m of cw.mappings) {
        // A no-match under a condition says only that the restricted part has no counterpart.
        if (m.relation !== 'no-match' || m.when.length) continue;
        const label = index.term(cw.from, cw.domain, m.from)!.label;
        const best = searchTerms(search, label, { limit: 1 })[0];
        if (best && best.score >= 0.8) flagged.push(`${cw.id}: ${m.from} "${label}" reads as ${best.code} "${best.label}" (${best.score})`);
      }
    }
    expect(flagged).toEqual([]);
  });
  it('maps the NERIS types the hub has to their kind', () => {
    for (const [neris, hub] of [
      ['DOZER', 'DOZER'],
      ['CREW', 'CREW'],
      ['AIR_TANKER', 'AIR_TANKER'],
      ['SCBA', 'SCBA_SUPPORT'],
      ['AIR_LIGHT', 'LIGHT_AIR'],
      ['MOBILE_ICP', 'COMMAND_POST'],
    ]) {
      expect(translateCode(index, neris!, { from: 'neris-unit-types', to: 'unit-kinds', domain: 'unit' }).best?.code, neris).toBe(hub);
    }
  });
  it('keeps NWCG types and their sources as props of the unit kinds, with the typing names as aliases', () => {
    const brush = term('unit-kinds', 'unit', 'BRUSH');
    expect(brush.props.get('nwcg_types')).toMatch(/Engine type 3; Engine type 4; Engine type 5; Engine type 6; Engine type 7/);
    expect(brush.props.get('nwcg_source')).toMatch(/nwcg\.gov/);
    expect(term('unit-kinds', 'unit', 'AIR_TANKER').aliases.map((a) => a.text)).toEqual(expect.arrayContaining(['Airtanker', 'SEAT', 'Single engine airtanker', 'VLAT']));
    expect(term('unit-kinds', 'unit', 'DOZER').props.get('nwcg_types')).toMatch(/Dozer type 4 \(light\) \[inferred\]/);
  });
  it('gives every convention and CAD status form its source, and marks inferred meanings', () => {
    for (const t of vocab('designator-conventions').domains.get('unit')!.terms.values()) expect(t.props.get('templates_source'), t.code).toMatch(/\S/);
    expect(term('designator-conventions', 'unit', 'TRUCK').note).toMatch(/T\{n\} is also read as TENDER/);
    const hospital = term('plain-status', 'status', 'AT_HOSPITAL');
    expect(hospital.aliases.map((a) => a.text)).toEqual(expect.arrayContaining(['TA', 'Transport arrived']));
    expect(hospital.props.get('cad_forms')).toMatch(/PulsePoint/);
    expect(hospital.note).toMatch(/inferred/);
  });
});

describe('agencies', () => {
  it('have the domains they were designed with', () => {
    const domains = (id: string) => [...vocab(id).domains.keys()].sort();
    expect(domains('riverton-pd')).toEqual(['offense', 'status', 'unit']);
    expect(domains('harbor-county-so')).toEqual(['offense', 'status']);
    expect(domains('metro-fire')).toEqual(['status', 'unit']);
    expect(domains('county-fire')).toEqual(['status', 'unit']);
    expect(domains('bayview-pd')).toEqual(['offense']);
    for (const id of ['riverton-pd', 'harbor-county-so', 'metro-fire', 'county-fire', 'bayview-pd']) expect(vocab(id).kind).toBe('agency');
  });

  it('keeps riverton codes as strings with leading zeros, padded for lookup', () => {
    expect(term('riverton-pd', 'offense', '460').code).toBe('0460');
    const old = term('riverton-pd', 'offense', '1100');
    expect(old.validTo).toBe('2013-01-01');
    expect(old.replacedBy).toBe('1101');
  });

  it('differ on 10-10, as real lists do', () => {
    expect(term('riverton-pd', 'status', '10-10').label).toBe('Negative');
    expect(term('harbor-county-so', 'status', '10-10').label).toBe('Minor detail, available for call');
    expect(term('metro-fire', 'status', '10-10').label).toBe('Off duty');
  });
});

describe('end-to-end translations over the shipped data', () => {
  it('riverton 2399 needs the property type; with it, one NIBRS code', () => {
    const open = translateCode(index, '2399', { from: 'riverton-pd', to: 'nibrs' });
    expect(open.outcome).toBe('ambiguous');
    const shop = translateCode(index, '2399', { from: 'riverton-pd', to: 'nibrs', context: new Map([['property_type', 'Shoplifting']]) });
    expect(shop.outcome).toBe('mapped');
    expect(shop.best?.code).toBe('23C');
  });

  it('riverton 9001 reaches the sheriff through NIBRS; 1301 does not (narrower then broader allows no inference)', () => {
    const dwi = translateCode(index, '9001', { from: 'riverton-pd', to: 'harbor-county-so' });
    expect(dwi.outcome).toBe('mapped');
    expect(dwi.best?.code).toBe('577.010');
    expect(dwi.best?.route).toBe('chained');
    const agg = translateCode(index, '1301', { from: 'riverton-pd', to: 'harbor-county-so' });
    expect(agg.outcome).toBe('no-mapping');
    expect(agg.reason).toBe('forbidden-inference');
  });

  it('an explicit no-match is reported as such', () => {
    const r = translateCode(index, '9401', { from: 'riverton-pd', to: 'nibrs' });
    expect(r.outcome).toBe('no-mapping');
    expect(r.reason).toBe('explicit-no-match');
  });

  it('metro-fire E07 is county-fire "Engine 7", and 91 is a medic', () => {
    const e = translateCode(index, 'E07', { from: 'metro-fire', to: 'county-fire', domain: 'unit' });
    expect(e.outcome).toBe('mapped');
    expect(e.best?.designator).toBe('Engine 7');
    const m = translateCode(index, '91', { from: 'metro-fire', to: 'county-fire', domain: 'unit' });
    expect(m.best?.designator).toBe('Medic 91');
    const back = translateCode(index, 'ENG 12', { from: 'county-fire', to: 'metro-fire', domain: 'unit' });
    expect(back.best?.designator).toBe('E12');
  });

  it('metro-fire 10-97 (arrived) is county-fire ONS', () => {
    const r = translateCode(index, '10-97', { from: 'metro-fire', to: 'county-fire', domain: 'status' });
    expect(r.best?.code).toBe('ONS');
  });
});
