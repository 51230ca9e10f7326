/**
 * The command line, declared once (issue 18): every command's arguments, options, help text and
 * the function it runs, as data. Two readers: ./parse.ts reads a plain command line straight
 * from this table (no commander loaded: `xwalk translate 13A --from nibrs --to srs` starts
 * without it), and ./program.ts builds commander's command tree from it for everything else:
 * help, the errors and their did-you-means, --version with other words, shell completion.
 * test/cli-parse.test.ts checks that the two read every command line alike.
 *
 * Exit codes: 0 done; 1 ran but found problems (a code did not map, validation errors);
 * 2 could not run (bad flags, unreadable or broken files, unknown vocabulary).
 */

import pkg from '../../package.json' with { type: 'json' };
import { XwalkError } from '../errors/errors.js';
import type { Io } from './io.js';
import type { GlobalOptions } from './commands/context.js';
import { AMBIGUOUS_POLICIES, orList, CONVERT_FORMATS, ENCODINGS, EXPORT_FORMATS, IMPORT_FORMATS, MODES, PAPERS, parseEncoding, PERIODS, SHELLS, SUMMARY_FORMATS, UNMAPPED_POLICIES, SQL_ENGINES, EXPORT_SQL_DIALECTS } from './flags.js';
// Each command's code is loaded when it runs (issue 18): see commands/index.ts.
import { runConvert, runCoverage, runDiff, runExport, runImport, runList, runLookup, runShow, runSql, runSuggest, runSummarize, runTranslate, runValidate } from './commands/index.js';

export const VERSION: string = pkg.version;

/** An option as commander takes it. */
export interface OptionSpec {
  /** '-o, --output <file>', '--json', '--no-header': a short and a long name, and a value when it takes one. */
  flags: string;
  description: string;
  /** The run stops (exit 2) without it. */
  required?: boolean;
  /** Given several times, its values are collected in order (an array). */
  repeatable?: boolean;
  default?: string;
  /** The values it takes: others are refused while the command line is read, with a did-you-mean. */
  choices?: readonly string[];
  /** Reads a value of `choices` (and its aliases) into the one the command gets; throws XwalkError for others. */
  parse?: (v: string) => string;
  /** Values shell completion offers, for an option the command itself checks (--unmapped fixed:X). */
  suggest?: readonly string[];
}

/** An argument: `<name>` required, `[name]` optional, `...` takes the rest. */
export interface ArgumentSpec {
  name: string;
  description: string;
  choices?: readonly string[];
  /** The error for a value outside `choices`. */
  refuse?: (v: string) => XwalkError;
}

/** An argument's value: a word, the words of a `...` argument, or nothing for an optional one not given. */
export type Operand = string | string[] | undefined;

/** The flags a command gets: each option's value by its camel-case name (--as-of → asOf, --no-header → header). */
export type Flags = Record<string, string | string[] | boolean | undefined>;

