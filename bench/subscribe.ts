/**
 * Figure 5: requests per second and p99 latency on POST /subscribe, on loopback, with the
 * per-IP and per-address limits raised out of the way. Every request is a new address: a row
 * written and a confirmation email handed to the mailer. Baseline: bare Fastify with the same
 * form parser answering the same POST with nothing behind it, the ceiling of the HTTP stack here.
 *
 *   npx tsx bench/subscribe.ts [--seconds 10] [--connections 10] [--mailer smtp|null] [--database URL]
 *
 * The site runs in this process; autocannon runs in a child process so the two do not share an
 * event loop. `--mailer smtp` (the default) sends every confirmation over SMTP (pool of 5) to the
 * benchmark sink in its own process; `--mailer null` accepts and drops them, to see the site and
 * the database alone. `--database postgres://…` (an empty database) runs the site on PostgreSQL,
 * where the limits count in the shared `rate_limits` table: two upserts per request.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import formbody from '@fastify/formbody';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { Mailer } from '../src/mailer/mailer.ts';
import { createThreadedSmtpMailer } from '../src/mailer/threaded-smtp-mailer.ts';
import { startHarness } from '../tests/web/harness.ts';
import { forkLoad, type LoadFigure } from './load.ts';
import { sinkProcess, type CountingSink } from './sink.ts';

const self = fileURLToPath(import.meta.url);

export interface SubscribeFigure {
  site: LoadFigure;
  /** Bare Fastify on the same machine, same client. */
  bare: LoadFigure;
  mailer: 'smtp' | 'null';
  subscribersStored: number;
  confirmationsDelivered: number;
  mailDrainAfterLoadMs: number;
}

const load = (url: string, seconds: number, connections: number) => forkLoad(self, url, seconds, connections);

/** The load generator: distinct addresses, form-encoded like the page's form. */
async function clientMain(url: string, seconds: number, connections: number): Promise<void> {
  let n = 0;
  const result = await autocannon({
    url: `${url}/subscribe`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({
          ...req,
          body: `email=reader${process.pid}-${n++}%40example.org&name=Bench&timezone=Europe%2FLondon`,
        }),
      },
    ],
  });
  process.send?.(result, () => process.exit(0));
}

async function bare(seconds: number, connections: number): Promise<LoadFigure> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  app.post('/subscribe', async (req) => ({ ok: typeof (req.body as { email?: unknown }).email === 'string' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  try {
    return await load(`http://127.0.0.1:${port}`, seconds, connections);
  } finally {
    await app.close();
  }
}

export async function benchSubscribe(o: {
  seconds: number;
  connections: number;
  mailer: 'smtp' | 'null';
  database?: string;
}): Promise<SubscribeFigure> {
  let dropped = 0;
  const nullMailer: Mailer = {
    concurrency: 8,
    describe: () => 'null',
    close: async () => {},
    send: async () => ({ response: `250 ${++dropped}` }),
  };
  let sink: CountingSink | undefined;
  if (o.mailer === 'smtp') sink = await sinkProcess();
  const h = await startHarness({
    limits: { subscribePerIp: { max: 1e9, windowMs: 60_000 }, subscribePerAddress: { max: 1e9, windowMs: 60_000 } },
    mailer: () => (sink ? createThreadedSmtpMailer({ url: sink.url, pool: 5 }) : nullMailer),
    ...(o.database ? { env: { NEWSLETTER_DATABASE_URL: o.database } } : {}),
  });
  try {
    const baseline = await bare(o.seconds, o.connections);
    const site = await load(h.url, o.seconds, o.connections);
    const drainStart = Date.now();
    await h.site.idle();
    const mailDrainAfterLoadMs = Date.now() - drainStart;
    const rows = await h.db
      .selectFrom('subscribers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      site,
      bare: baseline,
      mailer: o.mailer,
      subscribersStored: Number(rows.n),
      confirmationsDelivered: sink ? await sink.count() : dropped,
      mailDrainAfterLoadMs,
    };
  } finally {
    await h.close();
    await sink?.close();
  }
}

if (process.argv[1] === self) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      mailer: { type: 'string', default: 'smtp' },
      client: { type: 'string' },
      database: { type: 'string' },
    },
  });
  if (values.client) await clientMain(values.client, Number(values.seconds), Number(values.connections));
  else {
    if (values.mailer !== 'smtp' && values.mailer !== 'null')
      throw new Error(`--mailer must be smtp or null, not ${values.mailer}`);
    const f = await benchSubscribe({
      seconds: Number(values.seconds),
      connections: Number(values.connections),
      mailer: values.mailer,
      ...(values.database ? { database: values.database } : {}),
    });
    console.log(JSON.stringify(f, null, 2));
  }
}
