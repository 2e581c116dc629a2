// The demo, the end-to-end suite and the benchmark run the extension on the local demo feed
// (127.0.0.1), which only a development/test build may touch: see utils/feeds/dev-hosts.ts.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment for a development/test build (`STILLFRAME_DEV_HOSTS=1`). */
export function devBuildEnv(extra = {}) {
  return { ...process.env, ...extra, STILLFRAME_DEV_HOSTS: '1' };
}

/**
 * `wxt build` with the demo hosts (Chrome unless told), quietly unless it fails.
 * @param {{ outDir?: string, browser?: 'chrome' | 'firefox', stdio?: import('node:child_process').StdioOptions }} [opts]
 */
export function devBuild({ outDir, browser = 'chrome', stdio = ['ignore', 'ignore', 'inherit'] } = {}) {
  execSync(`npx wxt build -b ${browser}`, { stdio, env: devBuildEnv(outDir ? { STILLFRAME_OUT_DIR: outDir } : {}) });
}

/** Throws with the fix when `extensionDir` holds a release build (no demo hosts) or nothing. */
export function assertDevBuild(extensionDir) {
  const file = join(extensionDir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No built extension at ${extensionDir}: run \`STILLFRAME_DEV_HOSTS=1 npx wxt build\` first.`);
  const hosts = JSON.parse(readFileSync(file, 'utf8')).host_permissions ?? [];
  if (!hosts.includes('http://127.0.0.1/*')) {
    throw new Error(
      `${extensionDir} is a release build (no demo hosts), but tests and the demo need the development build: ` +
        'run `STILLFRAME_DEV_HOSTS=1 npx wxt build` (or drop STILLFRAME_SKIP_BUILD).',
    );
  }
}
