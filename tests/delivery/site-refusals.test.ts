import { describe, expect, it } from 'vitest';
import {
  nextRefusalSuspension,
  PassRefusals,
  REFUSAL_BACKOFF_MS,
  siteRefusalKind,
} from '../../src/delivery/site-refusals.ts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 2, 2, 19);

describe('which sender refusals are one site’s (issue 20 row 2 with issue 26)', () => {
  it('providers’ policy answers are a site’s; the relay’s own words and other codes are the relay’s', () => {
    for (const text of [
      "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
      '550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level.',
      '550-5.7.26 This mail has been blocked because the sender is unauthenticated.',
      '554 5.7.9 Message not accepted for policy reasons.',
    ])
      expect(siteRefusalKind(text), text).toBe('7');
    expect(siteRefusalKind('552 5.4.1 Recipient address rejected: Access denied')).toBe('4');
    expect(siteRefusalKind('554 5.3.0 mail system misconfigured')).toBe('3');
    for (const text of [
      '554 5.7.1 <a@example.org>: Relay access denied',
      '550 5.4.5 Daily sending quota exceeded',
      '530 5.7.0 Authentication required',
      '552 5.6.0 message content rejected',
      '554 Transaction failed',
    ])
      expect(siteRefusalKind(text), text).toBeUndefined();
  });

  it('one site refusing waits alone; a second site refusing the same kind stops the pass; another kind does not', () => {
    const pass = new PassRefusals();
    expect(pass.judge('microsoft', '550 5.7.1 … (S3150)')).toEqual({ scope: 'site' });
    expect(pass.judge('microsoft', '550 5.7.1 … (S3150)')).toEqual({ scope: 'site' });
    expect(pass.judge('yahoo', '552 5.4.1 Access denied')).toEqual({ scope: 'site' });
    expect(pass.judge('google', '550-5.7.26 unauthenticated')).toEqual({
      scope: 'pass',
      why: 'sites microsoft, google refused alike (5.7.x)',
    });
  });

  it('the refusal ladder: 1 h, doubling within a day of the last end, at most 24 h; a clean day starts again', () => {
    expect(REFUSAL_BACKOFF_MS.map((ms) => ms / HOUR)).toEqual([1, 2, 4, 8, 16, 24]);
    let s = nextRefusalSuspension(undefined, 'microsoft', T, 'r');
    expect(s).toMatchObject({ until: T + HOUR, refusalLevel: 0, level: -1 });
    // Another message in flight answered alike: the same suspension.
    expect(nextRefusalSuspension(s, 'microsoft', T + 1000, 'r')).toBe(s);
    const steps: number[] = [];
    for (let i = 0; i < 7; i++) {
      const at = s.until + 1000;
      s = nextRefusalSuspension(s, 'microsoft', at, 'r');
      steps.push((s.until - at) / HOUR);
    }
    expect(steps).toEqual([2, 4, 8, 16, 24, 24, 24]);
    const fresh = nextRefusalSuspension(s, 'microsoft', s.until + 24 * HOUR, 'r');
    expect(fresh.refusalLevel).toBe(0);
    // A longer rate suspension is never shortened.
    const rate = { site: 'google', until: T + 3 * HOUR, level: 3, refusalLevel: -1, reason: 'x', at: T };
    expect(nextRefusalSuspension(rate, 'google', T, 'r')).toMatchObject({ until: T + 3 * HOUR, level: 3 });
  });
});
