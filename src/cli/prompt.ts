/**
 * The interactive `xwalk lookup` prompt, for a trainer at a projector: type, see the matches
 * change as you type, choose one with the arrow keys (or its number) and see its equivalents.
 *
 * Split for testing: `parseKeys` turns terminal input into keys, `step` is a pure state machine
 * (state + key → state), `screen` draws a state. `runPrompt` is the thin loop that reads keys
 * from the terminal and redraws.
 *
 * Keys. Searching: letters, digits and spaces edit the query; Backspace deletes; ↑/↓ choose a
 * match (the list then has the focus, and 1-9 open a match directly; typing goes back to the
 * query); Enter opens the chosen match; Esc clears the query, or quits when it is empty.
 * Viewing a term: ↑/↓ (or n/p) open the previous or next match; Esc, Backspace or ← go back;
 * q quits. Ctrl-C and Ctrl-D quit anywhere.
 */

import type { ChalkInstance } from 'chalk';
import type { LookupHit, LookupResult } from '../lookup/lookup.js';
import { equivalentLines, hitLines, meaningLines } from './render/lookup.js';
import { truncate } from './render/text.js';
import { terminalWidth, type Io } from './io.js';

export type Key = { kind: 'char'; char: string } | { kind: 'up' | 'down' | 'left' | 'right' | 'enter' | 'backspace' | 'escape' | 'tab' | 'quit' | 'clear-line' };

/** Terminal input (possibly several keys, or a paste, in one chunk) → keys. */
export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i]!;
    if (c === '\x1b') {
      const rest = chunk.slice(i + 1);
      const m = /^(?:\[|O)([ABCD])/.exec(rest);
      if (m) {
        keys.push({ kind: ({ A: 'up', B: 'down', C: 'right', D: 'left' } as const)[m[1] as 'A' | 'B' | 'C' | 'D'] });
        i += m[0].length;
        continue;
      }
      const other = /^\[[0-9;]*[~A-Za-z]/.exec(rest);
      if (other) {
        i += other[0].length; // another escape sequence (Home, F1 ...): ignored
        continue;
      }
      keys.push({ kind: 'escape' });
    } else if (c === '\r' || c === '\n') {
      if (c === '\n' && chunk[i - 1] === '\r') continue;
      keys.push({ kind: 'enter' });
    } else if (c === '\x7f' || c === '\b') keys.push({ kind: 'backspace' });
    else if (c === '\x03' || c === '\x04') keys.push({ kind: 'quit' });
    else if (c === '\x15') keys.push({ kind: 'clear-line' });
    else if (c === '\t') keys.push({ kind: 'tab' });
    else if (c >= ' ') keys.push({ kind: 'char', char: c });
  }
  return keys;
}

export interface PromptState {
  query: string;
  /** Where typing goes: the query, or the match list (where digits open a match). */
  focus: 'query' | 'list';
  selected: number;
  hits: LookupHit[];
  /** The opened match, when viewing a term. */
  opened?: LookupResult;
  done: boolean;
}

export interface PromptDeps {
  search(query: string): LookupHit[];
  open(query: string, which: number): LookupResult;
}

export function initialState(): PromptState {
  return { query: '', focus: 'query', selected: 0, hits: [], done: false };
}

