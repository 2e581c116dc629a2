import { chance, int, mixSeed, mulberry32, pick, range, type Rng } from '@/utils/frames/rng';

/**
 * Generative still compositions. A piece is fully described by (seed, variant): the background
 * only sends those two numbers and the content script calls `generateComposition` again, so a
 * frame message stays a few bytes and no markup ever crosses a message boundary.
 *
 * The look follows a few classical rules rather than randomness for its own sake: focal points
 * sit on thirds or on the centre line, most of the canvas is left empty, each piece uses one
 * small palette (ground, two tones, one accent, ink), and every piece has a light and a dark
 * variant that share the same geometry.
 */

export type Variant = 'light' | 'dark';

export interface Paint {
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
  opacity?: number;
  linecap?: 'round' | 'butt';
}

export type Shape =
  | (Paint & { type: 'rect'; x: number; y: number; width: number; height: number; rx?: number })
  | (Paint & { type: 'circle'; cx: number; cy: number; r: number })
  | (Paint & { type: 'line'; x1: number; y1: number; x2: number; y2: number })
  | (Paint & { type: 'path'; d: string })
  | (Paint & { type: 'polygon'; points: string });

export interface Composition {
  seed: number;
  variant: Variant;
  family: FamilyName;
  width: number;
  height: number;
  viewBox: string;
  /** Painted in order; the first is the ground. */
  shapes: Shape[];
}

/** Number of bundled pieces: ids composition:000 … composition:199. */
export const COMPOSITION_COUNT = 200;

const W = 400;
const H = 250;

interface Tone {
  bg: string;
  a: string;
  b: string;
  c: string;
  ink: string;
  /** The nearest, heaviest layer of a landscape: darker than every other role in both keys. */
  deep: string;
}

/** Palette pairs: the same roles in a light and a dark key, so variants read as one piece. */
const PALETTES: ReadonlyArray<Record<Variant, Tone>> = [
  {
    light: { bg: '#efe8dc', a: '#d6c6ac', b: '#8f7c63', c: '#b4513a', ink: '#3f362d', deep: '#4a3e31' },
    dark: { bg: '#1f1b17', a: '#3b332a', b: '#685848', c: '#c2603f', ink: '#e0d5c3', deep: '#110e0b' },
  },
  {
    light: { bg: '#e6ecee', a: '#b3c5cc', b: '#587885', c: '#d09a3c', ink: '#263c46', deep: '#2c4550' },
    dark: { bg: '#141b20', a: '#263540', b: '#536a74', c: '#d9a84e', ink: '#cfdbe0', deep: '#0b1014' },
  },
  {
    light: { bg: '#ecefe6', a: '#c3ccb2', b: '#6c7c5b', c: '#b86a3b', ink: '#333b2c', deep: '#3a4630' },
    dark: { bg: '#171c17', a: '#2d3829', b: '#5c6a51', c: '#c9814f', ink: '#d5dccd', deep: '#0d110c' },
  },
  {
    light: { bg: '#f1e8e4', a: '#dcbcaf', b: '#8a6670', c: '#3f4c66', ink: '#45363b', deep: '#4b3a40' },
    dark: { bg: '#1e181c', a: '#3d2e35', b: '#785f66', c: '#8fa2c4', ink: '#e2d3d6', deep: '#120d10' },
  },
  {
    light: { bg: '#f3f1ec', a: '#d4d0c7', b: '#6a665f', c: '#a8362a', ink: '#24221f', deep: '#2e2c29' },
    dark: { bg: '#161615', a: '#2f2e2b', b: '#68655f', c: '#c24a3a', ink: '#e6e2d9', deep: '#0c0c0b' },
  },
  {
    light: { bg: '#eceae3', a: '#c5c9d6', b: '#4a5a82', c: '#d8b86a', ink: '#252c44', deep: '#2a3350' },
    dark: { bg: '#13151f', a: '#262b40', b: '#4a577c', c: '#e0c27a', ink: '#d6d9e6', deep: '#0a0b12' },
  },
  {
    light: { bg: '#efebe6', a: '#cdbfcf', b: '#6d5476', c: '#8a8a3f', ink: '#3a2e3f', deep: '#3d3042' },
    dark: { bg: '#1b161d', a: '#372b3b', b: '#746279', c: '#b1b15a', ink: '#e0d6e2', deep: '#100c11' },
  },
  {
    light: { bg: '#f0e6da', a: '#e0a878', b: '#a8452f', c: '#5a1f22', ink: '#3a1c1a', deep: '#4a1e1a' },
    dark: { bg: '#1c1412', a: '#5a2620', b: '#883c22', c: '#e39a5a', ink: '#ecd9c6', deep: '#120b09' },
  },
];

