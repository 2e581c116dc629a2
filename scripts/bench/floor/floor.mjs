// Builds the floor extension for `npm run bench -- --floor` (see content.tsx): an unpacked MV3
// extension whose content script shows Stillframe's own frame after every 25th post a feed adds,
// with no other work. The bench loads it as its peer, so the peer column reads as the cost of
// having the frames at all. `--floor counting` builds the same extension that also counts the
// posts the reader has seen with an IntersectionObserver (content.tsx): the cost of frames plus
// counting, the least that any "a frame after N posts seen" extension does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SCENARIOS } from '../scenarios.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The feeds' post selectors: bench.html's (the demo adapter's) and each site-shaped feed's. */
export const FLOOR_SELECTOR = ['article.post', ...Object.values(SCENARIOS).flatMap((s) => (s.postSelector ? [s.postSelector] : []))].join(', ');

export const FLOOR_NAME = 'Floor (frames only)';
export const COUNTING_FLOOR_NAME = 'Floor (frames + counting)';
/** The kinds `--floor` takes. */
export const FLOOR_KINDS = ['frames', 'counting'];

/**
 * Writes the floor extension into `outDir` and returns it.
 * @param {string} [outDir]
 * @param {'frames' | 'counting'} [kind]
 */
export async function buildFloor(outDir = join(ROOT, 'artifacts', 'bench', 'floor'), kind = 'frames') {
  if (!FLOOR_KINDS.includes(kind)) throw new Error(`--floor: unknown kind ${kind} (known: ${FLOOR_KINDS.join(', ')})`);
  const counting = kind === 'counting';
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'scripts', 'bench', 'floor', 'content.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome102'],
    outfile: join(outDir, 'content.js'),
    alias: { '@': ROOT },
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { __FLOOR_SELECTOR__: JSON.stringify(FLOOR_SELECTOR), __FLOOR_COUNTING__: String(counting), __STILLFRAME_DEV_HOSTS__: 'false' },
    logLevel: 'error',
  });
  const manifest = {
    manifest_version: 3,
    name: counting ? COUNTING_FLOOR_NAME : FLOOR_NAME,
    version: '1.0.0',
    description: counting
      ? 'npm run bench --floor counting: Stillframe frames after every 25th post, and a count of the posts seen.'
      : 'npm run bench --floor: Stillframe frames after every 25th post, nothing else.',
    content_scripts: [
      {
        matches: ['http://127.0.0.1/*', 'http://localhost/*', 'https://x.com/*', 'https://www.reddit.com/*', 'https://www.youtube.com/*'],
        js: ['content.js'],
        run_at: 'document_idle',
      },
    ],
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return outDir;
}
