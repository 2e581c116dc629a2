import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { installFakeBackground } from './fake-background';
import { route } from '@/utils/background/router';
import { readUserSettings, writeUserSettings } from '@/utils/background/settings-db';
import { DEFAULT_SETTINGS, mergeSettings } from '@/utils/storage/settings';
import { setLocale } from '@/utils/i18n';
import { OptionsApp } from '@/components/options/OptionsApp';
import { createCollection, listCollections } from '@/utils/frames/user-frames';

/**
 * The Library's "your own frames" part against the real background (router + handlers, settings
 * in fake IndexedDB). Images need a real canvas and Blobs that IndexedDB can clone, so adding
 * images is covered end to end (tests/e2e/frames.spec.ts); here: collections and imports.
 */
function installBackground() {
  installFakeBackground((msg) => route(msg, { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html' as never) } as never));
}

let root: HTMLElement;

beforeEach(async () => {
  root = document.createElement('div');
  document.body.append(root);
  setLocale('en');
  location.hash = '#library';
  await new Promise((r) => setTimeout(r, 20));
});

afterEach(() => {
  render(null, root);
  root.remove();
  location.hash = '';
});

async function until<T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, what = 'condition', timeout = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const $ = (id: string, within: ParentNode = root) => within.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const $$ = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const need = (id: string) => until(() => $(id), id);

function typeInto(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

function chooseFile(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('Library: your own frames', () => {
  it('starts empty, with every control marked for tests', async () => {
    installBackground();
    render(<OptionsApp />, root);
    await need('user-collections-empty');
    for (const id of ['user-frames', 'add-frame', 'add-frame-drop', 'add-frame-file', 'user-collection-new', 'user-collection-import'])
      expect($(id), id).not.toBeNull();
    // Every button and input in the section carries a data-testid.
    const untagged = [...$('user-frames')!.querySelectorAll('button, input, select, textarea')].filter((el) => !el.hasAttribute('data-testid'));
    expect(untagged.map((el) => el.outerHTML)).toEqual([]);
  });

  it('creates and renames a collection, refusing an empty name', async () => {
    installBackground();
    render(<OptionsApp />, root);
    (await need('user-collection-new')).click();
    const name = (await need('user-collection-new-name')) as HTMLInputElement;
    typeInto(name, '   ');
    $('user-collection-new-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await until(() => $('user-collection-new-form')!.textContent!.includes('must not be empty'), 'error');
    typeInto(name, 'Sea');
    $('user-collection-new-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await until(() => $$('user-collection').length === 1, 'collection card');
    expect($('user-collection-name')!.textContent).toContain('Sea');
    expect($('user-collection-name')!.textContent).toContain('0 items');
    expect($('user-frames-notice')!.textContent).toBe('Created “Sea”.');

    $('user-collection-rename')!.click();
    const input = (await need('user-collection-rename-input')) as HTMLInputElement;
    typeInto(input, 'Sea and sky');
    $('user-collection-rename-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await until(() => $('user-collection-name')?.textContent?.includes('Sea and sky'), 'renamed');
    expect((await listCollections()).map((c) => c.name)).toEqual(['Sea and sky']);
  });

  it('switches a collection off through the background (settings.collections[id].enabled)', async () => {
    const c = await createCollection('Mine');
    installBackground();
    render(<OptionsApp />, root);
    const toggle = await need('user-collection-toggle');
    // An empty collection can never be "the last one that shows frames", so it may go off.
    expect((toggle as HTMLButtonElement).disabled).toBe(false);
    toggle.click();
    await until(() => $('user-collection-saved')?.dataset.state === 'saved', 'saved');
    expect((await readUserSettings()).settings.collections[c.id]).toEqual({ enabled: false, weight: 1 });
  });

  it('deletes a collection (after asking) and its settings entry', async () => {
    const c = await createCollection('Gone soon');
    installBackground();
    render(<OptionsApp />, root);
    (await need('user-collection-toggle')).click();
    await until(async () => (await readUserSettings()).settings.collections[c.id]?.enabled === false, 'switched off');
    $('user-collection-delete')!.click();
    (await need('user-collection-delete-confirm')).click();
    await need('user-collections-empty');
    expect(await listCollections()).toEqual([]);
    expect((await readUserSettings()).settings.collections[c.id]).toBeUndefined();
  });

  it('a bad collection file shows field-level errors and changes nothing', async () => {
    await createCollection('Mine');
    installBackground();
    render(<OptionsApp />, root);
    await until(() => $$('user-collection').length === 1, 'card');
    const bad = {
      format: 'stillframe-collection',
      version: 2,
      collection: { id: 'x' },
      frames: [{ id: 'a', caption: 'x'.repeat(281), mime: 'image/gif', width: 0, height: 10, dataB64: '!!' }],
    };
    chooseFile($('user-collection-import') as HTMLInputElement, new File([JSON.stringify(bad)], 'bad.json', { type: 'application/json' }));
    const errors = await need('user-collection-import-errors');
    const items = [...errors.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: must be 1/),
        'collection.name: is missing',
        'frames[0].caption: must be at most 280 characters',
        expect.stringMatching(/^frames\[0\]\.mime: must be image\/webp, image\/jpeg or image\/png/),
        expect.stringMatching(/^frames\[0\]\.width: must be a whole number/),
        'frames[0].dataB64: must be the image bytes in base64',
      ]),
    );
    expect(errors.textContent).toContain('nothing was changed');
    expect((await listCollections()).map((c) => c.name)).toEqual(['Mine']);
    expect($$('user-collection')).toHaveLength(1);

    chooseFile($('user-collection-import') as HTMLInputElement, new File(['not json'], 'x.json', { type: 'application/json' }));
    await until(() => $('user-collection-import-errors')?.textContent?.includes('not valid JSON'), 'json error');
    expect(await listCollections()).toHaveLength(1);
  });

  it('speaks Chinese when the UI is set to Chinese', async () => {
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { locale: 'zh_CN' }));
    installBackground();
    render(<OptionsApp />, root);
    await until(() => $('add-frame')?.textContent?.includes('添加图片'), 'Chinese add form');
    expect($('user-collections-empty')!.textContent).toContain('还没有你自己的合集');
    expect($('user-collection-new')!.textContent).toBe('新建合集');
  });
});
