import {
  createCover,
  createFrameHost,
  createStopHost,
  createSurveyHost,
  destroyFrameHost,
  freezeFrameHost,
  recountFrameHost,
} from '@/components/frame/frame-host';
import { setLocale } from '@/utils/i18n/frame-text';
import { FRAME_UI_CONTRACT, FRAME_UI_KEY, isFrameUI, type FrameUI } from '@/utils/content/frame-ui-contract';
import { FrameLifecycle } from '@/utils/content/frame-lifecycle';
import { StopPanel } from '@/utils/content/stop-panel';
import { extensionVersion } from '@/utils/content/lazy-part';
import { DecisionProbe } from '@/utils/content/decision-probe';
import { FeedBreakCover } from '@/utils/content/feed-break';

/**
 * The frame UI, built as its own script (/frame-ui.js) so the content script that runs on every
 * feed page stays small. The background injects it into the content script's isolated world
 * when a tab is about to show its first frame (message 'frame/ui'); it hands its functions to
 * the content script under a Symbol on that world's global object, which neither the page's
 * scripts nor its named elements can reach (see FRAME_UI_KEY). Content-script code needed only
 * once there is a frame or a decision point (the frame lifecycle, exposure meter, gentle hold,
 * the decision probe), a break (the cover's timing) or the stopping point (its panel) comes with it.
 */
export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (!isFrameUI(g[FRAME_UI_KEY])) {
    g[FRAME_UI_KEY] = {
      contract: FRAME_UI_CONTRACT,
      version: extensionVersion(),
      createFrameHost,
      createSurveyHost,
      destroyFrameHost,
      freezeFrameHost,
      recountFrameHost,
      createCover,
      createStopHost,
      setLocale,
      frameLifecycle: (deps) => new FrameLifecycle(deps),
      decisionProbe: (deps) => new DecisionProbe(deps),
      feedBreakCover: (win, siteKey, onLifted) => new FeedBreakCover(win, createCover, siteKey, onLifted),
      stopPanel: (win, deps) => new StopPanel(win, { createStopHost, destroyFrameHost }, deps),
    } satisfies FrameUI;
  }
});
