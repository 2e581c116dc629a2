import { execSync } from 'node:child_process';
import { ensureBrowser } from '../../scripts/find-browser.mjs';

/** Builds the extension once for the whole run and makes sure a browser is there. */
export default async function globalSetup(): Promise<void> {
  ensureBrowser();
  if (process.env.STILLFRAME_SKIP_BUILD !== '1') execSync('npx wxt build', { stdio: 'inherit' });
}
