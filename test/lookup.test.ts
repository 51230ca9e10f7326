/**
 * `xwalk lookup`: the text normalization, the search, the lookup result (equivalents through the
 * translator, ten-code meanings), the accuracy gate over realistic queries, and the interactive
 * prompt (key parsing, the state machine, a scripted terminal session).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryIndex } from '../src/indexes/index.js';
import { measure, parseCases } from '../src/lookup/accuracy.js';
import { checkScope, hubOf, judge, lookup, lookupIndex, searchTerms } from '../src/lookup/lookup.js';
import { compact, fold, initials, stem, tokens } from '../src/lookup/text.js';
import { LOOKUP_JSON_FORMAT, LookupIndex, type LookupIndexJson } from '../src/lookup/search.js';
import { initialState, parseKeys, screen, step, type Key, type PromptDeps } from '../src/cli/prompt.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { XwalkError } from '../src/errors/errors.js';
import { Chalk } from 'chalk';
import { load } from './helpers/memory.js';
import { runMain } from './helpers/run.js';

const index = new RegistryIndex(shippedRegistry());
const top = (query: string, opts: { in?: string[]; domain?: string } = {}, n = 3) => searchTerms(lookupIndex(index, opts), query, { limit: n }).map((h) => `${h.vocabulary}:${h.code}`);
const plain = new Chalk({ level: 0 });
const visible = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('lookup text normalization', () => {
  it('folds case, diacritics and shorthands', () => {
    expect(fold('Théft & B&E w/ GUN')).toContain('theft  and ');
    expect(tokens('B&E')).toEqual(['break', 'enter']);
    expect(tokens('man w/ gun')).toEqual(tokens('man with firearm'));
    expect(tokens('O/S')).toEqual(tokens('out of service'));
  });
  it('spells ordinals one way', () => {
    expect(tokens('first degree murder')).toEqual(tokens('1st degree murder'));
    expect(tokens('ASSAULT 2ND DEGREE')).toEqual(tokens('assault second degree'));
  });
  it('expands abbreviations, keeping the word where it is marked so', () => {
    expect(tokens('AGG ASLT')).toEqual(tokens('aggravated assault'));
    expect(tokens('MV theft')).toEqual(tokens('motor vehicle theft'));
    expect(tokens('autos')).toEqual(['auto', 'motor', 'vehicle']);
    expect(tokens('DWI')).toEqual(tokens('DUI'));
  });
  it('stems plurals and suffixes alike on both sides', () => {
    expect(stem('violations')).toBe('violation');
    expect(stem('burglaries')).toBe('burglary');
    expect(stem('disturbing')).toBe(stem('disturbance'));
    expect(stem('10s')).toBe('10s');
    expect(tokens('Weapons Law Violations')).toEqual(tokens('weapon law violation'));
  });
  it('drops stop words, except in code words when asked', () => {
    expect(tokens('Theft of the Motor Vehicle')).toEqual(tokens('theft motor vehicle'));
    expect(tokens('HT a', true)).toEqual(['human', 'traffick', 'a']);
  });
  it('reads "haz mat" as hazmat, without dropping "material" elsewhere', () => {
    expect(tokens('Hazardous materials unit')).toEqual(tokens('haz-mat unit'));
    expect(tokens('HAZ MAT')).toEqual(['hazmat']);
    expect(tokens('Obscene Material')).toEqual(['obscene', 'material']);
  });
  it('compacts and takes initials', () => {
    expect(compact('Pocket-picking')).toBe('pocketpicking');
    expect(initials('Driving While Intoxicated')).toBe('dwi');
    expect(initials('Unlawful Use of Weapon')).toBe('uuw');
  });
});

describe('lookup search', () => {
  it('finds a code exactly, normalized the vocabulary’s way', () => {
    expect(top('13a', { in: ['nibrs'] })[0]).toBe('nibrs:13A');
    expect(top('460', { in: ['riverton-pd'] })[0]).toBe('riverton-pd:0460');
    expect(top('asr 4', { in: ['srs'] })[0]).toBe('srs:ASR 04');
  });
  it('reads unit designators with the vocabulary’s templates', () => {
    const hits = searchTerms(lookupIndex(index, { domain: 'unit' }), 'E12', { limit: 3 });
    expect(hits[0]).toMatchObject({ vocabulary: 'metro-fire', code: 'ENGINE', matchedBy: 'designator', designator: { number: 12, input: 'E12' } });
  });
  it('does not match numbers-only queries against words', () => {
    expect(top('10-10', {}, 10).every((h) => h.endsWith(':10-10'))).toBe(true);
  });
  it('copes with word order, typos, plurals and abbreviations', () => {
    expect(top('assault, aggravated', { in: ['nibrs'] })[0]).toBe('nibrs:13A');
    expect(top('embezzlment', { in: ['nibrs'] })[0]).toBe('nibrs:270');
    expect(top('weapons law violation', { in: ['nibrs'] })[0]).toBe('nibrs:520');
    expect(top('uuw', { in: ['harbor-county-so'] })[0]).toBe('harbor-county-so:571.030');
  });
  it('keeps a typo to whole words within an edit or two (no "tanker" in "helitanker")', () => {
    expect(top('tanker', { in: ['nfirs-apparatus'] })[0]).toBe('nfirs-apparatus:24');
    expect(top('intoxicated', { in: ['nibrs'] })).not.toContain('nibrs:13C');
  });
  it('finds a term by the label of its reviewed equivalent', () => {
    const hit = searchTerms(lookupIndex(index, { in: ['harbor-county-so'] }), 'on scene', { limit: 1 })[0]!;
    expect(hit).toMatchObject({ code: '10-23', matchedBy: 'equivalent', matchedText: 'plain-status: On scene' });
  });
  it('never borrows labels through a proposed, conditional or non-equivalent mapping', () => {
    const v = (id: string, terms: string) => `id: ${id}\nname: ${id}\nkind: agency\nversion: "1"\ndomains:\n  offense:\n    terms:\n${terms}`;
    const { registry } = load({
      'a.yaml': v('a', '      - { code: A1, label: Alpha one }\n      - { code: A2, label: Alpha two }\n      - { code: A3, label: Alpha three }\n'),
      'b.yaml': v('b', '      - { code: B1, label: Zebra crossing }\n      - { code: B2, label: Quokka }\n      - { code: B3, label: Narwhal }\n'),
      'a--b.yaml': 'id: a--b\nfrom: a\nto: b\ndomain: offense\nversion: "1"\nmappings:\n  - { from: A1, to: B1, relation: equivalent, status: proposed }\n  - { from: A2, to: B2, relation: source-narrower }\n  - { from: A3, to: B3, relation: equivalent, when: { age: { lt: 18 } } }\n',
    });
    expect(registry.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ri = new RegistryIndex(registry);
    for (const q of ['zebra crossing', 'quokka', 'narwhal']) expect(searchTerms(lookupIndex(ri, { in: ['a'] }), q).map((h) => h.code)).toEqual([]);
  });
  it('returns nothing below the floor, and nothing for an empty query', () => {
    expect(top('xyzzy')).toEqual([]);
    expect(top('   ')).toEqual([]);
  });
  it('ranks a retired term under a current one that reads the same', () => {
    const hits = searchTerms(lookupIndex(index, { in: ['harbor-county-so'] }), 'assault 2nd degree', { limit: 2 });
    expect(hits.map((h) => h.code)).toEqual(['565.052', '565.060']);
  });
});

describe('issue 16: lookup that speaks dispatch', () => {
  const hits = (query: string, opts: { in?: string[]; domain?: string } = {}) => searchTerms(lookupIndex(index, opts), query, { limit: 10 });
  it('splits camel-case and run-together CAD words, and expands their abbreviations', () => {
    expect(tokens('AvlInQtrs')).toEqual(tokens('available in quarters'));
    expect(top('ONSCENE', { domain: 'status' })[0]).toBe('plain-status:ON_SCENE');
    expect(top('AQ', { domain: 'status' })[0]).toBe('plain-status:AVAILABLE_IN_QUARTERS');
  });
  it('reads a bare designator by the common conventions, below an agency template that reads it', () => {
    expect(hits('DC4', { domain: 'unit' })[0]).toMatchObject({ vocabulary: 'designator-conventions', code: 'CHIEF', matchedBy: 'designator', score: 0.99 });
    expect(hits('HM-12-3', { domain: 'unit' })[0]).toMatchObject({ code: 'HAZMAT', designator: { number: 12 } });
    const e = hits('E7', { domain: 'unit' });
    expect(e[0]!.vocabulary).toBe('metro-fire');
    expect(judge(e)).toEqual({ confident: true });
  });
  it('answers a conflicting prefix with both readings, unless the agency is named', () => {
    const t = hits('T8', { domain: 'unit' });
    expect(t.map((h) => h.code)).toEqual(expect.arrayContaining(['TRUCK', 'TENDER']));
    expect(judge(t)).toEqual({ confident: false, reason: 'ambiguous' });
    expect(judge(hits('T8', { domain: 'unit', in: ['metro-fire', 'designator-conventions'] }))).toEqual({ confident: true });
  });
  it('weights the head of a phrase over its modifiers', () => {
    expect(top('brush rig', { domain: 'unit' })[0]).toMatch(/:BRUSH$/);
    expect(top('hazmat vehicle', { domain: 'unit' })[0]).toMatch(/:HAZMAT$/);
    expect(top('available at hospital', { domain: 'status' })[0]).toMatch(/:AVAILABLE$/);
    expect(top('arrived at staging', { domain: 'status' })[0]).toMatch(/:STAGED$/);
    expect(top('multi engine air tanker', { domain: 'unit' })[0]).toMatch(/:AIR_TANKER$/);
  });
  it('never matches the excluded term of an "except" phrase first', () => {
    expect(top('sex offenses excluding rape and prostitution', { domain: 'offense' })[0]).toBe('srs:ASR 17');
    expect(top('assault other than aggravated', { in: ['nibrs'] })[0]).toBe('nibrs:13B');
  });
  it('maps NWCG typing names to the kind and keeps the type', () => {
    expect(hits('Type VI engine', { domain: 'unit' })[0]).toMatchObject({ vocabulary: 'unit-kinds', code: 'BRUSH', type: '6' });
    expect(hits('helicopter type 2', { domain: 'unit' })[0]).toMatchObject({ code: 'HELICOPTER', type: '2' });
    expect(hits('Type 2IA crew', { domain: 'unit' })[0]).toMatchObject({ code: 'CREW', type: '2ia' });
    expect(tokens('Type III')).toEqual(tokens('type 3'));
  });
  it('lets no common word alone carry a match, and reports weak or close bests as not confident', () => {
    const r = lookup(index, 'unit call service', { domain: 'status' });
    expect(r.hits.every((h) => h.score <= 0.35)).toBe(true);
    expect(r).toMatchObject({ confident: false, unsure: 'weak', equivalents: [] });
    expect(r.opened).toBeUndefined();
    for (const h of r.hits) expect(typeof h.margin).toBe('number');
    expect(lookup(index, 'unit call service', { domain: 'status', open: 0 }).opened).toBeDefined();
  });
});

describe('lookup result', () => {
  it('shows the equivalents the translator finds, one row per vocabulary', () => {
    const r = lookup(index, '1301', { in: ['riverton-pd'], to: ['nibrs', 'harbor-county-so'] });
    expect(r.opened).toMatchObject({ vocabulary: 'riverton-pd', code: '1301' });
    expect(r.equivalents.map((e) => e.vocabulary)).toEqual(['nibrs', 'harbor-county-so']);
    expect(r.equivalents[0]!.translation.best).toMatchObject({ code: '13A', relation: 'source-narrower', route: 'direct' });
    expect(r.equivalents[1]!.translation.reason).toBe('forbidden-inference');
  });
  it('marks chained equivalents with their path, and writes designators the target’s way', () => {
    const r = lookup(index, 'E12', { domain: 'unit', to: ['county-fire'] });
    const c = r.equivalents[0]!.translation.best!;
    expect(c).toMatchObject({ route: 'chained', designator: 'Engine 12' });
    expect(c.path.map((s) => s.to.vocabulary)).toEqual(['unit-kinds', 'county-fire']);
  });
  it('lists what a shared ten-code means in every vocabulary, through the hub', () => {
    const r = lookup(index, '10-10', {});
    expect(r.meanings).toMatchObject({ code: '10-10', hub: 'plain-status', distinctLabels: 4 });
    const rows = Object.fromEntries(r.meanings!.rows.map((m) => [m.vocabulary, m]));
    expect(Object.keys(rows)).toEqual(['apco-ten-codes', 'harbor-county-so', 'metro-fire', 'riverton-pd']);
    expect(rows['metro-fire']!.hub!.best).toMatchObject({ code: 'OFF_DUTY', relation: 'equivalent' });
    expect(rows['riverton-pd']!.hub!.reason).toBe('explicit-no-match');
    expect(hubOf(index, 'offense')).toBe('nibrs');
  });
  it('says where a chain is declared to have no counterpart', () => {
    const r = lookup(index, '10-10', { in: ['apco-ten-codes'], to: ['plain-status', 'metro-fire'] });
    expect(r.equivalents.map((e) => [e.vocabulary, e.translation.reason, e.noMatchAt])).toEqual([
      ['plain-status', 'explicit-no-match', undefined],
      ['metro-fire', 'explicit-no-match', 'plain-status'],
    ]);
  });
  it('opens another match on request, and ranks terms not valid on --as-of lower', () => {
    expect(lookup(index, 'agg assault', { in: ['riverton-pd'], open: 1 }).opened!.code).toBe('1302');
    const r = lookup(index, 'forcible rape', { in: ['riverton-pd'], asOf: '2015-06-01' });
    expect(r.hits.map((h) => [h.code, h.valid])).toEqual([
      ['1101', true],
      ['1100', false],
    ]);
  });
  it('refuses an unknown vocabulary or domain with a hint', () => {
    expect(() => checkScope(index, { in: ['nibrz'] })).toThrowError(/unknown vocabulary "nibrz"/);
    try {
      checkScope(index, { domain: 'ofense' });
      expect.unreachable();
    } catch (e) {
      expect((e as XwalkError).hint).toMatch(/did you mean offense/);
    }
  });
});

describe('the default index from its JSON (dist/shipped/lookup.json; issue 18: start-up)', () => {
  const fresh = lookupIndex(index);
  const json = JSON.parse(JSON.stringify(fresh.toJson())) as LookupIndexJson;
  const built = LookupIndex.fromJson(json, index)!;
  const queries = ['queries.tsv', 'heldout.tsv', 'dispatch.tsv'].flatMap((f) => parseCases(readFileSync(join(import.meta.dirname, 'lookup', f), 'utf8')).map((c) => c.query));
  it('finds what the index built from the vocabularies finds, for every query of the accuracy sets', () => {
    expect(queries.length).toBeGreaterThan(400);
    const plainHits = (ix: LookupIndex, q: string) => ix.search(q, 20).map((h) => ({ v: h.entry.vocabulary.id, d: h.entry.domain, code: h.entry.term.code, score: h.score, by: h.matchedBy, text: h.matchedText, designator: h.designator, type: h.type, meaning: ix.meaningOf(h) }));
    for (const q of [...queries, '10-10', 'E12', 'Engine 12', 'Type 3 engine', 'INQTRS', 'CLRD', 'asr04', 'agg aslt', 'xyzzy']) expect([q, plainHits(built, q)]).toEqual([q, plainHits(fresh, q)]);
  });
  it("with --domain, from each domain's JSON, finds what the built one finds", () => {
    const cases = ['queries.tsv', 'heldout.tsv', 'dispatch.tsv'].flatMap((f) => parseCases(readFileSync(join(import.meta.dirname, 'lookup', f), 'utf8')));
    const domains = new Set<string>();
    for (const v of index.registry.vocabularies.values()) if (v.kind !== 'code-list') for (const d of v.domains.keys()) domains.add(d);
    expect([...domains]).toEqual(expect.arrayContaining(['offense', 'unit', 'status']));
    for (const domain of domains) {
      const freshD = lookupIndex(index, { domain });
      const builtD = LookupIndex.fromJson(JSON.parse(JSON.stringify(freshD.toJson())) as LookupIndexJson, index)!;
      const plainHits = (ix: LookupIndex, q: string) => ix.search(q, 20).map((h) => ({ v: h.entry.vocabulary.id, code: h.entry.term.code, score: h.score, by: h.matchedBy, text: h.matchedText, designator: h.designator, type: h.type, meaning: ix.meaningOf(h) }));
      const qs = cases.filter((c) => !c.in?.length && (c.domain === domain || c.domain === undefined)).map((c) => c.query);
      expect(qs.length).toBeGreaterThan(10);
      for (const q of qs) expect([domain, q, plainHits(builtD, q)]).toEqual([domain, q, plainHits(freshD, q)]);
    }
  });
  it('answers lookup() as the built one does, equivalents and meanings included', () => {
    for (const q of queries.slice(0, 120)) expect([q, lookup(index, q, {}, built)]).toEqual([q, lookup(index, q, {}, fresh)]);
  });
  it('is refused (undefined: built afresh) when of another layout or naming a vocabulary the registry lacks', () => {
    expect(LookupIndex.fromJson({ ...json, format: LOOKUP_JSON_FORMAT + 1 }, index)).toBeUndefined();
    expect(LookupIndex.fromJson({ ...json, entries: [...json.entries, ['nope', 'offense', 'X']] }, index)).toBeUndefined();
    expect(LookupIndex.fromJson({ ...json, entries: [...json.entries, ['nibrs', 'no-such-domain', 'X']] }, index)).toBeUndefined();
    expect(LookupIndex.fromJson({ ...json, entries: [...json.entries, ['nibrs', 'offense', 'NO-SUCH-CODE']] }, index)).toBeUndefined();
  });
});

describe('lookup accuracy (top-1 at least 95%)', () => {
  for (const file of ['queries.tsv', 'heldout.tsv']) {
    it(file, () => {
      const cases = parseCases(readFileSync(join(import.meta.dirname, 'lookup', file), 'utf8'));
      expect(cases.length).toBeGreaterThanOrEqual(file === 'queries.tsv' ? 150 : 100);
      for (const c of cases)
        for (const e of c.expected) {
          const [v, code] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
          const found = [...(index.vocabulary(v)?.domains.values() ?? [])].some((d) => d.terms.has(code.toUpperCase()) || [...d.terms.values()].some((t) => t.code === code));
          expect(found, `${file}:${c.line}: ${e} is not a shipped term`).toBe(true);
        }
      const r = measure(index, cases);
      const misses = r.misses.map((m) => `${file}:${m.case.line} "${m.case.query}" want ${m.case.expected.join('|')} got ${m.got.join(', ')}`);
      expect(r.top1 / r.cases, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    });
  }
  it('dispatch.tsv (issue 16): per domain at the README figures, and no more confident wrong answers', () => {
    // A floor, not a tuning target: the set was written and measured blind before the work it measures.
    const r = measure(index, parseCases(readFileSync(join(import.meta.dirname, 'lookup', 'dispatch.tsv'), 'utf8')));
    const d = Object.fromEntries([...r.byDomain].map(([k, x]) => [k, x.top1 / x.cases]));
    expect(d['unit']).toBeGreaterThanOrEqual(0.95);
    expect(d['status']).toBeGreaterThanOrEqual(0.95);
    expect(d['offense']).toBeGreaterThanOrEqual(0.99);
    expect(r.confidentWrong).toBeLessThanOrEqual(2);
  });
  it('reads + (equivalents), * (narrower) and none in expectations', () => {
    expect(measure(index, parseCases('Crash 1\tdomain=unit\tunit-kinds:ARFF+\n')).top1).toBe(1);
    expect(measure(index, parseCases('Crash 1\tdomain=unit\tunit-kinds:ARFF\n')).top1).toBe(0);
    expect(measure(index, parseCases('xyzzy plugh\tdomain=status\tnone\n')).top1).toBe(1);
  });
  it('the measure itself fails a wrong expectation', () => {
    const r = measure(index, parseCases('agg assault\tin=nibrs\tnibrs:13B\n'));
    expect(r).toMatchObject({ cases: 1, top1: 0, top3: 1 });
  });
  it('rejects a malformed case line', () => {
    expect(() => parseCases('agg assault\tnibrs:13A\n')).toThrowError(/3 or 4 tab-separated columns/);
    expect(() => parseCases('x\tin=nibrs\t13A\n')).toThrowError(/vocabulary:code/);
  });
});

describe('interactive prompt', () => {
  const search = lookupIndex(index, {});
  const deps: PromptDeps = { search: (q) => searchTerms(search, q, { limit: 9 }), open: (q, which) => lookup(index, q, { limit: 9, open: which }, search) };
  const press = (keys: Key[]) => keys.reduce((s, k) => step(s, k, deps), initialState());
  const type = (text: string): Key[] => [...text].map((char) => ({ kind: 'char', char }));

  it('parses keys: arrows, enter (CR, LF, CRLF once), backspace, ctrl-c/d, paste, unknown sequences', () => {
    expect(parseKeys('\x1b[A\x1bOB\r\n\x7fab\x03\x04\x1b[5~\x1b')).toEqual([{ kind: 'up' }, { kind: 'down' }, { kind: 'enter' }, { kind: 'backspace' }, { kind: 'char', char: 'a' }, { kind: 'char', char: 'b' }, { kind: 'quit' }, { kind: 'quit' }, { kind: 'escape' }]);
  });
  it('searches as you type; digits are part of the query while it has the focus', () => {
    const s = press(type('10-10'));
    expect(s.query).toBe('10-10');
    expect(s.hits.every((h) => h.code === '10-10')).toBe(true);
    expect(s.opened).toBeUndefined();
  });
  it('opens the chosen match with arrows and Enter, or with its number once the list has the focus', () => {
    let s = press([...type('agg assault'), { kind: 'down' }, { kind: 'down' }, { kind: 'enter' }]);
    expect(s.selected).toBe(1);
    expect(s.opened!.opened).toMatchObject({ vocabulary: s.hits[1]!.vocabulary, code: s.hits[1]!.code });
    s = press([...type('agg assault'), { kind: 'down' }, { kind: 'char', char: '3' }]);
    expect(s.opened!.opened!.code).toBe(s.hits[2]!.code);
  });
  it('goes back with Esc, to the next match with ↓, and quits with q, Esc on an empty query or ctrl-c', () => {
    let s = press([...type('burglary'), { kind: 'enter' }, { kind: 'down' }]);
    expect(s.selected).toBe(1);
    s = step(s, { kind: 'escape' }, deps);
    expect(s.opened).toBeUndefined();
    expect(s.query).toBe('burglary');
    expect(step(s, { kind: 'char', char: 'q' }, deps).done).toBe(false);
    expect(press([...type('x'), { kind: 'enter' }]).done).toBe(false);
    expect(press([{ kind: 'escape' }]).done).toBe(true);
    expect(press([...type('ab'), { kind: 'escape' }]).query).toBe('');
    expect(press([...type('arson'), { kind: 'enter' }, { kind: 'char', char: 'q' }]).done).toBe(true);
    expect(press([...type('ab'), { kind: 'quit' }]).done).toBe(true);
  });
  it('draws screens that fit 80 columns and the terminal height', () => {
    for (const keys of [type('agg assault'), [...type('agg assault'), { kind: 'enter' } as Key], [...type('10-10'), { kind: 'enter' } as Key]]) {
      const text = screen(press(keys), plain, 80, 24);
      const lines = text.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const l of lines) expect([...visible(l)].length, l).toBeLessThanOrEqual(80);
      expect(lines.at(-1)).toMatch(/Esc/);
    }
  });
  it('runs in a (scripted) terminal: raw mode on and off, alternate screen, a screen per keystroke', async () => {
    const rawMode: boolean[] = [];
    const r = await runMain(['lookup'], { tty: { keys: ['agg', ' assault', '\x1b[B', '\r', '\x1b', '\x03'], rawMode } });
    expect(r.exit).toBe(0);
    expect(rawMode).toEqual([true, false]);
    expect(r.stdout.startsWith('\x1b[?1049h')).toBe(true);
    expect(r.stdout.endsWith('\x1b[?1049l')).toBe(true);
    const screens = r.stdout.split('\x1b[H\x1b[2J').map(visible);
    // Before the first clear: the switch to the alternate screen; then one screen at start and
    // one per chunk of keys, none after ctrl-c.
    expect(screens.length).toBe(7);
    expect(screens[1]).toMatch(/lookup> ▏/);
    expect(screens[3]).toMatch(/lookup> agg assault/);
    expect(screens[5]).toMatch(/nibrs 13A {2}Aggravated Assault/);
    expect(screens[5]).toMatch(/riverton-pd +1301/);
    expect(screens[6]).toMatch(/lookup> agg assault/);
  });
  it('needs a terminal: without one and without a query it is a usage error', async () => {
    const r = await runMain(['lookup']);
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/lookup needs something to look up/);
  });
});

describe('lookup output width', () => {
  it('fits 80 columns for every kind of answer', async () => {
    for (const args of [['agg', 'assault'], ['10-10'], ['engine 12', '--domain', 'unit'], ['forcible rape', '--as-of', '2010-01-01'], ['in service', '--domain', 'status']]) {
      const r = await runMain(['lookup', ...args]);
      for (const l of r.stdout.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
    }
  });
});
