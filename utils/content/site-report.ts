import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { AdapterStatus, FeedAdapter } from '@/utils/feeds/types';
import type { PushMessage } from '@/utils/messaging/messages';
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
 * Answers "Report a site problem" (the popup asks through the background) with this page's
 * shape report. The builder is not in the content script, which runs on every feed page and
 * must stay small: the background injects /site-report.js into this tab's isolated world first
 * (entrypoints/site-report.ts), only when someone asks. Nothing is built until then.
 */
export function answerReportRequests(ctx: ContentScriptContext, state: () => ReportState, doc: Document): void {
  const listener = (msg: unknown, _sender: unknown, sendResponse: (answer: unknown) => void) => {
    if ((msg as PushMessage | null)?.type !== 'push/shape-report' || ctx.isInvalid) return undefined;
    let report: ShapeReport | null = null;
    try {
      const build = (globalThis as unknown as Record<string, ShapeReporter | undefined>)[SHAPE_REPORT_GLOBAL];
      report = build ? build(state(), doc, browser.runtime.getManifest().version) : null;
    } catch (err) {
      // A page we cannot describe is answered with nothing, not with an error in the page.
      swallowed('shape report', err);
    }
    sendResponse({ report });
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener as never);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener as never));
}
