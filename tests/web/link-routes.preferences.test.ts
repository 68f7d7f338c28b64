import { describe, expect, it } from 'vitest';
import { nextLocalSendTime } from '../../src/series/send-time.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { form, linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';
import { sentDelivery } from '../support/rows.ts';

const DAY = 86_400_000;

describe('preferences, unsubscribe and coming back', () => {
  const h = useHarness();

  it('pause, resume and restart the series', async () => {
    const email = 'settings@example.org';
    const { welcome } = await subscribeAndConfirm(h, email, { timezone: 'Europe/Berlin' });
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    const now = h.clock.now();

    const paused = await form(prefs, { action: 'pause' });
    expect(paused.status).toBe(200);
    expect(await paused.text()).toContain('Paused.');
    expect(await h.subscriber(email)).toMatchObject({ status: 'paused', nextSendAt: null });

    // Restarting while paused starts a new cycle and stays paused.
    await form(prefs, { action: 'restart' });
    expect(await h.subscriber(email)).toMatchObject({ status: 'paused', cycle: 1, nextSendAt: null });

    const resumed = await form(prefs, { action: 'resume' });
    expect(await resumed.text()).toContain('Welcome back.');
    expect(await h.subscriber(email)).toMatchObject({
      status: 'active',
      nextSendAt: nextLocalSendTime(now, 'Europe/Berlin', '19:00').getTime(),
    });

    // After a tip went out yesterday, a restart still keeps six days between tips.
    const s = (await h.subscriber(email))!;
    await h.db
      .updateTable('subscribers')
      .set({ last_sent_at: now.getTime() - DAY })
      .where('id', '=', s.id)
      .execute();
    await form(prefs, { action: 'restart' });
    const restarted = (await h.subscriber(email))!;
    expect(restarted.cycle).toBe(2);
    expect(restarted.nextSendAt! - (now.getTime() - DAY)).toBeGreaterThanOrEqual(6 * DAY);
  });

  it('refuses a bad time zone or send time, says which, and changes nothing', async () => {
    const email = 'typo@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    const before = await h.subscriber(email);
    const res = await form(prefs, { action: 'save', name: 'T', timezone: 'Mars/Olympus', sendTime: '25:00' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Please choose a time zone from the list');
    expect(page).toContain('Please give a time like 19:00');
    expect(page).toContain('id="timezone-error"');
    expect(await h.subscriber(email)).toEqual(before);
  });

  it('the unsubscribe page: one button, a pause link; the button sends one goodbye', async () => {
    const email = 'goodbye@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    const link = onSite(h, linkIn(welcome.parsed, 'unsubscribe'));
    const page = await (await fetch(link)).text();
    expect(page.match(/<button/g)).toHaveLength(1);
    expect(page).toMatch(/href="\/preferences\?token=[^"]+#pause"/);
    expect((await h.subscriber(email))!.status).toBe('active');

    const res = await form(link, { source: 'page' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    const mails = await h.mailTo(email, 3);
    expect(mails[2]!.parsed.subject).toBe('You are unsubscribed from Night Cramp Weekly');
    expect(mails[2]!.raw).not.toMatch(/^List-Unsubscribe:/im);
    // Again: idempotent, no second goodbye.
    expect((await form(link, { source: 'page' })).status).toBe(200);
    await h.site.idle();
    expect(h.sink.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(3);
    // Preferences now only offer the data.
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    expect((await form(prefs, { action: 'resume' })).status).toBe(409);
    expect((await h.subscriber(email))!.status).toBe('unsubscribed');
  });

  it('coming back after unsubscribing takes a new confirmation; the old link does not undo the unsubscribe', async () => {
    const email = 'returning@example.org';
    const { confirmation, welcome } = await subscribeAndConfirm(h, email);
    const oldConfirm = onSite(h, linkIn(confirmation.parsed, 'confirm'));
    h.clock.advance(60_000);
    await form(onSite(h, linkIn(welcome.parsed, 'unsubscribe')), { 'List-Unsubscribe': 'One-Click' });
    expect(await h.store.suppression(addressHash(email))).toBeDefined();

    const stale = await fetch(oldConfirm, { method: 'POST' });
    expect(stale.status).toBe(409);
    expect((await h.subscriber(email))!.status).toBe('unsubscribed');

    h.clock.advance(11 * 60_000);
    await form(`${h.url}/subscribe`, { email });
    const mails = await h.mailTo(email, 3);
    expect(mails[2]!.parsed.subject).toBe('Please confirm: Night Cramp Weekly');
    expect((await h.subscriber(email))!.status).toBe('unsubscribed');
    const firstConsent = (await h.subscriber(email))!.consentAt;
    expect(
      (
        await fetch(onSite(h, linkIn(mails[2]!.parsed, 'confirm')), {
          method: 'POST',
          headers: { 'user-agent': 'ReturningBrowser/2.0' },
        })
      ).status,
    ).toBe(200);
    const back = (await h.subscriber(email))!;
    expect(back.status).toBe('active');
    // The new consent is on record, not the one they withdrew.
    expect(back.consentAt).toBe(h.clock.now().getTime());
    expect(back.consentAt).not.toBe(firstConsent);
    expect(back).toMatchObject({
      consentUserAgent: 'ReturningBrowser/2.0',
      consentIp: '127.0.0.1',
      consentSource: 'web',
    });
    expect(await h.store.suppression(addressHash(email))).toBeUndefined();
    await h.site.idle();
    // One welcome per subscriber, ever.
    expect(
      h.sink.received.filter((m) => m.envelopeTo.includes(email)).map((m) => (m.parsed.subject ?? '').split(':')[0]),
    ).toEqual(['Please confirm', 'Welcome to Night Cramp Weekly', 'Please confirm']);
  });

  it('download my data: everything stored, as a JSON attachment, without internal ids', async () => {
    const email = 'export@example.org';
    const { welcome } = await subscribeAndConfirm(h, email, { name: 'Exa', timezone: 'Asia/Kolkata' });
    const s = (await h.subscriber(email))!;
    const at = h.clock.now().getTime();
    const delivery = await h.db
      .insertInto('deliveries')
      .values(sentDelivery({ subscriberId: s.id, slug: 'stretch-before-bed', messageId: '<tip@x>', at }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto('delivery_attempts')
      .values({ delivery_id: delivery.id, at, outcome: 'sent', response: '250 ok' })
      .execute();

    const res = await form(onSite(h, linkIn(welcome.parsed, 'preferences')), { action: 'export' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="night-cramp-weekly-my-data.json"');
    const text = await res.text();
    const data = JSON.parse(text);
    expect(data.subscriber).toMatchObject({
      email,
      name: 'Exa',
      status: 'active',
      timezone: 'Asia/Kolkata',
      consent: { source: 'web', ip: '127.0.0.1' },
    });
    expect(data.deliveries).toEqual([
      expect.objectContaining({
        tip: 'stretch-before-bed',
        week: 1,
        state: 'sent',
        attemptLog: [expect.objectContaining({ outcome: 'sent' })],
      }),
    ]);
    expect(data.systemEmails.map((e: { kind: string }) => e.kind)).toEqual(['confirm', 'welcome']);
    expect(text).not.toMatch(/"(id|public_id|subscriber_id|delivery_id)"/);
    expect(Object.keys(data.subscriber)).not.toContain('publicId');
  });

  it('delete my data: only the suppression hash stays; the address can subscribe anew', async () => {
    const email = 'erase-me@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    const s = (await h.subscriber(email))!;
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));

    const unticked = await form(prefs, { action: 'delete' });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain('Nothing was deleted');
    expect(await h.subscriber(email)).toBeDefined();

    const deleted = await form(prefs, { action: 'delete', confirm: 'yes' });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('Your data is deleted');
    expect(await h.subscriber(email)).toBeUndefined();
    expect(await h.db.selectFrom('system_emails').selectAll().where('subscriber_id', '=', s.id).execute()).toEqual([]);
    expect(await h.store.suppression(addressHash(email))).toMatchObject({ reason: 'erased' });
    const hashes = await h.db.selectFrom('suppressions').selectAll().execute();
    expect(JSON.stringify(hashes)).not.toContain('erase-me');

    // Links from old emails now say so, clearly.
    expect((await fetch(prefs)).status).toBe(404);
    expect(
      (await form(onSite(h, linkIn(welcome.parsed, 'unsubscribe')), { 'List-Unsubscribe': 'One-Click' })).status,
    ).toBe(200);

    // A fresh double opt-in brings them back as a new subscriber, with a new welcome.
    await form(`${h.url}/subscribe`, { email });
    const mails = await h.mailTo(email, 3);
    expect((await fetch(onSite(h, linkIn(mails[2]!.parsed, 'confirm')), { method: 'POST' })).status).toBe(200);
    await h.mailTo(email, 4);
    expect(await h.store.suppression(addressHash(email))).toBeUndefined();
    expect((await h.subscriber(email))!.status).toBe('active');
  });
});
