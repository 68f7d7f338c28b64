import { enhancedCodeIn } from '../mailer/smtp-status.ts';
import type { SiteSuspension } from '../store/shaping.ts';

/**
 * A provider's policy refusal suspends only its site (issue 20 row 2, with the shaping of issue
 * 26). A 5.7.x, 5.4.x or 5.3.x answered for one recipient (at RCPT TO or DATA, after the relay
 * took the connection, the login and MAIL FROM) may be one provider's verdict on us: Microsoft's
 * `550 5.7.1 … on our block list (S3150)`, Gmail's `550-5.7.26 … unauthenticated`, Yahoo's
 * `554 5.7.9 … policy reasons`. Then that provider's readers wait and everyone else is sent.
 * The rule, for one pass:
 *
 * | the refusal | what happens |
 * |---|---|
 * | the first of its kind (5.7, 5.4 or 5.3) in the pass, from one site | that site is suspended (1 h, doubling to 24 h); nobody bounced or charged; the pass goes on |
 * | the same kind from a second site in the same pass | the relay's or our own setup's fault: the pass stops as before, and the suspensions this rule set in the pass are lifted |
 * | the relay's own words (`Relay access denied`, a sending quota, authentication required) | the relay's: the pass stops |
 * | at the greeting, EHLO, AUTH or MAIL FROM; any other code (5.6 content, 5.5 protocol, 5.1.7 sender address, a bare 554) | the pass stops, as before |
 */

/** Texts only the relay says about itself: its relaying rules, the account's quota, a missing login. */
const RELAY_OWN_WORDS =
  /relay(ing)? (access )?(denied|not permitted|prohibited)|not (permitted|allowed) to relay|unable to relay|sending (quota|limit)|quota exceeded|authentication required|must (authenticate|be authenticated)|not logged in/i;

/** The enhanced-code subjects a provider judges the sender by: policy, routing or quota, mail system. */
const SITE_KINDS = new Set(['7', '4', '3']);

/** The refusal ladder: one hour, doubling at each refusal within a day of the last one's end, at most a day. */
export const REFUSAL_BACKOFF_MS = [1, 2, 4, 8, 16, 24].map((h) => h * 3_600_000);
/** A day with no refusal after a refusal suspension ends starts the ladder again at one hour. */
export const REFUSAL_CLEAN_MS = 24 * 3_600_000;

/** The kind of a sender refusal that may be one site's (`7`, `4`, `3`), or undefined when it is the relay's. */
export function siteRefusalKind(response: string): string | undefined {
  if (RELAY_OWN_WORDS.test(response)) return undefined;
  const code = enhancedCodeIn(response);
  if (!code?.startsWith('5.')) return undefined;
  const subject = code.split('.')[1]!;
  return SITE_KINDS.has(subject) ? subject : undefined;
}

/**
 * The suspension a refusal at `at` leads to, given the site's last state. A site already
 * suspended for a refusal keeps it (several messages in flight answered alike: one step); a
 * rate suspension that lasts longer is never shortened.
 */
export function nextRefusalSuspension(
  last: SiteSuspension | undefined,
  site: string,
  at: number,
  reason: string,
): SiteSuspension {
  const lastRefusal = last && last.refusalLevel >= 0 ? last.refusalLevel : -1;
  if (last && lastRefusal >= 0 && at < last.until) return last;
  const step =
    last && lastRefusal >= 0 && at - last.until < REFUSAL_CLEAN_MS
      ? Math.min(lastRefusal + 1, REFUSAL_BACKOFF_MS.length - 1)
      : 0;
  const until = Math.max(at + REFUSAL_BACKOFF_MS[step]!, last?.until ?? 0);
  return { site, until, level: last?.level ?? -1, refusalLevel: step, reason, at };
}

/** What one pass decides about a site's refusal. */
export type RefusalVerdict = { scope: 'site' } | { scope: 'pass'; why: string };

/** One pass's memory of which sites refused it, by kind (see the table above). */
export class PassRefusals {
  private readonly sitesByKind = new Map<string, Set<string>>();

  judge(site: string, response: string): RefusalVerdict {
    const kind = siteRefusalKind(response);
    if (!kind) return { scope: 'pass', why: 'the relay refused for itself' };
    const sites = this.sitesByKind.get(kind) ?? new Set<string>();
    this.sitesByKind.set(kind, sites);
    sites.add(site);
    if (sites.size >= 2) return { scope: 'pass', why: `sites ${[...sites].join(', ')} refused alike (5.${kind}.x)` };
    return { scope: 'site' };
  }
}
