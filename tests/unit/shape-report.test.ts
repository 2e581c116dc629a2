// "Report a site problem": the shape report keeps the feed's structure and nothing of the person.
import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { buildShapeReport, reportSiteOf, type ShapeChild, type ShapeNode, type ShapeReport } from '@/utils/feeds/shape-report';
import { parseShapeReport } from '@/utils/feeds/shape-report-schema';
import { KNOWN_SELECTORS } from '@/utils/feeds/registry';
import { detectGenericAdapter, peekGenericFeed } from '@/utils/feeds/generic';
import { redditAdapter } from '@/utils/feeds/reddit';
import { linkedinAdapter } from '@/utils/feeds/linkedin';
import type { FeedAdapter } from '@/utils/feeds/types';
import { loadFixture, type LoadedFixture } from './feeds-fixture';

let open: LoadedFixture[] = [];
afterEach(async () => {
  await Promise.all(open.map((f) => f.close()));
  open = [];
});
async function load(file: string, url: string): Promise<LoadedFixture> {
  const f = await loadFixture(file, url);
  open.push(f);
  return f;
}

function report(doc: Document, adapter: FeedAdapter | null, site = 'custom'): ShapeReport {
  return buildShapeReport({
    doc,
    site,
    feedRoute: true,
    adapter,
    status: 'working',
    knownSelectors: KNOWN_SELECTORS,
    generic: peekGenericFeed(doc),
    stillframe: '0.1.0',
  });
}

function* nodes(n: ShapeNode): Generator<ShapeNode> {
  yield n;
  for (const c of n.children ?? []) if ('tag' in c) yield* nodes(c);
}
const isNode = (c: ShapeChild): c is ShapeNode => 'tag' in c;

/** Every secret a page can hold, each in a different place. */
const SECRETS = [
  'Alice Liddell wrote this very private post',
  'https://private.example.org/alice/diary',
  'alice@example.com',
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'my-secret-handle',
  'Session-7f3a9c21',
  'wonderland-token-99',
  '+1 555 0100 2368',
  'hunter2-password',
  'a comment the page left',
  'the person typed this',
  'eyJhbGciOiJIUzI1NiJ9.payload.sig',
];

function secretPage(): Document {
  const win = new Window({ url: 'https://social.example/home?session=Session-7f3a9c21' });
  const doc = win.document as unknown as Document;
  doc.title = SECRETS[0];
  const meta = doc.createElement('meta');
  meta.setAttribute('name', 'author');
  meta.setAttribute('content', SECRETS[2]);
  doc.head.append(meta);
  const feed = doc.createElement('main');
  feed.id = 'timeline-of-my-secret-handle';
  feed.setAttribute('role', 'feed');
  feed.setAttribute('aria-label', SECRETS[0]);
  for (let i = 0; i < 8; i++) {
    const post = doc.createElement('article');
    post.className = `post by-my-secret-handle ${SECRETS[7]}`;
    post.id = `post-${SECRETS[6]}-${i}`;
    post.setAttribute('role', 'article');
    post.setAttribute('aria-posinset', String(i + 1));
    post.setAttribute('data-testid', `UserCell-${SECRETS[5]}`);
    post.setAttribute('data-author-email', SECRETS[2]);
    post.setAttribute('data-token', SECRETS[3]);
    post.setAttribute('data-payload', JSON.stringify({ jwt: SECRETS[12] }));
    post.setAttribute('style', `background-image: url(${SECRETS[1]}/bg.png)`);
    post.setAttribute('title', SECRETS[8]);
    const p = doc.createElement('p');
    p.textContent = `${SECRETS[0]} — call ${SECRETS[8]}`;
    const a = doc.createElement('a');
    a.href = `${SECRETS[1]}?t=${SECRETS[4]}`;
    a.setAttribute('ping', SECRETS[1]);
    a.textContent = SECRETS[2];
    const img = doc.createElement('img');
    img.src = `${SECRETS[1]}/photo.jpg`;
    img.setAttribute('srcset', `${SECRETS[1]}/photo@2x.jpg 2x`);
    img.alt = SECRETS[0];
    const form = doc.createElement('form');
    form.action = SECRETS[1];
    const input = doc.createElement('input');
    input.setAttribute('value', SECRETS[9]);
    input.value = SECRETS[11];
    input.placeholder = SECRETS[2];
    const area = doc.createElement('textarea');
    area.value = SECRETS[11];
    form.append(input, area);
    post.append(doc.createComment(SECRETS[10]), p, a, img, form);
    feed.append(post);
  }
  const script = doc.createElement('script');
  script.textContent = `window.token = "${SECRETS[3]}"`;
  doc.body.append(feed, script);
  doc.body.setAttribute('data-user', SECRETS[5]);
  return doc;
}

