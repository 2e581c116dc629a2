import type { FeedAdapter } from '@/utils/feeds/types';
import type { CoverageHealth } from '@/utils/feeds/health';
import type { CoverageProbe } from './coverage-probe';

/**
 * What the content script and the coverage kit (entrypoints/coverage.ts, injected as
 * /coverage.js) agree on. The coverage probe is a diagnostic — does the site adapter see the
 * whole feed? — that can wait for an idle moment after a feed is attached, so it, its verdicts
 * (CoverageHealth) and the widening of an adapter stay out of the script that runs on every
 * feed page. Loaded the way the frame UI is (lazy-part.ts).
 */
export const COVERAGE_KEY: unique symbol = Symbol.for('stillframe.coverage');

/** Raise with any change to CoverageKit: a kit left in the tab by another version is replaced, not used. */
export const COVERAGE_CONTRACT = 1;

export interface CoverageKit {
  contract: typeof COVERAGE_CONTRACT;
  probe(container: Element, adapter: FeedAdapter, opts: { strays: boolean; onChange: () => void }): CoverageProbe;
  health(): CoverageHealth;
  lookalikeSelector(itemSelector: string): string | null;
  widenAdapter(base: FeedAdapter, lookalike: string): FeedAdapter;
}

/** The kit's shape, checked (see isFrameUI): anything else found under the key is not it. */
export function isCoverageKit(x: unknown): x is CoverageKit {
  if (x === null || typeof x !== 'object') return false;
  if (typeof Node === 'function' && x instanceof Node) return false;
  const kit = x as Partial<Record<keyof CoverageKit, unknown>>;
  return kit.contract === COVERAGE_CONTRACT && (['probe', 'health', 'lookalikeSelector', 'widenAdapter'] as const).every((k) => typeof kit[k] === 'function');
}
