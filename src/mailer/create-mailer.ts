import { ConfigError, type Config } from '../config.ts';
import type { Mailer } from './mailer.ts';
import { createOutboxMailer } from './outbox-mailer.ts';
import { createThreadedSmtpMailer } from './threaded-smtp-mailer.ts';

/**
 * SMTP when NEWSLETTER_SMTP_URL is set, the outbox folder otherwise. In production the outbox
 * only when NEWSLETTER_OUTBOX_DIR asks for it: a forgotten SMTP URL must not turn a launch
 * into a folder of emails nobody receives.
 */
export function createMailer(config: Config): Mailer {
  if (config.smtpUrl) {
    return createThreadedSmtpMailer({
      url: config.smtpUrl,
      pool: config.smtpPool,
      ...(config.rate ? { rate: config.rate } : {}),
      ...(config.dkim ? { dkim: config.dkim } : {}),
      ...(config.smtpAuthWithoutTls ? { authWithoutTls: true } : {}),
    });
  }
  if (config.production && !config.outboxChosen) {
    throw new ConfigError(
      'NEWSLETTER_SMTP_URL: not set, and with NODE_ENV=production emails are not written to the outbox folder unless NEWSLETTER_OUTBOX_DIR names it; e.g. NEWSLETTER_SMTP_URL=smtp://user:pass@smtp.example.org:587 (or NEWSLETTER_OUTBOX_DIR=outbox to write them to files on purpose)',
    );
  }
  return createOutboxMailer(config.outboxDir);
}
