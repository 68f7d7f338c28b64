import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { returnPathFor } from '../../src/bounces/verp.ts';
import { tipMessageId } from '../../src/mailer/compose.ts';
import type { Database, SubscriberStatus } from '../../src/store/schema.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { repoRoot } from '../support/temp-project.ts';
import type { TestStore } from '../support/engines.ts';
import { sentDelivery } from '../support/rows.ts';

export const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';
export const BOUNCE_ADDRESS = 'bounces@night-cramp.example';
export const FROM = '"Night Cramp Weekly" <tips@night-cramp.example>';
export const T = Date.UTC(2026, 2, 1, 19);

/** A reader with one sent tip delivery: what a bounce or complaint can be about. */
export interface SentTip {
  subscriberId: number;
  deliveryId: number;
  email: string;
  messageId: string;
  returnPath: string;
}

/** Inserts a reader (active unless told) and `slugs.length` sent deliveries, one per tip. */
export async function readerWithTips(
  db: Kysely<Database>,
  email: string,
  slugs: string[] = ['stretch-before-bed'],
  status: 'active' | 'paused' = 'active',
): Promise<SentTip[]> {
  const publicId = randomBytes(16).toString('base64url');
  const { id } = await db
    .insertInto('subscribers')
    .values({
      public_id: publicId,
      email,
      email_normalized: email.toLowerCase(),
      name: null,
      status,
      timezone: null,
      send_time: null,
      consent_at: T - 30 * 86_400_000,
      consent_ip: null,
      consent_user_agent: null,
      consent_source: 'web',
      created_at: T - 30 * 86_400_000,
      confirmed_at: T - 30 * 86_400_000,
      status_changed_at: T - 30 * 86_400_000,
      next_send_at: T + 7 * 86_400_000,
      last_sent_at: T,
      confirm_sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const out: SentTip[] = [];
  for (const [i, slug] of slugs.entries()) {
    const messageId = tipMessageId(publicId, slug, 0, FROM);
    const at = T - (slugs.length - 1 - i) * 7 * 86_400_000;
    const d = await db
      .insertInto('deliveries')
      .values(sentDelivery({ subscriberId: id, slug, messageId, at, week: i + 1 }))
      .returning('id')
      .executeTakeFirstOrThrow();
    out.push({
      subscriberId: id,
      deliveryId: d.id,
      email,
      messageId,
      returnPath: returnPathFor(BOUNCE_ADDRESS, SECRET, d.id, new Date(at)),
    });
  }
  return out;
}

/** A fixture from tests/fixtures/bounces with the reader's addresses and ids filled in. */
export function bounceFixture(
  name: string,
  fill: { returnPath: string; recipient: string; messageId: string; reportId?: string },
): string {
  const text = readFileSync(path.join(repoRoot, 'tests/fixtures/bounces', name), 'utf8');
  return text
    .replaceAll('{{VERP}}', fill.returnPath)
    .replaceAll('{{RECIPIENT}}', fill.recipient)
    .replaceAll('{{MESSAGE_ID}}', fill.messageId)
    .replaceAll('{{BOUNCE_ADDRESS}}', BOUNCE_ADDRESS)
    .replaceAll('{{REPORT_ID}}', fill.reportId ?? randomBytes(8).toString('hex'))
    .replace(/\r?\n/g, '\r\n');
}

export async function writeFixture(dir: string, name: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

/** What became of the reader a tip went to: their status, and the suppression list's reason if any. */
export async function readerState(
  db: Kysely<Database>,
  tip: SentTip,
): Promise<{ status: SubscriberStatus; suppressed: string | null }> {
  const s = await db
    .selectFrom('subscribers')
    .select('status')
    .where('id', '=', tip.subscriberId)
    .executeTakeFirstOrThrow();
  const sup = await db
    .selectFrom('suppressions')
    .select('reason')
    .where('email_hash', '=', addressHash(tip.email))
    .executeTakeFirst();
  return { status: s.status, suppressed: sup?.reason ?? null };
}

/** The environment of a bounce command against the test store: its database, the bounce address, the key. */
export function bounceEnv(store: Pick<TestStore, 'url'>): Record<string, string> {
  return { NEWSLETTER_DATABASE_URL: store.url, NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS, NEWSLETTER_SECRET: SECRET };
}
