// Launches Chromium with the built extension loaded, the way the stores' users run it,
// and exposes the few things tests, the demo and the benchmark need from the outside.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBrowser } from '../find-browser.mjs';

// STILLFRAME_EXTENSION_DIR lets a run use its own build (two builds must not share .output/).
export const DEFAULT_EXTENSION_DIR = resolve(process.env.STILLFRAME_EXTENSION_DIR || '.output/chrome-mv3');

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter',
];

export class ExtensionBrowser {
  /** @param {{ extensionDir?: string|null, headless?: boolean, profileDir?: string, viewport?: {width:number,height:number}, extraArgs?: string[], keepWelcome?: boolean }} opts */
  constructor(opts = {}) {
    this.extensionDir = opts.extensionDir === undefined ? DEFAULT_EXTENSION_DIR : opts.extensionDir;
    this.headless = opts.headless ?? true;
    this.ownsProfile = !opts.profileDir;
    this.profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'stillframe-profile-'));
    this.viewport = opts.viewport ?? { width: 1000, height: 800 };
    this.extraArgs = opts.extraArgs ?? [];
    // A fresh install opens the welcome page in a tab of its own; runs that are not about it close it.
    this.keepWelcome = opts.keepWelcome ?? false;
    this.launches = 0;
    /** @type {import('playwright-core').BrowserContext | null} */
    this.context = null;
    this.extensionId = null;
  }

  async launch() {
    if (this.extensionDir && !existsSync(join(this.extensionDir, 'manifest.json'))) {
      throw new Error(`No built extension at ${this.extensionDir}: run \`npm run build\` first.`);
    }
    const args = [...BASE_ARGS, ...this.extraArgs];
    if (this.extensionDir) args.push(`--disable-extensions-except=${this.extensionDir}`, `--load-extension=${this.extensionDir}`);
    this.context = await chromium.launchPersistentContext(this.profileDir, {
      executablePath: ensureBrowser(),
      headless: this.headless,
      args,
      viewport: this.viewport,
    });
    // Any unpacked extension may be loaded (npm run bench -- --compare DIR): one without a
    // service worker has no id to learn this way, and nothing to wait for.
    if (this.extensionDir && hasServiceWorker(this.extensionDir)) {
      let [sw] = this.context.serviceWorkers();
      if (!sw) sw = await this.context.waitForEvent('serviceworker', { timeout: 15000 });
      this.extensionId = new URL(sw.url()).host;
      if (this.launches === 0 && this.ownsProfile && !this.keepWelcome) await this.closeWelcome();
    }
    this.launches++;
    return this;
  }

  /** The welcome page of a first install, once it has opened (null if it did not within `timeout` ms). */
  async welcomePage(timeout = 8000) {
    const url = this.url('/welcome.html');
    const start = Date.now();
    while (Date.now() - start < timeout) {
      const page = this.context.pages().find((p) => p.url().startsWith(url));
      if (page) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }

  async closeWelcome() {
    const page = await this.welcomePage();
    await page?.close();
  }

  /** The extension's service worker (restarting it if it was stopped). */
  async serviceWorker() {
    const ctx = this.context;
    const live = ctx.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${this.extensionId}/`));
    if (live) return live;
    const page = await ctx.newPage();
    await page.goto(this.url('/popup.html'));
    const sw =
      ctx.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${this.extensionId}/`)) ??
      (await ctx.waitForEvent('serviceworker', { timeout: 10000 }));
    await page.close();
    return sw;
  }

  url(path) {
    return `chrome-extension://${this.extensionId}${path.startsWith('/') ? path : `/${path}`}`;
  }

  async openExtensionPage(path) {
    const page = await this.context.newPage();
    await page.goto(this.url(path));
    return page;
  }

  /** Kills the MV3 worker as Chrome does when idle; the next message restarts it with fresh globals. */
  async stopServiceWorker() {
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    const cdp = await this.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
  }

  /** Closes the browser and opens it again on the same profile (settings must survive). */
  async restart() {
    await this.context?.close();
    this.context = null;
    await this.launch();
    return this;
  }

  async close({ keepProfile = false } = {}) {
    await this.context?.close().catch(() => {});
    this.context = null;
    if (this.ownsProfile && !keepProfile) rmSync(this.profileDir, { recursive: true, force: true });
  }
}

function hasServiceWorker(dir) {
  try {
    return Boolean(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).background?.service_worker);
  } catch {
    return true;
  }
}
