import type { CDPSession, Page } from '@playwright/test';
import sharp from 'sharp';
import { MIN_VISIBLE_MS } from '../../components/frame/click-guard';

/**
 * Reading and using frames in a feed page. The frame lives in a CLOSED shadow root, which
 * Playwright's locators and ariaSnapshot() do not enter; the Chrome DevTools Protocol does:
 * DOM.getDocument({ pierce: true }) lists closed shadow roots, and the accessibility tree
 * (Accessibility.getFullAXTree) is what assistive technology reads, shadow roots included.
 */

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  nodeType: number;
  localName?: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

interface AXNode {
  nodeId: string;
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  properties?: Array<{ name: string; value: { value: unknown } }>;
  childIds?: string[];
  backendDOMNodeId?: number;
}

export interface FrameView {
  backendNodeId: number;
  frameId: string | null;
  /** Accessibility tree below the host, "role: name" for every named, not ignored node, in order. */
  ax: string[];
  /** The accessible names joined: what a screen reader would have to read. */
  axText: string;
  /** The accessible name of the node that has keyboard focus inside the frame, if any. */
  focused: string | null;
  /** Buttons by their text → backend node id (for clicking). */
  buttons: Record<string, number>;
  canvas: number | null;
}

function children(n: DomNode): DomNode[] {
  return [...(n.shadowRoots ?? []), ...(n.contentDocument ? [n.contentDocument] : []), ...(n.children ?? [])];
}

function walk(n: DomNode, fn: (n: DomNode) => void): void {
  fn(n);
  for (const c of children(n)) walk(c, fn);
}

function textOf(n: DomNode): string {
  let s = '';
  walk(n, (x) => {
    if (x.nodeType === 3) s += x.nodeValue ?? '';
  });
  return s.trim();
}

function attr(n: DomNode, name: string): string | null {
  const a = n.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return null;
}

async function session<T>(page: Page, fn: (s: CDPSession) => Promise<T>): Promise<T> {
  const s = await page.context().newCDPSession(page);
  try {
    return await fn(s);
  } finally {
    await s.detach().catch(() => {});
  }
}

/**
 * Every frame host in the page, in document order, read through its closed shadow root. The
 * stopping point ('stillframe-stop'), a break's cover ('stillframe-cover') and a study's survey
 * card ('stillframe-survey') read the same way.
 */
