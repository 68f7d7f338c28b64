import { describe, expect, it } from 'vitest';
import { probeUnsubscribeUrl } from '../../src/subscription/links.ts';
import { SECRET, subscribeAndConfirm, useHarness } from './harness.ts';

/** What a mail provider sends for RFC 8058 one-click. */
const oneClick = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

/**
 * `newsletter doctor` proves the one-click unsubscribe route with a probe token: signed with the
 * site's key for its own purpose, naming nobody. The route answers 200 and changes nothing.
 */
describe('POST /unsubscribe with a probe token', () => {
  const h = useHarness();
  const onSite = (url: string) => url.replace('http://localhost:3000', h.url);

  it('answers 200 and changes no reader', async () => {
    const email = 'stays@example.org';
    await subscribeAndConfirm(h, email);
    const before = await h.subscriber(email);
    const answer = await oneClick(onSite(probeUnsubscribeUrl('http://localhost:3000', SECRET, h.clock.now())));
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('Probe received; nothing was changed.\n');
    expect(await h.subscriber(email)).toEqual(before);
    expect((await h.db.selectFrom('subscribers').select('status').execute()).map((r) => r.status)).toEqual(['active']);
  });

  it('a probe signed with another key is refused like any forged link (400), and is not a probe', async () => {
    const forged = probeUnsubscribeUrl(
      'http://localhost:3000',
      'another-secret-that-is-at-least-32-bytes!!',
      h.clock.now(),
    );
    const answer = await oneClick(onSite(forged));
    expect(answer.status).toBe(400);
    expect(await answer.text()).not.toContain('Probe');
  });

  it('GET with a probe token shows no unsubscribe button: the token is for the probe only', async () => {
    const answer = await fetch(onSite(probeUnsubscribeUrl('http://localhost:3000', SECRET, h.clock.now())));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('This link is for another page');
  });
});
