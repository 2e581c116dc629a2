import { useMemo } from 'preact/hooks';
import { generateComposition, type Shape, type Variant } from '@/utils/frames/curated/compositions';

/**
 * Draws a generated composition as real SVG elements built by Preact. Never a string of
 * markup and never a data: URL, so it renders under strict CSP and Trusted Types alike.
 */
export function Composition({ seed, variant, label }: { seed: number; variant: Variant; label: string }) {
  const piece = useMemo(() => generateComposition(seed, variant), [seed, variant]);
  return (
    <svg class="sf-composition" viewBox={piece.viewBox} role="img" aria-label={label}>
      {piece.shapes.map(shapeEl)}
    </svg>
  );
}

/** A plain function, not a component: no component instance per shape (less heap per frame on the page). */
function shapeEl(s: Shape, key: number) {
  const paint = {
    fill: s.fill ?? 'none',
    stroke: s.stroke,
    'stroke-width': s.strokeWidth,
    'stroke-linecap': s.linecap,
    opacity: s.opacity,
  };
  switch (s.type) {
    case 'rect':
      return <rect key={key} x={s.x} y={s.y} width={s.width} height={s.height} rx={s.rx} {...paint} />;
    case 'circle':
      return <circle key={key} cx={s.cx} cy={s.cy} r={s.r} {...paint} />;
    case 'line':
      return <line key={key} x1={s.x1} y1={s.y1} x2={s.x2} y2={s.y2} {...paint} />;
    case 'path':
      return <path key={key} d={s.d} {...paint} />;
    case 'polygon':
      return <polygon key={key} points={s.points} {...paint} />;
  }
}
