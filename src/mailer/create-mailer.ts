import type { Config } from '../config.ts';
import type { Mailer } from './mailer.ts';
import { createOutboxMailer } from './outbox-mailer.ts';
import { createThreadedSmtpMailer } from './threaded-smtp-mailer.ts';

/** SMTP when NEWSLETTER_SMTP_URL is set, the outbox folder otherwise. */
export function createMailer(config: Config): Mailer {
  return config.smtpUrl
    ? createThreadedSmtpMailer({
        url: config.smtpUrl,
        pool: config.smtpPool,
        ...(config.rate ? { rate: config.rate } : {}),
        ...(config.dkim ? { dkim: config.dkim } : {}),
        ...(config.smtpAuthWithoutTls ? { authWithoutTls: true } : {}),
      })
    : createOutboxMailer(config.outboxDir);
}
