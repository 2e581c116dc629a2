import type { FrameUI } from './frame-ui-contract';
import { nextFocusable } from './focus';

/** What the stopping point's panel needs from the content script (stopping-point.ts). */
export interface StopPanelDeps {
  /** A post still below the fold to put the panel after (not taken from the frames' buffer). */
  spot(): Element | null;
  /** Puts our element after the post the way the site's adapter puts frames. */
  insert(item: Element, host: HTMLElement): boolean;
  width(item: Element): number | null;
  closeTab(): void;
  /** Put the feed away for this many minutes. */
  putAway(minutes: number): void;
}

/** Minutes from now to the next local midnight ("until tomorrow"). */
export function minutesToMidnight(now: number): number {
  const d = new Date(now);
  const midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  return Math.max(1, Math.min(1440, Math.ceil((midnight - now) / 60_000)));
}

/**
 * The stopping point's calm panel in the feed, for one tab: put below the fold once granted,
 * taken away on "Keep scrolling" (or when the content script goes). It ships with the frame UI
 * (FrameUI.stopPanel), whose panel it shows; the countdown and the claim stay in the content
 * script (stopping-point.ts).
 */
export class StopPanel {
  private host: HTMLElement | null = null;

  constructor(
    private win: Window,
    private ui: Pick<FrameUI, 'createStopHost' | 'destroyFrameHost'>,
    private deps: StopPanelDeps,
  ) {}

  get shown(): boolean {
    return this.host !== null;
  }

  /** Puts the panel after the next post wholly below the fold; false if there is none yet. */
  show(posts: number): boolean {
    const item = this.deps.spot();
    if (!item) return false;
    const host = this.ui.createStopHost(this.win, {
      posts,
      width: this.deps.width(item),
      onCloseTab: () => this.deps.closeTab(),
      onPutAway: () => this.deps.putAway(minutesToMidnight(Date.now())),
      onDismiss: () => this.remove(),
    });
    if (!this.deps.insert(item, host)) return false;
    this.host = host;
    return true;
  }

  remove(): void {
    const host = this.host;
    this.host = null;
    if (!host) return;
    // "Keep scrolling" by keyboard: focus moves on past the panel, not back to the top of the page.
    const next = this.win.document.activeElement === host ? nextFocusable(host) : null;
    this.ui.destroyFrameHost(host);
    next?.focus({ preventScroll: true });
  }
}
