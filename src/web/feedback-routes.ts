import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Feedback } from '../subscription/feedback.ts';
import { isAnswer } from '../subscription/feedback.ts';
import { readerFeedbackPage, webFeedbackThanksPage } from './feedback-pages.ts';
import { field, sendPage, wantsJson } from './http.ts';
import { problemPage as linkProblemPage, type LinkProblem } from './signed-links.ts';
import { errorPage, type PageContext } from './pages.ts';

export interface FeedbackRouteDeps {
  ctx: PageContext;
  feedback: Feedback;
  now: () => Date;
  /** A tip's title by slug, for the pages; undefined when unknown. */
  titleOf(slug: string): string | undefined;
  /** 429 for the signed-link routes' per-IP limit; true when answered. */
  linksLimited(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** 429 for anonymous answers' per-IP limit; true when answered. */
  anonymousLimited(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

/**
 * "Did this help?": the reader's signed link (GET shows, POST records, then redirects so a
 * refresh cannot send it twice) and the anonymous answer from the public tip page.
 */
export function registerFeedbackRoutes(app: FastifyInstance, deps: FeedbackRouteDeps): void {
  const { ctx, feedback, now } = deps;
  const problemPage = (reply: FastifyReply, problem: LinkProblem) => linkProblemPage(ctx, reply, problem);

  // GET never records: link scanners open every link in an email.
  app.get('/feedback', async (request, reply) => {
    const q = query(request);
    const r = await feedback.current(q.token, now());
    if (!r.ok) return problemPage(reply, r.problem === 'unknown-tip' ? 'malformed' : r.problem);
    return sendPage(
      reply,
      200,
      readerFeedbackPage(ctx, {
        token: q.token as string,
        title: deps.titleOf(r.slug),
        ...(isAnswer(q.answer) ? { preset: q.answer } : {}),
        ...(r.saved ? { saved: r.saved } : {}),
        justSaved: q.saved === '1',
      }),
    );
  });

  app.post('/feedback', async (request, reply) => {
    if (await deps.linksLimited(request, reply)) return reply;
    const token = query(request).token;
    const body = request.body;
    const r = await feedback.answer(token, { answer: field(body, 'answer'), comment: field(body, 'comment') }, now());
    if (!r.ok) {
      if (r.problem === 'bad-answer') {
        if (wantsJson(request))
          return reply.code(400).send({ ok: false, error: 'bad-answer', message: 'answer must be yes or no' });
        const current = await feedback.current(token, now());
        return sendPage(
          reply,
          400,
          readerFeedbackPage(ctx, {
            token: token as string,
            error: 'Please choose Yes or Not really, then press the button.',
            ...(current.ok && current.saved ? { saved: current.saved } : {}),
          }),
        );
      }
      return problemPage(reply, r.problem === 'unknown-tip' ? 'malformed' : r.problem);
    }
    if (wantsJson(request)) return reply.send({ ok: true, tip: r.slug, answer: r.answer, comment: r.comment });
    // POST, redirect, GET: the page that follows is a GET a refresh can repeat safely.
    return reply.redirect(`/feedback?token=${encodeURIComponent(token as string)}&saved=1`, 303);
  });

  // Anonymous answers from the public tip page. No cookie and no reader: the row holds the
  // tip, the answer and the time. The page that follows carries a day-long token for one comment.
  app.post<{ Params: { slug: string } }>('/tips/:slug/feedback', async (request, reply) => {
    if (await deps.anonymousLimited(request, reply)) return reply;
    const { slug } = request.params;
    const body = request.body;
    const token = field(body, 'token');
    const back = (t: string, commented: boolean) =>
      reply.redirect(
        `/tips/${encodeURIComponent(slug)}/feedback?token=${encodeURIComponent(t)}${commented ? '&commented=1' : ''}`,
        303,
      );
    if (token !== undefined) {
      const outcome = await feedback.anonymousComment(slug, token, field(body, 'comment'), now());
      if (wantsJson(request))
        return reply.code(outcome === 'saved' ? 200 : 400).send({ ok: outcome === 'saved', outcome });
      if (outcome === 'saved') return back(token, true);
      const error =
        outcome === 'empty'
          ? 'The comment was empty, so nothing was saved.'
          : 'This comment form has expired or was used already. Your answer is still counted.';
      return sendPage(
        reply,
        400,
        webFeedbackThanksPage(ctx, { slug, title: deps.titleOf(slug), token, error, commented: outcome !== 'empty' }),
      );
    }
    const r = await feedback.anonymous(slug, field(body, 'answer'), now());
    if (!r.ok) {
      const [status, message] =
        r.problem === 'unknown-tip'
          ? [404, 'There is no published tip at this address.']
          : [400, 'Please press Yes or Not really.'];
      if (wantsJson(request)) return reply.code(status).send({ ok: false, error: r.problem, message });
      return sendPage(
        reply,
        status,
        errorPage(ctx, r.problem === 'unknown-tip' ? 'Tip not found' : 'That did not work', message, false),
      );
    }
    if (wantsJson(request)) return reply.send({ ok: true, commentToken: r.commentToken });
    return back(r.commentToken, false);
  });

  app.get<{ Params: { slug: string } }>('/tips/:slug/feedback', async (request, reply) => {
    const { slug } = request.params;
    const q = query(request);
    if (typeof q.token !== 'string' || !feedback.isCommentToken(slug, q.token, now())) {
      return sendPage(
        reply,
        404,
        errorPage(
          ctx,
          'Nothing to show',
          'This page follows an answer on a tip page. Open the tip and answer there.',
          false,
        ),
      );
    }
    return sendPage(
      reply,
      200,
      webFeedbackThanksPage(ctx, { slug, title: deps.titleOf(slug), token: q.token, commented: q.commented === '1' }),
    );
  });
}
