/**
 * Decision points as the estimator sees them. A decision point is a moment a frame was due: the
 * extension drew "show" with probability p_show and logged the moment either way, with the same
 * scroll windows before and after. This module turns one logged row (CSV cells, JSONL values or
 * database values) into the proximal outcome
 *
 *     y = ln((velocity_after + c) / (velocity_before + c))
 *
 * on px/s where the page scrolls, else on posts/min (c: a small offset so a full stop after a
 * decision point is a large negative number rather than −∞), or says why the row cannot count.
 * Pure: no Node or browser APIs, so Insights can use it on the user's own data.
 */

export type Cell = string | number | boolean | null | undefined | bigint;

/** The `decisions` columns the estimator reads (the export's contract; see docs/STUDY.md). */
export interface DecisionRow {
  participant_id: string;
  arm: string;
  decision_id: string;
  session_id: string;
  ts: string;
  p_show: number | null;
  shown: boolean | null;
  available: boolean | null;
  censored: string;
  overlaps_previous: boolean;
  /** The experience-sampling question came with this decision point (false when not logged). */
  survey_offered: boolean;
  after_ms: number | null;
  velocity_before_px_s: number | null;
  velocity_after_px_s: number | null;
  posts_per_min_before: number | null;
  posts_per_min_after: number | null;
}

export type OutcomeUnit = 'px/s' | 'posts/min';

/** Why a decision point does not enter the estimate (in the order they are checked). */
export type Exclusion = 'unavailable' | 'invalid_p_show' | 'censored' | 'incomplete' | 'not_scrolling_before';

export const EXCLUSIONS: readonly Exclusion[] = ['unavailable', 'invalid_p_show', 'censored', 'incomplete', 'not_scrolling_before'];

export interface OutcomeOptions {
  /** c for px/s outcomes. */
  offsetPxS: number;
  /** c for posts/min outcomes. */
  offsetPostsMin: number;
}

export const DEFAULT_OUTCOME: OutcomeOptions = { offsetPxS: 10, offsetPostsMin: 1 };

export type Outcome =
  | { included: true; y: number; unit: OutcomeUnit; logBefore: number; before: number; after: number }
  | { included: false; reason: Exclusion };

export function num(c: Cell): number | null {
  if (c === null || c === undefined || c === '') return null;
  const n = typeof c === 'number' ? c : Number(c);
  return Number.isFinite(n) ? n : null;
}

export function bool(c: Cell): boolean | null {
  if (c === true || c === 'true' || c === 'TRUE' || c === 1 || c === '1') return true;
  if (c === false || c === 'false' || c === 'FALSE' || c === 0 || c === '0') return false;
  return null;
}

export function str(c: Cell): string {
  return c === null || c === undefined ? '' : String(c);
}

/** One `decisions` row, from any source of cells keyed by column name. */
export function parseDecisionRow(r: Record<string, Cell>): DecisionRow {
  return {
    participant_id: str(r.participant_id),
    arm: str(r.arm),
    decision_id: str(r.decision_id),
    session_id: str(r.session_id),
    ts: str(r.ts),
    p_show: num(r.p_show),
    shown: bool(r.shown),
    available: bool(r.available),
    censored: str(r.censored),
    overlaps_previous: bool(r.overlaps_previous) === true,
    survey_offered: bool(r.survey_offered) === true,
    after_ms: num(r.after_ms),
    velocity_before_px_s: num(r.velocity_before_px_s),
    velocity_after_px_s: num(r.velocity_after_px_s),
    posts_per_min_before: num(r.posts_per_min_before),
    posts_per_min_after: num(r.posts_per_min_after),
  };
}

/** The proximal outcome of one decision point, or why it has none. */
export function outcomeOf(d: DecisionRow, o: OutcomeOptions = DEFAULT_OUTCOME): Outcome {
  // An unavailable decision point had no draw (nothing could be shown): it never counts.
  if (d.available === false) return { included: false, reason: 'unavailable' };
  if (d.p_show === null || d.p_show < 0 || d.p_show > 1 || d.shown === null) return { included: false, reason: 'invalid_p_show' };
  if ((d.p_show === 0 && d.shown) || (d.p_show === 1 && !d.shown)) return { included: false, reason: 'invalid_p_show' };
  if (d.censored !== '') return { included: false, reason: 'censored' };
  const px = (d.velocity_before_px_s ?? 0) > 0;
  const before = px ? d.velocity_before_px_s : d.posts_per_min_before;
  const after = px ? d.velocity_after_px_s : d.posts_per_min_after;
  if (after === null) return { included: false, reason: 'incomplete' };
  if (before === null || before <= 0) return { included: false, reason: 'not_scrolling_before' };
  const c = px ? o.offsetPxS : o.offsetPostsMin;
  const a = Math.max(0, after);
  return { included: true, y: Math.log((a + c) / (before + c)), unit: px ? 'px/s' : 'posts/min', logBefore: Math.log(before + c), before, after: a };
}
