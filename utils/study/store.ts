/**
 * Study data in IndexedDB, written by the background only, in three parts:
 *  - enrolment.ts: load → consent (or decline) → status → withdraw; export data;
 *  - writers.ts: the log writers (each checks consent and the measure in its own transaction);
 *  - rows.ts / snapshot.ts: the pure row builders the writers (and simulations) use.
 * This file only gathers them for callers that want the whole store.
 */
export * from './enrolment';
export * from './writers';
export { studySite, settingsChanges, utcOffsetMin, buildDecisionRow, applyDecisionWindows, buildImpressionRow, applyFrameReport } from './rows';
