// Each site adapter against its site-shaped fixture (tests/fixtures/feeds/<site>.html), loaded
// at the site's real URL with the fixture's own script running.
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedAdapter } from '@/utils/feeds/types';
import { loadFixture, makeHost, type LoadedFixture } from './feeds-fixture';
import { xAdapter } from '@/utils/feeds/x';
import { redditAdapter } from '@/utils/feeds/reddit';
import { youtubeAdapter } from '@/utils/feeds/youtube';
import { instagramAdapter } from '@/utils/feeds/instagram';
import { facebookAdapter } from '@/utils/feeds/facebook';
import { linkedinAdapter } from '@/utils/feeds/linkedin';
import { blueskyAdapter } from '@/utils/feeds/bluesky';
import { threadsAdapter } from '@/utils/feeds/threads';
import { tumblrAdapter } from '@/utils/feeds/tumblr';
import { mastodonAdapter } from '@/utils/feeds/mastodon';
import { demoSite } from '@/utils/feeds/demo';

const demoAdapter = demoSite.adapter;

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

const at = (url: string) => new URL(url) as unknown as Location;

function countable(a: FeedAdapter, doc: Document): Element[] {
  const c = a.findContainer(doc);
  if (!c) return [];
  return Array.from(c.querySelectorAll(a.itemSelector)).filter((el) => !a.isCountable || a.isCountable(el));
}

function insert(a: FeedAdapter, item: Element, host: HTMLElement): void {
  if (a.insertFrame) a.insertFrame(item, host);
  else item.after(host);
}

const postNumber = (el: Element | null) => Number(el?.textContent?.match(/Post (\d+)/)?.[1] ?? NaN);

interface Case {
  adapter: FeedAdapter;
  fixture: string;
  url: string;
  otherHosts: string[];
  feedRoutes: string[];
  notFeedRoutes: string[];
  /** Countable items right after load (fixtures render 20 posts). */
  items: number;
}

const CASES: Case[] = [
  {
    adapter: xAdapter,
    fixture: 'x.html',
    url: 'https://x.com/home',
    otherHosts: ['https://twitter.com/home'],
    feedRoutes: ['/home', '/i/lists/123', '/search?q=cats'],
    notFeedRoutes: ['/jack/status/20', '/settings', '/jack'],
    items: 7, // virtualised: only cells near the viewport exist (8 cells, one is "Who to follow")
  },
  {
    adapter: redditAdapter,
    fixture: 'reddit.html',
    url: 'https://www.reddit.com/',
    otherHosts: ['https://old.reddit.com/'],
    feedRoutes: ['/', '/r/pics/', '/r/pics/top/', '/r/pics/new', '/search/?q=x', '/r/popular/'],
    notFeedRoutes: ['/r/pics/comments/abc/title/', '/settings/', '/user/x/', '/r/pics/wiki/'],
    items: 20,
  },
  {
    adapter: redditAdapter,
    fixture: 'old-reddit.html',
    url: 'https://old.reddit.com/',
    otherHosts: [],
    feedRoutes: ['/', '/r/cats/'],
    notFeedRoutes: ['/r/cats/comments/abc/title/'],
    items: 20,
  },
  {
    adapter: youtubeAdapter,
    fixture: 'youtube.html',
    url: 'https://www.youtube.com/',
    otherHosts: [],
    feedRoutes: ['/', '/feed/subscriptions', '/shorts/abc'],
    notFeedRoutes: ['/watch?v=x', '/@channel', '/feed/history'],
    items: 20,
  },
  {
    adapter: instagramAdapter,
    fixture: 'instagram.html',
    url: 'https://www.instagram.com/',
    otherHosts: [],
    feedRoutes: ['/'],
    notFeedRoutes: ['/p/Cx1/', '/explore/', '/reels/', '/someone/'],
    items: 20,
  },
  {
    adapter: facebookAdapter,
    fixture: 'facebook.html',
    url: 'https://www.facebook.com/',
    otherHosts: ['https://web.facebook.com/', 'https://m.facebook.com/'],
    feedRoutes: ['/', '/home.php', '/groups/feed/'],
    notFeedRoutes: ['/ana/posts/pfbid01', '/marketplace/', '/permalink.php'],
    items: 20,
  },
  {
    adapter: linkedinAdapter,
    fixture: 'linkedin.html',
    url: 'https://www.linkedin.com/feed/',
    otherHosts: [],
    feedRoutes: ['/feed/', '/feed'],
    notFeedRoutes: ['/feed/update/urn:li:activity:1/', '/in/me/', '/jobs/'],
    items: 20,
  },
  {
    adapter: blueskyAdapter,
    fixture: 'bluesky.html',
    url: 'https://bsky.app/',
    otherHosts: [],
    feedRoutes: ['/', '/profile/bsky.app/feed/whats-hot'],
    notFeedRoutes: ['/profile/alice.bsky.social/post/3k1', '/settings'],
    items: 20,
  },
  {
    adapter: threadsAdapter,
    fixture: 'threads.html',
    url: 'https://www.threads.com/',
    otherHosts: ['https://www.threads.net/', 'https://threads.net/'],
    feedRoutes: ['/', '/following', '/for_you'],
    notFeedRoutes: ['/@zuck/post/C1', '/@zuck'],
    items: 20,
  },
  {
    adapter: tumblrAdapter,
    fixture: 'tumblr.html',
    url: 'https://www.tumblr.com/dashboard',
    otherHosts: [],
    feedRoutes: ['/dashboard', '/dashboard/following'],
    notFeedRoutes: ['/staff/700001', '/settings/account', '/'],
    items: 20,
  },
  {
    adapter: mastodonAdapter,
    fixture: 'mastodon.html',
    url: 'https://social.example/home',
    otherHosts: [],
    feedRoutes: ['/home', '/public/local', '/tags/cats', '/lists/4', '/web/timelines/home'],
    notFeedRoutes: ['/@alice/110000000000000001', '/settings/profile', '/notifications'],
    items: 20,
  },
  {
    adapter: demoAdapter,
    fixture: 'demo.html',
    url: 'http://127.0.0.1:8377/demo.html',
    otherHosts: [],
    feedRoutes: ['/', '/demo.html'],
    notFeedRoutes: ['/post/3'],
    items: 20,
  },
];

