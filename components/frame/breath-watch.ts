/**
 * A breathing circle breathes only while it is on screen. A running CSS animation, even one the
 * compositor runs and even off screen, makes the browser restyle on every frame the page draws
 * while the reader scrolls (npm run bench: 60 style recalcs a second for every breath frame ever
 * inserted). One observer for every circle in the page, live (PauseFrame) or born still
 * (static-frame.ts), starts its animation (a fresh breath) when it comes into view and removes it
 * when it leaves.
 */
let breathIO: IntersectionObserver | null = null;
const breathing = new Set<Element>();

/** Runs the circle's animation only while it is in view; returns the function that stops watching. */
export function watchBreath(el: Element): () => void {
  if (typeof IntersectionObserver !== 'function') {
    el.classList.add('sf-in-view');
    return () => {};
  }
  breathIO ??= new IntersectionObserver((entries) => {
    for (const e of entries) e.target.classList.toggle('sf-in-view', e.isIntersecting);
  });
  breathIO.observe(el);
  breathing.add(el);
  return () => {
    breathIO?.unobserve(el);
    breathing.delete(el);
    el.classList.remove('sf-in-view');
    if (!breathing.size) {
      breathIO?.disconnect();
      breathIO = null;
    }
  };
}
