/**
 * How `lookup` reads text: the same normalization for a person's query and for the labels,
 * aliases and codes it is matched against, so that "AGG ASLT W/ GUN", "Aggravated assault -
 * firearm" and "aggravated assaults (firearms)" meet in the middle.
 *
 * Steps: lower case and strip diacritics; "&" → "and", "w/" → "with", "b&e" → "breaking and
 * entering"; split on anything that is not a letter or digit (hyphens, slashes, dots); spell
 * ordinals one way ("first" → "1st"); expand abbreviations found in real agency labels (below);
 * stem plurals and a few suffixes; drop words that carry no meaning ("of", "the").
 *
 * The abbreviation table is data, not cleverness: every entry is a shortening seen in RMS offense
 * tables, CAD status lists or unit type lists, and the lookup accuracy test (test/lookup) measures
 * what each one buys.
 */

/** Words that carry no meaning for matching; kept out of both sides. */
export const STOP_WORDS: ReadonlySet<string> = new Set(['a', 'an', 'and', 'the', 'of', 'etc', 'or', 'as', 'at', 'to', 'on', 'in', 'for', 'by', 'is']);

/**
 * Abbreviations and spellings of real labels → the words they stand for (already lower case;
 * the expansion is tokenized again, so it may hold several words). A leading `+` keeps the word
 * itself too: "autos" is a motor vehicle, and also the SRS class "Motor Vehicle Theft - Autos".
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  // offenses
  agg: 'aggravated',
  aggr: 'aggravated',
  aggrav: 'aggravated',
  aggravted: 'aggravated',
  aslt: 'assault',
  asslt: 'assault',
  aslts: 'assault',
  assl: 'assault',
  asault: 'assault',
  batt: 'battery',
  btry: 'battery',
  burg: 'burglary',
  burgl: 'burglary',
  brglry: 'burglary',
  rob: 'robbery',
  robb: 'robbery',
  hom: 'homicide',
  homi: 'homicide',
  murd: 'murder',
  mansl: 'manslaughter',
  manslt: 'manslaughter',
  neg: 'negligent',
  invol: 'involuntary',
  vol: 'voluntary',
  larc: 'larceny',
  thft: 'theft',
  fr: 'from',
  shoplift: 'shoplifting',
  pickpocket: 'pocket picking',
  pickpocketing: 'pocket picking',
  mv: 'motor vehicle',
  mvt: 'motor vehicle theft',
  veh: 'vehicle',
  vehs: 'vehicle',
  auto: '+motor vehicle',
  autos: '+motor vehicle',
  car: '+motor vehicle',
  uuv: 'unauthorized use motor vehicle',
  poss: 'possession',
  possess: 'possession',
  cs: 'controlled substance',
  para: 'paraphernalia',
  paraph: 'paraphernalia',
  narc: 'narcotic',
  narcs: 'narcotic',
  narcotics: 'narcotic',
  drugs: 'drug',
  dist: 'distribution',
  distrib: 'distribution',
  sales: 'sale',
  wpn: 'weapon',
  wpns: 'weapon',
  weap: 'weapon',
  gun: 'firearm',
  guns: 'firearm',
  handgun: 'firearm',
  frm: 'firearm',
  ccw: 'carrying concealed weapon',
  uuw: 'unlawful use weapon',
  // DUI, DWI, OUI and OWI name one offense class; each stands for all the words its variants use.
  dui: 'driving under influence while intoxicated',
  dwi: 'driving under influence while intoxicated',
  oui: 'operating driving under influence while intoxicated',
  owi: 'operating driving under influence while intoxicated',
  dv: 'domestic',
  dom: 'domestic',
  vand: 'vandalism',
  crim: 'criminal',
  misch: 'mischief',
  dmg: 'damage',
  prop: 'property',
  tresp: 'trespass',
  trespassing: 'trespass',
  trespasser: 'trespass',
  disord: 'disorderly',
  diso: 'disorderly',
  cond: 'conduct',
  forg: 'forgery',
  cntrft: 'counterfeiting',
  counterfeit: 'counterfeiting',
  embez: 'embezzlement',
  embzl: 'embezzlement',
  id: 'identity',
  ident: 'identity',
  cc: 'credit card',
  atm: 'automated teller machine',
  kidnap: 'kidnapping',
  kidnaping: 'kidnapping',
  abduct: 'abduction',
  sex: 'sexual',
  sexl: 'sexual',
  stat: 'statutory',
  porn: 'pornography',
  obsc: 'obscene',
  prost: 'prostitution',
  prostit: 'prostitution',
  gambl: 'gambling',
  liq: 'liquor',
  intox: 'intoxicated',
  drunk: 'drunkenness',
  pub: 'public',
  fta: 'failure appear',
  viol: 'violation',
  vio: 'violation',
  viols: 'violation',
  ord: 'ordinance',
  ht: 'human trafficking',
  traff: 'trafficking',
  traf: 'traffic',
  wmd: 'weapon mass destruction',
  nfa: 'national firearm act',
  nonneg: 'nonnegligent',
  nonresidential: 'non residential',
  res: 'residential',
  resid: 'residential',
  comm: 'commercial',
  coml: 'commercial',
  // status
  svc: 'service',
  serv: 'service',
  srv: 'service',
  oos: 'out service',
  avail: 'available',
  avl: 'available',
  qtrs: 'quarters',
  qtr: 'quarters',
  qrts: 'quarters',
  enrt: 'en route',
  enroute: 'en route',
  rte: 'route',
  ack: 'acknowledged',
  ackd: 'acknowledged',
  disp: 'dispatched',
  dsp: 'dispatched',
  stg: 'staged',
  staging: 'staged',
  ons: 'on scene',
  arr: 'arrived',
  arrvd: 'arrived',
  trn: 'transporting',
  trans: 'transport',
  transp: 'transport',
  pt: 'patient',
  pts: 'patient',
  hosp: 'hospital',
  hosps: 'hospital',
  rtq: 'returning quarters',
  rtn: 'returning',
  ret: 'returning',
  canc: 'cancelled',
  canceled: 'cancelled',
  cxl: 'cancelled',
  clr: 'cleared',
  clear: 'cleared',
  eta: 'estimated time arrival',
  info: 'information',
  msg: 'message',
  // units
  amb: 'ambulance',
  ambo: 'ambulance',
  ambu: 'ambulance',
  eng: 'engine',
  engn: 'engine',
  lad: 'ladder',
  ldr: 'ladder',
  trk: 'truck',
  qnt: 'quint',
  tdr: 'tender',
  tnkr: 'tanker',
  bc: 'battalion chief',
  btn: 'battalion',
  bat: 'battalion',
  bn: 'battalion',
  helo: 'helicopter',
  heli: 'helicopter',
  hm: 'hazmat',
  haz: 'hazmat',
  hazardous: 'hazmat',
  supv: 'supervisor',
  sup: 'supervisor',
  supvr: 'supervisor',
  sgt: 'sergeant',
  cmd: 'command',
  icp: 'command post',
  med: 'medic',
  paramedic: 'medic',
  notrans: 'non transport',
  nontransport: 'non transport',
  usar: 'urban search rescue',
  k9: 'canine',
  brsh: 'brush',
  wui: 'wildland',
  struct: 'structure',
  comms: 'communications',
  decon: 'decontamination',
  rehab: 'rehabilitation',
  util: 'utility',
  invest: 'investigation',
  pov: 'privately owned vehicle',
  uas: 'unmanned aircraft',
  atv: 'all terrain vehicle',
  arff: 'aircraft rescue firefighting',
  ff: 'firefighting',
  fireboat: 'fire boat',
  bike: 'bicycle',
  bikes: 'bicycle',
  cycle: 'bicycle',
  // CAD status and wildland words (issue 16)
  asst: 'assistant',
  co: 'company',
  enr: 'en route',
  arv: 'arrived',
  scn: 'scene',
  stn: 'station',
  statn: 'station',
  dpt: 'depart',
  unavail: 'unavailable',
  airtanker: 'air tanker',
  airtankers: 'air tanker',
  bulldozer: 'dozer',
  bulldozers: 'dozer',
  helitack: 'helicopter',
};

const ROMAN: Readonly<Record<string, string>> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6', vii: '7' };

const ORDINALS: Readonly<Record<string, string>> = {
  first: '1st',
  second: '2nd',
  third: '3rd',
  fourth: '4th',
  fifth: '5th',
  '1': '1st',
  '2': '2nd',
  '3': '3rd',
  '4': '4th',
  '2d': '2nd',
  '3d': '3rd',
};

/** Lower case, no diacritics, with the few multi-character shorthands spelled out. */
export function fold(text: string): string {
  // Each step only when the text can need it: labels are folded by the thousand at start-up.
  // Camel case is two words as CAD systems join them ("InQtrs", "AvailOnScene").
  let s = /[a-z][A-Z]/.test(text) ? text.replace(/([a-z])(?=[A-Z])/g, '$1 ').toLowerCase() : text.toLowerCase();
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (s.includes('&')) s = s.replace(/\bb\s*&\s*e\b/g, ' breaking and entering ').replace(/&/g, ' and ');
  if (s.includes('/'))
    s = s
      .replace(/\bw\s*\/\s*o\b/g, ' without ')
      .replace(/\bw\s*\/(?=\s|\w)/g, ' with ')
      .replace(/\bo\s*\/\s*s\b/g, ' out service ');
  if (s.includes('drunk')) s = s.replace(/\bdrunk(?:en)?\s+driv(?:ing|er|ers)\b/g, ' driving under influence ');
  if (s.includes('$')) s = s.replace(/\$\s*(\d)/g, '$1');
  if (s.includes('haz')) s = s.replace(/\bhaz(?:ardous)?[\s-]*mat(?:erials?)?\b/g, ' hazmat ');
  // NWCG typing: "Type III", "type 3", "Type 2 IA" are one word ("type3"), so a type never meets
  // a designator number or an ordinal.
  if (s.includes('type')) s = s.replace(/\btype[\s-]*(vii|vi|iv|v|iii|ii|i|\d+)(?:[\s-]*(ia))?\b/g, (_m, n: string, ia?: string) => ` type${ROMAN[n] ?? n}${ia ?? ''} `);
  return s;
}

