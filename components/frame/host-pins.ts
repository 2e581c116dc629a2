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

/** Pins the host's own layout `rules` (display, width, …) and the visibility rules above; returns the unpin. */
export function pinHost(host: HTMLElement, rules: Record<string, string>): () => void {
  const own = Object.entries(rules);
  const styles: Array<readonly [string, string]> = [...PINNED.filter(([p]) => !(p in rules)), ...own];
  for (const [prop, value] of styles) host.style.setProperty(prop, value, 'important');
  // Compare against the browser's own serialisation ("12px 0" reads back as "12px 0px"), and
  // only write what differs: writing an unchanged value would wake our own observer forever.
  const expected = styles.map(([prop]) => [prop, host.style.getPropertyValue(prop)] as const);
  const repin = () => {
    for (const [prop, value] of expected) {
      if (host.style.getPropertyValue(prop) !== value || host.style.getPropertyPriority(prop) !== 'important') {
        host.style.setProperty(prop, value, 'important');
      }
    }
  };
  const mo = new MutationObserver(repin);
  mo.observe(host, { attributes: true, attributeFilter: ['style'] });
  return () => mo.disconnect();
}
