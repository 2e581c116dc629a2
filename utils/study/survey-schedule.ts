import type { ExperienceSampling } from './protocol';
import type { SurveyState } from './bookkeeping';

/**
 * The survey's own schedule, separate from frames so every arm is asked alike: after N posts
 * or M minutes since the last offer, at most K a day. Every offer — on a frame, at a decision
 * point or by this schedule — resets the clock, so nobody is asked twice in a row. Pure.
 */

export type ScheduleTrigger = 'posts' | 'time';

/** Counts new posts and rolls the day over. */
export function advanceSurvey(state: SurveyState, newPosts: number, day: string): SurveyState {
  const rolled = state.day !== day;
  return {
    ...state,
    day,
    offersToday: rolled ? 0 : state.offersToday,
    postsSinceOffer: state.postsSinceOffer + Math.max(0, Math.floor(newPosts) || 0),
  };
}

/** Room left today for another offer? */
export function underDailyCap(es: ExperienceSampling, state: SurveyState, day: string): boolean {
  const cap = es.schedule?.maxPerDay;
  const today = state.day === day ? state.offersToday : 0;
  return cap === undefined || today < cap;
}

/**
 * Whether the schedule offers the question now. `since` is when counting began (the start of
 * the study) for the very first offer by time.
 */
export function scheduledTrigger(es: ExperienceSampling, state: SurveyState, now: number, since: number, day: string): ScheduleTrigger | null {
  const s = es.schedule;
  if (!s || !underDailyCap(es, state, day)) return null;
  if (s.everyPosts !== undefined && state.postsSinceOffer >= s.everyPosts) return 'posts';
  if (s.everyMinutes !== undefined && now - (state.lastOfferAt ?? since) >= s.everyMinutes * 60_000) return 'time';
  return null;
}

/** The state after an offer of any kind. */
export function recordOffer(state: SurveyState, now: number, day: string): SurveyState {
  const today = state.day === day ? state.offersToday : 0;
  return { lastOfferAt: now, postsSinceOffer: 0, day, offersToday: today + 1 };
}
