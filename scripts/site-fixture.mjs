#!/usr/bin/env node
// npm run site:fixture -- <report.json> [--out <file.html>]
//
// Turns a shape report ("Report a site problem" in the popup: the feed's structure, no text, no
// URLs) into a fixture skeleton: the same structure as a page, "Post N" in every item, ten more
// near the bottom. Checked first with the very schema the extension uses. Writes
// tests/fixtures/feeds/<site>-from-report.html unless told where; prints what it did.
// Exit code 0 when written, 1 when the report is not a valid shape report, 2 on wrong usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './lib/import-ts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  if (message) console.error(message);
  console.error('Usage: npm run site:fixture -- <report.json> [--out <file.html>]');
  process.exit(2);
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : null;
if (outAt >= 0 && !out) usage('--out needs a file name.');
const files = args.filter((a, i) => a !== '--out' && i !== outAt + 1);
if (files.length !== 1) usage();

let raw;
try {
  raw = JSON.parse(readFileSync(files[0], 'utf8'));
} catch (e) {
  console.error(`${files[0]}: ${e instanceof SyntaxError ? 'not JSON' : e.message}`);
  process.exit(1);
}
const { parseShapeReport } = await importTs('utils/feeds/shape-report-schema.ts');
const { shapeToFixture } = await importTs('utils/feeds/shape-fixture.ts');
const parsed = parseShapeReport(raw);
if (!parsed.ok) {
  console.error(`${files[0]} is not a shape report:`);
  for (const e of parsed.errors) console.error(`  ${e}`);
  process.exit(1);
}
const report = parsed.report;
const html = shapeToFixture(report);
const target = out ?? join(ROOT, 'tests', 'fixtures', 'feeds', `${report.site.replace(/[^a-z0-9-]/gi, '_')}-from-report.html`);
writeFileSync(target, html);
const posts = (html.match(/data-fixture-post="/g) ?? []).length;
console.log(
  `Wrote ${relative(process.cwd(), target) || target}: ${posts} posts, site ${report.site}, adapter ${report.adapter.key ?? 'none'} (${report.adapter.status ?? 'no status'}).`,
);
console.log('Next: name the real hooks, add the site’s own behaviours, add a row to tests/fixtures/site-cases.ts (docs/SITES.md).');
