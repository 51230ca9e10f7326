/**
 * The search behind `xwalk lookup`: every term of the chosen vocabularies, found by code, by unit
 * designator, or by what its label and aliases say, however the person typed it.
 *
 * Three ways to match, best first:
 * 1. the query is a code of the vocabulary (normalized its way: `0460` = `460` at Riverton);
 * 2. the query is a unit designator one of its templates reads (`E12`, `Engine 12`);
 * 3. the words of the query match the words of a label, an alias or a code's parts. Both sides go
 *    through the same normalization (lookup/text.ts), then each query word is matched to label
 *    words exactly, as a prefix ("burg" → burglary), or, for typos, by fuse.js over the words
 *    of all labels. A label scores by how much of the query it explains and how much of itself
 *    the query covers, words weighted by rarity (idf), so "assault" ranks Simple Assault under
 *    Aggravated Assault only when the query says "aggravated".
 *
 * Issue 16 ("lookup that speaks dispatch") adds: a standard vocabulary's designator templates are
 * conventions, read just below an agency's own (designator-conventions: `TW12`, `BC2`); a loose
 * reading drops a second number or a letter (`HM-55-4`, `Crew 1A`); run-together CAD words are
 * split (`INQTRS`); vowel-dropped abbreviations match by consonant skeleton (`CLRD`); the query
 * is read as a phrase (lookup/phrase.ts) whose modifiers weigh less than its head, whose
 * excluded words never match first, and whose NWCG type (`Type 3 engine`) picks the kind that has
 * it; one common word alone ("call", "unit") carries no match. Each hit's meaning (the hub term
 * its mappings end at) lets lookup tell two readings from two names of one thing (lookup.ts:
 * margins and confidence).
 *
 * Pure and synchronous: the index is built from the model and queried in memory.
 */

import Fuse from 'fuse.js';
import type { Domain, DomainTable, Term, Vocabulary } from '../model/types.js';
import type { RegistryIndex } from '../indexes/index.js';
import { normalizeCode } from '../load/normalize.js';
import { parseDesignator } from '../translate/designator.js';
import { ABBREVIATIONS, STOP_WORDS, compact, fold, initials, tokens, words as words_ } from './text.js';
import { parsePhrase, type Phrase } from './phrase.js';
import { editDistance } from '../errors/closest.js';
import { compareText, push } from '../model/order.js';
import { readingJson, shippedReading, type ReadingJson, type ShippedReading } from '../shipped/index.js';

/** One searchable term. */
export interface Entry {
  vocabulary: Vocabulary;
  domain: Domain;
  table: DomainTable;
  term: Term;
}

export type MatchKind = 'code' | 'designator' | 'label' | 'alias' | 'code words' | 'equivalent';

export interface Hit {
  entry: Entry;
  /** 0 < score ≤ 1; 1 for an exact code or designator. */
  score: number;
  matchedBy: MatchKind;
  /** The label or alias that matched (for text matches). */
  matchedText?: string;
  /** The designator number, when the query was a unit designator. */
  designator?: { number: number; digits: string };
  /** The resource type the query stated ("Type 3 engine"), on a kind that has that type. */
  type?: string;
}

interface Field {
  entry: number;
  kind: 'label' | 'alias' | 'code words' | 'equivalent';
  text: string;
  /** How the match is shown: the text, or for an equivalent's label "plain-status: On scene". */
  shown: string;
  words: readonly string[];
  /** The words as written (folded, not stemmed or expanded): an exact spelling ranks first. */
  surface: ReadonlySet<string>;
  compact: string;
  initials: string;
  weight: number;
}

