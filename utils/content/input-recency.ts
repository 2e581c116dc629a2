/**
 * When the reader last did something themselves: a trusted wheel, touch, key or pointer event
 * (a page scrolling itself, or a script dispatching events, is not reading). One set of
 * passive capture listeners per window, shared by every frame's exposure meter and by the
 * counting of posts (input-gate.ts); a listener is told only when input resumes after an idle
 * spell, not on every wheel tick.
 */
export const INPUT_RECENT_MS = 30_000;

const EVENTS = ['wheel', 'touchstart', 'touchmove', 'keydown', 'pointerdown'] as const;

interface InputLike {
  isTrusted: boolean;
  type: string;
  composedPath?(): EventTarget[];
  target?: EventTarget | null;
}

/**
 * Does this event show a person moving through the page? Trusted only (a page cannot forge
 * `isTrusted`), and not a key typed into a text field: typing is not reading the feed (and a
 * page could otherwise scroll its feed while the reader fills in a form).
 */
export function isReadingInput(e: InputLike): boolean {
  if (e.isTrusted !== true) return false;
  if (e.type !== 'keydown') return true;
  const t = (e.composedPath?.()[0] ?? e.target) as { localName?: unknown; isContentEditable?: unknown } | null | undefined;
  if (!t || typeof t !== 'object') return true;
  return !(t.localName === 'input' || t.localName === 'textarea' || t.localName === 'select' || t.isContentEditable === true);
}

interface Tracker {
  last: number;
  listeners: Set<() => void>;
  detach(): void;
}

const trackers = new Map<Window, Tracker>();

function trackerFor(win: Window, now: () => number): Tracker {
  const known = trackers.get(win);
  if (known) return known;
  const tracker: Tracker = { last: -Infinity, listeners: new Set(), detach: () => {} };
  const onInput = (e: Event) => {
    if (!isReadingInput(e)) return;
    const at = now();
    const wasIdle = at - tracker.last > INPUT_RECENT_MS;
    tracker.last = at;
    if (wasIdle) tracker.listeners.forEach((l) => l());
  };
  const opts: AddEventListenerOptions = { capture: true, passive: true };
  for (const type of EVENTS) win.addEventListener(type, onInput, opts);
  tracker.detach = () => {
    for (const type of EVENTS) win.removeEventListener(type, onInput, opts);
  };
  trackers.set(win, tracker);
  return tracker;
}

/** Time of the reader's last own input in this window (performance.now() clock), -Infinity if none yet. */
export function lastInputAt(win: Window, now: () => number = () => performance.now()): number {
  return trackerFor(win, now).last;
}

/** Calls `fn` when input resumes after more than INPUT_RECENT_MS without any; returns the unsubscribe. */
export function onInputResumed(win: Window, fn: () => void, now: () => number = () => performance.now()): () => void {
  const t = trackerFor(win, now);
  t.listeners.add(fn);
  return () => {
    t.listeners.delete(fn);
  };
}

/** Starts listening early (the content script's start), so input before the first frame counts. */
export function startInputTracking(win: Window, now: () => number = () => performance.now()): void {
  trackerFor(win, now);
}

/** For tests: forget a window's tracker. */
export function resetInputTracking(win: Window): void {
  trackers.get(win)?.detach();
  trackers.delete(win);
}
