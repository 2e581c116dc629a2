import { describe, expect, it } from 'vitest';
import { originPattern, patternCoversOrigin } from '@/utils/background/injection';

describe('custom-site registration helpers', () => {
  it('turns an origin into a match pattern, and refuses anything that is not http(s)', () => {
    expect(originPattern('https://social.example')).toBe('https://social.example/*');
    expect(originPattern('http://localhost:4810/home')).toBe('http://localhost:4810/*');
    expect(originPattern('ftp://x.org')).toBeNull();
    expect(originPattern('not a url')).toBeNull();
  });

  it('knows when the manifest already covers an origin (ports ignored, subdomain wildcards)', () => {
    expect(patternCoversOrigin('http://localhost/*', 'http://localhost:4810')).toBe(true);
    expect(patternCoversOrigin('https://*.reddit.com/*', 'https://old.reddit.com')).toBe(true);
    expect(patternCoversOrigin('https://*.reddit.com/*', 'https://reddit.com')).toBe(true);
    expect(patternCoversOrigin('https://*.reddit.com/*', 'https://notreddit.com')).toBe(false);
    expect(patternCoversOrigin('https://x.com/*', 'http://x.com')).toBe(false);
    expect(patternCoversOrigin('https://x.com/*', 'https://social.example')).toBe(false);
  });
});
