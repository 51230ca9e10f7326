/**
 * Dispatch vocabularies (issue 16), as plain data for scripts/generate-vocabularies.ts to write:
 *
 * - CAD status forms: unit status abbreviations as real CAD systems and public incident feeds
 *   write them (PulsePoint's two-letter codes, a CAD paging format's three-letter codes, a CAD
 *   vendor's manual), added as aliases of the plain-status hub with their sources;
 * - `designator-conventions`: designator prefixes read the same way in much of the country, as
 *   templates of unit kinds, each with the agency material it comes from; a prefix that agencies
 *   read differently (T = truck at one, tanker at another) is a template of both kinds, so lookup
 *   answers with both readings;
 * - NWCG / FIRESCOPE typing (engines, crews, helicopters, airtankers, water tenders, dozers by
 *   type), added to the unit-kind hub: category names and size words as aliases, the types and
 *   their sources as props; lookup keeps a typed query's type as a property of the hit;
 * - apparatus names agencies use for a kind ("Engine tanker", "Tower ladder", "Crash truck"),
 *   added to the unit-kind hub as aliases with their sources.
 *
 * The main generator calls addCadStatusForms / addNwcgTyping / addKindNames on its hub terms
 * before writing them, and writes dispatchVocabularies() with their crosswalks.
 * What a source marks as inferred, or what the compiler inferred, is `certainty: inferred` with a
 * note saying what is inferred. Pure: no file is read or written here.
 */

export interface DispatchTerm {
  code: string;
  label: string;
  aliases?: string[];
  description?: string;
  note?: string;
  certainty?: 'documented' | 'inferred' | 'unverified';
  props?: Record<string, string>;
  designators?: string[];
}

export interface DispatchMapping {
  from: string;
  to?: string;
  relation: 'equivalent' | 'source-narrower' | 'source-broader' | 'related' | 'no-match';
  confidence?: number;
  note?: string;
}

export interface DispatchVocabulary {
  id: string;
  name: string;
  domain: 'unit' | 'status';
  description: string;
  source: string;
  terms: DispatchTerm[];
  /** The crosswalk from this vocabulary to its domain's hub. */
  hub: { to: string; description: string; mappings: DispatchMapping[] };
}

// ---------------------------------------------------------------------------------------------
// CAD status abbreviations: aliases of the plain-status hub
// ---------------------------------------------------------------------------------------------

const PULSEPOINT = 'PulsePoint unit status map as copied in public PulsePoint integrations on GitHub (find_string ids 15006220921, 36135709717, 55664291635)';
const CADPAGE_LIVINGSTON = 'Livingston County (NY) CAD page, cadpage/cadpage-android cadpageTest NYLivingstonCountyAParserTest.java';
const CRIMESTAR = 'https://crimestar.com/help/cadhelp/arrive_a_unit.htm (Crimestar CAD status monitor)';
const CVRIA = 'http://local.iteris.com/cvria/html/dataflows1/df327.html (US DOT CVRIA emergency vehicle status)';
const SONORAN = 'https://info.sonorancad.com/sonoran-cad/api-integration/push-events/unit-events/unit-logoff (Sonoran CAD unit status values)';

/** A status as a CAD system writes it: its code and/or words, the hub status, and the source. */
interface CadStatus {
  hub: string;
  forms: string[];
  system: string;
  source: string;
  /** What is inferred, when the source does not state the meaning. */
  inferred?: string;
}

