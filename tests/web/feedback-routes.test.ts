import { describe, expect, it } from 'vitest';
import { pass, writeTip } from '../delivery/helpers.ts';
import { form, linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';

/**
 * "Did this help?" over real HTTP, the real SQLite file and the SMTP sink: the links in a sent
 * tip, GET records nothing, POST records once and redirects, a change replaces, the comment is
 * kept escaped, export shows it, erase removes it; and the anonymous answer of the tip page.
 */
const feedbackLinks = (text: string) => ({
  yes: /Yes:\n(\S+)/.exec(text)![1]!,
  no: /Not really:\n(\S+)/.exec(text)![1]!,
});

describe('"Did this help?" from a tip email', () => {
  const h = useHarness();

  const rows = () => h.db.selectFrom('feedback').selectAll().execute();

  it('records only on POST, once per reader and tip, replaces on change, exports and erases', async () => {
    const email = 'helpful@example.org';
    const { welcome } = await subscribeAndConfirm(h, email, { timezone: 'Europe/Berlin' });
    const s = (await h.subscriber(email))!;
    const summary = await pass(h.db, h.mailer, h.project, h.app.config, s.nextSendAt!);
    expect(summary.sent).toBe(1);
    const tipMail = (await h.mailTo(email, 3))[2]!.parsed;
    const { yes, no } = feedbackLinks(tipMail.text!);
    expect(yes).toMatch(/^http:\/\/localhost:3000\/feedback\?token=[^&]+&answer=yes$/);

    // GET, as a link scanner would: a page with the answer pre-set and one button; nothing stored.
    for (const link of [yes, no, yes]) {
      const page = await fetch(onSite(h, link));
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const body = await page.text();
      expect(body.match(/<button type="submit"/g)).toHaveLength(1);
      expect(body).toContain(link.endsWith('yes') ? 'value="yes" checked' : 'value="no" checked');
      expect(body).toContain(h.project.tips.find((t) => t.week === 1)!.title);
    }
    expect(await rows()).toEqual([]);

    // POST records, then redirects to a GET (a refresh does not post again).
    const token = new URL(yes).searchParams.get('token')!;
    const action = `${h.url}/feedback?token=${encodeURIComponent(token)}`;
    const posted = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=yes',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`/feedback?token=${encodeURIComponent(token)}&saved=1`);
    let stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      subscriber_id: s.id,
      tip_slug: h.project.tips.find((t) => t.week === 1)!.slug,
      answer: 'yes',
      comment: null,
    });

    const thanks = await (await fetch(`${h.url}${posted.headers.get('location')}`)).text();
    expect(thanks).toContain('Your answer is saved: <strong>Yes</strong>');
    expect(thanks).toContain('What would help more?');

    // The optional comment, on the page that follows; kept as typed, shown escaped.
    const comment = '<script>alert(1)</script> more on calves';
    await form(action, { answer: 'yes', comment });
    const after = await (await fetch(`${h.url}/feedback?token=${encodeURIComponent(token)}&saved=1`)).text();
    expect(after).not.toContain('<script>alert(1)</script>');
    expect(after).toContain('&lt;script&gt;alert(1)&lt;/script&gt; more on calves');

    // Changing the answer replaces it: still one row, the comment kept.
    await form(action, { answer: 'no' });
    stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ answer: 'no', comment });

    // Emptying the comment box and sending clears the comment; the answer stays.
    await form(action, { answer: 'no', comment: '  ' });
    expect((await rows())[0]).toMatchObject({ answer: 'no', comment: null });
    await form(action, { answer: 'no', comment });

    // A bad answer changes nothing and says what to do.
    const bad = await form(action, { answer: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Please choose Yes or Not really');
    expect((await rows())[0]).toMatchObject({ answer: 'no' });

    // Purpose-bound: the preferences token does not record feedback, a forged one neither.
    const prefsToken = new URL(linkIn(welcome.parsed, 'preferences')).searchParams.get('token')!;
    expect((await form(`${h.url}/feedback?token=${encodeURIComponent(prefsToken)}`, { answer: 'yes' })).status).toBe(
      400,
    );
    expect(
      (await form(`${h.url}/feedback?token=${encodeURIComponent(token.slice(0, -3))}abc`, { answer: 'yes' })).status,
    ).toBe(400);
    expect((await rows())[0]).toMatchObject({ answer: 'no' });

    // The reader's data export has the answer; deleting the data removes it.
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    const exported = (await (await form(prefs, { action: 'export' })).json()) as { feedback: unknown[] };
    expect(exported.feedback).toEqual([expect.objectContaining({ tip: stored[0]!.tip_slug, answer: 'no', comment })]);
    await form(prefs, { action: 'delete', confirm: 'yes' });
    expect(await rows()).toEqual([]);
    expect((await fetch(onSite(h, yes))).status).toBe(404);
  });
});