describe('shape report', () => {
  it('keeps no text, no URL, no attribute value but the allow-listed structure', () => {
    const doc = secretPage();
    const adapter: FeedAdapter = {
      key: 'test',
      name: 'Test',
      matches: () => true,
      isFeedRoute: () => true,
      findContainer: (d) => d.querySelector('main'),
      itemSelector: 'main > article',
    };
    const r = report(doc, adapter);
    const json = JSON.stringify(r);
    for (const secret of SECRETS) expect(json, secret).not.toContain(secret);
    // Not even pieces of them: no scheme, no @, no address fragments.
    for (const piece of ['http', '@', 'example', 'alice', 'Alice', 'secret', 'wonderland', 'sk_live', 'hunter2', '555', 'Session', 'jwt']) {
      expect(json, piece).not.toContain(piece);
    }
    // The structure is all there.
    const all = [...nodes(r.tree)];
    const feed = all.find((n) => n.tag === 'main')!;
    expect(feed.values).toEqual({ role: 'feed' });
    expect(feed.marks).toContain('container');
    expect(feed.attrs).toEqual(['aria-label', 'id', 'role']);
    const posts = feed.children!.filter(isNode);
    expect(posts).toHaveLength(2); // two shown, the rest "like the first"
    expect(feed.children!.find((c) => 'repeat' in c)).toEqual({ repeat: 6, like: 0 });
    expect(posts[0].marks).toEqual(['item', 'generic-item']);
    expect(posts[0].classes).toBe(3);
    expect(posts[0].known).toEqual(['.post']); // the demo adapter's own class: Stillframe's word
    expect(posts[0].values).toEqual({ role: 'article', 'aria-posinset': '1', 'data-testid': 't1' });
    expect(posts[0].attrs).toContain('data-token');
    expect(posts[0].children!.map((c) => (isNode(c) ? c.tag : '?'))).toEqual(['p', 'a', 'img', 'form']);
    expect(posts[0].children!.filter(isNode).find((c) => c.tag === 'p')!.text).toBe(true);
    expect(r.counts).toMatchObject({ containerFound: true, matched: 8, counted: 8, genericItems: 8 });
    expect(r.adapter.itemSelector).toBe('main > article');
  });

  it('validates against its schema, and the schema refuses a report carrying text', () => {
    const r = report(secretPage(), null);
    expect(parseShapeReport(JSON.parse(JSON.stringify(r))).ok).toBe(true);
    const smuggled = JSON.parse(JSON.stringify(r));
    smuggled.tree.text = 'Alice Liddell wrote this';
    expect(parseShapeReport(smuggled).ok).toBe(false);
    const extra = JSON.parse(JSON.stringify(r));
    extra.tree.children[0].label = 'x';
    expect(parseShapeReport(extra).ok).toBe(false);
    expect(parseShapeReport({ format: 'something else' }).ok).toBe(false);
  });

  it('names the site without its host', () => {
    expect(reportSiteOf('mastodon:social.example')).toBe('mastodon');
    expect(reportSiteOf('custom:my-secret-handle.example')).toBe('custom');
    expect(reportSiteOf('reddit')).toBe('reddit');
  });

  it('on old Reddit with RES: the nested pages, the page markers and what the adapter counted', async () => {
    const f = await load('old-reddit-res.html', 'https://old.reddit.com/');
    await f.scrollToLoad();
    const r = report(f.doc, redditAdapter, 'reddit');
    expect(JSON.stringify(r)).not.toMatch(/Post \d|reddit\.com|\/r\/|user\d/);
    expect(r.counts).toMatchObject({ containerFound: true, counted: 50, matched: 52, lookalikes: 0 });
    const table = [...nodes(r.tree)].find((n) => n.known?.includes('#siteTable'))!;
    expect(table.marks).toContain('container');
    const nested = table
      .children!.filter(isNode)
      .filter((c) => c.tag === 'div' && c.classes === 2 && c.children?.some((k) => isNode(k) && k.marks?.includes('item')));
    expect(nested.length).toBe(1); // page 2, a sitetable inside #siteTable
    expect(r.counts.containerDepth).toBe(2);
  });

  it('never changes the page', async () => {
    const f = await load('linkedin.html', 'https://www.linkedin.com/feed/');
    const before = f.doc.body.outerHTML;
    report(f.doc, linkedinAdapter, 'linkedin');
    expect(f.doc.body.outerHTML).toBe(before);
    // The generic detector's view is only looked at, not tagged.
    expect(f.doc.querySelector('[data-stillframe-feed]')).toBeNull();
    expect(detectGenericAdapter(f.doc)).not.toBeNull(); // (unlike detection proper)
  });
});
