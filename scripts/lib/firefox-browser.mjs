// Runs a stock Firefox with the extension installed, driven over WebDriver BiDi by
// puppeteer-core (Playwright's Firefox is a patched build that cannot be downloaded here).
// The counterpart of extension-browser.mjs for the Firefox suite (tests/e2e/firefox.spec.ts).
import puppeteer from 'puppeteer-core';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GECKO_ID = 'stillframe@stillframe.app';

/**
 * Evaluates `fn(arg)` in the page until it is truthy. (puppeteer's waitForFunction compiles its
 * predicate with `new Function`, which Firefox refuses in privileged pages like about:debugging.)
 * @template T
 * @param {import('puppeteer-core').Page} page
 * @param {(arg: T) => unknown} fn
 * @param {T} arg
 * @param {string} what
 * @param {number} [timeoutMs]
 */
export async function poll(page, fn, arg, what, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await page.evaluate(fn, arg).catch(() => false);
    if (ok) return ok;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class FirefoxExtension {
  /** @param {{ executablePath: string, extensionDir: string, viewport?: {width:number,height:number} }} opts */
  constructor(opts) {
    this.executablePath = opts.executablePath;
    this.extensionDir = opts.extensionDir;
    this.viewport = opts.viewport ?? { width: 1000, height: 800 };
    // Firefox gives each add-on a random moz-extension:// host per profile; we choose it up front.
    this.uuid = randomUUID();
    this.downloadDir = mkdtempSync(join(tmpdir(), 'stillframe-ff-downloads-'));
    /** @type {import('puppeteer-core').Browser | null} */
    this.browser = null;
    /** Fixture HTML per origin, served to every page this browser opens (see `serve`). */
    this.sites = new Map();
  }

  async launch() {
    this.browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: this.executablePath,
      headless: true,
      // Lets BiDi open moz-extension:// pages (popup, options) and about:debugging, as a person
      // would type them; web pages get no more rights than usual.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: this.uuid }),
        // Downloads (the study export) land in a folder of ours without a dialog.
        'browser.download.folderList': 2,
        'browser.download.dir': this.downloadDir,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.helperApps.neverAsk.saveToDisk': 'application/zip,application/octet-stream',
        'browser.download.start_downloads_in_tmp_dir': false,
      },
    });
    const id = await this.browser.installExtension(this.extensionDir);
    if (id !== GECKO_ID) throw new Error(`installed ${id}, expected ${GECKO_ID}`);
    return this;
  }

  url(path) {
    return `moz-extension://${this.uuid}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /**
   * Serves `html` for every document on `origin` (e.g. https://www.reddit.com) in pages opened
   * through `newPage`, so the manifest's matches apply as on the real site; nothing else loads.
   */
  serve(origin, html) {
    this.sites.set(origin, html);
  }

  /** A new tab whose requests to served origins get their fixture, and any other web request a 404. */
  async newPage() {
    const page = await this.browser.newPage();
    await page.setViewport(this.viewport);
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return req.continue();
      const html = this.sites.get(url.origin);
      // Pages (no file extension, or .html) get the fixture; anything else the site would load, nothing.
      // (BiDi has no resource type to ask, unlike the Chromium suite's route.)
      if (html !== undefined && (url.pathname.endsWith('.html') || !url.pathname.split('/').pop()?.includes('.'))) {
        return req.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return req.respond({ status: 404, contentType: 'text/plain', body: '' });
    });
    return page;
  }

  /** Opens a served feed at its real URL. */
  async openFeed(url) {
    const page = await this.newPage();
    await page.goto(url);
    return page;
  }

  /** Opens an extension page (popup, options) in a tab. */
  async openExtensionPage(path) {
    const page = await this.browser.newPage();
    await page.setViewport({ width: 1000, height: 800 });
    await this.goto(page, this.url(path));
    return page;
  }

  /** Navigates a tab to an extension page or about: page and waits for its document. */
  async goto(page, url) {
    // Not awaited: BiDi's navigation into the extension's process never reports "load".
    void page.goto(url, { timeout: 60000 }).catch(() => {});
    await poll(page, (u) => location.href === u && document.readyState === 'complete', url, `${url} to load`);
  }

  /** Sends a typed message to the background from an extension page and returns its data. */
  async send(page, msg) {
    return page.evaluate(async (m) => {
      const res = await globalThis.browser.runtime.sendMessage(m);
      if (!res?.ok) throw new Error(res?.error ?? 'no answer');
      return res.data;
    }, msg);
  }

  /**
   * Our background's status in about:debugging ("Running" / "Stopped"); with `terminate`, first
   * presses its "Terminate background script" button — what Firefox does by itself to an idle
   * event page, on demand.
   */
  async backgroundStatus({ terminate = false } = {}) {
    const page = await this.browser.newPage();
    try {
      await this.goto(page, 'about:debugging#/runtime/this-firefox');
      // Our add-on's card and its status ("Running" / "Stopped").
      const status = (id) => {
        const li = [...document.querySelectorAll('li.qa-debug-target-item')].find((el) => el.textContent?.includes(id));
        return li?.querySelector('.qa-extension-backgroundscript-status')?.textContent?.trim() ?? null;
      };
      await poll(page, status, GECKO_ID, "Stillframe's background status in about:debugging");
      if (terminate) {
        const clicked = await page.evaluate((id) => {
          const li = [...document.querySelectorAll('li.qa-debug-target-item')].find((el) => el.textContent?.includes(id));
          const btn = li?.querySelector('.qa-temporary-extension-terminate-bgscript-button');
          btn?.click();
          return !!btn;
        }, GECKO_ID);
        if (!clicked) throw new Error('about:debugging shows no "Terminate background script" button for Stillframe');
        await poll(
          page,
          (id) => {
            const li = [...document.querySelectorAll('li.qa-debug-target-item')].find((el) => el.textContent?.includes(id));
            return /stopped/i.test(li?.querySelector('.qa-extension-backgroundscript-status')?.textContent ?? '');
          },
          GECKO_ID,
          'the background to stop',
        );
      }
      return await page.evaluate(status, GECKO_ID);
    } finally {
      await page.close();
    }
  }

  async close() {
    await this.browser?.close().catch(() => {});
    this.browser = null;
    rmSync(this.downloadDir, { recursive: true, force: true });
  }
}
