import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionsFor } from '../../src/app.ts';
import { resolveSecret } from '../../src/config.ts';
import { findTip } from '../../src/content/index.ts';
import { tipMessageId } from '../../src/mailer/compose.ts';
import { listIdFor } from '../../src/mailer/headers.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import type { Project } from '../../src/render/project.ts';
import type { Database } from '../../src/store/schema.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import { verifyToken } from '../../src/subscription/tokens.ts';
import { startSite, type RunningSite } from '../../src/web/index.ts';
import type { ReceivedMail } from '../support/smtp-sink.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import type { TempProject } from '../support/temp-project.ts';
import { insertSubscribers, loadProject, openTestDatabase, pass, sinkProject } from '../delivery/helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);

let sink: SmtpSink;
let tp: TempProject;
let db: Kysely<Database>;
let mailer: Mailer;
let project: Project;
let mail: ReceivedMail;
let publicId: string;
let site: RunningSite;

beforeAll(async () => {
  sink = await startSmtpSink();
  // The site listens on an ephemeral port; the emails' links must point at it, so the base URL
  // is known only once it listens: start it first with a placeholder, then the real config.
  ({ tp, mailer } = await sinkProject(sink.url, 1, { NEWSLETTER_BASE_URL: 'http://127.0.0.1:9' }));
  db = await openTestDatabase(tp.config);
  project = await loadProject(tp.config);
  const parts = { store: createSubscriberStore(db), mailer, project, secret: resolveSecret(tp.config) };
  site = await startSite(
    { ...tp.config, host: '127.0.0.1', port: 0 },
    {
      store: parts.store,
      secret: parts.secret,
      series: project.series,
      subscriptions: await subscriptionsFor(tp.config, parts),
    },
  );
  tp.config.baseUrl = site.address;
  project = await loadProject(tp.config);

  await insertSubscribers(db, [{ email: 'Reader.One@Example.org', name: '<b>Ann & "Bo"</b>', nextSendAt: T }]);
  publicId = (await db.selectFrom('subscribers').select('public_id').executeTakeFirstOrThrow()).public_id;
  const summary = await pass(db, mailer, project, tp.config, T);
  expect(summary.sent).toBe(1);
  mail = sink.received[0]!;
});

afterAll(async () => {
  await site?.close();
  await mailer?.close();
  await db?.destroy();
  await sink?.close();
  await tp?.cleanup();
});

describe('a received tip email', () => {
  it('is multipart/alternative with a text and an HTML part, the tip subject, from the series sender', () => {
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative;/im);
    expect(mail.parsed.text?.length).toBeGreaterThan(200);
    expect(typeof mail.parsed.html).toBe('string');
    const tip = findTip(project.tips, '1')!;
    expect(mail.parsed.subject).toBe(tip.subject);
    expect(mail.parsed.from?.value[0]).toMatchObject({
      name: project.series.from.name,
      address: project.series.from.address,
    });
    expect(mail.envelopeTo.map((a) => a.toLowerCase())).toEqual(['reader.one@example.org']);
  });

  it('has a Message-ID stable for (subscriber, tip, cycle), recorded in the ledger', async () => {
    const from = `${project.series.from.name} <${project.series.from.address}>`;
    const expected = tipMessageId(publicId, 'what-happens-in-your-calf', 0, from);
    expect(mail.parsed.messageId).toBe(expected);
    const row = await db.selectFrom('deliveries').select(['message_id', 'state']).executeTakeFirstOrThrow();
    expect(row).toEqual({ message_id: expected, state: 'sent' });
    expect(expected).toMatch(/^<[^<>@\s]+@night-cramp-weekly\.example>$/);
  });

  it('has List-Id, and List-Unsubscribe with the signed link plus List-Unsubscribe-Post for one-click', () => {
    const from = `${project.series.from.name} <${project.series.from.address}>`;
    expect(mail.raw).toMatch(
      new RegExp(`^List-Id: ${listIdFor(project.series.name, from).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'im'),
    );
    const listUnsubscribe = /^List-Unsubscribe: <([^>]+)>$/im.exec(mail.raw.replace(/\r?\n[ \t]+/g, ' '))?.[1];
    expect(listUnsubscribe).toBeDefined();
    expect(listUnsubscribe!.startsWith(`${site.address}/unsubscribe?token=`)).toBe(true);
    const token = new URL(listUnsubscribe!).searchParams.get('token');
    expect(verifyToken(resolveSecret(tp.config), token, 'unsubscribe', new Date(T))).toMatchObject({
      ok: true,
      subject: publicId,
    });
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
  });

  it('shows the unsubscribe and preferences links, the postal address and the disclaimer in both parts', () => {
    const html = mail.parsed.html as string;
    const text = mail.parsed.text!;
    for (const part of [html, text]) {
      expect(part).toContain(`${site.address}/unsubscribe?token=`);
      expect(part).toContain(`${site.address}/preferences?token=`);
      expect(part.replace(/\s+/g, ' ')).toContain(project.series.postalAddress);
    }
    expect(text.replace(/\s+/g, ' ')).toContain(project.series.disclaimer.replace(/\s+/g, ' '));
    expect(html.replace(/\s+/g, ' ')).toContain(project.series.disclaimer.replace(/\s+/g, ' ').slice(0, 60));
  });

  it("is under 100 KB of HTML, has no tracking pixel or remote image, and escapes the reader's name", () => {
    const html = mail.parsed.html as string;
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(100 * 1024);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toContain('<b>Ann');
    expect(html).toContain('Ann &amp; &quot;Bo&quot;');
    // Every link is the site's own (base URL) or https/mailto.
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs.length).toBeGreaterThan(3);
    for (const h of hrefs)
      expect(h.startsWith(site.address) || h.startsWith('https://') || h.startsWith('mailto:')).toBe(true);
  });

  it('its List-Unsubscribe link works against the running site: a one-click POST unsubscribes the reader', async () => {
    const link = /^List-Unsubscribe: <([^>]+)>$/im.exec(mail.raw.replace(/\r?\n[ \t]+/g, ' '))![1]!;
    const res = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const reader = await db.selectFrom('subscribers').select(['status', 'next_send_at']).executeTakeFirstOrThrow();
    expect(reader).toEqual({ status: 'unsubscribed', next_send_at: null });
    // And the dispatcher sends them nothing more.
    const later = await pass(db, mailer, project, tp.config, T + 7 * 86_400_000);
    expect(later.sent).toBe(0);
  });
});
