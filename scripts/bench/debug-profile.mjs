// Developer aid (not part of `npm run bench`): one run of a feed with the extension, its CPU
// profile written to a .cpuprofile (open it in DevTools) and the heaviest extension stacks printed.
//   node scripts/bench/debug-profile.mjs --scenario x [--extension-dir DIR] [--out FILE]
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExtensionBrowser } from '../lib/extension-browser.mjs';
import { readerHand } from './harness.mjs';
import { startFixtureServer } from '../serve-fixtures.mjs';
import { scenario as scenarioOf, routeFixture, siteDriver, SITE_PACE } from './scenarios.mjs';
import { isExtensionUrl } from './profile.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const sc = scenarioOf(args.scenario ?? 'x');
const dir = resolve(args['extension-dir'] ?? '.output/chrome-mv3');
const server = await startFixtureServer(0);
const browser = new ExtensionBrowser({ extensionDir: dir });
await browser.launch();
try {
  const ctx = browser.context;
  let url;
  if (sc.key === 'bench')
    url = `${server.url}/bench.html?posts=${Number(args.posts ?? 1000) + 300}&initial=${args.posts ?? 1000}&start=${Number(args.posts ?? 1000) - 4}`;
  else {
    await routeFixture(ctx, sc);
    await ctx.addInitScript(siteDriver, { postSelector: sc.postSelector });
    url = sc.url;
  }
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await page.goto(url);
  await page.waitForTimeout(1500);
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const pace = sc.key === 'bench' ? { pxPerSec: 6000, distancePx: 30000 } : SITE_PACE;
  // As in the bench: the reader's hand on the keyboard (posts count only shortly after trusted input).
  const hand = readerHand(page);
  await page.evaluate((a) => window.__bench.scroll(a), pace);
  hand.stop();
  await page.waitForTimeout(500);
  const { profile } = await cdp.send('Profiler.stop');
  const out = args.out ?? `/tmp/perfdbg/${sc.key}.cpuprofile`;
  writeFileSync(out, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map();
  profile.samples.forEach((id, i) => {
    const frames = [];
    let ext = false;
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const n = byId.get(x);
      if (isExtensionUrl(n.callFrame.url)) ext = true;
      frames.push(
        `${n.callFrame.functionName || '(anon)'}${isExtensionUrl(n.callFrame.url) ? `@${n.callFrame.url.split('/').pop()}:${n.callFrame.columnNumber + 1}` : ''}`,
      );
    }
    if (!ext) return;
    const key = frames.slice(0, 7).join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  const total = [...stacks.values()].reduce((a, b) => a + b, 0);
  console.log(`extension time ${total.toFixed(1)} ms; heaviest stacks:`);
  for (const [k, ms] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top ?? 25))) console.log(`${ms.toFixed(2).padStart(7)}  ${k}`);
  console.log(`profile: ${out}`);
} finally {
  await browser.close();
  await server.close();
}
