/** How much of a frame must be in view before the hold begins: half of it, or half the window for a tall one. */
const IN_VIEW = 0.5;
const HOLD_MS = 4000;
const POSTS = 3;

/**
 * The "gentle hold": once a new frame has come into view, the next few posts are softly blurred
 * for four seconds, then restored exactly as they were (their own inline filter, if any). It
 * waits for the frame to be seen — a frame is inserted well below the fold, and a hold that ran
 * out before the reader got there would never be seen. Returns a cancel function.
 */
export function gentleHold(host: Element, win: Window, later: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms)): () => void {
  let done = false;
  let blurred: Array<[HTMLElement, string]> = [];
  const restore = () => {
    if (done) return;
    done = true;
    for (const [h, f] of blurred) h.style.filter = f;
    blurred = [];
  };
  const io = new IntersectionObserver(
    (entries) => {
      const e = entries[entries.length - 1];
      if (!e?.isIntersecting) return;
      if (e.intersectionRatio < IN_VIEW && e.intersectionRect.height < win.innerHeight * IN_VIEW) return;
      io.disconnect();
      let el = host.nextElementSibling ?? host.parentElement?.nextElementSibling ?? null;
      for (let i = 0; el && i < POSTS; i++, el = el.nextElementSibling) {
        const h = el as HTMLElement;
        blurred.push([h, h.style.filter]);
        h.style.filter = 'blur(3px)';
      }
      later(restore, HOLD_MS);
    },
    { threshold: [0, 0.25, IN_VIEW, 0.75, 1] },
  );
  io.observe(host);
  return () => {
    io.disconnect();
    restore();
  };
}
