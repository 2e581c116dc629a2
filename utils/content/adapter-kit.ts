import type { FeedAdapter } from '@/utils/feeds/types';
import type { AdapterHealth, CoverageHealth } from '@/utils/feeds/health';
import type { CoverageProbe } from './coverage-probe';
import { extensionVersion } from './lazy-part';

/**
 * What the content script and the adapter kit (entrypoints/adapter-kit.ts, injected as
 * /adapter-kit.js) agree on: what Stillframe needs when a site adapter is not enough, or there
 * is none — the generic detector (a site the user switched on by hand, or a site adapter gone
 * blind), the verdict that a site adapter has gone blind, and the coverage probe with its
 * verdicts and the widening of an adapter (a diagnostic that can wait for an idle moment after a
 * feed is attached). On a supported site that works, none of it is needed at once, so it stays
 * out of the script that runs on every feed page. Loaded the way the frame UI is (lazy-part.ts);
 * on a site without an adapter it is asked for alongside the first hello, so it is here as soon
 * as the site is known to be on; on a supported site, at its first look that finds no feed (the
 * verdict starts then) or at an idle moment after the feed is attached.
 */
export const ADAPTER_KIT_KEY: unique symbol = Symbol.for('stillframe.adapterKit');

/** Raise with any change to AdapterKit: a kit left in the tab by another version is replaced, not used. */
export const ADAPTER_KIT_CONTRACT = 3;

export interface AdapterKit {
  contract: typeof ADAPTER_KIT_CONTRACT;
  /** The extension version that injected it (lazy-part.ts, extensionVersion). */
  version: string;
  /** utils/feeds/generic.ts: the page's feed found without site knowledge, or null. */
  detectGeneric(doc: Document, routeFrom?: FeedAdapter, opts?: { fresh?: boolean }): FeedAdapter | null;
  probe(container: Element, adapter: FeedAdapter, opts: { strays: boolean; onChange: () => void }): CoverageProbe;
  health(): CoverageHealth;
  /** utils/feeds/health.ts: has a site adapter gone blind (the site changed under it)? Judged over time, so one per route owner. */
  adapterHealth(): AdapterHealth;
  lookalikeSelector(itemSelector: string): string | null;
  widenAdapter(base: FeedAdapter, lookalike: string): FeedAdapter;
}

/** The kit's shape, checked (see isFrameUI): anything else found under the key is not it. */
export function isAdapterKit(x: unknown): x is AdapterKit {
  if (x === null || typeof x !== 'object') return false;
  if (typeof Node === 'function' && x instanceof Node) return false;
  const kit = x as Partial<Record<keyof AdapterKit, unknown>>;
  return (
    kit.contract === ADAPTER_KIT_CONTRACT &&
    kit.version === extensionVersion() &&
    (['detectGeneric', 'probe', 'health', 'adapterHealth', 'lookalikeSelector', 'widenAdapter'] as const).every((k) => typeof kit[k] === 'function')
  );
}
