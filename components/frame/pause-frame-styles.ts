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
.sf-body { margin: 0 0 20px; }
.sf-composition { display: block; width: 100%; height: auto; border-radius: 12px; }
.sf-figure { margin: 0; }
.sf-words {
  margin: 8px 0 0;
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", STSong, SimSun, serif;
  font-size: 1.3em;
  line-height: 1.75;
  overflow-wrap: anywhere;
}
.sf-words:lang(zh) { letter-spacing: 0.08em; }
.sf-line { display: block; }
.sf-cite { margin: 12px 0 0; color: var(--sf-muted); font-size: 0.92em; }
.sf-cite cite { font-style: italic; }
.sf-cite:lang(zh) cite { font-style: normal; }
.sf-breath { display: flex; flex-direction: column; align-items: center; gap: 20px; padding: 12px 0; }
/* The circle breathes by opacity, not by transform: a running transform animation made Chromium
   redo compositing for the whole page on every scrolled frame (npm run bench: +5 ms a frame at
   1,000 posts, +90 ms at 20,000), an opacity one does not (+0.3 ms), and off screen it costs
   nothing. The small circle (breathed out) stays; the full one (breathed in) fades over it. */
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
.sf-breath-circle.sf-animate::after { animation: sf-breathe 10s ease-in-out infinite; }
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
  max-height: 70vh;
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
.sf-snooze { margin-top: 12px; }
.sf-error { margin: 8px 0 0; color: var(--sf-muted); }
@media (forced-colors: active) {
  .sf-frame, .sf-button, .sf-breath-circle::before, .sf-breath-circle::after { border-color: CanvasText; }
}
`;

