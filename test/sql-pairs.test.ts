/**
 * Every shipped vocabulary pair that `convert` can do (every shared domain but units, direct,
 * inverse or chained up to three hops), as SQL in DuckDB against convert's own cells (issue 17,
 * "done when"). In process, for speed: the same compiler and converter bin/xwalk runs
 * (test/sql.test.ts runs those through bin/xwalk and in PostgreSQL and SQLite too).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertStream } from '../src/convert/stream.js';
import { convertOptions } from '../src/cli/commands/convert-options.js';
import type { ConvertFlags } from '../src/cli/commands/convert-options.js';
import { compileSql } from '../src/sql/compile.js';
import { XwalkError } from '../src/errors/errors.js';
import { openDuckDB, readExport, firstDifference, type Engine } from './helpers/engines.js';
import { genExport, shippedIndex } from './helpers/gen-export.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const index = shippedIndex();
const dir = mkdtempSync(join(tmpdir(), 'xwalk-pairs-'));
let engine: Engine;
beforeAll(async () => {
  engine = await openDuckDB();
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const vocabs = [...index.registry.vocabularies.values()];
const pairs: { from: string; to: string; domain: string }[] = [];
for (const a of vocabs)
  for (const b of vocabs) {
    if (a.id === b.id) continue;
    for (const domain of a.domains.keys()) if (domain !== 'unit' && b.domains.has(domain) && index.edgesFrom(a.id, domain).length) pairs.push({ from: a.id, to: b.id, domain });
  }

function flags(p: { from: string; to: string; domain: string }, extra: Partial<ConvertFlags>): ConvertFlags {
  return { from: p.from, to: p.to, column: [`Code:${p.domain}`], mode: 'append', ambiguous: 'all', missing: 'NULL', delimiter: ',', quote: '"', header: true, encoding: 'utf-8', format: 'csv', asOfColumn: 'IncidentDate', ...extra } as ConvertFlags;
}

describe("every shipped pair: xwalk sql in DuckDB gives convert's cells", () => {
  it(`${pairs.length} pairs, each with generated codes (known, unknown, mangled, empty) and dates`, async () => {
    expect(pairs.length).toBeGreaterThan(30);
    let compared = 0;
    const refused: string[] = [];
    for (const [i, p] of pairs.entries()) {
      const csv = genExport(index, { rows: 150, seed: i + 1, from: p.from, domain: p.domain, codeColumn: 'Code', dateColumn: true });
      const file = join(dir, `p${i}.csv`);
      writeFileSync(file, csv);
      const policy: Partial<ConvertFlags> = i % 3 === 0 ? { unmapped: 'keep', ambiguous: 'first', explain: true } : i % 3 === 1 ? { mode: 'replace', unmapped: 'fixed:?' } : { ambiguous: 'blank' };
      const opts = convertOptions(flags(p, policy));
      const header = readExport(csv).header;
      let sql;
      try {
        sql = compileSql(index, opts, header, { dialect: 'duckdb', inputTable: `p${i}`, orderBy: '_line', data: true });
      } catch (e) {
        if (e instanceof XwalkError) {
          refused.push(`${p.from}→${p.to} (${p.domain}): ${e.message}`);
          continue;
        }
        throw e;
      }
      let out = '';
      await convertStream(
        index,
        opts,
        (async function* () {
          yield csv;
        })(),
        { write: (s) => void (out += s) },
      );
      const want = readExport(out);
      await engine.loadCsv(`p${i}`, file, { lineColumn: '_line' });
      const at = sql.script.lastIndexOf('\nWITH\n');
      await engine.exec(sql.script.slice(0, at));
      const got = await engine.query(sql.script.slice(at + 1).replace(/;\s*$/, ''));
      expect(got.columns).toEqual(want.header);
      const diff = firstDifference(got.rows, want.rows);
      expect(diff, `${p.from} → ${p.to} (${p.domain}): row ${diff?.row}: sql ${JSON.stringify(diff?.got)}, convert ${JSON.stringify(diff?.want)}`).toBeUndefined();
      compared++;
    }
    // Nothing shipped needs a refusal: every pair compiles.
    expect(refused).toEqual([]);
    expect(compared).toBe(pairs.length);
  }, 900_000);
});
