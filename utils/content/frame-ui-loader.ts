import { send } from '@/utils/messaging/send';
import { FRAME_UI_KEY, isFrameUI, type FrameUI } from './frame-ui-contract';

export { FRAME_UI_KEY, isFrameUI, type FrameUI };

let loading: Promise<FrameUI | null> | null = null;
let localePref: 'auto' | 'en' | 'zh_CN' = 'auto';
let loaded: FrameUI | null = null;

/**
 * The frame UI if it is loaded in this tab, else null. Called on every passed post, so it reads
 * a variable.
 */
export function frameUI(): FrameUI | null {
  return loaded;
}

function fromGlobal(): FrameUI | null {
  const found = (globalThis as unknown as Record<symbol, unknown>)[FRAME_UI_KEY];
  loaded ??= isFrameUI(found) ? found : null;
  return loaded;
}

/**
 * Loads the frame UI once per tab (the background injects /frame-ui.js): called shortly before
 * the first frame is due, so it costs nothing on pages that never show one. Resolves null if it
 * could not be loaded; the next call tries again.
 */
export function loadFrameUI(): Promise<FrameUI | null> {
  if (loaded) return Promise.resolve(loaded);
  if (loading) return loading;
  // Already here (an earlier content script in this tab loaded it)? Then no message at all.
  const ui = fromGlobal();
  if (ui) {
    ui.setLocale(localePref);
    return Promise.resolve(ui);
  }
  loading = send({ type: 'frame/ui' }).then(
    () => {
      const ui = fromGlobal();
      if (ui) ui.setLocale(localePref);
      else loading = null;
      return ui;
    },
    () => {
      loading = null;
      return null;
    },
  );
  return loading;
}

/** The user's language for the frame's text; applied now if the UI is loaded, else when it loads. */
export function setFrameLocale(pref: 'auto' | 'en' | 'zh_CN'): void {
  localePref = pref;
  frameUI()?.setLocale(pref);
}
