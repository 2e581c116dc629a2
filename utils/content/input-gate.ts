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

export class InputGate {
  constructor(
    private win: Window,
    private now: () => number = () => performance.now(),
    private lastInput: (win: Window) => number = (w) => lastInputAt(w, now),
  ) {}

  /** Was there trusted input recently enough that what passes now is being read? */
  get open(): boolean {
    return this.now() - this.lastInput(this.win) <= INPUT_WINDOW_MS;
  }
}
