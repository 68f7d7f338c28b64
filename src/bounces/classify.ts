import { classifyMailStatus, enhancedCodeIn, replyCodes } from '../mailer/smtp-status.ts';

/** What a report means for the reader it is about. */
export type BounceKind = 'hard' | 'soft' | 'complaint';

export type Classification = { kind: BounceKind } | { kind: 'ignored'; why: string };

/**
 * A mail system's answer about one recipient (a DSN's Status, an ESP's code) as a bounce, by the
 * one table of src/mailer/smtp-status.ts: the reader's address → hard; the reader's mailbox for
 * now (4.x.x about it, 5.2.2 full) → soft; anything about the sender or its relay (5.7.x policy
 * and block lists, 5.4.x quota and routing, 5.3.x system, a 4.x.x delay on the sender's side) →
 * ignored, so a provider's block never empties the list.
 */
export function bounceOf(
  codes: { basic?: number | undefined; enhanced?: string | undefined },
  delayed = false,
): Classification {
  const verdict = classifyMailStatus({ ...codes, stage: 'recipient' });
  switch (verdict.party) {
    case 'success':
      return { kind: 'ignored', why: `not a bounce (status ${verdict.code})` };
    case 'reader-permanent':
      return { kind: delayed ? 'soft' : 'hard' };
    case 'reader-temporary':
      return { kind: 'soft' };
    default: {
      const what = /^policy/.test(verdict.meaning)
        ? 'a policy refusal about the sender'
        : verdict.party === 'sender-temporary'
          ? "a delay on the sender's side"
          : 'about the sender';
      return {
        kind: 'ignored',
        why: `status ${verdict.code} is ${what} (${verdict.meaning}), not the reader's address`,
      };
    }
  }
}

/**
 * A delivery status notification's verdict for one recipient (RFC 3464 Action, RFC 3463 Status,
 * and the Diagnostic-Code's SMTP reply when the Status is only x.0.0): see bounceOf. Delivered,
 * relayed or expanded is not a bounce; `failed` without a status code is counted as soft.
 */
export function classifyStatus(
  action: string | undefined,
  status: string | undefined,
  diagnostic?: string,
): Classification {
  const act = (action ?? '').toLowerCase();
  const enhanced = enhancedCodeIn(status);
  if (['delivered', 'relayed', 'expanded'].includes(act))
    return { kind: 'ignored', why: `not a bounce (Action: ${act})` };
  if (!enhanced)
    return act === 'failed' ? { kind: 'soft' } : { kind: 'ignored', why: `no status code (Action: ${act || 'none'})` };
  // `smtp; 550 …`: the remote server's own reply; it says more than a Status of 5.0.0.
  const smtp = /^\s*smtp\s*;\s*(.*)$/is.exec(diagnostic ?? '')?.[1];
  const basic = /\.0\.0$/.test(enhanced) ? replyCodes(smtp).basic : undefined;
  return bounceOf({ enhanced, ...(basic ? { basic } : {}) }, act === 'delayed');
}

/**
 * An ARF report's Feedback-Type (RFC 5965, with the types RFC 6650 and 6591 add): abuse and
 * fraud are the reader's complaint; the rest (not-spam, virus, auth-failure, other) are reported
 * and change nothing.
 */
export function classifyFeedback(type: string | undefined): Classification {
  const t = (type ?? '').trim().toLowerCase();
  if (t === 'abuse' || t === 'fraud') return { kind: 'complaint' };
  return { kind: 'ignored', why: `feedback type "${t || 'none'}" is not a complaint` };
}
