import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { kyselyBounceStore } from '../../src/store/bounces.ts';
import { startSite, type RunningSite } from '../../src/web/index.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';
import { SECRET, T, readerWithTips, type SentTip, readerState } from './fixtures.ts';

const POSTMARK_AUTH = 'postmark:9f2c7d1e5a3b8c4d';
const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const NOW = new Date(T + 86_400_000);

function jsonFixture(name: string, fill: Record<string, string>): string {
  let text = readFileSync(path.join(repoRoot, 'tests/fixtures/bounces', name), 'utf8');
  for (const [k, v] of Object.entries(fill)) text = text.replaceAll(`{{${k}}}`, v);
  return text;
}

/** A Mailgun event for `tip`, signed with `key` at `at` (seconds) with a fresh token unless given. */
function mailgunEvent(name: string, tip: SentTip, options: { at?: number; key?: string; token?: string } = {}) {
  const timestamp = String(options.at ?? Math.floor(NOW.getTime() / 1000));
  const token = options.token ?? randomBytes(25).toString('hex');
  const signature = createHmac('sha256', options.key ?? MAILGUN_KEY)
    .update(timestamp + token)
    .digest('hex');
  return jsonFixture(name, {
    TIMESTAMP: timestamp,
    TOKEN: token,
    SIGNATURE: signature,
    ID: randomBytes(11).toString('base64url'),
    RECIPIENT: tip.email,
    MESSAGE_ID_BARE: tip.messageId.slice(1, -1),
  });
}

