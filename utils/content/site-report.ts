import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { AdapterStatus, FeedAdapter } from '@/utils/feeds/types';
import type { PushMessage } from '@/utils/messaging/messages';
import { buildShapeReport, reportSiteOf, type ShapeReport } from '@/utils/feeds/shape-report';
import { KNOWN_SELECTORS } from '@/utils/feeds/registry';
import { peekGenericFeed } from '@/utils/feeds/generic';

/** What the tab knows about its feed right now (from the controller). */
export interface ReportState {
  adapter: FeedAdapter | null;
  siteKey: string | null;
  feedRoute: boolean;
  status: AdapterStatus | null;
}

/** This page's shape report (utils/feeds/shape-report.ts): built here, in the tab, on request only. */
export function shapeReportOf(state: ReportState, doc: Document, stillframe: string): ShapeReport {
  return buildShapeReport({
    doc,
    site: reportSiteOf(state.siteKey),
    feedRoute: state.feedRoute,
    adapter: state.adapter,
    status: state.status,
    knownSelectors: KNOWN_SELECTORS,
    generic: peekGenericFeed(doc),
    stillframe,
  });
}

/**
 * Answers "Report a site problem" (the popup asks through the background) with this page's
 * shape report. Nothing is built until asked; the listener goes with the content script.
 */
export function answerReportRequests(ctx: ContentScriptContext, state: () => ReportState, doc: Document): void {
  const listener = (msg: unknown, _sender: unknown, sendResponse: (answer: unknown) => void) => {
    if ((msg as PushMessage | null)?.type !== 'push/shape-report' || ctx.isInvalid) return undefined;
    let report: ShapeReport | null = null;
    try {
      report = shapeReportOf(state(), doc, browser.runtime.getManifest().version);
    } catch {
      // A page we cannot describe is answered with nothing, not with an error in the page.
    }
    sendResponse({ report });
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener as never);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener as never));
}
