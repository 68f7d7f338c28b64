import type { FastifyInstance } from 'fastify';
import { isSubscribed } from '../subscription/status.ts';
import { confirmedPage, confirmPage } from './pages.ts';
import { sendPage } from './http.ts';
import { problemPage, signerFor, tokenOf, type LinkRouteDeps } from './signed-links.ts';

/** The confirmation link: GET shows a button, POST confirms (and sends the welcome email). */
export function registerConfirmRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  const { ctx, subscriptions, now } = deps;
  const sign = signerFor(deps.secret, now);

  // GET never changes anything: mail scanners and link previewers fetch links on their own.
  app.get('/confirm', async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, 'confirm', now());
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    const s = r.subscriber;
    if (isSubscribed(s.status)) return sendPage(reply, 200, confirmedPage(ctx, s, sign('preferences', s), true));
    if (s.status !== 'pending' && s.status !== 'unsubscribed') return problemPage(ctx, reply, 'not-mailable');
    return sendPage(reply, 200, confirmPage(ctx, token as string));
  });

  app.post('/confirm', async (request, reply) => {
    if (await deps.limited(request, reply)) return reply;
    const r = await subscriptions.confirm(tokenOf(request), now(), {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      source: 'web',
    });
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    deps.background('welcome', r.send);
    return sendPage(
      reply,
      200,
      confirmedPage(ctx, r.subscriber, sign('preferences', r.subscriber), r.alreadyConfirmed),
    );
  });
}
