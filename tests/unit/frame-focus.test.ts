import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextFocusable } from '@/utils/content/focus';

/** happy-dom has no layout: an element "has boxes" unless it or an ancestor is display:none. */
function fakeLayout() {
  vi.spyOn(Element.prototype, 'getClientRects').mockImplementation(function (this: Element) {
    for (let el: Element | null = this; el; el = el.parentElement) if ((el as HTMLElement).style?.display === 'none') return [] as unknown as DOMRectList;
    return [{ x: 0, y: 0, width: 10, height: 10 }] as unknown as DOMRectList;
  });
}

let root: HTMLElement;

beforeEach(() => {
  fakeLayout();
  root = document.createElement('main');
  document.body.append(root);
});

afterEach(() => root.remove());

function feed(html: string): HTMLElement {
  const tpl = document.createElement('template');
  tpl.innerHTML = html; // test fixture markup only
  root.append(tpl.content);
  return root.querySelector('stillframe-pause')!;
}

describe('nextFocusable', () => {
  it('finds the first tabbable element after the frame: the next post’s link', () => {
    const host = feed(`
      <article><a href="/1" id="before">Open post 1</a></article>
      <stillframe-pause></stillframe-pause>
      <article><p>text</p><footer><a href="/2" id="after">Open post 2</a></footer></article>`);
    expect(nextFocusable(host)?.id).toBe('after');
  });

  it('skips what a Tab press would skip: disabled, tabindex=-1, hidden, inert, aria-hidden, hidden inputs, links without href', () => {
    const host = feed(`
      <stillframe-pause></stillframe-pause>
      <article>
        <a id="nohref">not a link</a>
        <button disabled>off</button>
        <span tabindex="-1">no tab</span>
        <input type="hidden" value="x">
        <div style="display:none"><a href="/x">hidden</a></div>
        <div inert><a href="/y">inert</a></div>
        <a href="/z" aria-hidden="true">aria-hidden</a>
        <button id="ok">Like</button>
      </article>`);
    expect(nextFocusable(host)?.id).toBe('ok');
  });

  it('climbs out of the frame’s parent when the frame is the last child there', () => {
    const host = feed(`
      <div class="wrap"><article>1</article><stillframe-pause></stillframe-pause></div>
      <div class="wrap"><article><a href="/2" id="next">Open</a></article></div>`);
    expect(nextFocusable(host)?.id).toBe('next');
  });

  it('gives null when nothing focusable follows', () => {
    const host = feed(`<article><a href="/1">before</a></article><stillframe-pause></stillframe-pause><article>no controls</article>`);
    expect(nextFocusable(host)).toBeNull();
  });
});
