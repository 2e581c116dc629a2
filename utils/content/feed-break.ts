import { send } from '@/utils/messaging/send';
import type { CoverHandle, FrameUI } from './frame-ui-contract';
import { devLog } from '@/utils/dev-log';

/**
 * A feed on a break, in one tab: the calm cover over it while the break lasts and the tab is on
 * the feed (not on a post or a profile of the same site), lifted at the time the person chose —
 * by this tab's own timer and by the background's alarm, whichever comes first — or at once
 * on "back to the feed". The break itself lives in the background (IndexedDB), so a reload or
 * another tab of the same site is covered too.
 *
 * It ships with the frame UI (entrypoints/frame-ui.ts, FrameUI.feedBreakCover): the content
 * script makes it when a break is first in force in this tab, or when the reader takes one.
 */
export class FeedBreakCover {
  private until: number | null = null;
  private onFeed = false;
  private handle: CoverHandle | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private win: Window,
    /** The frame UI's panel (components/frame/BreakCover.tsx). */
    private createCover: FrameUI['createCover'],
    private siteKey: () => string | null,
    /** The break is over here: the tab asks for its config again and watches the feed. */
    private onLifted: () => void,
  ) {}

  get active(): boolean {
    return this.until !== null && this.until > Date.now();
  }

  /** The break in force as the background says (hello, push) and whether this page shows the feed. */
  sync(feedBreak: { until: number } | null, onFeed: boolean): void {
    const wasActive = this.active;
    this.until = feedBreak && feedBreak.until > Date.now() ? feedBreak.until : null;
    this.onFeed = onFeed;
    if (wasActive && !this.active) this.lift(false);
    else this.draw(false);
  }

  /** "Take a break" (a frame) or "put this feed away" (the stopping point): the break starts now. */
  start(minutes: number): void {
    const siteKey = this.siteKey();
    if (!siteKey) return;
    void send({ type: 'break/start', siteKey, minutes })
      .then(({ until }) => {
        this.until = until;
        this.onFeed = true;
        this.draw(true);
      })
      // The background did not start the break (restarting, or the context is gone): no cover, the feed stays as it was.
      .catch(devLog('break/start'));
  }

  private draw(focus: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.active || !this.onFeed) {
      this.handle?.remove();
      this.handle = null;
      return;
    }
    const until = this.until!;
    this.timer = setTimeout(() => this.lift(true), until - Date.now() + 50);
    if (this.handle) {
      this.handle.update(until);
      return;
    }
    this.handle = this.createCover(this.win, {
      until,
      focus,
      onChange: (minutes) => this.start(minutes),
      onBack: () => {
        const siteKey = this.siteKey();
        this.lift(true);
        if (siteKey) void send({ type: 'break/end', siteKey }).catch(devLog('break/end'));
      },
      onCloseTab: () => void send({ type: 'tab/close' }).catch(devLog('tab/close')),
    });
  }

  private lift(tell: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.until = null;
    this.handle?.remove();
    this.handle = null;
    if (tell) this.onLifted();
  }

  /** The extension went away: leave the page as it was. */
  teardown(): void {
    this.lift(false);
  }
}
