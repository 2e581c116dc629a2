// What a store asks of a submission, checked against the real packages before anyone uploads:
// pure functions over what scripts/release.mjs read from disk (zips, images, docs), so that
// tests/unit/release-checks.test.ts can feed them broken inputs and see each check fail.

/** Manifest icon sizes every store needs (Chrome lists 128; toolbars and AMO use the rest). */
export const ICON_SIZES = [16, 32, 48, 96, 128];
export const LOCALES = ['en', 'zh_CN'];
export const LIMITS = { name: 45, description: 132 };
export const PROMO = { width: 440, height: 280 };
export const SCREENSHOT = { width: 1280, height: 800 };

/**
 * @typedef {{ status: 'ok' | 'fail' | 'manual', title: string, detail: string }} Check
 * @typedef {Record<string, Uint8Array>} ZipEntries
 * @typedef {{
 *   version: string,
 *   chrome: ZipEntries, firefox: ZipEntries, sources: string[],
 *   promo: { width: number, height: number } | null,
 *   screenshots: Record<string, Array<{ name: string, width: number, height: number }>>,
 *   storeMd: string, privacyMd: string | null,
 *   privacyUrl: string | null,
 *   lint: { errors: Array<{ code: string, message: string }>, warnings: Array<{ code: string, message: string }> } | null,
 * }} ReleaseInput
 */

/**
 * Width and height of a PNG, or null when the bytes are not one.
 * @param {Uint8Array | undefined} bytes
 */
export function pngSize(bytes) {
  if (!bytes || bytes.length < 24) return null;
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => bytes[i] === b)) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

const text = (bytes) => new TextDecoder().decode(bytes);
function json(entries, name) {
  try {
    return entries[name] ? JSON.parse(text(entries[name])) : null;
  } catch {
    return null;
  }
}

const ok = (title, detail) => ({ status: 'ok', title, detail });
const fail = (title, detail) => ({ status: 'fail', title, detail });
const manual = (title, detail) => ({ status: 'manual', title, detail });

