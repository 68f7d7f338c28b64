import { ImapFlow } from 'imapflow';
import type { BounceDeps } from './apply.ts';
import { ingestMessage } from './ingest.ts';

/** Messages read per poll: a backlog is worked off over a few ticks, not in one long session. */
const BATCH = 200;

export interface MailboxSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  /** Where applied (or ignored) messages are moved. */
  processed: string;
  /** Where messages that could not be matched to a reader are moved, for a person to look at. */
  unmatched: string;
}

/**
 * NEWSLETTER_BOUNCE_IMAP_URL: `imaps://user:pass@host:993/INBOX`; `?processed=` and
 * `?unmatched=` name the folders handled messages go to (default Processed and Unmatched).
 */
export function mailboxSettings(url: string): MailboxSettings {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: Number(u.port) || (secure ? 993 : 143),
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
    processed: u.searchParams.get('processed') || 'Processed',
    unmatched: u.searchParams.get('unmatched') || 'Unmatched',
  };
}

export interface PollSummary {
  /** Applied: bounced, complained, soft, already, duplicate, ignored. */
  handled: number;
  /** Not matched to a reader: moved to the unmatched folder. */
  unmatched: number;
  /** Left in the mailbox for the next poll (the database failed while applying them). */
  left: number;
}

/**
 * One poll of the return-path mailbox: each message is read and applied as `bounces ingest`
 * would, then moved out of the way (to `processed`, or `unmatched` when no reader could be
 * found), so the next poll starts with what is new. A message whose applying fails stays for the
 * next poll; one bad message never stops the others.
 */
export async function pollMailbox(deps: BounceDeps, settings: MailboxSettings, now: () => Date): Promise<PollSummary> {
  const local = settings.host === '127.0.0.1' || settings.host === 'localhost';
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.pass },
    logger: false,
    ...(local ? { tls: { rejectUnauthorized: false } } : {}),
  });
  const summary: PollSummary = { handled: 0, unmatched: 0, left: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(settings.mailbox);
    try {
      const handled: number[] = [];
      const unmatched: number[] = [];
      const exists = typeof client.mailbox === 'object' ? client.mailbox.exists : 0;
      if (exists > 0) {
        for await (const message of client.fetch(`1:${Math.min(exists, BATCH)}`, { uid: true, source: true })) {
          if (!message.source) continue;
          try {
            const result = await ingestMessage(deps, message.source, now());
            (result.outcome === 'unknown' ? unmatched : handled).push(message.uid);
          } catch {
            summary.left++;
          }
        }
      }
      for (const [uids, folder] of [
        [handled, settings.processed],
        [unmatched, settings.unmatched],
      ] as const) {
        if (uids.length === 0) continue;
        await client.mailboxCreate(folder).catch(() => undefined);
        // Applied already: a failed move only means they are read again (and found duplicate) next time.
        const moved = await client.messageMove(uids, folder, { uid: true });
        if (!moved)
          throw new Error(
            `could not move ${uids.length} message(s) to the folder "${folder}"; create it, or name another with ?${folder === settings.processed ? 'processed' : 'unmatched'}=`,
          );
      }
      summary.handled = handled.length;
      summary.unmatched = unmatched.length;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return summary;
}
