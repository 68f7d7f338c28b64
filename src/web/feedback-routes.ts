import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Feedback } from '../subscription/feedback.ts';
import { isAnswer } from '../subscription/feedback.ts';
import { readerFeedbackPage } from './feedback-pages.ts';
import { field, query, sendPage, wantsJson } from './http.ts';
import { problemPage as linkProblemPage, type LinkProblem } from './signed-links.ts';
import { registerTipFeedbackRoutes } from './tip-feedback-routes.ts';
import type { PageContext } from './pages.ts';

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

  registerTipFeedbackRoutes(app, { ctx, feedback, now, titleOf: deps.titleOf, limited: deps.anonymousLimited });
}
