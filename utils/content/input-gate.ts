import { lastInputAt } from './input-recency';

/**
 * Reading is counted only while the reader is really doing something: posts that pass and
 * active scrolling time count only within INPUT_WINDOW_MS of a *trusted* input event — a wheel
 * turn, a touch, a key, a pointer press — that the browser itself produced (input-recency.ts
 * keeps the time of the last one; a page cannot forge `isTrusted`). Red-teamed (issue #19): a
 * page that scrolled its own invisible feed by script, with nobody at the keyboard, made 1,156
 * "posts", 6 "pauses" and a 1,273-post session, and spent the reader's daily cap. With this
 * gate it makes nothing, and nothing is claimed for it.
 *
 * The window is short (momentum scrolling, smooth scrolling and the feed settling after a
 * key press), much shorter than the exposure meter's "is someone here" (INPUT_RECENT_MS).
 *
 * The page can still stop input events from reaching us (its own capture listener on `window`,
 * registered first, calling stopImmediatePropagation): then we count nothing on that page — it
 * can make us stand down on itself, never make us count.
 */
export const INPUT_WINDOW_MS = 5000;

/**
 * The first screen: the posts in view when the feed is first seen, before the reader has touched
 * anything, are read all the same (a person reads the top of the page, then scrolls). They are
 * held and counted at the reader's first input, at most this many (one screen, even of small
 * items) and only once per page — a page that scrolls itself gains nothing more from it.
 */
export const FIRST_SCREEN_MAX = 12;

export class InputGate {
  constructor(
    private win: Window,
    private now: () => number = () => performance.now(),
    private lastInput: (win: Window) => number = (w) => lastInputAt(w, now),
  ) {}

  /** Posts of the first screen, held until the reader's first input; null when there are none (any more). */
  private firstScreen: number | null = null;
  /** Posts passed before: whatever passes unread from now on is not the first screen. */
  private started = false;

  /**
   * Posts passed with the gate closed: returns how many of them were not read. The first batch
   * of the page (the first screen, up to FIRST_SCREEN_MAX) is held for the reader's first input.
   */
  passedUnread(n: number): number {
    if (this.started) return n;
    this.started = true;
    this.firstScreen = Math.min(n, FIRST_SCREEN_MAX);
    return n - this.firstScreen;
  }

  /** Posts passed with the gate open: returns how many were read (the held first screen too, once). */
  passedRead(n: number): number {
    this.started = true;
    const held = this.firstScreen ?? 0;
    this.firstScreen = null;
    return n + held;
  }

  /** Was there trusted input recently enough that what passes now is being read? */
  get open(): boolean {
    return this.now() - this.lastInput(this.win) <= INPUT_WINDOW_MS;
  }
}
