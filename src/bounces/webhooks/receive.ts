import { applyNotice, type BounceDeps, type BounceResult } from '../apply.ts';
import { checkMailgunSignature, MAILGUN_WINDOW_MS, mailgunNotice } from './mailgun.ts';
import { postmarkAuthorized, postmarkNotice } from './postmark.ts';

export interface WebhookSettings {
  /** NEWSLETTER_WEBHOOK_POSTMARK_AUTH, `user:pass`; unset: the Postmark route answers 404. */
  postmarkAuth?: string;
  /** NEWSLETTER_WEBHOOK_MAILGUN_KEY; unset: the Mailgun route answers 404. */
  mailgunKey?: string;
}

/** What a webhook request comes to: refused (401, nothing changed), unreadable (400), or applied. */
export type WebhookAnswer =
  | { status: 401; why: string }
  | { status: 400; why: string }
  | { status: 200; result: BounceResult | { outcome: 'ignored'; text: string } };

export async function receivePostmark(
  deps: BounceDeps,
  settings: WebhookSettings & { postmarkAuth: string },
  request: { authorization?: string | undefined; body: unknown },
  now: Date,
): Promise<WebhookAnswer> {
  if (!postmarkAuthorized(request.authorization, settings.postmarkAuth))
    return { status: 401, why: 'bad or missing basic auth' };
  const read = postmarkNotice(request.body);
  if (!read.ok)
    return read.ignored
      ? { status: 200, result: { outcome: 'ignored', text: read.why } }
      : { status: 400, why: read.why };
  return { status: 200, result: await applyNotice(deps, read.notice, now) };
}

/**
 * Mailgun: the signature first, then the token's first sight (kept in the database, so a replay
 * to another replica or after a restart is refused too), then the event. If applying it fails the
 * token is forgotten again, so Mailgun's own retry is not refused as a replay.
 */
export async function receiveMailgun(
  deps: BounceDeps & { tokens: TokenMemory },
  settings: WebhookSettings & { mailgunKey: string },
  body: unknown,
  now: Date,
): Promise<WebhookAnswer> {
  const check = checkMailgunSignature(body, settings.mailgunKey, now);
  if (!check.ok) return { status: 401, why: check.why };
  const at = now.getTime();
  // Kept for twice the window: a timestamp up to 5 minutes in the future stays refusable until it is too old.
  if (!(await deps.tokens.firstSight(`mailgun:${check.token}`, at, at - 2 * MAILGUN_WINDOW_MS)))
    return { status: 401, why: 'Mailgun token seen before (replay)' };
  try {
    const read = mailgunNotice(body);
    if (!read.ok)
      return read.ignored
        ? { status: 200, result: { outcome: 'ignored', text: read.why } }
        : { status: 400, why: read.why };
    return { status: 200, result: await applyNotice(deps, read.notice, now) };
  } catch (e) {
    await deps.tokens.forget(`mailgun:${check.token}`).catch(() => {});
    throw e;
  }
}

/** Replay protection's memory (the `webhook_tokens` table). */
export interface TokenMemory {
  /** True the first time a token is seen; forgets tokens seen before `forgetBefore`. */
  firstSight(token: string, at: number, forgetBefore: number): Promise<boolean>;
  forget(token: string): Promise<void>;
}
