import type { FeedAdapter } from '@/utils/feeds/types';
import { isOurs, lookalikeSelector, outerWrapper, safeMatches, sameShape, slotShape, type SlotShape } from '@/utils/feeds/coverage';

/** Slots sampled for the shape a stray must have. */
const SHAPE_SAMPLE = 12;

/**
 * Counts, as the page adds to the feed, what the adapter misses (see CoverageHealth in
 * utils/feeds/health.ts): lookalikes — nodes of its own item kind it does not match, nested
 * pages or wrapped items — and strays — new slots next to the counted ones holding nothing it
 * matches. Work is proportional to what the page adds; an adapter that selects items by what
 * they are (no structure in its selector) has no lookalikes to look for, and with `strays` off
 * (the generic detector, which has nothing to fall back to) the probe does nothing at all.
 */
export class CoverageProbe {
  lookalikes = 0;
  strays = 0;
  private readonly lookalike: string | null;
  private seen = new WeakSet<Element>();
  private slotParents = new WeakSet<Element>();
  private shape: SlotShape | null = null;
  private attached = false;

  constructor(
    private container: Element,
    private adapter: FeedAdapter,
    private opts: { strays: boolean; onChange: () => void },
  ) {
    this.lookalike = lookalikeSelector(adapter.itemSelector);
  }

  /** Does this probe look for anything? */
  get active(): boolean {
    return this.lookalike !== null || this.opts.strays;
  }

  /**
   * Starts counting. The page's changes to the feed come through `take`, from the feed watcher's
   * own MutationObserver: a second observer on the same feed would be a second call into our code
   * for every change — on a virtualised timeline that mounts cells in nearly every frame, one per
   * frame (npm run bench).
   */
  attach(): void {
    if (!this.active) return;
    const sel = this.adapter.itemSelector;
    const items = Array.from(this.container.querySelectorAll(sel)).filter((el) => !this.adapter.isCountable || this.adapter.isCountable(el));
    if (this.opts.strays) for (const item of items.slice(0, SHAPE_SAMPLE)) this.learnSlot(item);
    const before = this.lookalikes;
    if (this.lookalike) for (const el of Array.from(this.container.querySelectorAll(this.lookalike))) this.checkLookalike(el);
    this.attached = true;
    if (this.lookalikes > before) this.opts.onChange();
  }

  detach(): void {
    this.attached = false;
  }

  /** The page's changes to the feed (childList, subtree): the feed watcher's mutation records. */
  take(records: MutationRecord[]): void {
    if (!this.attached) return;
    const before = this.lookalikes + this.strays;
    for (const r of records) {
      // Indexed, not copied: on a virtualised timeline this runs at nearly every frame (npm run bench).
      const added = r.addedNodes;
      for (let i = 0; i < added.length; i++) {
        const n = added[i];
        if (n.nodeType !== 1 || isOurs(n as Element)) continue;
        const el = n as Element;
        if (this.lookalike) {
          if (safeMatches(el, this.lookalike)) this.checkLookalike(el);
          if (el.firstElementChild) for (const c of Array.from(el.querySelectorAll(this.lookalike))) this.checkLookalike(c);
        }
        if (this.opts.strays) this.checkStray(el);
      }
    }
    if (this.lookalikes + this.strays > before) this.opts.onChange();
  }

  private checkLookalike(el: Element): void {
    if (this.seen.has(el)) return;
    const sel = this.adapter.itemSelector;
    if (safeMatches(el, sel)) return;
    // Inside an item it is part of that item (a quoted post, a comment).
    const owner = el.parentElement?.closest(sel);
    if (owner && this.container.contains(owner)) return;
    this.seen.add(el);
    this.lookalikes++;
  }

  private checkStray(el: Element): void {
    const sel = this.adapter.itemSelector;
    const item = safeMatches(el, sel) ? el : el.querySelector(sel);
    if (item) {
      this.learnSlot(item); // new batches may bring new lists of slots
      return;
    }
    const parent = el.parentElement;
    if (!parent || !this.slotParents.has(parent) || !this.shape || this.seen.has(el)) return;
    if (!sameShape(this.shape, el)) return;
    this.seen.add(el);
    this.strays++;
  }

  private learnSlot(item: Element): void {
    // An item straight in a list already known: its slot is itself, nothing new to learn.
    if (this.shape && item.parentElement && this.slotParents.has(item.parentElement)) return;
    const slot = outerWrapper(item, this.container, this.adapter.itemSelector);
    if (slot.parentElement) this.slotParents.add(slot.parentElement);
    this.shape ??= slotShape(slot);
  }
}
