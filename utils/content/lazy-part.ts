import { browser } from 'wxt/browser';

/**
 * A part of the content script that is not in content.js but injected on demand by the
 * background into this isolated world (the frame UI, the coverage kit): it leaves itself under a
 * Symbol on the world's global object, which neither the page's scripts nor its named elements
 * can reach, and is taken only when `is` recognises it (its shape and contract version).
 */
export interface LazyPart<T> {
  /** The part if it is loaded in this tab, else null (reads a variable: cheap on every post). */
  get(): T | null;
  /** Loads it once per tab; resolves null if it could not be loaded (the next call tries again). */
  load(): Promise<T | null>;
}

/**
 * `request` asks the background to inject the part; `ready` runs once when it is first found
 * (an earlier content script in this tab may have loaded it already: then no message at all).
 */
export function lazyPart<T>(key: symbol, is: (x: unknown) => x is T, request: () => Promise<unknown>, ready: (part: T) => void = () => {}): LazyPart<T> {
  let loaded: T | null = null;
  let loading: Promise<T | null> | null = null;
  const fromGlobal = (): T | null => {
    if (loaded) return loaded;
    const found = (globalThis as unknown as Record<symbol, unknown>)[key];
    if (!is(found)) return null;
    loaded = found;
    ready(found);
    return loaded;
  };
  return {
    get: () => loaded,
    load() {
      if (loaded) return Promise.resolve(loaded);
      if (loading) return loading;
      const here = fromGlobal();
      if (here) return Promise.resolve(here);
      loading = request().then(
        () => {
          const part = fromGlobal();
          if (!part) loading = null;
          return part;
        },
        () => {
          loading = null;
          return null;
        },
      );
      return loading;
    },
  };
}

/**
 * The extension's version as this bundle sees it. An injected part records the version that
 * injected it, and a content script takes only a part of its own version: the part's global can
 * outlive the content script that loaded it, and after an update the old one's is replaced, so
 * the code that runs is always this version's.
 */
export function extensionVersion(): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return '';
  }
}
