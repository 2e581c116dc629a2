import { createCover, createFrameHost, createStopHost, createSurveyHost, destroyFrameHost, freezeFrameHost } from '@/components/frame/frame-host';
import { setLocale } from '@/utils/i18n/frame-text';
import { FRAME_UI_GLOBAL, type FrameUI } from '@/utils/content/frame-ui-loader';

/**
 * The frame UI, built as its own script (/frame-ui.js) so the content script that runs on every
 * feed page stays small. The background injects it into the content script's isolated world
 * when a tab is about to show its first frame (message 'frame/ui'); it hands its functions to
 * the content script through that world's global object, which the page cannot see.
 */
export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<string, FrameUI | undefined>;
  g[FRAME_UI_GLOBAL] ??= { createFrameHost, createSurveyHost, destroyFrameHost, freezeFrameHost, createCover, createStopHost, setLocale };
});
