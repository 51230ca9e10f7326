/**
 * The benchmark's input (`npm run bench`, issue 18): ROWS rows × 8 columns of a Riverton export,
 * three offense-code columns (codes that map, one that maps to several, unknown ones) and long
 * offense narratives. 1,000,000 rows are about 189 MB.
 *
 * Run alone to write a file: `npx tsx scripts/bench-data.ts OUT.csv [ROWS]`.
 */

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';

// Riverton offense codes that map one-to-one to NIBRS, plus some that do not (realistic mix).
const CODES = ['0460', '1301', '0610', '0820', '1120', '0910', '1811', '2610', '0999', '9401', '1100', '460'];
// Long offense narratives (issue 18's file: 1,000,000 rows are about 189 MB), quoted, with commas and doubled quotes.
const TEXTS = [
  '"THEFT FROM MOTOR VEHICLE - PARTS/ACCESSORIES, CATALYTIC CONVERTER REMOVED FROM ""TOYOTA PRIUS"" PARKED ON STREET - SEE SUPPLEMENT"',
  '"AGGRAVATED ASSAULT, DOMESTIC - SUSPECT STRUCK VICTIM WITH A BLUNT OBJECT; VICTIM TRANSPORTED TO GENERAL HOSPITAL - SEE SUPPLEMENT"',
  '"BURGLARY, RESIDENTIAL - FORCED ENTRY THROUGH REAR WINDOW, ELECTRONICS AND JEWELRY TAKEN WHILE OCCUPANTS AWAY - SEE SUPPLEMENT"',
  '"VANDALISM - GRAFFITI ON COMMERCIAL BUILDING, ""TAGGING"" CREW MARKINGS ON NORTH WALL, DAMAGE ESTIMATED UNDER $400 - SEE SUPPLEMENT"',
  '"ROBBERY, STREET - SUSPECT DEMANDED WALLET AND PHONE, IMPLIED A WEAPON IN WAISTBAND, FLED ON FOOT TOWARD THE PARK - SEE SUPPLEMENT"',
];

export async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const header = 'id,incident_date,offense,offense2,offense3,description,beat,location\n';
  out.write(header);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const c = (k: number) => CODES[(i * 7 + k * 3) % CODES.length];
    buf += `${100000 + i},2021-0${1 + (i % 9)}-1${i % 10},${c(0)},${c(1)},${c(2)},${TEXTS[i % TEXTS.length]},B${i % 40},"(37.${i % 1000}, -122.${i % 997})"\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/**
 * The second data set: an analyst's export of short unquoted rows, `id,offense,date` (23 bytes a
 * row; 5,000,000 rows are about 117 MB), where per-row work dominates rather than bytes.
 */
export async function generateShort(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,offense,date\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    buf += `${1000000 + i},${CODES[(i * 7) % CODES.length]},2021-0${1 + (i % 9)}-1${i % 10}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, rows] = process.argv.slice(2);
  if (!out) throw new Error('usage: tsx scripts/bench-data.ts OUT.csv [ROWS]');
  await generate(out, Number(rows ?? 1_000_000));
}
