/**
 * What the content script needs to draw one frame. Sent over messages (JSON), so it
 * carries data, never markup: every text is rendered as text, every image as pixels.
 */
export type FramePayload =
  | (FrameBase & { kind: 'composition'; seed: number; variant: 'light' | 'dark' })
  | (FrameBase & { kind: 'words'; text: string; lang: 'en' | 'zh'; author: string; work?: string; translator?: string })
  | (FrameBase & { kind: 'breath'; text: string })
  | (FrameBase & { kind: 'question'; text: string })
  | (FrameBase & { kind: 'image'; caption: string; mime: string; width: number; height: number; dataB64: string })
  /** The person's own words or a quote they keep; `source` (who said it, where from) may be empty. */
  | (FrameBase & { kind: 'text'; text: string; source: string });

export interface FrameBase {
  /** Stable id, e.g. 'composition:042', 'words:en:07', 'user:<uuid>'. */
  id: string;
  collectionId: string;
  /** Shown on the frame: who made it and under what licence. */
  attribution: string;
}

/** Frame choice metadata kept by the background (weights, collection). */
export interface FrameRef {
  id: string;
  collectionId: string;
}
