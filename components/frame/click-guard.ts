/**
 * Clickjacking defence for the frame's controls (issue #19): a page can make our frame
 * transparent, or paint its own bait over it, so that the reader's click on the bait lands on
 * "Take a break" or on a study question's answer. A pointer click on one of our buttons counts
 * only if that button was really visible — at least half in view, not covered, not faded or
 * transformed by anything around it — for MIN_VISIBLE_MS before the click.
 *
 * "Really visible" is IntersectionObserver v2 (`trackVisibility`, Chromium): the browser itself
 * says whether the target is occluded or has opacity, filters or transforms applied. Firefox has
 * no v2: there the button must be in view for as long, and at click time nothing from the host
 * up to the page's root may fade it (opacity, visibility). What Firefox cannot tell us is a
 * page's overlay drawn over the frame with `pointer-events: none`; docs/RELIABILITY.md says so.
 *
 * Keyboard and assistive-technology activation (a click with `detail === 0`) is not gated: the
 * page cannot move focus into our closed shadow root, so such a click is the reader's own act on
 * a focused control — and a screen reader may activate a button it never scrolled into view.
 */
export const MIN_VISIBLE_MS = 500;

/**
 * Buttons of a frame that was just brought back to life (frame-host.ts's thaw): the reader's
 * trusted click on the frozen copy already passed this guard, and its replay on the live button
 * is ours, so it counts once. Module scope: the page cannot add to it.
 */
const replays = new WeakSet<Element>();

/** Lets our own replay of a click that already counted through, once. */
export function allowReplay(button: Element): void {
  replays.add(button);
}

export interface ClickFacts {
  trusted: boolean;
  /** Keyboard or assistive technology (MouseEvent.detail === 0). */
  keyboard: boolean;
  /** When the button became really visible (IntersectionObserver time), null if it is not now. */
  visibleSince: number | null;
  now: number;
  /** Firefox fallback: nothing around the frame fades or hides it. Always true with IO v2. */
  unfaded: boolean;
}

/** Pure: does this click on one of our buttons count? */
export function clickCounts(f: ClickFacts): boolean {
  if (!f.trusted) return false;
  if (f.keyboard) return true;
  return f.visibleSince !== null && f.now - f.visibleSince >= MIN_VISIBLE_MS && f.unfaded;
}

/** Opacity multiplies down the tree: the frame's effective opacity from the host up. */
export function unfaded(host: Element, win: Window): boolean {
  let opacity = 1;
  for (let el: Element | null = host; el; el = el.parentElement) {
    const cs = win.getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.visibility === 'collapse' || cs.display === 'none') return false;
    const own = cs.opacity === '' ? 1 : Number(cs.opacity);
    opacity *= Number.isFinite(own) ? own : 0;
    const f = /opacity\(\s*([\d.]+)(%?)\s*\)/.exec(cs.filter);
    if (f) opacity *= Number(f[1]) / (f[2] ? 100 : 1);
    if (opacity < 0.9) return false;
  }
  return true;
}

const HAS_V2 = typeof IntersectionObserverEntry === 'function' && 'isVisible' in IntersectionObserverEntry.prototype;

/**
 * Watches every button in one frame's shadow root and drops, in the capture phase (before the
 * button's own handler), a pointer click that does not count.
 */
export class ClickGuard {
  private since = new WeakMap<Element, number>();
  /** The buttons' visibility (v2 where there is one): only while the frame is within a screen of the viewport. */
  private io: IntersectionObserver;
  /**
   * Whether the frame is within a screen of the viewport. Every observed target is recomputed on
   * every scrolled frame, v2's visibility on top (npm run bench): a frame far from the reader
   * cannot be clicked, so its buttons are not watched then.
   */
  private near: IntersectionObserver;
  private watching = false;
  private mo: MutationObserver;
  private onClick = (ev: Event) => {
    const e = ev as MouseEvent;
    const target = e.composedPath()[0];
    const button = target instanceof Element ? target.closest('button') : null;
    if (!button) return;
    if (replays.delete(button)) return;
    const counts = clickCounts({
      trusted: e.isTrusted,
      keyboard: e.detail === 0,
      visibleSince: this.since.get(button) ?? null,
      now: this.win.performance.now(),
      unfaded: HAS_V2 || unfaded(this.host, this.win),
    });
    if (counts) return;
    e.stopImmediatePropagation();
    e.preventDefault();
  };

  constructor(
    private root: ShadowRoot,
    private host: Element,
    private win: Window,
  ) {
    const init: IntersectionObserverInit & { trackVisibility?: boolean; delay?: number } = { threshold: [0, 0.5, 1] };
    if (HAS_V2) {
      init.trackVisibility = true;
      init.delay = 100; // the smallest delay v2 allows
    }
    this.io = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const v2 = entry as IntersectionObserverEntry & { isVisible?: boolean };
        const visible = entry.isIntersecting && entry.intersectionRatio >= 0.5 && (!HAS_V2 || v2.isVisible === true);
        if (!visible) this.since.delete(entry.target);
        else if (!this.since.has(entry.target)) this.since.set(entry.target, entry.time);
      }
    }, init);
    // Buttons come and go (the snooze button after "Take a break", a question answered).
    this.mo = new MutationObserver(() => this.watching && this.watchButtons());
    this.mo.observe(root, { childList: true, subtree: true });
    this.near = new IntersectionObserver(
      (entries) => {
        const near = entries[entries.length - 1].isIntersecting;
        if (near === this.watching) return;
        this.watching = near;
        if (near) this.watchButtons();
        else {
          // Out of reach: nothing counts as visible until the buttons are seen again.
          this.io.disconnect();
          this.since = new WeakMap();
        }
      },
      { rootMargin: '100% 0px' },
    );
    this.near.observe(host);
    root.addEventListener('click', this.onClick, true);
  }

  private watchButtons(): void {
    for (const b of Array.from(this.root.querySelectorAll('button'))) this.io.observe(b);
  }

  disconnect(): void {
    this.near.disconnect();
    this.io.disconnect();
    this.mo.disconnect();
    this.root.removeEventListener('click', this.onClick, true);
  }
}
