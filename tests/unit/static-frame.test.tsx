import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { PauseFrame, type PauseFrameProps } from '@/components/frame/PauseFrame';
import { staticFrame } from '@/components/frame/static-frame';
import { createFrameHost, destroyFrameHost, recountFrameHost } from '@/components/frame/frame-host';
import { allowReplay } from '@/components/frame/click-guard';
import { COMPOSITION_COUNT, compositionId } from '@/utils/frames/curated/compositions';
import { WORDS } from '@/utils/frames/curated/words';
import { QUESTIONS } from '@/utils/frames/curated/questions';
import { BREATH_CUES } from '@/utils/frames/curated/breath';
import { getCuratedPayload } from '@/utils/frames/library';
import { setLocale } from '@/utils/i18n/frame-text';
import type { FramePayload } from '@/utils/frames/types';

/**
 * A new frame is mounted as plain DOM (static-frame.ts) and PauseFrame takes over at the first
 * click: the two must be the same markup, or the reader would see a frame change under the
 * pointer (and a click could land on another button). Compared as trees: element, namespace,
 * every attribute, children in order.
 */
function tree(n: Node): unknown {
  if (n.nodeType === 3) return { text: n.textContent };
  const el = n as Element;
  const attrs = Object.fromEntries(Array.from(el.attributes, (a) => [a.name, a.value]).sort(([a], [b]) => (a < b ? -1 : 1)));
  // Preact renders `{'' && …}` (an empty attribution, no source) as an empty text node: nothing on screen.
  const kids = Array.from(el.childNodes).filter((k) => k.nodeType !== 3 || k.textContent !== '');
  return { tag: el.localName, ns: el.namespaceURI, attrs, kids: kids.map(tree) };
}

function preactRender(p: PauseFrameProps): unknown {
  const div = document.createElement('div');
  render(<PauseFrame {...p} />, div);
  const out = tree(div.firstElementChild!);
  render(null, div);
  return out;
}

const base = (frame: FramePayload, more: Partial<PauseFrameProps> = {}): PauseFrameProps => ({
  frame,
  postsSince: 25,
  breakMinutes: 15,
  onAction() {},
  onWhy() {},
  onFewerPauses: async () => null,
  scheme: 'light',
  reducedMotion: false,
  ...more,
});

/** The curated frames as the background sends them (and a few of the reader's own), in `locale`. */
function frames(locale: 'en' | 'zh_CN'): FramePayload[] {
  const curated = [
    ...WORDS.map((w) => w.id),
    ...QUESTIONS.map((q) => q.id),
    ...BREATH_CUES.map((b) => b.id),
    ...[0, 1, 7, 42, 99, COMPOSITION_COUNT - 1].map(compositionId),
  ];
  return [
    ...curated.map((id) => getCuratedPayload(id, locale)!),
    { kind: 'words', id: 'words:en:x', collectionId: 'words', attribution: '', text: 'One line', lang: 'en', author: 'Anon' },
    { kind: 'text', id: 'user:1', collectionId: 'mine', attribution: '', text: 'Put the phone down\nand look at the sky.', source: '' },
    { kind: 'text', id: 'user:2', collectionId: 'mine', attribution: 'Mine', text: 'Breathe', source: 'Me, 2026' },
  ];
}

afterEach(() => setLocale('en'));

