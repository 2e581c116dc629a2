import { Channel } from '@/utils/messaging/channel';

/**
 * The content script's one port to the background, shared by the controller and the parts it
 * loads on demand (the frame UI, the adapter kit, the stopping point, the feed break). A second
 * way to talk would cost a second set-up: the first `runtime.sendMessage` of a tab alone took
 * ~6 ms of the page's main thread (a CPU profile of the X-like bench feed), in the middle of the
 * reader's scroll.
 * The controller gives it the script's timers and what to do when the extension is gone (`opts`).
 */
export const toBackground = new Channel();
