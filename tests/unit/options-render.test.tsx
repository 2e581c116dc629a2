import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { installFakeBackground } from './fake-background';
import { route } from '@/utils/background/router';
import { readUserSettings, writeUserSettings } from '@/utils/background/settings-db';
import { DEFAULT_SETTINGS, mergeSettings } from '@/utils/storage/settings';
import { getDB } from '@/utils/storage/db';
import { setLocale } from '@/utils/i18n';
import { OptionsApp } from '@/components/options/OptionsApp';
import { PopupApp } from '@/components/popup/Popup';
import type { ActiveSite } from '@/utils/feeds/site-key';

/**
 * The pages against the real background: every message goes through the router (validation,
 * sender check) and the handlers, with settings in (fake) IndexedDB.
 */
function installBackground(activeSite: ActiveSite = { siteKey: null, host: null, registered: false }, page = 'options.html') {
  installFakeBackground((msg) => {
    if (msg?.type === 'popup/active-site') return Promise.resolve({ ok: true, data: activeSite });
    return route(msg, { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL(`/${page}` as never) } as never);
  });
}

let root: HTMLElement;

/** Sets the hash and lets happy-dom deliver its (asynchronous) hashchange before the page renders. */
async function goto(hash: string) {
  location.hash = hash;
  await new Promise((r) => setTimeout(r, 20));
}

beforeEach(async () => {
  root = document.createElement('div');
  document.body.append(root);
  setLocale('en');
  await goto('');
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ version: '9.8.7', manifest_version: 3, name: 'Stillframe' } as never);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

async function until<T>(fn: () => T | null | undefined | false, what = 'condition', timeout = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const $ = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const need = (id: string) => until(() => $(id), id);

function typeInto(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
function commit(el: HTMLInputElement, value: string) {
  typeInto(el, value);
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('options page', () => {
  it('switches a site off through the background and shows it saved', async () => {
    installBackground();
    render(<OptionsApp />, root);
    const toggle = await need('site-toggle-x');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    toggle.click();
    await until(() => $('sites-saved')?.dataset.state === 'saved', 'saved');
    expect((await readUserSettings()).settings.sites.x).toEqual({ enabled: false });
    expect($('site-toggle-x')!.getAttribute('aria-checked')).toBe('false');
  });

  it('sets and clears a per-site every-N override', async () => {
    installBackground();
    render(<OptionsApp />, root);
    const input = (await need('site-every-reddit')) as HTMLInputElement;
    commit(input, '15');
    await until(() => $('sites-saved')?.dataset.state === 'saved', 'saved');
    expect((await readUserSettings()).settings.sites.reddit).toEqual({ enabled: true, everyPosts: 15 });
    commit($('site-every-reddit') as HTMLInputElement, '');
    await until(async () => (await readUserSettings()).settings.sites.reddit?.everyPosts === undefined, 'override removed');
    expect((await readUserSettings()).settings.sites.reddit).toEqual({ enabled: true });
  });

  it('edits the cadence as a draft with a live preview, refuses bad values, and saves', async () => {
    await goto('#cadence');
    installBackground();
    render(<OptionsApp />, root);
    const every = (await need('every-posts')) as HTMLInputElement;
    const save = $('save-cadence') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing changed yet
    typeInto(every, '40');
    await until(() => $('cadence-preview')!.textContent!.includes('40'), 'preview shows 40');
    expect((await readUserSettings()).settings.cadence.everyPosts).toBe(25); // not saved yet
    typeInto(every, '5000');
    await until(() => $('error-everyPosts'), 'range error');
    expect(save.disabled).toBe(true);
    typeInto(every, '40');
    typeInto($('cadence-dailyCap') as HTMLInputElement, '12');
    await until(() => !save.disabled, 'save enabled');
    save.click();
    await until(() => $('cadence-saved')?.dataset.state === 'saved', 'saved');
    const { settings } = await readUserSettings();
    expect(settings.cadence.everyPosts).toBe(40);
    expect(settings.cadence.dailyCap).toBe(12);
    expect($('cadence-preview')!.textContent).toMatch(/40 posts.*at most 12 a day/);
  });

  it('adds quiet hours with weekday checkboxes and times', async () => {
    await goto('#cadence');
    installBackground();
    render(<OptionsApp />, root);
    (await need('schedule-mode-except')).click();
    (await need('add-window')).click();
    await need('window-0');
    ($('window-0-day-0') as HTMLInputElement).click(); // Sunday off
    typeInto($('window-0-start') as HTMLInputElement, '21:30');
    await until(() => $('cadence-preview')!.textContent!.includes('21:30'), 'preview shows the window');
    $('save-cadence')!.click();
    await until(() => $('cadence-saved')?.dataset.state === 'saved', 'saved');
    const { settings } = await readUserSettings();
    expect(settings.schedule).toEqual({ mode: 'except', windows: [{ days: [1, 2, 3, 4, 5, 6], start: '21:30', end: '07:00' }] });
  });

  it('re-renders in Chinese the moment the language is chosen, and saves it', async () => {
    installBackground();
    render(<OptionsApp />, root);
    const select = (await need('locale-select')) as HTMLSelectElement;
    expect($('nav-cadence')!.textContent).toBe('Cadence');
    select.value = 'zh_CN';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => $('nav-cadence')!.textContent === '节奏', 'Chinese nav');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect((await readUserSettings()).settings.locale).toBe('zh_CN');
  });

  it('adds a custom site after the browser grants the permission, and not when refused', async () => {
    installBackground();
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValueOnce(false as never).mockResolvedValueOnce(true as never);
    render(<OptionsApp />, root);
    const input = (await need('custom-origin')) as HTMLInputElement;
    typeInto(input, 'social.example/home');
    await until(() => !($('custom-add') as HTMLButtonElement).disabled, 'add enabled');
    $('custom-add')!.click();
    await need('custom-error');
    expect(request).toHaveBeenCalledWith({ origins: ['https://social.example/*'] });
    expect((await readUserSettings()).settings.customSites).toEqual([]);
    $('custom-add')!.click();
    await need('custom-site-https://social.example');
    // The row shows as soon as the page asked the background to save; the save itself follows.
    for (let i = 0; i < 200 && (await readUserSettings()).settings.customSites.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await readUserSettings()).settings.customSites).toEqual(['https://social.example']);
  });

  it('deletes everything after a confirm step', async () => {
    await goto('#data');
    installBackground();
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { cadence: { everyPosts: 77 }, customSites: ['https://social.example'] }));
    const removed = vi.spyOn(fakeBrowser.permissions, 'remove').mockResolvedValue(true as never);
    const db = await getDB();
    await db.add('events', { ts: Date.now(), type: 'posts', siteKey: 'x', value: 5 });
    render(<OptionsApp />, root);
    (await need('delete-all')).click();
    (await need('delete-all-confirm')).click();
    await need('delete-done');
    expect(await db.count('events')).toBe(0);
    expect(await db.get('settings', 'current')).toBeUndefined();
    expect((await readUserSettings()).settings.cadence.everyPosts).toBe(25);
    expect(removed).toHaveBeenCalledWith({ origins: ['https://social.example/*'] });
  });

  it('shows an empty state in Insights with no data, and numbers with data', async () => {
    await goto('#insights');
    installBackground();
    render(<OptionsApp />, root);
    await need('insights-empty');
    render(null, root);
    const db = await getDB();
    await db.add('events', { ts: Date.now(), type: 'posts', siteKey: 'x', value: 30 });
    await db.add('events', { ts: Date.now(), type: 'frame-shown', siteKey: 'x', value: 30 });
    globalThis.ResizeObserver ??= class { observe() {} disconnect() {} unobserve() {} } as never;
    render(<OptionsApp />, root);
    await until(() => $('insights-total-posts')?.textContent === '30', 'total posts');
    expect($('insights-total-pauses')!.textContent).toBe('1');
  });

  it('shows the version in About', async () => {
    await goto('#about');
    installBackground();
    render(<OptionsApp />, root);
    expect((await need('version')).textContent).toBe('9.8.7');
  });
});

