import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PauseFrame, type PauseFrameProps } from '@/components/frame/PauseFrame';
import { pauseFrameCss } from '@/components/frame/pause-frame-styles';
import type { FramePayload } from '@/utils/frames/types';
import { getCuratedPayload } from '@/utils/frames/library';
import { setLocale } from '@/utils/i18n';

const words: FramePayload = {
  kind: 'words', id: 'words:en:99', collectionId: 'words', lang: 'en',
  text: 'A line with <b>bold</b> markup\n<img src=x onerror=alert(1)>',
  author: 'Someone <i>', work: 'A <script> work', attribution: 'Public domain',
};

let container: HTMLElement;

function mount(overrides: Partial<PauseFrameProps> = {}) {
  const props: PauseFrameProps = {
    frame: words, postsSince: 25, onAction: vi.fn(), onSnooze15: vi.fn(), scheme: 'light', reducedMotion: false, ...overrides,
  };
  act(() => render(<PauseFrame {...props} />, container));
  return props;
}

const button = (label: string) => {
  const b = [...container.querySelectorAll('button')].find((x) => x.textContent === label);
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
    expect(quote.textContent).toContain('A line with <b>bold</b> markup');
    expect(quote.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(container.querySelector('b, img, script, i')).toBeNull();
    expect(container.querySelectorAll('.sf-line')).toHaveLength(2);
    expect(container.querySelector('figcaption')!.textContent).toBe('— Someone <i>, A <script> work');
  });

  it('shows the attribution and the posts since the last pause', () => {
    mount();
    expect(container.textContent).toContain('Public domain');
    expect(container.textContent).toContain('25 posts since your last pause');
    mount({ postsSince: 1 });
    expect(container.textContent).toContain('1 post since your last pause');
    mount({ postsSince: 0 });
    expect(container.textContent).not.toContain('since your last pause');
  });

  it('is a labelled landmark with real buttons and does not take focus', () => {
    const before = document.activeElement;
    mount();
    const root = container.firstElementChild!;
    expect(root.getAttribute('role')).toBe('complementary');
    expect(root.getAttribute('aria-label')).toBe('A pause');
    const buttons = [...container.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Continue', 'Take a break', 'Fewer like this']);
    expect(buttons.every((b) => b.type === 'button' && !b.hasAttribute('autofocus'))).toBe(true);
    expect(document.activeElement).toBe(before);
  });

  it('reports each button to onAction', () => {
    const props = mount();
    click(button('Continue'));
    click(button('Fewer like this'));
    click(button('Take a break'));
    expect(props.onAction).toHaveBeenNthCalledWith(1, 'continue');
    expect(props.onAction).toHaveBeenNthCalledWith(2, 'fewer');
    expect(props.onAction).toHaveBeenNthCalledWith(3, 'break');
    expect(container.textContent).toContain('Noted. You will see fewer like this.');
  });

  it('offers a reflection and a 15-minute snooze after "Take a break"', () => {
    const props = mount();
    expect(container.textContent).not.toContain('Snooze this site');
    click(button('Take a break'));
    click(button('Take a break'));
    expect(props.onAction).toHaveBeenCalledTimes(1);
    expect(container.querySelector('[role="status"]')!.textContent).toContain('Nothing here will be lost');
    click(button('Snooze this site for 15 minutes'));
    expect(props.onSnooze15).toHaveBeenCalledTimes(1);
    const done = button('Snoozed for 15 minutes');
    expect(done.getAttribute('aria-disabled')).toBe('true');
    click(done);
    expect(props.onSnooze15).toHaveBeenCalledTimes(1);
  });

  it('speaks Chinese when the UI locale is zh_CN', () => {
    setLocale('zh_CN');
    mount({ frame: getCuratedPayload('words:zh:01', 'zh_CN')! });
    expect(container.textContent).toContain('距上次停顿已浏览 25 条帖子');
    expect(container.querySelector('figure')!.getAttribute('lang')).toBe('zh-CN');
    expect(container.querySelector('figcaption')!.textContent).toBe('— 李白《静夜思》');
    expect(button('继续')).toBeTruthy();
  });

  it('draws a composition as SVG elements in the page scheme', () => {
    mount({ frame: getCuratedPayload('composition:007', 'en')!, scheme: 'dark' });
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('viewBox')).toBe('0 0 400 250');
    expect(svg.querySelectorAll('rect, circle, line, path, polygon').length).toBeGreaterThan(2);
    expect(container.firstElementChild!.classList.contains('sf-dark')).toBe(true);
    expect(container.textContent).toContain('Stillframe generative composition #7 · CC0');
    expect(container.innerHTML).not.toContain('data:');
  });

  it('animates the breath cue only without reduced motion', () => {
    const frame = getCuratedPayload('breath:01', 'en')!;
    mount({ frame });
    expect(container.querySelector('.sf-breath-circle')!.classList.contains('sf-animate')).toBe(true);
    expect(container.textContent).toContain('Breathe in for four… and out for six.');
    mount({ frame, reducedMotion: true });
    expect(container.querySelector('.sf-breath-circle')!.classList.contains('sf-animate')).toBe(false);
  });

  it('shows a question', () => {
    mount({ frame: getCuratedPayload('question:02', 'en')! });
    expect(container.querySelector('.sf-question')!.textContent).toBe('How do you feel right now?');
  });

  it('draws a user image into a canvas sized up front, and says so when it cannot', async () => {
    const frame: FramePayload = {
      kind: 'image', id: 'user:1', collectionId: 'user:holiday', caption: 'Harbour <b>', mime: 'image/png',
      width: 320, height: 200, dataB64: btoa('\x89PNG\r\n\x1a\n'), attribution: 'You',
    };
    await act(async () => render(<PauseFrame frame={frame} postsSince={3} onAction={() => {}} onSnooze15={() => {}} scheme="light" reducedMotion />, container));
    await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
    const canvas = container.querySelector('canvas')!;
    expect(canvas.getAttribute('width')).toBe('320');
    expect(canvas.getAttribute('height')).toBe('200');
    expect(canvas.getAttribute('aria-label')).toBe('Image: Harbour <b>');
    expect(container.querySelector('img, b')).toBeNull();
    // happy-dom cannot decode images: the frame falls back to a calm message, not an exception.
    expect(container.textContent).toContain('This image could not be shown.');
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