/** The rows of docs/STORE.md's permissions table: [manifest key, value, justification]. */
export function permissionRows(storeMd) {
  const start = storeMd.indexOf('### Permissions');
  if (start < 0) return [];
  const rows = [];
  for (const line of storeMd.slice(start).split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 3 || /^-+$/.test(cells[0]) || cells[0] === 'manifest key') continue;
    rows.push([cells[0].replace(/`/g, ''), cells[1], cells[2]]);
  }
  return rows;
}

/**
 * Every check, in the order a reviewer meets them.
 * @param {ReleaseInput} input
 * @returns {Check[]}
 */
export function releaseChecks(input) {
  /** @type {Check[]} */
  const out = [];
  const manifests = { chrome: json(input.chrome, 'manifest.json'), firefox: json(input.firefox, 'manifest.json') };

  // Packages and their manifests.
  for (const [browser, m] of Object.entries(manifests)) {
    const title = `${browser} zip: manifest.json at the root, MV3, version ${input.version}`;
    if (!m) out.push(fail(title, 'no readable manifest.json at the zip root'));
    else if (m.manifest_version !== 3 || m.version !== input.version) out.push(fail(title, `manifest_version ${m.manifest_version}, version ${m.version}`));
    else out.push(ok(title, `${Object.keys(input[browser]).length} files`));
  }
  const maps = [...Object.keys(input.chrome), ...Object.keys(input.firefox)].filter((n) => n.endsWith('.map'));
  out.push(maps.length ? fail('no source maps in the store zips', maps.join(', ')) : ok('no source maps in the store zips', 'none'));
  // The development-only logger (utils/dev-log.ts) is dropped by the minifier in a release build.
  const text = new TextDecoder();
  const logging = Object.entries({ chrome: input.chrome, firefox: input.firefox }).flatMap(([browser, files]) =>
    Object.entries(files)
      .filter(([name, bytes]) => name.endsWith('.js') && bytes && text.decode(bytes).includes('[stillframe] '))
      .map(([name]) => `${browser}: ${name}`),
  );
  out.push(logging.length ? fail('no development logging in the store zips', logging.join(', ')) : ok('no development logging in the store zips', 'none'));
  const needed = ['package.json', 'package-lock.json', 'wxt.config.ts', 'docs/STORE.md'];
  const missingSrc = needed.filter((n) => !input.sources.includes(n));
  const junk = input.sources.filter((n) => /^(node_modules|\.output|\.git|tests|artifacts)\//.test(n));
  out.push(
    missingSrc.length || junk.length
      ? fail(
          'sources zip rebuilds the add-on (AMO)',
          [missingSrc.length && `missing ${missingSrc.join(', ')}`, junk.length && `should not hold ${junk.slice(0, 3).join(', ')}`].filter(Boolean).join('; '),
        )
      : ok('sources zip rebuilds the add-on (AMO)', `${input.sources.length} files, lockfile included`),
  );

  // Icons.
  for (const [browser, m] of Object.entries(manifests)) {
    if (!m) continue;
    const bad = [];
    for (const size of ICON_SIZES) {
      const path = m.icons?.[String(size)];
      const dim = path ? pngSize(input[browser][path.replace(/^\//, '')]) : null;
      if (!dim || dim.width !== size || dim.height !== size) bad.push(`${size}px${path ? ` (${path})` : ''}`);
    }
    out.push(
      bad.length
        ? fail(`${browser} icons`, `missing or wrong size: ${bad.join(', ')}`)
        : ok(`${browser} icons`, ICON_SIZES.map((s) => `${s}`).join('/') + ' px PNG'),
    );
  }

  // Locales: the store name and summary come from _locales.
  for (const [browser, m] of Object.entries(manifests)) {
    if (!m) continue;
    const problems = [];
    if (m.default_locale !== 'en') problems.push(`default_locale is ${m.default_locale}`);
    for (const locale of LOCALES) {
      const msgs = json(input[browser], `_locales/${locale}/messages.json`);
      const name = msgs?.extName?.message ?? '';
      const desc = msgs?.extDescription?.message ?? '';
      if (!msgs) problems.push(`${locale}: no messages.json`);
      else {
        if (!name || name.length > LIMITS.name) problems.push(`${locale}: name "${name}" (${name.length}, limit ${LIMITS.name})`);
        if (!desc || desc.length > LIMITS.description) problems.push(`${locale}: description of ${desc.length} characters (limit ${LIMITS.description})`);
      }
    }
    out.push(
      problems.length
        ? fail(`${browser} locales ${LOCALES.join(', ')}`, problems.join('; '))
        : ok(`${browser} locales ${LOCALES.join(', ')}`, "name and summary within the stores' limits"),
    );
  }

  // Hosts: a release never asks for local or plain-http hosts at install.
  for (const [browser, m] of Object.entries(manifests)) {
    if (!m) continue;
    const matches = (m.content_scripts ?? []).flatMap((cs) => cs.matches ?? []);
    const local = [...(m.host_permissions ?? []), ...matches].filter((p) => /^http:|127\.0\.0\.1|localhost|<all_urls>|^\*:/.test(p));
    out.push(
      local.length
        ? fail(`${browser}: no development hosts at install`, [...new Set(local)].join(', '))
        : ok(`${browser}: no development hosts at install`, `${(m.host_permissions ?? []).length} https feed hosts`),
    );
  }

  // Browser floors.
  const c = manifests.chrome;
  const g = manifests.firefox?.browser_specific_settings?.gecko;
  out.push(
    c?.minimum_chrome_version
      ? ok('Chrome/Edge floor declared', `minimum_chrome_version ${c.minimum_chrome_version}`)
      : fail('Chrome/Edge floor declared', 'no minimum_chrome_version'),
  );
  out.push(
    g?.strict_min_version && g?.id && g?.data_collection_permissions
      ? ok(
          'Firefox id, floor and data-collection declaration',
          `${g.id}, ${g.strict_min_version}+, collects ${JSON.stringify(g.data_collection_permissions.required)}`,
        )
      : fail(
          'Firefox id, floor and data-collection declaration',
          'browser_specific_settings.gecko needs id, strict_min_version and data_collection_permissions',
        ),
  );

  // Permission justifications: every line of power in the manifest has its sentence in STORE.md.
  const rows = permissionRows(input.storeMd);
  const justified = (key, needle) => rows.some(([k, v, why]) => k === key && v.includes(needle) && why.length >= 20);
  const unjustified = [];
  for (const p of c?.permissions ?? []) if (!justified('permissions', `\`${p}\``)) unjustified.push(`permissions ${p}`);
  for (const p of c?.optional_host_permissions ?? []) if (!justified('optional_host_permissions', `\`${p}\``)) unjustified.push(`optional host ${p}`);
  for (const p of c?.host_permissions ?? []) {
    const host = p.replace(/^[a-z*]+:\/\//, '').replace(/\/.*$/, '');
    if (!justified('host_permissions', `\`${host}\``)) unjustified.push(`host ${host}`);
  }
  const stale = rows.filter(([k, v]) => k === 'host_permissions' && /127\.0\.0\.1|localhost/.test(v));
  if (stale.length) unjustified.push('STORE.md still justifies local hosts a release does not ask for');
  out.push(
    unjustified.length
      ? fail('permission justifications (docs/STORE.md)', unjustified.join('; '))
      : ok(
          'permission justifications (docs/STORE.md)',
          `${(c?.permissions ?? []).length} permissions, ${(c?.host_permissions ?? []).length} hosts, ${(c?.optional_host_permissions ?? []).length} optional hosts`,
        ),
  );

  // Privacy policy.
  if (!input.privacyMd || !/privacy policy/i.test(input.privacyMd)) out.push(fail('privacy policy', 'PRIVACY.md is missing'));
  else if (!input.privacyMd.includes('隐私政策')) out.push(fail('privacy policy', 'PRIVACY.md has no Simplified Chinese section'));
  else out.push(ok('privacy policy', 'PRIVACY.md in English and 简体中文'));
  out.push(
    input.privacyUrl && /^https:\/\//.test(input.privacyUrl)
      ? ok('privacy policy link', input.privacyUrl)
      : manual('privacy policy link', 'paste the public https URL of PRIVACY.md into each store (set "privacyPolicyUrl" in package.json to check it here)'),
  );

  // Listing images.
  out.push(
    input.promo && input.promo.width === PROMO.width && input.promo.height === PROMO.height
      ? ok('Chrome small promo tile', `${PROMO.width}×${PROMO.height}`)
      : fail('Chrome small promo tile', input.promo ? `${input.promo.width}×${input.promo.height}` : 'missing'),
  );
  for (const locale of LOCALES) {
    const shots = input.screenshots[locale] ?? [];
    const wrong = shots.filter((s) => s.width !== SCREENSHOT.width || s.height !== SCREENSHOT.height);
    out.push(
      shots.length === 0 || wrong.length
        ? fail(`screenshots (${locale})`, shots.length ? `wrong size: ${wrong.map((s) => s.name).join(', ')}` : 'none (run `npm run demo -- --docs`)')
        : ok(`screenshots (${locale})`, `${shots.length} at ${SCREENSHOT.width}×${SCREENSHOT.height}`),
    );
  }

  // Listing texts.
  const hasListing = (heading) => input.storeMd.includes(heading);
  out.push(
    hasListing('### English (`en`)') && hasListing('### 简体中文 (`zh_CN`)')
      ? ok('listing texts', 'en and zh_CN in docs/STORE.md')
      : fail('listing texts', 'docs/STORE.md lacks an en or zh_CN listing'),
  );

  // AMO's linter.
  if (!input.lint) out.push(fail('web-ext lint (what AMO runs)', 'did not run'));
  else {
    const all = [...input.lint.errors, ...input.lint.warnings];
    out.push(
      all.length
        ? fail('web-ext lint (what AMO runs)', all.map((m) => `${m.code}: ${m.message}`).join('; '))
        : ok('web-ext lint (what AMO runs)', '0 errors, 0 warnings'),
    );
  }
  return out;
}

/**
 * The checklist as printed: one line per check, ✓ / ✗ / ○ (by hand).
 * @param {Check[]} checks
 * @returns {string}
 */
export function formatChecklist(checks) {
  const mark = { ok: '✓', fail: '✗', manual: '○' };
  return checks.map((c) => `  ${mark[c.status]} ${c.title} — ${c.detail}`).join('\n');
}

/**
 * The new version for `bump` (patch, minor, major, or an explicit x.y.z) from `current`.
 * @param {string} current
 * @param {string} bump
 */
export function nextVersion(current, bump) {
  if (/^\d+\.\d+\.\d+$/.test(bump)) return bump;
  const [maj, min, pat] = current.split('.').map(Number);
  if (bump === 'major') return `${maj + 1}.0.0`;
  if (bump === 'minor') return `${maj}.${min + 1}.0`;
  if (bump === 'patch') return `${maj}.${min}.${pat + 1}`;
  throw new Error(`unknown version bump "${bump}": use patch, minor, major or x.y.z`);
}

/**
 * CHANGELOG.md with a section for `version`: what was under "## Unreleased" moves there (and
 * Unreleased is left empty); when that was empty, `fallback` lines (commit subjects) are used.
 * @param {string} changelog
 * @param {string} version
 * @param {string} date
 * @param {string[]} fallback
 */
export function addChangelogEntry(changelog, version, date, fallback) {
  const header = '# Changelog\n\nWhat changed in each release of Stillframe, newest first.\n\n## Unreleased\n\n';
  const doc = changelog?.includes('## Unreleased') ? changelog : header + (changelog ? changelog.replace(/^# Changelog\s*/, '') : '');
  if (new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm').test(doc)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
  const start = doc.indexOf('## Unreleased');
  const afterHeading = doc.indexOf('\n', start) + 1;
  const next = doc.indexOf('\n## ', afterHeading);
  const body = doc.slice(afterHeading, next < 0 ? doc.length : next + 1).trim();
  const entries = body || fallback.map((l) => `- ${l}`).join('\n') || '- Maintenance release.';
  const rest = next < 0 ? '' : doc.slice(next + 1);
  return `${doc.slice(0, afterHeading)}\n## ${version} — ${date}\n\n${entries}\n\n${rest}`.replace(/\n{3,}/g, '\n\n');
}
