// ../../work/wt/h-studio/src/mailer/create-mailer.ts
import { ConfigError } from "../config.js";
import { createOutboxMailer } from "./outbox-mailer.js";
import { createThreadedSmtpMailer } from "./threaded-smtp-mailer.js";
function createMailer(config) {
  if (config.smtpUrl) {
    return createThreadedSmtpMailer({
      url: config.smtpUrl,
      pool: config.smtpPool,
      ...config.rate ? { rate: config.rate } : {},
      ...config.dkim ? { dkim: config.dkim } : {},
      ...config.smtpAuthWithoutTls ? { authWithoutTls: true } : {}
    });
  }
  if (config.production && !config.outboxChosen) {
    throw new ConfigError(
      "NEWSLETTER_SMTP_URL: not set, and with NODE_ENV=production emails are not written to the outbox folder unless NEWSLETTER_OUTBOX_DIR names it; e.g. NEWSLETTER_SMTP_URL=smtp://user:pass@smtp.example.org:587 (or NEWSLETTER_OUTBOX_DIR=outbox to write them to files on purpose)"
    );
  }
  return createOutboxMailer(config.outboxDir);
}
export {
  createMailer
};
//# sourceMappingURL=create-mailer.js.map
