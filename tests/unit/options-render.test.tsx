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

const $ = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const need = (id: string) => until(() => $(id), id);

function typeInto(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
/** Types and leaves the field, as a person does: number fields check and save on leaving (or Enter). */
function commit(el: HTMLInputElement, value: string) {
  typeInto(el, value);
  el.dispatchEvent(new Event('blur'));
}

describe('options page', () => {
  it('switches a site off through the background and shows it saved', async () => {
    installBackground();
    render(<OptionsApp />, root);
    const toggle = await need('site-toggle-x');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    toggle.click();
    // "Saved" in that site's own row, not somewhere else on the page.
    await until(() => $('site-saved-x')?.dataset.state === 'saved', 'saved');
    expect($('site-saved-reddit')!.dataset.state).toBe('idle');
    expect((await readUserSettings()).settings.sites.x).toEqual({ enabled: false });
    expect($('site-toggle-x')!.getAttribute('aria-checked')).toBe('false');
  });

  it('sets and clears a per-site every-N override', async () => {
    installBackground();
    render(<OptionsApp />, root);
    const input = (await need('site-every-reddit')) as HTMLInputElement;
    commit(input, '15');
    await until(() => $('site-saved-reddit')?.dataset.state === 'saved', 'saved');
    expect((await readUserSettings()).settings.sites.reddit).toEqual({ enabled: true, everyPosts: 15 });
    commit($('site-every-reddit') as HTMLInputElement, '');
    await until(async () => (await readUserSettings()).settings.sites.reddit?.everyPosts === undefined, 'override removed');
    expect((await readUserSettings()).settings.sites.reddit).toEqual({ enabled: true });
  });

  it('saves each cadence field on its own; a value it cannot take is named, kept as typed and not saved', async () => {
    await goto('#cadence');
    installBackground();
    render(<OptionsApp />, root);
    const every = (await need('every-posts')) as HTMLInputElement;
    commit(every, '-3');
    // Not clamped to 0 (which would turn pauses off): named next to the field, left as typed, not saved.
    expect((await need('error-everyPosts')).textContent).toBe('-3 is outside 0–1000, so it was not saved.');
    expect(every.value).toBe('-3');
    expect(every.getAttribute('aria-invalid')).toBe('true');
    expect((await readUserSettings()).settings.cadence.everyPosts).toBe(25);
    commit(every, '12.5');
    await until(() => $('error-everyPosts')?.textContent === '12.5 is not a whole number, so it was not saved.', 'whole-number error');
    commit(every, '40');
    await until(() => $('saved-everyPosts')?.dataset.state === 'saved', 'saved');
    expect($('error-everyPosts')).toBeNull();
    commit($('cadence-dailyCap') as HTMLInputElement, '12');
    await until(() => $('saved-dailyCap')?.dataset.state === 'saved', 'cap saved');
    const { settings } = await readUserSettings();
    expect(settings.cadence.everyPosts).toBe(40);
    expect(settings.cadence.dailyCap).toBe(12);
    expect($('cadence-preview')!.textContent).toMatch(/40 posts.*at most 12 a day/);
  });

  it('adds quiet hours with weekday checkboxes and times, each change saved once the row is complete', async () => {
    await goto('#cadence');
    installBackground();
    render(<OptionsApp />, root);
    (await need('schedule-mode-except')).click();
    await until(async () => (await readUserSettings()).settings.schedule.mode === 'except', 'mode saved');
    (await need('add-window')).click();
    await need('window-0');
    ($('window-0-day-0') as HTMLInputElement).click(); // Sunday off
    const start = $('window-0-start') as HTMLInputElement;
    start.value = '21:30';
    start.dispatchEvent(new Event('change', { bubbles: true }));
    // In the reader's clock (happy-dom speaks en-US: 9:30 PM).
    await until(() => /21:30|9:30\sPM/.test($('cadence-preview')!.textContent!), 'preview shows the window');
    await until(async () => (await readUserSettings()).settings.schedule.windows[0]?.start === '21:30', 'saved');
    expect((await readUserSettings()).settings.schedule).toEqual({ mode: 'except', windows: [{ days: [1, 2, 3, 4, 5, 6], start: '21:30', end: '07:00' }] });
    // A row without a day is named and waits; what was saved stays.
    for (const d of [1, 2, 3, 4, 5, 6]) ($(`window-0-day-${d}`) as HTMLInputElement).click();
    expect((await need('window-0-error')).textContent).toContain('Choose at least one day');
    await until(async () => (await readUserSettings()).settings.schedule.windows[0].days.join() === '6', 'the last complete row');
    await new Promise((r) => setTimeout(r, 100));
    expect((await readUserSettings()).settings.schedule.windows[0].days).toEqual([6]);
  });

  it('saves a break length and switches the stopping point on', async () => {
    await goto('#cadence');
    installBackground();
    render(<OptionsApp />, root);
    commit((await need('break-minutes')) as HTMLInputElement, '30');
    await until(() => $('break-saved')?.dataset.state === 'saved', 'break saved');
    commit($('break-minutes') as HTMLInputElement, '1000');
    await need('break-minutes-error');
    ($('stop-enabled') as HTMLElement).click();
    await until(() => $('stop-saved')?.dataset.state === 'saved', 'stop saved');
    const { settings } = await readUserSettings();
    expect(settings.breakMinutes).toBe(30);
    expect(settings.stoppingPoint).toEqual({ enabled: true, posts: 300 });
  });

  it('re-renders in Chinese the moment the language is chosen, and saves it', async () => {
    installBackground();
    render(<OptionsApp />, root);
    const select = (await need('locale-select')) as HTMLSelectElement;
    expect($('nav-cadence')!.textContent).toBe('How often');
    select.value = 'zh_CN';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => $('nav-cadence')!.textContent === '频率', 'Chinese nav');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect((await readUserSettings()).settings.locale).toBe('zh_CN');
  });

  it('adds a custom site after the browser grants the permission, and not when refused', async () => {
    installBackground();
    const request = vi
      .spyOn(fakeBrowser.permissions, 'request')
      .mockResolvedValueOnce(false as never)
      .mockResolvedValueOnce(true as never);
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
    globalThis.ResizeObserver ??= class {
      observe() {}
      disconnect() {}
      unobserve() {}
    } as never;
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
  it('snoozes this site and resumes, sets the cadence, and with the site off offers no snooze at all', async () => {
    installBackground({ siteKey: 'reddit', host: 'www.reddit.com', registered: true }, 'popup.html');
    render(<PopupApp />, root);
    expect((await need('site-name')).textContent).toBe('reddit.com');
    expect($('pauses-today')!.textContent).toMatch(/\d|–/);

    $('snooze-1h')!.click();
    const state = await need('snooze-state');
    expect(state.dataset.scope).toBe('site');
    // After 23:00 the hour ends tomorrow: the time comes with its weekday ("Wed 12:07 AM").
    expect(state.textContent).toMatch(/Pauses snoozed on this site until (?:[A-Z][a-z]{2} )?\d{1,2}:\d\d/);
    $('snooze-resume')!.click();
    await until(() => !$('snooze-state') && $('snooze-15m'), 'resumed');

    ($('snooze-everywhere') as HTMLInputElement).click();
    await until(() => ($('snooze-everywhere') as HTMLInputElement).checked, 'checked');
    $('snooze-today')!.click();
    expect((await need('snooze-state')).dataset.scope).toBe('all');
    $('snooze-resume')!.click();
    await until(() => $('snooze-indefinite'), 'resumed');

    $('cadence-preset-50')!.click();
    await until(async () => (await readUserSettings()).settings.cadence.everyPosts === 50, 'cadence 50');
    await until(() => ($('cadence-input') as HTMLInputElement).value === '50', 'input shows 50');

    $('site-toggle')!.click();
    await until(async () => (await readUserSettings()).settings.sites.reddit?.enabled === false, 'site off');
    // Off here: nothing to snooze or to pace, so the popup does not offer it.
    await until(() => !$('snooze-card'), 'no snooze card');
    expect($('site-status')!.textContent).toBe('Pauses are off on this site');
  });

  it('snoozes for a length of your own, and "until I turn them back on"', async () => {
    installBackground({ siteKey: 'reddit', host: 'www.reddit.com', registered: true }, 'popup.html');
    render(<PopupApp />, root);
    const minutes = (await need('snooze-minutes')) as HTMLInputElement;
    commit(minutes, '0');
    expect((await need('snooze-minutes-error')).textContent).toBe('0 is outside 1–10080, so it was not saved.');
    expect(($('snooze-own') as HTMLButtonElement).disabled).toBe(true);
    commit(minutes, '90');
    await until(() => !($('snooze-own') as HTMLButtonElement).disabled, 'enabled');
    const t0 = Date.now();
    $('snooze-own')!.click();
    await need('snooze-state');
    const status: any = await route({ type: 'status/get', siteKey: 'reddit' }, {
      id: fakeBrowser.runtime.id,
      url: fakeBrowser.runtime.getURL('/popup.html' as never),
    } as never);
    expect(status.data.snoozedUntil).toBeGreaterThanOrEqual(t0 + 90 * 60_000);
    expect(status.data.snoozedUntil).toBeLessThan(t0 + 91 * 60_000);
    $('snooze-resume')!.click();
    (await need('snooze-indefinite')).click();
    expect((await need('snooze-state')).textContent).toBe('Pauses snoozed on this site until you turn them back onTurn pauses back on');
  });

  it('never draws the site switch on while Stillframe is off everywhere', async () => {
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { enabled: false }));
    installBackground({ siteKey: 'reddit', host: 'www.reddit.com', registered: true }, 'popup.html');
    render(<PopupApp />, root);
    await need('global-off');
    const toggle = await need('site-toggle');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect((toggle as HTMLButtonElement).disabled).toBe(true);
    expect($('site-status')!.textContent).toBe('Off, because Stillframe is off everywhere');
    expect($('snooze-card')).toBeNull();
  });

  it('says when Stillframe is not on for the page and still offers a snooze everywhere', async () => {
    installBackground({ siteKey: null, host: null, registered: false }, 'popup.html');
    render(<PopupApp />, root);
    expect((await need('not-active')).textContent).toMatch(/Stillframe is not on for this page/);
    expect($('add-site')).toBeNull();
    expect($('site-toggle')).toBeNull();
    expect($('snooze-everywhere')).toBeNull();
    $('snooze-15m')!.click();
    expect((await need('snooze-state')).dataset.scope).toBe('all');
  });

  it('offers "Add this site" on a page it may see, asks for that site, and switches it on', async () => {
    installBackground({ siteKey: null, host: 'www.example.org', registered: false, addable: 'https://www.example.org' }, 'popup.html');
    const request = vi
      .spyOn(fakeBrowser.permissions, 'request')
      .mockResolvedValueOnce(false as never)
      .mockResolvedValueOnce(true as never);
    render(<PopupApp />, root);
    const add = await need('add-site');
    expect(add.textContent).toBe('Add example.org');
    add.click();
    await need('add-site-error');
    expect(request).toHaveBeenCalledWith({ origins: ['https://www.example.org/*'] });
    expect((await readUserSettings()).settings.customSites).toEqual([]);
    $('add-site')!.click();
    await until(async () => (await readUserSettings()).settings.customSites.includes('https://www.example.org'), 'added');
  });
});

describe('popup during a break', () => {
  it('says the feed is on a break, and until when, instead of "watching"', async () => {
    installBackground({ siteKey: 'demo', host: '127.0.0.1', registered: true }, 'popup.html');
    const tab = { id: fakeBrowser.runtime.id, url: 'http://127.0.0.1/demo.html', tab: { id: 3 } } as never;
    const res: any = await route({ type: 'break/start', siteKey: 'demo', minutes: 30 }, tab);
    expect(res.ok).toBe(true);
    render(<PopupApp />, root);
    await until(() => /^This feed is on a break until (?:[A-Z][a-z]{2} )?\d{1,2}:\d\d/.test($('site-status')?.textContent ?? ''), 'break line');
  });
});
