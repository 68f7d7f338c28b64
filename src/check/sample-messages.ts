import type { Config } from '../config.ts';
import { returnPathFor, systemReturnPathFor } from '../bounces/verp.ts';
import { composeTipMessage, senderFor, tipMessageId } from '../mailer/compose.ts';
import type { OutgoingMessage } from '../mailer/mailer.ts';
import { rawMessage } from '../mailer/raw-message.ts';
import { encodeParts } from '../mailer/quoted-printable.ts';
import type { Project } from '../render/project.ts';
import { systemEmails } from '../render/index.ts';
import { stableMessageId } from '../mailer/headers.ts';
import { listLinks, subscriberLinks } from '../subscription/links.ts';
import type { Tip } from '../content/index.ts';
import { greetingName } from '../subscription/names.ts';
import { composeSystemMessage } from '../subscription/system-mail.ts';

/** One email as a reader's server receives it. */
export interface SampleMessage {
  /** `week 3` or `confirm email`. */
  label: string;
  /** The file it comes from, for problems. */
  file: string;
  raw: Buffer;
}

/** A sample reader: an ordinary name, an address on the reserved example domain. */
const READER = { email: 'reader@example.com', name: 'Alex', publicId: 'sample-reader' };
/** Signs the sample links; never the real key. */
const SAMPLE_SECRET = 'check-sample-secret-not-used-for-real-links-0000';

/** A reader of a sample message: `check --spam` and the size figures use one with a name, doctor one without. */
export interface SampleReader {
  email: string;
  name: string | null;
  publicId: string;
}

/**
 * One tip composed for `reader` exactly as the dispatcher composes it (links signed with
 * `secret`, the return path when a bounce address is set, the same headers), before DKIM;
 * `newsletter check` and `newsletter doctor` both judge this message, so they judge what a send sends.
 */
export async function sampleTipMessage(
  project: Pick<Project, 'series' | 'renderer'>,
  config: Config,
  tip: Tip,
  reader: SampleReader,
  secret: string,
  now: Date,
  /** The parts' encoding: the sender's own unless a bench compares another. */
  encode = encodeParts,
): Promise<{ message: OutgoingMessage; envelopeFrom: string }> {
  const sender = senderFor(project.series, config.from);
  const links = listLinks(config.baseUrl, secret, reader.publicId, now, tip.slug);
  const compiled = await project.renderer.compileTip(tip);
  const finished = project.renderer.personaliseParts(compiled, { name: reader.name, ...links });
  const returnPath = config.bounceAddress ? returnPathFor(config.bounceAddress, secret, 1, now) : undefined;
  const ids = {
    messageId: tipMessageId(reader.publicId, tip.slug, 0, sender.from),
    unsubscribeUrl: links.unsubscribeUrl,
    slug: tip.slug,
    ...(returnPath ? { returnPath } : {}),
  };
  const message = composeTipMessage(finished, reader, sender, ids, encode);
  const address = /<([^>]+)>/.exec(sender.from)?.[1] ?? sender.from;
  return { message, envelopeFrom: returnPath ?? address };
}

/**
 * Every tip (drafts left out: they are never sent to the list) and every system email, composed
 * as the dispatcher and the system-email queue compose them: the same headers, links, envelope
 * and quoted-printable parts, for one sample reader.
 */
export async function sampleMessages(
  project: Project,
  config: Config,
  now: Date,
  /** The tips' part encoding: the sender's own unless a bench compares another. */
  encode = encodeParts,
): Promise<SampleMessage[]> {
  const { renderer, series } = project;
  const sender = senderFor(series, config.from);
  const out: SampleMessage[] = [];
  for (const tip of project.tips) {
    if (tip.draft) continue;
    const { message } = await sampleTipMessage(project, config, tip, READER, SAMPLE_SECRET, now, encode);
    out.push({ label: `week ${tip.week}`, file: tip.file, raw: await rawMessage(message) });
  }
  for (const kind of systemEmails) {
    const compiled = await renderer.compileSystem(kind);
    const message = composeSystemMessage({ renderer, series, from: sender.from }, compiled, {
      email: READER.email,
      name: greetingName(kind, READER.name),
      links: subscriberLinks(config.baseUrl, SAMPLE_SECRET, READER.publicId, now),
      messageId: stableMessageId([kind, READER.publicId, now.getTime()], sender.from),
      ...(kind === 'welcome' ? { firstTip: 'Your first tip arrives on Monday, December 7 at 7:00 PM.' } : {}),
      ...(config.bounceAddress ? { returnPath: systemReturnPathFor(config.bounceAddress, SAMPLE_SECRET, 1, now) } : {}),
    });
    out.push({ label: `${kind} email`, file: `templates/${kind}.mjml.hbs`, raw: await rawMessage(message) });
  }
  return out;
}

/**
 * The bytes of a message's HTML part as it goes on the wire (its body in its transfer encoding,
 * without the part's headers): the size issue 24's 25 KB is about, and Gmail's clipping.
 */
export function htmlPartBytes(raw: Buffer): number {
  const text = raw.toString('latin1');
  const boundary = /boundary="([^"]+)"/i.exec(text)?.[1];
  const header = text.search(/^Content-Type: text\/html\b/im);
  if (!boundary || header < 0) throw new Error('the message has no multipart HTML part');
  const start = text.indexOf('\r\n\r\n', header) + 4;
  // The part ends where its boundary line begins (the CRLF before it belongs to the boundary).
  const end = text.indexOf(`\r\n--${boundary}`, start);
  if (end < 0) throw new Error('the HTML part has no closing boundary');
  return end - start;
}
