/**
 * The frame host's own box, pinned with `!important` inline styles: an inline important
 * declaration outranks every rule a page's stylesheet can write, so a page cannot fade, hide,
 * move, shrink or let clicks through our frame by CSS (clickjacking, issue #19). A page that
 * rewrites the host's style attribute by script gets it pinned again at once.
 */
const PINNED: ReadonlyArray<readonly [string, string]> = [
  ['opacity', '1'],
  ['visibility', 'visible'],
  ['position', 'static'],
  ['transform', 'none'],
  ['filter', 'none'],
  ['pointer-events', 'auto'],
  ['clip-path', 'none'],
  ['mix-blend-mode', 'normal'],
];

/**
 * The browser's own serialisation of each pinned value ("12px 0" reads back as "12px 0px"), by
 * the declarations written: the same for every frame of a page, so read once (reading them back
 * for each frame was ~0.3 ms of its build, npm run bench). A few entries: hosts differ only by width.
 */
const serialised = new Map<string, ReadonlyArray<readonly [string, string]>>();

/** Pins the host's own layout `rules` (display, width, …) and the visibility rules above; returns the unpin. */
export function pinHost(host: HTMLElement, rules: Record<string, string>): () => void {
  const own = Object.entries(rules);
  const styles: Array<readonly [string, string]> = [...PINNED.filter(([p]) => !(p in rules)), ...own];
  // One declaration block, parsed once, on a host that has no style of its own yet.
  const css = styles.map(([prop, value]) => `${prop}: ${value} !important`).join('; ');
  host.style.cssText = css;
  // Compare against what the browser keeps, and only write what differs: writing an unchanged
  // value would wake our own observer forever.
  const pins = serialised.get(css) ?? readBack(host, styles, css);
  const repin = () => {
    for (const [prop, value] of pins) {
      if (host.style.getPropertyValue(prop) !== value || host.style.getPropertyPriority(prop) !== 'important') {
        host.style.setProperty(prop, value, 'important');
      }
    }
  };
  const mo = new MutationObserver(repin);
  mo.observe(host, { attributes: true, attributeFilter: ['style'] });
  return () => mo.disconnect();
}

/** What the browser kept of `styles` on the first host given `css`, remembered for the next. */
function readBack(host: HTMLElement, styles: ReadonlyArray<readonly [string, string]>, css: string): ReadonlyArray<readonly [string, string]> {
  const kept = styles.map(([prop]) => [prop, host.style.getPropertyValue(prop)] as const);
  if (serialised.size >= 8) serialised.clear();
  serialised.set(css, kept);
  return kept;
}
