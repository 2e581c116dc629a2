import * as v from 'valibot';
import type { ShapeChild, ShapeNode, ShapeReport } from './shape-report';
import { SHAPE_REPORT_FORMAT, SHAPE_REPORT_VERSION } from './shape-report';

/**
 * The one schema of a shape report (utils/feeds/shape-report.ts): checked by the background
 * before the popup shows a report a tab sent, and by `npm run site:fixture` before it turns a
 * saved report into a fixture. Apart from the module so the content script, which builds
 * reports, does not bundle valibot. Strings are short and bounded: a report that carried more
 * than names and small allow-listed values would not validate.
 */
const Name = v.pipe(v.string(), v.maxLength(64));
const Small = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000));
const Mark = v.picklist(['container', 'item', 'skipped', 'lookalike', 'generic-container', 'generic-item', 'frame']);

const NodeSchema: v.GenericSchema<ShapeNode> = v.strictObject({
  tag: Name,
  attrs: v.optional(v.pipe(v.array(Name), v.maxLength(200))),
  values: v.optional(
    v.pipe(
      v.record(Name, v.pipe(v.string(), v.maxLength(120))),
      v.check((r) => Object.keys(r).length <= 50, 'too many values'),
    ),
  ),
  classes: v.optional(Small),
  known: v.optional(v.pipe(v.array(Name), v.maxLength(50))),
  marks: v.optional(v.pipe(v.array(Mark), v.maxLength(7))),
  text: v.optional(v.literal(true)),
  pos: v.optional(v.picklist(['absolute', 'fixed', 'transform'])),
  shadow: v.optional(v.literal(true)),
  children: v.optional(v.pipe(v.array(v.lazy(() => ChildSchema)), v.maxLength(5000))),
}) as v.GenericSchema<ShapeNode>;

const ChildSchema: v.GenericSchema<ShapeChild> = v.union([
  v.strictObject({ repeat: Small, like: Small }),
  v.strictObject({ omitted: Small }),
  NodeSchema,
]) as v.GenericSchema<ShapeChild>;

export const ShapeReportSchema: v.GenericSchema<ShapeReport> = v.strictObject({
  format: v.literal(SHAPE_REPORT_FORMAT),
  version: v.literal(SHAPE_REPORT_VERSION),
  stillframe: v.pipe(v.string(), v.maxLength(32)),
  site: Name,
  feedRoute: v.boolean(),
  adapter: v.strictObject({
    key: v.nullable(Name),
    status: v.nullable(v.picklist(['working', 'widened', 'fallback', 'not-feed', 'waiting'])),
    itemSelector: v.nullable(v.pipe(v.string(), v.maxLength(1000))),
  }),
  counts: v.strictObject({
    containerFound: v.boolean(),
    containerDepth: v.nullable(Small),
    matched: Small,
    counted: Small,
    lookalikes: Small,
    genericItems: Small,
    described: Small,
  }),
  viewport: v.strictObject({ width: Small, height: Small }),
  tree: NodeSchema,
}) as v.GenericSchema<ShapeReport>;

/** Validates a report from anywhere (a tab, a file); the problems as "path: reason" lines. */
export function parseShapeReport(raw: unknown): { ok: true; report: ShapeReport } | { ok: false; errors: string[] } {
  const r = v.safeParse(ShapeReportSchema, raw);
  if (r.success) return { ok: true, report: r.output };
  return { ok: false, errors: r.issues.slice(0, 20).map((i) => `${v.getDotPath(i) ?? 'report'}: ${i.message}`) };
}
