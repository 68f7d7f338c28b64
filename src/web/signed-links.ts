import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Subscriber } from '../store/subscribers.ts';
import type { Resolved, SendNow, Subscriptions } from '../subscription/subscriptions.ts';
import { signToken, type TokenPurpose } from '../subscription/tokens.ts';
import { sendPage } from './http.ts';
import { errorPage, type PageContext } from './pages.ts';

export interface LinkRouteDeps {
  ctx: PageContext;
  subscriptions: Subscriptions;
  secret: string;
  now: () => Date;
  /** Sends an email the change queued, after the answer (or leaves it to the scheduler when many are in flight). */
  background(what: string, send: SendNow | undefined): void;
  /** Answers 429 and returns true when the client is over its limit. */
  limited(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export type LinkProblem = Extract<Resolved, { ok: false }>['problem'] | 'stale' | 'not-mailable';

/** A clear page for every way a signed link can fail; nothing has changed when it shows. */
export const linkProblems: Record<LinkProblem, { status: number; title: string; message: string }> = {
  malformed: {
    status: 400,
    title: 'This link is not complete',
    message:
      'Part of the link seems to be missing, which happens when an email program breaks a long link. Open it again from the email, or copy the whole link.',
  },
  'bad-signature': {
    status: 400,
    title: 'This link is not valid',
    message: 'We could not verify this link, so nothing was changed. Open it again from the email we sent you.',
  },
  'wrong-purpose': {
    status: 400,
    title: 'This link is for another page',
    message:
      'This link belongs to a different page of the newsletter, so nothing was changed. Use the link next to the button you want in the email.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    message:
      'Confirmation links work for 7 days and the links in our tips for a year, so nothing was changed. To confirm, subscribe again on the start page for a new link; otherwise use the links in a more recent email.',
  },
  'unknown-subscriber': {
    status: 404,
    title: 'No subscription for this link',
    message:
      'We have no subscription for this link any more: it may have been deleted, or never confirmed within 30 days.',
  },
  stale: {
    status: 409,
    title: 'This link is older than your unsubscribe',
    message:
      'You unsubscribed after this link was sent, so it no longer subscribes you. Subscribe again on the start page if you want the tips back.',
  },
  'not-mailable': {
    status: 409,
    title: 'We cannot send to this address',
    message: 'This address cannot get the newsletter (it bounced or reported our email as spam). Nothing was changed.',
  },
};

/** The `token` of a link's query string, as it came (checked by whoever resolves it). */
export function tokenOf(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.token;
}

/** The page for a link that failed; nothing has changed when it shows. */
export function problemPage(ctx: PageContext, reply: FastifyReply, problem: LinkProblem): FastifyReply {
  const p = linkProblems[problem];
  return sendPage(reply, p.status, errorPage(ctx, p.title, p.message));
}

/** Signs a new link for a reader with `secret`, dated by the clock `now`. */
export type Signer = (purpose: TokenPurpose, s: Subscriber) => string;

export function signerFor(secret: string, now: () => Date): Signer {
  return (purpose, s) => signToken(secret, purpose, s.publicId, now());
}
