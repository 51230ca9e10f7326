/**
 * The command layer: argv → exit code. The only place that knows commander, colour and the
 * process's streams (through `Io`). Each command's action turns flags into options, calls one
 * core function and renders its result; `main` never calls process.exit (the bin shim sets
 * process.exitCode), so piped output is never cut off.
 *
 * Exit codes: 0 done; 1 ran but found problems (a code did not map, validation errors);
 * 2 could not run (bad flags, unreadable or broken files, unknown vocabulary).
 */

import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { XwalkError } from '../errors/errors.js';
import { colorsFor, loadColours, type Io } from './io.js';
import { renderDiagnostic } from './render/diagnostics.js';
import { completionScript } from './completion.js';
import { AMBIGUOUS_POLICIES, orList, choiceArgument, choiceOption, collect, CONVERT_FORMATS, ENCODINGS, EXPORT_FORMATS, IMPORT_FORMATS, MODES, PAPERS, parseEncoding, PERIODS, SHELLS, suggestOption, SUMMARY_FORMATS, UNMAPPED_POLICIES, SQL_ENGINES, EXPORT_SQL_DIALECTS } from './flags.js';
import { reportUnknownOptionFirst, unknownHelpTopic } from './argv.js';
import type { GlobalOptions } from './commands/context.js';
import type { ConvertFlags } from './commands/convert-options.js';
import type { CoverageFlags } from './commands/coverage.js';
import type { ExportFlags } from './commands/export.js';
import type { ImportFlags } from './commands/import.js';
import type { SuggestFlags } from './commands/suggest.js';
import type { SummarizeFlags } from './commands/summarize.js';
import type { SqlFlags } from './commands/sql.js';
import type { LookupFlags } from './commands/lookup.js';
import type { ShowFlags } from './commands/show.js';
import type { TranslateFlags } from './commands/translate.js';
import type { ValidateFlags } from './commands/validate.js';
// Each command's code is loaded when it runs (issue 18): see commands/index.ts.
import { runConvert, runCoverage, runDiff, runExport, runImport, runList, runLookup, runShow, runSql, runSuggest, runSummarize, runTranslate, runValidate } from './commands/index.js';

export const VERSION: string = pkg.version;

export const EXIT_CODES_HELP = `
Exit codes:
  0  done: every code mapped, the files are valid
  1  ran, but found problems: a code did not map (or was ambiguous, unknown,
     expired), validation errors (and warnings with --strict)
  2  could not run: bad flags, unreadable or malformed files, unknown vocabulary`;

export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  await loadColours(io);
  const program = declareCommands(argv, io, (code) => (exitCode = code));
  try {
    if (!argv.length) {
      program.outputHelp();
      return 2;
    }
    const badTopic = unknownHelpTopic(program, argv);
    if (badTopic) {
      io.stderr.write(badTopic);
      return 2;
    }
    reportUnknownOptionFirst(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    return reportError(e, io);
  }
}

/** What a command's declaration needs of the run: its argv and streams, and where its action puts the exit code. */
interface DeclareContext {
  argv: string[];
  io: Io;
  /** Records an action's exit code; it reaches main once the action has run. */
  exit: (code: number) => void;
}

/** Every command, in the order help lists them, and the function that declares it. */
const DECLARATIONS: ReadonlyArray<readonly [string, (program: Command, ctx: DeclareContext) => void]> = [
  ['translate', declareTranslate],
  ['convert', declareConvert],
  ['sql', declareSql],
  ['summarize', declareSummarize],
  ['validate', declareValidate],
  ['coverage', declareCoverage],
  ['diff', declareDiff],
  ['suggest', declareSuggest],
  ['lookup', declareLookup],
  ['export', declareExport],
  ['import', declareImport],
  ['list', declareList],
  ['show', declareShow],
  ['completion', declareCompletion],
];

const COMMAND_NAMES = new Set(DECLARATIONS.map(([name]) => name));

/**
 * The commands a run needs declared: the one it names first, when it is one of xwalk's and the run
 * asks for nothing about the others; none for the version alone; else every one.
 */
