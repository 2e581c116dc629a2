import type { FramePayload } from '@/utils/frames/types';
import type { SamplePrompt } from '@/utils/study/types';
import type { FewerPausesResult, FrameAction } from '@/utils/messaging/messages';
import type { FrameLifecycle, LifecycleDeps } from './frame-lifecycle';
import type { DecisionProbe, ProbeDeps } from './decision-probe';
import type { FeedBreakCover } from './feed-break';
import type { StopPanel, StopPanelDeps } from './stop-panel';
import { extensionVersion } from './lazy-part';

/**
 * What the content script and the lazily injected frame UI (entrypoints/frame-ui.ts →
 * components/frame/) agree on. The content script only ever sees these types, so the frame UI's
 * Preact code stays out of the script that runs on every feed page.
 */
/** The tag of the element that carries a frame into the page (its shadow root is closed). */
export const FRAME_HOST_TAG = 'stillframe-pause';
/** The study's survey card (not a frame: it never anchors the cadence). */
export const SURVEY_HOST_TAG = 'stillframe-survey';

export type { FrameAction };

/** Our other elements in a page: the stopping point (in the feed) and the break's cover (over it). */
export const STOP_HOST_TAG = 'stillframe-stop';
export const COVER_HOST_TAG = 'stillframe-cover';

/** Study mode: the frame's experience-sampling question and where its answer goes. */
export interface FrameSample {
  prompt: SamplePrompt;
  onAnswer(value: number): void;
}

export interface FrameHostOptions {
  frame: FramePayload;
  postsSince: number;
  /** No pause earlier today: the frame says so instead of counting posts since a pause that was not. */
  firstToday: boolean;
  /** The length of a break, shown on its button ("Take a 15-minute break"). */
  breakMinutes: number;
  width: number | null;
  onAction(action: FrameAction): void;
  /** "Why am I seeing this?": the options page at this site's row. */
  onWhy(): void;
  /** "Fewer pauses": one step less often; resolves with what changed (null: it could not be done). */
  onFewerPauses(): Promise<FewerPausesResult | null>;
  sample?: FrameSample;
}

/** The calm panel over a feed that is on a break (components/frame/BreakCover.tsx). */
export interface CoverOptions {
  until: number;
  /** Re-time the break: it now ends `minutes` from now. */
  onChange(minutes: number): void;
  /** "Back to the feed" before the time. */
  onBack(): void;
  onCloseTab(): void;
  /** Move keyboard focus into the panel (only when the person just asked for the break). */
  focus: boolean;
}

/** The stopping point in the feed (components/frame/StopPanel.tsx). */
export interface StopOptions {
  posts: number;
  width: number | null;
  onCloseTab(): void;
  /** Put the feed away until tomorrow. */
  onPutAway(): void;
  /** Keep scrolling: the panel goes. */
  onDismiss(): void;
}

export interface CoverHandle {
  update(until: number): void;
  remove(): void;
}

/** Study mode: the survey question as a card of its own in the feed (every arm, also without frames). */
export interface SurveyHostOptions {
  prompt: SamplePrompt;
  width: number | null;
  onAnswer(value: number): void;
  /** "Not now": the card is removed. */
  onDismiss(): void;
}

/**
 * The version of this contract. The frame UI's global outlives a content script (after an update
 * the new script finds the old one's frame UI in the same isolated world), and it now carries
 * content-script code too (the frame lifecycle): a frame UI built for another contract is
 * replaced, never used. Raise it with any change to FrameUI or to what it is given.
 */
export const FRAME_UI_CONTRACT = 4;

export interface FrameUI {
  contract: typeof FRAME_UI_CONTRACT;
  /** The extension version that injected it (lazy-part.ts, extensionVersion). */
  version: string;
  createFrameHost(win: Window, opts: FrameHostOptions): HTMLElement;
  createSurveyHost(win: Window, opts: SurveyHostOptions): HTMLElement;
  destroyFrameHost(host: Element): void;
  createCover(win: Window, opts: CoverOptions): CoverHandle;
  createStopHost(win: Window, opts: StopOptions): HTMLElement;
  /** Lets a frame far behind the reader keep its look without its live UI; false if it cannot. */
  freezeFrameHost(host: Element): boolean;
  /**
   * A frame built for one place goes in at a later one: it says the posts since the last pause as
   * of there. Only the frame lifecycle, which comes with the frame UI, calls it (so isFrameUI,
   * which runs in every feed page's script, does not list it; the contract number covers it).
   */
  recountFrameHost(host: Element, postsSince: number): void;
  setLocale(pref: 'auto' | 'en' | 'zh_CN'): unknown;
  /**
   * The frame lifecycle for one content script (utils/content/frame-lifecycle.ts, with the
   * exposure meter and the gentle hold): needed only once there is a frame, so it comes with the
   * frame UI instead of running on every feed page.
   */
  frameLifecycle(deps: LifecycleDeps): FrameLifecycle;
  /** The decision probe for one content script (utils/content/decision-probe.ts), at the first decision point. */
  decisionProbe(deps: ProbeDeps): DecisionProbe;
  /**
   * The cover over a feed on a break, for one content script (utils/content/feed-break.ts):
   * `onLifted` when the break is over in this tab (it asks for its config again).
   */
  feedBreakCover(win: Window, siteKey: () => string | null, onLifted: () => void): FeedBreakCover;
  /** The stopping point's panel in the feed, for one content script (utils/content/stop-panel.ts). */
  stopPanel(win: Window, deps: StopPanelDeps): StopPanel;
}

/**
 * Where /frame-ui.js leaves its functions, in the content script's isolated world: a Symbol,
 * never a string name. The isolated world has its own JavaScript globals, but in Chromium it
 * still sees the page's named elements on `window`, so `window.__stillframeFrameUI` would be a
 * page's `<div id="__stillframeFrameUI">` (red-teamed: we then counted frames that were never
 * shown). Named-element access only ever yields string-keyed properties.
 */
export const FRAME_UI_KEY: unique symbol = Symbol.for('stillframe.frameUI');

/** The frame UI's shape, checked: anything else found under the key (however it got there) is not it. */
export function isFrameUI(x: unknown): x is FrameUI {
  if (x === null || typeof x !== 'object') return false;
  if (typeof Node === 'function' && x instanceof Node) return false;
  const ui = x as Partial<Record<keyof FrameUI, unknown>>;
  if (ui.contract !== FRAME_UI_CONTRACT || ui.version !== extensionVersion()) return false;
  return (
    [
      'createFrameHost',
      'createSurveyHost',
      'destroyFrameHost',
      'freezeFrameHost',
      'createCover',
      'createStopHost',
      'setLocale',
      'frameLifecycle',
      'decisionProbe',
      'feedBreakCover',
      'stopPanel',
    ] as const
  ).every((k) => typeof ui[k] === 'function');
}
