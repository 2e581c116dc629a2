import { describe, expect, it } from 'vitest';
import { siteKeyFromUrl, siteKeyFromHost, normalizeOrigin, customSiteKey, resolveActiveSite, isBuiltinSiteKey } from '@/utils/feeds/site-key';
import { SUPPORTED_SITES } from '@/utils/feeds/registry';

describe('siteKeyFromUrl', () => {
  it.each([
    ['https://x.com/home', 'x'],
    ['https://twitter.com/home', 'x'],
    ['https://mobile.twitter.com/i/timeline', 'x'],
    ['https://www.reddit.com/r/all/', 'reddit'],
    ['https://old.reddit.com/', 'reddit'],
    ['https://reddit.com/', 'reddit'],
    ['https://www.youtube.com/', 'youtube'],
    ['https://m.youtube.com/feed/subscriptions', 'youtube'],
    ['https://www.instagram.com/', 'instagram'],
    ['https://www.facebook.com/', 'facebook'],
    ['https://web.facebook.com/', 'facebook'],
    ['https://m.facebook.com/', 'facebook'],
    ['https://www.linkedin.com/feed/', 'linkedin'],
    ['https://bsky.app/', 'bluesky'],
    ['https://www.threads.net/', 'threads'],
    ['https://www.threads.com/', 'threads'],
    ['https://threads.net/@someone', 'threads'],
    ['https://www.tumblr.com/dashboard', 'tumblr'],
    ['http://127.0.0.1:4173/demo.html', 'demo'],
    ['http://localhost:3000/', 'demo'],
    ['https://mastodon.social/home', 'custom:mastodon.social'],
    ['https://Example.ORG./feed', 'custom:example.org'],
  ])('%s → %s', (url, key) => {
    expect(siteKeyFromUrl(url)).toBe(key);
  });

  it('does not mistake look-alike hosts for a supported site', () => {
    expect(siteKeyFromUrl('https://notx.com/')).toBe('custom:notx.com');
    expect(siteKeyFromUrl('https://x.com.evil.example/')).toBe('custom:x.com.evil.example');
    expect(siteKeyFromUrl('https://myreddit.com/')).toBe('custom:myreddit.com');
  });

  it('gives null for pages that are not web pages', () => {
    for (const url of [
      'chrome://extensions/',
      'about:blank',
      'file:///tmp/a.html',
      'chrome-extension://abc/popup.html',
      'moz-extension://x/options.html',
      'not a url',
      '',
      'data:text/html,hi',
    ]) {
      expect(siteKeyFromUrl(url), url).toBeNull();
    }
  });

  it('agrees with the registry for every host of every supported site', () => {
    for (const s of SUPPORTED_SITES) {
      for (const host of s.hosts) expect(siteKeyFromHost(host), `${s.key}: ${host}`).toBe(s.key);
    }
  });
});

describe('normalizeOrigin', () => {
  it('accepts origins and bare hosts, returning the origin', () => {
    expect(normalizeOrigin('https://social.example/home?x=1')).toBe('https://social.example');
    expect(normalizeOrigin('  social.example ')).toBe('https://social.example');
    expect(normalizeOrigin('http://feed.example:8080/')).toBe('http://feed.example:8080');
    expect(normalizeOrigin('HTTPS://Social.Example')).toBe('https://social.example');
  });

  it('refuses what cannot be a site', () => {
    for (const bad of [
      '',
      '   ',
      'ftp://files.example',
      'javascript:alert(1)',
      'https://',
      'https://user:pw@site.example',
      'intranet',
      'https://exa mple.com',
    ]) {
      expect(normalizeOrigin(bad), bad).toBeNull();
    }
  });

  it('names the custom site key by host', () => {
    expect(customSiteKey('https://social.example')).toBe('custom:social.example');
    expect(customSiteKey('nonsense')).toBeNull();
  });
});

describe('resolveActiveSite', () => {
  const tabs = { '7': { siteKey: 'mastodon:social.example' } };

  it('prefers the key a registered content script reported (Mastodon)', () => {
    expect(resolveActiveSite({ id: 7, url: 'https://social.example/home' }, tabs, [])).toEqual({
      siteKey: 'mastodon:social.example',
      host: 'social.example',
      registered: true,
    });
    // …even when the URL is hidden from us
    expect(resolveActiveSite({ id: 7 }, tabs, []).siteKey).toBe('mastodon:social.example');
  });

  it('uses the URL for supported sites', () => {
    expect(resolveActiveSite({ id: 1, url: 'https://www.reddit.com/' }, tabs, [])).toEqual({ siteKey: 'reddit', host: 'www.reddit.com', registered: false });
  });

  it('is active on a custom site only when the user added it', () => {
    expect(resolveActiveSite({ id: 1, url: 'https://news.example/feed' }, tabs, []).siteKey).toBeNull();
    expect(resolveActiveSite({ id: 1, url: 'https://news.example/feed' }, tabs, ['https://news.example']).siteKey).toBe('custom:news.example');
  });

  it('is not active without a tab, a URL we may see, or a web page', () => {
    expect(resolveActiveSite(undefined, tabs, []).siteKey).toBeNull();
    expect(resolveActiveSite({ id: 2 }, tabs, []).siteKey).toBeNull();
    expect(resolveActiveSite({ id: 2, url: 'chrome://newtab/' }, tabs, []).siteKey).toBeNull();
  });

  it('knows which keys are built in', () => {
    expect(isBuiltinSiteKey('x')).toBe(true);
    expect(isBuiltinSiteKey('demo')).toBe(true);
    expect(isBuiltinSiteKey('custom:a.example')).toBe(false);
    expect(isBuiltinSiteKey('mastodon:a.example')).toBe(false);
  });
});