/** One key: the next state. Pure apart from the search and open functions it is given. */
export function step(s: PromptState, key: Key, deps: PromptDeps): PromptState {
  if (key.kind === 'quit') return { ...s, done: true };
  if (s.opened) {
    switch (key.kind) {
      case 'escape':
      case 'backspace':
      case 'left': {
        const { opened: _, ...rest } = s;
        return rest;
      }
      case 'up':
      case 'down':
        return openAt(s, s.selected + (key.kind === 'up' ? -1 : 1), deps);
      case 'char':
        if (key.char === 'q') return { ...s, done: true };
        if (key.char === 'n' || key.char === 'p') return openAt(s, s.selected + (key.char === 'p' ? -1 : 1), deps);
        return s;
      default:
        return s;
    }
  }
  switch (key.kind) {
    case 'char':
      if (s.focus === 'list' && /^[1-9]$/.test(key.char) && Number(key.char) <= s.hits.length) return openAt(s, Number(key.char) - 1, deps);
      return edit(s, s.query + key.char, deps);
    case 'backspace':
      return edit(s, [...s.query].slice(0, -1).join(''), deps);
    case 'clear-line':
      return edit(s, '', deps);
    case 'escape':
      return s.query ? edit(s, '', deps) : { ...s, done: true };
    case 'up':
    case 'down':
    case 'tab': {
      if (!s.hits.length) return s;
      // The first ↓ (or Tab) from the query gives the list the focus on the current match.
      if (s.focus === 'query' && key.kind !== 'up') return { ...s, focus: 'list' };
      const selected = Math.min(s.hits.length - 1, Math.max(0, s.selected + (key.kind === 'up' ? -1 : 1)));
      return { ...s, focus: 'list', selected };
    }
    case 'enter':
      return s.hits.length ? openAt(s, s.selected, deps) : s;
    default:
      return s;
  }
}

function edit(s: PromptState, query: string, deps: PromptDeps): PromptState {
  return { ...s, query, focus: 'query', selected: 0, hits: query.trim() ? deps.search(query) : [] };
}

function openAt(s: PromptState, which: number, deps: PromptDeps): PromptState {
  if (!s.hits.length) return s;
  const i = Math.min(s.hits.length - 1, Math.max(0, which));
  return { ...s, selected: i, opened: deps.open(s.query, i) };
}

const HELP_SEARCH = 'type to search · ↑↓ choose, then Enter or 1-9 to open · Esc quits';
const HELP_TERM = '↑↓ previous/next match · Esc back · q quit';

/** The whole screen for a state (the caller clears the terminal first). */
export function screen(s: PromptState, k: ChalkInstance, width: number, height: number): string {
  const lines: string[] = [];
  if (s.opened) {
    const r = s.opened;
    lines.push(k.dim(truncate(`xwalk lookup · "${s.query}" · match ${s.selected + 1} of ${s.hits.length}`, width)));
    lines.push('');
    const meanings = meaningLines(r, k, width);
    lines.push(...equivalentLines(r, k, width));
    if (meanings.length) lines.push('', ...meanings);
    lines.push('', k.dim(truncate(HELP_TERM, width)));
  } else {
    lines.push(`${k.bold('lookup>')} ${s.query}${s.focus === 'query' ? '▏' : ''}`);
    lines.push('');
    if (!s.query.trim()) lines.push(k.dim('  an offense, a ten-code, a status or a unit, as you would say it'));
    else if (!s.hits.length) lines.push(`  no match for "${s.query}"`);
    else lines.push(...hitLines(s.hits, k, width, s.focus === 'list' ? s.selected : undefined));
    lines.push('', k.dim(truncate(HELP_SEARCH, width)));
  }
  // Keep the help line visible: cut the middle when the terminal is short.
  if (lines.length > height && height > 4) lines.splice(height - 3, lines.length - height + 1, k.dim('  …'));
  return lines.join('\n') + '\n';
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';
const CLEAR = '\x1b[H\x1b[2J';

/** The loop: raw mode on, a screen per key, everything restored when it ends. */
export async function runPrompt(io: Io, deps: PromptDeps, k: ChalkInstance): Promise<void> {
  const width = terminalWidth(io);
  const height = Math.max(10, io.rows || 24);
  let state = initialState();
  io.setRawMode?.(true);
  io.stdout.write(ALT_SCREEN_ON + CLEAR + screen(state, k, width, height));
  try {
    for await (const chunk of io.stdin ?? []) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      for (const key of parseKeys(text)) {
        state = step(state, key, deps);
        if (state.done) break;
      }
      if (state.done) break;
      io.stdout.write(CLEAR + screen(state, k, width, height));
    }
  } finally {
    io.setRawMode?.(false);
    io.stdout.write(ALT_SCREEN_OFF);
  }
}
