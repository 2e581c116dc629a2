import { ensureBrowser } from '../../scripts/find-browser.mjs';
import { assertDevBuild, devBuild } from '../../scripts/lib/dev-build.mjs';
import { DEFAULT_EXTENSION_DIR } from '../../scripts/lib/extension-browser.mjs';

/**
 * Builds the extension once for the whole run (the development/test build: the suite serves the
 * demo feed on 127.0.0.1, and tests/e2e/generic.spec.ts uses its test-only "site adapters off"
 * switch) and makes sure a browser is there.
 */
export default async function globalSetup(): Promise<void> {
  ensureBrowser();
  if (process.env.STILLFRAME_SKIP_BUILD !== '1') devBuild({ stdio: 'inherit' });
  assertDevBuild(DEFAULT_EXTENSION_DIR);
}