describe.each(CASES)('$adapter.key on $fixture', (c) => {
  it('owns its hosts and not others', async () => {
    const f = await load(c.fixture, c.url);
    expect(c.adapter.matches(f.loc, f.doc)).toBe(true);
    for (const other of c.otherHosts) expect(c.adapter.matches(at(other), f.doc)).toBe(true);
    if (c.adapter !== mastodonAdapter) {
      const blank = await load('demo.html', 'https://example.org/');
      blank.doc.querySelector('meta[name="stillframe-demo"]')?.remove();
      blank.doc.getElementById('feed')?.remove();
      expect(c.adapter.matches(at('https://example.org/'), blank.doc)).toBe(false);
    }
  });

  it('tells feed routes from single posts and settings', () => {
    const origin = new URL(c.url).origin;
    for (const r of c.feedRoutes) expect(c.adapter.isFeedRoute(at(origin + r), document), r).toBe(true);
    for (const r of c.notFeedRoutes) expect(c.adapter.isFeedRoute(at(origin + r), document), r).toBe(false);
  });

  it('finds the container and counts the posts', async () => {
    const f = await load(c.fixture, c.url);
    expect(f.errors).toEqual([]);
    expect(c.adapter.isFeedRoute(f.loc, f.doc)).toBe(true);
    expect(c.adapter.findContainer(f.doc)).not.toBeNull();
    const items = countable(c.adapter, f.doc);
    expect(items).toHaveLength(c.items);
    expect(postNumber(items[0])).toBe(1);
  });

  it('sees the items the page appends on scroll', async () => {
    const f = await load(c.fixture, c.url);
    // X is virtualised (more cells mount only with real layout) and the demo loads on an
    // IntersectionObserver, which happy-dom never fires: both are covered end to end.
    if (c.adapter === xAdapter || c.adapter === demoAdapter) return;
    await f.scrollToLoad();
    expect(countable(c.adapter, f.doc)).toHaveLength(c.items + 10);
  });

  it('follows SPA navigation to a post and back', async () => {
    const f = await load(c.fixture, c.url);
    const feedPath = f.loc.pathname;
    f.clickLink('Open post');
    expect(f.loc.pathname).not.toBe(feedPath);
    expect(c.adapter.isFeedRoute(f.loc, f.doc)).toBe(false);
    f.win.history.back();
    await new Promise((r) => setTimeout(r, 30));
    expect(f.loc.pathname).toBe(feedPath);
    expect(c.adapter.isFeedRoute(f.loc, f.doc)).toBe(true);
    expect(countable(c.adapter, f.doc).length).toBe(c.items);
  });

  it('puts a frame right after an item, inside the feed', async () => {
    const f = await load(c.fixture, c.url);
    const items = countable(c.adapter, f.doc);
    const item = items[2];
    const host = makeHost(f.doc);
    insert(c.adapter, item, host);
    expect(c.adapter.findContainer(f.doc)!.contains(host)).toBe(true);
    // What the reader sees just above the frame is post 3 …
    expect(postNumber(host.previousElementSibling)).toBe(3);
    // … and the frame is never counted as a post.
    expect(countable(c.adapter, f.doc)).toHaveLength(c.items);
    if (c.adapter !== xAdapter) expect(item.contains(host)).toBe(false);
  });
});

