import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import { createMailer } from '../mailer/create-mailer.ts';
import type { Mailer } from '../mailer/mailer.ts';
import { Inbox } from './inbox.ts';
import { startLiveReload } from './live-reload.ts';
import { applyRequestPolicy } from './request-policy.ts';
import { registerSendTestRoute } from './send-test-route.ts';
import { registerEditorRoutes } from './editor-routes.ts';
import { registerStudioRoutes, type StudioFeedback } from './studio-routes.ts';
import { newSessionToken } from './write-guard.ts';
import { Studio } from './studio.ts';

export type { StudioFeedback } from './studio-routes.ts';

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

export interface StudioServer {
  url: string;
  studio: Studio;
  close(): Promise<void>;
}

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
  const live = await startLiveReload(studio, config);

  // Asked for at the first send; the default transport is the studio's own, closed with it.
  let mailer: Promise<Mailer> | undefined;
  const testMailer = () => (mailer ??= options.mailer ? options.mailer() : Promise.resolve(createMailer(config)));

  // Stopping the studio ends every browser connection too (live-reload streams, keep-alive
  // sockets mid-request): an editor's Ctrl-C, or a test's close, never waits on a browser tab.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  await app.register(rateLimit, { global: false });
  applyRequestPolicy(app, options.host);
  registerStudioRoutes(app, { studio, inbox, ...(options.feedback ? { feedback: options.feedback } : {}) });
  app.get('/events', (request, reply) => live.stream(request, reply));
  registerSendTestRoute(app, studio, testMailer);
  registerEditorRoutes(app, { studio, token: newSessionToken(), now });

  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    // Port taken or address not ours: let go of the watchers so the process can exit.
    await live.close();
    await app.close();
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`,
    studio,
    async close() {
      await live.close();
      await app.close();
      if (mailer && !options.mailer) await (await mailer).close();
    },
  };
}
