import { toNodemailer } from './headers.ts';
import type { OutgoingMessage } from './mailer.ts';

interface Composer {
  sendMail(mail: ReturnType<typeof toNodemailer>): Promise<{ message: unknown }>;
}

let composer: Promise<Composer> | undefined;

/**
 * The complete message nodemailer would put on the wire (headers, Date, MIME-Version, both
 * parts; CRLF lines), without sending it: for checks that judge an email as a receiver sees it.
 * No DKIM signature: that is the relay's connection's business, and a check offline cannot verify one.
 */
export async function rawMessage(message: OutgoingMessage): Promise<Buffer> {
  composer ??= import('nodemailer').then((m) =>
    m.default.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
  );
  const info = await (await composer).sendMail(toNodemailer(message));
  return info.message as Buffer;
}