describe('X specifics', () => {
  it('puts the frame inside the virtualised cell, after the tweet', async () => {
    const f = await load('x.html', 'https://x.com/home');
    const cell = countable(xAdapter, f.doc)[0];
    expect(cell.getAttribute('style')).toMatch(/position:\s*absolute/);
    expect(cell.getAttribute('style')).toMatch(/translateY/);
    const host = makeHost(f.doc);
    xAdapter.insertFrame!(cell.querySelector('article')!, host); // even if handed the article
    expect(host.parentElement).toBe(cell);
    expect(cell.lastElementChild).toBe(host);
    expect(host.previousElementSibling!.querySelector('article[data-testid="tweet"]')).not.toBeNull();
  });

  it('does not count "Who to follow" cells', async () => {
    const f = await load('x.html', 'https://x.com/home');
    const cells = f.doc.querySelectorAll(xAdapter.itemSelector);
    expect(cells.length).toBe(8);
    expect(countable(xAdapter, f.doc)).toHaveLength(7);
  });

  it('ignores the sidebar region and the conversation view', async () => {
    const f = await load('x.html', 'https://x.com/home');
    expect(xAdapter.findContainer(f.doc)!.closest('[data-testid="primaryColumn"]')).not.toBeNull();
    f.clickLink('Open post');
    expect(f.loc.pathname).toMatch(/\/status\/1$/);
    expect(xAdapter.isFeedRoute(f.loc, f.doc)).toBe(false);
  });
});

