import type { Settings } from '@/utils/storage/settings';
import { chooseFrame } from '@/utils/schedule/frame-choice';
import { claimTicket, issueTicket, withheldState } from '@/utils/schedule/tickets';
import { markWithheld } from '@/utils/schedule/scheduler-state';
import { systemCalendar, type LocalCalendar } from '@/utils/schedule/calendar';
import type { ClaimDecision, FrameCandidate, Grant, Rng, SchedulerState, Ticket } from './types';

/** Why a claim brought no frame: the scheduler's reasons, or nothing left to show. */
export type ClaimReason = Extract<ClaimDecision, { kind: 'denied' }>['reason'] | 'no-frame';

/**
 * Decision points (a micro-randomised design: Klasnja et al. 2015; Boruvka et al. 2018). Each
 * time a frame comes due and may be shown, a draw with a known probability `pShow` decides:
 * show it, or withhold it. Either way the moment is a decision point, logged with its
 * probability, and the tab measures the scrolling around it the same way — so moments with a
 * frame can be compared with moments without one, which before/after numbers alone cannot do
 * (regression to the mean: moments picked during fast scrolling are followed by slower
 * scrolling with no frame at all).
 *
 * Outside a study a small share is withheld (the "compare" setting, on by default); in a study
 * the arm's pShow decides (0 in a control arm, whose decision points are still logged), and a
 * moment where a frame could not be delivered (snoozed, quiet hours…) is logged as not
 * available instead of being skipped. All pure.
 */

/** Share of due pauses skipped outside a study while the comparison setting is on: 1 in 10. */
export const COMPARISON_SKIP_SHARE = 0.1;
/** Window before and after a decision point outside a study (a study sets its own). */
export const INSIGHTS_WINDOW_MS = 20_000;

/** The probability of showing a due frame outside a study. */
export function pShowOutsideStudy(settings: Pick<Settings, 'compareWithSkips'>): number {
  return settings.compareWithSkips ? 1 - COMPARISON_SKIP_SHARE : 1;
}

/** The draw: true = show. p = 1 always shows and p = 0 never does, without using the generator. */
export function drawShown(pShow: number, rng: Rng): boolean {
  if (!(pShow > 0)) return false;
  if (pShow >= 1) return true;
  return rng() < pShow;
}

export type ClaimOutcome =
  /** A decision point, drawn "show", with a frame to show. */
  | { kind: 'shown'; frameId: string; postsSince: number; next: Ticket | null }
  /** A decision point, drawn "withhold": no frame; the place is measured like a shown one. */
  | { kind: 'withheld'; postsSince: number; next: Ticket | null }
  /** Study only: a decision point at which no frame could be delivered (not randomised). */
  | { kind: 'unavailable'; reason: ClaimReason; next: Ticket | null }
  /** Not a decision point (unknown or expired ticket; outside a study: a gate, the minimum gap, nothing to show). */
  | { kind: 'denied'; reason: ClaimReason; ticket: Ticket | null; retryAt?: number | null }
  /** The same ticket again (its reply was lost): the decision already made, nothing decided twice. */
  | { kind: 'replayed'; grant: Grant; next: Ticket | null }
  /** The frame drawn is one of the person's own and must be checked before anything is committed (state unchanged). */
  | { kind: 'check'; frameId: string };

export interface ClaimInput {
  settings: Settings;
  state: SchedulerState;
  ticketId: string;
  siteKey: string;
  now: number;
  rng: Rng;
  candidates: FrameCandidate[];
  /** The probability of showing a due frame: the arm's in a study, pShowOutsideStudy otherwise. */
  pShow: number;
  /** A study runs: tickets come whatever the gates, and blocked decision points are logged as unavailable. */
  study: boolean;
  /** Can this frame be shown as it is? False: the glue checks it first (a user's own frame) and asks again. */
  usable?: (frameId: string) => boolean;
  cal?: LocalCalendar;
}

/** A claim: the scheduler's gates, then (if a frame may show) the draw. Returns the new state and what happened. */
export function decideClaim(c: ClaimInput): { state: SchedulerState; outcome: ClaimOutcome } {
  const cal = c.cal ?? systemCalendar;
  const issue = (st: SchedulerState) => {
    const r = issueTicket(c.settings, st, c.siteKey, c.now, c.rng, cal, { ignoreGates: c.study });
    return { state: r.state, ticket: r.decision.kind === 'ticket' ? r.decision.ticket : null };
  };
  const postsSince = c.state.postsSinceFrame[c.siteKey] ?? 0;
  const claimed = claimTicket(c.settings, c.state, c.ticketId, c.now, cal);
  if (claimed.decision.kind === 'replayed') {
    const g = claimed.decision.grant;
    const next = g.nextId ? (claimed.state.tickets[g.nextId] ?? null) : null;
    return { state: claimed.state, outcome: { kind: 'replayed', grant: g, next } };
  }
  if (claimed.decision.kind === 'denied') {
    const reason = claimed.decision.reason;
    const stale = reason === 'unknown-ticket' || reason === 'expired';
    if (c.study && !stale) {
      // A decision point that could not be delivered: logged as such; the next one counts from here.
      const { [c.ticketId]: _spent, ...tickets } = claimed.state.tickets;
      const next = issue({ ...claimed.state, tickets });
      return { state: next.state, outcome: { kind: 'unavailable', reason, next: next.ticket } };
    }
    // Another tab paused too recently: keep this ticket and try again once the gap is over.
    const kept = reason === 'min-gap' ? claimed.state.tickets[c.ticketId] : undefined;
    if (kept) return { state: claimed.state, outcome: { kind: 'denied', reason, ticket: kept, retryAt: claimed.decision.retryAt } };
    const next = issue(claimed.state);
    return { state: next.state, outcome: { kind: 'denied', reason, ticket: next.ticket } };
  }
  // Availability is settled before the draw: a frame to show is needed only where one may be shown.
  if (!(c.pShow > 0)) {
    const next = issue(markWithheld(withheldState(claimed.state, c.state, c.now, cal), c.ticketId));
    return { state: next.state, outcome: { kind: 'withheld', postsSince, next: next.ticket } };
  }
  const pick = chooseFrame(c.settings, claimed.state, c.siteKey, c.candidates, c.rng);
  if (pick.frameId === null) {
    if (!c.study) return { state: c.state, outcome: { kind: 'denied', reason: 'no-frame', ticket: null } };
    // Nothing to show (every collection switched off): spend no budget, but the moment is logged.
    const { [c.ticketId]: _none, ...granted } = claimed.state.granted;
    const next = issue(withheldState({ ...claimed.state, granted }, c.state, c.now, cal));
    return { state: next.state, outcome: { kind: 'unavailable', reason: 'no-frame', next: next.ticket } };
  }
  if (!drawShown(c.pShow, c.rng)) {
    const next = issue(markWithheld(withheldState(claimed.state, c.state, c.now, cal), c.ticketId));
    return { state: next.state, outcome: { kind: 'withheld', postsSince, next: next.ticket } };
  }
  // One of the person's own frames, not checked yet: nothing is committed; it is checked first.
  if (c.usable && !c.usable(pick.frameId)) return { state: c.state, outcome: { kind: 'check', frameId: pick.frameId } };
  const next = issue(pick.state);
  return { state: next.state, outcome: { kind: 'shown', frameId: pick.frameId, postsSince, next: next.ticket } };
}
