// Clicks a button inside one of our closed shadow roots (a frame, the stopping point, a break's
// panel) the way a person would: found through the DevTools protocol, which sees closed shadow
// roots, and clicked with the mouse at its place on the screen.

function walk(node, fn) {
  fn(node);
  for (const c of [...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : []), ...(node.children ?? [])]) walk(c, fn);
}

function textOf(node) {
  let s = '';
  walk(node, (n) => {
    if (n.nodeType === 3) s += n.nodeValue ?? '';
  });
  return s.trim();
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} tag  the host element: 'stillframe-pause', 'stillframe-stop', 'stillframe-cover'
 * @param {(text: string) => boolean} match  which button, by its text
 */
export async function clickInShadow(page, tag, match) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    let button = null;
    walk(root, (n) => {
      if (button || n.localName !== tag) return;
      walk(n, (b) => {
        if (!button && b.localName === 'button' && match(textOf(b))) button = b;
      });
    });
    if (!button) throw new Error(`no matching button in <${tag}>`);
    await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: button.backendNodeId });
    const { quads } = await cdp.send('DOM.getContentQuads', { backendNodeId: button.backendNodeId });
    const q = quads[0];
    await page.mouse.click((q[0] + q[4]) / 2, (q[1] + q[5]) / 2);
  } finally {
    await cdp.detach().catch(() => {});
  }
}
