import { FOLD_MARGIN_VIEWPORTS } from './feed-watcher';

/**
 * Near (the default): the fold's margin (no frame within FOLD_MARGIN_VIEWPORTS of the fold) and
 * one screen more. A place last seen further down than that is safe for an insertion made
 * without reading layout. The feed's end is watched against the margin alone (`viewportsBelow` =
 * FOLD_MARGIN_VIEWPORTS): posts the page appends after an end last seen beyond it are beyond it too.
 */
const NEAR_VIEWPORTS = FOLD_MARGIN_VIEWPORTS + 1;

/**
 * Is a post near the fold — in view, above it, or within the margin below it? One observer for
 * the place the next frame is to follow and for the feed's end (a few elements, so it costs next
 * to nothing): a frame may go in with the page's own change to the feed, without reading layout,
 * only at a place that was last seen further down than that; once the place comes this near,
 * the frame goes in by itself (utils/content/frame-placer.ts), still a screen past the margin.
 */
export class NearFold {
  private io: IntersectionObserver | null = null;
  private watched = new Map<Element, Set<(near: boolean) => void>>();

  constructor(private viewportsBelow = NEAR_VIEWPORTS) {}

  watch(el: Element, cb: (near: boolean) => void): () => void {
    this.io ??= new IntersectionObserver((entries) => this.onEntries(entries), { rootMargin: `0px 0px ${this.viewportsBelow * 100}% 0px`, threshold: 0 });
    let cbs = this.watched.get(el);
    if (cbs) {
      // Already observed for another reason: the observer reports only changes, so say it now if known.
      const known = this.last.get(el);
      if (known !== undefined) cb(known);
    } else {
      cbs = new Set();
      this.watched.set(el, cbs);
      this.io.observe(el);
    }
    cbs.add(cb);
    return () => {
      const set = this.watched.get(el);
      if (!set?.delete(cb) || set.size) return;
      this.watched.delete(el);
      this.last.delete(el);
      this.io?.unobserve(el);
    };
  }

  private last = new Map<Element, boolean>();

  disconnect(): void {
    this.io?.disconnect();
    this.io = null;
    this.watched.clear();
    this.last.clear();
  }

  private onEntries(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      // Near: within the viewport extended by the margin, or already above it.
      const near = e.isIntersecting || e.boundingClientRect.top < (e.rootBounds?.top ?? 0);
      const cbs = this.watched.get(e.target);
      if (!cbs) continue;
      this.last.set(e.target, near);
      for (const cb of [...cbs]) cb(near);
    }
  }
}
