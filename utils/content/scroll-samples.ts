/**
 * The scroll positions a decision point's windows are measured from (decision-probe.ts), kept
 * from the moment a feed is attached: a window reaches back up to its length before the
 * decision point's place came into view, so the samples must already be there when the first
 * decision is made. The measuring itself (DecisionProbe) comes with the frame UI, at the first
 * decision; this part runs on every feed page and stays small.
 *
 * Positions are sampled when the FeedWatcher reports passed posts (its IntersectionObserver
 * already runs; at most every PASSED_SAMPLE_GAP_MS) and at the end of each scroll gesture ('scrollend'): no scroll listener, no
 * polling. A page that scrolls by script (and a wheel's smooth scrolling) ends a "gesture" at
 * every step — once an animation frame — so after a 'scrollend' sample we stop listening for
 * SCROLLEND_GAP_MS and then sample once more, where the page is by then: where the reader came
 * to rest is kept; the 60 calls a second into our code, each with a ResizeObserver.observe()
 * (~0.1 ms on a 20,000-post page), are not (npm run bench: they were our largest cost).
 * Both are read after the browser's next layout (a
 * ResizeObserver's first report), not in the watcher's callback or the event: the page has often
 * just appended posts in that same turn, and reading `scrollY` then forces the page's layout
 * inside our code — on a long feed the largest cost we had (docs/PERFORMANCE.md: 380 ms of a
 * 20,000-post scroll in `scrollend` alone, where the page scrolls by script once a frame).
 */
export interface Sample {
  t: number;
  posts: number;
  y: number;
}

const MAX_SAMPLES = 512;
/** After a 'scrollend' sample, the next 'scrollend' is listened for again only after this long (then a sample is taken). */
export const SCROLLEND_GAP_MS = 200;
/**
 * Posts passing take a sample at most this often (`postsPassed`). A fast scroll brings a post
 * into view in nearly every frame, and each sample is one more call into our code (npm run bench:
 * about one a post, a sixth of our calls). A window's ends are sampled exactly (`whenLaidOut`)
 * and so is where the reader comes to rest ('scrollend'); only a window's start reaching back
 * before its decision point can begin up to this long early — the same for a shown frame and a
 * withheld one, so their difference is unbiased.
 */
export const PASSED_SAMPLE_GAP_MS = 250;

export interface SamplesDeps {
  win: Window;
  /** Posts passed so far in the attached feed. */
  passed(): number;
  now?(): number;
  /** Timers bound to the content script's life (default: the window's). */
  setTimeout?(fn: () => void, ms: number): unknown;
  clearTimeout?(handle: unknown): void;
}

export class ScrollSamples {
  list: Sample[] = [];
  /** When the feed being measured was attached (windows never reach further back). */
  feedSince: number;
  /** When the tab last came back from being hidden (a window reaching back past it is censored). */
  lastHiddenEnd = -Infinity;
  /** The longest window opened so far: samples are kept twice as far back (and at least 10 s). */
  longestWindowMs = 0;
  readonly now: () => number;
  private hiddenSince: number | null = null;
  /** A sample for passed posts waits for the next layout (at most one waits). */
  private sampleDue = false;
  /** Asked to run once the page is laid out, with that moment's sample (whenLaidOut). */
  private waiting: Array<(s: Sample) => void> = [];
  private afterLayout: ResizeObserver | null = null;
  /** Listening for 'scrollend' (not during the gap after one). */
  private listening = false;
  private disposed = false;
  /** The timer that ends the gap, if one runs. */
  private trailing: unknown = null;
  private readonly onVisibility = () => {
    if (this.d.win.document.visibilityState === 'hidden') this.hiddenSince ??= this.now();
    else if (this.hiddenSince !== null) {
      this.hiddenSince = null;
      this.lastHiddenEnd = this.now();
    }
  };
  /** A page that scrolls itself with scrollTo() ends a "gesture" at every call (once a frame): this must not read layout either. */
  private readonly onScrollEnd = () => {
    this.sampleAfterLayout();
    if (this.trailing !== null) return;
    this.listen(false);
    const set = this.d.setTimeout ?? ((fn: () => void, ms: number) => this.d.win.setTimeout(fn, ms));
    this.trailing = set(() => {
      this.trailing = null;
      this.listen(true);
      this.sampleAfterLayout();
    }, SCROLLEND_GAP_MS);
  };

