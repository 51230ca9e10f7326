/**
 * The commands' entry points, each loaded when its command runs (issue 18: start-up). In the
 * built CLI every command is a chunk of its own (scripts/build-cli.mjs turns these `import()`s
 * into `require`s of dist/chunks/*.cjs), so `xwalk translate` never reads convert's, export's or
 * lookup's code, nor the libraries only they use. `main` imports the commands from here, and
 * their flag types from the commands themselves (`import type` costs nothing at run time).
 */

import type { Io } from '../io.js';
import type { GlobalOptions } from './context.js';
import type { ConvertFlags } from './convert-options.js';
import type { CoverageFlags } from './coverage.js';
import type { ExportFlags } from './export.js';
import type { ImportFlags } from './import.js';
import type { IncidentFlags } from './incident.js';
import type { LookupFlags } from './lookup.js';
import type { ShowFlags } from './show.js';
import type { SqlFlags } from './sql.js';
import type { SuggestFlags } from './suggest.js';
import type { SummarizeFlags } from './summarize.js';
import type { TranslateFlags } from './translate.js';
import type { ValidateFlags } from './validate.js';

export async function runTranslate(codes: string[], flags: TranslateFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./translate.js')).runTranslate(codes, flags, g, io);
}
export async function runConvert(input: string | undefined, flags: ConvertFlags & IncidentFlags, g: GlobalOptions, io: Io, args: string[], version: string): Promise<number> {
  return (await import('./convert.js')).runConvert(input, flags, g, io, args, version);
}
export async function runSummarize(input: string | undefined, flags: SummarizeFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./summarize.js')).runSummarize(input, flags, g, io);
}
export async function runSql(input: string | undefined, flags: SqlFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./sql.js')).runSql(input, flags, g, io);
}
export async function runValidate(paths: string[], flags: ValidateFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./validate.js')).runValidate(paths, flags, g, io);
}
export async function runCoverage(flags: CoverageFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./coverage.js')).runCoverage(flags, g, io);
}
export async function runDiff(oldPath: string, newPath: string, flags: { json?: boolean }, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./diff.js')).runDiff(oldPath, newPath, flags, g, io);
}
export async function runSuggest(flags: SuggestFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./suggest.js')).runSuggest(flags, g, io);
}
export async function runLookup(words: string[], flags: LookupFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./lookup.js')).runLookup(words, flags, g, io);
}
export async function runExport(flags: ExportFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./export.js')).runExport(flags, g, io);
}
export async function runImport(file: string, flags: ImportFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./import.js')).runImport(file, flags, g, io);
}
export async function runList(flags: { json?: boolean; ids?: boolean }, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./list.js')).runList(flags, g, io);
}
export async function runShow(vocabId: string, code: string | undefined, flags: ShowFlags, g: GlobalOptions, io: Io): Promise<number> {
  return (await import('./show.js')).runShow(vocabId, code, flags, g, io);
}
