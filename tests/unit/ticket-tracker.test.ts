import { describe, expect, it } from 'vitest';
import { TicketTracker, ActivityClock, ACTIVE_GAP_MS } from '@/utils/content/ticket-tracker';
import type { Ticket } from '@/utils/schedule/types';

const ticket = (p: Partial<Ticket> = {}): Ticket => ({
  id: 't1',
  siteKey: 'demo',
  afterPosts: 10,
  afterActiveMs: null,
  issuedAt: 0,
  expiresAt: 1_000_000,
  ...p,
});

describe('TicketTracker', () => {
  it('is due at the item exactly afterPosts after the base, and not before', () => {
    const t = new TicketTracker();
    t.hold(ticket(), -1, 0);
    expect(t.isDueAt(8, 0, 1)).toBe(false);
    expect(t.isDueAt(9, 0, 1)).toBe(true); // the 10th post (0-based seq 9)
    expect(t.isDueAt(15, 0, 1)).toBe(true); // a later item if that one already scrolled by
  });

  it('counts from the last frame anchor', () => {
    const t = new TicketTracker();
    t.hold(ticket({ afterPosts: 5 }), 20, 0);
    expect(t.isDueAt(24, 0, 1)).toBe(false);
    expect(t.isDueAt(25, 0, 1)).toBe(true);
  });

  it('is never due with no ticket, while claiming, or after expiry', () => {
    const t = new TicketTracker();
    expect(t.isDueAt(1000, 0, 1)).toBe(false);
    t.hold(ticket(), -1, 0);
    t.claiming = true;
    expect(t.isDueAt(50, 0, 1)).toBe(false);
    t.claiming = false;
    expect(t.isDueAt(50, 0, 2_000_000)).toBe(false);
    expect(t.expired(2_000_000)).toBe(true);
  });

  it('comes due after active scrolling time when the ticket is time-based', () => {
    const t = new TicketTracker();
    t.hold(ticket({ afterPosts: 1000, afterActiveMs: 60_000 }), -1, 5_000);
    expect(t.isDueAt(3, 60_000, 1)).toBe(false);
    expect(t.isDueAt(3, 65_000, 1)).toBe(true);
  });

  it('is claimed a lead ahead of its place, by posts or by active time, never while claiming, expired or held back', () => {
    const t = new TicketTracker();
    t.hold(ticket({ afterPosts: 25 }), 9, 0); // place: seq 34
    expect(t.claimDue(3, 30, 0, 1)).toBeNull(); // 31 posts to go
    expect(t.claimDue(4, 30, 0, 1)).toBe('posts'); // 30 to go: build it now
    expect(t.claimDue(40, 30, 0, 1)).toBe('posts'); // already past: still due (a later place)
    t.claiming = true;
    expect(t.claimDue(40, 30, 0, 1)).toBeNull();
    t.claiming = false;
    expect(t.claimDue(40, 30, 0, 2_000_000)).toBeNull(); // expired
    t.hold(ticket({ afterPosts: 25 }), 9, 0, 500); // another tab paused: not before t=500
    expect(t.claimDue(40, 30, 0, 499)).toBeNull();
    expect(t.claimDue(40, 30, 0, 500)).toBe('posts');
    t.hold(ticket({ afterPosts: 1000, afterActiveMs: 60_000 }), 9, 5_000);
    expect(t.claimDue(20, 30, 64_999, 1)).toBeNull();
    expect(t.claimDue(20, 30, 65_000, 1)).toBe('time');
  });

  it('keeps the remaining distance when the feed is re-rendered', () => {
    const t = new TicketTracker();
    t.hold(ticket({ afterPosts: 10 }), -1, 0); // target seq 9
    t.rebase(5, -1); // 4 posts to go; the new feed starts again at seq 0
    expect(t.isDueAt(2, 0, 1)).toBe(false);
    expect(t.isDueAt(3, 0, 1)).toBe(true);
  });
});

describe('ActivityClock', () => {
  it('adds gaps between posts shorter than the idle limit only', () => {
    const c = new ActivityClock();
    c.tick(1000);
    c.tick(3000);
    c.tick(3000 + ACTIVE_GAP_MS + 1); // the reader walked away
    c.tick(3000 + ACTIVE_GAP_MS + 1001);
    expect(c.activeMs).toBe(3000);
  });
});

describe('TicketTracker min-gap wait', () => {
  it('does not come due before notBefore', () => {
    const t = new TicketTracker();
    t.hold(ticket(), -1, 0, 5000);
    expect(t.isDueAt(20, 0, 4999)).toBe(false);
    expect(t.isDueAt(20, 0, 5000)).toBe(true);
  });
});
