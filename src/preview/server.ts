import { mkdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import { createMailer } from '../mailer/create-mailer.ts';
import { SendError, type Mailer } from '../mailer/mailer.ts';
import type { FeedbackComment, TipFeedback } from '../store/feedback.ts';
import { checkAddress } from '../subscription/address.ts';
import { Inbox } from './inbox.ts';
import { studioPage } from './page.ts';
import { isSampleReader, sampleReaderIds, sampleReaders } from './samples.ts';
import { Studio } from './studio.ts';
import { watchFolders, type FileWatcher } from '../content/watch.ts';

export const DEFAULT_PREVIEW_PORT = 4000;
export const DEFAULT_PREVIEW_HOST = '127.0.0.1';

export interface StudioServerOptions {
  config: Config;
  port: number;
  host: string;
  now?: () => Date;
  /**
   * The transport for "Send me a test", asked for at the first send (an SMTP pool starts a
   * thread) and left open for the caller to close. Default: createMailer(config), closed with the server.
   */
  mailer?: () => Promise<Mailer>;
  /**
   * Readers' "Did this help?" answers, read from the subscriber store at each list request;
   * absent (or failing) and the studio shows the emails without them.
   */
  feedback?: () => Promise<StudioFeedback>;
}

/** What the studio shows of the answers: counts per tip and the latest comments (shown as text). */
export interface StudioFeedback {
  tips: TipFeedback[];
  comments: FeedbackComment[];
}

export interface StudioServer {
  url: string;
  studio: Studio;
  close(): Promise<void>;
}

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
/** The studio's own files by name: a Map, so `constructor` or `__proto__` is just a name that is not there. */
const assets = new Map<string, string>([
  ['studio.css', 'text/css; charset=utf-8'],
  ['studio.js', 'text/javascript; charset=utf-8'],
]);

const CHECK_DELAY_MS = 250;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The editors' studio: the page, its JSON routes, live reload over Server-Sent Events, the
 * dev inbox and "Send me a test". Loopback only unless a host was asked for explicitly.
 */
export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const studio = new Studio(config, now);
  await studio.reload();
  studio.snapshot().catch(() => undefined);
  const inbox = new Inbox(config.outboxDir);
  // The folder the outbox transport writes to, so the inbox can watch it from the start.
  await mkdir(config.outboxDir, { recursive: true });

  const clients = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown) => {
    const chunk = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of clients) res.write(chunk);
  };

  // The list's statuses re-render every email: started a moment after a change, so the open
  // page's own request (one email) is answered first and the update stays quick.
  let checkTimer: NodeJS.Timeout | undefined;
  const checkSoon = () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => {
      const generation = studio.generation;
      // A newer save supersedes these checks; its own run reports when done.
      studio.snapshot().then(
        () => broadcast('checked', { generation }),
        () => undefined,
      );
    }, CHECK_DELAY_MS);
  };
  const watchers: FileWatcher[] = [
    watchFolders([config.contentDir, config.templatesDir], () => {
      void studio.reload().then(() => {
        broadcast('change', { generation: studio.generation, at: Date.now() });
        checkSoon();
      });
    }),
    watchFolders([config.outboxDir], () => broadcast('inbox', { at: Date.now() })),
  ];
  await Promise.all(watchers.map((w) => w.ready));

  let mailer: Promise<Mailer> | undefined;
  // Stopping the studio ends every browser connection too (live-reload streams, keep-alive
  // sockets mid-request): an editor's Ctrl-C, or a test's close, never waits on a browser tab.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  await app.register(rateLimit, { global: false });

  // On loopback, only loopback names are answered; on an address the editor chose, any name.
  const loopbackOnly = LOOPBACK.has(options.host) || /^127\./.test(options.host);
  app.addHook('onRequest', async (request, reply) => {
    // Against DNS rebinding: a page elsewhere must not reach the studio through a name of its own.
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (loopbackOnly && !LOOPBACK.has(hostname))
      return reply.code(421).type('text/plain').send('The studio answers on 127.0.0.1 or localhost only.');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    // Inline styles and https images are the email's own (the frame inherits this policy).
    reply.header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
    );
  });

  // A failure answers without its message: it may carry a file's absolute path.
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply
      .code(status)
      .send({ error: status === 500 ? 'the studio could not answer this request' : 'bad request' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such page' }));

  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(studioPage(studio.list().seriesName)),
  );

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const type = assets.get(request.params.name);
    if (!type) return reply.code(404).send({ error: 'no such asset' });
    return reply.type(type).send(await readFile(path.join(assetsDir, request.params.name), 'utf8'));
  });

  const feedback = async () => {
    if (!options.feedback) return undefined;
    try {
      return await options.feedback();
    } catch (e) {
      return {
        tips: [],
        comments: [],
        error: `Reader answers cannot be read now: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  };
  app.get('/api/list', async () => ({
    ...studio.list(),
    inbox: await inbox.list(),
    feedback: await feedback(),
    readers: sampleReaderIds.map((id) => ({ id, label: sampleReaders[id].label })),
  }));

  app.get<{ Querystring: { id?: string; reader?: string } }>('/api/email', async (request, reply) => {
    const id = request.query.id ?? '';
    const reader = isSampleReader(request.query.reader) ? request.query.reader : 'first';
    if (id.startsWith('inbox:')) {
      const message = await inbox.open(id.slice('inbox:'.length));
      if (!message)
        return reply.code(404).send({
          ok: false,
          id,
          label: 'Dev inbox',
          problems: [{ severity: 'error', check: 'inbox', message: 'this message is no longer in the outbox folder' }],
        });
      return { ok: true, email: await studio.inboxView(message) };
    }
    return studio.email(id, reader);
  });

  app.get('/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 500\nevent: hello\ndata: ${JSON.stringify({ generation: studio.generation })}\n\n`);
    clients.add(res);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(beat);
      clients.delete(res);
    });
  });

  app.post<{ Body: { id?: unknown; reader?: unknown; to?: unknown } }>(
    '/api/send-test',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      // JSON only: a form on another site cannot send JSON without a preflight the studio refuses.
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
        return reply.code(415).send({ ok: false, error: 'send JSON: {"id", "reader", "to"}' });
      const origin = request.headers.origin;
      if (origin && origin !== `http://${request.headers.host}`)
        return reply.code(403).send({ ok: false, error: 'requests from other sites are refused' });
      const { id, reader, to } = request.body ?? {};
      const checked = checkAddress(to);
      if (!checked.ok) return reply.code(400).send({ ok: false, error: 'type an email address like you@example.org' });
      const address = checked.email;
      if (typeof id !== 'string')
        return reply.code(400).send({ ok: false, error: 'pick an email from the list first' });
      let message;
      try {
        message = await studio.testMessage(id, isSampleReader(reader) ? reader : 'first', address);
      } catch {
        return reply
          .code(422)
          .send({ ok: false, error: 'this email cannot be rendered now: fix the problems shown, then send again' });
      }
      if (!message)
        return reply.code(400).send({ ok: false, error: 'only the series and system emails can be sent as a test' });
      mailer ??= options.mailer ? options.mailer() : Promise.resolve(createMailer(config));
      try {
        const transport = await mailer;
        const result = await transport.send(message);
        return { ok: true, to: address, transport: transport.describe().split(' (')[0], response: result.response };
      } catch (e) {
        const why = e instanceof SendError ? `${e.kind}: ${e.response}` : 'the transport failed';
        return reply.code(502).send({ ok: false, error: `not sent (${why})` });
      }
    },
  );

  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    // Port taken or address not ours: let go of the watchers so the process can exit.
    clearTimeout(checkTimer);
    await Promise.all(watchers.map((w) => w.close()));
    await app.close();
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`,
    studio,
    async close() {
      clearTimeout(checkTimer);
      for (const res of clients) res.end();
      clients.clear();
      await Promise.all(watchers.map((w) => w.close()));
      await app.close();
      if (mailer && !options.mailer) await (await mailer).close();
    },
  };
}
