import type { FeedbackStore } from '../store/feedback.ts';
import type { FeedbackAnswer } from '../store/schema.ts';
import type { Subscriber, SubscriberStore } from './subscriber-store.ts';
import { signToken, verifyToken, type SigningKeys, type TokenCheck } from './tokens.ts';

/**
 * "Did this help?": the rules behind the links in every tip and the block on the public tip
 * page. A reader's link is signed for one reader and one tip; the answer itself travels in the
 * URL (`answer=yes|no`) only to pre-set the page, and is recorded by the POST alone (mail
 * scanners fetch every link). Nothing else is collected: no opens, no clicks, no pixel.
 */
/** The comment box is one line: longer input is cut, not refused (nothing the reader wrote is lost silently: the page says so). */
export const MAX_COMMENT_LENGTH = 500;

export const isAnswer = (v: unknown): v is FeedbackAnswer => v === 'yes' || v === 'no';

/** The token's subject: the reader's public id and the tip's slug (neither holds a colon). */
const subjectOf = (publicId: string, slug: string) => `${publicId}:${slug}`;

export function feedbackToken(secret: string, publicId: string, slug: string, now: Date): string {
  return signToken(secret, 'feedback', subjectOf(publicId, slug), now);
}

/** The reader's link for one tip, without the answer: the email adds `&answer=yes` or `&answer=no`. */
export function feedbackUrl(baseUrl: string, secret: string, publicId: string, slug: string, now: Date): string {
  return `${baseUrl}/feedback?token=${encodeURIComponent(feedbackToken(secret, publicId, slug, now))}`;
}

/** A comment as stored: one line, no control characters, bounded; empty is none. */
export function cleanComment(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const line = input
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line ? line.slice(0, MAX_COMMENT_LENGTH) : null;
}

export type FeedbackProblem = Extract<TokenCheck, { ok: false }>['reason'] | 'unknown-subscriber' | 'unknown-tip';

/** `secret` signs the comment token; it and `previousSecrets` (after a rotation) verify every feedback link. */
export interface FeedbackDeps extends SigningKeys {
  store: FeedbackStore;
  subscribers: Pick<SubscriberStore, 'byPublicId'>;
  /** Whether a slug names a tip readers can answer about (published, or sent to someone). */
  isTip(slug: string): boolean;
}

export function createFeedback(deps: FeedbackDeps) {
  const { store } = deps;

  /** The reader and tip a signed feedback link names, or why it cannot be used. */
  async function resolve(
    token: unknown,
    now: Date,
  ): Promise<{ ok: true; subscriber: Subscriber; slug: string } | { ok: false; problem: FeedbackProblem }> {
    const check = verifyToken(deps, token, 'feedback', now);
    if (!check.ok) return { ok: false, problem: check.reason };
    const at = check.subject.lastIndexOf(':');
    if (at <= 0) return { ok: false, problem: 'malformed' };
    const subscriber = await deps.subscribers.byPublicId(check.subject.slice(0, at));
    if (!subscriber) return { ok: false, problem: 'unknown-subscriber' };
    return { ok: true, subscriber, slug: check.subject.slice(at + 1) };
  }

  return {
    resolve,

    /** What the GET page shows: the tip and the reader's current answer. Records nothing. */
    async current(token: unknown, now: Date) {
      const r = await resolve(token, now);
      if (!r.ok) return r;
      const saved = await store.answerOf(r.subscriber.id, r.slug);
      return { ok: true as const, slug: r.slug, saved };
    },

    /** Records the reader's answer (and comment), replacing an earlier one for the same tip. */
    async answer(
      token: unknown,
      input: { answer: unknown; comment?: unknown },
      now: Date,
    ): Promise<
      | { ok: true; slug: string; answer: FeedbackAnswer; comment: string | null }
      | { ok: false; problem: FeedbackProblem | 'bad-answer' }
    > {
      const r = await resolve(token, now);
      if (!r.ok) return r;
      if (!isAnswer(input.answer)) return { ok: false, problem: 'bad-answer' };
      // No comment field (the answer buttons): the stored comment stays; an emptied box clears it.
      const comment = input.comment === undefined ? undefined : cleanComment(input.comment);
      await store.answer(r.subscriber.id, r.slug, input.answer, comment, now.getTime());
      const saved = await store.answerOf(r.subscriber.id, r.slug);
      return { ok: true, slug: r.slug, answer: input.answer, comment: saved?.comment ?? null };
    },

    /**
     * An anonymous answer from the public tip page: no reader, no address, no cookie. Returns a
     * short-lived token that lets the same visitor add one comment to this one answer.
     */
    async anonymous(
      slug: string,
      answer: unknown,
      now: Date,
    ): Promise<{ ok: true; commentToken: string } | { ok: false; problem: 'unknown-tip' | 'bad-answer' }> {
      if (!deps.isTip(slug)) return { ok: false, problem: 'unknown-tip' };
      if (!isAnswer(answer)) return { ok: false, problem: 'bad-answer' };
      const id = await store.anonymous(slug, answer, now.getTime());
      return { ok: true, commentToken: signToken(deps.secret, 'feedback-web', `${id}:${slug}`, now) };
    },

    /** Whether a comment token is good for this tip (the thanks page shows only then). */
    isCommentToken(slug: string, token: string, now: Date): boolean {
      const check = verifyToken(deps, token, 'feedback-web', now);
      return check.ok && check.subject.endsWith(`:${slug}`);
    },

    /** The one comment after an anonymous answer; false when the token is bad or a comment is already there. */
    async anonymousComment(
      slug: string,
      token: unknown,
      comment: unknown,
      now: Date,
    ): Promise<'saved' | 'empty' | 'invalid'> {
      const check = verifyToken(deps, token, 'feedback-web', now);
      if (!check.ok) return 'invalid';
      const [id, forSlug] = check.subject.split(':');
      if (forSlug !== slug || !id || !/^\d+$/.test(id)) return 'invalid';
      const text = cleanComment(comment);
      if (!text) return 'empty';
      return (await store.commentAnonymous(Number(id), text, now.getTime())) ? 'saved' : 'invalid';
    },
  };
}

export type Feedback = ReturnType<typeof createFeedback>;
