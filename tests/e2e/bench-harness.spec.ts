import { test, expect } from '@playwright/test';
import { DEFAULT_EXTENSION_DIR } from '../../scripts/lib/extension-browser.mjs';
import { startFixtureServer } from '../../scripts/serve-fixtures.mjs';
import { runBench } from '../../scripts/bench.mjs';
import { runSoak } from '../../scripts/bench/soak.mjs';

/**
 * Keeps `npm run bench` from rotting: the harness runs end to end on a tiny feed (one round,
 * both variants) and produces every field the table and the budgets are made of. No timing is
 * asserted here — budgets live in the benchmark's output, not in pass/fail tests.
 */
test('the benchmark harness measures a tiny feed with and without the extension', async () => {
  test.setTimeout(120_000);
  const server = await startFixtureServer(0);
  try {
    const result = await runBench({
      sizes: [60],
      rounds: 1,
      pxPerSec: 6000,
      distancePx: 6000,
      tailMs: 200,
      idleSeconds: 1,
      idleSize: 60,
      extensionDir: DEFAULT_EXTENSION_DIR,
      serverUrl: server.url,
    });
    expect(result.runs.map((r: any) => r.variant).sort()).toEqual(['with', 'without']);
    for (const r of result.runs as any[]) {
      for (const k of ['taskMs', 'scriptMs', 'layoutMs', 'styleMs', 'extMs', 'longTasks', 'postsPassed']) expect(r.scroll[k], `${r.variant}: scroll.${k}`).toEqual(expect.any(Number));
      expect(r.heap.endBytes).toBeGreaterThan(0);
      expect(r.scroll.postsPassed).toBeGreaterThan(0);
      expect(r.errors).toEqual([]);
      expect(r.idle.extSamples).toEqual(expect.any(Number));
    }
    const withExt = (result.runs as any[]).find((r) => r.variant === 'with');
    // The content script really ran: the profiler saw our code while the feed loaded.
    expect(withExt.load.extMs).toBeGreaterThan(0);
    const row = (result.summary as Record<number, any>)[60];
    expect(row.with.taskMs).toEqual(expect.any(Number));
    expect(row.without.taskMs).toEqual(expect.any(Number));
    expect(row.overheadPct.extScript).toEqual(expect.any(Number));
    const cs = result.contentScript.find((s: any) => s.file === 'content-scripts/content.js');
    expect(cs.gzipBytes).toBeGreaterThan(1000);
    expect(result.budgets.map((b: any) => b.budget).join('\n')).toMatch(/content script size/);
    expect(JSON.parse(JSON.stringify(result)).summary).toBeTruthy(); // it serialises: the JSON file
  } finally {
    await server.close();
  }
});

test('the soak runs on a tiny feed and samples heap and frames', async () => {
  test.setTimeout(120_000);
  const server = await startFixtureServer(0);
  try {
    const r = await runSoak({ extensionDir: DEFAULT_EXTENSION_DIR, serverUrl: server.url, minutes: 0.1, posts: 300, pxPerSec: 4000, segments: 2 });
    expect(r.series.length).toBeGreaterThanOrEqual(2);
    for (const s of r.series) expect(s.heapBytes).toBeGreaterThan(0);
    expect(r.series[r.series.length - 1].passed).toBeGreaterThan(r.series[0].passed);
    expect(r.frames.count).toEqual(expect.any(Number));
    expect(r.errors).toEqual([]);
  } finally {
    await server.close();
  }
});
