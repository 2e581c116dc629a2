import { browser } from 'wxt/browser';
import type { AdapterStatus, FeedAdapter } from '@/utils/feeds/types';
import type { ShapeReport } from '@/utils/feeds/shape-report';
import { swallowed } from '@/utils/dev-log';

/** What the tab knows about its feed right now (from the controller). */
export interface ReportState {
  adapter: FeedAdapter | null;
  siteKey: string | null;
  feedRoute: boolean;
  status: AdapterStatus | null;
}

/** Where /site-report.js leaves its builder, in the content script's isolated world (the page cannot see it). */
export const SHAPE_REPORT_GLOBAL = '__stillframeShapeReport';
export type ShapeReporter = (state: ReportState, doc: Document, stillframe: string) => ShapeReport;

/**
 * "Report a site problem" (the popup asks through the background): this page's shape report, or
 * null. The builder is not in the content script, which runs on every feed page and must stay
 * small: the background injects /site-report.js into this tab's isolated world first
 * (entrypoints/site-report.ts), only when someone asks. Nothing is built until then. The
 * controller's message listener answers with it.
 */
export function shapeReport(state: ReportState, doc: Document): ShapeReport | null {
  try {
    const build = (globalThis as unknown as Record<string, ShapeReporter | undefined>)[SHAPE_REPORT_GLOBAL];
    return build ? build(state, doc, browser.runtime.getManifest().version) : null;
  } catch (err) {
    // A page we cannot describe is answered with nothing, not with an error in the page.
    swallowed('shape report', err);
    return null;
  }
}
