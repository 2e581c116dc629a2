import { fakeBrowser } from 'wxt/testing/fake-browser';

/**
 * Installs `answer` as the background's runtime.onMessage listener in the fake browser, in the
 * shape entrypoints/background.ts uses: the answer goes through sendResponse and the listener
 * returns true (the fake browser, @webext-core/fake-browser 2, ignores a returned Promise).
 */
export function installFakeBackground(answer: (msg: any) => Promise<unknown>): void {
  fakeBrowser.runtime.onMessage.addListener(((msg: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
    answer(msg).then(sendResponse, (err: unknown) => sendResponse({ ok: false, error: String(err) }));
    return true;
  }) as never);
}