function commandsToDeclare(argv: readonly string[]): ReadonlySet<string> | 'all' {
  const first = argv.findIndex((a) => !a.startsWith('-'));
  // A global option's value (--vocab-dir DIR) can stand before the command: DIR is not a command name, so the first plain word is.
  const before = first < 0 ? argv : argv.slice(0, first);
  if (before.some((a) => a === '-h' || a === '--help')) return 'all';
  // -V prints the version and stops, whatever follows: no command is reached.
  if (before.some((a) => a === '-V' || a === '--version')) return new Set();
  const name = argv[first];
  if (name === undefined || !COMMAND_NAMES.has(name) || name === 'completion') return 'all';
  return new Set([name]);
}

/** The command tree: the program-level options and help, then each wanted command's declaration. */
function declareCommands(argv: string[], io: Io, setExit: (code: number) => void): Command {
  // Actions set exitCode through ctx.exit; it reaches main once the action has run.
  let exitCode = 0;
  const program = new Command();
  program.hook('postAction', () => setExit(exitCode));
  // Start-up (issue 18): a run of one command declares only that command, --version none; help,
  // completion, a mistyped command (its did-you-mean) and no command at all declare them all.
  const only = commandsToDeclare(argv);
  const wanted = (name: string): boolean => only === 'all' || only.has(name);
  program
    .name('xwalk')
    .description('Translate law-enforcement and public-safety codes between agencies: offense codes, unit designators, status terms.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--vocab-dir <dir>', 'also load vocabularies and crosswalks from DIR (repeatable; XWALK_PATH adds more, colon-separated)', collect)
    .option('--no-shipped', 'do not load the vocabularies shipped with xwalk')
    .option('--no-color', 'no colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('-q, --quiet', 'print only results and errors')
    .option('--verbose', 'print more: routes, candidates not used, chains the algebra stopped')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`xwalk: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText('after', EXIT_CODES_HELP);

  const ctx: DeclareContext = { argv, io, exit: (code) => (exitCode = code) };
  for (const [name, declare] of DECLARATIONS) if (wanted(name)) declare(program, ctx);
  return program;
}

/** The program-level options (--vocab-dir, --quiet ...) as seen from a command. */
const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

/** `xwalk translate`: codes from one vocabulary to another, direct, inverse or chained. */
function declareTranslate(program: Command, ctx: DeclareContext): void {
  program
    .command('translate')
    .description('translate codes from one vocabulary to another: direct, inverse or chained through a hub')
    .argument('<codes...>', 'codes (or unit designators) of the --from vocabulary')
    .requiredOption('--from <vocab>', 'the vocabulary the codes belong to')
    .requiredOption('--to <vocab>', 'the vocabulary to translate into')
    .option('--domain <domain>', 'offense, unit, status ... (inferred when only one fits)')
    .option('--as-of <date>', 'use the meanings valid on this date (YYYY-MM-DD)')
    .option('--max-hops <n>', 'longest chain of crosswalks to try (1-6)', '3')
    .option('--fact <field=value>', 'a fact of the record for conditional mappings (repeatable; twice for several values), e.g. weapon=12', collect)
    .option('--context <field=value>', 'the same as --fact', collect)
    .option('--value-separator <c>', 'split a fact into several values for multi-valued fields, e.g. "|" for weapon=12|40')
    .option('--roll-up', 'answer the common parent code when the candidates lie under one and cover every value (13A → class 4)')
    .option('--json', 'print results as JSON (see README, "JSON output")')
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk translate 13A --from nibrs --to srs --fact report=offense --fact weapon=12\n  xwalk translate 13A --from nibrs --to srs --fact report=offense --roll-up\n  xwalk translate 90B --from nibrs --to srs --fact report=arrest --fact arrestee_age=17\n  xwalk translate 11A --from nibrs --to srs --as-of 2012-06-01 --fact report=offense --fact attempted=C --fact victim_sex=F --json\n${EXIT_CODES_HELP}`,
    )
    .action(async (codes: string[], flags: TranslateFlags, cmd: Command) => {
      ctx.exit(await runTranslate(codes, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk convert`: an export (CSV) from one agency's vocabulary to another's, column by column. */
function declareConvert(program: Command, ctx: DeclareContext): void {
  program
    .command('convert')
    .description("convert an export (CSV) from one agency's vocabulary to another's, column by column, with a report of what did not map")
    .argument('[input]', 'the CSV file, or - (the default) for standard input')
    .requiredOption('--from <vocab>', 'the vocabulary of the input')
    .requiredOption('--to <vocab>', 'the vocabulary to convert into')
    .option('--column <name[:domain]>', 'a column to convert, and its domain when the vocabularies share several (repeatable)', collect)
    .option('-o, --output <file>', 'write here (through a temporary file and a rename); - or absent: standard output')
    .addOption(choiceOption('--mode <mode>', 'append: keep the column, add <column>_<to> and <column>_status; replace: rewrite it', MODES).default('append'))
    .addOption(suggestOption('--unmapped <policy>', 'values that did not map: keep, blank, fixed:VALUE, or error (reject the row); default: blank in append mode, keep in replace mode', UNMAPPED_POLICIES))
    .addOption(choiceOption('--ambiguous <policy>', 'values with several candidates: all (joined with |), first, blank, or error', AMBIGUOUS_POLICIES).default('all'))
    .option('--explain', 'add <column>_relation, _confidence and _path columns')
    .option('--reject <file>', 'write rows that could not be converted here, unchanged, with line and reason')
    .option('--strict', 'exit 1 if any value did not map')
    .option('--context <field=column>', 'feed a column to conditional mappings (repeatable), e.g. property=PropertyType', collect)
    .option('--fact <field=value>', 'a fact of every record (repeatable), e.g. report=offense for a whole offense file', collect)
    .option('--value-separator <c>', 'split a context cell into several values for multi-valued fields (weapon 12|40)')
    .option('--roll-up', 'answer the common parent code when the candidates lie under one and cover every value')
    .option('--missing <values>', 'cells that mean "not recorded", in code and context columns (comma-separated); empty always does', 'NULL')
    .option('--as-of <date>', 'translate with the meanings valid on this date (YYYY-MM-DD)')
    .option('--as-of-column <column>', "each record's own date (YYYY-MM-DD, 2023/01/05, 5-Jan-2023, M/D/YYYY ...)")
    .option('--date-format <formats>', 'how --as-of-column dates are written: iso, us, dmy, mdy, ymd, excel, or a pattern such as D.M.YYYY (comma-separated, tried in order)')
    .option('--max-hops <n>', 'longest chain of crosswalks to try (1-6)')
    .option('--report <file>', 'write a JSON report: counts, unmapped values, vocabulary versions and file hashes')
    .option('--delimiter <char>', 'field delimiter of the input (tab: --delimiter tab)', ',')
    .option('--quote <char>', 'quote character of the input', '"')
    .option('--no-header', 'the input has no header row: name columns 1, 2, 3 ...')
    .addOption(choiceOption('--encoding <name>', 'input encoding (utf-8 with or without BOM)', ENCODINGS, parseEncoding).default('utf-8'))
    .addOption(choiceOption('--format <format>', 'output format', CONVERT_FORMATS).default('csv'))
    .option('--tsv-escape', 'tsv: write tabs, line breaks and backslashes in cells as \\t \\n \\r \\\\ (without it such a cell stops the run: TSV has no quoting)')
    .option('--excel-safe', "prefix cells starting with = + - @ (or full-width ＝ ＋ － ＠) with ' so spreadsheets do not run them; JSON lines are written as they are")
    .option('--skip-bad-rows', 'set malformed records (wrong field count) aside in --reject instead of stopping')
    .option('--no-progress', 'no progress bar (it shows only when stderr is a terminal)')
    .option('--incident <column>', 'group offense rows into incidents by this column and mark which row counts under the Hierarchy Rule (<column>_counted, _scored, _reason)')
    .option('--victims <column>', 'with --incident: the number of victims of each offense (else one, and the report says so)')
    .option('--premises <column>', 'with --incident: burglary, number of premises entered (counted at hotels and rental storage)')
    .option('--location <column>', 'with --incident: the location type (NIBRS Data Element 9) for --premises')
    .option('--vehicles <column>', 'with --incident: motor vehicle theft, number of vehicles stolen')
    .option('--incidents-adjacent', 'with --incident: the rows of an incident follow each other: stream, one incident in memory at a time')
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk convert rms.csv --from riverton-pd --to nibrs --column OffenseCode:offense -o out.csv\n  xwalk convert rms.csv --from riverton-pd --to nibrs --column OffenseCode --context property_type=property_type --reject rejects.csv --report run.json\n  cat calls.csv | xwalk convert - --from metro-fire --to county-fire --column UnitID:unit --column UnitStatus:status --mode replace\n\nEvery row is written or rejected: rows read = rows written + rows rejected.\n\nExit codes:\n  0  done (values that did not map are counted in the report)\n  1  rows were rejected, or --strict and some value did not map\n  2  could not run: bad flags, unreadable input, malformed CSV (line given)\n`,
    )
    .action(async (input: string | undefined, flags: ConvertFlags, cmd: Command) => {
      ctx.exit(await runConvert(input, flags, globals(cmd), ctx.io, ctx.argv, VERSION));
    });
}

/** `xwalk sql`: the conversion as one SQL script. */
function declareSql(program: Command, ctx: DeclareContext): void {
  program
    .command('sql')
    .description("write the conversion as one SQL script: the plan's tables, and a SELECT over the export loaded as a table that gives convert's columns and cells")
    .argument('<input>', 'the export (CSV): only its header is read, for the column names')
    .requiredOption('--from <vocab>', 'the vocabulary of the input')
    .requiredOption('--to <vocab>', 'the vocabulary to convert into')
    .option('--column <name[:domain]>', 'a column to convert (repeatable), as convert', collect)
    .addOption(choiceOption('--dialect <name>', 'the engine to write for', SQL_ENGINES).default('duckdb'))
    .option('--input-table <name>', 'the table holding the export, every column text', 'export')
    .option('--order-by <column>', "the column that keeps the export's row order (required: a table has no order of its own)")
    .option('--no-data', "do not create the plan's tables: expect them loaded (see --tables)")
    .option('--tables <dir>', "also write the plan's tables as CSV files into DIR (xwalk_keys.csv, xwalk_sci.csv, xwalk_tokens.csv, xwalk_decisions.csv)")
    .option('-o, --output <file>', 'write the script here; - or absent: standard output')
    .option('--mode <mode>', 'append or replace, as convert', 'append')
    .option('--unmapped <policy>', 'keep, blank or fixed:VALUE, as convert (error cannot be a SELECT)')
    .option('--ambiguous <policy>', 'all, first or blank, as convert (error cannot be a SELECT)', 'all')
    .option('--explain', 'add <column>_relation, _confidence, _path and _conditions, as convert')
    .option('--context <field=column>', 'feed a column to conditional mappings (repeatable), as convert', collect)
    .option('--fact <field=value>', 'a fact of every record (repeatable), as convert', collect)
    .option('--value-separator <c>', 'split a context cell into several values for multi-valued fields, as convert')
    .option('--roll-up', 'answer the common parent code, as convert (not with --context)')
    .option('--missing <values>', 'cells that mean "not recorded" (comma-separated), as convert', 'NULL')
    .option('--as-of <date>', 'translate with the meanings valid on this date (YYYY-MM-DD)')
    .option('--as-of-column <column>', "each record's own date, read as convert reads it")
    .option('--date-format <formats>', 'how --as-of-column dates are written, as convert')
    .option('--max-hops <n>', 'longest chain of crosswalks to try (1-6)')
    .option('--delimiter <char>', 'field delimiter of the input header', ',')
    .option('--quote <char>', 'quote character of the input header', '"')
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk sql rms.csv --from riverton-pd --to nibrs --column OffenseCode:offense --input-table rms --order-by line > convert.sql\n  xwalk sql export.csv --from nibrs --to srs --column NIBRS --fact report=offense --context weapon=Weapon --value-separator "|" --as-of-column IncidentDate --dialect postgres --order-by line -o convert.sql\n\nThe SELECT gives exactly the cells xwalk convert writes for the same file and flags.\n\nExit codes:\n  0  the script was written\n  2  could not: bad flags, a policy a SELECT cannot carry out (error), a plan the tables cannot spell out\n`,
    )
    .action(async (input: string, flags: SqlFlags, cmd: Command) => {
      ctx.exit(await runSql(input, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk summarize`: counts of convert --incident output by target code and period. */
function declareSummarize(program: Command, ctx: DeclareContext): void {
  program
    .command('summarize')
    .description('count the output of convert --incident by target code and period: a Return A-shaped table, CSV, or a printable HTML report')
    .argument('[input]', 'the output of xwalk convert --incident (CSV), or - (the default) for standard input')
    .requiredOption('--column <name>', 'the offense column that was converted (reads <name>_<to>, _counted, _scored, _reason)')
    .option('--to <vocab>', 'the vocabulary it was converted into', 'srs')
    .addOption(suggestOption('--by <period>', 'month, year, none, or a COLUMN of the input (default: month with --date-column, else none)', PERIODS))
    .option('--date-column <column>', 'the incident date (YYYY-MM-DD or M/D/YYYY ...), for --by month|year')
    .addOption(choiceOption('--format <format>', 'what to print', SUMMARY_FORMATS).default('table'))
    .option('-o, --output <file>', 'write here (through a temporary file and a rename); - or absent: standard output')
    .option('--title <text>', 'the title of the table or report')
    .option('--strict', 'exit 1 if some row could not be classified')
    .option('--delimiter <char>', 'field delimiter of the input (tab: --delimiter tab)', ',')
    .option('--quote <char>', 'quote character of the input', '"')
    .addOption(choiceOption('--encoding <name>', 'input encoding', ENCODINGS, parseEncoding).default('utf-8'))
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk convert export.csv --from nibrs --to srs --column NIBRS --incident IncidentNum --fact report=offense -o marked.csv\n  xwalk summarize marked.csv --column NIBRS --date-column IncidentDate --by month\n  xwalk summarize marked.csv --column NIBRS --date-column IncidentDate --format html -o part1.html\n\nEvery row is accounted for: rows in = counted + not counted + unclassified.\n\nExit codes:\n  0  done (rows that could not be classified are counted, with why)\n  1  --strict and some row could not be classified\n  2  could not run: bad flags, unreadable input, a column missing (line given)\n`,
    )
    .action(async (input: string | undefined, flags: SummarizeFlags, cmd: Command) => {
      ctx.exit(await runSummarize(input, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk validate`: checks vocabulary and crosswalk files. */
function declareValidate(program: Command, ctx: DeclareContext): void {
  program
    .command('validate')
    .description('check vocabulary and crosswalk files: syntax, fields, duplicate and unknown codes, conflicting mappings')
    .argument('[paths...]', 'files or directories to check (default: everything loaded)')
    .option('--json', 'print the report as JSON')
    .option('--strict', 'exit 1 on warnings too')
    .addHelpText('after', `\nExamples:\n  xwalk validate\n  xwalk validate my-agency/ --json\n${EXIT_CODES_HELP}`)
    .action(async (paths: string[], flags: ValidateFlags, cmd: Command) => {
      ctx.exit(await runValidate(paths, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk coverage`: how many of A's codes reach B, and which do not. */
function declareCoverage(program: Command, ctx: DeclareContext): void {
  program
    .command('coverage')
    .description("how many of A's codes reach B (by route and relation), which do not and why; with --weights, what share of a real export's rows that is")
    .requiredOption('--from <vocab>', 'the source vocabulary')
    .requiredOption('--to <vocab>', 'the target vocabulary')
    .option('--domain <domain>', 'offense, unit, status ... (inferred when the two share one)')
    .option('--weights <export.csv>', "count each code's rows in this export (with --column)")
    .option('--column <name>', 'the column of --weights that holds the codes')
    .option('--as-of <date>', 'with the meanings valid on this date (YYYY-MM-DD)')
    .option('--max-hops <n>', 'longest chain of crosswalks to try (1-6)')
    .option('--fact <field=value>', 'a fact of every record (repeatable), e.g. report=offense: codes that reach the target only under some facts are counted apart', collect)
    .option('--context <field=column>', 'with --weights: feed a column of the export to conditional mappings (repeatable), so each row counts with its own facts', collect)
    .option('--missing <values>', 'with --context: cells that mean "not recorded" (comma-separated); empty always does', 'NULL')
    .option('--json', 'print as JSON')
    .addHelpText('after', `\nExamples:\n  xwalk coverage --from riverton-pd --to nibrs\n  xwalk coverage --from riverton-pd --to nibrs --weights rms.csv --column OffenseCode\n\nExit codes: 0 done (coverage is reported, not judged); 2 could not run.\n`)
    .action(async (flags: CoverageFlags, cmd: Command) => {
      ctx.exit(await runCoverage(flags, globals(cmd), ctx.io));
    });
}

/** `xwalk diff`: what changed between two versions of a vocabulary or crosswalk file. */
function declareDiff(program: Command, ctx: DeclareContext): void {
  program
    .command('diff')
    .description('what changed between two versions of a vocabulary or crosswalk file: codes and mappings added, removed, relabelled, re-dated, retargeted')
    .argument('<old>', 'the old version (a YAML file)')
    .argument('<new>', 'the new version (a YAML file)')
    .option('--json', 'print as JSON')
    .addHelpText('after', `\nExamples:\n  xwalk diff old/riverton-pd.yaml vocabularies/riverton-pd.yaml\n  xwalk diff old/riverton-pd--nibrs.yaml vocabularies/riverton-pd--nibrs.yaml --json\n\nExit codes (as diff(1)): 0 the same, 1 different, 2 could not run.\n`)
    .action(async (oldPath: string, newPath: string, flags: { json?: boolean }, cmd: Command) => {
      ctx.exit(await runDiff(oldPath, newPath, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk suggest`: a draft crosswalk for the codes of A with no mapping to B. */
function declareSuggest(program: Command, ctx: DeclareContext): void {
  program
    .command('suggest')
    .description('for codes of A with no mapping to B, the closest codes of B by label: a draft crosswalk of proposed mappings to review')
    .requiredOption('--from <vocab>', 'the source vocabulary')
    .requiredOption('--to <vocab>', 'the target vocabulary')
    .option('--domain <domain>', 'offense, unit, status ... (inferred when the two share one)')
    .option('--limit <n>', 'proposals per code, best first (1-20)', '3')
    .option('--min-score <s>', 'lowest label similarity proposed (0-1)', '0.3')
    .option('-o, --output <file>', 'write the draft here (default: standard output)')
    .addHelpText('after', `\nExamples:\n  xwalk suggest --from bayview-pd --to harbor-county-so -o draft.yaml\n\nThe draft's mappings are status: proposed and never used to translate until a person reviews them.\nExit codes: 0 done, 2 could not run.\n`)
    .action(async (flags: SuggestFlags, cmd: Command) => {
      ctx.exit(await runSuggest(flags, globals(cmd), ctx.io));
    });
}

/** `xwalk lookup`: a term found by what people type, with its equivalents. */
function declareLookup(program: Command, ctx: DeclareContext): void {
  program
    .command('lookup')
    .description('find a term by what people type (abbreviations, typos, any word order) and show its equivalents in every other vocabulary; no query: an interactive prompt')
    .argument('[query...]', 'a code, a ten-code, a unit designator or words of a label; quotes optional')
    .option('--in <vocabs>', 'search only these vocabularies (comma-separated)')
    .option('--to <vocabs>', 'show equivalents only in these vocabularies (comma-separated)')
    .option('--domain <domain>', 'search only this domain: offense, unit, status ...')
    .option('--limit <n>', 'matches listed (1-50)', '10')
    .option('--open <n>', 'show the equivalents of the n-th match instead of the best')
    .option('--as-of <date>', 'judge validity, and translate, as of this date (YYYY-MM-DD)')
    .option('--max-hops <n>', 'longest chain of crosswalks to try (1-6)')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk lookup "agg assault"\n  xwalk lookup 10-10\n  xwalk lookup engine 12 --domain unit\n  xwalk lookup 1301 --in riverton-pd --to harbor-county-so,nibrs\n  xwalk lookup                (interactive: type, ↑↓ to choose, Enter or 1-9 to open)\n\nExit codes: 0 found, 1 no match, 2 could not run (bad flags, unknown vocabulary).\n`,
    )
    .action(async (words: string[], flags: LookupFlags, cmd: Command) => {
      ctx.exit(await runLookup(words, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk export`: a crosswalk written as FHIR, SSSOM, CSV, SQL, Parquet or HTML. */
function declareExport(program: Command, ctx: DeclareContext): void {
  program
    .command('export')
    .description('write a crosswalk as a FHIR ConceptMap (R4/R5), SSSOM TSV, a flat CSV, SQL or Parquet table of every answer, or a printable HTML reference card')
    .requiredOption('--from <vocab>', 'the source vocabulary')
    .requiredOption('--to <vocab>', 'the target vocabulary (html: repeatable, or comma-separated, one column each)', collect)
    .addOption(choiceOption('--format <format>', 'the format to write', EXPORT_FORMATS).makeOptionMandatory())
    .option('--domain <domain>', 'offense, unit, status ... (inferred when the two share one)')
    .option('-o, --output <file>', 'write here (through a temporary file and a rename); default: standard output')
    .option('--resolved', 'fhir/sssom: export what xwalk answers (direct, inverse, chained) even when a crosswalk A→B exists')
    .option('--max-hops <n>', 'longest chain of crosswalks to try for resolved answers (1-6)')
    .option('--fact <field=value>', 'a fact every record would have, for the resolved answers (repeatable), e.g. report=offense', collect)
    .option('--table <name>', 'sql: the table name', 'xwalk_mapping')
    .addOption(choiceOption('--dialect <dialect>', 'sql: portable (runs in SQLite, DuckDB, PostgreSQL and Spark; dates as text), or duckdb, postgres, spark (DATE, arrays), sqlite', EXPORT_SQL_DIALECTS))
    .option('--license <uri>', 'sssom: the mapping set licence (SSSOM requires one)')
    .option('--group-by <prop>', "html: group rows by this prop of the source terms (default: category, of the source or of the first --to's code)")
    .addOption(choiceOption('--paper <size>', 'html: the paper size', PAPERS).default('a4'))
    .option('--title <text>', 'html: the title of the card')
    .option('--strict', 'exit 1 when some mapping cannot be fully expressed in the format')
    .option('--excel-safe', "csv: prefix cells that a spreadsheet would run as a formula (= + - @, full-width too) with '")
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk export --from riverton-pd --to nibrs --format fhir-r4 -o riverton-nibrs.conceptmap.json\n  xwalk export --from riverton-pd --to nibrs --format sssom -o riverton-nibrs.sssom.tsv\n  xwalk export --from riverton-pd --to srs --format sql --table offense_map -o offense_map.sql\n  xwalk export --from nibrs --to srs --format sql --dialect duckdb -o nibrs_srs.sql\n  xwalk export --from nibrs --to srs --format parquet -o nibrs_srs.parquet\n  xwalk export --from nibrs --to srs --to riverton-pd --format html -o card.html\n\nWhat a format cannot hold (conditions in SSSOM, confidence and dates in FHIR, overlap in R5)\nis a warning naming the mapping; it is never written as something it is not.\nExit codes: 0 done; 1 (--strict) some mapping not fully expressible; 2 could not run.\n`,
    )
    .action(async (flags: ExportFlags, cmd: Command) => {
      ctx.exit(await runExport(flags, globals(cmd), ctx.io));
    });
}

/** `xwalk import`: a FHIR, SSSOM or flat CSV file read back as an xwalk crosswalk. */
function declareImport(program: Command, ctx: DeclareContext): void {
  program
    .command('import')
    .description('read a FHIR ConceptMap (R4/R5), an SSSOM TSV file or an exported flat CSV table, and write it as an xwalk crosswalk (YAML)')
    .argument('<file>', 'the file to import')
    .addOption(choiceOption('--format <format>', 'the format of the file', IMPORT_FORMATS).makeOptionMandatory())
    .option('-o, --output <file>', 'write the crosswalk here (default: standard output)')
    .option('--from <vocab>', 'the source vocabulary, when the file names its code system otherwise')
    .option('--to <vocab>', 'the target vocabulary, likewise')
    .option('--domain <domain>', 'the domain, likewise')
    .option('--id <id>', 'the crosswalk id (default: from the file, or FROM--TO)')
    .option('--version <version>', 'the crosswalk version (default: from the file)')
    .option('--strict', 'exit 1 when something was left out or the result has warnings')
    .addHelpText(
      'after',
      `\nExamples:\n  xwalk import riverton-nibrs.conceptmap.json --format fhir-r4 -o vocab/riverton-pd--nibrs.yaml\n  xwalk import riverton-nibrs.sssom.tsv --format sssom -o vocab/riverton-pd--nibrs.yaml\n\nNothing becomes a positive mapping that was not one: a negated SSSOM row is disjoint or left out\n(with a warning), never a match. Derived mappings (inverted, chained) come in as status: proposed.\nThe result is checked against the loaded vocabularies as xwalk validate would.\nExit codes: 0 done; 1 the result has errors against the vocabularies (or, --strict, warnings);\n2 could not run (unreadable or malformed file, with its line).\n`,
    )
    .action(async (file: string, flags: ImportFlags, cmd: Command) => {
      ctx.exit(await runImport(file, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk list`: the vocabularies and crosswalks loaded. */
function declareList(program: Command, ctx: DeclareContext): void {
  program
    .command('list')
    .description('list the vocabularies and crosswalks loaded, with term counts and coverage')
    .option('--json', 'print as JSON')
    .option('--ids', 'print only the vocabulary ids, one per line (for scripts and completion)')
    .addHelpText('after', `\nExamples:\n  xwalk list\n  xwalk list --vocab-dir my-agency/ --json\n`)
    .action(async (flags: { json?: boolean; ids?: boolean }, cmd: Command) => {
      ctx.exit(await runList(flags, globals(cmd), ctx.io));
    });
}

/** `xwalk show`: a vocabulary's terms, or one term with its mappings. */
function declareShow(program: Command, ctx: DeclareContext): void {
  program
    .command('show')
    .description("show a vocabulary's terms, or one term with its validity and its mappings in and out")
    .argument('<vocab>', 'vocabulary id')
    .argument('[code]', 'one code of it')
    .addOption(new Option('--domain <domain>', 'only this domain'))
    .option('--json', 'print as JSON')
    .addHelpText('after', `\nExamples:\n  xwalk show nibrs\n  xwalk show nibrs 11A\n`)
    .action(async (vocab: string, code: string | undefined, flags: ShowFlags, cmd: Command) => {
      ctx.exit(await runShow(vocab, code, flags, globals(cmd), ctx.io));
    });
}

/** `xwalk completion`: a shell completion script. */
function declareCompletion(program: Command, ctx: DeclareContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(choiceArgument('<shell>', 'the shell', SHELLS, (v) => new XwalkError(`no completion for the shell "${v}"`, { hint: `use ${orList(SHELLS)}` })))
    .addHelpText('after', `\nExamples:\n  xwalk completion bash > ~/.xwalk-completion.bash && echo 'source ~/.xwalk-completion.bash' >> ~/.bashrc\n  xwalk completion fish > ~/.config/fish/completions/xwalk.fish\n`)
    .action((shell: (typeof SHELLS)[number]) => {
      ctx.io.stdout.write(completionScript(program, shell));
    });
}

/** A thrown error → its message on stderr → the exit code: 0 for help and version, 2 for bad flags, the XwalkError's own code, 2 for a bug (with a banner). */
function reportError(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2;
  }
  if (e instanceof XwalkError) {
    const k = colorsFor(io, io.stderrIsTTY, undefined);
    io.stderr.write(`xwalk: ${e.message}\n`);
    for (const d of e.diagnostics.slice(0, 50)) io.stderr.write(renderDiagnostic(d, k));
    if (e.diagnostics.length > 50) io.stderr.write(`xwalk: ... and ${e.diagnostics.length - 50} more\n`);
    if (e.hint) io.stderr.write(`  ${k.dim('hint:')} ${e.hint}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr.write(`xwalk: internal error: this is a bug in xwalk ${VERSION}, not in your files.\nPlease report it with the command you ran and this text:\n${err?.stack ?? String(e)}\n`);
  return 2;
}
