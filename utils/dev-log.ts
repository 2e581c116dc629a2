/**
 * Errors Stillframe deliberately swallows (a page we must not break, a worker that restarted, a
 * message that lost its tab) stay silent for users but are visible to whoever develops it: in a
 * development or test build (`wxt` dev mode, or any build with `STILLFRAME_DEV_HOSTS=1`: the demo,
 * the e2e suite) each one is logged at debug level with where it happened; in a store build the
 * flag is the constant `false` and the minifier drops the logging.
 */
import { DEV_HOSTS } from '@/utils/feeds/dev-hosts';

const DEV = DEV_HOSTS || import.meta.env?.DEV === true;

/** Logs a swallowed error in development builds; returns undefined, so `.catch(devLog('where'))` keeps the value type open. */
export function devLog(where: string): (err: unknown) => undefined {
  return (err: unknown) => {
    if (DEV) console.debug(`[stillframe] ${where}:`, err);
    return undefined;
  };
}

/** For `catch (err) { swallowed('where', err) }` blocks. */
export function swallowed(where: string, err: unknown): void {
  if (DEV) console.debug(`[stillframe] ${where}:`, err);
}
