/**
 * The notes xwalk itself attaches to an answer, as kinds; their wording lives here and only here.
 * Writers of every format render a note with `noteText`; readers of exported files take xwalk's
 * own notes back out with `withoutNote`, so a round trip does not grow the note.
 */

export type NoteKind = 'inverted';

const NOTE_TEXT: Record<NoteKind, string> = {
  inverted: 'inverted: this direction was never reviewed',
};

export function noteText(kind: NoteKind): string {
  return NOTE_TEXT[kind];
}

/** `text` (notes joined with "; ", as every exporter writes them) without the note of `kind`. */
export function withoutNote(text: string, kind: NoteKind): string {
  return text
    .split('; ')
    .filter((part) => part !== NOTE_TEXT[kind])
    .join('; ');
}