describe('popup', () => {
  it('switches this site off, snoozes it and resumes, and sets the cadence', async () => {
    installBackground({ siteKey: 'reddit', host: 'www.reddit.com', registered: true }, 'popup.html');
    render(<PopupApp />, root);
    expect((await need('site-name')).textContent).toBe('reddit.com');
    expect($('pauses-today')!.textContent).toMatch(/\d|–/);

    $('site-toggle')!.click();
    await until(async () => (await readUserSettings()).settings.sites.reddit?.enabled === false, 'site off');

    $('snooze-1h')!.click();
    const state = await need('snooze-state');
    expect(state.dataset.scope).toBe('site');
    expect(state.textContent).toMatch(/Snoozed on this site until \d\d:\d\d/);
    $('snooze-resume')!.click();
    await until(() => !$('snooze-state') && $('snooze-15m'), 'resumed');

    ($('snooze-everywhere') as HTMLInputElement).click();
    await until(() => ($('snooze-everywhere') as HTMLInputElement).checked, 'checked');
    $('snooze-today')!.click();
    expect((await need('snooze-state')).dataset.scope).toBe('all');

    $('cadence-preset-50')!.click();
    await until(async () => (await readUserSettings()).settings.cadence.everyPosts === 50, 'cadence 50');
    await until(() => ($('cadence-input') as HTMLInputElement).value === '50', 'input shows 50');
  });

  it('says when Stillframe is not active on the page and still offers a global snooze', async () => {
    installBackground({ siteKey: null, host: 'example.org', registered: false }, 'popup.html');
    render(<PopupApp />, root);
    expect((await need('not-active')).textContent).toMatch(/isn’t active on this page/);
    expect($('site-toggle')).toBeNull();
    expect($('snooze-everywhere')).toBeNull();
    $('snooze-15m')!.click();
    expect((await need('snooze-state')).dataset.scope).toBe('all');
  });
});
