import type { ShapeChild, ShapeNode, ShapeReport } from './shape-report';

/**
 * A shape report (utils/feeds/shape-report.ts) turned back into a page: the fixture skeleton a
 * maintainer starts from (`npm run site:fixture -- report.json`). The report's structure comes
 * back as it was — tags, roles, test-id pseudonyms, attribute names, the ids, classes and values
 * Stillframe's selectors name — with placeholder classes (`c1`, `c2`…) and text: "Post N" in
 * every item the report marked, "text" elsewhere. Items get the fixtures' usual heights, and a
 * small script appends ten more like the last one near the bottom, as every fixture does.
 */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Left out: our own frames, and what would run, load or hold another document. */
const SKIP = new Set(['stillframe-pause', 'script', 'style', 'link', 'meta', 'iframe', 'object', 'embed', 'noscript']);
/** Attributes whose empty value would make the browser fetch the page itself. */
const NO_EMPTY = new Set(['src', 'srcset', 'poster', 'data', 'action', 'formaction', 'style']);

const heightOf = (n: number) => 120 + ((n * 53) % 141);

export function shapeToFixture(report: ShapeReport): string {
  // Items are what the adapter counted (or, when it counted nothing, what the generic detector saw).
  const itemMarks = report.counts.counted > 0 || report.counts.lookalikes > 0 ? ['item', 'lookalike'] : ['generic-item'];
  let posts = 0;
  let counter = 0;
  const isItem = (n: ShapeNode) => n.marks?.some((m) => itemMarks.includes(m)) ?? false;

  /** `post`: the item this node is in (or is, when `root`). */
  const attrsOf = (node: ShapeNode, root: boolean, post: number | null): string => {
    const out: string[] = [];
    const known = node.known ?? [];
    const ids = known.filter((k) => k.startsWith('#')).map((k) => k.slice(1));
    const classes = known.filter((k) => k.startsWith('.')).map((k) => k.slice(1));
    for (let i = classes.length; i < (node.classes ?? 0); i++) classes.push(`c${i + 1}`);
    if (classes.length) out.push(`class="${classes.join(' ')}"`);
    if (ids[0]) out.push(`id="${esc(ids[0])}"`);
    for (const name of node.attrs ?? []) {
      if (name === 'class' || name === 'id' || name === '?') continue;
      const value = node.values?.[name];
      if (value === undefined && NO_EMPTY.has(name)) continue;
      const filled = value === undefined ? '' : value.replace(/…/g, String(post ?? ++counter));
      out.push(`${name}="${esc(filled)}"`);
    }
    if (root && post !== null) out.push(`data-fixture-post="${post}"`, `style="display:block;min-height:${heightOf(post)}px"`);
    return out.length ? ` ${out.join(' ')}` : '';
  };

  const emit = (node: ShapeNode, depth: number, post: number | null, labelled: { done: boolean }): string => {
    if (SKIP.has(node.tag) || node.tag === '?') return '';
    let own = post;
    let label = labelled;
    if (own === null && isItem(node)) {
      own = ++posts;
      label = { done: false };
    }
    const pad = '  '.repeat(depth);
    const notes: string[] = [];
    if (node.marks?.includes('container')) notes.push('the feed container Stillframe found');
    if (node.marks?.includes('generic-container')) notes.push('the generic detector’s feed');
    if (node.pos) notes.push(`was ${node.pos === 'transform' ? 'transformed' : `position: ${node.pos}`}`);
    if (node.shadow) notes.push('has a shadow root (not described)');
    const note = notes.length ? `${pad}<!-- ${notes.join('; ')} -->\n` : '';
    const open = `${pad}<${node.tag}${attrsOf(node, own !== post, own)}>`;
    if (VOID.has(node.tag)) return `${note}${open}\n`;
    let inner = '';
    if (node.text) {
      // The label goes where a reader would see it: not in an out-of-flow (visually hidden) node.
      if (own !== null && !label.done && !node.pos) {
        inner += `<b>Post ${own}</b>`;
        label.done = true;
      } else inner += 'text';
    }
    const kids = node.children ?? [];
    const body = kids.map((c, i) => emitChild(c, kids, i, depth + 1, own, label)).join('');
    // An item whose text is nowhere in the report still says which post it is.
    if (own !== null && own !== post && !label.done) {
      inner += `<b>Post ${own}</b>`;
      label.done = true;
    }
    if (!body) return `${note}${open}${inner}</${node.tag}>\n`;
    return `${note}${open}${inner}\n${body}${pad}</${node.tag}>\n`;
  };

  const emitChild = (c: ShapeChild, siblings: ShapeChild[], _i: number, depth: number, post: number | null, labelled: { done: boolean }): string => {
    if ('tag' in c) return emit(c, depth, post, labelled);
    if ('omitted' in c) return `${'  '.repeat(depth)}<!-- ${c.omitted} elements left out of the report -->\n`;
    const like = siblings[c.like];
    if (!like || !('tag' in like)) return '';
    let out = '';
    for (let k = 0; k < c.repeat; k++) out += emit(like, depth, post, post === null ? { done: false } : { done: true });
    return out;
  };

  const body = (report.tree.children ?? []).map((c, i, all) => emitChild(c, all, i, 1, null, { done: true })).join('');
  const c = report.counts;
  return `<!doctype html>
<!--
  Fixture skeleton generated by \`npm run site:fixture\` from a shape report ("Report a site
  problem"): site ${report.site}, adapter ${report.adapter.key ?? 'none'} (${report.adapter.status ?? 'no status'}),
  Stillframe ${report.stillframe}. Container found: ${c.containerFound ? `yes, ${c.containerDepth} levels below <body>` : 'no'};
  items matched ${c.matched}, counted ${c.counted}, lookalikes ${c.lookalikes}; the generic detector saw ${c.genericItems}.
  The structure is the page's: tag names, roles, attribute names, test ids (as pseudonyms t1,
  t2…), and the ids, classes and values Stillframe's selectors name. Every other class is a
  placeholder (c1, c2…), every text "Post N" (an item the report marked) or "text".
  To make it a fixture: give the hooks their real names where the report could not (ask the
  reporter, or read them off the site), add the site's own behaviours from the closest fixture
  here (navigation, emptying items off screen…), and add a row to tests/fixtures/site-cases.ts.
  See docs/SITES.md, "From a shape report to a fix".
-->
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(report.site)} (from a shape report)</title>
</head>
<body>
${body}<script>
(() => {
  'use strict';
  // Ten more posts like the last one, near the bottom, as every fixture does.
  const relabel = (el, n) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) t.nodeValue = t.nodeValue.replace(/Post \\d+/, 'Post ' + n);
  };
  let loading = false;
  addEventListener('scroll', () => {
    if (loading || innerHeight + scrollY < document.documentElement.scrollHeight - 1000) return;
    const items = document.querySelectorAll('[data-fixture-post]');
    let last = items[items.length - 1];
    if (!last) return;
    loading = true;
    setTimeout(() => {
      loading = false;
      for (let i = 0; i < 10; i++) {
        const n = Number(last.getAttribute('data-fixture-post')) + 1;
        const next = last.cloneNode(true);
        next.setAttribute('data-fixture-post', String(n));
        next.style.minHeight = (120 + ((n * 53) % 141)) + 'px';
        relabel(next, n);
        last.after(next);
        last = next;
      }
    }, 150);
  }, { passive: true });
})();
</script>
</body>
</html>
`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
