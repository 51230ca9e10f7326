/**
 * Issue 19: the Hierarchy Rule per incident and the Summary counts, on a synthetic NIBRS-style
 * export (fixtures/exports/nibrs-incidents.csv: incidents of 1 to 5 offenses). Each case is one of
 * the rules of the FBI's Conversion of NIBRS Data to SRS Data v3.0 (CONV; PDF pages) or of the
 * UCR Handbook's Hierarchy Rule, with the rows that must count and what they score.
 */

import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markIncidents, type IncidentOptions, type MarkedRecord } from '../src/summarize/mark.js';
import { markIncident } from '../src/summarize/incident.js';
import { hierarchyRules } from '../src/summarize/rules.js';
import { summarize, summarizeMarked } from '../src/summarize/summarize.js';
import { renderSummaryCsv, renderSummaryTable } from '../src/summarize/render.js';
import { readCsvRecords } from '../src/summarize/csv.js';
import { RegistryIndex } from '../src/indexes/index.js';
import { shippedRegistry } from '../src/shipped/index.js';
import { XwalkError } from '../src/errors/errors.js';

const registry = shippedRegistry();
const index = new RegistryIndex(registry);
const rules = hierarchyRules(registry, 'srs');
type Row = Record<string, string>;

const OPTS: IncidentOptions = {
  from: 'nibrs',
  to: 'srs',
  column: 'NIBRS',
  incident: 'IncidentNum',
  facts: { report: 'offense' },
  context: { weapon: 'Weapon', attempted: 'Attempted', method_of_entry: 'EntryMethod', property_description: 'PropertyDesc', victim_sex: 'VictimSex' },
  valueSeparator: '|',
  victims: 'Victims',
  premises: 'Premises',
  location: 'Location',
  vehicles: 'Vehicles',
  asOfField: 'IncidentDate',
};

async function fixture(): Promise<Row[]> {
  const out: Row[] = [];
  for await (const r of readCsvRecords(createReadStream('fixtures/exports/nibrs-incidents.csv'), { delimiter: ',', quote: '"', encoding: 'utf-8' })) out.push(r.values);
  return out;
}

async function marked(rows: Row[], opts: Partial<IncidentOptions> = {}) {
  const m = markIncidents(index, rows, { ...OPTS, ...opts });
  const out: MarkedRecord<Row>[] = [];
  for await (const r of m.records) out.push(r);
  return { out, report: m.report() };
}

/** An incident's marks as `CODE:status:scores`, in row order. */
async function incident(id: string, opts: Partial<IncidentOptions> = {}): Promise<string[]> {
  const rows = (await fixture()).filter((r) => r.IncidentNum === id);
  const { out } = await marked(rows, opts);
  return out.map((m) => `${m.record.NIBRS}:${m.mark.status}${m.mark.scores.length ? `:${m.mark.scores.map((s) => `${s.code}=${s.count}`).join(';')}` : ''}`);
}

describe('issue 19: the rules are data in the SRS vocabulary', () => {
  it('orders the Return A classes as CONV p. 5 does, 4e (Part II) last', () => {
    const order = rules.codes
      .filter((c) => c.kind === 'ranked' && c.classCode === c.code)
      .sort((a, b) => a.classRank - b.classRank)
      .map((c) => c.code);
    expect(order).toEqual(['1', '2', '2a-legacy', '2b-legacy', '3', '4', '5', '6', '7', '4e']);
  });
  it('counts arson and human trafficking besides, each rule with its source', () => {
    expect(rules.rule('8')?.kind).toBe('counted-besides');
    expect(rules.rule('HT-b')?.kind).toBe('counted-besides');
    for (const c of rules.codes) expect(c.source).toMatch(/Conversion of NIBRS Data to SRS Data/);
    expect(rules.rule('4e')?.certainty).toBe('inferred');
    expect(rules.rule('5a')?.premisesLocations).toEqual(['19', '14']);
  });
  it('refuses a vocabulary without a Hierarchy Rule', () => {
    expect(() => hierarchyRules(registry, 'nibrs')).toThrow(XwalkError);
  });
});

