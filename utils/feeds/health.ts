import type { AdapterStatus } from './types';
import { swallowed } from '@/utils/dev-log';

/**
 * Adapter health: is the site adapter still finding the feed, or has the site changed under
 * it? Pure logic, no DOM, never throws — garbage in (NaN, negative) reads as "nothing found".
 */
export interface HealthInput {
  /** Countable items the site adapter finds right now. */
  adapterItems: number;
  /** Did the page gain content since the last look (mutations added nodes / it got taller)? */
  pageGrew: boolean;
  containerFound: boolean;
  feedRoute: boolean;
}

/**
 * One look, no history. Items found → working. Nothing found while the page keeps growing →
 * the site is rendering a feed we cannot see → fallback. Nothing found and nothing happening →
 * still loading → waiting.
 */
export function assessHealth(input: HealthInput): AdapterStatus {
  if (!input?.feedRoute) return 'not-feed';
  // Items are counted inside the container, so "items but no container" is a stale reading.
  if (input.containerFound && count(input.adapterItems) > 0) return 'working';
  return input.pageGrew ? 'fallback' : 'waiting';
}

export interface HealthObservation extends HealthInput {
  /** Milliseconds (Date.now() or performance.now(), as long as it is the same clock). */
  at: number;
}

export interface HealthOptions {
  /** How long the adapter may find nothing while the page grows before we give up on it. */
  graceMs?: number;
  /** How many growth observations (with nothing found) it takes, at least. */
  growthObservations?: number;
}

/**
 * The same judgement over time, so one slow render does not throw away a good adapter: switch
 * to the generic detector only after the adapter has found nothing for `graceMs` *and* the page
 * grew at least `growthObservations` times meanwhile. Finding items again returns to working
 * (the site adapter knows where frames go; generic only guesses). A new route starts afresh.
 */
export class AdapterHealth {
  private readonly graceMs: number;
  private readonly growthNeeded: number;
  private missingSince: number | null = null;
  private growths = 0;
  private current: AdapterStatus = 'waiting';

  constructor(opts: HealthOptions = {}) {
    this.graceMs = Math.max(0, num(opts.graceMs, 3000));
    this.growthNeeded = Math.max(1, num(opts.growthObservations, 2));
  }

  observe(obs: HealthObservation): AdapterStatus {
    try {
      return (this.current = this.judge(obs));
    } catch (err) {
      swallowed('adapter health', err);
      return this.current; // never break the caller over a malformed observation
    }
  }

  /** Forget the history (call on navigation). */
  reset(): void {
    this.missingSince = null;
    this.growths = 0;
    this.current = 'waiting';
  }

  private judge(obs: HealthObservation): AdapterStatus {
    const quick = assessHealth(obs);
    if (quick === 'not-feed') {
      this.reset();
      return 'not-feed';
    }
    if (quick === 'working') {
      this.missingSince = null;
      this.growths = 0;
      return 'working';
    }
    if (this.current === 'fallback') return 'fallback'; // stays until items reappear or reset
    const at = num(obs.at, 0);
    if (this.missingSince === null) this.missingSince = at;
    if (obs.pageGrew) this.growths++;
    const waited = at - this.missingSince >= this.graceMs;
    if (waited && this.growths >= this.growthNeeded) return 'fallback';
    // A feed that was working and merely paused (nothing new) keeps its status.
    return this.current === 'working' ? 'working' : 'waiting';
  }
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

function num(n: unknown, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

/**
 * Coverage: the adapter finds posts, but does it find all of them? A site that nests each new
 * page of its feed one level deeper (old Reddit with RES), or wraps new items in new layers,
 * leaves an adapter whose selector names the structure around an item counting the first page
 * only — "working" by every other measure. One look at the feed container's subtree, counted
 * incrementally as the page adds to it (utils/content/coverage-probe.ts):
 */
export interface CoverageObservation {
  /** Milliseconds, same clock as the other observations. */
  at: number;
  /** Items the adapter has counted in this feed so far. */
  counted: number;
  /**
   * Nodes of the same kind as the adapter's items (its item selector without the structure
   * around the item: `.thing` for `#siteTable > .thing`) that it does not match, outside any item.
   */
  lookalikes: number;
  /**
   * New siblings shaped like the slots the counted items sit in (same tag, largely the same
   * classes) holding nothing the adapter matches: posts of a kind the adapter does not know.
   */
  strays: number;
}

/** 'whole': nothing missed. 'widen': count the lookalikes too. 'fallback': let the generic detector take over. */
export type CoverageVerdict = 'whole' | 'widen' | 'fallback';

export interface CoverageOptions {
  /** This many missed nodes at once is a fraction, not noise: the generic detector's own minimum list. */
  minMissed?: number;
  /** Fewer missed nodes count once they kept coming in this many separate looks. */
  growthObservations?: number;
}

/**
 * "Found a fraction", judged over time: lookalikes are a fraction when there are at least
 * `minMissed` of them, or when they kept coming (`growthObservations` looks) — then the adapter
 * is widened to count them (the same kind of node, one list deeper). Strays are a fraction only
 * while the adapter counts nothing new: at least `minMissed` of them since its count last grew,
 * arriving in `growthObservations` looks — then the generic detector takes over, since the
 * adapter cannot say what these posts are. A verdict stays until reset (a new route); a
 * widened or replaced adapter is observed afresh. Pure, never throws.
 */
export class CoverageHealth {
  private readonly minMissed: number;
  private readonly growthNeeded: number;
  private lastLookalikes = 0;
  private lookalikeGrowths = 0;
  private lastCounted = 0;
  private straysAtCount = 0;
  private lastStrays = 0;
  private strayGrowths = 0;
  private current: CoverageVerdict = 'whole';

  constructor(opts: CoverageOptions = {}) {
    this.minMissed = Math.max(1, num(opts.minMissed, 6));
    this.growthNeeded = Math.max(1, num(opts.growthObservations, 2));
  }

  get verdict(): CoverageVerdict {
    return this.current;
  }

  observe(obs: CoverageObservation): CoverageVerdict {
    try {
      if (this.current === 'whole') this.current = this.judge(obs);
    } catch (err) {
      // a malformed observation changes nothing
      swallowed('feed coverage', err);
    }
    return this.current;
  }

  reset(): void {
    this.lastLookalikes = this.lookalikeGrowths = this.lastCounted = this.straysAtCount = this.lastStrays = this.strayGrowths = 0;
    this.current = 'whole';
  }

  private judge(obs: CoverageObservation): CoverageVerdict {
    const counted = count(obs.counted);
    const lookalikes = count(obs.lookalikes);
    const strays = count(obs.strays);
    if (lookalikes > this.lastLookalikes) this.lookalikeGrowths++;
    this.lastLookalikes = Math.max(this.lastLookalikes, lookalikes);
    if (lookalikes >= this.minMissed || (lookalikes >= 2 && this.lookalikeGrowths >= this.growthNeeded)) return 'widen';
    if (counted > this.lastCounted) {
      // The adapter still finds new posts: strays before this look were something else (a
      // shelf, a spinner). Those that came with this look are not judged yet.
      this.lastCounted = counted;
      this.straysAtCount = Math.min(this.lastStrays, strays);
      this.strayGrowths = strays > this.lastStrays ? 1 : 0;
    } else if (strays > this.lastStrays) this.strayGrowths++;
    this.lastStrays = strays;
    const since = strays - this.straysAtCount;
    if (since >= this.minMissed && this.strayGrowths >= this.growthNeeded) return 'fallback';
    return 'whole';
  }
}
