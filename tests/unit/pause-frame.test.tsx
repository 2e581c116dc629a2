import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PauseFrame, type PauseFrameProps } from '@/components/frame/PauseFrame';
import { pauseFrameCss } from '@/components/frame/pause-frame-styles';
import type { FramePayload } from '@/utils/frames/types';
import { getCuratedPayload } from '@/utils/frames/library';
import { setLocale } from '@/utils/i18n';

const words: FramePayload = {
  kind: 'words',
  id: 'words:en:99',
  collectionId: 'words',
  lang: 'en',
  text: 'A line with <b>bold</b> markup\n<img src=x onerror=alert(1)>',
  author: 'Someone <i>',
  work: 'A <script> work',
  attribution: 'Public domain',
};

let container: HTMLElement;

function mount(overrides: Partial<PauseFrameProps> = {}) {
  const props: PauseFrameProps = {
    frame: words,
    postsSince: 25,
    breakMinutes: 15,
    onAction: vi.fn(),
    onWhy: vi.fn(),
    onFewerPauses: vi.fn(async () => null),
    scheme: 'light',
    reducedMotion: false,
    ...overrides,
  };
  act(() => render(<PauseFrame {...props} />, container));
  return props;
}

/**
 * What the frame shows. Its text is CSS generated content from `data-sf-text` attributes, never
 * a text node (components/frame/Text.tsx: the page's window.find() cannot search it).
 */
const shown = (el: Element | null) => [...(el?.querySelectorAll('[data-sf-text]') ?? [])].map((e) => e.getAttribute('data-sf-text')).join('');

const button = (label: string) => {
  const b = [...container.querySelectorAll('button')].find((x) => shown(x) === label && x.getAttribute('aria-label') === label);
  if (!b) throw new Error(`no button "${label}"`);
  return b;
};
const click = (el: HTMLElement) => act(() => el.click());

