/**
 * A small phrase grammar over the words of a query or a label (issue 16): which words are the
 * head of the phrase and which only modify it, which are excluded ("sex offenses except rape"),
 * and which state a resource type ("Type 3 engine"). The search weights each word by its role
 * instead of adding fuzzy distance.
 *
 * - Exclusion ("except", "excluding", "other than", "not including", "but not"): the words up to a
 *   closing parenthesis or the end are excluded. They are kept apart (as `¬word`), so a label
 *   with the same exclusion matches and a label naming the excluded thing does not match first.
 * - Status (domain status): a place after a state ("available on scene", "en route to hospital")
 *   only modifies it; after an arrival ("arrived at hospital") the place is the head.
 * - Unit (domain unit): a generic vehicle word after a kind word ("rescue truck", "brush rig")
 *   only carries it; in an aircraft's name ("single engine airtanker") "engine" is a modifier.
 * - Type: "type3" (lookup/text.ts folds "Type III" so) is a property of the hit, not a word of
 *   the query (a label keeps it: "Type VI engine" is a kind's alias).
 *
 * Pure: text in, words with weights out.
 */

import type { Domain } from '../model/types.js';
import { fold, tokens, words } from './text.js';

export interface Phrase {
  /** Normalized words (lookup/text.ts tokens), excluded ones as `¬word`. */
  words: string[];
  /** Per word: how much it counts (1 for the head, less for a modifier). */
  weights: number[];
  /** The excluded things ("rape and prostitution" is two), each as its words without the `¬`. */
  excluded: string[][];
  /** The resource type stated ("3", "2ia"), if any. */
  type?: string;
}

const EXCEPT = /\b(?:except|exc|excl|excluding|excludes|exclusive of|other than|not including|not incl|but not)\b/;
/** A place after a state only modifies it. */
const PLACE_WEIGHT = 0.5;
/** A destination after a movement ("to hospital") modifies it more weakly still. */
const DESTINATION_WEIGHT = 0.3;
/** An arrival word before its place: the place is the head. */
const ARRIVAL_WEIGHT = 0.4;
/** An excluded word: it tells labels with the same exclusion apart, and should not outweigh the head. */
const EXCLUDED_WEIGHT = 0.3;
/** A generic vehicle word after a kind word, or "engine" in an aircraft's name. */
const CARRIER_WEIGHT = 0.15;

const ARRIVAL = new Set(['arrived', 'arrive', 'arrival', 'arriving', 'arrv']);
/** States a place after them only modifies ("available on scene", "in service at hospital"); "back in quarters" is not one. */
const STATES = new Set(['available', 'avail', 'av', 'avl', 'busy', 'staged', 'standby', 'assigned', 'committed', 'service', 'svc', 'cleared', 'clear', 'clr']);
/** Words that are no head of a status phrase ("unit cleared" is about cleared). */
const GENERIC = new Set(['unit', 'call', 'status']);
/** In a status phrase, words after the first (its head) count this much: "transporting patient" is transporting. */
const STATUS_TAIL_WEIGHT = 0.7;
const CARRIERS = new Set(['truck', 'rig', 'unit', 'vehicle', 'company', 'apparatus', 'wagon', 'piece']);
const AIRCRAFT = new Set(['air', 'helicopter', 'aircraft', 'plane', 'airplane', 'helitanker']);

/** Splits off the excluded part: `[positive text, excluded text]`. */
export function splitExclusion(folded: string): [string, string] {
  const m = EXCEPT.exec(folded);
  if (!m) return [folded, ''];
  const after = folded.slice(m.index + m[0].length);
  const close = after.indexOf(')');
  const excluded = close >= 0 ? after.slice(0, close) : after;
  const rest = close >= 0 ? after.slice(close + 1) : '';
  return [`${folded.slice(0, m.index)} ${rest}`, excluded];
}

/**
 * The phrase of `text`. `domain` selects the status or unit rules (none for other domains, or
 * when the search spans domains: "failure to appear" has no destination).
 */
export function parsePhrase(text: string, domain?: Domain, known?: (w: string) => boolean, keepType = false): Phrase {
  const [positive, excludedText] = splitExclusion(fold(text));
  const out: Phrase = { words: [], weights: [], excluded: [] };
  let mode: 'head' | 'place' | 'destination' | 'arrived' = 'head';
  let lastArrival = -1;
  let lastRaw = '';
  for (const raw of words(positive)) {
    if (domain === 'status') {
      if (raw === 'to' && out.words.length) {
        mode = 'destination';
        continue;
      }
      if ((raw === 'on' || raw === 'at' || raw === 'in') && out.words.length && mode === 'head') {
        // "arrived at hospital": the place is what the status is about.
        if (lastArrival === out.words.length - 1) {
          out.weights[lastArrival] = ARRIVAL_WEIGHT;
          mode = 'arrived';
        } else if (STATES.has(lastRaw)) mode = 'place';
        continue;
      }
    }
    lastRaw = raw;
    for (const w of tokens(raw)) {
      const m = /^type(\d+[a-z]*)$/.exec(w);
      if (m) {
        out.type = m[1]!;
        if (!keepType) continue;
      }
      out.words.push(w);
      const tail = domain === 'status' && mode === 'head' && out.words.slice(0, -1).some((x) => !GENERIC.has(x));
      out.weights.push(mode === 'destination' ? DESTINATION_WEIGHT : mode === 'place' ? PLACE_WEIGHT : tail ? STATUS_TAIL_WEIGHT : 1);
      if (ARRIVAL.has(raw)) lastArrival = out.words.length - 1;
    }
  }
  if (domain === 'unit') {
    const aircraft = out.words.some((w) => AIRCRAFT.has(w)) && out.words.includes('tanker') ? true : out.words.some((w) => w === 'helicopter' || w === 'aircraft');
    out.words.forEach((w, i) => {
      const kindBefore = out.words.slice(0, i).some((x) => !CARRIERS.has(x) && !/^\d+$/.test(x) && (known?.(x) ?? true));
      if (CARRIERS.has(w) && kindBefore) out.weights[i] = Math.min(out.weights[i]!, CARRIER_WEIGHT);
      if (w === 'engine' && aircraft) out.weights[i] = Math.min(out.weights[i]!, CARRIER_WEIGHT);
    });
  }
  for (const w of tokens(excludedText)) {
    out.words.push(`¬${w}`);
    out.weights.push(EXCLUDED_WEIGHT);
  }
  // "except rape and prostitution" excludes two things, "except motor vehicle theft" one.
  for (const item of excludedText.split(/\band\b|\bor\b|,|\/|&/)) {
    const ws = tokens(item);
    if (ws.length) out.excluded.push(ws);
  }
  return out;
}
