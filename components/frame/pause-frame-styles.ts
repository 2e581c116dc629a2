/**
 * Styles of the injected PauseFrame. They live in the frame's closed shadow root: nothing here
 * may reach the page, and nothing of the page should reach in, hence `all: initial` on :host
 * (inherited fonts and colours stop at the boundary). Colours are chosen for WCAG AA:
 * body text ≥ 13:1, secondary text ≥ 6:1, control borders ≥ 3:1, in both schemes.
 * Spacing around the frame belongs to the host element (components/frame/frame-host.tsx).
 */
export const pauseFrameCss = `
:host {
  all: initial;
  display: block;
  width: 100%;
  box-sizing: border-box;
  contain: content;
}
.sf-frame {
  --sf-bg: #f7f4ee;
  --sf-text: #2a2723;
  --sf-muted: #5f584e;
  --sf-line: #8a8275;
  --sf-soft: #e8e1d4;
  --sf-focus: #2f5d8a;
  /* One height cap for every picture (compositions and the person's own images), leaving room
     for the words and buttons below it: the whole frame fits the screen, at 200 % zoom and on a phone. */
  --sf-pic-h: max(110px, min(70vh, calc(100vh - 250px)));
  box-sizing: border-box;
  width: 100%;
  margin: 0;
  padding: clamp(20px, 5%, 40px);
  border-radius: 18px;
  border: 1px solid var(--sf-soft);
  background: var(--sf-bg);
  color: var(--sf-text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  text-align: start;
}
.sf-frame.sf-dark {
  --sf-bg: #1d1e20;
  --sf-text: #ece8e1;
  --sf-muted: #b2aca2;
  --sf-line: #7f7a72;
  --sf-soft: #2e3033;
  --sf-focus: #8fb4dd;
}
.sf-frame *, .sf-frame *::before, .sf-frame *::after { box-sizing: border-box; }
/* All text is generated content (Text.tsx): window.find() on the page cannot search it. */
.sf-t { white-space: pre-line; }
.sf-t::before { content: attr(data-sf-text); }
.sf-body { margin: 0 0 20px; }
.sf-composition {
  display: block;
  width: 100%;
  max-width: calc(var(--sf-pic-h) * 1.6);
  height: auto;
  margin: 0 auto;
  border-radius: 12px;
}
.sf-figure { margin: 0; }
.sf-words {
  margin: 8px 0 0;
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", STSong, SimSun, serif;
  font-size: 1.3em;
  line-height: 1.75;
  overflow-wrap: anywhere;
}
.sf-words:lang(zh) { letter-spacing: 0.08em; }
.sf-words.sf-own { white-space: pre-wrap; }
.sf-translator { display: block; font-size: 0.92em; }
.sf-line { display: block; }
.sf-cite { margin: 12px 0 0; color: var(--sf-muted); font-size: 0.92em; }
.sf-cite cite { font-style: italic; }
.sf-cite:lang(zh) cite { font-style: normal; }
.sf-breath { display: flex; flex-direction: column; align-items: center; gap: 20px; padding: 12px 0; }
/* The circle breathes by opacity, not by transform: a running transform animation made Chromium
   redo compositing for the whole page on every scrolled frame (npm run bench: +5 ms a frame at
   1,000 posts, +90 ms at 20,000), an opacity one does not (+0.3 ms). It exists only while the
   circle is in view (sf-in-view, set by PauseFrame's observer), and starts a breath as the reader
   arrives: any running animation, even off screen, restyles on every frame the page draws, and a
   paused one kept doing so in Chromium once it had run (npm run bench, YouTube-like grid); no
   animation costs nothing. Any animation, even of opacity on a layer of its own, restyles on
   every frame while it runs (measured in Chromium: 60 a second for this one, a transition, a
   stepped one and a will-change transform alike), so it also ends: three breaths (30 s, the
   "three slow breaths" of the cues), then the circle rests until it next comes into view. The
   small circle (breathed out) stays; the full one (breathed in) fades over it. */
.sf-breath-circle { position: relative; width: 96px; height: 96px; }
.sf-breath-circle::before, .sf-breath-circle::after {
  content: '';
  position: absolute;
  inset: 0;
  border-radius: 50%;
  background: var(--sf-soft);
  border: 1px solid var(--sf-line);
}
.sf-breath-circle::before { transform: scale(0.8); }
.sf-breath-circle::after { opacity: 0; }
/* In for four, out for six: one ten-second cycle, eased so it never feels like a pulse. */
.sf-breath-circle.sf-animate.sf-in-view::after { animation: sf-breathe 10s ease-in-out 3; }
@keyframes sf-breathe {
  0% { opacity: 0; }
  40% { opacity: 1; }
  100% { opacity: 0; }
}
@media (prefers-reduced-motion: reduce) {
  .sf-breath-circle.sf-animate::after { animation: none; }
}
.sf-breath-text, .sf-question {
  margin: 0;
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Songti SC", "Noto Serif CJK SC", STSong, serif;
  font-size: 1.4em;
  line-height: 1.5;
  text-align: center;
  overflow-wrap: anywhere;
}
.sf-question { padding: 16px 0; }
.sf-canvas {
  display: block;
  max-width: 100%;
  max-height: var(--sf-pic-h);
  width: auto;
  height: auto;
  margin: 0 auto;
  border-radius: 12px;
}
.sf-canvas.sf-hidden { display: none; }
.sf-caption { margin: 12px 0 0; text-align: center; overflow-wrap: anywhere; }
.sf-attribution { margin: 10px 0 0; color: var(--sf-muted); font-size: 0.8em; }
.sf-meta { margin: 0 0 12px; color: var(--sf-muted); font-size: 0.88em; }
.sf-actions { display: flex; flex-wrap: wrap; gap: 8px; }
.sf-button {
  font: inherit;
  font-size: 0.95em;
  min-height: 40px;
  padding: 8px 18px;
  border-radius: 999px;
  border: 1px solid var(--sf-line);
  background: transparent;
  color: var(--sf-text);
  cursor: pointer;
}
.sf-button:hover, .sf-button.sf-primary { background: var(--sf-soft); }
.sf-button:focus-visible { outline: 2px solid var(--sf-focus); outline-offset: 2px; }
.sf-button[aria-disabled="true"] { cursor: default; color: var(--sf-muted); }
.sf-status p {
  margin: 16px 0 0;
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Songti SC", "Noto Serif CJK SC", STSong, serif;
  font-size: 1.05em;
}
.sf-foot {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 2px 14px;
  margin-top: 14px;
  color: var(--sf-muted);
  font-size: 0.82em;
}
.sf-brand { display: inline-flex; align-items: center; gap: 6px; }
.sf-mark {
  display: inline-block;
  flex: none;
  width: 11px;
  height: 11px;
  border-radius: 3px;
  background: linear-gradient(135deg, var(--sf-muted) 0 50%, var(--sf-soft) 50% 100%);
  border: 1px solid var(--sf-line);
}
.sf-link {
  font: inherit;
  min-height: 28px;
  padding: 2px 0;
  border: none;
  background: none;
  color: var(--sf-muted);
  text-decoration: underline;
  text-underline-offset: 2px;
  cursor: pointer;
}
.sf-link:hover { color: var(--sf-text); }
.sf-link:focus-visible { outline: 2px solid var(--sf-focus); outline-offset: 2px; }
.sf-link[aria-disabled="true"] { cursor: default; }
.sf-folded { padding: 12px 18px; }
.sf-note { display: flex; align-items: center; gap: 8px; margin: 0; color: var(--sf-muted); }
.sf-note:focus-visible { outline: 2px solid var(--sf-focus); outline-offset: 4px; }
/* Short screens (200 % zoom on a laptop, a phone on its side): less air, the same content. */
@media (max-height: 560px) {
  .sf-frame { padding: 14px 18px; font-size: 14px; }
  .sf-body { margin-bottom: 10px; }
  .sf-words { font-size: 1.15em; line-height: 1.5; }
  .sf-breath { gap: 10px; padding: 4px 0; }
  .sf-breath-circle { width: 60px; height: 60px; }
  .sf-question { padding: 6px 0; }
  .sf-button { min-height: 36px; padding: 6px 14px; }
  .sf-foot { margin-top: 8px; }
}
.sf-error { margin: 8px 0 0; color: var(--sf-muted); }
@media (forced-colors: active) {
  .sf-frame, .sf-button, .sf-breath-circle::before, .sf-breath-circle::after { border-color: CanvasText; }
}

/* The stopping point in the feed: a frame's look, words only. */
.sf-stop-title {
  margin: 0 0 14px;
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Songti SC", "Noto Serif CJK SC", STSong, serif;
  font-size: 1.3em;
  line-height: 1.45;
}
/* A feed on a break: one calm panel over the whole window; the page under it is left as it is.
   It carries .sf-frame too, for the palette of the page's scheme. */
.sf-frame.sf-cover {
  position: fixed;
  inset: 0;
  width: auto;
  border: none;
  border-radius: 0;
  display: flex;
  align-items: center;
  justify-content: center;
  padding: 24px;
  overflow: auto;
  overscroll-behavior: contain;
}
.sf-cover-card { max-width: 38em; width: 100%; display: flex; flex-direction: column; gap: 14px; }
.sf-cover-title {
  margin: 0;
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Songti SC", "Noto Serif CJK SC", STSong, serif;
  font-size: 1.9em;
  font-weight: normal;
  line-height: 1.3;
}
.sf-cover-title:focus { outline: none; }
.sf-cover p { margin: 0; }
.sf-cover-brand { margin: 0; }
.sf-cover-body { color: var(--sf-muted); }
.sf-cover .sf-actions { margin-top: 6px; }
.sf-cover-change { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; color: var(--sf-muted); }
.sf-chip { min-height: 32px; padding: 4px 12px; font-size: 0.9em; }
.sf-chip[aria-pressed="true"] { background: var(--sf-soft); }
.sf-back { align-self: flex-start; font-size: 1em; color: var(--sf-text); }
`;