const CAD_STATUS: CadStatus[] = [
  { hub: 'DISPATCHED', forms: ['DP'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'ACKNOWLEDGED', forms: ['AK'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'EN_ROUTE', forms: ['ER'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'STAGED', forms: ['SG'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'ON_SCENE', forms: ['OS'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'AVAILABLE', forms: ['AE', 'Available on scene'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'TRANSPORTING', forms: ['TR', 'Transport'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'AT_HOSPITAL', forms: ['TA', 'Transport arrived'], system: 'PulsePoint', source: PULSEPOINT, inferred: 'TA ("Transport Arrived") as arrived at the hospital is inferred: the source does not name the destination' },
  { hub: 'AVAILABLE_IN_QUARTERS', forms: ['AQ'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'AVAILABLE', forms: ['AR', 'Available on radio', 'Cleared from incident'], system: 'PulsePoint', source: PULSEPOINT },
  { hub: 'DISPATCHED', forms: ['DSP'], system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON },
  { hub: 'EN_ROUTE', forms: ['ENR'], system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON },
  { hub: 'ON_SCENE', forms: ['ARV'], system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON },
  { hub: 'TRANSPORTING', forms: ['DPT'], system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON, inferred: 'DPT ("Depart") as leaving the scene for the hospital is inferred from the page pairing it with a second arrival' },
  { hub: 'AVAILABLE_IN_QUARTERS', forms: ['QTR', 'In-statn'], system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON, inferred: 'QTR and "In-statn" as back in quarters are inferred; the page does not define them' },
  { hub: 'AVAILABLE', forms: ['CLR'], system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON },
  { hub: 'AVAILABLE', forms: ['AV'], system: 'Crimestar CAD', source: CRIMESTAR },
  { hub: 'EN_ROUTE', forms: ['EN'], system: 'Crimestar CAD', source: CRIMESTAR },
  { hub: 'ON_SCENE', forms: ['At incident'], system: 'US DOT CVRIA', source: CVRIA },
  { hub: 'AVAILABLE_IN_QUARTERS', forms: ['At quarters', 'At station'], system: 'US DOT CVRIA', source: CVRIA },
  { hub: 'OUT_OF_SERVICE', forms: ['Unavailable'], system: 'Sonoran CAD', source: SONORAN },
];

/** A hub term as the main generator holds it (only what this file adds to). */
export interface HubTermIn {
  code: string;
  aliases?: unknown[];
  note?: string;
  certainty?: 'documented' | 'inferred' | 'unverified';
  props?: Record<string, string>;
}

function addProp(t: HubTermIn, key: string, value: string): void {
  t.props = t.props ?? {};
  t.props[key] = t.props[key] ? `${t.props[key]}; ${value}` : value;
}

function addAlias(t: HubTermIn, alias: string): void {
  const have = new Set((t.aliases ?? []).map((a) => (typeof a === 'string' ? a : (a as { text: string }).text).toLowerCase()));
  if (!have.has(alias.toLowerCase())) t.aliases = [...(t.aliases ?? []), alias];
}

/**
 * Adds the CAD status abbreviations to the plain-status hub terms: each form an alias, its
 * system and source in prop `cad_forms`, what is inferred in the note.
 */
export function addCadStatusForms(hub: HubTermIn[]): void {
  for (const s of CAD_STATUS) {
    const t = hub.find((x) => x.code === s.hub);
    if (!t) throw new Error(`dispatch: no plain-status ${s.hub}`);
    for (const f of s.forms) addAlias(t, f);
    addProp(t, 'cad_forms', `${s.forms.join(', ')} (${s.system}: ${s.source})`);
    if (s.inferred) t.note = t.note ? `${t.note} ${s.inferred}.` : `${s.inferred}.`;
  }
}

// ---------------------------------------------------------------------------------------------
// Designator conventions without an agency
// ---------------------------------------------------------------------------------------------

const MONTCO = 'https://www.montcopa.org/837/Standards-and-Abbreviations (Montgomery County PA WebCAD apparatus and officer abbreviations)';
const SARATOGA = 'https://www.saratogacofire.org/copy-of-county-fire-radio-procedure (Saratoga County NY radio identifiers)';
const MODELFIRE = 'http://modelfireapparatus.com/other_details.htm (common US apparatus designations)';
const SFFD = '../shared/reference/unit_designator_conventions.csv (SFFD CAD export; Boston-area radio glossary)';
const CHULA = 'https://chulavistaca.gov/departments/fire-department/apparatus-typing-explained';
const TANEY = 'http://westerntaneyfire.com/equipment/index.php';

interface Convention {
  kind: string;
  label: string;
  templates: { t: string; source: string; inferred?: string }[];
}

/** Unit kind (unit-kinds code) → templates, each with where it is seen. */
const CONVENTIONS: Convention[] = [
  {
    kind: 'ENGINE',
    label: 'Engine',
    templates: [
      { t: 'Engine {n}', source: CHULA },
      { t: 'E{n}', source: `${SFFD}; ${MONTCO}` },
      { t: 'ENG{n}', source: `${SFFD}; https://docest.com/doc/290323/s6-lycoming-sullivan-county` },
      { t: 'Pumper {n}', source: MODELFIRE },
      { t: 'Squirt {n}', source: MODELFIRE },
      { t: 'SQ{n}', source: MONTCO, inferred: 'SQ is Squirt (an engine with an elevated stream) at Montgomery County PA; elsewhere SQ may be a squad' },
      { t: 'Quad {n}', source: MODELFIRE },
    ],
  },
  {
    kind: 'TRUCK',
    label: 'Truck / ladder',
    templates: [
      { t: 'Truck {n}', source: CHULA },
      { t: 'Ladder {n}', source: `${MODELFIRE}; ${TANEY}` },
      { t: 'T{n}', source: `${SFFD}; ${SARATOGA}` },
      { t: 'L{n}', source: SARATOGA },
      { t: 'LAD{n}', source: SFFD },
      { t: 'Tower {n}', source: MODELFIRE },
      { t: 'TW{n}', source: MONTCO },
      { t: 'Snorkel {n}', source: MODELFIRE },
      { t: 'SN{n}', source: MONTCO },
      { t: 'Aerial {n}', source: MODELFIRE, inferred: 'Aerial as a call sign is inferred from the apparatus name' },
    ],
  },
  {
    kind: 'TENDER',
    label: 'Tender / tanker',
    templates: [
      { t: 'Tender {n}', source: MODELFIRE },
      { t: 'Water Tender {n}', source: MODELFIRE },
      { t: 'Tanker {n}', source: `${MODELFIRE}; ${TANEY}` },
      { t: 'T{n}', source: MONTCO },
      { t: 'WT{n}', source: MODELFIRE, inferred: 'WT as the short form of Water Tender is inferred' },
      { t: 'TDR{n}', source: MODELFIRE, inferred: 'TDR as the short form of Tender is inferred' },
    ],
  },
  {
    kind: 'BRUSH',
    label: 'Brush / wildland engine',
    templates: [
      { t: 'Brush {n}', source: `${CHULA}; ${TANEY}` },
      { t: 'F{n}', source: SARATOGA },
      { t: 'Forestry {n}', source: SARATOGA },
      { t: 'Field {n}', source: `${MONTCO}; ${MODELFIRE}` },
      { t: 'BR{n}', source: MODELFIRE, inferred: 'BR as the short form of Brush is inferred' },
    ],
  },
  {
    kind: 'QUINT',
    label: 'Quint',
    templates: [
      { t: 'Quint {n}', source: MODELFIRE },
      { t: 'QT{n}', source: MONTCO },
    ],
  },
  {
    kind: 'RESCUE',
    label: 'Rescue (technical)',
    templates: [
      { t: 'Rescue {n}', source: TANEY },
      { t: 'R{n}', source: `${MONTCO}; ${SARATOGA}` },
      { t: 'RES{n}', source: SFFD },
      { t: 'USAR {n}', source: CHULA },
      { t: 'US&R {n}', source: CHULA },
    ],
  },
  {
    kind: 'HAZMAT',
    label: 'Hazardous materials unit',
    templates: [
      { t: 'Hazmat {n}', source: TANEY },
      { t: 'Haz-Mat {n}', source: TANEY },
      { t: 'Haz Mat {n}', source: TANEY },
      { t: 'HM{n}', source: `${MONTCO}; ${SARATOGA}` },
      { t: 'HZ{n}', source: SFFD, inferred: 'the reference infers the HazMat meaning of SFFD HZ' },
    ],
  },
  {
    kind: 'BATTALION_CHIEF',
    label: 'Battalion chief',
    templates: [
      { t: 'Battalion {n}', source: CHULA },
      { t: 'BC{n}', source: MONTCO },
      { t: 'Battalion Chief {n}', source: CHULA },
      { t: 'B{n}', source: SFFD, inferred: 'the reference infers "battalion" for SFFD B from its Battalion column' },
    ],
  },
  {
    kind: 'CHIEF',
    label: 'Chief officer',
    templates: [
      { t: 'Chief {n}', source: 'https://docest.com/doc/290323/s6-lycoming-sullivan-county' },
      { t: 'CH{n}', source: MONTCO },
      { t: 'DC{n}', source: MONTCO },
      { t: 'Deputy Chief {n}', source: MONTCO },
      { t: 'AC{n}', source: MONTCO },
      { t: 'Assistant Chief {n}', source: MONTCO },
      { t: 'C{n}', source: SARATOGA },
      { t: 'CAR{n}', source: SFFD },
      { t: 'D{n}', source: SFFD, inferred: 'the reference infers "division chief" for SFFD D' },
    ],
  },
  {
    kind: 'ARFF',
    label: 'Aircraft rescue and firefighting',
    templates: [
      { t: 'Crash {n}', source: MODELFIRE },
      { t: 'ARFF {n}', source: MODELFIRE, inferred: 'ARFF as a call sign is inferred from the apparatus type name' },
    ],
  },
  {
    kind: 'BOAT',
    label: 'Boat / fire boat',
    templates: [
      { t: 'Boat {n}', source: TANEY },
      { t: 'Fireboat {n}', source: SFFD },
      { t: 'FB{n}', source: SFFD, inferred: 'the reference infers the fireboat meaning of SFFD FB' },
      { t: 'MU{n}', source: MONTCO },
      { t: 'MR{n}', source: SARATOGA },
      { t: 'Marine {n}', source: MONTCO },
    ],
  },
  {
    kind: 'ALS_AMBULANCE',
    label: 'Medic (ALS ambulance)',
    templates: [
      { t: 'Medic {n}', source: SFFD },
      { t: 'M{n}', source: SFFD },
    ],
  },
  {
    kind: 'BLS_AMBULANCE',
    label: 'Ambulance',
    templates: [
      { t: 'Ambulance {n}', source: 'http://www.firehouse.com/forums/t59533/ (Frederick County, MD: ambulance = BLS unit)' },
      { t: 'AMB{n}', source: SFFD, inferred: 'AMB as the short form of Ambulance is inferred' },
    ],
  },
  {
    kind: 'SUPPORT',
    label: 'Utility / support unit',
    templates: [
      { t: 'Utility {n}', source: TANEY },
      { t: 'U{n}', source: `${MONTCO}; ${SARATOGA}` },
    ],
  },
  {
    kind: 'CREW',
    label: 'Hand crew',
    templates: [{ t: 'Crew {n}', source: MODELFIRE }],
  },
];

/** Prefixes whose kind differs between agencies (the same template under two kinds). */
function conflicts(): Map<string, string[]> {
  const byTemplate = new Map<string, string[]>();
  for (const c of CONVENTIONS) for (const t of c.templates) byTemplate.set(t.t.toUpperCase(), [...(byTemplate.get(t.t.toUpperCase()) ?? []), c.kind]);
  return new Map([...byTemplate].filter(([, kinds]) => kinds.length > 1));
}

function conventionTerms(): DispatchTerm[] {
  const clash = conflicts();
  return CONVENTIONS.map((c) => {
    const inferred = c.templates.filter((t) => t.inferred);
    const shared = c.templates.filter((t) => clash.has(t.t.toUpperCase()));
    const notes = [
      ...inferred.map((t) => `${t.t}: ${t.inferred}.`),
      ...shared.map(
        (t) =>
          `${t.t} is also read as ${clash
            .get(t.t.toUpperCase())!
            .filter((k) => k !== c.kind)
            .join(', ')} by other agencies: lookup answers with both readings.`,
      ),
    ];
    const term: DispatchTerm = {
      code: c.kind,
      label: `${c.label} (common convention)`,
      designators: c.templates.map((t) => t.t),
      props: { templates_source: c.templates.map((t) => `${t.t}: ${t.source}`).join(' | ') },
    };
    if (notes.length) term.note = notes.join(' ');
    // The convention as a whole is documented when at least one template is; a kind all of whose templates are inferred is inferred.
    if (inferred.length === c.templates.length) term.certainty = 'inferred';
    return term;
  });
}

// ---------------------------------------------------------------------------------------------
// NWCG / FIRESCOPE resource typing
// ---------------------------------------------------------------------------------------------

const NWCG_ENGINES = 'https://nwcg.gov/page/engines (NWCG engine types 1-7: 1-2 structure, 3-7 wildland)';
const PMS200 = 'https://www.nwcg.gov/publications/pms200 (NWCG Standards for Wildland Fire Resource Typing, PMS 200)';
const NWCG_DATA = 'https://docslib.org/doc/6624343/fire-resource-kind-category-and-type-standard-data-values-june-12-2008 (NWCG Data Standard: Fire Resource Kind, Category, and Type)';
const FIRESCOPE_TENDERS = 'https://docslib.org/doc/1437463/water-tender-and-engine-typing-nwcg-nims-firescope-changes-november-2012 (FIRESCOPE memo: tenders split into tactical and support)';
const CREWS = 'https://incidentresources.com/higher-learning/ (NWCG crew and dozer standard changes); https://forums.wildfireintel.org/t/resource-typing-and-updating/5822 (Type 2IA)';

interface Typed {
  code: string;
  category: string;
  type: string;
  kind: string;
  /** Words of the category as people write them ("engine", "airtanker", "air tanker"). */
  names: string[];
  size?: string;
  extra?: string[];
  source: string;
  certainty?: 'inferred';
  note?: string;
}

function typedResources(): Typed[] {
  const out: Typed[] = [];
  for (let n = 1; n <= 7; n++) {
    out.push({
      code: `ENGINE_T${n}`,
      category: 'Engine',
      type: String(n),
      kind: n <= 2 ? 'ENGINE' : 'BRUSH',
      names: [],
      extra: n >= 3 ? ['Wildland engine'] : ['Structure engine'],
      source: NWCG_ENGINES,
      ...(n >= 3 ? { note: 'NWCG types 3-7 are wildland engines; the unit-kinds hub has one wildland engine kind (BRUSH).' } : {}),
    });
  }
  const helo = ['heavy', 'medium', 'light'];
  for (let n = 1; n <= 3; n++) out.push({ code: `HELICOPTER_T${n}`, category: 'Helicopter', type: String(n), kind: 'HELICOPTER', names: ['helicopter'], size: helo[n - 1]!, source: `${NWCG_DATA}; ${PMS200}` });
  out.push({ code: 'AIRTANKER_VLAT', category: 'Airtanker', type: 'VLAT', kind: 'AIR_TANKER', names: ['airtanker', 'air tanker'], extra: ['VLAT', 'Very large airtanker', 'Very large air tanker'], source: PMS200 });
  const at = ['heavy', 'medium', 'light', 'light'];
  for (let n = 1; n <= 4; n++) {
    out.push({
      code: `AIRTANKER_T${n}`,
      category: 'Airtanker',
      type: String(n),
      kind: 'AIR_TANKER',
      names: ['airtanker', 'air tanker'],
      size: at[n - 1]!,
      ...(n === 4 ? { extra: ['SEAT', 'Single engine airtanker', 'Single engine air tanker'] } : {}),
      source: `${NWCG_DATA}; ${PMS200}`,
      ...(n >= 3 ? { note: 'The NWCG data standard groups types 3 and 4 as light airtankers, including single engine airtankers (SEAT).' } : {}),
    });
  }
  out.push({
    code: 'CREW_T1',
    category: 'Crew',
    type: '1',
    kind: 'CREW',
    names: [],
    extra: ['Interagency hotshot crew', 'Hotshot crew', 'IHC'],
    source: CREWS,
    note: "Type 1 crews are hotshot crews (IHC) outside CAL FIRE, per a practitioners' forum; NWCG types by capability, not by name.",
    certainty: 'inferred',
  });
  out.push({ code: 'CREW_T2IA', category: 'Crew', type: '2IA', kind: 'CREW', names: [], extra: ['Initial attack crew'], source: CREWS });
  out.push({ code: 'CREW_T2', category: 'Crew', type: '2', kind: 'CREW', names: ['crew'], source: CREWS });
  for (let n = 1; n <= 3; n++) {
    out.push({ code: `TENDER_TACTICAL_T${n}`, category: 'Water tender, tactical', type: String(n), kind: 'TENDER', names: ['tactical water tender'], source: FIRESCOPE_TENDERS });
    out.push({ code: `TENDER_SUPPORT_T${n}`, category: 'Water tender, support', type: String(n), kind: 'TENDER', names: ['support water tender'], source: FIRESCOPE_TENDERS });
  }
  const dozer = ['heavy', 'medium', 'light', 'light'];
  for (let n = 1; n <= 4; n++) {
    out.push({
      code: `DOZER_T${n}`,
      category: 'Dozer',
      type: String(n),
      kind: 'DOZER',
      names: ['dozer', 'bulldozer'],
      size: dozer[n - 1]!,
      source: CREWS,
      certainty: 'inferred',
      note: "Dozer types are NWCG's; the size words (heavy, medium, light) and type 4 (added in 2019) come from a secondary source, not the standard itself.",
    });
  }
  return out;
}

const SARATOGA_ETA = 'https://www.saratogacofire.org/copy-of-county-fire-radio-procedure (ETA = Engine Tanker); http://www.firehouse.com/forums/t59533/ (Frederick County MD: Engine-Tanker)';

/** Apparatus names agencies use for a hub kind, with their sources. */
const KIND_NAMES: { kind: string; names: string[]; source: string }[] = [
  { kind: 'TENDER', names: ['Engine tanker', 'Pumper tanker'], source: `${SARATOGA_ETA}; NFIRS "Tanker & pumper combination" (../shared/reference/unit_types.csv)` },
  { kind: 'TRUCK', names: ['Tower ladder', 'Tower', 'Snorkel'], source: 'http://modelfireapparatus.com/other_details.htm; https://docsbay.net/apparatus-terminology' },
  { kind: 'ARFF', names: ['Crash truck', 'Crash rescue'], source: 'http://modelfireapparatus.com/other_details.htm' },
  { kind: 'ENGINE', names: ['Fire engine'], source: 'https://www.chicagofiremap.com/p/fire.html ("Fire Engine or Engine")' },
  { kind: 'CHIEF', names: ['Deputy chief', 'Assistant chief', 'Fire chief'], source: 'https://www.montcopa.org/837/Standards-and-Abbreviations (CH Chief, DC Deputy Chief, AC Assistant Chief)' },
  { kind: 'BRUSH', names: ['Forestry unit', 'Field unit', 'Brush fire unit'], source: 'https://www.saratogacofire.org/copy-of-county-fire-radio-procedure; http://modelfireapparatus.com/other_details.htm' },
];

/** Adds apparatus names agencies use to the unit-kind hub terms (prop `names_source`). */
export function addKindNames(hub: HubTermIn[]): void {
  for (const k of KIND_NAMES) {
    const t = hub.find((x) => x.code === k.kind);
    if (!t) throw new Error(`dispatch: no unit kind ${k.kind}`);
    for (const n of k.names) addAlias(t, n);
    addProp(t, 'names_source', `${k.names.join(', ')}: ${k.source}`);
  }
}

/**
 * Adds NWCG typing to the unit-kind hub terms: the category names as aliases ("Airtanker",
 * "Single engine airtanker", "Hotshot crew"), the size words, and prop `nwcg_types` with each
 * type and its source. Lookup reads "Type 3 engine" as the kind with the type kept (lookup/phrase.ts).
 */
export function addNwcgTyping(hub: HubTermIn[]): void {
  for (const r of typedResources()) {
    const t = hub.find((x) => x.code === r.kind);
    if (!t) throw new Error(`dispatch: no unit kind ${r.kind}`);
    for (const name of r.names) {
      addAlias(t, name[0]!.toUpperCase() + name.slice(1));
      if (r.size) addAlias(t, `${r.size[0]!.toUpperCase()}${r.size.slice(1)} ${name}`);
    }
    for (const x of r.extra ?? []) if (!/^type /i.test(x)) addAlias(t, x);
    addProp(t, 'nwcg_types', `${r.category} type ${r.type}${r.size ? ` (${r.size})` : ''}${r.certainty ? ' [inferred]' : ''}`);
    if (r.note && !(t.note ?? '').includes(r.note)) t.note = t.note ? `${t.note} ${r.note}` : r.note;
  }
  for (const t of hub)
    if (t.props?.['nwcg_types'])
      addProp(
        t,
        'nwcg_source',
        [
          ...new Set(
            typedResources()
              .filter((r) => r.kind === t.code)
              .map((r) => r.source),
          ),
        ].join('; '),
      );
}

// ---------------------------------------------------------------------------------------------

export function dispatchVocabularies(): DispatchVocabulary[] {
  const conventions = conventionTerms();
  return [
    {
      id: 'designator-conventions',
      name: 'Unit designator conventions (no agency)',
      domain: 'unit',
      description:
        'Designator prefixes read the same way in much of the country (Engine 7, E7, ENG7; TW1 tower; BC2 battalion chief; Crash 1 airport unit ...), as templates of unit kinds, for a designator whose agency is not known. ' +
        "An agency's own templates win when the agency is named or matches. A prefix agencies read differently (T: truck in San Francisco and Saratoga County, tanker in Montgomery County PA) is a template of both kinds, and lookup answers with both readings. " +
        'Prop templates_source names the agency material each template comes from; inferred templates are noted.',
      source: `${SFFD}; ${MONTCO}; ${SARATOGA}; ${MODELFIRE}; ${CHULA}; ${TANEY}`,
      terms: conventions,
      hub: {
        to: 'unit-kinds',
        description: 'Each convention names a unit kind of the hub.',
        mappings: conventions.map((t) => ({ from: t.code, to: t.code, relation: 'equivalent' as const })),
      },
    },
  ];
}