/** Field weights: a label is what a term is called; an alias a little less; code parts least. */
const FIELD_WEIGHT = { label: 1, alias: 0.97, 'code words': 0.9, equivalent: 0.92 } as const;
/** How much of a field's score is the share of the query explained (the rest: of the field covered). */
const QUERY_SHARE = 0.7;
/** fuse.js threshold for a misspelt word (0 exact … 1 anything). Tuned on test/lookup/queries.tsv. */
const TYPO_THRESHOLD = 0.34;
/** Added for query words spelt exactly as in the field (a tie-breaker between stems). */
const SURFACE_BONUS = 0.03;
/** Below this a text match is not reported. */
export const MIN_SCORE = 0.3;
/** A designator read by a standard vocabulary's convention, below an agency's own template (issue 16). */
const CONVENTION_SCORE = 0.99;
/** A convention's reading when an agency named with --in reads the designator itself. */
const NAMED_CONVENTION_SCORE = 0.9;
/** A designator read after dropping a second number or a letter ("F-47-2", "Crew 1A"). */
const LOOSE_DESIGNATOR_SCORE = 0.95;
/** A label that may have an exclusion (lookup/phrase.ts); the others are read by tokens alone, which is quicker. */
const EXCLUSION_HINT = /except|exclu|other than|not including|but not/i;
/** Words too common in status and unit labels to carry a match alone (issue 16). */
const COMMON_WORDS: ReadonlySet<string> = new Set(['call', 'unit', 'service', 'status', 'time', 'date', 'code', 'report', 'other', 'all', 'general', 'incident', 'complete', 'completed', 'complet', 'receiv', 'received']);
/** A common word's weight beside other words, in status and unit queries. */
const COMMON_WEIGHT = 0.3;
/** The most a field matched by common words only can score. */
const COMMON_ONLY_SCORE = 0.35;
/** A label naming what the query excludes is kept below the others. */
const EXCLUDED_FACTOR = 0.5;
/** Added when a label excludes what the query excludes; a label without an exclusion counts less. */
const EXCLUSION_BONUS = 0.05;
const UNSTATED_EXCLUSION_FACTOR = 0.96;
/** With a stated type: a kind that has it, and the factor for matches that do not. */
const TYPED_SCORE = 0.99;
const UNTYPED_FACTOR = 0.85;

/** A text's words and forms, as a field of the index holds them (the shape the build writes them in for the shipped texts). */
export type TextReading = ShippedReading;

/** An entry's key: its vocabulary, domain and code (a term is one entry of an index). */
const entryKey = (vocabulary: string, domain: Domain, code: string): string => `${vocabulary}\u0000${domain}\u0000${code}`;

/** The key of a text's reading: a code's words are read otherwise than a label's or an alias's. */
export const readingKey = (text: string, codeWords: boolean): string => `${codeWords ? 'c' : 't'}${text}`;

/** How the index reads a text: a pure function of the text (dist/shipped/readings.json holds it for every shipped text). */
export function readText(text: string, codeWords: boolean): TextReading {
  // Every part of a code counts ("HT-a" is more than "HT"); stop words only count there. A
  // label's excluded words ("(except rape and prostitution)") are kept apart as ¬words.
  const words = codeWords ? tokens(text, true) : EXCLUSION_HINT.test(text) ? parsePhrase(text, undefined, undefined, true).words : tokens(text);
  return { words, unique: [...new Set(words)], surface: new Set(words_(fold(text))), compact: compact(text), initials: initials(text) };
}

/** The layout of LookupIndexJson; an index of another is built afresh. */
export const LOOKUP_JSON_FORMAT = 1;

const KINDS: readonly Field['kind'][] = ['label', 'alias', 'code words', 'equivalent'];

/**
 * An index as JSON: what it found in the vocabularies, so that the built command's default lookup
 * (every shipped vocabulary, no domain) starts from it (dist/shipped/lookup.json) instead of reading
 * every term at every start. Entries by vocabulary, domain and code (their terms are read when a hit
 * shows them); fields by entry, kind, text and how they are shown (when not the text); the maps as
 * they were built; every entry's meaning.
 */
export interface LookupIndexJson {
  format: number;
  domain: Domain | null;
  named: boolean;
  entries: [vocabulary: string, domain: Domain, code: string][];
  fields: ([entry: number, kind: number, text: string] | [entry: number, kind: number, text: string, shown: string])[];
  postings: [string, number[]][];
  idf: [string, number][];
  byLooseCode: [string, number[]][];
  byCompact: [string, number[]][];
  byInitials: [string, number[]][];
  meanings: string[];
}

/** An entry of an index made from JSON: its term read the first time it is asked for. */
class LazyEntry implements Entry {
  readonly domain: Domain;
  private x: Term | undefined;
  constructor(
    readonly vocabulary: Vocabulary,
    readonly table: DomainTable,
    private readonly key: string,
  ) {
    this.domain = table.domain;
  }
  get term(): Term {
    return (this.x ??= this.table.terms.get(this.key)!);
  }
}

/** A field of an index made from JSON: its words read the first time they are asked for. */
class JsonField implements Field {
  private r: TextReading | undefined;
  readonly weight: number;
  constructor(
    readonly entry: number,
    readonly kind: Field['kind'],
    readonly text: string,
    readonly shown: string,
    private readonly reading: () => TextReading,
  ) {
    this.weight = FIELD_WEIGHT[kind];
  }
  get words(): readonly string[] {
    return (this.r ??= this.reading()).words;
  }
  get surface(): ReadonlySet<string> {
    return (this.r ??= this.reading()).surface;
  }
  get compact(): string {
    return (this.r ??= this.reading()).compact;
  }
  get initials(): string {
    return (this.r ??= this.reading()).initials;
  }
}

