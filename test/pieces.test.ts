/**
 * Issue 18: the two-thread convert cuts the input's bytes into pieces of whole records and
 * writes ASCII rows by copying the input's own bytes. Checked against what is known by
 * construction: random CSV built record by record (quoted fields holding delimiters, quotes,
 * LF, CR and CRLF; records ending in LF, CRLF or a lone CR), every prefix of it.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countLines, lastRecordEnd, quotesAreDense } from '../src/convert/chunks.js';
import { ByteOut, TextOut, type RowOut } from '../src/convert/row-out.js';
import { CsvTokenizer, type RecordView } from '../src/records/csv-reader.js';

const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
  fc.stringMatching(/^[a-z,"\r\n]{0,6}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
  fc.stringMatching(/^[a-z]{1,3}"[a-z]{0,2}$/), // a quote inside an unquoted field
);
const record = fc.tuple(fc.array(field, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n', '\r'));

describe('lastRecordEnd (issue 18)', () => {
  it('finds the last record end in every prefix of a CSV text', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), (recs) => {
        let text = '';
        const ends: { at: number; eol: string }[] = [];
        for (const [fields, eol] of recs) {
          text += fields.join(',') + eol;
          ends.push({ at: text.length, eol });
        }
        const b = Buffer.from(text, 'latin1');
        for (let p = 0; p <= b.length; p++) {
          // A lone CR at the very end of what is held may be half a CRLF: not an end yet.
          const known = ends.filter((e) => e.at < p || (e.at === p && e.eol !== '\r'));
          const want = known.length ? known[known.length - 1]!.at : -1;
          const piece = b.subarray(0, p);
          expect(lastRecordEnd(piece, ',', '"'), JSON.stringify(text.slice(0, p))).toBe(want);
          // Both ways of looking for quotes, and a ring of 1 or 2 spans (looking back past it finds them all again).
          for (const dense of [false, true]) for (const ring of [1, 2, 128]) expect(lastRecordEnd(piece, ',', '"', dense, ring), `${JSON.stringify(text.slice(0, p))} dense=${dense} ring=${ring}`).toBe(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a last record of more quoted fields than the ring holds, with line ends inside them (issue 18)', () => {
    const many = '"x\ny",'.repeat(300);
    for (const text of [`a\n${many}"open`, `a\r\nb\r\n${many}z`, `${many}"\n`, `a,b\n${'"q",'.repeat(200)}"c""\n`]) {
      const b = Buffer.from(text, 'latin1');
      // The reference holds every span (a ring larger than their number: never looks back past it).
      const want = lastRecordEnd(b, ',', '"', false, 100_000);
      for (const dense of [false, true]) expect(lastRecordEnd(b, ',', '"', dense), text.slice(0, 20)).toBe(want);
    }
    expect(lastRecordEnd(Buffer.from(`a\n${many}"open`), ',', '"')).toBe(2);
    expect(lastRecordEnd(Buffer.from(`${many}"\n`), ',', '"')).toBe(-1);
    expect(lastRecordEnd(Buffer.from(`${'"q",'.repeat(200)}"c"\nrest`), ',', '"')).toBe(200 * 4 + 4);
  });

  it('judges quotes dense on the first bytes: every field quoted, or not', () => {
    expect(quotesAreDense(Buffer.from('"a","b","c"\n'.repeat(400)), 34)).toBe(true);
    expect(quotesAreDense(Buffer.from('1,2021-01-01,0460,"THEFT FROM MOTOR VEHICLE - PARTS, CATALYTIC CONVERTER",B1\n'.repeat(100)), 34)).toBe(false);
    expect(quotesAreDense(Buffer.from(''), 34)).toBe(false);
  });

  it('counts lines as the tokenizer does: LF, CRLF and a lone CR each end one', () => {
    expect(countLines(Buffer.from('a\nb\r\nc\rd'))).toBe(3);
    expect(countLines(Buffer.from('no line end'))).toBe(0);
    expect(countLines(Buffer.from('\r\r\n\n'))).toBe(3);
  });
});

describe('ByteOut writes what TextOut writes (issue 18)', () => {
  it('spans of the source, new text (non-ASCII too), memoised text and line ends', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('span' as const), fc.nat(200), fc.nat(200)), // short spans (a loop) and long ones (a view)
      fc.tuple(fc.constant('text' as const), fc.string({ unit: 'grapheme', maxLength: 5 })),
      fc.tuple(fc.constant('memo' as const), fc.constantFrom(',13A,mapped', ',,unknown', ',é,mapped')),
      fc.tuple(fc.constant('other' as const), fc.nat(10)),
      fc.tuple(fc.constant('end' as const), fc.constantFrom('\n', '\r\n', '\r')),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[ -~]{0,200}$/), fc.array(op, { maxLength: 40 }), fc.nat(8), (src, ops, cap) => {
        const bytes = Buffer.from(src, 'latin1');
        const leftover = src.slice(3); // a tokenizer's own slice: offsets that are not the source's
        const run = (out: RowOut) => {
          const memos = new Map<string, { suffixBytes?: Uint8Array }>();
          for (const o of ops) {
            if (o[0] === 'span') {
              const a = Math.min(o[1], o[2], src.length);
              const b = Math.min(Math.max(o[1], o[2]), src.length);
              out.span(src, a, b);
            } else if (o[0] === 'other') out.span(leftover, 0, Math.min(o[1], leftover.length));
            else if (o[0] === 'text') out.text(o[1]);
            else if (o[0] === 'memo') {
              const m = memos.get(o[1]) ?? {};
              memos.set(o[1], m);
              out.memo(o[1], m);
            } else out.end(o[1]);
          }
          return out.take();
        };
        const text = run(new TextOut()) as string;
        const got = run(new ByteOut(bytes, src, undefined, cap)); // a tiny capacity: the buffer grows
        expect(Buffer.from(got).toString('utf8')).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('CsvTokenizer.plain reads a text without quotes or CR as push and end do (issue 18)', () => {
  const records = (read: (tok: CsvTokenizer, onRecord: (v: RecordView) => void) => void, firstLine: number, delimiter: string) => {
    const tok = new CsvTokenizer({ delimiter, quote: '"', firstLine });
    const out: unknown[] = [];
    // (The general way reads a last record without LF from a slice of its own: compared as text, not offsets.)
    read(tok, (v) => out.push({ record: v.text.slice(v.start, v.end), line: v.line, eol: v.eol, fields: Array.from({ length: v.count }, (_, i) => v.text.slice(v.fs[i]!, v.fe[i]!)) }));
    return { out, next: tok.currentLine };
  };
  it('every record, field, line number and line end: empty lines and fields, a last record without LF, one column or many', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 ,;\t\n]{0,80}$/), fc.constantFrom(',', ';', '\t'), fc.integer({ min: 1, max: 1000 }), (text, delimiter, firstLine) => {
        const plain = records((tok, f) => tok.plain(text, f), firstLine, delimiter);
        const general = records((tok, f) => (tok.push(text, f), tok.end(f)), firstLine, delimiter);
        expect(plain).toEqual(general);
      }),
      { numRuns: 2000 },
    );
  });
  it('a text longer than the field limit, or after a push, goes the general way (with its errors)', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxField: 4 });
    expect(() => tok.plain('ab,cdefgh\n', () => {})).toThrow(/a field is longer than 4 characters/);
    const seen: string[] = [];
    const t2 = new CsvTokenizer({ delimiter: ',', quote: '"' });
    t2.push('a,b', () => {});
    t2.plain('c\nd,e\n', (v) => seen.push(v.text.slice(v.start, v.end)));
    expect(seen).toEqual(['a,bc', 'd,e']);
  });
});
