import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { watchFolders, type FileWatcher } from '../content/watch.ts';
import type { Studio } from './studio.ts';

const CHECK_DELAY_MS = 250;

export interface LiveReload {
  /** GET /events: a Server-Sent Events stream of changes, for as long as the page stays open. */
  stream(request: FastifyRequest, reply: FastifyReply): void;
  /** Ends every open stream and stops watching. */
  close(): Promise<void>;
}

/**
 * Watches the content, templates and outbox folders and tells every open page: `change` when
 * the emails were reloaded, `checked` when their statuses are computed, `inbox` when mail arrived.
 */
export async function startLiveReload(
  studio: Studio,
  config: Pick<Config, 'contentDir' | 'templatesDir' | 'outboxDir'>,
): Promise<LiveReload> {
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

  return {
    stream(request, reply) {
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
    },
    async close() {
      clearTimeout(checkTimer);
      for (const res of clients) res.end();
      clients.clear();
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}