export class LookupIndex {
  readonly entries: Entry[] = [];
  private readonly fields: Field[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly words: string[];
  /** Derived once from the entries: the tables searched, and each term's entry. */
  private readonly tables = new Set<DomainTable>();
  /** Each entry's key in its table's terms (the code as the table normalizes it). */
  private readonly tableKeys: string[] = [];
  /** Each entry by its vocabulary, domain and key in its table (entryKey), and by itself. */
  private readonly byKey = new Map<string, number>();
  private readonly entryIndex = new Map<Entry, number>();
  /** Entries by their code without spaces, dashes or padding zeros ("asr4" for "ASR 04"). */
  private readonly byLooseCode = new Map<string, number[]>();
  /** Fields by their letters and digits only, and (of two words or more) by their initials. */
  private readonly byCompact = new Map<string, number[]>();
  private readonly byInitials = new Map<string, number[]>();
  /** The weight of a query word found in no label: that of a word in one entry only. */
  private readonly unseenIdf: number;
  /** Each entry's meaning (see meaningOf), built on first use. */
  private meanings?: string[];
  private readonly registryIndex: RegistryIndex | undefined;
  /** Built on the first word that is not in the labels (most queries never need it). */
  private fuse?: Fuse<string>;
  private readonly similar = new Map<string, [string, number][]>();
  private readonly readCache = new Map<string, TextReading>();
  /** Label words and their consonant skeletons ("cleared" → "clrd"), built on first need. */
  private skeletons?: [string, string][];

  /**
   * `crosswalks`: when given, a term is also found by the label and aliases of the terms a
   * reviewed, unconditional crosswalk says are `equivalent` to it ("on scene" finds Harbor's
   * 10-23 "Arrived at scene" through plain-status "On scene").
   */
  /** The domain searched, when one is (the phrase grammar's status and unit rules need it). */
  private readonly domain: Domain | undefined;
  /** Each table's vocabulary (a standard's designator templates are conventions). */
  private readonly vocabOf = new Map<DomainTable, Vocabulary>();

  /** Whether the vocabularies were named (`--in`): then an agency's template that reads a designator wins outright. */
  private readonly named: boolean;

  constructor(vocabularies: Iterable<Vocabulary>, domain?: Domain, crosswalks?: RegistryIndex, named = false, json?: LookupIndexJson) {
    this.domain = domain;
    this.named = named;
    this.registryIndex = crosswalks;
    if (json) this.fromJson(json);
    else this.build(vocabularies, domain, crosswalks);
    this.unseenIdf = Math.log(1 + Math.max(1, this.entries.length));
    this.words = [...this.postings.keys()];
  }

  /** The entries and fields of the vocabularies' terms (of `domain`), the crosswalks' equivalents, and each word's weight. */
  private build(vocabularies: Iterable<Vocabulary>, domain?: Domain, crosswalks?: RegistryIndex): void {
    for (const v of vocabularies) {
      for (const table of v.domains.values()) {
        if (domain !== undefined && table.domain !== domain) continue;
        for (const [key, term] of table.terms) this.add({ vocabulary: v, domain: table.domain, table, term }, key);
      }
    }
    if (crosswalks) this.borrow(crosswalks, domain);
    const n = Math.max(1, this.entries.length);
    for (const [w, list] of this.postings) this.idf.set(w, Math.log(1 + n / new Set(list.map((f) => this.fields[f]!.entry)).size));
  }

  /**
   * The index made from its JSON over `crosswalks`' registry, or undefined when the JSON is of
   * another layout or names a vocabulary, domain or term the registry lacks (then build one afresh).
   */
  static fromJson(json: LookupIndexJson, crosswalks: RegistryIndex): LookupIndex | undefined {
    if (json.format !== LOOKUP_JSON_FORMAT) return undefined;
    for (const [v, d, code] of json.entries) if (!crosswalks.vocabulary(v)?.domains.get(d)?.terms.has(code)) return undefined;
    return new LookupIndex([], json.domain ?? undefined, crosswalks, json.named, json);
  }

  private fromJson(json: LookupIndexJson): void {
    for (const [v, d, code] of json.entries) {
      // The tables searched come in the order the entries name them, as the index built them.
      const vocabulary = this.registryIndex!.vocabulary(v)!;
      const table = vocabulary.domains.get(d)!;
      this.tables.add(table);
      this.vocabOf.set(table, vocabulary);
      const entry = new LazyEntry(vocabulary, table, code);
      const i = this.entries.push(entry) - 1;
      this.tableKeys.push(code);
      this.byKey.set(entryKey(v, d, code), i);
      this.entryIndex.set(entry, i);
    }
    // A field's words are read when a query touches it (the maps that lead to it are in the JSON).
    for (const [entry, k, text, shown] of json.fields) {
      const kind = KINDS[k]!;
      this.fields.push(new JsonField(entry, kind, text, shown ?? text, () => this.read(text, kind === 'code words')));
    }
    for (const [w, list] of json.postings) this.postings.set(w, list);
    for (const [w, x] of json.idf) this.idf.set(w, x);
    for (const [k, list] of json.byLooseCode) this.byLooseCode.set(k, list);
    for (const [k, list] of json.byCompact) this.byCompact.set(k, list);
    for (const [k, list] of json.byInitials) this.byInitials.set(k, list);
    this.meanings = json.meanings;
  }

  /** The index as JSON (the build writes the default lookup's: dist/shipped/lookup.json). */
  toJson(): LookupIndexJson {
    return {
      format: LOOKUP_JSON_FORMAT,
      domain: this.domain ?? null,
      named: this.named,
      entries: this.entries.map((e, i) => [e.vocabulary.id, e.domain, this.tableKeys[i]!]),
      fields: this.fields.map((f) => (f.shown === f.text ? [f.entry, KINDS.indexOf(f.kind), f.text] : [f.entry, KINDS.indexOf(f.kind), f.text, f.shown])),
      postings: [...this.postings],
      idf: [...this.idf],
      byLooseCode: [...this.byLooseCode],
      byCompact: [...this.byCompact],
      byInitials: [...this.byInitials],
      meanings: this.allMeanings(),
    };
  }

  private borrow(index: RegistryIndex, domain?: Domain): void {
    for (const cw of index.registry.crosswalks.values()) {
      if (domain !== undefined && cw.domain !== domain) continue;
      for (const m of cw.mappings) {
        if (m.relation !== 'equivalent' || m.status !== 'reviewed' || m.when.length || m.to === undefined) continue;
        const a = index.term(cw.from, cw.domain, m.from);
        const b = index.term(cw.to, cw.domain, m.to);
        if (!a || !b) continue;
        for (const [mine, mineVocab, other, otherVocab] of [
          [a, cw.from, b, cw.to],
          [b, cw.to, a, cw.from],
        ] as const) {
          const i = this.byKey.get(entryKey(mineVocab, cw.domain, normalizeCode(mine.code, index.table(mineVocab, cw.domain)!.normalize)));
          if (i === undefined) continue;
          for (const text of [other.label, ...other.aliases.map((x) => x.text)]) this.addField(i, 'equivalent', text, `${otherVocab}: ${text}`);
        }
      }
    }
  }

  private add(entry: Entry, key: string): void {
    const index = this.entries.push(entry) - 1;
    this.tableKeys.push(key);
    this.tables.add(entry.table);
    this.vocabOf.set(entry.table, entry.vocabulary);
    this.byKey.set(entryKey(entry.vocabulary.id, entry.domain, key), index);
    this.entryIndex.set(entry, index);
    push(this.byLooseCode, unpadded(compact(entry.term.code)), index);
    const t = entry.term;
    this.addField(index, 'label', t.label);
    for (const a of t.aliases) this.addField(index, 'alias', a.text);
    const parts = t.code.replace(/[_./-]+/g, ' ');
    if (/[a-z]{2}/i.test(parts)) this.addField(index, 'code words', parts);
  }

  private addField(entry: number, kind: Field['kind'], text: string, shown = text): void {
    const read = this.read(text, kind === 'code words');
    if (!read.words.length) return;
    const field: Field = { entry, kind, text, shown, ...read, weight: FIELD_WEIGHT[kind] };
    const id = this.fields.push(field) - 1;
    for (const w of read.unique) push(this.postings, w, id);
    push(this.byCompact, field.compact, id);
    if (read.words.length >= 2) push(this.byInitials, field.initials, id);
  }

  /**
   * A text's words and forms, read once: the same label or alias is a field of many terms (every
   * term a reviewed crosswalk calls equivalent borrows it), and start-up counts (issue 16). The
   * built command has every shipped text's reading from its build (dist/shipped/readings.json):
   * reading them was half of building the index, about 10 ms of every `xwalk lookup`.
   */
  private read(text: string, codeWords: boolean): TextReading {
    const key = readingKey(text, codeWords);
    let r = this.readCache.get(key);
    if (!r) {
      r = shippedReading(key) ?? readText(text, codeWords);
      this.readCache.set(key, r);
    }
    return r;
  }

  /** Every text this index read, and its reading, as readings.json holds them (for the build). */
  readings(): [string, ReadingJson][] {
    return [...this.readCache].map(([key, r]) => [key, readingJson(r)]);
  }

  /** Hits for `query`, best first, at most `limit`. */
  search(query: string, limit = 10): Hit[] {
    const best = new Map<number, Hit>();
    const offer = (i: number, hit: Hit) => {
      const prev = best.get(i);
      if (!prev || hit.score > prev.score) best.set(i, hit);
    };
    const trimmed = query.trim();
    if (!trimmed) return [];

    this.codeHits(trimmed, best, offer);

    // A designator read (even loosely, "HM-12-3") is what the query is: words read alone stay under it.
    let designatorBest = 0;
    for (const h of best.values()) if (h.matchedBy === 'designator') designatorBest = Math.max(designatorBest, h.score);
    const wordCap = designatorBest ? Math.min(0.98, designatorBest - 0.01) : 0.98;

    // 3: words, each weighted by its role in the phrase (lookup/phrase.ts).
    // A query of numbers only ("10-10", "460") is a code or a designator, not words.
    // In a unit designator written as words ("Helicopter 1"), the number is the unit's, not a word
    // (nor the ordinal "1st").
    const text = this.domain === 'unit' && !/\btype[\s-]*\d+[A-Za-z]*$/i.test(trimmed) ? trimmed.replace(/^(.*[A-Za-z].*?)[\s#-]+\d+[A-Za-z]?$/, '$1') : trimmed;
    const phrase = parsePhrase(this.segment(text), this.domain, (w) => this.postings.has(w));
    if (phrase.words.some((w) => !/^\d+$/.test(w))) this.wordHits(trimmed, phrase, offer, wordCap);

    if (phrase.type !== undefined) this.applyType(phrase, best);
    const hits = [...best.values()].filter((h) => h.score >= MIN_SCORE);
    hits.sort(rank);
    return hits.slice(0, limit);
  }

  /** Steps 1 and 2: the query as a code or a designator, per domain table, and as a loosely written code. */
  private codeHits(trimmed: string, best: Map<number, Hit>, offer: (i: number, hit: Hit) => void): void {
    const exact = new Set<DomainTable>();
    for (const table of this.tables) {
      // The query as a code of the table: its entry, by the key the table keeps the term under.
      const i = this.byKey.get(entryKey(this.vocabOf.get(table)!.id, table.domain, normalizeCode(trimmed, table.normalize)));
      if (i !== undefined) {
        offer(i, { entry: this.entries[i]!, score: 1, matchedBy: 'code' });
        exact.add(table);
      }
      if (/\d/.test(trimmed)) this.designatorHits(table, trimmed, offer);
    }
    // An agency named with --in that reads the designator is the answer; conventions only say what is usual.
    if (this.named && [...best.values()].some((h) => h.matchedBy === 'designator' && h.entry.vocabulary.kind === 'agency')) {
      for (const h of best.values()) if (h.matchedBy === 'designator' && h.entry.vocabulary.kind === 'standard') h.score = Math.min(h.score, NAMED_CONVENTION_SCORE);
    }
    // "asr04" for "ASR 04", and "asr 4", in tables where the code is not found as typed.
    const loose = unpadded(compact(trimmed));
    if (loose.length >= 2) for (const i of this.byLooseCode.get(loose) ?? []) if (!exact.has(this.entries[i]!.table)) offer(i, { entry: this.entries[i]!, score: 0.99, matchedBy: 'code' });
  }

  /** The query read as a designator of one table (a unit "E12"), exactly or loosely. */
  private designatorHits(table: DomainTable, trimmed: string, offer: (i: number, hit: Hit) => void): void {
    // An agency's own template is exact; a standard's convention yields to it (issue 16).
    const standard = this.vocabOf.get(table)?.kind === 'standard';
    let parsed = parseDesignator(table, trimmed);
    let score = standard ? CONVENTION_SCORE : 1;
    // "F-47-2" (kind, station, unit), "Crew 1A": read the kind and the first number.
    const loose = trimmed.replace(/^([A-Za-z][A-Za-z&\s.]*?)[\s-]?(\d+)(?:-\d+)*(?:[A-Za-z])?$/, '$1$2');
    if (!parsed.length && loose !== trimmed) {
      parsed = parseDesignator(table, loose);
      score = Math.min(score, LOOSE_DESIGNATOR_SCORE);
    }
    for (const p of parsed) {
      const j = this.byKey.get(entryKey(this.vocabOf.get(table)!.id, table.domain, normalizeCode(p.term.code, table.normalize)));
      if (j !== undefined) offer(j, { entry: this.entries[j]!, score, matchedBy: 'designator', designator: { number: p.number, digits: p.digits } });
    }
  }

  /** Step 3: fields that share the phrase's words, scored by the words' weights, and whole-query forms. */
  private wordHits(trimmed: string, phrase: Phrase, offer: (i: number, hit: Hit) => void, wordCap: number): void {
    const keep = phrase.words.map((w) => !/^\d+$/.test(w) || this.postings.has(w));
    const q = phrase.words.filter((_, i) => keep[i]);
    const roles = phrase.weights.filter((_, i) => keep[i]);
    const matches = q.map((w) => this.candidates(w));
    // In a status or unit phrase a common word ("unit", "call") beside others says little.
    const dispatch = this.domain === 'status' || this.domain === 'unit';
    const common = q.map((w) => dispatch && COMMON_WORDS.has(w) && q.some((x) => !COMMON_WORDS.has(x) && !x.startsWith('¬')));
    const weights = matches.map((m, k) => (common[k] ? COMMON_WEIGHT : 1) * roles[k]! * (m.length ? Math.max(...m.map(([w]) => this.idf.get(w) ?? 1)) : this.unseenIdf));
    // Excluded words (¬) do not count against a label without the exclusion; matching a
    // label's own exclusion adds a little (the label that excludes the same is first).
    const negative = q.map((w) => w.startsWith('¬'));
    const total = weights.reduce((a, b, k) => a + (negative[k] ? 0 : b), 0) || 1;
    const negTotal = weights.reduce((a, b, k) => a + (negative[k] ? b : 0), 0);
    const touched = new Set<number>();
    for (const m of matches) for (const [w] of m) for (const f of this.postings.get(w) ?? []) touched.add(f);
    const qCompact = compact(trimmed);
    const qSurface = words_(fold(trimmed));
    const qInitials = q.length === 1 && /^[a-z]{2,5}$/.test(qCompact) ? qCompact : undefined;
    const wq: WordQuery = { q, matches, weights, negative, total, negTotal, excluded: phrase.excluded, qCompact, qSurface };
    for (const f of touched) {
      const field = this.fields[f]!;
      this.offerField(field, wordScore(field, wq), offer, wordCap);
    }
    // Whole-query forms: "shop lifting", "hazmat"/"haz mat", acronyms ("dwi", "uuw").
    const compactHits = qCompact.length >= 4 ? (this.byCompact.get(qCompact) ?? []) : [];
    for (const f of compactHits) this.offerField(this.fields[f]!, 0.98 * this.fields[f]!.weight, offer, wordCap);
    // Two letters are as likely the initials of a label as an abbreviation listed for another
    // ("OS": On scene in PulsePoint, Out of service by its initials): both readings (issue 16).
    const initialsScore = qInitials?.length === 2 ? 0.97 : 0.9;
    for (const f of qInitials ? (this.byInitials.get(qInitials) ?? []) : []) if (!compactHits.includes(f)) this.offerField(this.fields[f]!, initialsScore * this.fields[f]!.weight, offer, wordCap);
  }

  /**
   * "Type 3 engine": the kinds whose NWCG types (prop nwcg_types, "Engine type 3; ...") hold the
   * stated type for a category the query names, or whose label matched, are the answer, with
   * the type kept on the hit; other matches did not say that type and yield to them.
   */
  private applyType(phrase: Phrase, best: Map<number, Hit>): void {
    const asked = new Set(phrase.words);
    const named: number[] = [];
    const matched: number[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      const types = this.entries[i]!.term.props.get('nwcg_types');
      if (!types) continue;
      for (const t of types.split(';')) {
        const m = /^(.*) type (\S+)/.exec(t.trim());
        if (!m || m[2]!.toLowerCase() !== phrase.type) continue;
        if (tokens(m[1]!).some((w) => asked.has(w))) named.push(i);
        else if ((best.get(i)?.score ?? 0) >= 0.6) matched.push(i);
      }
    }
    // A kind whose typed category the query names ("engine"); else one whose label matched ("brush rig").
    const typed = named.length ? named : matched;
    if (!typed.length) return;
    for (const [i, hit] of best) if (!typed.includes(i)) hit.score *= UNTYPED_FACTOR;
    for (const i of typed) {
      const prev = best.get(i);
      best.set(i, { entry: this.entries[i]!, score: TYPED_SCORE, matchedBy: prev?.matchedBy ?? 'label', type: phrase.type! });
    }
  }

  /**
   * Run-together words as CAD systems write them ("INQTRS", "ONSCENE"): a word no label has is
   * split into two or three words that labels or the abbreviation table have.
   */
  private segment(text: string): string {
    if (!/[a-z]{5,}/i.test(text)) return text;
    return text.replace(/[A-Za-z]{5,}/g, (word) => {
      const w = word.toLowerCase();
      if (this.isKnown(w) || /[a-z][A-Z]/.test(word)) return word;
      const split = this.split(w, 3);
      return split ? split.join(' ') : word;
    });
  }

  private isKnown(piece: string): boolean {
    if (STOP_WORDS.has(piece) || Object.hasOwn(ABBREVIATIONS, piece)) return true;
    const t = tokens(piece);
    // A piece of four letters or more may be the start of a label word ("dest" in "ATDEST").
    return t.length > 0 && t.every((x) => this.postings.has(x) || (x.length >= 4 && this.words.some((y) => y.length > x.length && y.startsWith(x))));
  }

  /** The split of `w` into at most `parts` known pieces (the longest first piece that works), or undefined. */
  private split(w: string, parts: number): string[] | undefined {
    if (parts === 1) return w.length >= 2 && this.isKnown(w) ? [w] : undefined;
    for (let i = w.length - 2; i >= 2; i--) {
      const head = w.slice(0, i);
      if (!this.isKnown(head)) continue;
      const rest = this.isKnown(w.slice(i)) ? [w.slice(i)] : this.split(w.slice(i), parts - 1);
      if (rest) return [head, ...rest];
    }
    return undefined;
  }

  private offerField(field: Field, score: number, offer: (i: number, hit: Hit) => void, cap = 0.98): void {
    const entry = this.entries[field.entry]!;
    // A retired term yields to a current one that reads the same.
    if (entry.term.validTo !== undefined) score -= 0.01;
    offer(field.entry, { entry, score: Math.min(score, cap), matchedBy: field.kind, matchedText: field.shown });
  }

  /**
   * What an entry means, as a key two entries share when they name the same thing: the term a
   * chain of unconditional equivalent, related or narrower-to-broader mappings ends at (metro-fire TRUCK,
   * county-fire LADDER and designator-conventions TRUCK all end at unit-kinds TRUCK), else the
   * entry itself. Two hits that share a meaning do not make each other ambiguous (issue 16).
   */
  meaningOf(hit: Hit): string {
    const meanings = this.allMeanings();
    return meanings[this.entryIndex.get(hit.entry) ?? -1] ?? hit.entry.term.code;
  }

  /** Every entry's meaning (see meaningOf), in entry order; made on first use. */
  private allMeanings(): string[] {
    if (!this.meanings) {
      const up = new Map<string, string>();
      const key = (v: string, d: string, c: string) => `${d}:${v}:${c}`;
      for (const cw of this.registryIndex?.registry.crosswalks.values() ?? []) {
        for (const m of cw.mappings) {
          if (m.to === undefined || m.when.length || m.status === 'proposed') continue;
          // "related" too: a term only loosely tied to a hub term (APCO 10-19 "Return to ..." and
          // Returning) is no competing reading of a query that finds both.
          if (m.relation === 'equivalent' || m.relation === 'source-narrower' || m.relation === 'related') {
            const k = key(cw.from, cw.domain, m.from);
            if (!up.has(k)) up.set(k, key(cw.to, cw.domain, m.to));
          } else if (m.relation === 'source-broader') {
            const k = key(cw.to, cw.domain, m.to);
            if (!up.has(k)) up.set(k, key(cw.from, cw.domain, m.from));
          }
        }
      }
      this.meanings = this.entries.map((e) => {
        let k = key(e.vocabulary.id, e.domain, e.term.code);
        for (let hop = 0; hop < 3 && up.has(k); hop++) k = up.get(k)!;
        return k;
      });
    }
    return this.meanings;
  }

  /** Label words a query word may stand for, with how similar (1 = the same word). */
  private candidates(w: string): [string, number][] {
    const cached = this.similar.get(w);
    if (cached) return cached;
    // An excluded word matches only the same excluded word.
    if (w.startsWith('¬')) {
      const exact: [string, number][] = this.postings.has(w) ? [[w, 1]] : [];
      this.similar.set(w, exact);
      return exact;
    }
    const out = new Map<string, number>();
    const put = (x: string, s: number) => {
      if ((out.get(x) ?? 0) < s) out.set(x, s);
    };
    if (this.postings.has(w)) put(w, 1);
    // CAD abbreviations drop vowels ("CLRD", "STGD", "DSPT", "CMPLT"): a word of consonants after
    // its first letter stands for a label word with that skeleton (issue 16).
    if (!this.postings.has(w) && w.length >= 3 && /^[a-z][b-df-hj-np-tv-z]+$/.test(w)) {
      this.skeletons ??= this.words.filter((x) => x.length >= 4 && /^[a-z]+$/.test(x)).map((x) => [x, x[0] + x.slice(1).replace(/[aeiouy]/g, '')] as [string, string]);
      for (const [x, sk] of this.skeletons) if (sk.length >= 3 && (sk.startsWith(w) || (w.startsWith(sk) && w.length - sk.length <= 2))) put(x, 0.8);
    }
    if (!/^\d+$/.test(w)) {
      if (w.length >= 3) {
        for (const x of this.words) {
          if (x.length > w.length && x.startsWith(w)) put(x, 0.75 + 0.2 * (w.length / x.length));
          else if (w.length > x.length && x.length >= 4 && w.startsWith(x)) put(x, 0.85);
          // A compound that ends in a label word: "bulldozer" → dozer, "firetruck" → truck.
          else if (w.length > x.length && x.length >= 5 && w.endsWith(x)) put(x, 0.8);
        }
      }
      // A word that is in the labels is no typo: fuse.js runs only for words that are not.
      if (w.length >= 4 && !this.postings.has(w)) {
        this.fuse ??= new Fuse(this.words, { includeScore: true, threshold: TYPO_THRESHOLD });
        for (const r of this.fuse.search(w, { limit: 8 })) {
          // fuse.js finds near words (also inside longer ones: "tanker" in "helitanker");
          // a typo is kept only when whole words are within an edit or two of each other.
          const d = editDistance(w, r.item);
          if ((r.score ?? 1) <= TYPO_THRESHOLD && d <= (w.length >= 8 ? 2 : 1 + Number(w.length >= 6))) put(r.item, 0.85 - 0.1 * d);
        }
      }
    }
    const list = [...out].sort((a, b) => b[1] - a[1]);
    this.similar.set(w, list);
    return list;
  }
}

function unpadded(code: string): string {
  return code.replace(/(^|\D)0+(?=\d)/g, '$1');
}

/** Best first: score, then a shorter label (the more specific match), then vocabulary and code. */
export function rank(a: Hit, b: Hit): number {
  return b.score - a.score || Number(a.entry.vocabulary.kind !== 'standard') - Number(b.entry.vocabulary.kind !== 'standard') || a.entry.term.label.length - b.entry.term.label.length || compareText(a.entry.vocabulary.id, b.entry.vocabulary.id) || compareText(a.entry.term.code, b.entry.term.code);
}

/** A query's words, read once for scoring every field they touch. */
interface WordQuery {
  q: readonly string[];
  /** Per query word: the indexed words it may stand for, with their similarity. */
  matches: readonly [string, number][][];
  weights: readonly number[];
  negative: readonly boolean[];
  total: number;
  negTotal: number;
  excluded: Phrase['excluded'];
  qCompact: string;
  qSurface: readonly string[];
}

/** How well one field answers the query's words (before the word cap). */
function wordScore(field: Field, wq: WordQuery): number {
  const { q, matches, weights, negative, total, negTotal, excluded, qCompact, qSurface } = wq;
  let explained = 0;
  let negExplained = 0;
  const used = new Set<string>();
  let meaningful = false;
  matches.forEach((m, k) => {
    let s = 0;
    for (const [w, sim] of m) {
      if (sim > s && field.words.includes(w)) {
        s = sim;
        used.add(w);
      }
    }
    if (negative[k]) negExplained += weights[k]! * s;
    else explained += weights[k]! * s;
    if (s > 0 && !COMMON_WORDS.has(q[k]!)) meaningful = true;
  });
  // How much of the field the query covers, by word count: a longer label is a more
  // specific term, and the query did not say the rest.
  const covered = field.words.filter((w) => used.has(w)).length / field.words.length;
  let score = QUERY_SHARE * (explained / total) + (1 - QUERY_SHARE) * covered;
  // A label that states the query's exclusion ranks over one that does not (which is broader).
  const states = field.words.some((w) => w.startsWith('¬'));
  if (negTotal && states) score += EXCLUSION_BONUS * (negExplained / negTotal);
  // The same spelling, not only the same stem: "parking" is a parking violation before it
  // is an improperly parked vehicle.
  score += SURFACE_BONUS * (qSurface.filter((w) => field.surface.has(w)).length / qSurface.length);
  if (qCompact === field.compact) score = Math.max(score, 0.98);
  // One shared common word ("call", "unit", "service") does not carry a match (issue 16).
  if (!meaningful && q.length > 1) score = Math.min(score, COMMON_ONLY_SCORE);
  // A label that names what the query excludes ("except rape") is not what it asks for.
  if (excluded.some((item) => item.every((w) => field.words.includes(w)))) score *= EXCLUDED_FACTOR;
  score *= field.weight;
  if (negTotal && !states) score = Math.min(score, 0.98) * UNSTATED_EXCLUSION_FACTOR;
  return score;
}