describe('staticFrame', () => {
  for (const locale of ['en', 'zh_CN'] as const) {
    it(`is PauseFrame's first render, for every kind it builds (${locale})`, () => {
      setLocale(locale);
      let compared = 0;
      for (const frame of frames(locale)) {
        for (const more of [
          {},
          { scheme: 'dark' as const },
          { firstToday: true },
          { postsSince: 1 },
          { postsSince: 0, breakMinutes: 60 },
          { reducedMotion: true },
        ]) {
          const p = base(frame, more);
          const built = staticFrame(document, p);
          expect(built, frame.id).not.toBeNull();
          expect(tree(built!), `${frame.id} ${JSON.stringify(more)}`).toEqual(preactRender(p));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(100);
    });
  }

  it('leaves to PauseFrame what has behaviour from the start: a picture, a study question', () => {
    expect(
      staticFrame(
        document,
        base({ kind: 'image', id: 'i', collectionId: 'mine', attribution: '', caption: 'c', mime: 'image/png', width: 1, height: 1, dataB64: '' }),
      ),
    ).toBeNull();
    const sample = { prompt: { id: 'p', text: 'How?', min: 1, max: 5 }, onAnswer() {} } as unknown as PauseFrameProps['sample'];
    expect(staticFrame(document, base(frames('en')[0], { sample }))).toBeNull();
  });
});

/** A frame host and its closed shadow root, caught as createFrameHost attaches it. */
function hostWithRoot(frame: FramePayload) {
  const attach = vi.spyOn(Element.prototype, 'attachShadow');
  const host = createFrameHost(window, {
    frame,
    postsSince: 25,
    firstToday: false,
    breakMinutes: 15,
    width: null,
    onAction() {},
    onWhy() {},
    onFewerPauses: async () => null,
  });
  const root = attach.mock.results[0].value as ShadowRoot;
  attach.mockRestore();
  const said = () => root.querySelector('.sf-meta .sf-t')?.getAttribute('data-sf-text');
  return { host, root, said };
}

describe('recountFrameHost', () => {
  it('a frame that goes in further on than it was built for says the posts since the last pause as of there, born still or live', () => {
    const words: FramePayload = { kind: 'words', id: 'words:en:x', collectionId: 'words', attribution: '', text: 'One line', lang: 'en', author: 'Anon' };
    const breath: FramePayload = { kind: 'breath', id: 'breath:1', collectionId: 'breath', text: 'Breathe in, and out.', attribution: '' };
    for (const frame of [words, breath]) {
      const { host, root, said } = hostWithRoot(frame);
      expect(said()).toBe('25 posts since your last pause');
      recountFrameHost(host, 31);
      expect(said()).toBe('31 posts since your last pause');
      recountFrameHost(host, 1);
      expect(said()).toBe('1 post since your last pause');
      // The frame born still, its line rewritten in place: the very markup PauseFrame renders for it.
      if (frame.kind === 'words') expect(tree(root.querySelector('aside')!)).toEqual(preactRender(base(frame, { postsSince: 1 })));
      destroyFrameHost(host);
    }
  });
});

describe('a breathing cue born still', () => {
  /** Stand-in observers: which breathing circles are watched, and a way to say one came into view. */
  function fakeObserver() {
    const watched = new Set<Element>();
    const reports = new Map<Element, (entries: Array<{ target: Element; isIntersecting: boolean }>) => void>();
    class IO {
      private mine = new Set<Element>();
      constructor(private cb: (entries: Array<{ target: Element; isIntersecting: boolean }>) => void) {}
      observe(el: Element) {
        if (!el.classList.contains('sf-breath-circle')) return; // the click guard's observers
        this.mine.add(el);
        watched.add(el);
        reports.set(el, this.cb);
      }
      unobserve(el: Element) {
        this.mine.delete(el);
        watched.delete(el);
      }
      disconnect() {
        for (const el of this.mine) watched.delete(el);
        this.mine.clear();
      }
    }
    vi.stubGlobal('IntersectionObserver', IO);
    return { watched, show: (el: Element, inView: boolean) => reports.get(el)?.([{ target: el, isIntersecting: inView }]) };
  }
  afterEach(() => vi.unstubAllGlobals());

  function breathHost(reducedMotion = false) {
    // happy-dom's own setting: the frame host keeps one live query list a page.
    const device = (window as unknown as { happyDOM: { settings: { device: { prefersReducedMotion: string } } } }).happyDOM.settings.device;
    device.prefersReducedMotion = reducedMotion ? 'reduce' : 'no-preference';
    const { host, root } = hostWithRoot(getCuratedPayload('breath:02', 'en')!);
    device.prefersReducedMotion = 'no-preference';
    document.body.append(host);
    return { host, root, circle: () => root.querySelector('.sf-breath-circle')! };
  }

  it('breathes only while in view, stops being watched when it goes, and the live frame watches its own after a click', () => {
    const io = fakeObserver();
    const { host, root, circle } = breathHost();
    const still = circle();
    expect(io.watched.has(still)).toBe(true);
    io.show(still, true);
    expect(still.classList.contains('sf-in-view')).toBe(true);
    io.show(still, false);
    expect(still.classList.contains('sf-in-view')).toBe(false);
    // A recount that rebuilds the copy watches the new circle, not the old one.
    recountFrameHost(host, 0);
    expect(io.watched.has(still)).toBe(false);
    expect(io.watched.has(circle())).toBe(true);
    // The first click brings the live frame: its own circle is watched, the copy's is not.
    const copy = circle();
    const why = root.querySelector('button.sf-link') as HTMLButtonElement;
    allowReplay(why); // as if the click guard had seen the reader's own click
    act(() => why.click());
    expect(circle()).not.toBe(copy);
    expect(io.watched.has(copy)).toBe(false);
    expect(io.watched.has(circle())).toBe(true);
    act(() => destroyFrameHost(host));
    expect(io.watched.size).toBe(0);
  });

  it('with reduced motion it is never animated or watched', () => {
    const io = fakeObserver();
    const { host, circle } = breathHost(true);
    expect(circle().classList.contains('sf-animate')).toBe(false);
    expect(io.watched.size).toBe(0);
    destroyFrameHost(host);
  });

  it('a frame removed while still stops watching its circle', () => {
    const io = fakeObserver();
    const { host } = breathHost();
    expect(io.watched.size).toBe(1);
    destroyFrameHost(host);
    expect(io.watched.size).toBe(0);
  });
});
