import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * The content script's lifetime, cheap to ask on every post. WXT's `ctx.isInvalid` reads
 * `browser.runtime.id` (an extension binding: npm run bench measured it among our costliest
 * calls when asked per post), and each of its `setTimeout`/`requestAnimationFrame` wrappers adds
 * an abort listener that stays for the page's life. Here the flag is a field, set when WXT
 * invalidates the context or when the channel finds itself orphaned; `checkNow()` asks WXT, at
 * the moments we are about to talk to the background anyway. Timers and frames are plain ones
 * that do nothing once the context is gone, and are cancelled then.
 */
export class LiveContext {
  private dead = false;
  private timers = new Set<number>();
  private frames = new Set<number>();
  private idles = new Set<number>();

  constructor(
    private ctx: ContentScriptContext,
    private win: Window = window,
  ) {
    ctx.onInvalidated(() => this.stop());
  }

  get invalid(): boolean {
    return this.dead;
  }

  /** Asks WXT whether the extension is still there (a slow binding: not per post). */
  checkNow(): boolean {
    if (!this.dead && this.ctx.isInvalid) this.stop();
    return this.dead;
  }

  /** The extension is gone (reloaded, updated, removed): everything of ours stops. */
  orphaned(): void {
    if (this.dead) return;
    this.ctx.notifyInvalidated();
    this.stop();
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.win.setTimeout(() => {
      this.timers.delete(id);
      if (!this.dead) fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  clearTimeout(id: number): void {
    this.timers.delete(id);
    this.win.clearTimeout(id);
  }

  requestAnimationFrame(fn: (t: number) => void): number {
    const id = this.win.requestAnimationFrame((t) => {
      this.frames.delete(id);
      if (!this.dead) fn(t);
    });
    this.frames.add(id);
    return id;
  }

  /** When the page is idle, or after `timeoutMs` at the latest (a timer where the browser has no idle callbacks). */
  requestIdleCallback(fn: () => void, timeoutMs: number): number {
    if (typeof this.win.requestIdleCallback !== 'function') return this.setTimeout(fn, Math.min(timeoutMs, 50));
    const id = this.win.requestIdleCallback(
      () => {
        this.idles.delete(id);
        if (!this.dead) fn();
      },
      { timeout: timeoutMs },
    );
    this.idles.add(id);
    return id;
  }

  private stop(): void {
    this.dead = true;
    for (const id of this.timers) this.win.clearTimeout(id);
    for (const id of this.frames) this.win.cancelAnimationFrame(id);
    for (const id of this.idles) this.win.cancelIdleCallback(id);
    this.timers.clear();
    this.frames.clear();
    this.idles.clear();
  }
}
