import { type LocalCalendar, systemCalendar } from '@/utils/schedule/calendar';
import { chooseFrame } from '@/utils/schedule/frame-choice';
import { initialState, normalize } from '@/utils/schedule/scheduler-state';
import { claimTicket, issueTicket, recordProgress } from '@/utils/schedule/tickets';
import type { SchedulerApi } from '@/utils/schedule/types';

/**
 * The scheduler's pure decision core, bound together. Every function takes the persisted
 * `SchedulerState` and returns a new one (inputs are never mutated); the background glue stores
 * the result in IndexedDB after each call, so a killed service worker loses nothing.
 */

/** The SchedulerApi bound to a calendar (system local time by default). */
export function createScheduler(cal: LocalCalendar = systemCalendar): SchedulerApi {
  return {
    initialState: (now) => initialState(now, cal),
    normalize: (state, now) => normalize(state, now, cal),
    issueTicket: (settings, state, siteKey, now, rng, opts) => issueTicket(settings, state, siteKey, now, rng, cal, opts),
    claimTicket: (settings, state, id, now) => claimTicket(settings, state, id, now, cal),
    recordProgress: (state, siteKey, posts, activeMs, now) => recordProgress(state, siteKey, posts, activeMs, now, cal),
    chooseFrame,
  };
}

export const scheduler: SchedulerApi = createScheduler();
