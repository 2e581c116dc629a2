import type { Ticket } from '@/utils/schedule/types';

/**
 * Turns a ticket ("a frame after k more posts, or after t ms of active scrolling") into a
 * position in the feed: the frame goes after the item with sequence number `target`, or the
 * first item after it that is still below the fold. Pure, so it is unit-tested.
 */
export class TicketTracker {
  ticket: Ticket | null = null;
  /** Sequence number of the item after which the frame is due. */
  target = Number.POSITIVE_INFINITY;
  activeMsAtIssue = 0;
  claiming = false;
  /** No claim before this time (another tab paused too recently). */
  notBefore = 0;

  /** `base` = sequence of the last frame's anchor, or the last passed item when none. */
  hold(ticket: Ticket | null, base: number, activeMs: number, notBefore = 0): void {
    this.ticket = ticket;
    this.claiming = false;
    this.notBefore = notBefore;
    this.target = ticket ? base + Math.max(1, ticket.afterPosts) : Number.POSITIVE_INFINITY;
    this.activeMsAtIssue = activeMs;
  }

  /** Is an approaching item at `seq` a place for the frame now? */
  isDueAt(seq: number, activeMs: number, now: number): boolean {
    const t = this.ticket;
    if (!t || this.claiming) return false;
    if (now > t.expiresAt || now < this.notBefore) return false;
    if (seq >= this.target) return true;
    return t.afterActiveMs !== null && activeMs - this.activeMsAtIssue >= t.afterActiveMs;
  }

  /**
   * Should the frame be claimed now? 'posts': its place is at most `lead` posts beyond the last
   * post seen — claimed that early, it is built off the page and ready before the reader gets
   * there, so it can go in whenever the page itself next changes the feed; 'time': the ticket's
   * active-time trigger fired (the frame goes at the next place below the fold); null: not yet.
   */
  claimDue(lastSeen: number, lead: number, activeMs: number, now: number): 'posts' | 'time' | null {
    const t = this.ticket;
    if (!t || this.claiming) return null;
    if (now > t.expiresAt || now < this.notBefore) return null;
    if (this.target - lastSeen <= lead) return 'posts';
    if (t.afterActiveMs !== null && activeMs - this.activeMsAtIssue >= t.afterActiveMs) return 'time';
    return null;
  }

  expired(now: number): boolean {
    return this.ticket !== null && now > this.ticket.expiresAt;
  }

  /** Keeps the remaining distance when the feed is re-rendered (SPA navigation). */
  rebase(oldPassed: number, newPassed: number): void {
    if (!Number.isFinite(this.target)) return;
    const remaining = Math.max(1, this.target - oldPassed);
    this.target = newPassed + remaining;
  }
}

/** Active scrolling time: gaps between passed posts shorter than this count as active. */
export const ACTIVE_GAP_MS = 15_000;

export class ActivityClock {
  activeMs = 0;
  private last = 0;
  tick(now: number): void {
    if (this.last && now - this.last < ACTIVE_GAP_MS) this.activeMs += now - this.last;
    this.last = now;
  }

  /** Posts went by that nobody was reading (input-gate.ts): the time up to the next read post is not active. */
  rest(): void {
    this.last = 0;
  }
}
