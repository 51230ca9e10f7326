/**
 * The printable reference card in a real headless browser (the system Chromium, driven by
 * playwright-core; scripts/setup-browser.sh installs it from Debian's packages when missing, and
 * this test fails, never skips, when it cannot): it renders offline, the search filters, and
 * printing to PDF gives the expected page count on A4 and Letter with nothing wider than the page.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './helpers/browser.js';
import { runMain } from './helpers/run.js';

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'xwalk-card-'));

beforeAll(async () => {
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

async function card(args: string[], name: string): Promise<string> {
  const file = join(dir, name);
  const r = await runMain(['export', ...args, '--format', 'html', '-o', file]);
  expect(r.exit).toBe(0);
  return pathToFileURL(file).href;
}

async function open(url: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, requests, errors };
}

const visibleRows = (page: Page) => page.locator('tr.row:visible').count();

/** The page count of the PDF's page tree (`/Type /Pages ... /Count N`, in either order). */
function pdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const counts = [...text.matchAll(/<<(?:(?!>>).)*?\/Type\s*\/Pages\b(?:(?!>>).)*?>>/gs)]
    .map((m) => /\/Count\s+(\d+)/.exec(m[0])?.[1])
    .filter((c): c is string => c !== undefined)
    .map(Number);
  expect(counts.length).toBeGreaterThan(0);
  return Math.max(...counts);
}

/** CSS pixels (96 per inch) of the printable area: the page minus the 12 mm margins of @page. */
const AREA = { a4: { w: ((210 - 24) / 25.4) * 96, h: ((297 - 24) / 25.4) * 96 }, letter: { w: ((215.9 - 24) / 25.4) * 96, h: ((279.4 - 24) / 25.4) * 96 } };

/**
 * The pages the print styles should give: laid out for print at the printable width, rows are
 * placed whole (never cut), a group heading stays with its first row, and the header row repeats
 * on every page.
 */
async function expectedPages(page: Page, paper: 'a4' | 'letter'): Promise<{ pages: number; overflow: string[] }> {
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: Math.floor(AREA[paper].w), height: Math.floor(AREA[paper].h) });
  const m = await page.evaluate(() => {
    const h = (el: Element | null) => (el ? el.getBoundingClientRect().height : 0);
    const overflow: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) overflow.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const cell of Array.from(document.querySelectorAll('td, th'))) if (cell.scrollWidth > cell.clientWidth + 1) overflow.push(`cell "${(cell.textContent ?? '').slice(0, 30)}"`);
    const table = document.querySelector('table')!;
    const before = table.getBoundingClientRect().top + window.scrollY;
    const blocks = Array.from(document.querySelectorAll('tbody')).map((tb) => Array.from(tb.querySelectorAll('tr')).map((tr) => ({ h: h(tr), group: tr.classList.contains('group'), text: (tr.textContent ?? '').slice(0, 30) })));
    return { before, head: h(table.querySelector('thead')), blocks, footer: h(document.querySelector('footer')) + 10, overflow };
  });
  const cap = AREA[paper].h;
  // A row (or a heading with its first row) taller than a page under the repeated header cannot be
  // kept whole: Chromium cuts it across pages, and the rows below it move down by what went over.
  for (const rows of m.blocks)
    rows.forEach((r, i) => {
      const need = r.group && rows[i + 1] ? r.h + rows[i + 1]!.h : r.h;
      if (m.head + need > cap + 0.5) m.overflow.push(`row "${r.text}" ${Math.round(need)}px, taller than a page (${Math.round(cap - m.head)}px under the header)`);
    });
  let pages = 1;
  let used = m.before + m.head;
  for (const rows of m.blocks) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const need = r.group && rows[i + 1] ? r.h + rows[i + 1]!.h : r.h;
      if (used + need > cap + 0.5) {
        pages++;
        used = m.head;
      }
      used += r.h;
    }
  }
  if (used + m.footer > cap + 0.5) pages++;
  return { pages, overflow: m.overflow };
}

