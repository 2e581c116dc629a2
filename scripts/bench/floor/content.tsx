import { render } from 'preact';
import { PauseFrame } from '@/components/frame/PauseFrame';
import { pauseFrameCss } from '@/components/frame/pause-frame-styles';
import { FRAME_HOST_TAG } from '@/utils/content/frame-ui-contract';
import { WORDS } from '@/utils/frames/curated/words';

/**
 * The floor (`npm run bench -- --floor`): the least code that shows Stillframe's frames in a feed.
 * The same frame (a Words frame, rendered by PauseFrame once, at load) with the same styles in
 * the same kind of host, after every EVERY-th post the page adds, inserted in the page's own
 * mutation turn so it shares the page's layout pass. Nothing else: no counting of what the reader
 * has seen (unless built as the counting floor, below), no decision, no messages, no storage, no
 * observers but one MutationObserver. What it costs the page is what having the frames costs — the
 * part of Stillframe's cost no extension that shows them could avoid. Built by floor.mjs; never shipped.
 */
declare const __FLOOR_SELECTOR__: string;
declare const __FLOOR_COUNTING__: boolean;
const EVERY = 25;

const w = WORDS.find((x) => x.lang === 'en') ?? WORDS[0];
const template = document.createElement('div');
render(
  <PauseFrame
    frame={{
      kind: 'words',
      id: w.id,
      collectionId: 'words',
      attribution: w.attribution,
      text: w.lines.join('\n'),
      lang: w.lang,
      author: w.author,
      work: w.work,
    }}
    postsSince={EVERY}
    breakMinutes={15}
    onAction={() => {}}
    onWhy={() => {}}
    onFewerPauses={async () => null}
    scheme="light"
    reducedMotion={false}
  />,
  template,
);
const sheet = new CSSStyleSheet();
sheet.replaceSync(pauseFrameCss);
// The host's own box, as frame-host.tsx pins it (inline, important).
const HOST_STYLE =
  'opacity:1!important;visibility:visible!important;position:static!important;transform:none!important;filter:none!important;' +
  'pointer-events:auto!important;clip-path:none!important;mix-blend-mode:normal!important;display:block!important;' +
  'box-sizing:border-box!important;width:100%!important;max-width:100%!important;margin:12px 0!important';

const seen = new WeakSet<Element>();
let count = 0;

function frame(): HTMLElement {
  const host = document.createElement(FRAME_HOST_TAG);
  host.setAttribute('style', HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'closed' });
  shadow.adoptedStyleSheets = [sheet];
  shadow.append(template.cloneNode(true));
  return host;
}

/**
 * The counting floor (`--floor counting`) also counts the posts the reader has seen, as any
 * extension that shows a frame "after N posts seen" must: the cheapest exact way known here, an
 * IntersectionObserver on the next WINDOW posts not yet in view (feed order), each unobserved
 * once it has been in view. The count drives nothing (the frames still follow every EVERY-th
 * post added), so this column differs from the frames-only floor by counting alone.
 */
const WINDOW = 2;
const order: Element[] = [];
let next = 0;
/** Posts seen: the furthest one in view, in feed order, and every post before it (skipped ones too). */
let seenCount = 0;
let written = 0;
const watching = new Map<Element, number>();
const io = __FLOOR_COUNTING__
  ? new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting) seenCount = Math.max(seenCount, (watching.get(e.target) ?? -1) + 1);
      // Posts before the furthest one seen are counted, in view or not: they leave the window.
      for (const [el, i] of watching) {
        if (i < seenCount) {
          io!.unobserve(el);
          watching.delete(el);
        }
      }
      if (next < seenCount) next = seenCount;
      refill();
      // For the harness test only, and rarely: an attribute on <html> is a style invalidation.
      if (seenCount - written >= 10) document.documentElement.dataset.floorSeen = String((written = seenCount));
    })
  : null;
function refill(): void {
  while (io && watching.size < WINDOW && next < order.length) {
    const i = next++;
    if (!order[i].isConnected) continue;
    io.observe(order[i]);
    watching.set(order[i], i);
  }
}

function add(post: Element): void {
  if (seen.has(post)) return;
  seen.add(post);
  if (io) {
    order.push(post);
    refill();
  }
  if (++count % EVERY === 0) post.after(frame());
}

new MutationObserver((records) => {
  for (const r of records) {
    for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      const el = n as Element;
      if (el.matches(__FLOOR_SELECTOR__)) add(el);
      else if (el.firstElementChild) for (const p of el.querySelectorAll(__FLOOR_SELECTOR__)) add(p);
    }
  }
}).observe(document.documentElement, { childList: true, subtree: true });
for (const p of document.querySelectorAll(__FLOOR_SELECTOR__)) {
  seen.add(p);
  if (io) order.push(p);
}
refill();
