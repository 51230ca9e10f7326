/**
 * xwalk's library API: load vocabularies and crosswalks, translate codes, validate.
 * The command-line tool is built on exactly these functions.
 *
 * ```ts
 * import { openRegistry, RegistryIndex, translateCode } from 'xwalk';
 * const index = new RegistryIndex(openRegistry());
 * const r = translateCode(index, '13A', { from: 'nibrs', to: 'srs' });
 * ```
 */

export type * from './model/types.js';
export { RELATIONS, SYMBOL, compose, invert, isPositive, parseRelation, type Relation, type PositiveRelation } from './model/relation.js';
export { XwalkError, formatLoc, type Diagnostic, type Severity } from './errors/errors.js';
export { loadRegistry, type Registry } from './load/registry.js';
export { openRegistry, openSources, type OpenOptions } from './open/open.js';
export { cacheDirFor, LoadCache } from './cache/cache.js';
export { DirSource, MemorySource, type FileSource } from './read/source.js';
export { shippedRegistry } from './shipped/index.js';
export { mergeRegistries } from './load/compiled.js';
export { normalizeCode } from './load/normalize.js';
export { RegistryIndex, type Edge } from './indexes/index.js';
export { translateCode, resolveDomain, DEFAULT_MAX_HOPS, type TranslateOptions } from './translate/translate.js';
export type * from './translate/result.js';
export { validateRegistry, RULES, type Rule, type ValidationReport } from './validate/index.js';
export { translateRecords, type RecordTranslateOptions, type TranslatedRecord } from './convert/records.js';
export { lookup, lookupIndex, searchTerms, type LookupOptions, type LookupResult, type LookupHit } from './lookup/lookup.js';
export { exportCrosswalk, type ExportOptions, type ExportResult } from './interchange/export.js';
export { SQL_DIALECTS, type SqlDialect } from './interchange/sql.js';
export { writeParquet, nodeDuckDbLoader, type DuckDbLoader } from './output/parquet.js';
export { importCrosswalk, crosswalkYaml } from './interchange/import.js';
export type { ImportOptions, Imported } from './interchange/fhir.js';
export { markIncidents, type IncidentOptions, type IncidentReport, type MarkedRecord } from './summarize/mark.js';
export { markIncident, scoreRow, type OffenseRow, type RowMark, type MarkStatus, type Score } from './summarize/incident.js';
export { hierarchyRules, type HierarchyRules, type CodeRule, type CountUnit } from './summarize/rules.js';
export { summarize, summarizeMarked, periodOf, type Summary, type SummaryLine, type SummaryRow, type PeriodBy } from './summarize/summarize.js';
export { renderSummaryTable, renderSummaryCsv, renderSummaryHtml } from './summarize/render.js';
export { SummaryBuilder } from './summarize/summarize.js';
