/**
 * The benchmark's input (`npm run bench`, issue 18): ROWS rows × 8 columns of a Riverton export,
 * three offense-code columns (codes that map, one that maps to several, unknown ones) and long
 * offense narratives. 1,000,000 rows are about 189 MB.
 *
 * Run alone to write a file: `npx tsx scripts/bench-data.ts OUT.csv [ROWS] [bench|short|chicago|chicago-quoted]`.
 */

import { createWriteStream, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
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

/**
 * The third data set: a real city's export shape with its real codes. Chicago's crimes export
 * (dataset ijzp-q8t2: 22 columns, the Location pair quoted, about 240 bytes a row), its IUCR
 * column drawn from the city's own code table (fixtures/real/chicago-offense.yaml, 411 codes)
 * weighted by how often each code appears in the public copies (fixtures/real/chicago-fbi-code.csv,
 * rows_seen, plus 20 each so that rare codes occur), one row in fifty with its leading zeros lost
 * (`486` for `0486`), as real exports have. Mapped with the real crosswalk (chicago-iucr → nibrs:
 * one-to-one, several targets, no-match). Rows are made up: no incident is copied. `quoteAll`:
 * every field quoted, as some systems export (the same rows, about 280 MB).
 */
export async function generateChicago(path: string, rows: number, quoteAll = false): Promise<void> {
  const vocab = parseYaml(readFileSync('fixtures/real/chicago-offense.yaml', 'utf8')) as { domains: { offense: { terms: { code: string; label: string }[] } } };
  const labels = new Map(vocab.domains.offense.terms.map((t) => [t.code, t.label]));
  const weights = new Map<string, number>();
  for (const line of readFileSync('fixtures/real/chicago-fbi-code.csv', 'utf8').trim().split('\n').slice(1)) {
    const [code, , seen] = line.split(',');
    weights.set(code!, (weights.get(code!) ?? 20) + Number(seen));
  }
  const codes = [...weights.keys()];
  const cumulative: number[] = [];
  let total = 0;
  for (const c of codes) cumulative.push((total += weights.get(c)!));
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = () => {
    const x = random() * total;
    let lo = 0;
    let hi = codes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return codes[lo]!;
  };
  const places = ['RESIDENCE', 'STREET', 'APARTMENT', 'SIDEWALK', 'PARKING LOT/GARAGE(NON.RESID.)', 'SMALL RETAIL STORE', 'ALLEY', 'RESTAURANT', 'OTHER'];
  const out = createWriteStream(path);
  out.write('ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n');
  const two = (n: number) => String(n).padStart(2, '0');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const c = pick();
    const [primary, secondary] = (labels.get(c) ?? 'OTHER / OTHER').split(' / ');
    const csv = (v: string) => (/[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lat = (41.6 + random() * 0.4).toFixed(9);
    const lon = (-87.9 + random() * 0.4).toFixed(9);
    const year = 2001 + (i % 24);
    const date = `${two(1 + (i % 12))}/${two(1 + (i % 28))}/${year} ${two(1 + (i % 12))}:${two(i % 60)}:00 ${i % 2 ? 'AM' : 'PM'}`;
    const code = i % 50 === 0 ? c.replace(/^0+/, '') : c;
    const fields = [
      `${10000000 + i}`,
      `JA${100000 + i}`,
      date,
      `0${two(i % 100)}XX S WOOD ST`,
      code,
      primary!,
      secondary ?? '',
      places[i % places.length]!,
      i % 7 ? 'false' : 'true',
      i % 5 ? 'false' : 'true',
      `${1000 + (i % 900)}`,
      String(1 + (i % 25)).padStart(3, '0'),
      `${1 + (i % 50)}`,
      `${1 + (i % 77)}`,
      '08B',
      `${1100000 + (i % 90000)}`,
      `${1800000 + (i % 90000)}`,
      `${year}`,
      '02/10/2018 03:50:01 PM',
      lat,
      lon,
      `(${lat}, ${lon})`,
    ];
    buf += fields.map((f) => (quoteAll ? `"${f.replace(/"/g, '""')}"` : csv(f))).join(',') + '\n';
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, rows, kind] = process.argv.slice(2);
  if (!out) throw new Error('usage: tsx scripts/bench-data.ts OUT.csv [ROWS] [bench|short|chicago|chicago-quoted]');
  const n = Number(rows ?? 1_000_000);
  await (kind === 'chicago-quoted' ? generateChicago(out, n, true) : kind === 'chicago' ? generateChicago(out, n) : kind === 'short' ? generateShort(out, n) : generate(out, n));
}
