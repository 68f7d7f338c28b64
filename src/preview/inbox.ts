import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';

/** One header as the studio shows it. */
export interface HeaderLine {
  name: string;
  value: string;
}

/** One message the outbox transport wrote, as the inbox list shows it. */
export interface InboxItem {
  /** The file name: `<ISO-time>-<seq>-<message-id>.eml`. */
  id: string;
  date: string;
  from: string;
  to: string;
  subject: string;
}

/** A message read back from its `.eml` file: what a mail client would show. */
export interface InboxMessage extends InboxItem {
  headers: HeaderLine[];
  html: string;
  text: string;
}

const FILE_NAME = /^[A-Za-z0-9._-]+\.eml$/;
/** Newest first, and only so many: a long-running `npm start` fills the folder. */
export const INBOX_LIMIT = 200;

/**
 * The dev inbox: every `.eml` in the outbox folder, parsed with mailparser. The outbox transport
 * writes to a temporary name and renames, so a `.eml` here is always complete.
 */
export class Inbox {
  private readonly cache = new Map<string, { key: string; mail: ParsedMail }>();

  constructor(readonly dir: string) {}

  async list(limit = INBOX_LIMIT): Promise<InboxItem[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => FILE_NAME.test(n));
    } catch {
      return [];
    }
    // The names start with the ISO time and a sequence number, so they sort oldest first.
    names.sort().reverse();
    const items: InboxItem[] = [];
    for (const name of names.slice(0, limit)) {
      const message = await this.read(name);
      if (message) items.push(summary(name, message));
    }
    return items;
  }

  async open(id: string): Promise<InboxMessage | undefined> {
    if (!FILE_NAME.test(id) || path.basename(id) !== id) return undefined;
    const mail = await this.read(id);
    if (!mail) return undefined;
    return {
      ...summary(id, mail),
      headers: headerLines(mail),
      html: typeof mail.html === 'string' ? mail.html : '',
      text: mail.text ?? '',
    };
  }

  private async read(name: string): Promise<ParsedMail | undefined> {
    const file = path.join(this.dir, name);
    try {
      const info = await stat(file);
      const key = `${info.size}:${info.mtimeMs}`;
      const hit = this.cache.get(name);
      if (hit?.key === key) return hit.mail;
      const mail = await simpleParser(await readFile(file));
      if (this.cache.size > INBOX_LIMIT * 2) this.cache.clear();
      this.cache.set(name, { key, mail });
      return mail;
    } catch {
      // Removed between listing and reading, or not a message: leave it out, keep the rest.
      return undefined;
    }
  }
}

function summary(id: string, mail: ParsedMail): InboxItem {
  return {
    id,
    date: (mail.date ?? new Date(0)).toISOString(),
    from: addressText(mail.from),
    to: addressText(mail.to),
    subject: mail.subject ?? '(no subject)',
  };
}

function addressText(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

/** Every header as sent, decoded, in the order of the file and with the file's spelling. */
function headerLines(mail: ParsedMail): HeaderLine[] {
  return mail.headerLines.map(({ key, line }) => {
    const name = line.slice(0, line.indexOf(':')).trim() || key;
    const value = mail.headers.get(key);
    return { name, value: value === undefined ? line.slice(line.indexOf(':') + 1).trim() : headerText(value) };
  });
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toUTCString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if (typeof value === 'object' && value) {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('value' in value) {
      const params =
        'params' in value && value.params
          ? Object.entries(value.params)
              .map(([k, v]) => `; ${k}=${v}`)
              .join('')
          : '';
      return `${headerText(value.value as HeaderValue)}${params}`;
    }
  }
  return String(value);
}
