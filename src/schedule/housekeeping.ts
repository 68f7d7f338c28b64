import type { Kysely } from 'kysely';
import { resolveSecret, type Config } from '../config.ts';
import type { Mailer } from '../mailer/mailer.ts';
import type { Project } from '../render/project.ts';
import type { Database } from '../store/schema.ts';
import { createSubscriberStore } from '../store/subscribers.ts';
import { purgeUnconfirmed } from '../subscription/subscriptions.ts';
import { senderOf } from '../mailer/headers.ts';
import { createSystemMail } from '../subscription/system-mail.ts';

export interface HouseholdReport {
  purged: number;
  welcomesSent: number;
  welcomesFailed: number;
}

/**
 * The chores of every tick besides tips: erase sign-ups unconfirmed for 30 days, and send the
 * welcomes that failed at confirmation time (SMTP was down), so no reader is silently left
 * without one.
 */
export async function keepHouse(config: Config, deps: { db: Kysely<Database>; mailer: Mailer; project: Project; now: Date }): Promise<HouseholdReport> {
  const store = createSubscriberStore(deps.db);
  const purged = await purgeUnconfirmed(store, deps.now);
  const mail = createSystemMail({
    store,
    mailer: deps.mailer,
    renderer: deps.project.renderer,
    series: deps.project.series,
    baseUrl: config.baseUrl,
    secret: resolveSecret(config),
    from: senderOf(deps.project.series, config.from),
  });
  const welcomes = await mail.retryWelcomes(deps.now);
  return { purged, welcomesSent: welcomes.sent, welcomesFailed: welcomes.failed };
}
