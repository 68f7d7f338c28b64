import { describe, expect, it } from 'vitest';
import { describeLocalTime } from '../../src/content/local-time.ts';
import { canonicalZone, zoneFromTyped, zonesByRegion } from '../../src/series/zones.ts';
import { linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';

/** A form POST that does not follow the redirect, to see it. */
function post(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('the preferences page: POST-redirect-GET, one status line, the address, the zone picker', () => {
  const h = useHarness();

  it('every action redirects (303) to a GET that shows its message once and the next tip once', async () => {
    const email = 'prg@example.org';
    const { welcome } = await subscribeAndConfirm(h, email, { timezone: 'Europe/Berlin' });
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    const token = new URL(prefs).searchParams.get('token')!;
    // The welcome says when the first tip arrives, in the words the confirm page uses.
    const first = (await h.subscriber(email))!;
    const when = `Your first tip arrives on ${describeLocalTime(first.nextSendAt!, 'Europe/Berlin')}.`;
    expect(welcome.parsed.text!.replace(/\n/g, ' ')).toContain(when);
    expect(welcome.parsed.html).toContain(when);
    const actions: [Record<string, string>, string, string][] = [
      [{ action: 'save', name: 'Pat', timezone: 'Europe/Berlin', sendTime: '20:30' }, 'saved', 'Saved.'],
      [{ action: 'pause' }, 'paused', 'Paused. You will get no tips until you resume.'],
      [{ action: 'pause' }, 'already-paused', 'Your tips were already paused.'],
      [{ action: 'resume' }, 'resumed', 'Welcome back.'],
      [{ action: 'resume' }, 'already-on', 'Your tips were already on.'],
      [{ action: 'restart' }, 'restarted', 'The series starts again from week one.'],
    ];
    for (const [fields, status, message] of actions) {
      const res = await post(prefs, fields);
      expect(res.status, status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location).toBe(`/preferences?token=${encodeURIComponent(token)}&status=${status}`);
      const page = await (await fetch(`${h.url}${location}`)).text();
      expect(page).toContain(`<p class="notice" role="status">${message}</p>`);
      const s = (await h.subscriber(email))!;
      // "Your next tip arrives …" once, in the status line, never also in the message.
      expect(page.match(/Your next tip arrives/g) ?? []).toHaveLength(s.status === 'active' ? 1 : 0);
      expect(page).toContain(`For <strong>${email}</strong>`);
      // The same address without the status: no message (the page's script removes it from the URL).
      expect(await (await fetch(prefs)).text()).not.toContain('class="notice"');
    }
    expect(await h.subscriber(email)).toMatchObject({ name: 'Pat', sendTime: '20:30', status: 'active' });

    // An unknown status shows nothing, and is not echoed.
    expect(await (await fetch(`${prefs}&status=%3Cb%3Ehi`)).text()).not.toContain('<b>hi');
    // Delete, too, ends on a GET.
    const deleted = await post(prefs, { action: 'delete', confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/preferences/deleted');
    expect(await (await fetch(`${h.url}/preferences/deleted`)).text()).toContain('Your data is deleted');
  });

  it("the zone picker: regions, today's names, a stored old name shown selected, and typed input without JavaScript", async () => {
    const groups = zonesByRegion();
    const all = groups.flatMap((g) => g.zones);
    expect(groups[0]).toEqual({ region: 'UTC', zones: ['UTC'] });
    expect(groups.map((g) => g.region)).toEqual(
      expect.arrayContaining(['Africa', 'America', 'Asia', 'Europe', 'Pacific']),
    );
    expect(all).toContain('Asia/Kolkata');
    expect(all).toContain('Europe/Kyiv');
    expect(all).not.toContain('Asia/Calcutta');
    expect(all).not.toContain('Europe/Kiev');
    expect(new Set(all).size).toBe(all.length);

    const email = 'alias@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    const s = (await h.subscriber(email))!;
    // A zone stored before the rename (or by a browser that reports the old name).
    await h.db.updateTable('subscribers').set({ timezone: 'Asia/Calcutta' }).where('id', '=', s.id).execute();
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    const page = await (await fetch(prefs)).text();
    expect(page).toContain('<optgroup label="Asia">');
    expect(page).toMatch(/<option value="Asia\/Kolkata" selected data-alias="Asia\/Calcutta">Asia\/Kolkata<\/option>/);
    expect(page.match(/ selected/g)).toHaveLength(1);
    expect(page).toContain('<input id="timezoneTyped" name="timezoneTyped" type="text" list="zone-names"');
    expect(page).toContain('<datalist id="zone-names">');

    // Saving the page as it is stores today's name; the clock is the same.
    await post(prefs, { action: 'save', name: '', timezone: 'Asia/Kolkata', sendTime: '19:00' });
    expect((await h.subscriber(email))!.timezone).toBe('Asia/Kolkata');

    // Typed, any case, a city: the box wins over the list.
    await post(prefs, { action: 'save', name: '', timezone: 'UTC', timezoneTyped: 'kyiv', sendTime: '19:00' });
    expect((await h.subscriber(email))!.timezone).toBe('Europe/Kyiv');
    await post(prefs, { action: 'save', name: '', timezone: 'UTC', timezoneTyped: 'Europe/Kiev', sendTime: '19:00' });
    expect((await h.subscriber(email))!.timezone).toBe('Europe/Kyiv');
    const bad = await post(prefs, {
      action: 'save',
      name: '',
      timezone: 'UTC',
      timezoneTyped: 'Atlantis',
      sendTime: '19:00',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('No time zone matches &quot;Atlantis&quot;');
    expect((await h.subscriber(email))!.timezone).toBe('Europe/Kyiv');

    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(zoneFromTyped('new york')).toBe('America/New_York');
    expect(zoneFromTyped('')).toBeUndefined();
  });

  it("a reader who gave no zone gets the picker marked for the browser's zone", async () => {
    const { welcome } = await subscribeAndConfirm(h, 'nozone@example.org');
    expect((await h.subscriber('nozone@example.org'))!.timezone).toBeNull();
    const page = await (await fetch(onSite(h, linkIn(welcome.parsed, 'preferences')))).text();
    expect(page).toContain('<select id="timezone" name="timezone" data-browser-zone>');
  });
});
