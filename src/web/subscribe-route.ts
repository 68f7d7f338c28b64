import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SubscriberStore } from '../subscription/subscriber-store.ts';
import { isUnwritable } from '../store/write-probe.ts';
import { checkAddress } from '../subscription/address.ts';
import type { SubscribeRefusal, Subscriptions } from '../subscription/subscriptions.ts';
import { answerUnavailable, writableProbe } from './availability.ts';
import type { BackgroundMail } from './background-mail.ts';
import { field, sendPage, wantsJson } from './http.ts';
import type { Limited } from './limits.ts';
import { checkInboxPage, SUBSCRIBE_ANSWER, type PageContext, type SubscribeFormState } from './pages.ts';

export interface SubscribeRouteDeps {
  ctx: PageContext;
  subscriptions: Subscriptions;
  /** Asked whether the database takes writes before a sign-up is tried. */
  store: Pick<SubscriberStore, 'ping'>;
  now: () => Date;
  /** The start page with the sign-up form, filled in again when a sign-up is refused. */
  home(state: SubscribeFormState): string;
  background: BackgroundMail['background'];
  /** The per-IP limit, asked first. */
  limitedPerIp: Limited;
  /** The per-address limit, asked once the address is usable. */
  limitedPerAddress: Limited;
}

/** POST /subscribe: the sign-up form and its JSON twin. */
export function registerSubscribeRoute(app: FastifyInstance, deps: SubscribeRouteDeps): void {
  const { ctx, subscriptions, now } = deps;
  const writable = writableProbe(deps.store);
  const accepted = (request: FastifyRequest, reply: FastifyReply) =>
    wantsJson(request)
      ? reply.send({ ok: true, message: SUBSCRIBE_ANSWER })
      : sendPage(reply, 200, checkInboxPage(ctx));

  app.post('/subscribe', async (request, reply) => {
    // Per IP first (a flood), then the address: a request without a usable one is a 400, never
    // a 429 from a bucket that every such request would share.
    if (await deps.limitedPerIp(request, reply)) return reply;
    const body = request.body;
    // The honeypot: people never see the field, form-filling bots fill it. They get the usual answer.
    if (field(body, 'website')) return accepted(request, reply);
    const address = checkAddress(field(body, 'email'));
    if (!address.ok) {
      if (wantsJson(request))
        return reply.code(400).send({ ok: false, error: 'invalid-email', message: address.reason });
      return sendPage(
        reply,
        400,
        deps.home({ email: field(body, 'email') ?? '', name: field(body, 'name') ?? '', error: address.reason }),
      );
    }
    if (await deps.limitedPerAddress(request, reply)) return reply;
    if (!(await writable())) return answerUnavailable(ctx, request, reply);
    let result: Awaited<ReturnType<typeof subscriptions.subscribe>>;
    try {
      result = await subscriptions.subscribe(
        {
          email: field(body, 'email'),
          name: field(body, 'name'),
          timezone: field(body, 'timezone'),
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          source: 'web',
        },
        now(),
      );
    } catch (e) {
      if (isUnwritable(e)) return answerUnavailable(ctx, request, reply);
      throw e;
    }
    if (!result.ok) return answerRefused(deps, request, reply, result);
    deps.background('confirmation', result.send);
    return accepted(request, reply);
  });
}

/** A sign-up the rules refused: the queue is full (503), or the address or name is not usable (400). */
function answerRefused(deps: SubscribeRouteDeps, request: FastifyRequest, reply: FastifyReply, r: SubscribeRefusal) {
  if (r.problem === 'busy')
    return answerUnavailable(deps.ctx, request, reply, {
      error: 'busy',
      message: r.reason,
      retryAfter: r.retryAfterSeconds,
    });
  if (wantsJson(request))
    return reply.code(400).send({
      ok: false,
      error: r.problem === 'name' ? 'invalid-name' : 'invalid-email',
      message: r.reason,
    });
  const body = request.body;
  return sendPage(
    reply,
    400,
    deps.home({
      email: field(body, 'email') ?? '',
      name: field(body, 'name') ?? '',
      error: r.reason,
      errorField: r.problem,
    }),
  );
}
