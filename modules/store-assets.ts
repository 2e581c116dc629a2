import { defineWxtModule } from 'wxt/modules';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Chrome Web Store / Edge Add-ons sizes (AMO takes any size; 1280×800 suits it too). */
export const SCREENSHOT_SIZE = { width: 1280, height: 800 } as const;
export const PROMO_TILE_SIZE = { width: 440, height: 280 } as const;
export const SCREENSHOT_LOCALES = ['en', 'zh_CN'] as const;

/**
 * The demo's screenshots per listing language: `npm run demo -- --docs` writes `<shot>.png` (en)
 * and `<shot>-zh_CN.png` (zh_CN) into docs/screenshots/. Each store listing gets its own set.
 */
export function screenshotsByLocale(dir: string): Record<(typeof SCREENSHOT_LOCALES)[number], Array<{ from: string; name: string }>> {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.png'))
        .sort()
    : [];
  const suffixed = (locale: string) => files.filter((f) => f.endsWith(`-${locale}.png`));
  const others = SCREENSHOT_LOCALES.filter((l) => l !== 'en');
  return {
    en: files.filter((f) => !others.some((l) => f.endsWith(`-${l}.png`))).map((f) => ({ from: join(dir, f), name: f })),
    zh_CN: suffixed('zh_CN').map((f) => ({ from: join(dir, f), name: f.replace(/-zh_CN\.png$/, '.png') })),
  };
}

/**
 * After `wxt zip`, writes the listing images the stores ask for next to the zips, in
 * `<outDir>/store/` (docs/STORE.md lists what goes where):
 *
 * - `promo-440x280.png`: the Chrome Web Store's mandatory small promo tile, drawn from
 *   public/icon.svg (no text, so no font is needed and nothing needs translating);
 * - `screenshots/<locale>/*.png`: the demo's screenshots (see `screenshotsByLocale`) fitted,
 *   never cropped or stretched, into the 1280×800 the Chrome and Edge stores accept.
 */
export default defineWxtModule({
  name: 'stillframe:store-assets',
  setup(wxt) {
    wxt.hooks.hook('zip:done', async (wxt) => {
      const { default: sharp } = await import('sharp');
      const out = resolve(wxt.config.outBaseDir, 'store');
      await rm(out, { recursive: true, force: true });
      await mkdir(out, { recursive: true });

      // Promo tile: the icon on a quiet dawn sky over calm water, horizons level.
      const { width: W, height: H } = PROMO_TILE_SIZE;
      const sky = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
          <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0" stop-color="#f6ecd9"/><stop offset="1" stop-color="#f0dcc0"/></linearGradient></defs>
          <rect width="${W}" height="${H}" fill="url(#s)"/>
          <rect y="${H * 0.525}" width="${W}" height="${H * 0.475}" fill="#c9dbe4"/>
          <rect x="${W * 0.12}" y="${H * 0.83}" width="${W * 0.76}" height="3" rx="1.5" fill="#dde9ef"/>
          <rect x="${W * 0.3}" y="${H * 0.91}" width="${W * 0.4}" height="3" rx="1.5" fill="#dde9ef"/>
        </svg>`,
      );
      const svg = await readFile(resolve(wxt.config.publicDir, 'icon.svg'));
      const { width = 128 } = await sharp(svg).metadata();
      const iconSize = 150;
      const icon = await sharp(svg, { density: (72 * iconSize) / width })
        .resize(iconSize, iconSize)
        .png()
        .toBuffer();
      await sharp(sky)
        .composite([{ input: icon, gravity: 'center' }])
        .png()
        .toFile(join(out, 'promo-440x280.png'));

      // Screenshots, per listing language.
      for (const [locale, shots] of Object.entries(screenshotsByLocale(resolve(wxt.config.root, 'docs', 'screenshots')))) {
        if (shots.length === 0) continue;
        const to = join(out, 'screenshots', locale);
        await mkdir(to, { recursive: true });
        for (const { from, name } of shots) {
          await sharp(from)
            .resize(SCREENSHOT_SIZE.width, SCREENSHOT_SIZE.height, { fit: 'contain', background: '#eef1f3' })
            .flatten({ background: '#eef1f3' }) // the stores reject transparency in screenshots
            .png()
            .toFile(join(to, name));
        }
      }
      wxt.logger.info(`Store images in ${out}`);
    });
  },
});
