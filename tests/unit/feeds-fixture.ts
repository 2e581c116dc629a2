// Loads a site-shaped fixture (tests/fixtures/feeds/*.html) into its own happy-dom Window at the
// site's real URL, with the fixture's script running — so the page builds its DOM, routes on
// location.pathname and navigates with pushState just as it does in a browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'feeds');

export interface LoadedFixture {
  win: Window;
  doc: Document;
  loc: Location;
  /** Page errors thrown by the fixture's own script. */
  errors: unknown[];
  /** Clicks the first link whose text is `text` (SPA navigation in the fixture). */
  clickLink(text: string): void;
  /** Fires a scroll event (the fixtures append more items near the bottom) and waits. */
  scrollToLoad(): Promise<void>;
  close(): Promise<void>;
}

export function fixtureHtml(name: string): string {
  return readFileSync(join(FIXTURE_DIR, name), 'utf8');
}

export async function loadFixture(name: string, url: string): Promise<LoadedFixture> {
  const win = new Window({
    url,
    width: 1280,
    height: 800,
    settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  });
  const errors: unknown[] = [];
  win.addEventListener('error', (e) => errors.push((e as unknown as { error?: unknown }).error ?? e));
  win.document.write(fixtureHtml(name));
  await win.happyDOM.waitUntilComplete();
  const doc = win.document as unknown as Document;
  return {
    win,
    doc,
    get loc() {
      return win.location as unknown as Location;
    },
    errors,
    clickLink(text) {
      const a = Array.from(doc.querySelectorAll('a')).find((el) => el.textContent?.trim() === text);
      if (!a) throw new Error(`no link "${text}" in ${name}`);
      a.click();
    },
    async scrollToLoad() {
      win.dispatchEvent(new win.Event('scroll'));
      await new Promise((r) => setTimeout(r, 250));
      await win.happyDOM.waitUntilComplete();
    },
    close: () => win.happyDOM.close(),
  };
}

/** A plain element to stand in for the frame host (the real one is `stillframe-pause`). */
export function makeHost(doc: Document): HTMLElement {
  return doc.createElement('stillframe-pause');
}
