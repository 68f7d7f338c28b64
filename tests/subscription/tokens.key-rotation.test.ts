import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { returnPathFor, systemReturnPathFor } from '../../src/bounces/verp.ts';
import type { Database, SubscriberStatus } from '../../src/store/schema.ts';
import { feedbackToken } from '../../src/subscription/feedback.ts';
import { signToken, type TokenPurpose } from '../../src/subscription/tokens.ts';
import { BOUNCE_ADDRESS, bounceFixture, writeFixture } from '../bounces/fixtures.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { signV1Token } from '../support/v1-token.ts';
import { form, startHarness, type Harness } from '../web/harness.ts';
import { sentDelivery } from '../support/rows.ts';

/**
 * Issue 20, row 6: after a key rotation (NEWSLETTER_SECRET new, NEWSLETTER_SECRET_PREVIOUS the
 * old one) everything the old key signed keeps working until it expires: every link in an email,
 * and every return path a bounce or complaint comes back to. One test per purpose, each signed
 * with the old key exactly as the newsletter signs it; each is refused (and changes nothing)
 * when NEWSLETTER_SECRET_PREVIOUS is not set.
 */
const OLD_KEY = 'old-key-that-is-at-least-32-bytes-long-000';
const NEW_KEY = 'new-key-that-is-at-least-32-bytes-long-111';
const NOW = new Date('2026-03-02T10:00:00Z');
/** Signed a month before the rotation: well within every purpose's lifetime. */
const SIGNED_AT = new Date(NOW.getTime() - 30 * 86_400_000);
const DAY_AGO = new Date(NOW.getTime() - 3_600_000);

