import { test, expect, fixtureHtml, sendFromPage } from './fixtures';

const CSP = "default-src 'none'; script-src 'nonce-n0nce'; style-src 'nonce-n0nce'; img-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

test('a hostile page with strict CSP and Trusted Types cannot reach the extension, and frames still work', async ({ ext, server, pageErrors }) => {
  const settingsPage = await ext.openExtensionPage('/popup.html');
  await sendFromPage(settingsPage, { type: 'settings/patch', patch: { cadence: { everyPosts: 6, jitterPct: 0 } } });
  const before: any = await sendFromPage(settingsPage, { type: 'settings/get' });

  await ext.context!.route(`${server.url}/hostile.html`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': CSP }, body: fixtureHtml('hostile.html') }),
  );
  const page = await ext.context!.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Trusted Type/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/hostile.html`);
  await page.waitForSelector('article.post');

  for (let i = 0; i < 120 && (await page.locator('stillframe-pause').count()) < 2; i++) {
    await page.mouse.wheel(0, 500);
    await page.waitForTimeout(60);
  }
  // The extension works in its own world: the page's sabotage of prototypes does not reach it.
  expect(await page.locator('stillframe-pause').count()).toBeGreaterThanOrEqual(2);
  const box = await page.locator('stillframe-pause').first().boundingBox();
  expect(box!.height).toBeGreaterThan(100);
  await page.waitForTimeout(400);

  const findings: any = await page.evaluate(() => (window as any).__findings);
  expect(findings.runtime).toBe('absent'); // no chrome.runtime for the page: it cannot message us
  expect(findings.forged).toBeGreaterThan(3);
  expect(findings.hostShadow).toBe('closed'); // the frame's shadow root is not readable
  expect(findings.hostText ?? '').toBe('');
  expect(findings.attachShadowCalls).toBe(0); // our attachShadow is not the page's
  expect(findings.replies).toEqual([]); // we never answer postMessage

  // Nothing the page forged changed the settings; the frames carried no CSP violations.
  const after: any = await sendFromPage(settingsPage, { type: 'settings/get' });
  expect(after.settings).toEqual(before.settings);
  expect(cspViolations).toEqual([]);
  // The page's own errors come from its own sabotage (its hostile observers), never from ours.
  expect(pageErrors.filter((e) => !/hostile|no observers/.test(e))).toEqual([]);
});
