import { send } from '@/utils/messaging/send';
import { frameUI, loadFrameUI } from './frame-ui-loader';
import { devLog } from '@/utils/dev-log';
import type { StopPanel, StopPanelDeps } from './stop-panel';

export interface StopDeps extends StopPanelDeps {
  siteKey(): string | null;
  /** Posts counted in this tab and not reported to the background yet. */
  unsent(): number;
}

/**
 * The stopping point in one tab: counts down the posts left before it (the background says how
 * many, over all tabs, with the config and after each progress report), asks the background
 * when they are used up — once a day across every tab — and puts a calm panel below the fold
 * (stop-panel.ts, which comes with the frame UI).
 */
export class StoppingPoint {
  private left: number | null = null;
  private claiming = false;
  /** Granted: the number to show, waiting for a place below the fold. */
  private due: number | null = null;
  private panel: StopPanel | null = null;

  constructor(
    private win: Window,
    private deps: StopDeps,
  ) {}

  /** Posts left before the stopping point (null: none today), from the background. */
  setLeft(left: number | null | undefined): void {
    if (left === undefined || this.due !== null || this.panel?.shown) return;
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
    if (this.due === null || this.panel?.shown) return;
    if (!ui) {
      void loadFrameUI().then((u) => u && this.place());
      return;
    }
    this.panel ??= ui.stopPanel(this.win, this.deps);
    if (this.panel.show(this.due)) this.due = null;
  }

  remove(): void {
    this.panel?.remove();
  }
}
