import { test, expect, scrollUntilFrames, framesIn, sendFromPage } from './fixtures';

test('sites: a site’s collection choice is saved and only those collections appear in its feed', async ({ ext, openFeed, pageErrors }, testInfo) => {
  const options = await ext.openExtensionPage('/options.html#sites');
  await sendFromPage(options, { type: 'settings/patch', patch: { cadence: { everyPosts: 5, jitterPct: 0 } } });
  const choice = options.getByTestId('site-collections-demo');
  await expect(choice).toHaveAttribute('data-all', 'true');
  await choice.locator('summary').click();
  for (const id of ['still', 'words', 'questions']) {
    const box = options.getByTestId(`site-collection-demo-${id}`);
    await expect(box).toBeChecked();
    await box.uncheck();
  }
  await expect(options.getByTestId('site-saved-demo')).toHaveText('Saved');
  await expect(options.getByTestId('site-collection-demo-breath')).toBeDisabled();
  await expect(choice.locator('summary')).toHaveText('Collections shown on Demo feed (this computer): Breath');
  await options.screenshot({ path: testInfo.outputPath('sites.png'), fullPage: true });
  const { settings } = await sendFromPage<{ settings: any }>(options, { type: 'settings/get' });
  expect(settings.sites.demo).toEqual({ enabled: true, collections: ['breath'] });
  expect(settings.sites.x).toBeUndefined();

  const feed = await openFeed();
  await scrollUntilFrames(feed, 3);
  const ids = (await framesIn(feed)).map((f) => f.id);
  expect(ids.length).toBeGreaterThanOrEqual(3);
  for (const id of ids) expect(id).toMatch(/^breath:/);
  expect(pageErrors).toEqual([]);
});
