/**
 * The study analysis, as one module for the command-line tools (scripts/study-summary.mjs
 * bundles this file with esbuild) and for extension pages (Insights imports the estimator).
 * Nothing here uses Node or browser APIs.
 */
export * from './stats';
export * from './decision-points';
export * from './estimator';
export * from './pause-effect';
export * from './safe-zip';
export * from './export-reader';
export * from './allocation-check';
export { parseCsv, csvCell } from '@/utils/study/export';
export { validateProtocol } from '@/utils/study/protocol';