describe('issue 19: the Hierarchy Rule on the FBI examples', () => {
  it('robbery-homicide: the murder counts, per victim; the robbery does not (UCR Handbook p. 10; CONV p. 7)', async () => {
    expect(await incident('A-01')).toEqual(['09A:counted:1a=2', '120:not-counted']);
  });
  it('burglary with a theft and a stolen car: only the burglary (CONV p. 5)', async () => {
    expect(await incident('B-02')).toEqual(['220:counted:5a=1', '23D:not-counted', '240:not-counted']);
  });
  it('arson is counted besides the burglary (CONV pp. 5-6)', async () => {
    expect(await incident('C-03')).toEqual(['220:counted:5a=1', '200:counted:8=1']);
  });
  it('human trafficking is counted besides; rape outranks aggravated assault (CONV pp. 5-6)', async () => {
    expect(await incident('D-04')).toEqual(['64A:counted:HT-a=1', '13A:not-counted', '11A:counted:2a=1']);
  });
  it('justifiable homicide is not a murder: 09C has no Return A line, the assault counts (CONV pp. 50-58)', async () => {
    const rows = (await fixture()).filter((r) => r.IncidentNum === 'E-05');
    const { out } = await marked(rows);
    expect(out.map((m) => m.mark.status)).toEqual(['not-counted', 'counted']);
    expect(out[0]!.mark.reason).toMatch(/SHR 1a/);
    expect(out[1]!.mark.scores).toEqual([{ code: '4a', count: 1 }]);
  });
  it('the weapon of the incident: a robbery with no weapon recorded takes the most serious of the incident (firearm over knife; CONV p. 7, Note 1)', async () => {
    expect(await incident('F-06')).toEqual(['120:counted:3a=1', '13A:not-counted']);
  });
  it('a simple assault (4e) never displaces a Part I offense (CONV; SEARCH ranks 13B above burglary, the document wins)', async () => {
    expect(await incident('G-07')).toEqual(['13B:not-counted', '220:counted:5b=1']);
    expect(await incident('H-08')).toEqual(['13B:counted:4e=1']);
  });
  it('motor vehicle theft counts vehicles: 7b per bus/RV/truck, 7c per other vehicle, the rest 7a; attempts on 7a (CONV pp. 10-11)', async () => {
    expect(await incident('I-09')).toEqual(['240:counted:7a=1;7b=1;7c=1']);
    expect(await incident('I-10')).toEqual(['240:counted:7a=1']);
  });
  it('burglary at a rental storage facility counts the premises entered; elsewhere one (CONV pp. 9-10)', async () => {
    expect(await incident('J-11')).toEqual(['220:counted:5a=4']);
    expect(await incident('J-12')).toEqual(['220:counted:5a=1']);
  });
  it('five offenses: the robbery counts; Part II offenses have no line (CONV p. 5)', async () => {
    expect(await incident('K-13')).toEqual(['13A:not-counted', '120:counted:3b=1', '23C:not-counted', '290:not-counted', '35A:not-counted']);
  });
  it('aggravated assault counts victims (CONV p. 9)', async () => {
    expect(await incident('L-14')).toEqual(['13A:counted:4a=3']);
  });
  it('without --victims each victim-counted offense counts one, and the report says so', async () => {
    const rows = (await fixture()).filter((r) => r.IncidentNum === 'L-14');
    const { out, report } = await marked(rows, { victims: undefined });
    expect(out[0]!.mark.scores).toEqual([{ code: '4a', count: 1 }]);
    expect(report.victimsDefaulted).toBe(1);
    expect(report.victimsColumn).toBe(false);
  });
  it('two offenses of one class: one counts (one offense per incident)', () => {
    const marks = markIncident(
      [
        { source: '11A', target: '2a' },
        { source: '11B', target: '2a' },
      ],
      rules,
    );
    expect(marks.map((m) => m.status)).toEqual(['counted', 'not-counted']);
    expect(marks[1]!.reason).toMatch(/same class as 11A/);
  });
});

describe('issue 19: every row accounted for, grouped or not', () => {
  it('rows in = counted + not counted + unclassified, whether the rows of an incident are adjacent or not', async () => {
    const rows = await fixture();
    const { out, report } = await marked(rows);
    expect(out.map((m) => m.record)).toEqual(rows);
    expect(report.rowsIn).toBe(rows.length);
    expect(report.counted + report.notCounted + report.unclassified).toBe(rows.length);
    expect(report).toMatchObject({ rowsIn: 30, counted: 17, notCounted: 12, unclassified: 1, incidents: 16, largestIncident: 5, streamed: false });
    // M-15's rows are apart: the larceny still outranks the motor vehicle theft.
    expect(out.filter((m) => m.incident === 'M-15').map((m) => m.mark.status)).toEqual(['counted', 'not-counted']);
  });
  it('--incidents-adjacent streams, and stops at an incident that comes back', async () => {
    const rows = await fixture();
    await expect(marked(rows, { adjacent: true })).rejects.toThrow(/incident "M-15" appears again/);
    const sorted = [...rows].sort((a, b) => (a.IncidentNum! < b.IncidentNum! ? -1 : a.IncidentNum! > b.IncidentNum! ? 1 : 0));
    const { report } = await marked(sorted, { adjacent: true });
    expect(report).toMatchObject({ rowsIn: 30, counted: 17, notCounted: 12, unclassified: 1, streamed: true });
  });
  it('a row with no incident id is unclassified, with why', async () => {
    const { out } = await marked([{ IncidentNum: '', NIBRS: '13A', Weapon: '12' }]);
    expect(out[0]!.mark).toMatchObject({ status: 'unclassified', reason: 'no incident id in column IncidentNum' });
  });
});

describe('issue 19: the summary', () => {
  it('counts the marked rows in the Return A shape, by month', async () => {
    const m = markIncidents(index, await fixture(), OPTS);
    const s = await summarizeMarked(m.records, m.rules, { dateField: 'IncidentDate' });
    expect(s.periods).toEqual(['2024-01', '2024-02', '2024-03']);
    const line = (code: string) => s.lines.find((l) => l.code === code && (l.level === 'class' || code.length > 1))!;
    expect(line('1a').counts).toEqual([2, 0, 0]);
    expect(line('4a').counts).toEqual([1, 0, 3]);
    expect(line('5a').total).toBe(7);
    expect(line('7').total).toBe(4);
    expect(line('8').total).toBe(1);
    expect(line('HT').total).toBe(1);
    expect(line('4e').total).toBe(1);
    expect(s.rankedTotal.counts).toEqual([6, 11, 5]);
    expect(s.rowsIn).toBe(s.counted + s.notCounted + s.unclassified);
    const table = renderSummaryTable(s, 'Return A');
    expect(table).toMatch(/30 offense rows in = 17 counted \+ 12 not counted \+ 1 unclassified/);
    expect(renderSummaryCsv(s).split('\n')[0]).toBe('code,label,level,2024-01,2024-02,2024-03,total');
  });
  it('rows without marks are counted per offense, and the summary says so', () => {
    const s = summarize([{ period: 'all', status: 'counted', scores: [{ code: '4a', count: 1 }], reason: '' }], rules, true);
    expect(renderSummaryTable(s, 't')).toMatch(/not per incident/);
  });
});
