import { buildShapeReport, reportSiteOf } from '@/utils/feeds/shape-report';
import { KNOWN_SELECTORS } from '@/utils/feeds/registry';
import { peekGenericFeed } from '@/utils/feeds/generic';
import { SHAPE_REPORT_GLOBAL, type ShapeReporter } from '@/utils/content/site-report';

/**
 * The shape-report builder ("Report a site problem"), built as its own script (/site-report.js)
 * so the content script stays small. The background injects it into a tab's isolated world only
 * when the popup asks for a report ('site/report'); it leaves its builder on that world's global
 * object for the content script, which knows the tab's adapter and status.
 */
export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<string, ShapeReporter | undefined>;
  g[SHAPE_REPORT_GLOBAL] ??= (state, doc, stillframe) =>
    buildShapeReport({
      doc,
      site: reportSiteOf(state.siteKey),
      feedRoute: state.feedRoute,
      adapter: state.adapter,
      status: state.status,
      knownSelectors: KNOWN_SELECTORS,
      generic: peekGenericFeed(doc),
      stillframe,
    });
});
