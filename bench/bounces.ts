/**
 * Figure 8: bounce handling. A bounce storm (a dead list imported by mistake, a provider's
 * outage) arrives as thousands of DSNs at once, through an MTA pipe, the mailbox or a webhook.
 * Measured: DSNs read (mailparser) and applied (signed return path checked, reader found, event
 * recorded, reader bounced and suppressed) per second on the SQLite store, one at a time as
 * `bounces ingest` and the mailbox poll apply them. Baseline: mailparser alone on the same
 * messages, the part no code of ours can make faster.
 *
 *   npx tsx bench/bounces.ts [dsns=2000]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { ingestMessage } from '../src/bounces/ingest.ts';
import { returnPathFor } from '../src/bounces/verp.ts';
import { tipMessageId } from '../src/mailer/compose.ts';
import { kyselyBounceStore } from '../src/store/bounces.ts';
import { migrate, openDatabase } from '../src/store/database.ts';

const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!';
const T = Date.UTC(2026, 2, 1, 19);
const here = path.dirname(fileURLToPath(import.meta.url));

export interface BounceFigure {
  dsns: number;
  perSecond: number;
  parseOnlyPerSecond: number;
  bounced: number;
}

export async function benchBounces(dsns: number): Promise<BounceFigure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-bench-bounces-'));
  const db = openDatabase(path.join(dir, 'bench.db'));
  try {
    await migrate(db);
    const template = readFileSync(path.join(here, '../tests/fixtures/bounces/postfix-hard.eml'), 'utf8');
    const messages: string[] = [];
    for (let i = 0; i < dsns; i += 500) {
      const rows = Array.from({ length: Math.min(500, dsns - i) }, (_, j) => ({
        n: i + j,
        publicId: randomBytes(16).toString('base64url'),
      }));
      const subs = await db
        .insertInto('subscribers')
        .values(
          rows.map((r) => ({
            public_id: r.publicId,
            email: `r${r.n}@reader-mail.example`,
            email_normalized: `r${r.n}@reader-mail.example`,
            name: null,
            status: 'active',
            timezone: null,
            send_time: null,
            consent_at: T,
            consent_ip: null,
            consent_user_agent: null,
            consent_source: 'bench',
            created_at: T,
            confirmed_at: T,
            status_changed_at: T,
            next_send_at: T + 7 * 86_400_000,
            last_sent_at: T,
            confirm_sent_at: null,
          })),
        )
        .returning(['id', 'public_id'])
        .execute();
      const deliveries = await db
        .insertInto('deliveries')
        .values(
          subs.map((s) => ({
            subscriber_id: s.id,
            tip_slug: 'stretch',
            cycle: 0,
            week: 1,
            state: 'sent',
            attempts: 1,
            message_id: tipMessageId(s.public_id, 'stretch', 0, 'tips@night-cramp.example'),
            created_at: T,
            claimed_at: T,
            sent_at: T,
            next_attempt_at: null,
            last_response: '250 ok',
          })),
        )
        .returning(['id', 'message_id', 'subscriber_id'])
        .execute();
      for (const [j, d] of deliveries.entries()) {
        messages.push(
          template
            .replaceAll('{{VERP}}', returnPathFor('bounces@night-cramp.example', SECRET, d.id, new Date(T)))
            .replaceAll('{{RECIPIENT}}', `r${i + j}@reader-mail.example`)
            .replaceAll('{{MESSAGE_ID}}', d.message_id)
            .replaceAll('{{REPORT_ID}}', `r${i + j}`)
            .replace(/\r?\n/g, '\r\n'),
        );
      }
    }
    const parseStart = performance.now();
    for (const m of messages)
      await simpleParser(m, {
        keepDeliveryStatus: true,
        ignoreEmbedded: true,
        skipHtmlToText: true,
        skipTextToHtml: true,
        skipImageLinks: true,
      });
    const parseSeconds = (performance.now() - parseStart) / 1000;

    const deps = { store: kyselyBounceStore(db), secret: SECRET };
    const now = new Date(T + 3_600_000);
    let bounced = 0;
    const start = performance.now();
    for (const m of messages) if ((await ingestMessage(deps, m, now)).outcome === 'bounced') bounced++;
    const seconds = (performance.now() - start) / 1000;
    return { dsns, perSecond: dsns / seconds, parseOnlyPerSecond: dsns / parseSeconds, bounced };
  } finally {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 2000);
  const f = await benchBounces(n);
  console.log(
    `${f.dsns} DSNs: ${f.perSecond.toFixed(0)} applied/s (mailparser alone ${f.parseOnlyPerSecond.toFixed(0)}/s), ${f.bounced} readers bounced`,
  );
}
