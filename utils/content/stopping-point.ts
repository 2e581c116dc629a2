import { send } from '@/utils/messaging/send';
import { frameUI, loadFrameUI } from './frame-ui-loader';
import { devLog } from '@/utils/dev-log';

export interface StopDeps {
  siteKey(): string | null;
  /** Posts counted in this tab and not reported to the background yet. */
  unsent(): number;
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
 * The stopping point in one tab: counts down the posts left before it (the background says how
 * many, over all tabs, with the config and after each progress report), asks the background
 * when they are used up — once a day across every tab — and puts a calm panel below the fold.
 */
export class StoppingPoint {
  private left: number | null = null;
  private claiming = false;
  /** Granted: the number to show, waiting for a place below the fold. */
  private due: number | null = null;
  private host: HTMLElement | null = null;

  constructor(
    private win: Window,
    private deps: StopDeps,
  ) {}

  /** Posts left before the stopping point (null: none today), from the background. */
  setLeft(left: number | null | undefined): void {
    if (left === undefined || this.due !== null || this.host) return;
    this.left = left;
    if (left !== null && left <= 0) this.claim();
  }

  onPassed(newly: number): void {
    if (this.left === null || this.claiming || this.due !== null) return;
    this.left -= newly;
    if (this.left <= 0) this.claim();
  }

  /** A new post came within reach below the fold: a place for a granted stopping point. */
  onApproach(): void {
    if (this.due !== null) this.place();
  }

  private claim(): void {
    const siteKey = this.deps.siteKey();
    if (!siteKey || this.claiming) return;
    this.claiming = true;
    void send({ type: 'stop/claim', siteKey, unsent: this.deps.unsent() })
      .then((res) => {
        if (res.show) {
          this.left = null;
          this.due = res.posts;
          if (!frameUI()) void loadFrameUI();
          this.place();
        } else this.left = res.left;
      })
      .catch(devLog('stopping-point claim'))
      .finally(() => {
        this.claiming = false;
      });
  }

  private place(): void {
    const ui = frameUI();
    if (this.due === null || this.host) return;
    if (!ui) {
      void loadFrameUI().then((u) => u && this.place());
      return;
    }
    const item = this.deps.spot();
    if (!item) return;
    const posts = this.due;
    const host = ui.createStopHost(this.win, {
      posts,
      width: this.deps.width(item),
      onCloseTab: () => this.deps.closeTab(),
      onPutAway: () => this.deps.putAway(minutesToMidnight(Date.now())),
      onDismiss: () => this.remove(),
    });
    if (!this.deps.insert(item, host)) return;
    this.host = host;
    this.due = null;
  }

  remove(): void {
    const host = this.host;
    this.host = null;
    if (!host) return;
    // "Keep scrolling" by keyboard: focus moves on past the panel, not back to the top of the page.
    const ui = frameUI();
    const next = this.win.document.activeElement === host ? (ui?.nextFocusable(host) ?? null) : null;
    ui?.destroyFrameHost(host);
    next?.focus({ preventScroll: true });
  }
}
