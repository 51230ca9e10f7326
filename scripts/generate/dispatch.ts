/**
 * Dispatch vocabularies (issue 16), as plain data for scripts/generate-vocabularies.ts to write:
 *
 * - `cad-status-codes`: unit status abbreviations as real CAD systems and public incident feeds
 *   write them (PulsePoint's two-letter codes, a CAD paging format's three-letter codes, a CAD
 *   vendor's manual), each with its source, and their crosswalk to the plain-status hub;
 * - `designator-conventions`: designator prefixes read the same way in much of the country, as
 *   templates of unit kinds, each with the agency material it comes from; a prefix that agencies
 *   read differently (T = truck at one, tanker at another) is a template of both kinds, so lookup
 *   answers with both readings;
 * - `nwcg-typing`: NWCG / FIRESCOPE typed resources (engines, crews, helicopters, airtankers,
 *   water tenders, dozers by type), each mapped to its unit kind with the type kept as props.
 *
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
// CAD status abbreviations
// ---------------------------------------------------------------------------------------------

const PULSEPOINT = 'PulsePoint unit status map as copied in public PulsePoint integrations on GitHub (find_string ids 15006220921, 36135709717, 55664291635)';
const CADPAGE_LIVINGSTON = 'Livingston County (NY) CAD page, cadpage/cadpage-android cadpageTest NYLivingstonCountyAParserTest.java (unit lines DSP/ENR/ARV/DPT/QTR/CLR)';
const CRIMESTAR = 'https://crimestar.com/help/cadhelp/arrive_a_unit.htm (Crimestar CAD status monitor codes)';

const CAD_STATUS: (DispatchTerm & { hub: Omit<DispatchMapping, 'from'> })[] = [
  { code: 'DP', label: 'Dispatched', props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'DISPATCHED', relation: 'equivalent' } },
  { code: 'AK', label: 'Acknowledged', props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'ACKNOWLEDGED', relation: 'equivalent' } },
  { code: 'ER', label: 'Enroute', aliases: ['En route'], props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'EN_ROUTE', relation: 'equivalent' } },
  { code: 'SG', label: 'Staged', props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'STAGED', relation: 'equivalent' } },
  { code: 'OS', label: 'On scene', note: 'OS is On scene in PulsePoint; ICS writes O/S for Out of service.', props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'ON_SCENE', relation: 'equivalent' } },
  { code: 'AE', label: 'Available on scene', props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'AVAILABLE', relation: 'source-narrower', note: 'Available for a new assignment while still at the scene.' } },
  { code: 'TR', label: 'Transport', aliases: ['Transporting'], props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'TRANSPORTING', relation: 'equivalent' } },
  {
    code: 'TA',
    label: 'Transport arrived',
    aliases: ['Arrived at destination'],
    certainty: 'inferred',
    note: 'That the arrival is at the hospital (the transport destination) is inferred from the status order; the source says only "Transport Arrived".',
    props: { system: 'PulsePoint', source: PULSEPOINT },
    hub: { to: 'AT_HOSPITAL', relation: 'equivalent', confidence: 0.8 },
  },
  { code: 'AQ', label: 'Available in quarters', props: { system: 'PulsePoint', source: PULSEPOINT }, hub: { to: 'AVAILABLE_IN_QUARTERS', relation: 'equivalent' } },
  {
    code: 'AR',
    label: 'Available on radio',
    aliases: ['Cleared from incident'],
    note: 'Copies of the PulsePoint map differ: "Available on Radio" in one, "Cleared From Incident" in others; both mean the unit is free again, away from quarters.',
    props: { system: 'PulsePoint', source: PULSEPOINT },
    hub: { to: 'AVAILABLE', relation: 'source-narrower', confidence: 0.9 },
  },
  { code: 'DSP', label: 'Dispatched', props: { system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON }, hub: { to: 'DISPATCHED', relation: 'equivalent' } },
  { code: 'ENR', label: 'En route', aliases: ['En-route'], props: { system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON }, hub: { to: 'EN_ROUTE', relation: 'equivalent' } },
  { code: 'ARV', label: 'Arrived', aliases: ['On-scene'], props: { system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON }, hub: { to: 'ON_SCENE', relation: 'equivalent' } },
  {
    code: 'DPT',
    label: 'Departed',
    certainty: 'inferred',
    note: 'The page pairs "Depart 1" with "Arrive 2"; leaving the scene for a second location (usually the hospital) is inferred, not stated.',
    props: { system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON },
    hub: { to: 'TRANSPORTING', relation: 'related', confidence: 0.6 },
  },
  {
    code: 'QTR',
    label: 'In quarters',
    aliases: ['In station', 'In-statn'],
    certainty: 'inferred',
    note: 'QTR (the unit line) and "In-statn" (the call summary) are read as back in quarters; the page does not define them.',
    props: { system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON },
    hub: { to: 'AVAILABLE_IN_QUARTERS', relation: 'equivalent', confidence: 0.8 },
  },
  { code: 'CLR', label: 'Cleared', props: { system: 'CAD paging (Livingston County, NY)', source: CADPAGE_LIVINGSTON }, hub: { to: 'AVAILABLE', relation: 'related', confidence: 0.8, note: 'Cleared from the call; usually, not always, available again.' } },
  { code: 'AV', label: 'Available', props: { system: 'Crimestar CAD', source: CRIMESTAR }, hub: { to: 'AVAILABLE', relation: 'equivalent' } },
  { code: 'EN', label: 'Enroute', props: { system: 'Crimestar CAD', source: CRIMESTAR }, hub: { to: 'EN_ROUTE', relation: 'equivalent' } },
];

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
      { t: 'AC{n}', source: MONTCO },
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
      ...shared.map((t) => `${t.t} is also read as ${clash.get(t.t.toUpperCase())!.filter((k) => k !== c.kind).join(', ')} by other agencies: lookup answers with both readings.`),
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

const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];

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
      names: ['engine'],
      extra: n >= 3 ? [`Type ${n} wildland engine`] : [`Type ${n} structure engine`],
      source: NWCG_ENGINES,
      ...(n >= 3 ? { note: 'NWCG types 3-7 are wildland engines; the unit-kinds hub has one wildland engine kind (BRUSH).' } : {}),
    });
  }
  const helo = ['heavy', 'medium', 'light'];
  for (let n = 1; n <= 3; n++) out.push({ code: `HELICOPTER_T${n}`, category: 'Helicopter', type: String(n), kind: 'HELICOPTER', names: ['helicopter', 'helo'], size: helo[n - 1]!, source: `${NWCG_DATA}; ${PMS200}` });
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
  out.push({ code: 'CREW_T1', category: 'Crew', type: '1', kind: 'CREW', names: ['crew', 'hand crew'], extra: ['Interagency hotshot crew', 'Hotshot crew', 'IHC'], source: CREWS, note: 'Type 1 crews are hotshot crews (IHC) outside CAL FIRE, per a practitioners\' forum; NWCG types by capability, not by name.', certainty: 'inferred' });
  out.push({ code: 'CREW_T2IA', category: 'Crew', type: '2IA', kind: 'CREW', names: ['crew', 'hand crew'], extra: ['Type 2 initial attack crew', 'Type II IA crew'], source: CREWS });
  out.push({ code: 'CREW_T2', category: 'Crew', type: '2', kind: 'CREW', names: ['crew', 'hand crew'], source: CREWS });
  for (let n = 1; n <= 3; n++) {
    out.push({ code: `TENDER_TACTICAL_T${n}`, category: 'Water tender, tactical', type: String(n), kind: 'TENDER', names: ['tactical water tender', 'water tender', 'tender'], source: FIRESCOPE_TENDERS });
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
      note: 'Dozer types are NWCG\'s; the size words (heavy, medium, light) and type 4 (added in 2019) come from a secondary source, not the standard itself.',
    });
  }
  return out;
}

function typedTerm(r: Typed): DispatchTerm {
  const roman = /^\d$/.test(r.type) ? ROMAN[Number(r.type)] : undefined;
  const aliases = new Set<string>();
  for (const name of r.names) {
    const cap = name[0]!.toUpperCase() + name.slice(1);
    aliases.add(`Type ${r.type} ${name}`);
    aliases.add(`${cap} type ${r.type}`);
    if (roman) {
      aliases.add(`Type ${roman} ${name}`);
      aliases.add(`${cap} type ${roman}`);
    }
    if (r.size) aliases.add(`${r.size[0]!.toUpperCase()}${r.size.slice(1)} ${name}`);
  }
  for (const x of r.extra ?? []) aliases.add(x);
  const label = `${r.category}, type ${r.type}`;
  aliases.delete(label);
  const term: DispatchTerm = {
    code: r.code,
    label,
    aliases: [...aliases],
    props: { kind: r.kind, type: r.type, category: r.category, ...(r.size ? { size: r.size } : {}), source: r.source },
  };
  if (r.note) term.note = r.note;
  if (r.certainty) term.certainty = r.certainty;
  return term;
}

// ---------------------------------------------------------------------------------------------

export function dispatchVocabularies(): DispatchVocabulary[] {
  const typed = typedResources();
  const conventions = conventionTerms();
  return [
    {
      id: 'cad-status-codes',
      name: 'CAD unit status abbreviations (public CAD systems and incident feeds)',
      domain: 'status',
      description:
        'Unit status codes as CAD systems and public incident feeds write them: PulsePoint\'s two-letter codes, a CAD paging format\'s three-letter codes, a CAD vendor\'s status monitor codes. ' +
        'Each term names its system and source (props system, source); meanings the source does not state are certainty inferred. Codes are shared by no standard: read them as "what this code usually means".',
      source: `${PULSEPOINT}; ${CADPAGE_LIVINGSTON}; ${CRIMESTAR}`,
      terms: CAD_STATUS.map(({ hub: _h, ...t }) => t),
      hub: {
        to: 'plain-status',
        description: 'CAD status abbreviations to the plain-language hub.',
        mappings: CAD_STATUS.map((t) => ({ from: t.code, ...t.hub })),
      },
    },
    {
      id: 'designator-conventions',
      name: 'Unit designator conventions (no agency)',
      domain: 'unit',
      description:
        'Designator prefixes read the same way in much of the country (Engine 7, E7, ENG7; TW1 tower; BC2 battalion chief; Crash 1 airport unit ...), as templates of unit kinds, for a designator whose agency is not known. ' +
        'An agency\'s own templates win when the agency is named or matches. A prefix agencies read differently (T: truck in San Francisco and Saratoga County, tanker in Montgomery County PA) is a template of both kinds, and lookup answers with both readings. ' +
        'Prop templates_source names the agency material each template comes from; inferred templates are noted.',
      source: `${SFFD}; ${MONTCO}; ${SARATOGA}; ${MODELFIRE}; ${CHULA}; ${TANEY}`,
      terms: conventions,
      hub: {
        to: 'unit-kinds',
        description: 'Each convention names a unit kind of the hub.',
        mappings: conventions.map((t) => ({ from: t.code, to: t.code, relation: 'equivalent' as const })),
      },
    },
    {
      id: 'nwcg-typing',
      name: 'NWCG / FIRESCOPE wildland resource typing',
      domain: 'unit',
      description:
        'Typed wildland resources (NWCG Standards for Wildland Fire Resource Typing, PMS 200; FIRESCOPE): engines 1-7, hand crews, helicopters 1-3, airtankers (VLAT, 1-4, SEAT), tactical and support water tenders, dozers. ' +
        'Each maps to its unit kind (source-narrower) and keeps its type as props (kind, type, category, size). Aliases spell the type in Arabic and Roman numerals and with the size words of the NWCG data standard.',
      source: `${PMS200}; ${NWCG_ENGINES}; ${NWCG_DATA}; ${FIRESCOPE_TENDERS}`,
      terms: typed.map(typedTerm),
      hub: {
        to: 'unit-kinds',
        description: 'Each typed resource is a narrower kind of its unit kind (the type is what it adds).',
        mappings: typed.map((r) => ({ from: r.code, to: r.kind, relation: 'source-narrower' as const, ...(r.note && r.kind === 'BRUSH' ? { note: r.note } : {}) })),
      },
    },
  ];
}
