/** What a report means for the reader it is about. */
export type BounceKind = 'hard' | 'soft' | 'complaint';

export type Classification = { kind: BounceKind } | { kind: 'ignored'; why: string };

/**
 * A delivery status notification's verdict for one recipient (RFC 3464 Action, RFC 3463 status):
 * - 5.x.x, failed: hard (the address takes no mail), except
 *   - x.7.x (security or policy: "blocked as spam", DMARC): about the sender, not the reader's
 *     address; reported and ignored, so a provider's block never empties the list;
 *   - 5.2.2 (mailbox full): a state that passes, counted as soft;
 * - 4.x.x, or Action delayed: soft (counted; see SOFT_BOUNCE_LIMIT);
 * - delivered, relayed, expanded: not a bounce.
 */
export function classifyStatus(action: string | undefined, status: string | undefined): Classification {
  const act = (action ?? '').toLowerCase();
  const code = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(status ?? '');
  if (['delivered', 'relayed', 'expanded'].includes(act)) return { kind: 'ignored', why: `not a bounce (Action: ${act})` };
  if (!code) return act === 'failed' ? { kind: 'soft' } : { kind: 'ignored', why: `no status code (Action: ${act || 'none'})` };
  const [, cls, subject, detail] = code;
  if (cls === '2') return { kind: 'ignored', why: `not a bounce (status ${code[0]})` };
  if (subject === '7') return { kind: 'ignored', why: `status ${code[0]} is a policy refusal about the sender, not the reader's address` };
  if (act === 'delayed' || cls === '4') return { kind: 'soft' };
  if (subject === '2' && detail === '2') return { kind: 'soft' };
  return { kind: 'hard' };
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
