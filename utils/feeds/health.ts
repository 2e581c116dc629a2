import type { AdapterStatus } from './types';

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

  get status(): AdapterStatus {
    return this.current;
  }

  /** True once the caller should use the generic detector instead of the site adapter. */
  get useFallback(): boolean {
    return this.current === 'fallback';
  }

  observe(obs: HealthObservation): AdapterStatus {
    try {
      return (this.current = this.judge(obs));
    } catch {
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
