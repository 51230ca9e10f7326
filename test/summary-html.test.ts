/**
 * Issue 19: the printable summary report in the real headless browser the suite uses (see
 * html-card.test.ts): it renders offline, shows its title, the Return A classes and a bar per
 * class and month; the screenshot is checked pixel by pixel for the bars' colours, and printing
 * gives a PDF.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './helpers/browser.js';
import { runMain } from './helpers/run.js';

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'xwalk-summary-'));

beforeAll(async () => {
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

const CONVERT = [
  'convert',
  'fixtures/exports/nibrs-incidents.csv',
  '--from',
  'nibrs',
  '--to',
  'srs',
  '--column',
  'NIBRS',
  '--incident',
  'IncidentNum',
  '--fact',
  'report=offense',
  '--context',
  'weapon=Weapon',
  '--context',
  'attempted=Attempted',
  '--context',
  'method_of_entry=EntryMethod',
  '--context',
  'property_description=PropertyDesc',
  '--context',
  'victim_sex=VictimSex',
  '--value-separator',
  '|',
  '--victims',
  'Victims',
  '--premises',
  'Premises',
  '--location',
  'Location',
  '--vehicles',
  'Vehicles',
  '--as-of-column',
  'IncidentDate',
  '-q',
];

describe('issue 19: the HTML summary report in a browser', () => {
  it('shows the title, the classes and the bars, offline, and prints', async () => {
    const marked = await runMain(CONVERT);
    expect(marked.exit).toBe(0);
    const file = join(dir, 'part1.html');
    const r = await runMain(['summarize', '-', '--column', 'NIBRS', '--date-column', 'IncidentDate', '--format', 'html', '--title', 'Part I offenses 2024', '-o', file], { stdin: marked.stdout });
    expect(r.exit).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toMatch(/<script|https?:\/\//);
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    const requests: string[] = [];
    page.on('request', (q) => {
      if (!q.url().startsWith('file:')) requests.push(q.url());
    });
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('Part I offenses 2024');
    await expect(page.locator('h1').textContent()).resolves.toBe('Part I offenses 2024');
    expect(await page.locator('h1').isVisible()).toBe(true);
    const classes = await page.locator('tr.class td:nth-child(2)').allTextContents();
    for (const c of ['Criminal Homicide', 'Rape', 'Robbery', 'Aggravated Assault', 'Burglary', 'Larceny-theft', 'Motor Vehicle Theft', 'Arson']) expect(classes).toContain(c);
    // One bar segment per class and month that counted something: January has 1, 2, 4, 5, 8, HT.
    const bars = page.locator('svg rect.bar');
    expect(await bars.count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('svg rect.bar[data-period="2024-01"][data-class="1"]').count()).toBe(1);
    for (const b of await bars.all()) expect(await b.isVisible()).toBe(true);
    expect(requests).toEqual([]);

    // The screenshot: the bars' colours are on the rendered page, not only in the DOM.
    const shot = await page.screenshot({ fullPage: true });
    const colours = await page.evaluate(async (png: string) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const want: Record<string, [number, number, number]> = { blue: [0x00, 0x72, 0xb2], orange: [0xe6, 0x9f, 0x00], green: [0x00, 0x9e, 0x73] };
      const n: Record<string, number> = { blue: 0, orange: 0, green: 0 };
      for (let i = 0; i < d.length; i += 4) for (const [k, [r, gg, b]] of Object.entries(want)) if (Math.abs(d[i]! - r) < 8 && Math.abs(d[i + 1]! - gg) < 8 && Math.abs(d[i + 2]! - b) < 8) n[k]!++;
      return n;
    }, shot.toString('base64'));
    expect(colours.blue).toBeGreaterThan(100);
    expect(colours.orange).toBeGreaterThan(100);
    expect(colours.green).toBeGreaterThan(100);

    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  }, 120_000);
});