describeEachEngine('a rotated key: what the previous key signed still verifies', (engine) => {
  const t = useTestStore(engine);
  let rotated: Harness;
  let without: Harness;
  let slug: string;

  const databaseUrl = () => t.url;
  const env = (previous: boolean) => ({
    NEWSLETTER_DATABASE_URL: databaseUrl(),
    NEWSLETTER_SECRET: NEW_KEY,
    ...(previous ? { NEWSLETTER_SECRET_PREVIOUS: OLD_KEY } : {}),
    NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS,
  });

  beforeAll(async () => {
    // Both processes of the rotated fleet, one with the previous key and one without it.
    rotated = await startHarness({ env: env(true), start: NOW });
    without = await startHarness({ env: env(false), start: NOW });
    slug = rotated.project.tips.find((tip) => !tip.draft)!.slug;
  });
  afterAll(async () => {
    await without?.close();
    await rotated?.close();
  });

  async function reader(
    db: Kysely<Database>,
    email: string,
    status: SubscriberStatus,
  ): Promise<{ id: number; publicId: string }> {
    const publicId = randomBytes(16).toString('base64url');
    const at = SIGNED_AT.getTime();
    const { id } = await db
      .insertInto('subscribers')
      .values({
        public_id: publicId,
        email,
        email_normalized: email,
        name: null,
        status,
        timezone: null,
        send_time: null,
        consent_at: at,
        consent_ip: null,
        consent_user_agent: null,
        consent_source: 'web',
        created_at: at,
        confirmed_at: status === 'pending' ? null : at,
        status_changed_at: at,
        next_send_at: status === 'active' ? NOW.getTime() + 86_400_000 : null,
        last_sent_at: null,
        confirm_sent_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, publicId };
  }
  const statusOf = async (email: string) =>
    (
      await t.db
        .selectFrom('subscribers')
        .select('status')
        .where('email_normalized', '=', email)
        .executeTakeFirstOrThrow()
    ).status;
  const oldLink = (h: Harness, route: TokenPurpose, token: string) =>
    `${h.url}/${route}?token=${encodeURIComponent(token)}`;

  it('confirm: the confirmation link', async () => {
    const email = 'confirm@reader-mail.example';
    const r = await reader(t.db, email, 'pending');
    const token = signToken(OLD_KEY, 'confirm', r.publicId, DAY_AGO);
    const refused = await fetch(oldLink(without, 'confirm', token), { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(await statusOf(email)).toBe('pending');
    expect((await fetch(oldLink(rotated, 'confirm', token))).status).toBe(200);
    const confirmed = await fetch(oldLink(rotated, 'confirm', token), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await statusOf(email)).toBe('active');
  });

  it('unsubscribe: the page and its button', async () => {
    const email = 'unsubscribe@reader-mail.example';
    const r = await reader(t.db, email, 'active');
    const token = signToken(OLD_KEY, 'unsubscribe', r.publicId, SIGNED_AT);
    expect((await fetch(oldLink(without, 'unsubscribe', token))).status).toBe(400);
    expect((await form(oldLink(without, 'unsubscribe', token), { source: 'page' })).status).toBe(400);
    expect(await statusOf(email)).toBe('active');
    expect((await fetch(oldLink(rotated, 'unsubscribe', token))).status).toBe(200);
    expect((await form(oldLink(rotated, 'unsubscribe', token), { source: 'page' })).status).toBe(200);
    expect(await statusOf(email)).toBe('unsubscribed');
  });

  it('unsubscribe: the RFC 8058 one-click POST from a mail client', async () => {
    const email = 'one-click@reader-mail.example';
    const r = await reader(t.db, email, 'active');
    const token = signToken(OLD_KEY, 'unsubscribe', r.publicId, SIGNED_AT);
    expect((await form(oldLink(without, 'unsubscribe', token), { 'List-Unsubscribe': 'One-Click' })).status).toBe(400);
    expect(await statusOf(email)).toBe('active');
    const done = await form(oldLink(rotated, 'unsubscribe', token), { 'List-Unsubscribe': 'One-Click' });
    expect(done.status).toBe(200);
    expect(await done.text()).toBe('Unsubscribed.\n');
    expect(await statusOf(email)).toBe('unsubscribed');
  });

  it('preferences: the page and its buttons', async () => {
    const email = 'preferences@reader-mail.example';
    const r = await reader(t.db, email, 'active');
    const token = signToken(OLD_KEY, 'preferences', r.publicId, SIGNED_AT);
    expect((await fetch(oldLink(without, 'preferences', token))).status).toBe(400);
    expect((await form(oldLink(without, 'preferences', token), { action: 'pause' })).status).toBe(400);
    const page = await fetch(oldLink(rotated, 'preferences', token));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);
    const paused = await fetch(oldLink(rotated, 'preferences', token), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pause',
    });
    expect(paused.status).toBe(303);
    expect(await statusOf(email)).toBe('paused');
  });

  it('feedback: "Did this help?" in a tip sent before the rotation', async () => {
    const email = 'feedback@reader-mail.example';
    const r = await reader(t.db, email, 'active');
    const link = (h: Harness) =>
      `${h.url}/feedback?token=${encodeURIComponent(feedbackToken(OLD_KEY, r.publicId, slug, SIGNED_AT))}`;
    expect((await fetch(`${link(without)}&answer=yes`)).status).toBe(400);
    expect((await form(link(without), { answer: 'yes' })).status).toBe(400);
    const answers = () =>
      t.db.selectFrom('feedback').select(['tip_slug', 'answer']).where('subscriber_id', '=', r.id).execute();
    expect(await answers()).toEqual([]);
    expect((await fetch(`${link(rotated)}&answer=yes`)).status).toBe(200);
    const recorded = await fetch(link(rotated), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=yes',
    });
    expect(recorded.status).toBe(303);
    expect(await answers()).toEqual([{ tip_slug: slug, answer: 'yes' }]);
  });

  it('feedback-web: the comment form after an anonymous answer on a tip page, issued just before the rotation', async () => {
    const { id } = await t.db
      .insertInto('feedback')
      .values({
        subscriber_id: null,
        tip_slug: slug,
        answer: 'no',
        comment: null,
        created_at: DAY_AGO.getTime(),
        updated_at: DAY_AGO.getTime(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = signToken(OLD_KEY, 'feedback-web', `${id}:${slug}`, DAY_AGO);
    const comment = (h: Harness) =>
      fetch(`${h.url}/tips/${slug}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, comment: 'More on stretching, please' }),
      });
    expect((await comment(without)).status).toBe(400);
    expect((await fetch(`${without.url}/tips/${slug}/feedback?token=${encodeURIComponent(token)}`)).status).toBe(404);
    expect((await fetch(`${rotated.url}/tips/${slug}/feedback?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect(await (await comment(rotated)).json()).toEqual({ ok: true, outcome: 'saved' });
    expect(
      (await t.db.selectFrom('feedback').select('comment').where('id', '=', id).executeTakeFirstOrThrow()).comment,
    ).toBe('More on stretching, please');
  });

  it('v1 links, as emails sent before the v2 tokens carry them: one-click unsubscribe and "Did this help?"', async () => {
    const email = 'v1-links@reader-mail.example';
    const r = await reader(t.db, email, 'active');
    const feedback = signV1Token(OLD_KEY, 'feedback', `${r.publicId}:${slug}`, SIGNED_AT);
    const feedbackLink = (h: Harness) => `${h.url}/feedback?token=${encodeURIComponent(feedback)}`;
    expect((await form(feedbackLink(without), { answer: 'no' })).status).toBe(400);
    expect((await form(feedbackLink(rotated), { answer: 'no' })).status).toBe(200);
    expect(
      await t.db.selectFrom('feedback').select(['tip_slug', 'answer']).where('subscriber_id', '=', r.id).execute(),
    ).toEqual([{ tip_slug: slug, answer: 'no' }]);
    // Still purpose-bound: the feedback link unsubscribes nobody.
    expect((await form(oldLink(rotated, 'unsubscribe', feedback), { 'List-Unsubscribe': 'One-Click' })).status).toBe(
      400,
    );
    const unsubscribe = signV1Token(OLD_KEY, 'unsubscribe', r.publicId, SIGNED_AT);
    expect((await form(oldLink(without, 'unsubscribe', unsubscribe), { 'List-Unsubscribe': 'One-Click' })).status).toBe(
      400,
    );
    expect(await statusOf(email)).toBe('active');
    const done = await form(oldLink(rotated, 'unsubscribe', unsubscribe), { 'List-Unsubscribe': 'One-Click' });
    expect(done.status).toBe(200);
    expect(await statusOf(email)).toBe('unsubscribed');
  });

  /** `bounces ingest` of one report, as the MTA pipe runs it, with or without the previous key. */
  async function ingest(h: Harness, previous: boolean, file: string) {
    return runCli(['bounces', 'ingest', file], h.temp.dir, env(previous), NOW);
  }

  /** A tip delivered (and signed) before the rotation: its return path carries the old key. */
  async function sentTip(email: string): Promise<{ returnPath: string }> {
    const r = await reader(t.db, email, 'active');
    const at = SIGNED_AT.getTime();
    const d = await t.db
      .insertInto('deliveries')
      .values(sentDelivery({ subscriberId: r.id, slug, messageId: `<tip.${r.publicId}@night-cramp.example>`, at }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return { returnPath: returnPathFor(BOUNCE_ADDRESS, OLD_KEY, d.id, SIGNED_AT) };
  }

  it("bounce: a DSN that names the reader only by a tip's return path", async () => {
    const email = 'tip-bounce@reader-mail.example';
    const { returnPath } = await sentTip(email);
    // The relay quotes no Message-ID we know: only the signed return path says who it is.
    const file = await writeFixture(
      path.join(rotated.temp.dir, 'reports'),
      'tip-dsn.eml',
      bounceFixture('postfix-hard.eml', { returnPath, recipient: email, messageId: '<not-quoted@relay.example>' }),
    );
    const refused = await ingest(without, false, file);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('not signed by this newsletter');
    expect(await statusOf(email)).toBe('active');
    const applied = await ingest(rotated, true, file);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('found by return path');
    expect(await statusOf(email)).toBe('bounced');
  });

  it("bounce: a DSN that names the reader only by a confirmation's return path (system emails)", async () => {
    const email = 'confirm-bounce@reader-mail.example';
    const r = await reader(t.db, email, 'pending');
    const { id } = await t.db
      .insertInto('system_emails')
      .values({
        subscriber_id: r.id,
        kind: 'confirm',
        message_id: `<confirm.${r.publicId}@night-cramp.example>`,
        created_at: DAY_AGO.getTime(),
        sent_at: DAY_AGO.getTime(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const returnPath = systemReturnPathFor(BOUNCE_ADDRESS, OLD_KEY, id, DAY_AGO);
    const file = await writeFixture(
      path.join(rotated.temp.dir, 'reports'),
      'system-dsn.eml',
      bounceFixture('postfix-hard.eml', { returnPath, recipient: email, messageId: '<not-quoted@relay.example>' }),
    );
    const refused = await ingest(without, false, file);
    expect(refused.code).toBe(1);
    expect(await statusOf(email)).toBe('pending');
    const applied = await ingest(rotated, true, file);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('(confirm email), found by return path');
    expect(await statusOf(email)).toBe('bounced');
  });

  it('complaint: an ARF report that names the reader only by return path', async () => {
    const email = 'complains@reader-mail.example';
    const { returnPath } = await sentTip(email);
    const file = await writeFixture(
      path.join(rotated.temp.dir, 'reports'),
      'arf.eml',
      bounceFixture('arf-yahoo.eml', { returnPath, recipient: email, messageId: '<not-quoted@relay.example>' }),
    );
    const refused = await ingest(without, false, file);
    expect(refused.code).toBe(1);
    expect(await statusOf(email)).toBe('active');
    const applied = await ingest(rotated, true, file);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('found by return path');
    expect(await statusOf(email)).toBe('complained');
  });
});
