/**
 * What one tab may report in a minute. Our content script sends a handful of messages a minute
 * while someone reads (progress in batches of ten posts, a claim, a report per frame); a page
 * that manages to drive it harder — say, by scrolling its own feed in the few seconds after each
 * real keystroke — gets this much at most, and the rest is dropped and counted (Options → Data).
 *
 * The limits are far above reading (a fast flick through short videos passes a few posts a
 * second; active time cannot exceed the minute itself, plus what an earlier batch carried).
 * Kept in the worker's memory: a restarted worker starts a fresh minute, which still bounds a
 * tab to one minute's worth per restart.
 */
export const RATE_WINDOW_MS = 60_000;
export const TAB_LIMITS = {
  messages: 600,
  posts: 1800,
  activeMs: 2 * RATE_WINDOW_MS,
} as const;

interface Window {
  start: number;
  messages: number;
  posts: number;
  activeMs: number;
  /** Whether this window dropped anything yet (its first drop is logged at once). */
  anyDropped: boolean;
  /** Later drops in this window, logged together when the next window starts. */
  dropped: number;
}

export type RateVerdict = { ok: true } | { ok: false; reason: 'messages' | 'posts' | 'active-time'; first: boolean };

export class TabRateLimiter {
  private tabs = new Map<number, Window>();

  constructor(private limits: { messages: number; posts: number; activeMs: number } = TAB_LIMITS) {}

  /**
   * Counts one message from a tab (and the posts and active time it reports) and says whether
   * it is within the tab's minute. A window's first drop is for the caller to log at once
   * (`first`); `onRollover` gets the window's later drops, counted together, when the tab's
   * next window starts.
   */
  check(tabId: number, report: { posts?: number; activeMs?: number }, now: number, onRollover?: (dropped: number) => void): RateVerdict {
    let w = this.tabs.get(tabId);
    if (!w || now - w.start >= RATE_WINDOW_MS || now < w.start) {
      if (w && w.dropped > 0) onRollover?.(w.dropped);
      w = { start: now, messages: 0, posts: 0, activeMs: 0, anyDropped: false, dropped: 0 };
      this.tabs.set(tabId, w);
      this.sweep(now);
    }
    const posts = report.posts ?? 0;
    const activeMs = report.activeMs ?? 0;
    let reason: 'messages' | 'posts' | 'active-time' | null = null;
    if (w.messages + 1 > this.limits.messages) reason = 'messages';
    else if (w.posts + posts > this.limits.posts) reason = 'posts';
    else if (w.activeMs + activeMs > this.limits.activeMs) reason = 'active-time';
    if (reason) {
      const first = !w.anyDropped;
      w.anyDropped = true;
      if (!first) w.dropped++;
      return { ok: false, reason, first };
    }
    w.messages++;
    w.posts += posts;
    w.activeMs += activeMs;
    return { ok: true };
  }

  /** Tabs silent for a whole window are forgotten, so the map stays as small as the open tabs. */
  private sweep(now: number): void {
    if (this.tabs.size < 64) return;
    for (const [id, w] of this.tabs) if (now - w.start >= 2 * RATE_WINDOW_MS) this.tabs.delete(id);
  }
}