/** One decimal is plenty at this scale and keeps the shape list small and comparable. */
const r1 = (n: number) => Math.round(n * 10) / 10;
const thirdX = (rng: Rng) => pick(rng, [W / 3, (2 * W) / 3]);
const ground = (t: Tone): Shape => ({ type: 'rect', x: 0, y: 0, width: W, height: H, fill: t.bg });

function ellipse(cx: number, cy: number, rx: number, ry: number): string {
  return `M${r1(cx - rx)} ${r1(cy)}A${r1(rx)} ${r1(ry)} 0 1 0 ${r1(cx + rx)} ${r1(cy)}A${r1(rx)} ${r1(ry)} 0 1 0 ${r1(cx - rx)} ${r1(cy)}Z`;
}

/** A smooth ridge through the given points, closed along the bottom edge. */
function smoothRidge(points: Array<[number, number]>): string {
  let d = `M0 ${H}L${r1(points[0][0])} ${r1(points[0][1])}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [x, y] = points[i];
    const [nx, ny] = points[i + 1];
    d += `Q${r1(x)} ${r1(y)} ${r1((x + nx) / 2)} ${r1((y + ny) / 2)}`;
  }
  const last = points[points.length - 1];
  return `${d}L${r1(last[0])} ${r1(last[1])}L${W} ${H}Z`;
}

/** Sea under a sky; the horizon on a third, gaps between swells widening toward the viewer. */
function horizon(rng: Rng, t: Tone): Shape[] {
  const hy = pick(rng, [H / 3, (2 * H) / 3]) + range(rng, -6, 6);
  const s: Shape[] = [ground(t), { type: 'rect', x: 0, y: 0, width: W, height: r1(hy), fill: t.a, opacity: r1(range(rng, 0.15, 0.35) * 100) / 100 }];
  const sunX = thirdX(rng) + range(rng, -10, 10);
  if (chance(rng, 0.75)) {
    const r = range(rng, 9, 20);
    s.push({ type: 'circle', cx: r1(sunX), cy: r1(hy - range(rng, -r * 0.4, r * 1.8)), r: r1(r), fill: t.c });
  }
  s.push({ type: 'rect', x: 0, y: r1(hy), width: W, height: r1(H - hy), fill: t.b, opacity: r1(range(rng, 0.55, 0.85) * 100) / 100 });
  s.push({ type: 'line', x1: 0, y1: r1(hy), x2: W, y2: r1(hy), stroke: t.ink, strokeWidth: 0.8, opacity: 0.35 });
  const swells = int(rng, 3, 6);
  for (let i = 0; i < swells; i++) {
    const y = hy + (H - hy) * ((i + 1) / (swells + 1)) ** 1.6;
    const len = range(rng, 18, 70) * (1 + i * 0.3);
    const x = range(rng, 10, W - len - 10);
    s.push({ type: 'line', x1: r1(x), y1: r1(y), x2: r1(x + len), y2: r1(y), stroke: t.bg, strokeWidth: r1(0.6 + i * 0.25), opacity: 0.4, linecap: 'round' });
  }
  if (chance(rng, 0.35)) {
    const sx = sunX < W / 2 ? range(rng, W * 0.68, W * 0.8) : range(rng, W * 0.2, W * 0.32);
    const sh = range(rng, 8, 13);
    s.push({
      type: 'polygon',
      points: `${r1(sx)},${r1(hy - sh)} ${r1(sx + sh * 0.55)},${r1(hy - 1)} ${r1(sx - sh * 0.2)},${r1(hy - 1)}`,
      fill: t.ink,
      opacity: 0.75,
    });
  }
  return s;
}

/** A low sun over two or three ranges of soft hills, paler with distance. */
function hills(rng: Rng, t: Tone): Shape[] {
  const s: Shape[] = [ground(t)];
  s.push({
    type: 'circle',
    cx: r1(thirdX(rng) + range(rng, -8, 8)),
    cy: r1(range(rng, H * 0.2, H * 0.38)),
    r: r1(range(rng, 14, 30)),
    fill: t.c,
    opacity: 0.9,
  });
  const layers = int(rng, 2, 3);
  const fills = [t.a, t.b, t.deep];
  for (let i = 0; i < layers; i++) {
    const base = H * (0.55 + i * 0.11);
    const steps = int(rng, 3, 5);
    const pts: Array<[number, number]> = [];
    for (let k = 0; k <= steps; k++) pts.push([(W * k) / steps, base + range(rng, -22, 18)]);
    s.push({ type: 'path', d: smoothRidge(pts), fill: fills[i], opacity: i === layers - 1 ? 0.85 : 0.9 });
  }
  return s;
}

/** Stacked soft-edged colour fields on a washed ground, after Rothko; edges feathered by layering. */
function colourField(rng: Rng, t: Tone): Shape[] {
  const s: Shape[] = [ground(t), { type: 'rect', x: 0, y: 0, width: W, height: H, fill: t.c, opacity: r1(range(rng, 0.06, 0.16) * 100) / 100 }];
  const mx = range(rng, 42, 62);
  const my = range(rng, 20, 30);
  const n = pick(rng, [2, 2, 3]);
  const gap = range(rng, 6, 12);
  const weights = Array.from({ length: n }, () => range(rng, 1, 2.4));
  const total = weights.reduce((x, y) => x + y, 0);
  const avail = H - 2 * my - gap * (n - 1);
  const order = [t.b, t.a, t.c];
  const start = int(rng, 0, 2);
  let y = my;
  weights.forEach((w, i) => {
    const h = (avail * w) / total;
    const fill = order[(start + i) % 3];
    for (const [inset, op] of [
      [0, 0.3],
      [2.5, 0.45],
      [5, 0.85],
    ] as const) {
      s.push({ type: 'rect', x: r1(mx + inset), y: r1(y + inset), width: r1(W - 2 * mx - 2 * inset), height: r1(h - 2 * inset), rx: 3, fill, opacity: op });
    }
    y += h + gap;
  });
  return s;
}

/** An ensō: one unclosed brush circle, a thin second stroke for texture, sometimes a seal. */
function enso(rng: Rng, t: Tone): Shape[] {
  const s: Shape[] = [ground(t)];
  const cx = pick(rng, [W / 2, W / 3, (2 * W) / 3]) + range(rng, -6, 6);
  const cy = H / 2 + range(rng, -6, 6);
  const r = range(rng, 60, 80);
  const a0 = range(rng, 0, Math.PI * 2);
  const sweep = range(rng, 5.2, 5.9);
  const arc = (rad: number, from: number, to: number) => {
    const [x0, y0] = [cx + rad * Math.cos(from), cy + rad * Math.sin(from)];
    const [x1, y1] = [cx + rad * Math.cos(to), cy + rad * Math.sin(to)];
    return `M${r1(x0)} ${r1(y0)}A${r1(rad)} ${r1(rad)} 0 1 1 ${r1(x1)} ${r1(y1)}`;
  };
  s.push({ type: 'path', d: arc(r, a0, a0 + sweep), stroke: t.ink, strokeWidth: r1(range(rng, 9, 15)), fill: 'none', linecap: 'round', opacity: 0.88 });
  s.push({
    type: 'path',
    d: arc(r + range(rng, -4, 4), a0 + 0.15, a0 + sweep - range(rng, 0.2, 0.6)),
    stroke: t.ink,
    strokeWidth: r1(range(rng, 2, 4)),
    fill: 'none',
    linecap: 'round',
    opacity: 0.3,
  });
  if (chance(rng, 0.8)) {
    const size = range(rng, 9, 13);
    const sx = cx > W / 2 ? cx - r - 30 - size : cx + r + 30;
    s.push({ type: 'rect', x: r1(sx), y: r1(cy + r * 0.55), width: r1(size), height: r1(size), rx: 1.5, fill: t.c, opacity: 0.9 });
  }
  return s;
}

/** Two to four simple vessels on a table edge, grouped around one focal third. */
function stillLife(rng: Rng, t: Tone): Shape[] {
  const tableY = H * range(rng, 0.62, 0.7);
  const s: Shape[] = [
    ground(t),
    { type: 'rect', x: 0, y: r1(tableY), width: W, height: r1(H - tableY), fill: t.a, opacity: 0.6 },
    { type: 'line', x1: 0, y1: r1(tableY), x2: W, y2: r1(tableY), stroke: t.ink, strokeWidth: 0.8, opacity: 0.3 },
  ];
  const k = int(rng, 2, 4);
  const fills = [t.b, t.ink, t.c];
  let accentUsed = false;
  const widths = Array.from({ length: k }, () => range(rng, 32, 62));
  const span = widths.reduce((x, y) => x + y, 0) + 8 * (k - 1);
  let x = pick(rng, [W / 3, W / 2, (2 * W) / 3]) - span / 2;
  for (const w of widths) {
    const cx = x + w / 2;
    const base = tableY + range(rng, 6, 16);
    let fill = pick(rng, fills);
    if (fill === t.c && accentUsed) fill = t.b;
    accentUsed ||= fill === t.c;
    s.push({ type: 'path', d: ellipse(cx, base, w * 0.6, 3.5), fill: t.ink, opacity: 0.1 });
    const kind = int(rng, 0, 3);
    if (kind === 0) {
      const rb = w / 2;
      const neckH = range(rng, 14, 30);
      s.push({
        type: 'rect',
        x: r1(cx - rb * 0.28),
        y: r1(base - 2 * rb - neckH + 2),
        width: r1(rb * 0.56),
        height: r1(neckH + 4),
        rx: 1.5,
        fill,
        opacity: 0.92,
      });
      s.push({ type: 'circle', cx: r1(cx), cy: r1(base - rb), r: r1(rb), fill, opacity: 0.92 });
    } else if (kind === 1) {
      const bh = w * range(rng, 0.35, 0.5);
      s.push({ type: 'path', d: `M${r1(cx - w / 2)} ${r1(base - bh)}A${r1(w / 2)} ${r1(bh)} 0 0 0 ${r1(cx + w / 2)} ${r1(base - bh)}Z`, fill, opacity: 0.92 });
    } else if (kind === 2) {
      const rr = w * range(rng, 0.28, 0.4);
      s.push({ type: 'circle', cx: r1(cx), cy: r1(base - rr), r: r1(rr), fill, opacity: 0.92 });
    } else {
      const bh = w * range(rng, 0.8, 1.6);
      s.push({ type: 'rect', x: r1(cx - w * 0.4), y: r1(base - bh), width: r1(w * 0.8), height: r1(bh), rx: 2, fill, opacity: 0.92 });
    }
    x += w + 8;
  }
  return s;
}

/** Balanced stones on a shore, mirrored faintly in still water. */
function stones(rng: Rng, t: Tone): Shape[] {
  const gy = H * range(rng, 0.7, 0.78);
  const s: Shape[] = [
    ground(t),
    { type: 'rect', x: 0, y: r1(gy), width: W, height: r1(H - gy), fill: t.a, opacity: 0.35 },
    { type: 'line', x1: 0, y1: r1(gy), x2: W, y2: r1(gy), stroke: t.ink, strokeWidth: 0.8, opacity: 0.3 },
  ];
  const cx = pick(rng, [W / 2, W / 3, (2 * W) / 3]);
  const n = int(rng, 3, 5);
  let w = range(rng, 70, 95);
  let y = gy;
  for (let i = 0; i < n; i++) {
    const h = w * range(rng, 0.3, 0.42);
    const cy = y - h / 2 + h * 0.1;
    const x = cx + range(rng, -4, 4);
    const fill = i === n - 1 && chance(rng, 0.3) ? t.c : i % 2 === 0 ? t.ink : t.b;
    s.push({ type: 'path', d: ellipse(x, cy, w / 2, h / 2), fill, opacity: 0.9 });
    const my = 2 * gy - cy;
    if (my - h / 2 < H) s.push({ type: 'path', d: ellipse(x, my, w / 2, h / 2), fill, opacity: 0.1 });
    y = cy - h / 2 + h * 0.12;
    w *= range(rng, 0.66, 0.84);
  }
  return s;
}

/** A moon over two ridges of mountains with a band of mist between them. */
function mountains(rng: Rng, t: Tone): Shape[] {
  const s: Shape[] = [ground(t)];
  s.push({
    type: 'circle',
    cx: r1(thirdX(rng) + range(rng, -10, 10)),
    cy: r1(range(rng, H * 0.18, H * 0.3)),
    r: r1(range(rng, 11, 20)),
    fill: t.c,
    opacity: 0.85,
  });
  const ridge = (base: number, amp: number, fill: string, opacity: number) => {
    const steps = int(rng, 5, 9);
    const pts = [`0,${H}`];
    for (let k = 0; k <= steps; k++) {
      const x = (W * k) / steps + (k > 0 && k < steps ? range(rng, -12, 12) : 0);
      pts.push(`${r1(x)},${r1(base - range(rng, 0, amp))}`);
    }
    pts.push(`${W},${H}`);
    s.push({ type: 'polygon', points: pts.join(' '), fill, opacity });
  };
  const far = H * range(rng, 0.55, 0.62);
  ridge(far, range(rng, 35, 70), t.a, 0.85);
  // Mist as three faint overlapping bands, so it has no hard edge.
  for (const [dy, h] of [
    [-10, 26],
    [-6, 18],
    [-3, 10],
  ] as const) {
    s.push({ type: 'rect', x: 0, y: r1(far + dy), width: W, height: h, fill: t.bg, opacity: 0.18 });
  }
  ridge(H * range(rng, 0.74, 0.82), range(rng, 20, 45), t.b, 0.92);
  return s;
}

/** Reeds at the water's edge, gathered at one side; sometimes a pair of distant birds. */
function reeds(rng: Rng, t: Tone): Shape[] {
  const wy = H * range(rng, 0.68, 0.76);
  const s: Shape[] = [
    ground(t),
    { type: 'rect', x: 0, y: r1(wy), width: W, height: r1(H - wy), fill: t.a, opacity: 0.45 },
    { type: 'line', x1: 0, y1: r1(wy), x2: W, y2: r1(wy), stroke: t.ink, strokeWidth: 0.6, opacity: 0.3 },
  ];
  const x0 = pick(rng, [W / 4, W / 3, (2 * W) / 3, (3 * W) / 4]);
  const n = int(rng, 5, 9);
  for (let i = 0; i < n; i++) {
    const bx = x0 + range(rng, -24, 24);
    const by = wy + range(rng, 2, 10);
    const h = range(rng, 60, 140);
    const lean = range(rng, -18, 18);
    s.push({
      type: 'path',
      d: `M${r1(bx)} ${r1(by)}Q${r1(bx + lean * 0.3)} ${r1(by - h * 0.5)} ${r1(bx + lean)} ${r1(by - h)}`,
      stroke: t.ink,
      strokeWidth: r1(range(rng, 1, 2.2)),
      fill: 'none',
      linecap: 'round',
      opacity: 0.75,
    });
    if (chance(rng, 0.45)) s.push({ type: 'path', d: ellipse(bx + lean, by - h - 5, 2.4, 6), fill: t.b, opacity: 0.9 });
  }
  if (chance(rng, 0.5)) {
    const birds = int(rng, 1, 2);
    const bx = x0 < W / 2 ? range(rng, W * 0.6, W * 0.78) : range(rng, W * 0.22, W * 0.4);
    for (let i = 0; i < birds; i++) {
      const x = bx + i * range(rng, 14, 24);
      const y = range(rng, H * 0.2, H * 0.32) + i * range(rng, -6, 6);
      s.push({
        type: 'path',
        d: `M${r1(x - 6)} ${r1(y)}Q${r1(x - 3)} ${r1(y - 3.5)} ${r1(x)} ${r1(y)}Q${r1(x + 3)} ${r1(y - 3.5)} ${r1(x + 6)} ${r1(y)}`,
        stroke: t.ink,
        strokeWidth: 1.2,
        fill: 'none',
        linecap: 'round',
        opacity: 0.7,
      });
    }
  }
  return s;
}

/** An arched doorway in a quiet wall, a far horizon and a small sun seen through it. */
function threshold(rng: Rng, t: Tone): Shape[] {
  const fy = H * range(rng, 0.76, 0.82);
  const aw = range(rng, 64, 96);
  const ah = range(rng, 115, 150);
  const x = pick(rng, [W / 2, W / 3, (2 * W) / 3]);
  const top = fy - ah + aw / 2;
  const s: Shape[] = [
    ground(t),
    { type: 'rect', x: 0, y: 0, width: W, height: r1(fy), fill: t.a, opacity: r1(range(rng, 0.2, 0.4) * 100) / 100 },
    { type: 'rect', x: 0, y: r1(fy), width: W, height: r1(H - fy), fill: t.b, opacity: 0.22 },
    {
      type: 'path',
      d: `M${r1(x - aw / 2)} ${r1(fy)}L${r1(x - aw / 2)} ${r1(top)}A${r1(aw / 2)} ${r1(aw / 2)} 0 0 1 ${r1(x + aw / 2)} ${r1(top)}L${r1(x + aw / 2)} ${r1(fy)}Z`,
      fill: t.b,
      opacity: 0.9,
    },
  ];
  const hz = fy - ah * range(rng, 0.25, 0.4);
  s.push({ type: 'line', x1: r1(x - aw / 2), y1: r1(hz), x2: r1(x + aw / 2), y2: r1(hz), stroke: t.bg, strokeWidth: 1, opacity: 0.5 });
  s.push({ type: 'circle', cx: r1(x + range(rng, -aw * 0.2, aw * 0.2)), cy: r1(hz - range(rng, 10, 24)), r: r1(range(rng, 5, 9)), fill: t.c, opacity: 0.95 });
  s.push({
    type: 'polygon',
    points: `${r1(x - aw / 2)},${r1(fy)} ${r1(x + aw / 2)},${r1(fy)} ${r1(x + aw * 0.85)},${H} ${r1(x - aw * 0.85)},${H}`,
    fill: t.b,
    opacity: 0.12,
  });
  return s;
}

const FAMILIES = { horizon, hills, colourField, enso, stillLife, stones, mountains, reeds, threshold } as const;
export type FamilyName = keyof typeof FAMILIES;
export const COMPOSITION_FAMILIES = Object.keys(FAMILIES) as FamilyName[];

/** Families rotate with the seed so any run of consecutive pieces is varied. */
export function familyOf(seed: number): FamilyName {
  return COMPOSITION_FAMILIES[(seed >>> 0) % COMPOSITION_FAMILIES.length];
}

export function generateComposition(seed: number, variant: Variant): Composition {
  const s = seed >>> 0;
  const rng = mulberry32(mixSeed(s));
  const palette = pick(rng, PALETTES);
  const family = familyOf(s);
  return { seed: s, variant, family, width: W, height: H, viewBox: `0 0 ${W} ${H}`, shapes: FAMILIES[family](rng, palette[variant]) };
}

export function compositionId(n: number): string {
  return `composition:${String(n).padStart(3, '0')}`;
}

/** The seed behind a bundled id, or null if the id is not one of ours. */
export function compositionSeed(id: string): number | null {
  const m = /^composition:(\d{3})$/.exec(id);
  if (!m) return null;
  const n = Number(m[1]);
  return n < COMPOSITION_COUNT ? n : null;
}
