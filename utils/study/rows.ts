import type { Settings } from '@/utils/storage/settings';
import type { DecisionWindow, DecisionWindows, ExposureSummary, Scalar } from './types';

/**
 * Pure row builders: what one row of each study table holds, from plain inputs. The writers
 * (writers.ts) only read, call these and store; the analysis side and the simulated-study tests
 * can build the very same rows without a browser. Column names are the export's (dictionary.ts).
 * Only aggregate numbers, ids and codes — never URLs, post text, account names or anything typed.
 */

type Row = Record<string, Scalar>;

/** A site key as logged: 'custom:example.org' → 'custom', 'mastodon:host' → 'mastodon'. */
export function studySite(siteKey: string): string {
  return siteKey.split(':')[0].slice(0, 40) || 'unknown';
}

/** The device's UTC offset at `ts` in minutes east of UTC (local = UTC + offset); follows daylight saving. */
export function utcOffsetMin(ts: number): number {
  const off = -new Date(ts).getTimezoneOffset();
  return Object.is(off, -0) ? 0 : off;
}

const rate = (x: number, ms: number, per: number): number | null => (ms > 0 ? (x * per) / ms : null);

/** The columns of one window (prefix 'before' or 'after'), all empty when it was not measured. */
export function windowColumns(prefix: 'before' | 'after', w: DecisionWindow | null): Row {
  return {
    [`${prefix}_ms`]: w ? Math.round(w.ms) : null,
    [`${prefix}_posts`]: w ? w.posts : null,
    [`${prefix}_px_travelled`]: w ? Math.round(w.pxTravelled) : null,
    [`${prefix}_px_net`]: w ? Math.round(w.pxNet) : null,
  };
}

export interface DecisionInput {
  decisionId: string;
  /** When the background made the decision (claim time), epoch ms. */
  ts: number;
  /** Already reduced with studySite. */
  siteKey: string;
  sessionId: string | null;
  /** The probability of showing that was used for the draw (0–1). */
  pShow: number;
  shown: boolean;
  /** Could a frame have been delivered? false: no draw was made (snoozed, quiet hours, …). */
  available: boolean;
  unavailableReason?: string | null;
  impressionId: string | null;
  windowMs: number;
  surveyOffered: boolean;
}

/** A decisions row as written at the decision; the windows come later (applyDecisionWindows). */
export function buildDecisionRow(d: DecisionInput): Row {
  return {
    session_id: d.sessionId,
    decision_id: d.decisionId,
    ts: d.ts,
    utc_offset_min: utcOffsetMin(d.ts),
    site_key: d.siteKey,
    p_show: d.pShow,
    shown: d.available && d.shown,
    available: d.available,
    impression_id: d.available && d.shown ? d.impressionId : null,
    ...windowColumns('before', null),
    ...windowColumns('after', null),
    velocity_before_px_s: null,
    velocity_after_px_s: null,
    posts_per_min_before: null,
    posts_per_min_after: null,
    overlaps_previous: null,
    // Until the tab reports, the windows are not measured; an unavailable point is never measured.
    censored: d.available ? 'pending' : 'unavailable',
    unavailable_reason: d.available ? null : (d.unavailableReason ?? 'unknown'),
    window_s: d.windowMs / 1000,
    reached_at: null,
    survey_offered: d.surveyOffered,
  };
}

/** Whether a decisions row still waits for its tab's measurements. */
export function awaitsWindows(row: Row): boolean {
  return row.censored === 'pending';
}

/** The decisions row with the tab's measurements. A row measured already (or unavailable) stays as it is. */
export function applyDecisionWindows(row: Row, w: DecisionWindows, now: number): Row {
  if (!awaitsWindows(row)) return row;
  const before = w.before;
  const after = w.censored ? null : w.after;
  return {
    ...row,
    ...windowColumns('before', before),
    ...windowColumns('after', after),
    velocity_before_px_s: before ? rate(before.pxTravelled, before.ms, 1000) : null,
    velocity_after_px_s: after ? rate(after.pxTravelled, after.ms, 1000) : null,
    posts_per_min_before: before ? rate(before.posts, before.ms, 60_000) : null,
    posts_per_min_after: after ? rate(after.posts, after.ms, 60_000) : null,
    overlaps_previous: w.overlapsPrevious,
    censored: w.censored,
    reached_at: w.reachedAgoMs === null ? null : Math.round(now - w.reachedAgoMs),
  };
}

export interface ImpressionInput {
  impressionId: string;
  decisionId: string;
  sessionId: string | null;
  grantedAt: number;
  siteKey: string;
  frameId: string;
  collectionId: string;
  postsBefore: number;
  surveyOffered: boolean;
}

