import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { toNodemailer } from './headers.ts';
import type { Mailer, OutgoingMessage } from './mailer.ts';

const NAME_MAX = 80;

/**
 * A readable file name part from a Message-ID: its local part (the domain is the same on every
 * message), cut at a word boundary (`.`, `_` or `-`) when long, never in the middle of a word.
 */
export function outboxName(messageId: string): string {
  const local = messageId.replace(/[<>]/g, '').split('@')[0]!.replace(/[^A-Za-z0-9._-]/g, '_');
  if (local.length <= NAME_MAX) return local || 'message';
  const cut = Math.max(local.lastIndexOf('.', NAME_MAX), local.lastIndexOf('_', NAME_MAX), local.lastIndexOf('-', NAME_MAX));
  return local.slice(0, cut > 20 ? cut : NAME_MAX);
}

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
      await mkdir(dir, { recursive: true });
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      const name = `${stamp}-${String(seq++ % 1000).padStart(3, '0')}-${outboxName(message.messageId)}.eml`;
      const file = path.join(dir, name);
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
      return { response: `written to ${file}` };
    },
    async close() {},
  };
}
