import type { Config } from '../config.ts';
import { returnPathFor, systemReturnPathFor } from '../bounces/verp.ts';
import { composeTipMessage, senderFor, tipMessageId } from '../mailer/compose.ts';
import { rawMessage } from '../mailer/raw-message.ts';
import { encodeParts } from '../mailer/quoted-printable.ts';
import type { Project } from '../render/project.ts';
import { systemEmails } from '../render/index.ts';
import { stableMessageId } from '../mailer/headers.ts';
import { subscriberLinks } from '../subscription/links.ts';
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
    const compiled = await renderer.compileTip(tip);
    const links = subscriberLinks(config.baseUrl, SAMPLE_SECRET, READER.publicId, now, tip.slug);
    const finished = renderer.personaliseParts(compiled, { name: READER.name, ...links });
    const returnPath = config.bounceAddress ? returnPathFor(config.bounceAddress, SAMPLE_SECRET, 1, now) : undefined;
    const ids = {
      messageId: tipMessageId(READER.publicId, tip.slug, 0, sender.from),
      unsubscribeUrl: links.unsubscribeUrl,
      slug: tip.slug,
      ...(returnPath ? { returnPath } : {}),
    };
    const message = composeTipMessage(finished, READER, sender, ids, encode);
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
