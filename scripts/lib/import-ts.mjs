// Imports a TypeScript module of this repository into Node: bundled on the fly with esbuild
// (already installed with WXT), so the command-line tools run the very code the extension runs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const cache = new Map();

/** `path` is relative to the repository root, e.g. 'utils/study/protocol.ts'. */
export function importTs(path) {
  if (!cache.has(path)) {
    cache.set(
      path,
      (async () => {
        const { build } = await import('esbuild');
        const out = await build({
          entryPoints: [join(ROOT, path)],
          bundle: true,
          format: 'esm',
          platform: 'node',
          write: false,
          logLevel: 'silent',
          external: ['@duckdb/*'],
        });
        const code = out.outputFiles[0].text;
        return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
      })(),
    );
  }
  return cache.get(path);
}
