import { defineWxtModule } from 'wxt/modules';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Every icon size the stores and browsers ask for: 16/32 toolbar (1x/2x), 48 extensions page,
 * 96 Firefox add-ons manager (2x of 48), 128 install dialog and Chrome Web Store.
 */
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

/**
 * Transparent margin per size. The Chrome Web Store wants the 128 px icon drawn at 96 px with
 * 16 px of transparent padding (it adds its own frame); the toolbar and menu sizes use the
 * whole square, or the picture would be a speck.
 */
export const ICON_PADDING: Readonly<Record<number, number>> = { 128: 16 };

/** Where the generated icons land inside a build (and what the manifest points at). */
export const iconPath = (size: number) => `icons/${size}.png`;

/**
 * Rasterises `public/icon.svg` — the one drawn source — to PNGs at every size at build time, so
 * no exported PNG is ever committed and a change to the SVG reaches every size at once.
 *
 * (Not `@wxt-dev/auto-icons`: it scales one bitmap rendered at the SVG's own size, does not fill
 * `action.default_icon`, and does not wait for its icons folder before writing into it.)
 * sharp renders with the librsvg that ships inside its npm package: offline, no system library.
 */
export default defineWxtModule({
  name: 'stillframe:icons',
  setup(wxt) {
    const source = resolve(wxt.config.publicDir, 'icon.svg');

    wxt.hooks.hook('build:manifestGenerated', (_wxt, manifest) => {
      const icons = Object.fromEntries(ICON_SIZES.map((s) => [String(s), iconPath(s)]));
      manifest.icons = icons;
      // The toolbar button: same picture, the small sizes (Chrome and Firefox pick 16/32, HiDPI too).
      const toolbar = { '16': iconPath(16), '32': iconPath(32), '48': iconPath(48) };
      if (manifest.manifest_version === 3) manifest.action = { ...manifest.action, default_icon: toolbar };
      else manifest.browser_action = { ...manifest.browser_action, default_icon: toolbar };
    });

    wxt.hooks.hook('build:done', async (_wxt, output) => {
      // Imported here, not at the top: the config (and so this module) is also loaded by Vitest.
      const { default: sharp } = await import('sharp');
      const svg = await readFile(source);
      const { width = 128 } = await sharp(svg).metadata(); // the SVG's own size, at 72 dpi
      await mkdir(resolve(wxt.config.outDir, 'icons'), { recursive: true });
      const clear = { r: 0, g: 0, b: 0, alpha: 0 };
      for (const size of ICON_SIZES) {
        const pad = ICON_PADDING[size] ?? 0;
        const inner = size - 2 * pad;
        // Render the vector at the target size (72 dpi is the SVG's 1:1), not a scaled bitmap:
        // the 16 px icon stays crisp.
        const art = await sharp(svg, { density: (72 * inner) / width })
          .resize(inner, inner, { fit: 'contain', background: clear })
          .png()
          .toBuffer();
        await sharp(art)
          .extend({ top: pad, bottom: pad, left: pad, right: pad, background: clear })
          .png({ compressionLevel: 9 })
          .toFile(resolve(wxt.config.outDir, iconPath(size)));
        output.publicAssets.push({ type: 'asset', fileName: iconPath(size) });
      }
    });

    wxt.hooks.hook('prepare:publicPaths', (_wxt, paths) => {
      for (const size of ICON_SIZES) paths.push(iconPath(size));
    });
  },
});
