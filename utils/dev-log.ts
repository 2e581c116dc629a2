/**
 * Errors Stillframe deliberately swallows (a page we must not break, a worker that restarted, a
 * message that lost its tab) stay silent for users but are visible to whoever develops it: in a
 * development or test build (`wxt`'s dev server, or any build with `STILLFRAME_DEV_HOSTS=1`: the demo,
 * the e2e suite) each one is logged at debug level with where it happened; in a store build both
 * flags are the constant `false` and the minifier drops the logging (scripts/release checks the
 * zips for the `[stillframe]` prefix). Unit tests (Vitest's `test` mode) stay quiet: many of them
 * cause these errors on purpose.
 *
 * In a content script (a web page's origin) only the error's name is logged, never its message:
 * a message can quote the page (a URL, a selector, text), and the page's console is not ours.
 */
import { DEV_HOSTS } from '@/utils/feeds/dev-hosts';

// `wxt` (dev server) is COMMAND 'serve'. Not import.meta.env.DEV: Vite derives that from NODE_ENV, so
// a store build run under NODE_ENV=test (a test runner's environment) would keep the logging.
// Optional chaining: the study scripts bundle some of this code for Node, without import.meta.env.
const DEV = (DEV_HOSTS || import.meta.env?.COMMAND === 'serve') && import.meta.env?.MODE !== 'test';

function inWebPage(): boolean {
  return typeof location !== 'undefined' && (location.protocol === 'http:' || location.protocol === 'https:');
}

function log(where: string, err: unknown): void {
  if (inWebPage()) console.debug(`[stillframe] ${where}:`, err instanceof Error ? err.name : typeof err);
  else console.debug(`[stillframe] ${where}:`, err);
}

/** Logs a swallowed error in development builds; returns undefined, so `.catch(devLog('where'))` keeps the value type open. */
export function devLog(where: string): (err: unknown) => undefined {
  return (err: unknown) => {
    if (DEV) log(where, err);
    return undefined;
  };
}

/** For `catch (err) { swallowed('where', err) }` blocks. */
export function swallowed(where: string, err: unknown): void {
  if (DEV) log(where, err);
}