describeEachEngine('the ESP webhooks', (engine) => {
  const t = useTestStore(engine);
  let tp: TempProject;
  const apps: App[] = [];
  const sites: RunningSite[] = [];
  let n = 0;

  /** One site process (a replica) on the shared test database, as `newsletter start` builds it. */
  async function replica(limits?: { webhooksPerIp: { max: number; windowMs: number } }): Promise<RunningSite> {
    const env = {
      NEWSLETTER_SECRET: SECRET,
      NEWSLETTER_DATABASE_URL: t.url,
      NEWSLETTER_WEBHOOK_POSTMARK_AUTH: POSTMARK_AUTH,
      NEWSLETTER_WEBHOOK_MAILGUN_KEY: MAILGUN_KEY,
    };
    const app = openApp({ cwd: tp.dir, env, now: () => NOW });
    apps.push(app);
    const [store, subscriptions, project] = await Promise.all([app.subscribers(), app.subscriptions(), app.project()]);
    const site = await startSite(
      { ...app.config, host: '127.0.0.1', port: 0 },
      {
        subscriptions,
        store,
        series: project.series,
        secret: app.secret,
        now: () => NOW,
        ...(limits ? { limits } : {}),
        webhooks: {
          settings: { postmarkAuth: POSTMARK_AUTH, mailgunKey: MAILGUN_KEY },
          store: kyselyBounceStore(await app.db()),
          secret: app.secret,
        },
      },
    );
    sites.push(site);
    return site;
  }

  let a: RunningSite;
  let b: RunningSite;
  beforeAll(async () => {
    tp = await tempProject();
    a = await replica();
    b = await replica();
  });
  afterAll(async () => {
    for (const s of sites) await s.close();
    for (const app of apps) await app.close();
    await tp.cleanup();
  });

  const reader = async () => (await readerWithTips(t.db, `hook${++n}@reader-mail.example`))[0]!;
  const stateOf = (tip: SentTip) => readerState(t.db, tip);
  const postmark = (site: RunningSite, body: string, auth: string | null = POSTMARK_AUTH) =>
    fetch(`${site.address}/webhooks/postmark`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}),
      },
      body,
    });
  const mailgun = (site: RunningSite, body: string) =>
    fetch(`${site.address}/webhooks/mailgun`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const postmarkFor = (name: string, tip: SentTip) =>
    jsonFixture(name, { ID: String(1_000_000 + ++n), RECIPIENT: tip.email, MESSAGE_ID: tip.messageId });

  it('Postmark with the right basic auth: hard bounce → bounced, spam complaint → complained, transient → counted, blocked → nothing', async () => {
    const hard = await reader();
    const res = await postmark(a, postmarkFor('postmark-hard-bounce.json', hard));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: 'bounced' });
    expect(await stateOf(hard)).toEqual({ status: 'bounced', suppressed: 'bounced' });
    // Found by the Message-ID in the bounce's content: the tip is known.
    expect(
      await t.db
        .selectFrom('bounce_events')
        .select('delivery_id')
        .where('subscriber_id', '=', hard.subscriberId)
        .executeTakeFirst(),
    ).toEqual({ delivery_id: hard.deliveryId });

    const spam = await reader();
    expect(await (await postmark(b, postmarkFor('postmark-spam-complaint.json', spam))).json()).toEqual({
      ok: true,
      outcome: 'complained',
    });
    expect(await stateOf(spam)).toEqual({ status: 'complained', suppressed: 'complained' });
    // No Message-ID in this one: the event is put on the last tip the reader was sent.
    expect(
      await t.db
        .selectFrom('bounce_events')
        .select('delivery_id')
        .where('subscriber_id', '=', spam.subscriberId)
        .executeTakeFirst(),
    ).toEqual({ delivery_id: spam.deliveryId });

    const soft = await reader();
    expect(await (await postmark(a, postmarkFor('postmark-transient.json', soft))).json()).toEqual({
      ok: true,
      outcome: 'soft',
    });
    const blocked = await reader();
    expect(await (await postmark(a, postmarkFor('postmark-blocked.json', blocked))).json()).toEqual({
      ok: true,
      outcome: 'ignored',
    });
    expect(await stateOf(soft)).toEqual({ status: 'active', suppressed: null });
    expect(await stateOf(blocked)).toEqual({ status: 'active', suppressed: null });
  });

  it('Postmark with a wrong, missing or malformed password: 401 and nothing changes', async () => {
    const tip = await reader();
    const body = postmarkFor('postmark-hard-bounce.json', tip);
    for (const auth of ['postmark:wrong-password-here', null, 'postmark', `${POSTMARK_AUTH}x`]) {
      const res = await postmark(a, body, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    }
    const bearer = await fetch(`${a.address}/webhooks/postmark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${POSTMARK_AUTH}` },
      body,
    });
    expect(bearer.status).toBe(401);
    expect(await stateOf(tip)).toEqual({ status: 'active', suppressed: null });
    expect(
      await t.db.selectFrom('bounce_events').select('id').where('subscriber_id', '=', tip.subscriberId).execute(),
    ).toEqual([]);
  });

  it('a flood from one IP gets 429 with Retry-After before its body is read, signed or not, and changes nothing', async () => {
    const limitedSite = await replica({ webhooksPerIp: { max: 3, windowMs: 60_000 } });
    const tip = await reader();
    const body = postmarkFor('postmark-hard-bounce.json', tip);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await postmark(limitedSite, body, 'postmark:wrong-password-here')).status);
    const flooded = await postmark(limitedSite, body, POSTMARK_AUTH);
    expect(statuses).toEqual([401, 401, 401]);
    expect(flooded.status).toBe(429);
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThan(0);
    // Not parsed: a body that is not JSON at all would be a 400 if it were read.
    const unread = await fetch(`${limitedSite.address}/webhooks/postmark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(unread.status).toBe(429);
    expect(await stateOf(tip)).toEqual({ status: 'active', suppressed: null });
    // Another replica, with the default limit and its own count, still takes the event.
    expect((await postmark(a, body, POSTMARK_AUTH)).status).toBe(200);
  });

  it('Mailgun, correctly signed: permanent failure → bounced (by Message-ID), temporary → counted, complaint → complained', async () => {
    const hard = await reader();
    const res = await mailgun(a, mailgunEvent('mailgun-failed-permanent.json', hard));
    expect(await res.json()).toEqual({ ok: true, outcome: 'bounced' });
    expect(await stateOf(hard)).toEqual({ status: 'bounced', suppressed: 'bounced' });
    const soft = await reader();
    expect(await (await mailgun(b, mailgunEvent('mailgun-failed-temporary.json', soft))).json()).toEqual({
      ok: true,
      outcome: 'soft',
    });
    expect(await stateOf(soft)).toEqual({ status: 'active', suppressed: null });
    const spam = await reader();
    expect(await (await mailgun(a, mailgunEvent('mailgun-complained.json', spam))).json()).toEqual({
      ok: true,
      outcome: 'complained',
    });
    expect(await stateOf(spam)).toEqual({ status: 'complained', suppressed: 'complained' });
  });

  it('Mailgun with a bad signature, a wrong key or a timestamp over 5 minutes old or ahead: 401 and nothing changes', async () => {
    const tip = await reader();
    const now = Math.floor(NOW.getTime() / 1000);
    const tampered = mailgunEvent('mailgun-failed-permanent.json', tip).replace(
      /"signature": "([0-9a-f])/,
      (_m, c: string) => `"signature": "${c === 'a' ? 'b' : 'a'}`,
    );
    const bodies = [
      tampered,
      mailgunEvent('mailgun-failed-permanent.json', tip, { key: 'key-not-the-one-we-were-given-000' }),
      mailgunEvent('mailgun-failed-permanent.json', tip, { at: now - 6 * 60 }),
      mailgunEvent('mailgun-failed-permanent.json', tip, { at: now + 6 * 60 }),
      JSON.stringify(
        JSON.parse(mailgunEvent('mailgun-failed-permanent.json', tip)) && {
          'event-data': JSON.parse(mailgunEvent('mailgun-failed-permanent.json', tip))['event-data'],
        },
      ),
    ];
    for (const body of bodies) expect((await mailgun(a, body)).status).toBe(401);
    expect(await stateOf(tip)).toEqual({ status: 'active', suppressed: null });
    // Four and a half minutes is within the window.
    expect((await mailgun(a, mailgunEvent('mailgun-failed-permanent.json', tip, { at: now - 270 }))).status).toBe(200);
  });

  it("a replayed Mailgun signature is refused on another replica and after a restart, even with another reader's event in it", async () => {
    const first = await reader();
    const victim = await reader();
    const token = randomBytes(25).toString('hex');
    expect((await mailgun(a, mailgunEvent('mailgun-failed-permanent.json', first, { token }))).status).toBe(200);
    // The signature covers only timestamp + token: without replay protection anyone who saw one
    // request could bounce any reader with it.
    const replay = mailgunEvent('mailgun-failed-permanent.json', victim, { token });
    expect((await mailgun(b, replay)).status).toBe(401);
    const restarted = await replica();
    expect((await mailgun(restarted, replay)).status).toBe(401);
    expect(await stateOf(victim)).toEqual({ status: 'active', suppressed: null });
  });

  it('forgets tokens once they are too old to be replayed', async () => {
    const at = NOW.getTime();
    await t.db
      .insertInto('webhook_tokens')
      .values([
        { token: 'mailgun:old', seen_at: at - 11 * 60_000 },
        { token: 'mailgun:recent', seen_at: at - 60_000 },
      ])
      .execute();
    expect((await mailgun(a, mailgunEvent('mailgun-complained.json', await reader()))).status).toBe(200);
    const left = (await t.db.selectFrom('webhook_tokens').select('token').execute()).map((r) => r.token);
    expect(left).toContain('mailgun:recent');
    expect(left).not.toContain('mailgun:old');
  });
});
