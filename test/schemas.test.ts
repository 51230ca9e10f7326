/**
 * The JSON Schemas editors use (yaml-language-server) accept every shipped and fixture file, and
 * catch the mistakes they are there for. Files are parsed as an editor would (YAML 1.2 core
 * schema), so an unquoted code such as 0460 is a number here and the schema flags it.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { collect, render } from '../scripts/embed-vocabularies.js';
import { crosswalkYaml } from '../src/interchange/import.js';
import { loadRegistry } from '../src/load/registry.js';
import { MemorySource } from '../src/read/source.js';
import { shippedRegistry } from '../src/shipped/index.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const vocabulary = ajv.compile(JSON.parse(readFileSync('schemas/vocabulary.schema.json', 'utf8')));
const crosswalk = ajv.compile(JSON.parse(readFileSync('schemas/crosswalk.schema.json', 'utf8')));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

function check(text: string): string[] {
  const doc = parse(text) as Record<string, unknown>;
  const isCrosswalk = 'from' in doc || 'mappings' in doc;
  const validate = isCrosswalk ? crosswalk : vocabulary;
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const files = [...yamlFiles('vocabularies'), ...yamlFiles('fixtures/vocab')];

describe('JSON Schemas', () => {
  it('there are files to check', () => expect(files.length).toBeGreaterThan(10));
  it.each(files)('%s follows its schema', (f) => {
    expect(check(readFileSync(f, 'utf8'))).toEqual([]);
  });
  it.each(yamlFiles('vocabularies'))('%s names its schema for editors', (f) => {
    expect(readFileSync(f, 'utf8')).toMatch(/^# yaml-language-server: \$schema=.*schemas\/(vocabulary|crosswalk)\.schema\.json/);
  });
  it('flags an unquoted code that YAML would read as a number', () => {
    expect(check('id: a\nname: A\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n      - { code: 0460, label: Theft }\n').join()).toMatch(/code must be string/);
  });
  it('flags a no-match that names a target, and a mapping without one', () => {
    const head = 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nmappings:\n';
    expect(check(head + '  - { from: "1", to: X, relation: no-match }\n')).not.toEqual([]);
    expect(check(head + '  - { from: "1", relation: equivalent }\n')).not.toEqual([]);
    expect(check(head + '  - { from: "1", to: X, relation: wider }\n')).toEqual([]);
    expect(check(head + '  - { from: "1", to: X, relation: broader }\n')).not.toEqual([]);
  });
  it('flags an unknown field and a bad designator template', () => {
    expect(check('id: a\nname: A\nkind: agency\nversion: "1"\ndomains:\n  unit:\n    terms:\n      - { code: E, label: Engine, valid_form: 2020-01-01 }\n')).not.toEqual([]);
    expect(check('id: a\nname: A\nkind: agency\nversion: "1"\ndomains:\n  unit:\n    terms:\n      - { code: E, label: Engine, designators: ["E{x}"] }\n')).not.toEqual([]);
  });
});

describe('YAML that import writes (crosswalkYaml) follows the crosswalk schema', () => {
  it('fields, products, conditional no-match, "not recorded" and numeric conditions', () => {
    const typed =
      'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nfields:\n  weapon: { values: ["11", "12"], multi: true }\n  age: { type: number, description: "years" }\nmappings:\n  - { from: "1", to: X, relation: equivalent, when: { weapon: ["11", "~"], age: { ge: 18 } }, product: { weapon: "12", age: ["20", "30"] } }\n  - { from: "1", relation: no-match, when: { age: { lt: 18 } } }\n';
    const cw = loadRegistry([new MemorySource('m', new Map([['a--b.yaml', typed]]))]).crosswalks.get('a--b')!;
    expect(check(crosswalkYaml(cw))).toEqual([]);
    expect(check(crosswalkYaml(shippedRegistry().crosswalks.get('nibrs--srs')!))).toEqual([]);
  });
});

describe('shipped vocabularies compiled into the code', () => {
  it('src/shipped/embedded.generated.ts is up to date with vocabularies/ (run `npm run embed`)', () => {
    expect(readFileSync('src/shipped/embedded.generated.ts', 'utf8') === render(collect())).toBe(true);
  });
});
