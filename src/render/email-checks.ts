import { parseDocument } from 'htmlparser2';
import { findAll, getAttributeValue, textContent } from 'domutils';
import type { Element } from 'domhandler';
import type { Problem } from '../problems.ts';
import {
  clientFamilies,
  clientSupport,
  describeClients,
  familyNames,
  unsupportedSomewhere,
  type ClientSupport,
} from './client-support.ts';

export const HTML_WARN_BYTES = 80 * 1024;
/** Gmail clips messages near 102 KB; stay clear of it. */
export const HTML_MAX_BYTES = 100 * 1024;
export const STYLE_MAX_BYTES = 16 * 1024;
export const SUBJECT_MAX = 78;
export const PREHEADER_MIN = 40;
export const PREHEADER_MAX = 150;
/** A bedtime read: past this many minutes readers skim or stop. */
export const READING_WARN_MINUTES = 5;
export const WORDS_PER_MINUTE = 200;

export interface EmailUnderCheck {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export interface EmailCheckOptions {
  /** The public site's address: links to it are allowed even when it is plain http (local use). */
  baseUrl: string;
  /** The file findings are reported against (the tip or the template). */
  file?: string;
  /** Check name prefix for messages, e.g. `week 3`. */
  label?: string;
}

/**
 * Checks a finished email the way a careful reviewer would: size, links, images, accessibility
 * basics, subject and preheader length. Every finding is a typed record, errors first.
 */
export function checkEmail(email: EmailUnderCheck, options: EmailCheckOptions): Problem[] {
  const out: Problem[] = [];
  const add: Add = (severity, check, message) =>
    out.push({
      severity,
      check,
      message: options.label ? `${options.label}: ${message}` : message,
      ...(options.file ? { file: options.file } : {}),
    });

  checkSize(email.html, add);
  const doc = parseDocument(email.html);
  const all: FindAll = (name) => findAll((e: Element) => e.name === name, doc.children);
  checkDocument(all, add);
  checkImages(all, add);
  for (const a of all('a')) checkLink(a, options.baseUrl, add);
  checkInboxLines(email, add);
  checkText(email.text, add);
  return out;
}

/** Reports one finding; `checkEmail` adds the label and the file. */
type Add = (severity: Problem['severity'], check: string, message: string) => void;
/** Every element of one name in the email's HTML. */
type FindAll = (name: string) => Element[];

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The HTML's size against Gmail's clipping. */
function checkSize(html: string, add: Add): void {
  const bytes = Buffer.byteLength(html);
  if (bytes > HTML_MAX_BYTES)
    add(
      'error',
      'html-size',
      `HTML is ${kb(bytes)}, over the ${kb(HTML_MAX_BYTES)} limit (Gmail clips near 102 KB): shorten the tip`,
    );
  else if (bytes > HTML_WARN_BYTES)
    add('warning', 'html-size', `HTML is ${kb(bytes)}, close to the ${kb(HTML_MAX_BYTES)} limit`);
}

/** The document as a whole: style size, the language, the title, layout tables. */
function checkDocument(all: FindAll, add: Add): void {
  const styleBytes = all('style').reduce((n, e) => n + Buffer.byteLength(textContent(e)), 0);
  if (styleBytes > STYLE_MAX_BYTES)
    add('warning', 'style-size', `<style> blocks hold ${kb(styleBytes)}; Gmail drops styles over 16 KB`);

  const html = all('html')[0];
  if (!html || !getAttributeValue(html, 'lang'))
    add('error', 'lang', 'the <html> element has no lang attribute (screen readers need it)');
  if (!all('title')[0] || !textContent(all('title')[0]!).trim()) add('error', 'title', 'the email has no <title>');

  // Said once: one table without the role stands for the layout.
  if (all('table').some((table) => getAttributeValue(table, 'role') !== 'presentation'))
    add('error', 'table-role', 'a layout table lacks role="presentation" (screen readers read it as data)');
}

/** Each image: alt text, an https address, a width for Outlook. */
function checkImages(all: FindAll, add: Add): void {
  for (const img of all('img')) {
    const src = getAttributeValue(img, 'src') ?? '';
    if (getAttributeValue(img, 'alt') === undefined) add('error', 'image-alt', `image ${src} has no alt text`);
    if (!/^https:\/\//.test(src)) add('error', 'image-src', `image "${src}" is not an https address`);
    if (!getAttributeValue(img, 'width'))
      add('warning', 'image-width', `image ${src} has no width attribute (Outlook shows it at full size)`);
  }
}

/** One link: not a placeholder, and absolute https or mailto unless it goes to the site itself. */
function checkLink(a: Element, baseUrl: string, add: Add): void {
  const href = (getAttributeValue(a, 'href') ?? '').trim();
  const label = textContent(a).trim().slice(0, 40);
  if (!href || href === '#' || /^(javascript:|#)/i.test(href) || /example\.com|TODO|%%ncw:/i.test(href)) {
    add('error', 'link', `link "${label}" has an empty or placeholder address "${href}"`);
  } else if (sameSite(href, baseUrl)) {
    return;
  } else if (isLoopback(href) && isLoopback(baseUrl)) {
    // Development: the email came from a site on this machine with other settings (another PORT).
    add(
      'warning',
      'link',
      `link "${label}" goes to ${new URL(href).origin}, but the configured base URL is ${baseUrl}: give the site and this command the same PORT or NEWSLETTER_BASE_URL (e.g. in .env)`,
    );
  } else if (!/^https:\/\/[^/\s]+\.[^\s]+$/i.test(href) && !/^mailto:[^\s@]+@[^\s@]+$/i.test(href)) {
    add('error', 'link', `link "${label}" to "${href}" must be absolute https:// or mailto:`);
  }
}

/** What the inbox shows before the email is opened: the subject and the preheader. */
function checkInboxLines({ subject, preheader }: EmailUnderCheck, add: Add): void {
  const subjectLength = [...subject].length;
  if (subjectLength > SUBJECT_MAX)
    add('warning', 'subject', `subject is ${subjectLength} characters; inboxes cut it after about ${SUBJECT_MAX}`);
  const pre = [...preheader].length;
  if (pre === 0) add('warning', 'preheader', 'no preheader: inboxes will show the first words of the email instead');
  else if (pre < PREHEADER_MIN || pre > PREHEADER_MAX)
    add(
      'warning',
      'preheader',
      `preheader is ${pre} characters; ${PREHEADER_MIN}-${PREHEADER_MAX} reads best in inbox previews`,
    );
}

/** The plain-text part is there, and its reading time (always said, a warning when long). */
function checkText(text: string, add: Add): void {
  if (!text.trim()) add('error', 'text-part', 'the plain-text part is empty');

  const reading = readingTime(text);
  const about = `reading time about ${reading.minutes} minute${reading.minutes === 1 ? '' : 's'} (${reading.words} words)`;
  if (reading.minutes > READING_WARN_MINUTES)
    add('warning', 'reading-time', `${about}: long for a bedtime read; keep it under ${READING_WARN_MINUTES} minutes`);
  else add('info', 'reading-time', about);
}

/** Words a reader reads in the text part (addresses are skipped, not read) and the minutes they take. */
export function readingTime(text: string): { words: number; minutes: number } {
  const words = text
    .replace(/\b(https?:\/\/|mailto:)\S+/g, ' ')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return { words, minutes: Math.max(1, Math.round(words / WORDS_PER_MINUTE)) };
}

export interface EmailInSet {
  email: EmailUnderCheck;
  file?: string;
  label?: string;
}

export interface EmailSetOptions {
  baseUrl: string;
  /** Where findings about what every email shares are reported: the layout template. */
  layoutFile?: string;
  /** Judge client support (caniemail; its findings are `info`); default yes. */
  clientSupport?: boolean;
}

export interface EmailSetReport {
  /** `checkEmail` findings plus client support, for each email in the order given. */
  perEmail: Problem[][];
  /** Each email's client support table (caniemail). */
  support: ClientSupport[];
  /** Features every email uses: they come from the shared layout, not from one email. */
  shared: Set<string>;
  /** Findings about the shared features, said once. */
  sharedProblems: Problem[];
}

/** The support table of an email not judged: no features, so no findings. */
const NO_FEATURES: ClientSupport = { features: [] };

/**
 * Checks emails that share one layout together. Client support is judged against what they
 * share: MJML's layout uses features some clients lack (with fallbacks), which an editor cannot
 * change, so those are said once against the layout; a feature that one email adds (a button,
 * a table in a tip) and a client lacks is said against that email's file.
 */
export function checkEmailSet(emails: readonly EmailInSet[], options: EmailSetOptions): EmailSetReport {
  const support = emails.map((e) => (options.clientSupport === false ? NO_FEATURES : clientSupport(e.email.html)));
  const names = support.map((s) => new Set(s.features.map((f) => f.feature)));
  const shared = new Set(names.length > 1 ? [...names[0]!].filter((n) => names.every((set) => set.has(n))) : []);
  const perEmail = emails.map((e, i) => checkEmailInSet(e, shared, options.baseUrl, support[i]));
  return { perEmail, support, shared, sharedProblems: sharedClientProblems(support, shared, options.layoutFile) };
}

/** Whether `href` is on the site at `baseUrl` (same origin, under its path), as links to the site must be. */
function sameSite(href: string, baseUrl: string): boolean {
  try {
    const u = new URL(href);
    const base = new URL(baseUrl);
    return u.origin === base.origin && u.pathname.startsWith(base.pathname.replace(/\/?$/, '/').replace(/^\/$/, '/'));
  } catch {
    return false;
  }
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** One email's findings, given the features its set shares (from an earlier `checkEmailSet`). */
export function checkEmailInSet(
  e: EmailInSet,
  shared: ReadonlySet<string>,
  baseUrl: string,
  support = clientSupport(e.email.html),
): Problem[] {
  return [
    ...checkEmail(e.email, { baseUrl, ...(e.file ? { file: e.file } : {}), ...(e.label ? { label: e.label } : {}) }),
    ...clientProblems(support, shared, e),
  ];
}

function clientProblems(
  support: ClientSupport,
  shared: ReadonlySet<string>,
  where: { file?: string; label?: string },
): Problem[] {
  // Info, not warning: caniemail's "not supported" mostly means the client ignores the feature
  // and the email still reads; partial support is left to the studio's table.
  return support.features
    .filter((f) => !shared.has(f.feature) && unsupportedSomewhere(f))
    .map((f) => {
      const message = `\`${f.feature}\` is not supported by ${describeClients(f, 'no')} (caniemail)`;
      return {
        severity: 'info',
        check: 'client-support',
        message: where.label ? `${where.label}: ${message}` : message,
        ...(where.file ? { file: where.file } : {}),
      };
    });
}

function sharedClientProblems(
  support: ClientSupport[],
  shared: ReadonlySet<string>,
  file: string | undefined,
): Problem[] {
  const first = support[0];
  if (!first) return [];
  const out: Problem[] = [];
  for (const family of clientFamilies) {
    const lacking = first.features
      .filter((f) => shared.has(f.feature) && f.clients[family].level === 'no')
      .map((f) => `\`${f.feature}\``);
    if (!lacking.length) continue;
    out.push({
      severity: 'info',
      check: 'client-support',
      message: `every email's layout uses ${lacking.length} feature${lacking.length === 1 ? '' : 's'} that some ${familyNames[family]} apps do not support (caniemail; MJML falls back): ${lacking.join(', ')}`,
      ...(file ? { file } : {}),
    });
  }
  return out;
}
