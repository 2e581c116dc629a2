import type { FramePayload } from '@/utils/frames/types';
import type { SamplePrompt } from '@/utils/study/types';

/**
 * What the content script and the lazily injected frame UI (entrypoints/frame-ui.ts →
 * components/frame/) agree on. The content script only ever sees these types, so the frame UI's
 * Preact code stays out of the script that runs on every feed page.
 */
/** The tag of the element that carries a frame into the page (its shadow root is closed). */
export const FRAME_HOST_TAG = 'stillframe-pause';

export type FrameAction = 'continue' | 'break' | 'fewer';

/** Study mode: the frame's experience-sampling question and where its answer goes. */
export interface FrameSample {
  prompt: SamplePrompt;
  onAnswer(value: number): void;
}

export interface FrameHostOptions {
  frame: FramePayload;
  postsSince: number;
  width: number | null;
  onAction(action: FrameAction): void;
  onSnooze15(): void;
  sample?: FrameSample;
}

export interface FrameUI {
  createFrameHost(win: Window, opts: FrameHostOptions): HTMLElement;
  destroyFrameHost(host: Element): void;
  setLocale(pref: 'auto' | 'en' | 'zh_CN'): unknown;
}
