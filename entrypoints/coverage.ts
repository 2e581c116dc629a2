import { createCoverageKit } from '@/utils/content/coverage-probe';
import { COVERAGE_KEY, isCoverageKit } from '@/utils/content/coverage-kit';

/**
 * The coverage kit (/coverage.js): does the site adapter see the whole feed, and if not, widen
 * it or let the generic detector take over (utils/content/coverage-kit.ts). Injected by the
 * background into the content script's isolated world at an idle moment after a feed is
 * attached (message 'content/part'), never bundled into the content script itself.
 */
export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (!isCoverageKit(g[COVERAGE_KEY])) g[COVERAGE_KEY] = createCoverageKit();
});