export interface CommandSpec {
  name: string;
  description: string;
  arguments: readonly ArgumentSpec[];
  options: readonly OptionSpec[];
  /** Help after the options: examples and exit codes. */
  helpAfter: string;
  /** Runs the command: its arguments in order, its flags, the program's options; the exit code. */
  run: (operands: Operand[], flags: Flags, g: GlobalOptions, io: Io, argv: string[]) => Promise<number>;
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  done: every code mapped, the files are valid
  1  ran, but found problems: a code did not map (or was ambiguous, unknown,
     expired), validation errors (and warnings with --strict)
  2  could not run: bad flags, unreadable or malformed files, unknown vocabulary`;

export const PROGRAM = {
  name: 'xwalk',
  description: 'Translate law-enforcement and public-safety codes between agencies: offense codes, unit designators, status terms.',
  version: { flags: '-V, --version', description: 'print the version' },
  /** Options of every command, given before or after the command's name. */
  options: [
    { flags: '--vocab-dir <dir>', description: 'also load vocabularies and crosswalks from DIR (repeatable; XWALK_PATH adds more, colon-separated)', repeatable: true },
    { flags: '--no-shipped', description: 'do not load the vocabularies shipped with xwalk' },
    { flags: '--no-color', description: 'no colour (NO_COLOR and FORCE_COLOR are honoured too)' },
    { flags: '-q, --quiet', description: 'print only results and errors' },
    { flags: '--verbose', description: 'print more: routes, candidates not used, chains the algebra stopped' },
  ] satisfies OptionSpec[] as readonly OptionSpec[],
};

/** A command's declaration without its name. */
type Declaration = Omit<CommandSpec, 'name'>;

/**
 * Every command, in the order help lists them: its name, and its declaration, made the first time
 * it is asked for. A plain command line builds only the one it runs (issue 18: start-up; the
 * others' options and help are never compiled, nor in its code cache).
 */
const DECLARATIONS: readonly (readonly [string, () => Declaration])[] = [
  /** `xwalk translate`: codes from one vocabulary to another, direct, inverse or chained. */
  [
    'translate',
    () => ({
      description: 'translate codes from one vocabulary to another: direct, inverse or chained through a hub',
      arguments: [{ name: '<codes...>', description: 'codes (or unit designators) of the --from vocabulary' }],
      options: [
        { flags: '--from <vocab>', description: 'the vocabulary the codes belong to', required: true },
        { flags: '--to <vocab>', description: 'the vocabulary to translate into', required: true },
        { flags: '--domain <domain>', description: 'offense, unit, status ... (inferred when only one fits)' },
        { flags: '--as-of <date>', description: 'use the meanings valid on this date (YYYY-MM-DD)' },
        { flags: '--max-hops <n>', description: 'longest chain of crosswalks to try (1-6)', default: '3' },
        { flags: '--fact <field=value>', description: 'a fact of the record for conditional mappings (repeatable; twice for several values), e.g. weapon=12', repeatable: true },
        { flags: '--context <field=value>', description: 'the same as --fact', repeatable: true },
        { flags: '--value-separator <c>', description: 'split a fact into several values for multi-valued fields, e.g. "|" for weapon=12|40' },
        { flags: '--roll-up', description: 'answer the common parent code when the candidates lie under one and cover every value (13A → class 4)' },
        { flags: '--json', description: 'print results as JSON (see README, "JSON output")' },
      ],
      helpAfter: `\nExamples:\n  xwalk translate 13A --from nibrs --to srs --fact report=offense --fact weapon=12\n  xwalk translate 13A --from nibrs --to srs --fact report=offense --roll-up\n  xwalk translate 90B --from nibrs --to srs --fact report=arrest --fact arrestee_age=17\n  xwalk translate 11A --from nibrs --to srs --as-of 2012-06-01 --fact report=offense --fact attempted=C --fact victim_sex=F --json\n${EXIT_CODES_HELP}`,
      run: (a, f, g, io) => runTranslate(a[0] as never, f as never, g, io),
    }),
  ],
  /** `xwalk convert`: an export (CSV) from one agency's vocabulary to another's, column by column. */
  [
    'convert',
    () => ({
      description: "convert an export (CSV) from one agency's vocabulary to another's, column by column, with a report of what did not map",
      arguments: [{ name: '[input]', description: 'the CSV file, or - (the default) for standard input' }],
      options: [
        { flags: '--from <vocab>', description: 'the vocabulary of the input', required: true },
        { flags: '--to <vocab>', description: 'the vocabulary to convert into', required: true },
        { flags: '--column <name[:domain]>', description: 'a column to convert, and its domain when the vocabularies share several (repeatable)', repeatable: true },
        { flags: '-o, --output <file>', description: 'write here (through a temporary file and a rename); - or absent: standard output' },
        { flags: '--mode <mode>', description: 'append: keep the column, add <column>_<to> and <column>_status; replace: rewrite it', choices: MODES, default: 'append' },
        { flags: '--unmapped <policy>', description: 'values that did not map: keep, blank, fixed:VALUE, or error (reject the row); default: blank in append mode, keep in replace mode', suggest: UNMAPPED_POLICIES },
        { flags: '--ambiguous <policy>', description: 'values with several candidates: all (joined with |), first, blank, or error', choices: AMBIGUOUS_POLICIES, default: 'all' },
        { flags: '--explain', description: 'add <column>_relation, _confidence and _path columns' },
        { flags: '--reject <file>', description: 'write rows that could not be converted here, unchanged, with line and reason' },
        { flags: '--strict', description: 'exit 1 if any value did not map' },
        { flags: '--context <field=column>', description: 'feed a column to conditional mappings (repeatable), e.g. property=PropertyType', repeatable: true },
        { flags: '--fact <field=value>', description: 'a fact of every record (repeatable), e.g. report=offense for a whole offense file', repeatable: true },
        { flags: '--value-separator <c>', description: 'split a context cell into several values for multi-valued fields (weapon 12|40)' },
        { flags: '--roll-up', description: 'answer the common parent code when the candidates lie under one and cover every value' },
        { flags: '--missing <values>', description: 'cells that mean "not recorded", in code and context columns (comma-separated); empty always does', default: 'NULL' },
        { flags: '--as-of <date>', description: 'translate with the meanings valid on this date (YYYY-MM-DD)' },
        { flags: '--as-of-column <column>', description: "each record's own date (YYYY-MM-DD, 2023/01/05, 5-Jan-2023, M/D/YYYY ...)" },
        { flags: '--date-format <formats>', description: 'how --as-of-column dates are written: iso, us, dmy, mdy, ymd, excel, or a pattern such as D.M.YYYY (comma-separated, tried in order)' },
        { flags: '--max-hops <n>', description: 'longest chain of crosswalks to try (1-6)' },
        { flags: '--report <file>', description: 'write a JSON report: counts, unmapped values, vocabulary versions and file hashes' },
        { flags: '--delimiter <char>', description: 'field delimiter of the input (tab: --delimiter tab)', default: ',' },
        { flags: '--quote <char>', description: 'quote character of the input', default: '"' },
        { flags: '--no-header', description: 'the input has no header row: name columns 1, 2, 3 ...' },
        { flags: '--encoding <name>', description: 'input encoding (utf-8 with or without BOM)', choices: ENCODINGS, parse: parseEncoding, default: 'utf-8' },
        { flags: '--format <format>', description: 'output format', choices: CONVERT_FORMATS, default: 'csv' },
        { flags: '--tsv-escape', description: 'tsv: write tabs, line breaks and backslashes in cells as \\t \\n \\r \\\\ (without it such a cell stops the run: TSV has no quoting)' },
        { flags: '--excel-safe', description: "prefix cells starting with = + - @ (or full-width ＝ ＋ － ＠) with ' so spreadsheets do not run them; JSON lines are written as they are" },
        { flags: '--skip-bad-rows', description: 'set malformed records (wrong field count) aside in --reject instead of stopping' },
        { flags: '--no-progress', description: 'no progress bar (it shows only when stderr is a terminal)' },
        { flags: '--incident <column>', description: 'group offense rows into incidents by this column and mark which row counts under the Hierarchy Rule (<column>_counted, _scored, _reason)' },
        { flags: '--victims <column>', description: 'with --incident: the number of victims of each offense (else one, and the report says so)' },
        { flags: '--premises <column>', description: 'with --incident: burglary, number of premises entered (counted at hotels and rental storage)' },
        { flags: '--location <column>', description: 'with --incident: the location type (NIBRS Data Element 9) for --premises' },
        { flags: '--vehicles <column>', description: 'with --incident: motor vehicle theft, number of vehicles stolen' },
        { flags: '--incidents-adjacent', description: 'with --incident: the rows of an incident follow each other: stream, one incident in memory at a time' },
      ],
      helpAfter: `\nExamples:\n  xwalk convert rms.csv --from riverton-pd --to nibrs --column OffenseCode:offense -o out.csv\n  xwalk convert rms.csv --from riverton-pd --to nibrs --column OffenseCode --context property_type=property_type --reject rejects.csv --report run.json\n  cat calls.csv | xwalk convert - --from metro-fire --to county-fire --column UnitID:unit --column UnitStatus:status --mode replace\n\nEvery row is written or rejected: rows read = rows written + rows rejected.\n\nExit codes:\n  0  done (values that did not map are counted in the report)\n  1  rows were rejected, or --strict and some value did not map\n  2  could not run: bad flags, unreadable input, malformed CSV (line given)\n`,
      run: (a, f, g, io, argv) => runConvert(a[0] as never, f as never, g, io, argv, VERSION),
    }),
  ],
  /** `xwalk sql`: the conversion as one SQL script. */
  [
    'sql',
    () => ({
      description: "write the conversion as one SQL script: the plan's tables, and a SELECT over the export loaded as a table that gives convert's columns and cells",
      arguments: [{ name: '<input>', description: 'the export (CSV): only its header is read, for the column names' }],
      options: [
        { flags: '--from <vocab>', description: 'the vocabulary of the input', required: true },
        { flags: '--to <vocab>', description: 'the vocabulary to convert into', required: true },
        { flags: '--column <name[:domain]>', description: 'a column to convert (repeatable), as convert', repeatable: true },
        { flags: '--dialect <name>', description: 'the engine to write for', choices: SQL_ENGINES, default: 'duckdb' },
        { flags: '--input-table <name>', description: 'the table holding the export, every column text', default: 'export' },
        { flags: '--order-by <column>', description: "the column that keeps the export's row order (required: a table has no order of its own)" },
        { flags: '--no-data', description: "do not create the plan's tables: expect them loaded (see --tables)" },
        { flags: '--tables <dir>', description: "also write the plan's tables as CSV files into DIR (xwalk_keys.csv, xwalk_sci.csv, xwalk_tokens.csv, xwalk_decisions.csv)" },
        { flags: '-o, --output <file>', description: 'write the script here; - or absent: standard output' },
        { flags: '--mode <mode>', description: 'append or replace, as convert', default: 'append' },
        { flags: '--unmapped <policy>', description: 'keep, blank or fixed:VALUE, as convert (error cannot be a SELECT)' },
        { flags: '--ambiguous <policy>', description: 'all, first or blank, as convert (error cannot be a SELECT)', default: 'all' },
        { flags: '--explain', description: 'add <column>_relation, _confidence, _path and _conditions, as convert' },
        { flags: '--context <field=column>', description: 'feed a column to conditional mappings (repeatable), as convert', repeatable: true },
        { flags: '--fact <field=value>', description: 'a fact of every record (repeatable), as convert', repeatable: true },
        { flags: '--value-separator <c>', description: 'split a context cell into several values for multi-valued fields, as convert' },
        { flags: '--roll-up', description: 'answer the common parent code, as convert (not with --context)' },
        { flags: '--missing <values>', description: 'cells that mean "not recorded" (comma-separated), as convert', default: 'NULL' },
        { flags: '--as-of <date>', description: 'translate with the meanings valid on this date (YYYY-MM-DD)' },
        { flags: '--as-of-column <column>', description: "each record's own date, read as convert reads it" },
        { flags: '--date-format <formats>', description: 'how --as-of-column dates are written, as convert' },
        { flags: '--max-hops <n>', description: 'longest chain of crosswalks to try (1-6)' },
        { flags: '--delimiter <char>', description: 'field delimiter of the input header', default: ',' },
        { flags: '--quote <char>', description: 'quote character of the input header', default: '"' },
      ],
      helpAfter: `\nExamples:\n  xwalk sql rms.csv --from riverton-pd --to nibrs --column OffenseCode:offense --input-table rms --order-by line > convert.sql\n  xwalk sql export.csv --from nibrs --to srs --column NIBRS --fact report=offense --context weapon=Weapon --value-separator "|" --as-of-column IncidentDate --dialect postgres --order-by line -o convert.sql\n\nThe SELECT gives exactly the cells xwalk convert writes for the same file and flags.\n\nExit codes:\n  0  the script was written\n  2  could not: bad flags, a policy a SELECT cannot carry out (error), a plan the tables cannot spell out\n`,
      run: (a, f, g, io) => runSql(a[0] as never, f as never, g, io),
    }),
  ],
  /** `xwalk summarize`: counts of convert --incident output by target code and period. */
  [
    'summarize',
    () => ({
      description: 'count the output of convert --incident by target code and period: a Return A-shaped table, CSV, or a printable HTML report',
      arguments: [{ name: '[input]', description: 'the output of xwalk convert --incident (CSV), or - (the default) for standard input' }],
      options: [
        { flags: '--column <name>', description: 'the offense column that was converted (reads <name>_<to>, _counted, _scored, _reason)', required: true },
        { flags: '--to <vocab>', description: 'the vocabulary it was converted into', default: 'srs' },
        { flags: '--by <period>', description: 'month, year, none, or a COLUMN of the input (default: month with --date-column, else none)', suggest: PERIODS },
        { flags: '--date-column <column>', description: 'the incident date (YYYY-MM-DD or M/D/YYYY ...), for --by month|year' },
        { flags: '--format <format>', description: 'what to print', choices: SUMMARY_FORMATS, default: 'table' },
        { flags: '-o, --output <file>', description: 'write here (through a temporary file and a rename); - or absent: standard output' },
        { flags: '--title <text>', description: 'the title of the table or report' },
        { flags: '--strict', description: 'exit 1 if some row could not be classified' },
        { flags: '--delimiter <char>', description: 'field delimiter of the input (tab: --delimiter tab)', default: ',' },
        { flags: '--quote <char>', description: 'quote character of the input', default: '"' },
        { flags: '--encoding <name>', description: 'input encoding', choices: ENCODINGS, parse: parseEncoding, default: 'utf-8' },
      ],
      helpAfter: `\nExamples:\n  xwalk convert export.csv --from nibrs --to srs --column NIBRS --incident IncidentNum --fact report=offense -o marked.csv\n  xwalk summarize marked.csv --column NIBRS --date-column IncidentDate --by month\n  xwalk summarize marked.csv --column NIBRS --date-column IncidentDate --format html -o part1.html\n\nEvery row is accounted for: rows in = counted + not counted + unclassified.\n\nExit codes:\n  0  done (rows that could not be classified are counted, with why)\n  1  --strict and some row could not be classified\n  2  could not run: bad flags, unreadable input, a column missing (line given)\n`,
      run: (a, f, g, io) => runSummarize(a[0] as never, f as never, g, io),
    }),
  ],
  /** `xwalk validate`: checks vocabulary and crosswalk files. */
  [
    'validate',
    () => ({
      description: 'check vocabulary and crosswalk files: syntax, fields, duplicate and unknown codes, conflicting mappings',
      arguments: [{ name: '[paths...]', description: 'files or directories to check (default: everything loaded)' }],
      options: [
        { flags: '--json', description: 'print the report as JSON' },
        { flags: '--strict', description: 'exit 1 on warnings too' },
      ],
      helpAfter: `\nExamples:\n  xwalk validate\n  xwalk validate my-agency/ --json\n${EXIT_CODES_HELP}`,
      run: (a, f, g, io) => runValidate(a[0] as never, f as never, g, io),
    }),
  ],
  /** `xwalk coverage`: how many of A's codes reach B, and which do not. */
  [
    'coverage',
    () => ({
      description: "how many of A's codes reach B (by route and relation), which do not and why; with --weights, what share of a real export's rows that is",
      arguments: [],
      options: [
        { flags: '--from <vocab>', description: 'the source vocabulary', required: true },
        { flags: '--to <vocab>', description: 'the target vocabulary', required: true },
        { flags: '--domain <domain>', description: 'offense, unit, status ... (inferred when the two share one)' },
        { flags: '--weights <export.csv>', description: "count each code's rows in this export (with --column)" },
        { flags: '--column <name>', description: 'the column of --weights that holds the codes' },
        { flags: '--as-of <date>', description: 'with the meanings valid on this date (YYYY-MM-DD)' },
        { flags: '--max-hops <n>', description: 'longest chain of crosswalks to try (1-6)' },
        { flags: '--fact <field=value>', description: 'a fact of every record (repeatable), e.g. report=offense: codes that reach the target only under some facts are counted apart', repeatable: true },
        { flags: '--context <field=column>', description: 'with --weights: feed a column of the export to conditional mappings (repeatable), so each row counts with its own facts', repeatable: true },
        { flags: '--missing <values>', description: 'with --context: cells that mean "not recorded" (comma-separated); empty always does', default: 'NULL' },
        { flags: '--json', description: 'print as JSON' },
      ],
      helpAfter: `\nExamples:\n  xwalk coverage --from riverton-pd --to nibrs\n  xwalk coverage --from riverton-pd --to nibrs --weights rms.csv --column OffenseCode\n\nExit codes: 0 done (coverage is reported, not judged); 2 could not run.\n`,
      run: (_a, f, g, io) => runCoverage(f as never, g, io),
    }),
  ],
  /** `xwalk diff`: what changed between two versions of a vocabulary or crosswalk file. */
  [
    'diff',
    () => ({
      description: 'what changed between two versions of a vocabulary or crosswalk file: codes and mappings added, removed, relabelled, re-dated, retargeted',
      arguments: [
        { name: '<old>', description: 'the old version (a YAML file)' },
        { name: '<new>', description: 'the new version (a YAML file)' },
      ],
      options: [{ flags: '--json', description: 'print as JSON' }],
      helpAfter: `\nExamples:\n  xwalk diff old/riverton-pd.yaml vocabularies/riverton-pd.yaml\n  xwalk diff old/riverton-pd--nibrs.yaml vocabularies/riverton-pd--nibrs.yaml --json\n\nExit codes (as diff(1)): 0 the same, 1 different, 2 could not run.\n`,
      run: (a, f, g, io) => runDiff(a[0] as never, a[1] as never, f as never, g, io),
    }),
  ],
  /** `xwalk suggest`: a draft crosswalk for the codes of A with no mapping to B. */
  [
    'suggest',
    () => ({
      description: 'for codes of A with no mapping to B, the closest codes of B by label: a draft crosswalk of proposed mappings to review',
      arguments: [],
      options: [
        { flags: '--from <vocab>', description: 'the source vocabulary', required: true },
        { flags: '--to <vocab>', description: 'the target vocabulary', required: true },
        { flags: '--domain <domain>', description: 'offense, unit, status ... (inferred when the two share one)' },
        { flags: '--limit <n>', description: 'proposals per code, best first (1-20)', default: '3' },
        { flags: '--min-score <s>', description: 'lowest label similarity proposed (0-1)', default: '0.3' },
        { flags: '-o, --output <file>', description: 'write the draft here (default: standard output)' },
      ],
      helpAfter: `\nExamples:\n  xwalk suggest --from bayview-pd --to harbor-county-so -o draft.yaml\n\nThe draft's mappings are status: proposed and never used to translate until a person reviews them.\nExit codes: 0 done, 2 could not run.\n`,
      run: (_a, f, g, io) => runSuggest(f as never, g, io),
    }),
  ],
  /** `xwalk lookup`: a term found by what people type, with its equivalents. */
  [
    'lookup',
    () => ({
      description: 'find a term by what people type (abbreviations, typos, any word order) and show its equivalents in every other vocabulary; no query: an interactive prompt',
      arguments: [{ name: '[query...]', description: 'a code, a ten-code, a unit designator or words of a label; quotes optional' }],
      options: [
        { flags: '--in <vocabs>', description: 'search only these vocabularies (comma-separated)' },
        { flags: '--to <vocabs>', description: 'show equivalents only in these vocabularies (comma-separated)' },
        { flags: '--domain <domain>', description: 'search only this domain: offense, unit, status ...' },
        { flags: '--limit <n>', description: 'matches listed (1-50)', default: '10' },
        { flags: '--open <n>', description: 'show the equivalents of the n-th match instead of the best' },
        { flags: '--as-of <date>', description: 'judge validity, and translate, as of this date (YYYY-MM-DD)' },
        { flags: '--max-hops <n>', description: 'longest chain of crosswalks to try (1-6)' },
        { flags: '--json', description: 'print as JSON' },
      ],
      helpAfter: `\nExamples:\n  xwalk lookup "agg assault"\n  xwalk lookup 10-10\n  xwalk lookup engine 12 --domain unit\n  xwalk lookup 1301 --in riverton-pd --to harbor-county-so,nibrs\n  xwalk lookup                (interactive: type, ↑↓ to choose, Enter or 1-9 to open)\n\nExit codes: 0 found, 1 no match, 2 could not run (bad flags, unknown vocabulary).\n`,
      run: (a, f, g, io) => runLookup(a[0] as never, f as never, g, io),
    }),
  ],
  /** `xwalk export`: a crosswalk written as FHIR, SSSOM, CSV, SQL, Parquet or HTML. */
  [
    'export',
    () => ({
      description: 'write a crosswalk as a FHIR ConceptMap (R4/R5), SSSOM TSV, a flat CSV, SQL or Parquet table of every answer, or a printable HTML reference card',
      arguments: [],
      options: [
        { flags: '--from <vocab>', description: 'the source vocabulary', required: true },
        { flags: '--to <vocab>', description: 'the target vocabulary (html: repeatable, or comma-separated, one column each)', required: true, repeatable: true },
        { flags: '--format <format>', description: 'the format to write', choices: EXPORT_FORMATS, required: true },
        { flags: '--domain <domain>', description: 'offense, unit, status ... (inferred when the two share one)' },
        { flags: '-o, --output <file>', description: 'write here (through a temporary file and a rename); default: standard output' },
        { flags: '--resolved', description: 'fhir/sssom: export what xwalk answers (direct, inverse, chained) even when a crosswalk A→B exists' },
        { flags: '--max-hops <n>', description: 'longest chain of crosswalks to try for resolved answers (1-6)' },
        { flags: '--fact <field=value>', description: 'a fact every record would have, for the resolved answers (repeatable), e.g. report=offense', repeatable: true },
        { flags: '--table <name>', description: 'sql: the table name', default: 'xwalk_mapping' },
        { flags: '--dialect <dialect>', description: 'sql: portable (runs in SQLite, DuckDB, PostgreSQL and Spark; dates as text), or duckdb, postgres, spark (DATE, arrays), sqlite', choices: EXPORT_SQL_DIALECTS },
        { flags: '--license <uri>', description: 'sssom: the mapping set licence (SSSOM requires one)' },
        { flags: '--group-by <prop>', description: "html: group rows by this prop of the source terms (default: category, of the source or of the first --to's code)" },
        { flags: '--paper <size>', description: 'html: the paper size', choices: PAPERS, default: 'a4' },
        { flags: '--title <text>', description: 'html: the title of the card' },
        { flags: '--strict', description: 'exit 1 when some mapping cannot be fully expressed in the format' },
        { flags: '--excel-safe', description: "csv: prefix cells that a spreadsheet would run as a formula (= + - @, full-width too) with '" },
      ],
      helpAfter: `\nExamples:\n  xwalk export --from riverton-pd --to nibrs --format fhir-r4 -o riverton-nibrs.conceptmap.json\n  xwalk export --from riverton-pd --to nibrs --format sssom -o riverton-nibrs.sssom.tsv\n  xwalk export --from riverton-pd --to srs --format sql --table offense_map -o offense_map.sql\n  xwalk export --from nibrs --to srs --format sql --dialect duckdb -o nibrs_srs.sql\n  xwalk export --from nibrs --to srs --format parquet -o nibrs_srs.parquet\n  xwalk export --from nibrs --to srs --to riverton-pd --format html -o card.html\n\nWhat a format cannot hold (conditions in SSSOM, confidence and dates in FHIR, overlap in R5)\nis a warning naming the mapping; it is never written as something it is not.\nExit codes: 0 done; 1 (--strict) some mapping not fully expressible; 2 could not run.\n`,
      run: (_a, f, g, io) => runExport(f as never, g, io),
    }),
  ],
  /** `xwalk import`: a FHIR, SSSOM or flat CSV file read back as an xwalk crosswalk. */
  [
    'import',
    () => ({
      description: 'read a FHIR ConceptMap (R4/R5), an SSSOM TSV file or an exported flat CSV table, and write it as an xwalk crosswalk (YAML)',
      arguments: [{ name: '<file>', description: 'the file to import' }],
      options: [
        { flags: '--format <format>', description: 'the format of the file', choices: IMPORT_FORMATS, required: true },
        { flags: '-o, --output <file>', description: 'write the crosswalk here (default: standard output)' },
        { flags: '--from <vocab>', description: 'the source vocabulary, when the file names its code system otherwise' },
        { flags: '--to <vocab>', description: 'the target vocabulary, likewise' },
        { flags: '--domain <domain>', description: 'the domain, likewise' },
        { flags: '--id <id>', description: 'the crosswalk id (default: from the file, or FROM--TO)' },
        { flags: '--crosswalk-version <version>', description: "the crosswalk version (default: from the file); --version, as everywhere, prints xwalk's" },
        { flags: '--strict', description: 'exit 1 when something was left out or the result has warnings' },
      ],
      helpAfter: `\nExamples:\n  xwalk import riverton-nibrs.conceptmap.json --format fhir-r4 -o vocab/riverton-pd--nibrs.yaml\n  xwalk import riverton-nibrs.sssom.tsv --format sssom -o vocab/riverton-pd--nibrs.yaml\n\nNothing becomes a positive mapping that was not one: a negated SSSOM row is disjoint or left out\n(with a warning), never a match. Derived mappings (inverted, chained) come in as status: proposed.\nThe result is checked against the loaded vocabularies as xwalk validate would.\nExit codes: 0 done; 1 the result has errors against the vocabularies (or, --strict, warnings);\n2 could not run (unreadable or malformed file, with its line).\n`,
      run: (a, f, g, io) => runImport(a[0] as never, f as never, g, io),
    }),
  ],
  /** `xwalk list`: the vocabularies and crosswalks loaded. */
  [
    'list',
    () => ({
      description: 'list the vocabularies and crosswalks loaded, with term counts and coverage',
      arguments: [],
      options: [
        { flags: '--json', description: 'print as JSON' },
        { flags: '--ids', description: 'print only the vocabulary ids, one per line (for scripts and completion)' },
      ],
      helpAfter: `\nExamples:\n  xwalk list\n  xwalk list --vocab-dir my-agency/ --json\n`,
      run: (_a, f, g, io) => runList(f as never, g, io),
    }),
  ],
  /** `xwalk show`: a vocabulary's terms, or one term with its mappings. */
  [
    'show',
    () => ({
      description: "show a vocabulary's terms, or one term with its validity and its mappings in and out",
      arguments: [
        { name: '<vocab>', description: 'vocabulary id' },
        { name: '[code]', description: 'one code of it' },
      ],
      options: [
        { flags: '--domain <domain>', description: 'only this domain' },
        { flags: '--json', description: 'print as JSON' },
      ],
      helpAfter: `\nExamples:\n  xwalk show nibrs\n  xwalk show nibrs 11A\n`,
      run: (a, f, g, io) => runShow(a[0] as never, a[1] as never, f as never, g, io),
    }),
  ],
  /** `xwalk completion`: a shell completion script. */
  [
    'completion',
    () => ({
      description: 'print a shell completion script (bash, zsh or fish)',
      arguments: [{ name: '<shell>', description: 'the shell', choices: SHELLS, refuse: (v) => new XwalkError(`no completion for the shell "${v}"`, { hint: `use ${orList(SHELLS)}` }) }],
      options: [],
      helpAfter: `\nExamples:\n  xwalk completion bash > ~/.xwalk-completion.bash && echo 'source ~/.xwalk-completion.bash' >> ~/.bashrc\n  xwalk completion fish > ~/.config/fish/completions/xwalk.fish\n`,
      run: async (a, _f, _g, io) => (await import('./program.js')).runCompletion(a[0] as never, io),
    }),
  ],
];

/** The commands' names, in the order help lists them. */
export const COMMAND_NAMES: readonly string[] = DECLARATIONS.map(([name]) => name);

const declared = new Map<string, CommandSpec>();

/** The command named `name`, or undefined. */
export function commandSpec(name: string): CommandSpec | undefined {
  let spec = declared.get(name);
  if (!spec) {
    const declare = DECLARATIONS.find(([n]) => n === name)?.[1];
    if (!declare) return undefined;
    declared.set(name, (spec = { name, ...declare() }));
  }
  return spec;
}

/** Every command, in the order help lists them. */
export function commandSpecs(): CommandSpec[] {
  return COMMAND_NAMES.map((name) => commandSpec(name)!);
}