beforeEach(() => {
  setLocale('en');
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

describe('PauseFrame', () => {
  it('shows words as text, never as markup', () => {
    mount();
    const quote = container.querySelector('blockquote')!;
    expect(shown(quote)).toContain('A line with <b>bold</b> markup');
    expect(shown(quote)).toContain('<img src=x onerror=alert(1)>');
    expect(container.querySelector('b, img, script, i')).toBeNull();
    expect(container.querySelectorAll('.sf-line')).toHaveLength(2);
    expect(shown(container.querySelector('figcaption'))).toBe('— Someone <i>, A <script> work');
  });

  it('shows the attribution and the posts since the last pause', () => {
    mount();
    expect(shown(container)).toContain('Public domain');
    expect(shown(container)).toContain('25 posts since your last pause');
    mount({ postsSince: 1 });
    expect(shown(container)).toContain('1 post since your last pause');
    mount({ postsSince: 0 });
    expect(shown(container)).not.toContain('since your last pause');
  });

  it('says "first pause today" instead of counting from a pause that was not today', () => {
    mount({ postsSince: 140, firstToday: true });
    expect(shown(container)).toContain('Your first pause today.');
    expect(shown(container)).not.toContain('since your last pause');
  });

  it('is a labelled landmark with real buttons and does not take focus', () => {
    const before = document.activeElement;
    mount();
    const root = container.firstElementChild!;
    expect(root.getAttribute('role')).toBe('complementary');
    expect(root.getAttribute('aria-label')).toBe('A pause');
    const buttons = [...container.querySelectorAll('button')];
    expect(buttons.map((b) => shown(b))).toEqual(['Continue', 'Take a 15-minute break', 'Why am I seeing this?', 'Fewer like this one', 'Fewer pauses']);
    expect(buttons.every((b) => b.type === 'button' && !b.hasAttribute('autofocus'))).toBe(true);
    expect(document.activeElement).toBe(before);
  });

  it('reports Continue and the break to onAction; the break button says how long', () => {
    const props = mount({ breakMinutes: 60 });
    click(button('Continue'));
    click(button('Take a 1-hour break'));
    expect(props.onAction).toHaveBeenNthCalledWith(1, 'continue');
    expect(props.onAction).toHaveBeenNthCalledWith(2, 'break');
    mount({ breakMinutes: 30 });
    expect(button('Take a 30-minute break')).toBeTruthy();
  });

  it('"Fewer like this one" folds the frame into a line that says what it did, and keeps focus with it', () => {
    const props = mount();
    click(button('Fewer like this one'));
    expect(props.onAction).toHaveBeenCalledWith('fewer');
    expect(container.querySelector('blockquote')).toBeNull();
    const note = container.querySelector('.sf-note') as HTMLElement;
    expect(shown(note)).toBe('Noted: this one will come back less often.');
    expect(document.activeElement).toBe(note);
  });

  it('"Fewer pauses" says what changed, in numbers, or why nothing did', async () => {
    const onFewerPauses = vi.fn(async () => ({ changed: true as const, scope: 'global' as const, unit: 'posts' as const, from: 25, to: 40 }));
    mount({ onFewerPauses });
    await act(async () => button('Fewer pauses').click());
    expect(onFewerPauses).toHaveBeenCalledTimes(1);
    expect(shown(container.querySelector('[role="status"]'))).toContain('pauses now come about every 40 posts (it was 25)');
    mount({ onFewerPauses: async () => ({ changed: false as const, reason: 'study' as const }) });
    await act(async () => button('Fewer pauses').click());
    expect(shown(container.querySelector('[role="status"]'))).toContain('While the study runs');
  });

  it('"Why am I seeing this?" goes to the settings', () => {
    const props = mount();
    click(button('Why am I seeing this?'));
    expect(props.onWhy).toHaveBeenCalledTimes(1);
  });

  it('shows the person’s own words as text, with where they are from', () => {
    mount({
      frame: { kind: 'text', id: 'user:t', collectionId: 'user-collection:x', attribution: '', text: 'Slow down.\n<b>Breathe</b>', source: 'My grandmother' },
    });
    const quote = container.querySelector('blockquote')!;
    expect(shown(quote)).toBe('Slow down.<b>Breathe</b>');
    expect(container.querySelector('b')).toBeNull();
    expect(shown(container.querySelector('figcaption'))).toBe('— My grandmother');
  });

  it('speaks Chinese when the UI locale is zh_CN', () => {
    setLocale('zh_CN');
    mount({ frame: getCuratedPayload('words:zh:01', 'zh_CN')! });
    expect(shown(container)).toContain('距上次暂停，你又刷过了 25 条帖子');
    expect(container.querySelector('figure')!.getAttribute('lang')).toBe('zh-CN');
    expect(shown(container.querySelector('figcaption'))).toBe('— 李白《静夜思》');
    expect(button('继续浏览')).toBeTruthy();
    expect(button('休息 15 分钟')).toBeTruthy();
  });

  it('draws a composition as SVG elements in the page scheme', () => {
    mount({ frame: getCuratedPayload('composition:007', 'en')!, scheme: 'dark' });
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('viewBox')).toBe('0 0 400 250');
    expect(svg.querySelectorAll('rect, circle, line, path, polygon').length).toBeGreaterThan(2);
    expect(container.firstElementChild!.classList.contains('sf-dark')).toBe(true);
    expect(shown(container)).toContain('Stillframe generative composition #7 · CC0');
    expect(container.innerHTML).not.toContain('data:');
  });

  it('animates the breath cue only without reduced motion', () => {
    const frame = getCuratedPayload('breath:01', 'en')!;
    mount({ frame });
    expect(container.querySelector('.sf-breath-circle')!.classList.contains('sf-animate')).toBe(true);
    expect(shown(container)).toContain('Breathe in for four… and out for six.');
    mount({ frame, reducedMotion: true });
    expect(container.querySelector('.sf-breath-circle')!.classList.contains('sf-animate')).toBe(false);
  });

  it('shows a question', () => {
    mount({ frame: getCuratedPayload('question:02', 'en')! });
    expect(shown(container.querySelector('.sf-question'))).toBe('How do you feel right now?');
  });

  it('draws a user image into a canvas sized up front, and says so when it cannot', async () => {
    const frame: FramePayload = {
      kind: 'image',
      id: 'user:1',
      collectionId: 'user:holiday',
      caption: 'Harbour <b>',
      mime: 'image/png',
      width: 320,
      height: 200,
      dataB64: btoa('\x89PNG\r\n\x1a\n'),
      attribution: 'You',
    };
    await act(async () =>
      render(
        <PauseFrame
          frame={frame}
          postsSince={3}
          breakMinutes={15}
          onAction={() => {}}
          onWhy={() => {}}
          onFewerPauses={async () => null}
          scheme="light"
          reducedMotion
        />,
        container,
      ),
    );
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    const canvas = container.querySelector('canvas')!;
    expect(canvas.getAttribute('width')).toBe('320');
    expect(canvas.getAttribute('height')).toBe('200');
    expect(canvas.getAttribute('aria-label')).toBe('Image: Harbour <b>');
    expect(container.querySelector('img, b')).toBeNull();
    // happy-dom cannot decode images: the frame falls back to a calm message, not an exception.
    expect(shown(container)).toContain('This image could not be shown.');
  });
});

describe('text the page cannot search', () => {
  const sample = {
    prompt: { questionId: 'q', question: 'How calm do you feel?', min: 1, max: 5, minLabel: 'not at all', maxLabel: 'very' },
    onAnswer: vi.fn(),
  };
  const textNodes = () => {
    const out: string[] = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeValue!.trim()) out.push(n.nodeValue!);
    return out;
  };

  it('renders no text node in any kind of frame, with or without a study question', async () => {
    const image: FramePayload = {
      kind: 'image',
      id: 'user:1',
      collectionId: 'user-collection:1',
      caption: 'A private caption',
      mime: 'image/png',
      width: 10,
      height: 10,
      dataB64: '',
      attribution: '',
    };
    const own: FramePayload = { kind: 'text', id: 'user:t', collectionId: 'user-collection:x', attribution: '', text: 'My own words', source: 'Me' };
    const frames = [
      words,
      getCuratedPayload('words:zh:01', 'zh_CN')!,
      getCuratedPayload('composition:007', 'en')!,
      getCuratedPayload('breath:01', 'en')!,
      getCuratedPayload('question:02', 'en')!,
      image,
      own,
    ];
    for (const frame of frames) {
      act(() => render(null, container));
      mount({ frame, sample });
      await act(async () => button('Fewer pauses').click());
      expect(textNodes(), frame.id).toEqual([]);
      click(button('Fewer like this one'));
      expect(textNodes(), `${frame.id}, folded`).toEqual([]);
    }
    act(() => render(null, container));
    mount({ frame: image, sample });
    expect(shown(container)).toContain('A private caption');
    expect(shown(container)).toContain('How calm do you feel?');
    mount({ frame: own });
    expect(shown(container)).toContain('My own words');
  });

  it('draws every piece of text from an attribute with the generated-content rule; buttons are named for every tool', () => {
    expect(pauseFrameCss).toMatch(/\.sf-t::before\s*\{\s*content:\s*attr\(data-sf-text\)/);
    mount({ sample });
    const labels = [...container.querySelectorAll('[data-sf-text]')];
    expect(labels.length).toBeGreaterThan(5);
    expect(labels.every((el) => el.classList.contains('sf-t'))).toBe(true);
    for (const b of container.querySelectorAll('button')) expect(b.getAttribute('aria-label'), shown(b)).toBe(shown(b));
  });
});

describe('pauseFrameCss', () => {
  it('is self-contained: scoped to :host and its own classes', () => {
    expect(pauseFrameCss).toContain(':host');
    expect(pauseFrameCss).toContain('prefers-reduced-motion');
    expect(pauseFrameCss).not.toMatch(/(^|[}\s])(html|body|\*)\s*\{/);
    expect(pauseFrameCss).not.toMatch(/url\(|@import/);
  });
});
