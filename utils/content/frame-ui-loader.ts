import { send } from '@/utils/messaging/send';
import { FRAME_UI_KEY, isFrameUI, type FrameUI } from './frame-ui-contract';
import { lazyPart } from './lazy-part';

export { FRAME_UI_KEY, isFrameUI, type FrameUI };

let localePref: 'auto' | 'en' | 'zh_CN' = 'auto';

const part = lazyPart(
  FRAME_UI_KEY,
  isFrameUI,
  () => send({ type: 'frame/ui' }),
  (ui) => ui.setLocale(localePref),
);

/**
 * The frame UI if it is loaded in this tab, else null. Called on every passed post, so it reads
 * a variable.
 */
export const frameUI: () => FrameUI | null = part.get;

/**
 * Loads the frame UI once per tab (the background injects /frame-ui.js): called shortly before
 * the first frame is due, so it costs nothing on pages that never show one. Resolves null if it
 * could not be loaded; the next call tries again.
 */
export const loadFrameUI: () => Promise<FrameUI | null> = part.load;

/** The user's language for the frame's text; applied now if the UI is loaded, else when it loads. */
export function setFrameLocale(pref: 'auto' | 'en' | 'zh_CN'): void {
  localePref = pref;
  frameUI()?.setLocale(pref);
}