export async function frameViews(page: Page, tag = 'stillframe-pause'): Promise<FrameView[]> {
  return session(page, async (s) => {
    const { root } = (await s.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const hosts: DomNode[] = [];
    walk(root, (n) => {
      if (n.localName === tag) hosts.push(n);
    });
    await s.send('Accessibility.enable');
    const { nodes } = (await s.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const byBackend = new Map(nodes.filter((n) => n.backendDOMNodeId).map((n) => [n.backendDOMNodeId!, n]));
    return hosts.map((host) => {
      const buttons: Record<string, number> = {};
      let canvas: number | null = null;
      let frameId: string | null = null;
      walk(host, (n) => {
        // A button's label is generated content (no text node): its accessible name is the label.
        if (n.localName === 'button') buttons[byBackend.get(n.backendNodeId)?.name?.value ?? textOf(n)] = n.backendNodeId;
        if (n.localName === 'canvas') canvas = n.backendNodeId;
        // The frame's id lives inside the closed shadow root, never on the host the page sees.
        frameId ??= attr(n, 'data-frame-id');
      });
      const ax: string[] = [];
      let focused: string | null = null;
      const visit = (id: string) => {
        const n = byId.get(id);
        if (!n) return;
        const name = n.name?.value;
        if (!n.ignored && name && n.role?.value !== 'InlineTextBox') ax.push(`${n.role?.value}: ${name}`);
        if (n.properties?.some((p) => p.name === 'focused' && p.value.value === true)) focused = name ?? '';
        for (const c of n.childIds ?? []) visit(c);
      };
      const axHost = byBackend.get(host.backendNodeId);
      if (axHost) visit(axHost.nodeId);
      return {
        backendNodeId: host.backendNodeId,
        frameId,
        ax,
        axText: ax.join('\n'),
        focused,
        buttons,
        canvas,
      };
    });
  });
}

/** The viewport rectangle of a node (after scrolling it into view). */
export async function nodeRect(page: Page, backendNodeId: number): Promise<{ x: number; y: number; width: number; height: number }> {
  return session(page, async (s) => {
    await s.send('DOM.getDocument', { depth: 0 });
    await s.send('DOM.scrollIntoViewIfNeeded', { backendNodeId });
    const { quads } = (await s.send('DOM.getContentQuads', { backendNodeId })) as { quads: number[][] };
    if (!quads.length) throw new Error('node has no box');
    const q = quads[0];
    const xs = [q[0], q[2], q[4], q[6]];
    const ys = [q[1], q[3], q[5], q[7]];
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  });
}

/**
 * Clicks a button of the index-th frame (or stopping point, cover, survey card) with the mouse,
 * as a person would: scrolled into view, seen for a moment (a pointer click on a button that
 * was not visible for MIN_VISIBLE_MS does not count — components/frame/click-guard.ts), then clicked.
 */
export async function clickFrameButton(page: Page, index: number, label: string, tag = 'stillframe-pause'): Promise<void> {
  const view = (await frameViews(page, tag))[index];
  if (!view) throw new Error(`no frame #${index}`);
  const id = view.buttons[label];
  if (!id) throw new Error(`frame #${index} has no button "${label}" (has ${Object.keys(view.buttons).join(', ')})`);
  await nodeRect(page, id);
  await page.waitForTimeout(MIN_VISIBLE_MS + 300);
  const r = await nodeRect(page, id);
  await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
}

export interface PixelStats {
  width: number;
  height: number;
  /** Mean colour. */
  mean: [number, number, number];
  /** Standard deviation of luminance: ~0 for a blank area. */
  lumaStd: number;
  /** Distinct colours, quantised to 4 bits per channel. */
  colours: number;
  pixel(x: number, y: number): [number, number, number];
}

/** Decodes a PNG screenshot into a few numbers that tell blank from drawn, light from dark. */
export async function pixelStats(png: Buffer): Promise<PixelStats> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  let r = 0;
  let g = 0;
  let b = 0;
  let sum = 0;
  let sumSq = 0;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const R = data[i * 3];
    const G = data[i * 3 + 1];
    const B = data[i * 3 + 2];
    r += R;
    g += G;
    b += B;
    const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
    sum += y;
    sumSq += y * y;
    seen.add(((R >> 4) << 8) | ((G >> 4) << 4) | (B >> 4));
  }
  const meanY = sum / n;
  return {
    width: info.width,
    height: info.height,
    mean: [r / n, g / n, b / n],
    lumaStd: Math.sqrt(Math.max(0, sumSq / n - meanY * meanY)),
    colours: seen.size,
    pixel: (x, y) => {
      const i = (Math.floor(y) * info.width + Math.floor(x)) * 3;
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

export const luma = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** A PNG of coloured vertical stripes (red, blue, yellow, green): clearly not blank, easy to find. */
export async function stripesPng(width = 480, height = 300): Promise<Buffer> {
  const colours = [
    [220, 40, 40],
    [40, 70, 220],
    [240, 200, 40],
    [40, 170, 80],
  ];
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colours[Math.floor((x / width) * colours.length)];
      raw.set(c, (y * width + x) * 3);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** The scheduler's state as the background stored it (read from an extension page). */
export async function readSchedulerState(extPage: Page): Promise<{ frameWeights: Record<string, number>; bags: Record<string, string[]> }> {
  return extPage.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('stillframe');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('state').objectStore('state').get('scheduler');
          get.onsuccess = () => {
            db.close();
            resolve(get.result ?? { frameWeights: {}, bags: {} });
          };
          get.onerror = () => {
            db.close();
            reject(get.error);
          };
        };
      }),
  );
}
