/**
 * scripts/link-chunk.mjs: esbuild's ES module chunks made CommonJS with plain values (issue 18:
 * start-up). The linked code is run here as bin/xwalk runs a chunk, and every form it cannot link
 * faithfully must stop the build.
 */

import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without types
import { checkLinked, linkChunk } from '../scripts/link-chunk.mjs';

const link = (text: string): { text: string; exported: string; locals: string[] } => linkChunk(text, 'chunk.cjs');

/** Runs linked code as a CommonJS module whose `require` serves `modules`; returns its exports. */
function run(text: string, modules: Record<string, unknown>): Record<string, unknown> {
  const { text: code, exported } = link(text);
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', code + exported)(exports, (id: string) => {
    if (!(id in modules)) throw new Error(`no module ${id}`);
    return modules[id];
  });
  return exports;
}

describe('the chunk linker', () => {
  it('reads named imports once, renamed as the import says, and exports plain values after the code has run', () => {
    const out = run('import{a,b as c}from"./x.cjs";import"./side.cjs";function twice(n){return c(a)*2}var K=twice(1)+1;export{twice,K as k};', {
      './x.cjs': { a: 20, b: (n: number) => n + 1 },
      './side.cjs': {},
    });
    expect(out).toEqual({ twice: expect.any(Function), k: 43 });
    expect(Object.getOwnPropertyDescriptor(out, 'k')).toMatchObject({ value: 43, writable: true });
    expect((out.twice as (n: number) => number)(0)).toBe(42);
  });
  it('keeps the order of the imports, side effects included', () => {
    const seen: string[] = [];
    const mod = (name: string) => new Proxy({}, { get: () => seen.push(name) });
    const { text } = link('import"./a.cjs";import{x}from"./b.cjs";import"./c.cjs";export{x};');
    expect(text.indexOf('./a.cjs')).toBeLessThan(text.indexOf('./b.cjs'));
    expect(text.indexOf('./b.cjs')).toBeLessThan(text.indexOf('./c.cjs'));
    run('import"./a.cjs";import{x}from"./b.cjs";export{x};', { './a.cjs': mod('a'), './b.cjs': mod('b') });
    expect(seen).toEqual(['b']); // a bare import reads nothing; b's x is read once
  });
  it("leaves Node's modules to esbuild (read through the module object, as CommonJS does)", () => {
    const { text } = link('import{readFileSync}from"node:fs";import{y}from"./y.cjs";export{y};');
    expect(text).toContain('import{readFileSync}from"node:fs";');
    expect(text).toContain('var{y}=require("./y.cjs");');
  });
  it('does not mistake text in strings for imports or exports', () => {
    const out = run('var s="export{a}; import{b}from\\"./no.cjs\\";";export{s};', {});
    expect(out.s).toBe('export{a}; import{b}from"./no.cjs";');
  });
  it('stops the build when an exported binding may change after its declaration: the value handed out would go stale', () => {
    for (const code of [
      'let a=1;function set(){a=2}export{a,set};',
      'var a=1;function bump(){a++}export{a};',
      'var a=1;function bump(){--a}export{a};',
      'var a=1;function add(){a+=1}export{a};',
      'var a=1;function f(x){[a]=x}export{a};',
      'var a=1;function f(x){({a}=x)}export{a};',
      'var a=1;function f(x){({k:a}=x)}export{a};',
      'var a;function f(xs){for(a of xs);}export{a};',
      'var a=1;function f(){a??=2}export{a};',
    ])
      expect(() => link(code), code).toThrow(/chunk\.cjs: a is exported and assigned after its declaration/);
  });
  it('marks a default export __esModule, as esbuild does, so that an import() of the chunk reads it as the default', () => {
    const out = run('function f(){return 1}var x=2;export{f as default,x};', {});
    expect(out.__esModule).toBe(true);
    expect(Object.keys(out)).toEqual(['default', 'x']); // not enumerable, as esbuild's
    expect((out.default as () => number)()).toBe(1);
    expect(run('var x=2;export{x};', {}).__esModule).toBeUndefined();
  });
  it('hands out an export whose name is no identifier', () => {
    expect(run('var x=2;export{x as "a-b"};', {})).toEqual({ 'a-b': 2 });
  });
  it('stops the build at what it cannot hand out faithfully', () => {
    for (const [code, why] of [
      ['import{readFileSync}from"node:fs";export{readFileSync};', /exports readFileSync, which the chunk does not declare itself/],
      ['var module={};export{module};', /declares `module` at its top level/],
      ['function require(){}export{require};', /declares `require` at its top level/],
      ['var{e:exports}={e:1};export{exports};', /declares `exports` at its top level/],
      ['var a=1;function f(s){eval(s)}export{a,f};', /a direct eval/],
    ] as const)
      expect(() => link(code), code).toThrow(why);
  });
  it("checks esbuild's CommonJS still declares every exported name", () => {
    expect(() => checkLinked('var a=1;function b(){}class C{}var{d,e:f}=require("./x.cjs");', ['a', 'b', 'C', 'd', 'f'], 'chunk.cjs')).not.toThrow();
    expect(() => checkLinked('var a2=1;', ['a'], 'chunk.cjs')).toThrow(/chunk\.cjs: esbuild's CommonJS no longer declares a at its top level/);
  });
  it('stops the build at an import or export form it does not link', () => {
    for (const code of ['import*as ns from"./x.cjs";export{ns};', 'import d from"./x.cjs";export{d};', 'export default 1;', 'export*from"./x.cjs";', 'export{a}from"./x.cjs";', 'export const a=1;', 'export function f(){}'])
      expect(() => link(code), code).toThrow(/chunk\.cjs: an? (import|export) the chunk linker does not know/);
  });
});