  private listen(on: boolean): void {
    if (on === this.listening || (on && this.disposed)) return;
    this.listening = on;
    if (on) this.d.win.addEventListener('scrollend', this.onScrollEnd, { passive: true });
    else this.d.win.removeEventListener('scrollend', this.onScrollEnd);
  }

  constructor(private d: SamplesDeps) {
    this.now = d.now ?? (() => performance.now());
    this.feedSince = this.now();
    if (d.win.document.visibilityState === 'hidden') this.hiddenSince = this.feedSince;
    d.win.document.addEventListener('visibilitychange', this.onVisibility);
    this.listen(true);
  }

  private position(): Sample {
    return { t: this.now(), posts: this.d.passed(), y: this.d.win.scrollY };
  }

  /** Takes a sample now (it reads `scrollY`: only where the page's layout is fresh). */
  sample(): Sample {
    const s = this.position();
    const samples = this.list;
    samples.push(s);
    // Keep what the longest open window may still need (2 W back), bounded.
    const keep = 2 * Math.max(this.longestWindowMs, 10_000) + 5000;
    let drop = 0;
    while (drop < samples.length - 1 && samples[drop + 1].t < s.t - keep) drop++;
    if (samples.length - drop > MAX_SAMPLES) drop = samples.length - MAX_SAMPLES;
    if (drop > 0) samples.splice(0, drop);
    return s;
  }

  /** A feed was attached: positions are sampled from here (the count of passed posts restarts with it). */
  attached(): void {
    this.feedSince = this.now();
    this.list = [this.position()];
  }

  /** The feed went away: its samples go with it. */
  detached(): void {
    this.list = [];
    this.sampleDue = false;
    this.waiting = [];
    this.cancelTrailing();
    this.listen(true);
  }

  private cancelTrailing(): void {
    if (this.trailing === null) return;
    const clear = this.d.clearTimeout ?? ((h: unknown) => this.d.win.clearTimeout(h as number));
    clear(this.trailing);
    this.trailing = null;
  }

  /**
   * Samples once the browser has laid the page out (a ResizeObserver reports an element it has
   * just been given right after the next layout, before paint), where reading `scrollY` costs
   * nothing. Where there is no ResizeObserver, at once. A hidden tab renders nothing, so its
   * sample waits for the reader to come back (its windows are censored anyway).
   */
  sampleAfterLayout(): void {
    const RO = (this.d.win as Window & { ResizeObserver?: typeof ResizeObserver }).ResizeObserver;
    if (typeof RO !== 'function') {
      this.sampled(this.sample());
      return;
    }
    if (this.sampleDue) return;
    this.sampleDue = true;
    const root = this.d.win.document.documentElement;
    this.afterLayout ??= new RO(() => {
      this.afterLayout?.unobserve(root);
      if (!this.sampleDue) return;
      this.sampleDue = false;
      this.sampled(this.sample());
    });
    this.afterLayout.observe(root);
  }

  /** Posts came into view (the watcher's callback): a sample after layout, unless one was taken less than PASSED_SAMPLE_GAP_MS ago. */
  postsPassed(): void {
    const last = this.list[this.list.length - 1];
    if (last && this.now() - last.t < PASSED_SAMPLE_GAP_MS) return;
    this.sampleAfterLayout();
  }

  /**
   * Runs `fn` with a sample taken once the page is laid out (see sampleAfterLayout): for a
   * decision point's place coming into view and its window's end. An observer's callback or a
   * timer may run after the page has changed the feed again (a page appending posts from its own
   * observer, which runs first), and reading `scrollY` there would lay out the whole feed inside
   * our code (npm run bench: 216 ms at 20,000 posts).
   */
  whenLaidOut(fn: (s: Sample) => void): void {
    this.waiting.push(fn);
    this.sampleAfterLayout();
  }

  /** A sample after layout was taken: whoever waited for one gets it. */
  private sampled(s: Sample): void {
    for (const fn of this.waiting.splice(0)) fn(s);
  }

  /** The content script is going away for good. */
  dispose(): void {
    this.d.win.document.removeEventListener('visibilitychange', this.onVisibility);
    this.cancelTrailing();
    this.listen(false);
    this.disposed = true;
    this.sampleDue = false;
    this.afterLayout?.disconnect();
    this.afterLayout = null;
  }
}
