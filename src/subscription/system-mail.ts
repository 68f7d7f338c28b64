import type { Series } from '../content/index.ts';
import { listIdFor, stableMessageId } from '../mailer/headers.ts';
import type { Mailer } from '../mailer/mailer.ts';
import type { Renderer, SystemEmail } from '../render/index.ts';
import type { Subscriber, SubscriberStore } from '../store/subscribers.ts';
import { describeLocalTime } from '../content/local-time.ts';
import { subscriberLinks } from './links.ts';

/** What the welcome says about the first tip: the same date and wording as the confirm page. */
export function firstTipSentence(s: Pick<Subscriber, 'status' | 'next_send_at' | 'timezone'>, defaultTimezone: string): string {
  if (s.status === 'active' && s.next_send_at !== null) return `Your first tip arrives on ${describeLocalTime(s.next_send_at, s.timezone ?? defaultTimezone)}.`;
  return 'Your tips are paused: resume them from your preferences and the first one follows at your next send time.';
}

export interface SystemMailDeps {
  store: SubscriberStore;
  mailer: Mailer;
  renderer: Renderer;
  series: Series;
  baseUrl: string;
  secret: string;
  /** `Name <address>`: NEWSLETTER_FROM, or the series' sender. */
  from: string;
  /** NEWSLETTER_TIMEZONE: the zone of readers who gave none (the welcome names the first tip's time in it). */
  defaultTimezone: string;
  /**
   * The envelope sender for the email recorded as `systemEmailId` (VERP, when
   * NEWSLETTER_BOUNCE_ADDRESS is set), so its bounce names the reader as a tip's does.
   */
  returnPath?: (systemEmailId: number, now: Date) => string;
}

/** A failed welcome is retried from this long after it was recorded, until 72 hours after. */
const WELCOME_RETRY_AFTER_MS = 5 * 60_000;
const WELCOME_RETRY_FOR_MS = 72 * 3_600_000;
/** A retry claimed longer ago than this was left by a sender that died mid-send. */
const WELCOME_CLAIM_MS = 10 * 60_000;

/**
 * Sends the confirmation, welcome and goodbye emails. Each is recorded in `system_emails`
 * before it goes; the welcome's row is unique per subscriber, so confirming twice (even at the
 * same moment) sends one welcome. The confirmation carries no list headers (the reader is not
 * on the list yet); the welcome is list mail with List-Unsubscribe; the goodbye is the last word.
 */
export function createSystemMail(deps: SystemMailDeps) {
  async function deliver(kind: SystemEmail, subscriber: Subscriber, now: Date, messageId: string, systemEmailId: number): Promise<void> {
    const compiled = await deps.renderer.compileSystem(kind);
    const links = subscriberLinks(deps.baseUrl, deps.secret, subscriber.public_id, now);
    const finished = deps.renderer.personalise(compiled, { name: subscriber.name, ...links, ...(kind === 'welcome' ? { firstTip: firstTipSentence(subscriber, deps.defaultTimezone) } : {}) });
    await deps.mailer.send({
      to: subscriber.email,
      toName: subscriber.name,
      from: deps.from,
      subject: finished.subject,
      html: finished.html,
      text: finished.text,
      ...(finished.encoded ? { encoded: finished.encoded } : {}),
      messageId,
      ...(deps.returnPath ? { returnPath: deps.returnPath(systemEmailId, now) } : {}),
      ...(compiled.listMail ? { unsubscribeUrl: links.unsubscribeUrl, listId: listIdFor(deps.series.name, deps.from) } : {}),
    });
  }

  async function send(kind: SystemEmail, subscriber: Subscriber, now: Date, messageId: string): Promise<boolean> {
    const recorded = await deps.store.recordSystemEmail(subscriber.id, kind, messageId, now.getTime());
    if (recorded === undefined) return false;
    try {
      await deliver(kind, subscriber, now, messageId, recorded);
    } catch (e) {
      // A welcome that could not go stays recorded unsent: the scheduler retries it
      // (`retryWelcomes`). A confirmation or goodbye is forgotten so the reader can ask again.
      if (kind !== 'welcome') await deps.store.forgetSystemEmail(recorded);
      throw e;
    }
    await deps.store.markSystemEmailSent(recorded, now.getTime());
    return true;
  }

  /**
   * Sends the welcomes that failed at confirmation time (SMTP down), with their recorded
   * Message-ID, for up to 72 hours; a failure now waits for the next call. Returns how many went.
   * Each is claimed first: sender processes running their chores at the same tick send it once.
   */
  async function retryWelcomes(now: Date): Promise<{ sent: number; failed: number }> {
    const at = now.getTime();
    const due = await deps.store.unsentWelcomes(at - WELCOME_RETRY_FOR_MS, at - WELCOME_RETRY_AFTER_MS, 500);
    let sent = 0;
    let failed = 0;
    for (const w of due) {
      if (!(await deps.store.claimWelcome(w.id, at, at - WELCOME_CLAIM_MS))) continue;
      try {
        await deliver('welcome', w.subscriber, now, w.messageId, w.id);
      } catch {
        await deps.store.releaseWelcome(w.id, at);
        failed++;
        continue;
      }
      await deps.store.markSystemEmailSent(w.id, at);
      sent++;
    }
    return { sent, failed };
  }

  return {
    confirm: (s: Subscriber, now: Date) => send('confirm', s, now, stableMessageId(['confirm', s.public_id, now.getTime()], deps.from)),
    /** False when this subscriber already had their welcome. */
    welcome: (s: Subscriber, now: Date) => send('welcome', s, now, stableMessageId(['welcome', s.public_id], deps.from)),
    retryWelcomes,
    goodbye: (s: Subscriber, now: Date) => send('goodbye', s, now, stableMessageId(['goodbye', s.public_id, now.getTime()], deps.from)),
  };
}

export type SystemMail = ReturnType<typeof createSystemMail>;
