import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * The content script's lifetime, cheap to ask on every post. WXT's `ctx.isInvalid` reads
 * `browser.runtime.id` (an extension binding: npm run bench measured it among our costliest
 * calls when asked per post), and each of its `setTimeout`/`requestAnimationFrame` wrappers adds
 * an abort listener that stays for the page's life. Here the flag is a field, set when WXT
 * invalidates the context or when the channel finds itself orphaned; `checkNow()` asks WXT, at
 * the moments we are about to talk to the background anyway. Timers and frames are plain ones
 * that do nothing once the context is gone. They are not tracked to be cancelled then: one that
 * is still pending fires once and returns, and keeping a set of them cost a set insert and delete
 * per timer and frame (a rAF per change of a virtualised timeline) and bytes in the content
 * script, which runs on every feed page (docs/PERFORMANCE.md, content script size).
 */
export class LiveContext {
  private dead = false;

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
    return this.win.setTimeout(() => this.dead || fn(), ms);
  }

  clearTimeout(id: number): void {
    this.win.clearTimeout(id);
  }

  requestAnimationFrame(fn: (t: number) => void): number {
    return this.win.requestAnimationFrame((t) => this.dead || fn(t));
  }

  /** When the page is idle, or after `timeoutMs` at the latest (a timer where the browser has no idle callbacks). */
  requestIdleCallback(fn: () => void, timeoutMs: number): number {
    if (typeof this.win.requestIdleCallback !== 'function') return this.setTimeout(fn, Math.min(timeoutMs, 50));
    return this.win.requestIdleCallback(() => this.dead || fn(), { timeout: timeoutMs });
  }

  private stop(): void {
    this.dead = true;
  }
}
