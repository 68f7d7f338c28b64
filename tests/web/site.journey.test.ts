import { describe, expect, it } from 'vitest';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { nextLocalSendTime } from '../../src/series/send-time.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { pass } from '../delivery/helpers.ts';
import { form, linkIn, onSite, rawHeader, subscribeAndConfirm, useHarness } from './harness.ts';

/**
 * One reader, end to end, through the real site, SQLite file and SMTP sink:
 * subscribe → confirmation → GET changes nothing → POST confirms → welcome → preferences →
 * RFC 8058 one-click unsubscribe → nothing more is sent.
 */
describe('the whole journey', () => {
  const h = useHarness();
  const email = 'Ann.Reader@Example.org';

  it('goes from the subscribe form to a one-click unsubscribe', async () => {
    const landing = await fetch(`${h.url}/`);
    expect(landing.status).toBe(200);
    const page = await landing.text();
    expect(page).toContain('<form method="post" action="/subscribe">');
    expect(page).toContain('<html lang="en-US">');
    expect(page).toMatch(/<label for="email">/);

    // Subscribe, with the browser's time zone.
    const subscribed = await form(`${h.url}/subscribe`, {
      email,
      name: 'Ann',
      timezone: 'America/New_York',
      website: '',
    });
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain('Check your inbox');

    const [confirmation] = await h.mailTo(email);
    const c = confirmation!.parsed;
    expect(c.subject).toBe('Please confirm: Night Cramp Weekly');
    expect(rawHeader(confirmation!.raw, 'List-Unsubscribe')).toBeUndefined();
    // Until they confirm, nothing the requester typed is mailed: no name in To: or the greeting.
    expect(c.text).toContain('Hi there,');
    expect(c.text).not.toContain('Ann');
    expect(rawHeader(confirmation!.raw, 'To')).toMatch(/^Ann\.Reader@example\.org$/i);
    expect(c.html).toBeTruthy();
    const confirmLink = linkIn(c, 'confirm');
    expect(confirmLink.startsWith('http://localhost:3000/confirm?token=')).toBe(true);

    let s = await h.subscriber(email);
    expect(s).toMatchObject({
      status: 'pending',
      email,
      emailNormalized: email.toLowerCase(),
      name: 'Ann',
      timezone: 'America/New_York',
      consentSource: 'web',
      consentIp: '127.0.0.1',
    });

    // A link scanner fetching the link changes nothing.
    const preview = await fetch(onSite(h, confirmLink));
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('Yes, start my weekly tips');
    expect((await h.subscriber(email))!.status).toBe('pending');

    // The button confirms.
    const confirmed = await fetch(onSite(h, confirmLink), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are in');
    s = await h.subscriber(email);
    const now = h.clock.now();
    expect(s).toMatchObject({ status: 'active', confirmedAt: now.getTime(), statusChangedAt: now.getTime() });
    expect(s!.nextSendAt).toBe(nextLocalSendTime(now, 'America/New_York', '19:00').getTime());

    // The welcome, at once, as list mail.
    const welcomeMail = (await h.mailTo(email, 2))[1]!;
    const welcome = welcomeMail.parsed;
    expect(welcome.subject).toBe('Welcome to Night Cramp Weekly');
    const listUnsubscribe = rawHeader(welcomeMail.raw, 'List-Unsubscribe') ?? '';
    expect(listUnsubscribe).toMatch(/^<http:\/\/localhost:3000\/unsubscribe\?token=[^>]+>$/);
    expect(rawHeader(welcomeMail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(welcomeMail.raw, 'List-Id')).toContain('night-cramp-weekly');
    expect(welcome.messageId).toBe(
      `<ncw.welcome.${s!.publicId.replace(/[^A-Za-z0-9_-]/g, '-')}@night-cramp-weekly.example>`,
    );
    expect(welcome.text).not.toContain(email);
    // Confirmed: now the name they gave greets them.
    expect(welcome.text).toContain('Hi Ann,');

    // Preferences: a new zone and time move the next tip.
    const prefs = onSite(h, linkIn(welcome, 'preferences'));
    const prefsPage = await fetch(prefs);
    expect(prefsPage.status).toBe(200);
    expect(await prefsPage.text()).toContain('<option value="America/New_York" selected>America/New York</option>');
    const saved = await form(prefs, { action: 'save', name: 'Annie', timezone: 'Asia/Tokyo', sendTime: '07:30' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Saved.');
    s = await h.subscriber(email);
    expect(s).toMatchObject({ name: 'Annie', timezone: 'Asia/Tokyo', sendTime: '07:30' });
    expect(s!.nextSendAt).toBe(nextLocalSendTime(now, 'Asia/Tokyo', '07:30').getTime());

    // RFC 8058: the mail client POSTs to the List-Unsubscribe URL.
    const oneClickUrl = onSite(h, listUnsubscribe.slice(1, -1));
    const oneClick = await form(oneClickUrl, { 'List-Unsubscribe': 'One-Click' });
    expect(oneClick.status).toBe(200);
    s = await h.subscriber(email);
    expect(s).toMatchObject({ status: 'unsubscribed', nextSendAt: null });
    expect(await h.store.suppression(addressHash(email))).toMatchObject({ reason: 'unsubscribed' });
    // Idempotent.
    expect((await form(oneClickUrl, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);

    // Nothing more is sent: no goodbye for a one-click, and the dispatcher finds nobody due, weeks on.
    await h.site.idle();
    // A reader still subscribed shows the pass would send if anyone were due.
    await subscribeAndConfirm(h, 'control@example.org');
    const attempted: string[] = [];
    await pass(h.db, recordingMailer(attempted), h.project, h.temp.config, now.getTime() + 30 * 86_400_000);
    expect(attempted).toEqual(['control@example.org']);
    expect(h.sink.received.map((m) => m.envelopeTo.join(',').toLowerCase())).toEqual([
      email.toLowerCase(),
      email.toLowerCase(),
      'control@example.org',
      'control@example.org',
    ]);
  });
});

/** A mailer that only notes who the dispatcher tried to send to. */
function recordingMailer(attempted: string[]): Mailer {
  return {
    concurrency: 1,
    describe: () => 'recording',
    close: async () => {},
    send: async (m) => {
      attempted.push(m.to);
      return { response: '250 recorded' };
    },
  };
}
