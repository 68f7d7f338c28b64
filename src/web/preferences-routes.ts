import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Subscriber } from '../store/subscribers.ts';
import { isSubscribed } from '../subscription/status.ts';
import { zoneFromTyped } from '../series/zones.ts';
import { deletedPage, preferencesPage, type PreferencesState } from './pages.ts';
import { field, sendPage } from './http.ts';
import { problemPage, signerFor, tokenOf, type LinkRouteDeps } from './signed-links.ts';

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

/** One POST to the preferences page, resolved to its reader: what each action needs to answer. */
interface PreferencesPost {
  deps: LinkRouteDeps;
  reply: FastifyReply;
  body: unknown;
  token: string;
  subscriber: Subscriber;
  at: Date;
  /** The preferences page again, with a message (and the form as it was sent). */
  page(status: number, state: PreferencesState): FastifyReply;
  /** Redirects to the preferences page, which says `status` once. */
  done(status: PreferenceStatus): FastifyReply;
}

/** The preferences link: the page, its actions (settings, pause, restart, data rights) and the page after deleting. */
export function registerPreferencesRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  const { ctx, subscriptions, now } = deps;
  const sign = signerFor(deps.secret, now);

  app.get('/preferences', async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, 'preferences', now());
    if (!r.ok) return problemPage(ctx, reply, r.problem);
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
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    const s = r.subscriber;
    const post: PreferencesPost = {
      deps,
      reply,
      body: request.body,
      token: token as string,
      subscriber: s,
      at,
      page: (status, state) =>
        sendPage(reply, status, preferencesPage(ctx, s, token as string, sign('unsubscribe', s), state)),
      // POST, redirect, GET: the browser ends on a page a refresh cannot submit again; the status
      // travels in the address once (the page's script removes it) and the page says when the next tip comes.
      done: (status) =>
        reply.redirect(`/preferences?token=${encodeURIComponent(token as string)}&status=${status}`, 303),
    };
    return answerAction(post, field(request.body, 'action'));
  });
}

/** Runs the action a button of the preferences page asked for. */
async function answerAction(post: PreferencesPost, action: string | undefined): Promise<FastifyReply> {
  const { subscriptions } = post.deps;
  const { subscriber: s, at } = post;
  switch (action) {
    case 'export':
      return exportData(post);
    case 'delete':
      return deleteData(post);
    case 'save':
    case 'pause':
    case 'resume':
    case 'restart':
      if (!isSubscribed(s.status))
        return post.page(409, {
          message: 'You are not subscribed, so there is nothing to change. Subscribe again on the start page.',
          isError: true,
        });
      break;
    default:
      return post.page(400, { message: 'That button is not known here. Nothing was changed.', isError: true });
  }
  if (action === 'save') return savePreferences(post);
  if (action === 'pause') return post.done((await subscriptions.pause(s, at)) ? 'paused' : 'already-paused');
  if (action === 'resume') return post.done((await subscriptions.resume(s, at)) ? 'resumed' : 'already-on');
  await subscriptions.restart(s, at);
  return post.done('restarted');
}

/** The reader's data as a JSON download named after the series. */
async function exportData({ deps, reply, subscriber, at }: PreferencesPost): Promise<FastifyReply> {
  const data = await deps.subscriptions.exportData(subscriber, at);
  const name =
    deps.ctx.series.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'newsletter';
  return reply
    .type('application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-my-data.json"`)
    .send(`${JSON.stringify(data, null, 2)}\n`);
}

/** Erases the reader once the box is ticked, then leaves for a page of its own. */
async function deleteData(post: PreferencesPost): Promise<FastifyReply> {
  if (field(post.body, 'confirm') !== 'yes')
    return post.page(400, {
      message: 'Nothing was deleted: tick the box to confirm, then press "Delete my data".',
      isError: true,
    });
  await post.deps.subscriptions.erase(post.subscriber, post.at);
  return post.reply.redirect('/preferences/deleted', 303);
}

/** Saves name, time zone and send time; a refused field shows the form again as it was sent. */
async function savePreferences(post: PreferencesPost): Promise<FastifyReply> {
  const { body } = post;
  // The type-ahead box wins when filled: it is how a reader without JavaScript searches.
  const typed = (field(body, 'timezoneTyped') ?? '').trim();
  const timezone = typed ? (zoneFromTyped(typed) ?? typed) : field(body, 'timezone');
  const result = await post.deps.subscriptions.updatePreferences(
    post.subscriber,
    { name: field(body, 'name'), timezone, sendTime: field(body, 'sendTime') },
    post.at,
  );
  if (result.ok) return post.done('saved');
  return post.page(400, {
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
