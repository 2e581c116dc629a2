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
 * has seen, no decision, no messages, no storage, no observers but one MutationObserver. What it
 * costs the page is what having the frames costs — the part of Stillframe's cost no extension that
 * shows them could avoid. Built by floor.mjs; never shipped.
 */
declare const __FLOOR_SELECTOR__: string;
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

function add(post: Element): void {
  if (seen.has(post)) return;
  seen.add(post);
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
for (const p of document.querySelectorAll(__FLOOR_SELECTOR__)) seen.add(p);
