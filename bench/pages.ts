/**
 * Figure 8: the public pages under load. `GET /tips/:slug` on the real site (rendered once per
 * content change, then served from memory) against bare Fastify answering a static string of the
 * same size: the ratio is what the site's routing, headers and page cache cost. 8b: `GET /feed.xml`.
 *
 *   npx tsx bench/pages.ts [--seconds 5] [--connections 10]
 *
 * The site runs in this process (SQLite, null mailer); autocannon runs in a child process so the
 * two do not share an event loop.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { Mailer } from '../src/mailer/mailer.ts';
import { startHarness } from '../tests/web/harness.ts';
import { forkLoad, type LoadFigure } from './load.ts';

const self = fileURLToPath(import.meta.url);
export const TIP_PATH = '/tips/stop-it-in-its-tracks';

export interface PagesFigure {
  tip: LoadFigure;
  bare: LoadFigure;
  feed: LoadFigure;
  tipBytes: number;
}

const load = (url: string, seconds: number, connections: number) => forkLoad(self, url, seconds, connections);

async function clientMain(url: string, seconds: number, connections: number): Promise<void> {
  const result = await autocannon({ url, connections, duration: seconds });
  process.send?.(result, () => process.exit(0));
}

/** Bare Fastify answering a fixed string as large as the tip page: the HTTP stack's ceiling here. */
async function bareServer(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/page', (_req, reply) => reply.type('text/html; charset=utf-8').send(body));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/page`, close: () => app.close() };
}

const best = (a: LoadFigure, b: LoadFigure) => (b.rps > a.rps ? b : a);

export async function benchPages(o: { seconds: number; connections: number }): Promise<PagesFigure> {
  const nullMailer: Mailer = {
    concurrency: 8,
    describe: () => 'null',
    close: async () => {},
    send: async () => ({ response: '250 dropped' }),
  };
  const h = await startHarness({ mailer: () => nullMailer });
  try {
    const page = await (await fetch(`${h.url}${TIP_PATH}`)).text();
    const b = await bareServer(page);
    try {
      // Interleaved, best of two each: the first run of either warms its JIT, and the machine is shared.
      const run = (url: string) => load(url, o.seconds, o.connections);
      const bare1 = await run(b.url);
      const tip1 = await run(`${h.url}${TIP_PATH}`);
      const bare2 = await run(b.url);
      const tip2 = await run(`${h.url}${TIP_PATH}`);
      const feed = best(await run(`${h.url}/feed.xml`), await run(`${h.url}/feed.xml`));
      return { tip: best(tip1, tip2), bare: best(bare1, bare2), feed, tipBytes: Buffer.byteLength(page) };
    } finally {
      await b.close();
    }
  } finally {
    await h.close();
  }
}

if (process.argv[1] === self) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      client: { type: 'string' },
    },
  });
  if (values.client) await clientMain(values.client, Number(values.seconds), Number(values.connections));
  else
    console.log(
      JSON.stringify(
        await benchPages({ seconds: Number(values.seconds), connections: Number(values.connections) }),
        null,
        2,
      ),
    );
}