describe('Reddit specifics', () => {
  it('goes after the post’s <article> wrapper on new Reddit and skips ads', async () => {
    const f = await load('reddit.html', 'https://www.reddit.com/');
    expect(f.doc.querySelectorAll('shreddit-ad-post').length).toBeGreaterThan(0);
    const post = countable(redditAdapter, f.doc)[0];
    const host = makeHost(f.doc);
    redditAdapter.insertFrame!(post, host);
    expect(host.parentElement!.localName).toBe('shreddit-feed');
    expect(host.previousElementSibling).toBe(post.parentElement);
  });

  it('does not count promoted links on old Reddit', async () => {
    const f = await load('old-reddit.html', 'https://old.reddit.com/');
    const all = f.doc.querySelectorAll(redditAdapter.itemSelector);
    expect(all.length).toBe(22);
    expect(countable(redditAdapter, f.doc).every((t) => !t.classList.contains('promoted'))).toBe(true);
  });

  it('counts every page RES nests inside #siteTable (never-ending Reddit), promoted links aside', async () => {
    const f = await load('old-reddit-res.html', 'https://old.reddit.com/');
    expect(countable(redditAdapter, f.doc)).toHaveLength(25);
    await f.scrollToLoad();
    await f.scrollToLoad();
    const table = f.doc.getElementById('siteTable')!;
    // The fixture reproduces RES: two more pages, each a .sitetable after a page marker, nested.
    expect(table.querySelectorAll(':scope > .NERPageMarker')).toHaveLength(2);
    expect(table.querySelectorAll(':scope > .sitetable')).toHaveLength(2);
    expect(table.querySelectorAll(':scope > .thing:not(.promoted)')).toHaveLength(25); // what `#siteTable > .thing` saw
    const items = countable(redditAdapter, f.doc);
    expect(items).toHaveLength(75);
    expect(items.map(postNumber)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    expect(items.some((t) => t.classList.contains('promoted'))).toBe(false);
    // A frame on page 3 goes right after its post, inside that page's table: between posts.
    const host = makeHost(f.doc);
    redditAdapter.insertFrame!(items[60], host);
    expect(host.previousElementSibling).toBe(items[60]);
    expect(host.parentElement!.matches('#siteTable > .sitetable')).toBe(true);
  });

  it('does not count comments on an old Reddit comments page (route)', async () => {
    const f = await load('old-reddit.html', 'https://old.reddit.com/r/cats/comments/p3/post_3/');
    expect(redditAdapter.isFeedRoute(f.loc, f.doc)).toBe(false);
  });
});

describe('YouTube specifics', () => {
  it('spans the grid row and skips ads and the Shorts shelf', async () => {
    const f = await load('youtube.html', 'https://www.youtube.com/');
    const all = f.doc.querySelectorAll('ytd-browse[page-subtype="home"] ytd-rich-item-renderer');
    expect(all.length).toBeGreaterThan(20); // 20 videos + ad slots + shelf items
    const item = countable(youtubeAdapter, f.doc)[5];
    const host = makeHost(f.doc);
    youtubeAdapter.insertFrame!(item, host);
    expect(host.style.getPropertyValue('grid-column')).toMatch(/1\s*\/\s*-1/);
    expect(host.style.getPropertyValue('flex-basis')).toBe('100%');
    expect(host.parentElement!.id).toBe('contents');
  });

  /**
   * A grid of `spec` ('v' a video, 'h' a video hidden as a content blocker hides an ad, 's' a
   * section such as the Shorts shelf, 'c' the continuation spinner), `perRow` to a row by the grid's computed custom property
   * (set on the items themselves here: jsdom does not inherit custom properties).
   */
  function grid(spec: string, perRow: number | null, extraCss = ''): Element[] {
    document.body.innerHTML = '';
    const style = document.createElement('style');
    style.textContent = `${perRow ? `ytd-rich-item-renderer { --ytd-rich-grid-items-per-row: ${perRow}; }` : ''} .blocked { display: none; } ${extraCss}`;
    const contents = document.createElement('div');
    contents.id = 'contents';
    [...spec].forEach((c, i) => {
      const el = document.createElement(c === 's' ? 'ytd-rich-section-renderer' : c === 'c' ? 'ytd-continuation-item-renderer' : 'ytd-rich-item-renderer');
      el.id = `i${i}`;
      if (c === 'h') el.className = 'blocked';
      contents.append(el);
    });
    document.body.append(style, contents);
    return Array.from(contents.children);
  }
  /** Where the frame planned after `item` without layout lands: the id of the element before it, or null (no plan). */
  function plannedAfter(item: Element): string | null {
    const plan = youtubeAdapter.planFrame!(item, false);
    if (!plan) return null;
    const host = document.createElement('stillframe-pause');
    plan(host);
    expect(host.style.getPropertyValue('flex-basis')).toBe('100%');
    return host.previousElementSibling!.id;
  }

  it('plans the row end without layout, by the computed items per row: hidden items take no cell, a section starts a row', () => {
    let items = grid('vvvvvvvvvv', 4);
    expect(plannedAfter(items[5])).toBe('i7'); // row 2 is items 4–7
    expect(plannedAfter(items[3])).toBe('i3');
    // The last row (8, 9) may still grow: not decidable now — nor before the continuation
    // spinner the page appends before.
    expect(plannedAfter(items[8])).toBeNull();
    items = grid('vvvvvvc', 4);
    expect(plannedAfter(items[5])).toBeNull();
    expect(plannedAfter(items[1])).toBe('i3');
    // Item 2 hidden by a content blocker's style: row 1 is 0, 1, 3, 4.
    items = grid('vvhvvvvvvv', 4);
    expect(plannedAfter(items[1])).toBe('i4');
    expect(plannedAfter(items[5])).toBe('i8');
    // A section after item 5 ends row 2 short (the page made it so) and the next row starts after it.
    items = grid('vvvvvvsvvvvvv', 4);
    expect(plannedAfter(items[4])).toBe('i5');
    expect(plannedAfter(items[7])).toBe('i10');
  });

  it("follows an override of the items per row (a peer extension, the reader's own style), and without one plans only by layout", () => {
    let items = grid('vvvvvvvvvvvv', 4, 'ytd-rich-item-renderer { --ytd-rich-grid-items-per-row: 5 !important; }');
    expect(plannedAfter(items[5])).toBe('i9');
    items = grid('vvvvvvvvvvvv', null);
    expect(plannedAfter(items[5])).toBeNull();
  });

  it('skips hidden pages: after visiting /watch and coming back, the home grid is found', async () => {
    const f = await load('youtube.html', 'https://www.youtube.com/');
    f.clickLink('Open post');
    expect(f.loc.pathname).toBe('/watch');
    expect(youtubeAdapter.isFeedRoute(f.loc, f.doc)).toBe(false);
    expect(youtubeAdapter.findContainer(f.doc)).toBeNull(); // home is still in the DOM, hidden
    f.clickLink('Subscriptions');
    const grid = youtubeAdapter.findContainer(f.doc)!;
    expect(grid.closest('ytd-browse')!.getAttribute('page-subtype')).toBe('subscriptions');
  });

  it('treats the Shorts pager as a feed of reels with interstitial frames', async () => {
    const f = await load('youtube.html', 'https://www.youtube.com/');
    f.clickLink('Shorts');
    expect(youtubeAdapter.isFeedRoute(f.loc, f.doc)).toBe(true);
    const reels = countable(youtubeAdapter, f.doc);
    expect(reels).toHaveLength(10);
    expect(reels[0].localName).toBe('ytd-reel-video-renderer');
    const host = makeHost(f.doc);
    youtubeAdapter.insertFrame!(reels[1], host);
    expect(host.previousElementSibling).toBe(reels[1]);
    expect(host.style.getPropertyValue('scroll-snap-align')).toBe('start');
  });
});

describe('Facebook specifics', () => {
  it('counts a post once even with role=article comments inside it', async () => {
    const f = await load('facebook.html', 'https://www.facebook.com/');
    const raw = f.doc.querySelector('[role="feed"]')!.querySelectorAll(facebookAdapter.itemSelector);
    expect(raw.length).toBeGreaterThan(20);
    expect(countable(facebookAdapter, f.doc)).toHaveLength(20);
  });

  it('falls back to role=article when aria-posinset is gone', async () => {
    const f = await load('facebook.html', 'https://www.facebook.com/');
    for (const p of Array.from(f.doc.querySelectorAll('[aria-posinset]'))) {
      p.removeAttribute('aria-posinset');
      p.setAttribute('role', 'article');
    }
    expect(countable(facebookAdapter, f.doc)).toHaveLength(20);
  });
});

describe('LinkedIn specifics', () => {
  it('counts each update once in the classic layout', async () => {
    const f = await load('linkedin.html', 'https://www.linkedin.com/feed/');
    expect(linkedinAdapter.findContainer(f.doc)!.getAttribute('data-finite-scroll-hotkey-context')).toBe('FEED');
  });

  it('counts the outer occludable wrapper, so a frame goes between wrappers and survives their emptying', async () => {
    const f = await load('linkedin.html', 'https://www.linkedin.com/feed/');
    const items = countable(linkedinAdapter, f.doc);
    expect(items).toHaveLength(20);
    expect(items.every((w) => w.matches('div.occludable-update[data-id]'))).toBe(true);
    const host = makeHost(f.doc);
    insert(linkedinAdapter, items[3], host);
    expect(host.closest('.occludable-update')).toBeNull();
    expect(host.previousElementSibling).toBe(items[3]);
    expect(host.nextElementSibling).toBe(items[4]);
    // LinkedIn empties a wrapper that scrolls far away: the frame and the counted element stay.
    items[3].replaceChildren();
    expect(host.isConnected).toBe(true);
    expect(items[3].isConnected).toBe(true);
  });

  it('uses the outer [data-id] wrapper where there is no occludable class', () => {
    document.body.innerHTML = '';
    const list = document.createElement('div');
    list.setAttribute('data-finite-scroll-hotkey-context', 'FEED');
    for (let n = 1; n <= 3; n++) {
      const outer = document.createElement('div');
      outer.setAttribute('data-id', `urn:li:activity:${n}`);
      const inner = document.createElement('div');
      inner.className = 'feed-shared-update-v2';
      inner.setAttribute('data-urn', `urn:li:activity:${n}`);
      inner.textContent = `Post ${n}`;
      outer.append(inner);
      list.append(outer);
    }
    document.body.append(list);
    const items = countable(linkedinAdapter, document);
    expect(items.map((el) => el.getAttribute('data-id'))).toEqual(['urn:li:activity:1', 'urn:li:activity:2', 'urn:li:activity:3']);
    document.body.innerHTML = '';
  });

  it('works in the componentkey A/B layout', async () => {
    const f = await load('linkedin.html', 'https://www.linkedin.com/feed/?layout=b');
    expect(linkedinAdapter.findContainer(f.doc)!.getAttribute('componentkey')).toMatch(/^container-update-list_mainFeed/);
    expect(countable(linkedinAdapter, f.doc)).toHaveLength(20);
  });
});

describe('Bluesky specifics', () => {
  it('picks the shown tab’s feed, not the hidden one', async () => {
    const f = await load('bluesky.html', 'https://bsky.app/');
    expect(f.doc.querySelectorAll('[data-testid$="FeedPage-feed"]').length).toBe(2);
    expect(blueskyAdapter.findContainer(f.doc)!.getAttribute('data-testid')).toBe('followingFeedPage-feed');
  });

  it('finds a custom feed', async () => {
    const f = await load('bluesky.html', 'https://bsky.app/profile/bsky.app/feed/whats-hot');
    expect(blueskyAdapter.findContainer(f.doc)!.getAttribute('data-testid')).toBe('customFeedPage-feed');
    expect(countable(blueskyAdapter, f.doc)).toHaveLength(20);
  });
});

describe('Threads and Tumblr specifics', () => {
  it('does not count a quoted post inside a post (Threads)', async () => {
    const f = await load('threads.html', 'https://www.threads.com/');
    expect(f.doc.querySelectorAll('[data-pressable-container]').length).toBe(25);
    expect(countable(threadsAdapter, f.doc)).toHaveLength(20);
  });

  it('picks the dashboard timeline, not the sidebar radar (Tumblr)', async () => {
    const f = await load('tumblr.html', 'https://www.tumblr.com/dashboard');
    expect(tumblrAdapter.findContainer(f.doc)!.getAttribute('data-timeline')).toBe('/v2/timeline/dashboard');
  });
});

describe('Mastodon specifics', () => {
  it('is recognised by DOM on any host', async () => {
    const f = await load('mastodon.html', 'https://toot.example.net/home');
    expect(mastodonAdapter.matches(f.loc, f.doc)).toBe(true);
    f.doc.getElementById('mastodon')!.removeAttribute('id');
    f.doc.querySelector('meta[name="application-name"]')!.remove();
    expect(mastodonAdapter.matches(f.loc, f.doc)).toBe(true); // the feed markup alone suffices
  });

  it('inserts between articles, never inside one', async () => {
    const f = await load('mastodon.html', 'https://social.example/home');
    const articles = countable(mastodonAdapter, f.doc);
    const host = makeHost(f.doc);
    mastodonAdapter.insertFrame!(articles[4].querySelector('.status__content')!, host);
    expect(host.parentElement).toBe(mastodonAdapter.findContainer(f.doc));
    expect(host.previousElementSibling).toBe(articles[4]);
    expect(host.nextElementSibling).toBe(articles[5]);
  });
});

describe('demo feed', () => {
  it('is only the demo on localhost when the page is the demo', async () => {
    const f = await load('demo.html', 'http://localhost:5173/demo.html');
    expect(demoAdapter.matches(f.loc, f.doc)).toBe(true);
    f.doc.querySelector('meta[name="stillframe-demo"]')!.remove();
    expect(demoAdapter.matches(f.loc, f.doc)).toBe(true); // its markup alone suffices
    f.doc.getElementById('feed')!.id = 'other';
    expect(demoAdapter.matches(f.loc, f.doc)).toBe(false);
  });

  it('honours ?dark=1', async () => {
    const f = await load('demo.html', 'http://127.0.0.1:8377/demo.html?dark=1');
    expect(f.doc.documentElement.classList.contains('dark')).toBe(true);
    expect(f.doc.title).toBe('Demo feed');
  });
});
