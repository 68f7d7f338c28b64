import { describe, expect, it } from 'vitest';
import { keepHouse } from '../../src/schedule/housekeeping.ts';
import { form, linkIn, onSite, rawHeader, useHarness } from '../web/harness.ts';

const MINUTE = 60_000;

describe('a welcome that failed at confirmation time (SMTP refused it)', () => {
  const h = useHarness();

  it('is sent by a later tick with its recorded Message-ID, once, and never twice', async () => {
    const email = 'late-welcome@example.org';
    await form(`${h.url}/subscribe`, { email });
    const [confirmation] = await h.mailTo(email);
    h.sink.setRule((to) => (to === email ? { code: 451, message: 'greylisted, try later' } : undefined));
    const confirmed = await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    await h.site.idle();
    expect((await h.subscriber(email))!.status).toBe('active');
    expect(h.sink.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);

    const t = h.clock.now().getTime();
    const deps = { subscriptions: h.subscriptions };
    // Still failing, and too soon anyway (a failure of this email waits 5 minutes, then 15): nothing yet.
    expect(await keepHouse({ ...deps, now: new Date(t + MINUTE) })).toMatchObject({
      systemEmails: { sent: 0, retrying: 0 },
    });
    expect(await keepHouse({ ...deps, now: new Date(t + 10 * MINUTE) })).toMatchObject({
      systemEmails: { sent: 0, retrying: 1 },
    });

    h.sink.setRule(undefined);
    expect(await keepHouse({ ...deps, now: new Date(t + 25 * MINUTE) })).toMatchObject({
      systemEmails: { sent: 1, retrying: 0 },
    });
    const mails = h.sink.received.filter((m) => m.envelopeTo.includes(email));
    expect(mails).toHaveLength(2);
    expect(mails[1]!.parsed.subject).toMatch(/^Welcome to/);
    expect(rawHeader(mails[1]!.raw, 'Message-ID')).toMatch(/^<ncw\.welcome\./);
    expect(rawHeader(mails[1]!.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    expect(await keepHouse({ ...deps, now: new Date(t + 40 * MINUTE) })).toMatchObject({ systemEmails: { sent: 0 } });
    await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), { method: 'POST' });
    await h.site.idle();
    expect(h.sink.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(2);
  });
});