describe('the HTML reference card in headless Chromium', () => {
  it('renders offline: no request leaves the page, no script error, every code a row, grouped', async () => {
    const { page, requests, errors } = await open(await card(['--from', 'riverton-pd', '--to', 'nibrs', '--to', 'srs'], 'riverton.html'));
    expect(await page.title()).toBe('riverton-pd → nibrs, srs · offense');
    expect(await page.locator('tr.row').count()).toBe(33);
    expect(await page.locator('thead th').allTextContents()).toEqual(['Riverton Police Department (riverton-pd 2025.1)', 'FBI NIBRS offense codes (nibrs 2025.1)', expect.stringContaining('(srs 2025.1)')]);
    const groups = await page.locator('tr.group').allTextContents();
    expect(groups).toContain('Assault Offenses');
    expect(groups.at(-1)).toBe('Not mapped');
    expect(await page.locator('output#count').textContent()).toBe('33 of 33 codes');
    // Answers that differ only in one field's values are one line (2399 would otherwise be taller than a printed page).
    const srs2399 = await page
      .locator('tr.row', { has: page.locator('td:first-child .code', { hasText: /^2399$/ }) })
      .locator('td:nth-child(3) .alt')
      .allTextContents();
    expect(srs2399.filter((t) => t.startsWith('⊂ 6 Larceny-theft'))).toEqual(['⊂ 6 Larceny-theft when property_type=pocket-picking|purse-snatching|shoplifting|from building|coin machine|from motor vehicle|motor vehicle parts|other; report=offense (chained)']);
    expect(srs2399.filter((t) => t.startsWith('⊂ 7a '))).toHaveLength(2);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the search filters rows (code, label or target, any case), hides empty groups, and counts', async () => {
    const { page } = await open(await card(['--from', 'riverton-pd', '--to', 'nibrs', '--to', 'srs'], 'riverton.html'));
    await page.fill('#q', 'battery');
    expect(await visibleRows(page)).toBe(2);
    expect(await page.locator('tr.row:visible .code').first().textContent()).toBe('0460');
    expect(await page.locator('output#count').textContent()).toBe('2 of 33 codes');
    expect(await page.locator('tbody:visible').count()).toBe(1);
    await page.fill('#q', '23c');
    expect(await page.locator('tr.row:visible td:first-child .code').allTextContents()).toEqual(['2302', '2399']);
    await page.fill('#q', 'no such thing');
    expect(await visibleRows(page)).toBe(0);
    await page.fill('#q', '');
    expect(await visibleRows(page)).toBe(33);
    await page.close();
  });

  it.each([
    ['a4', 'riverton-pd → nibrs, srs', ['--from', 'riverton-pd', '--to', 'nibrs', '--to', 'srs']],
    ['letter', 'riverton-pd → nibrs, srs', ['--from', 'riverton-pd', '--to', 'nibrs', '--to', 'srs']],
    ['a4', 'nibrs → srs, riverton-pd (85 codes)', ['--from', 'nibrs', '--to', 'srs', '--to', 'riverton-pd']],
    ['a4', 'alpha-pd → hub (one page)', ['--vocab-dir', 'fixtures/vocab', '--no-shipped', '--from', 'alpha-pd', '--to', 'hub', '--domain', 'offense']],
  ] as const)('prints to PDF on %s: %s, the expected page count, no overflow', async (paper, _name, args) => {
    const url = await card([...args, '--paper', paper], `card-${paper}-${args[args.indexOf('--from') + 1]}.html`);
    const measured = await open(url);
    const want = await expectedPages(measured.page, paper);
    await measured.page.close();
    expect(want.overflow).toEqual([]);
    // A page of its own: Chromium prints differently once media emulation has been switched back.
    const { page } = await open(url);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdfPages(pdf)).toBe(want.pages);
    if ((args as readonly string[]).includes('alpha-pd')) expect(want.pages).toBe(1);
    else expect(want.pages).toBeGreaterThan(1);
    await page.close();
  });
});
