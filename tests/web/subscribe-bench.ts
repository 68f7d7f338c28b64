/**
 * Requests per second on POST /subscribe, on loopback, with the limiter raised out of the way.
 * Every request is a new address (a row written and a confirmation email handed to the mailer).
 *
 *   npx tsx tests/web/subscribe-bench.ts [--seconds 10] [--connections 10] [--mailer sink|null]
 *
 * The site runs in this process; autocannon runs in a child process so the two do not share a core's
 * event loop. `--mailer sink` sends every confirmation over SMTP to a local sink (pool of 5);
 * `--mailer null` accepts and drops them, to see the site and the database alone.
 */
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createSmtpMailer } from '../../src/delivery/smtp-mailer.ts';
import type { Mailer } from '../../src/delivery/mailer.ts';
import { startHarness } from './harness.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, mailer: { type: 'string', default: 'sink' }, client: { type: 'string' } },
});

if (values.client) {
  // The load generator: distinct addresses, form-encoded like the page's form.
  let n = 0;
  const result = await autocannon({
    url: `${values.client}/subscribe`,
    connections: Number(values.connections),
    duration: Number(values.seconds),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: `email=reader${process.pid}-${n++}%40example.org&name=Bench&timezone=Europe%2FLondon` }),
      },
    ],
  });
  process.send?.(result);
} else {
  let sent = 0;
  const nullMailer: Mailer = { concurrency: 8, describe: () => 'null', close: async () => {}, send: async () => ({ response: `250 ${++sent}` }) };
  const h = await startHarness({
    limits: { subscribePerIp: { max: 1e9, windowMs: 60_000 }, subscribePerAddress: { max: 1e9, windowMs: 60_000 } },
    mailer: (sink) => {
      sink.parse = false;
      return values.mailer === 'null' ? nullMailer : createSmtpMailer({ url: sink.url, pool: 5 });
    },
  });
  const child = fork(fileURLToPath(import.meta.url), ['--client', h.url, '--seconds', values.seconds!, '--connections', values.connections!]);
  const result = await new Promise<autocannon.Result>((resolve) => child.once('message', (m) => resolve(m as autocannon.Result)));
  const drainStart = Date.now();
  await h.site.idle();
  const rows = await h.db.selectFrom('subscribers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  console.log(
    JSON.stringify(
      {
        mailer: values.mailer,
        connections: Number(values.connections),
        seconds: Number(values.seconds),
        requests: result.requests.total,
        requestsPerSecond: { mean: result.requests.average, p50: result.requests.p50, min: result.requests.min },
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
        non2xx: result.non2xx,
        errors: result.errors,
        subscribersStored: Number(rows.n),
        confirmationsDelivered: values.mailer === 'null' ? sent : h.sink.received.length,
        mailDrainAfterLoadMs: Date.now() - drainStart,
      },
      null,
      2,
    ),
  );
  await h.close();
}