/** Split folded text into words: runs of letters and digits (so "10-8" is "10", "8"). */
export function words(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A light stemmer: plurals and a few suffixes, applied alike to both sides. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) return undouble(w.slice(0, -3));
  if (w.endsWith('ment') && w.length > 7) return w.slice(0, -4);
  if (w.endsWith('ance') && w.length > 7) return w.slice(0, -4);
  if (w.endsWith('ed') && w.length > 5 && !w.endsWith('eed')) return undouble(w.slice(0, -2));
  if (w.endsWith('es') && /(ch|sh|x|ss|zz)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/**
 * The meaningful, normalized words of a text, in order: folded, split, ordinals spelled one way,
 * abbreviations expanded, stop words dropped, stemmed.
 */
export function tokens(text: string, keepStopWords = false): string[] {
  const out: string[] = [];
  for (const w of words(fold(text))) expand(w, out, 0, keepStopWords);
  return out;
}

function expand(w: string, out: string[], depth: number, keepStop: boolean): void {
  const ordinal = ORDINALS[w];
  if (ordinal !== undefined && depth === 0) {
    out.push(ordinal);
    return;
  }
  const abbr = Object.hasOwn(ABBREVIATIONS, w) ? ABBREVIATIONS[w] : undefined;
  if (abbr !== undefined && abbr !== w && depth === 0) {
    if (abbr.startsWith('+')) out.push(stem(w));
    for (const x of words(abbr)) expand(x, out, depth + 1, keepStop);
    return;
  }
  if (STOP_WORDS.has(w) && !keepStop) return;
  out.push(stem(w));
}

/** Letters and digits only, lower case: "Pocket-picking" → "pocketpicking", "E-12" → "e12". */
export function compact(text: string): string {
  return words(fold(text)).join('');
}

/** The first letters of a text's words (stop words out): "Driving While Intoxicated" → "dwi". */
export function initials(text: string): string {
  return words(fold(text))
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => w[0])
    .join('');
}
