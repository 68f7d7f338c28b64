import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toNodemailer } from './headers.ts';
import { SendError, type Mailer, type OutgoingMessage } from './mailer.ts';

const NAME_MAX = 80;

/**
 * A readable file name part from a Message-ID: its local part (the domain is the same on every
 * message), cut at a word boundary (`.`, `_` or `-`) when long, never in the middle of a word.
 */
export function outboxName(messageId: string): string {
  const local = messageId
    .replace(/[<>]/g, '')
    .split('@')[0]!
    .replace(/[^A-Za-z0-9._-]/g, '_');
  if (local.length <= NAME_MAX) return local || 'message';
  const cut = Math.max(
    local.lastIndexOf('.', NAME_MAX),
    local.lastIndexOf('_', NAME_MAX),
    local.lastIndexOf('-', NAME_MAX),
  );
  return local.slice(0, cut > 20 ? cut : NAME_MAX);
}

/**
 * The transport until SMTP is configured: each message is one complete `.eml` file in the
 * outbox folder, named so a listing sorts oldest first. Written to a temporary name and renamed,
 * so a reader (the preview inbox) never sees half a file.
 */
export function createOutboxMailer(dir: string, now: () => Date = () => new Date()): Mailer {
  // Loaded at the first message: a process that writes none (the site between sign-ups, a pass
  // with nobody due) does not carry nodemailer.
  let transport:
    Promise<{ sendMail(mail: ReturnType<typeof toNodemailer>): Promise<{ message: unknown }> }> | undefined;
  const composer = () =>
    (transport ??= import('nodemailer').then((m) =>
      m.default.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
    ));
  let seq = 0;
  return {
    concurrency: 4,
    describe: () =>
      `the outbox folder ${dir} (no NEWSLETTER_SMTP_URL set: one .eml file per message, nothing leaves this machine)`,
    async send(message: OutgoingMessage) {
      const info = await (await composer()).sendMail(toNodemailer(message));
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      const name = `${stamp}-${String(seq++ % 1000).padStart(3, '0')}-${outboxName(message.messageId)}.eml`;
      const file = path.join(dir, name);
      // Private whatever the umask: each message holds the reader's year-long preferences link.
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
        await chmod(`${file}.tmp`, 0o600);
        await rename(`${file}.tmp`, file);
      } catch (e) {
        await rm(`${file}.tmp`, { force: true }).catch(() => {});
        const code = (e as NodeJS.ErrnoException).code;
        // Everyone's message fails alike: 'unavailable' stops the pass, and it says why plainly.
        if (code === 'ENOSPC' || code === 'EDQUOT')
          throw new SendError(
            'unavailable',
            'disk full: the outbox folder cannot be written; free some space on its disk',
          );
        if (code === 'EROFS' || code === 'EACCES')
          throw new SendError(
            'unavailable',
            `the outbox folder cannot be written (${code}); make it writable or set NEWSLETTER_OUTBOX_DIR`,
          );
        throw e;
      }
      return { response: `written to ${file}` };
    },
    async close() {},
  };
}
