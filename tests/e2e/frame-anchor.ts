/**
 * Which post each frame follows, read from the page's own world (self-contained: Playwright
 * sends its source to the page, and tests/unit/frame-anchor.test.ts runs it on a DOM directly).
 *
 * Fixtures label every item "Post N"; the frame follows the item it was inserted after. A site
 * that empties items off screen (LinkedIn) lets its fixture say which post one was
 * (`fixturePostNumber`); Mastodon's fixture empties far-off articles to placeholders, which keep
 * aria-posinset.
 *
 * In a grid (YouTube) a frame takes a row of its own after the end of a row of items, and that
 * row may end with an item that is no post (an ad slot): the frame follows the posts of that
 * row, so it reads the last post laid out on the same row. Anything that is a row of its own (a
 * shelf), an item stacked alone in a list, or nothing at all still reads as no post (null).
 */
export const POSTS_BEFORE_FRAMES = (hosts: Element[]): Array<number | null> => {
  const postOf = (el: Element): number | null => {
    const m = el.textContent?.match(/Post (\d+)/);
    const emptied = (window as any).fixturePostNumber?.(el);
    const pos = el.getAttribute('aria-posinset');
    return m ? Number(m[1]) : typeof emptied === 'number' ? emptied : pos ? Number(pos) : null;
  };
  return hosts.map((host) => {
    let prev = host.previousElementSibling;
    while (prev && prev.localName === 'stillframe-pause') prev = prev.previousElementSibling;
    if (!prev) return null;
    const n = postOf(prev);
    if (n !== null) return n;
    const row = prev.getBoundingClientRect();
    if (row.height === 0) return null;
    for (let el = prev.previousElementSibling; el; el = el.previousElementSibling) {
      const r = el.getBoundingClientRect();
      if (r.height === 0 || Math.abs(r.top - row.top) > 2) return null;
      const post = postOf(el);
      if (post !== null) return post;
    }
    return null;
  });
};
