import type { FramePayload } from '@/utils/frames/types';
import { generateComposition, type Shape } from '@/utils/frames/curated/compositions';
import { t } from '@/utils/i18n/frame-text';
import { breakLabel, type PauseFrameProps } from './PauseFrame';

/** The frame's controls, built once for the page's document and the words they carry (see staticFrame). */
let chrome: { doc: Document; key: string; frag: DocumentFragment } | null = null;

/**
 * A new frame as plain DOM: the very markup PauseFrame renders before anyone touches it, built
 * without Preact. Rendering through Preact was most of a frame's cost to the page (npm run bench:
 * ~2.5 ms a frame, in the page's main thread, for markup that then sits still). The frame host
 * mounts this copy and brings in the live PauseFrame at the first click on it, replaying that click
 * on the same button (frame-host.tsx, `thaw` — how a frame far behind the reader already works).
 * tests/unit/static-frame.test.tsx holds this to PauseFrame's own render, kind by kind, in both
 * languages and both schemes.
 *
 * A breathing cue is built still too: its circle's breath is a CSS animation that breath-watch.ts
 * switches on while the circle is in view, whoever built it (the frame host watches it).
 *
 * Returns null for what has behaviour of its own from the start: a picture (drawn on a canvas), a
 * study's question.
 */
export function staticFrame(doc: Document, p: PauseFrameProps): HTMLElement | null {
  if (p.sample) return null;
  const el = (tag: string, attrs: Record<string, string | undefined>, ...kids: Node[]) => {
    const n = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) n.setAttribute(k, v);
    n.append(...kids);
    return n;
  };
  const T = (text: string, cls?: string, lang?: string) => el('span', { class: cls ? `sf-t ${cls}` : 'sf-t', 'data-sf-text': text, lang });
  const button = (cls: string, label: string) => el('button', { type: 'button', class: cls, 'aria-label': label }, T(label));
  const body = frameBody(p.frame, p.scheme, !p.reducedMotion);
  if (!body) return null;
  const aside = el('aside', { class: `sf-frame sf-${p.scheme}`, role: 'complementary', 'aria-label': t('frame.label'), 'data-frame-id': p.frame.id });
  const inner = el('div', { class: 'sf-body' }, body);
  if (p.frame.attribution) inner.append(el('p', { class: 'sf-attribution' }, T(p.frame.attribution)));
  aside.append(inner);
  if (p.firstToday) aside.append(el('p', { class: 'sf-meta' }, T(t('frame.firstToday'))));
  else if (p.postsSince > 0) aside.append(el('p', { class: 'sf-meta' }, T(postsSinceText(p.postsSince))));
  // The buttons and the footer are the same in every frame of a page (but for the break's
  // length and the language): built once, then copied by the browser in one call — creating them
  // element by element was most of a still frame's build (npm run bench, debug profile).
  const labels = [
    t('frame.actions'),
    t('frame.continue'),
    breakLabel(p.breakMinutes),
    t('frame.more'),
    t('frame.brand'),
    t('frame.why'),
    t('frame.fewer'),
    t('frame.fewerPauses'),
  ];
  const key = labels.join('\n');
  if (chrome?.doc !== doc || chrome.key !== key) {
    const [actions, cont, brk, more, brand, why, fewer, fewerPauses] = labels;
    const frag = doc.createDocumentFragment();
    frag.append(
      el('div', { class: 'sf-actions', role: 'group', 'aria-label': actions }, button('sf-button', cont), button('sf-button sf-primary', brk)),
      el('div', { class: 'sf-status', role: 'status' }),
      el(
        'div',
        { class: 'sf-foot', role: 'group', 'aria-label': more },
        el('span', { class: 'sf-brand' }, el('span', { class: 'sf-mark', 'aria-hidden': 'true' }), T(brand)),
        button('sf-link', why),
        button('sf-link', fewer),
        button('sf-link', fewerPauses),
      ),
    );
    chrome = { doc, key, frag };
  }
  aside.append(chrome.frag.cloneNode(true));
  return aside;

  function frameBody(f: FramePayload, scheme: 'light' | 'dark', animate: boolean): Element | null {
    switch (f.kind) {
      case 'breath':
        return el(
          'div',
          { class: 'sf-breath' },
          el('div', { class: animate ? 'sf-breath-circle sf-animate' : 'sf-breath-circle', 'aria-hidden': 'true' }),
          el('p', { class: 'sf-breath-text' }, T(f.text)),
        );
      case 'words': {
        const zh = f.lang === 'zh';
        const cite = el('figcaption', { class: 'sf-cite' }, T(`— ${f.author}`));
        if (f.work) {
          if (zh) cite.append(el('cite', {}, T(`《${f.work}》`)));
          else cite.append(T(', '), el('cite', {}, T(f.work)));
        }
        if (f.translator) cite.append(T(t('frame.translatedBy', { name: f.translator }), 'sf-translator'));
        return el('figure', { class: 'sf-figure', lang: zh ? 'zh-CN' : 'en' }, el('blockquote', { class: 'sf-words' }, ...lines(f.text)), cite);
      }
      case 'text': {
        const fig = el('figure', { class: 'sf-figure' }, el('blockquote', { class: 'sf-words sf-own' }, ...lines(f.text)));
        if (f.source) fig.append(el('figcaption', { class: 'sf-cite' }, T(`— ${f.source}`)));
        return fig;
      }
      case 'question':
        return el('p', { class: 'sf-question' }, T(f.text));
      case 'composition':
        return composition(doc, f.seed, scheme);
      default:
        return null;
    }
  }

  function lines(text: string): Element[] {
    return text.split('\n').map((line) => T(line, 'sf-line'));
  }
}

/** "N posts since your last pause", as PauseFrame says it. */
export function postsSinceText(n: number): string {
  return n === 1 ? t('frame.postsSince.one') : t('frame.postsSince', { n });
}

const SVG = 'http://www.w3.org/2000/svg';

/** Composition.tsx's SVG, element for element (the page's scheme picks the variant there too). */
function composition(doc: Document, seed: number, variant: 'light' | 'dark'): Element {
  const piece = generateComposition(seed, variant);
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sf-composition');
  svg.setAttribute('viewBox', piece.viewBox);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('frame.composition.label'));
  for (const s of piece.shapes) svg.append(shape(doc, s));
  return svg;
}

function shape(doc: Document, s: Shape): Element {
  const n = doc.createElementNS(SVG, s.type);
  const set = (k: string, v: string | number | undefined) => v !== undefined && n.setAttribute(k, String(v));
  switch (s.type) {
    case 'rect':
      set('x', s.x), set('y', s.y), set('width', s.width), set('height', s.height), set('rx', s.rx);
      break;
    case 'circle':
      set('cx', s.cx), set('cy', s.cy), set('r', s.r);
      break;
    case 'line':
      set('x1', s.x1), set('y1', s.y1), set('x2', s.x2), set('y2', s.y2);
      break;
    case 'path':
      set('d', s.d);
      break;
    case 'polygon':
      set('points', s.points);
      break;
  }
  set('fill', s.fill ?? 'none');
  set('stroke', s.stroke);
  set('stroke-width', s.strokeWidth);
  set('stroke-linecap', s.linecap);
  set('opacity', s.opacity);
  return n;
}
