import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Subscriber } from '../store/subscribers.ts';
import { isSubscribed } from '../subscription/status.ts';
import type { Resolved, SendNow, Subscriptions } from '../subscription/subscriptions.ts';
import { signToken, type TokenPurpose } from '../subscription/tokens.ts';
import {
  confirmedPage,
  confirmPage,
  deletedPage,
  errorPage,
  preferencesPage,
  unsubscribedPage,
  unsubscribePage,
  type PageContext,
  type PreferencesState,
} from './pages.ts';
import { field, sendPage } from './http.ts';
import { zoneFromTyped } from '../series/zones.ts';

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
type Problem = LinkProblem;

/** A clear page for every way a signed link can fail; nothing has changed when it shows. */
export const linkProblems: Record<Problem, { status: number; title: string; message: string }> = {
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

function tokenOf(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.token;
}

/** What the preferences page says once after each action (the `status` of its redirect). */
const statusMessages = {
  saved: () => 'Saved.',
  paused: () => 'Paused. You will get no tips until you resume.',
  'already-paused': () => 'Your tips were already paused.',
  resumed: () => 'Welcome back.',
  'already-on': () => 'Your tips were already on.',
  restarted: (s: Subscriber) =>
    `The series starts again from week one.${s.status === 'paused' ? ' Resume your tips to get them.' : ''}`,
} satisfies Record<string, (s: Subscriber) => string>;
type PreferenceStatus = keyof typeof statusMessages;

/** The routes reached from links in emails: confirm, unsubscribe, preferences. */
export function registerLinkRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  const { ctx, subscriptions, now } = deps;
  const sign = (purpose: TokenPurpose, s: Subscriber) => signToken(deps.secret, purpose, s.publicId, now());
  const problemPage = (reply: FastifyReply, problem: Problem) => {
    const p = linkProblems[problem];
    return sendPage(reply, p.status, errorPage(ctx, p.title, p.message));
  };

  // GET never changes anything: mail scanners and link previewers fetch links on their own.
  app.get('/confirm', async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, 'confirm', now());
    if (!r.ok) return problemPage(reply, r.problem);
    const s = r.subscriber;
    if (isSubscribed(s.status)) return sendPage(reply, 200, confirmedPage(ctx, s, sign('preferences', s), true));
    if (s.status !== 'pending' && s.status !== 'unsubscribed') return problemPage(reply, 'not-mailable');
    return sendPage(reply, 200, confirmPage(ctx, token as string));
  });

  app.post('/confirm', async (request, reply) => {
    if (await deps.limited(request, reply)) return reply;
    const r = await subscriptions.confirm(tokenOf(request), now(), {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      source: 'web',
    });
    if (!r.ok) return problemPage(reply, r.problem);
    deps.background('welcome', r.send);
    return sendPage(
      reply,
      200,
      confirmedPage(ctx, r.subscriber, sign('preferences', r.subscriber), r.alreadyConfirmed),
    );
  });

  app.get('/unsubscribe', async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, 'unsubscribe', now());
    if (!r.ok)
      return r.problem === 'unknown-subscriber'
        ? sendPage(reply, 200, unsubscribedPage(ctx, false))
        : problemPage(reply, r.problem);
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
    const r = await subscriptions.resolve(tokenOf(request), 'unsubscribe', now());
    // A valid unsubscribe is never refused: mail providers send one-click POSTs from a few
    // addresses, so only failed attempts count toward the per-IP limit.
    if (!r.ok && (await deps.limited(request, reply))) return reply;
    const fromPage = field(request.body, 'source') === 'page';
    const done = (changed: boolean) =>
      fromPage
        ? sendPage(reply, 200, unsubscribedPage(ctx, changed))
        : reply.code(200).type('text/plain; charset=utf-8').send('Unsubscribed.\n');
    if (!r.ok) return r.problem === 'unknown-subscriber' ? done(false) : problemPage(reply, r.problem);
    const result = await subscriptions.unsubscribe(r.subscriber, now(), { oneClick: !fromPage });
    deps.background('goodbye', result.send);
    const wasSubscribed = result.changed || r.subscriber.status === 'unsubscribed';
    return done(wasSubscribed);
  });

  app.get('/preferences', async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, 'preferences', now());
    if (!r.ok) return problemPage(reply, r.problem);
    const status = (request.query as Record<string, unknown>).status;
    const message =
      typeof status === 'string' && Object.hasOwn(statusMessages, status)
        ? statusMessages[status as PreferenceStatus](r.subscriber)
        : undefined;
    return sendPage(
      reply,
      200,
      preferencesPage(
        ctx,
        r.subscriber,
        token as string,
        sign('unsubscribe', r.subscriber),
        message === undefined ? {} : { message },
      ),
    );
  });

  // After deleting: the token names nobody any more, so the page that follows has its own address.
  app.get('/preferences/deleted', (_request, reply) => sendPage(reply, 200, deletedPage(ctx)));

  app.post('/preferences', async (request, reply) => {
    if (await deps.limited(request, reply)) return reply;
    const token = tokenOf(request);
    const at = now();
    const r = await subscriptions.resolve(token, 'preferences', at);
    if (!r.ok) return problemPage(reply, r.problem);
    const s = r.subscriber;
    const body = request.body;
    const action = field(body, 'action');
    const page = (status: number, state: PreferencesState, subscriber: Subscriber = s) =>
      sendPage(
        reply,
        status,
        preferencesPage(ctx, subscriber, token as string, sign('unsubscribe', subscriber), state),
      );
    const subscribed = isSubscribed(s.status);
    // POST, redirect, GET: the browser ends on a page a refresh cannot submit again; the status
    // travels in the address once (the page's script removes it) and the page says when the next tip comes.
    const done = (status: PreferenceStatus) =>
      reply.redirect(`/preferences?token=${encodeURIComponent(token as string)}&status=${status}`, 303);

    switch (action) {
      case 'export': {
        const data = await subscriptions.exportData(s, at);
        const name =
          ctx.series.name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '') || 'newsletter';
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}-my-data.json"`)
          .send(`${JSON.stringify(data, null, 2)}\n`);
      }
      case 'delete': {
        if (field(body, 'confirm') !== 'yes')
          return page(400, {
            message: 'Nothing was deleted: tick the box to confirm, then press "Delete my data".',
            isError: true,
          });
        await subscriptions.erase(s, at);
        return reply.redirect('/preferences/deleted', 303);
      }
      case 'save':
      case 'pause':
      case 'resume':
      case 'restart':
        if (!subscribed)
          return page(409, {
            message: 'You are not subscribed, so there is nothing to change. Subscribe again on the start page.',
            isError: true,
          });
        break;
      default:
        return page(400, { message: 'That button is not known here. Nothing was changed.', isError: true });
    }

    if (action === 'save') {
      // The type-ahead box wins when filled: it is how a reader without JavaScript searches.
      const typed = (field(body, 'timezoneTyped') ?? '').trim();
      const timezone = typed ? (zoneFromTyped(typed) ?? typed) : field(body, 'timezone');
      const result = await subscriptions.updatePreferences(
        s,
        { name: field(body, 'name'), timezone, sendTime: field(body, 'sendTime') },
        at,
      );
      if (!result.ok) {
        return page(400, {
          message: 'Nothing was saved: please correct the marked fields.',
          isError: true,
          errors:
            typed && result.errors.timezone
              ? {
                  ...result.errors,
                  timezone: `No time zone matches "${typed}": type a city like Kolkata or New York, or pick one from the list.`,
                }
              : result.errors,
          values: {
            name: field(body, 'name') ?? '',
            timezone: field(body, 'timezone') ?? '',
            timezoneTyped: typed,
            sendTime: field(body, 'sendTime') ?? '',
          },
        });
      }
      return done('saved');
    }
    if (action === 'pause') return done((await subscriptions.pause(s, at)) ? 'paused' : 'already-paused');
    if (action === 'resume') return done((await subscriptions.resume(s, at)) ? 'resumed' : 'already-on');
    await subscriptions.restart(s, at);
    return done('restarted');
  });
}
