import type { FastifyInstance } from 'fastify';
import { isSubscribed } from '../subscription/status.ts';
import { unsubscribedPage, unsubscribePage } from './pages.ts';
import { field, sendPage } from './http.ts';
import { problemPage, signerFor, tokenOf, type LinkRouteDeps } from './signed-links.ts';

/** The unsubscribe link: GET shows a button, POST unsubscribes (from the page or a mail client's one-click). */
export function registerUnsubscribeRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  const { ctx, subscriptions, now } = deps;
  const sign = signerFor(deps.secret, now);

  app.get('/unsubscribe', async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, 'unsubscribe', now());
    if (!r.ok)
      return r.problem === 'unknown-subscriber'
        ? sendPage(reply, 200, unsubscribedPage(ctx, false))
        : problemPage(ctx, reply, r.problem);
    if (!isSubscribed(r.subscriber.status) && r.subscriber.status !== 'pending') {
      return sendPage(reply, 200, unsubscribedPage(ctx, false));
    }
    return sendPage(reply, 200, unsubscribePage(ctx, token as string, sign('preferences', r.subscriber)));
  });

  /**
   * Unsubscribes at once. The page's button sends `source=page`; anything else is a mail
   * client's RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) and gets a plain 200.
   */
  app.post('/unsubscribe', async (request, reply) => {
    // `newsletter doctor` proving the route (signed with this site's key): nobody is named, nothing changes.
    if (subscriptions.isProbe(tokenOf(request), now()))
      return reply.code(200).type('text/plain; charset=utf-8').send('Probe received; nothing was changed.\n');
    const r = await subscriptions.resolve(tokenOf(request), 'unsubscribe', now());
    // A valid unsubscribe is never refused: mail providers send one-click POSTs from a few
    // addresses, so only failed attempts count toward the per-IP limit.
    if (!r.ok && (await deps.limited(request, reply))) return reply;
    const fromPage = field(request.body, 'source') === 'page';
    const done = (changed: boolean) =>
      fromPage
        ? sendPage(reply, 200, unsubscribedPage(ctx, changed))
        : reply.code(200).type('text/plain; charset=utf-8').send('Unsubscribed.\n');
    if (!r.ok) return r.problem === 'unknown-subscriber' ? done(false) : problemPage(ctx, reply, r.problem);
    const result = await subscriptions.unsubscribe(r.subscriber, now(), { oneClick: !fromPage });
    deps.background('goodbye', result.send);
    const wasSubscribed = result.changed || r.subscriber.status === 'unsubscribed';
    return done(wasSubscribed);
  });
}