/** An impressions row at the grant: exposure and action come with the frame's report. */
export function buildImpressionRow(i: ImpressionInput): Row {
  return {
    impression_id: i.impressionId,
    decision_id: i.decisionId,
    session_id: i.sessionId,
    granted_at: i.grantedAt,
    inserted_at: null,
    utc_offset_min: utcOffsetMin(i.grantedAt),
    site_key: i.siteKey,
    frame_id: i.frameId.slice(0, 200),
    collection: i.collectionId.slice(0, 200),
    posts_before: i.postsBefore,
    exposure_method: null,
    first_visible_at: null,
    max_visible_ratio: null,
    in_view_ms: null,
    attended_ms: null,
    longest_attended_ms: null,
    seen: null,
    action: 'none',
    survey_offered: i.surveyOffered,
  };
}

/**
 * The frame's one report: its exposure (measured once, by the frame's ExposureMeter) and what
 * the reader did. A later report can add an action (the reader scrolled back and pressed a
 * button) but never takes one back, and the exposure is the first one measured.
 */
export function applyFrameReport(row: Row, r: { action: string; exposure: ExposureSummary | null }, now: number): Row {
  const out: Row = { ...row };
  if (r.action !== 'none' || !out.action) out.action = out.action && out.action !== 'none' && r.action === 'none' ? out.action : r.action;
  if (r.exposure && out.exposure_method === null) {
    const e = r.exposure;
    out.exposure_method = e.method;
    out.first_visible_at = e.firstVisibleAgoMs === null ? null : Math.round(now - e.firstVisibleAgoMs);
    out.max_visible_ratio = Math.round(Math.min(1, Math.max(0, e.maxRatio)) * 1000) / 1000;
    out.in_view_ms = Math.round(e.inViewMs);
    out.attended_ms = Math.round(e.attendedMs);
    out.longest_attended_ms = Math.round(e.longestMs);
    out.seen = e.seen;
  }
  return out;
}

export interface SurveyInput {
  offerId: string;
  sessionId: string | null;
  questionId: string;
  /** What offered it: 'frame' (inside a shown frame), 'posts', 'time', 'decision' (a card at a withheld decision point). */
  trigger: 'frame' | 'posts' | 'time' | 'decision';
  decisionId: string | null;
  impressionId: string | null;
  offeredAt: number;
  siteKey: string;
}

export function buildSurveyRow(s: SurveyInput): Row {
  return {
    offer_id: s.offerId,
    session_id: s.sessionId,
    question_id: s.questionId,
    trigger: s.trigger,
    decision_id: s.decisionId,
    impression_id: s.impressionId,
    offered_at: s.offeredAt,
    utc_offset_min: utcOffsetMin(s.offeredAt),
    site_key: s.siteKey,
    displayed_at: null,
    answered_at: null,
    answer: null,
    dismissed: false,
  };
}

/** A survey row after the tab said the question was displayed, answered or dismissed. First answer wins. */
export function applySurveyEvent(row: Row, e: { event: 'displayed' | 'answered' | 'dismissed'; answer?: number | null }, now: number): Row {
  const out: Row = { ...row };
  if (e.event === 'displayed' && out.displayed_at === null) out.displayed_at = now;
  if (e.event === 'answered' && out.answer === null && typeof e.answer === 'number') {
    out.answer = e.answer;
    out.answered_at = now;
    out.displayed_at ??= now;
  }
  if (e.event === 'dismissed' && out.answer === null) out.dismissed = true;
  return out;
}

/** An interval in which frames (or measurement) could not happen, and why. */
export function buildCensoringRow(c: {
  intervalId: string;
  cause: string;
  siteKey: string | null;
  startAt: number;
  endAt: number | null;
  affects: 'frames' | 'measurement';
}): Row {
  return {
    interval_id: c.intervalId,
    cause: c.cause,
    site_key: c.siteKey,
    start_at: c.startAt,
    end_at: c.endAt,
    utc_offset_min: utcOffsetMin(c.startAt),
    affects: c.affects,
  };
}

// ---------------------------------------------------------------------------------------------
// Settings

const VALUE_STRINGS = new Set(['locale', 'schedule.mode']);

/** Dotted paths → values of the leaves of a settings object; site keys reduced as in studySite. */
function flatten(x: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(x) || x === null || typeof x !== 'object') {
    out.set(path, x);
    return;
  }
  for (const [k, val] of Object.entries(x as Record<string, unknown>)) {
    const key = path === 'sites' ? studySite(k) : k;
    flatten(val, path ? `${path}.${key}` : key, out);
  }
}

/** The settings_changes rows for one save. Values only for numbers, switches and a few choices. */
export function settingsChanges(before: Settings, after: Settings): Array<{ field: string; value: string }> {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, '', a);
  flatten(after, '', b);
  const out: Array<{ field: string; value: string }> = [];
  const seen = new Set<string>();
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(field);
    const y = b.get(field);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const value = typeof y === 'number' || typeof y === 'boolean' ? String(y) : typeof y === 'string' && VALUE_STRINGS.has(field) ? y : '';
    const key = `${field}=${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, value });
  }
  return out;
}
