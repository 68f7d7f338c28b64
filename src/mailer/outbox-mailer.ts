import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { toNodemailer } from './headers.ts';
import type { Mailer, OutgoingMessage } from './mailer.ts';

/**
 * The transport until SMTP is configured: each message is one complete `.eml` file in the
 * outbox folder, named so a listing sorts oldest first. Written to a temporary name and renamed,
 * so a reader (the preview inbox) never sees half a file.
 */
export function createOutboxMailer(dir: string, now: () => Date = () => new Date()): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let seq = 0;
  return {
    concurrency: 4,
    describe: () => `the outbox folder ${dir} (no NEWSLETTER_SMTP_URL set: one .eml file per message, nothing leaves this machine)`,
    async send(message: OutgoingMessage) {
      const info = await transport.sendMail(toNodemailer(message));
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      const id = message.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
      const name = `${stamp}-${String(seq++ % 1000).padStart(3, '0')}-${id}.eml`;
      const file = path.join(dir, name);
      // Private whatever the umask: each message holds the reader's year-long preferences link.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await chmod(`${file}.tmp`, 0o600);
      await rename(`${file}.tmp`, file);
      return { response: `written to ${file}` };
    },
    async close() {},
  };
}
