import nodemailer from 'nodemailer';
import { toNodemailer } from './headers.ts';
import type { Mailer, OutgoingMessage } from './mailer.ts';
import {
  classifySmtpError,
  describeSmtp,
  rejectedRecipients,
  smtpTransportOptions,
  type SmtpOptions,
} from './smtp-options.ts';

/**
 * nodemailer's SMTP pool in this thread: `pool` connections, TLS as the URL says, `rate` shared
 * by all. `createThreadedSmtpMailer` runs the same pool in a worker thread.
 */
export function createSmtpMailer(options: SmtpOptions): Mailer {
  const transport = nodemailer.createTransport(smtpTransportOptions(options));
  return {
    concurrency: options.pool,
    describe: () => describeSmtp(options),
    async send(message: OutgoingMessage) {
      let info;
      try {
        info = await transport.sendMail(toNodemailer(message));
      } catch (e) {
        throw classifySmtpError(e);
      }
      if ((info.rejected ?? []).length) throw rejectedRecipients(String(info.response));
      return { response: String(info.response ?? 'sent') };
    },
    async close() {
      transport.close();
    },
  };
}