describe('"Did this help?" on the public tip page (anonymous)', () => {
  const h = useHarness({ limits: { feedbackPerIp: { max: 4, windowMs: 60_000 } } });

  it('counts an answer with no reader, takes one comment, refuses unknown tips and limits per IP', async () => {
    const tip = h.project.tips.find((t) => !t.draft)!;
    const slug = tip.slug;
    // The block sits on the tip's public page, after the tip.
    const page = await (await fetch(`${h.url}/tips/${slug}`)).text();
    const block = page.slice(page.indexOf('<section class="feedback"'));
    expect(page).toContain('<section class="feedback"');
    expect(block).toContain(`action="/tips/${slug}/feedback"`);
    expect(block).toContain('name="answer" value="yes"');
    expect(block).toContain('name="answer" value="no"');

    const posted = await fetch(`${h.url}/tips/${slug}/feedback`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Reader/1.0' },
      body: 'answer=yes',
    });
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/tips/${slug}/feedback\\?token=`));
    expect(posted.headers.get('set-cookie')).toBeNull();
    const stored = await h.db.selectFrom('feedback').selectAll().execute();
    expect(stored).toEqual([
      expect.objectContaining({ subscriber_id: null, tip_slug: slug, answer: 'yes', comment: null }),
    ]);
    // Nothing about the visitor: the row's columns are the tip, the answer, the comment and times.
    expect(Object.keys(stored[0]!).sort()).toEqual([
      'answer',
      'comment',
      'created_at',
      'id',
      'subscriber_id',
      'tip_slug',
      'updated_at',
    ]);

    const thanks = await fetch(`${h.url}${location}`);
    expect(thanks.status).toBe(200);
    const thanksPage = await thanks.text();
    expect(thanksPage).toContain('What would help more?');
    expect(thanksPage).toContain(tip.title.replace(/'/g, '&#39;'));
    const token = new URL(`${h.url}${location}`).searchParams.get('token')!;
    const commented = await form(`${h.url}/tips/${slug}/feedback`, { token, comment: 'A picture of the stretch' });
    expect(commented.status).toBe(200);
    expect((await h.db.selectFrom('feedback').select('comment').executeTakeFirst())!.comment).toBe(
      'A picture of the stretch',
    );
    // One comment per answer: the same token again is refused and changes nothing.
    expect((await form(`${h.url}/tips/${slug}/feedback`, { token, comment: 'spam' })).status).toBe(400);
    expect((await h.db.selectFrom('feedback').select('comment').executeTakeFirst())!.comment).toBe(
      'A picture of the stretch',
    );

    expect((await form(`${h.url}/tips/no-such-tip/feedback`, { answer: 'yes' })).status).toBe(404);

    // The 4 allowed this minute are used (answer, comment, spam, unknown tip): the next is refused.
    const limited = await form(`${h.url}/tips/${slug}/feedback`, { answer: 'no' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await h.db.selectFrom('feedback').selectAll().execute()).toHaveLength(1);
  });
});

describe('anonymous answers follow the tips as last loaded', () => {
  const h = useHarness();

  it('a tip added since start takes answers once the project is reloaded; a draft never does', async () => {
    await writeTip(h.temp.dir, '13-warm-socks.md', { title: 'Warm socks', week: 13 });
    await writeTip(h.temp.dir, '14-not-yet.md', { title: 'Not yet', week: 14, draft: true });
    expect((await form(`${h.url}/tips/warm-socks/feedback`, { answer: 'yes' })).status).toBe(404);
    // The scheduler reloads the project at every tick; the site's answers follow.
    await h.app.project({ reload: true });
    expect((await form(`${h.url}/tips/warm-socks/feedback`, { answer: 'yes' })).status).toBe(200);
    expect((await form(`${h.url}/tips/not-yet/feedback`, { answer: 'yes' })).status).toBe(404);
    expect(await h.db.selectFrom('feedback').select(['tip_slug', 'subscriber_id']).execute()).toEqual([
      { tip_slug: 'warm-socks', subscriber_id: null },
    ]);
  });
});
