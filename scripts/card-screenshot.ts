/**
 * Regenerates docs/reference-card.png, the README's picture of the HTML reference card:
 * `npx tsx scripts/card-screenshot.ts`. Uses the system Chromium like the browser test
 * (scripts/setup-browser.sh installs it from Debian's packages when missing).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from '../test/helpers/browser.js';
import { runMain } from '../test/helpers/run.js';

const r = await runMain(['export', '--from', 'riverton-pd', '--to', 'nibrs', '--to', 'srs', '--format', 'html']);
if (r.exit !== 0) throw new Error(r.stderr);
const file = join(mkdtempSync(join(tmpdir(), 'xwalk-shot-')), 'card.html');
writeFileSync(file, r.stdout);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
await page.goto(pathToFileURL(file).href);
await page.fill('#q', 'steal');
await page.screenshot({ path: 'docs/reference-card.png' });
await browser.close();
console.log('wrote docs/reference-card.png');
